/*
 * mm.h: machine memory and the frame allocator.
 *
 * Machine memory is one memfd of a configured size, mapped once into the
 * daemon. Machine addresses start at MACHINE_BASE (so that they look like RAM
 * to the hart); MFN m lives at host pointer mm.base + (m << 12) - MACHINE_BASE.
 * A buddy allocator hands out 2^order frames. Each frame records its owner
 * domain, a reference count and a type.
 *
 * Invariants:
 *  - a free frame has type PGT_free, owner DOMID_INVALID and count 0;
 *  - free + allocated frames == total frames at all times (mm_stats);
 *  - every access the hypervisor's handlers make to machine memory on a
 *    vCPU's behalf goes through the mm_read64/mm_write64 accessors, which count
 *    one reference each into the caller's counter (cost model, docs/cost-model.md).
 */
#ifndef UMBRA_MM_H
#define UMBRA_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "umbra/types.h"

#define MACHINE_BASE 0x80000000ULL
#define MM_MAX_ORDER 18          /* largest block: 2^18 frames = 1 GiB */

enum page_type {
    PGT_free = 0,
    PGT_xen,        /* hypervisor-internal */
    PGT_guest_ram,  /* ordinary guest RAM */
    PGT_page_table, /* guest frame known to hold a guest page table (shadow) */
    PGT_shadow,     /* a shadow page table */
    PGT_p2m,        /* a p2m (G-stage) table */
    PGT_shared,     /* a shared copy-on-write frame (owner DOMID_COW) */
};

struct page_info {
    domid_t owner;
    uint8_t type;        /* enum page_type */
    uint8_t order;       /* buddy order when this is the head of a free block */
    uint32_t count;      /* references (mappings, foreign maps) */
    uint64_t aux;        /* type-specific: e.g. the shadowed level / gfn back-pointer */
};

struct mm_stats {
    uint64_t total_frames;
    uint64_t free_frames;
    uint64_t by_type[8];
};

/* Create machine memory of `bytes` (a multiple of 2 MiB). Returns 0 or -errno. */
int mm_init(uint64_t bytes);
void mm_fini(void);
int mm_memfd(void);                      /* the memfd, for dom0 foreign mappings */
uint64_t mm_total_frames(void);
void mm_get_stats(struct mm_stats *st);
uint8_t *mm_base(void);                  /* host pointer of MACHINE_BASE */
uint64_t mm_bytes(void);

/* Host pointer of a frame; the frame must be valid. */
void *mfn_to_virt(mfn_t mfn);
bool mfn_valid(mfn_t mfn);
struct page_info *mfn_to_page(mfn_t mfn);
bool maddr_valid(maddr_t ma);
void *maddr_to_virt(maddr_t ma);         /* host pointer; ma must be valid */
unsigned mm_max_order(void);             /* largest order alloc_frames can serve */

/*
 * Allocate 2^order contiguous, naturally aligned, zeroed frames for `owner`
 * with `type`. Returns the first MFN or INVALID_MFN when memory is exhausted.
 * Takes the heap lock (lock-order.h).
 */
mfn_t alloc_frames(unsigned order, domid_t owner, enum page_type type);
/*
 * Free frames allocated by alloc_frames (same order). Their count must be 0.
 * Also accepted: any naturally aligned 2^order run of allocated frames, e.g.
 * one 4 KiB frame out of a 2 MiB allocation (ballooning). Panics on a double
 * free or a referenced frame.
 */
void free_frames(mfn_t mfn, unsigned order);
/* Change owner/type of an allocated frame, keeping the per-type stats exact. */
void page_set_owner_type(mfn_t mfn, domid_t owner, enum page_type type);

/*
 * Reference counts (page_info.count). get_page takes a reference if the
 * frame is allocated and owned by `owner` (returns false otherwise);
 * put_page drops one and returns what is left. The p2m does not count its
 * own entries: references are for foreign maps and shared COW frames.
 */
bool get_page(mfn_t mfn, domid_t owner);
uint32_t put_page(mfn_t mfn);

/*
 * Coherence with the harts' decoded-instruction caches: xen/mm calls this
 * hook after it writes machine memory behind the harts' backs (zeroing
 * frames in alloc_frames, copy_to_guest*), with the machine range written.
 * NULL (the default) means none. Set it before pCPU threads start; it runs
 * with no xen/mm lock held.
 */
void mm_set_host_write_hook(void (*hook)(maddr_t ma, uint64_t len));
void mm_host_wrote(maddr_t ma, uint64_t len);   /* calls the hook, if any */

/* Audits, O(total frames): 0 or -EIO if free lists, frame table and stats disagree. */
int mm_check_accounting(void);
uint64_t mm_count_owned(domid_t owner);  /* allocated frames owned by `owner` */

/* Counted accessors for handler work on behalf of a vCPU (refs may be NULL). */
uint64_t mm_read64(maddr_t ma, uint64_t *refs);
void mm_write64(maddr_t ma, uint64_t val, uint64_t *refs);
/* Atomic compare-and-swap of a 64-bit PTE; returns true if it swapped. */
bool mm_cmpxchg64(maddr_t ma, uint64_t expect, uint64_t val, uint64_t *refs);

#endif
