/*
 * bench_paging.h: `make bench-paging`, the guest workloads under HAP with
 * 4 KiB G-stage pages, HAP with 2 MiB G-stage pages and shadow paging.
 *
 * One run = one domain built from a libvirt XML config (plus xl-style
 * key=value overrides), run to its shutdown, its counters read with
 * xc_umbra_mmstats while it is shut down but not yet destroyed, then
 * destroyed. Nothing here asserts a time: the program prints figures.
 * Invariant: every domain a run creates is destroyed before the run returns.
 */
#ifndef BENCH_PAGING_H
#define BENCH_PAGING_H

#include <stdbool.h>
#include <stddef.h>

#include "libxl_umbra.h"
#include "xenctrl.h"

/* The three paging configurations, in table order. */
enum bp_mode { BP_HAP_4K, BP_HAP_2M, BP_SHADOW, BP_NR_MODES };

/* "hap-4k", "hap-2m", "shadow". */
const char *bp_mode_name(enum bp_mode m);

#define BP_MAX_OVERRIDES 8
#define BP_NOTE_MAX 512

/* One workload: an example config and the overrides given after it. */
struct bp_workload {
    const char *config;                         /* path of the XML file */
    const char *overrides[BP_MAX_OVERRIDES];    /* "key=value", as xl create takes them */
    unsigned nr_overrides;
    char name[LIBXL_NAME_MAX + 1];              /* the config's <name> */
};

/* What one run measured. ok is false when the domain did not power off cleanly. */
struct bp_result {
    bool ran;                  /* the domain was built (counters are meaningful) */
    bool ok;                   /* powered off (reason poweroff) within the time limit */
    double host_s;             /* wall-clock seconds from unpause to shutdown */
    xc_umbra_mmstats_t st;     /* counters after shutdown */
    char checksum[40];         /* the guest's "checksum=0x..." value, or "" */
    char note[BP_NOTE_MAX];    /* why it failed: reason, guest panic line, xl dmesg lines */
};

/*
 * Build w under mode m (name bp-<name>-<mode>), unpaused, through
 * libxl_domain_create; wait up to timeout_s for its shutdown; read its
 * counters, console checksum and, on failure, the reason; destroy it.
 * Returns 0 (see r->ok), or -1 when the domain could not be built (r->note).
 */
int bp_run(xc_interface *xch, const struct bp_workload *w, enum bp_mode m, double timeout_s,
           struct bp_result *r);

/* Print the table (every run), the derived ratios and the failed runs. */
void bp_report(const struct bp_workload *w, unsigned nr,
               struct bp_result (*res)[BP_NR_MODES]);

#endif
