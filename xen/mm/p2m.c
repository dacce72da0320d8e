/*
 * p2m.c: the physical-to-machine map of a domain as real Sv39x4/Sv48x4
 * G-stage tables in machine memory (encoding: p2m-pte.h, docs/memory.md).
 *
 * One walker loops over the levels of p2m->fmt (STYLE.md habit 7). Leaves
 * live at level 0 (4 KiB) or level 1 (2 MiB superpages, when
 * p2m->superpages). Updating one 4 KiB entry under a 2 MiB leaf first
 * splits the leaf into a table of 512 equivalent entries.
 *
 * Invariants (under p2m->lock, lock-order.h level 50):
 *  - every table frame is owned by the domain with type PGT_p2m, and its
 *    page_info.aux counts its non-zero entries (the root's count, kept in
 *    its first frame, is not used); a table whose count drops to 0 is
 *    unlinked and freed (never the root);
 *  - nr_table_frames counts every table frame, the 4 root frames included;
 *    nr_entries counts present 4 KiB-equivalents; pod_entries counts
 *    populate_on_demand 4 KiB-equivalents;
 *  - a PTE is written with one atomic store, after the table it points to
 *    is complete, so the hart walking concurrently sees old or new, never a
 *    half-built table;
 *  - TLB SHOOTDOWN: when an update takes a present entry away, points it
 *    at another frame, or takes away write permission, p2m->flush(d, gfn,
 *    order) runs before p2m_set_entry returns, and only after the p2m lock
 *    is dropped; table frames unlinked by the update are freed only after
 *    that flush, so no vCPU can still walk them.
 */
#include <errno.h>
#include <string.h>

#include "mm-private.h"
#include "p2m-private.h"
#include "umbra/bug.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"


static const char *const type_names[p2m_nr_types] = {
    [p2m_invalid] = "invalid",
    [p2m_ram_rw] = "ram_rw",
    [p2m_ram_ro] = "ram_ro",
    [p2m_ram_shared] = "ram_shared",
    [p2m_ram_logdirty] = "ram_logdirty",
    [p2m_ram_paged_out] = "paged_out",
    [p2m_populate_on_demand] = "populate_on_demand",
    [p2m_grant_map_rw] = "grant_map_rw",
    [p2m_grant_map_ro] = "grant_map_ro",
};

const char *p2m_type_name(p2m_type_t t)
{
    return (unsigned)t < p2m_nr_types ? type_names[t] : "unknown";
}

bool p2m_is_readable(p2m_type_t t)
{
    return p2m_type_is_present(t);
}

bool p2m_is_writable(p2m_type_t t)
{
    return t == p2m_ram_rw;
}

/* Types p2m_set_entry accepts today; the others wait for their users. */
static bool type_supported(p2m_type_t t)
{
    return t == p2m_invalid || t == p2m_ram_rw || t == p2m_ram_ro ||
           t == p2m_ram_shared || t == p2m_populate_on_demand;
}


static void defer_free(struct p2m_update *u, mfn_t table)
{
    BUG_ON(u->nr_freed == P2M_MAX_FREED);
    u->freed[u->nr_freed++] = table;
}


/* Allocate an empty table (owner's PGT_p2m). Returns INVALID_MFN on -ENOMEM. */
static mfn_t table_alloc(struct p2m_domain *p2m)
{
    mfn_t t = alloc_frames(0, p2m_owner(p2m), PGT_p2m);

    if (mfn_valid_value(t)) {
        table_page(t)->aux = 0;
        p2m->nr_table_frames++;
    }
    return t;
}

/* The child entry i of a level-`level` leaf when it is split one level down. */
static uint64_t split_child(uint64_t leaf, unsigned level, unsigned i)
{
    if (!p2m_pte_present(leaf))
        return leaf;
    return leaf + (((uint64_t)i * entries_at(level - 1)) << PTE_PPN_SHIFT);
}

/*
 * Follow the entry at `slot` (in table `holder`, at `level` > 0) one level
 * down, into *next. An empty entry gets a new table when `alloc`, else
 * -ENOENT. A leaf (present or not) is split into a full table first.
 * Returns 0, -ENOENT or -ENOMEM. Caller holds p2m->lock.
 */
