/*
 * time.h: guest time and the one-shot hypervisor timer (set_timer_op).
 *
 * Guest time is Xen system time: ns since the domain booted. It is read from
 * the time CSR and converted with shared_info's vcpu_time_info when the
 * hypervisor fills it (tsc_to_system_mul != 0), else at the nominal 10 MHz
 * of Umbra's virtual hart (docs/guest-kernel.md).
 * The deadline fires as Xen does it, as VIRQ_TIMER on an event channel (bound
 * at boot); a VS timer interrupt is handled the same way, for hypervisors
 * that raise that instead.
 * Invariant: at most one deadline is armed; the timer interrupt is enabled
 * (sie.STIE) only while one is.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

struct shared_info;

void time_init(struct shared_info *si);
/* Binds VIRQ_TIMER (after evtchn_init). Returns the port, or a negative errno. */
long time_bind_virq(void);
uint64_t time_now_ns(void);

/* Arms the timer for absolute guest time `deadline_ns` (0 disarms). */
void time_set_deadline(uint64_t deadline_ns);
uint64_t time_deadline(void);

/* Called by the trap layer on a VS timer interrupt; runs the hook. */
void time_interrupt(void);

/* The one client of the timer (the scheduler); it re-arms as it needs. */
extern void (*time_hook)(void);

#endif
