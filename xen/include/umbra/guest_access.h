/*
 * guest_access.h: copying to and from a guest's memory on its behalf
 * (hypercall arguments and buffers).
 *
 * Virtual-address copies translate each page through the domain's paging
 * mode (d->paging->gva_to_gpa, with the guest's own permission checks for
 * the vCPU's mode) and then through the p2m; physical-address copies use
 * the p2m only. Both handle buffers that cross pages, one page at a time.
 *
 * Invariants:
 *  - a copy touches only frames the p2m maps for the domain, with the
 *    p2m's permission (copy_to_* needs ram_rw; populate-on-demand pages are
 *    populated first); anything else is -EFAULT, never another domain's
 *    frame and never a crash of the hypervisor;
 *  - on -EFAULT part of the buffer may have been copied (as in Xen);
 *  - the bytes copied count into the vCPU's hart counters (hyp_refs, one
 *    per 8 bytes or part) when a vCPU is given, like any handler work.
 * Caller: no p2m or heap lock held (lookups take the p2m lock).
 */
#ifndef UMBRA_GUEST_ACCESS_H
#define UMBRA_GUEST_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "umbra/types.h"

struct domain;
struct vcpu;

/* Copy len bytes from guest virtual gva (as v's current mode would read it). 0 or -EFAULT. */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
/* Copy len bytes to guest virtual gva (needs write permission). 0 or -EFAULT. */
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);

/* The same by guest-physical address (start_info, shared rings...). refs may be NULL. */
int copy_from_guest_phys(struct domain *d, void *dst, paddr_t gpa, size_t len, uint64_t *refs);
int copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src, size_t len, uint64_t *refs);

#endif
