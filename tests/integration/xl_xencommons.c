/*
 * xl_xencommons.c: suite integration/xl/xencommons: tools/hotplug/xencommons
 * brings the stack up in a run directory (sockets, pid files, status) and
 * down again (daemons gone, sockets removed), and refuses cleanly when the
 * hypervisor cannot start.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;
static bool runnable;

static int up(void)
{
    runnable = xl_stack_built("xencommons");
    dir = ut_rundir_create("xl-xc2");
    return dir ? 0 : -1;
}

static int down(void)
{
    ut_rundir_remove(dir);
    free(dir);
    return 0;
}

static int xencommons(const char *env, const char *verb, char **out)
{
    char cmd[PATH_MAX * 3];

    snprintf(cmd, sizeof(cmd), "XEN_RUN_DIR='%s' XENSTORED_PATH='%s/xs/socket' %s '%s/tools/hotplug/xencommons' %s",
             dir, dir, env, xl_src(), verb);
    return ut_run(cmd, out);
}

static bool exists(const char *rel)
{
    char p[PATH_MAX + 64];
    struct stat sb;

    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    return stat(p, &sb) == 0;
}

static long pid_in(const char *rel)
{
    char p[PATH_MAX + 64];
    long pid = -1;
    FILE *f;

    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    f = fopen(p, "r");
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = -1;
        fclose(f);
    }
    return pid;
}

static void test_up_status_down(void)
{
    char *out = NULL;
    long xen_pid, xs_pid;
    bool with_xs = access(ut_build_path("bin/xenstored"), X_OK) == 0;

    if (!runnable)
        return;
    CU_ASSERT_EQUAL_FATAL(xencommons("", "start", &out), 0);
    free(out);
    CU_ASSERT_TRUE(exists("privcmd"));
    CU_ASSERT_TRUE(exists("xen.pid"));
    xen_pid = pid_in("xen.pid");
    CU_ASSERT(xen_pid > 0 && kill((pid_t)xen_pid, 0) == 0);
    xs_pid = pid_in("xenstored.pid");
    if (with_xs) {
        CU_ASSERT_TRUE(exists("xs/socket"));
        CU_ASSERT(xs_pid > 0 && kill((pid_t)xs_pid, 0) == 0);
    }
    CU_ASSERT_EQUAL(xencommons("", "status", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "xen running"));
    free(out);
    /* A second start finds it running and changes nothing. */
    CU_ASSERT_EQUAL(xencommons("", "start", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "already running"));
    free(out);
    CU_ASSERT_EQUAL(pid_in("xen.pid"), xen_pid);

    CU_ASSERT_EQUAL(xencommons("", "stop", &out), 0);
    CU_ASSERT_PTR_NULL(strstr(out, "warning"));   /* each daemon removed its own socket */
    free(out);
    CU_ASSERT_FALSE(exists("privcmd"));
    CU_ASSERT_FALSE(exists("xs/socket"));
    CU_ASSERT_FALSE(exists("xen.pid"));
    CU_ASSERT_FALSE(exists("xenstored.pid"));
    CU_ASSERT(kill((pid_t)xen_pid, 0) != 0);
    if (with_xs)
        CU_ASSERT(kill((pid_t)xs_pid, 0) != 0);
    CU_ASSERT_NOT_EQUAL(xencommons("", "status", NULL), 0);
}

static void test_failed_start_is_undone(void)
{
    char *out = NULL;

    if (!runnable)
        return;
    /* The hypervisor rejects this argument: start fails, nothing stays. */
    CU_ASSERT_NOT_EQUAL(xencommons("XEN_ARGS=--no-such-option", "start", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "did not come up"));
    free(out);
    CU_ASSERT_FALSE(exists("privcmd"));
    CU_ASSERT_FALSE(exists("xen.pid"));
    CU_ASSERT_NOT_EQUAL(xencommons("", "status", NULL), 0);
}

UMBRA_SUITE(xl_xencommons, "integration/xl/xencommons", up, down,
            UMBRA_TEST(test_up_status_down), UMBRA_TEST(test_failed_start_is_undone))
