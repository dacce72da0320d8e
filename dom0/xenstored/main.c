/*
 * main.c: xenstored's command line, start-up and shutdown.
 *
 * Options follow Xen's C xenstored where they exist:
 *   -N, --no-fork            stay in the foreground (also --foreground)
 *   -F, --pid-file FILE      write our pid to FILE
 *   -P, --output-pid         print our pid on stdout
 *   -T, --trace-file FILE    log every request and reply to FILE
 *   -E, --entry-nb N         nodes per domain         (quota, default 1000)
 *   -W, --watch-nb N         watches per domain       (128)
 *   -t, --transaction N      transactions per domain  (10)
 *   -S, --entry-size N       bytes per node           (2048)
 *   -A, --perm-nb N          permissions per node     (5)
 *   -M, --path-max N         path length              (2048)
 *   -Q, --quota NAME=N       any quota by name, e.g. outstanding=20
 *   -K, --keep-orphans       keep a released domain's nodes
 *   -s, --socket PATH        socket path (default $XENSTORED_PATH, else
 *                            /var/run/xenstored/socket)
 * When the hypervisor's privcmd socket ($XEN_RUN_DIR/privcmd, default
 * /run/xen/privcmd) exists, xenstored opens a guest channel over libxenctrl
 * (channel_xenctrl.c) and serves introduced guests over their rings;
 * otherwise, or if the hypervisor does not answer, it serves its Unix socket
 * only and says so on stderr (INTRODUCE then records the domain only).
 * SIGTERM and SIGINT stop the daemon: it closes every connection (unmapping
 * every ring and unbinding every port), unlinks its socket and pid file, and
 * exits 0.
 */
#include "xenstored.h"
#include "channel_xenctrl.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/var/run/xenstored/socket"

static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    char c = (char)sig;

    if (write(stop_pipe[1], &c, 1) < 0) {
        /* the pipe is full: a stop is already pending */
    }
    errno = saved;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: xenstored [options]\n"
               "  -N, --no-fork          stay in the foreground\n"
               "  -F, --pid-file FILE    write the pid to FILE\n"
               "  -P, --output-pid       print the pid on stdout\n"
               "  -T, --trace-file FILE  log every request and reply\n"
               "  -E, --entry-nb N       nodes per domain\n"
               "  -W, --watch-nb N       watches per domain\n"
               "  -t, --transaction N    transactions per domain\n"
               "  -S, --entry-size N     bytes per node\n"
               "  -A, --perm-nb N        permissions per node\n"
               "  -M, --path-max N       path length\n"
               "  -Q, --quota NAME=N     set a quota by name\n"
               "  -K, --keep-orphans     keep a released domain's nodes\n"
               "  -s, --socket PATH      socket path\n"
               "  -h, --help             this text\n");
}

static int set_quota(struct xs_daemon *d, int q, const char *val)
{
    uint64_t v;

    if (wire_parse_uint(val, 1ull << 31, &v) < 0) {
        fprintf(stderr, "xenstored: bad quota value '%s'\n", val);
        return -1;
    }
    d->quota[q] = (uint32_t)v;
    return 0;
}

