/*
 * vm.h: page tables built by the bare-metal test programs themselves:
 * Sv39/Sv48 (satp, vsatp) and Sv39x4/Sv48x4 (hgatp), one walker for all,
 * the number of levels and the root's width being parameters.
 * Invariant: tables come from a static pool in RAM, zeroed, never freed;
 * the programs keep the pool identity-mapped so S code can edit tables.
 */
#ifndef TESTS_RISCV_VM_H
#define TESTS_RISCV_VM_H

#include <stdint.h>

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_RWX  (PTE_R | PTE_W | PTE_X)
#define PTE_AD   (PTE_A | PTE_D)

#define SATP_SV39 (8ULL << 60)
#define SATP_SV48 (9ULL << 60)

#define PAGE_4K  0x1000ULL
#define PAGE_2M  0x200000ULL
#define PAGE_1G  0x40000000ULL
#define PAGE_512G 0x8000000000ULL

/* A table format: 3 or 4 levels; x4 widens the root to 2048 entries (hgatp). */
struct pt_fmt {
    int levels;
    int x4;
};

/* `npages` zeroed pages aligned to `align` bytes (a power of two >= 4 KiB); never NULL. */
uint64_t *pt_alloc(unsigned npages, uint64_t align);
/* A root table for fmt: one page, or four pages 16 KiB-aligned for x4. */
uint64_t *pt_new_root(const struct pt_fmt *fmt);

/*
 * Map va -> pa with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB,
 * 3 = 512 GiB) and `flags` (V is added). Missing tables are allocated.
 * Returns 0, or -1 when a leaf already covers va above `level`.
 * pa alignment is NOT checked, so tests can build misaligned superpages.
 */
int pt_map(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, uint64_t pa, int level,
           uint64_t flags);

/* The table at `level` (below the root) on va's path, allocating it if missing; NULL if a leaf is in the way. */
uint64_t *pt_table(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, int level);

/* The leaf PTE that maps va (and its level), or NULL when none is valid. */
uint64_t *pt_leaf(uint64_t *root, const struct pt_fmt *fmt, uint64_t va, int *level);

/* satp/vsatp value (hgatp has the same layout) for root with ASID/VMID `id`. */
uint64_t pt_satp(const uint64_t *root, const struct pt_fmt *fmt, uint64_t id);

#endif
