/*
 * uvm.h: user address spaces: the regions (VMAs) a process may touch, and
 * the page-table contents behind them.
 *
 * Memory is anonymous and private: program segments are copied in at exec,
 * everything else is demand-zero. Pages are filled by the page-fault handler
 * (4 KiB, or 2 MiB for regions marked huge when hugepages=on), shared
 * copy-on-write after a COW fork, and freed on munmap, exit and exec.
 * Invariants:
 *  - the VMAs of an mm are sorted, page-aligned, non-overlapping, inside
 *    [USER_MIN, USER_TOP);
 *  - every present user PTE lies inside a VMA, and its R/W/X bits are the
 *    VMA's prot, except that W is clear while PTE_COW is set;
 *  - a frame mapped by n PTEs (in any address spaces) has count >= n;
 *  - a PTE that loses access or changes frame is flushed (sfence.vma by page
 *    and ASID, or by ASID for large ranges) before the syscall returns.
 */
#ifndef KERNEL_UVM_H
#define KERNEL_UVM_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

#define USER_MIN        0x10000UL
#define USER_STACK_TOP  0x7FFF0000UL
#define USER_STACK_MAX  (8UL << 20)
#define USER_MMAP_BASE  0x20000000UL
#define MAX_VMAS 64

#define VMA_HUGE  1     /* may be filled with 2 MiB pages */
#define VMA_HEAP  2
#define VMA_STACK 4

struct vma {
    uint64_t start, end;
    int prot;           /* PROT_* */
    int flags;          /* VMA_* */
};

struct mm {
    uint64_t root;              /* 0: no address space */
    struct asid_slot asid;
    struct vma vmas[MAX_VMAS];
    int nr_vmas;
    uint64_t heap_start, brk;
};

/* An empty address space (kernel entries only). 0 or -ENOMEM. */
int uvm_create(struct mm *mm);
/* Frees every page, table and VMA. The mm must not be the active one. */
void uvm_destroy(struct mm *mm);

/* Adds a VMA [start, end) that overlaps none. 0, -ENOMEM (too many) or -EINVAL. */
int uvm_add_vma(struct mm *mm, uint64_t start, uint64_t end, int prot, int flags);
struct vma *uvm_find_vma(struct mm *mm, uint64_t addr);

/* Maps a fresh zeroed 4 KiB page at va with the VMA's prot; returns its frame or 0. */
uint64_t uvm_populate_page(struct mm *mm, uint64_t va);

/*
 * Resolves a fault at addr for access (ACCESS_*): demand fill or COW break.
 * 0 when resolved; -EFAULT when the access is not allowed; -ENOMEM.
 */
int uvm_fault(struct mm *mm, uint64_t addr, int access);

/* Duplicates parent into child (empty), by copy-on-write or by copying. 0 or -ENOMEM. */
int uvm_fork(struct mm *parent, struct mm *child, bool cow);

/* The mmap family; each returns 0 (or an address) or -errno. */
long uvm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags);
long uvm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
long uvm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot);
long uvm_sbrk(struct mm *mm, int64_t delta);

/* Copies between kernel memory and user addresses, faulting pages in. 0 or -EFAULT. */
int copy_to_user(struct mm *mm, uint64_t dst, const void *src, uint64_t len);
int copy_from_user(struct mm *mm, void *dst, uint64_t src, uint64_t len);
/* Copies a NUL-terminated string of at most max bytes (NUL included). Length or -errno. */
long copy_str_from_user(struct mm *mm, char *dst, uint64_t src, uint64_t max);

#endif
