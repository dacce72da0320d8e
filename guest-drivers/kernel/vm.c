/*
 * vm.c: page-table construction and walking for the guest kernel (see vm.h
 * for the layout and invariants). Levels are a loop parameter: the same code
 * serves Sv39 and Sv48.
 */
#include "frame.h"
#include "kernel.h"
#include "riscv.h"
#include "vm.h"

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _end[];

unsigned vm_levels = 3;
static uint64_t kernel_root;
static uint64_t ram_lo, ram_hi;
static uint64_t kernel_hi;          /* end of the kernel's mappings (direct map, fixmap) */
static uint64_t fixmap_next;
static unsigned asid_bits;
static uint64_t asid_next = 1, asid_generation = 1;
static uint64_t pt_pages;

static inline unsigned pt_index(uint64_t va, unsigned level)
{
    return (unsigned)((va >> (PAGE_SHIFT + 9 * level)) & 511);
}

static inline uint64_t level_size(unsigned level)
{
    return 1UL << (PAGE_SHIFT + 9 * level);
}

static uint64_t alloc_table(void)
{
    uint64_t pa = frame_alloc();

    if (pa)
        pt_pages++;
    return pa;
}

static void free_table(uint64_t pa)
{
    pt_pages--;
    frame_put(pa);
}

pte_t *vm_walk(uint64_t root, uint64_t va, unsigned level, bool alloc, unsigned *found_level)
{
    pte_t *table = (pte_t *)root;

    for (unsigned l = vm_levels - 1; l > level; l--) {
        pte_t *pte = &table[pt_index(va, l)];
        if (pte_is_leaf(*pte)) {
            *found_level = l;
            return pte;
        }
        if (!(*pte & PTE_V)) {
            if (!alloc)
                return NULL;
            uint64_t t = alloc_table();
            if (!t)
                return NULL;
            *pte = pa_pte(t, PTE_V);
        }
        table = (pte_t *)pte_pa(*pte);
    }
    *found_level = level;
    return &table[pt_index(va, level)];
}

pte_t *vm_lookup(uint64_t root, uint64_t va, unsigned *level)
{
    pte_t *pte = vm_walk(root, va, 0, false, level);

    if (pte && pte_is_leaf(*pte))
        return pte;
    return NULL;
}

int vm_split_huge(uint64_t root, uint64_t va)
{
    unsigned level;
    pte_t *pte = vm_walk(root, va, 1, false, &level);

    if (!pte || level != 1 || !pte_is_leaf(*pte))
        panic("vm_split_huge: no 2 MiB leaf at %lx", va);
    uint64_t t = alloc_table();
    if (!t)
        return -ENOMEM;
    pte_t *table = (pte_t *)t;
    uint64_t flags = *pte & ~PTE_PPN_MASK;
    uint64_t pa = pte_pa(*pte);
    for (unsigned i = 0; i < 512; i++)
        table[i] = pa_pte(pa + i * PAGE_SIZE, flags);
    *pte = pa_pte(t, PTE_V);
    return 0;
}

/* Maps [va, va+size) to pa in the kernel root with flags, 2 MiB pages where possible. */
static void kernel_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
    uint64_t end = va + size;
    unsigned level;

    while (va < end) {
        unsigned want = ((va | pa) & (HUGE_SIZE - 1)) == 0 && end - va >= HUGE_SIZE ? 1 : 0;
        pte_t *pte = vm_walk(kernel_root, va, want, true, &level);
        if (!pte || level != want || (*pte & PTE_V))
            panic("kernel_map: cannot map %lx", va);
        *pte = pa_pte(pa, flags | PTE_V | PTE_G | PTE_A | ((flags & PTE_W) ? PTE_D : 0));
        va += level_size(want);
        pa += level_size(want);
    }
}

/* Writes all-ones to satp's ASID field and counts the bits that stick. */
static unsigned probe_asid_bits(uint64_t satp)
{
    csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
    uint64_t got = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
    csr_write(satp, satp);
    sfence_all();
    return (unsigned)__builtin_popcountl(got);
}

