/*
 * test_alloc.c: the "xen/mm/alloc" suite: machine memory and the buddy
 * allocator (accounting, alignment, zeroing, exhaustion, merging, partial
 * frees, references, threads).
 * Invariant: every test leaves machine memory entirely free.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "public/xen.h"
#include "umbra/mm.h"
#include "umbra_test.h"

#define MEM_BYTES (64ULL << 20)
#define DOM 7

static int suite_init(void)
{
    return mm_init(MEM_BYTES) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

static void assert_all_free(void)
{
    struct mm_stats st;

    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.free_frames, st.total_frames);
    CU_ASSERT_EQUAL(st.by_type[PGT_free], st.total_frames);
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);
}

static void test_init_state(void)
{
    CU_ASSERT_EQUAL(mm_total_frames(), MEM_BYTES >> PAGE_SHIFT);
    CU_ASSERT_EQUAL(mm_bytes(), MEM_BYTES);
    CU_ASSERT_PTR_NOT_NULL(mm_base());
    CU_ASSERT(mm_memfd() >= 0);
    CU_ASSERT_EQUAL(mm_init(MEM_BYTES), -EBUSY);
    CU_ASSERT(mfn_valid(_mfn(MACHINE_BASE >> PAGE_SHIFT)));
    CU_ASSERT(!mfn_valid(_mfn((MACHINE_BASE >> PAGE_SHIFT) - 1)));
    CU_ASSERT(!mfn_valid(_mfn((MACHINE_BASE + MEM_BYTES) >> PAGE_SHIFT)));
    CU_ASSERT_EQUAL(mm_max_order(), 14);   /* 64 MiB = 2^14 frames */
    assert_all_free();
}

static void test_bad_sizes(void)
{
    mm_fini();
    CU_ASSERT_EQUAL(mm_init(0), -EINVAL);
    CU_ASSERT_EQUAL(mm_init(3ULL << 20), -EINVAL);
    CU_ASSERT_EQUAL(mm_init(MEM_BYTES), 0);
    assert_all_free();
}

static void test_alloc_owner_type_stats(void)
{
    struct mm_stats st;
    mfn_t m = alloc_frames(3, DOM, PGT_guest_ram);
    struct page_info *pg;

    CU_ASSERT_FATAL(mfn_valid(m));
    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.free_frames, st.total_frames - 8);
    CU_ASSERT_EQUAL(st.by_type[PGT_guest_ram], 8);
    pg = mfn_to_page(_mfn(mfn_x(m) + 5));
    CU_ASSERT_EQUAL(pg->owner, DOM);
    CU_ASSERT_EQUAL(pg->type, PGT_guest_ram);
    CU_ASSERT_EQUAL(pg->count, 0);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 8);

    page_set_owner_type(m, DOMID_COW, PGT_shared);
    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.by_type[PGT_guest_ram], 7);
    CU_ASSERT_EQUAL(st.by_type[PGT_shared], 1);
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);

    free_frames(m, 3);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 0);
    assert_all_free();
}

static void test_alignment(void)
{
    mfn_t m[15];

    for (unsigned k = 0; k <= 12; k++) {
        m[k] = alloc_frames(k, DOM, PGT_xen);
        CU_ASSERT_FATAL(mfn_valid(m[k]));
        CU_ASSERT_EQUAL(mfn_x(m[k]) & ((1ULL << k) - 1), 0);
    }
    for (unsigned k = 0; k <= 12; k++)
        free_frames(m[k], k);
    assert_all_free();
}

static void test_zeroed(void)
{
    mfn_t m = alloc_frames(1, DOM, PGT_guest_ram), m2;
    uint8_t *p = mfn_to_virt(m);

    memset(p, 0xA5, 2 * PAGE_SIZE);
    free_frames(m, 1);
    /* LIFO free lists give the same block back. */
    m2 = alloc_frames(1, DOM, PGT_guest_ram);
    CU_ASSERT_EQUAL(mfn_x(m2), mfn_x(m));
    p = mfn_to_virt(m2);
    for (unsigned i = 0; i < 2 * PAGE_SIZE; i++)
        if (p[i]) {
            CU_FAIL("frame not zeroed");
            break;
        }
    free_frames(m2, 1);
    assert_all_free();
}

