/*
 * test_wire.c: the wire format: our xs_wire.h against Xen's numbers,
 * argument splitting, and what the connection layer does with truncated,
 * oversized, unknown and malformed messages (error or close, never a hang).
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <stdlib.h>
#include <string.h>

extern const unsigned xen_ref_types[];
extern const unsigned xen_ref_limits[];
extern const size_t xen_ref_offsets[];
extern const int xen_ref_nerrors;
int xen_ref_error(int i, const char **name);

static void test_numbers_match_xen(void)
{
    const unsigned ours[] = {
        XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH,
        XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE,
        XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_WATCH_EVENT,
        XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_RESUME, XS_SET_TARGET, XS_RESET_WATCHES,
        XS_DIRECTORY_PART, XS_TYPE_COUNT, XS_INVALID,
    };
    const size_t offs[] = {
        offsetof(struct xenstore_domain_interface, req),
        offsetof(struct xenstore_domain_interface, rsp),
        offsetof(struct xenstore_domain_interface, req_cons),
        offsetof(struct xenstore_domain_interface, req_prod),
        offsetof(struct xenstore_domain_interface, rsp_cons),
        offsetof(struct xenstore_domain_interface, rsp_prod),
        offsetof(struct xenstore_domain_interface, server_features),
        offsetof(struct xenstore_domain_interface, connection),
        offsetof(struct xenstore_domain_interface, error),
        sizeof(struct xenstore_domain_interface),
    };

    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        CU_ASSERT_EQUAL(ours[i], xen_ref_types[i]);
    CU_ASSERT_EQUAL(XENSTORE_PAYLOAD_MAX, xen_ref_limits[0]);
    CU_ASSERT_EQUAL(XENSTORE_ABS_PATH_MAX, xen_ref_limits[1]);
    CU_ASSERT_EQUAL(XENSTORE_REL_PATH_MAX, xen_ref_limits[2]);
    CU_ASSERT_EQUAL(XENSTORE_RING_SIZE, xen_ref_limits[3]);
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
        CU_ASSERT_EQUAL(offs[i], xen_ref_offsets[i]);
    CU_ASSERT_EQUAL(offsetof(struct xenstore_domain_interface, error), 2072);
    CU_ASSERT_EQUAL(sizeof(struct xsd_sockmsg), 16);
    CU_ASSERT_EQUAL((int)(sizeof(xsd_errors) / sizeof(xsd_errors[0])), xen_ref_nerrors);
    for (int i = 0; i < xen_ref_nerrors; i++) {
        const char *name;
        int e = xen_ref_error(i, &name);

        CU_ASSERT_EQUAL(xsd_errors[i].errnum, e);
        CU_ASSERT_STRING_EQUAL(xsd_errors[i].errstring, name);
        CU_ASSERT_STRING_EQUAL(wire_error_name(e), name);
    }
}

static void test_split(void)
{
    const char *vec[4];

    CU_ASSERT_EQUAL(wire_split("a\0bc\0", 5, vec, 4), 2);
    CU_ASSERT_STRING_EQUAL(vec[1], "bc");
    CU_ASSERT_EQUAL(wire_split("a\0bc", 4, vec, 4), -EINVAL); /* no final NUL */
    CU_ASSERT_EQUAL(wire_split("", 0, vec, 4), -EINVAL);
    CU_ASSERT_EQUAL(wire_split("a\0b\0c\0", 6, vec, 2), -EINVAL);
    CU_ASSERT_EQUAL(wire_split("\0", 1, vec, 1), 1);
    CU_ASSERT_STRING_EQUAL(vec[0], "");
}

