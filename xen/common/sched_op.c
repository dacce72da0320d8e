/*
 * sched_op.c: the sched_op and vcpu_op hypercalls of a guest vCPU.
 *
 * sched_op: yield, block (enables event delivery, then sleeps unless an
 * event is already pending), shutdown, poll (sleep until one of the listed
 * ports is pending or the timeout passes), shutdown_code; remote_shutdown is
 * dom0's (privcmd) and returns -EPERM to a guest.
 * vcpu_op: what a single-vCPU PV guest needs: is_up, the one-shot timer and
 * runstate information.
 */
#include <errno.h>
#include <string.h>

#include "public/sched.h"
#include "public/vcpu.h"
#include "umbra/event.h"
#include "umbra/sched.h"
#include "umbra/traps.h"
#include "umbra/vcpu.h"

#define POLL_MAX_PORTS 128
#define VCPU_SSHOTTMR_future (1U << 0)

static long sched_block(struct vcpu *v)
{
    struct shared_info *s = v->domain->shared_info;

    /* As Xen: SCHEDOP_block enables event delivery, then checks for work. */
    __atomic_store_n(&s->vcpu_info[0].evtchn_upcall_mask, 0, __ATOMIC_RELEASE);
    if (!vcpu_has_pending_irq(v))
        vcpu_block(v);
    return 0;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    evtchn_port_t ports[POLL_MAX_PORTS];

    if (hc_copy_from_guest(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > POLL_MAX_PORTS)
        return -EINVAL;
    if (hc_copy_from_guest(v, ports, p.ports, p.nr_ports * sizeof(ports[0])))
        return -EFAULT;
    for (unsigned i = 0; i < p.nr_ports; i++) {
        if (ports[i] >= v->domain->nr_evtchn)
            return -EINVAL;
        if (evtchn_port_pending(v->domain, ports[i]))
            return 0;
    }
    if (p.timeout && p.timeout <= sched_now())
        return 0;
    if (p.timeout)
        vcpu_set_timer(v, p.timeout);
    v->polling = true;
    vcpu_block(v);
    return 0;
}

long do_sched_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    struct sched_shutdown sd;

    switch (cmd) {
    case SCHEDOP_yield:
        return 0;   /* the slice ends at this exit's boundary anyway */
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        if (hc_copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_watchdog)
            return -EINVAL;
        domain_shutdown(v->domain, sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (hc_copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_watchdog)
            return -EINVAL;
        v->domain->pending_shutdown_code = (int)sd.reason;
        return 0;
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_remote_shutdown:
        return -EPERM;
    default:
        return -ENOSYS;
    }
}

static void runstate_snapshot(struct vcpu *v, struct vcpu_runstate_info *r)
{
    uint64_t now = sched_now();

    memset(r, 0, sizeof(*r));
    r->state = v->runstate;
    r->state_entry_time = v->runstate_entry;
    for (unsigned i = 0; i < 4; i++)
        r->time[i] = v->runstate_time[i];
    if (now > v->runstate_entry)
        r->time[v->runstate] += now - v->runstate_entry;
}

long do_vcpu_op(struct vcpu *v, unsigned cmd, unsigned vcpuid, uint64_t arg)
{
    struct domain *d = v->domain;
    struct vcpu *t;
    struct vcpu_set_singleshot_timer st;
    struct vcpu_runstate_info ri;

    if (vcpuid >= d->max_vcpus || !d->vcpus[vcpuid])
        return -ENOENT;
    t = d->vcpus[vcpuid];
    switch (cmd) {
    case VCPUOP_is_up:
        return t->is_up;
    case VCPUOP_get_runstate_info:
        runstate_snapshot(t, &ri);
        return hc_copy_to_guest(v, arg, &ri, sizeof(ri));
    case VCPUOP_set_singleshot_timer:
        if (t != v)
            return -EINVAL;
        if (hc_copy_from_guest(v, &st, arg, sizeof(st)))
            return -EFAULT;
        if ((st.flags & VCPU_SSHOTTMR_future) && st.timeout_abs_ns < sched_now())
            return -ETIME;
        return do_set_timer_op(v, st.timeout_abs_ns ? st.timeout_abs_ns : 1);
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -EINVAL;
        vcpu_set_timer(v, 0);
        return 0;
    default:
        return -ENOSYS;
    }
}
