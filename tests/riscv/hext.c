/*
 * hext.c: the H extension, with the program playing every part: M sets up,
 * HS (S with V=0) runs a VS-mode guest under two-stage translation, the
 * guest runs its own trap handler.
 *
 * hext39.c runs it with vsatp Sv39 over hgatp Sv39x4, hext48.c with Sv48
 * over Sv48x4.
 *
 * Layout. G-stage (hgatp, VMID 1): RAM identity as a 1 GiB page, GPA
 * 2^40 or 2^49 (only reachable through the x4-wide root) as a second 1 GiB
 * alias of RAM, and 4 KiB pages at GPA_GDATA (hardware sets A) and GPA_GRO
 * (read-only). VS-stage (vsatp): RAM identity, VA_WIDE -> the wide GPA,
 * small pages at VA_GDATA, VA_GRO, VA_GFAULT (GPA not mapped in G-stage),
 * and at VA_HIDDEN a table whose GPA is not mapped in G-stage.
 *
 * The guest checks, in order: an injected VS software interrupt (hvip);
 * reads through both stages and through the wide root; a load guest-page
 * fault (HS maps the GPA, htval = GPA >> 2, stval = GVA, hstatus.SPV/GVA);
 * a store guest-page fault on a read-only G-stage page; a VS-stage page
 * fault delegated by hedeleg to the guest's own handler; a guest-page fault
 * on the implicit read of a VS-stage PTE (htval = the PTE's GPA >> 2); one
 * on the implicit write that sets A in a VS-stage PTE on a G-stage
 * read-only page (cause of the original load, htval = the PTE's GPA); a
 * virtual-instruction exception for an H CSR; an ecall to HS. HS then
 * checks the totals and reads guest memory with HLV.D, under this guest's
 * VMID and under a second G-stage with another VMID.
 *
 * QEMU 7.2 (spike machine) passes all of it except four checks where it
 * departs from the spec: it reads vsip.SSIP as 0 while hvip.VSSIP is set
 * and delegated (yet delivers the interrupt); it treats the top GPA bit of
 * Sv39x4 (40) and Sv48x4 (49) as a sign bit, so the wide GPA faults; it
 * sets A in a VS-stage PTE without checking G-stage write permission; and
 * its TLB is not tagged by VMID, so after an hgatp switch without a fence
 * HLV still sees the previous guest's frame.
 */
#include "hext.h"

#include "rt.h"
#include "vm.h"

#define GPA_GDATA   0x10000000ULL
#define GPA_GRO     0x10001000ULL
#define GPA_GFAULT  0xC0000000ULL
#define GPA_HIDDEN  0xD0000000ULL
#define GPA_WIDE    (g_fmt.levels == 3 ? 1ULL << 40 : 1ULL << 49)

#define VA_GDATA    0x1000ULL
#define VA_GFAULT   0x2000ULL
#define VA_GRO      0x3000ULL
#define VA_VSFAULT  0x5000ULL
#define VA_WIDE     0x40000000ULL
#define VA_HIDDEN   0xC0000000ULL
#define VA_ADTEST   0x100000000ULL  /* its leaf PTE (A = 0) sits in a G-stage read-only page */
#define GPA_PTRO    0xE0000000ULL

#define MAGIC1 0x6d61676963310001ULL
#define MAGIC2 0x6d61676963320002ULL
#define MAGIC3 0x6d61676963330003ULL

#define SYS_HS_PING 1
#define MARK 0xdeadULL
#define MISA_H (1ULL << ('H' - 'A'))
#define HIDELEG_VSSIP (1ULL << 2)

static uint64_t gdata[512] __attribute__((aligned(4096)));
static uint64_t gro[512] __attribute__((aligned(4096)));
static uint64_t gfault[512] __attribute__((aligned(4096)));
static uint64_t gdata_vmid2[512] __attribute__((aligned(4096)));

