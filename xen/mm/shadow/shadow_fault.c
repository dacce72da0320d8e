/*
 * shadow_fault.c: the page-fault exit in shadow mode.
 *
 * hedeleg does not delegate page faults (12, 13, 15) in shadow mode, so every
 * fault of the shadow walk exits here. The guest's own tables decide what it
 * means (one software walk, shadow_walk.c):
 *  1. the guest walk faults too: a genuine guest page fault, delivered to the
 *     guest's handler (shadow_inject.c);
 *  2. the guest maps the address to a frame outside the domain (the p2m has
 *     no RAM there): also a guest page fault, never a mapping (isolation);
 *  3. the guest leaf lacks A (or D on a write): set it in the guest PTE, as
 *     the hart does under HAP ("A/D fault"), then 5;
 *  4. a write to a write-protected guest page table: let the table go out of
 *     sync (shadow_oos.c) or emulate the store (shadow_emulate.c);
 *  5. otherwise the shadow is missing or weaker than the guest allows: fill
 *     the shadow path for the address, top to leaf ("not-present fault").
 * The shadow top must be in the cache already (sh_set_guest_satp).
 */
#include <errno.h>

#include "shadow-private.h"

static unsigned sh_access_of(uint64_t cause)
{
    if (cause == CAUSE_FETCH_PAGE_FAULT)
        return PG_ACCESS_EXEC;
    return cause == CAUSE_STORE_PAGE_FAULT ? PG_ACCESS_WRITE : PG_ACCESS_READ;
}

/* The key of the shadow page that entry idx of sp should point at for this walk. */
static void sh_child_key(const struct shadow_page *sp, unsigned idx, const struct sh_gwalk *gw,
                         enum sh_kind *kind, uint64_t *gfn, uint64_t *flags, uint64_t *g)
{
    unsigned level = sp->level;

    *g = 0;
    if (sp->kind == SH_SPLINTER) {
        *kind = SH_SPLINTER;
        *gfn = sp->gfn + idx * sh_level_frames(level);
        *flags = sp->flags;
    } else if (level > gw->leaf_level) {
        *kind = SH_GUEST;
        *gfn = pte_ppn(gw->pte[level]);
        *flags = 0;
        *g = gw->pte[level] & PTE_G;
    } else {
        *kind = SH_SPLINTER;                  /* the guest superpage itself */
        *gfn = pte_ppn(gw->pte[level]);
        *flags = gw->pte[level] & SH_FLAG_MASK;
    }
}

/*
 * Build the shadow path for va from the vCPU's top down to the leaf, reusing
 * whatever already matches. Returns 0 or -ENOMEM. sh_prealloc has run.
 */
static int sh_fill(struct shadow_domain *sd, struct sh_vcpu *sv, uint64_t va,
                   const struct sh_gwalk *gw)
{
    const struct sh_top *top = &sd->tops[sv->top];
    const struct pt_format *f = pt_format_get(top->levels == 4 ? PT_SV48 : PT_SV39);
    struct shadow_page *sp = top->sp;

    for (unsigned level = top->levels - 1; level > 0; level--) {
        unsigned idx = pt_index(f, level, va);
        uint64_t cur = sh_get_entry(sd, sp, idx), gfn, flags, g;
        struct shadow_page *child = NULL;
        enum sh_kind kind;

        sh_child_key(sp, idx, gw, &kind, &gfn, &flags, &g);
        if (cur & PTE_V) {
            child = sh_from_smfn(_mfn(pte_ppn(cur)));
            if (child->kind != kind || child->gfn != gfn || child->flags != flags ||
                (cur & PTE_G) != g)
                child = NULL;
        }
        if (!child) {
            child = sh_lookup(sd, kind, gfn, level - 1, flags);
            if (!child && !(child = sh_create(sd, kind, gfn, level - 1, flags)))
                return -ENOMEM;
            shadow_set_entry(sd, sp, idx, pte_make(mfn_x(child->smfn), PTE_V | g), 0);
        }
        sp = child;
    }
    if (sp->kind == SH_GUEST) {
        sh_validate_gentry(sd, sp, pt_index(f, 0, va), gw->pte[0]);
    } else {
        uint64_t gfn = sp->gfn + pt_index(f, 0, va);

        shadow_set_entry(sd, sp, pt_index(f, 0, va), sh_leaf_from_guest(sd, gfn, sp->flags), gfn);
    }
    return 0;
}

/*
 * Set A (and D for a write) in the guest leaf PTE, atomically, as the hart
 * would, and revalidate the shadows derived from that PTE. Returns 1 when it
 * set bits, 0 when none were missing, -EAGAIN when the PTE changed under us
 * (the guest retries the access), -EACCES when the table frame is read-only
 * in the p2m.
 */
static int sh_set_guest_ad(struct shadow_domain *sd, struct sh_gwalk *gw, unsigned access)
{
    unsigned level = gw->leaf_level;
    uint64_t need = PTE_A | ((access & PG_ACCESS_WRITE) ? PTE_D : 0);
    uint64_t old = gw->pte[level], new = old | need;
    uint64_t tgfn = gw->table_gfn[level];
    struct sh_gfn *g;
    p2m_type_t t;

    if (!gw->levels || (old & need) == need)
        return 0;
    sh_p2m_lookup(sd, tgfn, &t);
    if (!sh_p2m_type_writable(t))
        return -EACCES;
    if (!mm_cmpxchg64(gw->pte_ma[level], old, new, &sd->op_refs))
        return -EAGAIN;
    gw->pte[level] = new;
    gw->leaf_flags = new & SH_FLAG_MASK;
    g = sh_gfn_find(sd, tgfn);
    for (unsigned l = 0; g && l < SH_MAX_LEVELS; l++) {
        struct shadow_page *sp;

        if ((g->levels & (1u << l)) && (sp = sh_lookup(sd, SH_GUEST, tgfn, l, 0)))
            sh_validate_gentry(sd, sp, (unsigned)((maddr_x(gw->pte_ma[level]) & 0xfff) >> 3),
                               new);
    }
    return 1;
}

