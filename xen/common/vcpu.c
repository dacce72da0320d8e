/*
 * vcpu.c: creating a vCPU's hart, setting its boot context, and the state
 * the hypervisor programs into it before every run (guest time, virtual
 * interrupt lines).
 *
 * The hart is set up as real HS-mode software would: hedeleg/hideleg
 * delegate every exception and VS interrupt the guest can take itself, so
 * only ecalls from VS, guest-page faults, virtual-instruction exceptions and
 * WFI reach the hypervisor. Guest time is the hart's time CSR plus
 * htimedelta, re-based on every entry so that it equals system time.
 * Invariant: the hart is touched only by the thread that owns the vCPU
 * (is_running) or, while no thread does, under xen_lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "riscv/csr.h"
#include "umbra/event.h"
#include "umbra/mm.h"
#include "umbra/sched.h"
#include "umbra/vcpu.h"

#define HSTATUS_VSXL_64 (XLEN_64 << HSTATUS_VSXL_SHIFT)

static void vcpu_hart_setup(struct vcpu *v)
{
    struct hart *h = v->hart;

    hart_reset(h, 0);
    hart_set_exit_on_hs_trap(h, true);
    hart_csr_set(h, CSR_MCOUNTEREN, 7);
    hart_csr_set(h, CSR_SCOUNTEREN, 7);
    hart_csr_set(h, CSR_HCOUNTEREN, 7);
    hart_csr_set(h, CSR_HEDELEG, HEDELEG_MASK);
    hart_csr_set(h, CSR_HIDELEG, MIP_VS_MASK);
    hart_csr_set(h, CSR_HSTATUS, HSTATUS_VSXL_64 | HSTATUS_SPVP);
    hart_csr_set(h, CSR_HVIP, 0);
}

int vcpu_create(struct domain *d, unsigned id, struct vcpu **out)
{
    struct vcpu *v = calloc(1, sizeof(*v));
    int rc = -ENOMEM;

    *out = NULL;
    if (!v)
        goto out;
    v->vcpu_id = id;
    v->domain = d;
    v->is_up = true;
    v->runstate = VRS_offline;
    v->hart = hart_create(mm_base(), MACHINE_BASE, mm_bytes(), NULL);
    if (!v->hart)
        goto out;
    vcpu_hart_setup(v);
    rc = d->paging->vcpu_init(v);
    if (rc)
        goto out;
    *out = v;
    return 0;
out:
    vcpu_free(v);
    return rc;
}

void vcpu_free(struct vcpu *v)
{
    if (!v)
        return;
    if (v->hart)
        hart_destroy(v->hart);
    free(v);
}

void vcpu_time_info_init(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    struct vcpu_time_info *t = &s->vcpu_info[0].time;

    /* ns = ((ticks << 7) * mul) >> 32 with mul = 100/128 * 2^32: 100 ns a tick */
    t->version = 2;
    t->tsc_timestamp = 0;
    t->system_time = 0;
    t->tsc_to_system_mul = 3355443200U;
    t->tsc_shift = 7;
    s->wc_sec = (uint32_t)time(NULL);
    s->wc_version = 2;
}

int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct hart *h = v->hart;
    unsigned mode = (unsigned)(c->satp >> SATP_MODE_SHIFT);
    uint64_t sstatus;
    int rc;

    ASSERT_XEN_LOCKED();
    if (v->is_running || (v->initialised && v->domain->ctrl_pause == 0))
        return -EBUSY;
    if ((c->pc & 1) || (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 &&
                        mode != SATP_MODE_SV48))
        return -EINVAL;
    for (unsigned r = 1; r < 32; r++)
        hart_set_reg(h, r, c->x[r]);
    hart_csr_set(h, CSR_VSSTATUS, (c->sstatus & SSTATUS_MASK) | (XLEN_64 << MSTATUS_UXL_SHIFT));
    rc = v->domain->paging->set_guest_satp(v, c->satp);
    if (rc)
        return rc;
    /* Enter VS-mode at pc: the sret a real hypervisor would execute. */
    sstatus = hart_csr_get(h, CSR_SSTATUS);
    hart_csr_set(h, CSR_SSTATUS, sstatus | MSTATUS_SPP);
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) | HSTATUS_SPV | HSTATUS_SPVP);
    hart_csr_set(h, CSR_SEPC, c->pc);
    hart_sret(h);
    v->initialised = true;
    if (v->runstate == VRS_offline)
        v->runstate = VRS_runnable;
    sched_vcpu_update(v);
    return 0;
}

void vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *c)
{
    struct hart *h = v->hart;

    ASSERT_XEN_LOCKED();
    memset(c, 0, sizeof(*c));
    c->pc = hart_get_pc(h);
    for (unsigned r = 1; r < 32; r++)
        c->x[r] = hart_get_reg(h, r);
    c->sstatus = hart_csr_get(h, CSR_VSSTATUS);
    c->satp = v->domain->paging->get_guest_satp(v);
}

uint64_t vcpu_guest_time_ns(struct vcpu *v)
{
    return (hart_time(v->hart) + hart_csr_get(v->hart, CSR_HTIMEDELTA)) * NS_PER_TICK;
}

bool vcpu_has_pending_irq(const struct vcpu *v)
{
    const struct shared_info *s = v->domain->shared_info;

    if (v->vstip)
        return true;
    if (!s)
        return false;
    return __atomic_load_n(&s->vcpu_info[0].evtchn_upcall_pending, __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&s->vcpu_info[0].evtchn_upcall_mask, __ATOMIC_ACQUIRE);
}

void vcpu_update_irqs(struct vcpu *v)
{
    const struct shared_info *s = v->domain->shared_info;
    uint64_t hvip = 0;

    if (v->vstip)
        hvip |= MIP_VSTIP;
    if (s && __atomic_load_n(&s->vcpu_info[0].evtchn_upcall_pending, __ATOMIC_ACQUIRE) &&
        !__atomic_load_n(&s->vcpu_info[0].evtchn_upcall_mask, __ATOMIC_ACQUIRE))
        hvip |= MIP_VSEIP;
    hart_csr_set(v->hart, CSR_HVIP, hvip);
}

void vcpu_prepare_entry(struct vcpu *v, uint64_t now)
{
    uint64_t ticks = now / NS_PER_TICK;

    hart_csr_set(v->hart, CSR_HTIMEDELTA, ticks - hart_time(v->hart));
    vcpu_update_irqs(v);
}

void vcpu_resume_at(struct vcpu *v, uint64_t pc)
{
    hart_csr_set(v->hart, CSR_SEPC, pc);
    hart_sret(v->hart);
}