static struct pt_fmt g_fmt = { 3, 1 }, vs_fmt = { 3, 0 };
static uint64_t *g_root, *g_root2, *vs_root, *vs_hidden_l1, *vs_ptro_l0;
static volatile uint64_t identity_word = 0x1dULL;

/* What HS and the guest saw. */
static volatile uint64_t hs_gpf[24], hs_gpf_htval[24], hs_gpf_stval[24], hs_gpf_htinst[24];
static volatile uint64_t hs_virtual_insn, hs_pings, hs_hstatus_at_gpf;
static volatile uint64_t vs_page_faults, vs_soft_irqs, vs_stval;

static uint64_t ld64(uint64_t va)
{
    return *(volatile uint64_t *)va;
}

static uint64_t *g_leaf(uint64_t gpa)
{
    uint64_t *pte = pt_leaf(g_root, &g_fmt, gpa, 0);

    CHECK(pte);
    return pte;
}

/* ---- the guest (VS-mode) ---- */

static int vs_hook(struct trapframe *tf, uint64_t cause)
{
    (void)tf;
    if (cause == (CAUSE_IRQ | IRQ_S_SOFT)) {    /* VSSIP, seen as SSIP by the guest */
        vs_soft_irqs++;
        csr_clear(sip, 1 << IRQ_S_SOFT);
        return 1;
    }
    if (cause == CAUSE_LOAD_PAGE_FAULT) {
        vs_page_faults++;
        vs_stval = csr_read(stval);
        CHECK(pt_map(vs_root, &vs_fmt, VA_VSFAULT, GPA_GDATA, 0, PTE_R | PTE_W | PTE_AD) == 0);
        __asm__ volatile("sfence.vma %0, zero" :: "r"(VA_VSFAULT) : "memory");
        return 1;
    }
    return 0;
}

