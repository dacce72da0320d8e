/*
 * xenstore_client.c: xenstore-read, -write, -ls, -list, -rm, -exists, -chmod
 * and -watch in one program, chosen by the name it runs under (or by
 * `xenstore CMD ...`).
 *
 * Options, output and messages follow Xen 4.17's tools so that scripts see
 * no difference: values are escaped as Xen does (\t \n \r \\, \ooo below
 * space, \xHH from DEL up; -R turns escaping off), every command but ls and
 * watch runs in one transaction retried on EAGAIN, and output is printed only
 * once the transaction has committed. xenstore-ls clips lines at 80 columns
 * (the terminal's width on a tty) and, with -p, pads to column 60 with dots.
 */
#include "xenstore.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum mode { MODE_unknown, MODE_chmod, MODE_exists, MODE_list, MODE_ls, MODE_read,
            MODE_rm, MODE_write, MODE_watch };

#define PERM_COLUMN 60 /* -p pads with " . . ." up to here */
#define TAG_LEN 8      /* strlen(" = \"...\"") */

static char *out_buf;
static size_t out_len, out_size;

static void output_raw(const char *data, size_t len)
{
    if (out_len + len + 1 > out_size) {
        out_size = (out_len + len + 1) * 2;
        out_buf = realloc(out_buf, out_size);
        if (!out_buf)
            err(1, "malloc");
    }
    memcpy(out_buf + out_len, data, len);
    out_len += len;
}

