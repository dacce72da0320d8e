/*
 * xentop_format.c: xentop's text, as Xen 4.17's xentop lays it out: the
 * column header, one row per domain, the optional VCPU lines, the three
 * summary lines, and the sort order of the rows.
 *
 * Invariants: pure functions of their arguments (no hypervisor calls, no
 * clock, no globals); every column is right-aligned to its width and columns
 * are one space apart; NAME is cut to 10 characters unless full_names; the
 * memory-view columns (Umbra's) always come after SSID.
 */
#include "xentop.h"

#include <stdlib.h>
#include <string.h>

/* Column widths follow Xen's xentop so that the header reads the same. */
static const struct { const char *name; int width; } columns[] = {
    { "NAME", 10 },      { "STATE", 6 },      { "CPU(sec)", 10 },  { "CPU(%)", 6 },
    { "MEM(k)", 10 },    { "MEM(%)", 6 },     { "MAXMEM(k)", 10 }, { "MAXMEM(%)", 9 },
    { "VCPUS", 5 },      { "NETS", 4 },       { "NETTX(k)", 8 },   { "NETRX(k)", 8 },
    { "VBDS", 4 },       { "VBD_OO", 8 },     { "VBD_RD", 8 },     { "VBD_WR", 8 },
    { "VBD_RSECT", 10 }, { "VBD_WSECT", 10 }, { "SSID", 4 },
    /* Umbra's memory view (-m, M). */
    { "MODE", 6 },       { "TLBMISS/s", 10 }, { "WALK/MISS", 9 },  { "EXITS/s", 9 },
    { "SHFAULT/s", 9 },  { "SHARED", 8 },     { "PAGEDOUT", 8 },
};
enum {
    C_NAME, C_STATE, C_CPUSEC, C_CPUPCT, C_MEM, C_MEMPCT, C_MAXMEM, C_MAXMEMPCT, C_VCPUS,
    C_NETS, C_NETTX, C_NETRX, C_VBDS, C_VBDOO, C_VBDRD, C_VBDWR, C_VBDRS, C_VBDWS, C_SSID,
    C_MODE, C_TLBMISS, C_WALK, C_EXITS, C_SHFAULT, C_SHARED, C_PAGED, C_ALL
};
#define XEN_COLUMNS C_MODE

unsigned xt_ncolumns(const struct xt_view *v)
{
    return v->mem ? C_ALL : XEN_COLUMNS;
}

const char *xt_column_name(unsigned col)
{
    return col < C_ALL ? columns[col].name : "?";
}

void xt_fmt_state(const xc_dominfo_t *d, char out[7])
{
    out[0] = d->dying ? 'd' : '-';
    out[1] = d->shutdown ? 's' : '-';
    out[2] = d->blocked ? 'b' : '-';
    out[3] = d->crashed ? 'c' : '-';
    out[4] = d->paused ? 'p' : '-';
    out[5] = d->running ? 'r' : '-';
    out[6] = '\0';
}

double xt_cpu_pct(uint64_t prev_ns, uint64_t now_ns, double elapsed_s)
{
    if (elapsed_s <= 0 || now_ns < prev_ns)
        return 0.0;
    return (double)(now_ns - prev_ns) / (elapsed_s * 1e9) * 100.0;
}

/* Xen reports "no limit" for ~0; Umbra's Domain-0 has no reservation limit (0). */
bool xt_maxmem_unlimited(const xc_dominfo_t *d)
{
    return d->max_memkb == 0 || d->max_memkb == (unsigned long)-1;
}

void xt_fmt_header(FILE *f, const struct xt_view *v)
{
    unsigned n = xt_ncolumns(v);

    for (unsigned i = 0; i < n; i++)
        fprintf(f, "%s%*s", i ? " " : "", columns[i].width, columns[i].name);
    fputc('\n', f);
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? (double)part * 100.0 / (double)whole : 0.0;
}

void xt_fmt_row(FILE *f, const struct xt_dom *dom, uint64_t total_kb, const struct xt_view *v)
{
    const xc_dominfo_t *d = &dom->info;
    uint64_t mem_kb = (uint64_t)d->nr_pages * 4;
    char state[7];

    xt_fmt_state(d, state);
    if (v->full_names)
        fprintf(f, "%10s", d->name);
    else
        fprintf(f, "%10.10s", d->name);
    fprintf(f, " %6s %10llu %6.1f %10llu %6.1f", state,
            (unsigned long long)(d->cpu_time / 1000000000ULL), dom->cpu_pct,
            (unsigned long long)mem_kb, pct(mem_kb, total_kb));
    if (xt_maxmem_unlimited(d))
        fprintf(f, " %10s %9s", "no limit", "n/a");
    else if (d->max_memkb > total_kb)
        fprintf(f, " %10lu %9s", d->max_memkb, "n/a");
    else
        fprintf(f, " %10lu %9.1f", d->max_memkb, pct(d->max_memkb, total_kb));
    /* Umbra has no network or block devices yet: NETS and the VBD columns are 0. */
    fprintf(f, " %5u %4u %8u %8u %4u %8u %8u %8u %10u %10u %4u", d->nr_online_vcpus, 0u, 0u,
            0u, 0u, 0u, 0u, 0u, 0u, 0u, d->ssidref);
    if (v->mem) {
        if (dom->have_mm)
            fprintf(f, " %6s %10.0f %9.2f %9.0f %9.0f %8llu %8llu",
                    dom->mm.paging_mode ? "shadow" : "hap", dom->tlb_miss_rate,
                    dom->walk_per_miss, dom->exit_rate, dom->sh_fault_rate,
                    (unsigned long long)dom->mm.shared_pages,
                    (unsigned long long)dom->mm.paged_out_pages);
        else
            fprintf(f, " %6s %10s %9s %9s %9s %8s %8s", "n/a", "n/a", "n/a", "n/a", "n/a",
                    "n/a", "n/a");
    }
    fputc('\n', f);
}

