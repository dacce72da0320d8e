/*
 * privcmd.c: dom0's hypercall channel, a SOCK_SEQPACKET Unix socket at
 * $XEN_RUN_DIR/privcmd with mode 0600 (wire format: public/privcmd.h).
 *
 * Privilege: at accept time SO_PEERCRED gives the peer's uid and gid; the
 * peer is privileged iff privcmd_peer_privileged() says so (uid 0, or the
 * daemon's own uid or gid). An unprivileged peer gets -EPERM for everything
 * but xen_version, and each refusal is logged to the console ring.
 * Robustness: a datagram that is truncated, oversized (MSG_TRUNC), has a bad
 * magic or a body that does not fit its operation closes that connection,
 * with a log line; the daemon and the other clients carry on. Answers are
 * sent without blocking: a client that stops reading them is disconnected.
 * Invariants: requests are handled one at a time under xen_lock; a closing
 * connection drops its foreign references and closes its dom0 ports.
 * Cost: the loop waits with epoll (each client registered once, at accept),
 * so serving one request is O(1) in the number of connected clients (dom0
 * services such as xenstored hold one connection per guest event channel).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "public/privcmd.h"
#include "umbra/console.h"
#include "umbra/control.h"
#include "umbra/event.h"
#include "umbra/privcmd_srv.h"
#include "umbra/sched.h"

struct client {
    int fd;
    pid_t pid;
    uid_t uid;
    gid_t gid;
    bool privileged;
    struct ctl_conn ctl;
    struct client *next, **pprev; /* pprev: the pointer that points at us */
};

static struct client *clients;
static int epfd = -1;                /* the serve loop's epoll set, while it runs */
static char tag_listen, tag_signal;  /* epoll data for the two daemon fds */
static unsigned char rxbuf[PRIVCMD_MAX_MSG + 1];
static unsigned char txbuf[PRIVCMD_MAX_MSG];

int privcmd_listen(const char *dir)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, rc;

    if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, PRIVCMD_SOCKET) >=
        (int)sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(sa.sun_path);
    /* Create it 0600 from the start: no window where others could connect. */
    mode_t old = umask(0177);
    rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (rc < 0 || chmod(sa.sun_path, 0600) < 0 || listen(fd, 64) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

static void client_accept(int lfd)
{
    struct ucred cr;
    socklen_t len = sizeof(cr);
    struct client *c;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0)
        return;
    c = calloc(1, sizeof(*c));
    if (!c || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
        free(c);
        close(fd);
        return;
    }
    c->fd = fd;
    c->pid = cr.pid;
    c->uid = cr.uid;
    c->gid = cr.gid;
    c->privileged = privcmd_peer_privileged(cr.uid, cr.gid, getuid(), getgid());
    if (epfd >= 0) {
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            free(c);
            close(fd);
            return;
        }
    }
    c->next = clients;
    if (clients)
        clients->pprev = &c->next;
    c->pprev = &clients;
    clients = c;
}

/* O(1): the list is doubly linked and close() drops the fd from the epoll set. */
static void client_close(struct client *c)
{
    *c->pprev = c->next;
    if (c->next)
        c->next->pprev = c->pprev;
    if (epfd >= 0)
        epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    xen_lock_acquire();
    ctl_conn_release(&c->ctl);
    evtchn_close_owned(&c->ctl);
    xen_lock_release();
    close(c->fd);
    free(c);
}

void privcmd_close_all(void)
{
    while (clients)
        client_close(clients);
}

static int send_reply(struct client *c, int32_t ret, const void *body, size_t len, int fd)
{
    struct privcmd_rsp rsp = { PRIVCMD_MAGIC, ret, (uint32_t)len, fd >= 0 };
    struct iovec iov[2] = { { &rsp, sizeof(rsp) }, { (void *)body, len } };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } cm;
    struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

    if (fd >= 0) {
        memset(&cm, 0, sizeof(cm));
        mh.msg_control = cm.buf;
        mh.msg_controllen = sizeof(cm.buf);
        cm.h.cmsg_level = SOL_SOCKET;
        cm.h.cmsg_type = SCM_RIGHTS;
        cm.h.cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
    }
    /* Never block the daemon on a client that does not read its answers:
     * a full socket buffer costs that client its connection. */
    return sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 ? -errno : 0;
}

