/*
 * test_domain.c: INTRODUCE/RELEASE/RESUME/IS_DOMAIN_INTRODUCED/
 * GET_DOMAIN_PATH, and the guest ring transport served from an in-process
 * page through the guest_channel hook (an eventfd stands in for the event
 * channel): requests split across the ring's wrap, replies, watch events,
 * notifications, a bad ring index, and release tearing the connection down.
 */
#include "umbra_test.h"
#include "xs_test_util.h"
#include "../../../dom0/xenstored/guest_channel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static struct xs_daemon d;
static struct xs_conn *c0;

static int setup(void)
{
    if (daemon_init(&d) < 0)
        return -1;
    c0 = tc_conn(&d, 0);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    return 0;
}

static void test_domain_requests(void)
{
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_GET_DOMAIN_PATH, 0, "7"), "/local/domain/7");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_GET_DOMAIN_PATH, 0, "x"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "0"), "T");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "F");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 2, "7", "100")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "0", "100", "1")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "7", "100", "5")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "T");
    {
        struct xs_domain *dom = domain_find(&d, 7);

        CU_ASSERT_FATAL(dom != NULL);
        CU_ASSERT_EQUAL(dom->gfn, 100);
        CU_ASSERT_EQUAL(dom->evtchn, 5);
        CU_ASSERT_PTR_NULL(dom->conn); /* no guest channel configured */
    }
    /* Same ring again is accepted, a different one is not. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "7", "100", "5")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "7", "200", "5")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RESUME, 0, "7"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RESUME, 0, "8"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "7"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "7"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "F");
}

static void test_release_removes_nodes(void)
{
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "8", "1", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/8/name", "guest"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/vm/8/owned", "x"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/vm/8/owned", "b8")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "8"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/8/name"), "ENOENT");
    /* Nodes elsewhere stay but no longer belong to a dead domain. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_GET_PERMS, 0, "/vm/8/owned"), "b0");
    /* Unless the daemon was told to keep them. */
    d.keep_released_nodes = true;
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "8", "1", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/8/name", "guest"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "8"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/8/name"), "guest");
    d.keep_released_nodes = false;
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

static void test_guest_cannot_manage_domains(void)
{
    struct xs_conn *g = tc_conn(&d, 30);

    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_INTRODUCE, 0, 3, "31", "1", "1")->body, "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, g, XS_RELEASE, 0, "31"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, g, XS_RESUME, 0, "31"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, g, XS_GET_DOMAIN_PATH, 0, "31"), "/local/domain/31");
    conn_destroy(&d, g);
}

/* ---- the ring, with an in-process page ---- */

struct fake_channel {
    struct xenstore_domain_interface *page;
    int guest_to_dom0; /* eventfd the daemon polls */
    int notified;      /* notifications the daemon sent */
    int mapped, bound;
};

static void *fc_map(void *opaque, uint32_t domid, uint64_t gfn)
{
    struct fake_channel *fc = opaque;

    (void)domid;
    if (gfn != 0x1234) {
        errno = EFAULT; /* no wire name: reported as EINVAL */
        return NULL;
    }
    fc->mapped++;
    return fc->page;
}

static void fc_unmap(void *opaque, void *page)
{
    struct fake_channel *fc = opaque;

    CU_ASSERT(page == fc->page);
    fc->mapped--;
}

static int fc_bind(void *opaque, uint32_t domid, uint32_t port, uint32_t *local)
{
    struct fake_channel *fc = opaque;

    (void)domid;
    *local = port + 100;
    fc->bound++;
    return fc->guest_to_dom0;
}

static void fc_ack(void *opaque, int fd)
{
    uint64_t v;

    (void)opaque;
    if (read(fd, &v, sizeof(v)) < 0) {
        /* nothing pending */
    }
}

static void fc_unbind(void *opaque, int fd, uint32_t local)
{
    struct fake_channel *fc = opaque;

    (void)fd;
    CU_ASSERT_EQUAL(local, 105);
    fc->bound--;
}

static void fc_notify(void *opaque, uint32_t local)
{
    struct fake_channel *fc = opaque;

    CU_ASSERT_EQUAL(local, 105);
    fc->notified++;
}

/* Guest side: put bytes into req[], honouring free-running indexes. */
static void guest_send(struct xenstore_domain_interface *p, const void *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        CU_ASSERT_FATAL(p->req_prod - p->req_cons < XENSTORE_RING_SIZE);
        p->req[MASK_XENSTORE_IDX(p->req_prod)] = ((const char *)buf)[i];
        p->req_prod++;
    }
}

static void guest_request(struct fake_channel *fc, uint32_t type, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, 77, 0, len };
    uint64_t one = 1;

    guest_send(fc->page, &h, sizeof(h));
    guest_send(fc->page, payload, len);
    CU_ASSERT(write(fc->guest_to_dom0, &one, sizeof(one)) == sizeof(one));
}

