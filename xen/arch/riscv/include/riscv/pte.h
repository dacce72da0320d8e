/*
 * pte.h: RISC-V page-table formats shared by every walker in Umbra: the
 * hart's MMU (VS-stage and G-stage), the p2m, and the shadow code.
 *
 * One description per format (Sv39, Sv48, Sv39x4, Sv48x4); code loops over
 * levels using it, never one copy per level (STYLE.md habit 7).
 * Invariants: level 0 is the leaf level of 4 KiB pages; level L maps
 * 4 KiB << (9 * L); the root of an x4 format has 2048 entries (16 KiB, 4 pages).
 */
#ifndef RISCV_PTE_H
#define RISCV_PTE_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_RSW_SHIFT 8            /* two bits free for software */
#define PTE_RSW_MASK  (3ULL << 8)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  0x003FFFFFFFFFFC00ULL  /* bits 53:10 */
#define PTE_RESERVED_MASK 0xFFC0000000000000ULL /* bits 63:54 must be zero (no Svnapot/Svpbmt) */

/* satp/vsatp/hgatp MODE field values. */
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9

enum pt_format_id { PT_SV39, PT_SV48, PT_SV39X4, PT_SV48X4 };

struct pt_format {
    enum pt_format_id id;
    const char *name;
    unsigned levels;        /* 3 or 4 */
    unsigned va_bits;       /* 39/48, or 41/50 for x4 */
    unsigned root_index_bits; /* 9, or 11 for x4 */
};

extern const struct pt_format pt_formats[4];

static inline const struct pt_format *pt_format_get(enum pt_format_id id)
{
    return &pt_formats[id];
}

/* Index into the table at `level` for address `va` in format `f`. */
static inline unsigned pt_index(const struct pt_format *f, unsigned level, uint64_t va)
{
    unsigned bits = (level == f->levels - 1) ? f->root_index_bits : 9;
    return (unsigned)((va >> (PAGE_SHIFT + 9 * level)) & ((1ULL << bits) - 1));
}

/* Bytes mapped by one leaf at `level`. */
static inline uint64_t pt_level_size(unsigned level)
{
    return PAGE_SIZE << (9 * level);
}

static inline uint64_t pte_ppn(uint64_t pte)
{
    return (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
}

static inline uint64_t pte_make(uint64_t ppn, uint64_t flags)
{
    return (ppn << PTE_PPN_SHIFT) | flags;
}

static inline bool pte_is_leaf(uint64_t pte)
{
    return (pte & (PTE_R | PTE_W | PTE_X)) != 0;
}

#endif
