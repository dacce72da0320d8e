/*
 * domain.c: what xenstored knows about each domain.
 *
 * A domain record exists while the domain is introduced or owns nodes. It
 * holds the ring frame and event channel given by XS_INTRODUCE, the
 * SET_TARGET relation, the node count used by the quota, and the ring
 * connection (only when a guest channel is configured; see guest_channel.h).
 * Releasing a domain closes its connection (dropping its watches and
 * transactions), removes /local/domain/<id> and hands any other nodes it
 * owned to dom0 (unless keep_released_nodes), and fires @releaseDomain and
 * @releaseDomain/<id>.
 * With a hypervisor, a domain exception fires @releaseDomain for a domain
 * that shut down and releases one that died unreleased (Xen's
 * domain_cleanup).
 */
#include "xenstored.h"
#include "conn_ring.h"
#include "guest_channel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DOMID_FIRST_RESERVED 0x7FF0u

static struct xs_domain **bucket(struct xs_daemon *d, uint32_t domid)
{
    return &d->domain_hash[domid & (DOMAIN_HASH_SIZE - 1)];
}

/* O(1) expected: domids are spread over the buckets by their low bits. */
struct xs_domain *domain_find(struct xs_daemon *d, uint32_t domid)
{
    for (struct xs_domain *dom = *bucket(d, domid); dom; dom = dom->hnext)
        if (dom->domid == domid)
            return dom;
    return NULL;
}

struct xs_domain *domain_get(struct xs_daemon *d, uint32_t domid)
{
    struct xs_domain *dom = domain_find(d, domid);
    struct xs_domain **b;

    if (dom)
        return dom;
    dom = calloc(1, sizeof(*dom));
    if (!dom)
        return NULL;
    dom->domid = domid;
    dom->next = d->domains;
    d->domains = dom;
    b = bucket(d, domid);
    dom->hnext = *b;
    *b = dom;
    return dom;
}

/*
 * Free dom's record. No connection may keep pointing at it: O(connections +
 * domains), paid once per released domain, never per request.
 */
static void domain_forget(struct xs_daemon *d, struct xs_domain *dom)
{
    for (struct xs_conn *c = d->conns; c; c = c->next)
        if (c->domain == dom)
            c->domain = NULL;
    for (struct xs_domain **pp = bucket(d, dom->domid); *pp; pp = &(*pp)->hnext) {
        if (*pp == dom) {
            *pp = dom->hnext;
            break;
        }
    }
    for (struct xs_domain **pp = &d->domains; *pp; pp = &(*pp)->next) {
        if (*pp == dom) {
            *pp = dom->next;
            free(dom);
            return;
        }
    }
}

void domain_nodes_adjust(struct xs_daemon *d, uint32_t domid, int delta)
{
    struct xs_domain *dom = domain_get(d, domid);

    if (dom)
        dom->nodes += delta;
}

