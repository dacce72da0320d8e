/*
 * mem.c: the hart's memory system below the interpreter's fast path:
 * translated loads/stores/AMOs/HLV/HSV (slow paths that also fill the host
 * TLBs), physical accesses to RAM, the CLINT and the HTIF tohost word, and
 * the cache of decoded code pages.
 *
 * Decisions (docs/hart.md): misaligned loads/stores/AMOs trap (causes 4/6,
 * tval = the address); memory outside RAM and the CLINT gives access faults.
 * Invariants: a host write-TLB entry is installed only for RAM pages whose
 * modeled translation is dirty, that hold no decoded code and are not the
 * tohost page; every store into a live code page resets that page's slots.
 */
#include <stdlib.h>
#include <string.h>

#include "riscv/hart_impl.h"

const void *hart_op_label[OP_COUNT];

static bool in_clint(uint64_t ma, unsigned size)
{
    return ma >= CLINT_BASE && ma + size <= CLINT_BASE + CLINT_SIZE;
}

static uint64_t clint_reg(const struct hart *h, uint64_t off, uint64_t *base)
{
    if (off < 8) {
        *base = CLINT_MSIP;
        return h->msip ? 1 : 0;
    }
    if (off >= CLINT_MTIMECMP && off < CLINT_MTIMECMP + 8) {
        *base = CLINT_MTIMECMP;
        return h->mtimecmp;
    }
    if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
        *base = CLINT_MTIME;
        return hart_time(h);
    }
    *base = off & ~7ULL;
    return 0;
}

