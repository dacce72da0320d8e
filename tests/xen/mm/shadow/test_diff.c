/*
 * test_diff.c: the "xen/mm/shadow/diff" suite: the differential test of the
 * two paging modes.
 *
 * A seeded generator writes one script for the page-table-edit guest
 * (guests/ptedit.h): random edits of the guest's own Sv39/Sv48 tables (map,
 * unmap, remap, permission and A/D changes, 2 MiB superpages, shared leaf
 * tables, table teardown by zeroing), made by the guest's own stores (plain,
 * compressed, 32-bit, AMO), each followed by the fence the architecture
 * requires; address-space switches between four roots with their own ASIDs;
 * and accesses of every kind (load, store, AMO, execute) through the edited
 * window, plus loads of the guest PTEs themselves (so A/D bits are compared).
 * The same script runs in a shadow domain and in a HAP domain; every value
 * the guest observes (each load, each trap with its cause and address) must
 * be equal, the guest memory must be equal at the end, and the shadow
 * invariant checker must stay silent after every exit.
 *
 * Guest-physical layout (16 MiB of RAM):
 *   0x80000000 guest code      0x80200000 script
 *   0x80400000 table pool      0x80800000 data frames (4 x 2 MiB)
 * Guest-virtual: RAM identity-mapped with global 2 MiB pages (so guest
 * tables are edited through it), the test window at 0x40000000 (4 MiB: two
 * L1 entries per root), and in two of the four address spaces a
 * self-reference at 0xC0000000 (the level-2 table points at itself), so the
 * same guest frames are shadowed at two levels at once and read as leaves.
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

#define RAM_FRAMES   4096
#define CODE_GPA     0x80000000ULL
#define SCRIPT_GPA   0x80200000ULL
#define SCRIPT_MAX   ((0x80400000ULL - SCRIPT_GPA) / sizeof(struct pt_op))
#define POOL_GPA     0x80400000ULL
#define POOL_FRAMES  1024
#define DATA_GPA     0x80800000ULL
#define DATA_FRAMES  2048
#define WIN_VA       0x40000000ULL
#define WIN_PAGES    1024
#define SELF_VA      0xC0000000ULL   /* level-2 index 3 */
#define NR_ROOTS     4
#define MAX_TABLES   160

/* The generator's knowledge of the guest's tables (structure, not A/D). */
struct model {
    unsigned levels;               /* 3 (Sv39) or 4 (Sv48) */
    uint64_t next_pool;            /* next free pool frame (never reused) */
    uint64_t root[NR_ROOTS];       /* table GPAs */
    uint64_t l2[NR_ROOTS];         /* Sv48: the per-root level-2 table */
    uint64_t win_l1[NR_ROOTS];
    uint64_t ident_l1;
    uint64_t l1_table[NR_ROOTS][2];/* the leaf table an L1 entry points at, or 0 */
    uint64_t tables[MAX_TABLES];   /* every leaf table ever created */
    unsigned nr_tables;
    unsigned cur;                  /* current root */
    struct pt_op *ops;
    size_t nr_ops;
    uint64_t rng;
};

static uint64_t rnd(struct model *m)
{
    m->rng ^= m->rng << 13;
    m->rng ^= m->rng >> 7;
    m->rng ^= m->rng << 17;
    return m->rng;
}

static unsigned pct(struct model *m)
{
    return (unsigned)(rnd(m) % 100);
}

static void emit(struct model *m, unsigned long op, unsigned long a, unsigned long b)
{
    if (m->nr_ops + 1 < SCRIPT_MAX)
        m->ops[m->nr_ops++] = (struct pt_op){ op, a, b };
}

static uint64_t pool_alloc(struct model *m)
{
    if (m->next_pool >= POOL_FRAMES)
        return 0;
    return POOL_GPA + (m->next_pool++ << PAGE_SHIFT);
}

static uint64_t table_pte(uint64_t gpa)
{
    return pte_make(gpa >> PAGE_SHIFT, PTE_V);
}

static uint64_t asid_of(unsigned r)
{
    return r + 1;
}

