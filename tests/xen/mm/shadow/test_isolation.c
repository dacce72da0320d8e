/*
 * test_isolation.c: the "xen/mm/shadow/isolation" suite. A shadow guest
 * that points its PTEs (leaf and non-leaf) at guest frames outside its RAM,
 * including frame numbers equal to another domain's machine frames, gets a
 * page fault for every such access, never a mapping: no shadow entry
 * reachable from its vsatp ever names the other domain's frames, and the
 * secret in them is never read. In physical mode (no guest tables) an access
 * outside RAM is refused to the caller (the domain is crashed), not mapped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/ptedit.h"
#include "riscv/csr.h"
#include "sh_vm.h"
#include "umbra/mm.h"
#include "umbra/shadow.h"
#include "umbra_test.h"

#define A_FRAMES   1024          /* 4 MiB: gfns 0x80000..0x803ff */
#define B_FRAMES   16
#define SCRIPT_GPA 0x80100000ULL
#define TABLES_GPA 0x80200000ULL
#define WIN_VA     0x40000000ULL
#define SECRET     0x5EC2E75EC2E75EC2ULL
#define OUTSIDE_GFN 0x90000ULL   /* GPA 0x90000000: not RAM of A */

struct script {
    struct pt_op ops[512];
    unsigned n;
};

static void op(struct script *s, unsigned long code, unsigned long a, unsigned long b)
{
    s->ops[s->n++] = (struct pt_op){ code, a, b };
}

static void install_script(struct sh_vm *vm, const struct script *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        vm_write64(vm, SCRIPT_GPA + 24ULL * i, s->ops[i].op);
        vm_write64(vm, SCRIPT_GPA + 24ULL * i + 8, s->ops[i].a);
        vm_write64(vm, SCRIPT_GPA + 24ULL * i + 16, s->ops[i].b);
    }
}

/* Does any leaf reachable from the table at machine frame mfn (level) map a frame in bad[]? */
static bool shadow_maps_any(mfn_t mfn, unsigned level, const mfn_t *bad, unsigned n)
{
    const uint64_t *t = mfn_to_virt(mfn);

    for (unsigned i = 0; i < 512; i++) {
        if (!(t[i] & PTE_V))
            continue;
        if (!pte_is_leaf(t[i])) {
            if (level > 0 && shadow_maps_any(_mfn(pte_ppn(t[i])), level - 1, bad, n))
                return true;
            continue;
        }
        for (unsigned b = 0; b < n; b++)
            if (pte_ppn(t[i]) >> (9 * level) == mfn_x(bad[b]) >> (9 * level))
                return true;
    }
    return false;
}

