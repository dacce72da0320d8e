/*
 * xs.c: the xenstore client library (see tools/include/xenstore.h).
 *
 * One socket per handle. Requests are serialised by request_mutex: a thread
 * sends one request and waits for its reply. Messages are read by whichever
 * thread needs one (a requester or xs_read_watch), or, once the handle has a
 * watch or its fileno was taken, by a dedicated reader thread, as in
 * libxenstore. Watch events go to their own queue, never mixed with replies,
 * and each queued event holds one byte in a pipe so that xs_fileno() can be
 * polled. Locks: request_mutex (outer) then lock (inner); lock protects the
 * reply slot, the event queue, `reading`, `broken` and the thread state.
 * Input is read ahead into a per-handle buffer (one read() usually brings a
 * whole reply, header and body, instead of two); only the thread inside
 * read_msg() (the one that set `reading`) touches it.
 */
#include "xenstore.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/var/run/xenstored/socket"

struct xs_msg {
    struct xsd_sockmsg hdr;
    char *body; /* hdr.len bytes plus a NUL */
    struct xs_msg *next;
};

struct xs_handle {
    int fd;
    unsigned long flags;
    pthread_mutex_t request_mutex;
    pthread_mutex_t lock;
    pthread_cond_t cond;          /* any message arrived, or reading ended */
    struct xs_msg *reply;
    struct xs_msg *events, **events_tail;
    bool reading;                 /* a thread is inside read_msg() */
    bool broken;
    bool thread_running;
    pthread_t thread;
    int event_pipe[2];
    /* read-ahead: bytes in[in_off..in_len) are received but not yet parsed */
    size_t in_off, in_len;
    char in[2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)];
};

const char *xs_daemon_socket(void)
{
    const char *s = getenv("XENSTORED_PATH");

    return s && *s ? s : DEFAULT_SOCKET;
}

struct xs_handle *xs_open(unsigned long flags)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    const char *path = xs_daemon_socket();
    struct xs_handle *h;
    int saved;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(addr.sun_path, path);
    h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->flags = flags;
    h->event_pipe[0] = h->event_pipe[1] = -1;
    h->events_tail = &h->events;
    h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (h->fd < 0 || connect(h->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        pipe2(h->event_pipe, O_CLOEXEC) < 0)
        goto fail;
    pthread_mutex_init(&h->request_mutex, NULL);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    return h;
fail:
    saved = errno;
    if (h->fd >= 0)
        close(h->fd);
    free(h);
    errno = saved;
    return NULL;
}

struct xs_handle *xs_daemon_open(void)
{
    return xs_open(0);
}

static void free_msg(struct xs_msg *m)
{
    if (m) {
        free(m->body);
        free(m);
    }
}

void xs_close(struct xs_handle *h)
{
    if (!h)
        return;
    if (h->thread_running) {
        shutdown(h->fd, SHUT_RDWR);
        pthread_join(h->thread, NULL);
    }
    close(h->fd);
    free_msg(h->reply);
    while (h->events) {
        struct xs_msg *m = h->events;

        h->events = m->next;
        free_msg(m);
    }
    close(h->event_pipe[0]);
    close(h->event_pipe[1]);
    pthread_mutex_destroy(&h->request_mutex);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    free(h);
}

void xs_daemon_close(struct xs_handle *h)
{
    xs_close(h);
}

