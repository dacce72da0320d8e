/*
 * xl_failures.c: suite integration/xl/failures: nothing is left behind when
 * creation fails — a malformed config, a kernel that is not riscv64 (the
 * failure comes after RAM was populated), memory above the host's free
 * memory — and an unprivileged user gets EPERM.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int up(void)
{
    return xl_stack_up("xl-fail") < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

/* `xl create ARGS` fails with `msg` in its output, and changes nothing. */
static void expect_create_fails(const char *args, const char *msg)
{
    long free_before = xl_info_num("free_memory");
    int doms_before = xl_list_count();
    char *out = NULL;

    CU_ASSERT_NOT_EQUAL(xl_run(args, &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, msg));
    if (!strstr(out, msg))
        fprintf(stderr, "\n  xl %s:\n%s\n  (wanted: %s)\n", args, out, msg);
    free(out);
    CU_ASSERT_EQUAL(xl_list_count(), doms_before);
    CU_ASSERT_EQUAL(xl_info_num("free_memory"), free_before);
}

static void test_malformed_config(void)
{
    char path[4200], args[4300];
    FILE *f;

    if (!xl_stack_ready())
        return;
    snprintf(path, sizeof(path), "%s/bad.xml", xl_rundir());
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("<domain type='xen'>\n  <name>bad</name>\n  <memory unit='MiB'>16</memry>\n</domain>\n", f);
    fclose(f);
    snprintf(args, sizeof(args), "create '%s'", path);
    expect_create_fails(args, "bad.xml:3: malformed XML: Opening and ending tag mismatch");
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("<domain type='xen'>\n  <name>bad</name>\n  <memory unit='MiB'>16</memory>\n"
          "  <os><type>xen</type><kernel>/usr/lib/umbra/guest/kernel.elf</kernel></os>\n"
          "  <devices><disk type='file'/></devices>\n</domain>\n", f);
    fclose(f);
    expect_create_fails(args, "bad.xml:5: unknown element <disk> in <devices>");
}

static void test_bad_kernel_rolls_back(void)
{
    if (!xl_stack_ready())
        return;
    expect_create_fails("create examples/hello.xml name=badkernel kernel=/bin/sh",
                        "libxl: error: cannot create domain badkernel: kernel ");
}

static void test_memory_above_free_rolls_back(void)
{
    long total, free_mib;
    char args[256];

    if (!xl_stack_ready())
        return;
    /* Hold 16 MiB so that free < total, then ask for more than is free. */
    CU_ASSERT_EQUAL_FATAL(xl_run("create -p -q examples/hello.xml name=holder", NULL), 0);
    total = xl_info_num("total_memory");
    free_mib = xl_info_num("free_memory");
    CU_ASSERT_FATAL(free_mib > 0 && free_mib + 8 <= total);
    snprintf(args, sizeof(args), "create examples/hello.xml name=toobig memory=%ld", free_mib + 8);
    expect_create_fails(args, "Cannot allocate memory");
    CU_ASSERT_EQUAL(xl_run("destroy holder", NULL), 0);
}

static void test_unprivileged_gets_eperm(void)
{
    char cmd[8192], *out = NULL;
    int rc;

    if (!xl_stack_ready())
        return;
    snprintf(cmd, sizeof(cmd),
             "setpriv --reuid=nobody --regid=nogroup --clear-groups env XEN_RUN_DIR='%s' '%s' list",
             xl_rundir(), ut_build_path("bin/xl"));
    rc = ut_run(cmd, &out);
    CU_ASSERT_NOT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "EPERM"));
    if (!strstr(out, "EPERM"))
        fprintf(stderr, "\n  %s\n", out);
    free(out);
}

UMBRA_SUITE(xl_failures, "integration/xl/failures", up, down,
            UMBRA_TEST(test_malformed_config), UMBRA_TEST(test_bad_kernel_rolls_back),
            UMBRA_TEST(test_memory_above_free_rolls_back), UMBRA_TEST(test_unprivileged_gets_eperm))
