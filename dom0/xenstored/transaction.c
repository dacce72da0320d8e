/*
 * transaction.c: transactions as overlays with optimistic conflict checks.
 *
 * A transaction keeps copies of the nodes it writes (tombstones for the
 * nodes it deletes) in its own table, and remembers, for every path it read
 * or wrote, the generation that path had in the main tree when first seen
 * (0: absent). Commit succeeds only if every remembered path still has that
 * generation; then the overlay is applied to the main tree and the recorded
 * watch events fire. Otherwise it fails with EAGAIN, as Xen's does.
 * Reading a directory reads its node, and adding or removing a child
 * rewrites the parent, so listing conflicts with concurrent creation.
 * Cost: O(1) expected per access; commit is O(accessed paths).
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct txn_access {
    char *path;
    uint64_t base_gen;
    struct txn_access *hnext;   /* hash chain */
    struct txn_access *next;    /* all accesses, for commit */
};

struct txn_delta {
    uint32_t domid;
    int delta;
    struct txn_delta *next;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static void txn_free(struct xs_txn *t)
{
    struct txn_access *a = t->accessed;

    while (a) {
        struct txn_access *next = a->next;

        free(a->path);
        free(a);
        a = next;
    }
    while (t->deltas) {
        struct txn_delta *next = t->deltas->next;

        free(t->deltas);
        t->deltas = next;
    }
    free(t->accessed_hash);
    table_destroy(&t->overlay);
    ctx_free_changes(t->changes);
    free(t);
}

struct xs_txn *txn_start(struct xs_daemon *d, struct xs_conn *conn, int *err)
{
    struct xs_txn *t;

