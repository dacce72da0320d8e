/*
 * hart.c: life cycle and host accessors of the virtual hart: creation over a
 * machine-memory buffer, reset, register/CSR access for the host, host
 * fences, counters, modeled cycles and time.
 *
 * Time: modeled cycles = instret x CPI + walk refs x ref cost + exits x exit
 * cost + hyp_refs x handler ref cost + idle cycles (cost_model_default);
 * mtime = modeled cycles x time_freq / cycle_freq + an offset written
 * through the CLINT. Both are pure functions of the counters, so a run is
 * deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "riscv/hart_impl.h"

static unsigned pow2_floor(unsigned v)
{
    unsigned p = 1;

    while (p * 2 <= v)
        p *= 2;
    return p;
}

/* hart_create: see hart.h. The config is normalised (sets a power of two). */
struct hart *hart_create(uint8_t *mem, uint64_t mem_base, uint64_t mem_size,
                         const struct hart_config *cfg)
{
    struct hart *h = calloc(1, sizeof(*h));
    uint64_t pages = mem_size >> PAGE_SHIFT;

    if (!h)
        return NULL;
    if (cfg)
        h->cfg = *cfg;
    h->cfg.tlb_sets = pow2_floor(h->cfg.tlb_sets ? h->cfg.tlb_sets : 64);
    h->cfg.tlb_ways = h->cfg.tlb_ways ? h->cfg.tlb_ways : 4;
    if (!h->cfg.time_freq_hz)
        h->cfg.time_freq_hz = 10000000;
    if (!h->cfg.cycle_freq_hz)
        h->cfg.cycle_freq_hz = 1000000000;
    h->mem = mem;
    h->mem_base = mem_base;
    h->mem_size = mem_size;
    h->cost = &cost_model_default;
    h->tlb = calloc((size_t)h->cfg.tlb_sets * h->cfg.tlb_ways, sizeof(*h->tlb));
    h->code_bitmap = calloc(pages / 64 + 1, sizeof(uint64_t));
    h->xpage = calloc(1, sizeof(*h->xpage));
    if (h->cfg.pwc_entries) {
        h->pwc_s = calloc(h->cfg.pwc_entries, sizeof(*h->pwc_s));
        h->pwc_g = calloc(h->cfg.pwc_entries, sizeof(*h->pwc_g));
    }
    if (h->cfg.ntlb_entries)
        h->ntlb = calloc(h->cfg.ntlb_entries, sizeof(*h->ntlb));
    if (!h->tlb || !h->code_bitmap || !h->xpage ||
        (h->cfg.pwc_entries && (!h->pwc_s || !h->pwc_g)) ||
        (h->cfg.ntlb_entries && !h->ntlb)) {
        hart_destroy(h);
        return NULL;
    }
    for (unsigned i = 0; i < SLOTS_PER_PAGE + 2; i++)
        h->xpage->slots[i].handler = hart_op_label[OP_PAGE_END];
    h->xpage->ppn = NO_TAG;
    hart_reset(h, mem_base);
    return h;
}

void hart_destroy(struct hart *h)
{
    if (!h)
        return;
    for (unsigned i = 0; i < CODE_CACHE_PAGES; i++)
        free(h->code[i]);
    free(h->tlb);
    free(h->code_bitmap);
    free(h->xpage);
    free(h->pwc_s);
    free(h->pwc_g);
    free(h->ntlb);
    free(h);
}

/* hart_reset: M-mode at `entry`, CSRs at reset values; counters are kept. */
void hart_reset(struct hart *h, uint64_t entry)
{
    memset(h->x, 0, sizeof(h->x));
    h->pc = entry;
    h->priv = PRIV_M;
    h->virt = false;
    h->mstatus = 0;
    h->medeleg = h->mideleg = h->mie = h->mip_sw = h->mtvec = h->mscratch = 0;
    h->mepc = h->mcause = h->mtval = h->mtval2 = h->mtinst = 0;
    h->mcounteren = h->menvcfg = 0;
    h->stvec = h->sscratch = h->sepc = h->scause = h->stval = h->satp = 0;
    h->scounteren = h->senvcfg = 0;
    h->hstatus = h->hedeleg = h->hideleg = h->hvip = h->hcounteren = h->hgeie = 0;
    h->henvcfg = h->htval = h->htinst = h->hgatp = h->htimedelta = 0;
    h->vsstatus = h->vstvec = h->vsscratch = h->vsepc = h->vscause = h->vstval = 0;
    h->vsatp = 0;
    h->mtimecmp = ~0ULL;
    h->msip = false;
    h->wfi = h->stop = h->tohost_hit = h->resv_valid = false;
    tlb_flush_all(h);
    code_flush_all(h);
}

void hart_set_exit_on_hs_trap(struct hart *h, bool on)
{
    h->exit_on_hs_trap = on;
}

void hart_set_tohost(struct hart *h, uint64_t tohost_addr)
{
    h->tohost = tohost_addr;
    htlb_flush(h);
}

/* The host's sret: HS-mode returns to sstatus.SPP / hstatus.SPV at sepc. */
void hart_sret(struct hart *h)
{
    h->priv = PRIV_S;
    h->virt = false;
    do_sret(h);
}

