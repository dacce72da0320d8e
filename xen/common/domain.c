/*
 * domain.c: the life of a domain: create (paused), pause/unpause by the
 * controller, shutdown with a reason, crash, destroy.
 *
 * Invariants (xen_lock held throughout):
 *  - the domain list is sorted by id, dom0 first, and holds no dying domain
 *    once domain_destroy() returns;
 *  - destroy returns every frame the domain owns: RAM and the shared_info
 *    page found through the p2m, p2m tables through p2m_teardown; a frame
 *    still pinned by a dom0 foreign mapping becomes an orphan and is freed
 *    when that mapping drops its last reference (domain_put_foreign_ref), so
 *    free frames come back exactly;
 *  - a domain is freed only after sched_quiesce_domain() saw none of its
 *    vCPUs on a pCPU.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "public/sched.h"
#include "umbra/console.h"
#include "umbra/domain.h"
#include "umbra/event.h"
#include "umbra/mm.h"
#include "umbra/flush.h"
#include "umbra/sched.h"
#include "umbra/shadow.h"
#include "umbra/vcpu.h"

struct domain *dom0;
static struct domain *domains;          /* sorted by id */
/*
 * The same domains (dying ones too) indexed by id: lookups are O(1), and
 * list insert/remove find their neighbour by scanning down from the id, which
 * stops at dom0 and in practice after a few slots (ids are handed out in
 * order by the rover), instead of walking every domain.
 */
static struct domain *by_id[DOMID_FIRST_RESERVED];
static unsigned id_top;                 /* every used slot of by_id is below it */
static domid_t domid_rover = 1;
static mfn_t *orphans;
static size_t nr_orphans, cap_orphans;

static void domain_release_memory(struct domain *d, bool paging_up);

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog",
};

static const char *shutdown_name(unsigned reason)
{
    return reason < 5 ? shutdown_names[reason] : "unknown";
}

struct domain *domain_list(void)
{
    return domains;
}

/* O(1) through the index. */
struct domain *domain_by_id(domid_t id)
{
    struct domain *d = id < DOMID_FIRST_RESERVED ? by_id[id] : NULL;

    return d && !d->is_dying ? d : NULL;
}

struct domain *domain_any_by_id(domid_t id)
{
    return id < DOMID_FIRST_RESERVED ? by_id[id] : NULL;
}

/* The first listed domain (dying or not) with an id >= id. O(id gap). */
struct domain *domain_first_from(domid_t id)
{
    for (unsigned i = id; i < id_top; i++)
        if (by_id[i])
            return by_id[i];
    return NULL;
}

/* The link that points at the place for id in the sorted list. O(id gap below id). */
static struct domain **list_link_for(domid_t id)
{
    for (unsigned i = id; i-- > 0;)
        if (by_id[i])
            return &by_id[i]->next;
    return &domains;
}

static void domain_list_insert(struct domain *d)
{
    struct domain **p = list_link_for(d->domain_id);

    d->next = *p;
    *p = d;
    by_id[d->domain_id] = d;
    if (d->domain_id >= id_top)
        id_top = d->domain_id + 1U;
}

static void domain_list_remove(struct domain *d)
{
    struct domain **p = list_link_for(d->domain_id);

    if (*p == d)
        *p = d->next;
    if (by_id[d->domain_id] == d)
        by_id[d->domain_id] = NULL;
    while (id_top > 0 && !by_id[id_top - 1])
        id_top--;
}

/* The paging modes this build offers, by creation flag. */
static const struct paging_ops *paging_for(uint32_t flags)
{
    return (flags & XEN_DOMCTL_CDF_hap) ? &hap_ops : &shadow_ops;
}

static struct domain *domain_alloc(domid_t id, const char *name)
{
    struct domain *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->domain_id = id;
    snprintf(d->name, sizeof(d->name), "%s", name);
    d->weight = CSCHED_DEFAULT_WEIGHT;
    d->pending_shutdown_code = -1;
    d->shared_info_gfn = INVALID_GFN;
    d->shared_info_mfn = INVALID_MFN;
    return d;
}

/* Free what domain_alloc and the create steps allocated (no frames). */
static void domain_free(struct domain *d)
{
    for (unsigned i = 0; d->vcpus && i < d->max_vcpus; i++)
        vcpu_free(d->vcpus[i]);
    free(d->vcpus);
    evtchn_destroy(d);
    dom_console_free(d->console);
    free(d);
}

int domain_create_dom0(void)
{
    struct domain *d = domain_alloc(0, "Domain-0");
    int rc = -ENOMEM;

    if (!d)
        goto out;
    d->is_privileged = true;
    rc = evtchn_init(d);
    if (rc)
        goto out;
    d->console = dom_console_alloc();
    if (!d->console) {
        rc = -ENOMEM;
        goto out;
    }
    dom0 = d;
    domain_list_insert(d);
    xen_log("Domain 0 (Domain-0) created: privileged, the host's own user space");
    return 0;
out:
    if (d)
        domain_free(d);
    return rc;
}

