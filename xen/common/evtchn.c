/*
 * evtchn.c: event channels with Xen's 2-level ABI: alloc_unbound,
 * bind_interdomain, bind_virq, bind_ipi, close, send, status, unmask.
 *
 * A guest's pending and mask bitmaps and its vcpu_info (upcall pending,
 * pending selector) live in its shared_info page, which the guest writes
 * concurrently: every update here is an atomic read-modify-write, in Xen's
 * order (pending bit, then selector, then upcall_pending), so a guest that
 * clears upcall_pending first and then scans never loses an event. The
 * upcall itself is hvip.VSEIP, recomputed on the vCPU's own thread before it
 * enters the guest (vcpu_update_irqs).
 * dom0 ports have no shared_info: each is owned by a privcmd connection and
 * signalled through its eventfd.
 * Invariants (xen_lock): port 0 is never used; an interdomain port's peer
 * port points back at it; a port's state is closed iff it is free.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "public/xen.h"
#include "umbra/console.h"
#include "umbra/event.h"
#include "umbra/sched.h"

#define BITS_PER_WORD 64

int evtchn_init(struct domain *d)
{
    d->nr_evtchn = 64;
    d->evtchn = calloc(d->nr_evtchn, sizeof(*d->evtchn));
    if (!d->evtchn)
        return -ENOMEM;
    for (unsigned i = 0; i < d->nr_evtchn; i++)
        d->evtchn[i].efd = -1;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    free(d->evtchn);
    d->evtchn = NULL;
    d->nr_evtchn = 0;
}

static struct evtchn *port_get(struct domain *d, evtchn_port_t port)
{
    if (port == 0 || port >= d->nr_evtchn)
        return NULL;
    return &d->evtchn[port];
}

/* Find a free port, growing the table up to EVTCHN_MAX_PORTS. */
static int get_free_port(struct domain *d)
{
    unsigned n;
    struct evtchn *t;

    for (unsigned p = 1; p < d->nr_evtchn; p++)
        if (d->evtchn[p].state == EVTCHNSTAT_closed)
            return (int)p;
    if (d->nr_evtchn >= EVTCHN_MAX_PORTS)
        return -ENOSPC;
    n = d->nr_evtchn * 2;
    t = realloc(d->evtchn, n * sizeof(*t));
    if (!t)
        return -ENOMEM;
    memset(t + d->nr_evtchn, 0, (n - d->nr_evtchn) * sizeof(*t));
    for (unsigned i = d->nr_evtchn; i < n; i++)
        t[i].efd = -1;
    d->evtchn = t;
    n = d->nr_evtchn;
    d->nr_evtchn *= 2;
    return (int)n;
}

static void port_free(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = &d->evtchn[port];

    if (c->efd >= 0)
        close(c->efd);
    memset(c, 0, sizeof(*c));
    c->efd = -1;
    if (d->shared_info) {
        /* A closed port starts clean when it is reused (as Xen's evtchn_port_clear). */
        __atomic_and_fetch(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                           ~(1ULL << (port % BITS_PER_WORD)), __ATOMIC_ACQ_REL);
    }
}

static void vcpu_mark_events_pending(struct vcpu *v)
{
    struct vcpu_info *vi = &v->domain->shared_info->vcpu_info[0];

    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_RELEASE);
    vcpu_wake(v);
}

/* Mark port pending in d and notify, as Xen's evtchn_2l_set_pending. */
static void evtchn_set_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = &d->evtchn[port];
    struct shared_info *s = d->shared_info;
    unsigned w = port / BITS_PER_WORD;
    uint64_t bit = 1ULL << (port % BITS_PER_WORD);
    struct vcpu *v;

    if (!s) {   /* dom0: the owning process's eventfd */
        uint64_t one = 1;

        c->dom0_pending = 1;
        if (c->efd >= 0 && write(c->efd, &one, sizeof(one)) < 0)
            xen_log("evtchn: dom0 port %u: eventfd write failed", port);
        return;
    }
    if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_ACQ_REL) & bit)
        return;
    v = c->notify_vcpu < d->max_vcpus ? d->vcpus[c->notify_vcpu] : NULL;
    if (!v)
        return;
    if (v->polling)
        vcpu_wake(v);   /* SCHEDOP_poll wakes on any of its ports, masked or not */
    if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_ACQUIRE) & bit)
        return;
    if (!(__atomic_fetch_or(&s->vcpu_info[0].evtchn_pending_sel, 1ULL << w, __ATOMIC_ACQ_REL) &
          (1ULL << w)))
        vcpu_mark_events_pending(v);
}

