/*
 * timer.c: timer and software interrupts through spike's CLINT.
 *
 * M checks that mtime advances, that MTIP follows mtimecmp, that a pending
 * interrupt waits for mstatus.MIE and is taken right after the csrs that
 * sets it, that WFI wakes on the timer, and that MSIP raises a machine
 * software interrupt. Then it runs S with STIP delegated, the way an SBI
 * firmware does: M's timer handler forwards each tick to S by setting
 * mip.STIP, S's handler asks M (ecall) to clear STIP and arm the next tick.
 * Every interrupt is counted; the totals must be exact.
 */
#include "rt.h"

#define CLINT_MSIP ((volatile uint32_t *)0x02000000UL)
#define M_TICKS 5
#define S_TICKS 5
#define TICK    200         /* mtime units between ticks */
#define SYS_SET_TIMER 3     /* S -> M: clear STIP, mtimecmp = a0 */

static volatile uint64_t m_timer_irqs, m_soft_irqs, s_timer_irqs, m_forwarded;
static volatile uint64_t last_mepc;
static volatile int forward_to_s;

static int m_hook(struct trapframe *tf, uint64_t cause)
{
    if (cause == (CAUSE_IRQ | IRQ_M_TIMER)) {
        last_mepc = csr_read(mepc);
        if (forward_to_s) {
            m_forwarded++;
            csr_clear(mie, MIP_MTIP);
            csr_set(mip, MIP_STIP);
        } else {
            m_timer_irqs++;
            *CLINT_MTIMECMP = ~0ULL;
        }
        return 1;
    }
    if (cause == (CAUSE_IRQ | IRQ_M_SOFT)) {
        m_soft_irqs++;
        *CLINT_MSIP = 0;
        return 1;
    }
    if (cause == CAUSE_ECALL_S && tf->x[17] == SYS_SET_TIMER) {
        csr_clear(mip, MIP_STIP);
        *CLINT_MTIMECMP = tf->x[10];
        csr_set(mie, MIP_MTIP);
        csr_write(mepc, csr_read(mepc) + 4);
        return 1;
    }
    return 0;
}

static void sbi_set_timer(uint64_t when)
{
    register uint64_t a0 __asm__("a0") = when;
    register uint64_t a7 __asm__("a7") = SYS_SET_TIMER;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

static int s_hook(struct trapframe *tf, uint64_t cause)
{
    (void)tf;
    if (cause != (CAUSE_IRQ | IRQ_S_TIMER))
        return 0;
    s_timer_irqs++;
    sbi_set_timer(s_timer_irqs < S_TICKS ? *CLINT_MTIME + TICK : ~0ULL);
    return 1;
}

static void s_main(void)
{
    csr_set(sie, MIP_STIP);
    sbi_set_timer(*CLINT_MTIME + TICK);
    while (s_timer_irqs < S_TICKS) {     /* SIE only around taking it, as in main() */
        __asm__ volatile("wfi");
        csr_set(sstatus, MSTATUS_SIE);
        csr_clear(sstatus, MSTATUS_SIE);
    }
    CHECK(m_forwarded == S_TICKS);
    CHECK(!(csr_read(sip) & MIP_STIP));
    rt_sys_exit(0);
}

/* A taken interrupt stops the busy loop early; returns the loop count left. */
static uint64_t spin(uint64_t n)
{
    while (n && !m_timer_irqs)
        n--;
    return n;
}

int main(void)
{
    uint64_t t0, t1;

    rt_m_hook = m_hook;
    /* mtime advances with execution. */
    t0 = *CLINT_MTIME;
    for (volatile int i = 0; i < 20000; i++)
        ;
    t1 = *CLINT_MTIME;
    CHECK(t1 > t0);

    /* MTIP follows mtimecmp, with interrupts off. */
    *CLINT_MTIMECMP = ~0ULL;
    CHECK(!(csr_read(mip) & MIP_MTIP));
    *CLINT_MTIMECMP = *CLINT_MTIME + TICK;
    while (!(csr_read(mip) & MIP_MTIP))
        ;
    /* Pending but masked by mstatus.MIE: nothing is taken. */
    csr_set(mie, MIP_MTIP);
    CHECK(spin(1000) == 0 && m_timer_irqs == 0);
    /* Unmasking takes it at once: mepc is the instruction after the csrs. */
    t0 = MSTATUS_MIE;
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrs mstatus, %0\n"
                     "auipc %0, 0\n"
                     ".option pop\n"
                     "sd %0, 0(%1)\n"
                     : "+r"(t0) : "r"(&t1) : "memory");
    CHECK(m_timer_irqs == 1);
    CHECK(last_mepc == t1);
    CHECK(!(csr_read(mip) & MIP_MTIP));

    /*
     * WFI wakes on each tick. MIE is off between the test and the wfi (a
     * pending interrupt wakes wfi even then) and briefly on to take it, so
     * that a tick cannot slip in between and leave wfi asleep for good.
     */
    csr_clear(mstatus, MSTATUS_MIE);
    while (m_timer_irqs < M_TICKS) {
        uint64_t before = m_timer_irqs;

        *CLINT_MTIMECMP = *CLINT_MTIME + TICK;
        while (m_timer_irqs == before) {
            __asm__ volatile("wfi");
            csr_set(mstatus, MSTATUS_MIE);
            csr_clear(mstatus, MSTATUS_MIE);
        }
    }
    CHECK(m_timer_irqs == M_TICKS);

    /* Machine software interrupt through MSIP. */
    csr_set(mstatus, MSTATUS_MIE);
    csr_set(mie, 1 << IRQ_M_SOFT);
    *CLINT_MSIP = 1;
    for (volatile int i = 0; i < 100 && !m_soft_irqs; i++)
        ;
    CHECK(m_soft_irqs == 1);
    CHECK(*CLINT_MSIP == 0);
    csr_clear(mie, 1 << IRQ_M_SOFT);

    /* S ticks, forwarded by M as STIP. */
    csr_clear(mstatus, MSTATUS_MIE);
    forward_to_s = 1;
    rt_s_hook = s_hook;
    csr_write(mideleg, MIP_STIP);
    CHECK(csr_read(mideleg) & MIP_STIP);
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    rt_m_to_s(s_main);
}
