/*
 * flush.c: the synchronous TLB shootdown protocol.
 *
 * THE INVARIANT (enforced here): when domain_tlb_shootdown(d, ...) returns,
 * no vCPU of d can translate through a p2m entry as it was before the change
 * that caused the call. Hence a caller may free or reuse a frame whose
 * mapping it removed, or rely on a downgrade to read-only, only after this
 * returns.
 *
 * How: each vCPU has flush_pending and in_guest, both under sd_lock (a leaf,
 * lock-order.h level 80). A shootdown sets flush_pending on every vCPU of d,
 * then waits until no vCPU has (in_guest && flush_pending). A vCPU's pCPU
 * thread clears flush_pending, after flushing its own hart, at the two
 * boundaries of hart_run(): before entering (vcpu_enter_guest) and after
 * leaving (vcpu_leave_guest). hart_run() is called with a bounded budget
 * (one slice), so every wait ends. Only the owning thread flushes its hart:
 * a shootdown never touches another thread's hart. The leaving thread takes
 * only sd_lock, never xen_lock, before flushing, so a shootdown may wait
 * while holding xen_lock without deadlock.
 */
#include <pthread.h>

#include "umbra/flush.h"
#include "umbra/lock-order.h"

static struct umbra_lock sd_lock = UMBRA_LOCK_INIT("shootdown", LOCK_LEVEL_SHOOTDOWN);
static pthread_cond_t sd_cond = PTHREAD_COND_INITIALIZER;

/* Flush v's hart for its domain's VMID (sd_lock held, v's own thread). */
static void vcpu_flush_now(struct vcpu *v)
{
    hart_hfence_gvma(v->hart, ~0ULL, v->domain->domain_id);
    hart_hfence_vvma(v->hart, ~0ULL, ~0ULL);
    v->flush_pending = false;
}

void domain_tlb_flush_sync(struct domain *d, gfn_t gfn, unsigned order)
{
    bool waiting;

    (void)gfn;
    (void)order;   /* the flush is whole-TLB: the model has no cheaper remote form */
    lock_take(&sd_lock);
    for (unsigned i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            d->vcpus[i]->flush_pending = true;
    do {
        waiting = false;
        for (unsigned i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            waiting |= v && v->in_guest && v->flush_pending;
        }
        if (waiting)
            pthread_cond_wait(&sd_cond, &sd_lock.mutex);
    } while (waiting);
    lock_release(&sd_lock);
}

void domain_tlb_shootdown(struct domain *d, gfn_t gfn, unsigned order)
{
    /* Shadow mode keeps state derived from the p2m: drop it first. HAP keeps
     * none, and its own hook would fence other threads' harts directly. */
    if (d->paging && d->paging->mode == PAGING_SHADOW)
        d->paging->p2m_changed(d, gfn, order);
    domain_tlb_flush_sync(d, gfn, order);
}

void vcpu_enter_guest(struct vcpu *v)
{
    lock_take(&sd_lock);
    if (v->flush_pending)
        vcpu_flush_now(v);
    v->in_guest = true;
    lock_release(&sd_lock);
}

void vcpu_leave_guest(struct vcpu *v)
{
    lock_take(&sd_lock);
    v->in_guest = false;
    if (v->flush_pending) {
        vcpu_flush_now(v);
        pthread_cond_broadcast(&sd_cond);
    }
    lock_release(&sd_lock);
}
