/*
 * shadow_flush.c: the frame of every shadow operation, and TLB shootdown.
 *
 * Each entry point (fault, virtual instruction, p2m change, satp set-up)
 * runs between sh_op_begin() and sh_op_end(): under the paging lock, with the
 * machine-memory references it makes counted in sd->op_refs and charged at
 * the end to the vCPU's hart (hyp_refs, so they become modeled cycles) and to
 * the domain's shadow counters.
 *
 * Invariant (DESIGN.md, "changing a mapping"): when the hypervisor itself
 * weakens a shadow mapping (write-protecting a new page table, resyncing an
 * OOS table, dropping mappings after a p2m change, freeing a shadow page),
 * it sets flush_pending, and sh_op_end() flushes the VS TLB of every vCPU of
 * the domain before any of them re-enters the guest through this path.
 * Weakening requested by the guest (an emulated PTE store) is flushed by the
 * guest's own sfence.vma, as on hardware.
 * With several pCPU threads only a vCPU's own thread may touch its hart:
 * xen/common then provides its synchronous shootdown (d->tlb_flush_sync),
 * which sh_op_end() calls after dropping the paging lock. Without one, the
 * harts are fenced directly (tests, one pCPU: no vCPU runs meanwhile).
 */
#include <errno.h>

#include "shadow-private.h"

/* Flush every VS-stage translation of every vCPU of the domain. */
void sh_flush_all_vcpus(struct shadow_domain *sd)
{
    struct domain *d = sd->d;

    for (unsigned i = 0; d->vcpus && i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->hart)
            hart_hfence_vvma(d->vcpus[i]->hart, ~0ULL, ~0ULL);
    sd->stats.tlb_flushes++;
}

/* The domain whose operation this thread is running (for re-entry from the p2m). */
static _Thread_local const struct shadow_domain *sh_running;

/* Start an operation: take the paging lock, zero the reference count. */
void sh_op_begin(struct shadow_domain *sd)
{
    lock_take(&sd->lock);
    sd->op_refs = 0;
    sh_running = sd;
}

/*
 * Is this thread inside an operation on sd? (A p2m update made by the shadow
 * code itself, e.g. populate-on-demand, may call back into p2m_changed.)
 */
bool sh_op_running(const struct shadow_domain *sd)
{
    return sh_running == sd;
}

/*
 * Finish an operation that returned rc: do the pending shootdown, charge the
 * references, run the invariant checker when enabled (a disagreement turns
 * rc into -EIO), and drop the paging lock. Returns rc.
 */
int sh_op_end(struct shadow_domain *sd, struct vcpu *v, int rc)
{
    bool shootdown = false;

    if (sd->flush_pending && sd->shootdown) {
        shootdown = true;
        sd->stats.tlb_flushes++;
    } else if (sd->flush_pending) {
        sh_flush_all_vcpus(sd);
    }
    sd->flush_pending = false;
    sd->stats.hyp_refs += sd->op_refs;
    if (v && v->hart)
        hart_counters_mut(v->hart)->hyp_refs += sd->op_refs;
    sd->op_refs = 0;
    if (sd->check_after_exit && rc >= 0 && sh_check(sd) != 0)
        rc = -EIO;
    sd->op_refs = 0;   /* the checker's own reads are not guest work */
    sh_running = NULL;
    lock_release(&sd->lock);
    if (shootdown)
        sd->shootdown(sd->d, INVALID_GFN, 0);
    return rc;
}
