/*
 * frame.h: the guest's physical frame allocator. Frames are 4 KiB pages of
 * guest RAM named by their guest-physical address, which the kernel's
 * identity direct map also uses as their kernel virtual address.
 *
 * Every allocated frame carries a reference count (mappings from address
 * spaces; kernel uses count as one). A 2 MiB block is 512 frames allocated
 * together, each with its own count, so a huge mapping can later be split
 * into 4 KiB mappings without touching the allocator.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stdint.h>

/*
 * Sets up the allocator over RAM [base, base + nr_pages * 4K). Frames below
 * `first_free` (the kernel image and the allocator's own arrays, which it
 * places there) and the `nr_reserved` pages in `reserved` stay allocated forever.
 */
void frame_init(uint64_t base, uint64_t nr_pages, uint64_t kernel_end,
                const uint64_t *reserved, int nr_reserved);

/* A zeroed 4 KiB frame with count 1, or 0 when RAM is exhausted. */
uint64_t frame_alloc(void);
/* As frame_alloc, but not zeroed (the caller overwrites all of it). */
uint64_t frame_alloc_dirty(void);
/* A zeroed, 2 MiB-aligned block of 512 frames, each with count 1, or 0. */
uint64_t frame_alloc_huge(void);
/* n contiguous zeroed frames, each with count 1, or 0. */
uint64_t frame_alloc_contig(unsigned n);

/* Takes one more reference to an allocated frame. */
void frame_get(uint64_t pa);
/* Drops one reference; the frame is freed when none remain. */
void frame_put(uint64_t pa);
unsigned frame_refcount(uint64_t pa);

uint64_t frame_free_count(void);
uint64_t frame_total_count(void);
int frame_is_ram(uint64_t pa);

#endif
