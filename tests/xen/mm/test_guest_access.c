/*
 * test_guest_access.c: the "xen/mm/guest_access" suite: copies to and from
 * guest virtual and physical memory across pages, with every refusal
 * (unmapped, read-only in the guest or in the p2m, another domain's frame,
 * address wrap) returning -EFAULT and nothing else being touched.
 * Invariant: every test ends with all machine memory free.
 */
#include <errno.h>
#include <string.h>

#include "guest_fixture.h"
#include "riscv/hart.h"
#include "umbra/guest_access.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"
#include "umbra_test.h"

#define DOM 11
#define KRW (PTE_R | PTE_W | PTE_A | PTE_D)

static struct guest_fixture fx;

static int suite_init(void)
{
    return mm_init(64ULL << 20) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

static void finish(void)
{
    struct mm_stats st;

    fixture_fini(&fx);
    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.free_frames, st.total_frames);
}

/* Two consecutive guest pages backed by non-consecutive guest frames. */
static void map_split_buffer(void)
{
    fixture_map(&fx, 0x10000000ULL, 0x80050000ULL, 0, KRW);
    fixture_map(&fx, 0x10001000ULL, 0x80040000ULL, 0, KRW);
    fixture_map(&fx, 0x10002000ULL, 0x80060000ULL, 0, PTE_R | PTE_A);   /* guest read-only */
    fixture_enable_sv39(&fx);
}

static void test_cross_page_roundtrip(void)
{
    char msg[300], back[300] = { 0 }, half[100];
    uint64_t refs0;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    map_split_buffer();
    for (unsigned i = 0; i < sizeof(msg); i++)
        msg[i] = (char)('a' + i % 26);
    refs0 = hart_counters(fx.v.hart)->hyp_refs;
    CU_ASSERT_EQUAL(copy_to_guest(&fx.v, 0x10001000ULL - 150, msg, sizeof(msg)), 0);
    CU_ASSERT(hart_counters(fx.v.hart)->hyp_refs > refs0 + sizeof(msg) / 8);
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, back, 0x10001000ULL - 150, sizeof(back)), 0);
    CU_ASSERT_EQUAL(memcmp(msg, back, sizeof(msg)), 0);
    /* The bytes landed where the guest's tables say. */
    CU_ASSERT_EQUAL(copy_from_guest_phys(&fx.d, half, 0x80050000ULL + PAGE_SIZE - 150, 100, NULL), 0);
    CU_ASSERT_EQUAL(memcmp(half, msg, 100), 0);
    CU_ASSERT_EQUAL(copy_from_guest_phys(&fx.d, half, 0x80040000ULL, 100, NULL), 0);
    CU_ASSERT_EQUAL(memcmp(half, msg + 150, 100), 0);
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, back, 0x10000000ULL, 0), 0);
    finish();
}

static void test_refusals(void)
{
    char buf[64] = "x";
    mfn_t ro, foreign;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, true), 0);
    map_split_buffer();
    /* Guest read-only page: readable, not writable. */
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, buf, 0x10002000ULL, 8), 0);
    CU_ASSERT_EQUAL(copy_to_guest(&fx.v, 0x10002000ULL, buf, 8), -EFAULT);
    /* A buffer running off the mapped pages fails. */
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, buf, 0x10003000ULL - 8, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, buf, 0x7000000ULL, 1), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, buf, ~0ULL - 4, 16), -EFAULT);
    /* p2m read-only frame: the hypervisor may read it, never write it. */
    ro = alloc_frames(0, DOM, PGT_guest_ram);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80700), ro, 0, p2m_ram_ro), 0);
    fixture_map(&fx, 0x10004000ULL, 0x80700000ULL, 0, KRW);
    hart_hfence_vvma(fx.v.hart, ~0ULL, ~0ULL);
    CU_ASSERT_EQUAL(copy_from_guest(&fx.v, buf, 0x10004000ULL, 8), 0);
    CU_ASSERT_EQUAL(copy_to_guest(&fx.v, 0x10004000ULL, buf, 8), -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest_phys(&fx.d, 0x80700000ULL, buf, 8, NULL), -EFAULT);
    /* Unmapped guest-physical memory. */
    CU_ASSERT_EQUAL(copy_to_guest_phys(&fx.d, 0x90000000ULL, buf, 8, NULL), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest_phys(&fx.d, buf, 0x80200000ULL - 4, 8, NULL), -EFAULT);
    /* Another domain's frame can never even be mapped there. */
    foreign = alloc_frames(0, DOM + 1, PGT_guest_ram);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80800), foreign, 0, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(copy_from_guest_phys(&fx.d, buf, 0x80800000ULL, 8, NULL), -EFAULT);
    free_frames(foreign, 0);
    finish();
}

static void test_pod_buffer_populated(void)
{
    uint64_t v = 0xABCDEF, got = 0;

    CU_ASSERT_EQUAL_FATAL(fixture_init(&fx, DOM, false), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(&fx.d.p2m, _gfn(0x80400), INVALID_MFN, 9,
                                  p2m_populate_on_demand), 0);
    CU_ASSERT_EQUAL(copy_to_guest_phys(&fx.d, 0x80400FFCULL, &v, 8, NULL), 0);
    CU_ASSERT_EQUAL(fx.d.p2m.pod_populated, 2);               /* crossed into a 2nd page */
    CU_ASSERT_EQUAL(copy_from_guest_phys(&fx.d, &got, 0x80400FFCULL, 8, NULL), 0);
    CU_ASSERT_EQUAL(got, v);
    finish();
}

UMBRA_SUITE(mm_guest_access, "xen/mm/guest_access", suite_init, suite_fini,
            UMBRA_TEST(test_cross_page_roundtrip),
            UMBRA_TEST(test_refusals),
            UMBRA_TEST(test_pod_buffer_populated))
