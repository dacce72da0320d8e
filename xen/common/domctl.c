/*
 * domctl.c: XEN_DOMCTL_* for dom0 (arriving over privcmd): create, destroy,
 * pause, unpause, getdomaininfo, max_mem, vcpu contexts and info,
 * scheduler_op (credit), getpageframeinfo3, and Umbra's console read,
 * foreign map/unmap and memory-virtualization counters.
 *
 * Every field of the request is checked here; a bad one returns -EINVAL,
 * -ESRCH (no such domain) or -ENOENT (no such vCPU). Foreign references
 * are recorded per connection so that a client that disconnects without
 * unmapping drops them (ctl_conn_release).
 * Invariant (xen_lock held): every reference in a connection's list was
 * taken by get_page() and is dropped exactly once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "umbra/console.h"
#include "umbra/control.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/sched.h"
#include "umbra/shadow.h"
#include "umbra/vcpu.h"

bool privcmd_peer_privileged(uid_t peer_uid, gid_t peer_gid, uid_t self_uid, gid_t self_gid)
{
    return peer_uid == 0 || peer_uid == self_uid || peer_gid == self_gid;
}

void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    bool any_running = false, all_blocked = d->max_vcpus > 0;
    uint64_t cpu_time = 0;
    unsigned online = 0;

    memset(info, 0, sizeof(*info));
    for (unsigned i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        any_running |= v->is_running;
        all_blocked &= v->blocked || !v->initialised;
        cpu_time += v->cpu_time;
        online += v->is_up;
    }
    info->domain = d->domain_id;
    info->flags = (d->is_dying ? XEN_DOMINF_dying : 0) |
                  (d->is_shutdown ? XEN_DOMINF_shutdown : 0) |
                  (d->ctrl_pause ? XEN_DOMINF_paused : 0) |
                  (all_blocked && !d->ctrl_pause && !d->is_shutdown ? XEN_DOMINF_blocked : 0) |
                  (any_running ? XEN_DOMINF_running : 0) |
                  (d->paging && d->paging->mode == PAGING_HAP ? XEN_DOMINF_hap : 0) |
                  ((d->shutdown_code & XEN_DOMINF_shutdownmask) << XEN_DOMINF_shutdownshift);
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = d->shared_info ? gfn_x(d->shared_info_gfn) : 0;
    info->cpu_time = cpu_time;
    info->nr_online_vcpus = online;
    info->max_vcpu_id = d->max_vcpus ? d->max_vcpus - 1 : 0;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    memcpy(info->name, d->name, sizeof(info->name));
    info->paging_mode = d->paging ? d->paging->mode : 0;
}

static long domctl_getdomaininfo(struct xen_domctl *op)
{
    struct domain *d;

    if (op->domain >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    d = domain_first_from((domid_t)op->domain);
    if (!d)
        return -ESRCH;
    getdomaininfo(d, &op->u.getdomaininfo);
    op->domain = d->domain_id;
    return 0;
}

static long domctl_sched(struct domain *d, struct xen_domctl_scheduler_op *s)
{
    if (s->sched_id != XEN_SCHEDULER_CREDIT)
        return -EINVAL;
    if (s->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
        s->u.credit.weight = d->weight;
        s->u.credit.cap = d->cap;
        return 0;
    }
    if (s->cmd != XEN_DOMCTL_SCHEDOP_putinfo)
        return -EINVAL;
    /* As Xen's csched_dom_cntl: weight 0 and cap ~0 leave the value alone. */
    if (s->u.credit.cap != (uint16_t)~0U && s->u.credit.cap > 100 * sched_nr_pcpus())
        return -EINVAL;
    if (s->u.credit.weight)
        d->weight = s->u.credit.weight;
    if (s->u.credit.cap != (uint16_t)~0U)
        d->cap = s->u.credit.cap;
    return 0;
}

static long domctl_pageframeinfo(struct domain *d, struct xen_domctl *op, struct ctl_tail *t)
{
    const struct xen_domctl_pageinfo *in = t->in;
    struct xen_domctl_pageinfo *out = t->out;
    uint64_t n = op->u.getpageframeinfo3.num;

    if (n * sizeof(*in) != t->in_len || n * sizeof(*out) > t->out_cap)
        return -EINVAL;
    for (uint64_t i = 0; i < n; i++) {
        p2m_type_t type = p2m_invalid;
        mfn_t m = INVALID_MFN;

        if (in[i].gfn < (1ULL << (41 - PAGE_SHIFT)))
            m = p2m_get_entry(&d->p2m, _gfn(in[i].gfn), &type, NULL);
        out[i] = (struct xen_domctl_pageinfo){ in[i].gfn, mfn_x(m), (uint32_t)type, 0 };
    }
    t->out_len = n * sizeof(*out);
    return 0;
}

