/*
 * test_format.c: suite tools/xl/format: xl's output, byte for byte as Xen
 * 4.17's xl prints it: the list header (real tabs) and rows, the state
 * letters, -v's columns, info lines, virt_caps, vcpu-list and sched-credit.
 */
#include "umbra_test.h"
#include "xl_format.h"

#include <stdlib.h>
#include <string.h>

/* Run fn into a memory stream and return what it printed (static buffer). */
static char out[4096];
static FILE *open_out(void)
{
    memset(out, 0, sizeof(out));
    return fmemopen(out, sizeof(out) - 1, "w");
}

static void test_list_header(void)
{
    FILE *f = open_out();

    xl_fmt_list_header(f, false);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "Name                                        ID   Mem VCPUs\tState\tTime(s)\n");
    f = open_out();
    xl_fmt_list_header(f, true);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "Name                                        ID   Mem VCPUs\tState\tTime(s)"
                                "   UUID                            Reason-Code\tSecurity Label   Paging\n");
}

static void test_list_rows(void)
{
    xc_dominfo_t d;
    FILE *f;

    memset(&d, 0, sizeof(d));
    d.domid = 0;
    d.running = 1;
    d.nr_pages = 0;
    d.nr_online_vcpus = 1;
    d.cpu_time = 12345678901ULL;
    f = open_out();
    xl_fmt_list_row(f, &d, "Domain-0", false);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "Domain-0                                     0     0     1     r-----      12.3\n");

    memset(&d, 0, sizeof(d));
    d.domid = 7;
    d.blocked = 1;
    d.nr_pages = 4096;          /* 16 MiB */
    d.nr_online_vcpus = 1;
    d.cpu_time = 50000000;
    f = open_out();
    xl_fmt_list_row(f, &d, "hello", false);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "hello                                        7    16     1     -b----       0.1\n");
}

static void test_state_letters(void)
{
    xc_dominfo_t d;
    char st[7];

    memset(&d, 0, sizeof(d));
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "------");
    d.paused = 1;
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "--p---");
    d.paused = 0;
    d.shutdown = 1;
    d.shutdown_reason = 0;      /* poweroff */
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "---s--");
    d.shutdown_reason = 1;      /* reboot */
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "---sr-");
    d.shutdown_reason = 3;      /* crash */
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "---sc-");
    d.shutdown_reason = 4;      /* watchdog */
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "---sw-");
    d.shutdown_reason = 9;
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "---s?-");
    d.shutdown = 0;             /* the reason shows only when shut down */
    d.dying = 1;
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "-----d");
    d.running = d.blocked = d.paused = d.shutdown = 1;
    d.shutdown_reason = 2;
    xl_fmt_state(&d, st);
    CU_ASSERT_STRING_EQUAL(st, "rbpssd");
}

static void test_list_verbose_row(void)
{
    xc_dominfo_t d;
    FILE *f;

    memset(&d, 0, sizeof(d));
    d.domid = 3;
    d.hap = 1;
    d.shutdown = 1;
    d.shutdown_reason = 3;
    d.nr_pages = 8192;
    d.nr_online_vcpus = 1;
    for (int i = 0; i < 16; i++)
        d.handle[i] = (uint8_t)(0x10 + i);
    f = open_out();
    xl_fmt_list_row(f, &d, "g", true);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "g                                            3    32     1     ---sc-       0.0"
                                " 10111213-1415-1617-1819-1a1b1c1d1e1f        3                -      hap\n");
}

static void test_info_lines(void)
{
    FILE *f = open_out();
    char caps[64];

    xl_fmt_info(f, "host", "%s", "h1");
    xl_fmt_info(f, "sharing_freed_memory", "%d", 0);
    xl_fmt_info(f, "xen_version", "%s", "4.17.0");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "host                   : h1\n"
                                "sharing_freed_memory   : 0\n"
                                "xen_version            : 4.17.0\n");
    xl_fmt_virt_caps(XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1,
                     caps, sizeof(caps));
    CU_ASSERT_STRING_EQUAL(caps, "pv hap gnttab-v1");
    xl_fmt_virt_caps(XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_shadow |
                     XEN_SYSCTL_PHYSCAP_gnttab_v1, caps, sizeof(caps));
    CU_ASSERT_STRING_EQUAL(caps, "pv hap shadow gnttab-v1");
    xl_fmt_virt_caps(0, caps, sizeof(caps));
    CU_ASSERT_STRING_EQUAL(caps, "");
}

static void test_vcpu_and_sched(void)
{
    xc_vcpuinfo_t v = { .online = 1, .running = 1, .cpu_time = 1500000000ULL, .cpu = 0 };
    struct xen_domctl_sched_credit s = { 256, 0 };
    FILE *f = open_out();

    xl_fmt_vcpu_header(f);
    xl_fmt_vcpu_row(f, "hello", 1, 0, &v);
    v.online = 0;
    v.running = 0;
    xl_fmt_vcpu_row(f, "hello", 1, 1, &v);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"
        "hello                                1     0    0   r--       1.5  all / all\n"
        "hello                                1     1    -   --p       1.5  all / all\n");
    f = open_out();
    xl_fmt_sched_pool(f, "Pool-0", 30, 1000);
    xl_fmt_sched_header(f);
    xl_fmt_sched_row(f, "Domain-0", 0, &s);
    s.weight = 512;
    s.cap = 50;
    xl_fmt_sched_row(f, "hello", 1, &s);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out,
        "Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us\n"
        "Name                                ID Weight  Cap\n"
        "Domain-0                             0    256    0\n"
        "hello                                1    512   50\n");
}

static void test_indent(void)
{
    FILE *f = open_out();

    xl_fmt_indented(f, "{\n    \"a\": 1\n}", 4);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(out, "{\n        \"a\": 1\n    }");
}

UMBRA_SUITE(xl_format, "tools/xl/format", NULL, NULL,
            UMBRA_TEST(test_list_header), UMBRA_TEST(test_list_rows),
            UMBRA_TEST(test_state_letters), UMBRA_TEST(test_list_verbose_row),
            UMBRA_TEST(test_info_lines), UMBRA_TEST(test_vcpu_and_sched), UMBRA_TEST(test_indent))
