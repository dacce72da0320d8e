/*
 * bench_create.c: how long domain creation and destruction take, the way
 * `xl create` and `xl destroy` do them (libxl_domain_create/destroy, with the
 * xenstore layout when xenstored runs): from a parsed config to a running
 * (unpaused) guest, and from destroy to the domain and its entries gone.
 *
 *   bench-create CONFIG RUNS BACKGROUND...
 *
 * For each BACKGROUND count (e.g. 0 100 500): create that many other domains
 * first (as xl does, left paused, 4 MiB each), then time RUNS create/destroy
 * cycles of a 16 MiB domain from CONFIG, two ways: the domain builder alone
 * (libxl_domain_build + xc_domain_destroy: the hypervisor's side) and the
 * whole of `xl create`/`xl destroy` (libxl_domain_create/destroy, which add
 * the xenstore layout and introduction when xenstored runs). Prints the
 * median, the 10th and 90th percentiles; nothing here is a pass/fail test.
 * Invariant: every domain it creates is destroyed before it exits.
 */
#include "libxl_umbra.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The p-th percentile of v[0..n) (sorts v). */
static double percentile(double *v, int n, int p)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[(n - 1) * p / 100];
}

/* Create cfg running (or paused): the builder alone, or all of xl create. */
static int create_one(xc_interface *xch, struct libxl_domain_config *cfg, bool whole, bool paused,
                  uint32_t *domid)
{
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX];
    int rc = whole ? libxl_domain_create(xch, cfg, paused, domid, err, sizeof(err))
                   : libxl_domain_build(&libxl_xc_ops, xch, cfg, paused ? LIBXL_BUILD_PAUSED : 0,
                                        domid, &lay, err, sizeof(err));

    if (rc < 0)
        fprintf(stderr, "bench-create: %s: %s\n", cfg->name, err);
    return rc;
}

static int destroy_one(xc_interface *xch, bool whole, uint32_t domid)
{
    int rc = whole ? libxl_domain_destroy(xch, domid) : xc_domain_destroy(xch, domid);

    if (rc < 0)
        perror("bench-create: destroy");
    return rc;
}

/* Time `runs` create/destroy cycles; prints one line of figures. */
static int measure(xc_interface *xch, struct libxl_domain_config *cfg, int runs, int background,
                   bool whole)
{
    double *t_create = calloc((size_t)runs, sizeof(double));
    double *t_destroy = calloc((size_t)runs, sizeof(double));
    int rc = -1;

    if (!t_create || !t_destroy)
        goto out;
    for (int i = 0; i < runs; i++) {
        uint32_t domid;
        double t0 = now_us(), t1, t2;

        snprintf(cfg->name, sizeof(cfg->name), "bench-%d", i);
        if (create_one(xch, cfg, whole, false, &domid) < 0)
            goto out;
        t1 = now_us();
        if (destroy_one(xch, whole, domid) < 0)
            goto out;
        t2 = now_us();
        t_create[i] = t1 - t0;
        t_destroy[i] = t2 - t1;
    }
    printf("%-9s %10d  %9.3f  %7.3f  %7.3f  %10.3f  %7.3f  %7.3f\n",
           whole ? "xl" : "builder", background,
           percentile(t_create, runs, 50) / 1e3, percentile(t_create, runs, 10) / 1e3,
           percentile(t_create, runs, 90) / 1e3, percentile(t_destroy, runs, 50) / 1e3,
           percentile(t_destroy, runs, 10) / 1e3, percentile(t_destroy, runs, 90) / 1e3);
    rc = 0;
out:
    free(t_create);
    free(t_destroy);
    return rc;
}

int main(int argc, char **argv)
{
    struct libxl_domain_config cfg, bg;
    char err[LIBXL_ERR_MAX];
    uint32_t *bgdoms = NULL;
    int nbg = 0, runs, rc = 1;
    xc_interface *xch;

    if (argc < 4) {
        fprintf(stderr, "usage: bench-create CONFIG RUNS BACKGROUND...\n");
        return 2;
    }
    runs = atoi(argv[2]);
    if (libxl_config_parse_file(argv[1], &cfg, err, sizeof(err)) < 0 ||
        libxl_config_override(&cfg, "memory=16", err, sizeof(err)) < 0 ||
        libxl_config_override(&cfg, "maxmem=16", err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    bg = cfg;
    if (libxl_config_override(&bg, "memory=4", err, sizeof(err)) < 0 ||
        libxl_config_override(&bg, "maxmem=4", err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        perror("bench-create: cannot reach the hypervisor");
        return 1;
    }
    bgdoms = calloc(1, sizeof(*bgdoms));
    printf("16 MiB domain, %d runs per row; times in ms (median, p10, p90)\n", runs);
    printf("path      background  create-med   c-p10    c-p90  destroy-med   d-p10    d-p90\n");
    for (int a = 3; a < argc; a++) {
        int want = atoi(argv[a]);
        uint32_t *grown = realloc(bgdoms, (size_t)(want > nbg ? want : nbg + 1) * sizeof(*bgdoms));

        if (!grown)
            goto out;
        bgdoms = grown;
        for (; nbg < want; nbg++) {
            snprintf(bg.name, sizeof(bg.name), "background-%d", nbg);
            if (create_one(xch, &bg, true, true, &bgdoms[nbg]) < 0)
                goto out;
        }
        if (measure(xch, &cfg, runs, nbg, false) < 0 || measure(xch, &cfg, runs, nbg, true) < 0)
            goto out;
        fflush(stdout);
    }
    rc = 0;
out:
    for (int i = 0; i < nbg; i++)
        libxl_domain_destroy(xch, bgdoms[i]);
    free(bgdoms);
    xc_interface_close(xch);
    return rc;
}
