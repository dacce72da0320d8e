/*
 * test_mmu.c: the walkers and the TLB: exact walk references for every
 * format pairing (3, 4, 15, 24; 11 with 2 MiB G-stage leaves), TLB hits at
 * zero references, page-walk caches and the nested TLB, superpages and
 * their alignment, U/SUM/MXR, hardware A/D updates, G-stage faults with
 * htval/htinst/GVA, and precise fences.
 */
#include "hart_test_util.h"
#include "riscv/csr.h"
#include "umbra_test.h"

static struct th T;
static struct hart_exit EX;

#define VA_DATA  0x40000000ULL       /* data virtual address (first stage) */
#define VMID 5

static const struct hart_counters *C(void) { return hart_counters(T.h); }
static uint64_t refs(void) { return C()->walk_refs_s + C()->walk_refs_vs + C()->walk_refs_g; }

/* Run one instruction placed at the (already mapped and warm) code page. */
static enum hart_exit_kind step(uint32_t insn)
{
    th_org(&T, TH_CODE);
    th_emit(&T, insn);
    hart_set_pc(T.h, TH_CODE);
    return th_run(&T, 1, &EX);
}

/* Sv39/Sv48 at V=0, S-mode; code identity-mapped, data at VA_DATA. */
static uint64_t setup_single(enum pt_format_id id, const struct hart_config *cfg, uint64_t dflags)
{
    uint64_t root;

    th_init(&T, cfg);
    root = th_page(&T);
    th_map(&T, id, root, TH_CODE, TH_CODE, 0, PTE_LEAF_RWX);
    th_map(&T, id, root, VA_DATA, TH_DATA, 0, dflags);
    th_map(&T, id, root, VA_DATA + 0x1000, TH_DATA + 0x1000, 0, dflags);
    hart_csr_set(T.h, CSR_SATP, ((id == PT_SV39 ? 8ULL : 9ULL) << 60) | (root >> 12));
    hart_csr_set(T.h, CSR_MTVEC, TH_RAM + 0x3000);
    hart_set_mode(T.h, PRIV_S, false);
    hart_set_reg(T.h, 10, VA_DATA);
    hart_set_reg(T.h, 11, VA_DATA + 0x1000);
    step(NOP);                 /* warm the code translation */
    hart_counters_reset(T.h);
    return root;
}

/* VS stage `vs` over G stage `g` (G maps RAM 1:1 with leaves of glevel). */
static uint64_t setup_nested(enum pt_format_id vs, enum pt_format_id g, unsigned glevel,
                             const struct hart_config *cfg)
{
    uint64_t groot, root;

    th_init(&T, cfg);
    groot = th_page16k(&T);
    root = th_page(&T);
    th_map(&T, vs, root, TH_CODE, TH_CODE, 0, PTE_LEAF_RWX);
    th_map(&T, vs, root, VA_DATA, TH_DATA, 0, PTE_LEAF_RWX);
    th_map(&T, vs, root, VA_DATA + 0x1000, TH_DATA + 0x1000, 0, PTE_LEAF_RWX);
    th_gmap_ram(&T, g, groot, glevel);
    hart_csr_set(T.h, CSR_HGATP, ((g == PT_SV39X4 ? 8ULL : 9ULL) << 60) |
                                 ((uint64_t)VMID << 44) | (groot >> 12));
    hart_csr_set(T.h, CSR_VSATP, ((vs == PT_SV39 ? 8ULL : 9ULL) << 60) | (root >> 12));
    hart_set_exit_on_hs_trap(T.h, true);
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_reg(T.h, 10, VA_DATA);
    hart_set_reg(T.h, 11, VA_DATA + 0x1000);
    step(NOP);
    hart_counters_reset(T.h);
    return root;
}

static void test_cost_sv39(void)
{
    setup_single(PT_SV39, NULL, PTE_LEAF_RWX);
    CU_ASSERT_EQUAL(step(LD(5, 10, 0)), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(C()->walk_refs_s, 3);
    CU_ASSERT_EQUAL(C()->tlb_misses, 1);
    hart_counters_reset(T.h);
    step(LD(5, 10, 8));                     /* TLB hit: no reference */
    CU_ASSERT_EQUAL(refs(), 0);
    CU_ASSERT_EQUAL(C()->tlb_misses, 0);
    CU_ASSERT(C()->tlb_hits >= 1);
    th_fini(&T);
}

static void test_cost_sv48(void)
{
    setup_single(PT_SV48, NULL, PTE_LEAF_RWX);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(C()->walk_refs_s, 4);
    th_fini(&T);
}

static void test_cost_sv39_over_sv39x4(void)
{
    setup_nested(PT_SV39, PT_SV39X4, 0, NULL);
    CU_ASSERT_EQUAL(step(LD(5, 10, 0)), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 3);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 12);
    CU_ASSERT_EQUAL(refs(), 15);
    hart_counters_reset(T.h);
    step(LD(5, 10, 8));
    CU_ASSERT_EQUAL(refs(), 0);
    th_fini(&T);
}