static uint64_t satp_of(struct model *m, unsigned r)
{
    uint64_t mode = m->levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV39;

    return (mode << SATP_MODE_SHIFT) | (asid_of(r) << SATP_ASID_SHIFT) | (m->root[r] >> PAGE_SHIFT);
}

/*
 * A random leaf PTE for the window: never global; code and tables only
 * readable (never writable or executable), so the guest cannot corrupt or
 * run them; data frames start with `ret` for PT_OP_EXEC.
 */
static uint64_t random_leaf(struct model *m)
{
    uint64_t ppn, flags = 0;
    unsigned p = pct(m);
    bool ro = false;

    if (p < 85) {
        ppn = (DATA_GPA >> PAGE_SHIFT) + rnd(m) % DATA_FRAMES;
    } else if (p < 95 && m->nr_tables) {
        ppn = m->tables[rnd(m) % m->nr_tables] >> PAGE_SHIFT;
        ro = true;
    } else {
        ppn = (CODE_GPA >> PAGE_SHIFT) + rnd(m) % 16;
        ro = true;
    }
    if (pct(m) < 95) flags |= PTE_V;
    if (pct(m) < 85) flags |= PTE_R;
    if (pct(m) < 50 && !ro) flags |= PTE_W;
    if (pct(m) < 30 && !ro) flags |= PTE_X;
    if (pct(m) < 30) flags |= PTE_U;
    if (pct(m) < 60) flags |= PTE_A;
    if (pct(m) < 50) flags |= PTE_D;
    return pte_make(ppn, flags);
}

/* A guest store of val to the PTE at gpa, by a random store kind (AMO: leaf PTEs only). */
static void emit_pte_store(struct model *m, uint64_t gpa, uint64_t val, bool amo)
{
    unsigned p = pct(m) % (amo ? 100 : 92);

    if (p < 70)
        emit(m, PT_OP_STORE, gpa, val);
    else if (p < 85)
        emit(m, PT_OP_STORE_C, gpa, val);
    else if (p < 92) {                        /* two 32-bit halves */
        emit(m, PT_OP_STORE_W, gpa, val & 0xffffffffULL);
        emit(m, PT_OP_STORE_W, gpa + 4, val >> 32);
    } else {                                  /* amoor of some flag bits onto the old PTE */
        emit(m, PT_OP_AMOOR, gpa, val & (PTE_A | PTE_D | PTE_W | PTE_R));
    }
}

/* How many L1 entries (of all roots) point at leaf table t. */
static unsigned table_refs(struct model *m, uint64_t t)
{
    unsigned n = 0;

    for (unsigned r = 0; r < NR_ROOTS; r++)
        for (unsigned k = 0; k < 2; k++)
            n += m->l1_table[r][k] == t;
    return n;
}

static void gen_leaf_edit(struct model *m)
{
    unsigned r = pct(m) < 70 ? m->cur : (unsigned)(rnd(m) % NR_ROOTS);
    unsigned k = (unsigned)(rnd(m) % 2), idx = (unsigned)(rnd(m) % 512);
    uint64_t t = m->l1_table[r][k];
    uint64_t va = WIN_VA + ((uint64_t)k << 21) + ((uint64_t)idx << PAGE_SHIFT);

    if (!t)
        return;
    if (pct(m) < 20)
        emit_pte_store(m, t + 8ULL * idx, 0, true);      /* unmap */
    else
        emit_pte_store(m, t + 8ULL * idx, random_leaf(m), true);
    if (table_refs(m, t) == 1 && pct(m) < 50)
        emit(m, PT_OP_SFENCE, va, asid_of(r));
    else
        emit(m, PT_OP_SFENCE, va, ~0UL);
}

