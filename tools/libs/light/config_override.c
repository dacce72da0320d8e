/*
 * config_override.c: `xl create cfg key=value...` overrides, applied after
 * the XML is parsed.
 *
 * Keys follow xl.cfg where it has one (memory, maxmem, vcpus, kernel,
 * cmdline, hap, on_*) and libvirt's element names otherwise; `superpages`
 * is Umbra's own (2 MiB p2m pages, on by default). Memory values
 * are xl.cfg's: a bare number is MiB; a suffix b/k/m/g/t gives the unit.
 * Invariant: a rejected override leaves cfg unchanged.
 */
#include "config_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int bad(const char *kv, char *err, size_t errlen, const char *reason)
{
    snprintf(err, errlen, "override '%s': %s", kv, reason);
    return -1;
}

/* xl.cfg memory: bare number = MiB, else xl SIZE. KiB into *kib, 0 or -1. */
static int override_mem(const char *v, uint64_t *kib)
{
    char buf[40];
    int64_t k;

    if (strlen(v) + 2 > sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s%s", v,
             (*v && strchr("0123456789", v[strlen(v) - 1])) ? "m" : "");
    k = libxl_parse_mem_size_kb(buf);
    if (k < 1024 || k > (1LL << 30))
        return -1;
    *kib = ((uint64_t)k + 3) & ~3ULL;
    return 0;
}

int libxl_config_override(struct libxl_domain_config *cfg, const char *kv,
                          char *err, size_t errlen)
{
    struct libxl_domain_config n = *cfg;
    const char *eq = strchr(kv, '=');
    const char *v;
    char key[32];

    if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
        return bad(kv, err, errlen, "expected key=value");
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    v = eq + 1;
    if (!strcmp(key, "name")) {
        if (!*v || strlen(v) > LIBXL_NAME_MAX || strpbrk(v, "/ \t\n") ||
            strspn(v, "0123456789") == strlen(v))
            return bad(kv, err, errlen, "invalid domain name");
        snprintf(n.name, sizeof(n.name), "%s", v);
    } else if (!strcmp(key, "memory") || !strcmp(key, "currentMemory")) {
        if (override_mem(v, &n.target_memkb) < 0)
            return bad(kv, err, errlen, "invalid memory size (at least 1 MiB, at most 1 TiB)");
        if (n.max_memkb < n.target_memkb)
            n.max_memkb = n.target_memkb;
    } else if (!strcmp(key, "maxmem")) {
        if (override_mem(v, &n.max_memkb) < 0)
            return bad(kv, err, errlen, "invalid memory size (at least 1 MiB, at most 1 TiB)");
        if (n.target_memkb > n.max_memkb)
            return bad(kv, err, errlen, "maxmem is below the current memory");
    } else if (!strcmp(key, "vcpus")) {
        char *end;
        unsigned long c = strtoul(v, &end, 10);

        if (!*v || *end || c < 1 || c > 128)
            return bad(kv, err, errlen, "vcpus must be between 1 and 128");
        n.max_vcpus = (unsigned)c;
    } else if (!strcmp(key, "kernel")) {
        struct stat sb;

        if (stat(v, &sb) < 0 || !S_ISREG(sb.st_mode) || !realpath(v, n.kernel))
            return bad(kv, err, errlen, "kernel not found");
    } else if (!strcmp(key, "cmdline") || !strcmp(key, "extra")) {
        if (strlen(v) >= sizeof(n.cmdline))
            return bad(kv, err, errlen, "command line longer than 1023 bytes");
        snprintf(n.cmdline, sizeof(n.cmdline), "%s", v);
    } else if (!strcmp(key, "hap")) {
        if (!strcmp(v, "1") || !strcmp(v, "on"))
            n.hap = true;
        else if (!strcmp(v, "0") || !strcmp(v, "off"))
            n.hap = false;
        else
            return bad(kv, err, errlen, "hap must be 1/on or 0/off");
    } else if (!strcmp(key, "superpages")) {   /* Umbra: 2 MiB p2m pages (benchmarks) */
        if (!strcmp(v, "1") || !strcmp(v, "on"))
            n.nosuperpages = false;
        else if (!strcmp(v, "0") || !strcmp(v, "off"))
            n.nosuperpages = true;
        else
            return bad(kv, err, errlen, "superpages must be 1/on or 0/off");
    } else if (!strcmp(key, "on_poweroff") || !strcmp(key, "on_reboot") ||
               !strcmp(key, "on_crash")) {
        enum libxl_action *a = key[3] == 'p' ? &n.on_poweroff
                             : key[3] == 'r' ? &n.on_reboot : &n.on_crash;

        if (config_parse_action(v, a) < 0)
            return bad(kv, err, errlen, "unknown action");
    } else {
        return bad(kv, err, errlen, "unknown key");
    }
    *cfg = n;
    return 0;
}