bool evtchn_port_pending(struct domain *d, evtchn_port_t port)
{
    if (port == 0 || port >= d->nr_evtchn || !d->shared_info)
        return false;
    return (__atomic_load_n(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                            __ATOMIC_ACQUIRE) >> (port % BITS_PER_WORD)) & 1;
}

int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *a)
{
    struct domain *rd;
    int port;

    rd = a->remote_dom == DOMID_SELF ? d : domain_by_id(a->remote_dom);
    if (!rd)
        return -ESRCH;
    port = get_free_port(d);
    if (port < 0)
        return port;
    d->evtchn[port].state = EVTCHNSTAT_unbound;
    d->evtchn[port].remote_dom = rd->domain_id;
    a->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *b)
{
    struct domain *rd = b->remote_dom == DOMID_SELF ? d : domain_by_id(b->remote_dom);
    struct evtchn *rc;
    int lport;

    if (!rd)
        return -ESRCH;
    rc = port_get(rd, b->remote_port);
    if (!rc)
        return -EINVAL;
    if (rc->state != EVTCHNSTAT_unbound || rc->remote_dom != d->domain_id)
        return -EINVAL;
    lport = get_free_port(d);
    if (lport < 0)
        return lport;
    rc = &rd->evtchn[b->remote_port];   /* the table may have moved if rd == d */
    d->evtchn[lport].state = EVTCHNSTAT_interdomain;
    d->evtchn[lport].remote_dom = rd->domain_id;
    d->evtchn[lport].remote_port = b->remote_port;
    rc->state = EVTCHNSTAT_interdomain;
    rc->remote_port = (uint32_t)lport;
    b->local_port = (evtchn_port_t)lport;
    /* As Xen: the local end starts pending, so nothing sent before binding is lost. */
    evtchn_set_pending(d, (evtchn_port_t)lport);
    return 0;
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
    struct vcpu *v;
    int port;

    if (b->virq >= NR_VIRQS || b->vcpu >= d->max_vcpus || !d->vcpus[b->vcpu])
        return -EINVAL;
    v = d->vcpus[b->vcpu];
    if (v->virq_to_evtchn[b->virq])
        return -EEXIST;
    port = get_free_port(d);
    if (port < 0)
        return port;
    d->evtchn[port].state = EVTCHNSTAT_virq;
    d->evtchn[port].virq = b->virq;
    d->evtchn[port].notify_vcpu = (uint16_t)b->vcpu;
    v->virq_to_evtchn[b->virq] = (uint32_t)port;
    b->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_dom0_virq(uint32_t virq)
{
    int port;

    if (virq != VIRQ_DOM_EXC)
        return -EINVAL;   /* the one global VIRQ the hypervisor raises */
    port = get_free_port(dom0);
    if (port < 0)
        return port;
    dom0->evtchn[port].state = EVTCHNSTAT_virq;
    dom0->evtchn[port].virq = virq;
    return port;
}

int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
    int port;

    if (b->vcpu >= d->max_vcpus || !d->vcpus[b->vcpu])
        return -ENOENT;
    port = get_free_port(d);
    if (port < 0)
        return port;
    d->evtchn[port].state = EVTCHNSTAT_ipi;
    d->evtchn[port].notify_vcpu = (uint16_t)b->vcpu;
    b->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = port_get(d, port);
    struct domain *rd;

    if (!c)
        return -EINVAL;
    switch (c->state) {
    case EVTCHNSTAT_closed:
        return -EINVAL;
    case EVTCHNSTAT_virq:
        if (c->notify_vcpu < d->max_vcpus && d->vcpus[c->notify_vcpu])
            d->vcpus[c->notify_vcpu]->virq_to_evtchn[c->virq] = 0;
        break;
    case EVTCHNSTAT_interdomain:
        rd = c->remote_dom == d->domain_id ? d : domain_by_id(c->remote_dom);
        if (!rd)   /* a dying peer: it is closing its side itself */
            rd = domain_any_by_id(c->remote_dom);
        if (rd && c->remote_port < rd->nr_evtchn) {
            struct evtchn *r = &rd->evtchn[c->remote_port];

            if (r->state == EVTCHNSTAT_interdomain && r->remote_dom == d->domain_id &&
                r->remote_port == port) {
                r->state = EVTCHNSTAT_unbound;
                r->remote_dom = d->domain_id;
                r->remote_port = 0;
            }
        }
        break;
    default:
        break;
    }
    port_free(d, port);
    return 0;
}

