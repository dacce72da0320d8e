/*
 * test_units.c: suite tools/libs/light/units: libvirt's scaled integers and
 * xl's SIZE arguments, including every rejection.
 */
#include "libxl_umbra.h"
#include "umbra_test.h"

#include <string.h>

static uint64_t kib(const char *n, const char *u)
{
    char err[128];
    uint64_t v = 12345;

    CU_ASSERT_EQUAL_FATAL(libxl_parse_scaled_kib(n, u, &v, err, sizeof(err)), 0);
    return v;
}

static void test_libvirt_units(void)
{
    CU_ASSERT_EQUAL(kib("64", NULL), 64);
    CU_ASSERT_EQUAL(kib("64", ""), 64);
    CU_ASSERT_EQUAL(kib("64", "KiB"), 64);
    CU_ASSERT_EQUAL(kib("64", "k"), 64);
    CU_ASSERT_EQUAL(kib("64", "K"), 64);
    CU_ASSERT_EQUAL(kib("1000", "KB"), 977);          /* 1,000,000 B, rounded up */
    CU_ASSERT_EQUAL(kib("16", "MiB"), 16384);
    CU_ASSERT_EQUAL(kib("16", "M"), 16384);
    CU_ASSERT_EQUAL(kib("16", "mib"), 16384);
    CU_ASSERT_EQUAL(kib("1", "MB"), 977);
    CU_ASSERT_EQUAL(kib("2", "GiB"), 2097152);
    CU_ASSERT_EQUAL(kib("2", "G"), 2097152);
    CU_ASSERT_EQUAL(kib("1", "GB"), 976563);
    CU_ASSERT_EQUAL(kib("1", "TiB"), 1073741824ULL);
    CU_ASSERT_EQUAL(kib("1", "T"), 1073741824ULL);
    CU_ASSERT_EQUAL(kib("1", "TB"), 976562500ULL);
    CU_ASSERT_EQUAL(kib("1", "b"), 1);                /* rounded up to a KiB */
    CU_ASSERT_EQUAL(kib("2048", "bytes"), 2);
    CU_ASSERT_EQUAL(kib("0", "MiB"), 0);
}

static void expect_unit_error(const char *n, const char *u, const char *msg)
{
    char err[128] = "";
    uint64_t v;

    CU_ASSERT_EQUAL(libxl_parse_scaled_kib(n, u, &v, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, msg);
}

static void test_libvirt_unit_errors(void)
{
    expect_unit_error("16", "MiBs", "unknown unit 'MiBs'");
    expect_unit_error("16", "x", "unknown unit 'x'");
    expect_unit_error("16", "KiBB", "unknown unit 'KiBB'");
    expect_unit_error("-16", "MiB", "invalid number '-16'");
    expect_unit_error("16M", NULL, "invalid number '16M'");
    expect_unit_error("", NULL, "invalid number ''");
    expect_unit_error(" 1", NULL, "invalid number ' 1'");
    expect_unit_error("99999999999999999999", NULL, "invalid number '99999999999999999999'");
    expect_unit_error("99999999999", "EiB", "size 99999999999 EiB is too large");
}

static void test_xl_sizes(void)
{
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("1024"), 1024);    /* KiB by default */
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("512k"), 512);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("512K"), 512);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("32m"), 32768);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("32M"), 32768);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("2g"), 2097152);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("1t"), 1073741824LL);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("4096b"), 4);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("1b"), 1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb(""), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("m"), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("32x"), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("32mb"), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("-32"), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("3 2"), -1);
    CU_ASSERT_EQUAL(libxl_parse_mem_size_kb("99999999999999t"), -1);
}

UMBRA_SUITE(units, "tools/libs/light/units", NULL, NULL,
            UMBRA_TEST(test_libvirt_units), UMBRA_TEST(test_libvirt_unit_errors),
            UMBRA_TEST(test_xl_sizes))