uint64_t hart_get_pc(const struct hart *h) { return h->pc; }
void hart_set_pc(struct hart *h, uint64_t pc) { h->pc = pc & ~1ULL; }
uint64_t hart_get_reg(const struct hart *h, unsigned r) { return r && r < 32 ? h->x[r] : 0; }

void hart_set_reg(struct hart *h, unsigned r, uint64_t v)
{
    if (r && r < 32)
        h->x[r] = v;
}

uint64_t hart_csr_get(struct hart *h, unsigned csr)
{
    bool ok;

    return csr_read_raw(h, csr, &ok);
}

void hart_csr_set(struct hart *h, unsigned csr, uint64_t v)
{
    (void)csr_write_raw(h, csr, v);
}

enum hart_priv hart_get_priv(const struct hart *h) { return (enum hart_priv)h->priv; }
bool hart_get_virt(const struct hart *h) { return h->virt; }

void hart_set_mode(struct hart *h, enum hart_priv priv, bool virt)
{
    h->priv = priv;
    h->virt = virt && priv != PRIV_M;
    htlb_flush(h);
}

void hart_sfence_vma(struct hart *h, uint64_t va, uint64_t asid)
{
    tlb_flush_vma(h, false, 0, va, asid);
}

void hart_hfence_vvma(struct hart *h, uint64_t va, uint64_t asid)
{
    tlb_flush_vma(h, true, (uint16_t)((h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT), va,
                  asid);
}

void hart_hfence_gvma(struct hart *h, uint64_t gpa, uint64_t vmid)
{
    tlb_flush_gvma(h, gpa, vmid);
}

void hart_code_written(struct hart *h, uint64_t ma, uint64_t len)
{
    for (uint64_t p = ma & ~(PAGE_SIZE - 1); p < ma + len; p += PAGE_SIZE)
        code_invalidate_page(h, p >> PAGE_SHIFT);
}

const struct hart_counters *hart_counters(const struct hart *h) { return &h->ctr; }
struct hart_counters *hart_counters_mut(struct hart *h) { return &h->ctr; }

void hart_counters_reset(struct hart *h)
{
    memset(&h->ctr, 0, sizeof(h->ctr));
}

/* Modeled cycles from the counters and the cost table. */
uint64_t hart_modeled_cycles(const struct hart *h)
{
    const struct cost_model *c = h->cost;
    const struct hart_counters *k = &h->ctr;

    return k->instret * c->cpi_milli / 1000 +
           (k->walk_refs_s + k->walk_refs_vs + k->walk_refs_g) * c->walk_ref_cycles +
           k->exits * c->exit_cycles + k->hyp_refs * c->hyp_ref_cycles + k->idle_cycles;
}

/* Time before the CLINT offset: modeled cycles at the nominal frequencies. */
uint64_t hart_time_raw(const struct hart *h)
{
    return (uint64_t)((unsigned __int128)hart_modeled_cycles(h) * h->cfg.time_freq_hz /
                      h->cfg.cycle_freq_hz);
}

uint64_t hart_time(const struct hart *h)
{
    return (uint64_t)((int64_t)hart_time_raw(h) + h->time_off);
}

/*
 * hart_idle_to_timer: WFI with nothing pending: let modeled time run (as
 * idle cycles) until the CLINT timer fires. Returns false when no timer
 * interrupt could ever wake the hart.
 */
bool hart_idle_to_timer(struct hart *h)
{
    uint64_t now = hart_time(h), dt, dc;

    if (h->mtimecmp == ~0ULL || !(h->mie & MIP_MTIP))
        return false;
    if (h->mtimecmp <= now)
        return true;
    dt = h->mtimecmp - now;
    dc = (uint64_t)(((unsigned __int128)dt * h->cfg.cycle_freq_hz + h->cfg.time_freq_hz - 1) /
                    h->cfg.time_freq_hz);
    h->ctr.idle_cycles += dc;
    while (hart_time(h) < h->mtimecmp)
        h->ctr.idle_cycles++;
    return true;
}

/*
 * hart_recompute_limit: the instret at which the inner loop must stop: the
 * budget end, or earlier when the CLINT timer is due (assuming CPI only;
 * walks and exits recompute it).
 */
void hart_recompute_limit(struct hart *h)
{
    uint64_t lim = h->budget_end, now, cpi = h->cost->cpi_milli ? h->cost->cpi_milli : 1;

    if (h->mtimecmp != ~0ULL) {
        now = hart_time(h);
        if (h->mtimecmp <= now) {
            lim = h->ctr.instret + 1;
        } else {
            unsigned __int128 dc = (unsigned __int128)(h->mtimecmp - now) *
                                   h->cfg.cycle_freq_hz / h->cfg.time_freq_hz;
            unsigned __int128 di = dc * 1000 / cpi + 1;

            if (di < lim - h->ctr.instret)
                lim = h->ctr.instret + (uint64_t)di;
        }
    }
    if (lim <= h->ctr.instret)
        lim = h->ctr.instret + 1;
    h->lim = lim;
}
