/*
 * frame.c: a bitmap allocator with per-frame reference counts (see frame.h).
 *
 * Invariants:
 *  - bit i of `used` is set iff frame i is allocated, iff refcount[i] > 0
 *    (reserved frames hold a count of 1 that is never dropped);
 *  - `hint` is a word index at or below the first word with a free bit, or
 *    any word: searches wrap around, so it is only a speed-up.
 * Costs: a 4 KiB allocation is O(1) amortised; a 2 MiB one scans words (O(N/64)).
 */
#include "frame.h"
#include "kernel.h"

static uint64_t ram_base;
static uint64_t nr_frames;
static uint64_t nr_free;
static uint64_t *used;          /* one bit per frame */
static uint16_t *refcount;      /* one count per frame */
static uint64_t nr_words;
static uint64_t hint;

static inline uint64_t frame_index(uint64_t pa)
{
    return (pa - ram_base) >> PAGE_SHIFT;
}

static void mark_used(uint64_t i)
{
    used[i / 64] |= 1UL << (i % 64);
    refcount[i] = 1;
    nr_free--;
}

void frame_init(uint64_t base, uint64_t nr_pages, uint64_t kernel_end,
                const uint64_t *reserved, int nr_reserved)
{
    ram_base = base;
    nr_frames = nr_pages;
    nr_words = (nr_pages + 63) / 64;
    used = (uint64_t *)PAGE_ROUND_UP(kernel_end);
    refcount = (uint16_t *)(used + nr_words);
    uint64_t first_free = PAGE_ROUND_UP((uint64_t)(refcount + nr_pages));

    if (first_free >= base + nr_pages * PAGE_SIZE)
        panic("frame_init: %lu pages of RAM cannot hold the kernel", nr_pages);
    memset(used, 0, nr_words * 8);
    memset(refcount, 0, nr_pages * 2);
    nr_free = nr_pages;
    /* Bits past the last frame stay set so no search ever returns them. */
    for (uint64_t i = nr_pages; i < nr_words * 64; i++)
        used[i / 64] |= 1UL << (i % 64);
    for (uint64_t i = 0; i < frame_index(first_free); i++)
        mark_used(i);
    for (int r = 0; r < nr_reserved; r++) {
        uint64_t pa = PAGE_ROUND_DOWN(reserved[r]);
        if (frame_is_ram(pa) && !(used[frame_index(pa) / 64] & (1UL << (frame_index(pa) % 64))))
            mark_used(frame_index(pa));
    }
    hint = 0;
}

int frame_is_ram(uint64_t pa)
{
    return pa >= ram_base && pa < ram_base + nr_frames * PAGE_SIZE;
}

uint64_t frame_alloc_dirty(void)
{
    for (uint64_t n = 0; n < nr_words; n++) {
        uint64_t w = (hint + n) % nr_words;
        if (used[w] == ~0UL)
            continue;
        unsigned bit = (unsigned)__builtin_ctzl(~used[w]);
        hint = w;
        mark_used(w * 64 + bit);
        return ram_base + ((w * 64 + bit) << PAGE_SHIFT);
    }
    return 0;
}

uint64_t frame_alloc(void)
{
    uint64_t pa = frame_alloc_dirty();

    if (pa)
        memset((void *)pa, 0, PAGE_SIZE);
    return pa;
}

/* Finds `n` free frames starting at a multiple of `align` frames (align % 64 == 0 or n <= 64). */
static uint64_t alloc_run(uint64_t n, uint64_t align)
{
    for (uint64_t start = 0; start + n <= nr_frames; start += align) {
        uint64_t i;
        for (i = 0; i < n; i++) {
            uint64_t f = start + i;
            if (used[f / 64] & (1UL << (f % 64)))
                break;
        }
        if (i == n) {
            for (i = 0; i < n; i++)
                mark_used(start + i);
            uint64_t pa = ram_base + (start << PAGE_SHIFT);
            memset((void *)pa, 0, n * PAGE_SIZE);
            return pa;
        }
        /* Skip past the used frame we hit, staying aligned. */
        start = ((start + i) / align) * align;
    }
    return 0;
}

uint64_t frame_alloc_huge(void)
{
    /* RAM starts 2 MiB-aligned (0x80000000), so frame index alignment is address alignment. */
    if (nr_free < 512)
        return 0;
    return alloc_run(512, 512);
}

uint64_t frame_alloc_contig(unsigned n)
{
    if (nr_free < n)
        return 0;
    return alloc_run(n, 1);
}

void frame_get(uint64_t pa)
{
    uint64_t i = frame_index(pa);

    if (!frame_is_ram(pa) || refcount[i] == 0 || refcount[i] == 0xFFFF)
        panic("frame_get: bad frame %lx (count %u)", pa,
              frame_is_ram(pa) ? refcount[i] : 0);
    refcount[i]++;
}

void frame_put(uint64_t pa)
{
    uint64_t i = frame_index(pa);

    if (!frame_is_ram(pa) || refcount[i] == 0)
        panic("frame_put: frame %lx is not allocated", pa);
    if (--refcount[i] == 0) {
        used[i / 64] &= ~(1UL << (i % 64));
        nr_free++;
        if (i / 64 < hint)
            hint = i / 64;
    }
}

unsigned frame_refcount(uint64_t pa)
{
    return frame_is_ram(pa) ? refcount[frame_index(pa)] : 0;
}

uint64_t frame_free_count(void)
{
    return nr_free;
}

uint64_t frame_total_count(void)
{
    return nr_frames;
}
