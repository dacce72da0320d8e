/*
 * xenstore_interop.c: our xenstored driven by Debian's xenstore-utils
 * (/usr/bin/xenstore-*) and by our own commands (build/bin/xenstore-*), with
 * identical results required: same output, same exit status, same tree.
 * Covers read, write (with escapes), ls -p/-f, list -p, rm -t, exists,
 * chmod -r/-u, watch -n, and every error path the tools report.
 * The daemon runs in a private directory through XENSTORED_PATH and is
 * stopped (SIGTERM: it must exit 0 and remove its socket) at the end.
 */
#include "umbra_test.h"
#include "ut_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *rundir;
static char sockpath[512];
static pid_t daemon_pid = -1;
static char ours[512];

static int setup(void)
{
    char envbuf[600], log[600], trace[600];
    char *argv[] = { (char *)ut_build_path("bin/xenstored"), "-N", "-T", trace, NULL };
    char *env[] = { envbuf, NULL };

    rundir = ut_rundir_create("xsinterop");
    if (!rundir)
        return -1;
    snprintf(sockpath, sizeof(sockpath), "%s/socket", rundir);
    snprintf(envbuf, sizeof(envbuf), "XENSTORED_PATH=%s", sockpath);
    snprintf(log, sizeof(log), "%s/xenstored.log", rundir);
    snprintf(trace, sizeof(trace), "%s/trace", rundir);
    snprintf(ours, sizeof(ours), "%s", ut_build_path("bin"));
    daemon_pid = ut_daemon_start(argv, env, log);
    if (daemon_pid <= 0 || ut_wait_path(sockpath, 10000) < 0) {
        /* CUnit skips the clean-up of a suite whose set-up failed: do it here. */
        ut_daemon_stop(daemon_pid);
        ut_rundir_remove(rundir);
        return -1;
    }
    return 0;
}

static int teardown(void)
{
    ut_daemon_stop(daemon_pid);
    ut_rundir_remove(rundir);
    return 0;
}

/* Run `xenstore-<cmd> args` with the tools in dir; output into *out, status returned. */
static int run_tool(const char *dir, const char *cmd, char **out)
{
    char *line;
    int st;

    if (asprintf(&line, "export XENSTORED_PATH='%s' OURS='%s' PATH='%s':$PATH; %s 2>&1",
                 sockpath, ours, dir, cmd) < 0)
        return -1;
    st = ut_run(line, out);
    free(line);
    return st;
}

/*
 * Run cmd with Debian's tools, then with ours; both must agree. `deb_cmd`
 * and `our_cmd` differ only when they must touch distinct nodes.
 */
static void same(const char *deb_cmd, const char *our_cmd)
{
    char *a = NULL, *b = NULL;
    int sa = run_tool("/usr/bin", deb_cmd, &a);
    int sb = run_tool(ours, our_cmd ? our_cmd : deb_cmd, &b);

    CU_ASSERT_EQUAL(sa, sb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    if (our_cmd) {
        /* Compare with the node names swapped back. */
        for (char *p = strstr(b, "/our"); p; p = strstr(p + 1, "/our"))
            memcpy(p, "/deb", 4);
    }
    if (strcmp(a, b) != 0)
        fprintf(stderr, "\n--- %s (%d)\n%s--- %s (%d)\n%s", deb_cmd, sa, a,
                our_cmd ? our_cmd : deb_cmd, sb, b);
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);
}

static void test_debian_tools_present(void)
{
    CU_ASSERT_EQUAL_FATAL(access("/usr/bin/xenstore-read", X_OK), 0);
    CU_ASSERT_EQUAL_FATAL(access(ut_build_path("bin/xenstore-read"), X_OK), 0);
}

