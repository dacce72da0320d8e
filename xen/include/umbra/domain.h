/*
 * domain.h: domains and vCPUs.
 *
 * This is a starting skeleton: the fields below are the ones xen/mm relies
 * on (the hart of a vCPU, the p2m and paging mode of a domain). The owner of
 * xen/common extends these structs; xen/mm must use only these fields.
 * Invariants: a vCPU belongs to exactly one domain for its lifetime; the
 * domain's paging ops never change while a vCPU of it is running.
 */
#ifndef UMBRA_DOMAIN_H
#define UMBRA_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv/hart.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"
#include "umbra/types.h"

struct vcpu {
    unsigned vcpu_id;
    struct domain *domain;
    struct hart *hart;
    /* extended by xen/common */
};

struct domain {
    domid_t domain_id;
    struct p2m_domain p2m;
    const struct paging_ops *paging;
    void *paging_priv;           /* the mode's private per-domain state */
    unsigned max_vcpus;
    struct vcpu **vcpus;
    /* extended by xen/common */
};

/* Crash the domain: log `reason` to the hypervisor console and stop its vCPUs. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
