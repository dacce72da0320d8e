/*
 * sysctl.h: system-control operations dom0 makes (__HYPERVISOR_sysctl), with
 * Xen 4.17's command numbers and the struct xen_sysctl envelope.
 *
 * Carried over the privcmd socket like domctl (privcmd.h): the body is one
 * struct xen_sysctl followed by a per-command variable-length tail.
 */
#ifndef UMBRA_PUBLIC_SYSCTL_H
#define UMBRA_PUBLIC_SYSCTL_H

#include "domctl.h"
#include "xen.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole        1
#define XEN_SYSCTL_physinfo           3
#define XEN_SYSCTL_sched_id           4
#define XEN_SYSCTL_getdomaininfolist  6

/*
 * XEN_SYSCTL_readconsole: the hypervisor console ring. `count` bytes follow
 * the envelope in the answer. incremental: start at `index` (updated on
 * return); clear: empty the ring after reading.
 */
struct xen_sysctl_readconsole {
    uint8_t  clear;
    uint8_t  incremental;
    uint8_t  pad0[2];
    uint32_t index;
    uint32_t count;          /* in: buffer size; out: bytes returned */
    uint32_t pad1;
};

#define XEN_SYSCTL_PHYSCAP_hvm       (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv        (1U << 1)
#define XEN_SYSCTL_PHYSCAP_hap       (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow    (1U << 4)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1U << 6)

/* XEN_SYSCTL_physinfo: the field order of xc_physinfo_t. */
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8];
};

/* XEN_SYSCTL_sched_id */
struct xen_sysctl_sched_id { uint32_t sched_id; };

/* XEN_SYSCTL_getdomaininfolist: num_domains xen_domctl_getdomaininfo follow. */
struct xen_sysctl_getdomaininfolist {
    domid_t  first_domain;
    uint16_t pad;
    uint32_t max_domains;
    uint32_t num_domains;    /* out */
};

struct xen_sysctl {
    uint32_t cmd;
    uint32_t interface_version;  /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        uint8_t pad[128];
    } u;
};

#endif
