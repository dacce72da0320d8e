/*
 * test_vinsn.c: the "xen/mm/shadow/vinsn" suite: the virtual-instruction
 * exits shadow mode owns, driven directly with hand-made exit records: satp
 * reads and writes (the guest sees its own value, WARL modes), sfence.vma,
 * the same instructions from VU-mode (an illegal-instruction trap delivered
 * to the guest), instructions the mode does not own, and the pool-size and
 * translation entry points.
 */
#include <errno.h>
#include <stdlib.h>

#include "riscv/csr.h"
#include "sh_vm.h"
#include "umbra/mm.h"
#include "umbra/shadow.h"
#include "umbra_test.h"

#define A0 10
#define A1 11
#define A2 12
#define PC 0x80000400ULL

static struct sh_vm *vm;

static uint32_t csr_insn(unsigned funct3, unsigned rd, unsigned rs1, unsigned csr)
{
    return (csr << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x73;
}

static uint32_t sfence_insn(unsigned rs1, unsigned rs2)
{
    return (0x09u << 25) | (rs2 << 20) | (rs1 << 15) | 0x73;
}

/* Pretend the hart just trapped on insn at PC from VS (vs) or VU. */
static int vinsn(uint32_t insn, bool vs)
{
    struct hart_exit ex = { .kind = HART_EXIT_TRAP, .cause = CAUSE_VIRTUAL_INSN, .tval = insn,
                            .insn = insn, .pc = PC, .virt = true };
    uint64_t sstatus = hart_csr_get(vm->v.hart, CSR_SSTATUS) & ~MSTATUS_SPP;

    hart_csr_set(vm->v.hart, CSR_SSTATUS, sstatus | (vs ? MSTATUS_SPP : 0));
    hart_csr_set(vm->v.hart, CSR_SEPC, PC);
    return shadow_ops.handle_vinsn(&vm->v, &ex);
}

static int setup(void)
{
    if (mm_init(32ULL << 20))
        return -1;
    vm = calloc(1, sizeof(*vm));
    return vm && vm_create(vm, 40, &shadow_ops, 256) == 0 ? 0 : -1;
}

static int teardown(void)
{
    vm_destroy(vm);
    free(vm);
    mm_fini();
    return 0;
}

static void test_satp_guest_view(void)
{
    struct hart *h = vm->v.hart;
    uint64_t satp = ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | (5ULL << SATP_ASID_SHIFT) |
                    0x80010ULL;
    struct shadow_stats st;

    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), 0);
    hart_set_reg(h, A0, 123);
    CU_ASSERT_EQUAL(vinsn(csr_insn(2, A0, 0, CSR_SATP), true), 0);      /* csrr a0, satp */
    CU_ASSERT_EQUAL(hart_get_reg(h, A0), 0);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_SEPC), PC + 4);

    hart_set_reg(h, A1, satp);
    CU_ASSERT_EQUAL(vinsn(csr_insn(1, A0, A1, CSR_SATP), true), 0);     /* csrrw a0, satp, a1 */
    CU_ASSERT_EQUAL(hart_get_reg(h, A0), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), satp);
    /* the real vsatp: same mode and ASID, the shadow root instead of the guest's */
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_VSATP) & ~SATP_PPN_MASK, satp & ~SATP_PPN_MASK);
    CU_ASSERT_NOT_EQUAL(hart_csr_get(h, CSR_VSATP) & SATP_PPN_MASK, 0x80010ULL);

    CU_ASSERT_EQUAL(vinsn(csr_insn(6, A0, 0, CSR_SATP), true), 0);      /* csrrsi a0, satp, 0 */
    CU_ASSERT_EQUAL(hart_get_reg(h, A0), satp);

    hart_set_reg(h, A1, (10ULL << SATP_MODE_SHIFT) | 0x80020ULL);       /* unsupported mode */
    CU_ASSERT_EQUAL(vinsn(csr_insn(1, A0, A1, CSR_SATP), true), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), satp);
    CU_ASSERT_EQUAL(hart_get_reg(h, A0), satp);

    hart_set_reg(h, A1, SATP_ASID_MASK);                                /* csrrc: clear the ASID */
    CU_ASSERT_EQUAL(vinsn(csr_insn(3, 0, A1, CSR_SATP), true), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), satp & ~SATP_ASID_MASK);

    hart_set_reg(h, A1, 0);                                             /* back to Bare */
    CU_ASSERT_EQUAL(vinsn(csr_insn(1, 0, A1, CSR_SATP), true), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), 0);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_VSATP) >> SATP_MODE_SHIFT, SATP_MODE_SV39);
    shadow_get_stats(&vm->d, &st);
    CU_ASSERT_EQUAL(st.exits_satp, 6);
    CU_ASSERT_EQUAL(shadow_check(&vm->d), 0);
}

