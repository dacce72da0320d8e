/*
 * test_watch.c: watches fire once at registration, on their node and its
 * children, exactly for removed descendants, with relative paths for
 * relative watches, only to readers, and for the special names; duplicate
 * and unknown watches are refused; a stuck watcher only loses its own events.
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <string.h>

static struct xs_daemon d;
static struct xs_conn *c0, *w;

static int setup(void)
{
    if (daemon_init(&d) < 0)
        return -1;
    c0 = tc_conn(&d, 0);
    w = tc_conn(&d, 0);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    return 0;
}

static char ep[XENSTORE_PAYLOAD_MAX], et[XENSTORE_PAYLOAD_MAX];

static void expect_event(struct xs_conn *c, const char *path, const char *token)
{
    CU_ASSERT_FATAL(tc_event(&d, c, ep, et) == 1);
    CU_ASSERT_STRING_EQUAL(ep, path);
    CU_ASSERT_STRING_EQUAL(et, token);
}

static void test_fires_at_registration(void)
{
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 2, "/w1", "tok")->body, "OK");
    expect_event(w, "/w1", "tok");
    CU_ASSERT_EQUAL(tc_event(&d, w, ep, et), 0);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 2, "/w1", "tok")->body, "EEXIST");
    /* Same path, other token: a second watch. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 2, "/w1", "tok2")->body, "OK");
    expect_event(w, "/w1", "tok2");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_UNWATCH, 0, 2, "/w1", "tok2")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_UNWATCH, 0, 2, "/w1", "tok2")->body, "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 1, "/w1")->body, "EINVAL");
}

static void test_node_and_children(void)
{
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w1", "x"), "OK");
    expect_event(w, "/w1", "tok");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w1/a/b", "x"), "OK");
    expect_event(w, "/w1/a/b", "tok");
    CU_ASSERT_EQUAL(tc_event(&d, w, ep, et), 0);
    /* Siblings and prefixes that are not parents do not fire. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w10", "x"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w2/w1", "x"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, w, ep, et), 0);
    /* SET_PERMS and MKDIR of a new node fire too; MKDIR of an existing one does not. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/w1/a", "n0")->body, "OK");
    expect_event(w, "/w1/a", "tok");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/w1/m"), "OK");
    expect_event(w, "/w1/m", "tok");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/w1/m"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, w, ep, et), 0);
}

static void test_rm_fires_descendants(void)
{
    struct xs_conn *w2 = tc_conn(&d, 0);

    CU_ASSERT_STRING_EQUAL(tc_req(&d, w2, XS_WATCH, 0, 2, "/w1/a/b", "deep")->body, "OK");
    expect_event(w2, "/w1/a/b", "deep");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/w1/a"), "OK");
    expect_event(w, "/w1/a", "tok");
    expect_event(w2, "/w1/a/b", "deep");
    CU_ASSERT_EQUAL(tc_event(&d, w2, ep, et), 0);
    tc_drain_events(&d, w);
    conn_destroy(&d, w2);
}

static void test_relative_watch(void)
{
    struct xs_conn *g = tc_conn(&d, 9);

    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/9/control"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/9/control", "b9")->body,
                           "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_WATCH, 0, 2, "control/shutdown", "sd")->body, "OK");
    expect_event(g, "control/shutdown", "sd");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/9/control/shutdown", "poweroff"),
                           "OK");
    expect_event(g, "control/shutdown", "sd");
    conn_destroy(&d, g);
}

static void test_needs_read_access(void)
{
    struct xs_conn *g = tc_conn(&d, 11);

    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_WATCH, 0, 2, "/w3", "g")->body, "OK");
    expect_event(g, "/w3", "g");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w3/private", "1"), "OK"); /* n0 */
    CU_ASSERT_EQUAL(tc_event(&d, g, ep, et), 0);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/w3/private", "n0", "r11")->body,
                           "OK");
    expect_event(g, "/w3/private", "g");
    conn_destroy(&d, g);
}

