/*
 * page_alloc.c: the buddy allocator of machine frames.
 *
 * Free memory is kept as naturally aligned blocks of 2^k frames, k in
 * 0..MAX_ORDER, one doubly linked free list per order, linked through a
 * private per-frame node array (so struct page_info stays what mm.h says).
 * Allocation takes the smallest block that fits and splits it; freeing
 * merges a block with its buddy while the buddy is a free block of the same
 * order. Frames are zeroed on allocation, but only those that may hold data
 * (the `dirty` mark set at free time), so fresh memory costs nothing.
 *
 * Invariants (under the heap lock, lock-order.h level 70):
 *  - a free frame has type PGT_free, owner DOMID_INVALID and count 0;
 *  - node[i].free_order == k iff frame i heads a free block of order k
 *    (and page_info.order == k); otherwise it is NOT_HEAD;
 *  - free_frames + sum(by_type[t], t != PGT_free) == total frames, and
 *    by_type[PGT_free] == free_frames (checked by mm_check_accounting);
 *  - owner and type of a frame change only under the heap lock, so that
 *    the per-type statistics stay exact.
 * Costs: alloc and free are O(MAX_ORDER) plus O(2^order) to stamp and zero
 * the frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm-private.h"
#include "public/xen.h"
#include "umbra/bug.h"
#include "umbra/lock-order.h"

#define NIL       UINT32_MAX
#define NOT_HEAD  0xFF

struct buddy_node {
    uint32_t next, prev;   /* free-list links, valid on a free block's head */
    uint8_t free_order;    /* order of the free block this frame heads, or NOT_HEAD */
    uint8_t dirty;         /* the frame may hold non-zero bytes */
};

static struct umbra_lock heap_lock = UMBRA_LOCK_INIT("heap", LOCK_LEVEL_HEAP);
static struct buddy_node *node;
static uint32_t free_list[MM_MAX_ORDER + 1];
static unsigned max_order;
static uint64_t nr_free;
static uint64_t by_type[8];

static void list_push(uint32_t i, unsigned order)
{
    node[i].free_order = (uint8_t)order;
    node[i].prev = NIL;
    node[i].next = free_list[order];
    if (free_list[order] != NIL)
        node[free_list[order]].prev = i;
    free_list[order] = i;
    machine.frames[i].order = (uint8_t)order;
}

static void list_remove(uint32_t i)
{
    unsigned order = node[i].free_order;

    BUG_ON(order == NOT_HEAD);
    if (node[i].prev != NIL)
        node[node[i].prev].next = node[i].next;
    else
        free_list[order] = node[i].next;
    if (node[i].next != NIL)
        node[node[i].next].prev = node[i].prev;
    node[i].free_order = NOT_HEAD;
    machine.frames[i].order = 0;
}

/* Called by mm_init with machine.frames allocated: every frame becomes free. */
int page_alloc_init(uint64_t nr_frames)
{
    uint64_t i = 0;

    if (nr_frames >= NIL)
        return -EINVAL;
    node = calloc(nr_frames, sizeof(*node));
    if (!node)
        return -ENOMEM;
    max_order = 0;
    while (max_order < MM_MAX_ORDER && (2ULL << max_order) <= nr_frames)
        max_order++;
    for (unsigned k = 0; k <= MM_MAX_ORDER; k++)
        free_list[k] = NIL;
    for (uint64_t f = 0; f < nr_frames; f++) {
        machine.frames[f] = (struct page_info){ .owner = DOMID_INVALID, .type = PGT_free };
        node[f].free_order = NOT_HEAD;
    }
    while (i < nr_frames) {
        unsigned k = max_order;

        while ((i & ((1ULL << k) - 1)) || i + (1ULL << k) > nr_frames)
            k--;
        list_push((uint32_t)i, k);
        i += 1ULL << k;
    }
    nr_free = nr_frames;
    memset(by_type, 0, sizeof(by_type));
    by_type[PGT_free] = nr_frames;
    return 0;
}

void page_alloc_fini(void)
{
    free(node);
    node = NULL;
    nr_free = 0;
    memset(by_type, 0, sizeof(by_type));
}

void page_heap_lock(void)
{
    lock_take(&heap_lock);
}

void page_heap_unlock(void)
{
    lock_release(&heap_lock);
}

unsigned mm_max_order(void)
{
    return max_order;
}

/*
 * Allocate 2^order contiguous, naturally aligned, zeroed frames for owner
 * with type (not PGT_free). Returns the first MFN, or INVALID_MFN when no
 * block is big enough or order is out of range. Takes the heap lock; zeroes
 * outside it. Count starts at 0; aux at 0.
 */