static void gen_l1_edit(struct model *m)
{
    unsigned r = pct(m) < 70 ? m->cur : (unsigned)(rnd(m) % NR_ROOTS);
    unsigned k = (unsigned)(rnd(m) % 2), p = pct(m);
    uint64_t val = 0, t = 0;

    if (p < 40) {
        t = m->nr_tables < MAX_TABLES ? pool_alloc(m) : 0;
        if (t)
            m->tables[m->nr_tables++] = t;
    } else if (p < 60 && m->nr_tables) {
        t = m->tables[rnd(m) % m->nr_tables];          /* share a leaf table */
    } else if (p < 85) {
        uint64_t ppn = (DATA_GPA >> PAGE_SHIFT) + (rnd(m) % 4) * 512;

        if (pct(m) < 10)
            ppn += 1;                                  /* misaligned superpage */
        val = pte_make(ppn, random_leaf(m) & 0xFFULL);
        if ((val & PTE_V) && !(val & (PTE_R | PTE_W | PTE_X)))
            val |= PTE_R;                              /* a leaf, never a pointer into data */
    }
    if (t)
        val = table_pte(t);
    m->l1_table[r][k] = t;
    emit_pte_store(m, m->win_l1[r] + 8ULL * k, val, false);
    if (pct(m) < 50)
        emit(m, PT_OP_SFENCE, ~0UL, asid_of(r));
    else
        emit(m, PT_OP_SFENCE, ~0UL, ~0UL);
}

/* A batch of edits to one leaf table (a kernel mapping a range), then one flush. */
static void gen_batch(struct model *m)
{
    unsigned r = pct(m) < 70 ? m->cur : (unsigned)(rnd(m) % NR_ROOTS);
    unsigned k = (unsigned)(rnd(m) % 2), n = 4 + (unsigned)(rnd(m) % 12);
    uint64_t t = m->l1_table[r][k];

    if (!t)
        return;
    for (unsigned i = 0; i < n; i++)
        emit_pte_store(m, t + 8 * (rnd(m) % 512), random_leaf(m), true);
    if (table_refs(m, t) == 1 && pct(m) < 50)
        emit(m, PT_OP_SFENCE, ~0UL, asid_of(r));
    else
        emit(m, PT_OP_SFENCE, ~0UL, ~0UL);
}

/*
 * mmap-style churn in the current address space: map a page, touch it, unmap
 * it, flush that address, touch it again (which must fault), several times in
 * one table, so that the table goes out of sync while entries are filled.
 */
static void gen_map_touch_unmap(struct model *m)
{
    unsigned k = (unsigned)(rnd(m) % 2), n = 3 + (unsigned)(rnd(m) % 6);
    uint64_t t = m->l1_table[m->cur][k];

    if (!t)
        return;
    for (unsigned i = 0; i < n; i++) {
        unsigned idx = (unsigned)(rnd(m) % 512);
        uint64_t va = WIN_VA + ((uint64_t)k << 21) + ((uint64_t)idx << PAGE_SHIFT);
        uint64_t pte = pte_make((DATA_GPA >> PAGE_SHIFT) + rnd(m) % DATA_FRAMES,
                                PTE_V | PTE_R | PTE_W | PTE_A | (pct(m) < 50 ? PTE_D : 0));

        emit(m, PT_OP_STORE, t + 8ULL * idx, 0);         /* whatever was there goes first */
        emit(m, PT_OP_SFENCE, va, ~0UL);
        emit(m, PT_OP_STORE, t + 8ULL * idx, pte);       /* invalid -> valid: no fence needed */
        emit(m, PT_OP_LOAD, va + 8, 0);
        emit(m, PT_OP_STORE, va + 16, rnd(m));
        emit(m, PT_OP_STORE, t + 8ULL * idx, 0);
        emit(m, PT_OP_SFENCE, va, pct(m) < 50 ? asid_of(m->cur) : ~0UL);
        emit(m, PT_OP_LOAD, va + 8, 0);
    }
}

/* Process teardown: zero a run of entries of one leaf table, then flush. */
static void gen_teardown(struct model *m)
{
    unsigned first = (unsigned)(rnd(m) % 480), r = (unsigned)(rnd(m) % NR_ROOTS);
    uint64_t t = m->l1_table[r][rnd(m) % 2];

    if (!t)
        return;
    for (unsigned i = 0; i < 24; i++)
        emit(m, PT_OP_STORE, t + 8ULL * (first + i), 0);
    emit(m, PT_OP_SFENCE, ~0UL, ~0UL);
}

