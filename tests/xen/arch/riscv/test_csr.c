/*
 * test_csr.c: CSR access rules: WARL fields, read-only CSRs, privilege
 * (illegal instruction), the H extension's virtual-instruction cases, the
 * VS redirection of S CSRs, and the counter-enable rules.
 */
#include "hart_test_util.h"
#include "riscv/csr.h"
#include "umbra_test.h"

static struct th T;
static struct hart_exit EX;

#define G(c) hart_csr_get(T.h, c)
#define S(c, v) hart_csr_set(T.h, c, v)

/* Run one instruction in (priv, virt); traps to M land at TH_RAM + 0x3000. */
static enum hart_exit_kind in_mode(enum hart_priv p, bool v, uint32_t insn)
{
    th_org(&T, TH_CODE);
    th_emit(&T, insn);
    S(CSR_MTVEC, TH_RAM + 0x3000);
    S(CSR_MCAUSE, 0);
    hart_set_mode(T.h, p, v);
    hart_set_pc(T.h, TH_CODE);
    return th_run(&T, 1, &EX);
}

static void test_warl(void)
{
    th_init(&T, NULL);
    CU_ASSERT_EQUAL(G(CSR_MISA) >> 62, 2);
    CU_ASSERT(G(CSR_MISA) & (1 << 7));          /* H */
    CU_ASSERT(G(CSR_MISA) & (1 << 2));          /* C */
    S(CSR_MTVEC, TH_RAM + 3);
    CU_ASSERT_EQUAL(G(CSR_MTVEC), TH_RAM + 1);
    S(CSR_MSTATUS, 1ULL << 11);                 /* MPP = S */
    S(CSR_MSTATUS, 2ULL << 11);                 /* reserved: keeps S */
    CU_ASSERT_EQUAL((G(CSR_MSTATUS) >> 11) & 3, 1);
    CU_ASSERT_EQUAL((G(CSR_MSTATUS) >> 32) & 0xf, 0xa);   /* UXL = SXL = 64 */
    S(CSR_MEDELEG, ~0ULL);
    CU_ASSERT_EQUAL(G(CSR_MEDELEG), MEDELEG_MASK);
    CU_ASSERT_EQUAL(G(CSR_MEDELEG) & (1 << 11), 0);
    S(CSR_HEDELEG, ~0ULL);
    CU_ASSERT_EQUAL(G(CSR_HEDELEG) & ((7ULL << 9) | (0xfULL << 20)), 0);
    CU_ASSERT_EQUAL(G(CSR_HEDELEG), HEDELEG_MASK);
    S(CSR_MIDELEG, 0);
    CU_ASSERT_EQUAL(G(CSR_MIDELEG), MIP_VS_MASK | MIP_SGEIP);   /* read-only ones */
    S(CSR_HIDELEG, ~0ULL);
    CU_ASSERT_EQUAL(G(CSR_HIDELEG), MIP_VS_MASK);
    S(CSR_SATP, (8ULL << 60) | 0x1234);
    S(CSR_SATP, (5ULL << 60) | 0x5678);         /* unsupported mode: ignored */
    CU_ASSERT_EQUAL(G(CSR_SATP), (8ULL << 60) | 0x1234);
    S(CSR_HGATP, (8ULL << 60) | 0x1237);
    CU_ASSERT_EQUAL(G(CSR_HGATP), (8ULL << 60) | 0x1234);   /* 16 KiB-aligned root */
    S(CSR_MEPC, 0x80000003);
    CU_ASSERT_EQUAL(G(CSR_MEPC), 0x80000002);
    S(CSR_HVIP, ~0ULL);
    CU_ASSERT_EQUAL(G(CSR_HVIP), MIP_VS_MASK);
    CU_ASSERT_EQUAL(G(CSR_MIP) & MIP_VS_MASK, MIP_VS_MASK);
    CU_ASSERT_EQUAL(G(CSR_HIP) & MIP_VS_MASK, MIP_VS_MASK);
    S(CSR_HIP, 0);                              /* only VSSIP is writable in hip */
    CU_ASSERT_EQUAL(G(CSR_HVIP), MIP_VSTIP | MIP_VSEIP);
    CU_ASSERT_EQUAL((G(CSR_HSTATUS) >> 32) & 3, 2);          /* VSXL */
    S(CSR_PMPADDR0, ~0ULL);
    CU_ASSERT_EQUAL(G(CSR_PMPADDR0), 0);
    th_fini(&T);
}

