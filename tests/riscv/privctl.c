/*
 * privctl.c: the mstatus trap controls and a few machine-level rules.
 *
 * S-mode, with M counting every trap it takes:
 *   TVM = 1: satp accesses and sfence.vma are illegal in S (cause 2);
 *   TSR = 1: sret is illegal in S;
 *   TW = 1: wfi in S with no interrupt coming is illegal;
 *   with all three clear, the same instructions run in S.
 * M-mode:
 *   vectored mtvec: interrupts enter at base + 4 * cause;
 *   satp and hgatp writes with an unsupported MODE have no effect;
 *   interrupt priority: with MSIP and MTIP both pending, the software
 *   interrupt is taken first (MEI > MSI > MTI > SEI > SSI > STI);
 *   misaligned loads and stores either trap with the misaligned cause and
 *   the address in mtval, or complete with the right bytes;
 *   minstret is writable and counts on from the value written.
 * QEMU 7.2 passes all but two: it keeps an hgatp written with an
 * unsupported MODE, and without -icount its minstret follows host time.
 */
#include "rt.h"

#define CLINT_MSIP ((volatile uint32_t *)0x02000000UL)
#define MSTATUS_TVM (1ULL << 20)
#define MSTATUS_TW  (1ULL << 21)
#define MSTATUS_TSR (1ULL << 22)
#define SYS_SET_MSTATUS 4   /* S -> M: mstatus bits a0 set, a1 cleared */

static volatile uint64_t illegal_from_s, irq_order[4], nirqs, misaligned, last_mtval;

static int m_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t epc = csr_read(mepc);

    if (cause == CAUSE_ILLEGAL_INSN && (csr_read(mstatus) & MSTATUS_MPP) == MSTATUS_MPP_S) {
        illegal_from_s++;
        tf->x[10] = 0xdead;
    } else if (cause == CAUSE_ECALL_S && tf->x[17] == SYS_SET_MSTATUS) {
        csr_set(mstatus, tf->x[10]);
        csr_clear(mstatus, tf->x[11]);
    } else if (cause & CAUSE_IRQ) {
        if (nirqs < 4)
            irq_order[nirqs] = cause & 0xff;
        nirqs++;
        if ((cause & 0xff) == IRQ_M_SOFT)
            *CLINT_MSIP = 0;
        else
            *CLINT_MTIMECMP = ~0ULL;
        return 1;
    } else if (cause == CAUSE_MISALIGNED_LOAD || cause == CAUSE_MISALIGNED_STORE) {
        misaligned++;
        last_mtval = csr_read(mtval);
        tf->x[10] = 0xdead;
    } else {
        return 0;
    }
    csr_write(mepc, epc + 4);
    return 1;
}

static void set_mstatus(uint64_t set, uint64_t clear)
{
    register uint64_t a0 __asm__("a0") = set;
    register uint64_t a1 __asm__("a1") = clear;
    register uint64_t a7 __asm__("a7") = SYS_SET_MSTATUS;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
}

/* Each probe is 4 bytes (norvc) and leaves a0 = 0xdead when it trapped. */
#define PROBE(insn) ({ register uint64_t a0_ __asm__("a0") = 0;                     \
        __asm__ volatile(".option push\n.option norvc\n" insn "\n.option pop"       \
                         : "+r"(a0_) :: "memory"); a0_; })

static void s_after_sret(void);

