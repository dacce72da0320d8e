/*
 * build_start.c: the boot pages a PV guest finds at the top of its RAM.
 *
 * From the top down (docs/config.md): start_info, the console ring, the
 * xenstore ring. start_info is Xen's layout, with GFNs where x86 PV guests get
 * MFNs; the guest receives its GPA in a0. With a store, the xenstore ring is
 * the page below the console's and its port an unbound channel for dom0
 * (xenstored binds it when the toolstack introduces the domain). shared_info
 * is the hypervisor's own
 * page, initialized by it and mapped where it chooses: the builder asks where
 * and writes that GPA into start_info. The ring pages are reserved and
 * zeroed now, for their backends later.
 * Cost: one foreign mapping of the LIBXL_SPECIAL_PAGES pages.
 * Invariant: the mapping is dropped before returning.
 */
#include "build_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void fill_start_info(struct build *b, struct start_info *si)
{
    const struct libxl_layout *lay = b->lay;

    memset(si, 0, LIBXL_PAGE_SIZE);
    memcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC));
    si->nr_pages = lay->nr_pages;
    si->shared_info = lay->shared_info_gfn << LIBXL_PAGE_SHIFT;
    si->flags = 0;
    si->store_mfn = b->xenstore ? lay->xenstore_gfn : 0;    /* 0: no xenstore */
    si->store_evtchn = lay->store_evtchn;
    si->console.mfn = 0;      /* the console is the hypervisor's buffer (console_io) */
    si->console.evtchn = 0;
    snprintf(si->cmd_line, sizeof(si->cmd_line), "%s", b->cfg->cmdline);
}

int build_start_info(struct build *b)
{
    struct libxl_layout *lay = b->lay;
    xen_pfn_t first = lay->ram_end_gfn - LIBXL_SPECIAL_PAGES;
    uint8_t *pages;

    if (b->ops->shared_info_gfn(b->h, b->domid, &lay->shared_info_gfn) < 0)
        return build_fail(b, "finding shared_info: %s", strerror(errno));
    lay->store_evtchn = 0;
    if (b->xenstore) {
        int port = b->ops->alloc_unbound(b->h, b->domid, 0);

        if (port < 0)
            return build_fail(b, "allocating the xenstore event channel: %s", strerror(errno));
        lay->store_evtchn = (uint32_t)port;
    }
    pages = build_map(b, first, LIBXL_SPECIAL_PAGES);
    if (!pages)
        return build_fail(b, "mapping the boot pages: %s", strerror(errno));
    memset(pages, 0, (LIBXL_SPECIAL_PAGES - 1) * LIBXL_PAGE_SIZE);   /* the rings */
    fill_start_info(b, (struct start_info *)(pages + ((lay->start_info_gfn - first)
                                                      << LIBXL_PAGE_SHIFT)));
    build_unmap(b, pages, first, LIBXL_SPECIAL_PAGES);
    return 0;
}
