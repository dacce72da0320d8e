/*
 * test_trap.c: trap delivery in every combination of modes (M/HS/U/VS/VU
 * with medeleg/hedeleg), interrupts (priority, enables, mideleg/hideleg,
 * hvip injection, the CLINT timer), WFI, and host exits with hart_sret.
 */
#include "hart_test_util.h"
#include "riscv/csr.h"
#include "umbra_test.h"

static struct th T;
static struct hart_exit EX;

#define G(c) hart_csr_get(T.h, c)
#define S(c, v) hart_csr_set(T.h, c, v)
#define MTVEC (TH_RAM + 0x3000)
#define STVEC (TH_RAM + 0x3100)
#define VSTVEC (TH_RAM + 0x3200)

static void init(void)
{
    th_init(&T, NULL);
    S(CSR_MTVEC, MTVEC);
    S(CSR_STVEC, STVEC);
    S(CSR_VSTVEC, VSTVEC);
    /* every handler is "j ." so running past a trap is harmless */
    th_org(&T, MTVEC);
    th_emit(&T, enc_j(0, 0));
    th_org(&T, STVEC);
    th_emit(&T, enc_j(0, 0));
    th_org(&T, VSTVEC);
    th_emit(&T, enc_j(0, 0));
    th_org(&T, TH_CODE);
}

static void ecall_from(enum hart_priv p, bool v)
{
    th_org(&T, TH_CODE);
    th_emit(&T, ECALL);
    hart_set_mode(T.h, p, v);
    hart_set_pc(T.h, TH_CODE);
    th_run(&T, 1, &EX);
}

static void test_delegation_matrix(void)
{
    init();
    ecall_from(PRIV_U, false);                         /* no delegation: M */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ECALL_U);
    CU_ASSERT_EQUAL((G(CSR_MSTATUS) >> 11) & 3, PRIV_U);
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_M);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), MTVEC);
    S(CSR_MEDELEG, (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11));
    ecall_from(PRIV_U, false);                         /* U -> HS */
    CU_ASSERT_EQUAL(G(CSR_SCAUSE), CAUSE_ECALL_U);
    CU_ASSERT_EQUAL(G(CSR_SEPC), TH_CODE);
    CU_ASSERT_EQUAL(G(CSR_MSTATUS) & MSTATUS_SPP, 0);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), STVEC);
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_S);
    ecall_from(PRIV_S, false);                         /* HS -> HS */
    CU_ASSERT_EQUAL(G(CSR_SCAUSE), CAUSE_ECALL_S);
    CU_ASSERT(G(CSR_MSTATUS) & MSTATUS_SPP);
    ecall_from(PRIV_M, false);                         /* M never delegates */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ECALL_M);
    ecall_from(PRIV_U, true);                          /* VU, no hedeleg: HS */
    CU_ASSERT_EQUAL(G(CSR_SCAUSE), CAUSE_ECALL_U);
    CU_ASSERT(G(CSR_HSTATUS) & HSTATUS_SPV);
    CU_ASSERT_EQUAL(G(CSR_HSTATUS) & HSTATUS_SPVP, 0);
    CU_ASSERT(!hart_get_virt(T.h));
    S(CSR_HEDELEG, 1 << 8);
    S(CSR_VSSTATUS, MSTATUS_SPP);
    ecall_from(PRIV_U, true);                          /* VU -> VS */
    CU_ASSERT_EQUAL(G(CSR_VSCAUSE), CAUSE_ECALL_U);
    CU_ASSERT_EQUAL(G(CSR_VSEPC), TH_CODE);
    CU_ASSERT_EQUAL(G(CSR_VSSTATUS) & MSTATUS_SPP, 0);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), VSTVEC);
    CU_ASSERT(hart_get_virt(T.h));
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_S);
    ecall_from(PRIV_S, true);                          /* VS ecall: 10, never to VS */
    CU_ASSERT_EQUAL(G(CSR_SCAUSE), CAUSE_ECALL_VS);
    CU_ASSERT(G(CSR_HSTATUS) & HSTATUS_SPVP);
    CU_ASSERT(G(CSR_MSTATUS) & MSTATUS_SPP);
    S(CSR_MEDELEG, 0);
    ecall_from(PRIV_S, true);                          /* VS -> M: MPV */
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_ECALL_VS);
    CU_ASSERT(!!(G(CSR_MSTATUS) & MSTATUS_MPV));
    CU_ASSERT_EQUAL((G(CSR_MSTATUS) >> 11) & 3, PRIV_S);
    th_fini(&T);
}