/* Guest side: take one whole message from rsp[]; 0 if none. */
static int guest_recv(struct xenstore_domain_interface *p, struct xsd_sockmsg *h, char *body)
{
    uint32_t avail = p->rsp_prod - p->rsp_cons;

    if (avail < sizeof(*h))
        return 0;
    for (size_t i = 0; i < sizeof(*h); i++)
        ((char *)h)[i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + i)];
    if (avail < sizeof(*h) + h->len)
        return 0;
    for (uint32_t i = 0; i < h->len; i++)
        body[i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + sizeof(*h) + i)];
    body[h->len] = '\0';
    p->rsp_cons += (uint32_t)sizeof(*h) + h->len;
    return 1;
}

static void test_ring_transport(void)
{
    struct fake_channel fc = { 0 };
    struct xs_guest_channel ch = {
        .opaque = &fc, .map_ring = fc_map, .unmap_ring = fc_unmap, .bind_evtchn = fc_bind,
        .ack = fc_ack, .unbind_evtchn = fc_unbind, .notify = fc_notify,
    };
    struct xsd_sockmsg h;
    char body[XENSTORE_PAYLOAD_MAX + 1];
    struct xs_domain *dom;

    fc.page = aligned_alloc(4096, 4096);
    CU_ASSERT_FATAL(fc.page != NULL);
    memset(fc.page, 0, 4096);
    /* Start the indexes near the u32 wrap and mid-ring: they run free. */
    fc.page->req_cons = fc.page->req_prod = 0xfffffff0u;
    fc.page->rsp_cons = fc.page->rsp_prod = 0xffffff00u;
    fc.guest_to_dom0 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    CU_ASSERT_FATAL(fc.guest_to_dom0 >= 0);
    d.channel = &ch;

    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "5", "99", "5")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "5", "4660", "5")->body, "OK");
    dom = domain_find(&d, 5);
    CU_ASSERT_FATAL(dom && dom->conn);
    CU_ASSERT_EQUAL(fc.mapped, 1);
    CU_ASSERT_EQUAL(fc.bound, 1);
    CU_ASSERT_EQUAL(fc.page->server_features & XENSTORE_SERVER_FEATURE_ERROR,
                    XENSTORE_SERVER_FEATURE_ERROR);
    CU_ASSERT_EQUAL(fc.page->connection, XENSTORE_CONNECTED);

    /* The toolstack prepares the guest's home. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/5"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "r5")->body,
                           "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/5/name", "guest5"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/5/data"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/5/data", "b5")->body,
                           "OK");

    /* The guest reads its name (relative path) over the ring. */
    guest_request(&fc, XS_READ, "name", 5);
    CU_ASSERT_EQUAL(daemon_poll_once(&d, -1, 100), 0);
    CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
    CU_ASSERT_EQUAL(h.type, XS_READ);
    CU_ASSERT_EQUAL(h.req_id, 77);
    CU_ASSERT_STRING_EQUAL(body, "guest5");
    CU_ASSERT(fc.notified > 0);
    CU_ASSERT_EQUAL(fc.page->req_cons, fc.page->req_prod);

    /* A write bigger than the ring: sent in pieces as the daemon consumes. */
    {
        static char msg[1500]; /* more than the ring, less than the node-size quota */
        struct xsd_sockmsg wh = { XS_WRITE, 78, 0, sizeof(msg) };
        size_t sent = 0, total = sizeof(wh) + sizeof(msg);
        char all[sizeof(wh) + sizeof(msg)];
        uint64_t one = 1;

        memcpy(msg, "data/big", 9);
        memset(msg + 9, 'z', sizeof(msg) - 9);
        memcpy(all, &wh, sizeof(wh));
        memcpy(all + sizeof(wh), msg, sizeof(msg));
        while (sent < total) {
            size_t room = XENSTORE_RING_SIZE - (fc.page->req_prod - fc.page->req_cons);
            size_t n = total - sent < room ? total - sent : room;

            guest_send(fc.page, all + sent, n);
            sent += n;
            CU_ASSERT(write(fc.guest_to_dom0, &one, sizeof(one)) == sizeof(one));
            CU_ASSERT_EQUAL(daemon_poll_once(&d, -1, 100), 0);
        }
        CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
        CU_ASSERT_EQUAL(h.req_id, 78);
        CU_ASSERT_STRING_EQUAL(body, "OK");
        CU_ASSERT_EQUAL(tc_req(&d, c0, XS_READ, 0, 1, "/local/domain/5/data/big")->len,
                        sizeof(msg) - 9);
    }

    /* Perms apply to the guest: dom0's nodes are closed to it. */
    guest_request(&fc, XS_READ, "/local/domain/0/name", 21);
    daemon_poll_once(&d, -1, 100);
    CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
    CU_ASSERT_EQUAL(h.type, XS_ERROR);
    CU_ASSERT_STRING_EQUAL(body, "EACCES");

    /* A watch: OK, the initial event, then an event when dom0 writes. */
    guest_request(&fc, XS_WATCH, "data\0tok", 9);
    daemon_poll_once(&d, -1, 100);
    CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
    CU_ASSERT_STRING_EQUAL(body, "OK");
    CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
    CU_ASSERT_EQUAL(h.type, XS_WATCH_EVENT);
    CU_ASSERT_STRING_EQUAL(body, "data");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/5/data/x", "1"), "OK");
    daemon_poll_once(&d, -1, 0);
    CU_ASSERT_FATAL(guest_recv(fc.page, &h, body) == 1);
    CU_ASSERT_EQUAL(h.type, XS_WATCH_EVENT);
    CU_ASSERT_STRING_EQUAL(body, "data/x");
    CU_ASSERT_STRING_EQUAL(body + 7, "tok");

    /* Release: the connection, its watch and the mapping go away. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "5"), "OK");
    CU_ASSERT_EQUAL(fc.mapped, 0);
    CU_ASSERT_EQUAL(fc.bound, 0);

    /* A guest that corrupts its indexes loses its connection, nobody else's. */
    memset(fc.page, 0, 4096);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "5", "4660", "5")->body, "OK");
    fc.page->req_prod = 5000; /* 5000 bytes "available" in a 1024-byte ring */
    {
        uint64_t one = 1;

        CU_ASSERT(write(fc.guest_to_dom0, &one, sizeof(one)) == sizeof(one));
    }
    daemon_poll_once(&d, -1, 100);
    CU_ASSERT_EQUAL(fc.page->error, XENSTORE_ERROR_RINGIDX);
    CU_ASSERT_PTR_NULL(domain_find(&d, 5)->conn);
    CU_ASSERT_EQUAL(fc.mapped, 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/0/name"), "Domain-0");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "5"), "OK");

    d.channel = NULL;
    close(fc.guest_to_dom0);
    free(fc.page);
}

