/*
 * test_abi.c: Umbra's public ABI (xen/include/public) must use Xen 4.17's
 * numbers and layouts. Each fact in abi_list.h is compared with the value
 * Debian's libxen-dev headers give (abi_xen_ref.c).
 */
#include "public/xen.h"
#include "public/memory.h"
#include "public/event_channel.h"
#include "public/sched.h"
#include "public/version.h"
#include "public/vcpu.h"
#include "public/io/console.h"

#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "umbra_test.h"

static const struct abi_fact abi_ours[] = {
#include "abi_list.h"
};

static void test_every_fact_matches_xen(void)
{
    size_t n = sizeof(abi_ours) / sizeof(abi_ours[0]);

    CU_ASSERT_EQUAL_FATAL(n, abi_xen_ref_count);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_STRING_EQUAL(abi_ours[i].name, abi_xen_ref[i].name);
        if (abi_ours[i].value != abi_xen_ref[i].value || abi_ours[i].size != abi_xen_ref[i].size) {
            fprintf(stderr, "ABI mismatch: %s ours %lld/%zu, Xen %lld/%zu\n", abi_ours[i].name,
                    abi_ours[i].value, abi_ours[i].size, abi_xen_ref[i].value, abi_xen_ref[i].size);
        }
        CU_ASSERT_EQUAL(abi_ours[i].value, abi_xen_ref[i].value);
        CU_ASSERT_EQUAL(abi_ours[i].size, abi_xen_ref[i].size);
    }
}

/* The console GFN sits where x86 PV's console.domU.mfn does. */
static void test_start_info_console_offsets(void)
{
    CU_ASSERT_EQUAL(offsetof(struct start_info, console.mfn), 72);
    CU_ASSERT_EQUAL(offsetof(struct start_info, console.evtchn), 80);
    CU_ASSERT_EQUAL(offsetof(struct start_info, cmd_line), 128);
}

static void test_hypercall_base_is_sbi_firmware_space(void)
{
    CU_ASSERT_EQUAL(XEN_HYPERCALL_BASE, 0x0A000000UL);
    CU_ASSERT_EQUAL(XEN_HYPERCALL_BASE + __HYPERVISOR_memory_op, 0x0A00000CUL);
}

UMBRA_SUITE(abi, "xen/include/abi", NULL, NULL,
            UMBRA_TEST(test_every_fact_matches_xen),
            UMBRA_TEST(test_start_info_console_offsets),
            UMBRA_TEST(test_hypercall_base_is_sbi_firmware_space))
