/*
 * xl_domain.c: the lifecycle subcommands: destroy, shutdown [-w], reboot,
 * pause, unpause. Shutdown and reboot ask the guest through xenstore when it
 * listens there, else (or when it ignores the request) the hypervisor.
 * Invariants: Domain-0 is never destroyed, paused or shut down from here;
 * destroy also removes the domain's saved config.
 */
#include "xl.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "public/sched.h"
#include "xenstore.h"

#define PV_SHUTDOWN_TIMEOUT_MS 10000

/* The single <Domain> argument of a subcommand with no options. */
static int one_domain(int argc, char **argv, uint32_t *domid)
{
    optind = 1;
    if (getopt(argc, argv, "") != -1)
        return -1;
    if (argc - optind != 1) {
        fprintf(stderr, "'xl %s' requires exactly one <Domain> argument.\n", argv[0]);
        return -1;
    }
    *domid = xl_find_domain(argv[optind]);
    return 0;
}

int main_destroy(int argc, char **argv)
{
    uint32_t domid;

    if (one_domain(argc, argv, &domid) < 0)
        return EXIT_FAILURE;
    if (domid == 0) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n");
        return EXIT_FAILURE;
    }
    if (libxl_domain_destroy(xl_xch(), domid) < 0)
        return xl_fail("destroying the domain");
    return EXIT_SUCCESS;
}

int main_pause(int argc, char **argv)
{
    uint32_t domid;

    if (one_domain(argc, argv, &domid) < 0)
        return EXIT_FAILURE;
    if (xc_domain_pause(xl_xch(), domid) < 0)
        return xl_fail("pausing the domain");
    return EXIT_SUCCESS;
}

int main_unpause(int argc, char **argv)
{
    uint32_t domid;

    if (one_domain(argc, argv, &domid) < 0)
        return EXIT_FAILURE;
    if (xc_domain_unpause(xl_xch(), domid) < 0)
        return xl_fail("unpausing the domain");
    return EXIT_SUCCESS;
}

/* Wait until domid has shut down or is gone; prints Xen's messages. */
static void wait_for_shutdown(uint32_t domid)
{
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    xc_dominfo_t info;

    fprintf(stderr, "Waiting for 1 domains\n");
    for (;;) {
        if (xl_domain_info(domid, &info) < 0 || info.dying) {
            fprintf(stderr, "Domain %u has been destroyed.\n", domid);
            return;
        }
        if (info.shutdown) {
            fprintf(stderr, "Domain %u has been shut down, reason code %u\n", domid,
                    info.shutdown_reason);
            return;
        }
        nanosleep(&ts, NULL);
    }
}

/* Has domid shut down (or gone) within timeout_ms? */
static bool shut_down_within(uint32_t domid, int timeout_ms)
{
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    xc_dominfo_t info;

    for (int waited = 0; waited <= timeout_ms; waited += 20) {
        if (xl_domain_info(domid, &info) < 0 || info.shutdown || info.dying)
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

/*
 * Ask the guest through xenstore's control/shutdown when it listens there
 * (control/feature-poweroff or -reboot is 1); if it has not acted within
 * PV_SHUTDOWN_TIMEOUT_MS, or does not listen, use the hypervisor's remote
 * shutdown, as Xen's xl falls back. Returns 0 or -1 with errno.
 */
static int request_shutdown(uint32_t domid, int reason)
{
    const char *what = reason == SHUTDOWN_reboot ? "reboot" : "poweroff";
    struct xs_handle *xs = xs_open(0);
    int asked = xs ? libxl_xs_request_shutdown(xs, domid, what) : 0;

    xs_close(xs);
    if (asked == 1 && shut_down_within(domid, PV_SHUTDOWN_TIMEOUT_MS))
        return 0;
    if (asked == 1)
        fprintf(stderr, "Domain %u did not act on control/shutdown within %d s; "
                        "shutting it down from the hypervisor\n", domid,
                PV_SHUTDOWN_TIMEOUT_MS / 1000);
    return xc_domain_shutdown(xl_xch(), domid, reason);
}

static int signal_domain(int argc, char **argv, int reason, bool allow_wait)
{
    bool wait = false;
    uint32_t domid;
    int opt;

    optind = 1;
    while ((opt = getopt(argc, argv, allow_wait ? "waF" : "F")) != -1) {
        if (opt == 'w')
            wait = true;
        else if (opt != 'F')   /* -F (fallback for HVM) has no meaning for PV */
            return EXIT_FAILURE;
    }
    if (argc - optind != 1) {
        fprintf(stderr, "'xl %s' requires exactly one <Domain> argument.\n", argv[0]);
        return EXIT_FAILURE;
    }
    domid = xl_find_domain(argv[optind]);
    if (domid == 0) {
        fprintf(stderr, "xl: %s: refusing to signal Domain-0, the host itself\n", argv[0]);
        return EXIT_FAILURE;
    }
    fprintf(stderr, "%s domain %u\n", reason == SHUTDOWN_reboot ? "Rebooting" : "Shutting down",
            domid);
    if (request_shutdown(domid, reason) < 0)
        return xl_fail(reason == SHUTDOWN_reboot ? "rebooting the domain"
                                                 : "shutting down the domain");
    if (wait)
        wait_for_shutdown(domid);
    return EXIT_SUCCESS;
}

int main_shutdown(int argc, char **argv)
{
    return signal_domain(argc, argv, SHUTDOWN_poweroff, true);
}

int main_reboot(int argc, char **argv)
{
    return signal_domain(argc, argv, SHUTDOWN_reboot, false);
}
