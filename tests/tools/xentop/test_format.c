/*
 * test_format.c: suite tools/xentop/format: xentop's text as Xen 4.17's
 * xentop prints it: the header, a row with each state letter, NAME cut to 10
 * characters (and not with -f), MAXMEM's `no limit`, CPU(%) and the memory
 * view's rates from two rounds, the summary lines, the sort order.
 */
#include "umbra_test.h"
#include "xentop.h"

#include <stdlib.h>
#include <string.h>

#define XEN_HEADER "      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%)" \
                   " VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT" \
                   "  VBD_WSECT SSID\n"
/* NETS to SSID: Umbra has no network or block devices yet. */
#define ZERO_DEVS  "    0        0        0    0        0        0        0          0" \
                   "          0    0\n"
#define TOTAL_KB   1048576ULL   /* 1 GiB host */

static char out[4096];
static FILE *open_out(void)
{
    memset(out, 0, sizeof(out));
    return fmemopen(out, sizeof(out) - 1, "w");
}

static struct xt_dom dom(const char *name, uint32_t domid)
{
    struct xt_dom d;

    memset(&d, 0, sizeof(d));
    snprintf(d.info.name, sizeof(d.info.name), "%s", name);
    d.info.domid = domid;
    d.info.nr_pages = 4096;                 /* 16 MiB */
    d.info.max_memkb = 16384;
    d.info.nr_online_vcpus = 1;
    return d;
}

static const char *row(const struct xt_dom *d, const struct xt_view *v)
{
    FILE *f = open_out();

    xt_fmt_row(f, d, TOTAL_KB, v);
    fclose(f);
    return out;
}

static void test_header(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID };
    FILE *f = open_out();

    xt_fmt_header(f, &v);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, XEN_HEADER);
    CU_ASSERT_EQUAL(xt_ncolumns(&v), 19);
    CU_ASSERT_STRING_EQUAL(xt_column_name(0), "NAME");
    CU_ASSERT_STRING_EQUAL(xt_column_name(18), "SSID");
}

static void test_state_letters(void)
{
    struct { unsigned bit; const char *want; } cases[] = {
        { 0, "------" }, { 1, "d-----" }, { 2, "-s----" }, { 3, "--b---" },
        { 4, "---c--" }, { 5, "----p-" }, { 6, "-----r" },
    };
    struct xt_view v = { .sort = XT_SORT_DOMID };

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct xt_dom d = dom("g", 1);
        char st[7], want[256];

        d.info.dying = cases[i].bit == 1;
        d.info.shutdown = cases[i].bit == 2;
        d.info.blocked = cases[i].bit == 3;
        d.info.crashed = cases[i].bit == 4;
        d.info.paused = cases[i].bit == 5;
        d.info.running = cases[i].bit == 6;
        xt_fmt_state(&d.info, st);
        CU_ASSERT_STRING_EQUAL(st, cases[i].want);
        snprintf(want, sizeof(want), "         g %s          0    0.0      16384    1.6      "
                 "16384       1.6     1" ZERO_DEVS, cases[i].want);
        CU_ASSERT_STRING_EQUAL(row(&d, &v), want);
    }
    {   /* All at once, in the order d s b c p r. */
        struct xt_dom d = dom("g", 1);
        char st[7];

        d.info.dying = d.info.shutdown = d.info.blocked = 1;
        d.info.crashed = d.info.paused = d.info.running = 1;
        xt_fmt_state(&d.info, st);
        CU_ASSERT_STRING_EQUAL(st, "dsbcpr");
    }
}

static void test_row_values_line_up_with_header(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID };
    struct xt_dom d = dom("web", 3);
    char hdr[sizeof(out)];
    FILE *f = open_out();

    xt_fmt_header(f, &v);
    fclose(f);
    memcpy(hdr, out, sizeof(hdr));
    d.info.cpu_time = 123456789012ULL;      /* 123 s */
    d.cpu_pct = 42.25;
    d.info.blocked = 1;
    d.info.nr_online_vcpus = 2;
    d.info.ssidref = 7;
    CU_ASSERT_STRING_EQUAL(row(&d, &v), "       web --b---        123   42.2      16384    1.6      "
                                        "16384       1.6     2    0        0        0    0        0"
                                        "        0        0          0          0    7\n");
    /* Every column ends where its header ends. */
    CU_ASSERT_EQUAL(strlen(out), strlen(hdr));
    for (size_t i = 0; hdr[i] && out[i]; i++)
        if (hdr[i] != ' ' && hdr[i + 1] == ' ')
            CU_ASSERT_TRUE(out[i] != ' ' && out[i + 1] == ' ');
}

