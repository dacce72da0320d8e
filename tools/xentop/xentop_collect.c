/*
 * xentop_collect.c: one round of xentop's figures from libxenctrl (every
 * domain's xc_domain_getinfo, its xc_umbra_mmstats, the host's physinfo and
 * version), and the per-second figures derived from two rounds.
 *
 * Invariants: xt_collect either fills the whole snapshot or leaves it empty
 * and returns -1 with errno from the hypervisor (EPERM for an unprivileged
 * caller); xt_deltas matches domains by domid, so a domain that is new in
 * this round (or was recreated under another id) shows 0 rates, never a
 * negative or wrapped one.
 */
#include "xentop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "public/version.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void version_string(xc_interface *xch, char *buf, size_t len)
{
    char extra[64] = "";
    int ver = xc_version(xch, XENVER_version, NULL);

    if (ver < 0)
        ver = 0;
    if (xc_version(xch, XENVER_extraversion, extra) < 0)
        extra[0] = '\0';
    extra[16] = '\0';
    snprintf(buf, len, "Xen %d.%d%s", ver >> 16, ver & 0xffff, extra);
}

int xt_collect(xc_interface *xch, struct xt_snapshot *s, bool want_vcpus)
{
    unsigned cap = 64, total = 0;
    struct xt_dom *all = NULL;
    xc_dominfo_t *info = calloc(cap, sizeof(*info));

    memset(s, 0, sizeof(*s));
    if (!info)
        return -1;
    for (uint32_t next = 0;;) {
        int n = xc_domain_getinfo(xch, next, cap, info);
        struct xt_dom *grown;

        if (n < 0)
            goto fail;
        grown = realloc(all, (total + (unsigned)n + 1) * sizeof(*all));
        if (!grown)
            goto fail;
        all = grown;
        for (int i = 0; i < n; i++) {
            struct xt_dom *d = &all[total++];

            memset(d, 0, sizeof(*d));
            d->info = info[i];
            d->have_mm = xc_umbra_mmstats(xch, d->info.domid, &d->mm) == 0;
            if (want_vcpus) {
                unsigned nv = d->info.max_vcpu_id + 1;

                if (nv > sizeof(d->vcpu_sec) / sizeof(d->vcpu_sec[0]))
                    nv = sizeof(d->vcpu_sec) / sizeof(d->vcpu_sec[0]);
                for (unsigned v = 0; v < nv && v < d->info.nr_online_vcpus; v++) {
                    xc_vcpuinfo_t vi;

                    if (xc_vcpu_getinfo(xch, d->info.domid, v, &vi) < 0)
                        break;
                    d->vcpu_sec[v] = vi.cpu_time / 1000000000ULL;
                    d->nr_vcpus = v + 1;
                }
            }
        }
        if ((unsigned)n < cap)
            break;
        next = info[n - 1].domid + 1;
    }
    if (xc_physinfo(xch, &s->phys) < 0)
        goto fail;
    version_string(xch, s->version, sizeof(s->version));
    free(info);
    s->doms = all;
    s->n = total;
    s->when = now_s();
    return 0;

fail: {
        int e = errno;

        free(info);
        free(all);
        memset(s, 0, sizeof(*s));
        errno = e;
        return -1;
    }
}

static double rate(uint64_t prev, uint64_t now, double dt)
{
    return dt > 0 && now >= prev ? (double)(now - prev) / dt : 0.0;
}

void xt_deltas(const struct xt_snapshot *prev, struct xt_snapshot *cur)
{
    for (unsigned i = 0; i < cur->n; i++) {
        struct xt_dom *d = &cur->doms[i];
        const struct xt_dom *p = NULL;
        double dt;

        d->cpu_pct = d->tlb_miss_rate = d->walk_per_miss = d->exit_rate = d->sh_fault_rate = 0;
        for (unsigned j = 0; prev && j < prev->n; j++)
            if (prev->doms[j].info.domid == d->info.domid &&
                memcmp(prev->doms[j].info.handle, d->info.handle, sizeof(d->info.handle)) == 0) {
                p = &prev->doms[j];
                break;
            }
        if (!p)
            continue;
        dt = cur->when - prev->when;
        d->cpu_pct = xt_cpu_pct(p->info.cpu_time, d->info.cpu_time, dt);
        if (d->have_mm && p->have_mm) {
            uint64_t walks_now = d->mm.walk_refs_vs + d->mm.walk_refs_g + d->mm.walk_refs_s;
            uint64_t walks_prev = p->mm.walk_refs_vs + p->mm.walk_refs_g + p->mm.walk_refs_s;
            uint64_t misses = d->mm.tlb_misses >= p->mm.tlb_misses
                                  ? d->mm.tlb_misses - p->mm.tlb_misses : 0;

            d->tlb_miss_rate = rate(p->mm.tlb_misses, d->mm.tlb_misses, dt);
            d->walk_per_miss = misses && walks_now >= walks_prev
                                   ? (double)(walks_now - walks_prev) / (double)misses : 0.0;
            d->exit_rate = rate(p->mm.exits, d->mm.exits, dt);
            d->sh_fault_rate = rate(p->mm.shadow_faults, d->mm.shadow_faults, dt);
        }
    }
}

void xt_snapshot_free(struct xt_snapshot *s)
{
    free(s->doms);
    s->doms = NULL;
    s->n = 0;
}
