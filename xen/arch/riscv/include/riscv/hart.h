/*
 * hart.h: the virtual RISC-V hart, Umbra's "hardware" (RV64IMAC + Zicsr +
 * Zifencei + Zicntr, privileged spec 1.12 with the H extension).
 *
 * Two users:
 *  - the bare-metal runner (rvsim): the hart starts in M-mode and runs every
 *    mode's trap handlers itself; it stops when the program writes `tohost`
 *    or when the budget runs out;
 *  - the hypervisor (xen/): the host C code plays HS-mode. With
 *    hart.exit_on_hs_trap set, any trap or interrupt that targets HS-mode (or
 *    M-mode: routed to HS as if M firmware delegated everything) updates the
 *    HS CSRs exactly as hardware would (scause, stval, sepc, htval, htinst,
 *    hstatus.SPV/SPVP/GVA, sstatus.SPP...) and then, instead of jumping to
 *    stvec, hart_run() returns an exit record. The host handles
 *    it and resumes with hart_sret() + hart_run(), as if it had executed sret.
 *    Traps delegated through hedeleg/hideleg go to the VS handler with no exit.
 *
 * Invariants:
 *  - machine memory is one host buffer [mem, mem + mem_size) at machine
 *    address mem_base; any access outside it is an access fault;
 *  - the TLB only ever holds translations that a full walk would produce now,
 *    until the fence or satp/vsatp/hgatp write that the spec requires;
 *  - counters only grow; modeled cycles are derived from them by the cost table.
 * This header is the stable interface: fields marked "public" may be read and
 * written by the host between hart_run() calls.
 */
#ifndef RISCV_HART_H
#define RISCV_HART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "riscv/csr.h"

/* Privilege levels (the V bit is separate). */
enum hart_priv { PRIV_U = 0, PRIV_S = 1, PRIV_M = 3 };

enum hart_exit_kind {
    HART_EXIT_TRAP,    /* a trap/interrupt targeting HS (or M) mode: see cause */
    HART_EXIT_BUDGET,  /* the instruction budget ran out */
    HART_EXIT_TOHOST,  /* bare-metal: the program wrote tohost */
    HART_EXIT_WFI,     /* WFI with no interrupt pending (host may idle or block) */
};

/* What hart_run() reports. */
struct hart_exit {
    enum hart_exit_kind kind;
    uint64_t cause;    /* scause/mcause value, interrupt bit 63 */
    uint64_t tval;
    uint64_t htval;    /* guest physical address >> 2 for guest-page faults */
    uint64_t htinst;
    uint32_t insn;     /* the faulting instruction's bits, 0 if not fetched */
    uint64_t pc;       /* the pc of the trapping instruction (= sepc/mepc) */
    bool virt;         /* the hart was in VS/VU when it trapped */
    uint64_t tohost;   /* HART_EXIT_TOHOST: the value written */
};

/* Sizes of the caches the model offers; all optional caches are off by default. */
struct hart_config {
    unsigned tlb_sets;        /* default 64 */
    unsigned tlb_ways;        /* default 4 (256 entries) */
    unsigned pwc_entries;     /* page-walk cache entries per stage, 0 = off */
    unsigned ntlb_entries;    /* nested TLB (GPA->MA) entries, 0 = off */
    uint64_t time_freq_hz;    /* nominal frequency of the time CSR, default 10 MHz */
    uint64_t cycle_freq_hz;   /* nominal core frequency of modeled cycles, default 1 GHz */
};

/* Per-hart counters (public, read by the host; see docs/cost-model.md). */
struct hart_counters {
    uint64_t instret;
    uint64_t tlb_hits;
    uint64_t tlb_misses;
    uint64_t walk_refs_s;     /* single-stage walk references (V=0 Sv39/Sv48) */
    uint64_t walk_refs_vs;    /* VS-stage PTE reads/writes under V=1 */
    uint64_t walk_refs_g;     /* G-stage PTE reads/writes under V=1 */
    uint64_t page_faults;     /* page faults and guest-page faults raised */
    uint64_t exits;           /* HART_EXIT_TRAP exits */
    uint64_t exits_by_cause[64];      /* exceptions by cause */
    uint64_t irq_exits_by_cause[64];  /* interrupts by cause */
    uint64_t hyp_refs;        /* machine-memory references made by the host's
                                 handlers, added by the hypervisor's accessors */
    uint64_t idle_cycles;     /* cycles spent waiting in WFI (hart_idle_to_timer) */
};