static void test_special_watches(void)
{
    struct xs_conn *s = tc_conn(&d, 0);

    CU_ASSERT_STRING_EQUAL(tc_req(&d, s, XS_WATCH, 0, 2, "@introduceDomain", "i")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, s, XS_WATCH, 0, 2, "@releaseDomain", "r")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, s, XS_WATCH, 0, 2, "@releaseDomain/12", "r12")->body, "OK");
    CU_ASSERT_EQUAL(tc_drain_events(&d, s), 3);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "12", "4660", "3")->body, "OK");
    expect_event(s, "@introduceDomain", "i");
    CU_ASSERT_EQUAL(tc_event(&d, s, ep, et), 0);
    /* Ordinary writes do not reach special watches. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/x", "1"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, s, ep, et), 0);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_RELEASE, 0, 1, "12")->body, "OK");
    expect_event(s, "@releaseDomain", "r");
    expect_event(s, "@releaseDomain/12", "r12");
    CU_ASSERT_EQUAL(tc_event(&d, s, ep, et), 0);
    /* Guests see special events only if the special perms let them. */
    {
        struct xs_conn *g = tc_conn(&d, 13);

        CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_WATCH, 0, 2, "@releaseDomain", "g")->body, "OK");
        CU_ASSERT_EQUAL(tc_drain_events(&d, g), 1);
        CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "12", "4660", "3")->body, "OK");
        CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_RELEASE, 0, 1, "12")->body, "OK");
        CU_ASSERT_EQUAL(tc_event(&d, g, ep, et), 0);
        CU_ASSERT_STRING_EQUAL(
            tc_req(&d, c0, XS_SET_PERMS, 0, 3, "@releaseDomain", "n0", "r13")->body, "OK");
        CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "12", "4660", "3")->body, "OK");
        CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_RELEASE, 0, 1, "12")->body, "OK");
        expect_event(g, "@releaseDomain", "g");
        conn_destroy(&d, g);
    }
    tc_drain_events(&d, s);
    conn_destroy(&d, s);
}

static void test_reset_watches(void)
{
    struct xs_conn *r = tc_conn(&d, 0);

    CU_ASSERT_STRING_EQUAL(tc_req(&d, r, XS_WATCH, 0, 2, "/w5", "a")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, r, XS_WATCH, 0, 2, "/w6", "b")->body, "OK");
    CU_ASSERT_EQUAL(r->nwatches, 2);
    CU_ASSERT_STRING_EQUAL(tc_request(&d, r, XS_RESET_WATCHES, 0, "", 1)->body, "OK");
    CU_ASSERT_EQUAL(r->nwatches, 0);
    tc_drain_events(&d, r);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/w5", "1"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, r, ep, et), 0);
    conn_destroy(&d, r);
}

static void test_slow_watcher_bounded(void)
{
    struct xs_conn *slow = tc_conn(&d, 0);
    char val[1024];
    size_t before;

    memset(val, 'v', sizeof(val) - 1);
    val[sizeof(val) - 1] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_req(&d, slow, XS_WATCH, 0, 2, "/flood", "f")->body, "OK");
    tc_drain_events(&d, slow);
    tc_set_stuck(slow, true);
    /* Thousands of events: the writer keeps getting replies, the queue stays bounded. */
    for (int i = 0; i < 20000; i++)
        CU_ASSERT_STRING_EQUAL_FATAL(tc_write(&d, c0, 0, "/flood", val), "OK");
    CU_ASSERT(slow->out_bytes <= CONN_OUT_BOUND);
    CU_ASSERT(slow->events_dropped > 0);
    before = slow->events_dropped;
    tc_set_stuck(slow, false);
    CU_ASSERT(tc_drain_events(&d, slow) > 0);
    CU_ASSERT_EQUAL(slow->out_bytes, 0);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/flood", "again"), "OK");
    CU_ASSERT_EQUAL(tc_drain_events(&d, slow), 1);
    CU_ASSERT_EQUAL(slow->events_dropped, before);
    conn_destroy(&d, slow);
}

UMBRA_SUITE(xs_watch, "dom0/xenstored/watch", setup, teardown,
            UMBRA_TEST(test_fires_at_registration), UMBRA_TEST(test_node_and_children),
            UMBRA_TEST(test_rm_fires_descendants), UMBRA_TEST(test_relative_watch),
            UMBRA_TEST(test_needs_read_access), UMBRA_TEST(test_special_watches),
            UMBRA_TEST(test_reset_watches), UMBRA_TEST(test_slow_watcher_bounded))
