/*
 * csr.h: RISC-V CSR numbers and bit definitions (privileged spec 1.12 with
 * the H extension), as used by the virtual hart and by the hypervisor.
 *
 * Only facts of the specification live here: numbers, bit positions, field
 * encodings, exception causes and interrupt numbers. No behaviour.
 */
#ifndef RISCV_CSR_H
#define RISCV_CSR_H

/* ---- Unprivileged counters (Zicntr) ---- */
#define CSR_CYCLE       0xC00
#define CSR_TIME        0xC01
#define CSR_INSTRET     0xC02
#define CSR_HPMCOUNTER3 0xC03   /* ..0xC1F: read as zero */

/* ---- Supervisor ---- */
#define CSR_SSTATUS     0x100
#define CSR_SIE         0x104
#define CSR_STVEC       0x105
#define CSR_SCOUNTEREN  0x106
#define CSR_SENVCFG     0x10A
#define CSR_SSCRATCH    0x140
#define CSR_SEPC        0x141
#define CSR_SCAUSE      0x142
#define CSR_STVAL       0x143
#define CSR_SIP         0x144
#define CSR_SATP        0x180

/* ---- Hypervisor ---- */
#define CSR_HSTATUS     0x600
#define CSR_HEDELEG     0x602
#define CSR_HIDELEG     0x603
#define CSR_HIE         0x604
#define CSR_HTIMEDELTA  0x605
#define CSR_HCOUNTEREN  0x606
#define CSR_HGEIE       0x607
#define CSR_HENVCFG     0x60A
#define CSR_HTVAL       0x643
#define CSR_HIP         0x644
#define CSR_HVIP        0x645
#define CSR_HTINST      0x64A
#define CSR_HGATP       0x680
#define CSR_HGEIP       0xE12

/* ---- Virtual supervisor ---- */
#define CSR_VSSTATUS    0x200
#define CSR_VSIE        0x204
#define CSR_VSTVEC      0x205
#define CSR_VSSCRATCH   0x240
#define CSR_VSEPC       0x241
#define CSR_VSCAUSE     0x242
#define CSR_VSTVAL      0x243
#define CSR_VSIP        0x244
#define CSR_VSATP       0x280

/* ---- Machine ---- */
#define CSR_MVENDORID   0xF11
#define CSR_MARCHID     0xF12
#define CSR_MIMPID      0xF13
#define CSR_MHARTID     0xF14
#define CSR_MCONFIGPTR  0xF15
#define CSR_MSTATUS     0x300
#define CSR_MISA        0x301
#define CSR_MEDELEG     0x302
#define CSR_MIDELEG     0x303
#define CSR_MIE         0x304
#define CSR_MTVEC       0x305
#define CSR_MCOUNTEREN  0x306
#define CSR_MENVCFG     0x30A
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3  0x323   /* ..0x33F: read as zero */
#define CSR_MSCRATCH    0x340
#define CSR_MEPC        0x341
#define CSR_MCAUSE      0x342
#define CSR_MTVAL       0x343
#define CSR_MIP         0x344
#define CSR_MTINST      0x34A
#define CSR_MTVAL2      0x34B
#define CSR_PMPCFG0     0x3A0   /* ..0x3AF */
#define CSR_PMPADDR0    0x3B0   /* ..0x3EF */
#define CSR_MCYCLE      0xB00
#define CSR_MINSTRET    0xB02
#define CSR_MHPMCOUNTER3 0xB03  /* ..0xB1F: read as zero */
#define CSR_TSELECT     0x7A0
#define CSR_TDATA1      0x7A1

/* ---- mstatus / sstatus / vsstatus ---- */
#define MSTATUS_SIE     (1ULL << 1)
#define MSTATUS_MIE     (1ULL << 3)
#define MSTATUS_SPIE    (1ULL << 5)
#define MSTATUS_UBE     (1ULL << 6)
#define MSTATUS_MPIE    (1ULL << 7)
#define MSTATUS_SPP     (1ULL << 8)
#define MSTATUS_VS      (3ULL << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP     (3ULL << 11)
#define MSTATUS_FS      (3ULL << 13)
#define MSTATUS_XS      (3ULL << 15)
#define MSTATUS_MPRV    (1ULL << 17)
#define MSTATUS_SUM     (1ULL << 18)
#define MSTATUS_MXR     (1ULL << 19)
#define MSTATUS_TVM     (1ULL << 20)
#define MSTATUS_TW      (1ULL << 21)
#define MSTATUS_TSR     (1ULL << 22)
#define MSTATUS_UXL_SHIFT 32
#define MSTATUS_UXL     (3ULL << 32)
#define MSTATUS_SXL_SHIFT 34
#define MSTATUS_SXL     (3ULL << 34)
#define MSTATUS_SBE     (1ULL << 36)
#define MSTATUS_MBE     (1ULL << 37)
#define MSTATUS_GVA     (1ULL << 38)
#define MSTATUS_MPV     (1ULL << 39)
#define MSTATUS_SD      (1ULL << 63)

