/*
 * xc_core.c: the libxenctrl handle and the privcmd round trip.
 *
 * Wire format: public/privcmd.h. Each call sends one datagram and reads
 * exactly one answer; descriptors (the machine memfd, eventfds) arrive as
 * SCM_RIGHTS on that answer. Errors follow libxenctrl: -1 with errno set,
 * errno being the hypervisor's errno when it refused the call.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xc_private.h"

int xc_privcmd_connect(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *dir = getenv("XEN_RUN_DIR");
    int fd;

    if (!dir || !*dir)
        dir = "/run/xen";
    if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, PRIVCMD_SOCKET) >=
        (int)sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

xc_interface *xc_interface_open(void *logger, void *dombuild_logger, unsigned open_flags)
{
    xc_interface *xch = calloc(1, sizeof(*xch));

    (void)logger;
    (void)dombuild_logger;
    (void)open_flags;
    if (!xch)
        return NULL;
    xch->memfd = -1;
    xch->fd = xc_privcmd_connect();
    if (xch->fd < 0) {
        int e = errno;

        free(xch);
        errno = e;
        return NULL;
    }
    return xch;
}

int xc_interface_close(xc_interface *xch)
{
    if (!xch)
        return 0;
    close(xch->fd);
    if (xch->memfd >= 0)
        close(xch->memfd);
    free(xch);
    return 0;
}

/*
 * The answer buffer: one per thread, kept for the thread's life (a handle is
 * used by one thread at a time), so a call costs no allocation.
 */
static _Thread_local unsigned char *answer_buf;

static unsigned char *answer_buffer(void)
{
    if (!answer_buf)
        answer_buf = malloc(PRIVCMD_MAX_MSG);
    return answer_buf;
}

long xc_call(int sock, uint32_t op, uint32_t cmd, void *body, size_t len, size_t body_out,
             void *tail, size_t tail_cap, size_t *tail_len, int *fd)
{
    struct privcmd_req req = { PRIVCMD_MAGIC, op, cmd, (uint32_t)len };
    struct iovec iov[2] = { { &req, sizeof(req) }, { body, len } };
    struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } cm;
    struct privcmd_rsp rsp;
    unsigned char *ans = NULL;
    struct iovec riov[2];
    ssize_t n;
    size_t got, blen;
    int rfd = -1;
    long ret = -1;

    if (fd)
        *fd = -1;
    if (tail_len)
        *tail_len = 0;
    if (sizeof(req) + len > PRIVCMD_MAX_MSG) {
        errno = E2BIG;
        return -1;
    }
    if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
        return -1;
    ans = answer_buffer();
    if (!ans)
        return -1;
    riov[0] = (struct iovec){ &rsp, sizeof(rsp) };
    riov[1] = (struct iovec){ ans, PRIVCMD_MAX_MSG };
    mh = (struct msghdr){ .msg_iov = riov, .msg_iovlen = 2, .msg_control = cm.buf,
                          .msg_controllen = sizeof(cm.buf) };
    do
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto out;
    if (n == 0) {
        errno = ECONNRESET;
        goto out;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(&rfd, CMSG_DATA(c), sizeof(int));
    if ((size_t)n < sizeof(rsp) || rsp.magic != PRIVCMD_MAGIC ||
        rsp.len != (size_t)n - sizeof(rsp)) {
        errno = EPROTO;
        goto out;
    }
    got = rsp.len;
    blen = got < body_out ? got : body_out;
    memcpy(body, ans, blen);
    if (got > body_out && tail) {
        size_t t = got - body_out < tail_cap ? got - body_out : tail_cap;

        memcpy(tail, ans + body_out, t);
        if (tail_len)
            *tail_len = t;
    }
    if (rsp.ret < 0) {
        errno = -rsp.ret;
        goto out;
    }
    ret = rsp.ret;
    if (fd) {
        *fd = rfd;
        rfd = -1;
    }
out:
    if (rfd >= 0)
        close(rfd);
    return ret;
}

void xc_domctl_init(struct xen_domctl *op, uint32_t cmd, uint32_t domid)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = (domid_t)domid;
}

long xc_domctl(xc_interface *xch, struct xen_domctl *op, const void *in, size_t in_len,
               void *out, size_t out_cap, size_t *out_len, int *fd)
{
    unsigned char *buf;
    long rc;

    if (!in_len)
        return xc_call(xch->fd, __HYPERVISOR_domctl, 0, op, sizeof(*op), sizeof(*op), out,
                       out_cap, out_len, fd);
    buf = malloc(sizeof(*op) + in_len);
    if (!buf)
        return -1;
    memcpy(buf, op, sizeof(*op));
    memcpy(buf + sizeof(*op), in, in_len);
    rc = xc_call(xch->fd, __HYPERVISOR_domctl, 0, buf, sizeof(*op) + in_len, sizeof(*op), out,
                 out_cap, out_len, fd);
    memcpy(op, buf, sizeof(*op));
    free(buf);
    return rc;
}

long xc_sysctl(xc_interface *xch, struct xen_sysctl *op, void *out, size_t out_cap,
               size_t *out_len)
{
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return xc_call(xch->fd, __HYPERVISOR_sysctl, 0, op, sizeof(*op), sizeof(*op), out, out_cap,
                   out_len, NULL);
}
