/*
 * access.c: reading and changing nodes on behalf of a request.
 *
 * Every request works through a context, which is the main tree or one of
 * the connection's transactions. This file holds the rules that do not
 * depend on which: parents are created implicitly with the perms of their
 * parent (the owner becomes the creating domain when it is unprivileged),
 * creating needs write access to the closest existing ancestor, removal is
 * recursive, and every change is recorded so that watches fire only once the
 * request (or the commit) succeeds.
 * Invariant: a node pointer returned by ctx_read()/access_get() is valid only
 * until the next ctx_write()/ctx_delete() of the same name.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ctx_init(struct xs_ctx *ctx, struct xs_daemon *d, struct xs_conn *conn, struct xs_txn *txn)
{
    ctx->d = d;
    ctx->conn = conn;
    ctx->txn = txn;
    ctx->changes = NULL;
    ctx->changes_tail = &ctx->changes;
}

void ctx_free_changes(struct xs_change *c)
{
    while (c) {
        struct xs_change *next = c->next;

        free(c->path);
        perms_free(&c->perms);
        free(c);
        c = next;
    }
}

int ctx_note_change(struct xs_ctx *ctx, const char *path, bool exact, const struct xs_perms *perms)
{
    struct xs_change *c = calloc(1, sizeof(*c));

    if (!c)
        return -ENOMEM;
    c->path = strdup(path);
    if (!c->path || perms_copy(&c->perms, perms) < 0) {
        ctx_free_changes(c);
        return -ENOMEM;
    }
    c->exact = exact;
    *ctx->changes_tail = c;
    ctx->changes_tail = &c->next;
    return 0;
}

const struct node *ctx_read(struct xs_ctx *ctx, const char *name)
{
    if (ctx->txn)
        return txn_read(ctx->d, ctx->txn, name);
    return table_find(&ctx->d->tree, name);
}

int ctx_write(struct xs_ctx *ctx, struct node *n)
{
    struct node *old;

    if (ctx->txn)
        return txn_write(ctx->d, ctx->txn, n);
    n->generation = ++ctx->d->generation;
    n->deleted = false;
    old = table_replace(&ctx->d->tree, n);
    if (old) {
        domain_nodes_adjust(ctx->d, old->perms.p[0].id, -1);
        node_free(old);
    }
    domain_nodes_adjust(ctx->d, n->perms.p[0].id, +1);
    return 0;
}

int ctx_delete(struct xs_ctx *ctx, const char *name)
{
    struct node *old;

    if (ctx->txn)
        return txn_delete(ctx->d, ctx->txn, name);
    old = table_remove(&ctx->d->tree, name);
    if (old) {
        domain_nodes_adjust(ctx->d, old->perms.p[0].id, -1);
        node_free(old);
    }
    return 0;
}

/* The closest existing strict ancestor of name (the root always exists). */
static const struct node *closest_ancestor(struct xs_ctx *ctx, const char *name)
{
    char *p = strdup(name);
    const struct node *n = NULL;

    if (!p)
        return NULL;
    while (!n) {
        char *slash = strrchr(p, '/');

        if (!slash)
            break;
        if (slash == p)
            slash[1] = '\0';
        else
            *slash = '\0';
        n = ctx_read(ctx, p);
        if (slash == p)
            break;
    }
    free(p);
    return n;
}

const struct node *access_get(struct xs_ctx *ctx, const char *name, uint32_t perm, int *err)
{
    const struct node *n = ctx_read(ctx, name);
    const struct node *anc;

    if (n) {
        if ((perm_for_conn(ctx->conn, &n->perms) & perm) != perm) {
            *err = EACCES;
            return NULL;
        }
        return n;
    }
    /* Absent: say so only to those who may read the closest ancestor. */
    *err = ENOENT;
    anc = closest_ancestor(ctx, name);
    if (anc && !(perm_for_conn(ctx->conn, &anc->perms) & PERM_READ))
        *err = EACCES;
    return NULL;
}

static int check_node_size(struct xs_ctx *ctx, const struct node *n)
{
    if (ctx->conn && quota_applies(ctx->conn) &&
        node_quota_size(n) >= ctx->d->quota[QUOTA_NODE_SIZE])
        return -ENOSPC;
    return 0;
}

/* Count the missing components between the closest ancestor and name. */
static unsigned missing_depth(const char *anc_name, const char *name)
{
    unsigned n = 0;
    size_t off = strcmp(anc_name, "/") == 0 ? 0 : strlen(anc_name);

    for (const char *s = name + off; *s; s++)
        if (*s == '/')
            n++;
    return n;
}

