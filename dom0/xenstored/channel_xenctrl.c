/*
 * channel_xenctrl.c: the guest channel (guest_channel.h) over libxenctrl, so
 * that xenstored serves guests of a running hypervisor.
 *
 * A ring page is a foreign mapping (xc_map_foreign_range, one page, read and
 * write) of the GFN the toolstack passed in XS_INTRODUCE; the hypervisor
 * holds a reference on that frame until xc_unmap_foreign, so the page stays
 * valid even if the domain is destroyed before it is released. Each guest's
 * event channel gets its own xenevtchn handle (its own privcmd connection and
 * epoll fd): the handle's fd is exactly the per-guest pollable fd that
 * guest_channel.h asks for, and closing it closes the port.
 * Domain exceptions: one more xenevtchn handle binds VIRQ_DOM_EXC; its fd is
 * the daemon's exception fd, and a domain's state comes from
 * xc_domain_getinfo (absent or dying: gone; shutdown or crashed: shut down);
 * domain_states answers for all introduced domains from one domain list.
 * Invariants: every mapping and binding handed out is in the channel's lists
 * until its unmap/unbind; xenstored is single-threaded, so no locks.
 */
#include "channel_xenctrl.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "xenctrl.h"

#define RING_PAGE_SIZE 4096

struct ring_map {
    struct ring_map *next;
    void *page;
    uint32_t domid;
    uint64_t gfn;
};

struct evtchn_bind {
    struct evtchn_bind *next;
    xenevtchn_handle *xce;
    int fd;
    uint32_t local_port;
};

struct xc_channel {
    struct xs_guest_channel ops;   /* first: ops.opaque points back here */
    xc_interface *xch;
    xenevtchn_handle *virq;        /* VIRQ_DOM_EXC, or NULL when not offered */
    struct ring_map *maps;
    struct evtchn_bind *binds;
};

static void *xcc_map_ring(void *opaque, uint32_t domid, uint64_t gfn)
{
    struct xc_channel *ch = opaque;
    struct ring_map *m = malloc(sizeof(*m));
    void *page;

    if (!m)
        return NULL;
    page = xc_map_foreign_range(ch->xch, domid, RING_PAGE_SIZE, PROT_READ | PROT_WRITE,
                                (unsigned long)gfn);
    if (!page) {
        int e = errno;

        free(m);
        errno = e;
        return NULL;
    }
    *m = (struct ring_map){ ch->maps, page, domid, gfn };
    ch->maps = m;
    return page;
}

static void xcc_unmap_ring(void *opaque, void *page)
{
    struct xc_channel *ch = opaque;

    for (struct ring_map **pp = &ch->maps; *pp; pp = &(*pp)->next) {
        struct ring_map *m = *pp;

        if (m->page == page) {
            xc_unmap_foreign(ch->xch, m->domid, m->page, RING_PAGE_SIZE,
                             (unsigned long)m->gfn);
            *pp = m->next;
            free(m);
            return;
        }
    }
}

static struct evtchn_bind *find_bind(struct xc_channel *ch, int fd, uint32_t port, bool by_fd)
{
    for (struct evtchn_bind *b = ch->binds; b; b = b->next)
        if (by_fd ? b->fd == fd : b->local_port == port)
            return b;
    return NULL;
}

static int xcc_bind_evtchn(void *opaque, uint32_t domid, uint32_t remote_port,
                           uint32_t *local_port)
{
    struct xc_channel *ch = opaque;
    struct evtchn_bind *b = calloc(1, sizeof(*b));
    evtchn_port_or_error_t port;
    int e;

    if (!b)
        return -1;
    b->xce = xenevtchn_open(NULL, 0);
    if (!b->xce)
        goto fail;
    port = xenevtchn_bind_interdomain(b->xce, domid, remote_port);
    if (port == (evtchn_port_or_error_t)-1)
        goto fail;
    b->local_port = port;
    b->fd = xenevtchn_fd(b->xce);
    b->next = ch->binds;
    ch->binds = b;
    *local_port = port;
    return b->fd;
fail:
    e = errno;
    if (b->xce)
        xenevtchn_close(b->xce);
    free(b);
    errno = e;
    return -1;
}

/* Drain every pending notification; dom0 ports carry no mask, so no unmask is needed. */
static void xcc_ack(void *opaque, int fd)
{
    struct evtchn_bind *b = find_bind(opaque, fd, 0, true);

    if (!b)
        return;
    while (xenevtchn_pending(b->xce) != (evtchn_port_or_error_t)-1)
        ;
}

static void xcc_unbind_evtchn(void *opaque, int fd, uint32_t local_port)
{
    struct xc_channel *ch = opaque;

    (void)local_port;
    for (struct evtchn_bind **pp = &ch->binds; *pp; pp = &(*pp)->next) {
        struct evtchn_bind *b = *pp;

        if (b->fd == fd) {
            xenevtchn_unbind(b->xce, b->local_port);
            xenevtchn_close(b->xce);
            *pp = b->next;
            free(b);
            return;
        }
    }
}

