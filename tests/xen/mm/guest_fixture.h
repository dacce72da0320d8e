/*
 * guest_fixture.h: a one-vCPU HAP domain for the xen/mm suites: machine
 * memory, a plain-data struct domain (no xen/common), a real hart with
 * hgatp pointing at the domain's p2m, 2 MiB of RAM at GPA 0x80000000, and
 * a helper that builds guest Sv39 tables inside that RAM.
 * Invariant: fixture_fini returns every frame, so suites can check for leaks.
 */
#ifndef TESTS_XEN_MM_GUEST_FIXTURE_H
#define TESTS_XEN_MM_GUEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "umbra/domain.h"

#define FX_RAM_GPA   0x80000000ULL
#define FX_RAM_GFN   (FX_RAM_GPA >> PAGE_SHIFT)
#define FX_TABLES    0x80100000ULL    /* guest page tables are carved from here */

struct guest_fixture {
    struct domain d;
    struct vcpu v;
    struct vcpu *vcpus[1];
    mfn_t ram;                 /* the 2 MiB block mapped at FX_RAM_GPA */
    paddr_t next_table;        /* bump allocator for guest tables */
    paddr_t root;              /* the guest's Sv39 root (GPA) */
};

/* Machine memory must exist. Returns 0 or -1. */
int fixture_init(struct guest_fixture *fx, domid_t id, bool superpages);
void fixture_fini(struct guest_fixture *fx);

uint64_t fixture_read64(struct guest_fixture *fx, paddr_t gpa);
void fixture_write64(struct guest_fixture *fx, paddr_t gpa, uint64_t val);

/* Map gva -> gpa in the guest's Sv39 tables with a leaf at `level` (flags: R/W/X/U/A/D...). */
void fixture_map(struct guest_fixture *fx, uint64_t gva, paddr_t gpa, unsigned level,
                 uint64_t flags);
/* Turn the guest's Sv39 translation on (vsatp) in supervisor mode (hstatus.SPVP). */
void fixture_enable_sv39(struct guest_fixture *fx);

#endif
