/*
 * build_mem.c: populating a new domain's RAM.
 *
 * RAM is one range of GFNs from LIBXL_RAM_BASE_GFN (GPA 0x80000000) up, its
 * size the config's currentMemory. Extents of order 9 (2 MiB) cover every
 * 2 MiB-aligned stretch, so the p2m can map superpages; order-0 extents cover
 * what is left at the top. Cost: one populate call per order.
 * Invariant: on failure nothing here needs undoing beyond destroying the
 * domain, which the caller does.
 */
#include "build_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SUPERPAGE_ORDER 9
#define SUPERPAGE_PAGES (1ULL << SUPERPAGE_ORDER)

/* Populate `count` extents of `order` starting at gfn, in one call. */
static int populate_run(struct build *b, xen_pfn_t gfn, uint64_t count, unsigned order)
{
    xen_pfn_t *gfns;
    int rc;

    if (!count)
        return 0;
    gfns = calloc(count, sizeof(*gfns));
    if (!gfns)
        return build_fail(b, "populating RAM: %s", strerror(ENOMEM));
    for (uint64_t i = 0; i < count; i++)
        gfns[i] = gfn + (i << order);
    rc = b->ops->populate(b->h, b->domid, count, order, gfns);
    free(gfns);
    if (rc < 0)
        return build_fail(b, "populating %llu KiB of RAM: %s",
                          (unsigned long long)b->cfg->target_memkb, strerror(errno));
    return 0;
}

int build_populate(struct build *b)
{
    const struct libxl_layout *lay = b->lay;
    xen_pfn_t gfn = lay->ram_base_gfn;
    xen_pfn_t aligned = (gfn + SUPERPAGE_PAGES - 1) & ~(SUPERPAGE_PAGES - 1);
    uint64_t head, supers, tail;

    if (aligned > lay->ram_end_gfn)
        aligned = lay->ram_end_gfn;
    head = aligned - gfn;
    supers = (lay->ram_end_gfn - aligned) >> SUPERPAGE_ORDER;
    tail = lay->ram_end_gfn - aligned - (supers << SUPERPAGE_ORDER);
    if (populate_run(b, gfn, head, 0) ||
        populate_run(b, aligned, supers, SUPERPAGE_ORDER) ||
        populate_run(b, aligned + (supers << SUPERPAGE_ORDER), tail, 0))
        return -1;
    return 0;
}
