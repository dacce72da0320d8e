/*
 * xenbus_ring.c: moving bytes through the xenstore ring page, guest side.
 *
 * We produce into req[] (advancing req_prod) and consume from rsp[]
 * (advancing rsp_cons); xenstored does the opposite. The u32 indexes run
 * free; MASK_XENSTORE_IDX gives the offset. Barriers as in Xen: read the
 * other side's index, fence, then the data it covers; write the data, fence,
 * then publish our index. A distance between indexes larger than the ring,
 * or a nonzero `error` (set by xenstored on a protocol violation), means the
 * ring is unusable: -XENBUS_EIO from then on.
 * Invariant: in_got counts the bytes of the current message taken so far
 * (header first); a message is delivered exactly once, when whole.
 */
#include "xenbus_priv.h"

#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;

    return m < c ? m : c;
}

int xenbus_ring_write(struct xenbus *xb, const void *data, uint32_t len)
{
    volatile struct xenstore_domain_interface *intf = xb->intf;
    const char *p = data;

    while (len) {
        XENSTORE_RING_IDX cons, prod;
        uint32_t used, chunk;

        if (intf->error != XENSTORE_ERROR_NONE)
            return -XENBUS_EIO;
        cons = intf->req_cons;
        prod = intf->req_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        used = prod - cons;
        if (used > XENSTORE_RING_SIZE)
            return -XENBUS_EIO;
        if (used == XENSTORE_RING_SIZE) {
            /* Full: let xenstored drain it, taking its replies meanwhile. */
            xb->ops.notify(xb->ops.arg);
            if (xenbus_ring_pump(xb) < 0)
                return -XENBUS_EIO;
            xb->ops.wait(xb->ops.arg);
            continue;
        }
        chunk = min3(XENSTORE_RING_SIZE - used, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod),
                     len);
        memcpy((char *)intf->req + MASK_XENSTORE_IDX(prod), p, chunk);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        intf->req_prod = prod + chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

/* A whole message has arrived: route it. */
static void deliver(struct xenbus *xb)
{
    uint32_t len = xb->in_hdr.len;

    xb->in_body[len] = '\0';
    if (xb->in_hdr.type == XS_WATCH_EVENT) {
        struct xenbus_event *ev;

        if (xb->ev_count == XENBUS_EVENT_QUEUE || len >= XENBUS_EVENT_MAX) {
            xb->events_dropped++;
            return;
        }
        ev = &xb->events[(xb->ev_head + xb->ev_count) % XENBUS_EVENT_QUEUE];
        memcpy(ev->body, xb->in_body, len + 1);
        ev->len = len;
        xb->ev_count++;
        return;
    }
    if (xb->busy && !xb->reply_ready && xb->in_hdr.req_id == xb->wait_req_id) {
        xb->reply_hdr = xb->in_hdr;
        memcpy(xb->reply, xb->in_body, len + 1);
        xb->reply_ready = true;
    }
    /* Anything else answers no request of ours: dropped. */
}

int xenbus_ring_pump(struct xenbus *xb)
{
    volatile struct xenstore_domain_interface *intf = xb->intf;
    bool took = false;

    for (;;) {
        XENSTORE_RING_IDX cons, prod;
        uint32_t avail, need, n;
        char *dst;

        if (xb->in_got >= HDR_SIZE && xb->in_got == HDR_SIZE + xb->in_hdr.len) {
            deliver(xb);
            xb->in_got = 0;
        }
        if (intf->error != XENSTORE_ERROR_NONE)
            return -XENBUS_EIO;
        cons = intf->rsp_cons;
        prod = intf->rsp_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        avail = prod - cons;
        if (avail > XENSTORE_RING_SIZE)
            return -XENBUS_EIO;
        if (!avail)
            break;
        if (xb->in_got < HDR_SIZE) {
            need = HDR_SIZE - xb->in_got;
            dst = (char *)&xb->in_hdr + xb->in_got;
        } else {
            need = HDR_SIZE + xb->in_hdr.len - xb->in_got;
            dst = xb->in_body + (xb->in_got - HDR_SIZE);
        }
        n = min3(avail, need, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons));
        memcpy(dst, (const char *)intf->rsp + MASK_XENSTORE_IDX(cons), n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        intf->rsp_cons = cons + n;
        took = true;
        xb->in_got += n;
        if (xb->in_got == HDR_SIZE && xb->in_hdr.len > XENSTORE_PAYLOAD_MAX)
            return -XENBUS_EIO;   /* cannot resynchronise */
    }
    if (took)
        xb->ops.notify(xb->ops.arg);   /* xenstored may be waiting for space */
    return 0;
}
