/*
 * mmu.c: address translation of the virtual hart: one walker for Sv39, Sv48,
 * Sv39x4 and Sv48x4 and for both stages (levels are a loop parameter,
 * described by riscv/pte.h), the permission rules (U, SUM, MXR, HLVX), the
 * hardware A/D update, and the combined TLB fill.
 *
 * Counting rules (docs/cost-model.md): every PTE read of a walk is one
 * reference, in walk_refs_s (V=0), walk_refs_vs (first stage under V=1) or
 * walk_refs_g (G stage). A/D write-backs are not counted: the walk already
 * touched that PTE. PWC and nested-TLB hits skip the reads they cache.
 * Invariants: a VS-stage PTE address is a guest-physical address and is
 * translated through the G stage (as an implicit read, or write for A/D)
 * before it is read; implicit-access faults are guest-page faults of the
 * original access type with htinst = a pseudo-instruction (0x3000/0x3020).
 */
#include "riscv/hart_impl.h"

enum gkind { G_READ, G_WRITE, G_EXEC, G_HLVX };

struct gres {
    uint64_t ma;
    uint64_t leaf_ma;      /* machine address of the G leaf PTE, 0 if no walk */
    unsigned level;
    uint8_t perm;
    bool dirty;
};

static const uint64_t pf_cause[3] = { CAUSE_FETCH_PAGE_FAULT, CAUSE_LOAD_PAGE_FAULT,
                                      CAUSE_STORE_PAGE_FAULT };
static const uint64_t gpf_cause[3] = { CAUSE_FETCH_GUEST_PAGE_FAULT,
                                       CAUSE_LOAD_GUEST_PAGE_FAULT,
                                       CAUSE_STORE_GUEST_PAGE_FAULT };
static const uint64_t af_cause[3] = { CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS,
                                      CAUSE_STORE_ACCESS };

