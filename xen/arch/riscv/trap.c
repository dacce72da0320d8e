/*
 * trap.c: exception and interrupt delivery, and the xRET instructions.
 *
 * Routing follows the privileged spec with the H extension: a trap from a
 * mode below M goes to HS if medeleg/mideleg delegates it, and further to VS
 * if the hart was in VS/VU and hedeleg/hideleg delegates it too; traps never
 * go to a less privileged mode. Interrupts are prioritised MEI, MSI, MTI,
 * SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI, M level before HS before VS.
 * With exit_on_hs_trap (the hypervisor), a trap that targets HS or M updates
 * the HS CSRs as hardware would (M-targeted traps are routed to HS, as if
 * M-mode firmware delegated everything) and becomes a host exit.
 * Invariant: every trap flushes the host TLBs (mode changes) and clears the
 * LR reservation.
 */
#include "riscv/hart_impl.h"

static const unsigned irq_order[] = { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT,
                                      IRQ_S_SOFT, IRQ_S_TIMER, IRQ_S_GEXT, IRQ_VS_EXT,
                                      IRQ_VS_SOFT, IRQ_VS_TIMER };

enum target { TO_M, TO_HS, TO_VS };

static uint64_t tvec_target(uint64_t tvec, uint64_t cause)
{
    if ((tvec & 1) && (cause & CAUSE_INTERRUPT))
        return (tvec & ~3ULL) + 4 * (cause & 63);
    return tvec & ~3ULL;
}

static void fill_exit(struct hart *h, struct hart_exit *ex, uint64_t cause, const struct trap *t,
                      uint64_t epc, uint32_t insn, bool virt)
{
    ex->kind = HART_EXIT_TRAP;
    ex->cause = cause;
    ex->tval = t ? t->tval : 0;
    ex->htval = t ? t->tval2 : 0;
    ex->htinst = t ? t->tinst : 0;
    ex->insn = insn;
    ex->pc = epc;
    ex->virt = virt;
    ex->tohost = 0;
    h->ctr.exits++;
    if (cause & CAUSE_INTERRUPT)
        h->ctr.irq_exits_by_cause[cause & 63]++;
    else
        h->ctr.exits_by_cause[cause & 63]++;
}