mfn_t alloc_frames(unsigned order, domid_t owner, enum page_type type)
{
    uint32_t head = NIL;
    unsigned k;

    BUG_ON(type == PGT_free || (unsigned)type >= 8);
    if (order > max_order || !node)
        return INVALID_MFN;

    lock_take(&heap_lock);
    for (k = order; k <= max_order; k++)
        if (free_list[k] != NIL)
            break;
    if (k > max_order)
        goto out;
    head = free_list[k];
    list_remove(head);
    while (k > order) {             /* give back the upper halves */
        k--;
        list_push(head + (1U << k), k);
    }
    for (uint64_t i = head; i < head + (1ULL << order); i++) {
        struct page_info *pg = &machine.frames[i];

        BUG_ON(pg->type != PGT_free || pg->count != 0);
        *pg = (struct page_info){ .owner = owner, .type = (uint8_t)type };
    }
    nr_free -= 1ULL << order;
    by_type[PGT_free] -= 1ULL << order;
    by_type[type] += 1ULL << order;
out:
    lock_release(&heap_lock);
    if (head == NIL)
        return INVALID_MFN;
    /* The frames are ours alone now: zero the ones that may hold data. */
    for (uint64_t i = head; i < head + (1ULL << order); i++) {
        if (node[i].dirty) {
            memset(machine.base + (i << PAGE_SHIFT), 0, PAGE_SIZE);
            mm_host_wrote(_maddr(MACHINE_BASE + (i << PAGE_SHIFT)), PAGE_SIZE);
        }
        node[i].dirty = 0;
    }
    return _mfn(machine.first_mfn + head);
}

/*
 * Free a naturally aligned run of 2^order allocated frames. The run need
 * not be one alloc_frames() block: any aligned part of an allocation (a
 * 4 KiB frame of a 2 MiB block, say) may be freed on its own. Every frame
 * must be allocated with count 0; anything else is a bug (double free,
 * freeing a mapped frame) and panics. Takes the heap lock.
 */
void free_frames(mfn_t mfn, unsigned order)
{
    uint64_t idx;
    unsigned k = order;

    BUG_ON(order > max_order || !mfn_valid(mfn));
    idx = mfn_index(mfn);
    BUG_ON(idx & ((1ULL << order) - 1));
    BUG_ON(idx + (1ULL << order) > machine.nr_frames);

    lock_take(&heap_lock);
    for (uint64_t i = idx; i < idx + (1ULL << order); i++) {
        struct page_info *pg = &machine.frames[i];

        if (pg->type == PGT_free || pg->count != 0)
            panic("free_frames: frame %#llx is %s (count %u)",
                  (unsigned long long)(machine.first_mfn + i),
                  pg->type == PGT_free ? "already free" : "still referenced", pg->count);
        by_type[pg->type]--;
        *pg = (struct page_info){ .owner = DOMID_INVALID, .type = PGT_free };
        node[i].dirty = 1;
    }
    nr_free += 1ULL << order;
    by_type[PGT_free] += 1ULL << order;
    while (k < max_order) {
        uint64_t buddy = idx ^ (1ULL << k);

        if (buddy + (1ULL << k) > machine.nr_frames || node[buddy].free_order != k)
            break;
        list_remove((uint32_t)buddy);
        idx &= ~(1ULL << k);
        k++;
    }
    list_push((uint32_t)idx, k);
    lock_release(&heap_lock);
}

void mm_get_stats(struct mm_stats *st)
{
    lock_take(&heap_lock);
    st->total_frames = machine.nr_frames;
    st->free_frames = nr_free;
    memcpy(st->by_type, by_type, sizeof(st->by_type));
    lock_release(&heap_lock);
}

/*
 * Change the owner and type of an allocated frame (e.g. guest RAM that
 * becomes a shared COW frame owned by DOMID_COW). Keeps the statistics
 * exact. The frame must be allocated and type must not be PGT_free.
 */
void page_set_owner_type(mfn_t mfn, domid_t owner, enum page_type type)
{
    struct page_info *pg = mfn_to_page(mfn);

    BUG_ON(type == PGT_free || (unsigned)type >= 8);
    lock_take(&heap_lock);
    BUG_ON(pg->type == PGT_free);
    by_type[pg->type]--;
    by_type[type]++;
    pg->owner = owner;
    pg->type = (uint8_t)type;
    lock_release(&heap_lock);
}

/*
 * Walk the free lists and the frame table and check every accounting
 * invariant above. O(total frames). Returns 0, or -EIO after printing the
 * first mismatch (for tests and debug checks).
 */
int mm_check_accounting(void)
{
    uint64_t listed = 0, counted[8] = { 0 };
    int rc = 0;

    lock_take(&heap_lock);
    for (unsigned k = 0; k <= max_order; k++)
        for (uint32_t i = free_list[k]; i != NIL; i = node[i].next) {
            if (node[i].free_order != k || (i & ((1U << k) - 1))) {
                rc = -EIO;
                goto out;
            }
            for (uint64_t f = i; f < i + (1ULL << k); f++)
                if (machine.frames[f].type != PGT_free || machine.frames[f].count)
                    rc = -EIO;
            listed += 1ULL << k;
        }
    for (uint64_t f = 0; f < machine.nr_frames; f++)
        counted[machine.frames[f].type & 7]++;
    if (listed != nr_free || counted[PGT_free] != nr_free)
        rc = -EIO;
    for (unsigned t = 0; t < 8; t++)
        if (counted[t] != by_type[t])
            rc = -EIO;
out:
    lock_release(&heap_lock);
    if (rc)
        fprintf(stderr, "mm_check_accounting: free lists, frame table and stats disagree\n");
    return rc;
}

/* Frames currently owned by `owner`, any type. O(total frames): for tests and audits. */
uint64_t mm_count_owned(domid_t owner)
{
    uint64_t n = 0;

    lock_take(&heap_lock);
    for (uint64_t f = 0; f < machine.nr_frames; f++)
        if (machine.frames[f].type != PGT_free && machine.frames[f].owner == owner)
            n++;
    lock_release(&heap_lock);
    return n;
}
