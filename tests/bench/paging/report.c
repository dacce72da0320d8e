/*
 * report.c: bench-paging's output: the counters of every run side by side,
 * where the modeled cycles went, the shadow mode's own counters, the derived
 * ratios per workload, and every run that failed with the reason.
 * Invariant: a failed run is printed as failed, never left out, and its
 * counters are never used for a ratio.
 */
#include "bench_paging.h"

#include <stdio.h>
#include <string.h>

#include "riscv/hart.h"

typedef unsigned long long ull;

static ull causes(const xc_umbra_mmstats_t *s, const int *c, int n)
{
    ull sum = 0;

    for (int i = 0; i < n; i++)
        sum += s->exits_by_cause[c[i]];
    return sum;
}

static void print_counters(const struct bp_workload *w, unsigned nr,
                           struct bp_result (*res)[BP_NR_MODES])
{
    static const int pf[] = { 12, 13, 15 }, gpf[] = { 20, 21, 23 };

    printf("%-10s %-7s %4s %13s %7s %11s %10s %11s %11s %6s %8s %8s %8s %8s %8s %8s %8s %10s\n",
           "workload", "mode", "ok", "cycles", "host_s", "instret", "tlb_miss", "walk_vs",
           "walk_g", "walk_s", "exits", "ecall", "pf", "gpf", "vinsn", "sh_flt", "sh_emul", "hyp_refs");
    for (unsigned i = 0; i < nr; i++)
        for (int m = 0; m < BP_NR_MODES; m++) {
            const struct bp_result *r = &res[i][m];
            const xc_umbra_mmstats_t *s = &r->st;

            if (!r->ran) {
                printf("%-10s %-7s %4s  (not built)\n", w[i].name, bp_mode_name(m), "FAIL");
                continue;
            }
            printf("%-10s %-7s %4s %13llu %7.2f %11llu %10llu %11llu %11llu %6llu %8llu %8llu %8llu "
                   "%8llu %8llu %8llu %8llu %10llu\n",
                   w[i].name, bp_mode_name(m), r->ok ? "ok" : "FAIL", (ull)s->cycles, r->host_s,
                   (ull)s->instret, (ull)s->tlb_misses, (ull)s->walk_refs_vs, (ull)s->walk_refs_g,
                   (ull)s->walk_refs_s, (ull)s->exits, (ull)s->exits_by_cause[10], causes(s, pf, 3), causes(s, gpf, 3),
                   (ull)s->exits_by_cause[22], (ull)s->shadow_faults, (ull)s->emulated_writes,
                   (ull)s->hyp_refs);
        }
}

/* Where the modeled cycles went, by the terms of docs/cost-model.md. */
static void print_breakdown(const struct bp_workload *w, unsigned nr,
                            struct bp_result (*res)[BP_NR_MODES])
{
    const struct cost_model *c = &cost_model_default;

    printf("\nModeled cycles by term (millions): instructions x CPI, walk references x %llu, "
           "exits x %llu, handler references x %llu\n",
           (ull)c->walk_ref_cycles, (ull)c->exit_cycles, (ull)c->hyp_ref_cycles);
    printf("%-10s %-7s %9s %9s %9s %9s %9s %10s %10s\n", "workload", "mode", "instr", "walk", "exit",
           "hyp", "total", "refs/miss", "instr/cyc");
    for (unsigned i = 0; i < nr; i++)
        for (int m = 0; m < BP_NR_MODES; m++) {
            const xc_umbra_mmstats_t *s = &res[i][m].st;
            ull refs = s->walk_refs_vs + s->walk_refs_g + s->walk_refs_s;

            if (!res[i][m].ran)
                continue;
            printf("%-10s %-7s %9.2f %9.2f %9.2f %9.2f %9.2f %10.2f %10.3f\n", w[i].name,
                   bp_mode_name(m),
                   (double)s->instret * (double)c->cpi_milli / 1e9,
                   (double)refs * (double)c->walk_ref_cycles / 1e6,
                   (double)s->exits * (double)c->exit_cycles / 1e6,
                   (double)s->hyp_refs * (double)c->hyp_ref_cycles / 1e6, (double)s->cycles / 1e6,
                   s->tlb_misses ? (double)refs / (double)s->tlb_misses : 0.0,
                   s->cycles ? (double)s->instret / (double)s->cycles : 0.0);
        }
}

