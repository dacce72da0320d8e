/*
 * mm-private.h: state shared by the files of xen/mm that implement machine
 * memory (machine.c), the buddy allocator (page_alloc.c) and the counted
 * accessors (access.c). Nothing outside xen/mm includes it.
 *
 * Invariants: `machine.base` maps the whole memfd once, MFN m (valid) is
 * frame index m - machine.first_mfn; the frame table has one page_info per
 * frame and never moves while machine memory exists.
 */
#ifndef XEN_MM_PRIVATE_H
#define XEN_MM_PRIVATE_H

#include <stdint.h>

#include "umbra/mm.h"

struct machine {
    int fd;                     /* the memfd, -1 when machine memory does not exist */
    uint8_t *base;              /* host pointer of MACHINE_BASE */
    uint64_t bytes;
    uint64_t nr_frames;
    uint64_t first_mfn;         /* MACHINE_BASE >> PAGE_SHIFT */
    struct page_info *frames;   /* the frame table */
};

extern struct machine machine;

static inline uint64_t mfn_index(mfn_t mfn)
{
    return mfn_x(mfn) - machine.first_mfn;
}

/* Buddy allocator set-up and tear-down, called by mm_init/mm_fini. */
int page_alloc_init(uint64_t nr_frames);
void page_alloc_fini(void);
/* The heap lock (lock-order.h level 70), for page_ref.c. */
void page_heap_lock(void);
void page_heap_unlock(void);

#endif