static void test_sfence(void)
{
    struct shadow_stats before, after;

    shadow_get_stats(&vm->d, &before);
    hart_set_reg(vm->v.hart, A1, 0x40000000);
    hart_set_reg(vm->v.hart, A2, 3);
    CU_ASSERT_EQUAL(vinsn(sfence_insn(A1, A2), true), 0);
    CU_ASSERT_EQUAL(hart_csr_get(vm->v.hart, CSR_SEPC), PC + 4);
    CU_ASSERT_EQUAL(vinsn(sfence_insn(0, 0), true), 0);
    shadow_get_stats(&vm->d, &after);
    CU_ASSERT_EQUAL(after.exits_sfence, before.exits_sfence + 2);
}

/* From VU-mode, satp and sfence.vma are illegal in the guest: delivered to its handler. */
static void test_from_vu_is_illegal(void)
{
    struct hart *h = vm->v.hart;
    uint32_t insn = sfence_insn(0, 0);

    hart_csr_set(h, CSR_VSTVEC, 0x80000800ULL);
    hart_csr_set(h, CSR_VSSTATUS, hart_csr_get(h, CSR_VSSTATUS) | MSTATUS_SIE);
    CU_ASSERT_EQUAL(vinsn(insn, false), 1);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_VSCAUSE), CAUSE_ILLEGAL_INSN);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_VSTVAL), insn);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_VSEPC), PC);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_SEPC), 0x80000800ULL);
    CU_ASSERT(hart_csr_get(h, CSR_SSTATUS) & MSTATUS_SPP);           /* enters VS */
    CU_ASSERT_FALSE(hart_csr_get(h, CSR_VSSTATUS) & MSTATUS_SPP);    /* came from VU */
    CU_ASSERT(hart_csr_get(h, CSR_VSSTATUS) & MSTATUS_SPIE);
    CU_ASSERT_FALSE(hart_csr_get(h, CSR_VSSTATUS) & MSTATUS_SIE);
    CU_ASSERT_EQUAL(vinsn(csr_insn(2, A0, 0, CSR_SATP), false), 1);
}

static void test_not_owned(void)
{
    CU_ASSERT_EQUAL(vinsn(0x10500073, true), -EOPNOTSUPP);           /* wfi */
    CU_ASSERT_EQUAL(vinsn(csr_insn(2, A0, 0, CSR_SSTATUS), true), -EOPNOTSUPP);
}

static void test_load_guest_satp(void)
{
    uint64_t satp = ((uint64_t)SATP_MODE_SV48 << SATP_MODE_SHIFT) | (9ULL << SATP_ASID_SHIFT) |
                    0x80030ULL;

    CU_ASSERT_EQUAL(shadow_load_guest_satp(&vm->v, satp), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), satp);
    CU_ASSERT_EQUAL(hart_csr_get(vm->v.hart, CSR_VSATP) >> SATP_MODE_SHIFT, SATP_MODE_SV48);
    CU_ASSERT_EQUAL(shadow_load_guest_satp(&vm->v, 0), 0);
    CU_ASSERT_EQUAL(shadow_guest_satp(&vm->d, 0), 0);
    CU_ASSERT_EQUAL(shadow_check(&vm->d), 0);
}

static void test_pool_and_translate(void)
{
    struct shadow_stats st;
    paddr_t gpa = 0;

    CU_ASSERT_EQUAL(shadow_set_pool_size(&vm->d, 1), -EINVAL);
    CU_ASSERT_EQUAL(shadow_set_pool_size(&vm->d, 64), 0);
    shadow_get_stats(&vm->d, &st);
    CU_ASSERT_EQUAL(st.pool_pages, 64);
    CU_ASSERT(st.pages_in_use >= 1 && st.pages_in_use <= 64);
    /* guest satp Bare: guest-virtual is guest-physical */
    CU_ASSERT_EQUAL(shadow_ops.gva_to_gpa(&vm->v, 0x80001234ULL, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80001234ULL);
}

UMBRA_SUITE(shadow_vinsn, "xen/mm/shadow/vinsn", setup, teardown,
            UMBRA_TEST(test_satp_guest_view), UMBRA_TEST(test_sfence),
            UMBRA_TEST(test_from_vu_is_illegal), UMBRA_TEST(test_not_owned),
            UMBRA_TEST(test_load_guest_satp), UMBRA_TEST(test_pool_and_translate))
