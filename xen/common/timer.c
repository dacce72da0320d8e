/*
 * timer.c: per-vCPU one-shot timers in system time (ns).
 *
 * Two kinds: the Xen timer (set_timer_op, VCPUOP_set_singleshot_timer) sends
 * VIRQ_TIMER when it expires; the SBI timer (sbi_set_timer) raises the VS
 * timer interrupt line until the guest sets a new deadline. Both are checked
 * by the scheduler at every slice boundary, and the next deadline bounds the
 * slice budget, so timers fire in guest time: deterministically with one pCPU.
 * Invariant (xen_lock): a deadline is 0 (off) or the absolute system time at
 * which the timer fires; a fired timer is 0 again.
 */
#include "umbra/event.h"
#include "umbra/sched.h"

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
    ASSERT_XEN_LOCKED();
    v->timer_deadline = deadline;
}

void vcpu_set_sbi_timer(struct vcpu *v, uint64_t deadline)
{
    ASSERT_XEN_LOCKED();
    v->vstip = false;        /* writing stimecmp clears the pending interrupt */
    v->sbi_deadline = deadline;
}

static void vcpu_timers_fire(struct vcpu *v, uint64_t now)
{
    if (v->timer_deadline && v->timer_deadline <= now) {
        v->timer_deadline = 0;
        evtchn_send_virq(v, VIRQ_TIMER);
        if (v->blocked && !v->polling)
            vcpu_wake(v);   /* a blocked vCPU wakes on its timer even without a port */
        else if (v->polling)
            vcpu_wake(v);   /* SCHEDOP_poll timeout (shares the one-shot timer) */
    }
    if (v->sbi_deadline && v->sbi_deadline <= now) {
        v->sbi_deadline = 0;
        v->vstip = true;
        vcpu_wake(v);
    }
}

void timers_fire(uint64_t now)
{
    ASSERT_XEN_LOCKED();
    for (struct domain *d = domain_list(); d; d = d->next)
        for (unsigned i = 0; i < d->max_vcpus; i++)
            if (d->vcpus[i] && !d->is_dying)
                vcpu_timers_fire(d->vcpus[i], now);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return a < b ? a : b;
}

uint64_t timers_next_deadline(void)
{
    uint64_t next = 0;

    ASSERT_XEN_LOCKED();
    for (struct domain *d = domain_list(); d; d = d->next) {
        if (d->is_dying || d->is_shutdown || d->ctrl_pause)
            continue;
        for (unsigned i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (v && !v->is_running && v->initialised)
                next = earliest(next, earliest(v->timer_deadline, v->sbi_deadline));
        }
    }
    return next;
}
