/*
 * conn.c: one connection, whatever its transport.
 *
 * Input: bytes from the transport accumulate in `in` and are cut into
 * messages (header + payload). A header announcing more than
 * XENSTORE_PAYLOAD_MAX bytes cannot be resynchronised, so it costs the
 * connection (and only it); anything else malformed gets an error reply.
 * Output: replies and events wait in a queue that the transport drains.
 * Fairness and bounds: the main loop handles at most a budget of messages per
 * connection per round; a connection whose queue holds CONN_OUT_BOUND bytes
 * (or, for guests, `outstanding` replies) is not read until it drains, and
 * events beyond the bound are dropped and counted. So no client can make the
 * daemon block or grow without limit.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

/*
 * Appended at the tail, so connections are flushed in the order they got
 * work (watch events go out in firing order, as the old full walk did). O(1).
 */
void conn_mark_active(struct xs_conn *c)
{
    struct xs_daemon *d = c->daemon;

    if (c->act)
        return;
    if (!d->active_tail)
        d->active_tail = &d->active;
    c->act = true;
    c->act_next = NULL;
    c->act_pprev = d->active_tail;
    *d->active_tail = c;
    d->active_tail = &c->act_next;
}

void conn_unmark_active(struct xs_conn *c)
{
    struct xs_daemon *d = c->daemon;

    if (!c->act)
        return;
    *c->act_pprev = c->act_next;
    if (c->act_next)
        c->act_next->act_pprev = c->act_pprev;
    else
        d->active_tail = c->act_pprev;
    c->act = false;
    c->act_next = NULL;
    c->act_pprev = NULL;
}

struct xs_conn *conn_new(struct xs_daemon *d, const struct xs_transport_ops *ops,
                         void *transport, int fd, uint32_t domid)
{
    struct xs_conn *c = calloc(1, sizeof(*c));
    struct xs_conn **tail;

    if (!c)
        return NULL;
    c->in = malloc(CONN_IN_BUF);
    if (!c->in) {
        free(c);
        return NULL;
    }
    c->id = ++d->next_conn_id;
    c->daemon = d;
    c->ops = ops;
    c->transport = transport;
    c->fd = fd;
    c->domid = domid;
    c->ep_fd = -1;
    /* Append in O(1): d->conns_tail is the link after the last connection. */
    tail = d->conns_tail ? d->conns_tail : &d->conns;
    c->pprev = tail;
    *tail = c;
    d->conns_tail = &c->next;
    conn_mark_active(c);
    return c;
}

/* O(1) in the number of connections: the list is doubly linked. */
void conn_destroy(struct xs_daemon *d, struct xs_conn *c)
{
    if (c->pprev) {
        *c->pprev = c->next;
        if (c->next)
            c->next->pprev = c->pprev;
        else
            d->conns_tail = c->pprev;
    }
    conn_unmark_active(c);
    txn_free_all(c);
    watch_free_all(c);
    while (c->out_head) {
        struct out_msg *m = c->out_head;

        c->out_head = m->next;
        free(m);
    }
    if (c->domain && c->domain->conn == c)
        c->domain->conn = NULL;
    if (c->ep_fd >= 0 && d->epfd >= 0)
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->ep_fd, NULL);
    if (c->ops && c->ops->destroy)
        c->ops->destroy(c);
    free(c->in);
    free(c);
}

int conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
               const void *payload, uint32_t len, bool is_reply)
{
    struct xsd_sockmsg h = { type, req_id, tx_id, len };
    uint32_t size = sizeof(h) + len;
    struct out_msg *m;

    conn_mark_active(c);
    if (!is_reply && c->out_bytes + size > CONN_OUT_BOUND) {
        c->events_dropped++;
        trace_text(c->daemon, "conn %u: queue full, event dropped", c->id);
        return -ENOSPC;
    }
    m = malloc(sizeof(*m) + size);
    if (!m) {
        c->broken = true; /* a lost reply would desynchronise the client */
        return -ENOMEM;
    }
    m->next = NULL;
    m->len = size;
    m->is_reply = is_reply;
    memcpy(m->data, &h, sizeof(h));
    if (len)
        memcpy(m->data + sizeof(h), payload, len);
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_bytes += size;
    if (is_reply)
        c->out_replies++;
    trace_msg(c->daemon, c, "OUT", &h, m->data + sizeof(h));
    return 0;
}

bool conn_flush(struct xs_conn *c)
{
    while (c->out_head && !c->broken) {
        struct out_msg *m = c->out_head;
        ssize_t n = c->ops->write(c, m->data + c->out_sent, m->len - c->out_sent);

        if (n < 0) {
            c->broken = true;
            break;
        }
        if (n == 0)
            break;
        c->out_sent += (size_t)n;
        if (c->out_sent < m->len)
            continue;
        c->out_head = m->next;
        if (!c->out_head)
            c->out_tail = NULL;
        c->out_bytes -= m->len;
        if (m->is_reply)
            c->out_replies--;
        c->out_sent = 0;
        free(m);
    }
    if (c->ops->flush && !c->broken)
        c->ops->flush(c);
    return c->out_head != NULL;
}

bool conn_can_take_input(const struct xs_conn *c)
{
    if (c->broken || c->out_bytes >= CONN_OUT_BOUND)
        return false;
    return !quota_applies(c) || c->out_replies < c->daemon->quota[QUOTA_OUTSTANDING];
}

void conn_handle_message(struct xs_daemon *d, struct xs_conn *c, const struct xsd_sockmsg *h,
                         const char *payload)
{
    trace_msg(d, c, "IN ", h, payload);
    request_dispatch(d, c, h, payload);
}

/* True if a whole message sits in the input buffer. */
bool conn_has_message(const struct xs_conn *c)
{
    struct xsd_sockmsg h;
    size_t avail = c->in_len - c->in_off;

    if (avail < sizeof(h))
        return false;
    memcpy(&h, c->in + c->in_off, sizeof(h));
    return h.len > XENSTORE_PAYLOAD_MAX || avail >= sizeof(h) + h.len;
}

bool conn_service_input(struct xs_daemon *d, struct xs_conn *c, unsigned budget)
{
    unsigned handled = 0;
    bool drained = false; /* a short read emptied the transport: do not ask again */

    for (;;) {
        while (handled < budget && conn_can_take_input(c) && conn_has_message(c)) {
            struct xsd_sockmsg h;

            memcpy(&h, c->in + c->in_off, sizeof(h));
            if (wire_check_header(&h) < 0) {
                trace_text(d, "conn %u: message of %u bytes exceeds the limit, closing",
                           c->id, h.len);
                c->broken = true;
                return false;
            }
            conn_handle_message(d, c, &h, c->in + c->in_off + sizeof(h));
            c->in_off += sizeof(h) + h.len;
            handled++;
        }
        if (c->broken || handled >= budget || !conn_can_take_input(c) || drained)
            break;
        if (c->in_off) {
            memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
            c->in_len -= c->in_off;
            c->in_off = 0;
        }
        size_t space = CONN_IN_BUF - c->in_len;
        ssize_t n = c->ops->read(c, c->in + c->in_len, space);

        if (n < 0) {
            c->broken = true;
            break;
        }
        if (n == 0)
            break;
        c->in_len += (size_t)n;
        drained = (size_t)n < space;
    }
    return !c->broken && conn_can_take_input(c) && conn_has_message(c);
}
