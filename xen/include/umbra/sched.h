/*
 * sched.h: the hypervisor's big lock, system time, the pCPU threads and the
 * credit scheduler.
 *
 * xen_lock protects the domain list and all of xen/common's domain and vCPU
 * state. A pCPU thread holds it except while a vCPU is inside hart_run().
 * System time is modeled guest time in ns: it advances with the modeled
 * cycles the pCPUs run, and jumps to the next timer deadline when every pCPU
 * is idle. With one pCPU every run is therefore deterministic.
 */
#ifndef UMBRA_SCHED_H
#define UMBRA_SCHED_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "umbra/bug.h"
#include "umbra/domain.h"
#include "umbra/lock-order.h"

/* The big lock (lock-order.h LOCK_LEVEL_XEN). */
extern struct umbra_lock xen_lock;
#define xen_lock_acquire() lock_take(&xen_lock)
#define xen_lock_release() lock_release(&xen_lock)
#define ASSERT_XEN_LOCKED() ASSERT(lock_held_by_me(&xen_lock))

/* The hart's time base: 10 MHz; system time is in ns. */
#define XEN_TIME_FREQ_HZ   10000000ULL
#define XEN_CYCLE_FREQ_HZ  1000000000ULL
#define NS_PER_TICK        (1000000000ULL / XEN_TIME_FREQ_HZ)

#define CSCHED_DEFAULT_WEIGHT 256
#define CSCHED_MAX_WEIGHT     65535
#define CSCHED_SLICE_NS       1000000ULL     /* one hart_run() slice at most */
#define CSCHED_ACCT_NS        30000000ULL    /* credit accounting period */

#define MAX_PCPUS 64

/* System time in ns (xen_lock held). */
uint64_t sched_now(void);

/* Set up the scheduler for nr_pcpus threads (not started). Returns 0 or -errno. */
int sched_init(unsigned nr_pcpus);
unsigned sched_nr_pcpus(void);
/* Start the pCPU threads. Returns 0 or -errno. */
int sched_start(void);
/* Stop and join the pCPU threads (xen_lock not held). */
void sched_stop(void);

/* Make v runnable if it can run (xen_lock held). Wakes an idle pCPU. */
void vcpu_wake(struct vcpu *v);
/* Block v until an event or its timer (xen_lock held). */
void vcpu_block(struct vcpu *v);
/* Re-evaluate whether v may run (pause/shutdown changed; xen_lock held). */
void sched_vcpu_update(struct vcpu *v);
/* Take v off the runqueue for good (xen_lock held). */
void sched_vcpu_remove(struct vcpu *v);
/*
 * Wait until no vCPU of d is on a pCPU (xen_lock held; it is released while
 * waiting). Callers must already have made d's vCPUs unrunnable.
 */
void sched_quiesce_domain(struct domain *d);
/* Run v for one slice on the calling thread (tests drive vCPUs without threads;
 * xen_lock held). Returns false when v could not run. */
bool sched_run_one(struct vcpu *v);
/* Run the pCPU 0 loop on the calling thread until no vCPU is runnable and no
 * timer is pending, or max_slices ran (tests; xen_lock not held). */
unsigned sched_run_until_idle(unsigned max_slices);

/* Timers (timer.c), xen_lock held. deadline in system ns; 0 cancels. */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);
void vcpu_set_sbi_timer(struct vcpu *v, uint64_t deadline);
/* Fire every timer due at `now`. */
void timers_fire(uint64_t now);
/* The earliest pending deadline of any vCPU that is not running, or 0. */
uint64_t timers_next_deadline(void);

/* The guest-visible time of v (its hart's time CSR as VS sees it), in ns. */
uint64_t vcpu_guest_time_ns(struct vcpu *v);

#endif
