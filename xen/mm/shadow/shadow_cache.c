/*
 * shadow_cache.c: finding shadow state. Three lookups live here:
 *  - the hash of shadow pages, keyed by (kind, gfn, level, flags), so a
 *    guest table shadowed once is shared by every shadow tree that reaches it;
 *  - the guest-frame side table (struct sh_gfn), keyed by gfn;
 *  - the cache of tops, keyed by (guest root GFN, ASID) (or physical mode),
 *    so a context switch back to a known address space reuses its shadow.
 *
 * Invariants: a key has at most one shadow page; a valid top pins its root
 * (one reference); a top that a vCPU runs on ("active") is never evicted.
 * Callers hold the paging lock. Lookups are O(1) expected (1024 buckets).
 */
#include <errno.h>
#include <stdlib.h>

#include "shadow-private.h"

static unsigned sh_hash(enum sh_kind kind, uint64_t gfn, unsigned level, uint64_t flags)
{
    uint64_t h = gfn * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)level << 3) ^ kind ^ (flags << 7);

    return (unsigned)((h ^ (h >> 29)) % SH_HASH_BUCKETS);
}

static unsigned sh_gfn_hash(uint64_t gfn)
{
    return (unsigned)((gfn * 0x9E3779B97F4A7C15ULL) >> 40) % SH_HASH_BUCKETS;
}

/* The shadow page for a key, or NULL. */
struct shadow_page *sh_lookup(struct shadow_domain *sd, enum sh_kind kind, uint64_t gfn,
                              unsigned level, uint64_t flags)
{
    struct shadow_page *sp = sd->hash[sh_hash(kind, gfn, level, flags)];

    for (; sp; sp = sp->hash_next)
        if (sp->kind == kind && sp->gfn == gfn && sp->level == level && sp->flags == flags)
            return sp;
    return NULL;
}

/* The metadata of a shadow frame (page_info.aux holds the pointer). */
struct shadow_page *sh_from_smfn(mfn_t smfn)
{
    struct page_info *pg = mfn_to_page(smfn);
    struct shadow_page *sp = (struct shadow_page *)(uintptr_t)pg->aux;

    if (pg->type != PGT_shadow || !sp || !mfn_eq(sp->smfn, smfn))
        panic("sh_from_smfn: frame %#llx is not a shadow page", (unsigned long long)mfn_x(smfn));
    return sp;
}

/*
 * Create the shadow page for a key that has none, with refs 0 and every entry
 * empty. For SH_GUEST, the guest frame becomes (or stays) a write-protected
 * table; an out-of-sync frame gets a second level only after a resync (OOS
 * rule 2). The caller has run sh_prealloc. Returns NULL on host OOM.
 */
struct shadow_page *sh_create(struct shadow_domain *sd, enum sh_kind kind, uint64_t gfn,
                              unsigned level, uint64_t flags)
{
    struct shadow_page *sp = calloc(1, sizeof(*sp));
    struct sh_gfn *g = NULL;
    unsigned b;

    if (!sp)
        return NULL;
    if (level == 0 && !(sp->leaf_gfn = calloc(SH_ENTRIES, sizeof(uint64_t))))
        goto fail;
    if (kind == SH_GUEST && !(g = sh_gfn_get(sd, gfn)))
        goto fail;
    if (g && g->oos >= 0)
        sh_oos_resync(sd, g);
    sp->kind = kind;
    sp->gfn = gfn;
    sp->level = level;
    sp->flags = flags;
    sp->smfn = sh_pool_take(sd);
    mfn_to_page(sp->smfn)->aux = (uint64_t)(uintptr_t)sp;
    b = sh_hash(kind, gfn, level, flags);
    sp->hash_next = sd->hash[b];
    sd->hash[b] = sp;
    if (g) {
        bool was_table = g->levels != 0;

        g->levels |= (uint8_t)(1u << level);
        if (!was_table)
            sh_protect_gfn(sd, gfn);
    }
    return sp;
fail:
    if (g)
        sh_gfn_maybe_free(sd, g);
    free(sp->leaf_gfn);
    free(sp);
    return NULL;
}

/*
 * Unhash and free a shadow page whose entries are all empty and whose refs
 * are 0 (sh_free_page in shadow_table.c empties it first).
 */
void sh_destroy(struct shadow_domain *sd, struct shadow_page *sp)
{
    struct shadow_page **pp = &sd->hash[sh_hash(sp->kind, sp->gfn, sp->level, sp->flags)];

    BUG_ON(sp->refs != 0 || sp->parents.n != 0);
    while (*pp != sp)
        pp = &(*pp)->hash_next;
    *pp = sp->hash_next;
    if (sp->kind == SH_GUEST) {
        struct sh_gfn *g = sh_gfn_find(sd, sp->gfn);

        BUG_ON(!g);
        g->levels &= (uint8_t)~(1u << sp->level);
        if (g->oos >= 0 && sp->level == 0)
            sh_oos_forget(sd, g);
        if (!g->levels)
            g->writes = g->zero_writes = 0;
        sh_gfn_maybe_free(sd, g);
    }
    sh_pool_put(sd, sp->smfn);
    sh_refvec_free(&sp->parents);
    free(sp->leaf_gfn);
    free(sp);
}

