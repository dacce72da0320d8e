/*
 * conn_ring.c: the guest ring transport.
 *
 * The guest writes requests into req[] and advances req_prod; we consume and
 * advance req_cons. We write replies and events into rsp[] and advance
 * rsp_prod; the guest advances rsp_cons. Indexes run free (u32, wrapping);
 * MASK_XENSTORE_IDX gives the offset. After moving bytes we notify the guest
 * through the event channel. Barriers: read the producer index before the
 * data it covers, and publish data before the producer index.
 * A producer more than XENSTORE_RING_SIZE ahead of its consumer is a
 * protocol violation: we set `error` (XENSTORE_ERROR_RINGIDX) and stop
 * serving that guest only.
 */
#include "conn_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ring {
    const struct xs_guest_channel *ch;
    volatile struct xenstore_domain_interface *intf;
    int evtchn_fd;
    uint32_t local_port;
    bool moved; /* bytes moved since the last notify */
};

static ssize_t ring_read(struct xs_conn *c, void *buf, size_t len)
{
    struct ring *r = c->transport;
    volatile struct xenstore_domain_interface *intf = r->intf;
    XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
    size_t avail, done = 0;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    avail = (XENSTORE_RING_IDX)(prod - cons);
    if (avail > XENSTORE_RING_SIZE) {
        intf->error = XENSTORE_ERROR_RINGIDX;
        return -1;
    }
    while (done < len && avail) {
        size_t off = MASK_XENSTORE_IDX(cons);
        size_t chunk = XENSTORE_RING_SIZE - off;

        if (chunk > avail)
            chunk = avail;
        if (chunk > len - done)
            chunk = len - done;
        memcpy((char *)buf + done, (const char *)intf->req + off, chunk);
        done += chunk;
        avail -= chunk;
        cons += (XENSTORE_RING_IDX)chunk;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    intf->req_cons = cons;
    if (done)
        r->moved = true;
    return (ssize_t)done;
}

static ssize_t ring_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct ring *r = c->transport;
    volatile struct xenstore_domain_interface *intf = r->intf;
    XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
    size_t used, space, done = 0;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    used = (XENSTORE_RING_IDX)(prod - cons);
    if (used > XENSTORE_RING_SIZE) {
        intf->error = XENSTORE_ERROR_RINGIDX;
        return -1;
    }
    space = XENSTORE_RING_SIZE - used;
    while (done < len && space) {
        size_t off = MASK_XENSTORE_IDX(prod);
        size_t chunk = XENSTORE_RING_SIZE - off;

        if (chunk > space)
            chunk = space;
        if (chunk > len - done)
            chunk = len - done;
        memcpy((char *)intf->rsp + off, (const char *)buf + done, chunk);
        done += chunk;
        space -= chunk;
        prod += (XENSTORE_RING_IDX)chunk;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    intf->rsp_prod = prod;
    if (done)
        r->moved = true;
    return (ssize_t)done;
}

static void ring_flush(struct xs_conn *c)
{
    struct ring *r = c->transport;

    if (r->moved) {
        r->moved = false;
        r->ch->notify(r->ch->opaque, r->local_port);
    }
}

static int ring_poll_fd(const struct xs_conn *c)
{
    const struct ring *r = c->transport;

    return r->evtchn_fd;
}

static void ring_ack(struct xs_conn *c)
{
    struct ring *r = c->transport;

    r->ch->ack(r->ch->opaque, r->evtchn_fd);
}

static void ring_destroy(struct xs_conn *c)
{
    struct ring *r = c->transport;

    if (c->broken && r->intf->error == XENSTORE_ERROR_NONE)
        r->intf->error = XENSTORE_ERROR_PROTO;
    r->ch->unbind_evtchn(r->ch->opaque, r->evtchn_fd, r->local_port);
    r->ch->unmap_ring(r->ch->opaque, (void *)r->intf);
    free(r);
}

const struct xs_transport_ops ring_transport = {
    .name = "ring",
    .read = ring_read,
    .write = ring_write,
    .flush = ring_flush,
    .poll_fd = ring_poll_fd,
    .ack_event = ring_ack,
    .destroy = ring_destroy,
};

int ring_conn_create(struct xs_daemon *d, struct xs_domain *dom)
{
    const struct xs_guest_channel *ch = d->channel;
    struct ring *r = calloc(1, sizeof(*r));
    struct xs_conn *c;
    int err;

    if (!r)
        return -ENOMEM;
    r->ch = ch;
    r->intf = ch->map_ring(ch->opaque, dom->domid, dom->gfn);
    if (!r->intf) {
        err = errno ? -errno : -EIO;
        free(r);
        return err;
    }
    r->evtchn_fd = ch->bind_evtchn(ch->opaque, dom->domid, dom->evtchn, &r->local_port);
    if (r->evtchn_fd < 0) {
        err = errno ? -errno : -EIO;
        ch->unmap_ring(ch->opaque, (void *)r->intf);
        free(r);
        return err;
    }
    r->intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
    r->intf->connection = XENSTORE_CONNECTED;
    r->intf->error = XENSTORE_ERROR_NONE;
    c = conn_new(d, &ring_transport, r, -1, dom->domid);
    if (!c) {
        ch->unbind_evtchn(ch->opaque, r->evtchn_fd, r->local_port);
        ch->unmap_ring(ch->opaque, (void *)r->intf);
        free(r);
        return -ENOMEM;
    }
    c->domain = dom;
    dom->conn = c;
    return 0;
}
