/*
 * tlb.c: the modeled TLB (combined VA->MA, set-associative, LRU, tagged by
 * V, VMID, ASID and G, mixed page sizes), the optional page-walk caches
 * (first stage and G stage, caching non-leaf PTEs) and the optional nested
 * TLB (GPA->MA), plus the host TLBs that front them.
 *
 * Mixed sizes: an entry of level L is indexed by (va >> (12 + 9L)) mod sets;
 * a lookup probes each level that may be present (tlb_levels_present).
 * Invariants: a host TLB entry never outlives the modeled entry it came
 * from (eviction and every flush invalidate host entries in the range);
 * fences flush exactly the entries the spec names (and possibly more: a
 * PWC flush is always whole-context). Costs: lookup O(levels x ways); a
 * superpage eviction scans the host TLBs, O(HTLB_SIZE).
 */
#include <string.h>

#include "riscv/hart_impl.h"

static unsigned shift_of(unsigned level)
{
    return PAGE_SHIFT + 9 * level;
}

/* tlb_lookup: the entry translating va in context (virt, asid, vmid), or NULL. */
struct tlb_entry *tlb_lookup(struct hart *h, uint64_t va, bool virt, uint16_t asid,
                             uint16_t vmid)
{
    unsigned ways = h->cfg.tlb_ways;
    uint8_t vflag = virt ? TLBF_VIRT : 0;

    for (unsigned level = 0; level < 4; level++) {
        uint64_t vpn;
        struct tlb_entry *e;

        if (!(h->tlb_levels_present & (1u << level)))
            continue;
        vpn = va >> shift_of(level);
        e = &h->tlb[(vpn & (h->cfg.tlb_sets - 1)) * ways];
        for (unsigned w = 0; w < ways; w++, e++) {
            if (!(e->flags & TLBF_VALID) || e->vpn != vpn || e->level != level ||
                (e->flags & TLBF_VIRT) != vflag)
                continue;
            if (virt && e->vmid != vmid)
                continue;
            if (!(e->flags & TLBF_GLOBAL) && e->asid != asid)
                continue;
            e->age = ++h->tlb_clock;
            return e;
        }
    }
    return NULL;
}

/* Invalidate host TLB entries that map any page of [va, va + size). */
void htlb_invalidate_range(struct hart *h, uint64_t va, uint64_t size)
{
    struct htlb_entry *tabs[3] = { h->htlb_r, h->htlb_w, h->htlb_x };

    if (size == PAGE_SIZE) {
        unsigned i = (unsigned)(va >> PAGE_SHIFT) % HTLB_SIZE;

        for (unsigned k = 0; k < 3; k++)
            if (tabs[k][i].tag == va)
                tabs[k][i].tag = 1;
        return;
    }
    for (unsigned k = 0; k < 3; k++)
        for (unsigned i = 0; i < HTLB_SIZE; i++)
            if (tabs[k][i].tag != 1 && tabs[k][i].tag - va < size)
                tabs[k][i].tag = 1;
}

/* Remove one modeled entry (and the host entries derived from it). */
void tlb_drop(struct hart *h, struct tlb_entry *te)
{
    if (!(te->flags & TLBF_VALID))
        return;
    te->flags = 0;
    htlb_invalidate_range(h, te->vpn << shift_of(te->level), 1ULL << shift_of(te->level));
}

/*
 * tlb_insert: a free or least-recently-used entry in the set of va at
 * `level`, evicting its previous contents. The caller fills the tags.
 */
struct tlb_entry *tlb_insert(struct hart *h, uint64_t va, unsigned level)
{
    unsigned ways = h->cfg.tlb_ways;
    struct tlb_entry *set = &h->tlb[((va >> shift_of(level)) & (h->cfg.tlb_sets - 1)) * ways];
    struct tlb_entry *victim = set;

    for (unsigned w = 0; w < ways; w++) {
        if (!(set[w].flags & TLBF_VALID)) {
            victim = &set[w];
            break;
        }
        if (set[w].age < victim->age)
            victim = &set[w];
    }
    tlb_drop(h, victim);
    victim->age = ++h->tlb_clock;
    h->tlb_levels_present |= 1u << level;
    return victim;
}

