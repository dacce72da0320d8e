/*
 * shadow_p2m.c: the p2m as the shadow code sees it.
 *
 * Shadows hold only frames that the p2m gives the domain, with the p2m's
 * permissions: the RAM types are readable, only ram_rw (and grant_map_rw)
 * is writable, so read-only and shared (copy-on-write) frames stay read-only
 * in every shadow. Every other type (invalid, paged_out, populate_on_demand)
 * is not mapped at all. A p2m lookup is a software walk of the p2m tables:
 * it is charged as one reference per p2m level to the handler's count.
 */
#include "shadow-private.h"

bool sh_p2m_type_readable(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_ro || t == p2m_ram_shared ||
           t == p2m_ram_logdirty || t == p2m_grant_map_rw || t == p2m_grant_map_ro;
}

bool sh_p2m_type_writable(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_grant_map_rw;
}

/*
 * The MFN and type of gfn (INVALID_MFN and p2m_invalid where the domain has
 * no readable RAM). Does not populate: a populate-on-demand frame is not
 * mapped by eager propagation, only on the fault that touches it.
 */
mfn_t sh_p2m_lookup(struct shadow_domain *sd, uint64_t gfn, p2m_type_t *t)
{
    mfn_t mfn = p2m_get_entry_counted(&sd->d->p2m, _gfn(gfn), t, NULL, &sd->op_refs);

    if (!mfn_valid_value(mfn) || !sh_p2m_type_readable(*t) || !mfn_valid(mfn)) {
        *t = p2m_invalid;
        return INVALID_MFN;
    }
    return mfn;
}

/*
 * The same for an access the guest makes now (a fault, a walk of its
 * tables): a populate-on-demand entry is populated first, as the HAP fault
 * handler would on the G-stage fault.
 */
mfn_t sh_p2m_lookup_access(struct shadow_domain *sd, uint64_t gfn, p2m_type_t *t)
{
    mfn_t mfn = sh_p2m_lookup(sd, gfn, t);
    p2m_type_t raw;

    if (mfn_valid_value(mfn))
        return mfn;
    p2m_get_entry(&sd->d->p2m, _gfn(gfn), &raw, NULL);
    if (raw != p2m_populate_on_demand || p2m_pod_populate(&sd->d->p2m, _gfn(gfn)) != 0)
        return mfn;
    return sh_p2m_lookup(sd, gfn, t);
}

/*
 * The machine address of guest table frame gfn, if the p2m maps it readable
 * (populating it on demand). Returns false (a guest page fault for the
 * walker) otherwise.
 */
bool sh_guest_table_ma(struct shadow_domain *sd, uint64_t gfn, maddr_t *ma)
{
    p2m_type_t t;
    mfn_t mfn = sh_p2m_lookup_access(sd, gfn, &t);

    if (!mfn_valid_value(mfn))
        return false;
    *ma = mfn_to_maddr(mfn);
    return true;
}