static void test_foreign_frames_fault(void)
{
    struct sh_vm *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    uint64_t root = TABLES_GPA, l1 = TABLES_GPA + 0x1000, l0 = TABLES_GPA + 0x2000;
    uint64_t ident = TABLES_GPA + 0x3000, entry = 0, satp;
    uint64_t ram_lo = VM_RAM_GPA >> PAGE_SHIFT, ram_hi = ram_lo + A_FRAMES;
    struct script s = { .n = 0 };
    char path[512];
    unsigned faults = 0, expect_faults = 0;
    size_t li = 0;

    CU_ASSERT_FATAL(a && b);
    CU_ASSERT_FATAL(vm_create(b, 31, &hap_ops, B_FRAMES) == 0);
    for (uint64_t f = 0; f < B_FRAMES; f++)
        for (unsigned i = 0; i < 512; i++)
            vm_write64(b, VM_RAM_GPA + (f << PAGE_SHIFT) + 8 * i, SECRET);
    CU_ASSERT_FATAL(vm_create(a, 30, &shadow_ops, A_FRAMES) == 0);
    CU_ASSERT_FATAL(vm_load_elf(a, vm_guest_path(path, sizeof(path), "shadow-ptedit"), &entry) == 0);

    /* A's tables: identity map of its RAM, window L1 -> L0 */
    vm_write64(a, ident, pte_make(ram_lo, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    vm_write64(a, ident + 8, pte_make(ram_lo + 512, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    vm_write64(a, root + 8, pte_make(l1 >> PAGE_SHIFT, PTE_V));
    vm_write64(a, root + 16, pte_make(ident >> PAGE_SHIFT, PTE_V));
    vm_write64(a, l1, pte_make(l0 >> PAGE_SHIFT, PTE_V));
    vm_write64(a, l1 + 8, pte_make(OUTSIDE_GFN, PTE_V));            /* table outside RAM */
    vm_write64(a, l1 + 16, pte_make(OUTSIDE_GFN, PTE_V | PTE_R | PTE_A)); /* superpage outside */
    vm_write64(a, l0, pte_make(OUTSIDE_GFN, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
    for (unsigned f = 0; f < B_FRAMES; f++)
        vm_write64(a, l0 + 8 * (1 + f), pte_make(mfn_x(b->ram[f]), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));

    satp = ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | (root >> PAGE_SHIFT);
    op(&s, PT_OP_SATP, satp, 0);
    op(&s, PT_OP_LOAD, WIN_VA + 8, 0);                  /* leaf outside RAM */
    op(&s, PT_OP_STORE, WIN_VA + 16, 1);
    op(&s, PT_OP_EXEC, WIN_VA, 0);
    op(&s, PT_OP_LOAD, WIN_VA + 0x200000, 0);           /* through a table outside RAM */
    op(&s, PT_OP_LOAD, WIN_VA + 0x400000, 0);           /* superpage outside RAM */
    expect_faults = 5;
    for (unsigned f = 0; f < B_FRAMES; f++) {           /* B's machine frame numbers as gfns */
        op(&s, PT_OP_LOAD, WIN_VA + ((1ULL + f) << PAGE_SHIFT) + 8, 0);
        op(&s, PT_OP_STORE, WIN_VA + ((1ULL + f) << PAGE_SHIFT) + 16, 2);
        if (mfn_x(b->ram[f]) < ram_lo || mfn_x(b->ram[f]) >= ram_hi)
            expect_faults += 2;
    }
    op(&s, PT_OP_END, 0, 0);
    install_script(a, &s);

    CU_ASSERT_EQUAL_FATAL(vm_run(a, entry, SCRIPT_GPA, 100000), 0);
    CU_ASSERT_EQUAL(a->check_failures, 0);
    for (li = 0; li < a->nr_log; li++) {
        const struct vm_rec *r = &a->log[li];

        CU_ASSERT(r->kind == PT_ECALL_FAULT || r->a != SECRET);
        if (r->kind == PT_ECALL_FAULT) {
            faults++;
            CU_ASSERT(r->a == CAUSE_LOAD_PAGE_FAULT || r->a == CAUSE_STORE_PAGE_FAULT ||
                      r->a == CAUSE_FETCH_PAGE_FAULT);
            CU_ASSERT(r->b >= WIN_VA && r->b < WIN_VA + 0x600000);
        }
    }
    CU_ASSERT_EQUAL(faults, expect_faults);
    CU_ASSERT_FALSE(shadow_maps_any(_mfn(hart_csr_get(a->v.hart, CSR_VSATP) & SATP_PPN_MASK), 2,
                                    b->ram, B_FRAMES));
    for (uint64_t f = 0; f < B_FRAMES; f++)
        for (unsigned i = 0; i < 512; i++)
            CU_ASSERT_EQUAL(vm_read64(b, VM_RAM_GPA + (f << PAGE_SHIFT) + 8 * i), SECRET);
    vm_destroy(a);
    vm_destroy(b);
    CU_ASSERT_EQUAL(mm_count_owned(30), 0);
    CU_ASSERT_EQUAL(mm_count_owned(31), 0);
    free(a);
    free(b);
}

/* Physical mode: an access outside RAM is refused (the caller crashes the domain). */
static void test_physical_mode_outside_ram(void)
{
    struct sh_vm *a = calloc(1, sizeof(*a));
    struct script s = { .n = 0 };
    uint64_t entry = 0;
    char path[512];

    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT_FATAL(vm_create(a, 32, &shadow_ops, A_FRAMES) == 0);
    CU_ASSERT_FATAL(vm_load_elf(a, vm_guest_path(path, sizeof(path), "shadow-ptedit"), &entry) == 0);
    op(&s, PT_OP_LOAD, SCRIPT_GPA, 0);                  /* inside RAM: fine */
    op(&s, PT_OP_LOAD, OUTSIDE_GFN << PAGE_SHIFT, 0);
    op(&s, PT_OP_END, 0, 0);
    install_script(a, &s);
    CU_ASSERT_EQUAL(vm_run(a, entry, SCRIPT_GPA, 10000), -EFAULT);
    CU_ASSERT_EQUAL(a->nr_log, 1);
    CU_ASSERT_EQUAL(a->last_cause, CAUSE_LOAD_PAGE_FAULT);
    CU_ASSERT_EQUAL(a->check_failures, 0);
    vm_destroy(a);
    CU_ASSERT_EQUAL(mm_count_owned(32), 0);
    free(a);
}

/*
 * The p2m changes under a running shadow guest (ballooning): a data frame and
 * then a leaf-table frame leave the p2m. Every shadow mapping of them goes,
 * the table is unshadowed, the checker stays silent, and the guest's next
 * accesses fault in the guest instead of reaching the old frames.
 */
static void test_p2m_change_drops_mappings(void)
{
    struct sh_vm *a = calloc(1, sizeof(*a));
    uint64_t root = TABLES_GPA, l1 = TABLES_GPA + 0x1000, l0 = TABLES_GPA + 0x2000;
    uint64_t ident = TABLES_GPA + 0x3000, data = 0x80300000ULL, entry = 0, satp;
    uint64_t ram_lo = VM_RAM_GPA >> PAGE_SHIFT;
    struct script s = { .n = 0 };
    mfn_t gone[2];
    char path[512];
    size_t first;

    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT_FATAL(vm_create(a, 33, &shadow_ops, A_FRAMES) == 0);
    CU_ASSERT_FATAL(vm_load_elf(a, vm_guest_path(path, sizeof(path), "shadow-ptedit"), &entry) == 0);
    vm_write64(a, ident, pte_make(ram_lo, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    vm_write64(a, ident + 8, pte_make(ram_lo + 512, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    vm_write64(a, root + 8, pte_make(l1 >> PAGE_SHIFT, PTE_V));
    vm_write64(a, root + 16, pte_make(ident >> PAGE_SHIFT, PTE_V));
    vm_write64(a, l1, pte_make(l0 >> PAGE_SHIFT, PTE_V));
    vm_write64(a, l0, pte_make(data >> PAGE_SHIFT, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    vm_write64(a, l0 + 8, pte_make(l0 >> PAGE_SHIFT, PTE_V | PTE_R | PTE_A));
    vm_write64(a, data + 8, 0xDA7A);
    satp = ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | (root >> PAGE_SHIFT);
    op(&s, PT_OP_SATP, satp, 0);
    op(&s, PT_OP_LOAD, WIN_VA + 8, 0);
    op(&s, PT_OP_STORE, WIN_VA + 16, 7);
    op(&s, PT_OP_LOAD, WIN_VA + 0x1000, 0);
    op(&s, PT_OP_END, 0, 0);
    install_script(a, &s);
    CU_ASSERT_EQUAL_FATAL(vm_run(a, entry, SCRIPT_GPA, 10000), 0);
    CU_ASSERT_EQUAL_FATAL(a->nr_log, 2);
    CU_ASSERT_EQUAL(a->log[0].a, 0xDA7A);
    CU_ASSERT_EQUAL(a->log[1].a, vm_read64(a, l0));

    gone[0] = a->ram[(data >> PAGE_SHIFT) - ram_lo];
    gone[1] = a->ram[(l0 >> PAGE_SHIFT) - ram_lo];
    CU_ASSERT_TRUE(shadow_maps_any(_mfn(hart_csr_get(a->v.hart, CSR_VSATP) & SATP_PPN_MASK), 2,
                                   gone, 1));
    CU_ASSERT_EQUAL(p2m_set_entry(&a->d.p2m, _gfn(data >> PAGE_SHIFT), INVALID_MFN, 0,
                                  p2m_invalid), 0);
    CU_ASSERT_EQUAL(shadow_check(&a->d), 0);
    CU_ASSERT_FALSE(shadow_maps_any(_mfn(hart_csr_get(a->v.hart, CSR_VSATP) & SATP_PPN_MASK), 2,
                                    gone, 1));
    CU_ASSERT_EQUAL(p2m_set_entry(&a->d.p2m, _gfn(l0 >> PAGE_SHIFT), INVALID_MFN, 0,
                                  p2m_invalid), 0);
    CU_ASSERT_EQUAL(shadow_check(&a->d), 0);
    CU_ASSERT_FALSE(shadow_maps_any(_mfn(hart_csr_get(a->v.hart, CSR_VSATP) & SATP_PPN_MASK), 2,
                                    gone, 2));

    first = a->nr_log;
    CU_ASSERT_EQUAL_FATAL(vm_run(a, entry, SCRIPT_GPA, 10000), 0);
    CU_ASSERT_EQUAL(a->check_failures, 0);
    CU_ASSERT_EQUAL_FATAL(a->nr_log, first + 5);      /* load: fault + sentinel; store: fault */
    CU_ASSERT_EQUAL(a->log[first].kind, PT_ECALL_FAULT);
    CU_ASSERT_EQUAL(a->log[first].a, CAUSE_LOAD_PAGE_FAULT);
    CU_ASSERT_EQUAL(a->log[first].b, WIN_VA + 8);
    vm_destroy(a);
    CU_ASSERT_EQUAL(mm_count_owned(33), 0);
    free(a);
}

static int suite_init(void)
{
    return mm_init(64ULL << 20) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

UMBRA_SUITE(shadow_isolation, "xen/mm/shadow/isolation", suite_init, suite_fini,
            UMBRA_TEST(test_foreign_frames_fault), UMBRA_TEST(test_physical_mode_outside_ram),
            UMBRA_TEST(test_p2m_change_drops_mappings))
