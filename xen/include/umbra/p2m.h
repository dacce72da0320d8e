/*
 * p2m.h: the physical-to-machine map of a domain (GFN -> MFN + type).
 *
 * Kept as real Sv39x4 (or Sv48x4) tables in machine memory, so HAP hands the
 * root to hgatp directly, as Xen does with EPT. The p2m type lives in the
 * PTE's RSW bits plus a per-domain side table where two bits are not enough;
 * hardware permissions follow the type (ram_ro/ram_shared: no W; paged_out,
 * populate_on_demand, invalid: not present).
 * Encoding (docs/memory.md): a present leaf (V=1) is ram_rw (RSW 0, RWXUAD),
 * ram_ro (RSW 1, RXUA) or ram_shared (RSW 2, RXUA); RSW 3 is kept for the
 * types that will need the side table (logdirty, grant maps). A non-present
 * entry (V=0) holds its type in bits 4:1; an all-zero entry is p2m_invalid.
 * Types accepted by p2m_set_entry today: invalid (unmap), ram_rw, ram_ro,
 * ram_shared, populate_on_demand; the rest return -EINVAL until used.
 * Locking: p2m->lock (lock-order.h level 50) serialises updates and
 * lookups; the flush hook runs after it is dropped.
 *
 * Invariants:
 *  - a 2 MiB entry is used only where the backing frames are contiguous and
 *    aligned, and it is split into 512 4 KiB entries before one of them changes;
 *  - changing an entry from present to absent or to read-only requires a TLB
 *    shootdown of every vCPU of the domain before the caller relies on it
 *    (p2m_set_entry calls the domain's flush hook; see paging.h);
 *  - all p2m table frames are owned by the domain with type PGT_p2m and are
 *    freed by p2m_teardown.
 */
#ifndef UMBRA_P2M_H
#define UMBRA_P2M_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra/lock-order.h"
#include "umbra/types.h"

typedef enum {
    p2m_invalid = 0,
    p2m_ram_rw,
    p2m_ram_ro,
    p2m_ram_shared,        /* copy-on-write shared frame */
    p2m_ram_logdirty,
    p2m_ram_paged_out,
    p2m_populate_on_demand,
    p2m_grant_map_rw,
    p2m_grant_map_ro,
    p2m_nr_types
} p2m_type_t;

const char *p2m_type_name(p2m_type_t t);

struct domain;

struct p2m_domain {
    struct domain *domain;
    const struct pt_format *fmt;   /* Sv39x4 or Sv48x4 */
    mfn_t root;                    /* 4 contiguous frames (16 KiB root) */
    bool superpages;               /* use 2 MiB entries where contiguous */
    uint64_t nr_table_frames;
    uint64_t nr_entries;           /* present 4 KiB-equivalent entries */
    uint64_t max_gfn;              /* highest gfn ever mapped + 1 */
    void (*flush)(struct domain *d, gfn_t gfn, unsigned order); /* TLB shootdown hook */
    /* Added by xen/mm (beyond the first skeleton): */
    struct umbra_lock lock;        /* lock-order.h level 50 */
    uint64_t pod_entries;          /* 4 KiB-equivalents still populate_on_demand */
    uint64_t pod_populated;        /* frames allocated by populate-on-demand faults */
};

/*
 * Set up an empty p2m for d in format fmt (PT_SV39X4 or PT_SV48X4): a
 * 16 KiB root owned by d->domain_id with type PGT_p2m; flush starts NULL
 * (the paging mode's domain_init sets it). Call before paging->domain_init.
 * Returns 0, -EINVAL (other format) or -ENOMEM.
 */
int p2m_init(struct p2m_domain *p2m, struct domain *d, enum pt_format_id fmt, bool superpages);
/* Free every table frame (not the RAM the entries point at). No vCPU of the
 * domain may run on this p2m any more. Idempotent. */
void p2m_teardown(struct p2m_domain *p2m);

/*
 * Map 2^order frames at gfn to mfn with type t (order 0 or 9).
 * Splits a covering superpage as needed. Returns 0, -EINVAL (misaligned or
 * unsupported type) or -ENOMEM. Calls p2m->flush when an existing mapping was
 * removed or downgraded.
 */
int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t);
/* Look up gfn: returns the MFN (INVALID_MFN if none) and its type and mapping order. */
mfn_t p2m_get_entry(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, unsigned *order);
/* The same, counting each p2m PTE read into *refs (cost model); refs may be NULL.
 * t and order may be NULL. For an unmapped gfn, *order is the size of the hole. */
mfn_t p2m_get_entry_counted(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                            unsigned *order, uint64_t *refs);

/*
 * Populate the populate_on_demand entry at gfn with zeroed RAM of the
 * domain (2 MiB at once when the PoD entry and p2m->superpages allow).
 * Returns 0 (also if already populated), -EINVAL (not PoD) or -ENOMEM.
 * Frames it allocates are counted in p2m->pod_populated.
 */
int p2m_pod_populate(struct p2m_domain *p2m, gfn_t gfn);
/*
 * Translate gfn for a hypervisor access on the domain's behalf (PG_ACCESS_*
 * of paging.h), populating PoD entries: 0 and the 4 KiB *mfn, -EFAULT (not
 * mapped), -EACCES (type forbids it: write to ram_ro/ram_shared), -ENOMEM.
 * Counts p2m PTE reads into *refs (may be NULL).
 */
int p2m_translate(struct p2m_domain *p2m, gfn_t gfn, unsigned access, mfn_t *mfn, uint64_t *refs);

/* Is t a type whose frame the guest can read / write through the G-stage? */
bool p2m_is_readable(p2m_type_t t);
bool p2m_is_writable(p2m_type_t t);

/*
 * Call fn for every leaf entry that is not p2m_invalid, in gfn order, with
 * the entry's first gfn, first mfn (INVALID_MFN when not present), order and
 * type. Stops at the first non-zero return, which it returns. Runs under the
 * p2m lock: fn may free frames, but must not change this p2m. This is how a
 * domain's RAM is found at destroy time (free what ram_rw/ram_ro map).
 */
typedef int (*p2m_visit_fn)(gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t, void *arg);
int p2m_for_each(struct p2m_domain *p2m, p2m_visit_fn fn, void *arg);

/* Check the tables against the counters (debug/tests). 0 or -EIO. */
int p2m_audit(struct p2m_domain *p2m);
/* hgatp value for this p2m with VMID vmid. */
uint64_t p2m_hgatp(const struct p2m_domain *p2m, uint16_t vmid);

#endif