static uint16_t cur_vmid(const struct hart *h)
{
    return (uint16_t)((h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT);
}

static bool pte_load(struct hart *h, uint64_t ma, uint64_t *pte)
{
    uint8_t *p = mem_host(h, ma, 8);

    if (!p)
        return false;
    __builtin_memcpy(pte, p, 8);
    return true;
}

static void pte_store(struct hart *h, uint64_t ma, uint64_t pte)
{
    uint8_t *p = mem_host(h, ma, 8);
    uint64_t ppn = (ma - h->mem_base) >> PAGE_SHIFT;

    __builtin_memcpy(p, &pte, 8);
    if (h->code_bitmap[ppn / 64] & (1ULL << (ppn % 64)))
        code_invalidate_page(h, ma >> PAGE_SHIFT);
}

static bool pte_bad(uint64_t pte)
{
    return !(pte & PTE_V) || ((pte & (PTE_R | PTE_W)) == PTE_W) || (pte & PTE_RESERVED_MASK);
}

static void gfault(struct trap *t, enum access acc, uint64_t gva, uint64_t gpa, bool implicit,
                   bool write)
{
    trap_set(t, gpf_cause[acc], gva);
    t->tval2 = gpa >> 2;
    t->gva = true;
    if (implicit)
        t->tinst = write ? HTINST_PSEUDO_WRITE64 : HTINST_PSEUDO_READ64;
}

/*
 * g_translate: G-stage translation of `gpa` for an access of kind `k`;
 * `acc` is the original access type (it picks the fault cause), `gva` the
 * guest virtual address reported in tval. Returns 0 and *r, or -1 and *t.
 */
static int g_translate(struct hart *h, uint64_t gpa, enum access acc, enum gkind k,
                       bool implicit, uint64_t gva, struct gres *r, struct trap *t)
{
    unsigned mode = (unsigned)(h->hgatp >> HGATP_MODE_SHIFT);
    const struct pt_format *f;
    uint64_t root, a, pte = 0, leaf_ma = 0;
    uint16_t vmid = cur_vmid(h);
    bool write = k == G_WRITE, mxr = (h->mstatus & MSTATUS_MXR) != 0;
    int i, start;

    if (mode == SATP_MODE_BARE) {
        r->ma = gpa;
        r->leaf_ma = 0;
        r->level = 3;
        r->perm = PTE_R | PTE_W | PTE_X | PTE_U;
        r->dirty = true;
        return 0;
    }
    f = pt_format_get(mode == HGATP_MODE_SV39X4 ? PT_SV39X4 : PT_SV48X4);
    if (gpa >> f->va_bits)
        goto fault;
    if (h->ntlb) {
        struct ntlb_entry *n = ntlb_lookup(h, gpa, vmid);

        if (n && (!write || n->dirty)) {
            pte = n->gperm;
            goto check_perm_cached;
        }
    }
    root = (h->hgatp & HGATP_PPN_MASK) << PAGE_SHIFT;
    a = root;
    start = (int)f->levels - 1;
    if (h->pwc_g) {
        for (unsigned l = 1; l < f->levels; l++) {
            struct pwc_entry *e = pwc_lookup(h, true, gpa, l, root, vmid, true);

            if (e) {
                a = pte_ppn(e->pte) << PAGE_SHIFT;
                start = (int)l - 1;
                break;
            }
        }
    }
    for (i = start;; i--) {
        leaf_ma = a + 8 * pt_index(f, (unsigned)i, gpa);
        if (!pte_load(h, leaf_ma, &pte)) {
            trap_set(t, af_cause[acc], gva);
            return -1;
        }
        h->ctr.walk_refs_g++;
        if (pte_bad(pte))
            goto fault;
        if (pte_is_leaf(pte))
            break;
        if (i == 0)
            goto fault;
        if (h->pwc_g)
            pwc_insert(h, true, gpa, (unsigned)i, root, vmid, true, pte);
        a = pte_ppn(pte) << PAGE_SHIFT;
    }
    if (pte_ppn(pte) & ((1ULL << (9 * i)) - 1))
        goto fault;
    if (!(pte & PTE_U))
        goto fault;
    if ((k == G_READ && !((pte & PTE_R) || (mxr && (pte & PTE_X)))) ||
        (k == G_WRITE && !(pte & PTE_W)) || ((k == G_EXEC || k == G_HLVX) && !(pte & PTE_X)))
        goto fault;
    if (!(pte & PTE_A) || (write && !(pte & PTE_D))) {
        pte |= PTE_A | (write ? PTE_D : 0);
        pte_store(h, leaf_ma, pte);
    }
    r->level = (unsigned)i;
    r->ma = ((pte_ppn(pte) << PAGE_SHIFT) & ~(pt_level_size((unsigned)i) - 1)) |
            (gpa & (pt_level_size((unsigned)i) - 1));
    r->leaf_ma = leaf_ma;
    r->perm = (uint8_t)(pte & (PTE_R | PTE_W | PTE_X | PTE_U));
    r->dirty = (pte & PTE_D) != 0;
    if (h->ntlb)
        ntlb_insert(h, gpa, vmid, r->ma & ~(PAGE_SIZE - 1), r->level, r->perm, r->dirty);
    return 0;

check_perm_cached: {
        struct ntlb_entry *n = ntlb_lookup(h, gpa, vmid);

        if ((k == G_READ && !((pte & PTE_R) || (mxr && (pte & PTE_X)))) ||
            (k == G_WRITE && !(pte & PTE_W)) ||
            ((k == G_EXEC || k == G_HLVX) && !(pte & PTE_X)))
            goto fault;
        r->ma = n->ma | (gpa & (PAGE_SIZE - 1));
        r->leaf_ma = 0;
        r->level = 0;
        r->perm = n->gperm;
        r->dirty = n->dirty;
        return 0;
    }
fault:
    gfault(t, acc, gva, gpa, implicit, write);
    return -1;
}

/* Permission check of a first-stage leaf for (acc, priv); true if allowed. */
static bool leaf_ok(uint64_t pte, enum access acc, unsigned priv, bool sum, bool mxr, bool hlvx)
{
    if (pte & PTE_U) {
        if (priv == PRIV_S && (acc == ACC_FETCH || !sum))
            return false;
    } else if (priv == PRIV_U) {
        return false;
    }
    switch (acc) {
    case ACC_FETCH: return (pte & PTE_X) != 0;
    case ACC_LOAD:
        if (hlvx)
            return (pte & PTE_X) != 0;
        return (pte & PTE_R) || (mxr && (pte & PTE_X));
    default: return (pte & PTE_W) != 0;
    }
}

/* The (satp-like register, format) of the first stage, or NULL if Bare. */
static const struct pt_format *first_stage(const struct hart *h, bool virt, uint64_t *atp)
{
    *atp = virt ? h->vsatp : h->satp;
    switch (*atp >> SATP_MODE_SHIFT) {
    case SATP_MODE_SV39: return pt_format_get(PT_SV39);
    case SATP_MODE_SV48: return pt_format_get(PT_SV48);
    default: return NULL;
    }
}

struct walk_out {
    uint64_t pa;          /* GPA (virt) or MA */
    unsigned level;
    uint8_t perm;
    bool dirty, global;
};

/*
 * walk1: the first-stage walk of `va` (Sv39/Sv48, satp or vsatp). Under V=1
 * each PTE address goes through g_translate. Returns 0 and *o, or -1 and *t.
 */
static int walk1(struct hart *h, const struct pt_format *f, uint64_t atp, uint64_t va,
                 enum access acc, unsigned priv, bool virt, bool hlvx, struct walk_out *o,
                 struct trap *t)
{
    uint64_t status = virt ? h->vsstatus : h->mstatus;
    bool sum = (status & MSTATUS_SUM) != 0;
    bool mxr = (status & MSTATUS_MXR) || (h->mstatus & MSTATUS_MXR);
    bool write = acc == ACC_STORE, global = false;
    uint64_t root = (atp & SATP_PPN_MASK) << PAGE_SHIFT, a = root, pte = 0, pte_addr = 0;
    uint32_t ctx = (uint32_t)((atp & SATP_ASID_MASK) >> SATP_ASID_SHIFT) |
                   (virt ? (uint32_t)cur_vmid(h) << 16 : 0);
    struct pwc_entry *pw = NULL;
    struct gres g = { 0 };
    int i, start = (int)f->levels - 1;
    int64_t sx = (int64_t)va >> (f->va_bits - 1);

    if (sx != 0 && sx != -1) {
        trap_set(t, pf_cause[acc], va);
        t->gva = virt;
        return -1;
    }
    if (h->pwc_s) {
        for (unsigned l = 1; l < f->levels; l++) {
            pw = pwc_lookup(h, false, va, l, root, ctx, virt);
            if (pw) {
                a = pte_ppn(pw->pte) << PAGE_SHIFT;
                start = (int)l - 1;
                global = (pw->pte & PTE_G) != 0;
                break;
            }
        }
    }
    for (i = start;; i--) {
        uint64_t ma;

        pte_addr = a + 8 * pt_index(f, (unsigned)i, va);
        ma = pte_addr;
        if (virt) {
            if (g_translate(h, pte_addr, acc, G_READ, true, va, &g, t))
                return -1;
            ma = g.ma;
        }
        if (!pte_load(h, ma, &pte)) {
            trap_set(t, af_cause[acc], va);
            t->gva = virt;
            return -1;
        }
        if (virt)
            h->ctr.walk_refs_vs++;
        else
            h->ctr.walk_refs_s++;
        if (pte_bad(pte))
            goto fault;
        global |= (pte & PTE_G) != 0;
        if (pte_is_leaf(pte))
            break;
        if (i == 0)
            goto fault;
        if (h->pwc_s)
            pwc_insert(h, false, va, (unsigned)i, root, ctx, virt, pte);
        a = pte_ppn(pte) << PAGE_SHIFT;
    }
    if (!leaf_ok(pte, acc, priv, sum, mxr, hlvx))
        goto fault;
    if (pte_ppn(pte) & ((1ULL << (9 * i)) - 1))
        goto fault;
    if (!(pte & PTE_A) || (write && !(pte & PTE_D))) {
        uint64_t ma = pte_addr;

        if (virt) {
            /* The A/D write is an implicit store: the G leaf must allow it. */
            if (!(g.perm & PTE_W)) {
                gfault(t, acc, va, pte_addr, true, true);
                return -1;
            }
            if (!g.dirty && g.leaf_ma) {
                uint64_t gpte;

                if (pte_load(h, g.leaf_ma, &gpte))
                    pte_store(h, g.leaf_ma, gpte | PTE_A | PTE_D);
            }
            ma = g.ma;
        }
        pte |= PTE_A | (write ? PTE_D : 0);
        pte_store(h, ma, pte);
    }
    o->level = (unsigned)i;
    o->pa = ((pte_ppn(pte) << PAGE_SHIFT) & ~(pt_level_size((unsigned)i) - 1)) |
            (va & (pt_level_size((unsigned)i) - 1));
    o->perm = (uint8_t)(pte & (PTE_R | PTE_W | PTE_X | PTE_U));
    o->dirty = (pte & PTE_D) != 0;
    o->global = global;
    return 0;
fault:
    trap_set(t, pf_cause[acc], va);
    t->gva = virt;
    return -1;
}

/* The effective (priv, virt) of explicit loads and stores: MPRV applied. */
void mmu_data_mode(const struct hart *h, unsigned *priv, bool *virt)
{
    *priv = h->priv;
    *virt = h->virt;
    if (h->priv == PRIV_M && (h->mstatus & MSTATUS_MPRV)) {
        *priv = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
        *virt = *priv != PRIV_M && (h->mstatus & MSTATUS_MPV);
    }
}

/* Can the cached translation `te` serve this access without a walk? */
static bool tlb_ok(const struct hart *h, const struct tlb_entry *te, enum access acc,
                   unsigned priv, bool virt, bool hlvx)
{
    bool gmxr = (h->mstatus & MSTATUS_MXR) != 0;

    if (!(te->flags & TLBF_NOVS)) {
        uint64_t status = virt ? h->vsstatus : h->mstatus;

        if (!leaf_ok(te->perm, acc, priv, (status & MSTATUS_SUM) != 0,
                     (status & MSTATUS_MXR) || gmxr, hlvx))
            return false;
    }
    if (!(te->flags & TLBF_NOG)) {
        uint8_t p = te->gperm;

        if (acc == ACC_FETCH && !(p & PTE_X))
            return false;
        if (acc == ACC_LOAD && (hlvx ? !(p & PTE_X) : !((p & PTE_R) || (gmxr && (p & PTE_X)))))
            return false;
        if (acc == ACC_STORE && !(p & PTE_W))
            return false;
    }
    return acc != ACC_STORE || (te->flags & TLBF_DIRTY);
}

/*
 * mmu_translate: translate `va` for access `acc` in mode (priv, virt).
 * hlvx: the access is an HLVX (needs execute, not read, permission).
 * Returns 0 and *out (out->te is the modeled TLB entry, NULL when
 * translation is off), or -1 with the exception in *t (tval = va; htval,
 * htinst and GVA set for guest-page faults). Counts TLB hits/misses and
 * walk references.
 */
int mmu_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv, bool virt,
                  bool hlvx, struct xlate *out, struct trap *t)
{
    const struct pt_format *f = NULL;
    struct walk_out o;
    struct gres g = { 0 };
    struct tlb_entry *te;
    uint64_t atp = 0, ma, gpa;
    uint16_t asid = 0, vmid = virt ? cur_vmid(h) : 0;
    bool gon = virt && (h->hgatp >> HGATP_MODE_SHIFT) != SATP_MODE_BARE;
    unsigned level;

    if (priv != PRIV_M)
        f = first_stage(h, virt, &atp);
    if (!f && !gon) {
        out->ma = va;
        out->level = 0;
        out->counted = false;
        out->te = NULL;
        return 0;
    }
    if (f)
        asid = (uint16_t)((atp & SATP_ASID_MASK) >> SATP_ASID_SHIFT);
    te = tlb_lookup(h, va, virt, asid, vmid);
    if (te && tlb_ok(h, te, acc, priv, virt, hlvx)) {
        h->ctr.tlb_hits++;
        goto done;
    }
    h->ctr.tlb_misses++;
    if (te)
        tlb_drop(h, te);
    if (f) {
        if (walk1(h, f, atp, va, acc, priv, virt, hlvx, &o, t))
            return -1;
    } else {
        o.pa = va;
        o.level = 3;
        o.perm = PTE_R | PTE_W | PTE_X | PTE_U;
        o.dirty = true;
        o.global = true;
    }
    gpa = o.pa;
    ma = gpa;
    level = o.level;
    g.perm = PTE_R | PTE_W | PTE_X | PTE_U;
    g.dirty = true;
    if (virt) {
        enum gkind k = acc == ACC_FETCH ? G_EXEC : acc == ACC_STORE ? G_WRITE
                       : hlvx ? G_HLVX : G_READ;

        if (g_translate(h, gpa, acc, k, false, va, &g, t))
            return -1;
        ma = g.ma;
        if (g.level < level)
            level = g.level;
    }
    te = tlb_insert(h, va, level);
    te->vpn = va >> (PAGE_SHIFT + 9 * level);
    te->ma = ma & ~(pt_level_size(level) - 1);
    te->gpa = gpa & ~(pt_level_size(level) - 1);
    te->asid = asid;
    te->vmid = vmid;
    te->level = (uint8_t)level;
    te->glevel = (uint8_t)(virt && gon ? g.level : level);
    te->perm = o.perm;
    te->gperm = g.perm;
    te->flags = TLBF_VALID | (o.global ? TLBF_GLOBAL : 0) | (virt ? TLBF_VIRT : 0) |
                (o.dirty && g.dirty ? TLBF_DIRTY : 0) | (f ? 0 : TLBF_NOVS) |
                (gon ? 0 : TLBF_NOG);
done:
    out->ma = te->ma | (va & (pt_level_size(te->level) - 1));
    out->level = te->level;
    out->counted = true;
    out->te = te;
    return 0;
}
