/*
 * xenbus.c: xenstore requests, watches and transactions over the ring
 * (xenbus.h has the model). Each request is one message written whole to
 * req[]; its reply is the next message with the same req_id, found by
 * pumping rsp[] between waits.
 * Invariants: `busy` brackets every request; watch callbacks run only from
 * xenbus_dispatch and never nest; a watch's token is "xb<slot>", so an event
 * finds its watch without a search by path.
 */
#include "xenbus_priv.h"

#define MAX_PARTS 3

void xenbus_init(struct xenbus *xb, void *ring_page, const struct xenbus_ops *ops)
{
    memset(xb, 0, sizeof(*xb));
    xb->intf = ring_page;
    xb->ops = *ops;
    xb->next_req_id = 1;
}

/*
 * Send one request made of `n` parts (each with its own length, NULs
 * included where the wire wants them) and wait for its reply, which is left
 * in xb->reply / xb->reply_hdr. 0, or -errno (an XS_ERROR reply's name).
 */
static int request(struct xenbus *xb, uint32_t type, uint32_t tx, int n,
                   const char *const parts[], const uint32_t lens[])
{
    struct xsd_sockmsg hdr = { type, 0, tx, 0 };
    int rc;

    if (xb->busy)
        return -XENBUS_EBUSY;
    for (int i = 0; i < n; i++)
        hdr.len += lens[i];
    if (hdr.len > XENSTORE_PAYLOAD_MAX)
        return -XENBUS_E2BIG;
    xb->busy = true;
    xb->reply_ready = false;
    hdr.req_id = xb->wait_req_id = xb->next_req_id++;
    rc = xenbus_ring_write(xb, &hdr, sizeof(hdr));
    for (int i = 0; i < n && rc == 0; i++)
        rc = xenbus_ring_write(xb, parts[i], lens[i]);
    if (rc < 0)
        goto out;
    xb->ops.notify(xb->ops.arg);
    for (;;) {
        rc = xenbus_ring_pump(xb);
        if (rc < 0 || xb->reply_ready)
            break;
        xb->ops.wait(xb->ops.arg);
    }
    if (rc < 0)
        goto out;
    if (xb->reply_hdr.type == XS_ERROR)
        rc = -xenbus_errno(xb->reply);
    else if (xb->reply_hdr.type != type)
        rc = -XENBUS_EIO;
out:
    xb->busy = false;
    return rc;
}

/* A request whose payload is one NUL-terminated string. */
static int request_str(struct xenbus *xb, uint32_t type, uint32_t tx, const char *s)
{
    const char *parts[1] = { s };
    uint32_t lens[1] = { (uint32_t)strlen(s) + 1 };

    return request(xb, type, tx, 1, parts, lens);
}

int xenbus_read(struct xenbus *xb, uint32_t tx, const char *path, char *buf, size_t size)
{
    int rc = request_str(xb, XS_READ, tx, path);
    uint32_t len = xb->reply_hdr.len;

    if (rc < 0)
        return rc;
    if (size == 0 || len > size - 1)
        return -XENBUS_E2BIG;
    memcpy(buf, xb->reply, len);
    buf[len] = '\0';
    return (int)len;
}

int xenbus_write(struct xenbus *xb, uint32_t tx, const char *path, const char *value)
{
    const char *parts[2] = { path, value };
    uint32_t lens[2] = { (uint32_t)strlen(path) + 1, (uint32_t)strlen(value) };

    return request(xb, XS_WRITE, tx, 2, parts, lens);
}

int xenbus_mkdir(struct xenbus *xb, uint32_t tx, const char *path)
{
    return request_str(xb, XS_MKDIR, tx, path);
}

int xenbus_rm(struct xenbus *xb, uint32_t tx, const char *path)
{
    return request_str(xb, XS_RM, tx, path);
}

int xenbus_directory(struct xenbus *xb, uint32_t tx, const char *path, char *buf, size_t size)
{
    int rc = request_str(xb, XS_DIRECTORY, tx, path);
    uint32_t len = xb->reply_hdr.len;
    int count = 0;

    if (rc < 0)
        return rc;
    if (len > size)
        return -XENBUS_E2BIG;
    memcpy(buf, xb->reply, len);
    for (uint32_t i = 0; i < len; i++)
        count += buf[i] == '\0';
    return count;
}

/* "xb<slot>" into tok (at least 8 bytes). */
static void make_token(char *tok, int slot)
{
    tok[0] = 'x';
    tok[1] = 'b';
    if (slot >= 10) {
        tok[2] = (char)('0' + slot / 10);
        tok[3] = (char)('0' + slot % 10);
        tok[4] = '\0';
    } else {
        tok[2] = (char)('0' + slot);
        tok[3] = '\0';
    }
}

