/*
 * test_p2m.c: the "xen/mm/p2m" suite: G-stage tables in machine memory
 * (format, types, superpages and splitting, flush hook, freeing of table
 * frames, rejected types, Sv48x4).
 * Invariant: every test tears its p2m down and frees its RAM, so machine
 * memory is entirely free between tests.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "public/xen.h"
#include "riscv/csr.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra_test.h"

#define DOM 5
#define RAM_GFN 0x80000ULL            /* GPA 0x80000000 */

static struct domain dom;
static unsigned flushes;
static gfn_t last_flush_gfn;
static unsigned last_flush_order;

static void count_flush(struct domain *d, gfn_t gfn, unsigned order)
{
    CU_ASSERT_PTR_EQUAL(d, &dom);
    flushes++;
    last_flush_gfn = gfn;
    last_flush_order = order;
}

static int suite_init(void)
{
    return mm_init(64ULL << 20) == 0 ? 0 : -1;
}

static int suite_fini(void)
{
    mm_fini();
    return 0;
}

static struct p2m_domain *setup(enum pt_format_id fmt, bool superpages)
{
    memset(&dom, 0, sizeof(dom));
    dom.domain_id = DOM;
    flushes = 0;
    if (p2m_init(&dom.p2m, &dom, fmt, superpages) != 0)
        return NULL;
    dom.p2m.flush = count_flush;
    return &dom.p2m;
}

static void teardown_all_free(struct p2m_domain *p2m)
{
    struct mm_stats st;

    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    p2m_teardown(p2m);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 0);
    mm_get_stats(&st);
    CU_ASSERT_EQUAL(st.free_frames, st.total_frames);
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);
}

/* The raw leaf PTE for gpa, found the way the hart's G-stage walker finds it. */
static uint64_t raw_leaf(struct p2m_domain *p2m, uint64_t gpa, unsigned *level_out)
{
    const struct pt_format *f = p2m->fmt;
    uint64_t table = mfn_x(p2m->root) << PAGE_SHIFT;

    for (int level = (int)f->levels - 1; level >= 0; level--) {
        uint64_t pte = mm_read64(_maddr(table + 8ULL * pt_index(f, (unsigned)level, gpa)), NULL);

        if (!(pte & PTE_V) || pte_is_leaf(pte)) {
            *level_out = (unsigned)level;
            return pte;
        }
        table = pte_ppn(pte) << PAGE_SHIFT;
    }
    *level_out = 0;
    return 0;
}

static void test_init_hgatp(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    uint64_t h;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p2m);
    CU_ASSERT_EQUAL(mfn_x(p2m->root) & 3, 0);          /* 16 KiB aligned */
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 4);
    CU_ASSERT_EQUAL(mfn_to_page(p2m->root)->type, PGT_p2m);
    h = p2m_hgatp(p2m, DOM);
    CU_ASSERT_EQUAL(h >> HGATP_MODE_SHIFT, HGATP_MODE_SV39X4);
    CU_ASSERT_EQUAL((h & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT, DOM);
    CU_ASSERT_EQUAL(h & HGATP_PPN_MASK, mfn_x(p2m->root));
    teardown_all_free(p2m);
    CU_ASSERT_EQUAL(p2m_init(&dom.p2m, &dom, PT_SV39, true), -EINVAL);
    /* A torn-down (or never initialised) p2m answers without touching memory. */
    CU_ASSERT(!mfn_valid_value(p2m_get_entry(p2m, _gfn(RAM_GFN), NULL, NULL)));
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 0, p2m_invalid), -EINVAL);
    CU_ASSERT_EQUAL(p2m_pod_populate(p2m, _gfn(RAM_GFN)), -EINVAL);
    CU_ASSERT_EQUAL(p2m_for_each(p2m, NULL, NULL), 0);
    {
        struct p2m_domain zero = { 0 };
        CU_ASSERT(!mfn_valid_value(p2m_get_entry(&zero, _gfn(RAM_GFN), NULL, NULL)));
        p2m_teardown(&zero);
    }
    p2m_teardown(p2m);                                   /* idempotent */
}

