/*
 * xl_domain.c: the lifecycle subcommands: destroy, shutdown [-w], reboot,
 * pause, unpause.
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
    if (xc_domain_destroy(xl_xch(), domid) < 0)
        return xl_fail("destroying the domain");
    libxl_userdata_remove(domid);
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
    if (xc_domain_shutdown(xl_xch(), domid, reason) < 0)
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
