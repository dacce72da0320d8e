/*
 * hctl.c: the H extension's trap controls and its M-level view.
 *
 * HS runs a guest with vsatp Bare over an identity G-stage (hgatp Sv39x4)
 * and hstatus.VTVM, VTW and VTSR set. The guest checks that satp,
 * sfence.vma, wfi and sret raise virtual-instruction exceptions (cause 22,
 * handled by HS). A load from a GPA that G-stage lacks, with cause 21 not
 * delegated by medeleg, traps to M with mtval = GVA, mtval2 = GPA >> 2 and
 * mstatus.MPV and GVA set; M maps it and mret returns to VS. Once HS has
 * cleared VTSR: an S timer interrupt (STIP, delegated to HS) pending while
 * the guest runs traps to HS although HS has sstatus.SIE clear, and a VS
 * timer interrupt injected through hvip.VSTIP reaches the guest as an STI
 * once it enables it. The guest then drops to VU, where an S CSR access raises a
 * virtual-instruction exception and an ecall (cause 8) is delegated by
 * hedeleg to the guest's own handler. Finally HS writes guest memory with
 * HSV.D and reads it back with HLV.W and HLV.BU.
 *
 * QEMU 7.2 passes the rest but departs from the spec (and from spike) on
 * two checks: satp stays accessible in VS with VTVM = 1, and an S CSR
 * access from VU raises an illegal-instruction exception instead of a
 * virtual-instruction one.
 */
#include "rt.h"
#include "vm.h"

#define GPA_HOLE      0xC0000000ULL
#define MAGIC         0x686f6c6568686f6cULL
#define MARK          0xdeadULL
#define HSTATUS_VTW   (1ULL << 21)
#define HSTATUS_VTSR  (1ULL << 22)
#define SYS_CLR_VTSR  1        /* VS -> HS */
#define SYS_VU_DONE   2        /* VU -> VS */
#define SYS_HS_STIP   3        /* VS -> HS, and HS -> M: set (a0 = 1) or clear mip.STIP */
#define SYS_VSTIP     4        /* VS -> HS: set (a0 = 1) or clear hvip.VSTIP */
#define MIP_VSTIP     (1ULL << IRQ_VS_TIMER)

static const struct pt_fmt g_fmt = { 3, 1 };
static uint64_t *g_root;
static uint64_t hole_page[512] __attribute__((aligned(4096)));
static volatile uint64_t hs_virtual, m_gpf, m_mtval, m_mtval2, vs_ecalls_from_vu, vu_result;
static volatile uint64_t guest_word;
static volatile uint64_t hs_timer_irqs, hs_irq_spv, vs_timer_irqs;

static uint64_t probe(uint64_t which);

/* M: the one G-stage fault left undelegated. */
static int m_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t mstatus = csr_read(mstatus);

    if (cause == CAUSE_ECALL_S && tf->x[17] == SYS_HS_STIP) {
        if (tf->x[10])
            csr_set(mip, MIP_STIP);
        else
            csr_clear(mip, MIP_STIP);
        csr_write(mepc, csr_read(mepc) + 4);
        return 1;
    }
    if (cause != CAUSE_LOAD_GUEST_PF)
        return 0;
    m_gpf++;
    m_mtval = csr_read(mtval);
    m_mtval2 = csr_read(mtval2);
    CHECK(mstatus & MSTATUS_MPV);
    CHECK(mstatus & MSTATUS_GVA);
    CHECK((mstatus & MSTATUS_MPP) == MSTATUS_MPP_S);
    CHECK(pt_map(g_root, &g_fmt, GPA_HOLE, (uint64_t)hole_page, 0,
                 PTE_U | PTE_R | PTE_W | PTE_AD) == 0);
    hfence_gvma_all();
    return 1;
}

/* ---- VU and VS ---- */

static void vu_main(void)
{
    register uint64_t a0 __asm__("a0") = 0;
    register uint64_t a7 __asm__("a7") = SYS_VU_DONE;

    __asm__ volatile(".option push\n.option norvc\ncsrr a0, sstatus\n.option pop" : "+r"(a0));
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    for (;;)
        ;
}

static void vs_continue(void)
{
    CHECK(vs_ecalls_from_vu == 1);
    CHECK(vu_result == MARK);
    CHECK(hs_virtual == 5);
    guest_word = 0x1111;
    rt_sys_exit(0);
}

