/*
 * hap.c: hardware-assisted paging, the two-stage implementation of struct
 * paging_ops. The guest owns vsatp; the hart walks the guest's tables and
 * then the p2m, whose root sits in hgatp with VMID = domid.
 *
 * Guest-page faults (causes 20/21/23) come here with the faulting GPA in
 * htval << 2 | tval & 3. The p2m decides: a populate-on-demand entry is
 * populated, an entry that already allows the access was a stale TLB entry
 * (another vCPU changed it), and everything else (nothing mapped, a write to
 * ram_ro or ram_shared) is returned as -errno for the caller to crash the
 * domain, with paging_fault_reason() as the log line.
 *
 * TLB SHOOTDOWN: p2m changes that take a mapping away or downgrade it call
 * p2m->flush after the p2m lock is dropped (p2m.c). The daemon installs the
 * synchronous cross-vCPU protocol of xen/common (flush.h:
 * domain_tlb_shootdown) as that hook before any vCPU runs. When no hook is
 * installed, HAP installs hap_p2m_changed, which fences every vCPU's hart
 * directly: correct only while no vCPU of the domain runs concurrently
 * (one pCPU thread, or tests), because a hart belongs to the pCPU thread
 * running it.
 */
#include <errno.h>

#include "guest-walk.h"
#include "riscv/csr.h"
#include "riscv/hart.h"
#include "umbra/bug.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"

/* VMID = domid (14 bits, paging_vmid). A hart runs one vCPU: VMIDs never share a TLB. */
static uint16_t hap_vmid(const struct domain *d)
{
    return paging_vmid(d->domain_id);
}

static uint64_t *hyp_refs(struct vcpu *v)
{
    return &hart_counters_mut(v->hart)->hyp_refs;
}

/*
 * The p2m changed at gfn (2^order frames): fence every vCPU's G-stage TLB
 * for it. Direct fencing: see the TLB SHOOTDOWN note at the top.
 */
static void hap_p2m_changed(struct domain *d, gfn_t gfn, unsigned order)
{
    uint64_t gpa = order == 0 ? gfn_to_gaddr(gfn) : ~0ULL;

    for (unsigned i = 0; i < d->max_vcpus && d->vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        if (v && v->hart)
            hart_hfence_gvma(v->hart, gpa, hap_vmid(d));
    }
}

/*
 * The domain's p2m (p2m_init, by the domain builder) must exist. Installs
 * the direct flush hook unless the daemon installed its own. 0 or -EINVAL.
 */
static int hap_domain_init(struct domain *d)
{
    if (d->p2m.domain != d || !mfn_valid_value(d->p2m.root))
        return -EINVAL;
    if (!d->p2m.flush)
        d->p2m.flush = hap_p2m_changed;
    d->paging_priv = NULL;
    return 0;
}

/* HAP keeps no state of its own: the p2m belongs to the domain (p2m_teardown). */
static void hap_domain_teardown(struct domain *d)
{
    if (d->p2m.flush == hap_p2m_changed)
        d->p2m.flush = NULL;
}

/*
 * Point the vCPU's hart at the p2m: hgatp = Sv39x4/Sv48x4 root with
 * VMID = domid, hstatus.VTVM = 0 (the guest owns vsatp and sfence.vma),
 * then fence both stages. Returns 0, or -EINVAL if the hart refused the
 * hgatp mode (WARL).
 */
static int hap_vcpu_init(struct vcpu *v)
{
    struct hart *h = v->hart;
    uint64_t hgatp = p2m_hgatp(&v->domain->p2m, hap_vmid(v->domain));

    if (!h)
        return -EINVAL;
    hart_csr_set(h, CSR_HGATP, hgatp);
    if (hart_csr_get(h, CSR_HGATP) != hgatp)
        return -EINVAL;
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) & ~HSTATUS_VTVM);
    hart_hfence_gvma(h, ~0ULL, ~0ULL);
    hart_hfence_vvma(h, ~0ULL, ~0ULL);
    return 0;
}