static void test_parse_uint(void)
{
    uint64_t v;

    CU_ASSERT_EQUAL(wire_parse_uint("65535", 65536, &v), 0);
    CU_ASSERT_EQUAL(v, 65535);
    CU_ASSERT_EQUAL(wire_parse_uint("65536", 65536, &v), -EINVAL);
    CU_ASSERT_EQUAL(wire_parse_uint("", 10, &v), -EINVAL);
    CU_ASSERT_EQUAL(wire_parse_uint("1x", 10, &v), -EINVAL);
    CU_ASSERT_EQUAL(wire_parse_uint("99999999999999999999999", UINT64_MAX, &v), -EINVAL);
}

/* A transport fed from a byte string, in pieces of `step` bytes per read. */
struct feed {
    const char *data;
    size_t len, pos, step;
    bool eof;
    char out[65536];
    size_t outlen;
};

static ssize_t feed_read(struct xs_conn *c, void *buf, size_t len)
{
    struct feed *f = c->transport;
    size_t n = f->len - f->pos;

    if (n == 0)
        return f->eof ? -1 : 0;
    if (n > f->step)
        n = f->step;
    if (n > len)
        n = len;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (ssize_t)n;
}

static ssize_t feed_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct feed *f = c->transport;

    if (len > sizeof(f->out) - f->outlen)
        len = sizeof(f->out) - f->outlen;
    memcpy(f->out + f->outlen, buf, len);
    f->outlen += len;
    return (ssize_t)len;
}

static int feed_fd(const struct xs_conn *c)
{
    (void)c;
    return -1;
}

static void feed_destroy(struct xs_conn *c)
{
    free(c->transport);
}

static const struct xs_transport_ops feed_ops = {
    .name = "feed", .read = feed_read, .write = feed_write, .poll_fd = feed_fd,
    .destroy = feed_destroy,
};

static size_t put_msg(char *buf, uint32_t type, uint32_t req, const void *p, uint32_t len)
{
    struct xsd_sockmsg h = { type, req, 0, len };

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    return sizeof(h) + len;
}

/* Reply number `idx` in f->out: its type and body. */
static uint32_t reply_at(struct feed *f, int idx, const char **body)
{
    size_t off = 0;
    struct xsd_sockmsg h;

    for (;;) {
        CU_ASSERT_FATAL(off + sizeof(h) <= f->outlen);
        memcpy(&h, f->out + off, sizeof(h));
        if (idx-- == 0)
            break;
        off += sizeof(h) + h.len;
    }
    *body = f->out + off + sizeof(h);
    return h.type;
}

static void test_stream_in_pieces(void)
{
    struct xs_daemon d;
    struct feed *f = calloc(1, sizeof(*f));
    char stream[256];
    size_t len = 0;
    const char *body;
    struct xs_conn *c;

    CU_ASSERT_FATAL(daemon_init(&d) == 0);
    len += put_msg(stream + len, XS_READ, 1, "/local/domain/0/name", 21);
    len += put_msg(stream + len, XS_READ, 2, "/nope", 6);
    len += put_msg(stream + len, 99, 3, "x", 1);               /* unknown type */
    len += put_msg(stream + len, XS_WATCH_EVENT, 4, "x", 1);   /* not a request */
    len += put_msg(stream + len, XS_READ, 5, "/local", 6);     /* no NUL */
    len += put_msg(stream + len, XS_READ, 6, "/a\0/b", 6);     /* two args */
    len += put_msg(stream + len, XS_TRANSACTION_END, 7, "T", 2);
    f->data = stream;
    f->len = len;
    f->step = 3; /* every message arrives split across reads */
    c = conn_new(&d, &feed_ops, f, -1, 0);
    while (f->pos < f->len)
        conn_service_input(&d, c, 1000);
    conn_flush(c);
    CU_ASSERT_FALSE(c->broken);
    CU_ASSERT_EQUAL(reply_at(f, 0, &body), XS_READ);
    CU_ASSERT(memcmp(body, "Domain-0", 8) == 0);
    CU_ASSERT_EQUAL(reply_at(f, 1, &body), XS_ERROR);
    CU_ASSERT_STRING_EQUAL(body, "ENOENT");
    for (int i = 2; i < 6; i++) {
        CU_ASSERT_EQUAL(reply_at(f, i, &body), XS_ERROR);
        CU_ASSERT_STRING_EQUAL(body, "EINVAL");
    }
    CU_ASSERT_EQUAL(reply_at(f, 6, &body), XS_ERROR);
    CU_ASSERT_STRING_EQUAL(body, "ENOENT"); /* no such transaction */
    conn_destroy(&d, c);
    daemon_destroy(&d);
}

