/*
 * ut_proc.h: helpers for integration tests that drive the real daemons and
 * commands: private run directories, spawning daemons, running commands and
 * capturing their output.
 * Invariant: every daemon a test spawns is killed by ut_daemon_stop(); every
 * run directory lives under $TMPDIR and is removed by ut_rundir_remove().
 */
#ifndef UT_PROC_H
#define UT_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* Absolute path of BUILD_DIR/rel (UMBRA_BUILD from the environment, else "build"). */
const char *ut_build_path(const char *rel);

/* Create a fresh private directory; returns its path (static storage per call slot). */
char *ut_rundir_create(const char *tag);
void ut_rundir_remove(const char *dir);

/*
 * Run `cmd` with /bin/sh -c, stdout and stderr captured together.
 * Returns the exit status (0..255), or -1 if it could not run; *out (may be NULL)
 * receives a malloc'd NUL-terminated copy of the output, which the caller frees.
 */
int ut_run(const char *cmd, char **out);

/* Spawn argv[0] with the extra environment `env` (NULL-terminated "K=V" list, may be NULL). */
pid_t ut_daemon_start(char *const argv[], char *const env[], const char *logfile);
/* Wait until `path` exists (a socket, a pid file), up to timeout_ms. Returns 0 or -1. */
int ut_wait_path(const char *path, int timeout_ms);
/* SIGTERM, then wait up to 5 s (SIGKILL after). Returns the exit status, or -1. */
int ut_daemon_stop(pid_t pid);

/*
 * Start build/bin/xen with `args` (NULL-terminated, may be NULL) in a fresh
 * run directory tagged `tag`, wait for its privcmd socket, and set
 * XEN_RUN_DIR in this process so libxenctrl finds it. Fills *rundir
 * (malloc'd), *pid and, if sock != NULL, the socket path (socklen bytes).
 * Returns 0 or -1. Its log is <rundir>/xen.log.
 */
int ut_xen_start(const char *tag, char *const args[], char **rundir, pid_t *pid,
                 char *sock, size_t socklen);
/* Stop a daemon from ut_xen_start and remove its run directory. Returns 0
 * when it exited 0 and had removed its socket, else -1. */
int ut_xen_stop(char *rundir, pid_t pid);

#endif
