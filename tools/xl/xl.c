/*
 * xl.c: the `xl` command: option handling common to every subcommand, the
 * command table, and the helpers subcommands share (the hypervisor handle,
 * finding a domain by name or id).
 * Invariant: every subcommand's errors go to stderr with a nonzero exit.
 */
#include "xl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct xl_cmd commands[] = {
    { "create", main_create, "[-p] [-c] [-q] <ConfigFile> [key=value...]",
      "Create a domain from a libvirt domain XML config file" },
    { "list", main_list, "[-l] [-v] [Domain...]", "List information about all/some domains" },
    { "destroy", main_destroy, "<Domain>", "Terminate a domain immediately" },
    { "shutdown", main_shutdown, "[-w] <Domain>", "Issue a shutdown signal to a domain" },
    { "reboot", main_reboot, "<Domain>", "Issue a reboot signal to a domain" },
    { "pause", main_pause, "<Domain>", "Pause execution of a domain" },
    { "unpause", main_unpause, "<Domain>", "Unpause a paused domain" },
    { "console", main_console, "<Domain>", "Attach to domain's console (Ctrl+] detaches)" },
    { "dmesg", main_dmesg, "[-c]", "Read and/or clear dmesg buffer" },
    { "info", main_info, "[field]", "Get information about Xen host" },
    { "top", main_top, "", "Monitor a host and the domains in real time (runs xentop)" },
    { "vcpu-list", main_vcpulist, "[Domain...]", "List the VCPUs for all/some domains" },
    { "sched-credit", main_sched_credit, "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]",
      "Get/set credit scheduler parameters" },
    { "mem-max", main_memmax, "<Domain> <MemKB>", "Set the maximum amount reservation for a domain" },
    { "mem-set", main_memset, "<Domain> <MemKB>", "Set the current memory usage for a domain" },
};

static void usage(FILE *f)
{
    fprintf(f, "Usage xl [-v] <subcommand> [args]\n\nxl full list of subcommands:\n\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, " %-20s%s\n", commands[i].name, commands[i].help);
    fputc('\n', f);
}

static xc_interface *xch;

int xl_fail(const char *what)
{
    int e = errno;

    if (e == EPERM || e == EACCES)
        fprintf(stderr, "xl: %s: permission denied (EPERM): this needs dom0 privileges "
                        "(root, or the hypervisor's own user)\n", what);
    else
        fprintf(stderr, "xl: %s: %s\n", what, strerror(e));
    return EXIT_FAILURE;
}

xc_interface *xl_xch(void)
{
    if (xch)
        return xch;
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        const char *dir = getenv("XEN_RUN_DIR");
        char what[512];

        snprintf(what, sizeof(what), "cannot reach the hypervisor at %s/privcmd",
                 dir && *dir ? dir : "/run/xen");
        exit(xl_fail(what));
    }
    return xch;
}

int xl_domain_info(uint32_t domid, xc_dominfo_t *info)
{
    int n = xc_domain_getinfo(xl_xch(), domid, 1, info);

    if (n < 0 && (errno == EPERM || errno == EACCES))
        exit(xl_fail("getting domain information"));
    return n == 1 && info->domid == domid ? 0 : -1;
}

int xl_domain_list(xc_dominfo_t **out)
{
    unsigned cap = 64;
    int total = 0;
    xc_dominfo_t *all = NULL;

    for (uint32_t next = 0;;) {
        xc_dominfo_t *grown = realloc(all, (total + cap) * sizeof(*all));
        int n;

        if (!grown) {
            free(all);
            return -1;
        }
        all = grown;
        n = xc_domain_getinfo(xl_xch(), next, cap, all + total);
        if (n < 0) {
            free(all);
            return -1;
        }
        total += n;
        if ((unsigned)n < cap)
            break;
        next = all[total - 1].domid + 1;
    }
    *out = all;
    return total;
}

const char *xl_domain_name(const xc_dominfo_t *d)
{
    return d->domid == 0 ? "Domain-0" : d->name;
}

uint32_t xl_find_domain(const char *p)
{
    xc_dominfo_t info, *all;
    int n;

    if (*p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 10) {
        uint32_t id = (uint32_t)strtoul(p, NULL, 10);

        if (xl_domain_info(id, &info) == 0)
            return id;
    } else if ((n = xl_domain_list(&all)) >= 0) {
        for (int i = 0; i < n; i++)
            if (!strcmp(xl_domain_name(&all[i]), p)) {
                uint32_t id = all[i].domid;

                free(all);
                return id;
            }
        free(all);
    } else {
        exit(xl_fail("listing domains"));
    }
    fprintf(stderr, "Error: Domain '%s' does not exist.\n", p);
    exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
    const char *cmd;

    if (argc > 1 && !strcmp(argv[1], "-v")) {   /* accepted for compatibility */
        argv++;
        argc--;
    }
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_FAILURE : EXIT_SUCCESS;
    }
    cmd = argv[1];
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(commands[i].name, cmd)) {
            int rc;

            if (argc > 2 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
                printf("Usage: xl %s %s\n\n%s.\n", cmd, commands[i].usage, commands[i].help);
                return EXIT_SUCCESS;
            }
            rc = commands[i].fn(argc - 1, argv + 1);
            if (xch)
                xc_interface_close(xch);
            return rc;
        }
    fprintf(stderr, "command not implemented\n");
    usage(stderr);
    return EXIT_FAILURE;
}
