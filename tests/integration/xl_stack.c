/*
 * xl_stack.c: the private stack for the integration/xl suites (see
 * xl_stack.h).
 */
#include "xl_stack.h"
#include "ut_proc.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *rundir;
static char src[PATH_MAX];
static bool ready;

const char *xl_src(void)
{
    return src;
}

const char *xl_rundir(void)
{
    return rundir;
}

bool xl_stack_ready(void)
{
    return ready;
}

static int xencommons(const char *verb)
{
    char cmd[PATH_MAX * 2], *out = NULL;
    int rc;

    snprintf(cmd, sizeof(cmd), "'%s/tools/hotplug/xencommons' %s", src, verb);
    rc = ut_run(cmd, &out);
    if (rc != 0)
        fprintf(stderr, "\n  xencommons %s failed:\n%s\n", verb, out ? out : "");
    free(out);
    return rc;
}

bool xl_stack_built(const char *tag)
{
    const char *b = getenv("UMBRA_BUILD");
    const char *need[] = { "bin/xen", "bin/xl", "guest/kernel.elf" };
    char tmp[PATH_MAX];
    struct stat sb;

    snprintf(tmp, sizeof(tmp), "%s", b && *b ? b : "build");
    snprintf(src, sizeof(src), "%s", dirname(tmp));
    for (unsigned i = 0; i < sizeof(need) / sizeof(need[0]); i++)
        if (stat(ut_build_path(need[i]), &sb) != 0) {
            fprintf(stderr, "\n  [integration/xl/%s: %s is not built; tests pass vacuously]\n",
                    tag, need[i]);
            return false;
        }
    return true;
}

int xl_stack_up(const char *tag)
{
    char path[PATH_MAX + 64];

    ready = false;
    if (!xl_stack_built(tag))
        return 1;
    rundir = ut_rundir_create(tag);
    if (!rundir)
        return -1;
    chmod(rundir, 0755);       /* so that an unprivileged user reaches the socket */
    snprintf(path, sizeof(path), "%s/xenstored/socket", rundir);
    setenv("XEN_RUN_DIR", rundir, 1);
    setenv("XENSTORED_PATH", path, 1);
    if (xencommons("start") != 0) {
        xl_stack_down();
        return -1;
    }
    ready = true;
    return 0;
}

void xl_stack_down(void)
{
    if (rundir) {
        xencommons("stop");
        ut_rundir_remove(rundir);
        free(rundir);
        rundir = NULL;
    }
    unsetenv("XEN_RUN_DIR");
    unsetenv("XENSTORED_PATH");
    ready = false;
}

int xl_run(const char *args, char **out)
{
    char cmd[PATH_MAX * 2];

    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s", src, ut_build_path("bin/xl"), args);
    return ut_run(cmd, out);
}

long xl_info_num(const char *field)
{
    char args[128], *out = NULL;
    long v = -1;

    snprintf(args, sizeof(args), "info %s", field);
    if (xl_run(args, &out) == 0 && out)
        v = strtol(out, NULL, 10);
    free(out);
    return v;
}

int xl_wait_gone(const char *name, int timeout_ms)
{
    char args[128];

    snprintf(args, sizeof(args), "list %s >/dev/null 2>&1", name);
    for (int waited = 0; waited <= timeout_ms; waited += 20) {
        if (xl_run(args, NULL) != 0)
            return 0;
        usleep(20 * 1000);
    }
    return -1;
}

int xl_list_count(void)
{
    char *out = NULL;
    int n = -1;

    if (xl_run("list", &out) == 0 && out) {
        n = 0;
        for (char *p = out; *p; p++)
            n += *p == '\n';
        n--;    /* the header */
    }
    free(out);
    return n;
}