static int choose_domid(domid_t *out)
{
    for (unsigned tries = 0; tries < DOMID_FIRST_RESERVED; tries++) {
        domid_t id = domid_rover;

        domid_rover = (domid_t)(domid_rover + 1U >= DOMID_FIRST_RESERVED ? 1U : domid_rover + 1U);
        if (!domain_any_by_id(id)) {   /* neither live nor dying */
            *out = id;
            return 0;
        }
    }
    return -ENOSPC;
}

static int check_config(domid_t domid, const struct xen_domctl_createdomain *cfg)
{
    const uint32_t known = XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |
                           XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_nosharepages;

    if (domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    if (cfg->flags & ~known)
        return -EINVAL;
    if (cfg->max_vcpus < 1 || cfg->max_vcpus > MAX_VIRT_CPUS)
        return -EINVAL;
    if (cfg->p2m_superpages > 1)
        return -EINVAL;
    if (cfg->max_mem_kb / 4 > MAX_GUEST_PAGES)
        return -EINVAL;
    return 0;
}

/* Allocate the shared_info page and map it at SHARED_INFO_GFN. */
static int shared_info_setup(struct domain *d)
{
    mfn_t mfn = alloc_frames(0, d->domain_id, PGT_xen);
    int rc;

    if (!mfn_valid_value(mfn))
        return -ENOMEM;
    rc = p2m_set_entry(&d->p2m, _gfn(SHARED_INFO_GFN), mfn, 0, p2m_ram_rw);
    if (rc) {
        free_frames(mfn, 0);
        return rc;
    }
    d->shared_info_gfn = _gfn(SHARED_INFO_GFN);
    d->shared_info_mfn = mfn;
    d->shared_info = mfn_to_virt(mfn);
    d->xen_pages = 1;
    vcpu_time_info_init(d);
    return 0;
}

int domain_create(domid_t domid, const struct xen_domctl_createdomain *cfg, struct domain **out)
{
    struct domain *d = NULL;
    char name[64];
    bool paging_up = false;
    int rc;

    ASSERT_XEN_LOCKED();
    rc = check_config(domid, cfg);
    if (rc)
        goto out;
    if (domid == 0) {
        rc = choose_domid(&domid);
        if (rc)
            goto out;
    } else if (domain_by_id(domid)) {
        rc = -EEXIST;
        goto out;
    }
    memcpy(name, cfg->name, sizeof(name));
    name[sizeof(name) - 1] = '\0';
    rc = -ENOMEM;
    d = domain_alloc(domid, name);
    if (!d)
        goto out;
    memcpy(d->handle, cfg->handle, sizeof(d->handle));
    d->create_flags = cfg->flags;
    d->max_pages = cfg->max_mem_kb / 4;
    d->ctrl_pause = 1;   /* as Xen: created paused, the toolstack unpauses */
    d->paging = paging_for(cfg->flags);
    if (!d->paging) {
        xen_log("Domain %u (%s): shadow paging is not available; create with hap",
                domid, d->name);
        rc = -EOPNOTSUPP;
        goto out;
    }
    rc = p2m_init(&d->p2m, d, PT_SV39X4, cfg->p2m_superpages != 0);
    if (rc)
        goto out;
    d->p2m.flush = domain_tlb_shootdown;   /* before domain_init: ours, not the mode's */
    d->tlb_flush_sync = domain_tlb_flush_sync;
    rc = d->paging->domain_init(d);
    if (rc)
        goto out_p2m;
    paging_up = true;
    rc = shared_info_setup(d);
    if (rc)
        goto out_paging;
    rc = evtchn_init(d);
    if (rc)
        goto out_paging;
    rc = -ENOMEM;
    d->console = dom_console_alloc();
    d->vcpus = calloc(cfg->max_vcpus, sizeof(*d->vcpus));
    if (!d->console || !d->vcpus)
        goto out_paging;
    for (unsigned i = 0; i < cfg->max_vcpus; i++) {
        rc = vcpu_create(d, i, &d->vcpus[i]);
        d->max_vcpus = i + (d->vcpus[i] != NULL);
        if (rc)
            goto out_paging;
    }
    domain_list_insert(d);
    xen_log("Domain %u (%s) created: %s paging, %u vCPU%s, max %llu KiB", domid, d->name,
            d->paging->name, d->max_vcpus, d->max_vcpus == 1 ? "" : "s",
            (unsigned long long)d->max_pages * 4);
    *out = d;
    return 0;

out_paging:
    domain_release_memory(d, paging_up);
out_p2m:
    if (!paging_up)
        p2m_teardown(&d->p2m);
out:
    if (d)
        domain_free(d);
    return rc;
}

static bool is_orphan(mfn_t mfn, size_t *idx)
{
    for (size_t i = 0; i < nr_orphans; i++)
        if (mfn_eq(orphans[i], mfn)) {
            *idx = i;
            return true;
        }
    return false;
}

void domain_orphan_frame(mfn_t mfn)
{
    if (nr_orphans == cap_orphans) {
        size_t n = cap_orphans ? cap_orphans * 2 : 16;
        mfn_t *o = realloc(orphans, n * sizeof(*o));

        BUG_ON(!o);   /* cannot leak a pinned frame silently */
        orphans = o;
        cap_orphans = n;
    }
    orphans[nr_orphans++] = mfn;
}

void domain_put_foreign_ref(mfn_t mfn)
{
    size_t i;

    ASSERT_XEN_LOCKED();
    if (put_page(mfn) == 0 && is_orphan(mfn, &i)) {
        orphans[i] = orphans[--nr_orphans];
        free_frames(mfn, 0);
    }
}

uint64_t domain_orphan_frames(void)
{
    return nr_orphans;
}

struct release_ctx {
    struct domain *d;
    uint64_t freed, orphaned;
};

/* p2m_for_each callback: free what a present entry maps (frame by frame). */
static int release_entry(gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t, void *arg)
{
    struct release_ctx *c = arg;

    (void)gfn;
    if (!mfn_valid_value(mfn) || (t != p2m_ram_rw && t != p2m_ram_ro))
        return 0;
    for (uint64_t i = 0; i < (1ULL << order); i++) {
        mfn_t m = _mfn(mfn_x(mfn) + i);
        struct page_info *pg = mfn_to_page(m);

        if (pg->owner != c->d->domain_id)
            continue;   /* not ours (shared frames belong to DOMID_COW) */
        if (pg->count) {
            domain_orphan_frame(m);
            c->orphaned++;
        } else {
            free_frames(m, 0);
            c->freed++;
        }
    }
    return 0;
}

/* Free d's RAM and shared_info (via its p2m), its paging state and p2m tables. */
static void domain_release_memory(struct domain *d, bool paging_up)
{
    struct release_ctx c = { d, 0, 0 };

    if (d->p2m.fmt)
        p2m_for_each(&d->p2m, release_entry, &c);
    if (paging_up)
        d->paging->domain_teardown(d);
    p2m_teardown(&d->p2m);
    d->tot_pages = 0;
    d->shared_info = NULL;
    if (c.orphaned)
        xen_log("Domain %u (%s): %llu frame(s) still mapped by dom0, freed on unmap",
                d->domain_id, d->name, (unsigned long long)c.orphaned);
}

int domain_destroy(struct domain *d)
{
    struct mm_stats before, after;

    ASSERT_XEN_LOCKED();
    if (d == dom0)
        return -EINVAL;
    if (d->is_dying)
        return 0;
    d->is_dying = true;
    for (unsigned i = 0; i < d->max_vcpus; i++)
        sched_vcpu_remove(d->vcpus[i]);
    sched_quiesce_domain(d);
    evtchn_close_all(d);
    mm_get_stats(&before);
    domain_release_memory(d, true);
    mm_get_stats(&after);
    domain_list_remove(d);
    xen_log("Domain %u (%s) destroyed: %llu frames returned", d->domain_id, d->name,
            (unsigned long long)(after.free_frames - before.free_frames));
    domain_free(d);
    evtchn_send_dom0_virq(VIRQ_DOM_EXC);   /* xenstored's cue for @releaseDomain */
    return 0;
}

void domain_destroy_all(void)
{
    ASSERT_XEN_LOCKED();
    while (domains && domains->next)
        domain_destroy(domains->next);
    if (dom0) {
        evtchn_close_all(dom0);
        domain_list_remove(dom0);
        domain_free(dom0);
        dom0 = NULL;
    }
}

bool vcpu_runnable_state(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->initialised && v->is_up && !d->is_dying && !d->is_shutdown && d->ctrl_pause == 0;
}

static void domain_update_vcpus(struct domain *d)
{
    for (unsigned i = 0; i < d->max_vcpus; i++)
        sched_vcpu_update(d->vcpus[i]);
}

int domain_pause_by_controller(struct domain *d)
{
    ASSERT_XEN_LOCKED();
    if (d == dom0)
        return -EINVAL;
    if (d->ctrl_pause >= 255)
        return -EOVERFLOW;
    d->ctrl_pause++;
    domain_update_vcpus(d);
    sched_quiesce_domain(d);   /* Xen's pause is synchronous */
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    ASSERT_XEN_LOCKED();
    if (d == dom0 || d->ctrl_pause == 0)
        return -EINVAL;
    d->ctrl_pause--;
    domain_update_vcpus(d);
    return 0;
}

void domain_shutdown(struct domain *d, unsigned reason)
{
    ASSERT_XEN_LOCKED();
    if (d == dom0 || d->is_shutdown || d->is_dying)
        return;
    if (d->pending_shutdown_code >= 0)
        reason = (unsigned)d->pending_shutdown_code;
    d->is_shutdown = true;
    d->shutdown_code = reason;
    domain_update_vcpus(d);
    xen_log("Domain %u (%s) shut down: reason %s", d->domain_id, d->name, shutdown_name(reason));
    evtchn_send_dom0_virq(VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    ASSERT_XEN_LOCKED();
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (d == dom0 || d->is_dying) {
        xen_log("domain_crash ignored for Domain %u: %s", d->domain_id, why);
        return;
    }
    xen_log("domain_crash called for Domain %u (%s): %s", d->domain_id, d->name, why);
    d->pending_shutdown_code = -1;
    domain_shutdown(d, SHUTDOWN_crash);
}
