/*
 * xl_format.h: xl's output layouts as pure functions (no hypervisor calls),
 * so that tests can check them byte for byte against Xen 4.17's.
 * Invariant: every function writes whole lines ending in '\n'.
 */
#ifndef XL_FORMAT_H
#define XL_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "xenctrl.h"

/* `xl list` header; verbose adds Xen's UUID/Reason-Code/Security Label and Umbra's paging mode. */
void xl_fmt_list_header(FILE *f, bool verbose);

/* The six state letters r b p s <reason> d into out[7]. */
void xl_fmt_state(const xc_dominfo_t *d, char out[7]);

/* One `xl list` row for d, named `name`. */
void xl_fmt_list_row(FILE *f, const xc_dominfo_t *d, const char *name, bool verbose);

/* One `xl info` line: name padded to 23 columns, then ": value". */
void xl_fmt_info(FILE *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* virt_caps from physinfo capabilities: "pv hap [shadow ]gnttab-v1". */
void xl_fmt_virt_caps(uint32_t capabilities, char *out, size_t len);

/* `xl vcpu-list` header and rows. */
void xl_fmt_vcpu_header(FILE *f);
void xl_fmt_vcpu_row(FILE *f, const char *name, uint32_t domid, uint32_t vcpu,
                     const xc_vcpuinfo_t *v);

/* `xl sched-credit`: the pool line, the header, a row. */
void xl_fmt_sched_pool(FILE *f, const char *pool, int tslice_ms, int ratelimit_us);
void xl_fmt_sched_header(FILE *f);
void xl_fmt_sched_row(FILE *f, const char *name, uint32_t domid,
                      const struct xen_domctl_sched_credit *s);

/* A UUID as 8-4-4-4-12 lowercase hex into out[37]. */
void xl_fmt_uuid(const uint8_t u[16], char out[37]);

/* Indent every line of s after the first by `n` spaces (JSON nesting). */
void xl_fmt_indented(FILE *f, const char *s, int n);

#endif
