/*
 * trap.c: dispatch of every trap the kernel takes: the VS timer and external
 * (event-channel upcall) interrupts, system calls and faults from user mode,
 * and faults in the kernel itself, which are bugs and panic with the details.
 * Invariant: the kernel runs with interrupts disabled; the only interrupts it
 * takes in supervisor mode are those the idle loop lets in on purpose.
 */
#include "evtchn.h"
#include "kernel.h"
#include "riscv.h"
#include "time.h"
#include "trap.h"

extern char trap_vector[];

struct trap_hooks trap_hooks;

void trap_init(void)
{
    csr_write(stvec, (uint64_t)trap_vector);
    csr_write(sscratch, 0);
    csr_set(sie, SIE_STIE | SIE_SEIE | SIE_SSIE);
}

static const char *cause_name(uint64_t cause)
{
    static const char *const names[] = {
        "instruction misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load misaligned", "load access fault", "store misaligned",
        "store access fault", "ecall from U", "ecall from S", "reserved", "reserved",
        "instruction page fault", "load page fault", "reserved", "store page fault",
    };
    return cause < ARRAY_SIZE(names) ? names[cause] : "unknown";
}

static void handle_interrupt(uint64_t irq)
{
    switch (irq) {
    case IRQ_S_TIMER:
        kstats.timer_irqs++;
        time_interrupt();
        break;
    case IRQ_S_EXT:
        kstats.evtchn_upcalls++;
        evtchn_upcall();
        break;
    case IRQ_S_SOFT:
        csr_clear(sip, SIE_SSIE);
        break;
    default:
        panic("trap: unexpected interrupt %lu", irq);
    }
}

static int fault_access(uint64_t cause)
{
    return cause == EXC_STORE_PAGE_FAULT ? ACCESS_WRITE
         : cause == EXC_INSN_PAGE_FAULT ? ACCESS_EXEC : ACCESS_READ;
}

static void handle_user_exception(struct trapframe *tf, uint64_t cause)
{
    switch (cause) {
    case EXC_ECALL_U:
        if (trap_hooks.syscall) {
            trap_hooks.syscall(tf);
            return;
        }
        break;
    case EXC_INSN_PAGE_FAULT:
    case EXC_LOAD_PAGE_FAULT:
    case EXC_STORE_PAGE_FAULT:
        if (trap_hooks.user_fault &&
            trap_hooks.user_fault(tf, tf->stval, fault_access(cause)) == 0)
            return;
        if (trap_hooks.user_kill) {
            trap_hooks.user_kill(tf, SIGSEGV);
            return;
        }
        break;
    default:
        if (trap_hooks.user_kill) {
            trap_hooks.user_kill(tf, cause == EXC_ILLEGAL_INSN ? SIGILL : SIGSEGV);
            return;
        }
        break;
    }
    panic("trap: %s from user mode at pc %lx (tval %lx) with no process layer",
          cause_name(cause), tf->sepc, tf->stval);
}

void trap_handler(struct trapframe *tf)
{
    uint64_t cause = tf->scause;
    bool from_user = !(tf->sstatus & SSTATUS_SPP);

    if (cause & CAUSE_INTERRUPT)
        handle_interrupt(cause & ~CAUSE_INTERRUPT);
    else if (from_user)
        handle_user_exception(tf, cause);
    else
        panic("trap: %s in the kernel at pc %lx (tval %lx, ra %lx, sp %lx)",
              cause_name(cause), tf->sepc, tf->stval, tf->regs[REG_RA], tf->regs[REG_SP]);
    if (from_user && trap_hooks.user_return)
        trap_hooks.user_return(tf);
}
