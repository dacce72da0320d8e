/*
 * shadow_check.c: the invariant checker (debug builds and tests, after every
 * exit the mode handles; shadow_check() on demand).
 *
 * For every shadow page and every present entry it recomputes, from the
 * current guest PTE and p2m entry and independently of the fill code, what
 * the entry may be:
 *  - level > 0: a link to the shadow page whose key the guest entry (or the
 *    splinter's geometry) names, with the guest's G bit and no other flags;
 *  - level 0: the frame the p2m gives for the guest frame (never a frame the
 *    p2m does not give the domain), R X U G exactly the guest's, W only if
 *    the guest grants W and D, the p2m type is writable and the frame is not
 *    an in-sync page table; the guest's A set; the reverse map consistent.
 * Leaf shadows of out-of-sync guest tables are compared with the snapshot
 * taken when they went out of sync, as updated by fills (OOS 5). It also
 * checks reference counts. Each disagreement prints one line naming the
 * shadow frame, guest frame, level, index and values. O(shadow pages x 512).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "shadow-private.h"

#define SH_CHECK_MAX_REPORTS 20

struct sh_checker {
    struct shadow_domain *sd;
    unsigned errors;
};

static void sh_report(struct sh_checker *c, const struct shadow_page *sp, unsigned idx,
                      uint64_t entry, uint64_t gpte, const char *why)
{
    if (c->errors++ < SH_CHECK_MAX_REPORTS)
        fprintf(stderr,
                "shadow_check: d%u %s shadow smfn %#" PRIx64 " (gfn %#" PRIx64 " L%u flags %#"
                PRIx64 ") entry %u = %#" PRIx64 ": %s (guest pte %#" PRIx64 ")\n",
                c->sd->d->domain_id, sp->kind == SH_GUEST ? "guest" : "splinter",
                mfn_x(sp->smfn), sp->gfn, sp->level, sp->flags, idx, entry, why, gpte);
}

/*
 * The guest PTE idx of table frame gfn, or false if the p2m does not map it.
 * For an out-of-sync frame: the snapshot's value (OOS rule 5).
 */
static bool sh_check_gpte(struct shadow_domain *sd, uint64_t gfn, unsigned idx, uint64_t *pte)
{
    const struct sh_gfn *g = sh_gfn_find(sd, gfn);
    maddr_t ma;

    if (g && g->oos >= 0) {
        *pte = sh_read(sd, sh_entry_ma(sd->oos[g->oos].snapshot, idx));
        return true;
    }
    if (!sh_guest_table_ma(sd, gfn, &ma))
        return false;
    *pte = sh_read(sd, _maddr(maddr_x(ma) + 8ULL * idx));
    return true;
}

static void sh_check_link(struct sh_checker *c, const struct shadow_page *sp, unsigned idx,
                          uint64_t e)
{
    struct page_info *pg = mfn_to_page(_mfn(pte_ppn(e)));
    const struct shadow_page *child = (const struct shadow_page *)(uintptr_t)pg->aux;
    uint64_t gpte = 0, want_gfn, want_flags = 0, want_g = 0;
    enum sh_kind want_kind = SH_SPLINTER;

    if (pg->type != PGT_shadow || !child || !mfn_eq(child->smfn, _mfn(pte_ppn(e)))) {
        sh_report(c, sp, idx, e, 0, "non-leaf entry points at a frame that is not a shadow page");
        return;
    }
    if (e & ~(PTE_PPN_MASK | PTE_V | PTE_G))
        sh_report(c, sp, idx, e, 0, "non-leaf entry carries flags");
    if (sp->kind == SH_SPLINTER) {
        want_gfn = sp->gfn + idx * sh_level_frames(sp->level);
        want_flags = sp->flags;
    } else {
        if (!sh_check_gpte(c->sd, sp->gfn, idx, &gpte)) {
            sh_report(c, sp, idx, e, 0, "guest table frame no longer in the p2m");
            return;
        }
        if (!(gpte & PTE_V) || sh_gpte_bad(gpte)) {
            sh_report(c, sp, idx, e, gpte, "present link for an invalid guest entry");
            return;
        }
        want_gfn = pte_ppn(gpte);
        if (pte_is_leaf(gpte)) {
            want_flags = gpte & SH_FLAG_MASK;
            if (want_gfn & (sh_level_frames(sp->level) - 1))
                sh_report(c, sp, idx, e, gpte, "link for a misaligned guest superpage");
        } else {
            want_kind = SH_GUEST;
            want_g = gpte & PTE_G;
        }
    }
    if (child->kind != want_kind || child->gfn != want_gfn || child->flags != want_flags ||
        child->level != sp->level - 1 || (e & PTE_G) != want_g)
        sh_report(c, sp, idx, e, gpte, "link to the wrong shadow page");
}