static void test_map_lookup_unmap(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t ram = alloc_frames(0, DOM, PGT_guest_ram), m;
    p2m_type_t t;
    unsigned order, level;
    uint64_t pte;

    CU_ASSERT_EQUAL_FATAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 3), ram, 0, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(flushes, 0);                          /* absent -> present: no flush */
    m = p2m_get_entry(p2m, _gfn(RAM_GFN + 3), &t, &order);
    CU_ASSERT(mfn_eq(m, ram));
    CU_ASSERT_EQUAL(t, p2m_ram_rw);
    CU_ASSERT_EQUAL(order, 0);
    CU_ASSERT_EQUAL(p2m->nr_entries, 1);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 6);
    CU_ASSERT_EQUAL(p2m->max_gfn, RAM_GFN + 4);

    /* Exactly what the hart reads: a level-0 leaf, RWX, U, A, D, V. */
    pte = raw_leaf(p2m, gfn_to_gaddr(_gfn(RAM_GFN + 3)) + 0x123, &level);
    CU_ASSERT_EQUAL(level, 0);
    CU_ASSERT_EQUAL(pte_ppn(pte), mfn_x(ram));
    CU_ASSERT_EQUAL(pte & 0xFF, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);

    m = p2m_get_entry(p2m, _gfn(RAM_GFN + 4), &t, &order);
    CU_ASSERT(!mfn_valid_value(m));
    CU_ASSERT_EQUAL(t, p2m_invalid);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);

    /* Unmapping frees the two tables that became empty, after one flush. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 3), INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT(gfn_eq(last_flush_gfn, _gfn(RAM_GFN + 3)));
    CU_ASSERT_EQUAL(last_flush_order, 0);
    CU_ASSERT(!mfn_valid_value(p2m_get_entry(p2m, _gfn(RAM_GFN + 3), &t, NULL)));
    CU_ASSERT_EQUAL(p2m->nr_entries, 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 4 + 1);
    /* Unmapping what was never mapped is a no-op. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 9), INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    free_frames(ram, 0);
    teardown_all_free(p2m);
}

static void test_flush_rules(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t a = alloc_frames(0, DOM, PGT_guest_ram), b = alloc_frames(0, DOM, PGT_guest_ram);
    gfn_t g = _gfn(RAM_GFN);
    unsigned level;

    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, a, 0, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(flushes, 0);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, a, 0, p2m_ram_ro), 0);     /* rw -> ro */
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(raw_leaf(p2m, gfn_to_gaddr(g), &level) & PTE_W, 0);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, a, 0, p2m_ram_rw), 0);     /* ro -> rw: none */
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, a, 0, p2m_ram_rw), 0);     /* unchanged */
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, b, 0, p2m_ram_rw), 0);     /* remap */
    CU_ASSERT_EQUAL(flushes, 2);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, g, INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(flushes, 3);
    free_frames(a, 0);
    free_frames(b, 0);
    teardown_all_free(p2m);
}

