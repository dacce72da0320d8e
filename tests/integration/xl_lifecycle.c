/*
 * xl_lifecycle.c: suite integration/xl/lifecycle: against a private stack,
 * `xl create -c examples/hello.xml` shows the guest's banner; `xl list`
 * shows Domain-0 and the guest in Xen's layout; after destroy, free memory
 * is what it was before; pause/unpause/destroy by name; unknown domains get
 * Xen's error.
 */
#include "umbra_test.h"
#include "ut_proc.h"
#include "xl_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int up(void)
{
    return xl_stack_up("xl-life") < 0 ? -1 : 0;
}

static int down(void)
{
    xl_stack_down();
    return 0;
}

static void test_create_console_banner(void)
{
    char *out = NULL;
    int rc;

    if (!xl_stack_ready())
        return;
    rc = xl_run("create -c examples/hello.xml name=hello-console on_poweroff=destroy", &out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Parsing config from examples/hello.xml"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Umbra PV kernel"));
    if (rc != 0 || !strstr(out, "Umbra PV kernel"))
        fprintf(stderr, "\n%s\n", out);
    free(out);
    /* on_poweroff=destroy: its monitor destroys it once it has powered off. */
    CU_ASSERT_EQUAL(xl_wait_gone("hello-console", 10000), 0);
}

/* Parse one `xl list` row in Xen's format. */
static int parse_row(const char *line, char *name, int *id, unsigned long *mem, int *vcpus,
                     char *state, double *t)
{
    return sscanf(line, "%63s %d %lu %d %6s %lf", name, id, mem, vcpus, state, t) == 6 ? 0 : -1;
}