static void test_cost_sv48_over_sv48x4(void)
{
    setup_nested(PT_SV48, PT_SV48X4, 0, NULL);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 4);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 20);
    CU_ASSERT_EQUAL(refs(), 24);
    th_fini(&T);
}

/* 2 MiB G-stage leaves: each G walk is 2 references, so 3 + 4 x 2 = 11. */
static void test_cost_gstage_2m(void)
{
    setup_nested(PT_SV39, PT_SV39X4, 1, NULL);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 3);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 8);
    th_fini(&T);
    setup_nested(PT_SV48, PT_SV48X4, 1, NULL);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 4 + 5 * 3);
    th_fini(&T);
}

/* PWC: a miss on the neighbouring page re-reads only the leaf level. */
static void test_pwc(void)
{
    struct hart_config cfg = { .pwc_entries = 16 };

    setup_single(PT_SV39, &cfg, PTE_LEAF_RWX);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 3);
    hart_counters_reset(T.h);
    step(LD(5, 11, 0));
    CU_ASSERT_EQUAL(refs(), 1);
    th_fini(&T);
    /* Nested: VS leaf (1) + G leaf for its table (1) + G leaf for the data (1). */
    setup_nested(PT_SV39, PT_SV39X4, 0, &cfg);
    step(LD(5, 10, 0));
    CU_ASSERT(refs() < 15);      /* the code walk already filled shared levels */
    hart_counters_reset(T.h);
    step(LD(5, 11, 0));
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 1);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 2);
    th_fini(&T);
}

/* Nested TLB: GPA->MA hits remove the G walks of the VS table pages. */
static void test_nested_tlb(void)
{
    struct hart_config cfg = { .ntlb_entries = 64 };

    setup_nested(PT_SV39, PT_SV39X4, 0, &cfg);
    step(LD(5, 10, 0));
    /* 3 VS reads; the VS root's GPA hits (the code walk cached it); the
     * two new VS tables and the data page cost a G walk each. */
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 3);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 9);
    hart_counters_reset(T.h);
    step(LD(5, 11, 0));
    CU_ASSERT_EQUAL(C()->walk_refs_vs, 3);
    CU_ASSERT_EQUAL(C()->walk_refs_g, 3);   /* only the new data GPA */
    th_fini(&T);
}

static void test_superpages(void)
{
    uint64_t root = setup_single(PT_SV39, NULL, PTE_LEAF_RWX);

    th_map(&T, PT_SV39, root, 0xC0000000ULL, TH_RAM, 2, PTE_LEAF_RWX);           /* 1 GiB */
    th_map(&T, PT_SV39, root, 0x100200000ULL, TH_RAM + 0x200000, 1, PTE_LEAF_RWX); /* 2 MiB */
    th_w64(&T, TH_DATA + 0x10, 0x1234);
    th_w64(&T, TH_RAM + 0x200000 + 0x1238, 0x5678);
    hart_set_reg(T.h, 12, 0xC0000000ULL + (TH_DATA - TH_RAM) + 0x10);
    hart_set_reg(T.h, 13, 0x100200000ULL + 0x1238);
    step(LD(5, 12, 0));
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 5), 0x1234);
    CU_ASSERT_EQUAL(C()->walk_refs_s, 1);
    step(LD(6, 13, 0));
    CU_ASSERT_EQUAL(hart_get_reg(T.h, 6), 0x5678);
    CU_ASSERT_EQUAL(C()->walk_refs_s, 3);
    /* A misaligned superpage is a page fault. */
    th_map(&T, PT_SV39, root, 0x100400000ULL, TH_RAM + 0x1000, 1, PTE_LEAF_RWX);
    hart_set_reg(T.h, 14, 0x100400010ULL);
    step(LD(7, 14, 0));
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_LOAD_PAGE_FAULT);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), 0x100400010ULL);
    th_fini(&T);
}

