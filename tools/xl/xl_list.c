/*
 * xl_list.c: `xl list [-l] [-v] [Domain...]`, in Xen's layout: Domain-0 first,
 * then the guests by id; -l prints libxl's JSON array of {"domid", "config"}.
 * Invariant: an unknown domain argument is an error before anything prints.
 */
#include "xl.h"
#include "xl_format.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The config of domain d: the saved one, else one rebuilt from what the hypervisor knows. */
static void domain_config(const xc_dominfo_t *d, struct libxl_domain_config *cfg)
{
    if (d->domid != 0 && libxl_userdata_load(d->domid, cfg) == 0)
        return;
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->name, sizeof(cfg->name), "%s", xl_domain_name(d));
    memcpy(cfg->uuid, d->handle, sizeof(cfg->uuid));
    cfg->max_memkb = d->max_memkb;
    cfg->target_memkb = (uint64_t)d->nr_pages * 4;
    cfg->max_vcpus = d->max_vcpu_id + 1;
    cfg->hap = d->hap;
    cfg->on_reboot = LIBXL_ACTION_RESTART;
}

static int list_long(const xc_dominfo_t *doms, int n)
{
    printf("[\n");
    for (int i = 0; i < n; i++) {
        struct libxl_domain_config cfg;
        char *json;

        domain_config(&doms[i], &cfg);
        json = libxl_config_to_json(&cfg, doms[i].domid);
        if (!json) {
            fprintf(stderr, "xl: out of memory\n");
            return EXIT_FAILURE;
        }
        printf("    {\n        \"domid\": %u,\n        \"config\": ", doms[i].domid);
        xl_fmt_indented(stdout, json, 8);
        printf(",\n        \"umbra\": {\n            \"paging_mode\": \"%s\"\n        }\n    }%s\n",
               doms[i].domid == 0 ? "none" : doms[i].hap ? "hap" : "shadow",
               i + 1 < n ? "," : "");
        free(json);
    }
    printf("]\n");
    return EXIT_SUCCESS;
}

int main_list(int argc, char **argv)
{
    bool details = false, verbose = false;
    xc_dominfo_t *doms;
    int n, opt, rc;

    optind = 1;
    while ((opt = getopt(argc, argv, "lv")) != -1) {
        if (opt == 'l')
            details = true;
        else if (opt == 'v')
            verbose = true;
        else
            return EXIT_FAILURE;
    }
    if (optind < argc) {
        n = argc - optind;
        doms = calloc((size_t)n, sizeof(*doms));
        if (!doms)
            return EXIT_FAILURE;
        for (int i = 0; i < n; i++) {
            uint32_t id = xl_find_domain(argv[optind + i]);

            if (xl_domain_info(id, &doms[i]) < 0) {
                fprintf(stderr, "Error: Domain '%s' does not exist.\n", argv[optind + i]);
                free(doms);
                return EXIT_FAILURE;
            }
        }
    } else if ((n = xl_domain_list(&doms)) < 0) {
        return xl_fail("listing domains");
    }
    if (details) {
        rc = list_long(doms, n);
    } else {
        xl_fmt_list_header(stdout, verbose);
        for (int i = 0; i < n; i++)
            xl_fmt_list_row(stdout, &doms[i], xl_domain_name(&doms[i]), verbose);
        rc = EXIT_SUCCESS;
    }
    free(doms);
    return rc;
}
