/*
 * xentop.h: the pieces of xentop (tools/xentop/) and the data they share.
 *
 *   xentop.c          main: options, the batch loop, errors
 *   xentop_collect.c  one snapshot from libxenctrl, and deltas between two
 *   xentop_format.c   pure text layout (header, rows, summary lines)
 *   xentop_curses.c   the interactive screen and its keys
 *
 * Invariants: a snapshot owns its array of domains (xt_snapshot_free frees
 * it); the format functions only read their arguments and write to a FILE;
 * rates and CPU(%) are 0 until two snapshots have been compared.
 */
#ifndef UMBRA_XENTOP_H
#define UMBRA_XENTOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xenctrl.h"

/* One domain as seen in one round, with the figures derived from the previous round. */
struct xt_dom {
    xc_dominfo_t info;
    bool have_mm;               /* xc_umbra_mmstats answered */
    xc_umbra_mmstats_t mm;
    double cpu_pct;             /* CPU(%): cpu_time delta over wall-clock delta */
    double tlb_miss_rate;       /* TLB misses per second */
    double walk_per_miss;       /* page-walk memory references per TLB miss */
    double exit_rate;           /* exits to the hypervisor per second */
    double sh_fault_rate;       /* shadow page faults per second */
    unsigned nr_vcpus;          /* entries filled in vcpu_sec (V view) */
    uint64_t vcpu_sec[8];
};

struct xt_snapshot {
    struct xt_dom *doms;
    unsigned n;
    xc_physinfo_t phys;
    char version[64];           /* "Xen 4.17-umbra" style, from XENVER_* */
    double when;                /* CLOCK_MONOTONIC seconds */
};

/* The view: which columns and extra lines to show, and how to sort. */
enum { XT_SORT_DOMID = -1 };
struct xt_view {
    bool full_names;            /* -f: do not truncate NAME to 10 characters */
    bool mem;                   /* -m / M: Umbra's memory-virtualization columns */
    bool networks;              /* N: per-network lines (Umbra has none) */
    bool vbds;                  /* B: per-VBD lines (Umbra has none) */
    bool vcpus;                 /* V: per-VCPU lines */
    bool repeat_header;         /* R: the header before every domain */
    int sort;                   /* a column index (xt_columns) or XT_SORT_DOMID */
};

/* xentop_format.c */
unsigned xt_ncolumns(const struct xt_view *v);
const char *xt_column_name(unsigned col);
void xt_fmt_state(const xc_dominfo_t *d, char out[7]);
double xt_cpu_pct(uint64_t prev_ns, uint64_t now_ns, double elapsed_s);
bool xt_maxmem_unlimited(const xc_dominfo_t *d);
void xt_fmt_header(FILE *f, const struct xt_view *v);
void xt_fmt_row(FILE *f, const struct xt_dom *d, uint64_t total_kb, const struct xt_view *v);
void xt_fmt_extra_lines(FILE *f, const struct xt_dom *d, const struct xt_view *v);
void xt_fmt_summary(FILE *f, const struct xt_snapshot *s, const char *hhmmss);
void xt_sort(struct xt_dom *doms, unsigned n, int sort, uint64_t total_kb);

/* xentop_collect.c */
/* Fill s from the hypervisor. -1 with errno set on failure (EPERM when unprivileged). */
int xt_collect(xc_interface *xch, struct xt_snapshot *s, bool want_vcpus);
/* Derive cur's CPU(%) and rates from prev (NULL: the first round, all 0). */
void xt_deltas(const struct xt_snapshot *prev, struct xt_snapshot *cur);
void xt_snapshot_free(struct xt_snapshot *s);

/* xentop_curses.c: the interactive loop. Returns the exit status. */
int xt_curses_run(xc_interface *xch, struct xt_view *v, double delay, long iterations);

#endif
