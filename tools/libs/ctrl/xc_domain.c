/*
 * xc_domain.c: libxenctrl's domain calls: create, destroy, pause, unpause,
 * shutdown, max_mem, max_vcpus, getinfo, vCPU context and info, credit
 * scheduler parameters, and the reservation calls on a domU's memory.
 * Each maps to one domctl/sysctl/memory_op over privcmd (xc_core.c);
 * the *_exact calls fail with ENOMEM unless every extent was done.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "public/memory.h"
#include "public/sched.h"
#include "xc_private.h"

static int simple_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid)
{
    struct xen_domctl op;

    xc_domctl_init(&op, cmd, domid);
    return xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0 ? -1 : 0;
}

int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_createdomain, *pdomid);
    op.u.createdomain = *config;
    if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
        return -1;
    *pdomid = op.domain;
    return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
    return simple_domctl(xch, XEN_DOMCTL_destroydomain, domid);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    return simple_domctl(xch, XEN_DOMCTL_pausedomain, domid);
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    return simple_domctl(xch, XEN_DOMCTL_unpausedomain, domid);
}

int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
    struct sched_remote_shutdown r = { (domid_t)domid, 0, (uint32_t)reason };

    if (domid >= DOMID_FIRST_RESERVED || reason < 0) {
        errno = EINVAL;
        return -1;
    }
    return xc_call(xch->fd, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, &r, sizeof(r),
                   sizeof(r), NULL, 0, NULL, NULL) < 0 ? -1 : 0;
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_max_mem, domid);
    op.u.max_mem.max_memkb = max_memkb;
    return xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0 ? -1 : 0;
}

int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_max_vcpus, domid);
    op.u.max_vcpus.max = max;
    return xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0 ? -1 : 0;
}

static void dominfo_from(xc_dominfo_t *x, const struct xen_domctl_getdomaininfo *i)
{
    memset(x, 0, sizeof(*x));
    x->domid = i->domain;
    x->ssidref = i->ssidref;
    x->dying = !!(i->flags & XEN_DOMINF_dying);
    x->shutdown = !!(i->flags & XEN_DOMINF_shutdown);
    x->paused = !!(i->flags & XEN_DOMINF_paused);
    x->blocked = !!(i->flags & XEN_DOMINF_blocked);
    x->running = !!(i->flags & XEN_DOMINF_running);
    x->hvm = !!(i->flags & XEN_DOMINF_hvm_guest);
    x->debugged = !!(i->flags & XEN_DOMINF_debugged);
    x->xenstore = !!(i->flags & XEN_DOMINF_xs_domain);
    x->hap = !!(i->flags & XEN_DOMINF_hap);
    x->shutdown_reason = (i->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    x->crashed = x->shutdown && x->shutdown_reason == SHUTDOWN_crash;
    x->nr_pages = i->tot_pages;
    x->nr_outstanding_pages = i->outstanding_pages;
    x->nr_shared_pages = i->shr_pages;
    x->nr_paged_pages = i->paged_pages;
    x->shared_info_frame = i->shared_info_frame;
    x->cpu_time = i->cpu_time;
    x->max_memkb = i->max_pages * 4;
    x->nr_online_vcpus = i->nr_online_vcpus;
    x->max_vcpu_id = i->max_vcpu_id;
    memcpy(x->handle, i->handle, sizeof(x->handle));
    x->cpupool = i->cpupool;
    memcpy(x->name, i->name, sizeof(x->name));
    x->name[sizeof(x->name) - 1] = '\0';
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
                      xc_dominfo_t *info)
{
    struct xen_sysctl op;
    struct xen_domctl_getdomaininfo *buf;
    size_t cap, got = 0;
    unsigned n;

    if (first_domid >= DOMID_FIRST_RESERVED || max_doms == 0)
        return 0;
    cap = (PRIVCMD_MAX_MSG - sizeof(struct privcmd_rsp) - sizeof(op)) / sizeof(*buf);
    if (max_doms < cap)
        cap = max_doms;
    buf = calloc(cap, sizeof(*buf));
    if (!buf)
        return -1;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_getdomaininfolist;
    op.u.getdomaininfolist.first_domain = (domid_t)first_domid;
    op.u.getdomaininfolist.max_domains = (uint32_t)cap;
    if (xc_sysctl(xch, &op, buf, cap * sizeof(*buf), &got) < 0) {
        free(buf);
        return -1;
    }
    n = op.u.getdomaininfolist.num_domains;
    if (n > got / sizeof(*buf))
        n = (unsigned)(got / sizeof(*buf));
    for (unsigned i = 0; i < n; i++)
        dominfo_from(&info[i], &buf[i]);
    free(buf);
    return (int)n;
}

int xc_domain_get_tot_pages(xc_interface *xch, uint32_t domid)
{
    xc_dominfo_t info;

    if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid) {
        errno = ESRCH;
        return -1;
    }
    return (int)info.nr_pages;
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_setvcpucontext, domid);
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = *ctxt;
    return xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0 ? -1 : 0;
}

int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_getvcpucontext, domid);
    op.u.vcpucontext.vcpu = vcpu;
    if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
        return -1;
    *ctxt = op.u.vcpucontext.ctxt;
    return 0;
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_getvcpuinfo, domid);
    op.u.getvcpuinfo.vcpu = vcpu;
    if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
        return -1;
    info->online = op.u.getvcpuinfo.online;
    info->blocked = op.u.getvcpuinfo.blocked;
    info->running = op.u.getvcpuinfo.running;
    info->cpu_time = op.u.getvcpuinfo.cpu_time;
    info->cpu = op.u.getvcpuinfo.cpu;
    return 0;
}

static int sched_credit(xc_interface *xch, uint32_t domid, uint32_t cmd,
                        struct xen_domctl_sched_credit *sdom)
{
    struct xen_domctl op;

    xc_domctl_init(&op, XEN_DOMCTL_scheduler_op, domid);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit = *sdom;
    if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
        return -1;
    *sdom = op.u.scheduler_op.u.credit;
    return 0;
}

int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom)
{
    return sched_credit(xch, domid, XEN_DOMCTL_SCHEDOP_putinfo, sdom);
}

int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom)
{
    return sched_credit(xch, domid, XEN_DOMCTL_SCHEDOP_getinfo, sdom);
}

/* One reservation op over all extents, in chunks that fit a message. */
static int reservation_exact(xc_interface *xch, unsigned cmd, uint32_t domid, unsigned long nr,
                             unsigned order, unsigned flags, xen_pfn_t *extents)
{
    const unsigned long chunk = 4096;
    struct xen_memory_reservation *r;
    size_t len;

    if (domid >= DOMID_FIRST_RESERVED) {
        errno = EINVAL;
        return -1;
    }
    r = malloc(sizeof(*r) + chunk * sizeof(xen_pfn_t));
    if (!r)
        return -1;
    for (unsigned long done = 0; done < nr;) {
        unsigned long n = nr - done < chunk ? nr - done : chunk;
        long rc;

        memset(r, 0, sizeof(*r));
        r->nr_extents = n;
        r->extent_order = order;
        r->mem_flags = flags;
        r->domid = (domid_t)domid;
        memcpy(r + 1, extents + done, n * sizeof(xen_pfn_t));
        len = sizeof(*r) + n * sizeof(xen_pfn_t);
        rc = xc_call(xch->fd, __HYPERVISOR_memory_op, cmd, r, len, len, NULL, 0, NULL, NULL);
        if (rc < 0 || (unsigned long)rc != n) {
            if (rc >= 0)
                errno = ENOMEM;
            free(r);
            return -1;
        }
        done += n;
    }
    free(r);
    return 0;
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                     unsigned int extent_order, unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    return reservation_exact(xch, XENMEM_populate_physmap, domid, nr_extents, extent_order,
                             mem_flags, extent_start);
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents, unsigned int extent_order,
                                         xen_pfn_t *extent_start)
{
    return reservation_exact(xch, XENMEM_decrease_reservation, domid, nr_extents, extent_order,
                             0, extent_start);
}

int xc_get_pfn_type_batch(xc_interface *xch, uint32_t domid, unsigned int num,
                          xc_pageinfo_t *arr)
{
    const unsigned chunk = 1024;

    for (unsigned done = 0; done < num;) {
        unsigned n = num - done < chunk ? num - done : chunk;
        struct xen_domctl op;
        size_t got;

        xc_domctl_init(&op, XEN_DOMCTL_getpageframeinfo3, domid);
        op.u.getpageframeinfo3.num = n;
        /* xc_pageinfo_t and xen_domctl_pageinfo share one layout */
        if (xc_domctl(xch, &op, arr + done, n * sizeof(*arr), arr + done, n * sizeof(*arr),
                      &got, NULL) < 0)
            return -1;
        done += n;
    }
    return 0;
}
