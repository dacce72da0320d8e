/*
 * evtchn_op.c: the event_channel_op hypercall of a guest: copy the
 * argument in, resolve DOMID_SELF, check what only dom0 may do, run the
 * operation (evtchn.c), copy the result out.
 */
#include <errno.h>

#include "public/event_channel.h"
#include "umbra/event.h"
#include "umbra/sched.h"
#include "umbra/traps.h"

static bool may_act_for(struct domain *d, domid_t dom)
{
    return dom == DOMID_SELF || dom == d->domain_id || d->is_privileged;
}

long do_event_channel_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    struct domain *d = v->domain;
    union {
        struct evtchn_alloc_unbound au;
        struct evtchn_bind_interdomain bi;
        struct evtchn_bind_virq bv;
        struct evtchn_bind_ipi bp;
        struct evtchn_close cl;
        struct evtchn_send se;
        struct evtchn_status st;
        struct evtchn_unmask um;
    } u;
    size_t len;
    long rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound: len = sizeof(u.au); break;
    case EVTCHNOP_bind_interdomain: len = sizeof(u.bi); break;
    case EVTCHNOP_bind_virq: len = sizeof(u.bv); break;
    case EVTCHNOP_bind_ipi: len = sizeof(u.bp); break;
    case EVTCHNOP_close: len = sizeof(u.cl); break;
    case EVTCHNOP_send: len = sizeof(u.se); break;
    case EVTCHNOP_status: len = sizeof(u.st); break;
    case EVTCHNOP_unmask: len = sizeof(u.um); break;
    default: return -ENOSYS;
    }
    if (hc_copy_from_guest(v, &u, arg, len))
        return -EFAULT;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        if (!may_act_for(d, u.au.dom) || (u.au.dom != DOMID_SELF && u.au.dom != d->domain_id))
            return -EPERM;   /* a guest allocates only in itself */
        rc = evtchn_alloc_unbound(d, &u.au);
        break;
    case EVTCHNOP_bind_interdomain:
        rc = evtchn_bind_interdomain(d, &u.bi);
        break;
    case EVTCHNOP_bind_virq:
        rc = evtchn_bind_virq(d, &u.bv);
        break;
    case EVTCHNOP_bind_ipi:
        rc = evtchn_bind_ipi(d, &u.bp);
        break;
    case EVTCHNOP_close:
        return evtchn_close(d, u.cl.port);
    case EVTCHNOP_send:
        return evtchn_send(d, u.se.port);
    case EVTCHNOP_status:
        rc = evtchn_status(d, &u.st);
        break;
    case EVTCHNOP_unmask:
        return evtchn_unmask(d, u.um.port);
    default:
        return -ENOSYS;
    }
    if (rc == 0 && hc_copy_to_guest(v, arg, &u, len))
        rc = -EFAULT;
    return rc;
}