static void pwc_flush(struct pwc_entry *p, unsigned n, bool all, bool virt, uint32_t ctx,
                      uint32_t ctx_mask)
{
    for (unsigned i = 0; p && i < n; i++)
        if (all || (p[i].virt == virt && (p[i].ctx & ctx_mask) == (ctx & ctx_mask)))
            p[i].tag = NO_TAG;
}

/*
 * tlb_flush_vma: SFENCE.VMA (virt = false) or HFENCE.VVMA / SFENCE.VMA in
 * VS-mode (virt = true, for `vmid`). va = ~0: every address; asid = ~0:
 * every address space (global entries included), otherwise non-global
 * entries of that ASID only. The first-stage PWC of the context is flushed.
 */
void tlb_flush_vma(struct hart *h, bool virt, uint16_t vmid, uint64_t va, uint64_t asid)
{
    unsigned n = h->cfg.tlb_sets * h->cfg.tlb_ways;
    uint8_t vflag = virt ? TLBF_VIRT : 0;

    for (unsigned i = 0; i < n; i++) {
        struct tlb_entry *e = &h->tlb[i];

        if (!(e->flags & TLBF_VALID) || (e->flags & TLBF_VIRT) != vflag)
            continue;
        if (virt && e->vmid != vmid)
            continue;
        if (va != ~0ULL && (va >> shift_of(e->level)) != e->vpn)
            continue;
        if (asid != ~0ULL && ((e->flags & TLBF_GLOBAL) || e->asid != (uint16_t)asid))
            continue;
        e->flags = 0;
    }
    pwc_flush(h->pwc_s, h->cfg.pwc_entries, false, virt, (uint32_t)vmid << 16,
              virt ? 0xffff0000u : 0);
    htlb_flush(h);
}

/*
 * tlb_flush_gvma: HFENCE.GVMA. gpa = ~0: every guest-physical address;
 * vmid = ~0: every VMID. Flushes combined V=1 entries whose G-stage leaf
 * covers gpa, the G-stage PWC and the nested TLB of those VMIDs.
 */
void tlb_flush_gvma(struct hart *h, uint64_t gpa, uint64_t vmid)
{
    unsigned n = h->cfg.tlb_sets * h->cfg.tlb_ways;

    for (unsigned i = 0; i < n; i++) {
        struct tlb_entry *e = &h->tlb[i];
        unsigned gs = shift_of(e->glevel);

        if (!(e->flags & TLBF_VALID) || !(e->flags & TLBF_VIRT))
            continue;
        if (vmid != ~0ULL && e->vmid != (uint16_t)vmid)
            continue;
        if (gpa != ~0ULL && (gpa >> gs) != (e->gpa >> gs))
            continue;
        e->flags = 0;
    }
    pwc_flush(h->pwc_g, h->cfg.pwc_entries, vmid == ~0ULL, true, (uint32_t)vmid, 0xffffu);
    for (unsigned i = 0; h->ntlb && i < h->cfg.ntlb_entries; i++) {
        struct ntlb_entry *e = &h->ntlb[i];

        if (vmid != ~0ULL && e->vmid != (uint16_t)vmid)
            continue;
        if (gpa != ~0ULL && e->gpn != (gpa >> PAGE_SHIFT))
            continue;
        e->gpn = NO_TAG;
    }
    htlb_flush(h);
}

/* Everything: modeled TLB, both PWCs, nested TLB, host TLBs. */
void tlb_flush_all(struct hart *h)
{
    memset(h->tlb, 0, sizeof(*h->tlb) * h->cfg.tlb_sets * h->cfg.tlb_ways);
    h->tlb_levels_present = 0;
    pwc_flush(h->pwc_s, h->cfg.pwc_entries, true, false, 0, 0);
    pwc_flush(h->pwc_g, h->cfg.pwc_entries, true, false, 0, 0);
    for (unsigned i = 0; h->ntlb && i < h->cfg.ntlb_entries; i++)
        h->ntlb[i].gpn = NO_TAG;
    htlb_flush(h);
}

