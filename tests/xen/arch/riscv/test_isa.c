/*
 * test_isa.c: one test per instruction class of RV64IMAC + Zicsr + Zifencei:
 * instructions are assembled as words into machine memory, run for an exact
 * number of instructions, and registers/memory are checked.
 */
#include "hart_test_util.h"
#include "riscv/csr.h"
#include "umbra_test.h"

static struct th T;
static struct hart_exit EX;

static int setup(void) { return 0; }

static void start(void)
{
    th_init(&T, NULL);
}

#define R(i) hart_get_reg(T.h, i)

static void test_alu(void)
{
    start();
    hart_set_reg(T.h, 10, 0xfffffffffffffff0ULL);   /* a0 = -16 */
    hart_set_reg(T.h, 11, 3);
    th_emit(&T, ADDI(5, 10, 20));                      /* t0 = 4 */
    th_emit(&T, enc_r(0x33, 6, 0, 10, 11, 0x20));      /* sub t1 = -19 */
    th_emit(&T, enc_r(0x33, 7, 1, 11, 11, 0));         /* sll t2 = 3 << 3 */
    th_emit(&T, enc_r(0x33, 28, 2, 10, 11, 0));        /* slt = 1 */
    th_emit(&T, enc_r(0x33, 29, 3, 10, 11, 0));        /* sltu = 0 */
    th_emit(&T, enc_r(0x33, 30, 5, 10, 11, 0x20));     /* sra = -2 */
    th_emit(&T, enc_r(0x33, 31, 5, 10, 11, 0));        /* srl */
    th_emit(&T, enc_i(0x1b, 12, 0, 11, 0x7ff));        /* addiw */
    th_emit(&T, enc_r(0x3b, 13, 0, 10, 10, 0));        /* addw -32 */
    th_emit(&T, enc_i(0x1b, 14, 1, 11, 31));           /* slliw 3<<31 -> sign ext */
    th_emit(&T, enc_u(0x37, 15, 0x80000000u));         /* lui sign-extends */
    th_emit(&T, enc_u(0x17, 16, 0x1000));              /* auipc */
    CU_ASSERT_EQUAL(th_run(&T, 12, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(5), 4);
    CU_ASSERT_EQUAL(R(6), (uint64_t)-19);
    CU_ASSERT_EQUAL(R(7), 24);
    CU_ASSERT_EQUAL(R(28), 1);
    CU_ASSERT_EQUAL(R(29), 0);
    CU_ASSERT_EQUAL(R(30), (uint64_t)-2);
    CU_ASSERT_EQUAL(R(31), 0xfffffffffffffff0ULL >> 3);
    CU_ASSERT_EQUAL(R(12), 0x802);
    CU_ASSERT_EQUAL(R(13), (uint64_t)-32);
    CU_ASSERT_EQUAL(R(14), 0xffffffff80000000ULL);
    CU_ASSERT_EQUAL(R(15), 0xffffffff80000000ULL);
    CU_ASSERT_EQUAL(R(16), TH_CODE + 44 + 0x1000);
    CU_ASSERT_EQUAL(R(0), 0);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 12);
    th_fini(&T);
}

