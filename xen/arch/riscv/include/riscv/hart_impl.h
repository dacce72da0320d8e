/*
 * hart_impl.h: the inside of the virtual hart. Private to the files of xen/arch/riscv
 * and its unit tests; everyone else uses riscv/hart.h.
 *
 * Pieces and their invariants:
 *  - x[32] is a write sink: the decoder turns rd = x0 into 32, so x[0] is 0
 *    at all times without a per-instruction reset;
 *  - the modeled TLB (struct tlb_entry) holds combined VA->MA translations;
 *    the host TLBs (struct htlb_entry, one per access kind) are a direct-
 *    mapped front end: every valid host entry is derived from a modeled TLB
 *    entry present now (or from Bare translation), so a host hit is counted
 *    as a modeled TLB hit when translation is on;
 *  - the host write TLB never maps a page that holds decoded code
 *    (code_bitmap bit set), so every store to code goes through the slow path
 *    and invalidates the decoded page;
 *  - a code_page's slots are either decoded from the current memory contents
 *    or the DECODE op.
 */
#ifndef RISCV_HART_IMPL_H
#define RISCV_HART_IMPL_H

#include "riscv/hart.h"
#include "riscv/pte.h"

#define HTLB_SIZE 256          /* host TLB entries per access kind */
#define CODE_CACHE_PAGES 512   /* decoded pages kept (direct-mapped by PPN) */
#define SLOTS_PER_PAGE 2048    /* one per 2-byte offset */
#define NO_TAG (~0ULL)

enum access { ACC_FETCH = 0, ACC_LOAD = 1, ACC_STORE = 2 };

/* One pre-decoded instruction. len is in slots (1 = 16-bit, 2 = 32-bit). */
struct slot {
    const void *handler;
    int32_t imm;
    uint8_t rd, rs1, rs2, len;
};

/* The decoded form of one physical code page. */
struct code_page {
    uint64_t ppn;              /* machine page number (ma >> 12), NO_TAG if never used */
    uint8_t *host;             /* host pointer to the page */
    bool live;                 /* its code_bitmap bit is set: stores invalidate it */
    struct slot slots[SLOTS_PER_PAGE + 2];   /* +2 end-of-page sentinels */
};

struct htlb_entry {
    uint64_t tag;              /* VA of the page (low 12 bits 0), 1 = invalid */
    uintptr_t addend;          /* host pointer = addend + va */
    struct code_page *code;    /* exec TLB only */
};

/* Modeled TLB entry: flags below. */
#define TLBF_VALID  0x01
#define TLBF_GLOBAL 0x02
#define TLBF_VIRT   0x04
#define TLBF_DIRTY  0x08       /* both leaves have D set: stores need no walk */
#define TLBF_NOVS   0x10       /* no first stage (Bare vsatp) */
#define TLBF_NOG    0x20       /* no G stage (Bare hgatp) */

struct tlb_entry {
    uint64_t vpn;              /* va >> (12 + 9 * level) */
    uint64_t ma;               /* machine address of the page (level-aligned) */
    uint64_t gpa;              /* guest-physical address of the page (V=1) */
    uint16_t asid, vmid;
    uint8_t level, flags;
    uint8_t glevel;            /* level of the G-stage leaf (hfence.gvma by GPA) */
    uint8_t perm;              /* first-stage leaf R/W/X/U bits */
    uint8_t gperm;             /* G-stage leaf R/W/X/U bits */
    uint32_t age;              /* replacement: larger = newer */
};

/* Page-walk cache entry: a non-leaf PTE at `level` for an address prefix. */
struct pwc_entry {
    uint64_t tag;              /* addr >> (12 + 9 * level), NO_TAG if free */
    uint64_t root;             /* root table address of the walk */
    uint64_t pte;
    uint32_t ctx;              /* ASID | VMID << 16 (first stage) or VMID (G) */
    uint8_t level, virt;
};

/* Nested TLB entry: GPA page -> MA page for one VMID. */
struct ntlb_entry {
    uint64_t gpn;              /* NO_TAG if free */
    uint64_t ma;
    uint16_t vmid;
    uint8_t gperm;
    uint8_t dirty;
    uint8_t level;
};

