/*
 * xl_info.c: `xl info [field]` in Xen's order and layout, and `xl dmesg [-c]`.
 * Memory figures are MiB, from the hypervisor's physinfo (its frame allocator).
 * With an argument, as Xen's xl: only the values of the fields whose names
 * start with it are printed (none: nothing, and success).
 */
#include "xl.h"
#include "xl_format.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "public/version.h"

struct info_out {
    const char *field;     /* print only fields starting with this (NULL: all) */
};

static void field(struct info_out *o, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void field(struct info_out *o, const char *name, const char *fmt, ...)
{
    char value[1024];
    va_list ap;

    if (o->field && strncmp(name, o->field, strlen(o->field)))
        return;
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    if (o->field)
        printf("%s\n", value);
    else
        xl_fmt_info(stdout, name, "%s", value);
}

/* A string-valued XENVER_* query, "" if the hypervisor has none. */
static const char *version_str(int cmd, char *buf, size_t len)
{
    memset(buf, 0, len);
    if (xc_version(xl_xch(), cmd, buf) < 0)
        buf[0] = '\0';
    buf[len - 1] = '\0';
    return buf;
}

int main_info(int argc, char **argv)
{
    struct info_out o = { argc > 1 ? argv[1] : NULL };
    xc_physinfo_t pi;
    struct utsname u;
    char caps[64], hw[128], extra[64], xcaps[1024], cs[64], cmdline[1024];
    int ver;

    if (xc_physinfo(xl_xch(), &pi) < 0)
        return xl_fail("getting physinfo");
    uname(&u);
    ver = xc_version(xl_xch(), XENVER_version, NULL);
    if (ver < 0)
        ver = 0;
    version_str(XENVER_extraversion, extra, 16);
    xl_fmt_virt_caps(pi.capabilities, caps, sizeof(caps));
    snprintf(hw, sizeof(hw), "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x", pi.hw_cap[0],
             pi.hw_cap[1], pi.hw_cap[2], pi.hw_cap[3], pi.hw_cap[4], pi.hw_cap[5],
             pi.hw_cap[6], pi.hw_cap[7]);
    field(&o, "host", "%s", u.nodename);
    field(&o, "release", "%s", u.release);
    field(&o, "version", "%s", u.version);
    field(&o, "machine", "%s", u.machine);
    field(&o, "nr_cpus", "%u", pi.nr_cpus);
    field(&o, "max_cpu_id", "%u", pi.max_cpu_id);
    field(&o, "nr_nodes", "%u", pi.nr_nodes);
    field(&o, "cores_per_socket", "%u", pi.cores_per_socket);
    field(&o, "threads_per_core", "%u", pi.threads_per_core);
    field(&o, "cpu_mhz", "%u.%03u", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    field(&o, "hw_caps", "%s", hw);
    field(&o, "virt_caps", "%s", caps);
    field(&o, "total_memory", "%llu", (unsigned long long)(pi.total_pages / 256));
    field(&o, "free_memory", "%llu",
          (unsigned long long)((pi.free_pages - pi.outstanding_pages) / 256));
    field(&o, "sharing_freed_memory", "%u", 0);
    field(&o, "sharing_used_memory", "%u", 0);
    field(&o, "outstanding_claims", "%llu", (unsigned long long)(pi.outstanding_pages / 256));
    field(&o, "free_cpus", "%u", 0);
    field(&o, "xen_major", "%d", ver >> 16);
    field(&o, "xen_minor", "%d", ver & 0xffff);
    field(&o, "xen_extra", "%s", extra);
    field(&o, "xen_version", "%d.%d%s", ver >> 16, ver & 0xffff, extra);
    field(&o, "xen_caps", "%s", version_str(XENVER_capabilities, xcaps, sizeof(xcaps)));
    field(&o, "xen_scheduler", "%s", "credit");
    field(&o, "xen_pagesize", "%d", 4096);
    field(&o, "platform_params", "%s", "virt_start=0x0");
    field(&o, "xen_changeset", "%s", version_str(XENVER_changeset, cs, sizeof(cs)));
    field(&o, "xen_commandline", "%s", version_str(XENVER_commandline, cmdline, sizeof(cmdline)));
    field(&o, "cc_compiler", "%s", __VERSION__);
    field(&o, "cc_compile_by", "%s", "umbra");
    field(&o, "cc_compile_domain", "%s", "");
    field(&o, "cc_compile_date", "%s", __DATE__);
    field(&o, "build_id", "%s", "");
    field(&o, "xend_config_format", "%d", 4);
    return EXIT_SUCCESS;
}

int main_dmesg(int argc, char **argv)
{
    unsigned int size = 1 << 20;
    char *buf = malloc(size);
    int clear = 0, opt;

    optind = 1;
    while ((opt = getopt(argc, argv, "c")) != -1) {
        if (opt != 'c') {
            free(buf);
            return EXIT_FAILURE;
        }
        clear = 1;
    }
    if (!buf)
        return EXIT_FAILURE;
    if (xc_readconsolering(xl_xch(), buf, &size, clear, 0, NULL) < 0) {
        free(buf);
        return xl_fail("reading the hypervisor console");
    }
    fwrite(buf, 1, size, stdout);
    free(buf);
    return EXIT_SUCCESS;
}
