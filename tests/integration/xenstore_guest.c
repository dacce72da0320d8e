/*
 * xenstore_guest.c: suite integration/xenstore/guest: a real PV guest and
 * xenstore, end to end, on a private stack (the hypervisor and xenstored,
 * brought up by tools/hotplug/xencommons through xl_stack.c, and stopped by
 * it, pid by pid, at the end).
 *   - `xl create` a guest with workload=xenstore: it reads its own name over
 *     its ring (the console says so) and writes data/kernel, which Debian's
 *     xenstore-read and ours both see;
 *   - `xenstore-ls -p /local/domain/<id>` shows Xen's layout and permissions
 *     (Debian's and ours print the same);
 *   - `xl shutdown -w` reaches the guest through control/shutdown (well
 *     within xl's fallback timeout): the console shows the request and the
 *     power-off, the guest cleared the node, and the domain is shut down
 *     (on_poweroff=preserve);
 *   - `xl destroy` releases it: @releaseDomain fires and its nodes are gone;
 *   - a guest cannot read another domain's nodes (EACCES), only its own.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BOOT_TIMEOUT_MS 30000

static bool have_store;

static int up(void)
{
    int rc = xl_stack_up("xs-guest");

    have_store = rc == 0 && access(ut_build_path("bin/xenstored"), X_OK) == 0;
    if (rc == 0 && !have_store)
        fprintf(stderr, "\n  [integration/xenstore/guest: xenstored not built; tests pass vacuously]\n");
    return rc < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

/* Run `<dir>/xenstore-LINE` (dir: our build's bin or Debian's /usr/bin). */
static int xs_cmd(const char *dir, const char *line, char **out)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd), "'%s'/xenstore-%s", dir, line);
    return ut_run(cmd, out);
}

static const char *ours(void)
{
    return ut_build_path("bin");
}

static bool have_debian(void)
{
    return access("/usr/bin/xenstore-read", X_OK) == 0;
}

/* Create a xenstore-workload guest `name` with extra overrides; its domid or -1. */
static long create_guest(const char *name, const char *extra)
{
    char args[1024], *out = NULL;
    long id = -1;
    int rc;

    snprintf(args, sizeof(args),
             "create -q examples/hello.xml name=%s 'cmdline=workload=xenstore%s%s' "
             "on_poweroff=preserve", name, extra ? " " : "", extra ? extra : "");
    rc = xl_run(args, &out);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0)
        fprintf(stderr, "\n  xl %s:\n%s\n", args, out ? out : "");
    free(out);
    out = NULL;
    snprintf(args, sizeof(args), "list %s", name);
    if (rc == 0 && xl_run(args, &out) == 0 && strchr(out, '\n'))
        sscanf(strchr(out, '\n') + 1, "%*s %ld", &id);
    free(out);
    return id;
}

/* Wait until /local/domain/<id>/data/kernel exists (the guest is connected). 0 or -1. */
static int wait_connected(long id)
{
    char line[128];

    snprintf(line, sizeof(line), "exists /local/domain/%ld/data/kernel", id);
    for (int waited = 0; waited < BOOT_TIMEOUT_MS; waited += 50) {
        if (xs_cmd(ours(), line, NULL) == 0)
            return 0;
        usleep(50 * 1000);
    }
    return -1;
}