static void test_truncated_then_eof(void)
{
    struct xs_daemon d;
    struct feed *f = calloc(1, sizeof(*f));
    char stream[64];
    size_t len = put_msg(stream, XS_READ, 1, "/local", 7);
    struct xs_conn *c;

    CU_ASSERT_FATAL(daemon_init(&d) == 0);
    f->data = stream;
    f->len = len - 3; /* the payload never completes */
    f->step = 100;
    c = conn_new(&d, &feed_ops, f, -1, 0);
    CU_ASSERT_FALSE(conn_service_input(&d, c, 100));
    CU_ASSERT_FALSE(c->broken); /* waits for the rest */
    CU_ASSERT_EQUAL(f->outlen, 0);
    f->eof = true;
    conn_service_input(&d, c, 100);
    CU_ASSERT(c->broken); /* the peer went away mid-message: close it */
    conn_destroy(&d, c);
    daemon_destroy(&d);
}

static void test_oversized_closes_only_that_conn(void)
{
    struct xs_daemon d;
    struct feed *bad = calloc(1, sizeof(*bad)), *good = calloc(1, sizeof(*good));
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    char stream[64];
    const char *body;
    struct xs_conn *cb, *cg;

    CU_ASSERT_FATAL(daemon_init(&d) == 0);
    bad->data = (const char *)&h;
    bad->len = sizeof(h);
    bad->step = 100;
    good->len = put_msg(stream, XS_READ, 1, "/local/domain/0/domid", 22);
    good->data = stream;
    good->step = 100;
    cb = conn_new(&d, &feed_ops, bad, -1, 0);
    cg = conn_new(&d, &feed_ops, good, -1, 0);
    conn_service_input(&d, cb, 100);
    conn_service_input(&d, cg, 100);
    conn_flush(cg);
    CU_ASSERT(cb->broken);
    CU_ASSERT_FALSE(cg->broken);
    CU_ASSERT_EQUAL(reply_at(good, 0, &body), XS_READ);
    CU_ASSERT_EQUAL(body[0], '0');
    conn_destroy(&d, cb);
    conn_destroy(&d, cg);
    daemon_destroy(&d);
}

static void test_max_payload_accepted(void)
{
    struct xs_daemon d;
    struct xs_conn *c;
    static char payload[XENSTORE_PAYLOAD_MAX];
    const struct tc_reply *r;

    tc_daemon(&d);
    c = tc_conn(&d, 0);
    memcpy(payload, "/big", 5);
    memset(payload + 5, 'v', sizeof(payload) - 5);
    r = tc_request(&d, c, XS_WRITE, 0, payload, sizeof(payload));
    CU_ASSERT_STRING_EQUAL(r->body, "OK");
    r = tc_req(&d, c, XS_READ, 0, 1, "/big");
    CU_ASSERT_EQUAL(r->len, XENSTORE_PAYLOAD_MAX - 5);
    daemon_destroy(&d);
}

UMBRA_SUITE(xs_wire, "dom0/xenstored/wire", NULL, NULL, UMBRA_TEST(test_numbers_match_xen),
            UMBRA_TEST(test_split), UMBRA_TEST(test_parse_uint),
            UMBRA_TEST(test_stream_in_pieces), UMBRA_TEST(test_truncated_then_eof),
            UMBRA_TEST(test_oversized_closes_only_that_conn),
            UMBRA_TEST(test_max_payload_accepted))
