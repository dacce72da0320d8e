/*
 * csr.c: the control and status registers of the virtual hart.
 *
 * Two layers:
 *  - csr_read_raw/csr_write_raw: the value as M-mode sees it, with the WARL
 *    rules of each field applied on write (no privilege checks, no VS
 *    redirection). The host accessors hart_csr_get/set use these.
 *  - csr_insn: what a CSR instruction does: existence, read-only and
 *    privilege checks (illegal instruction, cause 2, or virtual instruction,
 *    cause 22, per the H extension), the VS redirection of S CSRs under V=1,
 *    then the read-modify-write.
 * Invariants: read-only-zero fields stay zero; MXL/SXL/UXL/VSXL read 64-bit;
 * writes that can change translation flush the host TLBs.
 */
#include "riscv/hart_impl.h"

#define MSTATUS_WMASK (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE |      \
                       MSTATUS_SPP | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SUM |      \
                       MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR |       \
                       MSTATUS_GVA | MSTATUS_MPV)
#define SSTATUS_WMASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
#define HSTATUS_WMASK (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU |        \
                       HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR)
#define MIE_WMASK (MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP |    \
                   MIP_VS_MASK | MIP_SGEIP)
#define MISA_VALUE ((2ULL << 62) | (1ULL << 0) | (1ULL << 2) | (1ULL << 7) |          \
                    (1ULL << 8) | (1ULL << 12) | (1ULL << 18) | (1ULL << 20))

/* The live mip: software bits, hvip, and the CLINT lines. */
uint64_t csr_mip(const struct hart *h)
{
    uint64_t mip = h->mip_sw | (h->hvip & MIP_VS_MASK);

    if (h->msip)
        mip |= MIP_MSIP;
    if ((uint64_t)((int64_t)hart_time_raw(h) + h->time_off) >= h->mtimecmp)
        mip |= MIP_MTIP;
    return mip;
}

static uint64_t cycles_now(const struct hart *h)
{
    return hart_modeled_cycles(h);
}

static bool valid_satp_mode(uint64_t v)
{
    uint64_t m = v >> SATP_MODE_SHIFT;
    return m == SATP_MODE_BARE || m == SATP_MODE_SV39 || m == SATP_MODE_SV48;
}

/*
 * csr_read_raw: the value of `csr` as M-mode reads it. *ok = false if the CSR
 * does not exist in this hart.
 */
