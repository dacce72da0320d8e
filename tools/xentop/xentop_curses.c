/*
 * xentop_curses.c: xentop's interactive screen: the three summary lines,
 * the reverse-video header, the domain rows (scrollable), a key bar at the
 * bottom, and the keys: D delay, S sort column, Q/Esc quit, Up/Down scroll,
 * N/B/V/R network/VBD/VCPU/repeat-header views, M Umbra's memory view,
 * Left/Right to scroll sideways when the columns are wider than the terminal.
 *
 * Invariants: every line on screen is text from xentop_format.c, clipped to
 * the terminal's width; a key redraws the current round at once, without a
 * new round; curses is always ended (endwin) before returning.
 */
#include "xentop.h"

#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_ESCAPE 27

/* Columns scrolled off to the left (Left/Right keys). */
static int hscroll;

/* Draw NUL-terminated text line by line from row *y; skip the first `skip` lines. */
static void put_text(const char *text, int *y, int skip, int attr)
{
    for (const char *p = text; *p && *y < LINES - 1;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);

        if (skip > 0) {
            skip--;
        } else {
            int from = hscroll < len ? hscroll : len;

            if (attr)
                attron(attr);
            mvaddnstr(*y, 0, p + from, len - from < COLS ? len - from : COLS);
            if (attr)
                attroff(attr);
            (*y)++;
        }
        p += len + (nl ? 1 : 0);
    }
}

/* Run fmt into a string (malloc'd; the caller frees). */
static char *text_of(void (*fill)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    fill(f, arg);
    fclose(f);
    return buf;
}

struct screen { const struct xt_snapshot *s; const struct xt_view *v; };

static void fill_summary(FILE *f, const void *arg)
{
    const struct screen *sc = arg;
    char hhmmss[16];
    time_t t = time(NULL);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(hhmmss, sizeof(hhmmss), "%H:%M:%S", &tm);
    xt_fmt_summary(f, sc->s, hhmmss);
}

static void fill_header(FILE *f, const void *arg)
{
    xt_fmt_header(f, ((const struct screen *)arg)->v);
}

static void fill_rows(FILE *f, const void *arg)
{
    const struct screen *sc = arg;
    uint64_t total = sc->s->phys.total_pages * 4;

    for (unsigned i = 0; i < sc->s->n; i++) {
        if (sc->v->repeat_header && i)
            xt_fmt_header(f, sc->v);
        xt_fmt_row(f, &sc->s->doms[i], total, sc->v);
        xt_fmt_extra_lines(f, &sc->s->doms[i], sc->v);
    }
}

static void draw(const struct xt_snapshot *s, const struct xt_view *v, int scroll)
{
    struct screen sc = { s, v };
    char *sum = text_of(fill_summary, &sc), *hdr = text_of(fill_header, &sc);
    char *rows = text_of(fill_rows, &sc);
    char bar[256];
    int y = 0;

    erase();
    if (sum) {
        int h = hscroll;

        hscroll = 0;            /* the summary lines never scroll sideways */
        put_text(sum, &y, 0, 0);
        hscroll = h;
    }
    y++;
    if (hdr)
        put_text(hdr, &y, 0, A_REVERSE);
    if (rows)
        put_text(rows, &y, scroll, 0);
    snprintf(bar, sizeof(bar), "Delay  Networks  vBds  VCPUs  Repeat header  Sort order (%s)  "
             "Mem view  Quit  (Left/Right: more columns)",
             v->sort == XT_SORT_DOMID ? "ID" : xt_column_name((unsigned)v->sort));
    attron(A_REVERSE);
    mvaddnstr(LINES - 1, 0, bar, COLS);
    attroff(A_REVERSE);
    refresh();
    free(sum);
    free(hdr);
    free(rows);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double prompt_delay(double delay)
{
    char buf[32] = "";
    double d;
    char *end;

    mvaddstr(LINES - 1, 0, "Delay(sec): ");
    clrtoeol();
    echo();
    curs_set(1);
    timeout(-1);
    getnstr(buf, sizeof(buf) - 1);
    noecho();
    curs_set(0);
    d = strtod(buf, &end);
    return end != buf && *end == '\0' && d > 0 ? d : delay;
}

int xt_curses_run(xc_interface *xch, struct xt_view *v, double delay, long iterations)
{
    struct xt_snapshot prev = { 0 }, cur = { 0 };
    bool have_prev = false, quit = false;
    int scroll = 0, err = 0;

    SCREEN *scr;

    set_escdelay(25);
    /* newterm, unlike initscr, returns on failure instead of exiting. */
    scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        fprintf(stderr, "xentop: cannot set up the terminal (TERM='%s'); try -b\n",
                getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    for (long round = 0; !quit && (iterations <= 0 || round < iterations); round++) {
        double next;

        if (xt_collect(xch, &cur, v->vcpus) < 0) {
            err = errno;
            break;
        }
        xt_deltas(have_prev ? &prev : NULL, &cur);
        next = now_s() + delay;
        for (bool redraw = true; !quit;) {
            double left = next - now_s();
            int ch;

            if (redraw) {
                xt_sort(cur.doms, cur.n, v->sort, cur.phys.total_pages * 4);
                draw(&cur, v, scroll);
                redraw = false;
            }
            if (left <= 0)
                break;
            timeout((int)(left * 1000) + 1);
            ch = getch();
            if (ch == ERR)
                continue;
            redraw = true;
            switch (ch) {
            case 'q': case 'Q': case KEY_ESCAPE: quit = true; break;
            case 'd': case 'D': delay = prompt_delay(delay); next = now_s() + delay; break;
            case 's': case 'S':
                v->sort = v->sort + 1 >= (int)xt_ncolumns(v) ? XT_SORT_DOMID : v->sort + 1;
                break;
            case 'n': case 'N': v->networks = !v->networks; break;
            case 'b': case 'B': v->vbds = !v->vbds; break;
            case 'v': case 'V':
                v->vcpus = !v->vcpus;
                next = now_s();         /* a new round now, with the VCPU times */
                break;
            case 'r': case 'R': v->repeat_header = !v->repeat_header; break;
            case 'm': case 'M':
                v->mem = !v->mem;
                if (v->sort >= (int)xt_ncolumns(v))
                    v->sort = XT_SORT_DOMID;
                break;
            case KEY_UP: if (scroll > 0) scroll--; break;
            case KEY_DOWN: if (scroll + 1 < (int)cur.n) scroll++; break;
            case KEY_LEFT: hscroll = hscroll >= 10 ? hscroll - 10 : 0; break;
            case KEY_RIGHT: if (hscroll < 400) hscroll += 10; break;
            case KEY_RESIZE: break;
            default: redraw = false; break;
            }
        }
        xt_snapshot_free(&prev);
        prev = cur;
        cur = (struct xt_snapshot){ 0 };
        have_prev = true;
    }
    endwin();
    delscreen(scr);
    xt_snapshot_free(&prev);
    xt_snapshot_free(&cur);
    if (err) {
        errno = err;
        if (err == EPERM || err == EACCES)
            fprintf(stderr, "xentop: reading domain information: permission denied (EPERM): "
                            "xentop needs dom0 privileges (root, or the hypervisor's own user)\n");
        else
            fprintf(stderr, "xentop: reading domain information: %s\n", strerror(err));
        return 1;
    }
    return 0;
}