static void print_shadow(const struct bp_workload *w, unsigned nr,
                         struct bp_result (*res)[BP_NR_MODES])
{
    printf("\nShadow mode's own counters (docs/shadow.md)\n");
    printf("%-10s %9s %9s %9s %9s %8s %8s %8s %8s %8s %8s %8s %6s\n", "workload", "not_pres",
           "wp_emul", "a_d", "reflect", "resyncs", "oos", "unshad", "wprot", "satp", "sfence",
           "flushes", "peak");
    for (unsigned i = 0; i < nr; i++) {
        const xc_umbra_mmstats_t *s = &res[i][BP_SHADOW].st;

        if (!res[i][BP_SHADOW].ran)
            continue;
        printf("%-10s %9llu %9llu %9llu %9llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %6llu\n",
               w[i].name, (ull)s->sh_faults_not_present, (ull)s->sh_faults_wp_emulate,
               (ull)s->sh_faults_ad, (ull)s->sh_faults_reflected, (ull)s->sh_resyncs,
               (ull)s->sh_oos_unsyncs, (ull)s->sh_unshadows, (ull)s->sh_write_protects,
               (ull)s->sh_exits_satp, (ull)s->sh_exits_sfence, (ull)s->sh_tlb_flushes,
               (ull)s->sh_pages_peak);
    }
}

/* a/b of two runs' modeled cycles, or "-" when either failed. */
static void ratio(const struct bp_result *a, const struct bp_result *b)
{
    if (a->ok && b->ok && b->st.cycles)
        printf(" %12.3f", (double)a->st.cycles / (double)b->st.cycles);
    else
        printf(" %12s", "-");
}

static void print_ratios(const struct bp_workload *w, unsigned nr,
                         struct bp_result (*res)[BP_NR_MODES])
{
    printf("\nModeled-cycle ratios (below 1: the numerator's mode is cheaper)\n");
    printf("%-10s %12s %12s %12s  %-8s %s\n", "workload", "shadow/4k", "shadow/2m", "2m/4k",
           "cheapest", "checksums");
    for (unsigned i = 0; i < nr; i++) {
        const struct bp_result *r = res[i];
        int best = -1, first = -1;
        bool same = true;

        printf("%-10s", w[i].name);
        ratio(&r[BP_SHADOW], &r[BP_HAP_4K]);
        ratio(&r[BP_SHADOW], &r[BP_HAP_2M]);
        ratio(&r[BP_HAP_2M], &r[BP_HAP_4K]);
        for (int m = 0; m < BP_NR_MODES; m++) {
            if (!r[m].ok)
                continue;
            if (first < 0)
                first = m;
            if (best < 0 || r[m].st.cycles < r[best].st.cycles)
                best = m;
            if (strcmp(r[m].checksum, r[first].checksum))
                same = false;
        }
        printf("  %-8s %s\n", best < 0 ? "-" : bp_mode_name(best),
               best < 0 ? "-" : same ? "equal" : "DIFFER");
    }
}

static void print_failures(const struct bp_workload *w, unsigned nr,
                           struct bp_result (*res)[BP_NR_MODES])
{
    unsigned failed = 0;

    for (unsigned i = 0; i < nr; i++)
        for (int m = 0; m < BP_NR_MODES; m++)
            if (!res[i][m].ok) {
                if (!failed++)
                    printf("\nFailed runs\n");
                printf("  %s %s: %s\n", w[i].name, bp_mode_name(m),
                       res[i][m].note[0] ? res[i][m].note : "(no reason recorded)");
            }
    if (!failed)
        printf("\nFailed runs: none\n");
}

void bp_report(const struct bp_workload *w, unsigned nr, struct bp_result (*res)[BP_NR_MODES])
{
    print_counters(w, nr, res);
    print_breakdown(w, nr, res);
    print_shadow(w, nr, res);
    print_ratios(w, nr, res);
    print_failures(w, nr, res);
}
