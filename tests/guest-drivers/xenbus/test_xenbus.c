/*
 * test_xenbus.c: suite guest-drivers/xenbus: the guest's xenstore client
 * (guest-drivers/xenbus, compiled for the host) talking to the real
 * xenstored (libxenstored) through a ring page. The page is ordinary memory
 * both sides share, as the foreign mapping makes it under the hypervisor;
 * an eventfd carries the guest's notifications, and the client's `wait` hook
 * runs one round of the daemon's poll loop, so every request really crosses
 * the ring. Covers read/write/mkdir/rm/directory with relative paths,
 * errors by name, permissions, watches and their callbacks, transactions and
 * their conflicts, messages larger than the ring, and a broken ring.
 */
#include "umbra_test.h"
#include "../../dom0/xenstored/xs_test_util.h"
#include "../../../dom0/xenstored/guest_channel.h"
#include "../../../guest-drivers/xenbus/xenbus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define DOMID 5
#define RING_GFN 0x80ffd

static struct xs_daemon d;
static struct xs_conn *c0;
static struct xenstore_domain_interface *page;
static int efd = -1;
static int dom0_notifies, guest_notifies;
static struct xenbus xb;

static void *ch_map(void *opaque, uint32_t domid, uint64_t gfn)
{
    (void)opaque;
    if (domid != DOMID || gfn != RING_GFN) {
        errno = EINVAL;
        return NULL;
    }
    return page;
}

static void ch_unmap(void *opaque, void *p)
{
    (void)opaque;
    (void)p;
}

static int ch_bind(void *opaque, uint32_t domid, uint32_t port, uint32_t *local)
{
    (void)opaque;
    (void)domid;
    *local = port;
    return efd;
}

static void ch_ack(void *opaque, int fd)
{
    uint64_t v;

    (void)opaque;
    if (read(fd, &v, sizeof(v)) < 0) {
        /* nothing pending */
    }
}

static void ch_unbind(void *opaque, int fd, uint32_t local)
{
    (void)opaque;
    (void)fd;
    (void)local;
}

static void ch_notify(void *opaque, uint32_t local)
{
    (void)opaque;
    (void)local;
    dom0_notifies++;
}

static const struct xs_guest_channel channel = {
    .map_ring = ch_map, .unmap_ring = ch_unmap, .bind_evtchn = ch_bind, .ack = ch_ack,
    .unbind_evtchn = ch_unbind, .notify = ch_notify,
};

/* The guest's hooks: notify = signal the eventfd; wait = one daemon round. */
static void g_notify(void *arg)
{
    uint64_t one = 1;

    (void)arg;
    guest_notifies++;
    CU_ASSERT(write(efd, &one, sizeof(one)) == sizeof(one));
}

static void g_wait(void *arg)
{
    (void)arg;
    CU_ASSERT_EQUAL(daemon_poll_once(&d, -1, 0), 0);
}

static const struct xenbus_ops ops = { NULL, g_notify, g_wait };

static int setup(void)
{
    page = calloc(1, 4096);
    efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!page || efd < 0 || daemon_init(&d) < 0)
        return -1;
    d.channel = &channel;
    xenbus_init(&xb, page, &ops);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    close(efd);
    free(page);
    return 0;
}

/* The toolstack's part: introduce domain 5 and write its layout (n0,r5 home; data/ and
 * control/shutdown owned by the guest). The ring connection starts here. */
static void test_introduce(void)
{
    c0 = tc_conn(&d, 0);
    CU_ASSERT_STRING_EQUAL_FATAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "5", "528381", "3")->body,
                                 "OK");
    CU_ASSERT_PTR_NOT_NULL_FATAL(domain_find(&d, DOMID)->conn);
    CU_ASSERT_EQUAL(page->connection, XENSTORE_CONNECTED);
    tc_write(&d, c0, 0, "/local/domain/5/name", "guest5");
    tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/5", "n0", "r5");
    tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/5/name", "n0", "r5");
    tc_write(&d, c0, 0, "/local/domain/5/data", "");
    tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/5/data", "n5");
    tc_write(&d, c0, 0, "/local/domain/5/control/shutdown", "");
    tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/5/control/shutdown", "n5");
}

