/*
 * test_xs.c: the client library against a real xenstored (spawned in a
 * private run directory through XENSTORED_PATH): every call in the subset,
 * errno from error names, the DIRECTORY_PART fallback, transactions with
 * EAGAIN between two handles, watches through xs_read_watch and a polled
 * xs_fileno, XS_UNWATCH_FILTER, and many threads sharing one handle.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xenstore.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *rundir;
static char sockpath[512];
static pid_t daemon_pid = -1;
static struct xs_handle *h;

static int setup(void)
{
    char envbuf[600], log[600];
    char *argv[] = { (char *)ut_build_path("bin/xenstored"), "-N", NULL };
    char *env[] = { envbuf, NULL };

    rundir = ut_rundir_create("xslib");
    if (!rundir)
        return -1;
    snprintf(sockpath, sizeof(sockpath), "%s/socket", rundir);
    snprintf(envbuf, sizeof(envbuf), "XENSTORED_PATH=%s", sockpath);
    snprintf(log, sizeof(log), "%s/xenstored.log", rundir);
    daemon_pid = ut_daemon_start(argv, env, log);
    if (daemon_pid <= 0 || ut_wait_path(sockpath, 10000) < 0) {
        /* CUnit skips the clean-up of a suite whose set-up failed: do it here. */
        ut_daemon_stop(daemon_pid);
        ut_rundir_remove(rundir);
        return -1;
    }
    setenv("XENSTORED_PATH", sockpath, 1);
    h = xs_open(0);
    return h ? 0 : -1;
}

static int teardown(void)
{
    int st;

    xs_close(h);
    st = ut_daemon_stop(daemon_pid);
    unsetenv("XENSTORED_PATH");
    ut_rundir_remove(rundir);
    return st == 0 ? 0 : -1;
}

static void test_read_write_rm(void)
{
    unsigned int len;
    char *v;

    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/a/b", "hello", 5));
    v = xs_read(h, XBT_NULL, "/lib/a/b", &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(len, 5);
    CU_ASSERT_STRING_EQUAL(v, "hello");
    free(v);
    CU_ASSERT_TRUE(xs_mkdir(h, XBT_NULL, "/lib/dir"));
    v = xs_read(h, XBT_NULL, "/lib/dir", &len);
    CU_ASSERT_EQUAL(len, 0);
    free(v);
    CU_ASSERT_TRUE(xs_rm(h, XBT_NULL, "/lib/a"));
    errno = 0;
    CU_ASSERT_PTR_NULL(xs_read(h, XBT_NULL, "/lib/a/b", &len));
    CU_ASSERT_EQUAL(errno, ENOENT);
    CU_ASSERT_FALSE(xs_write(h, XBT_NULL, "bad//path", "x", 1));
    CU_ASSERT_EQUAL(errno, EINVAL);
    v = xs_read(h, XBT_NULL, "/local/domain/0/name", NULL);
    CU_ASSERT_STRING_EQUAL(v, "Domain-0");
    free(v);
}

static void test_directory(void)
{
    unsigned int num;
    char **e;
    char path[64];

    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/d/x", "1", 1));
    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/d/y", "2", 1));
    e = xs_directory(h, XBT_NULL, "/lib/d", &num);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(num, 2);
    CU_ASSERT_STRING_EQUAL(e[0], "x");
    CU_ASSERT_STRING_EQUAL(e[1], "y");
    free(e);
    /* Larger than one payload: the library falls back on DIRECTORY_PART. */
    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "/lib/big/entry-with-a-long-name-%04d", i);
        CU_ASSERT_TRUE_FATAL(xs_mkdir(h, XBT_NULL, path));
    }
    e = xs_directory(h, XBT_NULL, "/lib/big", &num);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(num, 400);
    CU_ASSERT_STRING_EQUAL(e[0], "entry-with-a-long-name-0000");
    CU_ASSERT_STRING_EQUAL(e[399], "entry-with-a-long-name-0399");
    free(e);
}

static void test_permissions(void)
{
    struct xs_permissions set[2] = { { 0, XS_PERM_NONE }, { 5, XS_PERM_READ | XS_PERM_WRITE } };
    struct xs_permissions *got;
    unsigned int num;
    char buf[16];

    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/p", "v", 1));
    CU_ASSERT_TRUE(xs_set_permissions(h, XBT_NULL, "/lib/p", set, 2));
    got = xs_get_permissions(h, XBT_NULL, "/lib/p", &num);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_EQUAL(num, 2);
    CU_ASSERT_EQUAL(got[1].id, 5);
    CU_ASSERT_EQUAL(got[1].perms, XS_PERM_READ | XS_PERM_WRITE);
    CU_ASSERT_TRUE(xs_perm_to_string(&got[1], buf, sizeof(buf)));
    CU_ASSERT_STRING_EQUAL(buf, "b5");
    free(got);
    CU_ASSERT_PTR_NULL(xs_get_permissions(h, XBT_NULL, "/lib/none", &num));
    CU_ASSERT_EQUAL(errno, ENOENT);
}

