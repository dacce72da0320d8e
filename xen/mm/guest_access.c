/*
 * guest_access.c: copy_{from,to}_guest and their guest-physical variants
 * (contracts in umbra/guest_access.h).
 *
 * Each chunk stays within one 4 KiB page: translate (gva -> gpa through the
 * paging mode, gpa -> mfn through the p2m with the access's permission),
 * check the frame belongs to the domain (or is a shared COW frame mapped
 * into it, for reads), copy, account. Costs: one translation per page.
 * Invariant: never memcpy to or from a frame the checks above did not pass.
 */
#include <errno.h>
#include <string.h>

#include "public/xen.h"
#include "riscv/hart.h"
#include "umbra/domain.h"
#include "umbra/guest_access.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"

/* The host pointer of gpa for access, after every check, or NULL. */
static void *gpa_to_host(struct domain *d, paddr_t gpa, unsigned access, uint64_t *refs)
{
    const struct page_info *pg;
    mfn_t mfn;

    if (p2m_translate(&d->p2m, gaddr_to_gfn(gpa), access, &mfn, refs) < 0)
        return NULL;
    pg = mfn_to_page(mfn);
    if (pg->owner != d->domain_id && !(pg->type == PGT_shared && pg->owner == DOMID_COW))
        return NULL;
    return (uint8_t *)mfn_to_virt(mfn) + (gpa & (PAGE_SIZE - 1));
}

static size_t chunk_len(uint64_t addr, size_t left)
{
    size_t in_page = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    return left < in_page ? left : in_page;
}

static void account(uint64_t *refs, size_t n)
{
    if (refs)
        *refs += (n + 7) / 8;
}

int copy_from_guest_phys(struct domain *d, void *dst, paddr_t gpa, size_t len, uint64_t *refs)
{
    uint8_t *out = dst;

    while (len > 0) {
        size_t n = chunk_len(gpa, len);
        const void *p = gpa_to_host(d, gpa, PG_ACCESS_READ, refs);

        if (!p)
            return -EFAULT;
        memcpy(out, p, n);
        account(refs, n);
        out += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

int copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src, size_t len, uint64_t *refs)
{
    const uint8_t *in = src;

    while (len > 0) {
        size_t n = chunk_len(gpa, len);
        void *p = gpa_to_host(d, gpa, PG_ACCESS_WRITE, refs);

        if (!p)
            return -EFAULT;
        memcpy(p, in, n);
        mm_host_wrote(_maddr(MACHINE_BASE + (uint64_t)((uint8_t *)p - mm_base())), n);
        account(refs, n);
        in += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

static uint64_t *vcpu_refs(struct vcpu *v)
{
    return v->hart ? &hart_counters_mut(v->hart)->hyp_refs : NULL;
}

/* One page of a virtual copy: translate gva, then copy n bytes by gpa. */
static int copy_virt_chunk(struct vcpu *v, uint64_t gva, void *host, size_t n, unsigned access)
{
    struct domain *d = v->domain;
    uint64_t *refs = vcpu_refs(v);
    paddr_t gpa;
    int rc;

    if (!d->paging || d->paging->gva_to_gpa(v, gva, access, &gpa) < 0)
        return -EFAULT;
    if (access & PG_ACCESS_WRITE) {
        rc = copy_to_guest_phys(d, gpa, host, n, refs);
        /* The hart caches decoded instructions per machine page. */
        if (rc == 0 && v->hart) {
            mfn_t mfn = p2m_get_entry(&d->p2m, gaddr_to_gfn(gpa), NULL, NULL);
            if (mfn_valid(mfn))
                hart_code_written(v->hart, maddr_x(mfn_to_maddr(mfn)) + (gpa & (PAGE_SIZE - 1)), n);
        }
        return rc;
    }
    return copy_from_guest_phys(d, host, gpa, n, refs);
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    uint8_t *out = dst;

    if (gva + len < gva)
        return -EFAULT;
    while (len > 0) {
        size_t n = chunk_len(gva, len);

        if (copy_virt_chunk(v, gva, out, n, PG_ACCESS_READ) < 0)
            return -EFAULT;
        out += n;
        gva += n;
        len -= n;
    }
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    const uint8_t *in = src;

    if (gva + len < gva)
        return -EFAULT;
    while (len > 0) {
        size_t n = chunk_len(gva, len);

        if (copy_virt_chunk(v, gva, (void *)(uintptr_t)in, n, PG_ACCESS_WRITE) < 0)
            return -EFAULT;
        in += n;
        gva += n;
        len -= n;
    }
    return 0;
}