/* The published constants of the cost model (docs/cost-model.md). */
struct cost_model {
    uint64_t cpi_milli;        /* cycles per instruction x 1000 */
    uint64_t walk_ref_cycles;  /* one page-walk memory reference */
    uint64_t exit_cycles;      /* one round trip guest -> hypervisor -> guest */
    uint64_t hyp_ref_cycles;   /* one handler memory reference */
};
extern const struct cost_model cost_model_default;

struct hart;   /* defined in hart_impl.h; the host uses the accessors below */

/* Create a hart over machine memory. Returns NULL on allocation failure. */
struct hart *hart_create(uint8_t *mem, uint64_t mem_base, uint64_t mem_size,
                         const struct hart_config *cfg /* NULL: defaults */);
void hart_destroy(struct hart *h);

/* Reset: M-mode, all CSRs at their reset values, pc = entry. */
void hart_reset(struct hart *h, uint64_t entry);

/* Hypervisor use: traps to HS/M return from hart_run() instead of running handlers. */
void hart_set_exit_on_hs_trap(struct hart *h, bool on);
/* Bare-metal use: a store to this machine address stops the run (HTIF tohost). 0 = none. */
void hart_set_tohost(struct hart *h, uint64_t tohost_addr);

/*
 * Run at most `budget` instructions. Returns the exit kind and fills *ex.
 * Never returns with a half-executed instruction. An exception handled
 * inside the hart (no exit) retires nothing but uses one unit of the budget,
 * so a program that traps forever still returns HART_EXIT_BUDGET.
 */
enum hart_exit_kind hart_run(struct hart *h, uint64_t budget, struct hart_exit *ex);

/* The host's sret: return from HS-mode to the mode in sstatus.SPP/hstatus.SPV at sepc. */
void hart_sret(struct hart *h);

/* Set the privilege mode directly (tests, and hosts that start a vCPU without sret). */
void hart_set_mode(struct hart *h, enum hart_priv priv, bool virt);

/*
 * The host wrote machine memory [ma, ma + len) behind the hart's back (ELF
 * loading, grant copies...): drop any decoded instructions of those pages.
 * Stores made by the hart itself need no such call.
 */
void hart_code_written(struct hart *h, uint64_t ma, uint64_t len);

/*
 * After HART_EXIT_WFI in bare-metal use: let modeled time pass (counted as
 * idle_cycles) until the CLINT timer fires. false if no timer can wake the hart.
 */
bool hart_idle_to_timer(struct hart *h);

/* Registers and CSRs, as HS/M software would see them (no privilege checks). */
uint64_t hart_get_pc(const struct hart *h);
void hart_set_pc(struct hart *h, uint64_t pc);
uint64_t hart_get_reg(const struct hart *h, unsigned r);
void hart_set_reg(struct hart *h, unsigned r, uint64_t v);   /* r = 0 is ignored */
uint64_t hart_csr_get(struct hart *h, unsigned csr);
void hart_csr_set(struct hart *h, unsigned csr, uint64_t v); /* WARL rules applied */
enum hart_priv hart_get_priv(const struct hart *h);
bool hart_get_virt(const struct hart *h);

/* Fences issued by the host (as HS-mode would execute them). ~0ULL = all. */
void hart_sfence_vma(struct hart *h, uint64_t va, uint64_t asid);
void hart_hfence_vvma(struct hart *h, uint64_t va, uint64_t asid);
void hart_hfence_gvma(struct hart *h, uint64_t gpa, uint64_t vmid);

/* Counters and modeled time. */
const struct hart_counters *hart_counters(const struct hart *h);
struct hart_counters *hart_counters_mut(struct hart *h);
uint64_t hart_modeled_cycles(const struct hart *h);
uint64_t hart_time(const struct hart *h);   /* the time CSR's value */
void hart_counters_reset(struct hart *h);

#endif
