/*
 * xc_ops.c: the builder's hypervisor operations on libxenctrl (the real
 * hypervisor, over $XEN_RUN_DIR/privcmd). The handle is an xc_interface *.
 * Invariant: each op is a thin call with libxenctrl's -1/errno contract.
 */
#include "libxl_umbra.h"

#include <errno.h>

static int op_create(void *h, uint32_t *domid, struct xen_domctl_createdomain *cfg)
{
    return xc_domain_create(h, domid, cfg);
}

static int op_destroy(void *h, uint32_t domid)
{
    return xc_domain_destroy(h, domid);
}

static int op_setmaxmem(void *h, uint32_t domid, uint64_t max_memkb)
{
    return xc_domain_setmaxmem(h, domid, max_memkb);
}

static int op_populate(void *h, uint32_t domid, unsigned long n, unsigned order, xen_pfn_t *gfns)
{
    return xc_domain_populate_physmap_exact(h, domid, n, order, 0, gfns);
}

static void *op_map(void *h, uint32_t domid, int size, int prot, unsigned long gfn)
{
    return xc_map_foreign_range(h, domid, size, prot, gfn);
}

static int op_unmap(void *h, uint32_t domid, void *addr, int size, unsigned long gfn)
{
    return xc_unmap_foreign(h, domid, addr, size, gfn);
}

static int op_setcontext(void *h, uint32_t domid, uint32_t vcpu, vcpu_guest_context_any_t *ctx)
{
    return xc_vcpu_setcontext(h, domid, vcpu, ctx);
}

static int op_unpause(void *h, uint32_t domid)
{
    return xc_domain_unpause(h, domid);
}

static int op_shared_info_gfn(void *h, uint32_t domid, xen_pfn_t *gfn)
{
    xc_dominfo_t info;

    if (xc_domain_getinfo(h, domid, 1, &info) != 1 || info.domid != domid) {
        errno = ESRCH;
        return -1;
    }
    *gfn = info.shared_info_frame;
    return 0;
}

static int op_alloc_unbound(void *h, uint32_t domid, uint32_t remote)
{
    return xc_evtchn_alloc_unbound(h, domid, remote);
}

const struct libxl_hv_ops libxl_xc_ops = {
    .domain_create = op_create,
    .domain_destroy = op_destroy,
    .setmaxmem = op_setmaxmem,
    .populate = op_populate,
    .map = op_map,
    .unmap = op_unmap,
    .setcontext = op_setcontext,
    .unpause = op_unpause,
    .shared_info_gfn = op_shared_info_gfn,
    .alloc_unbound = op_alloc_unbound,
};
