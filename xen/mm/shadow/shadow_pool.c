/*
 * shadow_pool.c: the per-domain pool of machine frames that shadow tables
 * and out-of-sync snapshots live in.
 *
 * Frames come from alloc_frames(0, domid, PGT_shadow) on demand, up to the
 * configured size, and go back to the pool's free stack (not to the heap)
 * when a shadow page dies; the heap gets them back on resize or teardown.
 * When the pool is full, sh_prealloc() reclaims, in this order:
 *   1. the least recently used cached top that no vCPU is running on;
 *   2. out-of-sync snapshots (by resyncing every OOS table);
 *   3. everything below the active tops (sh_blow_tables).
 * Invariants: every frame in the free stack is zeroed and has page_info.aux
 * 0; nr_free <= nr_frames <= max_frames except transiently after a shrink
 * whose shadows were still in use. Callers hold the paging lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shadow-private.h"

/* Set up an empty pool of at most max_frames. Returns 0 or -ENOMEM. */
int sh_pool_init(struct shadow_domain *sd, uint64_t max_frames)
{
    sd->free = calloc(max_frames, sizeof(*sd->free));
    if (!sd->free)
        return -ENOMEM;
    sd->free_cap = max_frames;
    sd->nr_free = 0;
    sd->nr_frames = 0;
    sd->max_frames = max_frames;
    sd->stats.pool_pages = max_frames;
    return 0;
}

/* Return every frame to the heap. All shadows must already be freed. */
void sh_pool_fini(struct shadow_domain *sd)
{
    BUG_ON(sd->nr_free != sd->nr_frames);
    for (uint64_t i = 0; i < sd->nr_free; i++)
        free_frames(sd->free[i], 0);
    free(sd->free);
    sd->free = NULL;
    sd->nr_free = sd->nr_frames = 0;
}

/* Give free frames back to the heap while the pool is over its size. */
static void sh_pool_trim(struct shadow_domain *sd)
{
    while (sd->nr_frames > sd->max_frames && sd->nr_free > 0) {
        free_frames(sd->free[--sd->nr_free], 0);
        sd->nr_frames--;
    }
}

/*
 * Change the pool size. Shrinking reclaims shadows until the pool fits.
 * Returns 0 or -ENOMEM.
 */
int sh_pool_resize(struct shadow_domain *sd, uint64_t max_frames)
{
    mfn_t *nf;

    if (max_frames > sd->free_cap) {
        nf = realloc(sd->free, max_frames * sizeof(*nf));
        if (!nf)
            return -ENOMEM;
        sd->free = nf;
        sd->free_cap = max_frames;
    }
    sd->max_frames = max_frames;
    sd->stats.pool_pages = max_frames;
    sh_pool_trim(sd);
    if (sd->nr_frames > sd->max_frames) {
        sh_oos_resync_all(sd);
        for (int i = 0; i < sd->nr_tops; i++)
            if (sd->tops[i].valid && !sh_top_active(sd, i))
                sh_top_unpin(sd, i);
        sh_blow_tables(sd);
        sh_pool_trim(sd);
    }
    return 0;
}

/* Grow the pool by one heap frame. Returns false when full or the heap is empty. */
static bool sh_pool_grow(struct shadow_domain *sd)
{
    mfn_t mfn;

    if (sd->nr_frames >= sd->max_frames)
        return false;
    mfn = alloc_frames(0, sd->d->domain_id, PGT_shadow);
    if (!mfn_valid_value(mfn))
        return false;
    mfn_to_page(mfn)->aux = 0;
    sd->free[sd->nr_free++] = mfn;
    sd->nr_frames++;
    return true;
}

/* Free the least recently used top that no vCPU runs on. False if none. */
static bool sh_reclaim_lru_top(struct shadow_domain *sd)
{
    int best = -1;

    for (int i = 0; i < sd->nr_tops; i++) {
        if (!sd->tops[i].valid || sh_top_active(sd, i))
            continue;
        if (best < 0 || sd->tops[i].last_use < sd->tops[best].last_use)
            best = i;
    }
    if (best < 0)
        return false;
    sh_top_unpin(sd, best);
    return true;
}

/*
 * Make sure `need` frames can be taken without reclaiming, so that a fault
 * handler never frees a shadow page it is holding on to. Called at the start
 * of every operation that may allocate. Returns 0 or -ENOMEM.
 */
int sh_prealloc(struct shadow_domain *sd, unsigned need)
{
    uint64_t before = sd->stats.pages_in_use;
    bool oos_done = false, blown = false;

    while (sd->nr_free < need) {
        if (sh_pool_grow(sd))
            continue;
        if (sh_reclaim_lru_top(sd))
            continue;
        if (!oos_done) {
            sh_oos_resync_all(sd);
            oos_done = true;
            continue;
        }
        if (!blown) {
            sh_blow_tables(sd);
            blown = true;
            continue;
        }
        return -ENOMEM;
    }
    if (sd->stats.pages_in_use < before)
        sd->stats.reclaims += before - sd->stats.pages_in_use;
    return 0;
}

/* Take a zeroed frame; sh_prealloc must have made one available. */
mfn_t sh_pool_take(struct shadow_domain *sd)
{
    mfn_t mfn;

    if (sd->nr_free == 0 && !sh_pool_grow(sd))
        panic("sh_pool_take: d%u pool empty (missing sh_prealloc)", sd->d->domain_id);
    mfn = sd->free[--sd->nr_free];
    sd->stats.pages_in_use++;
    if (sd->stats.pages_in_use > sd->stats.pages_peak)
        sd->stats.pages_peak = sd->stats.pages_in_use;
    return mfn;
}

/*
 * Return a frame to the pool. Its entries must be zero already (shadow pages
 * are emptied entry by entry); it is cleared again here for snapshots.
 */
void sh_pool_put(struct shadow_domain *sd, mfn_t mfn)
{
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
    mfn_to_page(mfn)->aux = 0;
    sd->free[sd->nr_free++] = mfn;
    sd->stats.pages_in_use--;
    sd->flush_pending = true;   /* a page-walk cache may hold the old table */
    sh_pool_trim(sd);
}