static void test_u_sum_mxr(void)
{
    uint64_t root = setup_single(PT_SV39, NULL, PTE_LEAF_RWX | PTE_U);

    step(LD(5, 10, 0));   /* S touching a U page without SUM */
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_LOAD_PAGE_FAULT);
    hart_set_mode(T.h, PRIV_S, false);
    hart_csr_set(T.h, CSR_SSTATUS, MSTATUS_SUM);
    hart_csr_set(T.h, CSR_MCAUSE, 0);
    CU_ASSERT_EQUAL(step(LD(5, 10, 0)), HART_EXIT_BUDGET);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), 0);
    CU_ASSERT_EQUAL(hart_get_pc(T.h), TH_CODE + 4);
    /* Execute-only page: loads need MXR. */
    th_map(&T, PT_SV39, root, VA_DATA + 0x2000, TH_DATA, 0, PTE_V | PTE_X | PTE_A | PTE_D);
    hart_set_reg(T.h, 12, VA_DATA + 0x2000);
    step(LD(5, 12, 0));
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_LOAD_PAGE_FAULT);
    hart_set_mode(T.h, PRIV_S, false);
    hart_csr_set(T.h, CSR_SSTATUS, MSTATUS_MXR);
    hart_csr_set(T.h, CSR_MCAUSE, 0);
    step(LD(5, 12, 0));
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), 0);
    /* U-mode cannot touch a supervisor page; S cannot execute a U page. */
    hart_set_mode(T.h, PRIV_U, false);
    th_map(&T, PT_SV39, root, TH_CODE, TH_CODE, 0, PTE_LEAF_RWX | PTE_U);
    hart_sfence_vma(T.h, ~0ULL, ~0ULL);
    hart_set_reg(T.h, 13, VA_DATA + 0x3000);
    th_map(&T, PT_SV39, root, VA_DATA + 0x3000, TH_DATA, 0, PTE_LEAF_RWX);
    step(LD(5, 13, 0));
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_LOAD_PAGE_FAULT);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MSTATUS) & MSTATUS_MPP, 0);
    hart_set_mode(T.h, PRIV_S, false);
    step(NOP);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MCAUSE), CAUSE_FETCH_PAGE_FAULT);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_MTVAL), TH_CODE);
    th_fini(&T);
}

static uint64_t leaf_pte_addr(uint64_t root, uint64_t va)
{
    const struct pt_format *f = pt_format_get(PT_SV39);
    uint64_t a = root;

    for (int i = 2; i > 0; i--)
        a = pte_ppn(th_r64(&T, a + 8 * pt_index(f, (unsigned)i, va))) << 12;
    return a + 8 * pt_index(f, 0, va);
}

