/*
 * build_start.c: the boot pages a PV guest finds at the top of its RAM.
 *
 * From the top down (docs/config.md): start_info, the console ring, the
 * xenstore ring. start_info is Xen's layout, with GFNs where x86 PV guests get
 * MFNs; the guest receives its GPA in a0. shared_info is the hypervisor's own
 * page, initialized by it and mapped where it chooses: the builder asks where
 * and writes that GPA into start_info.
 * Invariant: every page mapped here is unmapped before returning.
 */
#include "build_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fill_start_info(struct build *b)
{
    struct libxl_layout *lay = b->lay;
    struct start_info *si;

    if (b->ops->shared_info_gfn(b->h, b->domid, &lay->shared_info_gfn) < 0)
        return build_fail(b, "finding shared_info: %s", strerror(errno));
    si = build_map(b, lay->start_info_gfn, 1);
    if (!si)
        return build_fail(b, "mapping start_info: %s", strerror(errno));
    memset(si, 0, LIBXL_PAGE_SIZE);
    memcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC));
    si->nr_pages = lay->nr_pages;
    si->shared_info = lay->shared_info_gfn << LIBXL_PAGE_SHIFT;
    si->flags = 0;
    si->store_mfn = 0;        /* no xenstore ring until the store is introduced */
    si->store_evtchn = 0;
    si->console.mfn = 0;      /* the console is the hypervisor's buffer (console_io) */
    si->console.evtchn = 0;
    snprintf(si->cmd_line, sizeof(si->cmd_line), "%s", b->cfg->cmdline);
    build_unmap(b, si, lay->start_info_gfn, 1);
    return 0;
}

/* The two ring pages are reserved now and zeroed, for their backends later. */
static int zero_rings(struct build *b)
{
    const struct libxl_layout *lay = b->lay;
    void *p = build_map(b, lay->xenstore_gfn, 2);

    if (!p)
        return build_fail(b, "mapping the ring pages: %s", strerror(errno));
    memset(p, 0, 2 * LIBXL_PAGE_SIZE);
    build_unmap(b, p, lay->xenstore_gfn, 2);
    return 0;
}

int build_start_info(struct build *b)
{
    if (fill_start_info(b) || zero_rings(b))
        return -1;
    return 0;
}