static long domctl_console(struct domain *d, struct xen_domctl_umbra_console *c,
                           struct ctl_tail *t)
{
    size_t len = c->len < t->out_cap ? c->len : t->out_cap;

    c->len = (uint32_t)dom_console_read(d->console, &c->offset, t->out, len, &c->end);
    t->out_len = c->len;
    return 0;
}

static int conn_add_ref(struct ctl_conn *c, domid_t domid, uint64_t gfn, mfn_t mfn)
{
    if (c->nr_refs == c->cap_refs) {
        size_t n = c->cap_refs ? c->cap_refs * 2 : 64;
        struct foreign_ref *r = realloc(c->refs, n * sizeof(*r));

        if (!r)
            return -ENOMEM;
        c->refs = r;
        c->cap_refs = n;
    }
    c->refs[c->nr_refs++] = (struct foreign_ref){ domid, gfn, mfn };
    return 0;
}

/* Drop the connection's reference for (domid, gfn); -ENOENT if it holds none. */
static int conn_put_ref(struct ctl_conn *c, domid_t domid, uint64_t gfn)
{
    for (size_t i = c->nr_refs; i-- > 0;)
        if (c->refs[i].domid == domid && c->refs[i].gfn == gfn) {
            mfn_t m = c->refs[i].mfn;

            c->refs[i] = c->refs[--c->nr_refs];
            domain_put_foreign_ref(m);
            return 0;
        }
    return -ENOENT;
}

void ctl_conn_release(struct ctl_conn *c)
{
    for (size_t i = 0; i < c->nr_refs; i++)
        domain_put_foreign_ref(c->refs[i].mfn);
    free(c->refs);
    c->refs = NULL;
    c->nr_refs = c->cap_refs = 0;
}

static long domctl_map(struct ctl_conn *c, struct domain *d, struct xen_domctl_umbra_foreign *f,
                       struct ctl_tail *t)
{
    uint64_t *mfns = t->out;
    uint32_t i;
    long rc = 0;

    if (f->nr == 0 || f->nr > UMBRA_MAP_FOREIGN_MAX || f->nr * sizeof(uint64_t) > t->out_cap ||
        f->gfn >= (1ULL << (41 - PAGE_SHIFT)) - f->nr)
        return -EINVAL;
    for (i = 0; i < f->nr; i++) {
        p2m_type_t type;
        mfn_t m = p2m_get_entry(&d->p2m, _gfn(f->gfn + i), &type, NULL);

        if (!mfn_valid_value(m) || (type != p2m_ram_rw && (f->writable || type != p2m_ram_ro))) {
            rc = -EINVAL;
            break;
        }
        if (!get_page(m, d->domain_id)) {
            rc = -EINVAL;
            break;
        }
        if (conn_add_ref(c, d->domain_id, f->gfn + i, m)) {
            domain_put_foreign_ref(m);
            rc = -ENOMEM;
            break;
        }
        mfns[i] = mfn_x(m);
    }
    if (rc) {
        while (i-- > 0)
            conn_put_ref(c, d->domain_id, f->gfn + i);
        return rc;
    }
    f->mm_base = MACHINE_BASE;
    t->out_len = f->nr * sizeof(uint64_t);
    if (!c->memfd_sent) {
        t->fd_out = mm_memfd();
        c->memfd_sent = true;
    }
    return 0;
}

static long domctl_unmap(struct ctl_conn *c, domid_t domid, struct xen_domctl_umbra_foreign *f)
{
    long rc = 0;

    if (f->nr == 0 || f->nr > UMBRA_MAP_FOREIGN_MAX)
        return -EINVAL;
    for (uint32_t i = 0; i < f->nr; i++)
        if (conn_put_ref(c, domid, f->gfn + i))
            rc = -ENOENT;
    return rc;
}

/* The shadow mode's own counters into s (d runs in shadow mode). */
static void mmstats_shadow(struct domain *d, struct xen_domctl_umbra_mmstats *s)
{
    struct shadow_stats st;

    shadow_get_stats(d, &st);
    s->shadow_faults = st.faults;
    s->emulated_writes = st.emulated_writes;
    s->sh_faults_not_present = st.faults_not_present;
    s->sh_faults_wp_emulate = st.faults_wp_emulate;
    s->sh_faults_ad = st.faults_ad;
    s->sh_faults_reflected = st.faults_reflected;
    s->sh_resyncs = st.resyncs;
    s->sh_oos_unsyncs = st.oos_unsyncs;
    s->sh_unshadows = st.unshadows;
    s->sh_write_protects = st.write_protects;
    s->sh_reclaims = st.reclaims;
    s->sh_exits_satp = st.exits_satp;
    s->sh_exits_sfence = st.exits_sfence;
    s->sh_tlb_flushes = st.tlb_flushes;
    s->sh_pages_peak = st.pages_peak;
}

