/*
 * build_priv.h: private to the domain builder (build*.c).
 *
 * One struct build carries a build through its steps. Each step either
 * succeeds or writes its reason to b->err and returns -1; it never leaves a
 * foreign mapping behind. Undoing is build.c's job alone: destroying the
 * domain returns every frame populated so far.
 */
#ifndef LIBXL_BUILD_PRIV_H
#define LIBXL_BUILD_PRIV_H

#include "libxl_umbra.h"

struct build {
    const struct libxl_hv_ops *ops;
    void *h;
    const struct libxl_domain_config *cfg;
    struct libxl_layout *lay;
    uint32_t domid;
    bool created;
    bool xenstore;                 /* LIBXL_BUILD_XENSTORE */
    char *err;
    size_t errlen;
};

/* Record "step: reason" in b->err (errno is preserved); returns -1. */
int build_fail(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Map `pages` pages at gfn (all or nothing) / unmap them. */
void *build_map(struct build *b, xen_pfn_t gfn, uint64_t pages);
void build_unmap(struct build *b, void *addr, xen_pfn_t gfn, uint64_t pages);

/* build_mem.c: populate cfg's RAM, 2 MiB extents where aligned. */
int build_populate(struct build *b);

/* build_kernel.c: check and load the ELF kernel; sets lay->entry and the
 * kernel's GPA range. */
int build_load_kernel(struct build *b);

/* build_start.c: the xenstore port (if asked), start_info, the ring pages. */
int build_start_info(struct build *b);

#endif