/* The access a guest-page fault was for: implicit walk accesses per htinst. */
static unsigned fault_access(const struct hart_exit *ex)
{
    switch (ex->htinst) {
    case HTINST_PSEUDO_READ32:
    case HTINST_PSEUDO_READ64:
        return PG_ACCESS_READ;
    case HTINST_PSEUDO_WRITE32:
    case HTINST_PSEUDO_WRITE64:
        return PG_ACCESS_WRITE;
    }
    switch (ex->cause) {
    case CAUSE_FETCH_GUEST_PAGE_FAULT:
        return PG_ACCESS_EXEC;
    case CAUSE_LOAD_GUEST_PAGE_FAULT:
        return PG_ACCESS_READ;
    default:
        return PG_ACCESS_WRITE;
    }
}

/*
 * A guest-page fault exit. Returns 0 when resolved (populated on demand, or
 * the p2m already allowed the access: the stale G-stage entry is fenced),
 * -EINVAL for an exit that is not a guest-page fault, -EFAULT (no RAM
 * there), -EACCES (the p2m type forbids the access) or -ENOMEM; on error
 * the caller crashes the domain with paging_fault_reason().
 */
static int hap_handle_fault(struct vcpu *v, const struct hart_exit *ex)
{
    struct domain *d = v->domain;
    paddr_t gpa;
    mfn_t mfn;
    int rc;

    if (ex->kind != HART_EXIT_TRAP || (ex->cause != CAUSE_FETCH_GUEST_PAGE_FAULT &&
                                       ex->cause != CAUSE_LOAD_GUEST_PAGE_FAULT &&
                                       ex->cause != CAUSE_STORE_GUEST_PAGE_FAULT))
        return -EINVAL;
    gpa = (ex->htval << 2) | (ex->tval & 3);
    rc = p2m_translate(&d->p2m, gaddr_to_gfn(gpa), fault_access(ex), &mfn, hyp_refs(v));
    if (rc < 0)
        return rc;
    hart_hfence_gvma(v->hart, gpa, hap_vmid(d));
    return 0;
}

/*
 * Translate gva with the guest's own tables, as the vCPU's trapped mode
 * (hstatus.SPVP: VS or VU) with its vsstatus.SUM/MXR would. Every p2m and
 * guest PTE reference counts into the vCPU's hyp_refs. 0 or -EFAULT.
 */
static int hap_gva_to_gpa(struct vcpu *v, uint64_t gva, unsigned access, paddr_t *gpa)
{
    struct hart *h = v->hart;
    uint64_t vsstatus = hart_csr_get(h, CSR_VSSTATUS);
    struct guest_walk_ctx ctx = {
        .satp = hart_csr_get(h, CSR_VSATP),
        .priv = (hart_csr_get(h, CSR_HSTATUS) & HSTATUS_SPVP) ? PRIV_S : PRIV_U,
        .sum = (vsstatus & MSTATUS_SUM) != 0,
        .mxr = (vsstatus & MSTATUS_MXR) != 0,
    };
    struct guest_walk gw;
    int rc = guest_walk_tables(v->domain, &ctx, gva, access, &gw, hyp_refs(v));

    if (rc < 0)
        return -EFAULT;
    *gpa = gw.gpa;
    return 0;
}

static uint64_t hap_get_guest_satp(struct vcpu *v)
{
    return hart_csr_get(v->hart, CSR_VSATP);
}

static int hap_set_guest_satp(struct vcpu *v, uint64_t satp)
{
    hart_csr_set(v->hart, CSR_VSATP, satp);
    return 0;
}

const struct paging_ops hap_ops = {
    .name = "hap",
    .mode = PAGING_HAP,
    .domain_init = hap_domain_init,
    .domain_teardown = hap_domain_teardown,
    .vcpu_init = hap_vcpu_init,
    .handle_fault = hap_handle_fault,
    .handle_vinsn = NULL,        /* HAP owns no virtual-instruction exits */
    .gva_to_gpa = hap_gva_to_gpa,
    .p2m_changed = hap_p2m_changed,
    .get_guest_satp = hap_get_guest_satp,
    .set_guest_satp = hap_set_guest_satp,
};
