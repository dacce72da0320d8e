/*
 * domctl.h: the domain-control operations dom0 makes (__HYPERVISOR_domctl),
 * with Xen 4.17's command numbers and the struct xen_domctl envelope.
 *
 * On Umbra, dom0 makes these calls over the privcmd socket (privcmd.h), never
 * as an ecall: a domctl message body is one struct xen_domctl, optionally
 * followed by a variable-length tail whose meaning is given per command.
 * Variable-length data travels inline in the message, so there are no guest
 * handles here. Commands >= XEN_DOMCTL_umbra_base are Umbra's own.
 */
#ifndef UMBRA_PUBLIC_DOMCTL_H
#define UMBRA_PUBLIC_DOMCTL_H

#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain       1
#define XEN_DOMCTL_destroydomain      2
#define XEN_DOMCTL_pausedomain        3
#define XEN_DOMCTL_unpausedomain      4
#define XEN_DOMCTL_getdomaininfo      5
#define XEN_DOMCTL_max_mem           11
#define XEN_DOMCTL_setvcpucontext    12
#define XEN_DOMCTL_getvcpucontext    13
#define XEN_DOMCTL_getvcpuinfo       14
#define XEN_DOMCTL_max_vcpus         15
#define XEN_DOMCTL_scheduler_op      16
#define XEN_DOMCTL_getpageframeinfo3 61

/* Umbra's own commands. */
#define XEN_DOMCTL_umbra_base          0x1000
#define XEN_DOMCTL_umbra_console_read  0x1000 /* the guest's console_io buffer */
#define XEN_DOMCTL_umbra_map_foreign   0x1001 /* gfns -> mfns, +1 reference each */
#define XEN_DOMCTL_umbra_unmap_foreign 0x1002 /* drop those references */
#define XEN_DOMCTL_umbra_mmstats       0x1003 /* memory-virtualization counters */

/* Domain creation flags (struct xen_domctl_createdomain.flags). */
#define XEN_DOMCTL_CDF_hap          (1U << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off      (1U << 3)
#define XEN_DOMCTL_CDF_nosharepages (1U << 16)  /* Umbra: opt out of page sharing */

/* XEN_DOMCTL_createdomain (Umbra's subset of Xen's struct, plus its own fields). */
struct xen_domctl_createdomain {
    uint32_t flags;            /* XEN_DOMCTL_CDF_* */
    uint32_t max_vcpus;
    uint64_t max_mem_kb;       /* Umbra: initial maximum reservation */
    uint32_t p2m_superpages;   /* Umbra: map 2 MiB G-stage pages where contiguous (1/0) */
    uint32_t shadow_pool_kb;   /* Umbra: shadow pool size (shadow mode only; 0 = default) */
    uint8_t  handle[16];       /* the domain's UUID */
    char     name[64];         /* the domain's name, for the hypervisor's log */
};

/* XEN_DOMCTL_getdomaininfo: flags, as Xen's XEN_DOMINF_*. */
#define XEN_DOMINF_dying      (1U << 0)
#define XEN_DOMINF_hvm_guest  (1U << 1)
#define XEN_DOMINF_shutdown   (1U << 2)
#define XEN_DOMINF_paused     (1U << 3)
#define XEN_DOMINF_blocked    (1U << 4)
#define XEN_DOMINF_running    (1U << 5)
#define XEN_DOMINF_debugged   (1U << 6)
#define XEN_DOMINF_xs_domain  (1U << 7)
#define XEN_DOMINF_hap        (1U << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask  255

struct xen_domctl_getdomaininfo {
    domid_t  domain;           /* out: the domain found (id >= the one asked) */
    uint16_t pad0;
    uint32_t flags;            /* XEN_DOMINF_* */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame; /* GFN of the shared_info page */
    uint64_t cpu_time;         /* ns */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    uint8_t  handle[16];
    uint32_t cpupool;
    char     name[64];         /* Umbra */
    uint32_t paging_mode;      /* Umbra: 0 HAP, 1 shadow */
    uint32_t pad1;
};

/* XEN_DOMCTL_max_mem */
struct xen_domctl_max_mem { uint64_t max_memkb; };

