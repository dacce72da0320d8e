/*
 * rt.c: HTIF output and exit, the default trap handlers of M, S/HS and VS,
 * and the mode-change helpers of the bare-metal test programs (see rt.h for
 * the conventions). Everything here is position-dependent and single-hart.
 */
#include "rt.h"

__attribute__((section(".tohost"), aligned(64))) volatile uint64_t tohost;
__attribute__((section(".tohost"), aligned(64))) volatile uint64_t fromhost;
/* QEMU's HTIF wants 8-byte symbols; C objects get their size from the type. */

rt_trap_hook rt_m_hook, rt_s_hook, rt_vs_hook;
volatile int rt_m_depth;
volatile int rt_left_m;

/* Hand one command to the host and wait for its answer. */
static void htif_command(uint64_t cmd)
{
    while (tohost)
        fromhost = 0;
    tohost = cmd;
    while (!fromhost)
        ;
    fromhost = 0;
}

void rt_putc(char c)
{
    htif_command((1ULL << 56) | (1ULL << 48) | (uint8_t)c);
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

void rt_puthex(uint64_t v)
{
    rt_puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        rt_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void rt_exit(uint64_t code)
{
    for (;;)
        tohost = code ? (code << 1) | 1 : 1;
}


static int is_ecall(uint64_t cause)
{
    return cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_VS ||
           cause == CAUSE_ECALL_M;
}

/* Ecall with a7 = nr and a0..a3; returns a0. */
static uint64_t rt_sys(uint64_t nr, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
    register uint64_t a0 __asm__("a0") = x0;
    register uint64_t a1 __asm__("a1") = x1;
    register uint64_t a2 __asm__("a2") = x2;
    register uint64_t a3 __asm__("a3") = x3;
    register uint64_t a7 __asm__("a7") = nr;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
    return a0;
}

void rt_fail(uint64_t code, const char *msg)
{
    if (rt_m_depth || !rt_left_m) {
        rt_puts(msg);
        rt_exit(code);
    }
    rt_sys(RT_SYS_FAIL, code, (uint64_t)msg, 0, 0);
    for (;;)
        ;
}

/* Ask M to report an unexpected trap of another mode and stop. */
static __attribute__((noreturn)) void rt_sys_badtrap(uint64_t cause, uint64_t epc,
                                                     uint64_t tval, uint64_t tag)
{
    rt_sys(RT_SYS_BADTRAP, cause, epc, tval, tag);
    for (;;)
        ;
}

/* S/HS and VS: pass the run-ending ecalls of the mode below up to M. Returns 0 if not one. */
static int forward_sys(struct trapframe *tf, uint64_t cause)
{
    uint64_t nr = tf->x[17];

    if (!is_ecall(cause) || (nr != RT_SYS_EXIT && nr != RT_SYS_BADTRAP && nr != RT_SYS_FAIL))
        return 0;
    rt_sys(nr, tf->x[10], tf->x[11], tf->x[12], tf->x[13]);
    for (;;)
        ;
}

static void report_badtrap(const char *mode, uint64_t cause, uint64_t epc, uint64_t tval)
{
    rt_puts("unexpected trap in ");
    rt_puts(mode);
    rt_puts(": cause ");
    rt_puthex(cause);
    rt_puts(" epc ");
    rt_puthex(epc);
    rt_puts(" tval ");
    rt_puthex(tval);
    rt_putc('\n');
}

uint64_t rt_next_pc(uint64_t epc)
{
    uint16_t low = *(volatile uint16_t *)epc;

    return epc + ((low & 3) == 3 ? 4 : 2);
}

/* M-mode trap handler (from m_trap_entry). */
void m_trap(struct trapframe *tf)
{
    uint64_t cause = csr_read(mcause);

    rt_m_depth++;
    if (rt_m_hook && rt_m_hook(tf, cause)) {
        rt_m_depth--;
        return;
    }
    if (is_ecall(cause) && tf->x[17] == RT_SYS_EXIT)
        rt_exit(tf->x[10]);
    if (is_ecall(cause) && tf->x[17] == RT_SYS_FAIL) {
        rt_puts((const char *)tf->x[11]);
        rt_exit(tf->x[10]);
    }
    if (is_ecall(cause) && tf->x[17] == RT_SYS_BADTRAP) {
        static const char *const tags[] = { "U", "S/HS", "VS", "?" };

        report_badtrap(tags[tf->x[13] & 3], tf->x[10], tf->x[11], tf->x[12]);
        rt_exit(0x7ff);
    }
    report_badtrap("M", cause, csr_read(mepc), csr_read(mtval));
    rt_exit(0x7fe);
}

volatile uint64_t rt_vectored_entries;

/* M-mode handler reached through m_vector_table's interrupt slots. */
void m_trap_vectored(struct trapframe *tf)
{
    rt_vectored_entries++;
    m_trap(tf);
}

/* S/HS-mode trap handler (from s_trap_entry). */
void s_trap(struct trapframe *tf)
{
    uint64_t cause = csr_read(scause);

    if (rt_s_hook && rt_s_hook(tf, cause))
        return;
    forward_sys(tf, cause);
    rt_sys_badtrap(cause, csr_read(sepc), csr_read(stval), 1);
}

/* VS-mode trap handler (from vs_trap_entry; CSR names reach the vs* CSRs). */
void vs_trap(struct trapframe *tf)
{
    uint64_t cause = csr_read(scause);

    if (rt_vs_hook && rt_vs_hook(tf, cause))
        return;
    forward_sys(tf, cause);
    rt_sys_badtrap(cause, csr_read(sepc), csr_read(stval), 2);
}

void rt_sys_exit(uint64_t code)
{
    rt_sys(RT_SYS_EXIT, code, 0, 0, 0);
    for (;;)
        ;
}

void rt_m_to_s(void (*fn)(void))
{
    rt_left_m = 1;
    csr_clear(mstatus, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPV);
    csr_set(mstatus, MSTATUS_MPP_S);
    csr_write(mepc, (uint64_t)fn);
    __asm__ volatile("mret" ::: "memory");
    __builtin_unreachable();
}

void rt_s_to_u(void (*fn)(void))
{
    csr_clear(sstatus, MSTATUS_SPP | MSTATUS_SPIE);
    csr_write(sepc, (uint64_t)fn);
    __asm__ volatile("sret" ::: "memory");
    __builtin_unreachable();
}
