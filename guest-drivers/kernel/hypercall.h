/*
 * hypercall.h: the guest side of Umbra's paravirtual ABI: `ecall` from
 * VS-mode with a7 = XEN_HYPERCALL_BASE + number, arguments in a0..a5, the
 * result in a0 as a negative Xen errno. Pointer arguments are guest virtual
 * addresses; the kernel passes direct-map addresses (identity: GVA == GPA).
 * Invariant: the hypervisor changes only a0, so the wrappers clobber nothing
 * else; "memory" is clobbered because the hypervisor reads and writes our
 * buffers.
 */
#ifndef KERNEL_HYPERCALL_H
#define KERNEL_HYPERCALL_H

#include <stdint.h>

#include "public/xen.h"
#include "public/sched.h"
#include "public/event_channel.h"
#include "public/memory.h"
#include "public/vcpu.h"
#include "public/version.h"

static inline long hypercall5(unsigned long nr, unsigned long a0, unsigned long a1,
                              unsigned long a2, unsigned long a3, unsigned long a4)
{
    register unsigned long r_a0 __asm__("a0") = a0;
    register unsigned long r_a1 __asm__("a1") = a1;
    register unsigned long r_a2 __asm__("a2") = a2;
    register unsigned long r_a3 __asm__("a3") = a3;
    register unsigned long r_a4 __asm__("a4") = a4;
    register unsigned long r_a7 __asm__("a7") = XEN_HYPERCALL_BASE + nr;

    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a7)
                     : "memory");
    return (long)r_a0;
}

static inline long HYPERVISOR_console_io(int cmd, unsigned long count, const char *buf)
{
    return hypercall5(__HYPERVISOR_console_io, (unsigned long)cmd, count,
                      (unsigned long)buf, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_sched_op, (unsigned long)cmd, (unsigned long)arg, 0, 0, 0);
}

/* Absolute deadline in ns of guest system time; 0 cancels the timer. */
static inline long HYPERVISOR_set_timer_op(uint64_t timeout_ns)
{
    return hypercall5(__HYPERVISOR_set_timer_op, timeout_ns, 0, 0, 0, 0);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_event_channel_op, (unsigned long)cmd, (unsigned long)arg,
                      0, 0, 0);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_xen_version, (unsigned long)cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(int cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_memory_op, (unsigned long)cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(int cmd, int vcpu, void *arg)
{
    return hypercall5(__HYPERVISOR_vcpu_op, (unsigned long)cmd, (unsigned long)vcpu,
                      (unsigned long)arg, 0, 0);
}

#endif
