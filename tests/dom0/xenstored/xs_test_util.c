/*
 * xs_test_util.c: the memory transport and request helpers behind
 * xs_test_util.h. Invariant: parsing starts at `parsed` and only consumes
 * whole messages; events seen while looking for a reply are queued in order.
 */
#include "xs_test_util.h"

#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct memt {
    char *out;
    size_t len, cap, parsed;
    bool stuck;
    struct tc_reply events[64];
    int nevents;
};

static ssize_t mem_read(struct xs_conn *c, void *buf, size_t len)
{
    (void)c;
    (void)buf;
    (void)len;
    return 0;
}

static ssize_t mem_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct memt *m = c->transport;

    if (m->stuck)
        return 0;
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->out = realloc(m->out, m->cap);
        CU_ASSERT_FATAL(m->out != NULL);
    }
    memcpy(m->out + m->len, buf, len);
    m->len += len;
    return (ssize_t)len;
}

static int mem_poll_fd(const struct xs_conn *c)
{
    (void)c;
    return -1;
}

static void mem_destroy(struct xs_conn *c)
{
    struct memt *m = c->transport;

    free(m->out);
    free(m);
}

static const struct xs_transport_ops mem_transport = {
    .name = "mem",
    .read = mem_read,
    .write = mem_write,
    .poll_fd = mem_poll_fd,
    .destroy = mem_destroy,
};

void tc_daemon(struct xs_daemon *d)
{
    CU_ASSERT_FATAL(daemon_init(d) == 0);
}

struct xs_conn *tc_conn(struct xs_daemon *d, uint32_t domid)
{
    struct memt *m = calloc(1, sizeof(*m));
    struct xs_conn *c;

    /* Usable from suite set-up, outside any test: no CUnit assertions here. */
    if (!m)
        abort();
    c = conn_new(d, &mem_transport, m, -1, domid);
    if (!c)
        abort();
    if (domid)
        c->domain = domain_get(d, domid);
    return c;
}

/* Parse the next whole message from the stream into r; 0 if none. */
static int next_msg(struct memt *m, struct tc_reply *r)
{
    struct xsd_sockmsg h;

    if (m->len - m->parsed < sizeof(h))
        return 0;
    memcpy(&h, m->out + m->parsed, sizeof(h));
    CU_ASSERT_FATAL(h.len <= XENSTORE_PAYLOAD_MAX);
    if (m->len - m->parsed < sizeof(h) + h.len)
        return 0;
    r->type = h.type;
    r->len = h.len;
    r->req_id = h.req_id;
    r->tx_id = h.tx_id;
    memcpy(r->body, m->out + m->parsed + sizeof(h), h.len);
    r->body[h.len] = '\0';
    m->parsed += sizeof(h) + h.len;
    return 1;
}

static void pump(struct xs_daemon *d)
{
    for (struct xs_conn *c = d->conns; c; c = c->next)
        conn_flush(c);
}

const struct tc_reply *tc_request(struct xs_daemon *d, struct xs_conn *c, uint32_t type,
                                  uint32_t tx, const void *payload, uint32_t len)
{
    static struct tc_reply r;
    struct xsd_sockmsg h = { type, 0x1234, tx, len };
    struct memt *m = c->transport;

    conn_handle_message(d, c, &h, payload);
    pump(d);
    for (;;) {
        int got = next_msg(m, &r);

        CU_ASSERT_FATAL(got == 1);
        if (r.type != XS_WATCH_EVENT)
            break;
        if (m->nevents < 64)
            m->events[m->nevents++] = r;
    }
    CU_ASSERT(r.req_id == 0x1234);
    CU_ASSERT(r.tx_id == tx);
    return &r;
}

const struct tc_reply *tc_req(struct xs_daemon *d, struct xs_conn *c, uint32_t type, uint32_t tx,
                              int nargs, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX * 2];
    uint32_t len = 0;
    va_list ap;

    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++) {
        const char *s = va_arg(ap, const char *);
        size_t l = strlen(s) + 1;

        CU_ASSERT_FATAL(len + l <= sizeof(buf));
        memcpy(buf + len, s, l);
        len += (uint32_t)l;
    }
    va_end(ap);
    return tc_request(d, c, type, tx, buf, len);
}

const char *tc_read(struct xs_daemon *d, struct xs_conn *c, uint32_t tx, const char *path)
{
    return tc_req(d, c, XS_READ, tx, 1, path)->body;
}

const char *tc_write(struct xs_daemon *d, struct xs_conn *c, uint32_t tx, const char *path,
                     const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX * 2];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    return tc_request(d, c, XS_WRITE, tx, buf, (uint32_t)(pl + vl))->body;
}

const char *tc_simple(struct xs_daemon *d, struct xs_conn *c, uint32_t type, uint32_t tx,
                      const char *arg)
{
    return tc_req(d, c, type, tx, 1, arg)->body;
}

int tc_event(struct xs_daemon *d, struct xs_conn *c, char *path, char *token)
{
    struct memt *m = c->transport;
    struct tc_reply r;

    pump(d);
    while (next_msg(m, &r)) {
        CU_ASSERT(r.type == XS_WATCH_EVENT);
        if (m->nevents < 64)
            m->events[m->nevents++] = r;
    }
    if (!m->nevents)
        return 0;
    r = m->events[0];
    memmove(m->events, m->events + 1, sizeof(m->events[0]) * (size_t)(m->nevents - 1));
    m->nevents--;
    CU_ASSERT(r.len >= 2 && r.body[r.len - 1] == '\0');
    strcpy(path, r.body);
    strcpy(token, r.body + strlen(r.body) + 1);
    return 1;
}

int tc_drain_events(struct xs_daemon *d, struct xs_conn *c)
{
    char p[XENSTORE_PAYLOAD_MAX], t[XENSTORE_PAYLOAD_MAX];
    int n = 0;

    while (tc_event(d, c, p, t))
        n++;
    return n;
}

size_t tc_stream_bytes(struct xs_conn *c)
{
    return ((struct memt *)c->transport)->len;
}

void tc_set_stuck(struct xs_conn *c, bool stuck)
{
    ((struct memt *)c->transport)->stuck = stuck;
}

void tc_skip_output(struct xs_conn *c)
{
    struct memt *m = c->transport;

    m->parsed = m->len;
    m->nevents = 0;
}
