/*
 * shadow_ops.c: shadow_ops, the shadow implementation of struct paging_ops,
 * and the mode's per-domain life cycle and public getters (umbra/shadow.h).
 *
 * Set-up: domain_init creates the per-domain state (pool, hashes, tops, one
 * record per vCPU); vcpu_init programs the hart for shadow mode: hgatp Bare,
 * hstatus.VTVM=1 (satp accesses and sfence.vma trap), page faults not
 * delegated to VS, and the real vsatp on the physical-mode shadow until the
 * guest writes satp. Teardown unpins every top, which frees every shadow page
 * (shadow-private.h: all pages are reachable from a top), and returns the
 * pool to the heap: nothing is leaked.
 * Every entry point takes the paging lock through sh_op_begin/sh_op_end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shadow-private.h"

#define HEDELEG_PAGE_FAULTS ((1ULL << CAUSE_FETCH_PAGE_FAULT) | (1ULL << CAUSE_LOAD_PAGE_FAULT) | \
                             (1ULL << CAUSE_STORE_PAGE_FAULT))

static void shadow_p2m_changed(struct domain *d, gfn_t gfn, unsigned order);

/*
 * Run the invariant checker after every exit? On in debug builds (UMBRA_DEBUG)
 * unless UMBRA_SHADOW_CHECK=0 in the environment (benchmarks: it is O(shadow
 * pages x 512) per exit, host time only; its references are not charged).
 */
static bool sh_check_default(void)
{
    const char *env = getenv("UMBRA_SHADOW_CHECK");

    if (env && *env)
        return strcmp(env, "0") != 0;
    return UMBRA_DEBUG;
}

static int shadow_domain_init(struct domain *d)
{
    struct shadow_domain *sd = calloc(1, sizeof(*sd));
    unsigned nr = d->max_vcpus ? d->max_vcpus : 1;
    int rc = -ENOMEM;

    if (!sd)
        goto out;
    lock_init(&sd->lock, "paging", LOCK_LEVEL_PAGING);
    sd->d = d;
    sd->nr_vcpus = nr;
    sd->nr_tops = SH_TOPS + (int)nr;
    sd->vcpus = calloc(nr, sizeof(*sd->vcpus));
    sd->tops = calloc((size_t)sd->nr_tops, sizeof(*sd->tops));
    if (!sd->vcpus || !sd->tops)
        goto fail;
    for (unsigned i = 0; i < nr; i++)
        sd->vcpus[i].top = -1;
    if (sh_pool_init(sd, SHADOW_POOL_DEFAULT_PAGES + 8ULL * nr))
        goto fail;
    sd->check_after_exit = sh_check_default();
    sd->asid_mask = SATP_ASID_MASK;
    sd->ppn_mask = SATP_PPN_MASK;
    sd->sv48 = true;
    d->paging_priv = sd;
    if (!d->p2m.flush)
        d->p2m.flush = shadow_p2m_changed;
    sd->shootdown = d->tlb_flush_sync;   /* xen/common's synchronous shootdown, if any */
    rc = 0;
    goto out;
fail:
    free(sd->vcpus);
    free(sd->tops);
    lock_destroy(&sd->lock);
    free(sd);
out:
    return rc;
}

static void shadow_domain_teardown(struct domain *d)
{
    struct shadow_domain *sd = sh_dom(d);

    if (!sd)
        return;
    lock_take(&sd->lock);
    for (unsigned i = 0; i < sd->nr_vcpus; i++)
        sd->vcpus[i].top = -1;
    for (int i = 0; i < sd->nr_tops; i++)
        if (sd->tops[i].valid)
            sh_top_unpin(sd, i);
    BUG_ON(sd->stats.pages_in_use != 0);
    for (unsigned b = 0; b < SH_HASH_BUCKETS; b++) {
        BUG_ON(sd->hash[b] != NULL);
        while (sd->gfns[b]) {
            struct sh_gfn *g = sd->gfns[b];

            sd->gfns[b] = g->next;
            sh_refvec_free(&g->rmap);
            free(g);
        }
    }
    sh_pool_fini(sd);
    lock_release(&sd->lock);
    lock_destroy(&sd->lock);
    if (d->p2m.flush == shadow_p2m_changed)
        d->p2m.flush = NULL;
    free(sd->vcpus);
    free(sd->tops);
    free(sd);
    d->paging_priv = NULL;
}

