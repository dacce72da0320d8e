/*
 * xenctrl.h: libxenctrl for Umbra's dom0: domctl, sysctl and the other
 * hypercalls dom0 programs make, sent over the hypervisor's privileged channel
 * ($XEN_RUN_DIR/privcmd, default /run/xen/privcmd).
 *
 * A compatible subset of Xen's libxenctrl: the names, argument orders and
 * error convention (-1 with errno set) follow Xen 4.17's xenctrl.h, so code
 * written against Xen reads the same here.
 * Invariants: every call is synchronous; a handle may be used by one thread at
 * a time (open one handle per thread); nothing here caches hypervisor state.
 */
#ifndef UMBRA_XENCTRL_H
#define UMBRA_XENCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "public/domctl.h"
#include "public/event_channel.h"
#include "public/sysctl.h"
#include "public/xen.h"

typedef struct xc_interface_core xc_interface;
typedef uint32_t evtchn_port_or_error_t;

/* Open the channel. `logger`/`dombuild_logger` are accepted and ignored (pass NULL).
 * Returns NULL with errno set if the hypervisor is not reachable. */
xc_interface *xc_interface_open(void *logger, void *dombuild_logger, unsigned open_flags);
int xc_interface_close(xc_interface *xch);

/* Domain creation flags and struct xen_domctl_createdomain: public/domctl.h. */

/* *pdomid == 0 asks the hypervisor to choose. */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config);
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
/* SCHEDOP_remote_shutdown on behalf of dom0. */
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);

typedef struct xc_dominfo {
    uint32_t domid;
    uint32_t ssidref;
    unsigned int dying:1, crashed:1, shutdown:1, paused:1, blocked:1, running:1,
                 hvm:1, debugged:1, xenstore:1, hap:1;
    unsigned int shutdown_reason;
    unsigned long nr_pages;          /* current number of RAM pages */
    unsigned long nr_outstanding_pages;
    unsigned long nr_shared_pages;
    unsigned long nr_paged_pages;
    unsigned long shared_info_frame;
    uint64_t cpu_time;               /* ns */
    unsigned long max_memkb;
    unsigned int nr_online_vcpus;
    unsigned int max_vcpu_id;
    uint8_t handle[16];
    unsigned int cpupool;
    char name[64];                   /* Umbra: the name given at creation */
} xc_dominfo_t;

/* Fill up to max_doms entries for domains with id >= first_domid. Returns the count or -1. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms, xc_dominfo_t *info);

/* Physical host information: XEN_SYSCTL_physinfo's struct, as in Xen's xenctrl.h. */
typedef struct xen_sysctl_physinfo xc_physinfo_t;
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);

/* Version information: XENVER_* queries. */
int xc_version(xc_interface *xch, int cmd, void *arg);

/* The hypervisor console ring (xl dmesg). On entry *pnr_chars is the buffer
 * size; on return, the bytes copied. clear != 0 empties the ring afterwards. */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
                       int clear, int incremental, uint32_t *pindex);

/* A guest's console output buffer (what `xl console` shows), read from offset *poff. */
int xc_domain_console_read(xc_interface *xch, uint32_t domid, char *buf, size_t len,
                           uint64_t *poff);

/* Credit scheduler. */
int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid, struct xen_domctl_sched_credit *sdom);
int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid, struct xen_domctl_sched_credit *sdom);

/* vCPU state. */
typedef struct xc_vcpuinfo {
    uint8_t online, blocked, running;
    uint64_t cpu_time;     /* ns */
    uint32_t cpu;          /* current pCPU */
} xc_vcpuinfo_t;
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info);

/* The guest's register context at boot: struct vcpu_guest_context, public/domctl.h. */
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu, vcpu_guest_context_any_t *ctxt);
int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu, vcpu_guest_context_any_t *ctxt);

/* Memory: populate the guest's physmap with pages at the given GFNs. */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                     unsigned int extent_order, unsigned int mem_flags,
                                     xen_pfn_t *extent_start);
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                         unsigned int extent_order, xen_pfn_t *extent_start);
int xc_domain_get_tot_pages(xc_interface *xch, uint32_t domid);

/* Per-frame information (getpageframeinfo): the p2m type and the backing MFN of a GFN. */
typedef struct xc_pageinfo { uint64_t gfn; uint64_t mfn; uint32_t p2m_type; uint32_t pad; } xc_pageinfo_t;
int xc_get_pfn_type_batch(xc_interface *xch, uint32_t domid, unsigned int num, xc_pageinfo_t *arr);

/*
 * Foreign mapping: map `size` bytes of guest domid starting at GFN `gfn` into
 * the caller. The hypervisor takes a reference on each frame (released by
 * xc_unmap_foreign) and hands the machine-memory memfd over SCM_RIGHTS.
 * Returns the mapping or NULL with errno set.
 */
void *xc_map_foreign_range(xc_interface *xch, uint32_t domid, int size, int prot, unsigned long gfn);
int xc_unmap_foreign(xc_interface *xch, uint32_t domid, void *addr, int size, unsigned long gfn);

/* Event channels from dom0, like libxenevtchn: notifications arrive on a pollable fd. */
typedef struct xenevtchn_handle xenevtchn_handle;
xenevtchn_handle *xenevtchn_open(void *logger, unsigned open_flags);
int xenevtchn_close(xenevtchn_handle *xce);
int xenevtchn_fd(xenevtchn_handle *xce);            /* readable when a port is pending */
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);
evtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid, evtchn_port_t remote_port);
evtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
/* Bind a global VIRQ (VIRQ_DOM_EXC: a domain shut down, crashed or was destroyed). */
evtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq);
evtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);  /* next pending port, or -1 */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);
/* Allocate an unbound port in domid for remote_domid (EVTCHNOP_alloc_unbound on its behalf). */
int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom);

/*
 * Umbra's memory-virtualization counters for one domain (hart counters summed
 * over its vCPUs as of their last slice; still readable after the domain has
 * shut down, until it is destroyed). The sh_* fields, shadow_faults and
 * emulated_writes are the shadow mode's (docs/shadow.md), 0 under HAP.
 */
typedef struct xc_umbra_mmstats {
    uint32_t paging_mode;          /* 0 = HAP, 1 = shadow */
    uint32_t pad;
    uint64_t instret, cycles, tlb_hits, tlb_misses;
    uint64_t walk_refs_vs, walk_refs_g, walk_refs_s;
    uint64_t exits, page_faults, hyp_refs;
    uint64_t shadow_faults, emulated_writes, shared_pages, paged_out_pages;
    uint64_t exits_by_cause[UMBRA_MMSTATS_CAUSES];  /* by scause: 10 ecall, 12/13/15 page
                                                       fault, 20/21/23 guest-page fault,
                                                       22 virtual instruction */
    uint64_t sh_faults_not_present, sh_faults_wp_emulate, sh_faults_ad, sh_faults_reflected;
    uint64_t sh_resyncs, sh_oos_unsyncs, sh_unshadows, sh_write_protects, sh_reclaims;
    uint64_t sh_exits_satp, sh_exits_sfence, sh_tlb_flushes, sh_pages_peak;
} xc_umbra_mmstats_t;
int xc_umbra_mmstats(xc_interface *xch, uint32_t domid, xc_umbra_mmstats_t *st);

#endif
