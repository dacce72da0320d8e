/*
 * main.c: the hypervisor daemon `xen`.
 *
 *   xen [-m SIZE] [-p NPCPUS] [--run-dir DIR]
 *
 * Owns machine memory (-m, default 1G) and NPCPUS pCPU threads (-p,
 * default 1), creates Domain-0, and serves dom0 on $XEN_RUN_DIR/privcmd
 * (--run-dir, else XEN_RUN_DIR, else /run/xen). SIGTERM or SIGINT: destroy
 * every domain, remove the socket, exit 0.
 * Invariant: signals are blocked in every thread and taken only through
 * the main loop's signalfd, so a stop always runs the full clean-up.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "public/privcmd.h"
#include "public/version.h"
#include "umbra/console.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/privcmd_srv.h"
#include "umbra/sched.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: xen [-m SIZE] [-p NPCPUS] [--run-dir DIR]\n"
               "  -m SIZE        machine memory (suffix K, M, G; default 1G)\n"
               "  -p NPCPUS      physical CPU threads (default 1: deterministic)\n"
               "  --run-dir DIR  where the privcmd socket lives (default $XEN_RUN_DIR or /run/xen)\n");
}

/* Parse SIZE with an optional K/M/G/T suffix (bytes without one). 0 on error. */
static uint64_t parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;

    if (end == s)
        return 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B' || *end == 'b')
        end++;
    if (*end == 'B')
        end++;
    if (*end || v > (UINT64_MAX >> shift))
        return 0;
    return (uint64_t)v << shift;
}

static int mkdir_p(const char *dir)
{
    char buf[PATH_MAX];

    if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
        return -ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                return -errno;
            *p = '/';
        }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "run-dir", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t mem = 1ULL << 30;
    unsigned long npcpus = 1;
    const char *rundir = getenv("XEN_RUN_DIR");
    char sock[PATH_MAX];
    sigset_t sigs;
    int c, rc, lfd, sfd, sig;

    while ((c = getopt_long(argc, argv, "m:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            mem = parse_size(optarg);
            if (!mem || mem % (2ULL << 20)) {
                fprintf(stderr, "xen: -m %s: want a multiple of 2M, e.g. 1G\n", optarg);
                return 2;
            }
            break;
        case 'p':
            npcpus = strtoul(optarg, NULL, 10);
            if (npcpus < 1 || npcpus > MAX_PCPUS) {
                fprintf(stderr, "xen: -p %s: want 1..%d\n", optarg, MAX_PCPUS);
                return 2;
            }
            break;
        case 'r':
            rundir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (!rundir || !*rundir)
        rundir = "/run/xen";

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);   /* before any thread exists */
    sigdelset(&sigs, SIGPIPE);
    sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    if (sfd < 0) {
        perror("xen: signalfd");
        return 1;
    }

    rc = mkdir_p(rundir);
    if (rc) {
        fprintf(stderr, "xen: cannot create %s: %s\n", rundir, strerror(-rc));
        return 1;
    }
    rc = mm_init(mem);
    if (rc) {
        fprintf(stderr, "xen: cannot create %llu bytes of machine memory: %s\n",
                (unsigned long long)mem, strerror(-rc));
        return 1;
    }
    xen_lock_acquire();
    rc = sched_init((unsigned)npcpus);
    if (!rc)
        rc = domain_create_dom0();
    xen_lock_release();
    if (rc) {
        fprintf(stderr, "xen: start-up failed: %s\n", strerror(-rc));
        return 1;
    }
    lfd = privcmd_listen(rundir);
    if (lfd < 0) {
        fprintf(stderr, "xen: cannot listen on %s/%s: %s\n", rundir, PRIVCMD_SOCKET,
                strerror(-lfd));
        return 1;
    }
    snprintf(sock, sizeof(sock), "%s/%s", rundir, PRIVCMD_SOCKET);
    rc = sched_start();
    if (rc) {
        fprintf(stderr, "xen: cannot start pCPU threads: %s\n", strerror(-rc));
        unlink(sock);
        return 1;
    }
    xen_log("Umbra Xen %d.%d%s: %llu MiB machine memory, %lu pCPU%s, credit scheduler, "
            "privcmd at %s", UMBRA_XEN_MAJOR, UMBRA_XEN_MINOR, UMBRA_XEN_EXTRA,
            (unsigned long long)(mem >> 20), npcpus, npcpus == 1 ? "" : "s", sock);

    sig = privcmd_serve(lfd, sfd);
    xen_log("stopping (%s)", sig > 0 ? strsignal(sig) : "error");
    close(lfd);
    unlink(sock);
    privcmd_close_all();
    xen_lock_acquire();
    for (struct domain *d = domain_list(); d; d = d->next)
        for (unsigned i = 0; i < d->max_vcpus; i++)
            sched_vcpu_remove(d->vcpus[i]);
    xen_lock_release();
    sched_stop();
    xen_lock_acquire();
    domain_destroy_all();
    xen_lock_release();
    mm_fini();
    return sig > 0 ? 0 : 1;
}