static void test_list_layout(void)
{
    char *out = NULL, name[64], state[8], *line2, *line3;
    unsigned long mem;
    int id, vcpus;
    double t;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -p -q examples/hello.xml name=listed", NULL), 0);
    CU_ASSERT_EQUAL_FATAL(xl_run("list", &out), 0);
    CU_ASSERT_EQUAL(strncmp(out, "Name                                        ID   Mem VCPUs\tState\tTime(s)\n",
                            strlen("Name                                        ID   Mem VCPUs\tState\tTime(s)\n")), 0);
    line2 = strchr(out, '\n') + 1;
    CU_ASSERT_EQUAL(strncmp(line2, "Domain-0                                     0 ", 47), 0);
    CU_ASSERT_EQUAL(parse_row(line2, name, &id, &mem, &vcpus, state, &t), 0);
    line3 = strstr(out, "\nlisted");
    CU_ASSERT_PTR_NOT_NULL_FATAL(line3);
    line3++;
    CU_ASSERT_EQUAL(parse_row(line3, name, &id, &mem, &vcpus, state, &t), 0);
    CU_ASSERT_STRING_EQUAL(name, "listed");
    CU_ASSERT(id > 0);
    CU_ASSERT_EQUAL(mem, 16);
    CU_ASSERT_EQUAL(vcpus, 1);
    CU_ASSERT_STRING_EQUAL(state, "--p---");
    /* The row's exact layout: name in 40 columns, then "%5d %5lu %5d     ". */
    {
        char want[128];

        snprintf(want, sizeof(want), "%-40s %5d %5lu %5d     --p---  ", "listed", id, 16UL, 1);
        CU_ASSERT_EQUAL(strncmp(line3, want, strlen(want)), 0);
    }
    free(out);
    /* By name: list, pause state, JSON. */
    CU_ASSERT_EQUAL(xl_run("list listed", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "listed"));
    CU_ASSERT_PTR_NULL(strstr(out, "Domain-0"));
    free(out);
    CU_ASSERT_EQUAL(xl_run("list -l listed", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"c_info\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"name\": \"listed\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"target_memkb\": 16384"));
    free(out);
    /* The whole of `xl list -l` is one valid JSON array, Domain-0 first. */
    CU_ASSERT_EQUAL(xl_run("list -l | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                           "assert d[0][\"domid\"]==0 and len(d)>=2, d'", &out), 0);
    free(out);
    /* A second domain of that name is refused, and nothing is created. */
    CU_ASSERT_NOT_EQUAL(xl_run("create -q examples/hello.xml name=listed", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Domain name 'listed' is already in use"));
    free(out);
    CU_ASSERT_EQUAL(xl_list_count(), 2);
    CU_ASSERT_EQUAL(xl_run("destroy listed", NULL), 0);
}

static void test_destroy_restores_free_memory(void)
{
    long before, during, after;

    if (!xl_stack_ready())
        return;
    before = xl_info_num("free_memory");
    CU_ASSERT(before > 16);
    CU_ASSERT_EQUAL_FATAL(xl_run("create -p -q examples/hello.xml name=freemem", NULL), 0);
    during = xl_info_num("free_memory");
    CU_ASSERT(during <= before - 16);
    CU_ASSERT_EQUAL(xl_run("destroy freemem", NULL), 0);
    after = xl_info_num("free_memory");
    CU_ASSERT_EQUAL(after, before);
}

static void test_unknown_domain(void)
{
    char *out = NULL;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_NOT_EQUAL(xl_run("destroy no-such-domain", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Error: Domain 'no-such-domain' does not exist."));
    free(out);
    CU_ASSERT_NOT_EQUAL(xl_run("list 4321", &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Error: Domain '4321' does not exist."));
    free(out);
}

/* The state letters of domain `name` from `xl list name`, into st[7]. */
static int state_of(const char *name, char st[8])
{
    char args[128], *out = NULL, n[64];
    unsigned long mem;
    int id, vcpus, rc;
    double t;

    snprintf(args, sizeof(args), "list %s", name);
    rc = xl_run(args, &out);
    if (rc == 0)
        rc = parse_row(strchr(out, '\n') + 1, n, &id, &mem, &vcpus, st, &t);
    free(out);
    return rc;
}

static void test_pause_unpause(void)
{
    char st[8];

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -p -q examples/hello.xml name=pp", NULL), 0);
    CU_ASSERT_EQUAL(state_of("pp", st), 0);
    CU_ASSERT_EQUAL(st[2], 'p');
    CU_ASSERT_EQUAL(xl_run("unpause pp", NULL), 0);
    CU_ASSERT_EQUAL(state_of("pp", st), 0);
    CU_ASSERT_EQUAL(st[2], '-');
    CU_ASSERT_EQUAL(xl_run("pause pp", NULL), 0);
    CU_ASSERT_EQUAL(state_of("pp", st), 0);
    CU_ASSERT_EQUAL(st[2], 'p');
    CU_ASSERT_EQUAL(xl_run("destroy pp", NULL), 0);
    CU_ASSERT_NOT_EQUAL(xl_run("list pp", NULL), 0);
}

static void test_info_layout(void)
{
    char *out = NULL;

    if (!xl_stack_ready())
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("info", &out), 0);
    CU_ASSERT_EQUAL(strncmp(out, "host                   : ", 25), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nvirt_caps              : pv hap"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\ntotal_memory           : "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nxen_pagesize           : 4096\n"));
    CU_ASSERT(strstr(out, "total_memory") < strstr(out, "free_memory"));
    CU_ASSERT(strstr(out, "free_memory") < strstr(out, "xen_major"));
    free(out);
}

/* Run the build's `xenstore-LINE` (e.g. "read /x") against the stack's xenstored. */
static int xs_cmd(const char *line, char **out)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd), "'%s'/xenstore-%s", ut_build_path("bin"), line);
    return ut_run(cmd, out);
}

static void test_xenstore_layout(void)
{
    char *out = NULL, args[256];
    long id;

    if (!xl_stack_ready() || access(ut_build_path("bin/xenstored"), X_OK) != 0)
        return;
    CU_ASSERT_EQUAL_FATAL(xl_run("create -p -q examples/hello.xml name=xs-guest", NULL), 0);
    CU_ASSERT_EQUAL_FATAL(xl_run("list xs-guest", &out), 0);
    id = -1;
    sscanf(strchr(out, '\n') + 1, "%*s %ld", &id);
    free(out);
    CU_ASSERT_FATAL(id > 0);
    snprintf(args, sizeof(args), "read /local/domain/%ld/name", id);
    CU_ASSERT_EQUAL(xs_cmd(args, &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "xs-guest\n");
    free(out);
    snprintf(args, sizeof(args), "read /local/domain/%ld/memory/target", id);
    CU_ASSERT_EQUAL(xs_cmd(args, &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "16384\n");
    free(out);
    snprintf(args, sizeof(args), "ls -p /local/domain/%ld", id);
    CU_ASSERT_EQUAL(xs_cmd(args, &out), 0);
    snprintf(args, sizeof(args), "(n0,r%ld)", id);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, args));
    snprintf(args, sizeof(args), "(n%ld)", id);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, args));      /* control/shutdown, data, ... */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "ring-ref = "));
    free(out);
    /* mem-set writes the balloon target there. */
    CU_ASSERT_EQUAL(xl_run("mem-set xs-guest 8m", NULL), 0);
    snprintf(args, sizeof(args), "read /local/domain/%ld/memory/target", id);
    CU_ASSERT_EQUAL(xs_cmd(args, &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "8192\n");
    free(out);
    /* destroy removes it. */
    CU_ASSERT_EQUAL(xl_run("destroy xs-guest", NULL), 0);
    snprintf(args, sizeof(args), "exists /local/domain/%ld", id);
    CU_ASSERT_NOT_EQUAL(xs_cmd(args, NULL), 0);
}

UMBRA_SUITE(xl_lifecycle, "integration/xl/lifecycle", up, down,
            UMBRA_TEST(test_create_console_banner), UMBRA_TEST(test_list_layout),
            UMBRA_TEST(test_destroy_restores_free_memory), UMBRA_TEST(test_unknown_domain),
            UMBRA_TEST(test_pause_unpause), UMBRA_TEST(test_info_layout),
            UMBRA_TEST(test_xenstore_layout))