static uint64_t hs_ping(uint64_t v)
{
    register uint64_t a0 __asm__("a0") = v;
    register uint64_t a7 __asm__("a7") = SYS_HS_PING;

    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static void guest_main(void)
{
    register uint64_t a0 __asm__("a0");

    /* The VS software interrupt HS left pending in hvip arrives as SSIP. */
    CHECK(csr_read(sip) & (1 << IRQ_S_SOFT));
    csr_set(sie, 1 << IRQ_S_SOFT);
    csr_set(sstatus, MSTATUS_SIE);
    csr_clear(sstatus, MSTATUS_SIE);
    CHECK(vs_soft_irqs == 1);
    CHECK(!(csr_read(sip) & (1 << IRQ_S_SOFT)));

    /* Two-stage reads: a small page, and RAM through the wide GPA. */
    CHECK(identity_word == 0x1d);
    CHECK(ld64(VA_GDATA) == MAGIC1);
    CHECK(ld64(VA_WIDE + ((uint64_t)&identity_word - 0x80000000ULL)) == 0x1d);

    /* Load guest-page fault: HS maps GPA_GFAULT, the load is retried. */
    CHECK(ld64(VA_GFAULT) == MAGIC2);
    CHECK(hs_gpf[CAUSE_LOAD_GUEST_PF] == 1);

    /* Store guest-page fault on a read-only G-stage page. */
    CHECK(ld64(VA_GRO) == MAGIC3);
    *(volatile uint64_t *)VA_GRO = MAGIC3 + 1;
    CHECK(hs_gpf[CAUSE_STORE_GUEST_PF] == 1);
    CHECK(ld64(VA_GRO) == MAGIC3 + 1);

    /* VS-stage page fault: delegated through hedeleg to this guest. */
    CHECK(ld64(VA_VSFAULT) == MAGIC1);
    CHECK(vs_page_faults == 1 && vs_stval == VA_VSFAULT);

    /* The VS-stage walk reads a PTE at a GPA that G-stage lacks. */
    CHECK(ld64(VA_HIDDEN + 8) == MAGIC1 + 1);
    CHECK(hs_gpf[CAUSE_LOAD_GUEST_PF] == 2);

    /*
     * Setting A in a VS-stage PTE is an implicit write: on a G-stage
     * read-only page it faults, with the cause of the original access (a
     * load: 21) and htval = the PTE's GPA >> 2. Once HS allows the write,
     * the retried load sets A.
     */
    CHECK((ld64((uint64_t)&vs_ptro_l0[0]) & PTE_A) == 0);
    CHECK(ld64(VA_ADTEST + 8) == MAGIC1 + 1);
    CHECK(hs_gpf[CAUSE_LOAD_GUEST_PF] == 3);
    CHECK(hs_gpf_htval[CAUSE_LOAD_GUEST_PF] == GPA_PTRO >> 2);
    CHECK(ld64((uint64_t)&vs_ptro_l0[0]) & PTE_A);

    /* An H CSR from VS: virtual-instruction exception, handled by HS. */
    a0 = 0;
    __asm__ volatile(".option push\n.option norvc\ncsrr a0, hstatus\n.option pop" : "+r"(a0));
    CHECK(a0 == MARK);

    CHECK(hs_ping(5) == 0x15);
    rt_sys_exit(0);
}

/* ---- HS-mode ---- */

static int hs_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t epc = csr_read(sepc), hstatus = csr_read(hstatus);

    if (cause == CAUSE_LOAD_GUEST_PF || cause == CAUSE_STORE_GUEST_PF ||
        cause == CAUSE_FETCH_GUEST_PF) {
        uint64_t gpa = csr_read(htval) << 2;

        hs_gpf[cause]++;
        hs_gpf_htval[cause] = csr_read(htval);
        hs_gpf_stval[cause] = csr_read(stval);
        hs_gpf_htinst[cause] = csr_read(htinst);
        hs_hstatus_at_gpf = hstatus;
        CHECK(hstatus & HSTATUS_SPV);
        CHECK(hstatus & HSTATUS_GVA);
        CHECK(csr_read(sstatus) & MSTATUS_SPP);
        if (gpa == GPA_GFAULT && cause == CAUSE_LOAD_GUEST_PF) {
            CHECK(hs_gpf_stval[cause] == VA_GFAULT);
            CHECK(pt_map(g_root, &g_fmt, GPA_GFAULT, (uint64_t)gfault, 0,
                         PTE_U | PTE_R | PTE_W | PTE_AD) == 0);
        } else if (gpa == GPA_GRO && cause == CAUSE_STORE_GUEST_PF) {
            CHECK(hs_gpf_stval[cause] == VA_GRO);
            *g_leaf(GPA_GRO) |= PTE_W | PTE_D;
        } else if (gpa == GPA_PTRO && cause == CAUSE_LOAD_GUEST_PF) {
            CHECK(hs_gpf_stval[cause] == VA_ADTEST + 8);
            /* htinst: 0, or the pseudoinstruction of a 64-bit implicit write. */
            CHECK(hs_gpf_htinst[cause] == 0 || hs_gpf_htinst[cause] == 0x3020);
            *g_leaf(GPA_PTRO) |= PTE_W | PTE_D;
        } else if (gpa == GPA_HIDDEN && cause == CAUSE_LOAD_GUEST_PF) {
            CHECK(hs_gpf_stval[cause] == VA_HIDDEN + 8);
            /* htinst: 0, or the pseudoinstruction of a 64-bit implicit read. */
            CHECK(hs_gpf_htinst[cause] == 0 || hs_gpf_htinst[cause] == 0x3000);
            CHECK(pt_map(g_root, &g_fmt, GPA_HIDDEN, (uint64_t)vs_hidden_l1, 0,
                         PTE_U | PTE_R | PTE_W | PTE_AD) == 0);
        } else {
            return 0;
        }
        hfence_gvma_all();
        return 1;
    }
    if (cause == CAUSE_VIRTUAL_INSN) {
        hs_virtual_insn++;
        tf->x[10] = MARK;
        csr_write(sepc, epc + 4);
        return 1;
    }
    if (cause == CAUSE_ECALL_VS && tf->x[17] == SYS_HS_PING) {
        hs_pings++;
        tf->x[10] += 0x10;
        csr_write(sepc, epc + 4);
        return 1;
    }
    if (cause == CAUSE_ECALL_VS && tf->x[17] == RT_SYS_EXIT && tf->x[10] == 0) {
        uint64_t v;

        CHECK(hs_gpf[CAUSE_LOAD_GUEST_PF] == 3 && hs_gpf[CAUSE_STORE_GUEST_PF] == 1);
        CHECK(hs_gpf[CAUSE_FETCH_GUEST_PF] == 0);
        CHECK(hs_gpf_htval[CAUSE_STORE_GUEST_PF] == GPA_GRO >> 2);
        CHECK(hs_virtual_insn == 1 && hs_pings == 1);
        CHECK(vs_page_faults == 1 && vs_soft_irqs == 1);
        /* Hardware set A (not D) on the G-stage PTE of the page the guest only read. */
        CHECK((*g_leaf(GPA_GDATA) & PTE_AD) == PTE_A);
        /* HLV.D reads guest memory by guest VA, as VS would (SPVP = 1). */
        csr_set(hstatus, HSTATUS_SPVP);
        __asm__ volatile(".insn r 0x73, 0x4, 0x36, %0, %1, x0" : "=r"(v) : "r"(VA_GDATA) : "memory");
        CHECK(v == MAGIC1);
        __asm__ volatile(".insn r 0x73, 0x4, 0x36, %0, %1, x0" : "=r"(v) : "r"(VA_GRO) : "memory");
        CHECK(v == MAGIC3 + 1);
        /*
         * VMIDs: g_root2 (VMID 2, fenced before first use) backs GPA_GDATA with
         * another frame. Switching hgatp needs no fence; the TLB must tell the
         * two guests apart by VMID.
         */
        {
            uint64_t hgatp1 = csr_read(hgatp);

            csr_write(hgatp, pt_satp(g_root2, &g_fmt, 2));
            __asm__ volatile(".insn r 0x73, 0x4, 0x36, %0, %1, x0" : "=r"(v) : "r"(VA_GDATA) : "memory");
            CHECK(v == ~MAGIC1);
            csr_write(hgatp, hgatp1);
            __asm__ volatile(".insn r 0x73, 0x4, 0x36, %0, %1, x0" : "=r"(v) : "r"(VA_GDATA) : "memory");
            CHECK(v == MAGIC1);
        }
        rt_sys_exit(0);
    }
    return 0;
}

