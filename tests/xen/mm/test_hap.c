/*
 * test_hap.c: the "xen/mm/hap" suite: a real hart runs VS-mode code
 * through the p2m (hgatp = its root): guest-page faults carry the right
 * GPA, are resolved (mapping, populate-on-demand) or refused with a clear
 * reason; gva_to_gpa walks a guest Sv39 table like the hart does.
 * Invariant: every test ends with all machine memory free.
 */
#include <errno.h>
#include <string.h>

#include "guest_fixture.h"
#include "riscv/csr.h"
#include "riscv/hart.h"
#include "umbra/guest_access.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"
#include "umbra_test.h"

#define DOM 9
#define INSN_LD_T1_0_T0 0x0002B303u    /* ld t1, 0(t0) */
#define INSN_SD_T1_8_T0 0x0062B423u    /* sd t1, 8(t0) */
#define INSN_ECALL      0x00000073u
#define REG_T0 5
#define REG_T1 6

static struct guest_fixture fx;

static int suite_init(void)
{
    return mm_init(64ULL << 20) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

static void assert_all_free(void)
{
    struct mm_stats st;

    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.free_frames, st.total_frames);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 0);
}

static void put_code(paddr_t gpa, const uint32_t *insns, unsigned n)
{
    CU_ASSERT_EQUAL(copy_to_guest_phys(&fx.d, gpa, insns, 4 * n, NULL), 0);
}

/* Run from VS-mode at pc until an exit (small budget). */
static struct hart_exit run_at(uint64_t pc)
{
    struct hart_exit ex;

    hart_set_mode(fx.v.hart, PRIV_S, true);
    hart_set_pc(fx.v.hart, pc);
    hart_run(fx.v.hart, 1000, &ex);
    return ex;
}

static struct hart_exit resume(void)
{
    struct hart_exit ex;

    hart_sret(fx.v.hart);
    hart_run(fx.v.hart, 1000, &ex);
    return ex;
}

static void test_vcpu_init_hgatp(void)
{
    struct hart *h;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    h = fx.v.hart;
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_HGATP), p2m_hgatp(&fx.d.p2m, DOM));
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_HGATP) >> HGATP_MODE_SHIFT, HGATP_MODE_SV39X4);
    CU_ASSERT_EQUAL((hart_csr_get(h, CSR_HGATP) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT, DOM);
    CU_ASSERT_EQUAL(hart_csr_get(h, CSR_HSTATUS) & HSTATUS_VTVM, 0);
    CU_ASSERT_PTR_NOT_NULL(fx.d.p2m.flush);       /* direct fencing installed */
    fixture_fini(&fx);
    assert_all_free();
}

/* The guest loads from an unmapped GFN: fault, refuse, map, resume. */
static void test_fault_then_map(void)
{
    const uint32_t code[] = { INSN_LD_T1_0_T0, INSN_ECALL };
    const paddr_t hole = 0x80400000ULL;
    struct hart_exit ex;
    char line[200];
    mfn_t page;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    put_code(FX_RAM_GPA, code, 2);
    hart_set_reg(fx.v.hart, REG_T0, hole + 0x10);
    ex = run_at(FX_RAM_GPA);
    CU_ASSERT_EQUAL_FATAL(ex.kind, HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(ex.cause, CAUSE_LOAD_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL((ex.htval << 2) | (ex.tval & 3), hole + 0x10);
    CU_ASSERT_EQUAL(ex.pc, FX_RAM_GPA);

    CU_ASSERT_EQUAL(hap_ops.handle_fault(&fx.v, &ex), -EFAULT);
    paging_fault_reason(&fx.d, &ex, -EFAULT, line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "load guest-page fault at GPA 0x80400010"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "p2m entry invalid"));

    /* Map it (as populate_physmap would) and let the guest retry. */
    page = alloc_frames(0, DOM, PGT_guest_ram);
    *(uint64_t *)((uint8_t *)mfn_to_virt(page) + 0x10) = 0x1122334455667788ULL;
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, gaddr_to_gfn(hole), page, 0, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(hap_ops.handle_fault(&fx.v, &ex), 0);
    ex = resume();
    CU_ASSERT_EQUAL(ex.kind, HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(ex.cause, CAUSE_ECALL_VS);
    CU_ASSERT_EQUAL(hart_get_reg(fx.v.hart, REG_T1), 0x1122334455667788ULL);
    CU_ASSERT(hart_counters(fx.v.hart)->walk_refs_g > 0);
    CU_ASSERT(hart_counters(fx.v.hart)->hyp_refs > 0);
    fixture_fini(&fx);
    assert_all_free();
}

/* Populate-on-demand: the first touch allocates, the guest never notices. */
static void test_fault_populates_pod(void)
{
    const uint32_t code[] = { INSN_LD_T1_0_T0, INSN_SD_T1_8_T0, INSN_ECALL };
    struct hart_exit ex;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, false), 0);
    put_code(FX_RAM_GPA, code, 3);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80400), INVALID_MFN, 9,
                                  p2m_populate_on_demand), 0);
    hart_set_reg(fx.v.hart, REG_T0, 0x80401000ULL);
    hart_set_reg(fx.v.hart, REG_T1, 77);
    ex = run_at(FX_RAM_GPA);
    CU_ASSERT_EQUAL_FATAL(ex.cause, CAUSE_LOAD_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL(hap_ops.handle_fault(&fx.v, &ex), 0);
    CU_ASSERT_EQUAL(fx.d.p2m.pod_populated, 1);
    ex = resume();
    CU_ASSERT_EQUAL(ex.cause, CAUSE_ECALL_VS);
    CU_ASSERT_EQUAL(hart_get_reg(fx.v.hart, REG_T1), 0);       /* zeroed frame */
    CU_ASSERT_EQUAL(fx.d.p2m.pod_entries, 511);
    fixture_fini(&fx);
    assert_all_free();
}