static void test_transactions(void)
{
    struct xs_handle *h2 = xs_open(0);
    xs_transaction_t t;
    char *v;

    CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
    t = xs_transaction_start(h);
    CU_ASSERT(t != XBT_NULL);
    CU_ASSERT_TRUE(xs_write(h, t, "/lib/t/a", "1", 1));
    CU_ASSERT_PTR_NULL(xs_read(h2, XBT_NULL, "/lib/t/a", NULL));
    CU_ASSERT_TRUE(xs_transaction_end(h, t, false));
    v = xs_read(h2, XBT_NULL, "/lib/t/a", NULL);
    CU_ASSERT_STRING_EQUAL(v, "1");
    free(v);
    /* Conflict: read in t, changed by h2, commit fails with EAGAIN. */
    t = xs_transaction_start(h);
    v = xs_read(h, t, "/lib/t/a", NULL);
    free(v);
    CU_ASSERT_TRUE(xs_write(h2, XBT_NULL, "/lib/t/a", "2", 1));
    CU_ASSERT_TRUE(xs_write(h, t, "/lib/t/b", "x", 1));
    CU_ASSERT_FALSE(xs_transaction_end(h, t, false));
    CU_ASSERT_EQUAL(errno, EAGAIN);
    CU_ASSERT_PTR_NULL(xs_read(h, XBT_NULL, "/lib/t/b", NULL));
    /* Abort. */
    t = xs_transaction_start(h);
    CU_ASSERT_TRUE(xs_write(h, t, "/lib/t/c", "x", 1));
    CU_ASSERT_TRUE(xs_transaction_end(h, t, true));
    CU_ASSERT_PTR_NULL(xs_read(h, XBT_NULL, "/lib/t/c", NULL));
    xs_close(h2);
}

static void test_watch(void)
{
    struct xs_handle *w = xs_open(0);
    unsigned int num;
    char **vec;
    struct pollfd pfd;

    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_TRUE(xs_watch(w, "/lib/w", "tok"));
    vec = xs_read_watch(w, &num); /* the initial event */
    CU_ASSERT_PTR_NOT_NULL_FATAL(vec);
    CU_ASSERT_EQUAL(num, 2);
    CU_ASSERT_STRING_EQUAL(vec[XS_WATCH_PATH], "/lib/w");
    CU_ASSERT_STRING_EQUAL(vec[XS_WATCH_TOKEN], "tok");
    free(vec);
    CU_ASSERT_PTR_NULL(xs_check_watch(w));
    CU_ASSERT_EQUAL(errno, EAGAIN);
    pfd.fd = xs_fileno(w);
    pfd.events = POLLIN;
    CU_ASSERT(pfd.fd >= 0);
    CU_ASSERT_EQUAL(poll(&pfd, 1, 0), 0);
    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/w/child", "1", 1));
    CU_ASSERT_EQUAL(poll(&pfd, 1, 5000), 1);
    vec = xs_check_watch(w);
    CU_ASSERT_PTR_NOT_NULL_FATAL(vec);
    CU_ASSERT_STRING_EQUAL(vec[XS_WATCH_PATH], "/lib/w/child");
    free(vec);
    /* Requests still work on a handle with a reader thread. */
    vec = xs_directory(w, XBT_NULL, "/lib/w", &num);
    CU_ASSERT_PTR_NOT_NULL(vec);
    CU_ASSERT_EQUAL(num, 1);
    free(vec);
    CU_ASSERT_TRUE(xs_unwatch(w, "/lib/w", "tok"));
    CU_ASSERT_FALSE(xs_unwatch(w, "/lib/w", "tok"));
    CU_ASSERT_EQUAL(errno, ENOENT);
    xs_close(w);
}

