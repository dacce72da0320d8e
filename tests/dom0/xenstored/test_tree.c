/*
 * test_tree.c: the node store through the wire requests: the initial tree,
 * implicit parents, values with any bytes, directory listings (including
 * DIRECTORY_PART beyond one payload), recursive removal and path rules.
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <stdio.h>
#include <string.h>

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

static void test_initial_tree(void)
{
    const struct tc_reply *r;

    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/0/name"), "Domain-0");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/0/domid"), "0");
    r = tc_req(&d, c0, XS_DIRECTORY, 0, 1, "/");
    CU_ASSERT_EQUAL(r->type, XS_DIRECTORY);
    CU_ASSERT_EQUAL(r->len, sizeof("local\0tool"));
    CU_ASSERT(memcmp(r->body, "local\0tool\0", r->len) == 0);
    r = tc_req(&d, c0, XS_GET_PERMS, 0, 1, "/tool");
    CU_ASSERT_EQUAL(r->len, 3);
    CU_ASSERT_STRING_EQUAL(r->body, "n0");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

static void test_write_creates_parents(void)
{
    const struct tc_reply *r;

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t1/a/b/c", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t1/a/b/c"), "v");
    r = tc_req(&d, c0, XS_READ, 0, 1, "/t1/a");
    CU_ASSERT_EQUAL(r->type, XS_READ);
    CU_ASSERT_EQUAL(r->len, 0);
    r = tc_req(&d, c0, XS_DIRECTORY, 0, 1, "/t1/a/b");
    CU_ASSERT_EQUAL(r->len, 2);
    CU_ASSERT_STRING_EQUAL(r->body, "c");
    /* Overwrite keeps the node, changes the value. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t1/a/b/c", "w2"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t1/a/b/c"), "w2");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

static void test_binary_value(void)
{
    static const char msg[] = "/t2/bin\0a\0b\xff";
    const struct tc_reply *r = tc_request(&d, c0, XS_WRITE, 0, msg, sizeof(msg) - 1);

    CU_ASSERT_STRING_EQUAL(r->body, "OK");
    r = tc_req(&d, c0, XS_READ, 0, 1, "/t2/bin");
    CU_ASSERT_EQUAL(r->len, 4);
    CU_ASSERT(memcmp(r->body, "a\0b\xff", 4) == 0);
    /* An empty value is a value too. */
    r = tc_request(&d, c0, XS_WRITE, 0, "/t2/empty", 10);
    CU_ASSERT_STRING_EQUAL(r->body, "OK");
    r = tc_req(&d, c0, XS_READ, 0, 1, "/t2/empty");
    CU_ASSERT_EQUAL(r->type, XS_READ);
    CU_ASSERT_EQUAL(r->len, 0);
}

static void test_mkdir(void)
{
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/t3/x/y"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t3/x/y"), "");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t3/x/y", "keep"), "OK");
    /* mkdir on an existing node leaves it alone. */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/t3/x/y"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t3/x/y"), "keep");
}

static void test_rm(void)
{
    const struct tc_reply *r;

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t4/a/b", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t4/a/c/d", "2"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t4/z", "3"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/t4/a"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t4/a/c/d"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/t4/a"), "ENOENT");
    r = tc_req(&d, c0, XS_DIRECTORY, 0, 1, "/t4");
    CU_ASSERT_EQUAL(r->len, 2);
    CU_ASSERT_STRING_EQUAL(r->body, "z");
    /* Removing what is gone is fine while the parent exists (Xen's rule). */
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/t4/a"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/t4/nope/deeper"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_RM, 0, "/"), "EINVAL");
    CU_ASSERT_EQUAL(tc_req(&d, c0, XS_RM, 0, 1, "/")->type, XS_ERROR);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_CONTROL, 0, "check"), "OK");
}

static void test_invalid_paths(void)
{
    static const char *bad[] = { "/a//b", "/a/", "/a b", "/a\tb", "/a:b", "", "@x" };
    char longpath[XENSTORE_ABS_PATH_MAX + 16];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, bad[i], "v"), "EINVAL");
    longpath[0] = '/';
    memset(longpath + 1, 'a', XENSTORE_ABS_PATH_MAX);
    longpath[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, longpath), "EINVAL");
    /* Exactly the limit is fine (the component count does not matter). */
    longpath[XENSTORE_ABS_PATH_MAX] = '\0';
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, longpath), "ENOENT");
    /* All allowed characters. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t5/AZaz09-_@", "ok"), "OK");
}

static void test_relative_paths(void)
{
    struct xs_conn *g = tc_conn(&d, 7);

    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/7"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/7", "b7")->body,
                           "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g, 0, "data/x", "rel"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/local/domain/7/data/x"), "rel");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g, 0, "data/x"), "rel");
    /* dom0's relative paths live under /local/domain/0. */
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "name"), "Domain-0");
    conn_destroy(&d, g);
}

static void test_directory_part(void)
{
    char name[64];
    char all[16384];
    size_t alllen = 0, got = 0;
    uint64_t off = 0;
    const struct tc_reply *r;

    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), "/t6/big/child-number-%04d", i);
        CU_ASSERT_STRING_EQUAL_FATAL(tc_simple(&d, c0, XS_MKDIR, 0, name), "OK");
        alllen += strlen(name) - strlen("/t6/big/") + 1;
    }
    CU_ASSERT(alllen > XENSTORE_PAYLOAD_MAX);
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_DIRECTORY, 0, "/t6/big"), "E2BIG");
    for (int rounds = 0; rounds < 10; rounds++) {
        char offs[24];
        size_t genlen, chunk;

        snprintf(offs, sizeof(offs), "%llu", (unsigned long long)off);
        r = tc_req(&d, c0, XS_DIRECTORY_PART, 0, 2, "/t6/big", offs);
        CU_ASSERT_EQUAL_FATAL(r->type, XS_DIRECTORY_PART);
        CU_ASSERT(r->len <= XENSTORE_PAYLOAD_MAX);
        genlen = strlen(r->body) + 1;
        chunk = r->len - genlen;
        memcpy(all + got, r->body + genlen, chunk);
        got += chunk;
        off += chunk;
        if (chunk >= 1 && r->body[r->len - 1] == '\0' && (chunk == 1 || r->body[r->len - 2] == '\0'))
            break;
    }
    CU_ASSERT_EQUAL(got, alllen + 1); /* the names and the final empty string */
    CU_ASSERT(strcmp(all, "child-number-0000") == 0);
    snprintf(name, sizeof(name), "%llu", (unsigned long long)alllen + 5);
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_DIRECTORY_PART, 0, 2, "/t6/big", name)->body,
                           "EINVAL");
}

static void test_generation_changes(void)
{
    const struct node *n;
    uint64_t g1;

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t7/p", "1"), "OK");
    n = table_find(&d.tree, "/t7");
    CU_ASSERT_FATAL(n != NULL);
    g1 = n->generation;
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/t7/q", "1"), "OK");
    n = table_find(&d.tree, "/t7");
    CU_ASSERT(n->generation > g1); /* a new child rewrites the parent */
}

UMBRA_SUITE(xs_tree, "dom0/xenstored/tree", setup, teardown,
            UMBRA_TEST(test_initial_tree), UMBRA_TEST(test_write_creates_parents),
            UMBRA_TEST(test_binary_value), UMBRA_TEST(test_mkdir), UMBRA_TEST(test_rm),
            UMBRA_TEST(test_invalid_paths), UMBRA_TEST(test_relative_paths),
            UMBRA_TEST(test_directory_part), UMBRA_TEST(test_generation_changes))