/* The guest's console so far (xl console ends at once for a shut-down domain). */
static char *console_of(const char *name)
{
    char args[256], *out = NULL;

    snprintf(args, sizeof(args), "console %s </dev/null", name);
    if (xl_run(args, &out) != 0 && out)
        fprintf(stderr, "\n  xl console %s:\n%s\n", name, out);
    return out;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* `xenstore-ls -p` lines we expect for domain id (a subset, in Xen's format). */
static void check_layout(const char *ls, long id)
{
    char want[128];
    const char *const dom0_ro[] = { "name = \"xsg-main\"", "domid = \"", "vm = \"/vm/",
                                    "memory = \"\"", " static-max = \"16384\"",
                                    " target = \"16384\"", "store = \"\"", " port = \"",
                                    " ring-ref = \"", "control = \"\"" };
    const char *const guest_rw[] = { " shutdown = \"\"", " feature-poweroff = \"1\"",
                                     " feature-reboot = \"1\"", "data = \"\"",
                                     " kernel = \"Umbra PV kernel" };

    for (size_t i = 0; i < sizeof(dom0_ro) / sizeof(dom0_ro[0]); i++) {
        const char *line = strstr(ls, dom0_ro[i]);
        const char *eol = line ? strchr(line, '\n') : NULL;

        snprintf(want, sizeof(want), "(n0,r%ld)", id);
        CU_ASSERT_PTR_NOT_NULL(line);
        if (line && eol) {
            CU_ASSERT(eol - line > (long)strlen(want) &&
                      !strncmp(eol - strlen(want), want, strlen(want)));
        }
    }
    for (size_t i = 0; i < sizeof(guest_rw) / sizeof(guest_rw[0]); i++) {
        const char *line = strstr(ls, guest_rw[i]);
        const char *eol = line ? strchr(line, '\n') : NULL;

        snprintf(want, sizeof(want), "(n%ld)", id);
        CU_ASSERT_PTR_NOT_NULL(line);
        if (line && eol) {
            CU_ASSERT(eol - line > (long)strlen(want) &&
                      !strncmp(eol - strlen(want), want, strlen(want)));
        }
    }
}

static void test_guest_store_lifecycle(void)
{
    char line[256], *out = NULL, *dout = NULL, *con;
    long id;
    double t0;
    pid_t watcher;
    int st;

    if (!xl_stack_ready() || !have_store)
        return;
    id = create_guest("xsg-main", NULL);
    CU_ASSERT_FATAL(id > 0);
    CU_ASSERT_EQUAL_FATAL(wait_connected(id), 0);

    /* What the guest wrote, through our client and Debian's. */
    snprintf(line, sizeof(line), "read /local/domain/%ld/data/kernel", id);
    CU_ASSERT_EQUAL(xs_cmd(ours(), line, &out), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "Umbra PV kernel"));
    if (have_debian()) {
        CU_ASSERT_EQUAL(xs_cmd("/usr/bin", line, &dout), 0);
        CU_ASSERT_STRING_EQUAL(dout ? dout : "", out ? out : "-");
        free(dout);
        dout = NULL;
    }
    free(out);
    out = NULL;

    /* Xen's layout and permissions; Debian's xenstore-ls agrees with ours. */
    snprintf(line, sizeof(line), "ls -p /local/domain/%ld", id);
    CU_ASSERT_EQUAL(xs_cmd(ours(), line, &out), 0);
    check_layout(out ? out : "", id);
    if (have_debian()) {
        CU_ASSERT_EQUAL(xs_cmd("/usr/bin", line, &dout), 0);
        CU_ASSERT_STRING_EQUAL(dout ? dout : "", out ? out : "-");
        free(dout);
        dout = NULL;
    }
    free(out);
    out = NULL;

    /* xl shutdown -w goes through control/shutdown, not the fallback. */
    t0 = now_s();
    CU_ASSERT_EQUAL(xl_run("shutdown -w xsg-main", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "has been shut down, reason code 0"));
    CU_ASSERT_PTR_NULL(out ? strstr(out, "did not act on control/shutdown") : NULL);
    CU_ASSERT(now_s() - t0 < 8.0);
    free(out);
    out = NULL;
    con = console_of("xsg-main");
    CU_ASSERT_PTR_NOT_NULL(con);
    snprintf(line, sizeof(line), "my name is xsg-main\n");
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, line) : NULL);
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, "xenstore: control/shutdown = poweroff\n") : NULL);
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, "Powering off.") : NULL);
    free(con);
    /* The guest cleared the request; on_poweroff=preserve keeps it listed, shut down. */
    snprintf(line, sizeof(line), "read /local/domain/%ld/control/shutdown", id);
    CU_ASSERT_EQUAL(xs_cmd(ours(), line, &out), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "-", "\n");
    free(out);
    out = NULL;
    CU_ASSERT_EQUAL(xl_run("list xsg-main", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "---s--"));
    free(out);
    out = NULL;

    /* xl destroy releases it: @releaseDomain fires, its nodes go. */
    {
        char prog[1024], log[1024];
        char *argv[] = { prog, "-n", "2", "@releaseDomain", NULL };

        snprintf(prog, sizeof(prog), "%s/xenstore-watch", ours());
        snprintf(log, sizeof(log), "%s/release-watch.log", xl_rundir());
        watcher = ut_daemon_start(argv, NULL, log);
    }
    CU_ASSERT_FATAL(watcher > 0);
    usleep(300 * 1000);   /* its first (registration) event */
    CU_ASSERT_EQUAL(xl_run("destroy xsg-main", NULL), 0);
    for (int waited = 0; waited < 5000 && waitpid(watcher, &st, WNOHANG) == 0; waited += 20)
        usleep(20 * 1000);
    if (kill(watcher, 0) == 0) {
        CU_FAIL("@releaseDomain did not fire on destroy");
        ut_daemon_stop(watcher);
    } else {
        CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    snprintf(line, sizeof(line), "exists /local/domain/%ld", id);
    CU_ASSERT_NOT_EQUAL(xs_cmd(ours(), line, NULL), 0);
    CU_ASSERT_NOT_EQUAL(xl_run("list xsg-main", NULL), 0);
}

static void test_guest_cannot_read_others(void)
{
    char extra[256], *con;
    long a, b;

    if (!xl_stack_ready() || !have_store)
        return;
    a = create_guest("xsg-a", NULL);
    CU_ASSERT_FATAL(a > 0);
    CU_ASSERT_EQUAL_FATAL(wait_connected(a), 0);
    snprintf(extra, sizeof(extra), "xs-read=/local/domain/%ld/name xs-read=name "
                                   "xs-read=/local/domain/0/name", a);
    b = create_guest("xsg-b", extra);
    CU_ASSERT_FATAL(b > 0);
    CU_ASSERT_EQUAL(wait_connected(b), 0);
    CU_ASSERT_EQUAL(xl_run("shutdown -w xsg-b", NULL), 0);
    con = console_of("xsg-b");
    snprintf(extra, sizeof(extra), "xenstore: read /local/domain/%ld/name: EACCES (-13)\n", a);
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, extra) : NULL);
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, "xenstore: read name = \"xsg-b\"\n") : NULL);
    CU_ASSERT_PTR_NOT_NULL(con ? strstr(con, "xenstore: read /local/domain/0/name: EACCES") : NULL);
    if (con && !strstr(con, "EACCES"))
        fprintf(stderr, "\n  console of xsg-b:\n%s\n", con);
    free(con);
    CU_ASSERT_EQUAL(xl_run("destroy xsg-b", NULL), 0);
    CU_ASSERT_EQUAL(xl_run("destroy xsg-a", NULL), 0);
}

UMBRA_SUITE(xenstore_guest, "integration/xenstore/guest", up, down,
            UMBRA_TEST(test_guest_store_lifecycle), UMBRA_TEST(test_guest_cannot_read_others))