static void output(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void output(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        err(1, "output");
    output_raw(s, (size_t)n);
    free(s);
}

/* Escape a value as Xen's sanitise_value() does. Returns a malloc'd string. */
static char *escape(const char *val, unsigned int len)
{
    char *s = malloc((size_t)len * 4 + 1), *o = s;

    if (!s)
        err(1, "malloc");
    for (unsigned int i = 0; i < len; i++) {
        unsigned char c = (unsigned char)val[i];

        switch (c) {
        case '\t': o += sprintf(o, "\\t"); break;
        case '\n': o += sprintf(o, "\\n"); break;
        case '\r': o += sprintf(o, "\\r"); break;
        case '\\': o += sprintf(o, "\\\\"); break;
        default:
            if (c < ' ')
                o += sprintf(o, "\\%03o", c);
            else if (c >= 0x7f)
                o += sprintf(o, "\\x%02x", c);
            else
                *o++ = (char)c;
        }
    }
    *o = '\0';
    return s;
}

/* Undo escape(): \t \n \r \\ \ooo \xHH. Returns a malloc'd buffer and its length. */
static char *unescape(const char *in, unsigned int *len)
{
    char *s = malloc(strlen(in) + 1), *o = s;

    if (!s)
        err(1, "malloc");
    while (*in) {
        if (*in != '\\' || !in[1]) {
            *o++ = *in++;
            continue;
        }
        in++;
        switch (*in) {
        case 't': *o++ = '\t'; in++; break;
        case 'n': *o++ = '\n'; in++; break;
        case 'r': *o++ = '\r'; in++; break;
        case 'x': {
            unsigned v = 0;
            int n = 0;

            in++;
            while (n < 2 && ((*in >= '0' && *in <= '9') || (*in >= 'a' && *in <= 'f') ||
                             (*in >= 'A' && *in <= 'F'))) {
                v = v * 16 + (unsigned)(*in <= '9' ? *in - '0' : (*in | 0x20) - 'a' + 10);
                in++;
                n++;
            }
            *o++ = (char)v;
            break;
        }
        default:
            if (*in >= '0' && *in <= '7') {
                unsigned v = 0;

                for (int n = 0; n < 3 && *in >= '0' && *in <= '7'; n++)
                    v = v * 8 + (unsigned)(*in++ - '0');
                *o++ = (char)v;
            } else {
                *o++ = *in++;
            }
        }
    }
    *len = (unsigned int)(o - s);
    return s;
}

static void usage(enum mode mode, const char *prog)
{
    switch (mode) {
    case MODE_read: errx(1, "Usage: %s [-h] [-p] [-s] [-R] key [...]", prog);
    case MODE_write: errx(1, "Usage: %s [-h] [-s] [-R] key value [...]", prog);
    case MODE_rm: errx(1, "Usage: %s [-h] [-s] [-t] key [...]", prog);
    case MODE_exists:
    case MODE_list: errx(1, "Usage: %s [-h] [-p] [-s] key [...]", prog);
    case MODE_ls: errx(1, "Usage: %s [-h] [-f] [-p] [-s] [path]", prog);
    case MODE_chmod: errx(1, "Usage: %s [-h] [-u] [-r] [-s] key <mode [modes...]>", prog);
    case MODE_watch: errx(1, "Usage: %s [-h] [-n NR] key", prog);
    default: errx(1, "Usage: %s [-h] <command> [args...]", prog);
    }
}

static int max_width = 80;
static int show_whole_path;

static void do_ls(struct xs_handle *h, const char *path, int depth, int show_perms)
{
    unsigned int num;
    char **e = xs_directory(h, XBT_NULL, path, &num);

    if (!e) {
        if (depth && (errno == ENOENT || errno == EACCES))
            return; /* vanished while we listed */
        err(1, "xs_directory (%s)", path);
    }
    for (unsigned int i = 0; i < num; i++) {
        size_t plen = strlen(path);
        char *newpath;
        unsigned int len;
        int linewid = 0;
        char *val;

        if (asprintf(&newpath, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/",
                     e[i]) < 0)
            err(1, "malloc");
        if (show_whole_path) {
            fputs(newpath, stdout);
        } else {
            for (; linewid < depth; linewid++)
                putchar(' ');
            linewid += printf("%.*s", max_width - TAG_LEN - linewid, e[i]);
        }
        val = xs_read(h, XBT_NULL, newpath, &len);
        if (!val) {
            printf(":\n");
        } else {
            char *esc = escape(val, len);

            if (max_width < linewid + (int)len + TAG_LEN) {
                printf(" = \"%.*s\\...\"", max_width - TAG_LEN - linewid, esc);
            } else {
                linewid += printf(" = \"%s\"", esc);
                if (show_perms) {
                    putchar(' ');
                    for (linewid++; !show_whole_path && linewid < PERM_COLUMN; linewid++)
                        putchar(linewid & 1 ? '.' : ' ');
                }
            }
            free(esc);
        }
        if (show_perms && val) {
            unsigned int nperms;
            struct xs_permissions *perms = xs_get_permissions(h, XBT_NULL, newpath, &nperms);

            if (!perms) {
                warn("\ncould not access permissions for %s", e[i]);
            } else {
                char buf[32];

                fputs("  (", stdout);
                for (unsigned int j = 0; j < nperms; j++) {
                    if (j)
                        putchar(',');
                    xs_perm_to_string(&perms[j], buf, sizeof(buf));
                    fputs(buf, stdout);
                }
                putchar(')');
                free(perms);
            }
        }
        putchar('\n');
        free(val);
        do_ls(h, newpath, depth + 1, show_perms);
        free(newpath);
    }
    free(e);
}

static void do_chmod(struct xs_handle *h, xs_transaction_t t, char *path,
                     struct xs_permissions *perms, unsigned int nperms, int upto, int recurse)
{
    if (!path[0])
        return;
    if (!xs_set_permissions(h, t, path, perms, nperms))
        err(1, "Error occurred setting permissions on '%s'", path);
    if (upto) {
        char *sep = strrchr(path, '/');

        if (sep && sep != path) {
            char *parent = strndup(path, (size_t)(sep - path));

            if (!parent)
                err(1, "malloc");
            do_chmod(h, t, parent, perms, nperms, 1, 0);
            free(parent);
        }
    }
    if (recurse) {
        unsigned int num;
        char **list = xs_directory(h, t, path, &num);

        for (unsigned int i = 0; list && i < num; i++) {
            char *child;

            if (asprintf(&child, "%s/%s", path, list[i]) < 0)
                err(1, "malloc");
            do_chmod(h, t, child, perms, nperms, 0, 1);
            free(child);
        }
        free(list);
    }
}

static int do_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    if (xs_rm(h, t, path))
        return 0;
    warnx("could not remove path %s", path);
    return 1;
}

