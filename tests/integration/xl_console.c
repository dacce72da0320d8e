/*
 * xl_console.c: suite integration/xl/console: `xl console` on a terminal
 * streams a running guest's output and detaches on Ctrl+]; `xl reboot` makes
 * the domain's monitor carry out on_reboot=restart (a new domain id, same
 * name); `xl shutdown -w` waits for the shutdown.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LONG_RUNNING "cmdline='workload=compute iters=4000000000'"

static int up(void)
{
    return xl_stack_up("xl-console") < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

/* Read from fd for up to ms milliseconds, appending to buf. */
static size_t read_for(int fd, char *buf, size_t len, size_t used, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    for (int waited = 0; waited < ms && used + 1 < len; waited += 50) {
        ssize_t n;

        if (poll(&p, 1, 50) <= 0)
            continue;
        n = read(fd, buf + used, len - used - 1);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    return used;
}

static void test_console_detach(void)
{
    char buf[8192];
    size_t used;
    int fd, st = -1;
    pid_t pid;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q examples/hello.xml name=con " LONG_RUNNING, NULL), 0);
    pid = forkpty(&fd, NULL, NULL, NULL);
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        execl(ut_build_path("bin/xl"), "xl", "console", "con", (char *)NULL);
        _exit(127);
    }
    used = read_for(fd, buf, sizeof(buf), 0, 1500);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Umbra PV kernel"));
    CU_ASSERT_EQUAL(write(fd, "\x1d", 1), 1);
    /* Up to 15 s. Once xl closes the pty, reads fail at once, so pace the loop. */
    for (int i = 0; i < 300 && waitpid(pid, &st, WNOHANG) == 0; i++) {
        read_for(fd, buf, sizeof(buf), used, 50);
        usleep(50 * 1000);
        st = -1;
    }
    if (st == -1) {
        char cmd[128], *ps = NULL;

        snprintf(cmd, sizeof(cmd), "cat /proc/%d/wchan; echo; ps -o pid,stat,args --ppid %d -p %d",
                 (int)pid, (int)pid, (int)pid);
        ut_run(cmd, &ps);
        fprintf(stderr, "\n  console still running:\n%s\n  output: %s\n", ps, buf);
        free(ps);
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        CU_FAIL("xl console did not detach on Ctrl+]");
    } else {
        CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    close(fd);
    /* Detaching leaves the domain running. */
    CU_ASSERT_EQUAL(xl_run("list con", NULL), 0);
    CU_ASSERT_EQUAL(xl_run("destroy con", NULL), 0);
}

/* The id of domain `name`, or -1. */
static long domid_of(const char *name)
{
    char args[128], *out = NULL, *row;
    long id = -1;

    snprintf(args, sizeof(args), "list %s", name);
    if (xl_run(args, &out) == 0 && (row = strchr(out, '\n')))
        sscanf(row + 1, "%*s %ld", &id);
    free(out);
    return id;
}

static void test_reboot_restarts(void)
{
    long before, after = -1;
    char *out = NULL;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q examples/hello.xml name=rb " LONG_RUNNING, NULL), 0);
    before = domid_of("rb");
    CU_ASSERT(before > 0);
    CU_ASSERT_EQUAL(xl_run("reboot rb", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Rebooting domain"));
    free(out);
    for (int i = 0; i < 250; i++) {
        after = domid_of("rb");
        if (after > 0 && after != before)
            break;
        usleep(20 * 1000);
    }
    CU_ASSERT(after > 0 && after != before);
    CU_ASSERT_EQUAL(xl_run("destroy rb", NULL), 0);
}

static void test_shutdown_wait(void)
{
    char *out = NULL;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -q examples/hello.xml name=sw on_poweroff=destroy "
                                 LONG_RUNNING, NULL), 0);
    CU_ASSERT_EQUAL(xl_run("shutdown -w sw", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Shutting down domain"));
    CU_ASSERT(strstr(out, "has been shut down") || strstr(out, "has been destroyed"));
    free(out);
    CU_ASSERT_EQUAL(xl_wait_gone("sw", 10000), 0);   /* the monitor destroys it */
}

UMBRA_SUITE(xl_console, "integration/xl/console", up, down,
            UMBRA_TEST(test_console_detach), UMBRA_TEST(test_reboot_restarts),
            UMBRA_TEST(test_shutdown_wait))