void evtchn_close_all(struct domain *d)
{
    for (unsigned p = 1; p < d->nr_evtchn; p++)
        if (d->evtchn[p].state != EVTCHNSTAT_closed)
            evtchn_close(d, p);
}

void evtchn_close_owned(void *owner)
{
    if (!dom0)
        return;
    for (unsigned p = 1; p < dom0->nr_evtchn; p++)
        if (dom0->evtchn[p].state != EVTCHNSTAT_closed && dom0->evtchn[p].owner == owner)
            evtchn_close(dom0, p);
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = port_get(d, port);
    struct domain *rd;

    if (!c)
        return -EINVAL;
    switch (c->state) {
    case EVTCHNSTAT_interdomain:
        rd = c->remote_dom == d->domain_id ? d : domain_by_id(c->remote_dom);
        if (rd && c->remote_port < rd->nr_evtchn)
            evtchn_set_pending(rd, c->remote_port);
        return 0;
    case EVTCHNSTAT_ipi:
        evtchn_set_pending(d, port);
        return 0;
    case EVTCHNSTAT_unbound:
        return 0;   /* silently dropped, as Xen */
    default:
        return -EINVAL;
    }
}

int evtchn_status(struct domain *d, struct evtchn_status *s)
{
    struct domain *sd = s->dom == DOMID_SELF ? d : domain_by_id(s->dom);
    struct evtchn *c;

    if (!sd)
        return -ESRCH;
    if (sd != d && !d->is_privileged)
        return -EPERM;
    if (s->port >= sd->nr_evtchn)
        return -EINVAL;
    c = &sd->evtchn[s->port];
    memset(&s->u, 0, sizeof(s->u));
    s->status = s->port == 0 ? EVTCHNSTAT_closed : c->state;
    s->vcpu = c->notify_vcpu;
    switch (s->status) {
    case EVTCHNSTAT_unbound:
        s->u.unbound.dom = c->remote_dom;
        break;
    case EVTCHNSTAT_interdomain:
        s->u.interdomain.dom = c->remote_dom;
        s->u.interdomain.port = c->remote_port;
        break;
    case EVTCHNSTAT_virq:
        s->u.virq = c->virq;
        break;
    default:
        break;
    }
    return 0;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned w = port / BITS_PER_WORD;
    uint64_t bit = 1ULL << (port % BITS_PER_WORD);
    struct evtchn *c = port_get(d, port);

    if (!c)
        return -EINVAL;
    if (!s)
        return 0;   /* dom0: eventfds carry no mask */
    if ((__atomic_and_fetch(&s->evtchn_mask[w], ~bit, __ATOMIC_ACQ_REL) & bit) == 0 &&
        (__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_ACQUIRE) & bit) &&
        c->notify_vcpu < d->max_vcpus &&
        !(__atomic_fetch_or(&s->vcpu_info[0].evtchn_pending_sel, 1ULL << w, __ATOMIC_ACQ_REL) &
          (1ULL << w)))
        vcpu_mark_events_pending(d->vcpus[c->notify_vcpu]);
    return 0;
}

int evtchn_dom0_attach(evtchn_port_t port, void *owner, int efd)
{
    struct evtchn *c = port_get(dom0, port);

    if (!c || c->state == EVTCHNSTAT_closed)
        return -EINVAL;
    c->owner = owner;
    c->efd = efd;
    if (c->dom0_pending && efd >= 0) {
        uint64_t one = 1;

        if (write(efd, &one, sizeof(one)) < 0)
            return -EIO;
    }
    return 0;
}

bool evtchn_dom0_owned(evtchn_port_t port, void *owner)
{
    struct evtchn *c = port_get(dom0, port);

    return c && c->state != EVTCHNSTAT_closed && c->owner == owner;
}

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
    uint32_t port = virq < NR_VIRQS ? v->virq_to_evtchn[virq] : 0;

    if (port)
        evtchn_set_pending(v->domain, port);
}

void evtchn_send_dom0_virq(unsigned virq)
{
    if (!dom0)
        return;
    for (unsigned p = 1; p < dom0->nr_evtchn; p++)
        if (dom0->evtchn[p].state == EVTCHNSTAT_virq && dom0->evtchn[p].virq == virq)
            evtchn_set_pending(dom0, p);
}