/* A pending exception: what trap_take() needs. */
struct trap {
    uint64_t cause, tval, tval2, tinst;
    bool gva;
};

/* The result of a translation. */
struct xlate {
    uint64_t ma;
    unsigned level;            /* combined page size */
    bool counted;              /* translation was on (TLB consulted) */
    struct tlb_entry *te;      /* the modeled entry, NULL for Bare */
};

struct hart {
    uint64_t x[33];
    uint64_t pc;
    unsigned priv;
    bool virt;

    /* Machine memory. */
    uint8_t *mem;
    uint64_t mem_base, mem_size;
    uint64_t tohost;
    bool exit_on_hs_trap;

    /* Host TLBs (fast path) and their counting flags. */
    struct htlb_entry htlb_r[HTLB_SIZE], htlb_w[HTLB_SIZE], htlb_x[HTLB_SIZE];
    bool data_counted, fetch_counted;

    /* Decoded code. */
    struct code_page *code[CODE_CACHE_PAGES];
    uint64_t *code_bitmap;     /* one bit per RAM page: has a code_page */
    struct code_page *xpage;   /* scratch page for instructions that cross pages */
    uint32_t xpage_raw;

    /* Run state. */
    uint64_t lim;              /* the inner loop stops when instret reaches it */
    uint64_t budget_end;
    bool stop;                 /* stop the inner loop at the next check */
    bool wfi;                  /* waiting for an interrupt */
    bool tohost_hit;
    uint64_t tohost_val;
    bool resv_valid;
    uint64_t resv_addr;
    uint64_t resv_val;      /* the value LR read: SC succeeds only if memory still holds it */

    /* Machine CSRs. */
    uint64_t mstatus, medeleg, mideleg, mie, mip_sw, mtvec, mscratch, mepc,
             mcause, mtval, mtval2, mtinst, mcounteren, menvcfg;
    uint64_t mcycle_off, minstret_off;
    /* Supervisor CSRs. */
    uint64_t stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg;
    /* Hypervisor CSRs. */
    uint64_t hstatus, hedeleg, hideleg, hvip, hcounteren, hgeie, henvcfg,
             htval, htinst, hgatp, htimedelta;
    /* VS CSRs. */
    uint64_t vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
    /* CLINT. */
    uint64_t mtimecmp;
    int64_t time_off;          /* mtime = modeled time + time_off */
    bool msip;

    /* Modeled TLB and walk caches. */
    struct hart_config cfg;
    struct tlb_entry *tlb;     /* tlb_sets * tlb_ways */
    uint32_t tlb_clock;
    unsigned tlb_levels_present; /* bit L: some entry of level L may exist */
    struct pwc_entry *pwc_s, *pwc_g;
    unsigned pwc_next_s, pwc_next_g;
    struct ntlb_entry *ntlb;

    struct hart_counters ctr;
    const struct cost_model *cost;
};

/* ---- csr.c ---- */
/* CSR access by an instruction: checks privilege; 0 or a cause (2 or 22). */
int csr_insn(struct hart *h, unsigned csr, unsigned op, uint64_t src, bool write,
             uint64_t *old);
uint64_t csr_mip(const struct hart *h);
uint64_t csr_read_raw(struct hart *h, unsigned csr, bool *ok);
bool csr_write_raw(struct hart *h, unsigned csr, uint64_t v);

/* ---- trap.c ---- */
/* Take an exception at pc `epc`; returns true if it became a host exit. */
bool trap_exception(struct hart *h, const struct trap *t, uint64_t epc,
                    uint32_t insn, struct hart_exit *ex);
/* Take the highest-priority pending+enabled interrupt, if any. Sets *taken. */
bool trap_interrupt(struct hart *h, struct hart_exit *ex, bool *taken);
uint64_t irq_pending_any(const struct hart *h);   /* for WFI: pending & mie */
void do_mret(struct hart *h);
void do_sret(struct hart *h);

