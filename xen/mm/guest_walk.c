/*
 * guest_walk.c: the software walk of a guest's Sv39/Sv48 tables
 * (guest-walk.h). One loop over the levels of the format (STYLE.md habit
 * 7); the checks mirror the hart's VS-stage walker so that the hypervisor
 * never sees a translation the hardware would refuse, nor refuses one it
 * would give.
 * Invariant: only frames the p2m maps for the domain are read or written.
 */
#include <errno.h>

#include "guest-walk.h"
#include "riscv/csr.h"
#include "umbra/bug.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"

#define WALK_RETRIES 4

static bool pte_malformed(uint64_t pte)
{
    return !(pte & PTE_V) || (pte & (PTE_R | PTE_W)) == PTE_W || (pte & PTE_RESERVED_MASK);
}

/* May a leaf with these bits be used for `access` in ctx? */
static bool leaf_allows(uint64_t pte, const struct guest_walk_ctx *ctx, unsigned access,
                        const char **why)
{
    if (pte & PTE_U) {
        if (ctx->priv == PRIV_S && ((access & PG_ACCESS_EXEC) || !ctx->sum)) {
            *why = "user page accessed from supervisor mode without SUM";
            return false;
        }
    } else if (ctx->priv == PRIV_U) {
        *why = "supervisor page accessed from user mode";
        return false;
    }
    if ((access & PG_ACCESS_READ) && !((pte & PTE_R) || (ctx->mxr && (pte & PTE_X)))) {
        *why = "page not readable";
        return false;
    }
    if ((access & PG_ACCESS_WRITE) && !(pte & PTE_W)) {
        *why = "page not writable";
        return false;
    }
    if ((access & PG_ACCESS_EXEC) && !(pte & PTE_X)) {
        *why = "page not executable";
        return false;
    }
    return true;
}

/* The machine address of guest-physical `gpa` for `access`, or -EFAULT/-ENOMEM. */
static int gpa_to_maddr(struct domain *d, paddr_t gpa, unsigned access, maddr_t *ma,
                        uint64_t *refs)
{
    mfn_t mfn;
    int rc = p2m_translate(&d->p2m, gaddr_to_gfn(gpa), access, &mfn, refs);

    if (rc < 0)
        return rc == -ENOMEM ? rc : -EFAULT;
    *ma = _maddr(maddr_x(mfn_to_maddr(mfn)) + (gpa & (PAGE_SIZE - 1)));
    return 0;
}

/* One attempt; returns 1 when an A/D update lost a race and the walk must restart. */
static int walk_once(struct domain *d, const struct guest_walk_ctx *ctx, const struct pt_format *f,
                     uint64_t gva, unsigned access, struct guest_walk *gw, uint64_t *refs)
{
    paddr_t table = (ctx->satp & SATP_PPN_MASK) << PAGE_SHIFT, pte_gpa = 0;
    uint64_t pte = 0, want;
    maddr_t ma = _maddr(0);
    int level, rc;

    for (level = (int)f->levels - 1;; level--) {
        pte_gpa = table + 8ULL * pt_index(f, (unsigned)level, gva);
        rc = gpa_to_maddr(d, pte_gpa, PG_ACCESS_READ, &ma, refs);
        if (rc < 0) {
            gw->why = "guest page table outside the domain's RAM";
            return rc;
        }
        pte = mm_read64(ma, refs);
        if (pte_malformed(pte)) {
            gw->why = (pte & PTE_V) ? "malformed guest PTE" : "guest PTE not present";
            return -EFAULT;
        }
        if (pte_is_leaf(pte))
            break;
        if (level == 0) {
            gw->why = "guest table pointer at level 0";
            return -EFAULT;
        }
        table = pte_ppn(pte) << PAGE_SHIFT;
    }
    if (!leaf_allows(pte, ctx, access, &gw->why))
        return -EFAULT;
    if (pte_ppn(pte) & ((1ULL << (9 * level)) - 1)) {
        gw->why = "misaligned guest superpage";
        return -EFAULT;
    }
    want = pte | PTE_A | ((access & PG_ACCESS_WRITE) ? PTE_D : 0);
    if (want != pte) {
        /* The A/D store is an implicit write: the p2m must allow it. */
        rc = gpa_to_maddr(d, pte_gpa, PG_ACCESS_WRITE, &ma, refs);
        if (rc < 0) {
            gw->why = "guest page table not writable for A/D update";
            return rc;
        }
        if (!mm_cmpxchg64(ma, pte, want, refs))
            return 1;
        pte = want;
    }
    gw->level = (unsigned)level;
    gw->pte = pte;
    gw->pte_gpa = pte_gpa;
    gw->gpa = ((pte_ppn(pte) << PAGE_SHIFT) & ~(pt_level_size((unsigned)level) - 1)) |
              (gva & (pt_level_size((unsigned)level) - 1));
    return 0;
}

int guest_walk_tables(struct domain *d, const struct guest_walk_ctx *ctx, uint64_t gva,
                      unsigned access, struct guest_walk *gw, uint64_t *refs)
{
    const struct pt_format *f;
    int64_t sx;
    int rc = 1;

    gw->why = NULL;
    switch (ctx->satp >> SATP_MODE_SHIFT) {
    case SATP_MODE_BARE:
        gw->gpa = gva;
        gw->level = 0;
        gw->pte = 0;
        gw->pte_gpa = 0;
        return 0;
    case SATP_MODE_SV39:
        f = pt_format_get(PT_SV39);
        break;
    case SATP_MODE_SV48:
        f = pt_format_get(PT_SV48);
        break;
    default:
        gw->why = "unsupported vsatp mode";
        return -EFAULT;
    }
    sx = (int64_t)gva >> (f->va_bits - 1);
    if (sx != 0 && sx != -1) {
        gw->why = "non-canonical guest virtual address";
        return -EFAULT;
    }
    for (unsigned tries = 0; tries < WALK_RETRIES && rc == 1; tries++)
        rc = walk_once(d, ctx, f, gva, access, gw, refs);
    if (rc == 1) {
        gw->why = "guest PTE kept changing under the walk";
        rc = -EFAULT;
    }
    return rc;
}