/* The guest's register context at boot (riscv64 subset of vcpu_guest_context). */
struct vcpu_guest_context {
    uint64_t pc;
    uint64_t x[32];          /* x[0] ignored */
    uint64_t sstatus;        /* VS-mode sstatus */
    uint64_t satp;           /* vsatp */
    uint32_t flags;
    uint32_t pad;
};
typedef struct vcpu_guest_context vcpu_guest_context_any_t;

/* XEN_DOMCTL_setvcpucontext / XEN_DOMCTL_getvcpucontext */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    struct vcpu_guest_context ctxt;
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint8_t  online, blocked, running, pad;
    uint64_t cpu_time;       /* ns */
    uint32_t cpu;
    uint32_t pad1;
};

/* XEN_DOMCTL_max_vcpus */
struct xen_domctl_max_vcpus { uint32_t max; };

/* XEN_DOMCTL_scheduler_op */
#define XEN_SCHEDULER_CREDIT 5
#define XEN_DOMCTL_SCHEDOP_putinfo 0
#define XEN_DOMCTL_SCHEDOP_getinfo 1
struct xen_domctl_sched_credit { uint16_t weight; uint16_t cap; };
struct xen_domctl_scheduler_op {
    uint32_t sched_id;       /* XEN_SCHEDULER_CREDIT */
    uint32_t cmd;            /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        uint64_t pad[2];
    } u;
};

/*
 * XEN_DOMCTL_getpageframeinfo3 (Umbra's form): `num` entries of
 * struct xen_domctl_pageinfo follow the envelope; gfn in, mfn and type out.
 */
struct xen_domctl_getpageframeinfo3 { uint64_t num; };
struct xen_domctl_pageinfo { uint64_t gfn; uint64_t mfn; uint32_t p2m_type; uint32_t pad; };

/* XEN_DOMCTL_umbra_console_read: up to `len` bytes from `offset` follow the envelope. */
struct xen_domctl_umbra_console {
    uint64_t offset;         /* in: where to start; out: the offset actually read from */
    uint32_t len;            /* in: buffer size; out: bytes returned */
    uint32_t pad;
    uint64_t end;            /* out: total bytes the guest has written */
};

/*
 * XEN_DOMCTL_umbra_map_foreign / unmap_foreign: `nr` frames starting at
 * `gfn`; map answers with nr uint64_t MFNs after the envelope, and (once per
 * connection) the machine-memory memfd over SCM_RIGHTS.
 */
#define UMBRA_MAP_FOREIGN_MAX 1024
struct xen_domctl_umbra_foreign {
    uint64_t gfn;
    uint32_t nr;
    uint32_t writable;       /* map: 1 for PROT_WRITE */
    uint64_t mm_base;        /* out: machine address of memfd offset 0 */
};

/*
 * XEN_DOMCTL_umbra_mmstats: the layout of xc_umbra_mmstats_t. Hart counters
 * are summed over the domain's vCPUs as of their last slice; the sh_* fields
 * (and shadow_faults, emulated_writes) are the shadow mode's counters
 * (docs/shadow.md), 0 under HAP.
 */
#define UMBRA_MMSTATS_CAUSES 24      /* exception causes 0..23 */
struct xen_domctl_umbra_mmstats {
    uint32_t paging_mode;
    uint32_t pad;
    uint64_t instret, cycles, tlb_hits, tlb_misses;
    uint64_t walk_refs_vs, walk_refs_g, walk_refs_s;
    uint64_t exits, page_faults, hyp_refs;
    uint64_t shadow_faults, emulated_writes, shared_pages, paged_out_pages;
    uint64_t exits_by_cause[UMBRA_MMSTATS_CAUSES];  /* exits by scause (exceptions) */
    uint64_t sh_faults_not_present, sh_faults_wp_emulate, sh_faults_ad, sh_faults_reflected;
    uint64_t sh_resyncs, sh_oos_unsyncs, sh_unshadows, sh_write_protects, sh_reclaims;
    uint64_t sh_exits_satp, sh_exits_sfence, sh_tlb_flushes, sh_pages_peak;
};

struct xen_domctl {
    uint32_t cmd;
    uint32_t interface_version;  /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;
    uint16_t pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
        struct xen_domctl_umbra_console console;
        struct xen_domctl_umbra_foreign foreign;
        struct xen_domctl_umbra_mmstats mmstats;
        uint8_t pad[512];
    } u;
};

#endif