/* mret / sret restore modes, including V. */
static void test_xret(void)
{
    init();
    S(CSR_MSTATUS, (1ULL << 11) | MSTATUS_MPV | MSTATUS_MPIE);
    S(CSR_MEPC, TH_CODE + 0x100);
    th_emit(&T, MRET);
    hart_set_pc(T.h, TH_CODE);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_S);
    CU_ASSERT(hart_get_virt(T.h));
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 0x100);
    CU_ASSERT(G(CSR_MSTATUS) & MSTATUS_MIE);
    CU_ASSERT_EQUAL(G(CSR_MSTATUS) & MSTATUS_MPV, 0);
    /* sret in VS uses vsstatus/vsepc */
    S(CSR_VSEPC, TH_CODE + 0x200);
    S(CSR_VSSTATUS, MSTATUS_SPIE);
    th_org(&T, TH_CODE + 0x100);
    th_emit(&T, SRET);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_U);
    CU_ASSERT(hart_get_virt(T.h));
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 0x200);
    CU_ASSERT(G(CSR_VSSTATUS) & MSTATUS_SIE);
    th_fini(&T);
}

/* Host exits: an ecall from VS exits with cause 10; hart_sret resumes. */
static void test_exit_and_sret(void)
{
    init();
    hart_set_exit_on_hs_trap(T.h, true);
    th_emit(&T, ADDI(10, 0, 1));
    th_emit(&T, ECALL);
    th_emit(&T, ADDI(11, 10, 1));
    th_emit(&T, enc_j(0, 0));
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_pc(T.h, TH_CODE);
    CU_ASSERT_EQUAL(th_run(&T, 100, &EX), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.kind, HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_ECALL_VS);
    CU_ASSERT_EQUAL(EX.pc, TH_CODE + 4);
    CU_ASSERT_EQUAL(EX.insn, ECALL);
    CU_ASSERT(EX.virt);
    CU_ASSERT_EQUAL(hart_counters(T.h)->exits, 1);
    CU_ASSERT_EQUAL(hart_counters(T.h)->exits_by_cause[CAUSE_ECALL_VS], 1);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 1);
    hart_set_reg(T.h, 10, 41);                          /* the hypercall's result */
    S(CSR_SEPC, EX.pc + 4);
    hart_sret(T.h);
    CU_ASSERT(hart_get_virt(T.h));
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_S);
    CU_ASSERT_EQUAL(th_run(&T, 2, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 11), 42);
    CU_ASSERT(hart_modeled_cycles(T.h) >= cost_model_default.exit_cycles);
    th_fini(&T);
}

static void test_clint_timer_and_priority(void)
{
    init();
    th_emit(&T, NOP);
    th_emit(&T, NOP);
    S(CSR_MIE, MIP_MTIP | MIP_MSIP);
    S(CSR_MSTATUS, MSTATUS_MIE);
    hart_set_reg(T.h, 10, CLINT_BASE + CLINT_MTIMECMP);
    hart_set_reg(T.h, 11, CLINT_BASE + CLINT_MSIP);
    hart_set_reg(T.h, 12, 1);
    th_org(&T, TH_CODE);
    th_emit(&T, SD(0, 10, 0));        /* mtimecmp = 0: MTIP pending now */
    th_emit(&T, SW(12, 11, 0));       /* msip = 1 */
    S(CSR_MSTATUS, 0);                /* not yet enabled */
    th_run(&T, 2, &EX);
    CU_ASSERT(G(CSR_MIP) & MIP_MTIP);
    CU_ASSERT(G(CSR_MIP) & MIP_MSIP);
    S(CSR_MSTATUS, MSTATUS_MIE);
    th_org(&T, TH_CODE + 8);
    th_emit(&T, NOP);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(G(CSR_MCAUSE), CAUSE_INTERRUPT | IRQ_M_SOFT);   /* MSI before MTI */
    CU_ASSERT_EQUAL(G(CSR_MEPC), TH_CODE + 8);
    CU_ASSERT_EQUAL(G(CSR_MSTATUS) & MSTATUS_MIE, 0);
    th_fini(&T);
}