/* A store to a read-only p2m entry is refused with the type in the reason. */
static void test_store_to_ro_refused(void)
{
    const uint32_t code[] = { INSN_SD_T1_8_T0, INSN_ECALL };
    mfn_t page;
    struct hart_exit ex;
    char line[200];

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    put_code(FX_RAM_GPA, code, 2);
    page = alloc_frames(0, DOM, PGT_guest_ram);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80400), page, 0, p2m_ram_ro), 0);
    hart_set_reg(fx.v.hart, REG_T0, 0x80400000ULL);
    ex = run_at(FX_RAM_GPA);
    CU_ASSERT_EQUAL_FATAL(ex.cause, CAUSE_STORE_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL(hap_ops.handle_fault(&fx.v, &ex), -EACCES);
    paging_fault_reason(&fx.d, &ex, -EACCES, line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "store guest-page fault at GPA 0x80400008"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "write to ram_ro"));
    /* Not a guest-page fault at all. */
    ex.cause = CAUSE_ILLEGAL_INSN;
    CU_ASSERT_EQUAL(hap_ops.handle_fault(&fx.v, &ex), -EINVAL);
    fixture_fini(&fx);
    assert_all_free();
}

/* Unmapping shoots the stale G-stage translation down: the next access faults. */
static void test_unmap_flushes(void)
{
    const uint32_t code[] = { INSN_LD_T1_0_T0, INSN_ECALL };
    mfn_t page = INVALID_MFN;
    struct hart_exit ex;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    put_code(FX_RAM_GPA, code, 2);
    page = alloc_frames(0, DOM, PGT_guest_ram);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80400), page, 0, p2m_ram_rw), 0);
    hart_set_reg(fx.v.hart, REG_T0, 0x80400000ULL);
    ex = run_at(FX_RAM_GPA);
    CU_ASSERT_EQUAL(ex.cause, CAUSE_ECALL_VS);                 /* cached in the TLB now */
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80400), INVALID_MFN, 0, p2m_invalid), 0);
    ex = run_at(FX_RAM_GPA);
    CU_ASSERT_EQUAL(ex.cause, CAUSE_LOAD_GUEST_PAGE_FAULT);
    free_frames(page, 0);
    fixture_fini(&fx);
    assert_all_free();
}

