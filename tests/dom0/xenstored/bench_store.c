/*
 * bench_store.c: `make bench-store`, xenstored's figures.
 *
 * Starts build/bin/xenstored in a private directory, then measures over its
 * Unix socket, with raw protocol clients (one request in flight per client,
 * as libxenstore does, plus a pipelined single client for comparison):
 *   - READ, WRITE and DIRECTORY requests per second from 1, 10, 100 clients;
 *   - watch-event latency (write sent -> event received), median and p99,
 *     with 100 watchers;
 *   - memory per 10,000 nodes (daemon RSS growth and the tree's own count).
 * Prints figures only; no timing is asserted.
 */
#include <public/io/xs_wire.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char sockpath[100];
static double run_seconds = 1.0;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int connect_store(void)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(a.sun_path, sizeof(a.sun_path), "%s", sockpath);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        perror("bench-store: connect");
        exit(1);
    }
    return fd;
}

static void full_write(int fd, const void *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);

        if (n <= 0) {
            perror("bench-store: write");
            exit(1);
        }
        buf = (const char *)buf + n;
        len -= (size_t)n;
    }
}

static void full_read(int fd, void *buf, size_t len)
{
    while (len) {
        ssize_t n = read(fd, buf, len);

        if (n <= 0) {
            fprintf(stderr, "bench-store: read: %s\n", n ? strerror(errno) : "EOF");
            exit(1);
        }
        buf = (char *)buf + n;
        len -= (size_t)n;
    }
}

static size_t build(char *buf, uint32_t type, const char *a, const char *b, size_t blen)
{
    struct xsd_sockmsg h = { type, 0, 0, 0 };
    size_t al = strlen(a) + 1;

    memcpy(buf + sizeof(h), a, al);
    if (b)
        memcpy(buf + sizeof(h) + al, b, blen);
    h.len = (uint32_t)(al + (b ? blen : 0));
    memcpy(buf, &h, sizeof(h));
    return sizeof(h) + h.len;
}

/* Read one message; returns its type. */
static uint32_t read_msg(int fd, char *body)
{
    struct xsd_sockmsg h;

    full_read(fd, &h, sizeof(h));
    full_read(fd, body, h.len);
    return h.type;
}

struct load {
    uint32_t type;
    int id;
    volatile int *stop;
    long done;
};

static void *client(void *arg)
{
    struct load *l = arg;
    char req[256], body[XENSTORE_PAYLOAD_MAX];
    char path[64];
    size_t len;
    int fd = connect_store();

    switch (l->type) {
    case XS_READ: len = build(req, XS_READ, "/bench/key", NULL, 0); break;
    case XS_DIRECTORY: len = build(req, XS_DIRECTORY, "/bench/dir", NULL, 0); break;
    default:
        snprintf(path, sizeof(path), "/bench/w/%d", l->id);
        len = build(req, XS_WRITE, path, "value", 5);
    }
    while (!*l->stop) {
        full_write(fd, req, len);
        if (read_msg(fd, body) == XS_ERROR) {
            fprintf(stderr, "bench-store: error reply %s\n", body);
            exit(1);
        }
        l->done++;
    }
    close(fd);
    return NULL;
}

static double rate(uint32_t type, int nclients)
{
    pthread_t *t = calloc((size_t)nclients, sizeof(*t));
    struct load *l = calloc((size_t)nclients, sizeof(*l));
    volatile int stop = 0;
    double t0, t1;
    long total = 0;

    for (int i = 0; i < nclients; i++) {
        l[i] = (struct load){ .type = type, .id = i, .stop = &stop };
        pthread_create(&t[i], NULL, client, &l[i]);
    }
    t0 = now();
    usleep((useconds_t)(run_seconds * 1e6));
    stop = 1;
    for (int i = 0; i < nclients; i++) {
        pthread_join(t[i], NULL);
        total += l[i].done;
    }
    t1 = now();
    free(t);
    free(l);
    return (double)total / (t1 - t0);
}

/* One client keeping `window` READs in flight. */
static double pipelined_reads(int window)
{
    char req[64], body[XENSTORE_PAYLOAD_MAX], *batch;
    size_t len = build(req, XS_READ, "/bench/key", NULL, 0);
    int fd = connect_store();
    long done = 0;
    double t0 = now(), t1;

    batch = malloc(len * (size_t)window);
    for (int i = 0; i < window; i++)
        memcpy(batch + len * (size_t)i, req, len);
    full_write(fd, batch, len * (size_t)window);
    while ((t1 = now()) - t0 < run_seconds) {
        for (int i = 0; i < window; i++)
            read_msg(fd, body);
        done += window;
        full_write(fd, batch, len * (size_t)window);
    }
    for (int i = 0; i < window; i++)
        read_msg(fd, body);
    free(batch);
    close(fd);
    return (double)done / (t1 - t0);
}

