/*
 * run.c: one benchmark run: build a workload's domain in one paging mode,
 * run it to its shutdown, read its counters, find out why it failed if it
 * did, destroy it.
 * Invariants: the domain is created paused and timed from its unpause; its
 * counters are read after it has shut down and before it is destroyed; it is
 * always destroyed before bp_run returns, whatever happened.
 */
#include "bench_paging.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "public/sched.h"

const char *bp_mode_name(enum bp_mode m)
{
    static const char *const names[BP_NR_MODES] = { "hap-4k", "hap-2m", "shadow" };

    return m < BP_NR_MODES ? names[m] : "?";
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append printf output to r->note (truncated silently at BP_NOTE_MAX). */
static void note(struct bp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct bp_result *r, const char *fmt, ...)
{
    size_t used = strlen(r->note);
    va_list ap;

    if (used + 1 >= sizeof(r->note))
        return;
    va_start(ap, fmt);
    vsnprintf(r->note + used, sizeof(r->note) - used, fmt, ap);
    va_end(ap);
}

/* The config of w in mode m: parsed, overridden, renamed. 0, or -1 with r->note. */
static int make_config(const struct bp_workload *w, enum bp_mode m,
                       struct libxl_domain_config *cfg, struct bp_result *r)
{
    char err[LIBXL_ERR_MAX];

    if (libxl_config_parse_file(w->config, cfg, err, sizeof(err)) < 0) {
        note(r, "%s", err);
        return -1;
    }
    for (unsigned i = 0; i < w->nr_overrides; i++)
        if (libxl_config_override(cfg, w->overrides[i], err, sizeof(err)) < 0) {
            note(r, "%s", err);
            return -1;
        }
    cfg->hap = m != BP_SHADOW;
    cfg->nosuperpages = m == BP_HAP_4K;
    snprintf(cfg->name, sizeof(cfg->name), "bp-%.40s-%s", w->name, bp_mode_name(m));
    return 0;
}

/* Wait for domid's shutdown, polling every millisecond, at most timeout_s. */
static int wait_shutdown(xc_interface *xch, uint32_t domid, double timeout_s, xc_dominfo_t *info,
                         struct bp_result *r)
{
    const struct timespec ms = { 0, 1000 * 1000 };
    double deadline = now_s() + timeout_s;

    for (;;) {
        if (xc_domain_getinfo(xch, domid, 1, info) != 1 || info->domid != domid) {
            note(r, "the domain disappeared while running");
            return -1;
        }
        if (info->shutdown)
            return 0;
        if (now_s() > deadline) {
            note(r, "no shutdown within %.0f s (paused and destroyed)", timeout_s);
            xc_domain_pause(xch, domid);
            return -1;
        }
        nanosleep(&ms, NULL);
    }
}

/* The guest's whole console output, NUL-terminated, malloc'd (NULL if none). */
static char *read_console(xc_interface *xch, uint32_t domid)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    uint64_t off = 0;

    while (buf) {
        int n;

        if (cap - len < 4096) {
            char *nb = cap < (8u << 20) ? realloc(buf, cap * 2) : NULL;

            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        n = xc_domain_console_read(xch, domid, buf + len, cap - len - 1, &off);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* The value after the last "checksum=" on the console, and the first PANIC line. */
static void scan_console(const char *con, struct bp_result *r)
{
    const char *p = con, *c = NULL, *panic = strstr(con, "PANIC");

    while ((p = strstr(p, "checksum=")))
        c = p++;
    if (c)
        sscanf(c + strlen("checksum="), "%39s", r->checksum);
    if (panic)
        note(r, "; guest: %.*s", (int)strcspn(panic, "\n"), panic);
}

/* The hypervisor log's lines about domid (xl dmesg), into r->note. */
static void scan_dmesg(xc_interface *xch, uint32_t domid, struct bp_result *r)
{
    unsigned n = 1 << 16;
    char *buf = malloc(n + 1), *line, *save = NULL;
    char tag1[32], tag2[32];

    if (!buf || xc_readconsolering(xch, buf, &n, 0, 0, NULL) < 0) {
        free(buf);
        return;
    }
    buf[n] = '\0';
    snprintf(tag1, sizeof(tag1), "Domain %u ", domid);
    snprintf(tag2, sizeof(tag2), "Domain %u:", domid);
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if ((strstr(line, tag1) || strstr(line, tag2)) && !strstr(line, " created:"))
            note(r, "; xl dmesg: %s", line);
    free(buf);
}

static const char *reason_name(unsigned reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return "poweroff";
    case SHUTDOWN_reboot: return "reboot";
    case SHUTDOWN_suspend: return "suspend";
    case SHUTDOWN_crash: return "crash";
    case SHUTDOWN_watchdog: return "watchdog";
    default: return "unknown";
    }
}

int bp_run(xc_interface *xch, const struct bp_workload *w, enum bp_mode m, double timeout_s,
           struct bp_result *r)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX];
    xc_dominfo_t info;
    uint32_t domid = 0;
    char *con;
    double t0;
    int waited;

    memset(r, 0, sizeof(*r));
    if (make_config(w, m, &cfg, r) < 0)
        return -1;
    if (libxl_domain_create(xch, &cfg, true, &domid, err, sizeof(err)) < 0) {
        note(r, "%s", err);
        return -1;
    }
    r->ran = true;
    t0 = now_s();
    if (xc_domain_unpause(xch, domid) < 0) {
        note(r, "unpause: %s", strerror(errno));
        waited = -1;
    } else {
        waited = wait_shutdown(xch, domid, timeout_s, &info, r);
    }
    r->host_s = now_s() - t0;
    if (xc_umbra_mmstats(xch, domid, &r->st) < 0)
        note(r, "%smmstats: %s", r->note[0] ? "; " : "", strerror(errno));
    if (waited == 0) {
        r->ok = info.shutdown_reason == SHUTDOWN_poweroff;
        if (!r->ok)
            note(r, "shut down with reason %s", reason_name(info.shutdown_reason));
    }
    con = read_console(xch, domid);
    if (con) {
        scan_console(con, r);
        free(con);
    }
    if (!r->checksum[0] && r->ok) {
        r->ok = false;
        note(r, "no checksum line on the console");
    }
    if (!r->ok)
        scan_dmesg(xch, domid, r);
    if (libxl_domain_destroy(xch, domid) < 0)
        note(r, "; destroy: %s", strerror(errno));
    return 0;
}
