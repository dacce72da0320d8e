/*
 * config_json.c: a config as libxl's JSON (the "config" object of
 * `xl list -l`), with libxl_domain_config's key names and yajl's 4-space
 * indentation, so scripts that read Xen's output read ours.
 * Invariant: every string is escaped; the output is valid JSON.
 */
#include "libxl_umbra.h"

#include <stdio.h>
#include <stdlib.h>

/* Write s as a JSON string literal. */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void uuid_str(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
             u[12], u[13], u[14], u[15]);
}

char *libxl_config_to_json(const struct libxl_domain_config *cfg, uint32_t domid)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char uuid[37];

    if (!f)
        return NULL;
    (void)domid;
    uuid_str(cfg->uuid, uuid);
    fputs("{\n    \"c_info\": {\n        \"type\": \"pv\",\n", f);
    fprintf(f, "        \"hap\": \"%s\",\n", cfg->hap ? "True" : "False");
    fputs("        \"name\": ", f);
    json_str(f, cfg->name);
    fprintf(f, ",\n        \"uuid\": \"%s\",\n", uuid);
    fputs("        \"run_hotplug_scripts\": \"True\"\n    },\n", f);
    fprintf(f, "    \"b_info\": {\n        \"max_vcpus\": %u,\n        \"avail_vcpus\": [\n",
            cfg->max_vcpus);
    for (unsigned i = 0; i < cfg->max_vcpus; i++)
        fprintf(f, "            %u%s\n", i, i + 1 < cfg->max_vcpus ? "," : "");
    fprintf(f, "        ],\n        \"max_memkb\": %llu,\n        \"target_memkb\": %llu,\n",
            (unsigned long long)cfg->max_memkb, (unsigned long long)cfg->target_memkb);
    fprintf(f, "        \"claim_mode\": \"False\",\n        \"nosharepages\": \"%s\",\n",
            cfg->nosharepages ? "True" : "False");
    fputs("        \"type.pv\": {\n            \"kernel\": ", f);
    json_str(f, cfg->kernel);
    fputs(",\n            \"cmdline\": ", f);
    json_str(f, cfg->cmdline);
    fputs("\n        }\n    },\n", f);
    fprintf(f, "    \"on_poweroff\": \"%s\",\n    \"on_reboot\": \"%s\",\n"
               "    \"on_crash\": \"%s\",\n",
            libxl_action_name(cfg->on_poweroff), libxl_action_name(cfg->on_reboot),
            libxl_action_name(cfg->on_crash));
    fprintf(f, "    \"consoles\": %s,\n    \"balloon\": \"%s\"\n}",
            cfg->console ? "[\n        {\n            \"devid\": 0,\n"
                           "            \"consback\": \"xenconsoled\"\n        }\n    ]"
                         : "[\n    ]",
            cfg->balloon ? "True" : "False");
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
