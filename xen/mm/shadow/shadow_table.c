/*
 * shadow_table.c: writing shadow entries and deriving them from guest PTEs.
 *
 * shadow_set_entry() is the only writer of shadow tables. It keeps the
 * reference counts of shadow pages and the reverse map of guest frames exact
 * (shadow-private.h invariants) and frees a shadow page when its last
 * reference goes. The derivation rules ("propagation") are:
 *
 *  - guest entry invalid or malformed                    -> empty;
 *  - guest non-leaf at level L -> the SH_GUEST page (child gfn, L-1), linked
 *    lazily: an existing link is kept if it still matches, otherwise the
 *    entry is emptied and the next fault links it;
 *  - guest leaf at level L > 0 (superpage) -> the SH_SPLINTER page
 *    (base gfn, L-1, flags), linked lazily the same way;
 *  - guest leaf at level 0, or a splinter's entry -> a shadow leaf:
 *      present  iff guest V and A, and the p2m maps the frame (readable type);
 *      R X U G  as the guest's;
 *      W        iff guest W and D, the p2m type is writable, and the frame is
 *               not an in-sync guest page table;
 *      A D      always set, so the hart never writes shadow entries.
 *    A clear guest A (or D) therefore faults on first access (or write), and
 *    the fault handler sets it in the guest PTE, as the hart does under HAP.
 * Callers hold the paging lock.
 */
#include "shadow-private.h"

static void sh_link(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                    uint64_t val, uint64_t leaf_gfn)
{
    if (sp->level > 0) {
        struct shadow_page *child = sh_from_smfn(_mfn(pte_ppn(val)));

        child->refs++;
        if (sh_refvec_add(&child->parents, sp, idx))
            panic("shadow_set_entry: host out of memory (parents)");
    } else {
        struct sh_gfn *g = sh_gfn_get(sd, leaf_gfn);

        if (!g || sh_refvec_add(&g->rmap, sp, idx))
            panic("shadow_set_entry: host out of memory (rmap)");
        sp->leaf_gfn[idx] = leaf_gfn;
    }
}

static void sh_unlink(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                      uint64_t old, uint64_t old_gfn)
{
    if (sp->level > 0) {
        struct shadow_page *child = sh_from_smfn(_mfn(pte_ppn(old)));

        sh_refvec_del(&child->parents, sp, idx);
        sh_unref(sd, child);
    } else {
        struct sh_gfn *g = sh_gfn_find(sd, old_gfn);

        BUG_ON(!g);
        sh_refvec_del(&g->rmap, sp, idx);
        sh_gfn_maybe_free(sd, g);
    }
}

/*
 * Set entry idx of shadow page sp to val. At level 0, leaf_gfn is the guest
 * frame a present val maps; at higher levels a present val must point at a
 * shadow page. The new target is referenced before the old one is released,
 * so rewriting an entry with the same child never frees it.
 */
void shadow_set_entry(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                      uint64_t val, uint64_t leaf_gfn)
{
    maddr_t ma = sh_entry_ma(sp->smfn, idx);
    uint64_t old = sh_read(sd, ma);
    uint64_t old_gfn = sp->level == 0 ? sp->leaf_gfn[idx] : 0;

    if (old == val && (!(val & PTE_V) || sp->level > 0 || old_gfn == leaf_gfn))
        return;
    if (val & PTE_V)
        sh_link(sd, sp, idx, val, leaf_gfn);
    sh_write(sd, ma, val);
    if (old & PTE_V) {
        if (sp->level == 0 && (val & PTE_V) && old_gfn == leaf_gfn) {
            /* same frame: the rmap already holds (sp, idx) once too many */
            sh_refvec_del(&sh_gfn_find(sd, leaf_gfn)->rmap, sp, idx);
        } else {
            sh_unlink(sd, sp, idx, old, old_gfn);
        }
    }
    if (sp->level == 0 && !(val & PTE_V))
        sp->leaf_gfn[idx] = 0;
}

/* Drop one reference; free sp (and what only it referenced) at zero. */
void sh_unref(struct shadow_domain *sd, struct shadow_page *sp)
{
    BUG_ON(sp->refs == 0);
    if (--sp->refs == 0)
        sh_free_page(sp, sd);
}