int domain_introduce(struct xs_daemon *d, uint32_t domid, uint64_t gfn, uint32_t evtchn)
{
    struct xs_domain *dom;

    if (domid == 0 || domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    dom = domain_get(d, domid);
    if (!dom)
        return -ENOMEM;
    if (dom->introduced) {
        /* Re-introduction (e.g. after resume) of the same ring is accepted. */
        return dom->gfn == gfn ? 0 : -EINVAL;
    }
    dom->gfn = gfn;
    dom->evtchn = evtchn;
    dom->shutdown = false;
    if (d->channel) {
        int ret = ring_conn_create(d, dom);

        if (ret < 0)
            return ret;
    } else {
        trace_text(d, "introduce domain %u: no guest channel, ring not served", domid);
    }
    dom->introduced = true;
    watch_fire_special(d, XS_SPECIAL_INTRODUCE);
    return 0;
}

/*
 * Give dom0 every main-tree node owned by domid. O(1) when the domain owns
 * nothing any more (the usual case once /local/domain/<id> is gone: its
 * `nodes` count is exact), else one walk of the tree.
 */
static void chown_to_dom0(struct xs_daemon *d, uint32_t domid)
{
    struct xs_domain *dom = domain_find(d, domid);
    int moved = 0;

    if (!dom || dom->nodes == 0)
        return;

    for (size_t i = 0; i < d->tree.nbuckets; i++)
        for (struct node *n = d->tree.buckets[i]; n; n = n->hnext)
            if (n->perms.p[0].id == domid) {
                n->perms.p[0].id = 0;
                n->generation = ++d->generation;
                moved++;
            }
    domain_nodes_adjust(d, domid, -moved);
    domain_nodes_adjust(d, 0, moved);
}

/* The state of every introduced domain into states[] (list order), in one round trip if offered. */
static bool states_batch(struct xs_daemon *d, const uint32_t *ids, unsigned n, int *states)
{
    const struct xs_guest_channel *ch = d->channel;

    return ch->domain_states && ch->domain_states(ch->opaque, ids, n, states) == 0;
}

/*
 * One exception: the channel's batched query when it has one (one round trip
 * to the hypervisor for all introduced domains), else one query per domain.
 * O(domains) in memory either way.
 */
void domain_check_exceptions(struct xs_daemon *d)
{
    const struct xs_guest_channel *ch = d->channel;
    bool notify = false;
    struct xs_domain *dom;
    uint32_t *ids = NULL;
    int *states = NULL;
    unsigned n = 0, i;

    if (!ch || !ch->domain_state)
        return;
    for (dom = d->domains; dom; dom = dom->next)
        n += dom->introduced;
    if (n == 0)
        return;
    ids = malloc(n * sizeof(*ids));
    states = malloc(n * sizeof(*states));
    i = 0;
    if (ids && states) {
        for (dom = d->domains; dom; dom = dom->next)
            if (dom->introduced)
                ids[i++] = dom->domid;
    }
    if (!ids || !states || !states_batch(d, ids, n, states)) {
        /* Fall back on one query per domain (ids may be NULL: read them from the list). */
        free(ids);
        free(states);
        ids = NULL;
        states = NULL;
    }
    /* Releasing frees records, so walk our own copy of the ids. */
    if (ids) {
        for (i = 0; i < n; i++) {
            dom = domain_find(d, ids[i]);
            if (!dom || !dom->introduced)
                continue;
            if (states[i] == XS_DOMAIN_GONE) {
                trace_text(d, "domain %u is gone: released", dom->domid);
                domain_release(d, dom->domid);
            } else if (states[i] == XS_DOMAIN_SHUTDOWN && !dom->shutdown) {
                dom->shutdown = true;
                notify = true;
            }
        }
    } else {
        struct xs_domain *next;

        for (dom = d->domains; dom; dom = next) {
            int state;

            next = dom->next;   /* releasing may free dom */
            if (!dom->introduced)
                continue;
            state = ch->domain_state(ch->opaque, dom->domid);
            if (state == XS_DOMAIN_GONE) {
                trace_text(d, "domain %u is gone: released", dom->domid);
                domain_release(d, dom->domid);
            } else if (state == XS_DOMAIN_SHUTDOWN && !dom->shutdown) {
                dom->shutdown = true;
                notify = true;
            }
        }
    }
    free(ids);
    free(states);
    if (notify)
        watch_fire_special(d, XS_SPECIAL_RELEASE);
}

int domain_release(struct xs_daemon *d, uint32_t domid)
{
    struct xs_domain *dom = domain_find(d, domid);
    char path[64];

    if (domid == 0)
        return -EINVAL;
    if (!dom || !dom->introduced)
        return -ENOENT;
    if (dom->conn)
        conn_destroy(d, dom->conn);
    dom->introduced = false;
    dom->has_target = false;
    for (struct xs_domain *o = d->domains; o; o = o->next)
        if (o->has_target && o->target == domid)
            o->has_target = false;
    if (!d->keep_released_nodes) {
        struct xs_ctx ctx;

        snprintf(path, sizeof(path), "/local/domain/%u", domid);
        ctx_init(&ctx, d, NULL, NULL);
        access_remove(&ctx, path);
        watch_fire_changes(d, ctx.changes);
        ctx_free_changes(ctx.changes);
        chown_to_dom0(d, domid);
    }
    watch_fire_special(d, XS_SPECIAL_RELEASE);
    snprintf(path, sizeof(path), XS_SPECIAL_RELEASE "/%u", domid);
    watch_fire_special(d, path);
    if (dom->nodes == 0)
        domain_forget(d, dom);
    return 0;
}

void domain_free_all(struct xs_daemon *d)
{
    while (d->domains) {
        struct xs_domain *dom = d->domains;

        d->domains = dom->next;
        free(dom);
    }
    memset(d->domain_hash, 0, sizeof(d->domain_hash));
}