static uint64_t clint_read(const struct hart *h, uint64_t ma, unsigned size)
{
    uint64_t base, v = clint_reg(h, ma - CLINT_BASE, &base);

    v >>= 8 * ((ma - CLINT_BASE) - base);
    return size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

static void clint_write(struct hart *h, uint64_t ma, unsigned size, uint64_t val)
{
    uint64_t base, old = clint_reg(h, ma - CLINT_BASE, &base);
    unsigned sh = (unsigned)(8 * ((ma - CLINT_BASE) - base));
    uint64_t mask = (size == 8 ? ~0ULL : ((1ULL << (8 * size)) - 1)) << sh;
    uint64_t v = (old & ~mask) | ((val << sh) & mask);

    if (base == CLINT_MSIP)
        h->msip = v & 1;
    else if (base == CLINT_MTIMECMP)
        h->mtimecmp = v;
    else if (base == CLINT_MTIME)
        h->time_off += (int64_t)(v - old);
    h->stop = true;   /* interrupt lines may have changed */
}

static bool page_is_code(const struct hart *h, uint64_t ma)
{
    uint64_t ppn = (ma - h->mem_base) >> PAGE_SHIFT;

    return (h->code_bitmap[ppn / 64] >> (ppn % 64)) & 1;
}

/* Physical load from RAM or the CLINT. 0, or -1 with an access fault. */
static int phys_load(struct hart *h, uint64_t ma, unsigned size, uint64_t *val, uint64_t va,
                     bool virt, struct trap *t)
{
    uint8_t *p = mem_host(h, ma, size);

    if (p) {
        *val = 0;
        memcpy(val, p, size);
        return 0;
    }
    if (in_clint(ma, size)) {
        *val = clint_read(h, ma, size);
        return 0;
    }
    trap_set(t, CAUSE_LOAD_ACCESS, va);
    t->gva = virt;
    return -1;
}

/* Physical store to RAM or the CLINT, with code invalidation and tohost. */
/* What every store to RAM at ma must do after the bytes change: drop decoded
 * code of that page, and notice an HTIF tohost write. */
static void ram_stored(struct hart *h, uint64_t ma, unsigned size)
{
    if (page_is_code(h, ma))
        code_invalidate_page(h, ma >> PAGE_SHIFT);
    if (h->tohost && ma <= h->tohost && ma + size > h->tohost) {
        uint8_t *tp = mem_host(h, h->tohost, 8);

        memcpy(&h->tohost_val, tp, 8);
        if (h->tohost_val) {
            h->tohost_hit = true;
            h->stop = true;
        }
    }
}

static int phys_store(struct hart *h, uint64_t ma, unsigned size, uint64_t val, uint64_t va,
                      bool virt, struct trap *t)
{
    uint8_t *p = mem_host(h, ma, size);

    if (p) {
        memcpy(p, &val, size);
        ram_stored(h, ma, size);
        return 0;
    }
    if (in_clint(ma, size)) {
        clint_write(h, ma, size, val);
        return 0;
    }
    trap_set(t, CAUSE_STORE_ACCESS, va);
    t->gva = virt;
    return -1;
}

static int misaligned(struct trap *t, uint64_t cause, uint64_t va, bool virt)
{
    trap_set(t, cause, va);
    t->gva = virt;
    return -1;
}

/*
 * mem_load: the slow path of an explicit load of `size` bytes at va in the
 * current data mode. Returns 0 and *val (zero-extended), or -1 and *t.
 */
int mem_load(struct hart *h, uint64_t va, unsigned size, uint64_t *val, struct trap *t)
{
    struct xlate x;
    unsigned priv;
    bool virt;

    mmu_data_mode(h, &priv, &virt);
    if (va & (size - 1))
        return misaligned(t, CAUSE_MISALIGNED_LOAD, va, virt);
    if (mmu_translate(h, va, ACC_LOAD, priv, virt, false, &x, t))
        return -1;
    if (phys_load(h, x.ma, size, val, va, virt, t))
        return -1;
    if (mem_host(h, x.ma & ~(PAGE_SIZE - 1), PAGE_SIZE)) {
        struct htlb_entry *e = &h->htlb_r[(va >> PAGE_SHIFT) % HTLB_SIZE];

        e->tag = va & ~(PAGE_SIZE - 1);
        e->addend = (uintptr_t)mem_host(h, x.ma & ~(PAGE_SIZE - 1), PAGE_SIZE) - e->tag;
    }
    return 0;
}

/* mem_store: the slow path of an explicit store; as mem_load. */
int mem_store(struct hart *h, uint64_t va, unsigned size, uint64_t val, struct trap *t)
{
    struct xlate x;
    unsigned priv;
    bool virt;
    uint64_t page;

    mmu_data_mode(h, &priv, &virt);
    if (va & (size - 1))
        return misaligned(t, CAUSE_MISALIGNED_STORE, va, virt);
    if (mmu_translate(h, va, ACC_STORE, priv, virt, false, &x, t))
        return -1;
    if (phys_store(h, x.ma, size, val, va, virt, t))
        return -1;
    page = x.ma & ~(PAGE_SIZE - 1);
    if (mem_host(h, page, PAGE_SIZE) && !page_is_code(h, page) &&
        !(h->tohost && (h->tohost & ~(PAGE_SIZE - 1)) == page) &&
        (!x.te || (x.te->flags & TLBF_DIRTY))) {
        struct htlb_entry *e = &h->htlb_w[(va >> PAGE_SHIFT) % HTLB_SIZE];

        e->tag = va & ~(PAGE_SIZE - 1);
        e->addend = (uintptr_t)mem_host(h, page, PAGE_SIZE) - e->tag;
    }
    return 0;
}

static uint64_t amo_op(unsigned f5, uint64_t a, uint64_t b, unsigned size)
{
    int64_t sa = size == 4 ? (int32_t)a : (int64_t)a, sb = size == 4 ? (int32_t)b : (int64_t)b;
    uint64_t ua = size == 4 ? (uint32_t)a : a, ub = size == 4 ? (uint32_t)b : b;

    switch (f5) {
    case 0x00: return a + b;
    case 0x01: return b;
    case 0x04: return a ^ b;
    case 0x08: return a | b;
    case 0x0C: return a & b;
    case 0x10: return sa < sb ? a : b;
    case 0x14: return sa > sb ? a : b;
    case 0x18: return ua < ub ? a : b;
    default: return ua > ub ? a : b;
    }
}

/*
 * mem_amo: LR (f5 = 2), SC (f5 = 3; *old = 0 success / 1 failure) and the
 * AMOs, on RAM only. *old is sign-extended for 32-bit operations.
 */
int mem_amo(struct hart *h, uint32_t raw, uint64_t va, unsigned size, unsigned f5,
            uint64_t src, uint64_t *old, struct trap *t)
{
    struct xlate x;
    unsigned priv;
    bool virt;
    uint64_t v = 0;
    uint8_t *p;

    (void)raw;
    mmu_data_mode(h, &priv, &virt);
    if (va & (size - 1))
        return misaligned(t, f5 == 2 ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, va, virt);
    if (mmu_translate(h, va, f5 == 2 ? ACC_LOAD : ACC_STORE, priv, virt, false, &x, t))
        return -1;
    p = mem_host(h, x.ma, size);
    if (!p) {
        trap_set(t, f5 == 2 ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS, va);
        t->gva = virt;
        return -1;
    }
    /*
     * Machine memory is shared with other host threads (other harts, the
     * hypervisor setting event bits in shared_info), so the read-modify-write
     * is one host atomic operation. SC succeeds only if memory still holds
     * the value LR read (a compare-and-swap, as QEMU does).
     */
    if (f5 == 2) {
        v = size == 4 ? __atomic_load_n((uint32_t *)(void *)p, __ATOMIC_SEQ_CST)
                      : __atomic_load_n((uint64_t *)(void *)p, __ATOMIC_SEQ_CST);
        h->resv_valid = true;
        h->resv_addr = x.ma;
        h->resv_val = v;
        *old = size == 4 ? (uint64_t)(int64_t)(int32_t)v : v;
        return 0;
    }
    if (f5 == 3) {
        bool ok = h->resv_valid && h->resv_addr == x.ma;

        h->resv_valid = false;
        if (ok && size == 4) {
            uint32_t expect = (uint32_t)h->resv_val;
            ok = __atomic_compare_exchange_n((uint32_t *)(void *)p, &expect, (uint32_t)src, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        } else if (ok) {
            uint64_t expect = h->resv_val;
            ok = __atomic_compare_exchange_n((uint64_t *)(void *)p, &expect, src, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        }
        *old = ok ? 0 : 1;
        if (ok)
            ram_stored(h, x.ma, size);
        return 0;
    }
    if (size == 4) {
        uint32_t *q = (uint32_t *)(void *)p, o = __atomic_load_n(q, __ATOMIC_SEQ_CST);

        while (!__atomic_compare_exchange_n(q, &o, (uint32_t)amo_op(f5, o, src, 4), false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            ;
        v = o;
    } else {
        uint64_t *q = (uint64_t *)(void *)p, o = __atomic_load_n(q, __ATOMIC_SEQ_CST);

        while (!__atomic_compare_exchange_n(q, &o, amo_op(f5, o, src, 8), false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            ;
        v = o;
    }
    *old = size == 4 ? (uint64_t)(int64_t)(int32_t)v : v;
    ram_stored(h, x.ma, size);
    return 0;
}

/* HLV/HLVX: a load as VS/VU (hstatus.SPVP) would make it, with V=1 rules. */
int mem_hlv(struct hart *h, uint64_t va, unsigned size, bool hlvx, uint64_t *val,
            struct trap *t)
{
    struct xlate x;
    unsigned priv = (h->hstatus & HSTATUS_SPVP) ? PRIV_S : PRIV_U;

    if (va & (size - 1))
        return misaligned(t, CAUSE_MISALIGNED_LOAD, va, true);
    if (mmu_translate(h, va, ACC_LOAD, priv, true, hlvx, &x, t))
        return -1;
    return phys_load(h, x.ma, size, val, va, true, t);
}

/* HSV: a store as VS/VU (hstatus.SPVP) would make it. */
int mem_hsv(struct hart *h, uint64_t va, unsigned size, uint64_t val, struct trap *t)
{
    struct xlate x;
    unsigned priv = (h->hstatus & HSTATUS_SPVP) ? PRIV_S : PRIV_U;

    if (va & (size - 1))
        return misaligned(t, CAUSE_MISALIGNED_STORE, va, true);
    if (mmu_translate(h, va, ACC_STORE, priv, true, false, &x, t))
        return -1;
    return phys_store(h, x.ma, size, val, va, true, t);
}

/* ---- Decoded code pages ---- */

static void code_reset_slots(struct code_page *cp)
{
    for (unsigned i = 0; i < SLOTS_PER_PAGE; i++)
        cp->slots[i].handler = hart_op_label[OP_DECODE];
    cp->slots[SLOTS_PER_PAGE].handler = hart_op_label[OP_PAGE_END];
    cp->slots[SLOTS_PER_PAGE + 1].handler = hart_op_label[OP_PAGE_END];
}

/*
 * code_make_live: register cp in the code bitmap so stores to its page
 * invalidate it; drops host write-TLB entries that could bypass that.
 */
void code_make_live(struct hart *h, struct code_page *cp)
{
    uint64_t ppn = cp->ppn - (h->mem_base >> PAGE_SHIFT);

    if (cp->live)
        return;
    cp->live = true;
    h->code_bitmap[ppn / 64] |= 1ULL << (ppn % 64);
    for (unsigned i = 0; i < HTLB_SIZE; i++)
        h->htlb_w[i].tag = 1;
}

static void code_make_dead(struct hart *h, struct code_page *cp)
{
    uint64_t ppn = cp->ppn - (h->mem_base >> PAGE_SHIFT);

    if (!cp->live)
        return;
    cp->live = false;
    h->code_bitmap[ppn / 64] &= ~(1ULL << (ppn % 64));
}

/*
 * code_get: the decoded page for the RAM page at machine address ma
 * (page-aligned), made live. NULL only on allocation failure. Replacing a
 * cached page flushes the exec host TLB, which points at code pages.
 */
struct code_page *code_get(struct hart *h, uint64_t ma)
{
    uint64_t ppn = ma >> PAGE_SHIFT;
    struct code_page **slot = &h->code[ppn % CODE_CACHE_PAGES];
    struct code_page *cp = *slot;

    if (!cp) {
        cp = malloc(sizeof(*cp));
        if (!cp)
            return NULL;
        cp->ppn = NO_TAG;
        cp->live = false;
        *slot = cp;
    }
    if (cp->ppn != ppn) {
        if (cp->ppn != NO_TAG) {
            code_make_dead(h, cp);
            for (unsigned i = 0; i < HTLB_SIZE; i++)
                h->htlb_x[i].tag = 1;
        }
        cp->ppn = ppn;
        cp->host = mem_host(h, ma, PAGE_SIZE);
        code_reset_slots(cp);
    }
    code_make_live(h, cp);
    return cp;
}

/*
 * code_invalidate_page: the page with machine page number ppn was written:
 * its slots go back to DECODE (a running block continues by decoding the
 * new bytes) and the page stops being live until decoded again.
 */
void code_invalidate_page(struct hart *h, uint64_t ppn)
{
    struct code_page *cp = h->code[ppn % CODE_CACHE_PAGES];

    if (!cp || cp->ppn != ppn)
        return;
    code_reset_slots(cp);
    code_make_dead(h, cp);
}

/* Every decoded page is dropped (FENCE.I, reset, host writes). */
void code_flush_all(struct hart *h)
{
    for (unsigned i = 0; i < CODE_CACHE_PAGES; i++) {
        struct code_page *cp = h->code[i];

        if (cp && cp->ppn != NO_TAG) {
            code_reset_slots(cp);
            code_make_dead(h, cp);
        }
    }
    for (unsigned i = 0; i < HTLB_SIZE; i++)
        h->htlb_x[i].tag = 1;
}

/*
 * fetch_page: the decoded page holding pc (translated in the current mode).
 * Returns 0 and *cp, or -1 and *t (fetch page/guest-page/access fault,
 * tval = pc). Counts a modeled TLB hit on a host-TLB hit when translation
 * is on.
 */
int fetch_page(struct hart *h, uint64_t pc, struct code_page **cpp, struct trap *t)
{
    struct htlb_entry *e = &h->htlb_x[(pc >> PAGE_SHIFT) % HTLB_SIZE];
    struct xlate x;
    struct code_page *cp;

    if (e->tag == (pc & ~(PAGE_SIZE - 1))) {
        h->ctr.tlb_hits += h->fetch_counted;
        *cpp = e->code;
        return 0;
    }
    if (mmu_translate(h, pc, ACC_FETCH, h->priv, h->virt, false, &x, t))
        return -1;
    if (!mem_host(h, x.ma & ~(PAGE_SIZE - 1), PAGE_SIZE)) {
        trap_set(t, CAUSE_FETCH_ACCESS, pc);
        t->gva = h->virt;
        return -1;
    }
    cp = code_get(h, x.ma & ~(PAGE_SIZE - 1));
    if (!cp) {
        trap_set(t, CAUSE_FETCH_ACCESS, pc);
        return -1;
    }
    e->tag = pc & ~(PAGE_SIZE - 1);
    e->code = cp;
    *cpp = cp;
    return 0;
}

/* The raw bits of the instruction in slot idx of cp (for tval/exit records). */
uint32_t insn_bits_at(struct hart *h, struct code_page *cp, unsigned idx)
{
    uint16_t lo, hi;

    if (cp == h->xpage)
        return h->xpage_raw;
    memcpy(&lo, cp->host + 2 * idx, 2);
    if ((lo & 3) != 3)
        return lo;
    if (idx + 1 >= SLOTS_PER_PAGE)
        return lo;
    memcpy(&hi, cp->host + 2 * idx + 2, 2);
    return lo | ((uint32_t)hi << 16);
}