static void test_gva_to_gpa_sv39(void)
{
    struct hart *h;
    paddr_t gpa = 0;
    uint64_t refs0, pte_gpa;
    const uint64_t kern = PTE_R | PTE_W | PTE_X;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    h = fx.v.hart;
    fixture_map(&fx, 0x40000000ULL, 0x80020000ULL, 0, PTE_R | PTE_W);            /* A=D=0 */
    fixture_map(&fx, 0x40001000ULL, 0x80021000ULL, 0, PTE_R | PTE_U | PTE_A);
    fixture_map(&fx, 0x40002000ULL, 0x80022000ULL, 0, PTE_R | PTE_A);           /* read-only */
    fixture_map(&fx, 0x40200000ULL, 0x80000000ULL, 1, kern | PTE_A | PTE_D);    /* 2 MiB */
    fixture_map(&fx, 0x40400000ULL, 0x80001000ULL, 1, kern | PTE_A | PTE_D);    /* misaligned */
    fixture_map(&fx, 0x40003000ULL, 0x80022000ULL, 0, PTE_W | PTE_A);           /* W without R */
    fixture_enable_sv39(&fx);

    refs0 = hart_counters(h)->hyp_refs;
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40000123ULL, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80020123ULL);
    CU_ASSERT(hart_counters(h)->hyp_refs >= refs0 + 3);   /* three levels at least */
    /* A set by the read, D by a write: as the hart would. */
    pte_gpa = FX_TABLES + 2 * PAGE_SIZE + 8 * 0;
    CU_ASSERT_EQUAL(fixture_read64(&fx, pte_gpa) & (PTE_A | PTE_D), PTE_A);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40000008ULL, PG_ACCESS_WRITE, &gpa), 0);
    CU_ASSERT_EQUAL(fixture_read64(&fx, pte_gpa) & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* U pages from supervisor mode need SUM, and are never executable there. */
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40001000ULL, PG_ACCESS_READ, &gpa), -EFAULT);
    hart_csr_set(h, CSR_VSSTATUS, hart_csr_get(h, CSR_VSSTATUS) | MSTATUS_SUM);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40001010ULL, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80021010ULL);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40001010ULL, PG_ACCESS_EXEC, &gpa), -EFAULT);
    /* From user mode, supervisor pages are out of reach. */
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) & ~HSTATUS_SPVP);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40000000ULL, PG_ACCESS_READ, &gpa), -EFAULT);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40001000ULL, PG_ACCESS_READ, &gpa), 0);
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) | HSTATUS_SPVP);

    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40002000ULL, PG_ACCESS_WRITE, &gpa), -EFAULT);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40003000ULL, PG_ACCESS_READ, &gpa), -EFAULT);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40200000ULL + 0x12345, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80012345ULL);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40400000ULL, PG_ACCESS_READ, &gpa), -EFAULT);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x50000000ULL, PG_ACCESS_READ, &gpa), -EFAULT);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x0000004000000000ULL, PG_ACCESS_READ, &gpa),
                    -EFAULT);                                    /* non-canonical */

    /* A guest table pointing outside the domain's RAM is a fault, not a read. */
    fixture_map(&fx, 0x60000000ULL, 0x80022000ULL, 0, kern | PTE_A);
    fixture_write64(&fx, FX_TABLES + 8 * 1, pte_make(0x90000000ULL >> PAGE_SHIFT, PTE_V));
    hart_hfence_vvma(h, ~0ULL, ~0ULL);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x40000000ULL, PG_ACCESS_READ, &gpa), -EFAULT);

    /* Bare vsatp: identity. */
    hart_csr_set(h, CSR_VSATP, 0);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0x80001234ULL, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80001234ULL);
    fixture_fini(&fx);
    assert_all_free();
}

/* The hart and the software walk agree: VS-mode code runs at a GVA. */
static void test_hart_runs_through_guest_tables(void)
{
    const uint32_t code[] = { INSN_LD_T1_0_T0, INSN_ECALL };
    struct hart_exit ex;
    paddr_t gpa;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    put_code(0x80030000ULL, code, 2);
    fixture_write64(&fx, 0x80031000ULL, 4242);
    fixture_map(&fx, 0xC0000000ULL, 0x80030000ULL, 0, PTE_R | PTE_X);
    fixture_map(&fx, 0xC0001000ULL, 0x80031000ULL, 0, PTE_R | PTE_W);
    fixture_enable_sv39(&fx);
    hart_set_reg(fx.v.hart, REG_T0, 0xC0001000ULL);
    ex = run_at(0xC0000000ULL);
    CU_ASSERT_EQUAL(ex.cause, CAUSE_ECALL_VS);
    CU_ASSERT_EQUAL(hart_get_reg(fx.v.hart, REG_T1), 4242);
    CU_ASSERT_EQUAL(hap_ops.gva_to_gpa(&fx.v, 0xC0001000ULL, PG_ACCESS_READ, &gpa), 0);
    CU_ASSERT_EQUAL(gpa, 0x80031000ULL);
    fixture_fini(&fx);
    assert_all_free();
}

UMBRA_SUITE(mm_hap, "xen/mm/hap", suite_init, suite_fini,
            UMBRA_TEST(test_vcpu_init_hgatp),
            UMBRA_TEST(test_fault_then_map),
            UMBRA_TEST(test_fault_populates_pod),
            UMBRA_TEST(test_store_to_ro_refused),
            UMBRA_TEST(test_unmap_flushes),
            UMBRA_TEST(test_gva_to_gpa_sv39),
            UMBRA_TEST(test_hart_runs_through_guest_tables))