/* XEN_DOMCTL_umbra_mmstats: d's counters (xen_lock held). */
static long domctl_mmstats(struct domain *d, struct xen_domctl_umbra_mmstats *s)
{
    memset(s, 0, sizeof(*s));
    s->paging_mode = d->paging->mode;
    for (unsigned i = 0; i < d->max_vcpus; i++) {
        const struct hart_counters *k = &d->vcpus[i]->stats;

        s->instret += k->instret;
        s->cycles += d->vcpus[i]->stats_cycles;
        s->tlb_hits += k->tlb_hits;
        s->tlb_misses += k->tlb_misses;
        s->walk_refs_vs += k->walk_refs_vs;
        s->walk_refs_g += k->walk_refs_g;
        s->walk_refs_s += k->walk_refs_s;
        s->exits += k->exits;
        s->page_faults += k->page_faults;
        s->hyp_refs += k->hyp_refs;
        for (unsigned c = 0; c < UMBRA_MMSTATS_CAUSES; c++)
            s->exits_by_cause[c] += k->exits_by_cause[c];
    }
    if (d->paging->mode == PAGING_SHADOW)
        mmstats_shadow(d, s);
    return 0;
}

/* The vCPU op->u.<x>.vcpu names, or NULL. */
static struct vcpu *domctl_vcpu(struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

long do_domctl(struct ctl_conn *c, struct xen_domctl *op, struct ctl_tail *t)
{
    struct domain *d = NULL;
    struct vcpu *v;

    ASSERT_XEN_LOCKED();
    if (op->interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;   /* as Xen on a version mismatch */
    switch (op->cmd) {
    case XEN_DOMCTL_createdomain: {
        long rc;

        if (op->domain >= DOMID_FIRST_RESERVED)
            return -EINVAL;
        rc = domain_create(op->domain, &op->u.createdomain, &d);
        if (!rc)
            op->domain = d->domain_id;
        return rc;
    }
    case XEN_DOMCTL_getdomaininfo:
        return domctl_getdomaininfo(op);
    case XEN_DOMCTL_umbra_unmap_foreign:
        /* also after the domain is gone: its pinned frames are orphans then */
        return domctl_unmap(c, op->domain, &op->u.foreign);
    default:
        break;
    }
    d = domain_by_id(op->domain);
    if (!d)
        return -ESRCH;
    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain:
        return d == dom0 ? -EINVAL : domain_destroy(d);
    case XEN_DOMCTL_pausedomain:
        return domain_pause_by_controller(d);
    case XEN_DOMCTL_unpausedomain:
        return domain_unpause_by_controller(d);
    case XEN_DOMCTL_max_mem:
        if (d == dom0 || op->u.max_mem.max_memkb / 4 > MAX_GUEST_PAGES)
            return -EINVAL;
        d->max_pages = op->u.max_mem.max_memkb / 4;
        return 0;
    case XEN_DOMCTL_max_vcpus:
        /* vCPUs are allocated at creation (createdomain.max_vcpus) */
        return op->u.max_vcpus.max == d->max_vcpus ? 0 : -EINVAL;
    case XEN_DOMCTL_scheduler_op:
        return d == dom0 ? -EINVAL : domctl_sched(d, &op->u.scheduler_op);
    case XEN_DOMCTL_umbra_console_read:
        return domctl_console(d, &op->u.console, t);
    default:
        break;
    }
    if (d == dom0)
        return -EINVAL;   /* the rest needs a guest's vCPUs or p2m */
    switch (op->cmd) {
    case XEN_DOMCTL_setvcpucontext:
        v = domctl_vcpu(d, op->u.vcpucontext.vcpu);
        return v ? vcpu_set_context(v, &op->u.vcpucontext.ctxt) : -ENOENT;
    case XEN_DOMCTL_getvcpucontext:
        v = domctl_vcpu(d, op->u.vcpucontext.vcpu);
        if (!v)
            return -ENOENT;
        if (v->is_running)
            return -EBUSY;
        vcpu_get_context(v, &op->u.vcpucontext.ctxt);
        return 0;
    case XEN_DOMCTL_getvcpuinfo:
        v = domctl_vcpu(d, op->u.getvcpuinfo.vcpu);
        if (!v)
            return -ENOENT;
        op->u.getvcpuinfo.online = v->is_up;
        op->u.getvcpuinfo.blocked = v->blocked;
        op->u.getvcpuinfo.running = v->is_running;
        op->u.getvcpuinfo.cpu_time = v->cpu_time;
        op->u.getvcpuinfo.cpu = (uint32_t)v->processor;
        return 0;
    case XEN_DOMCTL_getpageframeinfo3:
        return domctl_pageframeinfo(d, op, t);
    case XEN_DOMCTL_umbra_map_foreign:
        return domctl_map(c, d, &op->u.foreign, t);
    case XEN_DOMCTL_umbra_mmstats:
        return domctl_mmstats(d, &op->u.mmstats);
    default:
        return -ENOSYS;
    }
}