static void test_errno_numbers(void)
{
    static const struct { const char *name; int num; } want[] = {
        { "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST }, { "EISDIR", EISDIR },
        { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC }, { "EIO", EIO },
        { "ENOTEMPTY", ENOTEMPTY }, { "ENOSYS", ENOSYS }, { "EROFS", EROFS },
        { "EBUSY", EBUSY }, { "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
        { "EPERM", EPERM },
    };

    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        CU_ASSERT_EQUAL(xenbus_errno(want[i].name), want[i].num);
    CU_ASSERT_EQUAL(xenbus_errno("EWHATEVER"), EIO);
}

static void test_read_write_relative(void)
{
    char buf[64];

    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "name", buf, sizeof(buf)), 6);
    CU_ASSERT_STRING_EQUAL(buf, "guest5");
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "/local/domain/5/name", buf, sizeof(buf)),
                    6);
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "data/greeting", "hello"), 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/greeting"), "hello");
    /* The guest owns what it creates. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_GET_PERMS, 0, "/local/domain/5/data/greeting"),
                           "n5");
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "name", buf, 4), -E2BIG);
    CU_ASSERT(guest_notifies > 0 && dom0_notifies > 0);
}

static void test_errors_and_permissions(void)
{
    char buf[64];

    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "data/missing", buf, sizeof(buf)), -ENOENT);
    /* Read-only for us: the toolstack's nodes. */
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "name", "evil"), -EACCES);
    /* Another domain's home, and dom0's. */
    tc_write(&d, c0, 0, "/local/domain/6/name", "other");
    tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/6", "n0", "r6");
    tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/6/name", "n0", "r6");
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "/local/domain/6/name", buf, sizeof(buf)),
                    -EACCES);
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "/local/domain/0/name", buf, sizeof(buf)),
                    -EACCES);
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "bad//path", "x"), -EINVAL);
}

static void test_mkdir_directory_rm(void)
{
    char buf[256];
    int n;

    CU_ASSERT_EQUAL(xenbus_mkdir(&xb, XENBUS_TX_NONE, "data/dir"), 0);
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "data/dir/a", "1"), 0);
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "data/dir/b", "2"), 0);
    n = xenbus_directory(&xb, XENBUS_TX_NONE, "data/dir", buf, sizeof(buf));
    CU_ASSERT_EQUAL(n, 2);
    if (n == 2) {
        CU_ASSERT_STRING_EQUAL(buf, "a");
        CU_ASSERT_STRING_EQUAL(buf + 2, "b");
    }
    CU_ASSERT_EQUAL(xenbus_directory(&xb, XENBUS_TX_NONE, "data/dir", buf, 3), -E2BIG);
    CU_ASSERT_EQUAL(xenbus_rm(&xb, XENBUS_TX_NONE, "data/dir"), 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/dir"), "ENOENT");
}

static void test_larger_than_ring(void)
{
    static char big[1901], back[2000], huge[3001];

    memset(big, 'x', sizeof(big) - 1);
    for (size_t i = 0; i < sizeof(big) - 1; i += 97)
        big[i] = (char)('a' + i % 26);
    /* 1900 bytes: the request and the reply each exceed the 1024-byte ring. */
    for (int round = 0; round < 3; round++) {
        CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "data/big", big), 0);
        CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "data/big", back, sizeof(back)), 1900);
        CU_ASSERT_EQUAL(memcmp(big, back, sizeof(big)), 0);
    }
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/big"), big);
    /* Beyond Xen's node-size quota (2048) for a guest: ENOSPC, by name over the ring. */
    memset(huge, 'y', sizeof(huge) - 1);
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "data/huge", huge), -ENOSPC);
    CU_ASSERT_EQUAL(xenbus_rm(&xb, XENBUS_TX_NONE, "data/big"), 0);
}

struct seen {
    int calls;
    char last[128];
};

static void on_change(struct xenbus *bus, const char *path, void *arg)
{
    struct seen *s = arg;
    char buf[64];

    /* Callbacks may make requests. */
    CU_ASSERT(xenbus_read(bus, XENBUS_TX_NONE, "name", buf, sizeof(buf)) == 6);
    s->calls++;
    snprintf(s->last, sizeof(s->last), "%s", path);
}

static void test_watch_callbacks(void)
{
    struct seen s = { 0, "" };
    int id = xenbus_watch(&xb, "control/shutdown", on_change, &s);

    CU_ASSERT_FATAL(id >= 0);
    /* Fires once at registration, delivered only by dispatch. */
    CU_ASSERT_EQUAL(s.calls, 0);
    for (int i = 0; i < 10 && !xenbus_events_pending(&xb); i++)
        daemon_poll_once(&d, -1, 0);
    CU_ASSERT_EQUAL(xenbus_dispatch(&xb), 1);
    CU_ASSERT_EQUAL(s.calls, 1);
    CU_ASSERT_STRING_EQUAL(s.last, "control/shutdown");
    /* The toolstack asks; the guest's callback sees it. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/5/control/shutdown", "poweroff"),
                           "OK");
    daemon_poll_once(&d, -1, 0);
    CU_ASSERT_EQUAL(xenbus_dispatch(&xb), 1);
    CU_ASSERT_EQUAL(s.calls, 2);
    /* Our own write fires our watch too (as in Xen). */
    CU_ASSERT_EQUAL(xenbus_write(&xb, XENBUS_TX_NONE, "control/shutdown", ""), 0);
    daemon_poll_once(&d, -1, 0);
    CU_ASSERT_EQUAL(xenbus_dispatch(&xb), 1);
    CU_ASSERT_EQUAL(s.calls, 3);
    /* After unwatch, nothing more. */
    CU_ASSERT_EQUAL(xenbus_unwatch(&xb, id), 0);
    tc_write(&d, c0, 0, "/local/domain/5/control/shutdown", "reboot");
    daemon_poll_once(&d, -1, 0);
    CU_ASSERT_EQUAL(xenbus_dispatch(&xb), 0);
    CU_ASSERT_EQUAL(s.calls, 3);
    CU_ASSERT_EQUAL(xenbus_unwatch(&xb, id), -EINVAL);
    CU_ASSERT_EQUAL(xb.events_dropped, 0);
}

