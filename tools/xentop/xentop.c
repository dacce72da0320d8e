/*
 * xentop.c: main for xentop: options, opening libxenctrl, the batch loop
 * (-b), and the errors a user sees. The interactive screen is
 * xentop_curses.c; the text layout is xentop_format.c.
 *
 * Invariants: every failure to reach or query the hypervisor ends with one
 * line on stderr naming the problem and exit status 1, before curses starts;
 * batch mode prints no summary lines, only the header and the rows, every
 * round.
 */
#include "xentop.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: xentop [OPTION]\n"
            "Displays ongoing information about Umbra/Xen domains\n\n"
            "-h, --help           display this help and exit\n"
            "-V, --version        output version information and exit\n"
            "-d, --delay=SECONDS  seconds between updates (default 3)\n"
            "-n, --networks       output network information\n"
            "-x, --vbds           output vbd block device data\n"
            "-r, --repeat-header  repeat table header before each domain\n"
            "-v, --vcpus          output vcpu data\n"
            "-b, --batch          output in batch mode, no user input accepted\n"
            "-i, --iterations     number of iterations before exiting\n"
            "-f, --full-name      output the full domain name (not truncated)\n"
            "-m, --mem            Umbra's memory-virtualization columns: paging MODE,\n"
            "                     TLB misses/s, walk references per miss, exits/s,\n"
            "                     shadow faults/s, shared and paged-out pages\n");
}

/* Report a failed hypervisor call as the user should read it; returns 1. */
static int fail(const char *what)
{
    int e = errno;

    if (e == EPERM || e == EACCES)
        fprintf(stderr, "xentop: %s: permission denied (EPERM): xentop needs dom0 privileges "
                        "(root, or the hypervisor's own user)\n", what);
    else
        fprintf(stderr, "xentop: %s: %s\n", what, strerror(e));
    return 1;
}

static int batch(xc_interface *xch, const struct xt_view *v, double delay, long iterations)
{
    struct xt_snapshot prev = { 0 }, cur;
    bool have_prev = false;

    for (long round = 0; iterations <= 0 || round < iterations; round++) {
        if (round) {
            struct timespec ts = { (time_t)delay,
                                   (long)((delay - (double)(time_t)delay) * 1e9) };

            while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
        }
        if (xt_collect(xch, &cur, v->vcpus) < 0) {
            xt_snapshot_free(&prev);
            return fail("reading domain information");
        }
        xt_deltas(have_prev ? &prev : NULL, &cur);
        xt_sort(cur.doms, cur.n, v->sort, cur.phys.total_pages * 4);
        xt_fmt_header(stdout, v);
        for (unsigned i = 0; i < cur.n; i++) {
            if (v->repeat_header && i)
                xt_fmt_header(stdout, v);
            xt_fmt_row(stdout, &cur.doms[i], cur.phys.total_pages * 4, v);
            xt_fmt_extra_lines(stdout, &cur.doms[i], v);
        }
        fflush(stdout);
        xt_snapshot_free(&prev);
        prev = cur;
        have_prev = true;
    }
    xt_snapshot_free(&prev);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'V' },
        { "delay", required_argument, NULL, 'd' },   { "networks", no_argument, NULL, 'n' },
        { "vbds", no_argument, NULL, 'x' },          { "repeat-header", no_argument, NULL, 'r' },
        { "vcpus", no_argument, NULL, 'v' },         { "batch", no_argument, NULL, 'b' },
        { "iterations", required_argument, NULL, 'i' },
        { "full-name", no_argument, NULL, 'f' },     { "mem", no_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    struct xt_view view = { .sort = XT_SORT_DOMID };
    struct xt_snapshot probe;
    double delay = 3;
    long iterations = 0;
    bool batch_mode = false;
    xc_interface *xch;
    char *end;
    int c, rc;

    while ((c = getopt_long(argc, argv, "hVd:nxrvbi:fm", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 'V': printf("xentop (Umbra)\n"); return 0;
        case 'd':
            delay = strtod(optarg, &end);
            if (*end || end == optarg || delay <= 0) {
                fprintf(stderr, "xentop: invalid delay '%s'\n", optarg);
                return 1;
            }
            break;
        case 'i':
            iterations = strtol(optarg, &end, 10);
            if (*end || end == optarg || iterations <= 0) {
                fprintf(stderr, "xentop: invalid number of iterations '%s'\n", optarg);
                return 1;
            }
            break;
        case 'n': view.networks = true; break;
        case 'x': view.vbds = true; break;
        case 'r': view.repeat_header = true; break;
        case 'v': view.vcpus = true; break;
        case 'b': batch_mode = true; break;
        case 'f': view.full_names = true; break;
        case 'm': view.mem = true; break;
        default:
            usage(stderr);
            return 1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "xentop: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 1;
    }

    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        const char *dir = getenv("XEN_RUN_DIR");
        char what[512];

        snprintf(what, sizeof(what), "cannot reach the hypervisor at %s/privcmd "
                 "(is it running? see XEN_RUN_DIR)", dir && *dir ? dir : "/run/xen");
        return fail(what);
    }
    /* One round up front so that an unprivileged caller is told before curses starts. */
    if (xt_collect(xch, &probe, false) < 0) {
        rc = fail("reading domain information");
        xc_interface_close(xch);
        return rc;
    }
    xt_snapshot_free(&probe);
    rc = batch_mode ? batch(xch, &view, delay, iterations)
                    : xt_curses_run(xch, &view, delay, iterations);
    xc_interface_close(xch);
    return rc;
}
