/*
 * watch.c: watches and their events.
 *
 * A watch is (path, token) on one connection. It fires with "path\0token\0"
 * when its node or anything below it changes (a removed subtree fires each
 * removed node's own watches exactly), once at registration, and for the
 * special names "@introduceDomain", "@releaseDomain" and
 * "@releaseDomain/<domid>". A watcher gets an event only if it may read the
 * node (the perms it had when the change happened). Relative watches get
 * relative event paths. Events go through conn_queue(), which bounds each
 * connection's queue, so a slow watcher only loses its own events.
 * Index: every watch is also in d->watch_hash, keyed by its path. A change
 * to P can only match watches on P itself or on one of P's ancestors, so
 * firing looks up those (O(depth of P) lookups) instead of scanning every
 * connection's watches; matches are then sorted by (connection id,
 * registration order), the order the old full scan produced.
 * Cost: O(depth + matches log matches) per change, whatever the number of
 * watches or connections.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)(h & (WATCH_HASH_SIZE - 1));
}

static int index_add(struct xs_daemon *d, struct xs_watch *w)
{
    struct xs_watch **b;

    if (!d->watch_hash) {
        d->watch_hash = calloc(WATCH_HASH_SIZE, sizeof(*d->watch_hash));
        if (!d->watch_hash)
            return -ENOMEM;
    }
    b = &d->watch_hash[hash_bytes(w->path, strlen(w->path))];
    w->hnext = *b;
    if (*b)
        (*b)->hpprev = &w->hnext;
    w->hpprev = b;
    *b = w;
    return 0;
}

/* Unlink w from the index: O(1). */
static void watch_free(struct xs_watch *w)
{
    if (w->hpprev) {
        *w->hpprev = w->hnext;
        if (w->hnext)
            w->hnext->hpprev = w->hpprev;
    }
    free(w->path);
    free(w->token);
    free(w);
}

static void queue_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    char *buf;

    if (plen + tlen > XENSTORE_PAYLOAD_MAX) {
        c->events_dropped++;
        return;
    }
    buf = malloc(plen + tlen);
    if (!buf) {
        c->events_dropped++;
        return;
    }
    memcpy(buf, path, plen);
    memcpy(buf + plen, token, tlen);
    conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, (uint32_t)(plen + tlen), false);
    free(buf);
}

static struct xs_watch **find(struct xs_conn *conn, const char *path, const char *token)
{
    struct xs_watch **pp;

    for (pp = &conn->watches; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->path, path) == 0 && strcmp((*pp)->token, token) == 0)
            break;
    return pp;
}

int watch_add(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token)
{
    struct xs_watch *w, **tail;
    int err;
    char *path = path_canonical(conn, given, true, &err);

    if (!path)
        return -err;
    tail = find(conn, path, token);
    if (*tail) {
        free(path);
        return -EEXIST;
    }
    if (quota_applies(conn) && conn->nwatches >= d->quota[QUOTA_WATCHES]) {
        free(path);
        return -E2BIG;
    }
    w = calloc(1, sizeof(*w));
    if (!w || !(w->token = strdup(token))) {
        free(w);
        free(path);
        return -ENOMEM;
    }
    w->path = path;
    w->conn = conn;
    w->seq = ++d->watch_seq;
    if (given[0] != '/' && given[0] != '@')
        w->relative = strlen(path) - strlen(given);
    if (index_add(d, w) < 0) {
        watch_free(w);
        return -ENOMEM;
    }
    *tail = w;
    conn->nwatches++;
    return 0;
}

int watch_remove(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token)
{
    struct xs_watch **pp, *w;
    int err;
    char *path = path_canonical(conn, given, true, &err);

    (void)d;
    if (!path)
        return -err;
    pp = find(conn, path, token);
    free(path);
    if (!*pp)
        return -ENOENT;
    w = *pp;
    *pp = w->next;
    watch_free(w);
    conn->nwatches--;
    return 0;
}

void watch_free_all(struct xs_conn *conn)
{
    while (conn->watches) {
        struct xs_watch *w = conn->watches;

        conn->watches = w->next;
        watch_free(w);
    }
    conn->nwatches = 0;
}

struct matches {
    struct xs_watch **v;   /* starts as a caller's stack array */
    size_t n, cap;
    bool heap;             /* v was allocated here */
};

/* Append the watches on exactly path[0..len) whose connection may read the change. */
static void collect(struct xs_daemon *d, const struct xs_change *ch, const char *path,
                    size_t len, struct matches *m)
{
    for (struct xs_watch *w = d->watch_hash[hash_bytes(path, len)]; w; w = w->hnext) {
        if (strncmp(w->path, path, len) != 0 || w->path[len] != '\0')
            continue;
        if (w->conn->broken || !(perm_for_conn(w->conn, &ch->perms) & PERM_READ))
            continue;
        if (m->n == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 16;
            struct xs_watch **v = m->heap ? realloc(m->v, cap * sizeof(*v))
                                          : malloc(cap * sizeof(*v));

            if (!v)
                return;   /* out of memory: these events are lost, as a full queue's */
            if (!m->heap)
                memcpy(v, m->v, m->n * sizeof(*v));
            m->v = v;
            m->heap = true;
            m->cap = cap;
        }
        m->v[m->n++] = w;
    }
}

static int cmp_watch(const void *a, const void *b)
{
    const struct xs_watch *x = *(struct xs_watch *const *)a, *y = *(struct xs_watch *const *)b;

    if (x->conn->id != y->conn->id)
        return x->conn->id < y->conn->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void fire_one(struct xs_daemon *d, const struct xs_change *ch)
{
    struct xs_watch *local[16];
    struct matches m = { local, 0, 16, false };
    const char *p = ch->path;
    size_t len = strlen(p);

    if (!d->watch_hash)
        return;
    if (!ch->exact) {
        /* Ancestors: "/" for an absolute path, then each prefix ending before a '/'. */
        if (p[0] == '/' && len > 1)
            collect(d, ch, "/", 1, &m);
        for (size_t i = 1; i < len; i++)
            if (p[i] == '/')
                collect(d, ch, p, i, &m);
    }
    collect(d, ch, p, len, &m);
    if (m.n > 1)
        qsort(m.v, m.n, sizeof(*m.v), cmp_watch);
    for (size_t i = 0; i < m.n; i++)
        queue_event(m.v[i]->conn, p + m.v[i]->relative, m.v[i]->token);
    if (m.heap)
        free(m.v);
}

void watch_fire_changes(struct xs_daemon *d, const struct xs_change *c)
{
    for (; c; c = c->next)
        fire_one(d, c);
}

void watch_fire_special(struct xs_daemon *d, const char *name)
{
    struct xs_change ch = { 0 };

    ch.path = (char *)name;
    ch.exact = true;
    ch.perms = strncmp(name, XS_SPECIAL_INTRODUCE, strlen(XS_SPECIAL_INTRODUCE)) == 0
                   ? d->special_introduce
                   : d->special_release;
    fire_one(d, &ch);
}