static void gen_access(struct model *m)
{
    uint64_t page = rnd(m) % WIN_PAGES, off = 8 + 8 * (rnd(m) % 511);
    uint64_t va = WIN_VA + (page << PAGE_SHIFT);
    unsigned p = pct(m);

    if (pct(m) < 8) {          /* through the self-reference: loads only */
        emit(m, PT_OP_LOAD, SELF_VA + ((1 + rnd(m) % 3) << 21) + ((rnd(m) % 512) << 12) + off, 0);
        return;
    }

    if (p < 45)
        emit(m, PT_OP_LOAD, va + (pct(m) < 10 ? 0 : off), 0);
    else if (p < 65)
        emit(m, PT_OP_STORE, va + off, rnd(m));
    else if (p < 72)
        emit(m, PT_OP_STORE_C, va + off, rnd(m));
    else if (p < 79)
        emit(m, PT_OP_STORE_W, va + off, rnd(m));
    else if (p < 88)
        emit(m, PT_OP_AMOOR, va + off, rnd(m));
    else
        emit(m, PT_OP_EXEC, va, 0);
}

static void gen_step(struct model *m)
{
    unsigned p = pct(m);

    if (p < 45) {
        gen_access(m);
    } else if (p < 60) {
        gen_leaf_edit(m);
    } else if (p < 65) {
        gen_batch(m);
    } else if (p < 69) {
        gen_l1_edit(m);
    } else if (p < 73) {
        gen_access(m);
    } else if (p < 78) {
        m->cur = (unsigned)(rnd(m) % NR_ROOTS);
        emit(m, PT_OP_SATP, satp_of(m, m->cur), 0);
    } else if (p < 88) {
        if (m->nr_tables)
            emit(m, PT_OP_LOAD, m->tables[rnd(m) % m->nr_tables] + 8 * (rnd(m) % 512), 0);
    } else if (p < 90) {
        emit(m, PT_OP_SUM, pct(m) < 70, 0);
    } else if (p < 92) {
        emit(m, PT_OP_READ_SATP, 0, 0);
    } else if (p < 95) {
        gen_teardown(m);
    } else if (p < 97) {
        gen_map_touch_unmap(m);
    } else {
        gen_access(m);
    }
}

/* The initial tables: identity map of RAM, one root and window L1 per address space. */
static void model_init(struct model *m, unsigned levels, uint64_t seed)
{
    memset(m, 0, sizeof(*m));
    m->levels = levels;
    m->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    m->ops = calloc(SCRIPT_MAX, sizeof(*m->ops));
    m->ident_l1 = pool_alloc(m);
    for (unsigned r = 0; r < NR_ROOTS; r++) {
        m->root[r] = pool_alloc(m);
        m->l2[r] = levels == 4 ? pool_alloc(m) : m->root[r];
        m->win_l1[r] = pool_alloc(m);
    }
}