int access_create(struct xs_ctx *ctx, const char *name, const void *value, uint32_t len)
{
    const struct node *anc = closest_ancestor(ctx, name);
    struct xs_perms perms;
    struct node *cur;
    unsigned depth;
    size_t off;
    int ret;

    if (!anc)
        return -ENOMEM;
    if (!(perm_for_conn(ctx->conn, &anc->perms) & PERM_WRITE))
        return -EACCES;
    depth = missing_depth(anc->name, name);
    if (ctx->conn && quota_applies(ctx->conn)) {
        struct xs_domain *dom = domain_find(ctx->d, ctx->conn->domid);
        int64_t owned = (dom ? dom->nodes : 0) +
                        (ctx->txn ? txn_owner_delta(ctx->txn, ctx->conn->domid) : 0);

        if (owned + depth > ctx->d->quota[QUOTA_NODES])
            return -ENOSPC;
    }
    if (perms_copy(&perms, &anc->perms) < 0)
        return -ENOMEM;
    if (ctx->conn && quota_applies(ctx->conn))
        perms.p[0].id = ctx->conn->domid;
    cur = node_dup(anc);
    if (!cur) {
        perms_free(&perms);
        return -ENOMEM;
    }
    /* Top-down: add each missing child to the current node, store it, descend. */
    off = strcmp(anc->name, "/") == 0 ? 0 : strlen(anc->name);
    while (name[off] == '/') {
        const char *end = strchr(name + off + 1, '/');
        size_t clen = end ? (size_t)(end - name) : strlen(name);
        char *child_name = strndup(name, clen);
        bool last = !end;
        struct node *child;

        ret = -ENOMEM;
        if (!child_name || node_add_child(cur, path_basename(child_name)) < 0)
            goto fail_child;
        child = node_new(child_name, last ? value : "", last ? len : 0, &perms);
        if (!child)
            goto fail_child;
        if (last && (ret = check_node_size(ctx, child)) < 0) {
            node_free(child);
            goto fail_child;
        }
        ret = ctx_write(ctx, cur);
        cur = child;
        free(child_name);
        if (ret < 0)
            goto fail;
        off = clen;
        continue;
fail_child:
        free(child_name);
        goto fail;
    }
    ret = ctx_write(ctx, cur);
    cur = NULL;
    if (ret == 0)
        ret = ctx_note_change(ctx, name, false, &perms);
    perms_free(&perms);
    return ret;
fail:
    node_free(cur);
    perms_free(&perms);
    return ret;
}

/* Delete n's subtree below it, children first, noting an exact change for each. */
static int remove_children(struct xs_ctx *ctx, const struct node *n)
{
    char *children = NULL;
    uint32_t childlen = n->childlen;
    char *name = strdup(n->name);
    int ret = 0;

    if (!name || (childlen && !(children = malloc(childlen)))) {
        free(name);
        return -ENOMEM;
    }
    if (childlen)
        memcpy(children, n->children, childlen);
    for (uint32_t off = 0; off < childlen && ret == 0; off += strlen(children + off) + 1) {
        char *cname;
        const struct node *c;

        if (asprintf(&cname, "%s%s%s", strcmp(name, "/") ? name : "", "/", children + off) < 0) {
            ret = -ENOMEM;
            break;
        }
        c = ctx_read(ctx, cname);
        if (c) {
            ret = remove_children(ctx, c);
            c = ctx_read(ctx, cname);
            if (ret == 0 && c)
                ret = ctx_note_change(ctx, cname, true, &c->perms);
            if (ret == 0)
                ret = ctx_delete(ctx, cname);
        }
        free(cname);
    }
    free(children);
    free(name);
    return ret;
}

int access_remove(struct xs_ctx *ctx, const char *name)
{
    const struct node *n = ctx_read(ctx, name);
    const struct node *parent;
    struct node *p;
    char *pname;
    int ret;

    if (!n)
        return -ENOENT;
    if (strcmp(name, "/") == 0)
        return -EINVAL;
    ret = ctx_note_change(ctx, name, false, &n->perms);
    if (ret == 0)
        ret = remove_children(ctx, n);
    if (ret == 0)
        ret = ctx_delete(ctx, name);
    if (ret < 0)
        return ret;
    pname = path_parent(name);
    if (!pname)
        return -ENOMEM;
    parent = ctx_read(ctx, pname);
    free(pname);
    if (!parent)
        return 0;
    p = node_dup(parent);
    if (!p)
        return -ENOMEM;
    node_remove_child(p, path_basename(name));
    return ctx_write(ctx, p);
}