uint64_t csr_read_raw(struct hart *h, unsigned csr, bool *ok)
{
    *ok = true;
    if ((csr >= CSR_HPMCOUNTER3 && csr <= 0xC1F) || (csr >= CSR_MHPMCOUNTER3 && csr <= 0xB1F) ||
        (csr >= CSR_MHPMEVENT3 && csr <= 0x33F))
        return 0;
    if (csr >= CSR_PMPADDR0 && csr <= 0x3EF)
        return 0;
    if (csr >= CSR_PMPCFG0 && csr <= 0x3AF) {
        *ok = (csr & 1) == 0;
        return 0;
    }
    switch (csr) {
    case CSR_CYCLE: case CSR_MCYCLE: return cycles_now(h) + h->mcycle_off;
    case CSR_INSTRET: case CSR_MINSTRET: return h->ctr.instret + h->minstret_off;
    case CSR_TIME: return hart_time(h) + (h->virt ? h->htimedelta : 0);
    case CSR_SSTATUS:
        return (h->mstatus & (SSTATUS_MASK & ~MSTATUS_UXL)) | (XLEN_64 << MSTATUS_UXL_SHIFT);
    case CSR_SIE: return h->mie & h->mideleg & MIP_S_MASK;
    case CSR_STVEC: return h->stvec;
    case CSR_SCOUNTEREN: return h->scounteren;
    case CSR_SENVCFG: return h->senvcfg;
    case CSR_SSCRATCH: return h->sscratch;
    case CSR_SEPC: return h->sepc;
    case CSR_SCAUSE: return h->scause;
    case CSR_STVAL: return h->stval;
    case CSR_SIP: return csr_mip(h) & h->mideleg & MIP_S_MASK;
    case CSR_SATP: return h->satp;
    case CSR_HSTATUS: return h->hstatus | (XLEN_64 << HSTATUS_VSXL_SHIFT);
    case CSR_HEDELEG: return h->hedeleg;
    case CSR_HIDELEG: return h->hideleg;
    case CSR_HIE: return h->mie & MIP_HS_MASK;
    case CSR_HTIMEDELTA: return h->htimedelta;
    case CSR_HCOUNTEREN: return h->hcounteren;
    case CSR_HGEIE: return 0;
    case CSR_HENVCFG: return h->henvcfg;
    case CSR_HTVAL: return h->htval;
    case CSR_HIP: return csr_mip(h) & MIP_HS_MASK;
    case CSR_HVIP: return h->hvip;
    case CSR_HTINST: return h->htinst;
    case CSR_HGATP: return h->hgatp;
    case CSR_HGEIP: return 0;
    case CSR_VSSTATUS: return h->vsstatus | (XLEN_64 << MSTATUS_UXL_SHIFT);
    case CSR_VSIE: return (h->mie & h->hideleg & MIP_VS_MASK) >> 1;
    case CSR_VSTVEC: return h->vstvec;
    case CSR_VSSCRATCH: return h->vsscratch;
    case CSR_VSEPC: return h->vsepc;
    case CSR_VSCAUSE: return h->vscause;
    case CSR_VSTVAL: return h->vstval;
    case CSR_VSIP: return (csr_mip(h) & h->hideleg & MIP_VS_MASK) >> 1;
    case CSR_VSATP: return h->vsatp;
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MHARTID:
    case CSR_MCONFIGPTR: return 0;
    case CSR_MSTATUS:
        return h->mstatus | (XLEN_64 << MSTATUS_UXL_SHIFT) | (XLEN_64 << MSTATUS_SXL_SHIFT);
    case CSR_MISA: return MISA_VALUE;
    case CSR_MEDELEG: return h->medeleg;
    case CSR_MIDELEG: return h->mideleg | MIP_VS_MASK | MIP_SGEIP;
    case CSR_MIE: return h->mie;
    case CSR_MTVEC: return h->mtvec;
    case CSR_MCOUNTEREN: return h->mcounteren;
    case CSR_MENVCFG: return h->menvcfg;
    case CSR_MCOUNTINHIBIT: return 0;
    case CSR_MSCRATCH: return h->mscratch;
    case CSR_MEPC: return h->mepc;
    case CSR_MCAUSE: return h->mcause;
    case CSR_MTVAL: return h->mtval;
    case CSR_MIP: return csr_mip(h);
    case CSR_MTINST: return h->mtinst;
    case CSR_MTVAL2: return h->mtval2;
    case CSR_TSELECT: case CSR_TDATA1: case CSR_TDATA1 + 1: case CSR_TDATA1 + 2: return 0;
    }
    *ok = false;
    return 0;
}

static uint64_t merge(uint64_t old, uint64_t v, uint64_t mask)
{
    return (old & ~mask) | (v & mask);
}

static uint64_t tvec(uint64_t v)
{
    return v & ~2ULL;   /* MODE 0 (direct) or 1 (vectored); bit 1 reads zero */
}

/*
 * csr_write_raw: write `v` to `csr` as M-mode would, applying WARL rules.
 * Returns false if the CSR does not exist or is read-only.
 */
