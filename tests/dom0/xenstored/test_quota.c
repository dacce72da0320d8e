/*
 * test_quota.c: Xen's default quotas bind guests, not dom0: nodes per
 * domain (also inside transactions), watches, transactions, node size,
 * permissions per node, path length, outstanding requests; and the
 * "CONTROL quota" commands that show and change them.
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct xs_daemon d;
static struct xs_conn *c0, *g;

static int setup(void)
{
    if (daemon_init(&d) < 0)
        return -1;
    c0 = tc_conn(&d, 0);
    g = tc_conn(&d, 20);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    return 0;
}

static void give_home(void)
{
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/20/data"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/20/data", "n20")->body,
                           "OK");
}

static void test_defaults(void)
{
    CU_ASSERT_EQUAL(d.quota[QUOTA_NODES], 1000);
    CU_ASSERT_EQUAL(d.quota[QUOTA_WATCHES], 128);
    CU_ASSERT_EQUAL(d.quota[QUOTA_TRANSACTIONS], 10);
    CU_ASSERT_EQUAL(d.quota[QUOTA_NODE_SIZE], 2048);
    CU_ASSERT_EQUAL(d.quota[QUOTA_PERMS], 5);
    CU_ASSERT_EQUAL(d.quota[QUOTA_PATH_LEN], 2048);
    CU_ASSERT_EQUAL(d.quota[QUOTA_OUTSTANDING], 20);
}

static void test_nodes(void)
{
    char path[64];
    struct xs_domain *dom;
    int i;

    give_home();
    dom = domain_find(&d, 20);
    CU_ASSERT_FATAL(dom != NULL);
    CU_ASSERT_EQUAL(dom->nodes, 1); /* data/ */
    for (i = 1; i < 1000; i++) {
        snprintf(path, sizeof(path), "data/n%d", i);
        CU_ASSERT_STRING_EQUAL_FATAL(tc_write(&d, g, 0, path, "x"), "OK");
    }
    CU_ASSERT_EQUAL(dom->nodes, 1000);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/one-too-many", "x"), "ENOSPC");
    /* Overwriting is not a new node. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/n5", "y"), "OK");
    /* dom0 is not limited, even when writing into the guest's area. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/20/data/by-dom0", "x"), "OK");
    CU_ASSERT_EQUAL(dom->nodes, 1001); /* inherited owner: the guest */
    /* Freeing nodes gives room back, also counted inside a transaction. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, g, XS_RM, 0, "data/n1"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, g, XS_RM, 0, "data/by-dom0"), "OK");
    {
        const struct tc_reply *r = tc_request(&d, g, XS_TRANSACTION_START, 0, "", 1);
        uint32_t t = (uint32_t)strtoul(r->body, NULL, 10);

        CU_ASSERT_STRING_EQUAL(tc_write(&d, g, t, "data/t1", "x"), "OK");
        CU_ASSERT_STRING_EQUAL(tc_write(&d, g, t, "data/t2", "x"), "ENOSPC");
        CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_TRANSACTION_END, t, 1, "T")->body, "OK");
    }
    CU_ASSERT_EQUAL(dom->nodes, 1000);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/local/domain/20/data"), "OK");
    CU_ASSERT_EQUAL(dom->nodes, 0);
}

static void test_node_size_and_perms(void)
{
    char big[2100];
    const char *many[] = { "/local/domain/20/data/p", "n20", "r1", "r2", "r3", "r4", "r5" };

    give_home();
    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/big", big), "ENOSPC");
    big[2000] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/big", big), "OK");
    big[2000] = 'b';
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/local/domain/20/data/big", big), "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/p", "x"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_SET_PERMS, 0, 7, many[0], many[1], many[2], many[3],
                                  many[4], many[5], many[6])->body,
                           "ENOSPC");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_SET_PERMS, 0, 6, many[0], many[1], many[2], many[3],
                                  many[4], many[5])->body,
                           "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 7, many[0], many[1], many[2], many[3],
                                  many[4], many[5], many[6])->body,
                           "OK");
}

static void test_path_length(void)
{
    char rel[2100];

    memcpy(rel, "data/", 5);
    memset(rel + 5, 'p', sizeof(rel) - 6);
    rel[sizeof(rel) - 1] = '\0';
    rel[2049] = '\0'; /* 2049 bytes below the home: one too many */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, rel, "x"), "EINVAL");
    rel[2048] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, rel, "x"), "OK");
}

