/*
 * xc_evtchn.c: event channels for dom0 processes (libxenevtchn's API) and
 * xc_evtchn_alloc_unbound.
 *
 * A xenevtchn handle is its own privcmd connection plus an epoll set. Each
 * port it binds comes with an eventfd (SCM_RIGHTS) that the hypervisor
 * signals when the port fires; the epoll set holds them all, keyed by port,
 * and is what xenevtchn_fd() returns. xenevtchn_pending() takes one ready
 * port and resets its eventfd. Closing the handle closes the connection,
 * and the hypervisor closes every port it bound.
 * Invariant: ports[i].fd is the eventfd of bound port ports[i].port.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "public/event_channel.h"
#include "xc_private.h"

struct bound_port {
    evtchn_port_t port;
    int fd;
};

struct xenevtchn_handle {
    int sock;
    int epfd;
    struct bound_port *ports;
    size_t nr, cap;
};

xenevtchn_handle *xenevtchn_open(void *logger, unsigned open_flags)
{
    xenevtchn_handle *x = calloc(1, sizeof(*x));
    int e;

    (void)logger;
    (void)open_flags;
    if (!x)
        return NULL;
    x->epfd = epoll_create1(EPOLL_CLOEXEC);
    x->sock = x->epfd < 0 ? -1 : xc_privcmd_connect();
    if (x->sock < 0) {
        e = errno;
        if (x->epfd >= 0)
            close(x->epfd);
        free(x);
        errno = e;
        return NULL;
    }
    return x;
}

int xenevtchn_close(xenevtchn_handle *x)
{
    if (!x)
        return 0;
    for (size_t i = 0; i < x->nr; i++)
        close(x->ports[i].fd);
    free(x->ports);
    close(x->epfd);
    close(x->sock);
    free(x);
    return 0;
}

int xenevtchn_fd(xenevtchn_handle *x)
{
    return x->epfd;
}

static long evtchn_call(int sock, unsigned cmd, void *arg, size_t len, int *fd)
{
    return xc_call(sock, __HYPERVISOR_event_channel_op, cmd, arg, len, len, NULL, 0, NULL, fd);
}

/* Track a newly bound port and its eventfd; on failure close the port again. */
static evtchn_port_or_error_t track(xenevtchn_handle *x, evtchn_port_t port, int fd)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = port };
    struct evtchn_close cl = { port };

    if (fd < 0) {
        errno = EPROTO;
        goto fail;
    }
    if (x->nr == x->cap) {
        size_t n = x->cap ? x->cap * 2 : 8;
        struct bound_port *p = realloc(x->ports, n * sizeof(*p));

        if (!p)
            goto fail;
        x->ports = p;
        x->cap = n;
    }
    if (epoll_ctl(x->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        goto fail;
    x->ports[x->nr++] = (struct bound_port){ port, fd };
    return port;
fail:
    if (fd >= 0)
        close(fd);
    evtchn_call(x->sock, EVTCHNOP_close, &cl, sizeof(cl), NULL);
    return (evtchn_port_or_error_t)-1;
}

evtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *x, uint32_t domid,
                                                  evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain b = { (domid_t)domid, 0, remote_port, 0 };
    int fd;

    if (evtchn_call(x->sock, EVTCHNOP_bind_interdomain, &b, sizeof(b), &fd) < 0)
        return (evtchn_port_or_error_t)-1;
    return track(x, b.local_port, fd);
}

evtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *x, uint32_t domid)
{
    struct evtchn_alloc_unbound a = { DOMID_SELF, (domid_t)domid, 0 };
    int fd;

    if (evtchn_call(x->sock, EVTCHNOP_alloc_unbound, &a, sizeof(a), &fd) < 0)
        return (evtchn_port_or_error_t)-1;
    return track(x, a.port, fd);
}

evtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *x, unsigned int virq)
{
    struct evtchn_bind_virq b = { virq, 0, 0 };
    int fd;

    if (evtchn_call(x->sock, EVTCHNOP_bind_virq, &b, sizeof(b), &fd) < 0)
        return (evtchn_port_or_error_t)-1;
    return track(x, b.port, fd);
}

static struct bound_port *find(xenevtchn_handle *x, evtchn_port_t port)
{
    for (size_t i = 0; i < x->nr; i++)
        if (x->ports[i].port == port)
            return &x->ports[i];
    return NULL;
}

int xenevtchn_unbind(xenevtchn_handle *x, evtchn_port_t port)
{
    struct bound_port *p = find(x, port);
    struct evtchn_close cl = { port };

    if (!p) {
        errno = EINVAL;
        return -1;
    }
    epoll_ctl(x->epfd, EPOLL_CTL_DEL, p->fd, NULL);
    close(p->fd);
    *p = x->ports[--x->nr];
    return evtchn_call(x->sock, EVTCHNOP_close, &cl, sizeof(cl), NULL) < 0 ? -1 : 0;
}

int xenevtchn_notify(xenevtchn_handle *x, evtchn_port_t port)
{
    struct evtchn_send s = { port };

    return evtchn_call(x->sock, EVTCHNOP_send, &s, sizeof(s), NULL) < 0 ? -1 : 0;
}

evtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *x)
{
    struct epoll_event ev;
    struct bound_port *p;
    uint64_t cnt;

    if (epoll_wait(x->epfd, &ev, 1, 0) != 1) {
        errno = EAGAIN;
        return (evtchn_port_or_error_t)-1;
    }
    p = find(x, ev.data.u32);
    if (!p) {
        errno = EAGAIN;
        return (evtchn_port_or_error_t)-1;
    }
    if (read(p->fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
        return (evtchn_port_or_error_t)-1;
    return p->port;
}

int xenevtchn_unmask(xenevtchn_handle *x, evtchn_port_t port)
{
    struct evtchn_unmask u = { port };

    return evtchn_call(x->sock, EVTCHNOP_unmask, &u, sizeof(u), NULL) < 0 ? -1 : 0;
}

int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom)
{
    struct evtchn_alloc_unbound a = { (domid_t)dom, (domid_t)remote_dom, 0 };

    if (dom == 0 || dom >= DOMID_FIRST_RESERVED) {
        errno = EINVAL;   /* dom0 ports belong to a xenevtchn handle */
        return -1;
    }
    if (evtchn_call(xch->fd, EVTCHNOP_alloc_unbound, &a, sizeof(a), NULL) < 0)
        return -1;
    return (int)a.port;
}
