/*
 * shadow_vinsn.c: the virtual-instruction exits shadow mode owns.
 *
 * With hstatus.VTVM=1, a VS-mode access to satp (csrrw/csrrs/csrrc and their
 * immediate forms, reads included) and sfence.vma raise a virtual-instruction
 * exception (cause 22) with the instruction bits in the exit. They are
 * emulated here and sepc moves past them (they are 32-bit instructions):
 *  - satp: the guest's value lives in the shadow state (WARL: an unsupported
 *    MODE makes the whole write have no effect, ASID and PPN keep only the
 *    bits the hart implements). A write resyncs every out-of-sync table
 *    (OOS 6) and loads the shadow top for (root GFN, ASID) into the real
 *    vsatp with the guest's ASID, so hart TLB tags stay the guest's. A change
 *    to or from Bare (or between Sv39 and Sv48) takes effect at once, so it
 *    flushes that vCPU's VS TLB, as the spec requires of hardware.
 *  - sfence.vma rs1, rs2: resync (OOS 6), then hfence.vvma on the hart with
 *    the same address and ASID precision (x0 meaning "all", as in the spec);
 *    global mappings are kept by an ASID-specific flush, as on hardware.
 * The same instructions from VU-mode are illegal in the guest: an illegal-
 * instruction trap is delivered to its VS handler.
 */
#include <errno.h>

#include "shadow-private.h"

#define INSN_SYSTEM      0x73
#define INSN_SFENCE_VMA  0x09   /* funct7 */

/*
 * Load the guest's new satp value on v (paging lock held). Returns 0 or
 * -errno. An unsupported MODE leaves everything unchanged (WARL).
 */
int sh_set_guest_satp(struct shadow_domain *sd, struct vcpu *v, uint64_t satp)
{
    struct sh_vcpu *sv = &sd->vcpus[v->vcpu_id];
    uint64_t mode = (satp & SATP_MODE_MASK) >> SATP_MODE_SHIFT;
    uint64_t old_mode = (sv->guest_satp & SATP_MODE_MASK) >> SATP_MODE_SHIFT;
    uint64_t asid, real;
    int slot, rc;

    if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && !(mode == SATP_MODE_SV48 && sd->sv48))
        return 0;
    satp &= SATP_MODE_MASK | sd->asid_mask | sd->ppn_mask;
    sh_oos_resync_all(sd);
    if ((rc = sh_prealloc(sd, sh_worst_case(SH_MAX_LEVELS))))
        return rc;
    slot = sh_top_get(sd, satp, v->vcpu_id);
    if (slot < 0)
        return slot;
    sv->guest_satp = satp;
    sv->top = slot;
    asid = satp & SATP_ASID_MASK;
    real = ((mode == SATP_MODE_BARE ? (uint64_t)SATP_MODE_SV39 : mode) << SATP_MODE_SHIFT) |
           asid | mfn_x(sd->tops[slot].sp->smfn);
    hart_csr_set(v->hart, CSR_VSATP, real);
    if (mode != old_mode)
        hart_hfence_vvma(v->hart, ~0ULL, ~0ULL);
    return 0;
}

/* satp access: csrr{w,s,c}[i] rd, satp, rs1/uimm. */
static int sh_emulate_satp(struct shadow_domain *sd, struct vcpu *v, uint32_t insn)
{
    unsigned funct3 = (insn >> 12) & 7, rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31;
    uint64_t old = sd->vcpus[v->vcpu_id].guest_satp;
    uint64_t src = (funct3 & 4) ? rs1 : hart_get_reg(v->hart, rs1);
    uint64_t new;
    int rc = 0;

    sd->stats.exits_satp++;
    switch (funct3 & 3) {
    case 1:  new = src; break;                       /* csrrw(i): always writes */
    case 2:  new = old | src; break;                 /* csrrs(i) */
    default: new = old & ~src; break;                /* csrrc(i) */
    }
    if ((funct3 & 3) == 1 || rs1 != 0)
        rc = sh_set_guest_satp(sd, v, new);
    if (rc == 0)
        hart_set_reg(v->hart, rd, old);
    return rc;
}

/* sfence.vma rs1, rs2. */
static int sh_emulate_sfence(struct shadow_domain *sd, struct vcpu *v, uint32_t insn)
{
    unsigned rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;
    uint64_t va = rs1 ? hart_get_reg(v->hart, rs1) : ~0ULL;
    uint64_t asid = rs2 ? (hart_get_reg(v->hart, rs2) & (sd->asid_mask >> SATP_ASID_SHIFT))
                        : ~0ULL;

    sd->stats.exits_sfence++;
    sh_oos_resync_all(sd);
    hart_hfence_vvma(v->hart, va, asid);
    return 0;
}

/*
 * The virtual-instruction exit ex. Returns 0 (emulated, sepc advanced), 1
 * (an illegal-instruction trap was delivered to the guest), -EOPNOTSUPP for
 * an instruction shadow mode does not own (the caller decides), or -errno.
 */
int shadow_handle_vinsn(struct vcpu *v, const struct hart_exit *ex)
{
    struct shadow_domain *sd = sh_dom(v->domain);
    uint32_t insn = ex->insn ? ex->insn : (uint32_t)ex->tval;
    unsigned funct3 = (insn >> 12) & 7;
    bool from_vu = !(hart_csr_get(v->hart, CSR_SSTATUS) & MSTATUS_SPP);
    bool satp = false, sfence = false;
    int rc = -EOPNOTSUPP;

    if ((insn & 0x7f) == INSN_SYSTEM) {
        satp = funct3 != 0 && funct3 != 4 && (insn >> 20) == CSR_SATP;
        sfence = funct3 == 0 && (insn >> 25) == INSN_SFENCE_VMA && ((insn >> 7) & 31) == 0;
    }
    if (!satp && !sfence)
        return -EOPNOTSUPP;
    sh_op_begin(sd);
    if (from_vu) {
        sh_inject_trap(v->hart, CAUSE_ILLEGAL_INSN, insn, ex->pc);
        rc = 1;
        goto out;
    }
    rc = satp ? sh_emulate_satp(sd, v, insn) : sh_emulate_sfence(sd, v, insn);
    if (rc == 0)
        hart_csr_set(v->hart, CSR_SEPC, ex->pc + 4);
out:
    return sh_op_end(sd, v, rc);
}