/* The side-table record of a guest frame, or NULL. */
struct sh_gfn *sh_gfn_find(struct shadow_domain *sd, uint64_t gfn)
{
    struct sh_gfn *g = sd->gfns[sh_gfn_hash(gfn)];

    for (; g; g = g->next)
        if (g->gfn == gfn)
            return g;
    return NULL;
}

/* The record of a guest frame, created empty if needed. NULL on host OOM. */
struct sh_gfn *sh_gfn_get(struct shadow_domain *sd, uint64_t gfn)
{
    struct sh_gfn *g = sh_gfn_find(sd, gfn);
    unsigned b = sh_gfn_hash(gfn);

    if (g)
        return g;
    g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->gfn = gfn;
    g->oos = -1;
    g->next = sd->gfns[b];
    sd->gfns[b] = g;
    return g;
}

/* Free a record that no longer says anything (no levels, no mappings, in sync). */
void sh_gfn_maybe_free(struct shadow_domain *sd, struct sh_gfn *g)
{
    struct sh_gfn **pp = &sd->gfns[sh_gfn_hash(g->gfn)];

    if (g->levels || g->rmap.n || g->oos >= 0)
        return;
    while (*pp != g)
        pp = &(*pp)->next;
    *pp = g->next;
    sh_refvec_free(&g->rmap);
    free(g);
}

/* Is top slot `slot` the current top of some vCPU? */
bool sh_top_active(const struct shadow_domain *sd, int slot)
{
    for (unsigned i = 0; i < sd->nr_vcpus; i++)
        if (sd->vcpus[i].top == slot)
            return true;
    return false;
}

/* Drop a top's pin; its tree is freed as far as nothing else shares it. */
void sh_top_unpin(struct shadow_domain *sd, int slot)
{
    struct sh_top *t = &sd->tops[slot];

    BUG_ON(!t->valid);
    t->valid = false;
    sh_unref(sd, t->sp);
    t->sp = NULL;
}

/* A free slot, evicting the least recently used inactive top. -1 if all active. */
static int sh_top_slot(struct shadow_domain *sd)
{
    int best = -1;

    for (int i = 0; i < sd->nr_tops; i++) {
        if (!sd->tops[i].valid)
            return i;
        if (sh_top_active(sd, i))
            continue;
        if (best < 0 || sd->tops[i].last_use < sd->tops[best].last_use)
            best = i;
    }
    if (best >= 0)
        sh_top_unpin(sd, best);
    return best;
}

/* The flags of the physical-mode "superpage" that covers all guest memory. */
#define SH_PHYS_FLAGS (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/*
 * The top for a guest satp value (Bare: the physical-mode shadow, in Sv39),
 * found in the cache or created and pinned. Returns the slot or -errno.
 * The caller has run sh_prealloc.
 */
int sh_top_get(struct shadow_domain *sd, uint64_t satp, unsigned vcpu_id)
{
    const struct pt_format *f = sh_satp_format(satp);
    bool phys = f == NULL;
    unsigned levels = phys ? pt_format_get(PT_SV39)->levels : f->levels;
    uint64_t root = phys ? 0 : (satp & SATP_PPN_MASK);
    uint16_t asid = (uint16_t)((satp & SATP_ASID_MASK) >> SATP_ASID_SHIFT);
    struct shadow_page *sp;
    int slot;

    (void)vcpu_id;
    for (int i = 0; i < sd->nr_tops; i++) {
        struct sh_top *t = &sd->tops[i];

        if (t->valid && t->phys == phys && t->root_gfn == root && t->asid == asid &&
            t->levels == levels) {
            t->last_use = ++sd->clock;
            return i;
        }
    }
    slot = sh_top_slot(sd);
    if (slot < 0)
        return -EBUSY;
    if (phys)
        sp = sh_lookup(sd, SH_SPLINTER, 0, levels - 1, SH_PHYS_FLAGS);
    else
        sp = sh_lookup(sd, SH_GUEST, root, levels - 1, 0);
    if (!sp && phys)
        sp = sh_create(sd, SH_SPLINTER, 0, levels - 1, SH_PHYS_FLAGS);
    else if (!sp)
        sp = sh_create(sd, SH_GUEST, root, levels - 1, 0);
    if (!sp)
        return -ENOMEM;
    sp->refs++;
    sd->tops[slot] = (struct sh_top){ true, phys, root, asid, levels, sp, ++sd->clock };
    return slot;
}

/*
 * Reclaim everything below the tops: active tops keep their root page with
 * every entry cleared, inactive tops are dropped. Shadows refill on demand.
 */
void sh_blow_tables(struct shadow_domain *sd)
{
    for (int i = 0; i < sd->nr_tops; i++) {
        struct sh_top *t = &sd->tops[i];

        if (!t->valid)
            continue;
        if (!sh_top_active(sd, i)) {
            sh_top_unpin(sd, i);
            continue;
        }
        for (unsigned e = 0; e < SH_ENTRIES; e++)
            if (sh_get_entry(sd, t->sp, e))
                shadow_set_entry(sd, t->sp, e, 0, 0);
    }
    sd->flush_pending = true;
}