static void test_s_interrupts(void)
{
    init();
    th_emit(&T, NOP);
    S(CSR_MIDELEG, MIP_SSIP);
    S(CSR_MIE, MIP_SSIP);
    S(CSR_MIP, MIP_SSIP);
    hart_set_mode(T.h, PRIV_M, false);          /* M ignores delegated S interrupts */
    S(CSR_MSTATUS, MSTATUS_SIE | MSTATUS_MIE);
    hart_set_pc(T.h, TH_CODE);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 4);
    hart_set_mode(T.h, PRIV_U, false);          /* U: taken regardless of SIE */
    S(CSR_MSTATUS, 0);
    hart_set_pc(T.h, TH_CODE);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(G(CSR_SCAUSE), CAUSE_INTERRUPT | IRQ_S_SOFT);
    CU_ASSERT_EQUAL(G(CSR_SEPC), TH_CODE);
    CU_ASSERT_EQUAL(hart_get_priv(T.h), PRIV_S);
    th_fini(&T);
}

/* hvip injection: delegated to VS through hideleg, or an exit to the host. */
static void test_hvip_injection(void)
{
    init();
    th_emit(&T, NOP);
    hart_set_exit_on_hs_trap(T.h, true);
    S(CSR_HIDELEG, MIP_VSTIP);
    S(CSR_MIE, MIP_VSTIP | MIP_VSEIP);
    S(CSR_VSSTATUS, MSTATUS_SIE);
    S(CSR_HVIP, MIP_VSTIP);
    CU_ASSERT_EQUAL(G(CSR_VSIP), 1ULL << IRQ_S_TIMER);        /* VS sees STIP */
    CU_ASSERT_EQUAL(G(CSR_VSIE), 1ULL << IRQ_S_TIMER);
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_pc(T.h, TH_CODE);
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(G(CSR_VSCAUSE), CAUSE_INTERRUPT | IRQ_S_TIMER);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), VSTVEC);
    CU_ASSERT(hart_get_virt(T.h));
    /* Not delegated by hideleg: VSEIP goes to HS, i.e. a host exit. */
    S(CSR_HVIP, MIP_VSEIP);
    hart_set_pc(T.h, TH_CODE);
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_INTERRUPT | IRQ_VS_EXT);
    CU_ASSERT_EQUAL(hart_counters(T.h)->irq_exits_by_cause[IRQ_VS_EXT], 1);
    th_fini(&T);
}

static void test_wfi(void)
{
    init();
    hart_set_exit_on_hs_trap(T.h, true);
    th_emit(&T, WFI);
    th_emit(&T, NOP);
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_pc(T.h, TH_CODE);
    CU_ASSERT_EQUAL(th_run(&T, 10, &EX), HART_EXIT_WFI);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 4);
    CU_ASSERT_EQUAL(th_run(&T, 10, &EX), HART_EXIT_WFI);     /* still nothing */
    S(CSR_HVIP, MIP_VSSIP);
    S(CSR_MIE, MIP_VSSIP);                                    /* pending+enabled wakes */
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_INTERRUPT | IRQ_VS_SOFT);
    th_fini(&T);
}

UMBRA_SUITE(riscv_trap, "xen/arch/riscv/trap", NULL, NULL,
            UMBRA_TEST(test_delegation_matrix), UMBRA_TEST(test_xret),
            UMBRA_TEST(test_exit_and_sret), UMBRA_TEST(test_clint_timer_and_priority),
            UMBRA_TEST(test_s_interrupts), UMBRA_TEST(test_hvip_injection),
            UMBRA_TEST(test_wfi))
