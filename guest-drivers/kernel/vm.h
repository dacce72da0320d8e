/*
 * vm.h: the guest kernel's page tables (Sv39, or Sv48 from the command line),
 * address-space identifiers and TLB maintenance.
 *
 * Layout of every address space:
 *   [0, USER_TOP)                  user memory, per process (U pages);
 *   [RAM base, RAM end)            the kernel's identity direct map of all RAM
 *                                  (GVA == GPA), global pages shared by every
 *                                  process: its 1 GiB-level entries point into
 *                                  the kernel's own tables;
 *   [RAM end rounded to 2 MiB, ...) the fixmap: single pages outside RAM
 *                                  (shared_info), also global and shared.
 * Invariants:
 *  - a table is never shared between two processes, except the kernel's
 *    tables reached through the 1 GiB-level entries at or above USER_TOP;
 *  - a PTE that stops granting access is followed by sfence.vma of that page
 *    and that ASID before the kernel relies on the change (vm_flush_page);
 *  - a held-but-inaccessible page (PROT_NONE) is a PTE with V clear,
 *    PTE_HELD set and its frame number kept, so mprotect can restore it.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_COW  (1UL << 8)     /* software: write must copy or reclaim first */
#define PTE_HELD (1UL << 9)     /* software: V clear, frame still owned (PROT_NONE) */
#define PTE_RWX  (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  0x003FFFFFFFFFFC00UL

#define USER_TOP 0x80000000UL   /* user addresses live below RAM */

typedef uint64_t pte_t;

static inline uint64_t pte_pa(pte_t pte)
{
    return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
}

static inline pte_t pa_pte(uint64_t pa, uint64_t flags)
{
    return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}

/* A leaf maps memory (V and some RWX bit) or holds a frame with access removed. */
static inline bool pte_is_leaf(pte_t pte)
{
    return ((pte & PTE_V) && (pte & PTE_RWX)) || (!(pte & PTE_V) && (pte & PTE_HELD));
}

static inline bool pte_is_table(pte_t pte)
{
    return (pte & PTE_V) && !(pte & PTE_RWX);
}

/* The paging mode: 3 levels (Sv39) or 4 (Sv48). Set once by vm_init. */
extern unsigned vm_levels;

/*
 * Builds the kernel's tables (text RX, rodata R, data and the rest of RAM RW,
 * all global; 2 MiB pages where aligned), turns the MMU on and probes the
 * ASID width. Called once at boot, MMU off, levels = 3 or 4.
 */
void vm_init(uint64_t ram_base, uint64_t ram_end, unsigned levels);

/*
 * Maps one page of guest-physical memory outside RAM (e.g. shared_info,
 * which Umbra places just below RAM) read-write and global at the next
 * fixmap address just above the direct map; returns its kernel address.
 * Boot only: before any process root exists.
 */
uint64_t vm_map_fixmap(uint64_t pa);

/* The kernel's own root (ASID 0), used when no process is current. */
uint64_t vm_kernel_root(void);

/* A new user root with the kernel's shared entries installed, or 0 (no memory). */
uint64_t vm_create_root(void);

/* Frees every user mapping's frame reference and every per-process table, then the root. */
void vm_destroy_root(uint64_t root);

/*
 * Returns the leaf PTE that maps `va`, or the empty slot at `level` that
 * would map it. With alloc, missing tables down to `level` are created (0 on
 * no memory). *found_level gets the level of the returned slot. A leaf found
 * above `level` is returned as is.
 */
pte_t *vm_walk(uint64_t root, uint64_t va, unsigned level, bool alloc, unsigned *found_level);

/* The leaf PTE mapping va (V or HELD), or NULL; *level gets its level. */
pte_t *vm_lookup(uint64_t root, uint64_t va, unsigned *level);

/* Turns a 2 MiB leaf into a table of 512 4 KiB leaves with the same flags. 0 or -ENOMEM. */
int vm_split_huge(uint64_t root, uint64_t va);

/* Calls fn for every user leaf in [start, end) (4 KiB or 2 MiB). Table pages are not freed. */
typedef void (*vm_leaf_fn)(uint64_t va, pte_t *pte, unsigned level, void *arg);
void vm_for_each_leaf(uint64_t root, uint64_t start, uint64_t end, vm_leaf_fn fn, void *arg);

/* ASIDs: allocated with a generation; a rollover flushes everything once. */
struct asid_slot {
    uint64_t asid;
    uint64_t generation;
};
/* Makes sure slot holds a live ASID (may flush the whole TLB on rollover). */
void vm_asid_refresh(struct asid_slot *slot);
unsigned vm_asid_bits(void);

/* Loads satp with root and asid. No flush: ASIDs keep translations apart. */
void vm_activate(uint64_t root, uint64_t asid);

/* Precise flushes, counted in kstats. */
void vm_flush_page(uint64_t va, uint64_t asid);
void vm_flush_asid(uint64_t asid);

/* Page-table pages currently in use (for SYS_stats). */
uint64_t vm_pt_pages(void);


/*
 * Removes the 4 KiB-level tables under every 2 MiB region wholly inside
 * [start, end) (whose leaves the caller has already cleared), storing up to
 * max of them in tables[]. Returns how many; the caller flushes the ASID and
 * then frees them with vm_free_table (a walk may still hold them until then).
 */
int vm_unlink_tables(uint64_t root, uint64_t start, uint64_t end, uint64_t *tables, int max);
void vm_free_table(uint64_t pa);
uint64_t vm_level_size(unsigned level);

#endif
