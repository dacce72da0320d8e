/*
 * request.c: one handler per message type.
 *
 * Each handler gets the framed payload, works through a context (the main
 * tree, or the transaction named by tx_id), and either queues its reply and
 * returns 0, or returns -errno, which dispatch turns into an XS_ERROR reply
 * carrying the error's name. Changes recorded by a successful handler fire
 * watches at once outside a transaction, or at commit inside one. Replies
 * echo the request's req_id and tx_id.
 * Privileged-only: INTRODUCE, RELEASE, RESUME, SET_TARGET, CONTROL.
 */
#include "xenstored.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16

struct req {
    struct xs_daemon *d;
    struct xs_conn *c;
    const struct xsd_sockmsg *h;
    const char *payload;
    struct xs_ctx ctx;
};

static int reply(struct req *r, const void *data, uint32_t len)
{
    return conn_queue(r->c, r->h->type, r->h->req_id, r->h->tx_id, data, len, true);
}

static int reply_str(struct req *r, const char *s)
{
    return reply(r, s, (uint32_t)strlen(s) + 1);
}

static int reply_ok(struct req *r)
{
    return reply_str(r, "OK");
}

/* Exactly one NUL-terminated argument. */
static const char *onearg(struct req *r)
{
    const char *vec[1];

    if (wire_split(r->payload, r->h->len, vec, 1) != 1)
        return NULL;
    return vec[0];
}

/* Canonicalise a node path argument; NULL and *err on failure. */
static char *node_arg(struct req *r, const char *arg, int *err)
{
    if (!arg) {
        *err = EINVAL;
        return NULL;
    }
    return path_canonical(r->c, arg, false, err);
}

static int parse_domid(const char *s, uint32_t *out)
{
    uint64_t v;

    if (!s || wire_parse_uint(s, 1ull << 16, &v) < 0)
        return -EINVAL;
    *out = (uint32_t)v;
    return 0;
}

static bool privileged(const struct req *r)
{
    return !quota_applies(r->c);
}

/* The node at path argument `arg`, if the caller may read it; else NULL and *err. */
static const struct node *readable_node(struct req *r, const char *arg, int *err)
{
    char *name = node_arg(r, arg, err);
    const struct node *n;

    if (!name)
        return NULL;
    n = access_get(&r->ctx, name, PERM_READ, err);
    free(name);
    return n;
}

static int do_read(struct req *r)
{
    int err;
    const struct node *n = readable_node(r, onearg(r), &err);

    if (!n)
        return -err;
    return reply(r, n->value, n->valuelen);
}

