/*
 * p2m_pod.c: populate-on-demand and translation of a gfn for the
 * hypervisor's own accesses on a domain's behalf.
 *
 * A populate_on_demand entry is RAM the domain was promised but has not
 * touched; the first access (a G-stage fault, a guest page-table walk or a
 * hypercall copy) allocates zeroed frames owned by the domain and maps them
 * ram_rw. Invariant: check, allocation and mapping happen under one hold of
 * the p2m lock, so concurrent faults on one gfn populate it exactly once.
 */
#include <errno.h>

#include "p2m-private.h"
#include "umbra/bug.h"
#include "umbra/paging.h"

/*
 * Populate the populate_on_demand entry covering gfn with zeroed RAM of
 * the p2m's domain: a whole 2 MiB frame when the PoD entry is 2 MiB and
 * superpages are on and such a block is free, else one 4 KiB frame (the
 * PoD superpage splits; its other 511 entries stay PoD). Returns 0 (also
 * when another vCPU populated it first), -EINVAL when gfn is not PoD, or
 * -ENOMEM. Takes p2m->lock; no flush is needed (absent -> present).
 */
int p2m_pod_populate(struct p2m_domain *p2m, gfn_t gfn)
{
    struct p2m_update u = { 0 };
    p2m_type_t t;
    unsigned order = 0;
    mfn_t mfn = INVALID_MFN;
    int rc;

    if (!p2m_ready(p2m))
        return -EINVAL;
    /* Lookup, allocation and update under one hold of the lock, so two
     * vCPUs faulting on the same gfn populate it once. */
    lock_take(&p2m->lock);
    {
        unsigned level;

        if (gfn_to_gaddr(gfn) >> p2m->fmt->va_bits) {
            rc = -EINVAL;
            goto out;
        }
        t = p2m_pte_type(p2m_lookup_locked(p2m, gfn_to_gaddr(gfn), &level, NULL));
        order = 9 * level;
    }
    if (t != p2m_populate_on_demand) {
        rc = p2m_type_is_present(t) ? 0 : -EINVAL;
        goto out;
    }
    if (order == 9 && p2m->superpages)
        mfn = alloc_frames(9, p2m_owner(p2m), PGT_guest_ram);
    if (mfn_valid_value(mfn)) {
        gfn = _gfn(gfn_x(gfn) & ~511ULL);
    } else {
        order = 0;
        mfn = alloc_frames(0, p2m_owner(p2m), PGT_guest_ram);
        if (!mfn_valid_value(mfn)) {
            rc = -ENOMEM;
            goto out;
        }
    }
    rc = p2m_set_entry_locked(p2m, gfn_to_gaddr(gfn), order / 9, p2m_pte_encode(p2m_ram_rw, mfn), &u);
    if (rc < 0) {
        free_frames(mfn, order);
        goto out;
    }
    p2m->pod_populated += 1ULL << order;
out:
    lock_release(&p2m->lock);
    p2m_finish_update(p2m, gfn, order, &u);
    return rc;
}

/*
 * Translate gfn for an access by the hypervisor on the domain's behalf
 * (guest page-table walks, copies to and from guest memory, G-stage fault
 * resolution). `access` is PG_ACCESS_* (paging.h). Populates
 * populate_on_demand entries. Returns 0 and *mfn (the 4 KiB frame), or
 * -EFAULT (nothing mapped), -EACCES (the type forbids the access: a write
 * to ram_ro or ram_shared), -ENOMEM. Counts p2m PTE reads into *refs.
 */
int p2m_translate(struct p2m_domain *p2m, gfn_t gfn, unsigned access, mfn_t *mfn, uint64_t *refs)
{
    p2m_type_t t;
    int rc;

    *mfn = p2m_get_entry_counted(p2m, gfn, &t, NULL, refs);
    if (t == p2m_populate_on_demand) {
        rc = p2m_pod_populate(p2m, gfn);
        if (rc < 0)
            return rc;
        *mfn = p2m_get_entry_counted(p2m, gfn, &t, NULL, refs);
    }
    if (!p2m_is_readable(t))
        return -EFAULT;
    if ((access & PG_ACCESS_WRITE) && !p2m_is_writable(t))
        return -EACCES;
    BUG_ON(!mfn_valid(*mfn));
    return 0;
}