/* Learn which vsatp fields the hart implements (WARL), by writing all-ones. */
static void sh_probe_vsatp(struct shadow_domain *sd, struct hart *h)
{
    uint64_t sv39 = (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT;

    hart_csr_set(h, CSR_VSATP, sv39 | SATP_ASID_MASK | SATP_PPN_MASK);
    sd->asid_mask = hart_csr_get(h, CSR_VSATP) & SATP_ASID_MASK;
    sd->ppn_mask = hart_csr_get(h, CSR_VSATP) & SATP_PPN_MASK;
    hart_csr_set(h, CSR_VSATP, (uint64_t)SATP_MODE_SV48 << SATP_MODE_SHIFT);
    sd->sv48 = ((hart_csr_get(h, CSR_VSATP) & SATP_MODE_MASK) >> SATP_MODE_SHIFT) ==
               SATP_MODE_SV48;
    hart_csr_set(h, CSR_VSATP, 0);
}

/*
 * Grow the per-vCPU records (and the tops, one more per vCPU) to n vCPUs:
 * the domain builder may create vCPUs after domain_init. 0 or -ENOMEM.
 */
static int sh_grow_vcpus(struct shadow_domain *sd, unsigned n)
{
    struct sh_vcpu *nv;
    struct sh_top *nt;

    if (n <= sd->nr_vcpus)
        return 0;
    nv = realloc(sd->vcpus, n * sizeof(*nv));
    if (!nv)
        return -ENOMEM;
    sd->vcpus = nv;
    nt = realloc(sd->tops, (SH_TOPS + n) * sizeof(*nt));
    if (!nt)
        return -ENOMEM;
    sd->tops = nt;
    for (unsigned i = sd->nr_vcpus; i < n; i++)
        sd->vcpus[i] = (struct sh_vcpu){ 0, -1 };
    for (unsigned i = (unsigned)sd->nr_tops; i < SH_TOPS + n; i++)
        sd->tops[i] = (struct sh_top){ 0 };
    sd->nr_vcpus = n;
    sd->nr_tops = (int)(SH_TOPS + n);
    return 0;
}

static int shadow_vcpu_init(struct vcpu *v)
{
    struct shadow_domain *sd = sh_dom(v->domain);
    struct hart *h = v->hart;
    uint64_t vmid = v->domain->domain_id & (HGATP_VMID_MASK >> HGATP_VMID_SHIFT);
    int rc = -EINVAL;

    if (!sd || !h)
        return rc;
    sh_op_begin(sd);
    if ((rc = sh_grow_vcpus(sd, v->vcpu_id + 1)))
        goto out;
    /* hgatp Bare; the VMID still tags this hart's TLB entries and fences */
    hart_csr_set(h, CSR_HGATP, vmid << HGATP_VMID_SHIFT);
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) | HSTATUS_VTVM);
    hart_csr_set(h, CSR_HEDELEG, hart_csr_get(h, CSR_HEDELEG) & ~HEDELEG_PAGE_FAULTS);
    sh_probe_vsatp(sd, h);
    /* an impossible previous mode, so that loading Bare flushes the VS TLB */
    sd->vcpus[v->vcpu_id].guest_satp = (uint64_t)0xF << SATP_MODE_SHIFT;
    rc = sh_set_guest_satp(sd, v, 0);
out:
    return sh_op_end(sd, v, rc);
}

/*
 * Translate gva with the guest's own tables as the vCPU's trapped mode
 * (hstatus.SPVP) with its vsstatus.SUM/MXR would, like HAP's. 0 or -EFAULT.
 */
static int shadow_gva_to_gpa(struct vcpu *v, uint64_t gva, unsigned access, paddr_t *gpa)
{
    struct shadow_domain *sd = sh_dom(v->domain);
    uint64_t vsstatus = hart_csr_get(v->hart, CSR_VSSTATUS);
    struct sh_access acc = { access, !(hart_csr_get(v->hart, CSR_HSTATUS) & HSTATUS_SPVP),
                             (vsstatus & MSTATUS_SUM) != 0, (vsstatus & MSTATUS_MXR) != 0 };
    struct sh_gwalk gw;
    int rc = -EFAULT;

    sh_op_begin(sd);
    if (sh_guest_walk(sd, sd->vcpus[v->vcpu_id].guest_satp, gva, &acc, &gw) == 0) {
        *gpa = (gw.gfn << PAGE_SHIFT) | (gva & (PAGE_SIZE - 1));
        rc = 0;
    }
    return sh_op_end(sd, v, rc);
}