void vm_init(uint64_t ram_base, uint64_t ram_end, unsigned levels)
{
    uint64_t text = (uint64_t)_text_start, etext = PAGE_ROUND_UP((uint64_t)_text_end);
    uint64_t ro = (uint64_t)_rodata_start, ero = PAGE_ROUND_UP((uint64_t)_rodata_end);

    vm_levels = levels;
    ram_lo = ram_base;
    ram_hi = ram_end;
    kernel_hi = ram_end;
    fixmap_next = (ram_end + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
    kernel_root = alloc_table();
    if (!kernel_root)
        panic("vm_init: no memory for the kernel root");
    if (text != ram_base || etext > ro)
        panic("vm_init: unexpected kernel layout");
    kernel_map(text, text, etext - text, PTE_R | PTE_X);
    kernel_map(ro, ro, ero - ro, PTE_R);
    /* Data, bss, the allocator's arrays and every free frame: read-write. */
    uint64_t data = ero;
    uint64_t first_huge = (data + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
    if (first_huge > ram_end)
        first_huge = ram_end;
    kernel_map(data, data, first_huge - data, PTE_R | PTE_W);
    if (first_huge < ram_end)
        kernel_map(first_huge, first_huge, ram_end - first_huge, PTE_R | PTE_W);

    uint64_t mode = levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV39;
    uint64_t satp = (mode << SATP_MODE_SHIFT) | (kernel_root >> PAGE_SHIFT);
    sfence_all();
    csr_write(satp, satp);
    sfence_all();
    if (csr_read(satp) != satp)
        panic("vm_init: the hart refused %s paging", levels == 4 ? "Sv48" : "Sv39");
    asid_bits = probe_asid_bits(satp);
}

uint64_t vm_map_fixmap(uint64_t pa)
{
    uint64_t va = fixmap_next;

    if (kernel_hi > ram_hi && (va & (level_size(2) - 1)) == 0)
        panic("vm_map_fixmap: the fixmap is full");
    kernel_map(va, PAGE_ROUND_DOWN(pa), PAGE_SIZE, PTE_R | PTE_W);
    sfence_page(va, 0);
    fixmap_next += PAGE_SIZE;
    kernel_hi = fixmap_next;
    return va + (pa & (PAGE_SIZE - 1));
}

uint64_t vm_kernel_root(void)
{
    return kernel_root;
}

uint64_t vm_create_root(void)
{
    uint64_t root = alloc_table();
    unsigned level, klevel;

    if (!root)
        return 0;
    /* Share the kernel's tables below each 1 GiB slot of RAM. */
    for (uint64_t va = ram_lo & ~(level_size(2) - 1); va < kernel_hi; va += level_size(2)) {
        pte_t *kpte = vm_walk(kernel_root, va, 2, false, &klevel);
        pte_t *pte = vm_walk(root, va, 2, true, &level);
        if (!kpte || !pte || level != 2) {
            vm_destroy_root(root);
            return 0;
        }
        *pte = *kpte;
    }
    return root;
}

/* Drops the frames of one user leaf (512 of them for a 2 MiB leaf). */
static void put_leaf(pte_t pte, unsigned level)
{
    uint64_t pa = pte_pa(pte);
    uint64_t n = level_size(level) / PAGE_SIZE;

    for (uint64_t i = 0; i < n; i++)
        frame_put(pa + i * PAGE_SIZE);
}

/* Frees the per-process part of a table at `level` covering [base, ...). */
static void destroy_table(uint64_t table_pa, unsigned level, uint64_t base)
{
    pte_t *table = (pte_t *)table_pa;

    for (unsigned i = 0; i < 512; i++) {
        uint64_t va = base + i * level_size(level);
        if (va >= USER_TOP)
            break;              /* kernel-shared from here up */
        pte_t pte = table[i];
        if (pte_is_leaf(pte))
            put_leaf(pte, level);
        else if (pte_is_table(pte))
            destroy_table(pte_pa(pte), level - 1, va);
        table[i] = 0;
    }
    free_table(table_pa);
}

void vm_destroy_root(uint64_t root)
{
    if (root == kernel_root)
        panic("vm_destroy_root: the kernel root");
    destroy_table(root, vm_levels - 1, 0);
}

static void for_each_in(uint64_t table_pa, unsigned level, uint64_t base, uint64_t start,
                        uint64_t end, vm_leaf_fn fn, void *arg)
{
    pte_t *table = (pte_t *)table_pa;

    for (unsigned i = 0; i < 512; i++) {
        uint64_t va = base + i * level_size(level);
        uint64_t va_end = va + level_size(level);
        if (va >= end || va >= USER_TOP)
            break;
        if (va_end <= start)
            continue;
        if (pte_is_leaf(table[i]))
            fn(va, &table[i], level, arg);
        else if (pte_is_table(table[i]))
            for_each_in(pte_pa(table[i]), level - 1, va, start, end, fn, arg);
    }
}

void vm_for_each_leaf(uint64_t root, uint64_t start, uint64_t end, vm_leaf_fn fn, void *arg)
{
    for_each_in(root, vm_levels - 1, 0, start, end, fn, arg);
}

void vm_asid_refresh(struct asid_slot *slot)
{
    uint64_t max = asid_bits ? (1UL << asid_bits) - 1 : 0;

    if (max == 0) {
        slot->asid = 0;
        slot->generation = asid_generation;
        return;
    }
    if (slot->generation == asid_generation && slot->asid != 0)
        return;
    if (asid_next > max) {
        asid_generation++;
        asid_next = 1;
        sfence_all();
        kstats.tlb_flush_all++;
    }
    slot->asid = asid_next++;
    slot->generation = asid_generation;
}

unsigned vm_asid_bits(void)
{
    return asid_bits;
}

void vm_activate(uint64_t root, uint64_t asid)
{
    uint64_t mode = vm_levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV39;

    csr_write(satp, (mode << SATP_MODE_SHIFT) | (asid << SATP_ASID_SHIFT) | (root >> PAGE_SHIFT));
    if (asid_bits == 0 && root != kernel_root)
        vm_flush_asid(0);       /* no ASIDs: the previous space's entries must go */
}

void vm_flush_page(uint64_t va, uint64_t asid)
{
    sfence_page(va, asid);
    kstats.tlb_flush_page++;
}

void vm_flush_asid(uint64_t asid)
{
    sfence_asid(asid);
    kstats.tlb_flush_asid++;
}

uint64_t vm_pt_pages(void)
{
    return pt_pages;
}

int vm_unlink_tables(uint64_t root, uint64_t start, uint64_t end, uint64_t *tables, int max)
{
    int n = 0;
    unsigned level;

    for (uint64_t va = (start + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
         va + HUGE_SIZE <= end && n < max; va += HUGE_SIZE) {
        pte_t *pte = vm_walk(root, va, 1, false, &level);
        if (!pte || level != 1 || !pte_is_table(*pte))
            continue;
        tables[n++] = pte_pa(*pte);
        *pte = 0;
    }
    return n;
}

void vm_free_table(uint64_t pa)
{
    const pte_t *t = (const pte_t *)pa;

    for (int i = 0; i < 512; i++)
        if (t[i])
            panic("vm_free_table: table %lx still holds entry %d (%lx)", pa, i, t[i]);
    free_table(pa);
}

uint64_t vm_level_size(unsigned level)
{
    return level_size(level);
}
