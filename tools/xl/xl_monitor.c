/*
 * xl_monitor.c: the per-domain monitor `xl create` leaves behind, as Xen's xl
 * does: a detached process that watches its domain and, when it shuts down,
 * carries out the config's on_poweroff / on_reboot / on_crash:
 *   destroy, coredump-destroy        destroy it (no core dumps yet)
 *   restart, rename-restart,
 *   coredump-restart                 destroy it and build it again
 *   preserve                         leave it as it is, and stop watching
 * It logs to $XEN_RUN_DIR/xl-<name>.log and exits when its domain is gone.
 * Cost: it polls the domain's state, every 50 ms at first, backing off to
 * every 500 ms while nothing changes, so a host with many quiet domains pays
 * about two getdomaininfo calls a second for each.
 * Invariant: the monitor never touches a domain other than the one it was
 * started for (and its restarted successor).
 */
#include "xl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "public/sched.h"
#include "xenstore.h"

#define POLL_MIN_MS 50
#define POLL_MAX_MS 500
#define GRACE_MS 100

static void redirect_output(const char *name)
{
    const char *dir = getenv("XEN_RUN_DIR");
    char path[PATH_MAX];
    int fd;

    snprintf(path, sizeof(path), "%s/xl-%s.log", dir && *dir ? dir : "/run/xen", name);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
    fd = open("/dev/null", O_RDONLY);
    dup2(fd, STDIN_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}

static enum libxl_action action_for(const struct libxl_domain_config *cfg, unsigned reason)
{
    if (reason == SHUTDOWN_poweroff)
        return cfg->on_poweroff;
    if (reason == SHUTDOWN_reboot)
        return cfg->on_reboot;
    return cfg->on_crash;
}

/* Remove the xenstore entries and the recorded config of a vanished domain. */
static void forget(uint32_t domid, const struct libxl_domain_config *cfg)
{
    struct xs_handle *xs = xs_open(0);

    if (xs)
        libxl_xs_domain_teardown(xs, domid, cfg->uuid);
    xs_close(xs);
    libxl_userdata_remove(domid);
}

/* Watch domid until it is gone or preserved. Never returns. */
static void __attribute__((noreturn)) monitor(xc_interface *xch, uint32_t domid)
{
    struct libxl_domain_config cfg;
    long interval_ms = POLL_MIN_MS;
    bool seen_shutdown = false;

    if (libxl_userdata_load(domid, &cfg) < 0)
        _exit(1);
    for (;;) {
        xc_dominfo_t info;
        enum libxl_action a;
        struct timespec ts = { 0, interval_ms * 1000 * 1000 };

        nanosleep(&ts, NULL);
        if (interval_ms < POLL_MAX_MS)
            interval_ms *= 2;
        if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid) {
            forget(domid, &cfg);   /* destroyed elsewhere: drop what is kept for it */
            _exit(0);
        }
        if (!info.shutdown || info.shutdown_reason == SHUTDOWN_suspend)
            continue;
        if (!seen_shutdown) {
            /* Act on the next poll: an attached console drains the last output first. */
            seen_shutdown = true;
            interval_ms = GRACE_MS;
            continue;
        }
        seen_shutdown = false;
        a = action_for(&cfg, info.shutdown_reason);
        fprintf(stderr, "Domain %u (%s) has shut down, reason code %u: action %s\n", domid,
                cfg.name, info.shutdown_reason, libxl_action_name(a));
        if (a == LIBXL_ACTION_PRESERVE)
            _exit(0);
        libxl_domain_destroy(xch, domid);
        if (a == LIBXL_ACTION_DESTROY || a == LIBXL_ACTION_COREDUMP_DESTROY)
            _exit(0);
        {
            char err[LIBXL_ERR_MAX];

            if (libxl_domain_create(xch, &cfg, false, &domid, err, sizeof(err)) < 0) {
                fprintf(stderr, "libxl: error: restarting %s: %s\n", cfg.name, err);
                _exit(1);
            }
            libxl_userdata_save(domid, &cfg);
            fprintf(stderr, "Domain %s restarted as domain %u\n", cfg.name, domid);
            interval_ms = POLL_MIN_MS;
        }
    }
}

int xl_monitor_spawn(uint32_t domid)
{
    struct libxl_domain_config cfg;
    pid_t pid = fork();
    int st;

    if (pid < 0)
        return -1;
    if (pid > 0)
        return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
    /* The intermediate child: detach, fork the monitor, exit. */
    if (setsid() < 0)
        _exit(1);
    pid = fork();
    if (pid != 0)
        _exit(pid < 0);
    if (libxl_userdata_load(domid, &cfg) < 0)
        _exit(1);
    redirect_output(cfg.name);
    {
        xc_interface *xch = xc_interface_open(NULL, NULL, 0);

        if (!xch)
            _exit(1);
        monitor(xch, domid);
    }
}
