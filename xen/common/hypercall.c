/*
 * hypercall.c: the guest hypercall table, and the small hypercalls:
 * xen_version, console_io and set_timer_op.
 *
 * Calling convention (docs/hypercalls.md): ecall from VS with
 * a7 = XEN_HYPERCALL_BASE + nr, arguments in a0..a5, result in a0 (>= 0, or
 * a negative Xen errno). Pointer arguments are guest virtual addresses and
 * are only ever dereferenced through hc_copy_from_guest/hc_copy_to_guest,
 * which fail with -EFAULT; no guest value is trusted.
 */
#include <errno.h>
#include <string.h>

#include "public/version.h"
#include "public/xen.h"
#include "umbra/console.h"
#include "umbra/guest_access.h"
#include "umbra/sched.h"
#include "umbra/traps.h"

#define CONSOLE_IO_MAX 4096   /* bytes per console_io write */

int hc_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return copy_from_guest(v, dst, gva, len) ? -EFAULT : 0;
}

int hc_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return copy_to_guest(v, gva, src, len) ? -EFAULT : 0;
}

long do_hypercall(struct vcpu *v, unsigned long nr, const uint64_t a[6])
{
    ASSERT_XEN_LOCKED();
    switch (nr) {
    case __HYPERVISOR_memory_op:
        return do_memory_op(v, (unsigned)a[0], a[1]);
    case __HYPERVISOR_set_timer_op:
        return do_set_timer_op(v, a[0]);
    case __HYPERVISOR_xen_version:
        return do_xen_version(v, (unsigned)a[0], a[1]);
    case __HYPERVISOR_console_io:
        return do_console_io(v, (unsigned)a[0], a[1], a[2]);
    case __HYPERVISOR_vcpu_op:
        return do_vcpu_op(v, (unsigned)a[0], (unsigned)a[1], a[2]);
    case __HYPERVISOR_sched_op:
        return do_sched_op(v, (unsigned)a[0], a[1]);
    case __HYPERVISOR_event_channel_op:
        return do_event_channel_op(v, (unsigned)a[0], a[1]);
    case __HYPERVISOR_domctl:
    case __HYPERVISOR_sysctl:
        return -EPERM;   /* only dom0 controls the machine, over privcmd */
    default:
        return -ENOSYS;
    }
}

/* The answer to a XENVER_* query that has a string or struct result. */
static long version_copy(struct vcpu *v, uint64_t arg, const void *src, size_t len)
{
    return hc_copy_to_guest(v, arg, src, len);
}

long do_xen_version(struct vcpu *v, unsigned cmd, uint64_t arg)
{
    char buf[1024];

    memset(buf, 0, sizeof(buf));
    switch (cmd) {
    case XENVER_version:
        return (UMBRA_XEN_MAJOR << 16) | UMBRA_XEN_MINOR;
    case XENVER_extraversion:
        strcpy(buf, UMBRA_XEN_EXTRA);
        return version_copy(v, arg, buf, 16);
    case XENVER_capabilities:
        strcpy(buf, "xen-3.0-riscv64");
        return version_copy(v, arg, buf, 1024);
    case XENVER_changeset:
        strcpy(buf, "umbra");
        return version_copy(v, arg, buf, 64);
    case XENVER_get_features: {
        uint32_t fi[2];

        if (hc_copy_from_guest(v, fi, arg, sizeof(fi)))
            return -EFAULT;
        fi[1] = 0;   /* no optional PV features */
        return version_copy(v, arg, fi, sizeof(fi));
    }
    case XENVER_pagesize:
        return 4096;
    default:
        return -ENOSYS;
    }
}

long do_console_io(struct vcpu *v, unsigned cmd, uint64_t count, uint64_t buf)
{
    char chunk[256];
    uint64_t done = 0;

    if (cmd != CONSOLEIO_write)
        return cmd == CONSOLEIO_read ? -EPERM : -ENOSYS;
    if (count > CONSOLE_IO_MAX)
        return -EINVAL;
    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? (size_t)(count - done) : sizeof(chunk);

        if (hc_copy_from_guest(v, chunk, buf + done, n))
            return -EFAULT;
        dom_console_write(v->domain->console, chunk, n);
        done += n;
    }
    return 0;
}

long do_set_timer_op(struct vcpu *v, uint64_t timeout)
{
    uint64_t now = sched_now();

    /* 0 cancels; a deadline in the past fires at the next boundary. */
    vcpu_set_timer(v, timeout == 0 ? 0 : (timeout <= now ? now + 1 : timeout));
    return 0;
}