/*
 * The p2m changed at [gfn, gfn + 2^order): every shadow mapping of those
 * frames is dropped, tables among them are unshadowed (or, for the root of a
 * running top, the shadows below the tops are blown), and every vCPU's VS
 * TLB is flushed before this returns. Also installed as d->p2m.flush.
 */
static void shadow_p2m_changed(struct domain *d, gfn_t gfn, unsigned order)
{
    struct shadow_domain *sd = sh_dom(d);
    bool blow = false, nested;

    if (!sd)
        return;
    nested = sh_op_running(sd);   /* called back from a p2m update we made */
    if (!nested)
        sh_op_begin(sd);
    for (uint64_t i = 0; i < (1ULL << order); i++) {
        uint64_t g = gfn_x(gfn) + i;
        struct sh_gfn *rec = sh_gfn_find(sd, g);

        if (!rec)
            continue;
        if (rec->oos >= 0)
            sh_oos_resync(sd, rec);
        if (sh_unshadow(sd, g) == -EBUSY)
            blow = true;
        sh_drop_mappings(sd, g);
    }
    if (blow)
        sh_blow_tables(sd);
    sd->flush_pending = true;
    if (!nested)
        (void)sh_op_end(sd, NULL, 0);
}

static uint64_t shadow_get_guest_satp_op(struct vcpu *v)
{
    return shadow_guest_satp(v->domain, v->vcpu_id);
}

const struct paging_ops shadow_ops = {
    .name = "shadow",
    .mode = PAGING_SHADOW,
    .domain_init = shadow_domain_init,
    .domain_teardown = shadow_domain_teardown,
    .vcpu_init = shadow_vcpu_init,
    .handle_fault = shadow_handle_fault,
    .handle_vinsn = shadow_handle_vinsn,
    .gva_to_gpa = shadow_gva_to_gpa,
    .p2m_changed = shadow_p2m_changed,
    .get_guest_satp = shadow_get_guest_satp_op,
    .set_guest_satp = shadow_load_guest_satp,
};

void shadow_get_stats(struct domain *d, struct shadow_stats *st)
{
    struct shadow_domain *sd = sh_dom(d);

    lock_take(&sd->lock);
    *st = sd->stats;
    lock_release(&sd->lock);
}

int shadow_set_pool_size(struct domain *d, uint64_t pages)
{
    struct shadow_domain *sd = sh_dom(d);
    int rc = -EINVAL;

    if (pages < SHADOW_POOL_MIN_PAGES + 4ULL * sd->nr_vcpus)
        return rc;
    sh_op_begin(sd);
    rc = sh_pool_resize(sd, pages);
    return sh_op_end(sd, NULL, rc);
}

int shadow_check(struct domain *d)
{
    struct shadow_domain *sd = sh_dom(d);
    int rc;

    lock_take(&sd->lock);
    rc = sh_check(sd);
    sd->op_refs = 0;
    lock_release(&sd->lock);
    return rc;
}

void shadow_set_tlb_shootdown(struct domain *d, void (*fn)(struct domain *d, gfn_t gfn,
                                                           unsigned order))
{
    sh_dom(d)->shootdown = fn;
}

void shadow_set_check_after_exit(struct domain *d, bool on)
{
    sh_dom(d)->check_after_exit = on;
}

uint64_t shadow_guest_satp(struct domain *d, unsigned vcpu_id)
{
    struct shadow_domain *sd = sh_dom(d);

    return vcpu_id < sd->nr_vcpus ? sd->vcpus[vcpu_id].guest_satp : 0;
}

int shadow_load_guest_satp(struct vcpu *v, uint64_t satp)
{
    struct shadow_domain *sd = sh_dom(v->domain);
    int rc = -EINVAL;

    if (!sd || v->vcpu_id >= sd->nr_vcpus)
        return rc;
    sh_op_begin(sd);
    rc = sh_set_guest_satp(sd, v, satp);
    return sh_op_end(sd, v, rc);
}
