/*
 * domain.h: domains and vCPUs.
 *
 * The first fields of each struct are the ones xen/mm relies on (the hart of
 * a vCPU, the p2m and paging mode of a domain); xen/mm uses only those. The
 * rest belong to xen/common.
 *
 * Locking (lock-order.h): every xen/common field is protected by xen_lock,
 * except vcpu.in_guest and vcpu.flush_pending, which the shootdown lock
 * protects (flush.c), and a vCPU's hart, which only the pCPU thread that has
 * the vCPU (vcpu.is_running) touches.
 * Invariants: a vCPU belongs to exactly one domain for its lifetime; the
 * domain's paging ops never change while a vCPU of it is running; a domain
 * is freed only when none of its vCPUs is running and it is off the list.
 */
#ifndef UMBRA_DOMAIN_H
#define UMBRA_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "public/xen.h"
#include "riscv/hart.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"
#include "umbra/types.h"

struct evtchn;
struct dom_console;

/* Runstates (Xen's RUNSTATE_*). */
enum { VRS_running = 0, VRS_runnable = 1, VRS_blocked = 2, VRS_offline = 3 };

struct vcpu {
    unsigned vcpu_id;
    struct domain *domain;
    struct hart *hart;
    /* ---- xen/common (xen_lock) ---- */
    bool initialised;          /* a context was set: the vCPU can run */
    bool is_up;                /* online (not VCPUOP_down) */
    bool blocked;              /* waiting for an event or its timer */
    bool polling;              /* blocked in SCHEDOP_poll */
    bool is_running;           /* a pCPU thread has it right now */
    int processor;             /* the pCPU that last ran it */
    int runstate;              /* VRS_* */
    uint64_t runstate_entry;   /* system time (ns) of the last change */
    uint64_t runstate_time[4]; /* ns spent in each runstate */
    uint64_t cpu_time;         /* ns run */
    /* credit scheduler (sched_credit.c) */
    int64_t credit;            /* ns of credit, may go negative */
    bool on_runq;
    struct vcpu *rq_next;
    /* timers (timer.c), system time in ns; 0 = off */
    uint64_t timer_deadline;   /* set_timer_op / singleshot: fires VIRQ_TIMER */
    uint64_t sbi_deadline;     /* SBI set_timer: raises VSTIP */
    bool vstip;                /* SBI timer interrupt pending */
    uint32_t virq_to_evtchn[NR_VIRQS];
    struct hart_counters stats;  /* the hart's counters at the last slice end */
    uint64_t stats_cycles;       /* its modeled cycles then */
    /* ---- shootdown (flush.c, sd_lock) ---- */
    bool in_guest;             /* inside hart_run() */
    bool flush_pending;        /* must hfence.gvma before the next hart_run() */
};

struct domain {
    domid_t domain_id;
    struct p2m_domain p2m;
    const struct paging_ops *paging;
    void *paging_priv;           /* the mode's private per-domain state */
    /* The synchronous shootdown (flush.h) a paging mode calls after it weakens
     * a mapping on its own; set before paging->domain_init. NULL in tests that
     * run no vCPU concurrently. */
    void (*tlb_flush_sync)(struct domain *d, gfn_t gfn, unsigned order);
    unsigned max_vcpus;
    struct vcpu **vcpus;
    /* ---- xen/common (xen_lock) ---- */
    struct domain *next;         /* the domain list, by id */
    char name[64];
    uint8_t handle[16];
    uint32_t create_flags;       /* XEN_DOMCTL_CDF_* */
    bool is_privileged;          /* dom0 */
    bool is_dying;               /* destroy in progress */
    bool is_shutdown;            /* shut down (or crashed) with shutdown_code */
    unsigned shutdown_code;      /* SHUTDOWN_* */
    int pending_shutdown_code;   /* SCHEDOP_shutdown_code, -1 if none */
    unsigned ctrl_pause;         /* pause count from the controller */
    uint64_t tot_pages;          /* RAM frames assigned (p2m ram entries) */
    uint64_t max_pages;          /* the reservation limit */
    uint64_t xen_pages;          /* frames the hypervisor allocated for it (shared_info) */
    gfn_t shared_info_gfn;
    mfn_t shared_info_mfn;
    struct shared_info *shared_info;  /* host pointer, NULL for dom0 */
    struct evtchn *evtchn;       /* ports 0..nr_evtchn-1 */
    unsigned nr_evtchn;
    uint16_t weight, cap;        /* credit scheduler */
    uint64_t cap_used;           /* ns used in this accounting period (cap) */
    struct dom_console *console; /* console_io output */
};

/* Crash the domain: log `reason` to the hypervisor console and stop its vCPUs. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

/* ---- The domain lifecycle (domain.c); xen_lock held for all of these ---- */
#include "public/domctl.h"

#define MAX_VIRT_CPUS XEN_LEGACY_MAX_VCPUS   /* one vcpu_info in shared_info */
/* The most RAM a domain may be given: the 41-bit Sv39x4 guest-physical space. */
#define MAX_GUEST_PAGES (1ULL << (41 - PAGE_SHIFT))
/* Where the hypervisor maps a domain's shared_info page: the GFN below RAM. */
#define SHARED_INFO_GFN ((GUEST_RAM_BASE >> PAGE_SHIFT) - 1)

extern struct domain *dom0;
/* The domain list, sorted by id; dom0 first. */
struct domain *domain_list(void);
/* Domain 0: privileged, no vCPU. Called once at start-up. Returns 0 or -errno. */
int domain_create_dom0(void);
/*
 * Create a paused domain from cfg (validated here). domid 0 = choose one.
 * Returns 0 and *out, or -EINVAL (bad cfg or domid), -EEXIST (domid in use),
 * -EOPNOTSUPP (paging mode not available), -ENOMEM.
 */
int domain_create(domid_t domid, const struct xen_domctl_createdomain *cfg, struct domain **out);
/* Destroy d (not dom0): stop its vCPUs, close its ports, free every frame. */
int domain_destroy(struct domain *d);
/* Destroy every domain but dom0, then dom0 itself (daemon exit). */
void domain_destroy_all(void);
/* Look up a live domain (not dying); NULL if none. DOMID_SELF is not resolved here. */
struct domain *domain_by_id(domid_t id);
/* The domain with this id even if dying, or NULL. O(1). */
struct domain *domain_any_by_id(domid_t id);
/* The first domain in the list (dying ones included) with an id >= id, or NULL. */
struct domain *domain_first_from(domid_t id);
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);
/* Shut d down with reason (SHUTDOWN_*), logged; idempotent. */
void domain_shutdown(struct domain *d, unsigned reason);
/* Can v be scheduled right now (ignoring blocked)? */
bool vcpu_runnable_state(const struct vcpu *v);
/* Set/get the boot context of a vCPU (domain paused or vCPU never run). */
int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
void vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *c);
/* Frames owned by no live domain, pinned by foreign references; freed on last put. */
void domain_put_foreign_ref(mfn_t mfn);
/* A frame leaving its domain while pinned: freed by its last domain_put_foreign_ref. */
void domain_orphan_frame(mfn_t mfn);
uint64_t domain_orphan_frames(void);