/*
 * pwc_lookup: the cached non-leaf PTE at `level` on the walk of `addr` from
 * `root` in context ctx (first stage: ASID | VMID << 16; G stage: VMID).
 */
struct pwc_entry *pwc_lookup(struct hart *h, bool gstage, uint64_t addr, unsigned level,
                             uint64_t root, uint32_t ctx, bool virt)
{
    struct pwc_entry *p = gstage ? h->pwc_g : h->pwc_s;
    uint64_t tag = addr >> shift_of(level);

    for (unsigned i = 0; i < h->cfg.pwc_entries; i++)
        if (p[i].tag == tag && p[i].level == level && p[i].root == root &&
            p[i].ctx == ctx && p[i].virt == virt)
            return &p[i];
    return NULL;
}

/* pwc_insert: cache a non-leaf PTE (round-robin replacement). */
void pwc_insert(struct hart *h, bool gstage, uint64_t addr, unsigned level, uint64_t root,
                uint32_t ctx, bool virt, uint64_t pte)
{
    struct pwc_entry *p = gstage ? h->pwc_g : h->pwc_s;
    unsigned *next = gstage ? &h->pwc_next_g : &h->pwc_next_s;
    struct pwc_entry *e = &p[*next];

    *next = (*next + 1) % h->cfg.pwc_entries;
    e->tag = addr >> shift_of(level);
    e->root = root;
    e->pte = pte;
    e->ctx = ctx;
    e->level = (uint8_t)level;
    e->virt = virt;
}

static unsigned ntlb_index(const struct hart *h, uint64_t gpn, uint16_t vmid)
{
    return (unsigned)((gpn ^ ((uint64_t)vmid * 0x9E3779B1u)) % h->cfg.ntlb_entries);
}

/* ntlb_lookup: the nested-TLB entry for gpa in vmid, or NULL. */
struct ntlb_entry *ntlb_lookup(struct hart *h, uint64_t gpa, uint16_t vmid)
{
    uint64_t gpn = gpa >> PAGE_SHIFT;
    struct ntlb_entry *e = &h->ntlb[ntlb_index(h, gpn, vmid)];

    return (e->gpn == gpn && e->vmid == vmid) ? e : NULL;
}

/* ntlb_insert: cache the G-stage translation of one 4 KiB GPA page. */
void ntlb_insert(struct hart *h, uint64_t gpa, uint16_t vmid, uint64_t ma, unsigned level,
                 uint8_t gperm, bool dirty)
{
    uint64_t gpn = gpa >> PAGE_SHIFT;
    struct ntlb_entry *e = &h->ntlb[ntlb_index(h, gpn, vmid)];

    e->gpn = gpn;
    e->vmid = vmid;
    e->ma = ma;
    e->level = (uint8_t)level;
    e->gperm = gperm;
    e->dirty = dirty;
}

/* Is translation on for accesses in mode (priv, virt)? */
static bool xlate_on(const struct hart *h, unsigned priv, bool virt)
{
    if (priv == PRIV_M)
        return false;
    if (virt)
        return (h->vsatp >> SATP_MODE_SHIFT) != 0 || (h->hgatp >> HGATP_MODE_SHIFT) != 0;
    return (h->satp >> SATP_MODE_SHIFT) != 0;
}

/*
 * htlb_flush: empty the host TLBs and recompute whether their hits count as
 * modeled TLB hits. Called on every change of mode, satp-like register,
 * mstatus/vsstatus, and every fence.
 */
void htlb_flush(struct hart *h)
{
    unsigned dpriv;
    bool dvirt;

    for (unsigned i = 0; i < HTLB_SIZE; i++) {
        h->htlb_r[i].tag = 1;
        h->htlb_w[i].tag = 1;
        h->htlb_x[i].tag = 1;
    }
    mmu_data_mode(h, &dpriv, &dvirt);
    h->data_counted = xlate_on(h, dpriv, dvirt);
    h->fetch_counted = xlate_on(h, h->priv, h->virt);
}