static void test_write_read(void)
{
    char *out = NULL;

    same("xenstore-write /deb/a 1 /deb/b/c 'two words' /deb/esc 'tab\\there\\nnl\\\\bs\\001\\177'",
         "xenstore-write /our/a 1 /our/b/c 'two words' /our/esc 'tab\\there\\nnl\\\\bs\\001\\177'");
    same("xenstore-read /deb/a /deb/b/c /deb/esc", "xenstore-read /our/a /our/b/c /our/esc");
    same("xenstore-read -p /deb/a /deb/esc", "xenstore-read -p /our/a /our/esc");
    same("xenstore-read -R /deb/esc | od -c", "xenstore-read -R /our/esc | od -c");
    same("xenstore-write -R /deb/raw 'a\\tb'", "xenstore-write -R /our/raw 'a\\tb'");
    same("xenstore-read /deb/raw", "xenstore-read /our/raw");
    same("xenstore-read /nope", NULL);
    same("xenstore-read /deb/a /nope", NULL);
    same("xenstore-write /deb/odd", NULL);
    same("xenstore-read", NULL);
    /* Cross: written by one, read by the other. */
    CU_ASSERT_EQUAL(run_tool("/usr/bin", "xenstore-write /x/cross deb", NULL), 0);
    CU_ASSERT_EQUAL(run_tool(ours, "xenstore-read /x/cross", &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "deb\n");
    free(out);
    CU_ASSERT_EQUAL(run_tool(ours, "xenstore-write /x/cross ours", NULL), 0);
    CU_ASSERT_EQUAL(run_tool("/usr/bin", "xenstore-read /x/cross", &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "ours\n");
    free(out);
}

static void test_ls_list(void)
{
    same("xenstore-write /deb/l/long $(printf 'v%.0s' $(seq 90)) /deb/l/x/y/z 1",
         "xenstore-write /our/l/long $(printf 'v%.0s' $(seq 90)) /our/l/x/y/z 1");
    same("xenstore-ls /deb", "xenstore-ls /our");
    same("xenstore-ls -p /deb", "xenstore-ls -p /our");
    same("xenstore-ls -f /deb", "xenstore-ls -f /our");
    same("xenstore-ls -fp /deb", "xenstore-ls -fp /our");
    same("xenstore-ls /local", NULL);
    same("xenstore-ls -p /local", NULL);
    same("xenstore-ls /nope", NULL);
    same("xenstore-list /deb", "xenstore-list /our");
    same("xenstore-list -p /deb /deb/b", "xenstore-list -p /our /our/b");
    same("xenstore-list /nope", NULL);
    same("xenstore-list /", NULL);
}

static void test_exists_rm(void)
{
    same("xenstore-exists /deb/a", "xenstore-exists /our/a");
    same("xenstore-exists /deb/none", "xenstore-exists /our/none");
    same("xenstore-write /deb/t/u/v 1 /deb/t/keep 2", "xenstore-write /our/t/u/v 1 /our/t/keep 2");
    same("xenstore-rm -t /deb/t/u/v", "xenstore-rm -t /our/t/u/v");
    same("xenstore-ls /deb/t", "xenstore-ls /our/t");
    same("xenstore-rm /deb/l", "xenstore-rm /our/l");
    same("xenstore-rm /deb/none/deeper", "xenstore-rm /our/none/deeper");
    same("xenstore-ls /deb", "xenstore-ls /our");
}

static void test_chmod(void)
{
    same("xenstore-write /deb/c/d/e 1", "xenstore-write /our/c/d/e 1");
    same("xenstore-chmod /deb/c n0 r5", "xenstore-chmod /our/c n0 r5");
    same("xenstore-chmod -r /deb/c/d b3", "xenstore-chmod -r /our/c/d b3");
    same("xenstore-ls -p /deb/c", "xenstore-ls -p /our/c");
    same("xenstore-chmod -u /deb/c/d/e w7 r1", "xenstore-chmod -u /our/c/d/e w7 r1");
    same("xenstore-ls -p /deb", "xenstore-ls -p /our");
    same("xenstore-chmod /deb/c x0", "xenstore-chmod /our/c x0");
    same("xenstore-chmod /nope n0", NULL);
    same("xenstore-chmod /deb/c", "xenstore-chmod /our/c");
}

static void test_watch(void)
{
    /* Three events: the initial one and two writes; the tool prints paths. */
    same("xenstore-watch -n 3 /deb/w > $XENSTORED_PATH.w & sleep 0.3; "
         "xenstore-write /deb/w/a 1; xenstore-write /deb/w 2; wait; cat $XENSTORED_PATH.w",
         "xenstore-watch -n 3 /our/w > $XENSTORED_PATH.w & sleep 0.3; "
         "xenstore-write /our/w/a 1; xenstore-write /our/w 2; wait; cat $XENSTORED_PATH.w");
    /* Debian's watcher sees changes made by our writer and the other way round. */
    same("xenstore-watch -n 2 /x/mix > $XENSTORED_PATH.m & sleep 0.3; "
         "\"$OURS\"/xenstore-write /x/mix/q 1; wait; cat $XENSTORED_PATH.m",
         NULL);
}

static void test_usage(void)
{
    static const char *cmds[] = { "read", "write", "ls", "list", "rm", "exists", "chmod", "watch" };
    char cmd[64];

    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        snprintf(cmd, sizeof(cmd), "xenstore-%s -h", cmds[i]);
        same(cmd, NULL);
    }
}

static void test_clean_stop(void)
{
    char *out = NULL;

    CU_ASSERT_EQUAL(ut_daemon_stop(daemon_pid), 0);
    daemon_pid = -1;
    CU_ASSERT_NOT_EQUAL(access(sockpath, F_OK), 0);
    /* The trace logged requests and replies. */
    {
        char *cmd;

        CU_ASSERT(asprintf(&cmd, "grep -c 'OUT conn' '%s/trace'", rundir) > 0);
        CU_ASSERT_EQUAL(ut_run(cmd, &out), 0);
        CU_ASSERT(out && atoi(out) > 50);
        free(cmd);
    }
    free(out);
}

UMBRA_SUITE(xs_interop, "integration/xenstore/interop", setup, teardown,
            UMBRA_TEST(test_debian_tools_present), UMBRA_TEST(test_write_read),
            UMBRA_TEST(test_ls_list), UMBRA_TEST(test_exists_rm), UMBRA_TEST(test_chmod),
            UMBRA_TEST(test_watch), UMBRA_TEST(test_usage), UMBRA_TEST(test_clean_stop))
