/*
 * flush.h: the synchronous TLB shootdown of a domain's vCPUs.
 *
 * The protocol (flush.c): changing a p2m mapping from present to absent or
 * to read-only while the domain runs is complete only once no vCPU of the
 * domain can still use the old translation. domain_tlb_shootdown() sets a
 * request flag on every vCPU of the domain and waits until each vCPU that is
 * inside hart_run() has left it and flushed; a vCPU outside hart_run()
 * flushes before it next enters (vcpu_enter_guest). vCPUs run in bounded
 * slices, so the wait is bounded. Only the vCPU's own pCPU thread touches its
 * hart, so flushing never races with execution.
 *
 * Locks: the shootdown lock is a leaf (lock-order.h level 80); callers may
 * hold xen_lock, never the p2m or heap lock.
 */
#ifndef UMBRA_FLUSH_H
#define UMBRA_FLUSH_H

#include "umbra/domain.h"
#include "umbra/types.h"

/*
 * The p2m flush hook: shoot down 2^order frames at gfn in every vCPU of d.
 * Returns when no vCPU of d can use a translation of them any more.
 */
void domain_tlb_shootdown(struct domain *d, gfn_t gfn, unsigned order);

/*
 * The synchronous part alone, with no paging-mode work: every vCPU of d has
 * flushed its TLB when this returns. A paging mode that weakens mappings by
 * itself calls it through d->tlb_flush_sync, after dropping its own locks.
 */
void domain_tlb_flush_sync(struct domain *d, gfn_t gfn, unsigned order);

/* Bracket hart_run() on a pCPU thread (xen_lock not held). */
void vcpu_enter_guest(struct vcpu *v);
void vcpu_leave_guest(struct vcpu *v);

#endif