static void test_privilege(void)
{
    th_init(&T, NULL);
    in_mode(PRIV_M, false, CSRRW(0, CSR_MHARTID, 5));        /* read-only CSR */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    CU_ASSERT_EQUAL(G(CSR_MTVAL), CSRRW(0, CSR_MHARTID, 5));
    in_mode(PRIV_M, false, CSRRS(5, CSR_MHARTID, 0));         /* reading is fine */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), 0);
    in_mode(PRIV_S, false, CSRRS(5, CSR_MSTATUS, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    in_mode(PRIV_U, false, CSRRS(5, CSR_SSTATUS, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    in_mode(PRIV_S, false, CSRRS(5, CSR_SSTATUS, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), 0);
    in_mode(PRIV_S, false, CSRRS(5, CSR_HSTATUS, 0));          /* HS may use H CSRs */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), 0);
    in_mode(PRIV_U, false, CSRRS(5, CSR_HSTATUS, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    S(CSR_MSTATUS, MSTATUS_TVM);
    in_mode(PRIV_S, false, CSRRS(5, CSR_SATP, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    in_mode(PRIV_S, false, SFENCE_VMA(0, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    S(CSR_MSTATUS, 0);
    in_mode(PRIV_S, false, CSRRW(0, 0x7C0, 5));               /* no such CSR */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    th_fini(&T);
}

static void test_virtual_instruction(void)
{
    th_init(&T, NULL);
    hart_set_exit_on_hs_trap(T.h, true);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRS(5, CSR_HSTATUS, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(EX.tval, CSRRS(5, CSR_HSTATUS, 0));
    CU_ASSERT_EQUAL(in_mode(PRIV_U, true, CSRRS(5, CSR_SSTATUS, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRS(5, CSR_MSTATUS, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_ILLEGAL_INSN);              /* M CSR: illegal */
    CU_ASSERT_EQUAL(in_mode(PRIV_U, true, SRET), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    S(CSR_HSTATUS, HSTATUS_VTSR | HSTATUS_VTVM | HSTATUS_VTW);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, SRET), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRS(5, CSR_SATP, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, SFENCE_VMA(0, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, WFI), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, HLV_D(5, 10)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    S(CSR_HSTATUS, 0);
    /* VS-mode S CSRs are the vs* registers. */
    S(CSR_VSSCRATCH, 0x1111);
    S(CSR_SSCRATCH, 0x2222);
    hart_set_reg(T.h, 6, 0x3333);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRW(5, CSR_SSCRATCH, 6)), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 5), 0x1111);
    CU_ASSERT_EQUAL(G(CSR_VSSCRATCH), 0x3333);
    CU_ASSERT_EQUAL(G(CSR_SSCRATCH), 0x2222);
    S(CSR_VSATP, 0x42);
    in_mode(PRIV_S, true, CSRRS(5, CSR_SATP, 0));
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 5), 0x42);
    th_fini(&T);
}

static void test_counters(void)
{
    th_init(&T, NULL);
    in_mode(PRIV_U, false, CSRRS(5, CSR_CYCLE, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    S(CSR_MCOUNTEREN, 7);
    in_mode(PRIV_U, false, CSRRS(5, CSR_INSTRET, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ILLEGAL_INSN);       /* scounteren = 0 */
    in_mode(PRIV_S, false, CSRRS(5, CSR_INSTRET, 0));
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), 0);
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 5), hart_counters(T.h)->instret - 1);
    hart_set_exit_on_hs_trap(T.h, true);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRS(5, CSR_TIME, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);            /* hcounteren = 0 */
    S(CSR_HCOUNTEREN, 7);
    S(CSR_HTIMEDELTA, 1000000);
    CU_ASSERT_EQUAL(in_mode(PRIV_S, true, CSRRS(5, CSR_TIME, 0)), HART_EXIT_BUDGET);
    CU_ASSERT(hart_get_reg(T.h, 5) >= 1000000);
    CU_ASSERT(hart_get_reg(T.h, 5) <= 1000000 + hart_time(T.h));
    CU_ASSERT_EQUAL(in_mode(PRIV_U, true, CSRRS(5, CSR_TIME, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);            /* scounteren = 0 in VU */
    /* mcycle/minstret are writable. */
    S(CSR_MINSTRET, 100);
    CU_ASSERT_EQUAL(G(CSR_MINSTRET), 100);
    th_fini(&T);
}

UMBRA_SUITE(riscv_csr, "xen/arch/riscv/csr", NULL, NULL,
            UMBRA_TEST(test_warl), UMBRA_TEST(test_privilege),
            UMBRA_TEST(test_virtual_instruction), UMBRA_TEST(test_counters))