static void test_name_truncation_and_full(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID };
    struct xt_dom d = dom("a-very-long-guest-name", 2);

    CU_ASSERT_EQUAL(strncmp(row(&d, &v), "a-very-lon ------ ", 18), 0);
    v.full_names = true;
    CU_ASSERT_EQUAL(strncmp(row(&d, &v), "a-very-long-guest-name ------ ", 30), 0);
    d = dom("short", 2);
    CU_ASSERT_EQUAL(strncmp(row(&d, &v), "     short ------ ", 18), 0);
    d = dom("exactly10c", 2);
    v.full_names = false;
    CU_ASSERT_EQUAL(strncmp(row(&d, &v), "exactly10c ------ ", 18), 0);
}

static void test_maxmem_no_limit(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID };
    struct xt_dom d = dom("Domain-0", 0);

    d.info.max_memkb = 0;                   /* Umbra's Domain-0 */
    d.info.nr_pages = 0;
    d.info.running = 1;
    CU_ASSERT_TRUE(xt_maxmem_unlimited(&d.info));
    CU_ASSERT_STRING_EQUAL(row(&d, &v), "  Domain-0 -----r          0    0.0          0    0.0   "
                                        "no limit       n/a     1" ZERO_DEVS);
    d.info.max_memkb = (unsigned long)-1;   /* Xen's ~0 */
    CU_ASSERT_TRUE(xt_maxmem_unlimited(&d.info));
    CU_ASSERT_PTR_NOT_NULL(strstr(row(&d, &v), "   no limit       n/a "));
    d.info.max_memkb = 2 * TOTAL_KB;        /* above the host: a number, but no percentage */
    CU_ASSERT_FALSE(xt_maxmem_unlimited(&d.info));
    CU_ASSERT_PTR_NOT_NULL(strstr(row(&d, &v), "    2097152       n/a "));
    d.info.max_memkb = TOTAL_KB / 2;
    CU_ASSERT_PTR_NOT_NULL(strstr(row(&d, &v), "     524288      50.0 "));
}

static void test_cpu_pct(void)
{
    CU_ASSERT_DOUBLE_EQUAL(xt_cpu_pct(0, 500000000, 1.0), 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(xt_cpu_pct(1000000000, 4000000000ULL, 3.0), 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(xt_cpu_pct(5, 5, 1.0), 0.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(xt_cpu_pct(10, 5, 1.0), 0.0, 1e-12);      /* never negative */
    CU_ASSERT_DOUBLE_EQUAL(xt_cpu_pct(0, 5, 0.0), 0.0, 1e-12);       /* no time passed */
}

static void test_deltas(void)
{
    struct xt_dom p[2] = { dom("Domain-0", 0), dom("g", 4) }, c[3] = {
        dom("Domain-0", 0), dom("g", 4), dom("new", 5) };
    struct xt_snapshot prev = { .doms = p, .n = 2, .when = 10.0 };
    struct xt_snapshot cur = { .doms = c, .n = 3, .when = 12.0 };

    p[1].info.cpu_time = 1000000000ULL;
    c[1].info.cpu_time = 2500000000ULL;     /* 1.5 s over 2 s */
    p[1].have_mm = c[1].have_mm = true;
    p[1].mm.tlb_misses = 100;
    c[1].mm.tlb_misses = 300;               /* 200 misses over 2 s */
    p[1].mm.walk_refs_g = 1000;
    c[1].mm.walk_refs_g = 1400;
    c[1].mm.walk_refs_s = 200;              /* 600 references for 200 misses */
    p[1].mm.exits = 10;
    c[1].mm.exits = 50;
    p[1].mm.shadow_faults = 0;
    c[1].mm.shadow_faults = 8;
    c[2].info.cpu_time = 9000000000ULL;     /* new this round: no rate yet */
    c[2].have_mm = true;
    c[2].mm.tlb_misses = 999;
    xt_deltas(&prev, &cur);
    CU_ASSERT_DOUBLE_EQUAL(c[0].cpu_pct, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[1].cpu_pct, 75.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[1].tlb_miss_rate, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[1].walk_per_miss, 3.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[1].exit_rate, 20.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[1].sh_fault_rate, 4.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[2].cpu_pct, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c[2].tlb_miss_rate, 0.0, 1e-9);
    /* The first round has nothing to compare with. */
    xt_deltas(NULL, &cur);
    CU_ASSERT_DOUBLE_EQUAL(c[1].cpu_pct, 0.0, 1e-9);
    /* A domain recreated under the same id (another handle) starts over. */
    c[1].info.handle[0] = 1;
    xt_deltas(&prev, &cur);
    CU_ASSERT_DOUBLE_EQUAL(c[1].cpu_pct, 0.0, 1e-9);
}

static void test_mem_view(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID, .mem = true };
    struct xt_dom d = dom("sh", 2);
    const char *r;
    FILE *f = open_out();

    xt_fmt_header(f, &v);
    fclose(f);
    CU_ASSERT_EQUAL(strncmp(out, XEN_HEADER, strlen(XEN_HEADER) - 1), 0);
    CU_ASSERT_STRING_EQUAL(out + strlen(XEN_HEADER) - 1, "   MODE  TLBMISS/s WALK/MISS   EXITS/s "
                                                         "SHFAULT/s   SHARED PAGEDOUT\n");
    CU_ASSERT_EQUAL(xt_ncolumns(&v), 26);
    d.have_mm = true;
    d.mm.paging_mode = 1;
    d.tlb_miss_rate = 12345.4;
    d.walk_per_miss = 2.5;
    d.exit_rate = 77;
    d.sh_fault_rate = 9;
    d.mm.shared_pages = 3;
    d.mm.paged_out_pages = 4;
    r = row(&d, &v);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, " 0 shadow      12345      2.50        77         9        3"
                                     "        4\n"));
    d.mm.paging_mode = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(row(&d, &v), "    hap "));
    d.have_mm = false;                      /* Domain-0 has no counters */
    CU_ASSERT_PTR_NOT_NULL(strstr(row(&d, &v), "    n/a        n/a       n/a"));
    v.mem = false;
    CU_ASSERT_PTR_NULL(strstr(row(&d, &v), "n/a"));
}

