/*
 * traps.h: handling a vCPU's exits (traps.c) and the guest hypercall and
 * SBI layer behind them (hypercall.c, sbi.c, ...).
 *
 * Every exit is handled with xen_lock held on the vCPU's own pCPU thread.
 * Whatever a guest does, the outcome is a result in a0, a reflected fault,
 * a blocked vCPU or a crashed domain, never a crashed daemon.
 */
#ifndef UMBRA_TRAPS_H
#define UMBRA_TRAPS_H

#include <stddef.h>
#include <stdint.h>

#include "public/memory.h"
#include "riscv/hart.h"
#include "umbra/domain.h"

void vcpu_handle_exit(struct vcpu *v, enum hart_exit_kind kind, const struct hart_exit *ex);

/* A guest hypercall: nr and a0..a5; returns the value for a0 (negative errno). */
long do_hypercall(struct vcpu *v, unsigned long nr, const uint64_t args[6]);
/* An SBI call (a7 = EID, a6 = FID); sets a0 (error) and a1 (value). */
void do_sbi_call(struct vcpu *v, uint64_t eid, uint64_t fid, const uint64_t args[6],
                 uint64_t *a0, uint64_t *a1);

/* Copy to/from the caller's memory through the guest's own translation. */
int hc_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int hc_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);

/* The per-hypercall handlers (xen_lock held). */
long do_xen_version(struct vcpu *v, unsigned cmd, uint64_t arg);
long do_console_io(struct vcpu *v, unsigned cmd, uint64_t count, uint64_t buf);
long do_set_timer_op(struct vcpu *v, uint64_t timeout);
long do_sched_op(struct vcpu *v, unsigned cmd, uint64_t arg);
long do_vcpu_op(struct vcpu *v, unsigned cmd, unsigned vcpuid, uint64_t arg);
long do_memory_op(struct vcpu *v, unsigned cmd, uint64_t arg);
long do_event_channel_op(struct vcpu *v, unsigned cmd, uint64_t arg);

/*
 * The reservation operations, shared by guests (memory_op) and dom0
 * (privcmd). The extent array is read and written through `io`.
 * Returns the number of extents done (Xen's convention), or -errno when
 * nothing could start.
 */
struct extent_io {
    int (*get)(void *priv, uint64_t i, xen_pfn_t *pfn);
    int (*put)(void *priv, uint64_t i, xen_pfn_t pfn);
    void *priv;
};
long memory_reservation(struct domain *d, unsigned cmd, const struct xen_memory_reservation *r,
                        const struct extent_io *io);

#endif
