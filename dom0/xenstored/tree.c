/*
 * tree.c: nodes and the hash table that holds them.
 *
 * The store is a flat table keyed by absolute path, as Xen's TDB is; the
 * hierarchy lives in each node's `children` string (basenames, each
 * NUL-terminated, in creation order). The same table type holds a
 * transaction's overlay. Lookups are O(1) expected (FNV-1a, chains, the table
 * doubles past a load factor of 1); child insert/remove is O(childlen).
 * Invariant: value[valuelen] is always NUL, so values print safely.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_path(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

struct node *node_new(const char *name, const void *value, uint32_t valuelen,
                      const struct xs_perms *perms)
{
    struct node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->name = strdup(name);
    n->value = malloc(valuelen + 1);
    if (!n->name || !n->value || perms_copy(&n->perms, perms) < 0) {
        node_free(n);
        return NULL;
    }
    if (valuelen)
        memcpy(n->value, value, valuelen);
    n->value[valuelen] = '\0';
    n->valuelen = valuelen;
    return n;
}

struct node *node_dup(const struct node *src)
{
    struct node *n = node_new(src->name, src->value, src->valuelen, &src->perms);

    if (!n)
        return NULL;
    if (src->childlen) {
        n->children = malloc(src->childlen);
        if (!n->children) {
            node_free(n);
            return NULL;
        }
        memcpy(n->children, src->children, src->childlen);
        n->childlen = src->childlen;
    }
    n->generation = src->generation;
    return n;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    free(n->name);
    free(n->value);
    free(n->children);
    perms_free(&n->perms);
    free(n);
}

int node_set_value(struct node *n, const void *value, uint32_t len)
{
    char *v = malloc(len + 1);

    if (!v)
        return -ENOMEM;
    if (len)
        memcpy(v, value, len);
    v[len] = '\0';
    free(n->value);
    n->value = v;
    n->valuelen = len;
    return 0;
}

int node_add_child(struct node *n, const char *base)
{
    size_t len = strlen(base) + 1;
    char *c = realloc(n->children, n->childlen + len);

    if (!c)
        return -ENOMEM;
    memcpy(c + n->childlen, base, len);
    n->children = c;
    n->childlen += len;
    return 0;
}

int node_remove_child(struct node *n, const char *base)
{
    size_t len = strlen(base) + 1;

    for (uint32_t off = 0; off < n->childlen;) {
        size_t cl = strlen(n->children + off) + 1;

        if (cl == len && memcmp(n->children + off, base, len) == 0) {
            memmove(n->children + off, n->children + off + cl, n->childlen - off - cl);
            n->childlen -= cl;
            return 0;
        }
        off += cl;
    }
    return -ENOENT;
}

size_t node_quota_size(const struct node *n)
{
    /* Xen: 3 u32 header words, the perms array, the value and the children. */
    return 3 * sizeof(uint32_t) + n->perms.num * sizeof(struct xs_perm) + n->valuelen +
           n->childlen;
}

int table_init(struct node_table *t)
{
    t->nbuckets = 64;
    t->count = 0;
    t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
    return t->buckets ? 0 : -ENOMEM;
}

void table_destroy(struct node_table *t)
{
    for (size_t i = 0; i < t->nbuckets && t->buckets; i++) {
        struct node *n = t->buckets[i];

        while (n) {
            struct node *next = n->hnext;

            node_free(n);
            n = next;
        }
    }
    free(t->buckets);
    t->buckets = NULL;
    t->nbuckets = t->count = 0;
}

struct node *table_find(const struct node_table *t, const char *name)
{
    struct node *n = t->buckets[hash_path(name) & (t->nbuckets - 1)];

    while (n && strcmp(n->name, name) != 0)
        n = n->hnext;
    return n;
}

/* Double the bucket array; on allocation failure keep the old one (only slower). */
static void table_grow(struct node_table *t)
{
    size_t nb = t->nbuckets * 2;
    struct node **b = calloc(nb, sizeof(*b));

    if (!b)
        return;
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct node *n = t->buckets[i];

        while (n) {
            struct node *next = n->hnext;
            size_t h = hash_path(n->name) & (nb - 1);

            n->hnext = b[h];
            b[h] = n;
            n = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

struct node *table_replace(struct node_table *t, struct node *n)
{
    struct node **pp = &t->buckets[hash_path(n->name) & (t->nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext) {
        if (strcmp((*pp)->name, n->name) == 0) {
            struct node *old = *pp;

            n->hnext = old->hnext;
            *pp = n;
            old->hnext = NULL;
            return old;
        }
    }
    n->hnext = NULL;
    *pp = n;
    if (++t->count > t->nbuckets)
        table_grow(t);
    return NULL;
}

struct node *table_remove(struct node_table *t, const char *name)
{
    struct node **pp = &t->buckets[hash_path(name) & (t->nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext) {
        if (strcmp((*pp)->name, name) == 0) {
            struct node *old = *pp;

            *pp = old->hnext;
            old->hnext = NULL;
            t->count--;
            return old;
        }
    }
    return NULL;
}

size_t table_bytes(const struct node_table *t)
{
    size_t sum = t->nbuckets * sizeof(*t->buckets);

    for (size_t i = 0; i < t->nbuckets; i++)
        for (struct node *n = t->buckets[i]; n; n = n->hnext)
            sum += sizeof(*n) + strlen(n->name) + 1 + n->valuelen + 1 + n->childlen +
                   n->perms.num * sizeof(struct xs_perm);
    return sum;
}