static void test_summary(void)
{
    struct xt_dom d[4] = { dom("Domain-0", 0), dom("a", 1), dom("b", 2), dom("c", 3) };
    struct xt_snapshot s = { .doms = d, .n = 4 };
    FILE *f;

    d[0].info.running = 1;
    d[1].info.blocked = 1;
    d[2].info.paused = 1;
    d[3].info.shutdown = 1;
    d[3].info.crashed = 1;
    s.phys.total_pages = 262144;            /* 1 GiB */
    s.phys.free_pages = 196608;
    s.phys.nr_cpus = 2;
    s.phys.cpu_khz = 1000000;
    snprintf(s.version, sizeof(s.version), "Xen 4.17");
    f = open_out();
    xt_fmt_summary(f, &s, "09:08:07");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "xentop - 09:08:07   Xen 4.17\n"
                                "4 domains: 1 running, 1 blocked, 1 paused, 1 crashed, 0 dying, "
                                "1 shutdown\n"
                                "Mem: 1048576k total, 262144k used, 786432k free    CPUs: 2 @ "
                                "1000MHz\n");
}

static void test_extra_lines(void)
{
    struct xt_view v = { .sort = XT_SORT_DOMID, .vcpus = true };
    struct xt_dom d = dom("g", 1);
    FILE *f = open_out();

    d.nr_vcpus = 2;
    d.vcpu_sec[0] = 5;
    d.vcpu_sec[1] = 17;
    xt_fmt_extra_lines(f, &d, &v);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "VCPUs(sec):   0:          5s  1:         17s\n");
    v.vcpus = false;
    f = open_out();
    xt_fmt_extra_lines(f, &d, &v);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static void test_sort(void)
{
    struct xt_dom d[3] = { dom("zeta", 0), dom("alpha", 7), dom("mid", 3) };

    d[0].cpu_pct = 5;
    d[1].cpu_pct = 50;
    d[2].cpu_pct = 20;
    xt_sort(d, 3, 0, TOTAL_KB);             /* NAME */
    CU_ASSERT_STRING_EQUAL(d[0].info.name, "alpha");
    CU_ASSERT_STRING_EQUAL(d[2].info.name, "zeta");
    xt_sort(d, 3, XT_SORT_DOMID, TOTAL_KB);
    CU_ASSERT_EQUAL(d[0].info.domid, 0);
    CU_ASSERT_EQUAL(d[1].info.domid, 3);
    CU_ASSERT_EQUAL(d[2].info.domid, 7);
    xt_sort(d, 3, 3, TOTAL_KB);             /* CPU(%): busiest first */
    CU_ASSERT_STRING_EQUAL(d[0].info.name, "alpha");
    CU_ASSERT_STRING_EQUAL(d[1].info.name, "mid");
    CU_ASSERT_STRING_EQUAL(d[2].info.name, "zeta");
}

UMBRA_SUITE(xentop_format, "tools/xentop/format", NULL, NULL, UMBRA_TEST(test_header),
            UMBRA_TEST(test_state_letters), UMBRA_TEST(test_row_values_line_up_with_header),
            UMBRA_TEST(test_name_truncation_and_full), UMBRA_TEST(test_maxmem_no_limit),
            UMBRA_TEST(test_cpu_pct), UMBRA_TEST(test_deltas), UMBRA_TEST(test_mem_view),
            UMBRA_TEST(test_summary), UMBRA_TEST(test_extra_lines), UMBRA_TEST(test_sort))
