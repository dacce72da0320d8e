/*
 * memory_op.c: XENMEM reservation operations, for guests (memory_op
 * hypercall) and for dom0 acting on a domU (privcmd).
 *
 * On Umbra the extent arrays hold GFNs both ways: populate_physmap and
 * increase_reservation allocate frames and map them at the GFNs given,
 * decrease_reservation unmaps the GFNs given and frees their frames.
 * Invariants (xen_lock held):
 *  - tot_pages counts exactly the RAM frames the domain's p2m maps, and
 *    never exceeds max_pages (the reservation limit);
 *  - a frame is freed only after the p2m no longer maps it and the TLB
 *    shootdown (p2m flush hook, flush.c) has returned;
 *  - an extent that fails stops the operation; the result is the number of
 *    extents done, as in Xen.
 */
#include <errno.h>

#include "public/memory.h"
#include "umbra/mm.h"
#include "umbra/sched.h"
#include "umbra/traps.h"

#define MAX_EXTENT_ORDER 9
/* Sv39x4: guest-physical addresses have 41 bits. */
#define MAX_GUEST_GFN ((1ULL << (41 - PAGE_SHIFT)) - 1)

/* Map 2^order frames from mfn at gfn, as one superpage when the p2m allows. */
static int map_extent(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned order)
{
    int rc = 0;

    if (order == MAX_EXTENT_ORDER && d->p2m.superpages)
        return p2m_set_entry(&d->p2m, gfn, mfn, order, p2m_ram_rw);
    for (uint64_t i = 0; i < (1ULL << order) && !rc; i++)
        rc = p2m_set_entry(&d->p2m, _gfn(gfn_x(gfn) + i), _mfn(mfn_x(mfn) + i), 0, p2m_ram_rw);
    if (rc)   /* undo the part that was mapped */
        p2m_set_entry(&d->p2m, gfn, INVALID_MFN, 0, p2m_invalid);
    return rc;
}

static bool range_unmapped(struct domain *d, uint64_t gfn, unsigned order)
{
    for (uint64_t i = 0; i < (1ULL << order);) {
        unsigned o = 0;
        mfn_t m = p2m_get_entry(&d->p2m, _gfn(gfn + i), NULL, &o);

        if (mfn_valid_value(m))
            return false;
        i += 1ULL << (o < order ? o : 0);
        if (o >= order)
            break;
    }
    return true;
}

static int populate_one(struct domain *d, xen_pfn_t gfn, unsigned order)
{
    mfn_t mfn;
    int rc;

    if ((gfn & ((1ULL << order) - 1)) || gfn > MAX_GUEST_GFN - ((1ULL << order) - 1))
        return -EINVAL;
    if (d->tot_pages + (1ULL << order) > d->max_pages)
        return -ENOMEM;
    if (!range_unmapped(d, gfn, order))
        return -EBUSY;
    mfn = alloc_frames(order, d->domain_id, PGT_guest_ram);
    if (!mfn_valid_value(mfn))
        return -ENOMEM;
    rc = map_extent(d, _gfn(gfn), mfn, order);
    if (rc) {
        free_frames(mfn, order);
        return rc;
    }
    d->tot_pages += 1ULL << order;
    return 0;
}

/* Unmap and free 2^order frames at gfn; every one must be the domain's RAM. */
static int decrease_one(struct domain *d, xen_pfn_t gfn, unsigned order)
{
    mfn_t mfns[1U << MAX_EXTENT_ORDER];
    uint64_t n = 1ULL << order;

    if ((gfn & (n - 1)) || gfn > MAX_GUEST_GFN - (n - 1))
        return -EINVAL;
    for (uint64_t i = 0; i < n; i++) {
        p2m_type_t t;
        mfn_t m = p2m_get_entry(&d->p2m, _gfn(gfn + i), &t, NULL);

        if (!mfn_valid_value(m) || (t != p2m_ram_rw && t != p2m_ram_ro) ||
            mfn_to_page(m)->owner != d->domain_id || mfn_to_page(m)->type != PGT_guest_ram)
            return -EINVAL;
        mfns[i] = m;
    }
    for (uint64_t i = 0; i < n; i++) {
        /* p2m_set_entry runs the shootdown before returning: then the frame is free to go */
        int rc = p2m_set_entry(&d->p2m, _gfn(gfn + i), INVALID_MFN, 0, p2m_invalid);

        if (rc)
            return rc;
        d->tot_pages--;
        if (mfn_to_page(mfns[i])->count)
            domain_orphan_frame(mfns[i]);
        else
            free_frames(mfns[i], 0);
    }
    return 0;
}

long memory_reservation(struct domain *d, unsigned cmd, const struct xen_memory_reservation *r,
                        const struct extent_io *io)
{
    uint64_t i;

    ASSERT_XEN_LOCKED();
    if (r->extent_order > MAX_EXTENT_ORDER)
        return -EINVAL;
    if (!d->paging || d->is_dying)
        return -EINVAL;
    for (i = 0; i < r->nr_extents; i++) {
        xen_pfn_t gfn;
        int rc;

        if (io->get(io->priv, i, &gfn))
            break;
        if (cmd == XENMEM_decrease_reservation)
            rc = decrease_one(d, gfn, r->extent_order);
        else
            rc = populate_one(d, gfn, r->extent_order);
        if (rc)
            break;
    }
    return (long)i;
}

struct guest_extents {
    struct vcpu *v;
    uint64_t base;
};

static int guest_extent_get(void *priv, uint64_t i, xen_pfn_t *pfn)
{
    struct guest_extents *g = priv;

    return hc_copy_from_guest(g->v, pfn, g->base + i * sizeof(*pfn), sizeof(*pfn));
}

static int guest_extent_put(void *priv, uint64_t i, xen_pfn_t pfn)
{
    struct guest_extents *g = priv;

    return hc_copy_to_guest(g->v, g->base + i * sizeof(pfn), &pfn, sizeof(pfn));
}

long do_memory_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    struct domain *d = v->domain;
    struct xen_memory_reservation r;
    struct guest_extents g = { v, 0 };
    struct extent_io io = { guest_extent_get, guest_extent_put, &g };
    domid_t id;

    switch (cmd) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        if (hc_copy_from_guest(v, &id, arg, sizeof(id)))
            return -EFAULT;
        if (id != DOMID_SELF && id != d->domain_id)
            return -EPERM;
        return (long)(cmd == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        if (hc_copy_from_guest(v, &r, arg, sizeof(r)))
            return -EFAULT;
        if (r.domid != DOMID_SELF && r.domid != d->domain_id)
            return -EPERM;
        g.base = r.extent_start;
        return memory_reservation(d, cmd, &r, &io);
    default:
        return -ENOSYS;
    }
}
