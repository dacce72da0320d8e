/*
 * fuzz_request.c: libFuzzer target for xenstored's message parser and
 * request handling.
 *
 * The input is a script of chunks: [selector][length][bytes...]. The
 * selector's low bit picks the connection (dom0's socket client or guest 5),
 * and the bytes are handed to that connection's framing as they would arrive
 * from its transport, in pieces. After the script, the tree must pass the
 * daemon's own consistency check, and everything is freed (ASan reports any
 * leak). Any crash, sanitizer report or failed check is a bug.
 */
#include "../../../dom0/xenstored/xenstored.h"

#include <stdlib.h>
#include <string.h>

struct chunk_feed {
    const uint8_t *data;
    size_t len, pos;
    size_t written;
};

static ssize_t feed_read(struct xs_conn *c, void *buf, size_t len)
{
    struct chunk_feed *f = c->transport;
    size_t n = f->len - f->pos;

    if (n > len)
        n = len;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (ssize_t)n;
}

static ssize_t feed_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct chunk_feed *f = c->transport;

    (void)buf;
    f->written += len;
    return (ssize_t)len;
}

static int feed_fd(const struct xs_conn *c)
{
    (void)c;
    return -1;
}

static const struct xs_transport_ops feed_ops = {
    .name = "fuzz", .read = feed_read, .write = feed_write, .poll_fd = feed_fd,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct xs_daemon d;
    struct chunk_feed feeds[2] = { { 0 }, { 0 } };
    struct xs_conn *conns[2];
    const char *check[] = { "check" };
    char *reply = NULL;
    size_t rlen = 0;
    size_t off = 0;

    if (daemon_init(&d) < 0)
        abort();
    d.quota[QUOTA_NODES] = 50; /* reach the limits quickly */
    conns[0] = conn_new(&d, &feed_ops, &feeds[0], -1, 0);
    conns[1] = conn_new(&d, &feed_ops, &feeds[1], -1, 5);
    if (!conns[0] || !conns[1])
        abort();
    conns[1]->domain = domain_get(&d, 5);
    while (off + 2 <= size) {
        unsigned sel = data[off] & 1;
        size_t len = data[off + 1] * 16u + 1;
        struct xs_conn *c = conns[sel];

        off += 2;
        if (len > size - off)
            len = size - off;
        if (!c || c->broken)
            break;
        feeds[sel].data = data + off;
        feeds[sel].len = len;
        feeds[sel].pos = 0;
        off += len;
        while (feeds[sel].pos < feeds[sel].len && !c->broken) {
            conn_service_input(&d, c, 16);
            if (c->out_head)
                conn_flush(c);
        }
        for (int i = 0; i < 2; i++)
            if (conns[i] && conns[i]->out_head)
                conn_flush(conns[i]);
        if (c->broken) {
            conn_destroy(&d, c);
            conns[sel] = NULL;
        }
    }
    if (control_command(&d, NULL, check, 1, &reply, &rlen) != 0)
        abort(); /* the tree lost its parent/child consistency */
    free(reply);
    for (struct xs_domain *dom = d.domains; dom; dom = dom->next) {
        size_t owned = 0;

        for (size_t i = 0; i < d.tree.nbuckets; i++)
            for (struct node *n = d.tree.buckets[i]; n; n = n->hnext)
                owned += n->perms.p[0].id == dom->domid;
        if (owned != dom->nodes)
            abort(); /* node accounting drifted from the tree */
    }
    daemon_destroy(&d);
    return 0;
}