/* Write the model's initial tables and the data pattern into a VM's RAM. */
static void model_install(const struct model *m, struct sh_vm *vm)
{
    for (unsigned i = 0; i < 8; i++)
        vm_write64(vm, m->ident_l1 + 8 * i,
                   pte_make((CODE_GPA >> PAGE_SHIFT) + 512ULL * i,
                            PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    for (unsigned r = 0; r < NR_ROOTS; r++) {
        if (m->levels == 4)
            vm_write64(vm, m->root[r], table_pte(m->l2[r]));
        vm_write64(vm, m->l2[r] + 8, table_pte(m->win_l1[r]));
        vm_write64(vm, m->l2[r] + 16, table_pte(m->ident_l1));
        if (r % 2 == 0)
            vm_write64(vm, m->l2[r] + 24, table_pte(m->l2[r]));   /* self-reference */
    }
    for (uint64_t f = 0; f < DATA_FRAMES; f++) {
        uint64_t gpa = DATA_GPA + (f << PAGE_SHIFT);

        vm_write64(vm, gpa, 0x00008067);           /* ret */
        for (unsigned i = 1; i < 512; i++)
            vm_write64(vm, gpa + 8 * i, (f << 32 | i) * 0x9E3779B97F4A7C15ULL);
    }
    for (size_t i = 0; i < m->nr_ops * sizeof(*m->ops); i += PAGE_SIZE)
        memcpy(vm_gpa(vm, SCRIPT_GPA + i), (const uint8_t *)m->ops + i,
               m->nr_ops * sizeof(*m->ops) - i < PAGE_SIZE ? m->nr_ops * sizeof(*m->ops) - i
                                                          : PAGE_SIZE);
}

static void model_script(struct model *m, unsigned steps)
{
    emit(m, PT_OP_SUM, 1, 0);
    emit(m, PT_OP_READ_SATP, 0, 0);
    emit(m, PT_OP_SATP, satp_of(m, 0), 0);
    emit(m, PT_OP_READ_SATP, 0, 0);
    for (unsigned i = 0; i < steps; i++)
        gen_step(m);
    for (unsigned r = 0; r < NR_ROOTS; r++) {            /* final sweep */
        emit(m, PT_OP_SATP, satp_of(m, r), 0);
        for (uint64_t p = 0; p < WIN_PAGES; p++)
            emit(m, PT_OP_LOAD, WIN_VA + (p << PAGE_SHIFT) + 8, 0);
    }
    for (unsigned t = 0; t < m->nr_tables; t++)
        for (unsigned i = 0; i < 512; i++)
            emit(m, PT_OP_LOAD, m->tables[t] + 8 * i, 0);
    emit(m, PT_OP_END, 0, 0);
}

struct diff_result {
    struct shadow_stats st;
    uint64_t hap_exits, shadow_exits;
};

/* Compare the shadow run vm[0] with the HAP run vm[1]; then free both. */
static void compare_and_destroy(struct sh_vm **vm, unsigned levels, uint64_t seed,
                                struct diff_result *res)
{
    CU_ASSERT_EQUAL(vm[0]->check_failures, 0);
    CU_ASSERT_EQUAL(vm[0]->nr_log, vm[1]->nr_log);
    for (size_t i = 0; i < vm[0]->nr_log && i < vm[1]->nr_log; i++) {
        const struct vm_rec *a = &vm[0]->log[i], *b = &vm[1]->log[i];

        if (a->kind != b->kind || a->a != b->a || a->b != b->b) {
            fprintf(stderr,
                    "diff: levels %u seed %llu: record %zu differs: shadow (%#llx %#llx %#llx)"
                    " hap (%#llx %#llx %#llx)\n", levels, (unsigned long long)seed, i,
                    (unsigned long long)a->kind, (unsigned long long)a->a,
                    (unsigned long long)a->b, (unsigned long long)b->kind,
                    (unsigned long long)b->a, (unsigned long long)b->b);
            CU_FAIL("a load or trap differs between shadow and HAP");
            break;
        }
    }
    for (uint64_t f = 0; f < RAM_FRAMES; f++) {
        uint64_t gpa = VM_RAM_GPA + (f << PAGE_SHIFT);

        if (memcmp(vm_gpa(vm[0], gpa), vm_gpa(vm[1], gpa), PAGE_SIZE)) {
            fprintf(stderr, "diff: guest frame %#llx differs at the end\n",
                    (unsigned long long)gpa);
            CU_FAIL("guest memory differs between shadow and HAP");
            break;
        }
    }
    shadow_get_stats(&vm[0]->d, &res->st);
    res->shadow_exits = vm[0]->exits;
    res->hap_exits = vm[1]->exits;
    for (int i = 0; i < 2; i++) {
        domid_t id = vm[i]->d.domain_id;

        vm_destroy(vm[i]);
        CU_ASSERT_EQUAL(mm_count_owned(id), 0);
        free(vm[i]);
    }
}

/* Run the script of (levels, seed) under both modes and compare. */
static void run_diff(unsigned levels, uint64_t seed, unsigned steps, uint64_t pool,
                     struct diff_result *res)
{
    struct sh_vm *vm[2];
    const struct paging_ops *ops[2] = { &shadow_ops, &hap_ops };
    char path[512];
    struct model m;
    uint64_t entry = 0;

    model_init(&m, levels, seed);
    model_script(&m, steps);
    vm_guest_path(path, sizeof(path), "shadow-ptedit");
    for (int i = 0; i < 2; i++) {
        int rc;

        vm[i] = calloc(1, sizeof(*vm[i]));
        CU_ASSERT_FATAL(vm[i] != NULL);
        CU_ASSERT_FATAL(vm_create(vm[i], (domid_t)(10 + i), ops[i], RAM_FRAMES) == 0);
        if (i == 0 && pool)
            CU_ASSERT_FATAL(shadow_set_pool_size(&vm[0]->d, pool) == 0);
        CU_ASSERT_FATAL(vm_load_elf(vm[i], path, &entry) == 0);
        model_install(&m, vm[i]);
        rc = vm_run(vm[i], entry, SCRIPT_GPA, 1000000);
        if (rc)
            fprintf(stderr, "diff: %s run failed: %d (cause %llu at pc %#llx)\n", ops[i]->name,
                    rc, (unsigned long long)vm[i]->last_cause,
                    (unsigned long long)vm[i]->last_pc);
        CU_ASSERT_FATAL(rc == 0);
    }
    compare_and_destroy(vm, levels, seed, res);
    free(m.ops);
}

/*
 * Two vCPUs of one domain take turns (segments of the script, each ended by
 * PT_ECALL_END): per-vCPU satp and tops, OOS tables resynced by the other
 * vCPU's fences, shadows shared between vCPUs. Before each turn the host
 * flushes the incoming vCPU's TLB in both modes (the remote fence a guest
 * kernel sends with an IPI), so no stale translation decides a result.
 */
static void run_diff_smp(uint64_t seed, unsigned segments, unsigned steps, struct diff_result *res)
{
    const struct paging_ops *ops[2] = { &shadow_ops, &hap_ops };
    size_t *starts = calloc(segments + 1, sizeof(*starts));
    unsigned cur[2] = { 0, 1 };
    struct sh_vm *vm[2];
    struct model m;
    uint64_t entry = 0;
    char path[512];

    CU_ASSERT_FATAL(starts != NULL);
    model_init(&m, 3, seed);
    for (unsigned seg = 0; seg < segments; seg++) {
        unsigned vc = seg % 2;

        starts[seg] = m.nr_ops;
        m.cur = cur[vc];
        if (seg < 2) {
            emit(&m, PT_OP_SUM, 1, 0);
            emit(&m, PT_OP_SATP, satp_of(&m, m.cur), 0);
        }
        for (unsigned i = 0; i < steps; i++)
            gen_step(&m);
        cur[vc] = m.cur;
        emit(&m, PT_OP_READ_SATP, 0, 0);
        emit(&m, PT_OP_END, 0, 0);
    }
    starts[segments] = m.nr_ops;                         /* the sweep, on vCPU 0 */
    model_script(&m, 0);
    vm_guest_path(path, sizeof(path), "shadow-ptedit");
    for (int i = 0; i < 2; i++) {
        vm[i] = calloc(1, sizeof(*vm[i]));
        CU_ASSERT_FATAL(vm[i] != NULL);
        CU_ASSERT_FATAL(vm_create(vm[i], (domid_t)(20 + i), ops[i], RAM_FRAMES) == 0);
        CU_ASSERT_FATAL(vm_add_vcpu(vm[i]) == 0);
        CU_ASSERT_FATAL(vm_load_elf(vm[i], path, &entry) == 0);
        model_install(&m, vm[i]);
        for (unsigned seg = 0; seg <= segments; seg++) {
            struct vcpu *v = seg < segments && seg % 2 ? &vm[i]->v1 : &vm[i]->v;
            int rc;

            hart_hfence_vvma(v->hart, ~0ULL, ~0ULL);
            rc = vm_run_on(vm[i], v, entry, SCRIPT_GPA + starts[seg] * sizeof(struct pt_op),
                           4000000);
            if (rc)
                fprintf(stderr, "diff-smp: %s segment %u failed: %d (cause %llu at pc %#llx)\n",
                        ops[i]->name, seg, rc, (unsigned long long)vm[i]->last_cause,
                        (unsigned long long)vm[i]->last_pc);
            CU_ASSERT_FATAL(rc == 0);
        }
    }
    compare_and_destroy(vm, 3, seed, res);
    free(m.ops);
    free(starts);
}

static void print_stats(const char *what, const struct diff_result *r)
{
    const struct shadow_stats *s = &r->st;

    fprintf(stderr,
            "\n  %s: exits shadow %llu hap %llu; faults %llu (np %llu wp %llu ad %llu refl %llu)"
            " emul %llu oos %llu resync %llu unshadow %llu wprot %llu reclaim %llu peak %llu"
            " satp %llu sfence %llu flush %llu refs %llu\n", what,
            (unsigned long long)r->shadow_exits, (unsigned long long)r->hap_exits,
            (unsigned long long)s->faults, (unsigned long long)s->faults_not_present,
            (unsigned long long)s->faults_wp_emulate, (unsigned long long)s->faults_ad,
            (unsigned long long)s->faults_reflected, (unsigned long long)s->emulated_writes,
            (unsigned long long)s->oos_unsyncs, (unsigned long long)s->resyncs,
            (unsigned long long)s->unshadows, (unsigned long long)s->write_protects,
            (unsigned long long)s->reclaims, (unsigned long long)s->pages_peak,
            (unsigned long long)s->exits_satp, (unsigned long long)s->exits_sfence,
            (unsigned long long)s->tlb_flushes, (unsigned long long)s->hyp_refs);
}

static void test_diff_sv39(void)
{
    uint64_t unshadows = 0;

    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct diff_result r;

        run_diff(3, seed, 3000, 0, &r);
        if (seed == 1)
            print_stats("sv39 seed 1", &r);
        CU_ASSERT(r.st.faults_not_present > 0);
        CU_ASSERT(r.st.faults_ad > 0);
        CU_ASSERT(r.st.faults_wp_emulate > 0);
        CU_ASSERT(r.st.faults_reflected > 0);
        CU_ASSERT(r.st.emulated_writes > 0);
        CU_ASSERT(r.st.oos_unsyncs > 0);
        CU_ASSERT(r.st.resyncs > 0);
        unshadows += r.st.unshadows;
        CU_ASSERT(r.st.exits_satp > 0);
        CU_ASSERT(r.st.exits_sfence > 0);
        CU_ASSERT(r.st.hyp_refs > 0);
    }
    CU_ASSERT(unshadows > 0);
}

static void test_diff_sv48(void)
{
    struct diff_result r;

    run_diff(4, 7, 3000, 0, &r);
    print_stats("sv48 seed 7", &r);
    CU_ASSERT(r.st.emulated_writes > 0);
}

/* A pool at its minimum: shadows are reclaimed all the time, results unchanged. */
static void test_diff_small_pool(void)
{
    struct diff_result r;

    run_diff(3, 11, 2000, SHADOW_POOL_MIN_PAGES + 4, &r);  /* one vCPU */
    print_stats("sv39 small pool", &r);
    CU_ASSERT(r.st.reclaims > 0);
    CU_ASSERT(r.st.pages_peak <= SHADOW_POOL_MIN_PAGES + 4);
}

static void test_diff_two_vcpus(void)
{
    struct diff_result r;

    run_diff_smp(21, 12, 250, &r);
    print_stats("sv39 two vCPUs", &r);
    CU_ASSERT(r.st.exits_satp > 0);
}

static int suite_init(void)
{
    return mm_init(256ULL << 20) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

UMBRA_SUITE(shadow_diff, "xen/mm/shadow/diff", suite_init, suite_fini,
            UMBRA_TEST(test_diff_sv39), UMBRA_TEST(test_diff_sv48),
            UMBRA_TEST(test_diff_small_pool), UMBRA_TEST(test_diff_two_vcpus))