    if (quota_applies(conn) && conn->ntxns >= d->quota[QUOTA_TRANSACTIONS]) {
        *err = ENOSPC;
        return NULL;
    }
    *err = ENOMEM;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->naccess_buckets = 64;
    t->accessed_hash = calloc(t->naccess_buckets, sizeof(*t->accessed_hash));
    if (!t->accessed_hash || table_init(&t->overlay) < 0) {
        free(t->accessed_hash);
        free(t);
        return NULL;
    }
    do
        t->id = ++d->next_txn_id;
    while (t->id == 0 || txn_find(conn, t->id));
    t->conn = conn;
    t->changes_tail = &t->changes;
    t->next = conn->txns;
    conn->txns = t;
    conn->ntxns++;
    return t;
}

struct xs_txn *txn_find(struct xs_conn *conn, uint32_t id)
{
    for (struct xs_txn *t = conn->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void unlink_txn(struct xs_txn *t)
{
    struct xs_conn *conn = t->conn;

    for (struct xs_txn **pp = &conn->txns; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            conn->ntxns--;
            return;
        }
    }
}

static void grow_access_hash(struct xs_txn *t)
{
    size_t nb = t->naccess_buckets * 2;
    struct txn_access **b = calloc(nb, sizeof(*b));

    if (!b)
        return;
    for (struct txn_access *a = t->accessed; a; a = a->next) {
        size_t h = hash_str(a->path) & (nb - 1);

        a->hnext = b[h];
        b[h] = a;
    }
    free(t->accessed_hash);
    t->accessed_hash = b;
    t->naccess_buckets = nb;
}

/* Remember the main-tree generation of name the first time the transaction touches it. */
static int record_access(struct xs_daemon *d, struct xs_txn *t, const char *name)
{
    size_t h = hash_str(name) & (t->naccess_buckets - 1);
    struct txn_access *a;
    const struct node *cur;

    for (a = t->accessed_hash[h]; a; a = a->hnext)
        if (strcmp(a->path, name) == 0)
            return 0;
    a = calloc(1, sizeof(*a));
    if (!a || !(a->path = strdup(name))) {
        free(a);
        return -ENOMEM;
    }
    cur = table_find(&d->tree, name);
    a->base_gen = cur ? cur->generation : 0;
    a->hnext = t->accessed_hash[h];
    t->accessed_hash[h] = a;
    a->next = t->accessed;
    t->accessed = a;
    if (++t->naccess > t->naccess_buckets)
        grow_access_hash(t);
    return 0;
}

static const struct node *view(struct xs_daemon *d, struct xs_txn *t, const char *name)
{
    const struct node *n = table_find(&t->overlay, name);

    if (n)
        return n->deleted ? NULL : n;
    return table_find(&d->tree, name);
}

const struct node *txn_read(struct xs_daemon *d, struct xs_txn *t, const char *name)
{
    record_access(d, t, name);
    return view(d, t, name);
}

static int add_delta(struct xs_txn *t, uint32_t domid, int delta)
{
    struct txn_delta *x;

    for (x = t->deltas; x; x = x->next)
        if (x->domid == domid)
            break;
    if (!x) {
        x = calloc(1, sizeof(*x));
        if (!x)
            return -ENOMEM;
        x->domid = domid;
        x->next = t->deltas;
        t->deltas = x;
    }
    x->delta += delta;
    return 0;
}

int txn_owner_delta(const struct xs_txn *t, uint32_t domid)
{
    for (const struct txn_delta *x = t->deltas; x; x = x->next)
        if (x->domid == domid)
            return x->delta;
    return 0;
}

int txn_write(struct xs_daemon *d, struct xs_txn *t, struct node *n)
{
    const struct node *old;

    if (record_access(d, t, n->name) < 0) {
        node_free(n);
        return -ENOMEM;
    }
    old = view(d, t, n->name);
    if ((old && add_delta(t, old->perms.p[0].id, -1) < 0) ||
        add_delta(t, n->perms.p[0].id, +1) < 0) {
        node_free(n);
        return -ENOMEM;
    }
    n->deleted = false;
    node_free(table_replace(&t->overlay, n));
    return 0;
}

int txn_delete(struct xs_daemon *d, struct xs_txn *t, const char *name)
{
    static const struct xs_perms none = { 0, NULL };
    const struct node *old;
    struct node *tomb;

    if (record_access(d, t, name) < 0)
        return -ENOMEM;
    old = view(d, t, name);
    if (!old)
        return 0;
    if (add_delta(t, old->perms.p[0].id, -1) < 0)
        return -ENOMEM;
    tomb = node_new(name, "", 0, &none);
    if (!tomb)
        return -ENOMEM;
    tomb->deleted = true;
    node_free(table_replace(&t->overlay, tomb));
    return 0;
}

static bool conflicts(struct xs_daemon *d, const struct xs_txn *t)
{
    for (const struct txn_access *a = t->accessed; a; a = a->next) {
        const struct node *cur = table_find(&d->tree, a->path);

        if ((cur ? cur->generation : 0) != a->base_gen)
            return true;
    }
    return false;
}

/* Move every overlay entry into the main tree (no failure paths but ENOMEM-free moves). */
static void apply_overlay(struct xs_daemon *d, struct xs_txn *t)
{
    struct xs_ctx main_ctx;

    ctx_init(&main_ctx, d, t->conn, NULL);
    for (size_t i = 0; i < t->overlay.nbuckets; i++) {
        struct node *n = t->overlay.buckets[i];

        t->overlay.buckets[i] = NULL;
        while (n) {
            struct node *next = n->hnext;

            n->hnext = NULL;
            if (n->deleted) {
                ctx_delete(&main_ctx, n->name);
                node_free(n);
            } else {
                ctx_write(&main_ctx, n);
            }
            n = next;
        }
    }
    t->overlay.count = 0;
}

int txn_end(struct xs_daemon *d, struct xs_txn *t, bool abort)
{
    int ret = 0;

    unlink_txn(t);
    if (!abort) {
        if (conflicts(d, t)) {
            ret = -EAGAIN;
        } else {
            apply_overlay(d, t);
            watch_fire_changes(d, t->changes);
        }
    }
    txn_free(t);
    return ret;
}

void txn_free_all(struct xs_conn *conn)
{
    while (conn->txns) {
        struct xs_txn *t = conn->txns;

        conn->txns = t->next;
        txn_free(t);
    }
    conn->ntxns = 0;
}
