/*
 * guest_hap.c: suite integration/guest/hap: every workload of the PV guest
 * kernel (guest_cases.h) boots in HAP mode at a small size, prints its
 * expected checksum, never panics and powers off cleanly; the self-test
 * passes every case; a panic shuts the domain down as crashed, message first.
 */
#include "guest_cases.h"
#include "guest_run.h"
#include "umbra_test.h"
#include "xl_stack.h"

#include <string.h>

static int up(void)
{
    return xl_stack_up("guest-hap") < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

#define HAP_TEST(id, example, cmdline, line)                                  \
    static void test_hap_##id(void)                                           \
    {                                                                         \
        struct guest_result r;                                                \
        if (!xl_stack_ready())                                                \
            return;                                                           \
        guest_boot(example, "gh-" #id, "hap=on", cmdline, &r);                \
        guest_expect_clean(&r, line);                                         \
        guest_result_free(&r);                                                \
    }
GUEST_CASES(HAP_TEST)

static void test_hap_panic_crashes(void)
{
    struct guest_result r;

    if (!xl_stack_ready())
        return;
    guest_boot("hello", "gh-panic", "hap=on", "workload=panic", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.console, "PANIC: workload=panic: panicking on request"));
    CU_ASSERT_STRING_EQUAL(r.state, "---sc-");
    guest_result_free(&r);
}

static void test_hap_unknown_workload_crashes(void)
{
    struct guest_result r;

    if (!xl_stack_ready())
        return;
    guest_boot("hello", "gh-unknown", "hap=on", "workload=no-such-thing", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.console, "init: cannot run workload no-such-thing"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.console, "PANIC: init: the workload failed"));
    CU_ASSERT_STRING_EQUAL(r.state, "---sc-");
    guest_result_free(&r);
}

#define HAP_ENTRY(id, example, cmdline, line) UMBRA_TEST(test_hap_##id),
UMBRA_SUITE(guest_hap, "integration/guest/hap", up, down,
            GUEST_CASES(HAP_ENTRY)
            UMBRA_TEST(test_hap_panic_crashes),
            UMBRA_TEST(test_hap_unknown_workload_crashes))
