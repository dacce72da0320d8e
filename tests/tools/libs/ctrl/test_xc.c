/*
 * test_xc.c: suite "tools/libs/ctrl": libxenctrl's side of the privcmd
 * protocol against a scripted peer (a socketpair), and its errors when no
 * hypervisor is there.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xc_private.h"
#include "umbra_test.h"
#include "ut_proc.h"

static void test_no_hypervisor(void)
{
    char *dir = ut_rundir_create("xcnone");
    const char *old = getenv("XEN_RUN_DIR");
    char *saved = old ? strdup(old) : NULL;

    CU_ASSERT_FATAL(dir != NULL);
    setenv("XEN_RUN_DIR", dir, 1);
    errno = 0;
    CU_ASSERT(xc_interface_open(NULL, NULL, 0) == NULL);
    CU_ASSERT_EQUAL(errno, ENOENT);
    CU_ASSERT(xenevtchn_open(NULL, 0) == NULL);
    if (saved)
        setenv("XEN_RUN_DIR", saved, 1);
    else
        unsetenv("XEN_RUN_DIR");
    free(saved);
    ut_rundir_remove(dir);
    free(dir);
}

struct peer { int fd; struct privcmd_rsp rsp; char body[64]; size_t body_len; };

/* Read one request, answer with the scripted header and body. */
static void *peer_main(void *arg)
{
    struct peer *p = arg;
    char buf[4096];
    char out[sizeof(struct privcmd_rsp) + 64];

    if (recv(p->fd, buf, sizeof(buf), 0) <= 0)
        return NULL;
    memcpy(out, &p->rsp, sizeof(p->rsp));
    memcpy(out + sizeof(p->rsp), p->body, p->body_len);
    send(p->fd, out, sizeof(p->rsp) + p->body_len, 0);
    return NULL;
}

static long scripted(struct privcmd_rsp rsp, const void *body, size_t blen, uint32_t *io)
{
    int sv[2];
    pthread_t t;
    struct peer p;
    long rc;

    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
    p.fd = sv[1];
    p.rsp = rsp;
    if (blen)
        memcpy(p.body, body, blen);
    p.body_len = blen;
    pthread_create(&t, NULL, peer_main, &p);
    rc = xc_call(sv[0], 17, 0, io, sizeof(*io), sizeof(*io), NULL, 0, NULL, NULL);
    pthread_join(t, NULL);
    close(sv[0]);
    close(sv[1]);
    return rc;
}

static void test_protocol(void)
{
    uint32_t v = 1, answer = 42;

    /* a good answer: result and updated body */
    CU_ASSERT_EQUAL(scripted((struct privcmd_rsp){ PRIVCMD_MAGIC, 7, 4, 0 }, &answer, 4, &v), 7);
    CU_ASSERT_EQUAL(v, 42);
    /* a negative result is -1 with errno */
    errno = 0;
    CU_ASSERT_EQUAL(scripted((struct privcmd_rsp){ PRIVCMD_MAGIC, -1, 0, 0 }, NULL, 0, &v), -1);
    CU_ASSERT_EQUAL(errno, EPERM);
    /* a bad magic or a length that disagrees: EPROTO */
    CU_ASSERT_EQUAL(scripted((struct privcmd_rsp){ 0x1234, 0, 0, 0 }, NULL, 0, &v), -1);
    CU_ASSERT_EQUAL(errno, EPROTO);
    CU_ASSERT_EQUAL(scripted((struct privcmd_rsp){ PRIVCMD_MAGIC, 0, 60, 0 }, &answer, 4, &v), -1);
    CU_ASSERT_EQUAL(errno, EPROTO);
}

UMBRA_SUITE(tools_libs_ctrl, "tools/libs/ctrl", NULL, NULL,
            UMBRA_TEST(test_no_hypervisor), UMBRA_TEST(test_protocol))