/* Have at least `need` (<= sizeof(h->in)) bytes buffered; reads only when short. */
static bool fill(struct xs_handle *h, size_t need)
{
    while (h->in_len - h->in_off < need) {
        ssize_t n;

        if (h->in_off + need > sizeof(h->in)) {
            memmove(h->in, h->in + h->in_off, h->in_len - h->in_off);
            h->in_len -= h->in_off;
            h->in_off = 0;
        }
        n = read(h->fd, h->in + h->in_len, sizeof(h->in) - h->in_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        h->in_len += (size_t)n;
    }
    return true;
}

/*
 * Read one whole message (blocking unless it is already buffered). NULL on
 * EOF or error. Called without `lock`, by the thread that set `reading`.
 */
static struct xs_msg *read_msg(struct xs_handle *h)
{
    struct xs_msg *m = calloc(1, sizeof(*m));

    if (!m)
        return NULL;
    if (!fill(h, sizeof(m->hdr)))
        goto fail;
    memcpy(&m->hdr, h->in + h->in_off, sizeof(m->hdr));
    if (m->hdr.len > XENSTORE_PAYLOAD_MAX || !fill(h, sizeof(m->hdr) + m->hdr.len))
        goto fail;
    m->body = malloc(m->hdr.len + 1);
    if (!m->body)
        goto fail;
    memcpy(m->body, h->in + h->in_off + sizeof(m->hdr), m->hdr.len);
    m->body[m->hdr.len] = '\0';
    h->in_off += sizeof(m->hdr) + m->hdr.len;
    if (h->in_off == h->in_len)
        h->in_off = h->in_len = 0;
    return m;
fail:
    free_msg(m);
    return NULL;
}

/* File a message read from the socket. Caller holds `lock`. */
static void file_msg(struct xs_handle *h, struct xs_msg *m)
{
    if (!m) {
        h->broken = true;
    } else if (m->hdr.type == XS_WATCH_EVENT) {
        char c = 0;

        *h->events_tail = m;
        h->events_tail = &m->next;
        if (write(h->event_pipe[1], &c, 1) < 0) {
            /* pipe full: xs_fileno readers still see it readable */
        }
    } else {
        free_msg(h->reply); /* an unsolicited reply cannot be matched */
        h->reply = m;
    }
    pthread_cond_broadcast(&h->cond);
}

/* Read one message with `lock` dropped around the blocking read. Caller holds `lock`. */
static void read_one_locked(struct xs_handle *h)
{
    struct xs_msg *m;

    h->reading = true;
    pthread_mutex_unlock(&h->lock);
    m = read_msg(h);
    pthread_mutex_lock(&h->lock);
    h->reading = false;
    file_msg(h, m);
}

/* Make progress on input (lock held): wait while another thread reads,
 * else read one message ourselves. */
static void await_input_locked(struct xs_handle *h)
{
    if (h->thread_running || h->reading)
        pthread_cond_wait(&h->cond, &h->lock);
    else
        read_one_locked(h);
}

static void *reader_thread(void *arg)
{
    struct xs_handle *h = arg;

    pthread_mutex_lock(&h->lock);
    while (!h->broken) {
        if (h->reading) { /* a requester is mid-read: let it finish */
            pthread_cond_wait(&h->cond, &h->lock);
            continue;
        }
        read_one_locked(h);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

static bool start_reader(struct xs_handle *h)
{
    bool ok = true;

    pthread_mutex_lock(&h->lock);
    if (!h->thread_running) {
        sigset_t all, old;

        /* The reader thread must not take the application's signals. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        ok = pthread_create(&h->thread, NULL, reader_thread, h) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        h->thread_running = ok;
    }
    pthread_mutex_unlock(&h->lock);
    return ok;
}

/* Wait for the reply to the request just sent. Caller holds request_mutex. */
static struct xs_msg *wait_reply(struct xs_handle *h)
{
    struct xs_msg *m = NULL;

    pthread_mutex_lock(&h->lock);
    for (;;) {
        if (h->reply) {
            m = h->reply;
            h->reply = NULL;
            break;
        }
        if (h->broken)
            break;
        await_input_locked(h);
    }
    pthread_mutex_unlock(&h->lock);
    if (!m)
        errno = ECONNRESET;
    return m;
}

static bool write_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return true;
}

static int errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strcmp(xsd_errors[i].errstring, name) == 0)
            return xsd_errors[i].errnum;
    return EINVAL;
}

/*
 * Send one request made of iovecs and return the reply body (malloc'd, NUL
 * added) and its length. NULL with errno set on an error reply or failure.
 */
static void *xs_talkv(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                      const struct iovec *iovec, int num, unsigned int *len)
{
    struct xsd_sockmsg hdr = { type, 0, t, 0 };
    struct iovec iov[8];
    struct xs_msg *m;
    void *body;
    int saved;

    if (num > 7) {
        errno = EINVAL;
        return NULL;
    }
    for (int i = 0; i < num; i++) {
        hdr.len += (uint32_t)iovec[i].iov_len;
        iov[i + 1] = iovec[i];
    }
    if (hdr.len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return NULL;
    }
    iov[0].iov_base = &hdr;
    iov[0].iov_len = sizeof(hdr);
    pthread_mutex_lock(&h->request_mutex);
    if (!write_all(h->fd, iov, num + 1)) {
        saved = errno;
        pthread_mutex_unlock(&h->request_mutex);
        errno = saved;
        return NULL;
    }
    m = wait_reply(h);
    saved = errno;
    pthread_mutex_unlock(&h->request_mutex);
    if (!m) {
        errno = saved;
        return NULL;
    }
    if (m->hdr.type == XS_ERROR) {
        saved = errno_from_name(m->body);
        free_msg(m);
        errno = saved;
        return NULL;
    }
    if (m->hdr.type != type) {
        free_msg(m);
        errno = EBADMSG;
        return NULL;
    }
    if (len)
        *len = m->hdr.len;
    body = m->body;
    free(m);
    return body;
}

static void *xs_single(struct xs_handle *h, xs_transaction_t t, uint32_t type, const char *s,
                       unsigned int *len)
{
    struct iovec iov = { (void *)s, strlen(s) + 1 };

    return xs_talkv(h, t, type, &iov, 1, len);
}

static bool xs_bool(void *reply)
{
    if (!reply)
        return false;
    free(reply);
    return true;
}

unsigned int xs_count_strings(const char *strings, unsigned int len)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < len; i++)
        if (strings[i] == '\0')
            n++;
    return n;
}

