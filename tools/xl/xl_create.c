/*
 * xl_create.c: `xl create [-p] [-c] [-q] <ConfigFile> [key=value...]`.
 *
 * Parses the libvirt XML config (file:line: reason on error), applies the
 * command-line overrides, refuses a name already in use, starts the domain
 * (libxl_domain_create: all or nothing), records its config for `xl list -l`
 * and the monitor, starts the monitor, and with -c attaches the console.
 * Invariant: when create fails, no domain and no record are left behind.
 */
#include "xl.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is `name` used by a live domain? Its id in *domid if so. */
static bool name_in_use(const char *name, uint32_t *domid)
{
    xc_dominfo_t *all;
    int n = xl_domain_list(&all);
    bool found = false;

    for (int i = 0; i < n && !found; i++)
        if (!strcmp(xl_domain_name(&all[i]), name)) {
            found = true;
            *domid = all[i].domid;
        }
    if (n >= 0)
        free(all);
    return found;
}

int main_create(int argc, char **argv)
{
    bool paused = false, console = false, quiet = false;
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX];
    uint32_t domid, other;
    int opt;

    optind = 1;
    while ((opt = getopt(argc, argv, "pcqFe")) != -1) {
        switch (opt) {
        case 'p': paused = true; break;
        case 'c': console = true; break;
        case 'q': quiet = true; break;
        case 'F': case 'e': break;   /* foreground monitor / no-wait: accepted */
        default: return EXIT_FAILURE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "Usage: xl create [-p] [-c] [-q] <ConfigFile> [key=value...]\n");
        return EXIT_FAILURE;
    }
    if (!quiet)
        fprintf(stderr, "Parsing config from %s\n", argv[optind]);
    if (libxl_config_parse_file(argv[optind], &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_FAILURE;
    }
    for (int i = optind + 1; i < argc; i++)
        if (libxl_config_override(&cfg, argv[i], err, sizeof(err)) < 0) {
            fprintf(stderr, "%s\n", err);
            return EXIT_FAILURE;
        }
    if (name_in_use(cfg.name, &other)) {
        fprintf(stderr, "libxl: error: Domain name '%s' is already in use (domain %u)\n",
                cfg.name, other);
        return EXIT_FAILURE;
    }
    if (libxl_domain_create(xl_xch(), &cfg, paused, &domid, err, sizeof(err)) < 0) {
        fprintf(stderr, "libxl: error: cannot create domain %s: %s\n", cfg.name, err);
        return EXIT_FAILURE;
    }
    if (libxl_userdata_save(domid, &cfg) < 0)
        fprintf(stderr, "xl: warning: cannot record domain %u's config; "
                        "`xl list -l` will show less\n", domid);
    else if (xl_monitor_spawn(domid) < 0)
        fprintf(stderr, "xl: warning: cannot start the monitor for domain %u; "
                        "on_poweroff/on_reboot/on_crash will not be acted on\n", domid);
    if (!quiet)
        fprintf(stderr, "Started domain %s (id=%u)\n", cfg.name, domid);
    if (console)
        return xl_console_attach(domid) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
    return EXIT_SUCCESS;
}