/* The lines under a row: VCPUs (V); networks (N) and VBDs (B) have nothing to list yet. */
void xt_fmt_extra_lines(FILE *f, const struct xt_dom *d, const struct xt_view *v)
{
    if (v->vcpus) {
        fprintf(f, "VCPUs(sec): ");
        for (unsigned i = 0; i < d->nr_vcpus; i++)
            fprintf(f, " %2u: %10llus", i, (unsigned long long)d->vcpu_sec[i]);
        fputc('\n', f);
    }
    if (v->networks)
        fprintf(f, "Net: none\n");
    if (v->vbds)
        fprintf(f, "VBD: none\n");
}

void xt_fmt_summary(FILE *f, const struct xt_snapshot *s, const char *hhmmss)
{
    unsigned run = 0, blk = 0, pau = 0, cra = 0, dying = 0, shut = 0;
    uint64_t total = s->phys.total_pages * 4, freekb = s->phys.free_pages * 4;

    for (unsigned i = 0; i < s->n; i++) {
        const xc_dominfo_t *d = &s->doms[i].info;

        run += d->running;
        blk += d->blocked;
        pau += d->paused;
        cra += d->crashed;
        dying += d->dying;
        shut += d->shutdown;
    }
    fprintf(f, "xentop - %s   %s\n", hhmmss, s->version);
    fprintf(f, "%u domains: %u running, %u blocked, %u paused, %u crashed, %u dying, "
               "%u shutdown\n", s->n, run, blk, pau, cra, dying, shut);
    fprintf(f, "Mem: %lluk total, %lluk used, %lluk free    CPUs: %u @ %uMHz\n",
            (unsigned long long)total, (unsigned long long)(total - freekb),
            (unsigned long long)freekb, s->phys.nr_cpus, s->phys.cpu_khz / 1000);
}

/* Sorting: qsort has no context argument, so the key is passed through these. */
static int sort_col;

static double num_key(const struct xt_dom *x)
{
    const xc_dominfo_t *d = &x->info;

    switch (sort_col) {
    case C_CPUSEC: return (double)d->cpu_time;
    case C_CPUPCT: return x->cpu_pct;
    case C_MEM: case C_MEMPCT: return (double)d->nr_pages;
    case C_MAXMEM: case C_MAXMEMPCT:
        return xt_maxmem_unlimited(d) ? 1e300 : (double)d->max_memkb;
    case C_VCPUS: return d->nr_online_vcpus;
    case C_SSID: return d->ssidref;
    case C_MODE: return x->mm.paging_mode;
    case C_TLBMISS: return x->tlb_miss_rate;
    case C_WALK: return x->walk_per_miss;
    case C_EXITS: return x->exit_rate;
    case C_SHFAULT: return x->sh_fault_rate;
    case C_SHARED: return (double)x->mm.shared_pages;
    case C_PAGED: return (double)x->mm.paged_out_pages;
    default: return 0;          /* NETS and the VBD columns: all 0 */
    }
}

static int cmp_dom(const void *pa, const void *pb)
{
    const struct xt_dom *a = pa, *b = pb;
    int c = 0;

    if (sort_col == C_NAME) {
        c = strcmp(a->info.name, b->info.name);
    } else if (sort_col == C_STATE) {
        char sa[7], sb[7];

        xt_fmt_state(&a->info, sa);
        xt_fmt_state(&b->info, sb);
        c = strcmp(sa, sb);
    } else if (sort_col != XT_SORT_DOMID) {
        double ka = num_key(a), kb = num_key(b);

        c = ka < kb ? 1 : ka > kb ? -1 : 0;    /* numbers: largest first */
    }
    if (c == 0)
        c = a->info.domid < b->info.domid ? -1 : a->info.domid > b->info.domid;
    return c;
}

void xt_sort(struct xt_dom *doms, unsigned n, int sort, uint64_t total_kb)
{
    (void)total_kb;
    sort_col = sort;
    if (n > 1)
        qsort(doms, n, sizeof(*doms), cmp_dom);
}
