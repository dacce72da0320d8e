/*
 * vcpu.h: a vCPU's hart as the hypervisor programs it (vcpu.c).
 *
 * A vCPU's hart runs only VS/VU code; the host C code is its HS-mode. Only
 * the pCPU thread that has the vCPU (vcpu.is_running), or a thread holding
 * xen_lock while the vCPU is not running, may touch the hart.
 */
#ifndef UMBRA_VCPU_H
#define UMBRA_VCPU_H

#include "umbra/domain.h"

/* Create vCPU id of d: a hart in HS mode with Umbra's delegation and the
 * paging mode's setup. Returns 0 or -errno (*out set on success). */
int vcpu_create(struct domain *d, unsigned id, struct vcpu **out);
void vcpu_free(struct vcpu *v);
/* Fill the vcpu_time_info of d's shared_info (the hart time base). */
void vcpu_time_info_init(struct domain *d);
/* Before hart_run(): guest time = now, interrupt lines from vcpu state. */
void vcpu_prepare_entry(struct vcpu *v, uint64_t now);
/* Recompute hvip.VSEIP/VSTIP from the event state (vCPU not in the guest). */
void vcpu_update_irqs(struct vcpu *v);
/* Is an upcall pending and unmasked, or the SBI timer pending? */
bool vcpu_has_pending_irq(const struct vcpu *v);
/* Resume the guest after a trap exit: sepc = pc, then sret. */
void vcpu_resume_at(struct vcpu *v, uint64_t pc);

#endif