/* Turn "a\0b\0" into a malloc'd vector whose strings live in the same block. */
static char **split_strings(char *strings, unsigned int len, unsigned int *num)
{
    char **ret, *p;

    *num = xs_count_strings(strings, len);
    ret = malloc(sizeof(char *) * (*num + 1) + len);
    if (!ret)
        return NULL;
    p = (char *)(ret + *num + 1);
    memcpy(p, strings, len);
    for (unsigned int i = 0; i < *num; i++) {
        ret[i] = p;
        p += strlen(p) + 1;
    }
    ret[*num] = NULL;
    return ret;
}

/* DIRECTORY_PART fallback for directories whose listing exceeds one payload. */
static char *directory_part(struct xs_handle *h, xs_transaction_t t, const char *path,
                            unsigned int *total)
{
    char *acc = NULL, gen[24] = "";
    unsigned int acclen = 0;

    for (;;) {
        char off[16];
        struct iovec iov[2];
        unsigned int len, glen;
        char *r, *grow;

        snprintf(off, sizeof(off), "%u", acclen);
        iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
        iov[1] = (struct iovec){ off, strlen(off) + 1 };
        r = xs_talkv(h, t, XS_DIRECTORY_PART, iov, 2, &len);
        if (!r) {
            free(acc);
            return NULL;
        }
        glen = (unsigned int)strnlen(r, len) + 1;
        if (glen > len || (acclen && strcmp(gen, r) != 0)) {
            /* The directory changed under us: start again. */
            free(r);
            free(acc);
            acc = NULL;
            acclen = 0;
            gen[0] = '\0';
            continue;
        }
        snprintf(gen, sizeof(gen), "%s", r);
        grow = realloc(acc, acclen + (len - glen) + 1);
        if (!grow) {
            free(r);
            free(acc);
            errno = ENOMEM;
            return NULL;
        }
        acc = grow;
        memcpy(acc + acclen, r + glen, len - glen);
        acclen += len - glen;
        free(r);
        /* The last chunk ends with an empty string: two NULs. */
        if (len == glen || (acclen >= 1 && acc[acclen - 1] == '\0' &&
                            (acclen == 1 || acc[acclen - 2] == '\0'))) {
            if (acclen)
                acclen--;
            *total = acclen;
            return acc;
        }
    }
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *num)
{
    unsigned int len;
    char *strings = xs_single(h, t, XS_DIRECTORY, path, &len);
    char **ret;

    if (!strings && errno == E2BIG)
        strings = directory_part(h, t, path, &len);
    if (!strings)
        return NULL;
    ret = split_strings(strings, len, num);
    free(strings);
    return ret;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
    return xs_single(h, t, XS_READ, path, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
              unsigned int len)
{
    struct iovec iov[2] = { { (void *)path, strlen(path) + 1 }, { (void *)data, len } };

    return xs_bool(xs_talkv(h, t, XS_WRITE, iov, 2, NULL));
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_bool(xs_single(h, t, XS_MKDIR, path, NULL));
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_bool(xs_single(h, t, XS_RM, path, NULL));
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num, const char *strings)
{
    const char *p = strings;

    for (unsigned int i = 0; i < num; i++, p += strlen(p) + 1) {
        char *end;
        unsigned long id;

        switch (*p) {
        case 'n': perms[i].perms = XS_PERM_NONE; break;
        case 'r': perms[i].perms = XS_PERM_READ; break;
        case 'w': perms[i].perms = XS_PERM_WRITE; break;
        case 'b': perms[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        default: errno = EINVAL; return false;
        }
        errno = 0;
        id = strtoul(p + 1, &end, 10);
        if (p[1] == '\0' || *end || errno || id > UINT32_MAX) {
            errno = EINVAL;
            return false;
        }
        perms[i].id = (unsigned int)id;
    }
    return true;
}

bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer, size_t buf_len)
{
    char c;

    switch (perm->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
    case XS_PERM_READ: c = 'r'; break;
    case XS_PERM_WRITE: c = 'w'; break;
    case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
    default: c = 'n'; break;
    }
    return (size_t)snprintf(buffer, buf_len, "%c%u", c, perm->id) < buf_len;
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t,
                                          const char *path, unsigned int *num)
{
    unsigned int len;
    char *strings = xs_single(h, t, XS_GET_PERMS, path, &len);
    struct xs_permissions *ret;

    if (!strings)
        return NULL;
    *num = xs_count_strings(strings, len);
    ret = malloc(sizeof(*ret) * (*num ? *num : 1));
    if (ret && !xs_strings_to_perms(ret, *num, strings)) {
        free(ret);
        ret = NULL;
        errno = EINVAL;
    }
    free(strings);
    return ret;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num_perms)
{
    char *buf = malloc((size_t)num_perms * 16 + 1);
    struct iovec iov[2];
    size_t len = 0;
    bool ok;

    if (!buf)
        return false;
    for (unsigned int i = 0; i < num_perms; i++) {
        if (!xs_perm_to_string(&perms[i], buf + len, 16)) {
            free(buf);
            errno = EINVAL;
            return false;
        }
        len += strlen(buf + len) + 1;
    }
    iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
    iov[1] = (struct iovec){ buf, len };
    ok = xs_bool(xs_talkv(h, t, XS_SET_PERMS, iov, 2, NULL));
    free(buf);
    return ok;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
                            { (void *)token, strlen(token) + 1 } };

    if (!start_reader(h))
        return false;
    return xs_bool(xs_talkv(h, XBT_NULL, XS_WATCH, iov, 2, NULL));
}