static void test_muldiv(void)
{
    start();
    hart_set_reg(T.h, 10, (uint64_t)INT64_MIN);
    hart_set_reg(T.h, 11, (uint64_t)-1);
    hart_set_reg(T.h, 12, 0);
    hart_set_reg(T.h, 13, 7);
    th_emit(&T, enc_r(0x33, 5, 4, 10, 11, 1));   /* div overflow -> MIN */
    th_emit(&T, enc_r(0x33, 6, 6, 10, 11, 1));   /* rem overflow -> 0 */
    th_emit(&T, enc_r(0x33, 7, 4, 13, 12, 1));   /* div by 0 -> -1 */
    th_emit(&T, enc_r(0x33, 28, 7, 13, 12, 1));  /* remu by 0 -> 7 */
    th_emit(&T, enc_r(0x33, 29, 3, 11, 11, 1));  /* mulhu(-1,-1) */
    th_emit(&T, enc_r(0x33, 30, 1, 11, 11, 1));  /* mulh(-1,-1) = 0 */
    th_emit(&T, enc_r(0x33, 31, 2, 11, 13, 1));  /* mulhsu(-1, 7) = -1 */
    th_emit(&T, enc_r(0x3b, 14, 0, 13, 11, 1));  /* mulw 7*-1 */
    th_emit(&T, enc_r(0x3b, 15, 5, 13, 12, 1));  /* divuw by 0 */
    th_emit(&T, enc_r(0x33, 16, 0, 13, 13, 1));  /* mul 49 */
    CU_ASSERT_EQUAL(th_run(&T, 10, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(5), (uint64_t)INT64_MIN);
    CU_ASSERT_EQUAL(R(6), 0);
    CU_ASSERT_EQUAL(R(7), (uint64_t)-1);
    CU_ASSERT_EQUAL(R(28), 7);
    CU_ASSERT_EQUAL(R(29), 0xfffffffffffffffeULL);
    CU_ASSERT_EQUAL(R(30), 0);
    CU_ASSERT_EQUAL(R(31), (uint64_t)-1);
    CU_ASSERT_EQUAL(R(14), (uint64_t)-7);
    CU_ASSERT_EQUAL(R(15), (uint64_t)-1);
    CU_ASSERT_EQUAL(R(16), 49);
    th_fini(&T);
}

static void test_branches_jumps(void)
{
    start();
    hart_set_reg(T.h, 10, 1);
    hart_set_reg(T.h, 11, TH_CODE + 0x3000);
    th_emit(&T, enc_b(0, 10, 0, 8));      /* beq a0, x0, +8: not taken */
    th_emit(&T, enc_b(1, 10, 0, 8));      /* bne: taken -> +8 */
    th_emit(&T, ADDI(5, 0, 99));          /* skipped */
    th_emit(&T, enc_j(1, 8));             /* jal ra, +8 */
    th_emit(&T, ADDI(6, 0, 99));          /* skipped */
    th_emit(&T, enc_i(0x67, 7, 0, 11, 8));  /* jalr t2, 8(a1): another page */
    CU_ASSERT_EQUAL(th_run(&T, 4, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(5), 0);
    CU_ASSERT_EQUAL(R(6), 0);
    CU_ASSERT_EQUAL(R(1), TH_CODE + 16);
    CU_ASSERT_EQUAL(R(7), TH_CODE + 24);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 0x3008);
    th_fini(&T);
}

static void test_loads_stores(void)
{
    start();
    hart_set_reg(T.h, 10, TH_DATA);
    hart_set_reg(T.h, 11, 0x8899aabbccddeeffULL);
    th_emit(&T, SD(11, 10, 0));
    th_emit(&T, enc_i(0x03, 5, 0, 10, 0));   /* lb  0xff -> -1 */
    th_emit(&T, enc_i(0x03, 6, 4, 10, 0));   /* lbu 0xff */
    th_emit(&T, enc_i(0x03, 7, 1, 10, 2));   /* lh 0xccdd -> sign */
    th_emit(&T, enc_i(0x03, 28, 5, 10, 2));  /* lhu */
    th_emit(&T, LW(29, 10, 4));              /* lw 0x8899aabb sign */
    th_emit(&T, enc_i(0x03, 30, 6, 10, 4));  /* lwu */
    th_emit(&T, enc_s(0x23, 0, 10, 11, 9));  /* sb */
    th_emit(&T, enc_s(0x23, 1, 10, 11, 10)); /* sh */
    CU_ASSERT_EQUAL(th_run(&T, 9, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(5), (uint64_t)-1);
    CU_ASSERT_EQUAL(R(6), 0xff);
    CU_ASSERT_EQUAL(R(7), 0xffffffffffffccddULL);
    CU_ASSERT_EQUAL(R(28), 0xccdd);
    CU_ASSERT_EQUAL(R(29), 0xffffffff8899aabbULL);
    CU_ASSERT_EQUAL(R(30), 0x8899aabbULL);
    CU_ASSERT_EQUAL(th_r64(&T, TH_DATA + 8), 0xeeffff00ULL);
    th_fini(&T);
}

static void test_compressed(void)
{
    start();
    hart_set_reg(T.h, 8, TH_DATA);       /* s0 */
    th_emit16(&T, 0x4515);               /* c.li a0, 5 */
    th_emit16(&T, 0x0509);               /* c.addi a0, 2 */
    th_emit16(&T, 0x85aa);               /* c.mv a1, a0 */
    th_emit16(&T, 0x95aa);               /* c.add a1, a0 -> 14 */
    th_emit16(&T, 0xc00c);               /* c.sw a1, 0(s0) */
    th_emit16(&T, 0x4010);               /* c.lw a2, 0(s0) */
    th_emit16(&T, 0xa011);               /* c.j +4 */
    th_emit16(&T, 0x4685);               /* c.li a3, 1 (skipped) */
    th_emit16(&T, 0xc111);               /* c.beqz a0, +4 (not taken) */
    th_emit16(&T, 0x4709);               /* c.li a4, 2 */
    CU_ASSERT_EQUAL(th_run(&T, 9, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(10), 7);
    CU_ASSERT_EQUAL(R(11), 14);
    CU_ASSERT_EQUAL(R(12), 14);
    CU_ASSERT_EQUAL(R(13), 0);
    CU_ASSERT_EQUAL(R(14), 2);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 20);
    th_fini(&T);
}

static void test_atomics(void)
{
    start();
    hart_set_reg(T.h, 10, TH_DATA);
    hart_set_reg(T.h, 11, 0x7fffffff);
    hart_set_reg(T.h, 12, 5);
    th_w64(&T, TH_DATA, 1);
    th_emit(&T, enc_r(0x2f, 5, 2, 10, 11, 0x00));        /* amoadd.w t0: 1+0x7fffffff */
    th_emit(&T, enc_r(0x2f, 6, 2, 10, 0, 0x00));         /* amoadd.w t1 = 0x80000000 sext */
    th_emit(&T, enc_r(0x2f, 7, 3, 10, 12, 0x04));        /* amoswap.d */
    th_emit(&T, enc_r(0x2f, 28, 3, 10, 0, 0x08));        /* lr.d */
    th_emit(&T, enc_r(0x2f, 29, 3, 10, 11, 0x0c));       /* sc.d success = 0 */
    th_emit(&T, enc_r(0x2f, 30, 3, 10, 12, 0x0c));       /* sc.d again fails = 1 */
    th_emit(&T, enc_r(0x2f, 31, 3, 10, 12, 0x40));       /* amomin.d */
    CU_ASSERT_EQUAL(th_run(&T, 7, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(5), 1);
    CU_ASSERT_EQUAL(R(6), 0xffffffff80000000ULL);
    CU_ASSERT_EQUAL(R(7), 0x80000000ULL);
    CU_ASSERT_EQUAL(R(28), 5);
    CU_ASSERT_EQUAL(R(29), 0);
    CU_ASSERT_EQUAL(R(30), 1);
    CU_ASSERT_EQUAL(R(31), 0x7fffffff);
    CU_ASSERT_EQUAL(th_r64(&T, TH_DATA), 5);
    th_fini(&T);
}

/* Exceptions in M-mode: the handler address is mtvec; check mcause/mtval. */
static void test_misaligned_and_illegal(void)
{
    start();
    hart_csr_set(T.h, CSR_MTVEC, TH_CODE + 0x800);
    hart_set_reg(T.h, 10, TH_DATA + 3);
    th_emit(&T, LW(5, 10, 0));
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_MISALIGNED_LOAD);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), TH_DATA + 3);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MEPC), TH_CODE);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 0x800);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 0);
    th_org(&T, TH_CODE + 0x800);
    th_emit(&T, SD(5, 10, 0));
    th_emit(&T, 0xffffffffu);
    hart_set_pc(T.h, TH_CODE + 0x800);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_MISALIGNED_STORE);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), TH_DATA + 3);
    hart_set_pc(T.h, TH_CODE + 0x804);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_ILLEGAL_INSN);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), 0xffffffffu);
    hart_set_reg(T.h, 10, 0x1000);   /* outside RAM: access fault */
    hart_set_pc(T.h, TH_CODE);
    th_run(&T, 1, &EX);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_LOAD_ACCESS);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), 0x1000);
    th_fini(&T);
}

