/*
 * test_txn.c: transactions: isolation until commit, commit applies,
 * conflicting changes make commit fail with EAGAIN, abort discards, watches
 * fire at commit only, and the id rules (unknown ENOENT, nested EBUSY).
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <stdlib.h>
#include <string.h>

static struct xs_daemon d;
static struct xs_conn *c0, *c1;

static int setup(void)
{
    if (daemon_init(&d) < 0)
        return -1;
    c0 = tc_conn(&d, 0);
    c1 = tc_conn(&d, 0);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    return 0;
}

static uint32_t start(struct xs_conn *c)
{
    const struct tc_reply *r = tc_request(&d, c, XS_TRANSACTION_START, 0, "", 1);

    CU_ASSERT_EQUAL_FATAL(r->type, XS_TRANSACTION_START);
    CU_ASSERT(r->body[r->len - 1] == '\0');
    return (uint32_t)strtoul(r->body, NULL, 10);
}

static const char *end(struct xs_conn *c, uint32_t t, const char *commit)
{
    return tc_req(&d, c, XS_TRANSACTION_END, t, 1, commit)->body;
}

static void test_isolation_and_commit(void)
{
    uint32_t t = start(c0);

    CU_ASSERT(t != 0);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t, "/x1/a", "in-txn"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x1/a"), "in-txn");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x1/a"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c1, 0, "/x1"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c1, 0, "/x1/a"), "in-txn");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
    /* The id is gone after the end. */
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x1/a"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "ENOENT");
}

static void test_abort(void)
{
    uint32_t t = start(c0);

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t, "/x1/a", "changed"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, t, "/x1"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x1/a"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "F"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x1/a"), "in-txn");
}

static void test_conflict(void)
{
    uint32_t t = start(c0);

    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x1/a"), "in-txn");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t, "/x1/b", "mine"), "OK");
    /* Someone else changes what we read. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c1, 0, "/x1/a", "theirs"), "OK");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x1/b"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x1/a"), "theirs");
    /* An unrelated change does not conflict. */
    t = start(c0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x1/a"), "theirs");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c1, 0, "/elsewhere", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "OK");
    /* Creating the same new node in two transactions: the second loses. */
    {
        uint32_t t1 = start(c0), t2 = start(c1);

        CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t1, "/x2/n", "1"), "OK");
        CU_ASSERT_STRING_EQUAL(tc_write(&d, c1, t2, "/x2/n", "2"), "OK");
        CU_ASSERT_STRING_EQUAL(end(c0, t1, "T"), "OK");
        CU_ASSERT_STRING_EQUAL(end(c1, t2, "T"), "EAGAIN");
        CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x2/n"), "1");
    }
    /* A listed directory gaining a child conflicts. */
    t = start(c0);
    CU_ASSERT_EQUAL(tc_req(&d, c0, XS_DIRECTORY, t, 1, "/x2")->type, XS_DIRECTORY);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c1, 0, "/x2/other", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "EAGAIN");
    /* Reading a node that then appears conflicts too. */
    t = start(c0);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x2/late"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c1, 0, "/x2/late", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "EAGAIN");
}

static void test_watch_fires_on_commit(void)
{
    struct xs_conn *w = tc_conn(&d, 0);
    char p[256], tok[256];
    uint32_t t;

    CU_ASSERT_STRING_EQUAL(tc_req(&d, w, XS_WATCH, 0, 2, "/x3", "w")->body, "OK");
    CU_ASSERT_EQUAL(tc_drain_events(&d, w), 1);
    t = start(c0);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t, "/x3/a", "1"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, w, p, tok), 0);
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, w, p, tok), 1);
    CU_ASSERT_STRING_EQUAL(p, "/x3/a");
    /* Aborted and failed transactions fire nothing. */
    t = start(c0);
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, t, "/x3/b", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "F"), "OK");
    CU_ASSERT_EQUAL(tc_event(&d, w, p, tok), 0);
    conn_destroy(&d, w);
}

static void test_id_rules(void)
{
    uint32_t t = start(c0);

    CU_ASSERT_STRING_EQUAL(tc_request(&d, c0, XS_TRANSACTION_START, t, "", 1)->body, "EBUSY");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "X"), "EINVAL");
    /* Another connection cannot use our id. */
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c1, t, "/x1/a"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "F"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 12345, "/x1/a"), "ENOENT");
}

static void test_rm_and_mkdir_in_txn(void)
{
    uint32_t t;

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/x4/a/b/c", "1"), "OK");
    t = start(c0);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, t, "/x4/a"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, t, "/x4/a/new"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, t, "/x4/a/b/c"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x4/a/b/c"), "1");
    CU_ASSERT_STRING_EQUAL(end(c0, t, "T"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x4/a/b/c"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x4/a/new"), "");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

static void test_closing_drops_transactions(void)
{
    struct xs_conn *c = tc_conn(&d, 0);
    uint32_t t = start(c);

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c, t, "/x5", "1"), "OK");
    conn_destroy(&d, c);
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/x5"), "ENOENT");
}

UMBRA_SUITE(xs_txn, "dom0/xenstored/transaction", setup, teardown,
            UMBRA_TEST(test_isolation_and_commit), UMBRA_TEST(test_abort),
            UMBRA_TEST(test_conflict), UMBRA_TEST(test_watch_fires_on_commit),
            UMBRA_TEST(test_id_rules), UMBRA_TEST(test_rm_and_mkdir_in_txn),
            UMBRA_TEST(test_closing_drops_transactions))