static void test_superpage(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t ram = alloc_frames(9, DOM, PGT_guest_ram), m;
    p2m_type_t t;
    unsigned order, level;
    uint64_t pte;

    CU_ASSERT_EQUAL_FATAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 512), ram, 9, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 5);           /* root + one level-1 table */
    CU_ASSERT_EQUAL(p2m->nr_entries, 512);
    m = p2m_get_entry(p2m, _gfn(RAM_GFN + 512 + 77), &t, &order);
    CU_ASSERT_EQUAL(mfn_x(m), mfn_x(ram) + 77);
    CU_ASSERT_EQUAL(order, 9);
    CU_ASSERT_EQUAL(t, p2m_ram_rw);
    pte = raw_leaf(p2m, gfn_to_gaddr(_gfn(RAM_GFN + 512 + 77)), &level);
    CU_ASSERT_EQUAL(level, 1);
    CU_ASSERT_EQUAL(pte_ppn(pte), mfn_x(ram));
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    /* Unmapping the whole 2 MiB frees the level-1 table. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 512), INVALID_MFN, 9, p2m_invalid), 0);
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(last_flush_order, 9);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    free_frames(ram, 9);
    teardown_all_free(p2m);
}

static void test_superpages_off(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, false);
    mfn_t ram = alloc_frames(9, DOM, PGT_guest_ram), m;
    unsigned order;

    CU_ASSERT_EQUAL_FATAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 9, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 6);
    CU_ASSERT_EQUAL(p2m->nr_entries, 512);
    m = p2m_get_entry(p2m, _gfn(RAM_GFN + 511), NULL, &order);
    CU_ASSERT_EQUAL(mfn_x(m), mfn_x(ram) + 511);
    CU_ASSERT_EQUAL(order, 0);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 9, p2m_invalid), 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    CU_ASSERT_EQUAL(p2m->nr_entries, 0);
    free_frames(ram, 9);
    teardown_all_free(p2m);
}

static void test_split(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t ram = alloc_frames(9, DOM, PGT_guest_ram), other = alloc_frames(0, DOM, PGT_guest_ram);
    p2m_type_t t;
    unsigned order;
    int bad = 0;

    CU_ASSERT_EQUAL_FATAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 9, p2m_ram_rw), 0);
    /* One 4 KiB entry becomes read-only: the superpage splits first. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 7), _mfn(mfn_x(ram) + 7), 0, p2m_ram_ro), 0);
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 6);
    CU_ASSERT_EQUAL(p2m->nr_entries, 512);
    for (unsigned i = 0; i < 512; i++) {
        mfn_t m = p2m_get_entry(p2m, _gfn(RAM_GFN + i), &t, &order);

        if (mfn_x(m) != mfn_x(ram) + i || order != 0 ||
            t != (i == 7 ? p2m_ram_ro : p2m_ram_rw))
            bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* Replace one, unmap another: the other 510 stay. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 100), other, 0, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 200), INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(p2m->nr_entries, 511);
    CU_ASSERT(mfn_eq(p2m_get_entry(p2m, _gfn(RAM_GFN + 100), NULL, NULL), other));
    CU_ASSERT(!mfn_valid_value(p2m_get_entry(p2m, _gfn(RAM_GFN + 200), NULL, NULL)));
    CU_ASSERT_EQUAL(mfn_x(p2m_get_entry(p2m, _gfn(RAM_GFN + 201), NULL, NULL)), mfn_x(ram) + 201);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    /* A 2 MiB mapping over the split range replaces the table, freed after a flush. */
    flushes = 0;
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 9, p2m_ram_rw), 0);
    CU_ASSERT_EQUAL(flushes, 1);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 5);
    CU_ASSERT_EQUAL(p2m->nr_entries, 512);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    free_frames(ram, 9);
    free_frames(other, 0);
    teardown_all_free(p2m);
}

static void test_rejected(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t ram = alloc_frames(9, DOM, PGT_guest_ram);
    mfn_t foreign = alloc_frames(0, DOM + 1, PGT_guest_ram);
    const p2m_type_t unused[] = { p2m_ram_logdirty, p2m_ram_paged_out, p2m_grant_map_rw,
                                  p2m_grant_map_ro, p2m_nr_types };

    for (unsigned i = 0; i < sizeof(unused) / sizeof(unused[0]); i++)
        CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 0, unused[i]), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 3, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 1), ram, 9, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), _mfn(mfn_x(ram) + 1), 9, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), foreign, 0, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), ram, 0, p2m_ram_shared), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 0, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(1ULL << 29), ram, 0, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m->nr_entries, 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    CU_ASSERT_STRING_EQUAL(p2m_type_name(p2m_ram_shared), "ram_shared");
    CU_ASSERT_STRING_EQUAL(p2m_type_name(p2m_populate_on_demand), "populate_on_demand");
    CU_ASSERT_STRING_EQUAL(p2m_type_name(p2m_nr_types), "unknown");
    free_frames(ram, 9);
    free_frames(foreign, 0);
    teardown_all_free(p2m);
}

static void test_shared_and_pod(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t cow = alloc_frames(0, DOMID_COW, PGT_shared);
    p2m_type_t t;
    unsigned order, level;

    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), cow, 0, p2m_ram_shared), 0);
    CU_ASSERT(mfn_eq(p2m_get_entry(p2m, _gfn(RAM_GFN), &t, NULL), cow));
    CU_ASSERT_EQUAL(t, p2m_ram_shared);
    CU_ASSERT_EQUAL(raw_leaf(p2m, gfn_to_gaddr(_gfn(RAM_GFN)), &level) & PTE_W, 0);

    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 1024), INVALID_MFN, 9,
                                  p2m_populate_on_demand), 0);
    CU_ASSERT_EQUAL(p2m->pod_entries, 512);
    CU_ASSERT(!mfn_valid_value(p2m_get_entry(p2m, _gfn(RAM_GFN + 1030), &t, &order)));
    CU_ASSERT_EQUAL(t, p2m_populate_on_demand);
    CU_ASSERT_EQUAL(order, 9);
    CU_ASSERT_EQUAL(raw_leaf(p2m, gfn_to_gaddr(_gfn(RAM_GFN + 1030)), &level) & PTE_V, 0);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    /* Splitting a PoD superpage keeps PoD on the other 511. */
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 1030), INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(p2m->pod_entries, 511);
    p2m_get_entry(p2m, _gfn(RAM_GFN + 1031), &t, &order);
    CU_ASSERT_EQUAL(t, p2m_populate_on_demand);
    CU_ASSERT_EQUAL(order, 0);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 0, p2m_invalid);
    free_frames(cow, 0);
    teardown_all_free(p2m);
}

