/*
 * test_integration.c: suite integration/xentop: build/bin/xentop against a
 * private stack (tests/integration/xl_stack.h, as the integration/xl suites
 * bring it up): batch mode's header and rows with the right state letters
 * for Domain-0, a paused, a running and a shut-down guest; CPU(%) from the
 * second round; the memory view; the errors for an unprivileged caller and a
 * missing hypervisor; and, when tmux is installed, the curses screen reached
 * through `xl top` (summary lines, keys M, S, D, and Q/Esc quitting).
 * Invariant: every guest and tmux server a test starts is gone when it ends.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LONG_RUNNING "cmdline='workload=compute iters=4000000000'"

static bool have_xentop;

static int up(void)
{
    struct stat sb;
    int rc = xl_stack_up("xentop");

    have_xentop = stat(ut_build_path("bin/xentop"), &sb) == 0;
    if (rc == 0 && !have_xentop)
        fprintf(stderr, "\n  [integration/xentop: bin/xentop is not built; tests pass vacuously]\n");
    return rc < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

static bool ready(void)
{
    return xl_stack_ready() && have_xentop;
}

/* Run `xentop ARGS` from the source tree; output (stdout and stderr) in *out. */
static int xentop_run(const char *args, char **out)
{
    char cmd[8192];

    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s", xl_src(), ut_build_path("bin/xentop"), args);
    return ut_run(cmd, out);
}

/* The row for `name` in the last round of batch output (NULL if none): a copy in buf. */
static const char *last_row(const char *out, const char *name, char *buf, size_t len)
{
    const char *found = NULL;
    size_t nl = strlen(name);

    for (const char *p = out; p && *p;) {
        const char *end = strchr(p, '\n');
        const char *q = p;

        while (*q == ' ')
            q++;
        if (strncmp(q, name, nl) == 0 && q[nl] == ' ')
            found = p;
        p = end ? end + 1 : NULL;
    }
    if (!found)
        return NULL;
    snprintf(buf, len, "%.*s", (int)(strchrnul(found, '\n') - found), found);
    return buf;
}