/*
 * Does the shadow leaf for va allow the access now, with the hart's rules?
 * Catches a fill that cannot help (the physical-mode shadow used from
 * VU-mode), which would otherwise fault forever.
 */
static bool sh_leaf_resolves(struct shadow_domain *sd, struct sh_vcpu *sv, uint64_t va,
                             const struct sh_access *acc)
{
    unsigned access = acc->access;
    const struct sh_top *top = &sd->tops[sv->top];
    const struct pt_format *f = pt_format_get(top->levels == 4 ? PT_SV48 : PT_SV39);
    uint64_t e = 0;
    mfn_t table = top->sp->smfn;

    for (unsigned level = top->levels;; ) {
        level--;
        e = sh_read(sd, sh_entry_ma(table, pt_index(f, level, va)));
        if (!(e & PTE_V) || level == 0)
            break;
        table = _mfn(pte_ppn(e));
    }
    if (!(e & PTE_V))
        return false;
    if ((e & PTE_U) ? (!acc->user && ((access & PG_ACCESS_EXEC) || !acc->sum)) : acc->user)
        return false;
    if (access & PG_ACCESS_EXEC)
        return e & PTE_X;
    if (access & PG_ACCESS_WRITE)
        return e & PTE_W;
    return (e & PTE_R) || (acc->mxr && (e & PTE_X));
}

/* The five cases of the file comment, in order. Returns as shadow_handle_fault. */
static int sh_fault(struct shadow_domain *sd, struct vcpu *v, const struct hart_exit *ex)
{
    struct sh_vcpu *sv = &sd->vcpus[v->vcpu_id];
    uint64_t sstatus = hart_csr_get(v->hart, CSR_SSTATUS);
    uint64_t vsstatus = hart_csr_get(v->hart, CSR_VSSTATUS);
    struct sh_access acc = { sh_access_of(ex->cause), !(sstatus & MSTATUS_SPP),
                             (vsstatus & MSTATUS_SUM) != 0,
                             ((vsstatus | sstatus) & MSTATUS_MXR) != 0 };
    bool write = (acc.access & PG_ACCESS_WRITE) != 0, emulated = false;
    uint64_t va = ex->tval;
    struct sh_gwalk gw;
    p2m_type_t t = p2m_invalid;
    int rc = -EINVAL, cause, ad;

    if (sv->top < 0)
        goto out;
    if ((rc = sh_prealloc(sd, sh_worst_case(sd->tops[sv->top].levels))))
        goto out;
    sd->stats.faults++;
    cause = sh_guest_walk(sd, sv->guest_satp, va, &acc, &gw);
    if (!cause && !mfn_valid_value(sh_p2m_lookup_access(sd, gw.gfn, &t))) {
        rc = -EFAULT;          /* physical mode: an access outside the domain's RAM */
        if (!gw.levels)
            goto out;
        cause = (int)ex->cause;
    }
    if (cause) {               /* 1, 2: the guest's own page fault */
        sd->stats.faults_reflected++;
        sh_inject_trap(v->hart, (uint64_t)cause, va, ex->pc);
        rc = 1;
        goto out;
    }
    rc = -EACCES;              /* read-only or shared in the p2m */
    if (write && !sh_p2m_type_writable(t))
        goto out;
    ad = sh_set_guest_ad(sd, &gw, acc.access);       /* 3 */
    rc = ad == -EAGAIN ? 0 : ad;
    if (ad < 0)
        goto out;
    if (write && sh_is_protected_table(sd, gw.gfn)) { /* 4 */
        sd->stats.faults_wp_emulate++;
        if (!sh_oos_try(sd, sh_gfn_find(sd, gw.gfn))) {
            if ((rc = sh_emulate_pt_store(sd, v, ex, gw.gfn)))
                goto out;
            emulated = true;   /* the fill below maps it read-only for later reads */
        }
    } else if (ad) {
        sd->stats.faults_ad++;
    } else {
        sd->stats.faults_not_present++;
    }
    if ((rc = sh_fill(sd, sv, va, &gw)))             /* 5 */
        goto out;
    hart_hfence_vvma(v->hart, va, ~0ULL);
    if (!emulated && !sh_leaf_resolves(sd, sv, va, &acc))
        rc = -EOPNOTSUPP;      /* e.g. VU-mode with the guest MMU off */
out:
    return rc;
}

/*
 * A page-fault exit (cause 12, 13 or 15 from V=1). Returns 0 when resolved
 * (the guest retries, or the store was emulated and sepc advanced), 1 when a
 * page fault was delivered to the guest, or -errno to crash the domain.
 */
int shadow_handle_fault(struct vcpu *v, const struct hart_exit *ex)
{
    struct shadow_domain *sd = sh_dom(v->domain);
    int rc = -EINVAL;

    if (!ex->virt || (ex->cause != CAUSE_FETCH_PAGE_FAULT && ex->cause != CAUSE_LOAD_PAGE_FAULT &&
                      ex->cause != CAUSE_STORE_PAGE_FAULT))
        return rc;
    sh_op_begin(sd);
    rc = sh_fault(sd, v, ex);
    return sh_op_end(sd, v, rc);
}
