/*
 * page_ref.c: reference counts on allocated frames.
 *
 * A reference pins a frame: free_frames() panics on a frame whose count is
 * not 0. References are taken by foreign mappings (dom0 services mapping a
 * guest frame) and by mappings of a shared COW frame; the p2m itself does
 * not count its own entries (the owner of a RAM frame frees it after
 * removing it from the p2m).
 * Invariant: get_page succeeds only on an allocated frame of the expected
 * owner, checked and counted under the heap lock so that it cannot race
 * with free_frames.
 */
#include "mm-private.h"
#include "umbra/bug.h"
#include "umbra/lock-order.h"

/*
 * Take a reference to mfn if it is a valid, allocated frame owned by owner.
 * Returns true when the reference was taken.
 */
bool get_page(mfn_t mfn, domid_t owner)
{
    struct page_info *pg;
    bool ok;

    if (!mfn_valid(mfn))
        return false;
    pg = mfn_to_page(mfn);
    page_heap_lock();
    ok = pg->type != PGT_free && pg->owner == owner && pg->count != UINT32_MAX;
    if (ok)
        __atomic_add_fetch(&pg->count, 1, __ATOMIC_ACQ_REL);
    page_heap_unlock();
    return ok;
}

/* Drop a reference taken by get_page. Returns the remaining count. */
uint32_t put_page(mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    uint32_t old = __atomic_fetch_sub(&pg->count, 1, __ATOMIC_ACQ_REL);

    if (old == 0)
        panic("put_page: frame %#llx has no reference", (unsigned long long)mfn_x(mfn));
    return old - 1;
}