struct visit_log {
    unsigned n;
    uint64_t frames;
};

static int log_visit(gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t, void *arg)
{
    struct visit_log *log = arg;

    (void)gfn;
    (void)mfn;
    (void)t;
    log->n++;
    log->frames += 1ULL << order;
    return 0;
}

static int free_ram(gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t, void *arg)
{
    (void)gfn;
    (void)arg;
    if (t == p2m_ram_rw || t == p2m_ram_ro)
        free_frames(mfn, order);
    return 0;
}

/* A domain's life: RAM in superpages and pages, teardown by walking the p2m. */
static void test_teardown_cycles(void)
{
    struct mm_stats before, after;

    mm_get_stats(&before);
    for (int cycle = 0; cycle < 20; cycle++) {
        struct p2m_domain *p2m = setup(cycle & 1 ? PT_SV48X4 : PT_SV39X4, cycle % 4 < 2);
        struct visit_log log = { 0 };

        CU_ASSERT_PTR_NOT_NULL_FATAL(p2m);
        for (unsigned i = 0; i < 8; i++) {
            mfn_t m = alloc_frames(9, DOM, PGT_guest_ram);
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 512 * i), m, 9, p2m_ram_rw), 0);
        }
        for (unsigned i = 0; i < 16; i++) {
            mfn_t m = alloc_frames(0, DOM, PGT_guest_ram);
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(0x100000 + 3 * i), m, 0, p2m_ram_ro), 0);
        }
        CU_ASSERT_EQUAL(p2m->nr_entries, 8 * 512 + 16);
        CU_ASSERT_EQUAL(p2m_for_each(p2m, log_visit, &log), 0);
        CU_ASSERT_EQUAL(log.frames, 8 * 512 + 16);
        CU_ASSERT_EQUAL(log.n, p2m->superpages ? 8 + 16 : 8 * 512 + 16);
        CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
        p2m_for_each(p2m, free_ram, NULL);
        p2m_teardown(p2m);
        CU_ASSERT_EQUAL(mm_count_owned(DOM), 0);
    }
    mm_get_stats(&after);
    CU_ASSERT_EQUAL(after.free_frames, before.free_frames);
    CU_ASSERT_EQUAL(mm_check_accounting(), 0);
}

static void test_sv48x4(void)
{
    struct p2m_domain *p2m = setup(PT_SV48X4, true);
    mfn_t ram = alloc_frames(0, DOM, PGT_guest_ram);
    gfn_t high = _gfn(1ULL << 37);          /* GPA 2^49: beyond Sv39x4 */
    unsigned level;

    CU_ASSERT_EQUAL(p2m_hgatp(p2m, 1) >> HGATP_MODE_SHIFT, HGATP_MODE_SV48X4);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, high, ram, 0, p2m_ram_rw), 0);
    CU_ASSERT(mfn_eq(p2m_get_entry(p2m, high, NULL, NULL), ram));
    CU_ASSERT_EQUAL(pte_ppn(raw_leaf(p2m, gfn_to_gaddr(high), &level)), mfn_x(ram));
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4 + 3);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(1ULL << 38), ram, 0, p2m_ram_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, high, INVALID_MFN, 0, p2m_invalid), 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    free_frames(ram, 0);
    teardown_all_free(p2m);
}