int xs_fileno(struct xs_handle *h)
{
    if (!start_reader(h))
        return -1;
    return h->event_pipe[0];
}

/* Pop the first event as a vector. Caller holds `lock` and the queue is non-empty. */
static char **pop_event(struct xs_handle *h, unsigned int *num)
{
    struct xs_msg *m = h->events;
    unsigned int n;
    char c, **vec;

    h->events = m->next;
    if (!h->events)
        h->events_tail = &h->events;
    if (read(h->event_pipe[0], &c, 1) < 0) {
        /* the byte was lost to a full pipe; nothing to consume */
    }
    vec = split_strings(m->body, m->hdr.len, &n);
    free_msg(m);
    if (vec && n < 2) {
        free(vec);
        vec = NULL;
        errno = EINVAL;
    }
    if (num)
        *num = n;
    return vec;
}

char **xs_check_watch(struct xs_handle *h)
{
    char **vec = NULL;

    pthread_mutex_lock(&h->lock);
    if (h->events)
        vec = pop_event(h, NULL);
    else
        errno = h->broken ? ECONNRESET : EAGAIN;
    pthread_mutex_unlock(&h->lock);
    return vec;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
    char **vec = NULL;

    pthread_mutex_lock(&h->lock);
    for (;;) {
        if (h->events) {
            vec = pop_event(h, num);
            break;
        }
        if (h->broken) {
            errno = ECONNRESET;
            break;
        }
        await_input_locked(h);
    }
    pthread_mutex_unlock(&h->lock);
    return vec;
}

