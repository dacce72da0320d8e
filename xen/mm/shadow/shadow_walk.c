/*
 * shadow_walk.c: the software walk of the guest's own page tables, as the
 * hart's VS-stage walker would do it (privileged spec 4.3.2), for Sv39 and
 * Sv48 with one loop over the levels of the format.
 *
 * Guest PTEs are read through the p2m (a table frame the p2m does not map is
 * a guest page fault, never a read of another domain's memory) with the
 * counted accessor, so the walk's references enter the cost model. The walk
 * does not set A/D bits itself: the fault handler does, on the leaf only,
 * exactly when the hart would have (shadow_fault.c).
 */
#include "shadow-private.h"

/* The guest format a satp value selects, or NULL for Bare (and unsupported modes). */
const struct pt_format *sh_satp_format(uint64_t satp)
{
    switch ((satp & SATP_MODE_MASK) >> SATP_MODE_SHIFT) {
    case SATP_MODE_SV39:
        return pt_format_get(PT_SV39);
    case SATP_MODE_SV48:
        return pt_format_get(PT_SV48);
    default:
        return NULL;
    }
}

static unsigned sh_fault_cause(unsigned access)
{
    if (access & PG_ACCESS_EXEC)
        return CAUSE_FETCH_PAGE_FAULT;
    if (access & PG_ACCESS_WRITE)
        return CAUSE_STORE_PAGE_FAULT;
    return CAUSE_LOAD_PAGE_FAULT;
}

/* Does leaf pte allow the access (R/W/X, U with SUM, MXR)? */
static bool sh_leaf_allows(uint64_t pte, const struct sh_access *acc)
{
    bool u = (pte & PTE_U) != 0;

    if (acc->access & PG_ACCESS_EXEC)
        return (pte & PTE_X) && (acc->user ? u : !u);
    if (acc->user ? !u : (u && !acc->sum))
        return false;
    if (acc->access & PG_ACCESS_WRITE)
        return (pte & PTE_W) != 0;
    return (pte & PTE_R) || (acc->mxr && (pte & PTE_X));
}

/*
 * Walk the guest tables of satp for va. Returns 0 with *gw filled, or the
 * page-fault cause (12, 13 or 15) the guest must receive. In physical mode
 * (satp Bare) va is the guest-physical address and the walk cannot fault.
 */
int sh_guest_walk(struct shadow_domain *sd, uint64_t satp, uint64_t va,
                  const struct sh_access *acc, struct sh_gwalk *gw)
{
    const struct pt_format *f = sh_satp_format(satp);
    int cause = (int)sh_fault_cause(acc->access);
    uint64_t ppn, pte = 0;
    unsigned shift, level;

    *gw = (struct sh_gwalk){ 0 };
    if (!f) {
        gw->gfn = va >> PAGE_SHIFT;
        gw->leaf_flags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
        return 0;
    }
    shift = 64 - f->va_bits;
    if ((uint64_t)((int64_t)(va << shift) >> shift) != va)
        return cause;
    gw->levels = f->levels;
    ppn = satp & SATP_PPN_MASK;
    for (level = f->levels - 1;; level--) {
        maddr_t ma;

        gw->table_gfn[level] = ppn;
        if (!sh_guest_table_ma(sd, ppn, &ma))
            return cause;
        gw->pte_ma[level] = _maddr(maddr_x(ma) + 8ULL * pt_index(f, level, va));
        pte = gw->pte[level] = sh_read(sd, gw->pte_ma[level]);
        if (!(pte & PTE_V) || sh_gpte_bad(pte))
            return cause;
        if (pte_is_leaf(pte))
            break;
        if (level == 0)
            return cause;
        ppn = pte_ppn(pte);
    }
    gw->leaf_level = level;
    if (!sh_leaf_allows(pte, acc))
        return cause;
    if (pte_ppn(pte) & (sh_level_frames(level) - 1))
        return cause;   /* misaligned superpage */
    gw->gfn = pte_ppn(pte) + ((va >> PAGE_SHIFT) & (sh_level_frames(level) - 1));
    gw->leaf_flags = pte & SH_FLAG_MASK;
    return 0;
}
