/*
 * bench_paging.c: `make bench-paging-synth`: the same synthetic workloads under
 * shadow paging, HAP with 4 KiB p2m entries and HAP with 2 MiB p2m entries,
 * run by the page-table-edit guest (../guests/ptedit.h) on one hart each.
 * It prints, per workload and mode, modeled cycles and host seconds, TLB
 * misses and walk references, exits by cause, and shadow faults and emulated
 * writes. Figures only: nothing here is asserted (docs/shadow.md).
 *
 * Workloads (host-built tables have A and D set, like pages already touched):
 *   tlb-miss    8 MiB mapped once, then touched page by page 40 times: few
 *               page-table updates, a TLB miss per access;
 *   map-churn   map 32 pages, flush, touch them, unmap them, flush, switch
 *               address space; 300 times (process creation and mmap);
 *   ctx-switch  four address spaces, 8 pages touched in each between
 *               switches; 3000 switches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../guests/ptedit.h"
#include "../sh_vm.h"
#include "riscv/csr.h"
#include "umbra/mm.h"
#include "umbra/shadow.h"

#define RAM_FRAMES  4096
#define SCRIPT_GPA  0x80200000ULL
#define POOL_GPA    0x80400000ULL
#define DATA_GPA    0x80800000ULL
#define WIN_VA      0x40000000ULL
#define NR_ROOTS    4

struct layout {
    uint64_t next;                   /* next pool frame */
    uint64_t root[NR_ROOTS], win_l1[NR_ROOTS], ident;
    struct pt_op *ops;
    size_t n;
};

static uint64_t alloc_table(struct layout *l)
{
    return POOL_GPA + (l->next++ << PAGE_SHIFT);
}

static void op(struct layout *l, unsigned long code, unsigned long a, unsigned long b)
{
    l->ops[l->n++] = (struct pt_op){ code, a, b };
}

static uint64_t satp_of(const struct layout *l, unsigned r)
{
    return ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | ((uint64_t)(r + 1) << SATP_ASID_SHIFT) |
           (l->root[r] >> PAGE_SHIFT);
}

