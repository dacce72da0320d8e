/*
 * p2m-pte.h: how a p2m type is encoded in a G-stage PTE (private to xen/mm).
 *
 *   present leaf  (V=1, some of R/W/X):   PPN | RSW | U A [D] | perms | V
 *       RSW 0 ram_rw      R W X U A D
 *       RSW 1 ram_ro      R   X U A
 *       RSW 2 ram_shared  R   X U A       (copy-on-write: a write faults)
 *       RSW 3 reserved: types resolved through a per-p2m side table
 *             (ram_logdirty, grant_map_rw/ro) once they exist
 *   table pointer (V=1, R=W=X=0):        PPN | V
 *   non-present   (V=0):                 type in bits 4:1 (the hart ignores
 *       every bit of an entry whose V is clear); bits 53:10 are free for
 *       the type's data (e.g. a swap slot for paged_out)
 *   p2m_invalid:                         the all-zero entry
 *
 * U=1 on every leaf: G-stage accesses are always checked as U-mode accesses
 * (privileged spec, H extension), so a leaf without U would be unusable.
 * A and D are preset so that the hart never writes p2m entries.
 */
#ifndef XEN_MM_P2M_PTE_H
#define XEN_MM_P2M_PTE_H

#include "riscv/pte.h"
#include "umbra/p2m.h"

#define P2M_NP_TYPE_SHIFT 1
#define P2M_NP_TYPE_MASK  (0xFULL << P2M_NP_TYPE_SHIFT)

static inline bool p2m_pte_present(uint64_t pte)
{
    return (pte & PTE_V) != 0;
}

static inline bool p2m_pte_is_table(uint64_t pte)
{
    return (pte & PTE_V) && !pte_is_leaf(pte);
}

static inline bool p2m_type_is_present(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_ro || t == p2m_ram_shared;
}

/* The leaf PTE for type t at mfn (mfn ignored for non-present types). */
static inline uint64_t p2m_pte_encode(p2m_type_t t, mfn_t mfn)
{
    const uint64_t ro = PTE_V | PTE_R | PTE_X | PTE_U | PTE_A;

    switch (t) {
    case p2m_ram_rw:
        return pte_make(mfn_x(mfn), ro | PTE_W | PTE_D);
    case p2m_ram_ro:
        return pte_make(mfn_x(mfn), ro | (1ULL << PTE_RSW_SHIFT));
    case p2m_ram_shared:
        return pte_make(mfn_x(mfn), ro | (2ULL << PTE_RSW_SHIFT));
    default:
        return (uint64_t)t << P2M_NP_TYPE_SHIFT;
    }
}

/* The type of a leaf PTE (not a table pointer). */
static inline p2m_type_t p2m_pte_type(uint64_t pte)
{
    if (!p2m_pte_present(pte))
        return (p2m_type_t)((pte & P2M_NP_TYPE_MASK) >> P2M_NP_TYPE_SHIFT);
    switch ((pte & PTE_RSW_MASK) >> PTE_RSW_SHIFT) {
    case 0:
        return p2m_ram_rw;
    case 1:
        return p2m_ram_ro;
    case 2:
        return p2m_ram_shared;
    default:
        return p2m_invalid;   /* RSW 3: no side-table type exists yet */
    }
}

#endif
