/*
 * guest_run.c: booting a workload of the PV guest kernel and collecting its
 * console output and final state (see guest_run.h).
 * The domain is created with on_poweroff/on_crash=preserve: `xl create -c`
 * then sees the whole console before the domain goes, and `xl list` still
 * shows how it ended (s = shut down, c = crashed).
 */
#include "guest_run.h"
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_state(const char *name, char state[8])
{
    char args[256], *out = NULL;

    state[0] = '\0';
    snprintf(args, sizeof(args), "list %s", name);
    if (xl_run(args, &out) == 0 && out) {
        const char *row = strchr(out, '\n');
        char n[64];
        int id, vcpus;
        unsigned long mem;
        if (!row || sscanf(row + 1, "%63s %d %lu %d %7s", n, &id, &mem, &vcpus, state) != 5)
            state[0] = '\0';
    }
    free(out);
}

void guest_boot(const char *example, const char *name, const char *extra,
                const char *cmdline, struct guest_result *r)
{
    char cmd[2048], args[256];

    memset(r, 0, sizeof(*r));
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && timeout 300 '%s' create -c examples/%s.xml name=%s "
             "on_poweroff=preserve on_crash=preserve %s 'cmdline=%s'",
             xl_src(), ut_build_path("bin/xl"), example, name, extra ? extra : "", cmdline);
    r->xl_status = ut_run(cmd, &r->console);
    if (!r->console)
        r->console = strdup("");
    read_state(name, r->state);
    snprintf(args, sizeof(args), "destroy %s >/dev/null 2>&1", name);
    xl_run(args, NULL);
}

void guest_result_free(struct guest_result *r)
{
    free(r->console);
    r->console = NULL;
}

void guest_expect_clean(const struct guest_result *r, const char *line)
{
    int ok = 1;

    ok &= r->xl_status == 0;
    ok &= strstr(r->console, "Umbra PV kernel") != NULL;
    ok &= strstr(r->console, "PANIC") == NULL;
    ok &= strstr(r->console, "Powering off.") != NULL;
    ok &= strcmp(r->state, "---s--") == 0;          /* shut down, not crashed */
    ok &= !line || strstr(r->console, line) != NULL;
    CU_ASSERT(ok);
    if (!ok)
        fprintf(stderr, "\nxl status %d, state '%s', expected '%s'; console:\n%s\n",
                r->xl_status, r->state, line ? line : "", r->console);
}