/* Drop queued events of (path subtree, token). Caller holds `lock`. */
static void filter_events(struct xs_handle *h, const char *path, const char *token)
{
    struct xs_msg **pp = &h->events;

    while (*pp) {
        struct xs_msg *m = *pp;
        const char *epath = m->body;
        size_t plen = strnlen(epath, m->hdr.len);
        const char *etoken = plen < m->hdr.len ? epath + plen + 1 : "";

        if (strcmp(etoken, token) == 0 && xs_path_is_subpath(path, epath)) {
            char c;

            *pp = m->next;
            free_msg(m);
            if (read(h->event_pipe[0], &c, 1) < 0) {
                /* nothing to consume */
            }
        } else {
            pp = &m->next;
        }
    }
    h->events_tail = pp;
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
                            { (void *)token, strlen(token) + 1 } };
    bool ok = xs_bool(xs_talkv(h, XBT_NULL, XS_UNWATCH, iov, 2, NULL));

    if (ok && (h->flags & XS_UNWATCH_FILTER)) {
        pthread_mutex_lock(&h->lock);
        filter_events(h, path, token);
        pthread_mutex_unlock(&h->lock);
    }
    return ok;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    char *id = xs_single(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
    unsigned long v;

    if (!id)
        return XBT_NULL;
    v = strtoul(id, NULL, 10);
    free(id);
    return (xs_transaction_t)v;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    return xs_bool(xs_single(h, t, XS_TRANSACTION_END, abort ? "F" : "T", NULL));
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn)
{
    char a[16], b[24], c[16];
    struct iovec iov[3];

    snprintf(a, sizeof(a), "%u", domid);
    snprintf(b, sizeof(b), "%lu", mfn);
    snprintf(c, sizeof(c), "%u", eventchn);
    iov[0] = (struct iovec){ a, strlen(a) + 1 };
    iov[1] = (struct iovec){ b, strlen(b) + 1 };
    iov[2] = (struct iovec){ c, strlen(c) + 1 };
    return xs_bool(xs_talkv(h, XBT_NULL, XS_INTRODUCE, iov, 3, NULL));
}

bool xs_set_target(struct xs_handle *h, unsigned int domid, unsigned int target)
{
    char a[16], b[16];
    struct iovec iov[2];

    snprintf(a, sizeof(a), "%u", domid);
    snprintf(b, sizeof(b), "%u", target);
    iov[0] = (struct iovec){ a, strlen(a) + 1 };
    iov[1] = (struct iovec){ b, strlen(b) + 1 };
    return xs_bool(xs_talkv(h, XBT_NULL, XS_SET_TARGET, iov, 2, NULL));
}

static void *domid_request(struct xs_handle *h, uint32_t type, unsigned int domid)
{
    char a[16];

    snprintf(a, sizeof(a), "%u", domid);
    return xs_single(h, XBT_NULL, type, a, NULL);
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
    return xs_bool(domid_request(h, XS_RESUME, domid));
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    return xs_bool(domid_request(h, XS_RELEASE, domid));
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
    return domid_request(h, XS_GET_DOMAIN_PATH, domid);
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    char *r = domid_request(h, XS_IS_DOMAIN_INTRODUCED, domid);
    bool yes = r && strcmp(r, "T") == 0;

    free(r);
    return yes;
}

bool xs_path_is_subpath(const char *parent, const char *child)
{
    size_t len = strlen(parent);

    if (len && parent[len - 1] == '/')
        len--;
    return strncmp(parent, child, len) == 0 && (child[len] == '\0' || child[len] == '/');
}

char *xs_control_command(struct xs_handle *h, const char *cmd, void *data, unsigned int len)
{
    struct iovec iov[2] = { { (void *)cmd, strlen(cmd) + 1 }, { data, len } };

    return xs_talkv(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}