static void test_exhaustion_and_merge(void)
{
    uint64_t total = mm_total_frames(), n = 0;
    mfn_t *all = calloc(total, sizeof(*all));
    mfn_t big;

    CU_ASSERT_FATAL(all != NULL);
    for (;;) {
        mfn_t m = alloc_frames(0, DOM, PGT_guest_ram);
        if (!mfn_valid_value(m))
            break;
        CU_ASSERT_FATAL(n < total);
        all[n++] = m;
    }
    CU_ASSERT_EQUAL(n, total);
    CU_ASSERT(!mfn_valid_value(alloc_frames(0, DOM, PGT_guest_ram)));
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);

    /* Free every other frame: lots free, nothing of order 1 available. */
    for (uint64_t i = 0; i < n; i += 2)
        free_frames(all[i], 0);
    CU_ASSERT(!mfn_valid_value(alloc_frames(1, DOM, PGT_guest_ram)));
    for (uint64_t i = 1; i < n; i += 2)
        free_frames(all[i], 0);
    assert_all_free();

    /* Everything merged back: the largest block exists again. */
    big = alloc_frames(mm_max_order(), DOM, PGT_guest_ram);
    CU_ASSERT(mfn_valid(big));
    CU_ASSERT(!mfn_valid_value(alloc_frames(mm_max_order() + 1, DOM, PGT_guest_ram)));
    free_frames(big, mm_max_order());
    assert_all_free();
    free(all);
}

static void test_partial_free(void)
{
    mfn_t m = alloc_frames(9, DOM, PGT_guest_ram);

    CU_ASSERT_FATAL(mfn_valid(m));
    /* Balloon out single frames of a 2 MiB block, then the rest in pieces. */
    free_frames(_mfn(mfn_x(m) + 7), 0);
    free_frames(_mfn(mfn_x(m) + 300), 0);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 510);
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);
    for (uint64_t i = 0; i < 512; i++)
        if (i != 7 && i != 300)
            free_frames(_mfn(mfn_x(m) + i), 0);
    assert_all_free();
    CU_ASSERT(mfn_valid(m = alloc_frames(mm_max_order(), DOM, PGT_xen)));
    free_frames(m, mm_max_order());
}

static void test_create_destroy_cycles(void)
{
    struct mm_stats before, after;

    mm_get_stats(&before);
    for (int cycle = 0; cycle < 50; cycle++) {
        mfn_t ram[8], tables[5];
        domid_t d = (domid_t)(1 + cycle % 5);

        for (int i = 0; i < 8; i++)
            CU_ASSERT_FATAL(mfn_valid(ram[i] = alloc_frames(9, d, PGT_guest_ram)));
        tables[0] = alloc_frames(2, d, PGT_p2m);
        for (int i = 1; i < 5; i++)
            tables[i] = alloc_frames(0, d, PGT_p2m);
        CU_ASSERT_EQUAL(mm_count_owned(d), 8 * 512 + 4 + 4);
        for (int i = 0; i < 8; i++)
            free_frames(ram[i], 9);
        free_frames(tables[0], 2);
        for (int i = 1; i < 5; i++)
            free_frames(tables[i], 0);
        CU_ASSERT_EQUAL(mm_count_owned(d), 0);
    }
    mm_get_stats(&after);
    CU_ASSERT_EQUAL(after.free_frames, before.free_frames);
    assert_all_free();
}