static void xcc_notify(void *opaque, uint32_t local_port)
{
    struct evtchn_bind *b = find_bind(opaque, -1, local_port, false);

    if (b)
        xenevtchn_notify(b->xce, local_port);
}

static int xcc_exception_fd(void *opaque)
{
    struct xc_channel *ch = opaque;

    return xenevtchn_fd(ch->virq);
}

static void xcc_ack_exception(void *opaque)
{
    struct xc_channel *ch = opaque;

    while (xenevtchn_pending(ch->virq) != (evtchn_port_or_error_t)-1)
        ;
}

static int xcc_domain_state(void *opaque, uint32_t domid)
{
    struct xc_channel *ch = opaque;
    xc_dominfo_t info;

    if (xc_domain_getinfo(ch->xch, domid, 1, &info) != 1 || info.domid != domid || info.dying)
        return XS_DOMAIN_GONE;
    return info.shutdown || info.crashed ? XS_DOMAIN_SHUTDOWN : XS_DOMAIN_RUNNING;
}

static int info_state(const xc_dominfo_t *info)
{
    if (info->dying)
        return XS_DOMAIN_GONE;
    return info->shutdown || info->crashed ? XS_DOMAIN_SHUTDOWN : XS_DOMAIN_RUNNING;
}

static int cmp_dominfo(const void *key, const void *elem)
{
    uint32_t id = *(const uint32_t *)key, e = ((const xc_dominfo_t *)elem)->domid;

    return id < e ? -1 : id > e;
}

/*
 * All domains' states from the hypervisor's domain list (sorted by domid),
 * DOMLIST_BATCH at a time: one or two round trips for hundreds of domains
 * instead of one each. O(domains + n log domains) in memory.
 */
#define DOMLIST_BATCH 1024u
static int xcc_domain_states(void *opaque, const uint32_t *ids, unsigned n, int *states)
{
    struct xc_channel *ch = opaque;
    xc_dominfo_t *all = NULL;
    size_t have = 0;
    uint32_t first = 0;

    for (;;) {
        xc_dominfo_t *grown = realloc(all, (have + DOMLIST_BATCH) * sizeof(*all));
        int got;

        if (!grown) {
            free(all);
            return -1;
        }
        all = grown;
        got = xc_domain_getinfo(ch->xch, first, DOMLIST_BATCH, all + have);
        if (got < 0) {
            free(all);
            return -1;
        }
        have += (size_t)got;
        if ((unsigned)got < DOMLIST_BATCH)
            break;
        first = all[have - 1].domid + 1;
    }
    for (unsigned i = 0; i < n; i++) {
        const xc_dominfo_t *info = bsearch(&ids[i], all, have, sizeof(*all), cmp_dominfo);

        states[i] = info ? info_state(info) : XS_DOMAIN_GONE;
    }
    free(all);
    return 0;
}

/* Bind VIRQ_DOM_EXC; without it (an older hypervisor) exceptions are not offered. */
static void open_exceptions(struct xc_channel *ch)
{
    ch->virq = xenevtchn_open(NULL, 0);
    if (ch->virq && xenevtchn_bind_virq(ch->virq, VIRQ_DOM_EXC) == (evtchn_port_or_error_t)-1) {
        xenevtchn_close(ch->virq);
        ch->virq = NULL;
    }
    if (!ch->virq)
        return;
    ch->ops.exception_fd = xcc_exception_fd;
    ch->ops.ack_exception = xcc_ack_exception;
    ch->ops.domain_state = xcc_domain_state;
    ch->ops.domain_states = xcc_domain_states;
}

const struct xs_guest_channel *xc_channel_open(void)
{
    struct xc_channel *ch = calloc(1, sizeof(*ch));
    int e;

    if (!ch)
        return NULL;
    ch->xch = xc_interface_open(NULL, NULL, 0);
    if (!ch->xch) {
        e = errno;
        free(ch);
        errno = e;
        return NULL;
    }
    ch->ops = (struct xs_guest_channel){
        .opaque = ch,
        .map_ring = xcc_map_ring,
        .unmap_ring = xcc_unmap_ring,
        .bind_evtchn = xcc_bind_evtchn,
        .ack = xcc_ack,
        .unbind_evtchn = xcc_unbind_evtchn,
        .notify = xcc_notify,
    };
    open_exceptions(ch);
    return &ch->ops;
}

void xc_channel_close(const struct xs_guest_channel *ops)
{
    struct xc_channel *ch;

    if (!ops)
        return;
    ch = ops->opaque;
    while (ch->binds)
        xcc_unbind_evtchn(ch, ch->binds->fd, ch->binds->local_port);
    while (ch->maps)
        xcc_unmap_ring(ch, ch->maps->page);
    if (ch->virq)
        xenevtchn_close(ch->virq);
    xc_interface_close(ch->xch);
    free(ch);
}
