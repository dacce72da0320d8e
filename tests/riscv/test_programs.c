/*
 * test_programs.c: the bare-metal riscv64 programs of tests/riscv, each run
 * on the runner (build/bin/rvsim), which must report a pass (exit status 0).
 * Where a program's counters are fixed by what it does, they are asserted
 * exactly from rvsim's --stats-json line: page faults raised, no walks
 * without paging, walks split by stage under the H extension, and a timer
 * run that is identical twice over (guest time follows modeled cycles).
 * The results must not depend on the TLB's size or the optional walk caches.
 * Also checks the runner's side of the conventions: HTIF failure codes,
 * console output, and the budget.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umbra_test.h"
#include "ut_proc.h"

/* Run `build/guest/rvtest-NAME.elf` with extra rvsim options; returns the status. */
static int run_prog(const char *name, const char *opts, char **out)
{
    char cmd[4096], elf[64];

    snprintf(elf, sizeof(elf), "guest/rvtest-%s.elf", name);
    snprintf(cmd, sizeof(cmd), "%s --stats-json %s %s", ut_build_path("bin/rvsim"), opts,
             ut_build_path(elf));
    return ut_run(cmd, out);
}

/* The value of "key":N in rvsim's JSON line, or -1 when absent. */
static int64_t stat_of(const char *out, const char *key)
{
    char pat[64];
    const char *p;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = out ? strstr(out, pat) : NULL;
    return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* Run a program that must pass; returns its output (caller frees). */
static char *run_pass(const char *name)
{
    char *out = NULL;
    int st = run_prog(name, "", &out);

    if (st != 0)
        fprintf(stderr, "\nrvtest-%s: status %d\n%s\n", name, st, out ? out : "");
    CU_ASSERT_EQUAL(st, 0);
    CU_ASSERT(stat_of(out, "instret") > 0);
    return out;
}

static void test_modes(void)
{
    char *out = run_pass("modes");

    /* satp stays Bare: no TLB traffic, no walks, no page faults. */
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_s"), 0);
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_vs"), 0);
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_g"), 0);
    CU_ASSERT_EQUAL(stat_of(out, "page_faults"), 0);
    free(out);
}

/* Both paging programs raise exactly PAGING_FAULTS_TOTAL (20) page faults. */
static void check_paging(const char *name)
{
    char *out = run_pass(name);

    CU_ASSERT_EQUAL(stat_of(out, "page_faults"), 20);
    CU_ASSERT(stat_of(out, "walk_refs_s") > 0);
    CU_ASSERT(stat_of(out, "tlb_hits") > 0);
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_vs"), 0);
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_g"), 0);
    free(out);
}

static void test_sv39(void)
{
    check_paging("sv39");
}

static void test_sv48(void)
{
    check_paging("sv48");
}

/* Sv48 walks have one more level than Sv39 for the same work. */
static void test_sv48_walks_longer(void)
{
    char *o39 = NULL, *o48 = NULL;

    CU_ASSERT_EQUAL(run_prog("sv39", "", &o39), 0);
    CU_ASSERT_EQUAL(run_prog("sv48", "", &o48), 0);
    CU_ASSERT(stat_of(o48, "walk_refs_s") > stat_of(o39, "walk_refs_s"));
    free(o39);
    free(o48);
}

/* Guest time follows modeled cycles: two runs give the same counters. */
static void test_timer_deterministic(void)
{
    char *a = run_pass("timer"), *b = run_pass("timer");
    static const char *const keys[] = { "instret", "cycles", "tlb_hits", "exits" };

    for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        CU_ASSERT_EQUAL(stat_of(a, keys[i]), stat_of(b, keys[i]));
    CU_ASSERT_EQUAL(stat_of(a, "page_faults"), 0);
    free(a);
    free(b);
}

static void test_atomics(void)
{
    free(run_pass("atomics"));
}

static void test_rvc(void)
{
    free(run_pass("rvc"));
}

static void test_privctl(void)
{
    free(run_pass("privctl"));
}

/* One guest-page fault, taken by M. */
static void test_hctl(void)
{
    char *out = run_pass("hctl");

    CU_ASSERT_EQUAL(stat_of(out, "page_faults"), 1);
    free(out);
}

/* 4 guest-page faults for HS, 1 VS-stage page fault for the guest. */
static void check_hext(const char *name)
{
    char *out = run_pass(name);

    CU_ASSERT_EQUAL(stat_of(out, "page_faults"), 5);
    CU_ASSERT(stat_of(out, "walk_refs_vs") > 0);
    CU_ASSERT(stat_of(out, "walk_refs_g") > stat_of(out, "walk_refs_vs"));
    CU_ASSERT_EQUAL(stat_of(out, "walk_refs_s"), 0);
    free(out);
}

static void test_hext39(void)
{
    check_hext("hext39");
}

static void test_hext48(void)
{
    check_hext("hext48");
}

/*
 * The MMU's caches change costs, never results: the paging and H programs
 * pass with a one-entry TLB and with page-walk caches and a nested TLB on,
 * raising the same page faults.
 */
static void test_cache_configs(void)
{
    static const char *const configs[] = {
        "--tlb-sets 1 --tlb-ways 1", "--pwc 16 --ntlb 16", "--tlb-sets 4 --tlb-ways 2 --pwc 2 --ntlb 2",
    };
    static const struct { const char *name; int64_t faults; } progs[] = {
        { "sv39", 20 }, { "sv48", 20 }, { "hext39", 5 }, { "hext48", 5 },
    };

    for (unsigned c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
        for (unsigned p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
            char *out = NULL;
            int st = run_prog(progs[p].name, configs[c], &out);

            if (st != 0)
                fprintf(stderr, "\nrvtest-%s %s: status %d\n", progs[p].name, configs[c], st);
            CU_ASSERT_EQUAL(st, 0);
            CU_ASSERT_EQUAL(stat_of(out, "page_faults"), progs[p].faults);
            free(out);
        }
    }
}

/* A failing program: HTIF code 42, and its console line arrives whole. */
static void test_failure_reported(void)
{
    char *out = NULL;

    CU_ASSERT_EQUAL(run_prog("fail", "", &out), 42);
    CU_ASSERT_PTR_NOT_NULL(out);
    if (out)
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "failing on purpose: code 42"));
    free(out);
}

/* The budget ends a run with status 124. */
static void test_budget(void)
{
    char *out = NULL;

    CU_ASSERT_EQUAL(run_prog("sv39", "-b 1000", &out), 124);
    CU_ASSERT_EQUAL(stat_of(out, "instret"), 1000);
    free(out);
}

UMBRA_SUITE(riscv_programs, "tests/riscv/programs", NULL, NULL,
            UMBRA_TEST(test_modes), UMBRA_TEST(test_sv39), UMBRA_TEST(test_sv48),
            UMBRA_TEST(test_sv48_walks_longer), UMBRA_TEST(test_timer_deterministic),
            UMBRA_TEST(test_atomics), UMBRA_TEST(test_rvc), UMBRA_TEST(test_privctl), UMBRA_TEST(test_hctl), UMBRA_TEST(test_hext39), UMBRA_TEST(test_hext48),
            UMBRA_TEST(test_cache_configs), UMBRA_TEST(test_failure_reported), UMBRA_TEST(test_budget))