static void s_main(void)
{
    /* Trap controls off: everything runs. */
    CHECK(PROBE("csrr a0, satp") == 0);
    CHECK(PROBE("sfence.vma") == 0);
    CHECK(illegal_from_s == 0);

    set_mstatus(MSTATUS_TVM, 0);
    CHECK(PROBE("csrr a0, satp") == 0xdead);
    CHECK(PROBE("csrw satp, zero") == 0xdead);
    CHECK(PROBE("sfence.vma") == 0xdead);
    CHECK(illegal_from_s == 3);
    set_mstatus(0, MSTATUS_TVM);

    /* TW: no interrupt can wake this wfi (mie is 0), so it must trap. */
    set_mstatus(MSTATUS_TW, 0);
    CHECK(PROBE("wfi") == 0xdead);
    CHECK(illegal_from_s == 4);
    set_mstatus(0, MSTATUS_TW);

    set_mstatus(MSTATUS_TSR, 0);
    CHECK(PROBE("sret") == 0xdead);
    CHECK(illegal_from_s == 5);
    set_mstatus(0, MSTATUS_TSR);

    /* TSR clear: sret works (back to S, at s_after_sret). */
    csr_set(sstatus, MSTATUS_SPP);
    csr_write(sepc, (uint64_t)s_after_sret);
    __asm__ volatile("sret");
}

static void s_after_sret(void)
{
    CHECK(illegal_from_s == 5);
    rt_sys_exit(0);
}

static void check_priority(void)
{
    /* Vectored mtvec: both interrupts below enter through their own slot. */
    csr_write(mtvec, (uint64_t)m_vector_table | 1);
    CHECK(csr_read(mtvec) == ((uint64_t)m_vector_table | 1));
    *CLINT_MTIMECMP = 0;                    /* MTIP now */
    *CLINT_MSIP = 1;                        /* MSIP now */
    while (!(csr_read(mip) & MIP_MTIP) || !(csr_read(mip) & (1 << IRQ_M_SOFT)))
        ;
    csr_write(mie, MIP_MTIP | (1 << IRQ_M_SOFT));
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    CHECK(nirqs == 2);
    CHECK(irq_order[0] == IRQ_M_SOFT && irq_order[1] == IRQ_M_TIMER);
    CHECK(rt_vectored_entries == 2);
    csr_write(mtvec, (uint64_t)m_trap_entry);
}

static uint8_t bytes[32] __attribute__((aligned(16)));

static void check_misaligned(void)
{
    register uint64_t a0 __asm__("a0");
    uint8_t *p = bytes + 3;

    for (int i = 0; i < 32; i++)
        bytes[i] = (uint8_t)(0x10 + i);
    a0 = (uint64_t)p;
    __asm__ volatile(".option push\n.option norvc\nld a0, 0(a0)\n.option pop" : "+r"(a0) :: "memory");
    if (misaligned) {
        CHECK(a0 == 0xdead && last_mtval == (uint64_t)p);
    } else {
        CHECK(a0 == 0x1a19181716151413ULL);
    }
    a0 = (uint64_t)(bytes + 17);
    __asm__ volatile(".option push\n.option norvc\nsw %1, 0(a0)\n.option pop"
                     : "+r"(a0) : "r"(0xa1b2c3d4ULL) : "memory");
    if (a0 == 0xdead) {
        CHECK(last_mtval == (uint64_t)(bytes + 17) && bytes[17] == 0x21);
    } else {
        CHECK(bytes[17] == 0xd4 && bytes[18] == 0xc3 && bytes[19] == 0xb2 && bytes[20] == 0xa1);
        CHECK(bytes[16] == 0x20 && bytes[21] == 0x25);
    }
}

int main(void)
{
    uint64_t n;

    rt_m_hook = m_hook;
    check_priority();
    check_misaligned();
    /* satp and hgatp ignore a write with an unsupported MODE (11) entirely. */
    csr_write(satp, 0);
    csr_write(satp, (11ULL << 60) | 0x12345);
    CHECK(csr_read(satp) == 0);
    if (csr_read(misa) & (1ULL << ('H' - 'A'))) {
        csr_write(hgatp, 0);
        csr_write(hgatp, (11ULL << 60) | 0x12344);
        CHECK(csr_read(hgatp) == 0);
    }
    csr_write(minstret, 1000000);
    n = csr_read(minstret);
    CHECK(n >= 1000000 && n < 1000000 + 16);
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    rt_m_to_s(s_main);
}
