/*
 * hart_test_util.c: see hart_test_util.h. Test-only code; asserts through
 * CUnit on misuse (out-of-RAM addresses).
 */
#include "hart_test_util.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

void th_init(struct th *t, const struct hart_config *cfg)
{
    t->mem = calloc(1, TH_RAM_SIZE);
    CU_ASSERT_FATAL(t->mem != NULL);
    t->h = hart_create(t->mem, TH_RAM, TH_RAM_SIZE, cfg);
    CU_ASSERT_FATAL(t->h != NULL);
    hart_reset(t->h, TH_CODE);
    t->cursor = TH_CODE;
    t->next_page = TH_RAM + (4ULL << 20);
}

void th_fini(struct th *t)
{
    hart_destroy(t->h);
    free(t->mem);
}

static uint8_t *ptr(struct th *t, uint64_t pa, unsigned len)
{
    CU_ASSERT_FATAL(pa >= TH_RAM && pa + len <= TH_RAM + TH_RAM_SIZE);
    return t->mem + (pa - TH_RAM);
}

void th_org(struct th *t, uint64_t pa) { t->cursor = pa; }

void th_emit(struct th *t, uint32_t insn)
{
    memcpy(ptr(t, t->cursor, 4), &insn, 4);
    hart_code_written(t->h, t->cursor, 4);
    t->cursor += 4;
}

void th_emit16(struct th *t, uint16_t insn)
{
    memcpy(ptr(t, t->cursor, 2), &insn, 2);
    hart_code_written(t->h, t->cursor, 2);
    t->cursor += 2;
}

void th_w64(struct th *t, uint64_t pa, uint64_t v) { memcpy(ptr(t, pa, 8), &v, 8); }
void th_w32(struct th *t, uint64_t pa, uint32_t v) { memcpy(ptr(t, pa, 4), &v, 4); }

uint64_t th_r64(struct th *t, uint64_t pa)
{
    uint64_t v;

    memcpy(&v, ptr(t, pa, 8), 8);
    return v;
}

uint32_t th_r32(struct th *t, uint64_t pa)
{
    uint32_t v;

    memcpy(&v, ptr(t, pa, 4), 4);
    return v;
}

uint64_t th_page(struct th *t)
{
    uint64_t p = t->next_page;

    t->next_page += PAGE_SIZE;
    memset(ptr(t, p, PAGE_SIZE), 0, PAGE_SIZE);
    return p;
}

uint64_t th_page16k(struct th *t)
{
    uint64_t p;

    t->next_page = (t->next_page + 0x3fff) & ~0x3fffULL;
    p = t->next_page;
    t->next_page += 0x4000;
    memset(ptr(t, p, 0x4000), 0, 0x4000);
    return p;
}

void th_map(struct th *t, enum pt_format_id id, uint64_t root, uint64_t va, uint64_t pa,
            unsigned level, uint64_t flags)
{
    const struct pt_format *f = pt_format_get(id);
    uint64_t a = root;

    for (int i = (int)f->levels - 1; i > (int)level; i--) {
        uint64_t pa_pte = a + 8 * pt_index(f, (unsigned)i, va);
        uint64_t pte = th_r64(t, pa_pte);

        if (!(pte & PTE_V)) {
            pte = pte_make(th_page(t) >> PAGE_SHIFT, PTE_V);
            th_w64(t, pa_pte, pte);
        }
        a = pte_ppn(pte) << PAGE_SHIFT;
    }
    th_w64(t, a + 8 * pt_index(f, level, va), pte_make(pa >> PAGE_SHIFT, flags | PTE_V));
}

void th_gmap_ram(struct th *t, enum pt_format_id id, uint64_t root, unsigned level)
{
    uint64_t step = pt_level_size(level);

    for (uint64_t a = TH_RAM; a < TH_RAM + TH_RAM_SIZE; a += step)
        th_map(t, id, root, a, a, level, PTE_LEAF_RWX | PTE_U);
}

enum hart_exit_kind th_run(struct th *t, uint64_t n, struct hart_exit *ex)
{
    return hart_run(t->h, n, ex);
}

uint32_t enc_r(unsigned op, unsigned rd, unsigned f3, unsigned rs1, unsigned rs2, unsigned f7)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

uint32_t enc_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1, int32_t imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

uint32_t enc_s(unsigned op, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 0x1f) << 7) | op;
}

uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
           (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}

uint32_t enc_u(unsigned op, unsigned rd, uint32_t imm)
{
    return (imm & 0xfffff000u) | (rd << 7) | op;
}

uint32_t enc_j(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
           (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}
