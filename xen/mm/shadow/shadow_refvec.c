/*
 * shadow_refvec.c: small growable sets of (shadow page, index) references,
 * used for the reverse map of guest frames (which shadow leaf entries map a
 * frame) and for the parents of a shadow page (which non-leaf entries point
 * at it). Host memory, not machine memory: they are bookkeeping, not tables.
 *
 * Invariant: a reference appears at most once (callers add only on a
 * not-present -> present transition of the entry and delete on the reverse).
 * Costs: add is O(1) amortized, delete is O(n) in the set's size, which stays
 * small (a frame is mapped at a handful of addresses).
 */
#include <errno.h>
#include <stdlib.h>

#include "shadow-private.h"

/* Add (sp, idx). Returns 0 or -ENOMEM (the set is unchanged then). */
int sh_refvec_add(struct sh_refvec *rv, struct shadow_page *sp, unsigned idx)
{
    if (rv->n == rv->cap) {
        unsigned cap = rv->cap ? rv->cap * 2 : 4;
        struct sh_ref *v = realloc(rv->v, cap * sizeof(*v));

        if (!v)
            return -ENOMEM;
        rv->v = v;
        rv->cap = cap;
    }
    rv->v[rv->n++] = (struct sh_ref){ sp, idx };
    return 0;
}

/* Delete (sp, idx); it must be present (a broken reverse map is a bug). */
void sh_refvec_del(struct sh_refvec *rv, struct shadow_page *sp, unsigned idx)
{
    for (unsigned i = 0; i < rv->n; i++) {
        if (rv->v[i].sp == sp && rv->v[i].idx == idx) {
            rv->v[i] = rv->v[--rv->n];
            return;
        }
    }
    panic("sh_refvec_del: reference (smfn %#llx, %u) missing",
          (unsigned long long)mfn_x(sp->smfn), idx);
}

void sh_refvec_free(struct sh_refvec *rv)
{
    free(rv->v);
    rv->v = NULL;
    rv->n = rv->cap = 0;
}
