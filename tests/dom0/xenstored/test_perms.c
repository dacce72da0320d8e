/*
 * test_perms.c: permissions as Xen has them: owner and default in entry 0,
 * n/r/w/b entries, inheritance on create (owner = creating guest), dom0
 * privileged, only dom0 changes an owner, SET_TARGET, and ENOENT hidden
 * behind EACCES when the ancestor is unreadable.
 */
#include "umbra_test.h"
#include "xs_test_util.h"

#include <string.h>

static struct xs_daemon d;
static struct xs_conn *c0, *g3, *g4;

static int setup(void)
{
    if (daemon_init(&d) < 0)
        return -1;
    c0 = tc_conn(&d, 0);
    g3 = tc_conn(&d, 3);
    g4 = tc_conn(&d, 4);
    return 0;
}

static int teardown(void)
{
    daemon_destroy(&d);
    return 0;
}

static const char *perms_of(struct xs_conn *c, const char *path, char *buf)
{
    const struct tc_reply *r = tc_req(&d, c, XS_GET_PERMS, 0, 1, path);

    memcpy(buf, r->body, r->len + 1);
    for (uint32_t i = 0; r->type == XS_GET_PERMS && i + 1 < r->len; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    return buf;
}

static void test_parse_format(void)
{
    struct xs_perm p;
    char buf[16];

    CU_ASSERT_EQUAL(perm_parse("r3", &p), 0);
    CU_ASSERT_EQUAL(p.id, 3);
    CU_ASSERT_EQUAL(p.perms, PERM_READ);
    CU_ASSERT_EQUAL(perm_parse("b65535", &p), 0);
    CU_ASSERT_EQUAL(p.perms, PERM_READ | PERM_WRITE);
    perm_format(&p, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "b65535");
    CU_ASSERT_EQUAL(perm_parse("x3", &p), -EINVAL);
    CU_ASSERT_EQUAL(perm_parse("r", &p), -EINVAL);
    CU_ASSERT_EQUAL(perm_parse("r3a", &p), -EINVAL);
    CU_ASSERT_EQUAL(perm_parse("r-1", &p), -EINVAL);
}

static void test_set_get(void)
{
    char buf[256];

    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/p1/node", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/p1/node", buf), "n0");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/p1/node", "n0", "r3")->body, "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/p1/node", buf), "n0 r3");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g3, 0, "/p1/node"), "v");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g4, 0, "/p1/node"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g3, 0, "/p1/node", "x"), "EACCES");
    /* Default entry gives access to everyone else. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/p1/node", "r0", "n3")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g4, 0, "/p1/node"), "v");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g3, 0, "/p1/node"), "EACCES");
    /* Malformed perms. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/p1/node", "q0")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 1, "/p1/node")->body, "EINVAL");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/p1/none", "n0")->body, "ENOENT");
}

static void test_inherit_on_create(void)
{
    char buf[256];

    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/3"), "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/3", "n0", "r3")->body,
                           "OK");
    /* The guest may read its home but not create in it. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g3, 0, "/local/domain/3/x", "1"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_simple(&d, c0, XS_MKDIR, 0, "/local/domain/3/data"), "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/local/domain/3/data", buf), "n0 r3");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/3/data", "b3")->body,
                           "OK");
    /* Created by a guest: its perms with the guest as owner. */
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g3, 0, "data/a/b", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/local/domain/3/data/a", buf), "b3");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/local/domain/3/data/a/b", buf), "b3");
    /* Created by dom0: perms copied unchanged. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/p1", "n0", "r4")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/p1/new/leaf", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/p1/new/leaf", buf), "n0 r4");
}

static void test_owner_change(void)
{
    char buf[256];

    CU_ASSERT_STRING_EQUAL(tc_write(&d, g3, 0, "/local/domain/3/data/own", "1"), "OK");
    /* The owner may change its perms but not hand the node away. */
    CU_ASSERT_STRING_EQUAL(
        tc_req(&d, g3, XS_SET_PERMS, 0, 3, "/local/domain/3/data/own", "n3", "r4")->body, "OK");
    CU_ASSERT_STRING_EQUAL(
        tc_req(&d, g3, XS_SET_PERMS, 0, 2, "/local/domain/3/data/own", "b4")->body, "EPERM");
    /* A non-owner with write access may not change perms at all. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_PERMS, 0, 3, "/local/domain/3/data/own", "n3",
                                  "b4")->body,
                           "OK");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g4, 0, "/local/domain/3/data/own", "by4"), "OK");
    CU_ASSERT_STRING_EQUAL(
        tc_req(&d, g4, XS_SET_PERMS, 0, 2, "/local/domain/3/data/own", "b3")->body, "EACCES");
    /* dom0 may. */
    CU_ASSERT_STRING_EQUAL(
        tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/3/data/own", "r4")->body, "OK");
    CU_ASSERT_STRING_EQUAL(perms_of(c0, "/local/domain/3/data/own", buf), "r4");
}

static void test_enoent_hidden(void)
{
    CU_ASSERT_STRING_EQUAL(tc_write(&d, c0, 0, "/secret/x", "1"), "OK");
    /* /secret is n0: a guest may not learn what is (not) below it. */
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g3, 0, "/secret/nothing"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g3, 0, "/secret/x"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, c0, 0, "/secret/nothing"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g3, 0, "/local/domain/3/nothing"), "ENOENT");
}

static void test_set_target(void)
{
    struct xs_conn *g5 = tc_conn(&d, 5);

    /* Domains must be introduced for SET_TARGET. */
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_TARGET, 0, 2, "5", "3")->body, "ENOENT");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "5", "100", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_INTRODUCE, 0, 3, "3", "101", "1")->body, "OK");
    CU_ASSERT_STRING_EQUAL(
        tc_req(&d, c0, XS_SET_PERMS, 0, 2, "/local/domain/3/data/a/b", "n3")->body, "OK");
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g5, 0, "/local/domain/3/data/a/b"), "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, g5, XS_SET_TARGET, 0, 2, "5", "3")->body, "EACCES");
    CU_ASSERT_STRING_EQUAL(tc_req(&d, c0, XS_SET_TARGET, 0, 2, "5", "3")->body, "OK");
    /* Now domain 5 acts with domain 3's rights (a device model, say). */
    CU_ASSERT_STRING_EQUAL(tc_read(&d, g5, 0, "/local/domain/3/data/a/b"), "1");
    CU_ASSERT_STRING_EQUAL(tc_write(&d, g5, 0, "/local/domain/3/data/a/b", "dm"), "OK");
    conn_destroy(&d, g5);
}

UMBRA_SUITE(xs_perms, "dom0/xenstored/perms", setup, teardown, UMBRA_TEST(test_parse_format),
            UMBRA_TEST(test_set_get), UMBRA_TEST(test_inherit_on_create),
            UMBRA_TEST(test_owner_change), UMBRA_TEST(test_enoent_hidden),
            UMBRA_TEST(test_set_target))