static const char *op_name(uint32_t op)
{
    switch (op) {
    case __HYPERVISOR_domctl: return "domctl";
    case __HYPERVISOR_sysctl: return "sysctl";
    case __HYPERVISOR_memory_op: return "memory_op";
    case __HYPERVISOR_event_channel_op: return "event_channel_op";
    case __HYPERVISOR_sched_op: return "sched_op";
    default: return "hypercall";
    }
}

/* Handle one datagram. Returns false when the connection must close. */
static bool client_request(struct client *c)
{
    struct privcmd_req req;
    struct ctl_tail t = { .fd_out = -1 };
    size_t body_len, reply_len;
    bool malformed = false;
    ssize_t n = recv(c->fd, rxbuf, sizeof(rxbuf), MSG_TRUNC);
    long ret;

    if (n <= 0)
        return false;   /* EOF or error */
    if ((size_t)n > PRIVCMD_MAX_MSG || (size_t)n < sizeof(req)) {
        xen_log("privcmd: pid %d: malformed message (%zd bytes), connection closed", c->pid, n);
        return false;
    }
    memcpy(&req, rxbuf, sizeof(req));
    body_len = (size_t)n - sizeof(req);
    if (req.magic != PRIVCMD_MAGIC || req.len != body_len) {
        xen_log("privcmd: pid %d: malformed message header, connection closed", c->pid);
        return false;
    }
    if (!c->privileged && !privcmd_op_unprivileged_ok(req.op)) {
        xen_log("privcmd: pid %d uid %u: %s %u refused: not privileged", c->pid,
                (unsigned)c->uid, op_name(req.op),
                req.op == __HYPERVISOR_domctl || req.op == __HYPERVISOR_sysctl
                    ? (body_len >= 4 ? *(uint32_t *)(rxbuf + sizeof(req)) : 0) : req.cmd);
        return send_reply(c, -EPERM, NULL, 0, -1) == 0;
    }
    /* The answer: the (updated) body, then the tail, in txbuf. */
    reply_len = req.op == __HYPERVISOR_domctl && body_len > sizeof(struct xen_domctl)
                    ? sizeof(struct xen_domctl) : body_len;
    t.out = txbuf + reply_len;
    t.out_cap = sizeof(txbuf) - sizeof(struct privcmd_rsp) - reply_len;
    xen_lock_acquire();
    ret = privcmd_dispatch(&c->ctl, &req, rxbuf + sizeof(req), &t, &malformed);
    xen_lock_release();
    if (malformed) {
        xen_log("privcmd: pid %d: malformed %s body (%zu bytes), connection closed", c->pid,
                op_name(req.op), body_len);
        return false;
    }
    memcpy(txbuf, rxbuf + sizeof(req), reply_len);
    return send_reply(c, (int32_t)ret, txbuf, reply_len + t.out_len, t.fd_out) == 0;
}

#define SERVE_EVENTS 64

static int serve_loop(int lfd, int sigfd)
{
    struct epoll_event ev[SERVE_EVENTS];
    struct signalfd_siginfo si;

    for (;;) {
        bool accept_ready = false;
        int n = epoll_wait(epfd, ev, SERVE_EVENTS, -1);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        for (int i = 0; i < n; i++) {
            if (ev[i].data.ptr == &tag_signal) {
                if (read(sigfd, &si, sizeof(si)) == sizeof(si))
                    return (int)si.ssi_signo;
                return 0;
            }
        }
        /* Each client appears at most once per batch and only closes itself. */
        for (int i = 0; i < n; i++) {
            struct client *c = ev[i].data.ptr;

            if (ev[i].data.ptr == &tag_listen) {
                accept_ready = true;
                continue;
            }
            if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                if (!client_request(c))
                    client_close(c);
        }
        if (accept_ready)
            client_accept(lfd);
    }
}

int privcmd_serve(int lfd, int sigfd)
{
    struct epoll_event es = { .events = EPOLLIN, .data.ptr = &tag_signal };
    struct epoll_event el = { .events = EPOLLIN, .data.ptr = &tag_listen };
    int rc;

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return -errno;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &es) < 0 ||
        epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &el) < 0) {
        rc = -errno;
        goto out;
    }
    /* Clients accepted before the loop started (none in practice) join the set. */
    for (struct client *c = clients; c; c = c->next) {
        struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };

        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e) < 0) {
            rc = -errno;
            goto out;
        }
    }
    rc = serve_loop(lfd, sigfd);
out:
    close(epfd);
    epfd = -1;
    return rc;
}