static void test_watch_slots_run_out(void)
{
    struct seen s = { 0, "" };
    int ids[XENBUS_MAX_WATCHES];

    for (int i = 0; i < XENBUS_MAX_WATCHES; i++) {
        ids[i] = xenbus_watch(&xb, "data", on_change, &s);
        CU_ASSERT(ids[i] >= 0);
    }
    CU_ASSERT_EQUAL(xenbus_watch(&xb, "data", on_change, &s), -ENOSPC);
    for (int i = 0; i < XENBUS_MAX_WATCHES; i++)
        CU_ASSERT_EQUAL(xenbus_unwatch(&xb, ids[i]), 0);
    xenbus_dispatch(&xb);
    CU_ASSERT_EQUAL(s.calls, 0);   /* queued initial events of removed watches are dropped */
}

static void test_transactions(void)
{
    uint32_t tx;
    char buf[64];

    CU_ASSERT_EQUAL_FATAL(xenbus_transaction_start(&xb, &tx), 0);
    CU_ASSERT(tx != 0);
    CU_ASSERT_EQUAL(xenbus_write(&xb, tx, "data/t", "in-tx"), 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/t"), "ENOENT");
    CU_ASSERT_EQUAL(xenbus_read(&xb, tx, "data/t", buf, sizeof(buf)), 5);
    CU_ASSERT_EQUAL(xenbus_transaction_end(&xb, tx, true), 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/t"), "in-tx");
    /* Aborted: nothing happens. */
    CU_ASSERT_EQUAL_FATAL(xenbus_transaction_start(&xb, &tx), 0);
    CU_ASSERT_EQUAL(xenbus_write(&xb, tx, "data/t", "aborted"), 0);
    CU_ASSERT_EQUAL(xenbus_transaction_end(&xb, tx, false), 0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/t"), "in-tx");
    /* A conflicting change from dom0 makes the commit fail with EAGAIN. */
    CU_ASSERT_EQUAL_FATAL(xenbus_transaction_start(&xb, &tx), 0);
    CU_ASSERT_EQUAL(xenbus_read(&xb, tx, "data/t", buf, sizeof(buf)), 5);
    tc_write(&d, c0, 0, "/local/domain/5/data/t", "dom0");
    CU_ASSERT_EQUAL(xenbus_write(&xb, tx, "data/t", "guest"), 0);
    CU_ASSERT_EQUAL(xenbus_transaction_end(&xb, tx, true), -EAGAIN);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/5/data/t"), "dom0");
    /* An unknown transaction. */
    CU_ASSERT_EQUAL(xenbus_read(&xb, 999, "data/t", buf, sizeof(buf)), -ENOENT);
}

static void test_busy_and_broken_ring(void)
{
    char buf[16];

    xb.busy = true;   /* as if an interrupt came in the middle of a request */
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "name", buf, sizeof(buf)), -EBUSY);
    xb.busy = false;
    /* A producer index too far ahead: xenstored flags the ring and drops the guest. */
    page->req_prod += 5000;
    {
        uint64_t one = 1;

        CU_ASSERT(write(efd, &one, sizeof(one)) == sizeof(one));
    }
    daemon_poll_once(&d, -1, 0);
    CU_ASSERT_EQUAL(page->error, XENSTORE_ERROR_RINGIDX);
    CU_ASSERT_EQUAL(xenbus_read(&xb, XENBUS_TX_NONE, "name", buf, sizeof(buf)), -EIO);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

UMBRA_SUITE(xenbus, "guest-drivers/xenbus", setup, teardown,
            UMBRA_TEST(test_introduce), UMBRA_TEST(test_errno_numbers),
            UMBRA_TEST(test_read_write_relative),
            UMBRA_TEST(test_errors_and_permissions), UMBRA_TEST(test_mkdir_directory_rm),
            UMBRA_TEST(test_larger_than_ring), UMBRA_TEST(test_watch_callbacks),
            UMBRA_TEST(test_watch_slots_run_out), UMBRA_TEST(test_transactions),
            UMBRA_TEST(test_busy_and_broken_ring))
