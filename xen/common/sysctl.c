/*
 * sysctl.c: XEN_SYSCTL_* for dom0 (over privcmd): readconsole (xl dmesg),
 * physinfo (xl info), sched_id and getdomaininfolist (xl list).
 * Invariant: answers are built from the allocator's and scheduler's live
 * state under xen_lock; nothing is cached.
 */
#include <errno.h>
#include <string.h>

#include "umbra/console.h"
#include "umbra/control.h"
#include "umbra/domain.h"
#include "umbra/mm.h"
#include "umbra/sched.h"

static long sysctl_physinfo(struct xen_sysctl_physinfo *p)
{
    struct mm_stats st;

    mm_get_stats(&st);
    memset(p, 0, sizeof(*p));
    p->threads_per_core = 1;
    p->cores_per_socket = sched_nr_pcpus();
    p->nr_cpus = sched_nr_pcpus();
    p->max_cpu_id = sched_nr_pcpus() - 1;
    p->nr_nodes = 1;
    p->max_node_id = 0;
    p->cpu_khz = (uint32_t)(XEN_CYCLE_FREQ_HZ / 1000);
    p->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_shadow;
    p->total_pages = st.total_frames;
    p->free_pages = st.free_frames;
    p->max_mfn = (MACHINE_BASE >> PAGE_SHIFT) + st.total_frames - 1;
    return 0;
}

static long sysctl_domlist(struct xen_sysctl_getdomaininfolist *l, struct ctl_tail *t)
{
    struct xen_domctl_getdomaininfo *out = t->out;
    size_t max = t->out_cap / sizeof(*out);
    uint32_t n = 0;

    if (l->max_domains < max)
        max = l->max_domains;
    /* Starts at the first domain wanted: O(gap + answered), not O(all domains). */
    struct domain *d = l->first_domain < DOMID_FIRST_RESERVED
                           ? domain_first_from((domid_t)l->first_domain) : NULL;

    for (; d && n < max; d = d->next)
        getdomaininfo(d, &out[n++]);
    l->num_domains = n;
    t->out_len = n * sizeof(*out);
    return 0;
}

static long sysctl_readconsole(struct xen_sysctl_readconsole *r, struct ctl_tail *t)
{
    size_t len = r->count < t->out_cap ? r->count : t->out_cap;

    r->count = (uint32_t)xen_conring_read(t->out, len, r->incremental, &r->index, r->clear);
    t->out_len = r->count;
    return 0;
}

long do_sysctl(struct ctl_conn *c, struct xen_sysctl *op, struct ctl_tail *t)
{
    (void)c;
    ASSERT_XEN_LOCKED();
    if (op->interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    switch (op->cmd) {
    case XEN_SYSCTL_readconsole:
        return sysctl_readconsole(&op->u.readconsole, t);
    case XEN_SYSCTL_physinfo:
        return sysctl_physinfo(&op->u.physinfo);
    case XEN_SYSCTL_sched_id:
        op->u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;
        return 0;
    case XEN_SYSCTL_getdomaininfolist:
        return sysctl_domlist(&op->u.getdomaininfolist, t);
    default:
        return -ENOSYS;
    }
}