/* ---- domain exceptions (VIRQ_DOM_EXC), as Xen's domain_cleanup ---- */

static int exc_state[64];

static int exc_domain_state(void *opaque, uint32_t domid)
{
    (void)opaque;
    return domid < 64 ? exc_state[domid] : XS_DOMAIN_GONE;
}

static void test_domain_exceptions(void)
{
    struct xs_guest_channel ch = { .domain_state = exc_domain_state };
    struct xs_conn *w = tc_conn(&d, 0);
    char path[64], token[64];

    /* Introduced without a channel (records only), then the channel reports states. */
    d.channel = NULL;
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "40", "1", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "41", "1", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/41/name", "dies"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 2, "@releaseDomain", "r")->body, "OK");
    CU_ASSERT_EQUAL(tc_drain_events(&d, w), 1);   /* the registration event */
    d.channel = &ch;
    /* Nothing happened: no event. */
    exc_state[40] = exc_state[41] = XS_DOMAIN_RUNNING;
    domain_check_exceptions(&d);
    CU_ASSERT_EQUAL(tc_event(&d, w, path, token), 0);
    /* 40 shut down: @releaseDomain fires once, and not again for the same shutdown. */
    exc_state[40] = XS_DOMAIN_SHUTDOWN;
    domain_check_exceptions(&d);
    CU_ASSERT_EQUAL(tc_event(&d, w, path, token), 1);
    CU_ASSERT_STRING_EQUAL(path, "@releaseDomain");
    domain_check_exceptions(&d);
    CU_ASSERT_EQUAL(tc_event(&d, w, path, token), 0);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "40"), "T");
    /* 41 died unreleased: xenstored releases it (nodes gone, event fired). */
    exc_state[41] = XS_DOMAIN_GONE;
    domain_check_exceptions(&d);
    CU_ASSERT_EQUAL(tc_event(&d, w, path, token), 1);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_IS_DOMAIN_INTRODUCED, 0, "41"), "F");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/41/name"), "ENOENT");
    /* The toolstack's own RELEASE afterwards finds nothing to release. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "41"), "ENOENT");
    d.channel = NULL;
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RELEASE, 0, "40"), "OK");
    tc_drain_events(&d, w);
    conn_destroy(&d, w);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

UMBRA_SUITE(xs_domain, "dom0/xenstored/domain", setup, teardown,
            UMBRA_TEST(test_domain_requests), UMBRA_TEST(test_release_removes_nodes),
            UMBRA_TEST(test_guest_cannot_manage_domains), UMBRA_TEST(test_ring_transport),
            UMBRA_TEST(test_domain_exceptions))
