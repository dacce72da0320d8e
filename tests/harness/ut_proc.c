/*
 * ut_proc.c: process and run-directory helpers for integration tests.
 * See ut_proc.h for the contracts.
 */
#include "ut_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *ut_build_path(const char *rel)
{
    static char buf[8][PATH_MAX];
    static int slot;
    const char *b = getenv("UMBRA_BUILD");
    char *p = buf[slot++ % 8];

    snprintf(p, PATH_MAX, "%s/%s", b ? b : "build", rel);
    return p;
}

char *ut_rundir_create(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    char tmpl[PATH_MAX];

    snprintf(tmpl, sizeof(tmpl), "%s/umbra-%s-XXXXXX", tmp ? tmp : "/tmp", tag);
    if (!mkdtemp(tmpl))
        return NULL;
    return strdup(tmpl);
}

void ut_rundir_remove(const char *dir)
{
    char cmd[PATH_MAX + 16];

    if (!dir || !*dir)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "ut_rundir_remove: could not remove %s\n", dir);
}

int ut_run(const char *cmd, char **out)
{
    char *full;
    FILE *f;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    int st;

    if (!buf || asprintf(&full, "(%s) 2>&1", cmd) < 0) {
        free(buf);
        return -1;
    }
    f = popen(full, "r");
    free(full);
    if (!f) {
        free(buf);
        return -1;
    }
    for (;;) {
        size_t n;

        if (cap - len < 2048) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    buf[len] = '\0';
    st = pclose(f);
    if (out)
        *out = buf;
    else
        free(buf);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

pid_t ut_daemon_start(char *const argv[], char *const env[], const char *logfile)
{
    pid_t pid = fork();

    if (pid != 0)
        return pid;
    for (int i = 0; env && env[i]; i++)
        putenv(env[i]);
    if (logfile) {
        int fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
    }
    execv(argv[0], argv);
    fprintf(stderr, "ut_daemon_start: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int ut_wait_path(const char *path, int timeout_ms)
{
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    struct stat sb;

    for (int waited = 0; waited <= timeout_ms; waited += 10) {
        if (stat(path, &sb) == 0)
            return 0;
        nanosleep(&ts, NULL);
    }
    return -1;
}

int ut_daemon_stop(pid_t pid)
{
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    int st;

    if (pid <= 0)
        return -1;
    kill(pid, SIGTERM);
    for (int i = 0; i < 500; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

int ut_xen_start(const char *tag, char *const args[], char **rundir, pid_t *pid,
                 char *sock, size_t socklen)
{
    char env[PATH_MAX + 16], log[PATH_MAX], path[PATH_MAX];
    char *envv[] = { env, NULL };
    char *argv[16] = { (char *)ut_build_path("bin/xen") };
    unsigned n = 1;

    for (unsigned i = 0; args && args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    *pid = -1;
    *rundir = ut_rundir_create(tag);
    if (!*rundir)
        return -1;
    snprintf(env, sizeof(env), "XEN_RUN_DIR=%s", *rundir);
    snprintf(log, sizeof(log), "%s/xen.log", *rundir);
    snprintf(path, sizeof(path), "%s/privcmd", *rundir);
    if (sock)
        snprintf(sock, socklen, "%s", path);
    *pid = ut_daemon_start(argv, envv, log);
    if (*pid < 0 || ut_wait_path(path, 5000) < 0)
        return -1;
    setenv("XEN_RUN_DIR", *rundir, 1);
    return 0;
}

int ut_xen_stop(char *rundir, pid_t pid)
{
    char path[PATH_MAX];
    struct stat sb;
    int st = ut_daemon_stop(pid), gone;

    snprintf(path, sizeof(path), "%s/privcmd", rundir ? rundir : "");
    gone = stat(path, &sb) < 0;
    ut_rundir_remove(rundir);
    free(rundir);
    return st == 0 && gone ? 0 : -1;
}