/* rm -t: also remove parents left empty and without a value. */
static int rm_tidy(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    char *p = strdup(path);

    if (!p)
        err(1, "malloc");
    for (;;) {
        char *slash, *val;
        unsigned int len, num;
        char **list;

        if (do_rm(h, t, p)) {
            free(p);
            return 1;
        }
        slash = strrchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
        val = xs_read(h, t, p, &len);
        if (!val || len) {
            free(val);
            break;
        }
        free(val);
        list = xs_directory(h, t, p, &num);
        free(list);
        if (!list || num)
            break;
    }
    free(p);
    return 0;
}

struct opts {
    enum mode mode;
    int prefix, tidy, upto, recurse, raw, nr_watches;
    struct xs_permissions *perms;
    unsigned int nperms;
};

static int perform(struct xs_handle *h, xs_transaction_t t, const struct opts *o, int optind,
                   int argc, char **argv)
{
    while (optind < argc) {
        switch (o->mode) {
        case MODE_read: {
            unsigned int len;
            char *val = xs_read(h, t, argv[optind], &len);

            if (!val) {
                warnx("couldn't read path %s", argv[optind]);
                return 1;
            }
            if (o->prefix)
                output("%s: ", argv[optind]);
            if (o->raw) {
                output_raw(val, len);
            } else {
                char *esc = escape(val, len);

                output("%s\n", esc);
                free(esc);
            }
            free(val);
            optind++;
            break;
        }
        case MODE_write: {
            unsigned int len;
            char *val;
            bool ok;

            if (o->raw) {
                val = strdup(argv[optind + 1]);
                len = (unsigned int)strlen(argv[optind + 1]);
            } else {
                val = unescape(argv[optind + 1], &len);
            }
            ok = xs_write(h, t, argv[optind], val, len);
            free(val);
            if (!ok) {
                warnx("could not write path %s", argv[optind]);
                return 1;
            }
            optind += 2;
            break;
        }
        case MODE_rm:
            if (o->tidy ? rm_tidy(h, t, argv[optind]) : do_rm(h, t, argv[optind]))
                return 1;
            optind++;
            break;
        case MODE_exists: {
            char *val = xs_read(h, t, argv[optind], NULL);

            if (!val)
                return 1;
            free(val);
            optind++;
            break;
        }
        case MODE_list: {
            unsigned int num;
            char **list = xs_directory(h, t, argv[optind], &num);

            if (!list) {
                warnx("could not list path %s", argv[optind]);
                return 1;
            }
            for (unsigned int i = 0; i < num; i++) {
                if (o->prefix)
                    output("%s/", argv[optind]);
                output("%s\n", list[i]);
            }
            free(list);
            optind++;
            break;
        }
        case MODE_chmod:
            do_chmod(h, t, argv[optind], o->perms, o->nperms, o->upto, o->recurse);
            optind = argc;
            break;
        default:
            return 1;
        }
    }
    return 0;
}

static enum mode mode_of(const char *name)
{
    static const struct {
        const char *name;
        enum mode mode;
    } names[] = {
        { "chmod", MODE_chmod }, { "exists", MODE_exists }, { "list", MODE_list },
        { "ls", MODE_ls },       { "read", MODE_read },     { "rm", MODE_rm },
        { "write", MODE_write }, { "watch", MODE_watch },
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].mode;
    return MODE_unknown;
}

static struct xs_permissions *parse_modes(int argc, char **argv, int first, unsigned int *n)
{
    struct xs_permissions *p = calloc((size_t)(argc - first) + 1, sizeof(*p));

    if (!p)
        err(1, "malloc");
    *n = 0;
    for (int i = first; i < argc; i++) {
        char s[64];

        snprintf(s, sizeof(s), "%s", argv[i]);
        if (!xs_strings_to_perms(&p[*n], 1, s)) {
            errx(1, "Invalid permission specification: '%c'", argv[i][0]);
        }
        (*n)++;
    }
    return p;
}