static void sh_check_leaf(struct sh_checker *c, const struct shadow_page *sp, unsigned idx,
                          uint64_t e)
{
    struct shadow_domain *sd = c->sd;
    uint64_t gpte = 0, gfn, flags, perms = PTE_R | PTE_X | PTE_U | PTE_G;
    p2m_type_t t;
    mfn_t mfn;

    if (sp->kind == SH_SPLINTER) {
        gfn = sp->gfn + idx;
        flags = sp->flags;
    } else {
        if (!sh_check_gpte(sd, sp->gfn, idx, &gpte)) {
            sh_report(c, sp, idx, e, 0, "guest table frame no longer in the p2m");
            return;
        }
        if (!(gpte & PTE_V) || sh_gpte_bad(gpte) || !pte_is_leaf(gpte)) {
            sh_report(c, sp, idx, e, gpte, "present leaf for an invalid guest entry");
            return;
        }
        gfn = pte_ppn(gpte);
        flags = gpte & SH_FLAG_MASK;
    }
    if (!(flags & PTE_A))
        sh_report(c, sp, idx, e, gpte, "present although the guest's A bit is clear");
    mfn = sh_p2m_lookup(sd, gfn, &t);
    if (!mfn_valid_value(mfn) || pte_ppn(e) != mfn_x(mfn))
        sh_report(c, sp, idx, e, gpte, "maps a frame the p2m does not give for the guest frame");
    if ((e & perms) != (flags & perms))
        sh_report(c, sp, idx, e, gpte, "R/X/U/G differ from the guest's");
    if ((e & PTE_W) && (!(flags & PTE_W) || !(flags & PTE_D) || !sh_p2m_type_writable(t) ||
                        sh_is_protected_table(sd, gfn)))
        sh_report(c, sp, idx, e, gpte, "writable although guest D/W, p2m or write protection forbid");
    if ((e & (PTE_A | PTE_D)) != (PTE_A | PTE_D) || (e & PTE_RESERVED_MASK))
        sh_report(c, sp, idx, e, gpte, "A/D not preset or reserved bits set");
    if (sp->leaf_gfn[idx] != gfn)
        sh_report(c, sp, idx, e, gpte, "reverse-map gfn differs from the guest frame");
}

static void sh_check_page(struct sh_checker *c, const struct shadow_page *sp)
{
    struct shadow_domain *sd = c->sd;
    unsigned pins = 0;

    for (int i = 0; i < sd->nr_tops; i++)
        pins += sd->tops[i].valid && sd->tops[i].sp == sp;
    if (sp->refs != sp->parents.n + pins)
        sh_report(c, sp, 0, 0, 0, "reference count differs from parents + pins");
    for (unsigned i = 0; i < SH_ENTRIES; i++) {
        uint64_t e = sh_get_entry(sd, sp, i);

        if (!(e & PTE_V))
            continue;
        if (sp->level > 0)
            sh_check_link(c, sp, i, e);
        else
            sh_check_leaf(c, sp, i, e);
    }
}

/* Check every shadow page of sd (paging lock held). Returns 0 or -EIO. */
int sh_check(struct shadow_domain *sd)
{
    struct sh_checker c = { sd, 0 };

    for (unsigned b = 0; b < SH_HASH_BUCKETS; b++)
        for (const struct shadow_page *sp = sd->hash[b]; sp; sp = sp->hash_next)
            sh_check_page(&c, sp);
    if (c.errors > SH_CHECK_MAX_REPORTS)
        fprintf(stderr, "shadow_check: d%u: %u more disagreements\n", sd->d->domain_id,
                c.errors - SH_CHECK_MAX_REPORTS);
    return c.errors ? -EIO : 0;
}
