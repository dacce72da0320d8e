/*
 * shadow_inject.c: delivering a trap to the guest's VS-mode handler, as the
 * hart would have if the trap had been delegated through hedeleg.
 *
 * In shadow mode page faults are not delegated (they must reach the shadow
 * code first), so a genuine guest page fault, or an instruction the guest may
 * not execute, is delivered here by hand: vscause, vstval, vsepc,
 * vsstatus.SPP/SPIE/SIE, and the return pc set to vstvec's base (exceptions
 * are never vectored). The host's following hart_sret() then enters VS-mode
 * at the handler.
 * Precondition: the hart is stopped on an exit taken from V=1.
 */
#include "shadow-private.h"

void sh_inject_trap(struct hart *h, uint64_t cause, uint64_t tval, uint64_t pc)
{
    uint64_t sstatus = hart_csr_get(h, CSR_SSTATUS);
    uint64_t vsstatus = hart_csr_get(h, CSR_VSSTATUS);
    bool from_vs = (sstatus & MSTATUS_SPP) != 0;

    vsstatus &= ~(MSTATUS_SPP | MSTATUS_SPIE);
    if (from_vs)
        vsstatus |= MSTATUS_SPP;
    if (vsstatus & MSTATUS_SIE)
        vsstatus |= MSTATUS_SPIE;
    vsstatus &= ~MSTATUS_SIE;
    hart_csr_set(h, CSR_VSSTATUS, vsstatus);
    hart_csr_set(h, CSR_VSCAUSE, cause);
    hart_csr_set(h, CSR_VSTVAL, tval);
    hart_csr_set(h, CSR_VSEPC, pc);
    hart_csr_set(h, CSR_SEPC, hart_csr_get(h, CSR_VSTVEC) & ~3ULL);
    hart_csr_set(h, CSR_SSTATUS, sstatus | MSTATUS_SPP);
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) | HSTATUS_SPV);
}
