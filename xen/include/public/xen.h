/*
 * xen.h: Umbra's paravirtual ABI between guests and the hypervisor, with
 * Xen's public numbers and structure layouts (Xen 4.17), for riscv64.
 *
 * Shared by the hypervisor (host C) and guests (freestanding riscv64 C), so it
 * uses only fixed-width types. Layouts are checked against Debian's libxen-dev
 * by tests/xen/include/test_abi.c.
 *
 * Calling convention: `ecall` from VS-mode with a7 = XEN_HYPERCALL_BASE + the
 * hypercall number, arguments in a0..a5, the result in a0 (negative errno on
 * failure). Pointer arguments are guest virtual addresses.
 */
#ifndef UMBRA_PUBLIC_XEN_H
#define UMBRA_PUBLIC_XEN_H

#include <stdint.h>

#define XEN_HYPERCALL_BASE 0x0A000000UL   /* SBI firmware-specific extension space */

#define __HYPERVISOR_memory_op          12
#define __HYPERVISOR_set_timer_op       15
#define __HYPERVISOR_xen_version        17
#define __HYPERVISOR_console_io         18
#define __HYPERVISOR_grant_table_op     20
#define __HYPERVISOR_vcpu_op            24
#define __HYPERVISOR_sched_op           29
#define __HYPERVISOR_event_channel_op   32
#define __HYPERVISOR_sysctl             35
#define __HYPERVISOR_domctl             36

#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;

#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U
#define DOMID_IO             0x7FF1U
#define DOMID_XEN            0x7FF2U
#define DOMID_COW            0x7FF3U
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU

/* Errno values as Xen returns them (negated), from xen/include/public/errno.h. */
#define XEN_EPERM   1
#define XEN_ENOENT  2
#define XEN_ESRCH   3
#define XEN_EINTR   4
#define XEN_EIO     5
#define XEN_E2BIG   7
#define XEN_EAGAIN  11
#define XEN_ENOMEM  12
#define XEN_EACCES  13
#define XEN_EFAULT  14
#define XEN_EBUSY   16
#define XEN_EEXIST  17
#define XEN_EINVAL  22
#define XEN_ENOSPC  28
#define XEN_ENOSYS  38
#define XEN_EOPNOTSUPP 95

/* Virtual interrupts (VIRQ_*). */
#define VIRQ_TIMER    0
#define VIRQ_DEBUG    1
#define VIRQ_CONSOLE  2
#define VIRQ_DOM_EXC  3
#define VIRQ_TBUF     4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_CON_RING 8
#define NR_VIRQS      24

#define XEN_LEGACY_MAX_VCPUS 1

/* Per-vCPU time information (struct vcpu_time_info, 32 bytes). */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;       /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;
    uint8_t  pad1[2];
};

struct arch_vcpu_info {
    uint64_t unused;            /* riscv64 keeps no PV arch state here */
};

struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};

struct arch_shared_info {
    uint64_t unused;
};

/* The shared_info page: 2-level event channels (64 x 64 = 4096 ports). */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[64];
    xen_ulong_t evtchn_mask[64];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};

#define XEN_START_INFO_MAGIC "xen-3.0-riscv64"
#define MAX_GUEST_CMDLINE 1024

/* start_info: Xen's layout. Our guests get GFNs where x86 PV guests get MFNs. */
struct start_info {
    char magic[32];             /* "xen-<version>-<platform>" */
    uint64_t nr_pages;          /* 32: pages of RAM */
    uint64_t shared_info;       /* 40: GPA of the shared_info page */
    uint32_t flags;             /* 48: SIF_* */
    uint32_t pad0;
    xen_pfn_t store_mfn;        /* 56: GFN of the xenstore ring */
    uint32_t store_evtchn;      /* 64 */
    uint32_t pad1;
    struct {
        xen_pfn_t mfn;          /* 72: GFN of the console ring */
        uint32_t evtchn;        /* 80 */
        uint32_t pad;
    } console;
    uint64_t pt_base;           /* 88: unused (0): the guest builds its own tables */
    uint64_t nr_pt_frames;      /* 96 */
    uint64_t mfn_list;          /* 104 */
    uint64_t mod_start;         /* 112 */
    uint64_t mod_len;           /* 120 */
    char cmd_line[MAX_GUEST_CMDLINE]; /* 128 */
    uint64_t first_p2m_pfn;
    uint64_t nr_p2m_frames;
};

#define SIF_PRIVILEGED    (1 << 0)
#define SIF_INITDOMAIN    (1 << 1)

/* Guest physical memory map of a PV riscv64 guest (Umbra). */
#define GUEST_RAM_BASE    0x80000000ULL

#endif