static void test_references(void)
{
    mfn_t m = alloc_frames(0, DOM, PGT_guest_ram);

    CU_ASSERT(get_page(m, DOM));
    CU_ASSERT(!get_page(m, DOM + 1));
    CU_ASSERT(get_page(m, DOM));
    CU_ASSERT_EQUAL(mfn_to_page(m)->count, 2);
    CU_ASSERT_EQUAL(put_page(m), 1);
    CU_ASSERT_EQUAL(put_page(m), 0);
    free_frames(m, 0);
    CU_ASSERT(!get_page(m, DOM));            /* free frames cannot be pinned */
    CU_ASSERT(!get_page(INVALID_MFN, DOM));
    assert_all_free();
}

static void test_counted_accessors(void)
{
    mfn_t m = alloc_frames(0, DOM, PGT_xen);
    maddr_t ma = mfn_to_maddr(m);
    uint64_t refs = 0;

    mm_write64(_maddr(maddr_x(ma) + 8), 0x1234, &refs);
    CU_ASSERT_EQUAL(mm_read64(_maddr(maddr_x(ma) + 8), &refs), 0x1234);
    CU_ASSERT(!mm_cmpxchg64(_maddr(maddr_x(ma) + 8), 1, 2, &refs));
    CU_ASSERT(mm_cmpxchg64(_maddr(maddr_x(ma) + 8), 0x1234, 2, &refs));
    CU_ASSERT_EQUAL(mm_read64(_maddr(maddr_x(ma) + 8), NULL), 2);
    CU_ASSERT_EQUAL(refs, 4);
    CU_ASSERT_EQUAL(*(uint64_t *)maddr_to_virt(_maddr(maddr_x(ma) + 8)), 2);
    free_frames(m, 0);
    assert_all_free();
}

static uint64_t hook_bytes;
static void count_host_writes(maddr_t ma, uint64_t len)
{
    CU_ASSERT(maddr_valid(ma));
    hook_bytes += len;
}

/* Zeroing a reused frame is reported to the host-write hook. */
static void test_host_write_hook(void)
{
    mfn_t m;

    mm_set_host_write_hook(count_host_writes);
    m = alloc_frames(0, DOM, PGT_guest_ram);
    free_frames(m, 0);
    hook_bytes = 0;
    m = alloc_frames(0, DOM, PGT_guest_ram);
    CU_ASSERT_EQUAL(hook_bytes, PAGE_SIZE);
    free_frames(m, 0);
    mm_set_host_write_hook(NULL);
    assert_all_free();
}

#define THREADS 4
#define ROUNDS 2000

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    mfn_t held[16];
    unsigned order[16];
    unsigned n = 0;

    for (int r = 0; r < ROUNDS; r++) {
        if (n < 16 && (rand_r(&seed) & 1)) {
            order[n] = rand_r(&seed) % 6;
            held[n] = alloc_frames(order[n], (domid_t)(uintptr_t)arg, PGT_guest_ram);
            if (mfn_valid_value(held[n]))
                n++;
        } else if (n > 0) {
            n--;
            free_frames(held[n], order[n]);
        }
    }
    while (n > 0) {
        n--;
        free_frames(held[n], order[n]);
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[THREADS];

    for (uintptr_t i = 0; i < THREADS; i++)
        CU_ASSERT_FATAL(pthread_create(&t[i], NULL, churn, (void *)(i + 1)) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_all_free();
}

UMBRA_SUITE(mm_alloc, "xen/mm/alloc", suite_init, suite_fini,
            UMBRA_TEST(test_init_state),
            UMBRA_TEST(test_bad_sizes),
            UMBRA_TEST(test_alloc_owner_type_stats),
            UMBRA_TEST(test_alignment),
            UMBRA_TEST(test_zeroed),
            UMBRA_TEST(test_exhaustion_and_merge),
            UMBRA_TEST(test_partial_free),
            UMBRA_TEST(test_create_destroy_cycles),
            UMBRA_TEST(test_references),
            UMBRA_TEST(test_counted_accessors),
            UMBRA_TEST(test_host_write_hook),
            UMBRA_TEST(test_threads))