static int next_level(struct p2m_domain *p2m, maddr_t slot, mfn_t holder, unsigned level,
                      bool alloc, mfn_t *next)
{
    uint64_t pte = mm_read64(slot, NULL);
    mfn_t t;

    if (p2m_pte_is_table(pte)) {
        *next = _mfn(pte_ppn(pte));
        return 0;
    }
    if (pte == 0 && !alloc)
        return -ENOENT;
    t = table_alloc(p2m);
    if (!mfn_valid_value(t))
        return -ENOMEM;
    if (pte != 0) {
        uint64_t *e = mfn_to_virt(t);

        for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
            e[i] = split_child(pte, level, i);
        table_page(t)->aux = ENTRIES_PER_TABLE;
    } else {
        table_page(holder)->aux++;
    }
    /* The table is complete: publish it with one store (release). */
    mm_write64(slot, pte_make(mfn_x(t), PTE_V), NULL);
    *next = t;
    return 0;
}

/* Present and PoD 4 KiB-equivalents under a level-`level` entry. O(subtree). */
void p2m_count_subtree(uint64_t pte, unsigned level, uint64_t *present, uint64_t *pod)
{
    if (pte == 0)
        return;
    if (!p2m_pte_is_table(pte)) {
        if (p2m_pte_present(pte))
            *present += entries_at(level);
        else if (p2m_pte_type(pte) == p2m_populate_on_demand)
            *pod += entries_at(level);
        return;
    }
    BUG_ON(level == 0);
    {
        const uint64_t *e = mfn_to_virt(_mfn(pte_ppn(pte)));

        for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
            p2m_count_subtree(e[i], level - 1, present, pod);
    }
}

/* Queue every table frame under the table pointer `pte` for freeing. */
static void unlink_subtree(struct p2m_domain *p2m, uint64_t pte, unsigned level,
                           struct p2m_update *u)
{
    const uint64_t *e;

    if (!p2m_pte_is_table(pte))
        return;
    e = mfn_to_virt(_mfn(pte_ppn(pte)));
    for (unsigned i = 0; i < ENTRIES_PER_TABLE && level > 1; i++)
        unlink_subtree(p2m, e[i], level - 1, u);
    defer_free(u, _mfn(pte_ppn(pte)));
    p2m->nr_table_frames--;
}

/* Does replacing old by new leave a stale translation in some TLB? */
static bool needs_flush(uint64_t old, uint64_t new)
{
    if (!p2m_pte_present(old))
        return false;
    if (p2m_pte_is_table(old) || !p2m_pte_present(new))
        return true;
    if (pte_ppn(old) != pte_ppn(new))
        return true;
    return (old & PTE_W) && !(new & PTE_W);
}

/*
 * Write the level-`target` entry for gpa. Caller holds p2m->lock and has
 * validated everything. Records in *u what to do after the unlock.
 */
int p2m_set_entry_locked(struct p2m_domain *p2m, uint64_t gpa, unsigned target, uint64_t new,
                            struct p2m_update *u)
{
    const struct pt_format *f = p2m->fmt;
    const unsigned top = f->levels - 1;
    mfn_t table[4];
    maddr_t slot[4];
    uint64_t old, present = 0, pod = 0;
    int rc = 0;

    table[top] = p2m->root;
    for (unsigned level = top; level > target; level--) {
        slot[level] = entry_addr(table[level], f, level, gpa);
        rc = next_level(p2m, slot[level], table[level], level, new != 0, &table[level - 1]);
        if (rc == -ENOENT)        /* clearing what was never mapped */
            return 0;
        if (rc < 0)
            return rc;
    }
    slot[target] = entry_addr(table[target], f, target, gpa);
    old = mm_read64(slot[target], NULL);
    if (old == new)
        return 0;

    p2m_count_subtree(old, target, &present, &pod);
    p2m->nr_entries -= present;
    p2m->pod_entries -= pod;
    unlink_subtree(p2m, old, target, u);

    mm_write64(slot[target], new, NULL);   /* the one store the hart sees */

    if (p2m_pte_present(new))
        p2m->nr_entries += entries_at(target);
    else if (p2m_pte_type(new) == p2m_populate_on_demand)
        p2m->pod_entries += entries_at(target);
    if (new && (gpa >> PAGE_SHIFT) + entries_at(target) > p2m->max_gfn)
        p2m->max_gfn = (gpa >> PAGE_SHIFT) + entries_at(target);
    u->flush |= needs_flush(old, new);

