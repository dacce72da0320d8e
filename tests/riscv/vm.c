/*
 * vm.c: the page-table builder of the bare-metal test programs (vm.h).
 * One walker for Sv39, Sv48, Sv39x4 and Sv48x4: the level count and the
 * root's index width are loop parameters.
 */
#include "vm.h"
#include "rt.h"

#define POOL_PAGES 96

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(16384)));
static unsigned pool_next;

uint64_t *pt_alloc(unsigned npages, uint64_t align)
{
    unsigned step = (unsigned)(align / PAGE_4K);

    pool_next = (pool_next + step - 1) / step * step;
    if (pool_next + npages > POOL_PAGES)
        rt_fail(0x7fd, "pt_alloc: page-table pool exhausted\n");
    uint64_t *p = pool[pool_next];

    pool_next += npages;
    for (unsigned i = 0; i < npages * 512; i++)
        p[i] = 0;
    return p;
}

uint64_t *pt_new_root(const struct pt_fmt *fmt)
{
    return fmt->x4 ? pt_alloc(4, 4 * PAGE_4K) : pt_alloc(1, PAGE_4K);
}

static unsigned pt_index(const struct pt_fmt *fmt, uint64_t va, int level)
{
    unsigned bits = (fmt->x4 && level == fmt->levels - 1) ? 11 : 9;

    return (unsigned)((va >> (12 + 9 * level)) & ((1ULL << bits) - 1));
}

static uint64_t *pte_table(uint64_t pte)
{
    return (uint64_t *)((pte >> 10) << 12);
}

uint64_t *pt_table(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, int level)
{
    uint64_t *table = root;

    for (int l = fmt->levels - 1; l > level; l--) {
        uint64_t *pte = &table[pt_index(fmt, va, l)];

        if (!(*pte & PTE_V))
            *pte = (((uint64_t)pt_alloc(1, PAGE_4K) >> 12) << 10) | PTE_V;
        else if (*pte & PTE_RWX)
            return 0;
        table = pte_table(*pte);
    }
    return table;
}

int pt_map(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, uint64_t pa, int level,
           uint64_t flags)
{
    uint64_t *table = pt_table(root, fmt, va, level);

    if (!table)
        return -1;
    table[pt_index(fmt, va, level)] = ((pa >> 12) << 10) | flags | PTE_V;
    return 0;
}

uint64_t *pt_leaf(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, int *level)
{
    uint64_t *table = root;

    for (int l = fmt->levels - 1; l >= 0; l--) {
        uint64_t *pte = &table[pt_index(fmt, va, l)];

        if (!(*pte & PTE_V))
            return 0;
        if (*pte & PTE_RWX) {
            if (level)
                *level = l;
            return pte;
        }
        table = pte_table(*pte);
    }
    return 0;
}

uint64_t pt_satp(const uint64_t *root, const struct pt_fmt *fmt, uint64_t id)
{
    return (fmt->levels == 4 ? SATP_SV48 : SATP_SV39) | (id << 44) | ((uint64_t)root >> 12);
}