static void hs_main(void)
{
    CHECK(!(csr_read(hstatus) & HSTATUS_SPV));
    csr_write(hgatp, pt_satp(g_root, &g_fmt, 1));
    CHECK(csr_read(hgatp) == pt_satp(g_root, &g_fmt, 1));
    hfence_gvma_all();
    csr_write(hedeleg, 1 << CAUSE_LOAD_PAGE_FAULT);
    csr_write(hideleg, HIDELEG_VSSIP);
    csr_write(hvip, HIDELEG_VSSIP);
    csr_write(vsatp, pt_satp(vs_root, &vs_fmt, 0));
    csr_write(vstvec, (uint64_t)vs_trap_entry);
    csr_write(vsscratch, (uint64_t)__vsstack_top);
    csr_write(vsstatus, 0);
    rt_s_hook = hs_hook;
    rt_vs_hook = vs_hook;
    /* sret to VS: hstatus.SPV = 1, sstatus.SPP = 1. */
    csr_set(hstatus, HSTATUS_SPV);
    csr_set(sstatus, MSTATUS_SPP);
    csr_clear(sstatus, MSTATUS_SPIE);
    csr_write(sepc, (uint64_t)guest_main);
    __asm__ volatile("sret" ::: "memory");
}

int hext_main(int levels)
{
    uint64_t *hidden;

    g_fmt.levels = vs_fmt.levels = levels;
    CHECK(csr_read(misa) & MISA_H);
    gdata[0] = MAGIC1;
    gdata[1] = MAGIC1 + 1;
    gfault[0] = MAGIC2;
    gro[0] = MAGIC3;

    /* G-stage. */
    g_root = pt_new_root(&g_fmt);
    CHECK(((uint64_t)g_root & 0x3fff) == 0);
    CHECK(pt_map(g_root, &g_fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_U | PTE_RWX | PTE_AD) == 0);
    CHECK(pt_map(g_root, &g_fmt, GPA_WIDE, 0x80000000ULL, 2, PTE_U | PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(g_root, &g_fmt, GPA_GDATA, (uint64_t)gdata, 0, PTE_U | PTE_R | PTE_W) == 0);
    CHECK(pt_map(g_root, &g_fmt, GPA_GRO, (uint64_t)gro, 0, PTE_U | PTE_R | PTE_A) == 0);
    gdata_vmid2[0] = ~MAGIC1;
    g_root2 = pt_new_root(&g_fmt);
    CHECK(pt_map(g_root2, &g_fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_U | PTE_RWX | PTE_AD) == 0);
    CHECK(pt_map(g_root2, &g_fmt, GPA_GDATA, (uint64_t)gdata_vmid2, 0, PTE_U | PTE_R | PTE_W | PTE_AD) == 0);

    /* VS-stage (its tables sit in RAM, where GPA = PA). */
    vs_root = pt_new_root(&vs_fmt);
    CHECK(pt_map(vs_root, &vs_fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_RWX | PTE_AD) == 0);
    CHECK(pt_map(vs_root, &vs_fmt, VA_WIDE, GPA_WIDE, 2, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(vs_root, &vs_fmt, VA_GDATA, GPA_GDATA, 0, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(vs_root, &vs_fmt, VA_GFAULT, GPA_GFAULT, 0, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(vs_root, &vs_fmt, VA_GRO, GPA_GRO, 0, PTE_R | PTE_W | PTE_AD) == 0);
    /* VA_HIDDEN: the root points at a level-1 table the guest can only reach via GPA_HIDDEN. */
    vs_hidden_l1 = pt_alloc(1, PAGE_4K);
    hidden = pt_alloc(1, PAGE_4K);
    vs_hidden_l1[0] = ((uint64_t)hidden >> 12) << 10 | PTE_V;
    hidden[0] = (GPA_GDATA >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_AD;
    pt_table(vs_root, &vs_fmt, VA_HIDDEN, 2)[(VA_HIDDEN >> 30) & 0x1ff] =
        (GPA_HIDDEN >> 12) << 10 | PTE_V;
    /* VA_ADTEST: its level-0 table is reached at GPA_PTRO, read-only in G-stage. */
    vs_ptro_l0 = pt_alloc(1, PAGE_4K);
    vs_ptro_l0[0] = (GPA_GDATA >> 12) << 10 | PTE_V | PTE_R | PTE_W;
    pt_table(vs_root, &vs_fmt, VA_ADTEST, 1)[(VA_ADTEST >> 21) & 0x1ff] =
        (GPA_PTRO >> 12) << 10 | PTE_V;
    CHECK(pt_map(g_root, &g_fmt, GPA_PTRO, (uint64_t)vs_ptro_l0, 0, PTE_U | PTE_R | PTE_A) == 0);

    csr_write(medeleg, (1 << CAUSE_ECALL_VS) | (1 << CAUSE_FETCH_GUEST_PF) |
                       (1 << CAUSE_LOAD_GUEST_PF) | (1 << CAUSE_STORE_GUEST_PF) |
                       (1 << CAUSE_VIRTUAL_INSN) | (1 << CAUSE_LOAD_PAGE_FAULT));
    CHECK(csr_read(medeleg) & (1 << CAUSE_LOAD_GUEST_PF));
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    rt_m_to_s(hs_main);
}