static int named_quota(struct xs_daemon *d, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[32];
    int q;

    if (!eq || (size_t)(eq - arg) >= sizeof(name)) {
        fprintf(stderr, "xenstored: expected NAME=VALUE, got '%s'\n", arg);
        return -1;
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    q = quota_by_name(name);
    if (q < 0) {
        fprintf(stderr, "xenstored: unknown quota '%s'\n", name);
        return -1;
    }
    return set_quota(d, q, eq + 1);
}

/*
 * The guest channel, if a hypervisor is reachable; NULL (socket-only) else.
 * A privcmd socket that exists but does not answer is reported, not fatal.
 */
static const struct xs_guest_channel *open_guest_channel(void)
{
    const char *dir = getenv("XEN_RUN_DIR");
    const struct xs_guest_channel *ch;
    char path[4096];

    snprintf(path, sizeof(path), "%s/privcmd", dir && *dir ? dir : "/run/xen");
    if (access(path, F_OK) < 0) {
        fprintf(stderr, "xenstored: no hypervisor (%s): serving the socket only\n", path);
        return NULL;
    }
    ch = xc_channel_open();
    if (!ch)
        fprintf(stderr, "xenstored: hypervisor at %s: %s; serving the socket only\n", path,
                strerror(errno));
    return ch;
}

static int write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "no-fork", no_argument, NULL, 'N' },
        { "foreground", no_argument, NULL, 'N' },
        { "pid-file", required_argument, NULL, 'F' },
        { "output-pid", no_argument, NULL, 'P' },
        { "trace-file", required_argument, NULL, 'T' },
        { "entry-nb", required_argument, NULL, 'E' },
        { "watch-nb", required_argument, NULL, 'W' },
        { "transaction", required_argument, NULL, 't' },
        { "entry-size", required_argument, NULL, 'S' },
        { "perm-nb", required_argument, NULL, 'A' },
        { "path-max", required_argument, NULL, 'M' },
        { "quota", required_argument, NULL, 'Q' },
        { "keep-orphans", no_argument, NULL, 'K' },
        { "socket", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct xs_daemon d;
    const char *pidfile = NULL, *tracefile = NULL, *sock = getenv("XENSTORED_PATH");
    bool foreground = false, output_pid = false, keep = false;
    struct sigaction sa = { .sa_handler = on_signal };
    int quota_set[QUOTA_COUNT];
    const char *quota_val[QUOTA_COUNT] = { NULL };
    const char *named[16];
    int nnamed = 0, opt, listen_fd, ret;

    memset(quota_set, 0, sizeof(quota_set));
    while ((opt = getopt_long(argc, argv, "NF:PT:E:W:t:S:A:M:Q:Ks:h", opts, NULL)) != -1) {
        int q = -1;

        switch (opt) {
        case 'N': foreground = true; break;
        case 'F': pidfile = optarg; break;
        case 'P': output_pid = true; break;
        case 'T': tracefile = optarg; break;
        case 'E': q = QUOTA_NODES; break;
        case 'W': q = QUOTA_WATCHES; break;
        case 't': q = QUOTA_TRANSACTIONS; break;
        case 'S': q = QUOTA_NODE_SIZE; break;
        case 'A': q = QUOTA_PERMS; break;
        case 'M': q = QUOTA_PATH_LEN; break;
        case 'Q':
            if (nnamed == 16)
                return 2;
            named[nnamed++] = optarg;
            break;
        case 'K': keep = true; break;
        case 's': sock = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (q >= 0) {
            quota_set[q] = 1;
            quota_val[q] = optarg;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (!sock || !*sock)
        sock = DEFAULT_SOCKET;
    ret = daemon_init(&d);
    if (ret < 0) {
        fprintf(stderr, "xenstored: init: %s\n", strerror(-ret));
        return 1;
    }
    d.keep_released_nodes = keep;
    for (int q = 0; q < QUOTA_COUNT; q++)
        if (quota_set[q] && set_quota(&d, q, quota_val[q]) < 0)
            return 2;
    for (int i = 0; i < nnamed; i++)
        if (named_quota(&d, named[i]) < 0)
            return 2;
    if (tracefile) {
        d.trace = fopen(tracefile, "a");
        if (!d.trace) {
            fprintf(stderr, "xenstored: %s: %s\n", tracefile, strerror(errno));
            return 1;
        }
    }
    if (strcmp(sock, DEFAULT_SOCKET) == 0)
        mkdir("/var/run/xenstored", 0755);
    listen_fd = socket_listen(sock);
    if (listen_fd < 0) {
        fprintf(stderr, "xenstored: %s: %s\n", sock, strerror(-listen_fd));
        return 1;
    }
    if (!foreground) {
        pid_t pid = fork();

        if (pid < 0) {
            perror("xenstored: fork");
            return 1;
        }
        if (pid > 0)
            _exit(0);
        setsid();
        int null = open("/dev/null", O_RDWR);

        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            if (!tracefile)
                dup2(null, 2);
            if (null > 2)
                close(null);
        }
    }
    if (output_pid) {
        printf("%ld\n", (long)getpid());
        fflush(stdout);
    }
    if (pidfile && write_pidfile(pidfile) < 0) {
        fprintf(stderr, "xenstored: %s: %s\n", pidfile, strerror(errno));
        return 1;
    }
    if (pipe2(stop_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        perror("xenstored: pipe");
        return 1;
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    d.channel = open_guest_channel();
    trace_text(&d, "xenstored started, socket %s, %s", sock,
               d.channel ? "serving guest rings" : "socket only");
    ret = daemon_loop(&d, listen_fd, stop_pipe[0]);
    trace_text(&d, "xenstored stopping");
    close(listen_fd);
    unlink(sock);
    if (pidfile)
        unlink(pidfile);
    daemon_destroy(&d);
    xc_channel_close(d.channel);
    if (d.trace)
        fclose(d.trace);
    return ret < 0 ? 1 : 0;
}
