/*
 * xc_misc.c: host-wide libxenctrl calls: physinfo, xen_version, the
 * hypervisor console ring (xl dmesg), a guest's console_io output (xl
 * console), and Umbra's memory-virtualization counters.
 */
#include <errno.h>
#include <string.h>

#include "public/version.h"
#include "xc_private.h"

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    struct xen_sysctl op;
    const struct xen_sysctl_physinfo *p = &op.u.physinfo;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    if (xc_sysctl(xch, &op, NULL, 0, NULL) < 0)
        return -1;
    *info = *p;   /* xc_physinfo_t is the sysctl's own struct */
    return 0;
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    char buf[1024];
    size_t got = 0;
    long rc;

    rc = xc_call(xch->fd, __HYPERVISOR_xen_version, (uint32_t)cmd, buf, 0, 0, buf, sizeof(buf),
                 &got, NULL);
    if (rc < 0)
        return -1;
    if (got && arg)
        memcpy(arg, buf, got);
    return (int)rc;
}

int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
                       int incremental, uint32_t *pindex)
{
    struct xen_sysctl op;
    size_t got = 0;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_readconsole;
    op.u.readconsole.clear = clear != 0;
    op.u.readconsole.incremental = incremental != 0;
    op.u.readconsole.index = pindex ? *pindex : 0;
    op.u.readconsole.count = *pnr_chars;
    if (xc_sysctl(xch, &op, buffer, *pnr_chars, &got) < 0)
        return -1;
    *pnr_chars = (unsigned)got;
    if (pindex)
        *pindex = op.u.readconsole.index;
    return 0;
}

int xc_domain_console_read(xc_interface *xch, uint32_t domid, char *buf, size_t len,
                           uint64_t *poff)
{
    struct xen_domctl op;
    size_t got = 0;

    xc_domctl_init(&op, XEN_DOMCTL_umbra_console_read, domid);
    op.u.console.offset = *poff;
    op.u.console.len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    if (xc_domctl(xch, &op, NULL, 0, buf, len, &got, NULL) < 0)
        return -1;
    *poff = op.u.console.offset + got;
    return (int)got;
}

int xc_umbra_mmstats(xc_interface *xch, uint32_t domid, xc_umbra_mmstats_t *st)
{
    struct xen_domctl op;

    _Static_assert(sizeof(*st) == sizeof(op.u.mmstats), "xc_umbra_mmstats_t layout");
    xc_domctl_init(&op, XEN_DOMCTL_umbra_mmstats, domid);
    if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
        return -1;
    memcpy(st, &op.u.mmstats, sizeof(*st));
    return 0;
}
