/*
 * paging.h: the memory-virtualization mode of a domain, as one const ops
 * table with two implementations: HAP (two-stage translation, hap_ops) and
 * shadow page tables (shadow_ops). The mode is chosen at run time per domain,
 * never with the preprocessor (STYLE.md habit 6).
 */
#ifndef UMBRA_PAGING_H
#define UMBRA_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "riscv/hart.h"
#include "umbra/types.h"

struct domain;
struct vcpu;

enum paging_mode { PAGING_HAP = 0, PAGING_SHADOW = 1 };

/* Access kinds for software translation. */
#define PG_ACCESS_READ  1
#define PG_ACCESS_WRITE 2
#define PG_ACCESS_EXEC  4

struct paging_ops {
    const char *name;              /* "hap" or "shadow" */
    enum paging_mode mode;
    /* Set up the mode's per-domain state. Returns 0 or -errno. */
    int (*domain_init)(struct domain *d);
    void (*domain_teardown)(struct domain *d);
    /* Program the hart for this mode (hgatp, hstatus.VTVM...) before first run. */
    int (*vcpu_init)(struct vcpu *v);
    /*
     * A guest-page fault (HAP) or page fault (shadow) exit. Returns 0 when
     * resolved (the vCPU retries the access), 1 when it was reflected to the
     * guest, or -errno when the domain must be crashed (the caller logs it).
     */
    int (*handle_fault)(struct vcpu *v, const struct hart_exit *ex);
    /* A virtual-instruction exit the mode owns (shadow: satp writes, sfence.vma).
     * NULL when the mode owns none (HAP): the caller handles the exit itself. */
    int (*handle_vinsn)(struct vcpu *v, const struct hart_exit *ex);
    /* Translate a guest virtual address with the guest's own tables (for hypercall buffers).
     * Returns 0 and *gpa, or -EFAULT. Counts its references into the vCPU's counters. */
    int (*gva_to_gpa)(struct vcpu *v, uint64_t gva, unsigned access, paddr_t *gpa);
    /* The p2m changed at gfn (2^order frames): drop derived state, shoot down TLBs. */
    void (*p2m_changed)(struct domain *d, gfn_t gfn, unsigned order);
    /* The guest's own satp (HAP: vsatp itself; shadow: the value the guest
     * last wrote, while vsatp holds the shadow root). */
    uint64_t (*get_guest_satp)(struct vcpu *v);
    /* Load satp as if the guest had written it (setvcpucontext). v is not
     * running. Returns 0 or -errno. */
    int (*set_guest_satp)(struct vcpu *v, uint64_t satp);
};

extern const struct paging_ops hap_ops;

/*
 * The VMID HAP programs into hgatp for a domain: the domid masked to the
 * hart's VMIDLEN (14 bits). Fence with this value (hfence.gvma), not the
 * raw domid. Each vCPU has its own hart, so VMIDs of different domains
 * never share a TLB even when domids alias.
 */
static inline uint16_t paging_vmid(domid_t domid)
{
    return (uint16_t)(domid & (HGATP_VMID_MASK >> HGATP_VMID_SHIFT));
}

/*
 * Wiring (docs/memory.md): the domain builder calls p2m_init, installs the
 * synchronous shootdown as d->p2m.flush, then d->paging->domain_init, then
 * vcpu_init for each vCPU. HAP installs a direct-fence flush hook only when
 * none is installed (single-threaded use and tests).
 */

/*
 * The log line for a fault the mode could not resolve (handle_fault or
 * gva_to_gpa returned rc < 0), e.g.
 *   "store guest-page fault at GPA 0x80203000 (gva 0x1000, pc 0x80001234):
 *    write to ram_ro"
 * Mode-independent: decodes the exit and looks the GPA up in the p2m.
 * Writes at most len bytes (NUL-terminated) into buf and returns buf.
 */
const char *paging_fault_reason(struct domain *d, const struct hart_exit *ex, int rc,
                                char *buf, size_t len);

#endif