    if (old == 0) {
        table_page(table[target])->aux++;
        return 0;
    }
    if (new != 0)
        return 0;
    /* The entry emptied: free tables that became empty, bottom up (never the root). */
    for (unsigned level = target; level < top; level++) {
        struct page_info *pg = table_page(table[level]);

        BUG_ON(pg->aux == 0);
        if (--pg->aux != 0)
            break;
        mm_write64(slot[level + 1], 0, NULL);
        defer_free(u, table[level]);
        p2m->nr_table_frames--;
        u->flush = true;   /* the hart may cache the unlinked table's entries */
    }
    return 0;
}

/* The domain-visible part of an update: flush, then free the unlinked tables. */
void p2m_finish_update(struct p2m_domain *p2m, gfn_t gfn, unsigned order, struct p2m_update *u)
{
    /* TLB SHOOTDOWN INVARIANT: present->absent, remap and rw->ro changes are
     * flushed from every vCPU of the domain here, before the caller can rely
     * on them and before any unlinked table frame is reused. */
    if (u->flush && p2m->flush)
        p2m->flush(p2m->domain, gfn, order);
    for (unsigned i = 0; i < u->nr_freed; i++)
        free_frames(u->freed[i], 0);
}

static int check_frames(const struct p2m_domain *p2m, mfn_t mfn, unsigned order, p2m_type_t t)
{
    domid_t want = t == p2m_ram_shared ? DOMID_COW : p2m_owner(p2m);

    if (!mfn_valid(mfn) || !mfn_valid(_mfn(mfn_x(mfn) + (1ULL << order) - 1)))
        return -EINVAL;
    for (uint64_t i = 0; i < (1ULL << order); i++) {
        const struct page_info *pg = mfn_to_page(_mfn(mfn_x(mfn) + i));

        if (pg->type == PGT_free || pg->owner != want)
            return -EINVAL;
    }
    return 0;
}

/*
 * Map 2^order frames (order 0 or 9) at gfn to mfn with type t; p2m_invalid
 * unmaps, populate_on_demand marks the range for population at first touch
 * (mfn ignored for both). ram_rw/ram_ro frames must be allocated to the
 * p2m's domain, ram_shared frames to DOMID_COW: a p2m never maps another
 * domain's frame. Without p2m->superpages an order-9 request becomes 512
 * 4 KiB entries. Returns 0, -EINVAL or -ENOMEM (then nothing changed).
 * Takes p2m->lock; calls p2m->flush after dropping it (see the invariant
 * at the top), so the caller must hold no lock a flushing vCPU may need.
 */
int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t)
{
    struct p2m_update u = { 0 };
    uint64_t gpa = gfn_to_gaddr(gfn);
    bool split = order == 9 && !p2m->superpages;
    int rc = 0;

    if (!p2m_ready(p2m) || (order != 0 && order != 9) || (unsigned)t >= p2m_nr_types ||
        !type_supported(t))
        return -EINVAL;
    if (gfn_x(gfn) & ((1ULL << order) - 1) || gpa >> p2m->fmt->va_bits)
        return -EINVAL;
    if (p2m_type_is_present(t)) {
        if (mfn_x(mfn) & ((1ULL << order) - 1))
            return -EINVAL;
        rc = check_frames(p2m, mfn, order, t);
        if (rc < 0)
            return rc;
    }

    lock_take(&p2m->lock);
    if (!split) {
        rc = p2m_set_entry_locked(p2m, gpa, order / 9, p2m_pte_encode(t, mfn), &u);
    } else {
        /* The first 4 KiB entry allocates the one table the range needs, so
         * a failure can only happen before anything changed. */
        for (unsigned i = 0; i < ENTRIES_PER_TABLE && rc == 0; i++) {
            mfn_t m = p2m_type_is_present(t) ? _mfn(mfn_x(mfn) + i) : mfn;

            rc = p2m_set_entry_locked(p2m, gpa + ((uint64_t)i << PAGE_SHIFT), 0,
                                  p2m_pte_encode(t, m), &u);
            BUG_ON(rc < 0 && i > 0);
        }
    }
    lock_release(&p2m->lock);
    p2m_finish_update(p2m, gfn, order, &u);
    return rc;
}

/*
 * The leaf entry (or empty entry) covering gpa, and its level. Caller holds
 * p2m->lock and has checked gpa against the format's width.
 */