static int do_write(struct req *r)
{
    const char *nul = memchr(r->payload, '\0', r->h->len);
    const struct node *n;
    struct node *copy;
    uint32_t off, vlen;
    char *name;
    int err, ret;

    if (!nul)
        return -EINVAL;
    off = (uint32_t)(nul - r->payload) + 1;
    vlen = r->h->len - off;
    name = node_arg(r, r->payload, &err);
    if (!name)
        return -err;
    n = access_get(&r->ctx, name, PERM_WRITE, &err);
    if (!n) {
        ret = err == ENOENT ? access_create(&r->ctx, name, r->payload + off, vlen) : -err;
    } else {
        copy = node_dup(n);
        ret = -ENOMEM;
        if (copy && node_set_value(copy, r->payload + off, vlen) == 0) {
            ret = 0;
            if (quota_applies(r->c) && node_quota_size(copy) >= r->d->quota[QUOTA_NODE_SIZE])
                ret = -ENOSPC;
        }
        if (ret == 0) {
            struct xs_perms perms;

            ret = perms_copy(&perms, &copy->perms);
            if (ret == 0) {
                ret = ctx_write(&r->ctx, copy);
                copy = NULL;
                if (ret == 0)
                    ret = ctx_note_change(&r->ctx, name, false, &perms);
                perms_free(&perms);
            }
        }
        node_free(copy);
    }
    free(name);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_mkdir(struct req *r)
{
    int err, ret = 0;
    char *name = node_arg(r, onearg(r), &err);

    if (!name)
        return -err;
    if (!access_get(&r->ctx, name, PERM_WRITE, &err))
        ret = err == ENOENT ? access_create(&r->ctx, name, "", 0) : -err;
    free(name);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_rm(struct req *r)
{
    int err, ret;
    char *name = node_arg(r, onearg(r), &err);

    if (!name)
        return -err;
    if (access_get(&r->ctx, name, PERM_WRITE, &err)) {
        ret = access_remove(&r->ctx, name);
    } else if (err == ENOENT) {
        /* Already gone: fine if the parent exists (Xen's rule). */
        char *parent = path_parent(name);

        ret = parent && ctx_read(&r->ctx, parent) ? 0 : -ENOENT;
        free(parent);
    } else {
        ret = -err;
    }
    free(name);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_directory(struct req *r)
{
    int err;
    const struct node *n = readable_node(r, onearg(r), &err);

    if (!n)
        return -err;
    if (n->childlen > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    return reply(r, n->children, n->childlen);
}

/* DIRECTORY_PART path offset: "<generation>\0" then as many names as fit, "" at the end. */
static int do_directory_part(struct req *r)
{
    const char *vec[2];
    char gen[24], *buf;
    const struct node *n;
    uint64_t off;
    uint32_t i, next, genlen, take;
    int err, ret;

    if (wire_split(r->payload, r->h->len, vec, 2) != 2)
        return -EINVAL;
    if (wire_parse_uint(vec[1], 1ull << 32, &off) < 0)
        return -EINVAL;
    n = readable_node(r, vec[0], &err);
    if (!n)
        return -err;
    if (off > n->childlen)
        return -EINVAL;
    genlen = (uint32_t)snprintf(gen, sizeof(gen), "%" PRIu64, n->generation) + 1;
    for (i = (uint32_t)off; i < n->childlen; i = next) {
        next = i + (uint32_t)strlen(n->children + i) + 1;
        if (next - off > XENSTORE_PAYLOAD_MAX - genlen - 1)
            break;
    }
    take = i - (uint32_t)off;
    buf = malloc(genlen + take + 1);
    if (!buf)
        return -ENOMEM;
    memcpy(buf, gen, genlen);
    memcpy(buf + genlen, n->children + off, take);
    if (off + take == n->childlen)
        buf[genlen + take++] = '\0';
    ret = reply(r, buf, genlen + take);
    free(buf);
    return ret;
}

static struct xs_perms *special_perms(struct xs_daemon *d, const char *name)
{
    if (strcmp(name, XS_SPECIAL_INTRODUCE) == 0)
        return &d->special_introduce;
    if (strcmp(name, XS_SPECIAL_RELEASE) == 0)
        return &d->special_release;
    return NULL;
}

static int send_perms(struct req *r, const struct xs_perms *perms)
{
    char *buf = malloc(perms->num * 16 + 1);
    uint32_t len = 0;
    int ret;

    if (!buf)
        return -ENOMEM;
    for (uint32_t i = 0; i < perms->num; i++)
        len += (uint32_t)perm_format(&perms->p[i], buf + len, 16) + 1;
    ret = reply(r, buf, len);
    free(buf);
    return ret;
}

static int do_get_perms(struct req *r)
{
    const char *arg = onearg(r);
    const struct node *n;
    int err;

    if (arg && path_is_special(arg)) {
        const struct xs_perms *sp = special_perms(r->d, arg);

        return sp ? send_perms(r, sp) : -ENOENT;
    }
    n = readable_node(r, arg, &err);
    if (!n)
        return -err;
    return send_perms(r, &n->perms);
}

static int do_set_perms(struct req *r)
{
    const char *vec[MAX_ARGS * 64];
    struct xs_perms perms = { 0, NULL };
    const struct node *n;
    struct node *copy = NULL;
    char *name = NULL;
    int num, err, ret;

    num = wire_split(r->payload, r->h->len, vec, (int)(sizeof(vec) / sizeof(vec[0])));
    if (num < 2)
        return -EINVAL;
    if (quota_applies(r->c) && (uint32_t)(num - 1) > r->d->quota[QUOTA_PERMS])
        return -ENOSPC;
    perms.num = (uint32_t)(num - 1);
    perms.p = calloc(perms.num, sizeof(*perms.p));
    if (!perms.p)
        return -ENOMEM;
    for (int i = 1; i < num; i++)
        if (perm_parse(vec[i], &perms.p[i - 1]) < 0) {
            ret = -EINVAL;
            goto out;
        }
    if (path_is_special(vec[0])) {
        struct xs_perms *sp = special_perms(r->d, vec[0]);

        ret = !sp ? -ENOENT : !privileged(r) ? -EACCES : 0;
        if (ret == 0) {
            perms_free(sp);
            *sp = perms;
            perms.p = NULL;
            ret = reply_ok(r);
        }
        goto out;
    }
    name = node_arg(r, vec[0], &err);
    ret = -err;
    if (!name)
        goto out;
    n = access_get(&r->ctx, name, PERM_WRITE | PERM_OWNER, &err);
    ret = -err;
    if (!n)
        goto out;
    /* Only dom0 may hand a node to another owner. */
    ret = -EPERM;
    if (!privileged(r) && perms.p[0].id != n->perms.p[0].id)
        goto out;
    ret = -ENOMEM;
    copy = node_dup(n);
    if (!copy)
        goto out;
    perms_free(&copy->perms);
    ret = perms_copy(&copy->perms, &perms);
    if (ret < 0)
        goto out;
    ret = -ENOSPC;
    if (quota_applies(r->c) && node_quota_size(copy) >= r->d->quota[QUOTA_NODE_SIZE])
        goto out;
    ret = ctx_write(&r->ctx, copy);
    copy = NULL;
    if (ret == 0)
        ret = ctx_note_change(&r->ctx, name, false, &perms);
    if (ret == 0)
        ret = reply_ok(r);
out:
    node_free(copy);
    free(name);
    perms_free(&perms);
    return ret;
}

static int do_watch(struct req *r)
{
    const char *vec[2];
    int ret;

    if (wire_split(r->payload, r->h->len, vec, 2) != 2)
        return -EINVAL;
    ret = watch_add(r->d, r->c, vec[0], vec[1]);
    if (ret < 0)
        return ret;
    ret = reply_ok(r);
    /* Every new watch fires once, at once, after the OK. */
    if (ret == 0) {
        size_t plen = strlen(vec[0]) + 1, tlen = strlen(vec[1]) + 1;

        conn_queue(r->c, XS_WATCH_EVENT, 0, 0, r->payload, (uint32_t)(plen + tlen), false);
    }
    return ret;
}

static int do_unwatch(struct req *r)
{
    const char *vec[2];
    int ret;

    if (wire_split(r->payload, r->h->len, vec, 2) != 2)
        return -EINVAL;
    ret = watch_remove(r->d, r->c, vec[0], vec[1]);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_reset_watches(struct req *r)
{
    watch_free_all(r->c);
    txn_free_all(r->c);
    return reply_ok(r);
}

static int do_transaction_start(struct req *r)
{
    struct xs_txn *t;
    char buf[16];
    int err;

    if (r->h->tx_id)
        return -EBUSY;
    t = txn_start(r->d, r->c, &err);
    if (!t)
        return -err;
    snprintf(buf, sizeof(buf), "%u", t->id);
    return reply_str(r, buf);
}

static int do_transaction_end(struct req *r)
{
    const char *arg = onearg(r);
    bool abort;
    int ret;

    if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
        return -EINVAL;
    if (!r->ctx.txn)
        return -ENOENT;
    abort = arg[0] == 'F';
    ret = txn_end(r->d, r->ctx.txn, abort);
    r->ctx.txn = NULL;
    return ret < 0 ? ret : reply_ok(r);
}

static int do_introduce(struct req *r)
{
    const char *vec[MAX_ARGS];
    uint64_t gfn, port;
    uint32_t domid;
    int ret;

    if (!privileged(r))
        return -EACCES;
    if (wire_split(r->payload, r->h->len, vec, MAX_ARGS) < 3)
        return -EINVAL;
    if (parse_domid(vec[0], &domid) < 0 || wire_parse_uint(vec[1], UINT64_MAX, &gfn) < 0 ||
        wire_parse_uint(vec[2], 1ull << 32, &port) < 0)
        return -EINVAL;
    ret = domain_introduce(r->d, domid, gfn, (uint32_t)port);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_release(struct req *r)
{
    uint32_t domid;
    int ret;

    if (!privileged(r))
        return -EACCES;
    if (parse_domid(onearg(r), &domid) < 0)
        return -EINVAL;
    ret = domain_release(r->d, domid);
    return ret < 0 ? ret : reply_ok(r);
}

static int do_resume(struct req *r)
{
    struct xs_domain *dom;
    uint32_t domid;

    if (!privileged(r))
        return -EACCES;
    if (parse_domid(onearg(r), &domid) < 0)
        return -EINVAL;
    dom = domain_find(r->d, domid);
    if (!dom || !dom->introduced)
        return -ENOENT;
    dom->shutdown = false;
    return reply_ok(r);
}

static int do_is_domain_introduced(struct req *r)
{
    struct xs_domain *dom;
    uint32_t domid;

    if (parse_domid(onearg(r), &domid) < 0)
        return -EINVAL;
    dom = domain_find(r->d, domid);
    return reply_str(r, domid == 0 || (dom && dom->introduced) ? "T" : "F");
}

static int do_get_domain_path(struct req *r)
{
    char buf[48];
    uint32_t domid;

    if (parse_domid(onearg(r), &domid) < 0)
        return -EINVAL;
    snprintf(buf, sizeof(buf), "/local/domain/%u", domid);
    return reply_str(r, buf);
}

static int do_set_target(struct req *r)
{
    const char *vec[2];
    struct xs_domain *dom, *target;
    uint32_t domid, tid;

    if (!privileged(r))
        return -EACCES;
    if (wire_split(r->payload, r->h->len, vec, 2) != 2 || parse_domid(vec[0], &domid) < 0 ||
        parse_domid(vec[1], &tid) < 0)
        return -EINVAL;
    dom = domain_find(r->d, domid);
    target = domain_find(r->d, tid);
    if (!dom || !dom->introduced || !target || !target->introduced)
        return -ENOENT;
    dom->has_target = true;
    dom->target = tid;
    return reply_ok(r);
}

static int do_control(struct req *r)
{
    const char *vec[MAX_ARGS];
    char *text = NULL;
    size_t len = 0;
    int n, ret;

    if (!privileged(r))
        return -EACCES;
    n = wire_split(r->payload, r->h->len, vec, MAX_ARGS);
    if (n < 1)
        return -EINVAL;
    ret = control_command(r->d, r->c, vec, n, &text, &len);
    if (ret == 0)
        ret = len > XENSTORE_PAYLOAD_MAX ? -E2BIG : reply(r, text, (uint32_t)len);
    free(text);
    return ret;
}

typedef int (*handler_fn)(struct req *r);

static const struct {
    handler_fn fn;
    bool no_txn; /* tx_id is ignored */
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { do_control, true },
    [XS_DIRECTORY] = { do_directory, false },
    [XS_READ] = { do_read, false },
    [XS_GET_PERMS] = { do_get_perms, false },
    [XS_WATCH] = { do_watch, true },
    [XS_UNWATCH] = { do_unwatch, true },
    [XS_TRANSACTION_START] = { do_transaction_start, true },
    [XS_TRANSACTION_END] = { do_transaction_end, false },
    [XS_INTRODUCE] = { do_introduce, true },
    [XS_RELEASE] = { do_release, true },
    [XS_GET_DOMAIN_PATH] = { do_get_domain_path, true },
    [XS_WRITE] = { do_write, false },
    [XS_MKDIR] = { do_mkdir, false },
    [XS_RM] = { do_rm, false },
    [XS_SET_PERMS] = { do_set_perms, false },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, true },
    [XS_RESUME] = { do_resume, true },
    [XS_SET_TARGET] = { do_set_target, true },
    [XS_RESET_WATCHES] = { do_reset_watches, true },
    [XS_DIRECTORY_PART] = { do_directory_part, false },
};

void request_dispatch(struct xs_daemon *d, struct xs_conn *conn, const struct xsd_sockmsg *h,
                      const char *payload)
{
    struct req r = { .d = d, .c = conn, .h = h, .payload = payload };
    struct xs_txn *txn = NULL;
    int ret;

    if (h->type >= XS_TYPE_COUNT || !handlers[h->type].fn) {
        ret = -EINVAL;
        goto error;
    }
    if (h->tx_id && !handlers[h->type].no_txn) {
        txn = txn_find(conn, h->tx_id);
        if (!txn) {
            ret = -ENOENT;
            goto error;
        }
    }
    ctx_init(&r.ctx, d, conn, txn);
    ret = handlers[h->type].fn(&r);
    if (ret == 0 && r.ctx.changes) {
        if (r.ctx.txn) {
            *r.ctx.txn->changes_tail = r.ctx.changes;
            r.ctx.txn->changes_tail = r.ctx.changes_tail;
            r.ctx.changes = NULL;
        } else {
            watch_fire_changes(d, r.ctx.changes);
        }
    }
    ctx_free_changes(r.ctx.changes);
    if (ret == 0)
        return;
error:
    {
        const char *name = wire_error_name(-ret);

        conn_queue(conn, XS_ERROR, h->req_id, h->tx_id, name, (uint32_t)strlen(name) + 1, true);
    }
}