static void test_pod_populate_translate(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, true);
    mfn_t ro = alloc_frames(0, DOM, PGT_guest_ram), m;
    p2m_type_t t;
    unsigned order;
    const uint8_t *p;

    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 9, p2m_populate_on_demand), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + 512), ro, 0, p2m_ram_ro), 0);
    /* A 2 MiB PoD entry with superpages on becomes one 2 MiB frame. */
    CU_ASSERT_EQUAL(p2m_translate(p2m, _gfn(RAM_GFN + 5), PG_ACCESS_WRITE, &m, NULL), 0);
    CU_ASSERT_EQUAL(p2m->pod_populated, 512);
    CU_ASSERT_EQUAL(p2m->pod_entries, 0);
    CU_ASSERT(mfn_eq(p2m_get_entry(p2m, _gfn(RAM_GFN + 5), &t, &order), m));
    CU_ASSERT_EQUAL(t, p2m_ram_rw);
    CU_ASSERT_EQUAL(order, 9);
    CU_ASSERT_EQUAL(mfn_to_page(m)->owner, DOM);
    p = mfn_to_virt(m);
    CU_ASSERT(p[0] == 0 && p[PAGE_SIZE - 1] == 0);
    CU_ASSERT_EQUAL(p2m_pod_populate(p2m, _gfn(RAM_GFN + 5)), 0);     /* already done */
    CU_ASSERT_EQUAL(p2m->pod_populated, 512);
    CU_ASSERT_EQUAL(p2m_pod_populate(p2m, _gfn(RAM_GFN + 2048)), -EINVAL);
    /* Types decide what the hypervisor may do on the guest's behalf. */
    CU_ASSERT_EQUAL(p2m_translate(p2m, _gfn(RAM_GFN + 512), PG_ACCESS_READ, &m, NULL), 0);
    CU_ASSERT(mfn_eq(m, ro));
    CU_ASSERT_EQUAL(p2m_translate(p2m, _gfn(RAM_GFN + 512), PG_ACCESS_WRITE, &m, NULL), -EACCES);
    CU_ASSERT_EQUAL(p2m_translate(p2m, _gfn(RAM_GFN + 513), PG_ACCESS_READ, &m, NULL), -EFAULT);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    p2m_for_each(p2m, free_ram, NULL);
    teardown_all_free(p2m);

    /* Without superpages, one 4 KiB frame at a time. */
    p2m = setup(PT_SV39X4, false);
    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 9, p2m_populate_on_demand), 0);
    CU_ASSERT_EQUAL(p2m_translate(p2m, _gfn(RAM_GFN + 5), PG_ACCESS_READ, &m, NULL), 0);
    CU_ASSERT_EQUAL(p2m->pod_populated, 1);
    CU_ASSERT_EQUAL(p2m->pod_entries, 511);
    CU_ASSERT_EQUAL(p2m->nr_entries, 1);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    p2m_for_each(p2m, free_ram, NULL);
    teardown_all_free(p2m);
}

static void *populate_same(void *arg)
{
    mfn_t m;

    for (unsigned i = 0; i < 64; i++)
        if (p2m_translate(arg, _gfn(RAM_GFN + i), PG_ACCESS_WRITE, &m, NULL) != 0)
            return arg;
    return NULL;
}

static void test_pod_race(void)
{
    struct p2m_domain *p2m = setup(PT_SV39X4, false);
    pthread_t th[4];
    void *res;
    int failed = 0;

    CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN), INVALID_MFN, 9, p2m_populate_on_demand), 0);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, populate_same, p2m);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], &res);
        failed += res != NULL;
    }
    CU_ASSERT_EQUAL(failed, 0);
    CU_ASSERT_EQUAL(p2m->pod_populated, 64);
    CU_ASSERT_EQUAL(mm_count_owned(DOM), 4 + 2 + 64);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    p2m_for_each(p2m, free_ram, NULL);
    teardown_all_free(p2m);
}

/*
 * Random map/unmap/remap/PoD operations at 4 KiB and 2 MiB over an 8 MiB
 * window, checked against a flat model after every step and audited.
 */
#define WIN_FRAMES 2048
struct model_entry {
    p2m_type_t t;
    uint64_t mfn;
};

static void check_model(struct p2m_domain *p2m, const struct model_entry *model, unsigned *bad)
{
    for (unsigned i = 0; i < WIN_FRAMES; i++) {
        p2m_type_t t;
        mfn_t m = p2m_get_entry(p2m, _gfn(RAM_GFN + i), &t, NULL);

        if (t != model[i].t || (p2m_is_readable(t) && mfn_x(m) != model[i].mfn) ||
            (!p2m_is_readable(t) && mfn_valid_value(m)))
            (*bad)++;
    }
}

