/*
 * shadow.h: shadow paging, the second implementation of struct paging_ops
 * (paging.h). A domain created without XEN_DOMCTL_CDF_hap runs with hgatp
 * Bare and hstatus.VTVM=1: the hart walks only shadow tables that map guest
 * virtual addresses straight to machine addresses, kept in sync with the
 * guest's own tables by write-protecting them. See docs/shadow.md.
 *
 * Invariants the mode keeps (checked by shadow_check()):
 *  - every present shadow entry agrees with the guest PTE and the p2m entry
 *    it was derived from, except in the leaf shadows of guest tables that
 *    are recorded as out of sync (docs/shadow.md, OOS rules);
 *  - a shadow maps only frames the p2m gives the domain, never with more
 *    permission than the p2m type allows;
 *  - no shadow maps an in-sync guest page-table frame writable.
 */
#ifndef UMBRA_SHADOW_H
#define UMBRA_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra/paging.h"

struct domain;

extern const struct paging_ops shadow_ops;

/* Pool sizes, in 4 KiB frames of machine memory. */
#define SHADOW_POOL_MIN_PAGES     12   /* plus 4 per vCPU */
#define SHADOW_POOL_DEFAULT_PAGES 1024   /* 4 MiB */

/* Counters of one domain's shadow mode (all grow only, except pages_in_use). */
struct shadow_stats {
    uint64_t faults;              /* page-fault exits handled */
    uint64_t faults_not_present;  /* filled a missing or weaker shadow entry */
    uint64_t faults_wp_emulate;   /* write to a write-protected guest page table */
    uint64_t faults_ad;           /* set a guest A or D bit */
    uint64_t faults_reflected;    /* genuine guest page faults delivered to the guest */
    uint64_t emulated_writes;     /* guest PTE stores applied by emulation */
    uint64_t resyncs;             /* out-of-sync leaf tables brought back in sync */
    uint64_t oos_unsyncs;         /* leaf tables allowed to go out of sync */
    uint64_t unshadows;           /* guest frames that stopped being shadowed as tables */
    uint64_t write_protects;      /* guest frames newly write-protected as tables */
    uint64_t reclaims;            /* shadow pages freed to satisfy the pool */
    uint64_t pages_in_use;        /* shadow + snapshot frames allocated now */
    uint64_t pages_peak;
    uint64_t pool_pages;          /* the pool's configured size */
    uint64_t exits_satp;          /* satp reads and writes emulated */
    uint64_t exits_sfence;        /* sfence.vma emulated */
    uint64_t tlb_flushes;         /* full flushes of the hart's VS TLB caused by shadow */
    uint64_t hyp_refs;            /* machine-memory references the handlers made */
};

/* Fill *st with d's counters. d must run in shadow mode. */
void shadow_get_stats(struct domain *d, struct shadow_stats *st);

/*
 * Set the size of d's shadow pool in frames (at least SHADOW_POOL_MIN_PAGES
 * plus a few per vCPU). Shrinking reclaims shadows. Returns 0, -EINVAL (too
 * small) or -ENOMEM.
 */
int shadow_set_pool_size(struct domain *d, uint64_t pages);

/*
 * The invariant checker: walks every shadow page of d and compares each
 * present entry with the current guest PTE and p2m entry. Returns 0, or
 * -EIO after printing one line per disagreeing entry (naming the shadow
 * frame, guest frame, level, index and both values) to stderr.
 */
int shadow_check(struct domain *d);

/*
 * Run shadow_check() after every exit the mode handles (on by default in
 * debug builds; a disagreement makes the handler return -EIO).
 */
void shadow_set_check_after_exit(struct domain *d, bool on);

/*
 * Use fn (xen/common's synchronous shootdown, flush.h) to flush every vCPU's
 * TLB when shadow code weakens a mapping; it is called after the paging lock
 * is dropped. Without it (tests, one pCPU) the shadow code fences each
 * vCPU's hart directly, which is only safe while none of them is running.
 */
void shadow_set_tlb_shootdown(struct domain *d, void (*fn)(struct domain *d, gfn_t gfn,
                                                           unsigned order));

/*
 * The guest's own view of satp for vCPU vcpu_id (the real vsatp holds the
 * shadow root while the guest runs).
 */
uint64_t shadow_guest_satp(struct domain *d, unsigned vcpu_id);

/*
 * Load a satp value for vCPU v as if the guest had written it (setvcpucontext
 * with the MMU on, restore). Returns 0 (an unsupported MODE is ignored, WARL)
 * or -errno. v must not be running.
 */
int shadow_load_guest_satp(struct vcpu *v, uint64_t satp);

#endif
