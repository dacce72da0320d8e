/*
 * conn_socket.c: the Unix socket transport.
 *
 * Local clients connect to one listening socket (mode 0600, so only its
 * owner, normally root, gets in); each is a privileged dom0 connection, as in
 * Xen. Every fd is non-blocking: read and write report "nothing now" as 0 and
 * the poll loop comes back later, so no client can block the daemon.
 */
#include "xenstored.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static ssize_t sock_read(struct xs_conn *c, void *buf, size_t len)
{
    ssize_t n;

    do
        n = read(c->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        return n;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    return -1; /* EOF or error */
}

static ssize_t sock_write(struct xs_conn *c, const void *buf, size_t len)
{
    ssize_t n;

    do
        n = send(c->fd, buf, len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    return -1;
}

static int sock_poll_fd(const struct xs_conn *c)
{
    return c->fd;
}

static void sock_destroy(struct xs_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

const struct xs_transport_ops socket_transport = {
    .name = "socket",
    .read = sock_read,
    .write = sock_write,
    .flush = NULL,
    .poll_fd = sock_poll_fd,
    .ack_event = NULL,
    .destroy = sock_destroy,
};

int socket_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    mode_t old_mask;
    int fd, ret;

    if (strlen(path) >= sizeof(addr.sun_path))
        return -ENAMETOOLONG;
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(path);
    old_mask = umask(0177); /* the socket is created 0600 */
    ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old_mask);
    if (ret < 0 || chmod(path, 0600) < 0 || listen(fd, 128) < 0) {
        ret = -errno;
        close(fd);
        return ret;
    }
    return fd;
}

struct xs_conn *socket_accept(struct xs_daemon *d, int listen_fd)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    struct xs_conn *c;

    if (fd < 0)
        return NULL;
    c = conn_new(d, &socket_transport, NULL, fd, 0);
    if (!c)
        close(fd);
    return c;
}
