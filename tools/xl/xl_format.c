/*
 * xl_format.c: xl's output layouts, as Xen 4.17's xl prints them
 * (tools/xl/xl_list.c, xl_info.c, xl_vcpu.c, xl_sched.c).
 * Invariant: pure formatting; nothing here talks to the hypervisor.
 */
#include "xl_format.h"

#include <stdarg.h>
#include <string.h>

void xl_fmt_list_header(FILE *f, bool verbose)
{
    fputs("Name                                        ID   Mem VCPUs\tState\tTime(s)", f);
    if (verbose)
        fputs("   UUID                            Reason-Code\tSecurity Label   Paging", f);
    fputc('\n', f);
}

void xl_fmt_state(const xc_dominfo_t *d, char out[7])
{
    static const char reasons[] = "-rscwS";
    unsigned r = d->shutdown ? d->shutdown_reason : 0;

    out[0] = d->running ? 'r' : '-';
    out[1] = d->blocked ? 'b' : '-';
    out[2] = d->paused ? 'p' : '-';
    out[3] = d->shutdown ? 's' : '-';
    out[4] = r < sizeof(reasons) - 1 ? reasons[r] : '?';
    out[5] = d->dying ? 'd' : '-';
    out[6] = '\0';
}

void xl_fmt_uuid(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
             u[12], u[13], u[14], u[15]);
}

void xl_fmt_list_row(FILE *f, const xc_dominfo_t *d, const char *name, bool verbose)
{
    char st[7];
    unsigned long mem_mib = (d->nr_pages + d->nr_outstanding_pages) * 4 / 1024;

    xl_fmt_state(d, st);
    fprintf(f, "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f", name, (int)d->domid, mem_mib,
            (int)d->nr_online_vcpus, st[0], st[1], st[2], st[3], st[4], st[5],
            (float)d->cpu_time / 1e9);
    if (verbose) {
        char uuid[37];

        xl_fmt_uuid(d->handle, uuid);
        fprintf(f, " %s", uuid);
        if (d->shutdown)
            fprintf(f, " %8x", d->shutdown_reason);
        else
            fprintf(f, " %8s", "-");
        fprintf(f, " %16s", "-");
        fprintf(f, " %8s", d->domid == 0 ? "-" : d->hap ? "hap" : "shadow");
    }
    fputc('\n', f);
}

void xl_fmt_info(FILE *f, const char *name, const char *fmt, ...)
{
    va_list ap;

    fprintf(f, "%-23s: ", name);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

void xl_fmt_virt_caps(uint32_t caps, char *out, size_t len)
{
    snprintf(out, len, "%s%s%s%s", caps & XEN_SYSCTL_PHYSCAP_pv ? "pv " : "",
             caps & XEN_SYSCTL_PHYSCAP_hap ? "hap " : "",
             caps & XEN_SYSCTL_PHYSCAP_shadow ? "shadow " : "",
             caps & XEN_SYSCTL_PHYSCAP_gnttab_v1 ? "gnttab-v1 " : "");
    if (*out)
        out[strlen(out) - 1] = '\0';
}

void xl_fmt_vcpu_header(FILE *f)
{
    fprintf(f, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
            "Time(s)", "Affinity (Hard / Soft)");
}

void xl_fmt_vcpu_row(FILE *f, const char *name, uint32_t domid, uint32_t vcpu,
                     const xc_vcpuinfo_t *v)
{
    fprintf(f, "%-32s %5u %5u", name, domid, vcpu);
    if (!v->online)
        fprintf(f, "%5c %3c%cp ", '-', '-', '-');
    else
        fprintf(f, "%5u %3c%c- ", v->cpu, v->running ? 'r' : '-', v->blocked ? 'b' : '-');
    fprintf(f, "%9.1f  ", (float)v->cpu_time / 1e9);
    fputs("all / all\n", f);
}

void xl_fmt_sched_pool(FILE *f, const char *pool, int tslice_ms, int ratelimit_us)
{
    fprintf(f, "Cpupool %s: tslice=%dms ratelimit=%dus migration-delay=0us\n", pool, tslice_ms,
            ratelimit_us);
}

void xl_fmt_sched_header(FILE *f)
{
    fprintf(f, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

void xl_fmt_sched_row(FILE *f, const char *name, uint32_t domid,
                      const struct xen_domctl_sched_credit *s)
{
    fprintf(f, "%-33s %4d %6d %4d\n", name, (int)domid, s->weight, s->cap);
}

void xl_fmt_indented(FILE *f, const char *s, int n)
{
    for (; *s; s++) {
        fputc(*s, f);
        if (*s == '\n')
            fprintf(f, "%*s", n, "");
    }
}
