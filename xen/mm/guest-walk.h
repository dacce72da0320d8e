/*
 * guest-walk.h: a software walk of a guest's own page tables (Sv39/Sv48,
 * GVA -> GPA), as the hart's VS-stage walker does it, for the hypervisor's
 * accesses on the guest's behalf (HAP gva_to_gpa, hypercall buffers) and
 * for shadow paging. Private to xen/mm.
 *
 * Every guest PTE's GPA is translated through the p2m (populating PoD
 * frames), read with the counted accessors, and checked exactly as the
 * hart checks it: V, W-without-R, reserved bits, leaf at level 0, U with
 * SUM, MXR, superpage alignment. A and D are set as hardware sets them,
 * with a compare-and-swap (the guest may race), only where the p2m lets
 * the guest write the page-table frame.
 */
#ifndef XEN_MM_GUEST_WALK_H
#define XEN_MM_GUEST_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra/domain.h"
#include "umbra/types.h"

/* The state the access is made in: the guest's satp and status bits. */
struct guest_walk_ctx {
    uint64_t satp;      /* the guest's vsatp (its own value, even under shadow) */
    unsigned priv;      /* PRIV_S or PRIV_U: the guest mode of the access */
    bool sum;           /* vsstatus.SUM */
    bool mxr;           /* vsstatus.MXR */
};

struct guest_walk {
    paddr_t gpa;        /* the result */
    unsigned level;     /* level of the leaf (0: 4 KiB) */
    uint64_t pte;       /* the leaf guest PTE, after any A/D update */
    paddr_t pte_gpa;    /* where that PTE lives */
    const char *why;    /* on failure, a static reason for the log */
};

/*
 * Translate gva for `access` (PG_ACCESS_*) with the guest tables named by
 * ctx->satp (Bare: gpa = gva). Returns 0 and *gw, -EFAULT (the guest would
 * take a page fault, or a table is outside its RAM; gw->why says which) or
 * -ENOMEM (PoD population failed). Counts every p2m and guest PTE access
 * into *refs (may be NULL). Takes and drops the p2m lock per lookup.
 */
int guest_walk_tables(struct domain *d, const struct guest_walk_ctx *ctx, uint64_t gva,
                      unsigned access, struct guest_walk *gw, uint64_t *refs);

#endif
