/*
 * shadow_oos.c: out-of-sync leaf tables (Xen's OOS shadows).
 *
 * A leaf table that the guest writes often costs an exit per write while it
 * is write-protected. Instead it may go out of sync: it becomes writable, the
 * guest edits it natively, and the shadow catches up on the guest's next TLB
 * flush, which the architecture requires the guest to issue before relying
 * on the edit. The rules (docs/shadow.md repeats them):
 *
 *  OOS 1. Only a guest frame shadowed at level 0 and at no other level may
 *         go out of sync. Roots and upper-level tables never do.
 *  OOS 2. A frame gets a shadow at a second level only while in sync:
 *         sh_create() resyncs it first.
 *  OOS 3. A frame goes out of sync on a write-protect fault, once it has had
 *         SH_OOS_WRITES emulated writes since it was last in sync. At most
 *         SH_OOS_MAX frames are out of sync; when all slots are taken the
 *         oldest is resynced to make room.
 *  OOS 4. Going out of sync snapshots the guest table into a pool frame,
 *         marks the frame, and revalidates every shadow mapping of it (which
 *         become writable where guest and p2m allow). The faulting store is
 *         then retried by the guest, natively.
 *  OOS 5. While out of sync, the frame's leaf shadow may disagree with the
 *         guest table, but never with the snapshot: a fault filled through
 *         it uses the guest's current PTE and records that value in the
 *         snapshot (sh_validate_gentry), so that resync (OOS 7) sees every
 *         entry whose shadow may be stale. The invariant checker compares
 *         exactly those shadows with the snapshot instead of the guest.
 *  OOS 6. Every out-of-sync frame is resynced on every guest sfence.vma (any
 *         form) and every guest satp write, before the TLB flush is done.
 *  OOS 7. Resync write-protects the frame again first (mappings revalidated,
 *         TLB flushed before the guest runs), then revalidates each shadow
 *         entry whose guest PTE differs from the snapshot.
 *  OOS 8. Pool reclaim and p2m changes resync; freeing the frame's leaf
 *         shadow simply forgets the out-of-sync state (nothing left to sync).
 *
 * Costs: going out of sync copies 512 entries (1024 references); a resync
 * compares 512 pairs and revalidates the differences. Paging lock held.
 */
#include "shadow-private.h"

static void sh_oos_release(struct shadow_domain *sd, struct sh_gfn *g)
{
    struct sh_oos *o = &sd->oos[g->oos];

    sh_pool_put(sd, o->snapshot);
    o->used = false;
    g->oos = -1;
}

/* A free OOS slot, resyncing the oldest when all are used (OOS 3). */
static int sh_oos_slot(struct shadow_domain *sd)
{
    int oldest = 0;

    for (int i = 0; i < SH_OOS_MAX; i++) {
        if (!sd->oos[i].used)
            return i;
        if (sd->oos[i].stamp < sd->oos[oldest].stamp)
            oldest = i;
    }
    sh_oos_resync(sd, sh_gfn_find(sd, sd->oos[oldest].gfn));
    return oldest;
}

/*
 * On a write-protect fault to g's frame: let it go out of sync if the rules
 * allow (OOS 1, 3). Returns true when it did; the caller then lets the guest
 * retry the store instead of emulating it. One pool frame must be free.
 */
bool sh_oos_try(struct shadow_domain *sd, struct sh_gfn *g)
{
    maddr_t gma;
    mfn_t snap;
    int slot;

    if (g->levels != 1 || g->oos >= 0 || g->writes < SH_OOS_WRITES || g->zero_writes)
        return false;
    if (!sh_guest_table_ma(sd, g->gfn, &gma))
        return false;
    slot = sh_oos_slot(sd);
    snap = sh_pool_take(sd);
    for (unsigned i = 0; i < SH_ENTRIES; i++)
        sh_write(sd, sh_entry_ma(snap, i), sh_read(sd, _maddr(maddr_x(gma) + 8ULL * i)));
    sd->oos[slot] = (struct sh_oos){ true, g->gfn, snap, ++sd->clock };
    g->oos = slot;
    sd->stats.oos_unsyncs++;
    sh_revalidate_mappings(sd, g->gfn);
    return true;
}

/* Bring g's frame back in sync (OOS 7). */
void sh_oos_resync(struct shadow_domain *sd, struct sh_gfn *g)
{
    uint64_t gfn = g->gfn;
    mfn_t snap = sd->oos[g->oos].snapshot;
    struct shadow_page *sp;
    maddr_t gma;

    sd->oos[g->oos].used = false;
    g->oos = -1;
    sh_revalidate_mappings(sd, gfn);   /* write-protect again */
    sd->flush_pending = true;
    sp = sh_lookup(sd, SH_GUEST, gfn, 0, 0);
    if (sp && sh_guest_table_ma(sd, gfn, &gma)) {
        for (unsigned i = 0; i < SH_ENTRIES; i++) {
            uint64_t gv = sh_read(sd, _maddr(maddr_x(gma) + 8ULL * i));

            if (gv != sh_read(sd, sh_entry_ma(snap, i)))
                sh_validate_gentry(sd, sp, i, gv);
        }
    } else if (sp) {
        for (unsigned i = 0; i < SH_ENTRIES; i++)
            shadow_set_entry(sd, sp, i, 0, 0);
    }
    sh_pool_put(sd, snap);
    sd->stats.resyncs++;
}

/* Resync every out-of-sync frame (OOS 6, 8). */
void sh_oos_resync_all(struct shadow_domain *sd)
{
    for (int i = 0; i < SH_OOS_MAX; i++)
        if (sd->oos[i].used)
            sh_oos_resync(sd, sh_gfn_find(sd, sd->oos[i].gfn));
}

/* g's leaf shadow is being freed: drop the out-of-sync state (OOS 8). */
void sh_oos_forget(struct shadow_domain *sd, struct sh_gfn *g)
{
    sh_oos_release(sd, g);
}