/* The slot a token names, or -1. */
static int token_slot(const char *tok)
{
    int slot = 0;

    if (tok[0] != 'x' || tok[1] != 'b' || !tok[2])
        return -1;
    for (const char *p = tok + 2; *p; p++) {
        if (*p < '0' || *p > '9' || slot > XENBUS_MAX_WATCHES)
            return -1;
        slot = slot * 10 + (*p - '0');
    }
    return slot < XENBUS_MAX_WATCHES ? slot : -1;
}

static int watch_request(struct xenbus *xb, uint32_t type, int slot)
{
    char tok[8];
    const char *parts[2] = { xb->watches[slot].path, tok };
    uint32_t lens[2];

    make_token(tok, slot);
    lens[0] = (uint32_t)strlen(xb->watches[slot].path) + 1;
    lens[1] = (uint32_t)strlen(tok) + 1;
    return request(xb, type, XENBUS_TX_NONE, 2, parts, lens);
}

int xenbus_watch(struct xenbus *xb, const char *path, xenbus_watch_fn fn, void *arg)
{
    size_t len = strlen(path);
    int slot, rc;

    if (len >= XENBUS_WATCH_PATH_MAX)
        return -XENBUS_EINVAL;
    for (slot = 0; slot < XENBUS_MAX_WATCHES && xb->watches[slot].used; slot++)
        ;
    if (slot == XENBUS_MAX_WATCHES)
        return -XENBUS_ENOSPC;
    memcpy(xb->watches[slot].path, path, len + 1);
    xb->watches[slot].fn = fn;
    xb->watches[slot].arg = arg;
    xb->watches[slot].used = true;
    rc = watch_request(xb, XS_WATCH, slot);
    if (rc < 0) {
        xb->watches[slot].used = false;
        return rc;
    }
    return slot;
}

/* Drop queued events whose token names `slot`. */
static void drop_events(struct xenbus *xb, int slot)
{
    unsigned kept = 0;

    for (unsigned i = 0; i < xb->ev_count; i++) {
        struct xenbus_event *ev = &xb->events[(xb->ev_head + i) % XENBUS_EVENT_QUEUE];
        const char *tok = ev->body + strlen(ev->body) + 1;

        if (tok < ev->body + ev->len && token_slot(tok) == slot)
            continue;
        if (kept != i)
            xb->events[(xb->ev_head + kept) % XENBUS_EVENT_QUEUE] = *ev;
        kept++;
    }
    xb->ev_count = kept;
}

int xenbus_unwatch(struct xenbus *xb, int id)
{
    int rc;

    if (id < 0 || id >= XENBUS_MAX_WATCHES || !xb->watches[id].used)
        return -XENBUS_EINVAL;
    rc = watch_request(xb, XS_UNWATCH, id);
    xb->watches[id].used = false;
    drop_events(xb, id);
    return rc;
}

int xenbus_transaction_start(struct xenbus *xb, uint32_t *tx)
{
    uint32_t id = 0;
    int rc = request_str(xb, XS_TRANSACTION_START, XENBUS_TX_NONE, "");

    if (rc < 0)
        return rc;
    for (const char *p = xb->reply; *p; p++) {
        if (*p < '0' || *p > '9')
            return -XENBUS_EIO;
        id = id * 10 + (uint32_t)(*p - '0');
    }
    *tx = id;
    return 0;
}

int xenbus_transaction_end(struct xenbus *xb, uint32_t tx, bool commit)
{
    return request_str(xb, XS_TRANSACTION_END, tx, commit ? "T" : "F");
}

bool xenbus_events_pending(struct xenbus *xb)
{
    if (!xb->busy)
        xenbus_ring_pump(xb);
    return xb->ev_count > 0;
}

int xenbus_dispatch(struct xenbus *xb)
{
    int ran = 0;

    if (xb->busy || xb->dispatching)
        return 0;
    xb->dispatching = true;
    xenbus_ring_pump(xb);
    while (xb->ev_count) {
        const char *path, *tok;
        int slot;

        xb->cur = xb->events[xb->ev_head];
        xb->ev_head = (xb->ev_head + 1) % XENBUS_EVENT_QUEUE;
        xb->ev_count--;
        path = xb->cur.body;
        tok = path + strlen(path) + 1;
        if (tok >= xb->cur.body + xb->cur.len)
            continue;   /* malformed: no token */
        slot = token_slot(tok);
        if (slot < 0 || !xb->watches[slot].used)
            continue;   /* a watch removed since */
        xb->events_delivered++;
        xb->watches[slot].fn(xb, path, xb->watches[slot].arg);
        ran++;
        xenbus_ring_pump(xb);
    }
    xb->dispatching = false;
    return ran;
}
