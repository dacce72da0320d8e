/*
 * privcmd_ops.c: the hypercalls dom0 makes over the privcmd socket, decoded
 * from their message bodies: domctl, sysctl, memory_op on a domU,
 * event_channel_op for dom0 processes (each dom0 port belongs to the
 * connection that bound it and signals an eventfd handed over SCM_RIGHTS),
 * sched_op remote_shutdown, and xen_version.
 * A body whose size does not match its operation is malformed: the caller
 * closes that connection, and nothing else happens.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "public/event_channel.h"
#include "public/memory.h"
#include "public/privcmd.h"
#include "public/sched.h"
#include "public/version.h"
#include "umbra/console.h"
#include "umbra/control.h"
#include "umbra/event.h"
#include "umbra/sched.h"
#include "umbra/traps.h"

bool privcmd_op_unprivileged_ok(uint32_t op)
{
    return op == __HYPERVISOR_xen_version;
}

struct msg_extents {
    xen_pfn_t *pfns;
};

static int msg_extent_get(void *priv, uint64_t i, xen_pfn_t *pfn)
{
    *pfn = ((struct msg_extents *)priv)->pfns[i];
    return 0;
}

static int msg_extent_put(void *priv, uint64_t i, xen_pfn_t pfn)
{
    ((struct msg_extents *)priv)->pfns[i] = pfn;
    return 0;
}

static long dom0_memory_op(uint32_t cmd, void *body, size_t len, bool *malformed)
{
    struct xen_memory_reservation *r = body;
    struct msg_extents me;
    struct extent_io io = { msg_extent_get, msg_extent_put, &me };
    struct domain *d;

    switch (cmd) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        if (len != sizeof(domid_t)) {
            *malformed = true;
            return -EINVAL;
        }
        d = domain_by_id(*(domid_t *)body);
        if (!d || d == dom0)
            return -ESRCH;
        return (long)(cmd == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        if (len < sizeof(*r) || r->nr_extents > PRIVCMD_MAX_EXTENTS ||
            len != sizeof(*r) + r->nr_extents * sizeof(xen_pfn_t)) {
            *malformed = true;
            return -EINVAL;
        }
        d = domain_by_id(r->domid);
        if (!d || d == dom0)
            return -ESRCH;
        me.pfns = (xen_pfn_t *)(r + 1);
        return memory_reservation(d, cmd, r, &io);
    default:
        return -ENOSYS;
    }
}

/* A new dom0 port for this connection, with its eventfd to hand over. */
static long dom0_port_attach(struct ctl_conn *c, evtchn_port_t port, struct ctl_tail *t)
{
    int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    if (efd < 0 || evtchn_dom0_attach(port, c, efd)) {
        if (efd >= 0)
            close(efd);
        evtchn_close(dom0, port);
        return -ENOMEM;
    }
    t->fd_out = efd;
    return 0;
}

static long dom0_evtchn_op(struct ctl_conn *c, uint32_t cmd, void *body, size_t len,
                           struct ctl_tail *t, bool *malformed)
{
    static const size_t sizes[] = {
        [EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
        [EVTCHNOP_bind_virq] = sizeof(struct evtchn_bind_virq),
        [EVTCHNOP_close] = sizeof(struct evtchn_close),
        [EVTCHNOP_send] = sizeof(struct evtchn_send),
        [EVTCHNOP_status] = sizeof(struct evtchn_status),
        [EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
        [EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
    };
    evtchn_port_t port;
    long rc;

    if (cmd >= sizeof(sizes) / sizeof(sizes[0]) || !sizes[cmd])
        return -ENOSYS;
    if (len != sizes[cmd]) {
        *malformed = true;
        return -EINVAL;
    }
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *a = body;
        struct domain *d = a->dom == DOMID_SELF ? dom0 : domain_by_id(a->dom);

        if (!d)
            return -ESRCH;
        rc = evtchn_alloc_unbound(d, a);
        if (rc || d != dom0)
            return rc;
        return dom0_port_attach(c, a->port, t);
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *b = body;

        rc = evtchn_bind_interdomain(dom0, b);
        return rc ? rc : dom0_port_attach(c, b->local_port, t);
    }
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq *b = body;
        int p = evtchn_bind_dom0_virq(b->virq);

        if (p < 0)
            return p;
        b->port = (evtchn_port_t)p;
        return dom0_port_attach(c, b->port, t);
    }
    case EVTCHNOP_status:
        return evtchn_status(dom0, body);
    default:
        break;
    }
    memcpy(&port, body, sizeof(port));   /* close, send, unmask: just a port */
    if (!evtchn_dom0_owned(port, c))
        return -EINVAL;
    if (cmd == EVTCHNOP_close)
        return evtchn_close(dom0, port);
    if (cmd == EVTCHNOP_send)
        return evtchn_send(dom0, port);
    return evtchn_unmask(dom0, port);
}

static long dom0_sched_op(uint32_t cmd, void *body, size_t len, bool *malformed)
{
    struct sched_remote_shutdown *r = body;
    struct domain *d;

    if (cmd != SCHEDOP_remote_shutdown)
        return -ENOSYS;
    if (len != sizeof(*r)) {
        *malformed = true;
        return -EINVAL;
    }
    if (r->reason > SHUTDOWN_watchdog)
        return -EINVAL;
    d = domain_by_id(r->domain_id);
    if (!d || d == dom0)
        return -ESRCH;
    domain_shutdown(d, r->reason);
    return 0;
}

static long dom0_xen_version(uint32_t cmd, struct ctl_tail *t)
{
    const char *s;
    size_t n;

    switch (cmd) {
    case XENVER_version:
        return (UMBRA_XEN_MAJOR << 16) | UMBRA_XEN_MINOR;
    case XENVER_pagesize:
        return 4096;
    case XENVER_extraversion: s = UMBRA_XEN_EXTRA; n = 16; break;
    case XENVER_capabilities: s = "xen-3.0-riscv64"; n = 1024; break;
    case XENVER_changeset: s = "umbra"; n = 64; break;
    default:
        return -ENOSYS;
    }
    if (n > t->out_cap)
        return -EINVAL;
    memset(t->out, 0, n);
    memcpy(t->out, s, strlen(s));
    t->out_len = n;
    return 0;
}

long privcmd_dispatch(struct ctl_conn *c, const struct privcmd_req *req, void *body,
                      struct ctl_tail *t, bool *malformed)
{
    *malformed = false;
    switch (req->op) {
    case __HYPERVISOR_domctl:
        if (req->len < sizeof(struct xen_domctl))
            break;
        t->in = (char *)body + sizeof(struct xen_domctl);
        t->in_len = req->len - sizeof(struct xen_domctl);
        return do_domctl(c, body, t);
    case __HYPERVISOR_sysctl:
        if (req->len != sizeof(struct xen_sysctl))
            break;
        return do_sysctl(c, body, t);
    case __HYPERVISOR_memory_op:
        return dom0_memory_op(req->cmd, body, req->len, malformed);
    case __HYPERVISOR_event_channel_op:
        return dom0_evtchn_op(c, req->cmd, body, req->len, t, malformed);
    case __HYPERVISOR_sched_op:
        return dom0_sched_op(req->cmd, body, req->len, malformed);
    case __HYPERVISOR_xen_version:
        return dom0_xen_version(req->cmd, t);
    default:
        return -ENOSYS;
    }
    *malformed = true;
    return -EINVAL;
}
