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
 * Waiting uses one epoll set: each connection's fd is registered once and
 * modified only when the events it wants change. A round looks only at the
 * active connections (d->active: new ones, those the wait reported, those
 * with queued output or buffered input, see conn_mark_active); an idle one
 * stays registered and off the list until its fd wakes it. So a round costs
 * O(active connections), not O(all): with 500 idle guests a request from one
 * client no longer walks or polls 500 connections.
 */
#include "xenstored.h"
#include "guest_channel.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

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
    d->ep_fixed[0] = d->ep_fixed[1] = d->ep_fixed[2] = -1;
    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (d->epfd < 0)
        return -errno;
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
    free(d->watch_hash);
    d->watch_hash = NULL;
    table_destroy(&d->tree);
    perms_free(&d->special_introduce);
    perms_free(&d->special_release);
    if (d->epfd >= 0)
        close(d->epfd);
    d->epfd = -1;
}

/* Only active connections can have become broken (conn_mark_active). */
static void reap_broken(struct xs_daemon *d)
{
    struct xs_conn *c = d->active;

    while (c) {
        struct xs_conn *next = c->act_next;

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

#define TAG_FIXED(i) ((void *)((uintptr_t)(i) + 1)) /* epoll data of ep_fixed[i] */
#define MAX_EVENTS 256

/* Keep ep_fixed[i] registered as `fd` (-1: none). O(1). */
static void sync_fixed(struct xs_daemon *d, int i, int fd)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = TAG_FIXED(i) };

    if (d->ep_fixed[i] == fd)
        return;
    if (d->ep_fixed[i] >= 0)
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->ep_fixed[i], NULL);
    d->ep_fixed[i] = -1;
    if (fd >= 0 && epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
        d->ep_fixed[i] = fd;
}

/* Register c for `events` (a syscall only when its fd or events changed). */
static void sync_conn(struct xs_daemon *d, struct xs_conn *c, uint32_t events)
{
    int fd = c->ops->poll_fd(c);
    struct epoll_event ev = { .events = events, .data.ptr = c };

    if (fd == c->ep_fd && events == c->ep_events)
        return;
    if (c->ep_fd >= 0 && fd != c->ep_fd) {
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->ep_fd, NULL);
        c->ep_fd = -1;
    }
    if (fd < 0)
        return;
    if (c->ep_fd < 0) {
        if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            c->broken = true;   /* an fd we cannot wait on: as poll's POLLNVAL */
            return;
        }
        c->ep_fd = fd;
    } else if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, fd, &ev) < 0) {
        c->broken = true;
        return;
    }
    c->ep_events = events;
}

/* Nothing to do for c until its fd wakes it. */
static bool conn_idle(const struct xs_conn *c)
{
    return !c->broken && !c->out_head && !conn_has_message(c);
}

/* One round; `extra_fd` (or -1) is waited on too and reported through *extra_ready. */
static int poll_round(struct xs_daemon *d, int listen_fd, int extra_fd, int timeout_ms,
                      bool *extra_ready)
{
    struct epoll_event evs[MAX_EVENTS];
    bool pending = false, fixed_ready[3] = { false, false, false };
    struct xs_conn *c, *next;
    int n;

    sync_fixed(d, 0, listen_fd);
    sync_fixed(d, 1, extra_fd);
    sync_fixed(d, 2, exception_fd(d));
    /* Register what each active connection wants; idle ones leave the list. */
    for (c = d->active; c; c = next) {
        uint32_t ev = 0;

        next = c->act_next;
        if (conn_can_take_input(c)) {
            ev |= EPOLLIN;
            if (conn_has_message(c))
                pending = true;
        }
        if (c->out_head)
            ev |= c->ops->ack_event ? EPOLLIN : EPOLLOUT; /* rings signal both ways */
        sync_conn(d, c, ev);
        if (conn_idle(c))
            conn_unmark_active(c);
    }
    n = epoll_wait(d->epfd, evs, MAX_EVENTS, pending ? 0 : timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    /* Record every result before anything runs: handling may free connections. */
    for (int i = 0; i < n; i++) {
        uintptr_t tag = (uintptr_t)evs[i].data.ptr;

        if (tag >= 1 && tag <= 3) {
            fixed_ready[tag - 1] = true;
        } else {
            c = evs[i].data.ptr;
            c->ep_revents = evs[i].events;
            conn_mark_active(c);
        }
    }
    if (extra_ready)
        *extra_ready = extra_fd >= 0 && fixed_ready[1];
    if (fixed_ready[2]) {
        d->channel->ack_exception(d->channel->opaque);
        domain_check_exceptions(d);
    }
    if (listen_fd >= 0 && fixed_ready[0])
        for (int i = 0; i < ACCEPT_BUDGET && socket_accept(d, listen_fd); i++)
            ;
    /* Connections marked during this pass join at the tail and are looked at too. */
    for (c = d->active; c; c = c->act_next) {
        uint32_t rev = c->ep_revents;

        c->ep_revents = 0;
        if (rev && c->ops->ack_event)
            c->ops->ack_event(c);
        if ((rev & (EPOLLIN | EPOLLHUP | EPOLLERR)) || conn_has_message(c))
            conn_service_input(d, c, ROUND_BUDGET);
    }
    /* Flush after everyone ran: events for other connections were queued meanwhile. */
    for (c = d->active; c; c = c->act_next)
        if (c->out_head || c->ops->flush)
            conn_flush(c);
    reap_broken(d);
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