static void test_watches_and_transactions(void)
{
    char tok[16];
    int i;

    for (i = 0; i < 128; i++) {
        snprintf(tok, sizeof(tok), "t%d", i);
        CU_ASSERT_STRING_EQUAL_FATAL(tc_req(&d, g, XS_WATCH, 0, 2, "data", tok)->body, "OK");
    }
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_WATCH, 0, 2, "data", "over")->body, "E2BIG");
    tc_drain_events(&d, g);
    for (i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(tc_request(&d, g, XS_TRANSACTION_START, 0, "", 1)->type,
                        XS_TRANSACTION_START);
    CU_ASSERT_STRING_EQUAL(tc_request(&d, g, XS_TRANSACTION_START, 0, "", 1)->body, "ENOSPC");
    /* dom0 has no such limits. */
    for (i = 0; i < 11; i++)
        CU_ASSERT_EQUAL(tc_request(&d, c0, XS_TRANSACTION_START, 0, "", 1)->type,
                        XS_TRANSACTION_START);
    txn_free_all(c0);
    txn_free_all(g);
    watch_free_all(g);
}

static void test_outstanding(void)
{
    /* A guest with 20 unread replies is not read from until it drains. */
    tc_set_stuck(g, true);
    for (int i = 0; i < 20; i++) {
        struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, (uint32_t)i, 0, 3 };

        CU_ASSERT(conn_can_take_input(g));
        conn_handle_message(&d, g, &h, "20");
        conn_flush(g);
    }
    CU_ASSERT_FALSE(conn_can_take_input(g));
    CU_ASSERT(conn_can_take_input(c0));
    tc_set_stuck(g, false);
    conn_flush(g);
    CU_ASSERT(conn_can_take_input(g));
    CU_ASSERT_EQUAL(g->out_replies, 0);
    tc_skip_output(g);
}

static void test_control_quota(void)
{
    const struct tc_reply *r = tc_req(&d, c0, XS_CONTROL, 0, 1, "quota");

    CU_ASSERT_EQUAL(r->type, XS_CONTROL);
    CU_ASSERT(strstr(r->body, "nodes") != NULL);
    CU_ASSERT(strstr(r->body, "1000") != NULL);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_CONTROL, 0, 4, "quota", "set", "nodes", "3")->body,
                           "OK");
    CU_ASSERT_EQUAL(d.quota[QUOTA_NODES], 3);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_CONTROL, 0, 4, "quota", "set", "bogus", "3")->body,
                           "EINVAL");
    r = tc_req(&d, c0, XS_CONTROL, 0, 2, "quota", "20");
    CU_ASSERT(strstr(r->body, "nodes: ") != NULL);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g, XS_CONTROL, 0, 1, "quota")->body, "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_CONTROL, 0, 2, "print", "hello")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_CONTROL, 0, 1, "no-such-command")->body, "EINVAL");
    d.quota[QUOTA_NODES] = 1000;
}

UMBRA_SUITE(xs_quota, "dom0/xenstored/quota", setup, teardown, UMBRA_TEST(test_defaults),
            UMBRA_TEST(test_nodes), UMBRA_TEST(test_node_size_and_perms),
            UMBRA_TEST(test_path_length), UMBRA_TEST(test_watches_and_transactions),
            UMBRA_TEST(test_outstanding), UMBRA_TEST(test_control_quota))