static void test_unwatch_filter(void)
{
    struct xs_handle *w = xs_open(XS_UNWATCH_FILTER);
    unsigned int num;
    char **vec;
    char *v;
    int seen_end = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_TRUE(xs_watch(w, "/lib/f", "a"));
    CU_ASSERT_TRUE(xs_watch(w, "/lib/g", "b"));
    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/f/x", "1", 1));
    /* A reply on w comes after every event the daemon queued for w before it. */
    v = xs_read(w, XBT_NULL, "/lib/f/x", NULL);
    free(v);
    CU_ASSERT_TRUE(xs_unwatch(w, "/lib/f", "a"));
    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/g/end", "1", 1));
    while (!seen_end) {
        vec = xs_read_watch(w, &num);
        CU_ASSERT_PTR_NOT_NULL_FATAL(vec);
        CU_ASSERT_STRING_EQUAL(vec[XS_WATCH_TOKEN], "b"); /* "a" events were filtered */
        seen_end = strcmp(vec[XS_WATCH_PATH], "/lib/g/end") == 0;
        free(vec);
    }
    xs_close(w);
}

static void test_domains(void)
{
    char *p = xs_get_domain_path(h, 12);

    CU_ASSERT_STRING_EQUAL(p, "/local/domain/12");
    free(p);
    CU_ASSERT_TRUE(xs_is_domain_introduced(h, 0));
    CU_ASSERT_FALSE(xs_is_domain_introduced(h, 12));
    CU_ASSERT_TRUE(xs_introduce_domain(h, 12, 0x80001, 3));
    CU_ASSERT_TRUE(xs_is_domain_introduced(h, 12));
    CU_ASSERT_TRUE(xs_resume_domain(h, 12));
    CU_ASSERT_TRUE(xs_release_domain(h, 12));
    CU_ASSERT_FALSE(xs_release_domain(h, 12));
    CU_ASSERT_EQUAL(errno, ENOENT);
    CU_ASSERT_TRUE(xs_path_is_subpath("/a", "/a/b"));
    CU_ASSERT_FALSE(xs_path_is_subpath("/a", "/ab"));
}

#define NTHREADS 8
#define NOPS 300

static void *worker(void *arg)
{
    long id = (long)arg;
    char path[64], val[32];
    long bad = 0;

    for (int i = 0; i < NOPS; i++) {
        unsigned int len;
        char *v;

        snprintf(path, sizeof(path), "/lib/mt/%ld", id);
        snprintf(val, sizeof(val), "%ld-%d", id, i);
        if (!xs_write(h, XBT_NULL, path, val, (unsigned int)strlen(val)))
            bad++;
        v = xs_read(h, XBT_NULL, path, &len);
        if (!v || strcmp(v, val) != 0)
            bad++;
        free(v);
    }
    return (void *)bad;
}

static void *watcher(void *arg)
{
    struct xs_handle *w = arg;
    long events = 0;

    for (;;) {
        unsigned int num;
        char **vec = xs_read_watch(w, &num);

        if (!vec)
            break;
        if (strcmp(vec[0], "/lib/mt/stop") == 0) {
            free(vec);
            break;
        }
        events++;
        free(vec);
    }
    return (void *)events;
}

static void test_threads_share_a_handle(void)
{
    pthread_t t[NTHREADS], wt;
    struct xs_handle *w = xs_open(0);
    void *ret;
    long events;

    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_TRUE(xs_watch(w, "/lib/mt", "mt"));
    /* This handle both watches and serves the workers' requests. */
    CU_ASSERT_TRUE(xs_watch(h, "/lib/mt", "mine"));
    CU_ASSERT_EQUAL(pthread_create(&wt, NULL, watcher, w), 0);
    for (long i = 0; i < NTHREADS; i++)
        CU_ASSERT_EQUAL(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], &ret);
        CU_ASSERT_EQUAL((long)ret, 0);
    }
    CU_ASSERT_TRUE(xs_write(h, XBT_NULL, "/lib/mt/stop", "1", 1));
    pthread_join(wt, &ret);
    events = (long)ret;
    /* The initial event and one per write. */
    CU_ASSERT_EQUAL(events, 1 + NTHREADS * NOPS);
    CU_ASSERT_TRUE(xs_unwatch(h, "/lib/mt", "mine"));
    xs_close(w);
}

UMBRA_SUITE(xs_lib, "tools/libs/store", setup, teardown, UMBRA_TEST(test_read_write_rm),
            UMBRA_TEST(test_directory), UMBRA_TEST(test_permissions),
            UMBRA_TEST(test_transactions), UMBRA_TEST(test_watch),
            UMBRA_TEST(test_unwatch_filter), UMBRA_TEST(test_domains),
            UMBRA_TEST(test_threads_share_a_handle))