/* Empty every entry of an unreferenced page, then return it to the pool. O(512). */
void sh_free_page(struct shadow_page *sp, struct shadow_domain *sd)
{
    for (unsigned i = 0; i < SH_ENTRIES; i++)
        if (sh_get_entry(sd, sp, i) & PTE_V)
            shadow_set_entry(sd, sp, i, 0, 0);
    sh_destroy(sd, sp);
}

/* Is gfn a guest page table whose writes must trap (shadowed and in sync)? */
bool sh_is_protected_table(struct shadow_domain *sd, uint64_t gfn)
{
    struct sh_gfn *g = sh_gfn_find(sd, gfn);

    return g && g->levels && g->oos < 0;
}

/*
 * The shadow leaf for guest frame gfn mapped with guest flag bits gflags
 * (rules above). Returns 0 when the access must fault.
 */
uint64_t sh_leaf_from_guest(struct shadow_domain *sd, uint64_t gfn, uint64_t gflags)
{
    uint64_t perms = gflags & (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G);
    p2m_type_t t;
    mfn_t mfn;

    if (!(gflags & PTE_V) || !(gflags & PTE_A))
        return 0;
    mfn = sh_p2m_lookup(sd, gfn, &t);
    if (!mfn_valid_value(mfn))
        return 0;
    if (!(gflags & PTE_D) || !sh_p2m_type_writable(t) || sh_is_protected_table(sd, gfn))
        perms &= ~PTE_W;
    return pte_make(mfn_x(mfn), perms | PTE_V | PTE_A | PTE_D);
}

/* Does the present non-leaf entry cur still match guest entry gpte at sp's level? */
static bool sh_link_matches(const struct shadow_page *sp, uint64_t cur, uint64_t gpte)
{
    struct shadow_page *child;

    if (!(cur & PTE_V))
        return false;
    child = sh_from_smfn(_mfn(pte_ppn(cur)));
    if (child->level != sp->level - 1 || child->gfn != pte_ppn(gpte))
        return false;
    if (pte_is_leaf(gpte))
        return child->kind == SH_SPLINTER && child->flags == (gpte & SH_FLAG_MASK);
    return child->kind == SH_GUEST && (cur & PTE_G) == (gpte & PTE_G);
}

/*
 * Recompute entry idx of SH_GUEST page sp from the guest PTE gpte (the
 * current value of entry idx of guest frame sp->gfn). For an out-of-sync
 * frame the snapshot records gpte too (OOS rule 5): the snapshot always
 * holds the guest values its shadow entries were derived from.
 */
void sh_validate_gentry(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                        uint64_t gpte)
{
    uint64_t val = 0, gfn = 0;

    if (sp->level == 0) {
        const struct sh_gfn *g = sh_gfn_find(sd, sp->gfn);

        if (g && g->oos >= 0)
            sh_write(sd, sh_entry_ma(sd->oos[g->oos].snapshot, idx), gpte);
    }

    if ((gpte & PTE_V) && !sh_gpte_bad(gpte)) {
        if (sp->level == 0) {
            if (pte_is_leaf(gpte)) {
                gfn = pte_ppn(gpte);
                val = sh_leaf_from_guest(sd, gfn, gpte & SH_FLAG_MASK);
            }
        } else {
            uint64_t cur = sh_get_entry(sd, sp, idx);

            if (sh_link_matches(sp, cur, gpte))
                val = cur;
        }
    }
    shadow_set_entry(sd, sp, idx, val, gfn);
}

/* Recompute leaf entry idx of a level-0 shadow page from its source. */
void sh_revalidate_leaf(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx)
{
    maddr_t ma;

    BUG_ON(sp->level != 0);
    if (sp->kind == SH_SPLINTER) {
        uint64_t gfn = sp->gfn + idx;

        shadow_set_entry(sd, sp, idx, sh_leaf_from_guest(sd, gfn, sp->flags), gfn);
        return;
    }
    if (!sh_guest_table_ma(sd, sp->gfn, &ma)) {
        shadow_set_entry(sd, sp, idx, 0, 0);
        return;
    }
    sh_validate_gentry(sd, sp, idx, sh_read(sd, _maddr(maddr_x(ma) + 8ULL * idx)));
}
