/*
 * traps.c: what the hypervisor does with each exit of a vCPU.
 *
 *  - budget: nothing (the slice ended);
 *  - WFI with nothing pending: block until an event or timer;
 *  - ecall from VS: a Xen hypercall (a7 = XEN_HYPERCALL_BASE + nr) or an
 *    SBI call; the result goes to a0 (and a1 for SBI), then pc += 4;
 *  - guest-page faults (HAP) and page faults (shadow, which keeps them from
 *    the guest): the paging mode's handle_fault;
 *  - virtual-instruction exceptions: the paging mode's handle_vinsn if it
 *    has one;
 *  - anything else: the domain is crashed with a log line naming the cause,
 *    pc and tval. Never the daemon.
 * Called with xen_lock held on the vCPU's own pCPU thread.
 */
#include "riscv/csr.h"
#include "public/xen.h"
#include "umbra/console.h"
#include "umbra/sched.h"
#include "umbra/traps.h"
#include "umbra/vcpu.h"

#define REG_A0 10
#define REG_A6 16
#define REG_A7 17
#define NR_HYPERCALLS 64

static void handle_ecall(struct vcpu *v, const struct hart_exit *ex)
{
    struct hart *h = v->hart;
    uint64_t a7 = hart_get_reg(h, REG_A7);
    uint64_t args[6];

    for (unsigned i = 0; i < 6; i++)
        args[i] = hart_get_reg(h, REG_A0 + i);
    if (a7 >= XEN_HYPERCALL_BASE && a7 < XEN_HYPERCALL_BASE + NR_HYPERCALLS) {
        long rc = do_hypercall(v, a7 - XEN_HYPERCALL_BASE, args);

        hart_set_reg(h, REG_A0, (uint64_t)rc);
    } else {
        uint64_t a0, a1;

        do_sbi_call(v, a7, hart_get_reg(h, REG_A6), args, &a0, &a1);
        hart_set_reg(h, REG_A0, a0);
        hart_set_reg(h, REG_A0 + 1, a1);
    }
    if (!v->domain->is_shutdown)
        vcpu_resume_at(v, ex->pc + 4);
}

static void handle_paging_exit(struct vcpu *v, const struct hart_exit *ex, bool vinsn)
{
    struct domain *d = v->domain;
    int rc;

    if (vinsn && !d->paging->handle_vinsn) {
        domain_crash(d, "virtual instruction %#x at pc %#llx (no handler in %s mode)",
                     ex->insn, (unsigned long long)ex->pc, d->paging->name);
        return;
    }
    rc = vinsn ? d->paging->handle_vinsn(v, ex) : d->paging->handle_fault(v, ex);
    if (rc < 0) {
        domain_crash(d, "%s at pc %#llx, gpa %#llx, tval %#llx: unresolved (%d)",
                     vinsn ? "virtual instruction" : "guest page fault",
                     (unsigned long long)ex->pc, (unsigned long long)(ex->htval << 2),
                     (unsigned long long)ex->tval, rc);
        return;
    }
    if (!d->is_shutdown)
        hart_sret(v->hart);   /* retry, or enter the handler the mode set up */
}

void vcpu_handle_exit(struct vcpu *v, enum hart_exit_kind kind, const struct hart_exit *ex)
{
    struct domain *d = v->domain;

    ASSERT_XEN_LOCKED();
    switch (kind) {
    case HART_EXIT_BUDGET:
        return;
    case HART_EXIT_WFI:
        if (!vcpu_has_pending_irq(v))
            vcpu_block(v);
        return;
    case HART_EXIT_TOHOST:
        domain_crash(d, "wrote tohost (%#llx) at pc %#llx", (unsigned long long)ex->tohost,
                     (unsigned long long)ex->pc);
        return;
    case HART_EXIT_TRAP:
        break;
    }
    if (ex->cause & CAUSE_INTERRUPT) {
        domain_crash(d, "unexpected interrupt %llu at pc %#llx",
                     (unsigned long long)(ex->cause & ~CAUSE_INTERRUPT),
                     (unsigned long long)ex->pc);
        return;
    }
    switch (ex->cause) {
    case CAUSE_ECALL_VS:
        handle_ecall(v, ex);
        break;
    case CAUSE_FETCH_PAGE_FAULT:        /* shadow mode: not delegated to the guest */
    case CAUSE_LOAD_PAGE_FAULT:
    case CAUSE_STORE_PAGE_FAULT:
    case CAUSE_FETCH_GUEST_PAGE_FAULT:
    case CAUSE_LOAD_GUEST_PAGE_FAULT:
    case CAUSE_STORE_GUEST_PAGE_FAULT:
        handle_paging_exit(v, ex, false);
        break;
    case CAUSE_VIRTUAL_INSN:
        handle_paging_exit(v, ex, true);
        break;
    default:
        domain_crash(d, "unexpected trap cause %llu at pc %#llx, tval %#llx (%s)",
                     (unsigned long long)ex->cause, (unsigned long long)ex->pc,
                     (unsigned long long)ex->tval, ex->virt ? "from VS/VU" : "from HS");
        break;
    }
}