/* ---- mmu.c ---- */
/* Translate va for `acc`; virt/priv are the effective mode. 0 or fills *t. */
int mmu_translate(struct hart *h, uint64_t va, enum access acc, unsigned priv,
                  bool virt, bool hlvx, struct xlate *out, struct trap *t);
/* The effective (priv, virt) of loads and stores (MPRV applied). */
void mmu_data_mode(const struct hart *h, unsigned *priv, bool *virt);

/* ---- tlb.c ---- */
struct tlb_entry *tlb_lookup(struct hart *h, uint64_t va, bool virt, uint16_t asid,
                             uint16_t vmid);
struct tlb_entry *tlb_insert(struct hart *h, uint64_t va, unsigned level);
void tlb_flush_vma(struct hart *h, bool virt, uint16_t vmid, uint64_t va, uint64_t asid);
void tlb_flush_gvma(struct hart *h, uint64_t gpa, uint64_t vmid);
void tlb_flush_all(struct hart *h);
struct pwc_entry *pwc_lookup(struct hart *h, bool gstage, uint64_t addr, unsigned level,
                             uint64_t root, uint32_t ctx, bool virt);
void pwc_insert(struct hart *h, bool gstage, uint64_t addr, unsigned level,
                uint64_t root, uint32_t ctx, bool virt, uint64_t pte);
struct ntlb_entry *ntlb_lookup(struct hart *h, uint64_t gpa, uint16_t vmid);
void ntlb_insert(struct hart *h, uint64_t gpa, uint16_t vmid, uint64_t ma,
                 unsigned level, uint8_t gperm, bool dirty);
void tlb_drop(struct hart *h, struct tlb_entry *te);
void htlb_flush(struct hart *h);
void htlb_invalidate_range(struct hart *h, uint64_t va, uint64_t size);

/* ---- mem.c ---- */
/* Host pointer of machine address range, or NULL if not all in RAM. */
static inline uint8_t *mem_host(const struct hart *h, uint64_t ma, uint64_t len)
{
    if (ma < h->mem_base || ma - h->mem_base > h->mem_size || len > h->mem_size - (ma - h->mem_base))
        return NULL;
    return h->mem + (ma - h->mem_base);
}
int mem_load(struct hart *h, uint64_t va, unsigned size, uint64_t *val, struct trap *t);
int mem_store(struct hart *h, uint64_t va, unsigned size, uint64_t val, struct trap *t);
int mem_amo(struct hart *h, uint32_t raw, uint64_t va, unsigned size, unsigned funct5,
            uint64_t src, uint64_t *old, struct trap *t);
int mem_hlv(struct hart *h, uint64_t va, unsigned size, bool hlvx, uint64_t *val, struct trap *t);
int mem_hsv(struct hart *h, uint64_t va, unsigned size, uint64_t val, struct trap *t);
/* Physical read/write used by the walker (RAM only). */
struct code_page *code_get(struct hart *h, uint64_t ma);
void code_make_live(struct hart *h, struct code_page *cp);
void code_invalidate_page(struct hart *h, uint64_t ppn);
extern const void *hart_op_label[];   /* filled by exec.c at start-up */
void code_flush_all(struct hart *h);
int fetch_page(struct hart *h, uint64_t pc, struct code_page **cp, struct trap *t);
uint32_t insn_bits_at(struct hart *h, struct code_page *cp, unsigned idx);
void clint_update(struct hart *h);

/* ---- decode.c ---- */
#include "riscv/ops.h"
struct dinsn {
    enum op op;
    uint8_t rd, rs1, rs2, len;
    int32_t imm;
};
void decode(uint32_t raw, struct dinsn *d);
uint32_t htinst_transform(uint32_t raw);

/* ---- hart.c ---- */
uint64_t hart_time_raw(const struct hart *h);
void hart_recompute_limit(struct hart *h);

static inline void trap_set(struct trap *t, uint64_t cause, uint64_t tval)
{
    t->cause = cause;
    t->tval = tval;
    t->tval2 = 0;
    t->tinst = 0;
    t->gva = false;
}

#endif