/* The sstatus view of mstatus (also the layout of vsstatus). */
#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | \
                      MSTATUS_VS | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM |      \
                      MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

#define XLEN_64 2ULL   /* the MXL/SXL/UXL/VSXL encoding of 64 bits */

/* ---- hstatus ---- */
#define HSTATUS_VSBE    (1ULL << 5)
#define HSTATUS_GVA     (1ULL << 6)
#define HSTATUS_SPV     (1ULL << 7)
#define HSTATUS_SPVP    (1ULL << 8)
#define HSTATUS_HU      (1ULL << 9)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN   (0x3FULL << 12)
#define HSTATUS_VTVM    (1ULL << 20)
#define HSTATUS_VTW     (1ULL << 21)
#define HSTATUS_VTSR    (1ULL << 22)
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL    (3ULL << 32)

/* ---- satp / vsatp / hgatp ---- */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_MASK  (0xFULL << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK  (0xFFFFULL << 44)
#define SATP_PPN_MASK   0x00000FFFFFFFFFFFULL
#define HGATP_MODE_SHIFT 60
#define HGATP_MODE_MASK (0xFULL << 60)
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK (0x3FFFULL << 44)   /* VMIDLEN = 14 */
#define HGATP_PPN_MASK  0x00000FFFFFFFFFFFULL
#define HGATP_MODE_SV39X4 8
#define HGATP_MODE_SV48X4 9

/* ---- Interrupt numbers (bit positions in mip/mie/hip/hvip...) ---- */
#define IRQ_S_SOFT      1
#define IRQ_VS_SOFT     2
#define IRQ_M_SOFT      3
#define IRQ_S_TIMER     5
#define IRQ_VS_TIMER    6
#define IRQ_M_TIMER     7
#define IRQ_S_EXT       9
#define IRQ_VS_EXT      10
#define IRQ_M_EXT       11
#define IRQ_S_GEXT      12

#define MIP_SSIP   (1ULL << IRQ_S_SOFT)
#define MIP_VSSIP  (1ULL << IRQ_VS_SOFT)
#define MIP_MSIP   (1ULL << IRQ_M_SOFT)
#define MIP_STIP   (1ULL << IRQ_S_TIMER)
#define MIP_VSTIP  (1ULL << IRQ_VS_TIMER)
#define MIP_MTIP   (1ULL << IRQ_M_TIMER)
#define MIP_SEIP   (1ULL << IRQ_S_EXT)
#define MIP_VSEIP  (1ULL << IRQ_VS_EXT)
#define MIP_MEIP   (1ULL << IRQ_M_EXT)
#define MIP_SGEIP  (1ULL << IRQ_S_GEXT)

#define MIP_VS_MASK (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)
#define MIP_HS_MASK (MIP_VS_MASK | MIP_SGEIP)   /* the bits hip/hie hold */
#define MIP_S_MASK  (MIP_SSIP | MIP_STIP | MIP_SEIP)

#define CAUSE_INTERRUPT (1ULL << 63)

/* ---- Exception causes ---- */
#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSN        2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_ECALL_U             8   /* also VU-mode */
#define CAUSE_ECALL_S             9   /* HS-mode */
#define CAUSE_ECALL_VS           10
#define CAUSE_ECALL_M            11
#define CAUSE_FETCH_PAGE_FAULT   12
#define CAUSE_LOAD_PAGE_FAULT    13
#define CAUSE_STORE_PAGE_FAULT   15
#define CAUSE_FETCH_GUEST_PAGE_FAULT 20
#define CAUSE_LOAD_GUEST_PAGE_FAULT  21
#define CAUSE_VIRTUAL_INSN       22
#define CAUSE_STORE_GUEST_PAGE_FAULT 23

/* Exceptions that medeleg may delegate (11, ecall from M, is read-only zero). */
#define MEDELEG_MASK 0xF0B7FFULL /* 0-10,12,13,15,20,21,22,23 */
/* Exceptions that hedeleg may delegate: not 9, 10, 11, 20, 21, 22, 23. */
#define HEDELEG_MASK 0xB1FFULL   /* 0-8,12,13,15 */

/* htinst pseudo-instructions for implicit VS-stage PTE accesses. */
#define HTINST_PSEUDO_READ32  0x00002000ULL
#define HTINST_PSEUDO_READ64  0x00003000ULL
#define HTINST_PSEUDO_WRITE32 0x00002020ULL
#define HTINST_PSEUDO_WRITE64 0x00003020ULL

/* CLINT (as on QEMU virt / spike): msip, mtimecmp, mtime for hart 0. */
#define CLINT_BASE      0x02000000ULL
#define CLINT_SIZE      0x00010000ULL
#define CLINT_MSIP      0x0000
#define CLINT_MTIMECMP  0x4000
#define CLINT_MTIME     0xBFF8

#endif
