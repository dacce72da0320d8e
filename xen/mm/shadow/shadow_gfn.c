/*
 * shadow_gfn.c: what happens to a guest frame as a whole: it becomes a page
 * table (write-protect every mapping of it), stops being one (unshadow), or
 * the p2m changes under it (drop every mapping of it).
 *
 * The reverse map (sh_gfn.rmap) lists every shadow leaf entry that maps the
 * frame, so none of these needs to search the shadows. A frame can be a page
 * table at several levels and data at the same time: the levels are a bit
 * mask, and data mappings of a table frame are simply read-only.
 * Invariant kept: after sh_protect_gfn() returns and the pending flush is
 * done, no shadow entry and no TLB entry maps the frame writable.
 * Callers hold the paging lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shadow-private.h"

/*
 * A private copy of a frame's reverse map, because revalidating an entry may
 * remove it from (and re-add it to) the live one. NULL when empty or on OOM.
 */
static struct sh_ref *sh_rmap_copy(struct shadow_domain *sd, uint64_t gfn, unsigned *n)
{
    struct sh_gfn *g = sh_gfn_find(sd, gfn);
    struct sh_ref *copy;

    *n = 0;
    if (!g || !g->rmap.n)
        return NULL;
    copy = malloc(g->rmap.n * sizeof(*copy));
    if (!copy)
        panic("sh_rmap_copy: host out of memory");
    memcpy(copy, g->rmap.v, g->rmap.n * sizeof(*copy));
    *n = g->rmap.n;
    return copy;
}

/* Recompute every shadow leaf that maps gfn (e.g. after its table state changed). */
void sh_revalidate_mappings(struct shadow_domain *sd, uint64_t gfn)
{
    unsigned n;
    struct sh_ref *refs = sh_rmap_copy(sd, gfn, &n);

    for (unsigned i = 0; i < n; i++) {
        uint64_t before = sh_get_entry(sd, refs[i].sp, refs[i].idx);

        sh_revalidate_leaf(sd, refs[i].sp, refs[i].idx);
        if ((before & PTE_W) && !(sh_get_entry(sd, refs[i].sp, refs[i].idx) & PTE_W))
            sd->flush_pending = true;
    }
    free(refs);
}

/*
 * gfn has just become a guest page table: remove write access from every
 * shadow mapping of it. The TLB shootdown happens before the guest runs again
 * (flush_pending, honoured by sh_op_end).
 */
void sh_protect_gfn(struct shadow_domain *sd, uint64_t gfn)
{
    sd->stats.write_protects++;
    sh_revalidate_mappings(sd, gfn);
}

/* The p2m entry of gfn changed: empty every shadow leaf that maps it. */
void sh_drop_mappings(struct shadow_domain *sd, uint64_t gfn)
{
    unsigned n;
    struct sh_ref *refs = sh_rmap_copy(sd, gfn, &n);

    for (unsigned i = 0; i < n; i++)
        shadow_set_entry(sd, refs[i].sp, refs[i].idx, 0, 0);
    if (n)
        sd->flush_pending = true;
    free(refs);
}

/* The top slot pinning sp, or -1. */
static int sh_top_of(struct shadow_domain *sd, const struct shadow_page *sp)
{
    for (int i = 0; i < sd->nr_tops; i++)
        if (sd->tops[i].valid && sd->tops[i].sp == sp)
            return i;
    return -1;
}

/*
 * Stop shadowing gfn as a page table at every level: unlink each of its
 * shadow pages from every parent entry (and from inactive tops) so that they
 * are freed. Its data mappings become writable again lazily, on the next
 * write fault. Returns 0, or -EBUSY when it is the root of a running top
 * (that level stays shadowed).
 */
int sh_unshadow(struct shadow_domain *sd, uint64_t gfn)
{
    struct sh_gfn *g = sh_gfn_find(sd, gfn);
    int rc = 0;

    if (!g || !g->levels)
        return 0;
    for (unsigned level = 0; level < SH_MAX_LEVELS; level++) {
        struct shadow_page *sp;

        while ((sp = sh_lookup(sd, SH_GUEST, gfn, level, 0))) {
            int slot = sh_top_of(sd, sp);

            if (slot >= 0 && sh_top_active(sd, slot)) {
                rc = -EBUSY;
                break;
            }
            if (slot >= 0) {
                sh_top_unpin(sd, slot);
                continue;
            }
            BUG_ON(sp->parents.n == 0);
            shadow_set_entry(sd, sp->parents.v[0].sp, sp->parents.v[0].idx, 0, 0);
        }
    }
    sd->flush_pending = true;
    if (rc == 0)
        sd->stats.unshadows++;
    return rc;
}
