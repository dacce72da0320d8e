/*
 * main.c: bench-paging-guests, the program behind `make bench-paging`.
 *
 *   bench-paging-guests [-t SECONDS] CONFIG [key=value...] [CONFIG [key=value...]]...
 *
 * Each CONFIG is a libvirt domain XML file (examples/<workload>.xml); the
 * key=value words after it are xl create overrides for it (e.g.
 * 'cmdline=workload=randmem size=32M iters=500000'). Every workload runs once
 * under each paging mode (HAP 4 KiB, HAP 2 MiB, shadow), one domain at a
 * time, against the hypervisor at $XEN_RUN_DIR (run.sh starts a private one).
 * Progress goes to stderr, the tables to stdout. Exit status: 0 when every
 * run powered off cleanly, 1 when one failed (the tables still print), 2 on
 * bad usage. No time is asserted.
 */
#include "bench_paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKLOADS 32

static void usage(void)
{
    fprintf(stderr, "usage: bench-paging-guests [-t SECONDS] CONFIG [key=value...]...\n");
    exit(2);
}

/* The config's <name>, to label its rows. 0, or -1 after printing why. */
static int workload_name(struct bp_workload *w)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX];

    if (libxl_config_parse_file(w->config, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench-paging: %s\n", err);
        return -1;
    }
    snprintf(w->name, sizeof(w->name), "%s", cfg.name);
    return 0;
}

/* Fill w[] from argv; returns the number of workloads. */
static unsigned parse_args(int argc, char **argv, struct bp_workload *w, double *timeout)
{
    unsigned nr = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            *timeout = atof(argv[++i]);
            if (*timeout <= 0)
                usage();
        } else if (strchr(argv[i], '=') && !strstr(argv[i], ".xml")) {
            if (!nr || w[nr - 1].nr_overrides == BP_MAX_OVERRIDES)
                usage();
            w[nr - 1].overrides[w[nr - 1].nr_overrides++] = argv[i];
        } else {
            if (nr == MAX_WORKLOADS)
                usage();
            memset(&w[nr], 0, sizeof(w[nr]));
            w[nr].config = argv[i];
            if (workload_name(&w[nr]) < 0)
                exit(2);
            nr++;
        }
    }
    if (!nr)
        usage();
    return nr;
}

static void print_load(const char *when)
{
    char buf[128] = "";
    FILE *f = fopen("/proc/loadavg", "r");

    if (f) {
        if (!fgets(buf, sizeof(buf), f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    printf("host load average %s: %s\n", when, buf);
}

int main(int argc, char **argv)
{
    static struct bp_workload w[MAX_WORKLOADS];
    static struct bp_result res[MAX_WORKLOADS][BP_NR_MODES];
    double timeout = 600;
    unsigned nr = parse_args(argc, argv, w, &timeout), done = 0, failed = 0;
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!xch) {
        perror("bench-paging: cannot reach the hypervisor (XEN_RUN_DIR)");
        return 1;
    }
    print_load("before");
    for (unsigned i = 0; i < nr; i++)
        for (int m = 0; m < BP_NR_MODES; m++) {
            struct bp_result *r = &res[i][m];

            fprintf(stderr, "bench-paging: [%u/%u] %s %s ... ", ++done, nr * BP_NR_MODES,
                    w[i].name, bp_mode_name(m));
            bp_run(xch, &w[i], m, timeout, r);
            if (r->ok)
                fprintf(stderr, "%.2f s, %.1f M modeled cycles\n", r->host_s, r->st.cycles / 1e6);
            else
                fprintf(stderr, "FAILED: %s\n", r->note);
            failed += !r->ok;
        }
    print_load("after");
    printf("\n");
    bp_report(w, nr, res);
    xc_interface_close(xch);
    return failed ? 1 : 0;
}