static uint64_t leaf(uint64_t gpa)
{
    return pte_make(gpa >> PAGE_SHIFT, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
}

/* Host-side table writes, recorded so each VM gets the same. */
struct hostw {
    uint64_t gpa, val;
};
static struct hostw hw[16384];
static size_t nhw;

static void hwrite(uint64_t gpa, uint64_t val)
{
    hw[nhw++] = (struct hostw){ gpa, val };
}

/* Roots with the identity map; window L1 tables; `pages` mapped per root from `first`. */
static void base_tables(struct layout *l, unsigned roots, unsigned pages)
{
    l->ident = alloc_table(l);
    for (unsigned i = 0; i < 8; i++)
        hwrite(l->ident + 8 * i, pte_make((0x80000000ULL >> PAGE_SHIFT) + 512ULL * i,
                                          PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G));
    for (unsigned r = 0; r < roots; r++) {
        l->root[r] = alloc_table(l);
        l->win_l1[r] = alloc_table(l);
        hwrite(l->root[r] + 8, pte_make(l->win_l1[r] >> PAGE_SHIFT, PTE_V));
        hwrite(l->root[r] + 16, pte_make(l->ident >> PAGE_SHIFT, PTE_V));
        for (unsigned p = 0; p < pages; p++) {
            if (p % 512 == 0) {
                uint64_t t = alloc_table(l);

                hwrite(l->win_l1[r] + 8 * (p / 512), pte_make(t >> PAGE_SHIFT, PTE_V));
            }
            /* the leaf table of page p is the most recently allocated one */
            hwrite(POOL_GPA + ((l->next - 1) << PAGE_SHIFT) + 8 * (p % 512),
                   leaf(DATA_GPA + ((uint64_t)(p + r * 64) % 2048 << PAGE_SHIFT)));
        }
    }
}

static void wl_tlb_miss(struct layout *l)
{
    base_tables(l, 1, 2048);
    op(l, PT_OP_SATP, satp_of(l, 0), 0);
    for (unsigned i = 0; i < 40; i++)
        op(l, PT_OP_TOUCH, WIN_VA + 8, 2048);
}

static void wl_map_churn(struct layout *l)
{
    uint64_t table[NR_ROOTS];

    base_tables(l, NR_ROOTS, 0);
    for (unsigned r = 0; r < NR_ROOTS; r++) {
        table[r] = alloc_table(l);
        hwrite(l->win_l1[r], pte_make(table[r] >> PAGE_SHIFT, PTE_V));
    }
    for (unsigned it = 0; it < 300; it++) {
        unsigned r = it % NR_ROOTS, first = (it * 37) % 400;

        op(l, PT_OP_SATP, satp_of(l, r), 0);
        for (unsigned p = 0; p < 32; p++)
            op(l, PT_OP_STORE, table[r] + 8 * (first + p),
               leaf(DATA_GPA + ((uint64_t)(first + p + it) % 2048 << PAGE_SHIFT)));
        op(l, PT_OP_SFENCE, ~0UL, r + 1);
        op(l, PT_OP_TOUCH, WIN_VA + ((uint64_t)first << PAGE_SHIFT) + 8, 32);
        for (unsigned p = 0; p < 32; p++)
            op(l, PT_OP_STORE, table[r] + 8 * (first + p), 0);
        op(l, PT_OP_SFENCE, ~0UL, r + 1);
    }
}

static void wl_ctx_switch(struct layout *l)
{
    base_tables(l, NR_ROOTS, 64);
    for (unsigned it = 0; it < 3000; it++) {
        op(l, PT_OP_SATP, satp_of(l, it % NR_ROOTS), 0);
        op(l, PT_OP_TOUCH, WIN_VA + ((uint64_t)(it % 8) * 8 << PAGE_SHIFT) + 8, 8);
    }
}

struct mode {
    const char *name;
    const struct paging_ops *ops;
    bool p2m_2m;
};

static int run_one(const char *wname, void (*wl)(struct layout *), const struct mode *m,
                   const char *elf)
{
    struct sh_vm *vm = calloc(1, sizeof(*vm));
    struct layout l = { .next = 0, .ops = calloc(65536, sizeof(struct pt_op)) };
    const struct hart_counters *c;
    struct shadow_stats st = { 0 };
    struct timespec t0, t1;
    uint64_t entry = 0, pf = 0;
    int rc;

    nhw = 0;
    wl(&l);
    op(&l, PT_OP_END, 0, 0);
    if (!vm || !l.ops || vm_create_ex(vm, 50, m->ops, RAM_FRAMES, m->p2m_2m) ||
        vm_load_elf(vm, elf, &entry)) {
        fprintf(stderr, "bench-paging: cannot set up %s/%s (is %s built?)\n", wname, m->name, elf);
        return -1;
    }
    vm->no_check = true;
    for (size_t i = 0; i < nhw; i++)
        vm_write64(vm, hw[i].gpa, hw[i].val);
    for (size_t i = 0; i < l.n; i++) {
        vm_write64(vm, SCRIPT_GPA + 24 * i, l.ops[i].op);
        vm_write64(vm, SCRIPT_GPA + 24 * i + 8, l.ops[i].a);
        vm_write64(vm, SCRIPT_GPA + 24 * i + 16, l.ops[i].b);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = vm_run(vm, entry, SCRIPT_GPA, 50000000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c = hart_counters(vm->v.hart);
    if (m->ops->mode == PAGING_SHADOW)
        shadow_get_stats(&vm->d, &st);
    for (unsigned i = 12; i <= 23; i++)
        if (i == 12 || i == 13 || i == 15 || i == 20 || i == 21 || i == 23)
            pf += c->exits_by_cause[i];
    printf("%-10s %-7s %13llu %7.3f %9llu %10llu %10llu %7llu %7llu %7llu %9llu %9llu %s\n",
           wname, m->name, (unsigned long long)hart_modeled_cycles(vm->v.hart),
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
           (unsigned long long)c->tlb_misses, (unsigned long long)c->walk_refs_vs,
           (unsigned long long)c->walk_refs_g, (unsigned long long)pf,
           (unsigned long long)c->exits_by_cause[CAUSE_VIRTUAL_INSN],
           (unsigned long long)st.faults, (unsigned long long)st.emulated_writes,
           (unsigned long long)c->hyp_refs, rc ? "FAILED" : "");
    vm_destroy(vm);
    free(vm);
    free(l.ops);
    return rc;
}

int main(void)
{
    static const struct mode modes[] = {
        { "shadow", &shadow_ops, false },
        { "hap-4k", &hap_ops, false },
        { "hap-2m", &hap_ops, true },
    };
    static const struct {
        const char *name;
        void (*fn)(struct layout *);
    } wls[] = { { "tlb-miss", wl_tlb_miss }, { "map-churn", wl_map_churn },
                { "ctx-switch", wl_ctx_switch } };
    char elf[512];
    int rc = 0;

    setenv("UMBRA_SHADOW_CHECK", "0", 1);   /* the checker is host time only */
    if (mm_init(128ULL << 20)) {
        fprintf(stderr, "bench-paging: mm_init failed\n");
        return 1;
    }
    vm_guest_path(elf, sizeof(elf), "shadow-ptedit");
    printf("%-10s %-7s %13s %7s %9s %10s %10s %7s %7s %7s %9s %9s\n", "workload", "mode",
           "cycles", "host_s", "tlb_miss", "walk_vs", "walk_g", "pf_exit", "vinsn", "sh_flt",
           "sh_emul", "hyp_refs");
    for (unsigned w = 0; w < sizeof(wls) / sizeof(wls[0]); w++)
        for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
            rc |= run_one(wls[w].name, wls[w].fn, &modes[m], elf) != 0;
    mm_fini();
    return rc;
}
