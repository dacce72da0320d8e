/*
 * xl_console.c: `xl console <Domain>` and the console half of `xl create -c`.
 *
 * Streams the domain's console buffer (what the guest wrote with console_io,
 * kept by the hypervisor) to stdout, from its beginning. Ctrl+] (0x1d) on a
 * terminal detaches. The stream ends when the domain is gone, or has shut
 * down and everything it wrote has been shown.
 * Invariant: the terminal's settings are restored on every way out.
 */
#include "xl.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#define CTRL_RIGHT_BRACKET 0x1d
#define POLL_MS 20

static struct termios saved_tty;

/* SIGINT/SIGTERM/SIGHUP while attached: give the terminal back, then die. */
static void restore_and_exit(int sig)
{
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
    _exit(128 + sig);
}

/* Copy whatever is new in the buffer to stdout. Returns bytes shown, or -1. */
static long drain(uint32_t domid, uint64_t *off)
{
    char buf[4096];
    long total = 0;

    for (;;) {
        int n = xc_domain_console_read(xl_xch(), domid, buf, sizeof(buf), off);

        if (n < 0)
            return total ? total : -1;
        if (n == 0)
            return total;
        fwrite(buf, 1, (size_t)n, stdout);
        fflush(stdout);
        total += n;
    }
}

/* True if the user typed Ctrl+] within POLL_MS (only on a terminal). */
static bool detach_requested(bool tty)
{
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    char c;

    if (!tty) {
        poll(NULL, 0, POLL_MS);
        return false;
    }
    if (poll(&p, 1, POLL_MS) <= 0 || read(STDIN_FILENO, &c, 1) != 1)
        return false;
    return c == CTRL_RIGHT_BRACKET;
}

int xl_console_attach(uint32_t domid)
{
    struct termios raw;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty) == 0;
    uint64_t off = 0;
    int rc = -1;

    if (tty) {
        struct sigaction sa = { .sa_handler = restore_and_exit };

        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        raw = saved_tty;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    for (;;) {
        xc_dominfo_t info;
        bool alive = xl_domain_info(domid, &info) == 0 && !info.dying;
        long n = drain(domid, &off);

        if (!alive || (info.shutdown && n <= 0)) {
            rc = 0;
            break;
        }
        if (n < 0) {
            xl_fail("reading the domain's console");
            break;
        }
        if (detach_requested(tty)) {
            rc = 1;
            break;
        }
    }
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
    return rc;
}

int main_console(int argc, char **argv)
{
    uint32_t domid;
    int opt;

    optind = 1;
    while ((opt = getopt(argc, argv, "t:n:")) != -1)
        if (opt == '?')
            return EXIT_FAILURE;   /* -t pv and -n 0 name Umbra's one console */
    if (argc - optind != 1) {
        fprintf(stderr, "'xl console' requires exactly one <Domain> argument.\n");
        return EXIT_FAILURE;
    }
    domid = xl_find_domain(argv[optind]);
    return xl_console_attach(domid) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
