/*
 * p2m-private.h: what the files of the p2m share (p2m.c: updates and
 * lookups; p2m_pod.c: populate-on-demand and translation; p2m_walk.c:
 * iteration and audit). Private to xen/mm.
 * Invariant: every function here expects p2m->lock held, except
 * p2m_finish_update, which expects it dropped.
 */
#ifndef XEN_MM_P2M_PRIVATE_H
#define XEN_MM_P2M_PRIVATE_H

#include "p2m-pte.h"
#include "umbra/domain.h"
#include "umbra/mm.h"

#define ENTRIES_PER_TABLE 512
#define P2M_ROOT_ORDER 2             /* 16 KiB root: 4 frames */
#define P2M_MAX_FREED 8

/* What one update leaves to do once the lock is dropped. */
struct p2m_update {
    bool flush;
    unsigned nr_freed;
    mfn_t freed[P2M_MAX_FREED];
};

static inline uint64_t entries_at(unsigned level)
{
    return 1ULL << (9 * level);
}

static inline maddr_t entry_addr(mfn_t table, const struct pt_format *f, unsigned level,
                                 uint64_t gpa)
{
    return _maddr(maddr_x(mfn_to_maddr(table)) + 8ULL * pt_index(f, level, gpa));
}

static inline struct page_info *table_page(mfn_t table)
{
    return mfn_to_page(table);
}

/* Has p2m_init succeeded (and p2m_teardown not yet run)? A zeroed p2m is not ready. */
static inline bool p2m_ready(const struct p2m_domain *p2m)
{
    return p2m->fmt != NULL && mfn_valid(p2m->root);
}

static inline domid_t p2m_owner(const struct p2m_domain *p2m)
{
    return p2m->domain->domain_id;
}

/* Write the level-`target` entry for gpa to `new`; records follow-up work in *u. */
int p2m_set_entry_locked(struct p2m_domain *p2m, uint64_t gpa, unsigned target, uint64_t new,
                         struct p2m_update *u);
/* After dropping the lock: the TLB shootdown, then freeing unlinked tables. */
void p2m_finish_update(struct p2m_domain *p2m, gfn_t gfn, unsigned order, struct p2m_update *u);
/* The leaf or empty entry covering gpa and its level. */
uint64_t p2m_lookup_locked(struct p2m_domain *p2m, uint64_t gpa, unsigned *level_out,
                           uint64_t *refs);
/* Present and PoD 4 KiB-equivalents under a level-`level` entry. */
void p2m_count_subtree(uint64_t pte, unsigned level, uint64_t *present, uint64_t *pod);

#endif