static uint64_t sys2(uint64_t nr, uint64_t arg)
{
    register uint64_t a0 __asm__("a0") = arg;
    register uint64_t a7 __asm__("a7") = nr;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static int vs_hook(struct trapframe *tf, uint64_t cause)
{
    if (cause == (CAUSE_IRQ | IRQ_S_TIMER)) {     /* VSTIP, seen as STIP by the guest */
        vs_timer_irqs++;
        sys2(SYS_VSTIP, 0);
        return 1;
    }
    if (cause != CAUSE_ECALL_U || tf->x[17] != SYS_VU_DONE)
        return 0;
    vs_ecalls_from_vu++;
    vu_result = tf->x[10];
    CHECK(!(csr_read(sstatus) & MSTATUS_SPP));
    csr_set(sstatus, MSTATUS_SPP);
    csr_write(sepc, (uint64_t)vs_continue);
    return 1;
}

/* Virtual-instruction probes, 4 bytes each; a0 = MARK when HS saw cause 22. */
static uint64_t probe(uint64_t which)
{
    register uint64_t a0 __asm__("a0") = 0;

    switch (which) {
    case 0: __asm__ volatile(".option push\n.option norvc\ncsrr a0, satp\n.option pop" : "+r"(a0)); break;
    case 1: __asm__ volatile(".option push\n.option norvc\nsfence.vma\n.option pop" : "+r"(a0) :: "memory"); break;
    case 2: __asm__ volatile(".option push\n.option norvc\nwfi\n.option pop" : "+r"(a0)); break;
    case 3: __asm__ volatile(".option push\n.option norvc\nsret\n.option pop" : "+r"(a0)); break;
    }
    return a0;
}

static void guest_main(void)
{
    register uint64_t a0 __asm__("a0");
    register uint64_t a7 __asm__("a7") = SYS_CLR_VTSR;

    for (uint64_t i = 0; i < 4; i++)
        CHECK(probe(i) == MARK);
    CHECK(hs_virtual == 4);

    /* A load guest-page fault that M handles. */
    CHECK(*(volatile uint64_t *)GPA_HOLE == MAGIC);
    CHECK(m_gpf == 1 && m_mtval == GPA_HOLE && m_mtval2 == GPA_HOLE >> 2);

    /* Into VU: HS clears VTSR first, so this sret is allowed. */
    a0 = 0;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");

    /*
     * An HS-level timer interrupt arriving while V = 1 goes to HS whatever
     * vsstatus.SIE says (HS interrupts are always enabled in VS).
     */
    sys2(SYS_HS_STIP, 1);
    CHECK(hs_timer_irqs == 1 && hs_irq_spv);
    /* A VS timer interrupt injected through hvip reaches the guest as STI
     * (its handler returns with sret, which VTSR no longer traps). */
    sys2(SYS_VSTIP, 1);
    CHECK(vs_timer_irqs == 0);                  /* vsie.STIE is still clear */
    csr_set(sie, MIP_STIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_clear(sstatus, MSTATUS_SIE);
    CHECK(vs_timer_irqs == 1);

    csr_clear(sstatus, MSTATUS_SPP);
    csr_write(sepc, (uint64_t)vu_main);
    __asm__ volatile("sret" ::: "memory");
}

/* ---- HS ---- */

static int hs_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t epc = csr_read(sepc);

    if (cause == (CAUSE_IRQ | IRQ_S_TIMER)) {
        hs_timer_irqs++;
        hs_irq_spv = csr_read(hstatus) & HSTATUS_SPV;
        sys2(SYS_HS_STIP, 0);
        return 1;
    }
    if (cause == CAUSE_ECALL_VS && tf->x[17] == SYS_HS_STIP) {
        sys2(SYS_HS_STIP, tf->x[10]);           /* pending now; taken on return to VS */
    } else if (cause == CAUSE_ECALL_VS && tf->x[17] == SYS_VSTIP) {
        if (tf->x[10])
            csr_set(hvip, MIP_VSTIP);
        else
            csr_clear(hvip, MIP_VSTIP);
    } else if (cause == CAUSE_VIRTUAL_INSN) {
        CHECK(csr_read(hstatus) & HSTATUS_SPV);
        hs_virtual++;
        tf->x[10] = MARK;
    } else if (cause == CAUSE_ECALL_VS && tf->x[17] == SYS_CLR_VTSR) {
        csr_clear(hstatus, HSTATUS_VTSR);
    } else if (cause == CAUSE_ECALL_VS && tf->x[17] == RT_SYS_EXIT && tf->x[10] == 0) {
        uint64_t v;

        CHECK(guest_word == 0x1111);
        csr_set(hstatus, HSTATUS_SPVP);
        __asm__ volatile(".insn r 0x73, 0x4, 0x37, x0, %0, %1"
                         :: "r"(&guest_word), "r"(0x8070605040302010ULL) : "memory");
        CHECK(guest_word == 0x8070605040302010ULL);
        __asm__ volatile(".insn r 0x73, 0x4, 0x34, %0, %1, x0"      /* hlv.w */
                         : "=r"(v) : "r"((uint64_t)&guest_word + 4) : "memory");
        CHECK(v == 0xffffffff80706050ULL);
        __asm__ volatile(".insn r 0x73, 0x4, 0x30, %0, %1, x1"      /* hlv.bu */
                         : "=r"(v) : "r"((uint64_t)&guest_word + 7) : "memory");
        CHECK(v == 0x80);
        rt_sys_exit(0);
    } else {
        return 0;
    }
    csr_write(sepc, epc + 4);
    return 1;
}

static void hs_main(void)
{
    csr_write(hgatp, pt_satp(g_root, &g_fmt, 3));
    hfence_gvma_all();
    csr_write(hedeleg, 1 << CAUSE_ECALL_U);
    csr_write(hideleg, MIP_VSTIP);
    csr_set(sie, MIP_STIP);                     /* HS's SIE stays 0: taken only in VS */
    csr_write(vsatp, 0);
    csr_write(vstvec, (uint64_t)vs_trap_entry);
    csr_write(vsscratch, (uint64_t)__vsstack_top);
    csr_write(vsstatus, 0);
    rt_s_hook = hs_hook;
    rt_vs_hook = vs_hook;
    csr_set(hstatus, HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_SPV);
    csr_set(sstatus, MSTATUS_SPP);
    csr_write(sepc, (uint64_t)guest_main);
    __asm__ volatile("sret" ::: "memory");
}

int main(void)
{
    CHECK(csr_read(misa) & (1ULL << ('H' - 'A')));
    hole_page[0] = MAGIC;
    g_root = pt_new_root(&g_fmt);
    CHECK(pt_map(g_root, &g_fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_U | PTE_RWX | PTE_AD) == 0);
    rt_m_hook = m_hook;
    csr_write(medeleg, (1 << CAUSE_ECALL_VS) | (1 << CAUSE_VIRTUAL_INSN) | (1 << CAUSE_ECALL_U));
    csr_write(mideleg, MIP_STIP);
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    rt_m_to_s(hs_main);
}
