/*
 * p2m_walk.c: whole-table traversals of a p2m: visiting every entry
 * (p2m_for_each, how a domain's RAM is found at destroy time) and the
 * consistency audit used by tests and debug checks. Both hold the p2m lock
 * for the whole traversal: O(table frames x 512).
 */
#include <errno.h>

#include "p2m-private.h"
#include "umbra/bug.h"

/* Visit the leaves under a level-`level` entry covering gfn base. */
static int visit(uint64_t pte, unsigned level, uint64_t gfn, p2m_visit_fn fn, void *arg)
{
    if (pte == 0)
        return 0;
    if (p2m_pte_is_table(pte)) {
        const uint64_t *e = mfn_to_virt(_mfn(pte_ppn(pte)));

        for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
            int rc = visit(e[i], level - 1, gfn + i * entries_at(level - 1), fn, arg);
            if (rc)
                return rc;
        }
        return 0;
    }
    return fn(_gfn(gfn), p2m_pte_present(pte) ? _mfn(pte_ppn(pte)) : INVALID_MFN,
              9 * level, p2m_pte_type(pte), arg);
}

int p2m_for_each(struct p2m_domain *p2m, p2m_visit_fn fn, void *arg)
{
    const struct pt_format *f = p2m->fmt;
    const uint64_t *root;
    int rc = 0;

    if (!p2m_ready(p2m))
        return 0;
    lock_take(&p2m->lock);
    root = mfn_to_virt(p2m->root);
    for (unsigned i = 0; i < (1U << f->root_index_bits) && rc == 0; i++)
        rc = visit(root[i], f->levels - 1, i * entries_at(f->levels - 1), fn, arg);
    lock_release(&p2m->lock);
    return rc;
}

/* Recount a subtree: tables, present and PoD entries; check each table's count. */
static int audit_subtree(const struct p2m_domain *p2m, uint64_t pte, unsigned level,
                         uint64_t *tables)
{
    const uint64_t *e;
    const struct page_info *pg;
    uint64_t nonzero = 0;

    if (!p2m_pte_is_table(pte))
        return 0;
    if (level == 0)
        return -EIO;
    pg = table_page(_mfn(pte_ppn(pte)));
    if (pg->type != PGT_p2m || pg->owner != p2m_owner(p2m))
        return -EIO;
    (*tables)++;
    e = mfn_to_virt(_mfn(pte_ppn(pte)));
    for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
        if (e[i] == 0)
            continue;
        nonzero++;
        if (audit_subtree(p2m, e[i], level - 1, tables) < 0)
            return -EIO;
    }
    return nonzero == pg->aux && nonzero != 0 ? 0 : -EIO;
}

int p2m_audit(struct p2m_domain *p2m)
{
    const struct pt_format *f = p2m->fmt;
    unsigned top;
    const uint64_t *root;
    uint64_t tables = 1ULL << P2M_ROOT_ORDER, present = 0, pod = 0;
    int rc = 0;

    if (!p2m_ready(p2m))
        return 0;
    top = f->levels - 1;
    lock_take(&p2m->lock);
    root = mfn_to_virt(p2m->root);
    for (unsigned i = 0; i < (1U << f->root_index_bits) && rc == 0; i++) {
        rc = audit_subtree(p2m, root[i], top, &tables);
        p2m_count_subtree(root[i], top, &present, &pod);
    }
    if (rc == 0 && (tables != p2m->nr_table_frames || present != p2m->nr_entries ||
                    pod != p2m->pod_entries))
        rc = -EIO;
    lock_release(&p2m->lock);
    return rc;
}