static void run_random_model(bool superpages, unsigned seed)
{
    static struct model_entry model[WIN_FRAMES];
    struct p2m_domain *p2m = setup(PT_SV39X4, superpages);
    mfn_t big[4], small[32];
    unsigned bad = 0;

    memset(model, 0, sizeof(model));
    for (unsigned i = 0; i < 4; i++)
        big[i] = alloc_frames(9, DOM, PGT_guest_ram);
    for (unsigned i = 0; i < 32; i++)
        small[i] = alloc_frames(0, DOM, PGT_guest_ram);
    for (unsigned step = 0; step < 3000; step++) {
        unsigned op = rand_r(&seed) % 6, g = rand_r(&seed) % WIN_FRAMES;
        unsigned g2 = g & ~511U;
        p2m_type_t t = rand_r(&seed) & 1 ? p2m_ram_rw : p2m_ram_ro;

        switch (op) {
        case 0: case 1: {           /* map 4 KiB */
            mfn_t m = small[rand_r(&seed) % 32];
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g), m, 0, t), 0);
            model[g] = (struct model_entry){ t, mfn_x(m) };
            break;
        }
        case 2: {                   /* map 2 MiB */
            mfn_t m = big[rand_r(&seed) % 4];
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g2), m, 9, t), 0);
            for (unsigned i = 0; i < 512; i++)
                model[g2 + i] = (struct model_entry){ t, mfn_x(m) + i };
            break;
        }
        case 3:                     /* unmap 4 KiB */
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g), INVALID_MFN, 0, p2m_invalid), 0);
            model[g] = (struct model_entry){ p2m_invalid, 0 };
            break;
        case 4:                     /* unmap 2 MiB */
            CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g2), INVALID_MFN, 9, p2m_invalid), 0);
            for (unsigned i = 0; i < 512; i++)
                model[g2 + i] = (struct model_entry){ p2m_invalid, 0 };
            break;
        default:                    /* PoD 4 KiB or 2 MiB */
            if (rand_r(&seed) & 1) {
                CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g), INVALID_MFN, 0,
                                              p2m_populate_on_demand), 0);
                model[g] = (struct model_entry){ p2m_populate_on_demand, 0 };
            } else {
                CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + g2), INVALID_MFN, 9,
                                              p2m_populate_on_demand), 0);
                for (unsigned i = 0; i < 512; i++)
                    model[g2 + i] = (struct model_entry){ p2m_populate_on_demand, 0 };
            }
            break;
        }
        if (step % 100 == 0) {
            check_model(p2m, model, &bad);
            CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
        }
    }
    check_model(p2m, model, &bad);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(p2m_audit(p2m), 0);
    /* Unmapping everything frees every table but the root. */
    for (unsigned i = 0; i < WIN_FRAMES; i += 512)
        CU_ASSERT_EQUAL(p2m_set_entry(p2m, _gfn(RAM_GFN + i), INVALID_MFN, 9, p2m_invalid), 0);
    CU_ASSERT_EQUAL(p2m->nr_table_frames, 4);
    CU_ASSERT_EQUAL(p2m->nr_entries, 0);
    CU_ASSERT_EQUAL(p2m->pod_entries, 0);
    for (unsigned i = 0; i < 4; i++)
        free_frames(big[i], 9);
    for (unsigned i = 0; i < 32; i++)
        free_frames(small[i], 0);
    teardown_all_free(p2m);
}

static void test_random_against_model(void)
{
    run_random_model(true, 1);
    run_random_model(false, 2);
    run_random_model(true, 3);
}

UMBRA_SUITE(mm_p2m, "xen/mm/p2m", suite_init, suite_fini,
            UMBRA_TEST(test_init_hgatp),
            UMBRA_TEST(test_map_lookup_unmap),
            UMBRA_TEST(test_flush_rules),
            UMBRA_TEST(test_superpage),
            UMBRA_TEST(test_superpages_off),
            UMBRA_TEST(test_split),
            UMBRA_TEST(test_rejected),
            UMBRA_TEST(test_shared_and_pod),
            UMBRA_TEST(test_teardown_cycles),
            UMBRA_TEST(test_sv48x4),
            UMBRA_TEST(test_pod_populate_translate),
            UMBRA_TEST(test_pod_race),
            UMBRA_TEST(test_random_against_model))