uint64_t p2m_lookup_locked(struct p2m_domain *p2m, uint64_t gpa, unsigned *level_out,
                              uint64_t *refs)
{
    const struct pt_format *f = p2m->fmt;
    mfn_t table = p2m->root;
    unsigned level = f->levels - 1;
    uint64_t pte;

    ASSERT(lock_held_by_me(&p2m->lock));
    for (;;) {
        pte = mm_read64(entry_addr(table, f, level, gpa), refs);
        if (!p2m_pte_is_table(pte))
            break;
        if (level == 0)
            panic("p2m_lookup_locked: table pointer at level 0 (gpa %#llx)",
                  (unsigned long long)gpa);
        table = _mfn(pte_ppn(pte));
        level--;
    }
    *level_out = level;
    return pte;
}

mfn_t p2m_get_entry_counted(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                            unsigned *order, uint64_t *refs)
{
    uint64_t gpa = gfn_to_gaddr(gfn), pte = 0;
    mfn_t mfn = INVALID_MFN;
    unsigned level = 0;

    if (!p2m_ready(p2m) || gpa >> p2m->fmt->va_bits)
        goto out;
    lock_take(&p2m->lock);
    pte = p2m_lookup_locked(p2m, gpa, &level, refs);
    lock_release(&p2m->lock);
    if (p2m_pte_present(pte))
        mfn = _mfn(pte_ppn(pte) + (gfn_x(gfn) & (entries_at(level) - 1)));
out:
    if (t)
        *t = p2m_pte_type(pte);
    if (order)
        *order = 9 * level;
    return mfn;
}

mfn_t p2m_get_entry(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, unsigned *order)
{
    return p2m_get_entry_counted(p2m, gfn, t, order, NULL);
}

int p2m_init(struct p2m_domain *p2m, struct domain *d, enum pt_format_id fmt, bool superpages)
{
    if (fmt != PT_SV39X4 && fmt != PT_SV48X4)
        return -EINVAL;
    memset(p2m, 0, sizeof(*p2m));
    p2m->domain = d;
    p2m->fmt = pt_format_get(fmt);
    p2m->superpages = superpages;
    p2m->root = alloc_frames(P2M_ROOT_ORDER, d->domain_id, PGT_p2m);
    if (!mfn_valid_value(p2m->root))
        return -ENOMEM;
    p2m->nr_table_frames = 1ULL << P2M_ROOT_ORDER;
    lock_init(&p2m->lock, "p2m", LOCK_LEVEL_P2M);
    return 0;
}

/* Free the table frames under a table pointer, bottom up. */
static void free_subtree(uint64_t pte, unsigned level)
{
    const uint64_t *e;

    if (!p2m_pte_is_table(pte))
        return;
    e = mfn_to_virt(_mfn(pte_ppn(pte)));
    for (unsigned i = 0; i < ENTRIES_PER_TABLE && level > 1; i++)
        free_subtree(e[i], level - 1);
    table_page(_mfn(pte_ppn(pte)))->aux = 0;
    free_frames(_mfn(pte_ppn(pte)), 0);
}

void p2m_teardown(struct p2m_domain *p2m)
{
    const struct pt_format *f = p2m->fmt;
    const uint64_t *root;

    if (!p2m_ready(p2m))
        return;
    root = mfn_to_virt(p2m->root);
    for (unsigned i = 0; i < (1U << f->root_index_bits); i++)
        free_subtree(root[i], f->levels - 1);
    table_page(p2m->root)->aux = 0;
    free_frames(p2m->root, P2M_ROOT_ORDER);
    lock_destroy(&p2m->lock);
    p2m->root = INVALID_MFN;
    p2m->nr_table_frames = 0;
    p2m->nr_entries = 0;
    p2m->pod_entries = 0;
}

uint64_t p2m_hgatp(const struct p2m_domain *p2m, uint16_t vmid)
{
    uint64_t mode = p2m->fmt->levels == 3 ? HGATP_MODE_SV39X4 : HGATP_MODE_SV48X4;

    return (mode << HGATP_MODE_SHIFT) |
           (((uint64_t)vmid << HGATP_VMID_SHIFT) & HGATP_VMID_MASK) |
           (mfn_x(p2m->root) & HGATP_PPN_MASK);
}