static void do_watch(struct xs_handle *h, int max_events)
{
    for (int count = 0; max_events == -1 || count < max_events; count++) {
        unsigned int num;
        char **vec = xs_read_watch(h, &num);

        if (!vec) {
            if (errno == ECONNRESET)
                errx(1, "connection to xenstored lost");
            continue;
        }
        printf("%s\n", vec[XS_WATCH_PATH]);
        fflush(stdout);
        free(vec);
    }
}

int main(int argc, char **argv)
{
    const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    struct opts o = { .nr_watches = -1 };
    struct xs_handle *h;
    xs_transaction_t t;
    int ret;

    if (strncmp(prog, "xenstore-", 9) == 0) {
        o.mode = mode_of(prog + 9);
    } else if (argc > 1) {
        o.mode = mode_of(argv[1]);
        argc--;
        argv++;
    }
    if (o.mode == MODE_unknown)
        usage(MODE_unknown, prog);

    for (;;) {
        static const struct option long_opts[] = {
            { "help", 0, NULL, 'h' },    { "flat", 0, NULL, 'f' },
            { "socket", 0, NULL, 's' },  { "prefix", 0, NULL, 'p' },
            { "tidy", 0, NULL, 't' },    { "upto", 0, NULL, 'u' },
            { "recurse", 0, NULL, 'r' }, { "raw", 0, NULL, 'R' },
            { NULL, 0, NULL, 0 },
        };
        const char *optstr;
        int c;

        switch (o.mode) {
        case MODE_read: optstr = "+hspR"; break;
        case MODE_write: optstr = "+hsR"; break;
        case MODE_rm: optstr = "+hst"; break;
        case MODE_ls: optstr = "+hsfp"; break;
        case MODE_chmod: optstr = "+hsur"; break;
        case MODE_watch: optstr = "+hsn:"; break;
        default: optstr = "+hsp"; break;
        }
        c = getopt_long(argc, argv, optstr, long_opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 's': break; /* the socket is the only transport here */
        case 'p': o.prefix = 1; break;
        case 't': o.tidy = 1; break;
        case 'u': o.upto = 1; break;
        case 'r': o.recurse = 1; break;
        case 'R': o.raw = 1; break;
        case 'f':
            max_width = INT32_MAX / 2;
            show_whole_path = 1;
            break;
        case 'n': o.nr_watches = atoi(optarg); break;
        default: usage(o.mode, prog);
        }
    }

    switch (o.mode) {
    case MODE_ls:
        if (optind + 1 < argc)
            usage(o.mode, prog);
        break;
    case MODE_write:
        if (optind == argc || (argc - optind) % 2)
            usage(o.mode, prog);
        break;
    case MODE_chmod:
        /* Like Xen's, no mode at all is left for the daemon to refuse. */
        if (argc - optind < 1)
            usage(o.mode, prog);
        o.perms = parse_modes(argc, argv, optind + 1, &o.nperms);
        break;
    case MODE_watch:
        if (optind == argc)
            usage(o.mode, prog);
        break;
    default:
        if (optind == argc)
            usage(o.mode, prog);
    }

    h = xs_open(0);
    if (!h)
        err(1, "xs_open");

    if (o.mode == MODE_ls) {
        if (!show_whole_path && isatty(STDOUT_FILENO)) {
            struct winsize ws;

            if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > TAG_LEN)
                max_width = ws.ws_col;
        }
        do_ls(h, optind < argc ? argv[optind] : "/", 0, o.prefix);
        xs_close(h);
        return 0;
    }
    if (o.mode == MODE_watch) {
        for (int i = optind; i < argc; i++)
            if (!xs_watch(h, argv[i], argv[i]))
                errx(1, "Unable to add watch");
        do_watch(h, o.nr_watches);
        xs_close(h);
        return 0;
    }

again:
    t = xs_transaction_start(h);
    if (t == XBT_NULL)
        errx(1, "couldn't start transaction");
    ret = perform(h, t, &o, optind, argc, argv);
    if (!xs_transaction_end(h, t, ret != 0)) {
        if (ret == 0 && errno == EAGAIN) {
            out_len = 0;
            goto again;
        }
        errx(1, "couldn't end transaction");
    }
    if (out_len)
        fwrite(out_buf, 1, out_len, stdout);
    free(out_buf);
    free(o.perms);
    xs_close(h);
    return ret;
}