/* A store into the page being executed is seen by the next fetch. */
static void test_self_modifying(void)
{
    start();
    hart_set_reg(T.h, 10, TH_CODE + 8);
    hart_set_reg(T.h, 11, ADDI(5, 0, 42));
    th_emit(&T, ADDI(5, 0, 1));
    th_emit(&T, SW(11, 10, 0));
    th_emit(&T, ADDI(5, 0, 7));           /* overwritten before it runs */
    th_run(&T, 1, &EX);                   /* decode the whole sequence first */
    th_run(&T, 2, &EX);
    CU_ASSERT_EQUAL(R(5), 42);
    /* and again, now the slot had been decoded: loop back and rewrite */
    hart_set_reg(T.h, 11, ADDI(5, 0, 43));
    hart_set_pc(T.h, TH_CODE + 4);
    th_run(&T, 2, &EX);
    CU_ASSERT_EQUAL(R(5), 43);
    th_fini(&T);
}

/* A 32-bit instruction that straddles two pages. */
static void test_cross_page_insn(void)
{
    start();
    th_org(&T, TH_CODE + 0xffe);
    th_emit16(&T, 0x4505);                          /* c.li a0, 1 at +0xffe? no: */
    th_org(&T, TH_CODE + 0x1ffe);
    th_emit(&T, ADDI(11, 0, 77));                   /* crosses into the next page */
    th_emit(&T, ADDI(12, 0, 78));
    hart_set_pc(T.h, TH_CODE + 0x1ffe);
    CU_ASSERT_EQUAL(th_run(&T, 2, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(R(11), 77);
    CU_ASSERT_EQUAL(R(12), 78);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 0x2006);
    th_fini(&T);
}

/* The budget is exact and counters add up across runs. */
static void test_budget_exact(void)
{
    start();
    th_emit(&T, ADDI(5, 5, 1));
    th_emit(&T, enc_j(0, -4));               /* loop forever */
    CU_ASSERT_EQUAL(th_run(&T, 1001, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 1001);
    CU_ASSERT_EQUAL(R(5), 501);
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 1002);
    th_fini(&T);
}

/* FENCE.I retires and execution continues. HTIF tohost stops the run. */
static void test_fence_i_and_tohost(void)
{
    start();
    hart_set_tohost(T.h, TH_TOHOST);
    hart_set_reg(T.h, 10, TH_TOHOST);
    hart_set_reg(T.h, 11, 1);
    th_emit(&T, enc_i(0x0f, 0, 1, 0, 0));   /* fence.i */
    th_emit(&T, SD(11, 10, 0));
    th_emit(&T, NOP);
    CU_ASSERT_EQUAL(th_run(&T, 100, &EX), HART_EXIT_TOHOST);
    CU_ASSERT_EQUAL(EX.tohost, 1);
    CU_ASSERT_EQUAL(hart_counters(T.h)->instret, 2);
    th_fini(&T);
}

UMBRA_SUITE(riscv_isa, "xen/arch/riscv/isa", setup, NULL,
            UMBRA_TEST(test_alu), UMBRA_TEST(test_muldiv), UMBRA_TEST(test_branches_jumps),
            UMBRA_TEST(test_loads_stores), UMBRA_TEST(test_compressed),
            UMBRA_TEST(test_atomics), UMBRA_TEST(test_misaligned_and_illegal),
            UMBRA_TEST(test_self_modifying), UMBRA_TEST(test_cross_page_insn),
            UMBRA_TEST(test_budget_exact), UMBRA_TEST(test_fence_i_and_tohost))
