/*
 * control.c: XS_CONTROL, the administrator's commands (dom0 only).
 *
 *   print TEXT              write TEXT to the trace log
 *   log on|off              switch request/reply tracing (needs -T)
 *   quota                   list the quota settings
 *   quota DOMID             a domain's usage against its quotas
 *   quota set NAME VALUE    change a quota
 *   check                   verify the tree's parent/child consistency
 *   memreport               bytes used by the tree and connections
 *   help                    this list
 * Replies are text ending in a NUL ("OK\0" for commands without output).
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int text_reply(char **reply, size_t *len, char *text)
{
    if (!text)
        return -ENOMEM;
    *reply = text;
    *len = strlen(text) + 1;
    return 0;
}

static int quota_cmd(struct xs_daemon *d, const char **vec, int n, char **reply, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f;
    uint64_t v;

    if (n == 1) {
        f = open_memstream(&buf, &size);
        if (!f)
            return -ENOMEM;
        fprintf(f, "Quota settings:\n");
        for (int i = 0; i < QUOTA_COUNT; i++)
            fprintf(f, "%-14s %-36s %u\n", quota_desc[i].name, quota_desc[i].what, d->quota[i]);
        fclose(f);
        return text_reply(reply, len, buf);
    }
    if (strcmp(vec[1], "set") == 0) {
        int q;

        if (n != 4 || (q = quota_by_name(vec[2])) < 0 ||
            wire_parse_uint(vec[3], 1ull << 31, &v) < 0)
            return -EINVAL;
        d->quota[q] = (uint32_t)v;
        return text_reply(reply, len, strdup("OK"));
    }
    if (n == 2 && wire_parse_uint(vec[1], 1u << 16, &v) == 0) {
        struct xs_domain *dom = domain_find(d, (uint32_t)v);
        unsigned watches = 0, txns = 0;

        if (!dom)
            return -ENOENT;
        if (dom->conn) {
            watches = dom->conn->nwatches;
            txns = dom->conn->ntxns;
        }
        if (asprintf(&buf, "Domain %u:\nnodes: %u/%u\nwatches: %u/%u\ntransactions: %u/%u\n",
                     dom->domid, dom->nodes, d->quota[QUOTA_NODES], watches,
                     d->quota[QUOTA_WATCHES], txns, d->quota[QUOTA_TRANSACTIONS]) < 0)
            buf = NULL;
        return text_reply(reply, len, buf);
    }
    return -EINVAL;
}

/* Every child listed exists, and every non-root node is listed by its parent. */
static int check_tree(struct xs_daemon *d)
{
    size_t seen = 0;

    for (size_t i = 0; i < d->tree.nbuckets; i++) {
        for (struct node *n = d->tree.buckets[i]; n; n = n->hnext) {
            seen++;
            for (uint32_t off = 0; off < n->childlen; off += strlen(n->children + off) + 1) {
                char *c;
                bool ok;

                if (asprintf(&c, "%s/%s", strcmp(n->name, "/") ? n->name : "",
                             n->children + off) < 0)
                    return -ENOMEM;
                ok = table_find(&d->tree, c) != NULL;
                free(c);
                if (!ok)
                    return -EIO;
            }
            if (strcmp(n->name, "/") != 0) {
                char *p = path_parent(n->name);
                const struct node *pn = p ? table_find(&d->tree, p) : NULL;
                struct node tmp;
                bool listed;

                free(p);
                if (!pn)
                    return -EIO;
                tmp = *pn;
                tmp.children = malloc(pn->childlen + 1);
                if (!tmp.children)
                    return -ENOMEM;
                memcpy(tmp.children, pn->children, pn->childlen);
                listed = node_remove_child(&tmp, path_basename(n->name)) == 0;
                free(tmp.children);
                if (!listed)
                    return -EIO;
            }
        }
    }
    return seen == d->tree.count ? 0 : -EIO;
}

int control_command(struct xs_daemon *d, struct xs_conn *conn, const char **vec, int n,
                    char **reply, size_t *len)
{
    char *buf = NULL;
    int ret;

    (void)conn;
    if (strcmp(vec[0], "print") == 0) {
        if (n != 2)
            return -EINVAL;
        trace_text(d, "control print: %s", vec[1]);
        if (!d->trace)
            fprintf(stderr, "xenstored: %s\n", vec[1]);
        return text_reply(reply, len, strdup("OK"));
    }
    if (strcmp(vec[0], "log") == 0) {
        if (n != 2 || (strcmp(vec[1], "on") && strcmp(vec[1], "off")))
            return -EINVAL;
        d->log_enabled = strcmp(vec[1], "on") == 0;
        return text_reply(reply, len, strdup("OK"));
    }
    if (strcmp(vec[0], "quota") == 0)
        return quota_cmd(d, vec, n, reply, len);
    if (strcmp(vec[0], "check") == 0) {
        ret = check_tree(d);
        return ret < 0 ? ret : text_reply(reply, len, strdup("OK"));
    }
    if (strcmp(vec[0], "memreport") == 0) {
        size_t conns = 0, queued = 0;

        for (struct xs_conn *c = d->conns; c; c = c->next) {
            conns++;
            queued += c->out_bytes;
        }
        if (asprintf(&buf, "nodes: %zu\ntree bytes: %zu\nconnections: %zu\nqueued bytes: %zu\n",
                     d->tree.count, table_bytes(&d->tree), conns, queued) < 0)
            buf = NULL;
        return text_reply(reply, len, buf);
    }
    if (strcmp(vec[0], "help") == 0)
        return text_reply(reply, len,
                          strdup("Valid commands:\n"
                                 "print TEXT\nlog on|off\nquota [DOMID | set NAME VALUE]\n"
                                 "check\nmemreport\nhelp\n"));
    return -EINVAL;
}