static void request(int fd, uint32_t type, const char *a, const char *b)
{
    char req[XENSTORE_PAYLOAD_MAX + 64], body[XENSTORE_PAYLOAD_MAX];
    size_t len = build(req, type, a, b, b ? strlen(b) : 0);

    full_write(fd, req, len);
    if (read_msg(fd, body) == XS_ERROR) {
        fprintf(stderr, "bench-store: %s: %s\n", a, body);
        exit(1);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void watch_latency(int nwatchers, int rounds)
{
    int *w = calloc((size_t)nwatchers, sizeof(int));
    struct pollfd *p = calloc((size_t)nwatchers, sizeof(*p));
    double *lat = calloc((size_t)nwatchers * (size_t)rounds, sizeof(double));
    char body[XENSTORE_PAYLOAD_MAX], req[128];
    int writer = connect_store();
    size_t n = 0;

    for (int i = 0; i < nwatchers; i++) {
        size_t len = build(req, XS_WATCH, "/bench/watched", "tok", 4); /* path\0tok\0 */

        w[i] = connect_store();
        full_write(w[i], req, len);
        if (read_msg(w[i], body) != XS_WATCH) {
            fprintf(stderr, "bench-store: WATCH refused: %s\n", body);
            exit(1);
        }
    }
    for (int i = 0; i < nwatchers; i++) {
        /* The initial event. */
        if (read_msg(w[i], body) != XS_WATCH_EVENT) {
            fprintf(stderr, "bench-store: expected the initial watch event\n");
            exit(1);
        }
        p[i] = (struct pollfd){ .fd = w[i], .events = POLLIN };
    }
    for (int r = 0; r < rounds; r++) {
        char wreq[128];
        size_t wl = build(wreq, XS_WRITE, "/bench/watched", "x", 1);
        double t0;
        int got = 0;

        t0 = now();
        full_write(writer, wreq, wl);
        while (got < nwatchers) {
            if (poll(p, (nfds_t)nwatchers, 5000) <= 0) {
                fprintf(stderr, "bench-store: watch events lost\n");
                exit(1);
            }
            for (int i = 0; i < nwatchers; i++) {
                if (!(p[i].revents & POLLIN))
                    continue;
                read_msg(w[i], body);
                lat[n++] = now() - t0;
                got++;
            }
        }
        read_msg(writer, body);
    }
    qsort(lat, n, sizeof(double), cmp_double);
    printf("watch latency, %d watchers x %d writes: median %.1f us, p99 %.1f us, max %.1f us\n",
           nwatchers, rounds, lat[n / 2] * 1e6, lat[(size_t)((double)n * 0.99)] * 1e6,
           lat[n - 1] * 1e6);
    for (int i = 0; i < nwatchers; i++)
        close(w[i]);
    close(writer);
    free(w);
    free(p);
    free(lat);
}

static long rss_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static void memory_per_nodes(pid_t pid, int nodes)
{
    int fd = connect_store();
    char path[96], body[XENSTORE_PAYLOAD_MAX], req[64];
    long before = rss_kib(pid), after;
    size_t len;

    for (int i = 0; i < nodes; i++) {
        snprintf(path, sizeof(path), "/bench/mem/d%03d/node%05d", i / 100, i);
        request(fd, XS_WRITE, path, "a-typical-value-1234");
    }
    after = rss_kib(pid);
    len = build(req, XS_CONTROL, "memreport", NULL, 0);
    full_write(fd, req, len);
    read_msg(fd, body);
    printf("memory for %d nodes (paths ~32 B, values 20 B): RSS +%ld KiB (%.0f B/node)\n", nodes,
           after - before, (double)(after - before) * 1024.0 / nodes);
    printf("daemon memreport: %s", body);
    close(fd);
}

int main(int argc, char **argv)
{
    const char *daemon = argc > 1 ? argv[1] : "build/bin/xenstored";
    char dir[] = "/tmp/bench-store-XXXXXX";
    static const int clients[] = { 1, 10, 100 };
    static const struct {
        uint32_t type;
        const char *name;
    } ops[] = { { XS_READ, "READ" }, { XS_WRITE, "WRITE" }, { XS_DIRECTORY, "DIRECTORY" } };
    pid_t pid;
    int fd;

    if (getenv("BENCH_SECONDS"))
        run_seconds = atof(getenv("BENCH_SECONDS"));
    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(sockpath, sizeof(sockpath), "%s/socket", dir);
    pid = fork();
    if (pid == 0) {
        execl(daemon, daemon, "-N", "-s", sockpath, (char *)NULL);
        perror("exec xenstored");
        _exit(127);
    }
    for (int i = 0; i < 500 && access(sockpath, F_OK) != 0; i++)
        usleep(10000);
    fd = connect_store();
    request(fd, XS_WRITE, "/bench/key", "value-of-the-key");
    for (int i = 0; i < 20; i++) {
        char p[64];

        snprintf(p, sizeof(p), "/bench/dir/child%02d", i);
        request(fd, XS_WRITE, p, "1");
    }
    close(fd);

    printf("xenstored benchmark (%.1f s per figure, %ld CPUs)\n", run_seconds,
           sysconf(_SC_NPROCESSORS_ONLN));
    printf("%-10s %14s %14s %14s\n", "requests/s", "1 client", "10 clients", "100 clients");
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        printf("%-10s", ops[o].name);
        for (size_t c = 0; c < sizeof(clients) / sizeof(clients[0]); c++)
            printf(" %14.0f", rate(ops[o].type, clients[c]));
        printf("\n");
    }
    printf("READ, 1 client, 32 requests in flight: %.0f/s\n", pipelined_reads(32));
    watch_latency(100, 1000);
    memory_per_nodes(pid, 10000);

    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    rmdir(dir);
    return 0;
}
