/*
 * daemon.c: the daemon's state and its poll loop.
 *
 * daemon_init() builds the initial tree (/, /local, /local/domain,
 * /local/domain/0/{name,domid}, /tool, all "n0") and the default quotas.
 * The loop polls the listening socket, every connection's fd and the stop
 * fd; each round it accepts new clients, gives every connection with input
 * a budget of messages (fairness: one busy client cannot starve others),
 * flushes every queue it can without blocking, and closes broken connections.
 * It also polls the guest channel's domain-exception fd, if any (see
 * domain_check_exceptions).
 */
#include "xenstored.h"
#include "guest_channel.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define ROUND_BUDGET 64   /* messages per connection per round */
#define ACCEPT_BUDGET 64  /* new clients per round */

static int set_special(struct xs_perms *p)
{
    p->num = 1;
    p->p = calloc(1, sizeof(*p->p));
    return p->p ? 0 : -ENOMEM;
}

int daemon_init(struct xs_daemon *d)
{
    static const struct xs_perm n0 = { 0, PERM_NONE };
    static const struct xs_perms root_perms = { 1, (struct xs_perm *)&n0 };
    static const struct {
        const char *path, *value;
    } initial[] = {
        { "/local/domain/0/name", "Domain-0" },
        { "/local/domain/0/domid", "0" },
        { "/tool", "" },
    };
    struct xs_ctx ctx;
    struct node *root;
    int ret;

    memset(d, 0, sizeof(*d));
    d->log_enabled = true;
    for (int i = 0; i < QUOTA_COUNT; i++)
        d->quota[i] = quota_desc[i].def;
    ret = table_init(&d->tree);
    if (ret < 0)
        return ret;
    if (set_special(&d->special_introduce) < 0 || set_special(&d->special_release) < 0)
        goto nomem;
    root = node_new("/", "", 0, &root_perms);
    if (!root)
        goto nomem;
    ctx_init(&ctx, d, NULL, NULL);
    ctx_write(&ctx, root);
    for (size_t i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
        ret = access_create(&ctx, initial[i].path, initial[i].value,
                            (uint32_t)strlen(initial[i].value));
        if (ret < 0) {
            ctx_free_changes(ctx.changes);
            daemon_destroy(d);
            return ret;
        }
    }
    ctx_free_changes(ctx.changes);
    return 0;
nomem:
    daemon_destroy(d);
    return -ENOMEM;
}

void daemon_destroy(struct xs_daemon *d)
{
    while (d->conns)
        conn_destroy(d, d->conns);
    domain_free_all(d);
    table_destroy(&d->tree);
    perms_free(&d->special_introduce);
    perms_free(&d->special_release);
}

static void reap_broken(struct xs_daemon *d)
{
    struct xs_conn *c = d->conns;

    while (c) {
        struct xs_conn *next = c->next;

        if (c->broken) {
            trace_text(d, "conn %u closed", c->id);
            conn_destroy(d, c);
        }
        c = next;
    }
}

/* The guest channel's domain-exception fd, or -1 (poll skips it). */
static int exception_fd(const struct xs_daemon *d)
{
    const struct xs_guest_channel *ch = d->channel;

    return ch && ch->exception_fd && ch->ack_exception ? ch->exception_fd(ch->opaque) : -1;
}

/* One poll round; `extra_fd` (or -1) is polled too and reported through *extra_ready. */
static int poll_round(struct xs_daemon *d, int listen_fd, int extra_fd, int timeout_ms,
                      bool *extra_ready)
{
    size_t nconns = 0, n = 0;
    struct pollfd *pfds;
    bool pending = false;
    int ret;

    for (struct xs_conn *c = d->conns; c; c = c->next)
        nconns++;
    pfds = calloc(nconns + 3, sizeof(*pfds));
    if (!pfds)
        return -ENOMEM;
    pfds[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
    pfds[n++] = (struct pollfd){ .fd = extra_fd, .events = POLLIN };
    pfds[n++] = (struct pollfd){ .fd = exception_fd(d), .events = POLLIN };
    for (struct xs_conn *c = d->conns; c; c = c->next) {
        short ev = 0;

        c->poll_index = -1;
        if (conn_can_take_input(c)) {
            ev |= POLLIN;
            if (conn_has_message(c))
                pending = true;
        }
        if (c->out_head)
            ev |= c->ops->ack_event ? POLLIN : POLLOUT; /* rings signal both ways */
        c->poll_index = (int)n;
        pfds[n++] = (struct pollfd){ .fd = c->ops->poll_fd(c), .events = ev };
    }
    ret = poll(pfds, n, pending ? 0 : timeout_ms);
    if (ret < 0) {
        ret = errno == EINTR ? 0 : -errno;
        free(pfds);
        return ret;
    }
    if (extra_ready)
        *extra_ready = extra_fd >= 0 && (pfds[1].revents & POLLIN);
    if (pfds[2].revents & POLLIN) {
        d->channel->ack_exception(d->channel->opaque);
        domain_check_exceptions(d);
    }
    if (listen_fd >= 0 && (pfds[0].revents & POLLIN))
        for (int i = 0; i < ACCEPT_BUDGET && socket_accept(d, listen_fd); i++)
            ;
    for (struct xs_conn *c = d->conns; c; c = c->next) {
        short rev = c->poll_index >= 0 ? pfds[c->poll_index].revents : 0;

        if (rev && c->ops->ack_event)
            c->ops->ack_event(c);
        if (rev & POLLNVAL)
            c->broken = true;
        if ((rev & (POLLIN | POLLHUP | POLLERR)) || conn_has_message(c))
            conn_service_input(d, c, ROUND_BUDGET);
    }
    /* Flush after everyone ran: events for other connections were queued meanwhile. */
    for (struct xs_conn *c = d->conns; c; c = c->next)
        if (c->out_head || c->ops->flush)
            conn_flush(c);
    reap_broken(d);
    free(pfds);
    return 0;
}

int daemon_poll_once(struct xs_daemon *d, int listen_fd, int timeout_ms)
{
    return poll_round(d, listen_fd, -1, timeout_ms, NULL);
}

int daemon_loop(struct xs_daemon *d, int listen_fd, int stop_fd)
{
    bool stop = false;

    while (!stop) {
        int ret = poll_round(d, listen_fd, stop_fd, -1, &stop);

        if (ret < 0)
            return ret;
    }
    return 0;
}