static void test_accessed_dirty(void)
{
    uint64_t root = setup_single(PT_SV39, NULL, PTE_V | PTE_R | PTE_W);
    uint64_t pa = leaf_pte_addr(root, VA_DATA);

    CU_ASSERT_EQUAL(th_r64(&T, pa) & (PTE_A | PTE_D), 0);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(th_r64(&T, pa) & (PTE_A | PTE_D), PTE_A);
    hart_counters_reset(T.h);
    step(SD(5, 10, 0));       /* the cached entry is clean: re-walk, set D */
    CU_ASSERT_EQUAL(th_r64(&T, pa) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CU_ASSERT_EQUAL(C()->walk_refs_s, 3);
    hart_counters_reset(T.h);
    step(SD(5, 10, 8));
    CU_ASSERT_EQUAL(refs(), 0);
    th_fini(&T);
}

/* G-stage faults: explicit and implicit, htval = GPA >> 2, GVA set. */
static void test_gstage_faults(void)
{
    uint64_t groot, vsroot, tgpa;

    th_init(&T, NULL);
    groot = th_page16k(&T);
    th_map(&T, PT_SV39X4, groot, TH_CODE, TH_CODE, 0, PTE_LEAF_RWX | PTE_U);
    th_map(&T, PT_SV39X4, groot, TH_DATA, TH_DATA, 0, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D);
    hart_csr_set(T.h, CSR_HGATP, (8ULL << 60) | (groot >> 12));
    hart_set_exit_on_hs_trap(T.h, true);
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_reg(T.h, 10, TH_DATA + 0x2000);          /* unmapped GPA */
    CU_ASSERT_EQUAL(step(LD(5, 10, 8)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_LOAD_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL(EX.tval, TH_DATA + 0x2008);
    CU_ASSERT_EQUAL(EX.htval, (TH_DATA + 0x2008) >> 2);
    CU_ASSERT_EQUAL(EX.htinst, LD(5, 10, 8) & 0x7fff);
    CU_ASSERT_EQUAL(EX.insn, LD(5, 10, 8));
    CU_ASSERT(EX.virt);
    CU_ASSERT(hart_csr_get(T.h, CSR_HSTATUS) & HSTATUS_GVA);
    CU_ASSERT(hart_csr_get(T.h, CSR_HSTATUS) & HSTATUS_SPV);
    CU_ASSERT_EQUAL(hart_csr_get(T.h, CSR_HTVAL), (TH_DATA + 0x2008) >> 2);
    /* Store to a read-only G page: cause 23. */
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_reg(T.h, 10, TH_DATA);
    CU_ASSERT_EQUAL(step(SD(5, 10, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_STORE_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL(EX.htval, TH_DATA >> 2);
    /* Implicit: the VS root table lives at an unmapped GPA. */
    tgpa = TH_RAM + 0x600000;
    vsroot = tgpa;
    hart_csr_set(T.h, CSR_VSATP, (8ULL << 60) | (vsroot >> 12));
    hart_set_mode(T.h, PRIV_S, true);
    hart_set_pc(T.h, TH_CODE);
    CU_ASSERT_EQUAL(th_run(&T, 1, &EX), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_FETCH_GUEST_PAGE_FAULT);
    CU_ASSERT_EQUAL(EX.tval, TH_CODE);
    CU_ASSERT_EQUAL(EX.htval, (tgpa + 8 * pt_index(pt_format_get(PT_SV39), 2, TH_CODE)) >> 2);
    CU_ASSERT_EQUAL(EX.htinst, HTINST_PSEUDO_READ64);
    CU_ASSERT_EQUAL(C()->page_faults, 3);
    th_fini(&T);
}

/* Fences flush exactly what they name. */
static void test_fences(void)
{
    uint64_t satp;

    setup_single(PT_SV39, NULL, PTE_LEAF_RWX);
    satp = hart_csr_get(T.h, CSR_SATP);
    hart_csr_set(T.h, CSR_SATP, satp | (1ULL << 44));       /* ASID 1 */
    step(LD(5, 10, 0));
    step(LD(5, 11, 0));
    hart_counters_reset(T.h);
    hart_set_reg(T.h, 12, VA_DATA);
    step(SFENCE_VMA(12, 0));                                 /* one address */
    step(LD(5, 11, 0));
    CU_ASSERT_EQUAL(refs(), 0);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 3);
    /* ASIDs tag entries: ASID 2 misses, ASID 1 still hits. */
    hart_counters_reset(T.h);
    hart_csr_set(T.h, CSR_SATP, satp | (2ULL << 44));
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 6);   /* the (non-global) code page misses too */
    hart_csr_set(T.h, CSR_SATP, satp | (1ULL << 44));
    hart_counters_reset(T.h);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 0);
    /* Flush ASID 2 only: ASID 1 survives. */
    hart_set_reg(T.h, 13, 2);
    step(SFENCE_VMA(0, 13));
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 0);
    hart_set_reg(T.h, 13, 1);
    step(SFENCE_VMA(0, 13));
    step(LD(5, 10, 0));
    CU_ASSERT(refs() > 0);
    th_fini(&T);
}

static void test_hfences(void)
{
    setup_nested(PT_SV39, PT_SV39X4, 0, NULL);
    step(LD(5, 10, 0));
    hart_counters_reset(T.h);
    hart_hfence_vvma(T.h, ~0ULL, ~0ULL);
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 30);  /* code and data walks, 15 each */
    hart_counters_reset(T.h);
    hart_hfence_gvma(T.h, ~0ULL, VMID + 1);                  /* another VM: no effect */
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 0);
    hart_hfence_gvma(T.h, TH_DATA, VMID);                    /* by GPA */
    step(LD(5, 10, 0));
    CU_ASSERT_EQUAL(refs(), 15);
    /* HFENCE from VS-mode is a virtual instruction. */
    CU_ASSERT_EQUAL(step(HFENCE_GVMA(0, 0)), HART_EXIT_TRAP);
    CU_ASSERT_EQUAL(EX.cause, CAUSE_VIRTUAL_INSN);
    CU_ASSERT_EQUAL(EX.tval, HFENCE_GVMA(0, 0));
    th_fini(&T);
}

/* Small TLB: capacity misses evict, and configured geometry is honoured. */
static void test_tlb_geometry(void)
{
    struct hart_config cfg = { .tlb_sets = 1, .tlb_ways = 2 };

    setup_single(PT_SV39, &cfg, PTE_LEAF_RWX);
    step(LD(5, 10, 0));     /* code + A: full */
    step(LD(5, 11, 0));     /* evicts the LRU: code */
    hart_counters_reset(T.h);
    step(LD(5, 11, 0));
    CU_ASSERT_EQUAL(C()->tlb_misses, 1);   /* the code page was evicted */
    th_fini(&T);
}

UMBRA_SUITE(riscv_mmu, "xen/arch/riscv/mmu", NULL, NULL,
            UMBRA_TEST(test_cost_sv39), UMBRA_TEST(test_cost_sv48),
            UMBRA_TEST(test_cost_sv39_over_sv39x4), UMBRA_TEST(test_cost_sv48_over_sv48x4),
            UMBRA_TEST(test_cost_gstage_2m), UMBRA_TEST(test_pwc), UMBRA_TEST(test_nested_tlb),
            UMBRA_TEST(test_superpages), UMBRA_TEST(test_u_sum_mxr),
            UMBRA_TEST(test_accessed_dirty), UMBRA_TEST(test_gstage_faults),
            UMBRA_TEST(test_fences), UMBRA_TEST(test_hfences), UMBRA_TEST(test_tlb_geometry))