/* The STATE column (the second field) of a row. */
static const char *state_of(const char *row, char st[8])
{
    if (!row || sscanf(row, "%*s %7s", st) != 1)
        snprintf(st, 8, "?");
    return st;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Wait up to timeout_ms until `xl list NAME`'s state has the letter `c`. */
static bool wait_state(const char *name, char c, int timeout_ms)
{
    char args[128];

    snprintf(args, sizeof(args), "list %s", name);
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        char *out = NULL, *row;
        bool hit = false;

        if (xl_run(args, &out) == 0 && out && (row = strchr(out, '\n'))) {
            char st[16] = "";

            if (sscanf(row + 1, "%*s %*s %*s %*s %15s", st) == 1)
                hit = strchr(st, c) != NULL;
        }
        free(out);
        if (hit)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

static void test_batch_rows_and_states(void)
{
    char *out = NULL, buf[1024], st[8];
    const char *row;
    double pct = -1;

    if (!ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q -p examples/hello.xml name=xt-paused", NULL), 0);
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q examples/hello.xml name=xt-busy " LONG_RUNNING, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q examples/hello.xml name=xt-done", NULL), 0);
    CU_ASSERT_TRUE(wait_state("xt-done", 's', 10000));

    CU_ASSERT_EQUAL(xentop_run("-b -i 2 -d 1", &out), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    /* Batch mode: the header every round, no summary lines. */
    CU_ASSERT_EQUAL(count(out, "      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) "
                               "MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   "
                               "VBD_WR  VBD_RSECT  VBD_WSECT SSID\n"), 2);
    CU_ASSERT_PTR_NULL(strstr(out, "xentop - "));
    CU_ASSERT_PTR_NULL(strstr(out, "domains:"));
    CU_ASSERT_EQUAL(count(out, "  Domain-0 "), 2);

    row = last_row(out, "Domain-0", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row);
    CU_ASSERT_PTR_NOT_NULL(row ? strstr(row, " no limit       n/a ") : NULL);
    CU_ASSERT_STRING_EQUAL(state_of(row, st), "------");

    row = last_row(out, "xt-paused", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row);
    CU_ASSERT_STRING_EQUAL(state_of(row, st), "----p-");
    CU_ASSERT_PTR_NOT_NULL(row ? strstr(row, "      16384 ") : NULL);    /* MEM(k) */

    row = last_row(out, "xt-done", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row);
    CU_ASSERT_STRING_EQUAL(state_of(row, st), "-s----");

    /* Runnable: never paused, shut down or dying; r while it holds the CPU. */
    row = last_row(out, "xt-busy", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row);
    state_of(row, st);
    CU_ASSERT_TRUE(st[0] == '-' && st[1] == '-' && st[3] == '-' && st[4] == '-');
    /* The second round's CPU(%) comes from the cpu_time delta: the guest is busy. */
    if (row)
        CU_ASSERT_EQUAL(sscanf(row, "%*s %*s %*s %lf", &pct), 1);
    CU_ASSERT_TRUE(pct > 0.0);
    if (!(pct > 0.0))
        fprintf(stderr, "\n  xentop -b -i 2 -d 1:\n%s\n", out);
    free(out);
}

static void test_names_and_memory_view(void)
{
    char *out = NULL, buf[1024];
    const char *row;

    if (!ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q -p examples/hello-shadow.xml name=xt-a-long-name", NULL), 0);
    CU_ASSERT_EQUAL(xentop_run("-b -i 1", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\nxt-a-long- ----p- "));
    CU_ASSERT_PTR_NULL(out ? strstr(out, "xt-a-long-name") : NULL);
    free(out);
    out = NULL;
    CU_ASSERT_EQUAL(xentop_run("-b -i 1 -f -m", &out), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, " SSID   MODE  TLBMISS/s WALK/MISS   EXITS/s SHFAULT/s   "
                                       "SHARED PAGEDOUT\n"));
    row = last_row(out, "xt-a-long-name", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row);
    CU_ASSERT_PTR_NOT_NULL(row ? strstr(row, " shadow ") : NULL);
    row = last_row(out, "xt-paused", buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(row ? strstr(row, "    hap ") : NULL);
    free(out);
    CU_ASSERT_EQUAL(xl_run("destroy xt-a-long-name", NULL), 0);
}

static void test_errors(void)
{
    char cmd[8192], *out = NULL;

    if (!ready())
        return;
    /* No hypervisor behind XEN_RUN_DIR. */
    snprintf(cmd, sizeof(cmd), "env XEN_RUN_DIR='%s/nowhere' '%s' -b -i 1", xl_rundir(),
             ut_build_path("bin/xentop"));
    CU_ASSERT_EQUAL(ut_run(cmd, &out), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "xentop: cannot reach the hypervisor at "));
    free(out);
    out = NULL;
    /* An unknown option. */
    CU_ASSERT_EQUAL(xentop_run("-b -Z", &out), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "Usage: xentop"));
    free(out);
    out = NULL;
    /* An unprivileged caller (needs root to switch users, as integration/xl/failures). */
    if (geteuid() != 0)
        return;
    snprintf(cmd, sizeof(cmd),
             "setpriv --reuid=nobody --regid=nogroup --clear-groups env XEN_RUN_DIR='%s' '%s' -b -i 1",
             xl_rundir(), ut_build_path("bin/xentop"));
    CU_ASSERT_EQUAL(ut_run(cmd, &out), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "permission denied"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "dom0 privileges"));
    if (!out || !strstr(out, "permission denied"))
        fprintf(stderr, "\n  %s\n", out ? out : "");
    free(out);
}

/* tmux on a private socket, so that no user's server is touched. */
static char tmux_sock[64];

static int tmux(const char *args, char **out)
{
    char cmd[8400];

    snprintf(cmd, sizeof(cmd), "tmux -L '%s' -f /dev/null %s", tmux_sock, args);
    return ut_run(cmd, out);
}

/* Wait up to timeout_ms until the pane shows `want`; the last capture in *screen. */
static bool pane_shows(const char *want, int timeout_ms, char **screen)
{
    for (int waited = 0; waited <= timeout_ms; waited += 100) {
        free(*screen);
        *screen = NULL;
        if (tmux("capture-pane -p -t xt", screen) == 0 && *screen && strstr(*screen, want))
            return true;
        usleep(100 * 1000);
    }
    return false;
}

static bool session_gone(int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 100) {
        if (tmux("has-session -t xt 2>/dev/null", NULL) != 0)
            return true;
        usleep(100 * 1000);
    }
    return false;
}

/* Start `prog [arg]` in a 200x50 pane. */
static bool start_session(const char *prog, const char *arg)
{
    char args[8192];

    snprintf(args, sizeof(args),
             "new-session -d -s xt -x 200 -y 50 \"env TERM=screen XEN_RUN_DIR='%s' '%s' %s\"",
             xl_rundir(), prog, arg);
    return tmux(args, NULL) == 0;
}

static void test_curses_under_tmux(void)
{
    char *screen = NULL;

    if (!ready())
        return;
    if (ut_run("command -v tmux >/dev/null 2>&1", NULL) != 0) {
        fprintf(stderr, "\n  [integration/xentop: tmux is not installed; curses test skipped]\n");
        return;
    }
    snprintf(tmux_sock, sizeof(tmux_sock), "umbra-xentop-%d", (int)getpid());
    /* `xl top` runs xentop from xl's own directory. */
    CU_ASSERT_TRUE_FATAL(start_session(ut_build_path("bin/xl"), "top"));
    CU_ASSERT_TRUE(pane_shows("CPUs: ", 5000, &screen));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, "xentop - "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, " domains: "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, " running, "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, "Mem: "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, "k total, "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, "      NAME  STATE   CPU(sec) CPU(%)"));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, "  Domain-0 ------ "));
    CU_ASSERT_PTR_NOT_NULL(screen && strstr(screen, " xt-paused ----p- "));
    if (!screen || !strstr(screen, " domains: "))
        fprintf(stderr, "\n  screen:\n%s\n", screen ? screen : "");
    /* M: Umbra's memory view. */
    CU_ASSERT_EQUAL(tmux("send-keys -t xt M", NULL), 0);
    CU_ASSERT_TRUE(pane_shows("TLBMISS/s", 3000, &screen));
    /* S: the next sort column, named in the key bar. */
    CU_ASSERT_EQUAL(tmux("send-keys -t xt S", NULL), 0);
    CU_ASSERT_TRUE(pane_shows("Sort order (NAME)", 3000, &screen));
    /* D: the delay prompt. */
    CU_ASSERT_EQUAL(tmux("send-keys -t xt D", NULL), 0);
    CU_ASSERT_TRUE(pane_shows("Delay(sec):", 3000, &screen));
    CU_ASSERT_EQUAL(tmux("send-keys -t xt 1 Enter", NULL), 0);
    CU_ASSERT_TRUE(pane_shows("Sort order (NAME)", 3000, &screen));
    /* Q quits. */
    CU_ASSERT_EQUAL(tmux("send-keys -t xt q", NULL), 0);
    CU_ASSERT_TRUE(session_gone(3000));
    /* So does Esc. */
    CU_ASSERT_TRUE_FATAL(start_session(ut_build_path("bin/xentop"), "-d 1"));
    CU_ASSERT_TRUE(pane_shows("CPUs: ", 5000, &screen));
    CU_ASSERT_EQUAL(tmux("send-keys -t xt Escape", NULL), 0);
    CU_ASSERT_TRUE(session_gone(3000));
    tmux("kill-server 2>/dev/null", NULL);
    free(screen);
}

static void test_cleanup_guests(void)
{
    if (!ready())
        return;
    CU_ASSERT_EQUAL(xl_run("destroy xt-paused", NULL), 0);
    CU_ASSERT_EQUAL(xl_run("destroy xt-busy", NULL), 0);
    CU_ASSERT_EQUAL(xl_run("destroy xt-done", NULL), 0);
    CU_ASSERT_EQUAL(xl_list_count(), 1);
}

UMBRA_SUITE(xentop_integration, "integration/xentop", up, down,
            UMBRA_TEST(test_batch_rows_and_states), UMBRA_TEST(test_names_and_memory_view),
            UMBRA_TEST(test_errors), UMBRA_TEST(test_curses_under_tmux),
            UMBRA_TEST(test_cleanup_guests))