bool csr_write_raw(struct hart *h, unsigned csr, uint64_t v)
{
    bool ok;

    if ((csr >> 10) == 3)
        return false;
    (void)csr_read_raw(h, csr, &ok);
    if (!ok)
        return false;
    switch (csr) {
    case CSR_MSTATUS:
        if (((v & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
            v = (v & ~MSTATUS_MPP) | (h->mstatus & MSTATUS_MPP);
        h->mstatus = merge(h->mstatus, v, MSTATUS_WMASK);
        htlb_flush(h);
        break;
    case CSR_SSTATUS:
        h->mstatus = merge(h->mstatus, v, SSTATUS_WMASK);
        htlb_flush(h);
        break;
    case CSR_VSSTATUS:
        h->vsstatus = merge(h->vsstatus, v, SSTATUS_WMASK);
        htlb_flush(h);
        break;
    case CSR_HSTATUS: h->hstatus = merge(h->hstatus, v, HSTATUS_WMASK); break;
    case CSR_MEDELEG: h->medeleg = v & MEDELEG_MASK; break;
    case CSR_MIDELEG: h->mideleg = v & MIP_S_MASK; break;
    case CSR_HEDELEG: h->hedeleg = v & HEDELEG_MASK; break;
    case CSR_HIDELEG: h->hideleg = v & MIP_VS_MASK; break;
    case CSR_MIE: h->mie = v & MIE_WMASK; break;
    case CSR_SIE: h->mie = merge(h->mie, v, h->mideleg & MIP_S_MASK); break;
    case CSR_HIE: h->mie = merge(h->mie, v, MIP_VS_MASK | MIP_SGEIP); break;
    case CSR_VSIE: h->mie = merge(h->mie, v << 1, h->hideleg & MIP_VS_MASK); break;
    case CSR_MIP:
        h->mip_sw = merge(h->mip_sw, v, MIP_SSIP | MIP_STIP | MIP_SEIP);
        h->hvip = merge(h->hvip, v, MIP_VSSIP);
        break;
    case CSR_SIP: h->mip_sw = merge(h->mip_sw, v, h->mideleg & MIP_SSIP); break;
    case CSR_HIP: h->hvip = merge(h->hvip, v, MIP_VSSIP); break;
    case CSR_HVIP: h->hvip = v & MIP_VS_MASK; break;
    case CSR_VSIP: h->hvip = merge(h->hvip, v << 1, h->hideleg & MIP_VSSIP); break;
    case CSR_MTVEC: h->mtvec = tvec(v); break;
    case CSR_STVEC: h->stvec = tvec(v); break;
    case CSR_VSTVEC: h->vstvec = tvec(v); break;
    case CSR_MEPC: h->mepc = v & ~1ULL; break;
    case CSR_SEPC: h->sepc = v & ~1ULL; break;
    case CSR_VSEPC: h->vsepc = v & ~1ULL; break;
    case CSR_MCAUSE: h->mcause = v; break;
    case CSR_SCAUSE: h->scause = v; break;
    case CSR_VSCAUSE: h->vscause = v; break;
    case CSR_MTVAL: h->mtval = v; break;
    case CSR_STVAL: h->stval = v; break;
    case CSR_VSTVAL: h->vstval = v; break;
    case CSR_HTVAL: h->htval = v; break;
    case CSR_HTINST: h->htinst = v; break;
    case CSR_MTVAL2: h->mtval2 = v; break;
    case CSR_MTINST: h->mtinst = v; break;
    case CSR_MSCRATCH: h->mscratch = v; break;
    case CSR_SSCRATCH: h->sscratch = v; break;
    case CSR_VSSCRATCH: h->vsscratch = v; break;
    case CSR_MCOUNTEREN: h->mcounteren = v & 0xffffffffULL; break;
    case CSR_SCOUNTEREN: h->scounteren = v & 0xffffffffULL; break;
    case CSR_HCOUNTEREN: h->hcounteren = v & 0xffffffffULL; break;
    case CSR_MENVCFG: h->menvcfg = v & 1; break;
    case CSR_SENVCFG: h->senvcfg = v & 1; break;
    case CSR_HENVCFG: h->henvcfg = v & 1; break;
    case CSR_HTIMEDELTA: h->htimedelta = v; break;
    case CSR_MCYCLE: h->mcycle_off = v - cycles_now(h); break;
    case CSR_MINSTRET: h->minstret_off = v - h->ctr.instret; break;
    case CSR_SATP:
        if (!valid_satp_mode(v))
            break;
        if ((v ^ h->satp) & SATP_MODE_MASK)
            tlb_flush_vma(h, false, 0, ~0ULL, ~0ULL);
        h->satp = v & (SATP_MODE_MASK | SATP_ASID_MASK | SATP_PPN_MASK);
        htlb_flush(h);
        break;
    case CSR_VSATP:
        if (!valid_satp_mode(v))
            break;
        if ((v ^ h->vsatp) & SATP_MODE_MASK)
            tlb_flush_vma(h, true, (uint16_t)((h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT),
                          ~0ULL, ~0ULL);
        h->vsatp = v & (SATP_MODE_MASK | SATP_ASID_MASK | SATP_PPN_MASK);
        htlb_flush(h);
        break;
    case CSR_HGATP:
        if (!valid_satp_mode(v))
            break;
        v &= HGATP_MODE_MASK | HGATP_VMID_MASK | (HGATP_PPN_MASK & ~3ULL);
        if ((v ^ h->hgatp) & HGATP_MODE_MASK)
            tlb_flush_gvma(h, ~0ULL, (v & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT);
        h->hgatp = v;
        htlb_flush(h);
        break;
    default:
        break;   /* read-only-zero or WARL-ignored CSRs */
    }
    return true;
}

/* Counter CSRs (cycle/time/instret/hpmcounterN) from below M: 0 or a cause. */
static int counter_check(const struct hart *h, unsigned csr)
{
    uint64_t bit = 1ULL << (csr & 31);

    if (h->priv == PRIV_M)
        return 0;
    if (!(h->mcounteren & bit))
        return CAUSE_ILLEGAL_INSN;
    if (h->virt) {
        if (!(h->hcounteren & bit))
            return CAUSE_VIRTUAL_INSN;
        if (h->priv == PRIV_U && !(h->scounteren & bit))
            return CAUSE_VIRTUAL_INSN;
        return 0;
    }
    if (h->priv == PRIV_U && !(h->scounteren & bit))
        return CAUSE_ILLEGAL_INSN;
    return 0;
}

/* The VS CSR an S CSR number names when V=1, or the number itself. */
static unsigned vs_redirect(unsigned csr)
{
    switch (csr) {
    case CSR_SSTATUS: return CSR_VSSTATUS;
    case CSR_SIE: return CSR_VSIE;
    case CSR_STVEC: return CSR_VSTVEC;
    case CSR_SSCRATCH: return CSR_VSSCRATCH;
    case CSR_SEPC: return CSR_VSEPC;
    case CSR_SCAUSE: return CSR_VSCAUSE;
    case CSR_STVAL: return CSR_VSTVAL;
    case CSR_SIP: return CSR_VSIP;
    case CSR_SATP: return CSR_VSATP;
    default: return csr;
    }
}

/* Privilege check for `csr` in the current mode: 0, or cause 2 / 22. */
static int csr_priv_check(const struct hart *h, unsigned csr, bool write)
{
    unsigned lvl = (csr >> 8) & 3;

    if (write && (csr >> 10) == 3)
        return CAUSE_ILLEGAL_INSN;
    if (csr >= CSR_CYCLE && csr <= 0xC1F)
        return counter_check(h, csr);
    if (h->priv == PRIV_M)
        return 0;
    if (lvl == 3)
        return CAUSE_ILLEGAL_INSN;
    if (lvl == 2) {
        if (!h->virt && h->priv == PRIV_S)
            goto hs_rules;
        return h->virt ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL_INSN;
    }
    if (lvl == 1) {
        if (h->priv == PRIV_U)
            return h->virt ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL_INSN;
        if (h->virt && csr == CSR_SATP) {
            if (h->hstatus & HSTATUS_VTVM)
                return CAUSE_VIRTUAL_INSN;
            return 0;
        }
        goto hs_rules;
    }
    return 0;
hs_rules:
    if (!h->virt && (csr == CSR_SATP || csr == CSR_HGATP) && (h->mstatus & MSTATUS_TVM))
        return CAUSE_ILLEGAL_INSN;
    return 0;
}

/*
 * csr_insn: execute a CSR instruction on `csr`. op: 1 = write, 2 = set bits,
 * 3 = clear bits, with operand `src`; `write` is false when rs1/uimm is x0/0
 * for set/clear (no write side effects). Returns 0 and *old, or a cause.
 */
int csr_insn(struct hart *h, unsigned csr, unsigned op, uint64_t src, bool write, uint64_t *old)
{
    bool ok;
    int cause;
    uint64_t v;

    (void)csr_read_raw(h, csr, &ok);
    if (!ok)
        return CAUSE_ILLEGAL_INSN;
    cause = csr_priv_check(h, csr, write);
    if (cause)
        return cause;
    if (h->virt)
        csr = vs_redirect(csr);
    v = csr_read_raw(h, csr, &ok);
    *old = v;
    if (!write)
        return 0;
    if (op == 2)
        src = v | src;
    else if (op == 3)
        src = v & ~src;
    if (!csr_write_raw(h, csr, src))
        return CAUSE_ILLEGAL_INSN;
    return 0;
}