/* Deliver `cause` to `to`; returns true if it became a host exit in *ex. */
static bool deliver(struct hart *h, enum target to, uint64_t cause, const struct trap *t,
                    uint64_t epc, uint32_t insn, struct hart_exit *ex)
{
    bool was_virt = h->virt;
    unsigned was_priv = h->priv;

    h->resv_valid = false;
    h->wfi = false;
    if (to == TO_VS) {
        uint64_t vcause = cause;

        if (cause & CAUSE_INTERRUPT)
            vcause = CAUSE_INTERRUPT | ((cause & 63) - 1);   /* VSxI -> SxI codes */
        h->vscause = vcause;
        h->vsepc = epc;
        h->vstval = t ? t->tval : 0;
        h->vsstatus = (h->vsstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE)) |
                      (was_priv == PRIV_S ? MSTATUS_SPP : 0) |
                      ((h->vsstatus & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        h->priv = PRIV_S;
        h->pc = tvec_target(h->vstvec, vcause);
        htlb_flush(h);
        return false;
    }
    if (to == TO_HS || h->exit_on_hs_trap) {
        h->scause = cause;
        h->sepc = epc;
        h->stval = t ? t->tval : 0;
        h->htval = t ? t->tval2 : 0;
        h->htinst = t ? t->tinst : 0;
        h->hstatus &= ~(HSTATUS_SPV | HSTATUS_GVA);
        if (was_virt)
            h->hstatus = (h->hstatus & ~HSTATUS_SPVP) | HSTATUS_SPV |
                         (was_priv == PRIV_S ? HSTATUS_SPVP : 0);
        if (t && t->gva)
            h->hstatus |= HSTATUS_GVA;
        h->mstatus = (h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE)) |
                     (was_priv != PRIV_U ? MSTATUS_SPP : 0) |
                     ((h->mstatus & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        h->priv = PRIV_S;
        h->virt = false;
        h->pc = tvec_target(h->stvec, cause);
        htlb_flush(h);
        if (h->exit_on_hs_trap) {
            fill_exit(h, ex, cause, t, epc, insn, was_virt);
            return true;
        }
        return false;
    }
    h->mcause = cause;
    h->mepc = epc;
    h->mtval = t ? t->tval : 0;
    h->mtval2 = t ? t->tval2 : 0;
    h->mtinst = t ? t->tinst : 0;
    h->mstatus = (h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPV |
                                 MSTATUS_GVA)) |
                 ((uint64_t)was_priv << MSTATUS_MPP_SHIFT) |
                 ((h->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0) |
                 (was_virt ? MSTATUS_MPV : 0) | ((t && t->gva) ? MSTATUS_GVA : 0);
    h->priv = PRIV_M;
    h->virt = false;
    h->pc = tvec_target(h->mtvec, cause);
    htlb_flush(h);
    return false;
}

/*
 * trap_exception: raise exception t->cause for the instruction at `epc`
 * (raw bits `insn`, 0 if not fetched). Returns true if it is a host exit.
 */
bool trap_exception(struct hart *h, const struct trap *t, uint64_t epc, uint32_t insn,
                    struct hart_exit *ex)
{
    uint64_t bit = 1ULL << t->cause;
    uint64_t medeleg = h->exit_on_hs_trap ? MEDELEG_MASK : h->medeleg;
    enum target to = TO_M;

    if (t->cause == CAUSE_FETCH_PAGE_FAULT || t->cause == CAUSE_LOAD_PAGE_FAULT ||
        t->cause == CAUSE_STORE_PAGE_FAULT || t->cause == CAUSE_FETCH_GUEST_PAGE_FAULT ||
        t->cause == CAUSE_LOAD_GUEST_PAGE_FAULT || t->cause == CAUSE_STORE_GUEST_PAGE_FAULT)
        h->ctr.page_faults++;
    if (h->priv != PRIV_M && (medeleg & bit)) {
        to = TO_HS;
        if (h->virt && (h->hedeleg & bit))
            to = TO_VS;
    }
    return deliver(h, to, t->cause, t, epc, insn, ex);
}

/* Pending interrupts whose level enables allow them, split by target. */
static void irq_candidates(const struct hart *h, uint64_t *m, uint64_t *hs, uint64_t *vs)
{
    uint64_t pend = csr_mip(h) & h->mie;
    uint64_t mideleg = (h->exit_on_hs_trap ? MIP_S_MASK : h->mideleg) | MIP_VS_MASK | MIP_SGEIP;
    bool m_on = h->priv < PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool hs_on = h->priv < PRIV_M &&
                 (h->virt || h->priv == PRIV_U || (h->mstatus & MSTATUS_SIE));
    bool vs_on = h->virt && (h->priv == PRIV_U || (h->vsstatus & MSTATUS_SIE));

    *m = m_on ? pend & ~mideleg : 0;
    *hs = hs_on ? pend & mideleg & ~h->hideleg : 0;
    *vs = vs_on ? pend & mideleg & h->hideleg & MIP_VS_MASK : 0;
}

uint64_t irq_pending_any(const struct hart *h)
{
    return csr_mip(h) & h->mie;
}

/*
 * trap_interrupt: take the highest-priority interrupt that is pending and
 * enabled in the current mode. *taken reports whether one was taken; the
 * return value is true if it became a host exit.
 */
bool trap_interrupt(struct hart *h, struct hart_exit *ex, bool *taken)
{
    uint64_t m, hs, vs, set[3];
    enum target to[3] = { TO_M, TO_HS, TO_VS };

    *taken = false;
    irq_candidates(h, &m, &hs, &vs);
    if (!(m | hs | vs))
        return false;
    set[0] = m;
    set[1] = hs;
    set[2] = vs;
    for (unsigned l = 0; l < 3; l++) {
        for (unsigned i = 0; i < sizeof(irq_order) / sizeof(irq_order[0]); i++) {
            if (set[l] & (1ULL << irq_order[i])) {
                *taken = true;
                return deliver(h, to[l], CAUSE_INTERRUPT | irq_order[i], NULL, h->pc, 0, ex);
            }
        }
    }
    return false;
}

/* MRET: return from M-mode (caller has checked the privilege). */
void do_mret(struct hart *h)
{
    unsigned mpp = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    bool mpv = mpp != PRIV_M && (h->mstatus & MSTATUS_MPV);

    h->mstatus = (h->mstatus & ~(MSTATUS_MIE | MSTATUS_MPP | MSTATUS_MPV)) | MSTATUS_MPIE |
                 ((h->mstatus & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    if (mpp != PRIV_M)
        h->mstatus &= ~MSTATUS_MPRV;
    h->priv = mpp;
    h->virt = mpv;
    h->pc = h->mepc;
    h->resv_valid = false;
    htlb_flush(h);
}

/* SRET from HS (V=0) or VS (V=1); caller has checked TSR/VTSR. */
void do_sret(struct hart *h)
{
    if (h->virt) {
        uint64_t s = h->vsstatus;

        h->vsstatus = (s & ~(MSTATUS_SIE | MSTATUS_SPP)) | MSTATUS_SPIE |
                      ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
        h->priv = (s & MSTATUS_SPP) ? PRIV_S : PRIV_U;
        h->pc = h->vsepc;
    } else {
        uint64_t s = h->mstatus;

        h->mstatus = (s & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE |
                     ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
        h->priv = (s & MSTATUS_SPP) ? PRIV_S : PRIV_U;
        h->virt = (h->hstatus & HSTATUS_SPV) != 0;
        h->hstatus &= ~HSTATUS_SPV;
        h->pc = h->sepc;
    }
    h->resv_valid = false;
    htlb_flush(h);
}
