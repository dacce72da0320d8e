/*
 * xl_sched.c: `xl sched-credit` and `xl vcpu-list`, in Xen's tables.
 * The credit scheduler's weight defaults to 256 and its cap to 0 (none).
 * Invariant: setting (-w/-c) prints nothing; showing never changes anything.
 */
#include "xl.h"
#include "xl_format.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sched_row(const xc_dominfo_t *d)
{
    struct xen_domctl_sched_credit s;

    if (xc_sched_credit_domain_get(xl_xch(), d->domid, &s) == 0)
        xl_fmt_sched_row(stdout, xl_domain_name(d), d->domid, &s);
}

/* A decimal in [0, max] into *v; -1 if malformed. */
static int parse_param(const char *s, unsigned max, int *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 10);

    if (!*s || *end || x > max)
        return -1;
    *v = (int)x;
    return 0;
}

int main_sched_credit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "domain", required_argument, NULL, 'd' }, { "weight", required_argument, NULL, 'w' },
        { "cap", required_argument, NULL, 'c' }, { NULL, 0, NULL, 0 } };
    const char *dom = NULL;
    int weight = -1, cap = -1, opt;
    xc_dominfo_t *doms, info;
    int n;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:w:c:", longopts, NULL)) != -1) {
        if (opt == 'd') {
            dom = optarg;
        } else if (opt == 'w') {
            if (parse_param(optarg, 65535, &weight) < 0 || weight == 0) {
                fprintf(stderr, "Invalid weight '%s': it must be between 1 and 65535.\n", optarg);
                return EXIT_FAILURE;
            }
        } else if (opt == 'c') {
            if (parse_param(optarg, 65535, &cap) < 0) {
                fprintf(stderr, "Invalid cap '%s'.\n", optarg);
                return EXIT_FAILURE;
            }
        } else {
            return EXIT_FAILURE;
        }
    }
    if (!dom && (weight >= 0 || cap >= 0)) {
        fprintf(stderr, "Must specify a domain.\n");
        return EXIT_FAILURE;
    }
    if (dom) {
        uint32_t domid = xl_find_domain(dom);
        struct xen_domctl_sched_credit s;

        if (weight < 0 && cap < 0) {
            if (xl_domain_info(domid, &info) < 0)
                return xl_fail("getting domain information");
            xl_fmt_sched_header(stdout);
            sched_row(&info);
            return EXIT_SUCCESS;
        }
        if (xc_sched_credit_domain_get(xl_xch(), domid, &s) < 0)
            return xl_fail("getting scheduler parameters");
        if (weight >= 0)
            s.weight = (uint16_t)weight;
        if (cap >= 0)
            s.cap = (uint16_t)cap;
        if (xc_sched_credit_domain_set(xl_xch(), domid, &s) < 0)
            return xl_fail("setting scheduler parameters");
        return EXIT_SUCCESS;
    }
    if ((n = xl_domain_list(&doms)) < 0)
        return xl_fail("listing domains");
    xl_fmt_sched_pool(stdout, "Pool-0", 30, 1000);
    xl_fmt_sched_header(stdout);
    for (int i = 0; i < n; i++)
        sched_row(&doms[i]);
    free(doms);
    return EXIT_SUCCESS;
}

static void vcpu_rows(const xc_dominfo_t *d)
{
    for (uint32_t v = 0; v <= d->max_vcpu_id; v++) {
        xc_vcpuinfo_t vi;

        if (xc_vcpu_getinfo(xl_xch(), d->domid, v, &vi) == 0)
            xl_fmt_vcpu_row(stdout, xl_domain_name(d), d->domid, v, &vi);
    }
}

int main_vcpulist(int argc, char **argv)
{
    xc_dominfo_t *doms, info;
    int n;

    xl_fmt_vcpu_header(stdout);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            uint32_t domid = xl_find_domain(argv[i]);

            if (xl_domain_info(domid, &info) == 0)
                vcpu_rows(&info);
        }
        return EXIT_SUCCESS;
    }
    if ((n = xl_domain_list(&doms)) < 0)
        return xl_fail("listing domains");
    for (int i = 0; i < n; i++)
        vcpu_rows(&doms[i]);
    free(doms);
    return EXIT_SUCCESS;
}
