/*
 * paging.c: the Sv39/Sv48 program body shared by sv39.c and sv48.c.
 *
 * M builds the tables (identity gigapage for the image, aliases through a
 * megapage, a gigapage and, under Sv48, a 512 GiB terapage, plus 4 KiB pages
 * with assorted permissions), delegates page faults and U's ecalls to S and
 * drops to S with satp set. S then checks, in order:
 *   aliases at every page size; a misaligned megapage faults; demand paging
 *   by the fault handler; write to a read-only page; fetch from a non-X page;
 *   SUM; MXR; hardware A and D updates; sfence.vma after a remap; ASID-tagged
 *   translations across satp switches; a fetch straddling into an unmapped
 *   page; faults on
 *   a non-canonical VA, a W-without-R PTE, a pointer PTE at level 0 and a
 *   PTE with a reserved bit; U-mode code on a U page, and U's access to an
 *   S page faulting. Before that, M reads through S's tables with MPRV.
 * S's handler counts every page fault by cause; the totals must be exact:
 * PAGING_FAULTS_TOTAL (the CUnit suite also checks rvsim's counter).
 */
#include "paging.h"

#include "rt.h"
#include "vm.h"

#define DATA_PA    0x80400000ULL   /* 2 MiB, aliased by the superpages */
#define PAGES_PA   0x80600000ULL   /* backing of the 4 KiB pages */
#define DEMAND_PA  0x80700000ULL   /* frames handed out by the fault handler */

#define VA_MEG     0x40000000ULL   /* megapage -> DATA_PA */
#define VA_4K      0x40200000ULL   /* 4 pages -> PAGES_PA */
#define VA_MEG_BAD 0x40400000ULL   /* megapage with a misaligned PPN */
#define VA_DEMAND  0x40600000ULL   /* unmapped: filled on demand */
#define VA_RO      0x40210000ULL
#define VA_NX      0x40211000ULL
#define VA_UPAGE   0x40212000ULL
#define VA_UCODE   0x40213000ULL
#define VA_XONLY   0x40214000ULL
#define VA_AD      0x40215000ULL
#define VA_REMAP   0x40216000ULL
#define VA_WNR     0x40217000ULL   /* W without R: reserved encoding */
#define VA_PTR0    0x40218000ULL   /* a pointer PTE at level 0 */
#define VA_RSVD    0x40219000ULL   /* PTE bit 54 (reserved) set */
#define VA_SPAN    0x4021A000ULL   /* code whose last instruction straddles into... */
#define VA_SPAN2   0x4021B000ULL   /* ...this page, unmapped until the fetch faults */
#define VA_GIG     0x100000000ULL  /* gigapage -> 0x80000000 */
#define VA_TERA    PAGE_512G       /* Sv48 only: terapage -> 0 */

#define DEMAND_PAGES 9
#define FAULT_MARK   0xdeadULL
#define SYS_U_DONE   7

static struct pt_fmt fmt;
static uint64_t *root, *root2;
static volatile uint64_t pf_count[16];
static volatile uint64_t pf_tval[16];
static volatile int skip_reg;      /* register to mark when skipping a faulting load */
static volatile uint64_t u_result;
static volatile uint64_t identity_word = 0x1d1d1d1dULL;

/* U-mode code, copied to VA_UCODE: bump a word on its U page, probe an S page. */
#define XSTR(x) STR(x)
__asm__(".section .rodata.ucode, \"a\"\n"
        ".balign 4\n"
        ".globl u_code\n"
        "u_code:\n"
        ".option push\n"
        ".option norvc\n"
        "  li a1, " XSTR(VA_UPAGE) "\n"
        "  ld a0, 0(a1)\n"
        "  addi a0, a0, 1\n"
        "  sd a0, 0(a1)\n"
        "  li a2, 0x80000000\n"          /* _start: an S-only page */
        "  ld a3, 0(a2)\n"
        "  mv a0, a3\n"
        "  li a7, " XSTR(SYS_U_DONE) "\n"
        "  ecall\n"
        "1: j 1b\n"
        ".option pop\n"
        ".globl u_code_end\n"
        "u_code_end:\n"
        ".text\n");
extern const char u_code[], u_code_end[];

static void copy_bytes(void *dst, const void *src, uint64_t n)
{
    volatile char *d = dst;
    const volatile char *s = src;

    while (n--)
        *d++ = *s++;
}

static uint64_t ld64(uint64_t va)
{
    return *(volatile uint64_t *)va;
}

static void sd64(uint64_t va, uint64_t v)
{
    *(volatile uint64_t *)va = v;
}

/* A load whose destination is a0 and whose length is 4, for skipped faults. */
static uint64_t probe_load(uint64_t va)
{
    register uint64_t a0 __asm__("a0") = va;

    __asm__ volatile(".option push\n.option norvc\nld a0, 0(a0)\n.option pop" : "+r"(a0) :: "memory");
    return a0;
}

static void sfence_va(uint64_t va)
{
    __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

static uint64_t *leaf(uint64_t va)
{
    uint64_t *pte = pt_leaf(root, &fmt, va, 0);

    CHECK(pte);
    return pte;
}

/* S's page-fault handler: fix what the test expects to be fixed, else skip. */
static int s_hook(struct trapframe *tf, uint64_t cause)
{
    uint64_t tval = csr_read(stval), epc = csr_read(sepc);

    if (cause == CAUSE_ECALL_U && tf->x[17] == SYS_U_DONE) {
        u_result = tf->x[10];
        csr_set(sstatus, MSTATUS_SPP);
        csr_write(sepc, (uint64_t)paging_s_phase2);
        return 1;
    }
    if (cause != CAUSE_FETCH_PAGE_FAULT && cause != CAUSE_LOAD_PAGE_FAULT &&
        cause != CAUSE_STORE_PAGE_FAULT)
        return 0;
    pf_count[cause]++;
    pf_tval[cause] = tval;
    if (tval >= VA_DEMAND && tval < VA_DEMAND + DEMAND_PAGES * PAGE_4K) {
        uint64_t page = tval & ~(PAGE_4K - 1);

        CHECK(pt_map(root, &fmt, page, DEMAND_PA + (page - VA_DEMAND), 0,
                     PTE_R | PTE_W | PTE_AD) == 0);
        sfence_va(page);
    } else if (tval == VA_RO && cause == CAUSE_STORE_PAGE_FAULT) {
        *leaf(VA_RO) |= PTE_W | PTE_D;
        sfence_va(VA_RO);
    } else if (tval == VA_SPAN2 && cause == CAUSE_FETCH_PAGE_FAULT) {
        CHECK(epc == VA_SPAN + 0xffe);          /* sepc: the instruction's start */
        CHECK(pt_map(root, &fmt, VA_SPAN2, PAGES_PA + 0x1b000, 0, PTE_R | PTE_X | PTE_A) == 0);
        sfence_va(VA_SPAN2);
    } else if (tval == VA_NX && cause == CAUSE_FETCH_PAGE_FAULT) {
        *leaf(VA_NX) |= PTE_X;
        sfence_va(VA_NX);
    } else if (tval == VA_UPAGE && (csr_read(sstatus) & MSTATUS_SPP)) {
        csr_set(sstatus, MSTATUS_SUM);
    } else if (tval == VA_XONLY) {
        csr_set(sstatus, MSTATUS_MXR);
    } else if (skip_reg) {
        tf->x[skip_reg] = FAULT_MARK;
        skip_reg = 0;
        csr_write(sepc, epc + 4);
    } else {
        return 0;
    }
    return 1;
}

/* Phase 2, entered from U's last ecall: check U's work and every total. */
void paging_s_phase2(void)
{
    CHECK(u_result == FAULT_MARK);
    CHECK(pf_tval[CAUSE_LOAD_PAGE_FAULT] == 0x80000000ULL);
    csr_set(sstatus, MSTATUS_SUM);
    CHECK(ld64(VA_UPAGE) == 0x5001);
    csr_clear(sstatus, MSTATUS_SUM);
    CHECK(pf_count[CAUSE_FETCH_PAGE_FAULT] == 2);
    CHECK(pf_count[CAUSE_LOAD_PAGE_FAULT] == 9);
    CHECK(pf_count[CAUSE_STORE_PAGE_FAULT] == 9);
    CHECK(pf_count[CAUSE_FETCH_PAGE_FAULT] + pf_count[CAUSE_LOAD_PAGE_FAULT] +
          pf_count[CAUSE_STORE_PAGE_FAULT] == PAGING_FAULTS_TOTAL);
    rt_sys_exit(0);
}

static void s_main(void)
{
    uint64_t tera = fmt.levels == 4;

    CHECK(identity_word == 0x1d1d1d1dULL);
    /* Aliases of DATA_PA through each superpage size agree. */
    CHECK(ld64(VA_MEG + 0x100) == 0xa11a5);
    CHECK(ld64(VA_GIG + (DATA_PA - 0x80000000ULL) + 0x100) == 0xa11a5);
    if (tera)
        CHECK(ld64(VA_TERA + DATA_PA + 0x100) == 0xa11a5);
    sd64(VA_MEG + 0x1ff000, 0xfeed);                 /* last page of the megapage */
    CHECK(ld64(DATA_PA + 0x1ff000) == 0xfeed);
    CHECK(ld64(VA_GIG + (DATA_PA - 0x80000000ULL) + 0x1ff000) == 0xfeed);
    for (uint64_t i = 0; i < 4; i++)
        CHECK(ld64(VA_4K + i * PAGE_4K) == 0x1000 + i);

    /* A megapage whose PPN is not 2 MiB-aligned is a page fault. */
    skip_reg = 10;
    CHECK(probe_load(VA_MEG_BAD) == FAULT_MARK);
    CHECK(pf_tval[CAUSE_LOAD_PAGE_FAULT] == VA_MEG_BAD);

    /* Demand paging: 8 first touches by stores, 1 by a load. */
    for (uint64_t i = 0; i < DEMAND_PAGES - 1; i++)
        sd64(VA_DEMAND + i * PAGE_4K + 8, 0x700 + i);
    CHECK(ld64(VA_DEMAND + (DEMAND_PAGES - 1) * PAGE_4K) == 0);
    for (uint64_t i = 0; i < DEMAND_PAGES - 1; i++)
        CHECK(ld64(DEMAND_PA + i * PAGE_4K + 8) == 0x700 + i);
    CHECK(pf_count[CAUSE_STORE_PAGE_FAULT] == 8 && pf_count[CAUSE_LOAD_PAGE_FAULT] == 2);

    /* Read-only page: loads work, the first store faults and is fixed. */
    CHECK(ld64(VA_RO) == 0x1010);
    sd64(VA_RO, 0x2020);
    CHECK(ld64(VA_RO) == 0x2020 && pf_tval[CAUSE_STORE_PAGE_FAULT] == VA_RO);

    /* Non-executable page holding "li a0, 42; ret": the fetch faults once. */
    CHECK(((uint64_t (*)(void))VA_NX)() == 42);
    CHECK(pf_tval[CAUSE_FETCH_PAGE_FAULT] == VA_NX);

    /*
     * A 32-bit instruction straddling into an unmapped page: the fetch
     * faults with stval = the second page, sepc = the instruction.
     */
    CHECK(((uint64_t (*)(void))(VA_SPAN + 0xffc))() == 42);
    CHECK(pf_tval[CAUSE_FETCH_PAGE_FAULT] == VA_SPAN2);

    /* SUM: S reads a U page only with sstatus.SUM. */
    CHECK(ld64(VA_UPAGE) == 0x5000);
    CHECK(csr_read(sstatus) & MSTATUS_SUM);
    csr_clear(sstatus, MSTATUS_SUM);

    /* MXR: an execute-only page is readable only with sstatus.MXR. */
    CHECK(ld64(VA_XONLY) == 0x3030);
    CHECK(csr_read(sstatus) & MSTATUS_MXR);
    csr_clear(sstatus, MSTATUS_MXR);
    CHECK(pf_count[CAUSE_LOAD_PAGE_FAULT] == 4);

    /* Hardware A/D: a load sets A only, a store sets D. */
    CHECK((*leaf(VA_AD) & PTE_AD) == 0);
    CHECK(ld64(VA_AD) == 0x4040);
    CHECK((*leaf(VA_AD) & PTE_AD) == PTE_A);
    sd64(VA_AD, 0x4141);
    CHECK((*leaf(VA_AD) & PTE_AD) == PTE_AD);

    /* Remap a page; after sfence.vma the new frame shows. */
    CHECK(ld64(VA_REMAP) == 0x1016);
    *leaf(VA_REMAP) = ((PAGES_PA + 0x17000) >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_AD;
    sfence_va(VA_REMAP);
    CHECK(ld64(VA_REMAP) == 0x1017);

    /*
     * ASIDs: root2 (ASID 2) maps VA_REMAP elsewhere. Both trees were fenced
     * before use, so switching satp needs no fence: the TLB must tell the
     * two address spaces apart by ASID.
     */
    {
        uint64_t satp1 = csr_read(satp);

        CHECK(ld64(VA_REMAP) == 0x1017);
        csr_write(satp, pt_satp(root2, &fmt, 2));
        CHECK(ld64(VA_REMAP) == 0x1018);
        csr_write(satp, satp1);
        CHECK(ld64(VA_REMAP) == 0x1017);
        csr_write(satp, pt_satp(root2, &fmt, 2));
        CHECK(ld64(VA_REMAP) == 0x1018);
        csr_write(satp, satp1);
    }

    /* Malformed translations: each load faults (and is skipped). */
    skip_reg = 10;
    CHECK(probe_load(fmt.levels == 3 ? 1ULL << 38 : 1ULL << 47) == FAULT_MARK);
    CHECK(pf_tval[CAUSE_LOAD_PAGE_FAULT] == (fmt.levels == 3 ? 1ULL << 38 : 1ULL << 47));
    skip_reg = 10;
    CHECK(probe_load(VA_WNR) == FAULT_MARK && pf_tval[CAUSE_LOAD_PAGE_FAULT] == VA_WNR);
    skip_reg = 10;
    CHECK(probe_load(VA_PTR0) == FAULT_MARK && pf_tval[CAUSE_LOAD_PAGE_FAULT] == VA_PTR0);
    skip_reg = 10;
    CHECK(probe_load(VA_RSVD) == FAULT_MARK && pf_tval[CAUSE_LOAD_PAGE_FAULT] == VA_RSVD);
    CHECK(pf_count[CAUSE_LOAD_PAGE_FAULT] == 8);

    /* U mode: its code and data sit on U pages; it ends with SYS_U_DONE. */
    skip_reg = 13;
    rt_s_to_u((void (*)(void))VA_UCODE);
}

/* M: write the patterns, build the tables, delegate, enter S. */
int paging_main(int levels)
{
    static const uint32_t nx_code[] = { 0x02a00513, 0x00008067 };   /* li a0, 42; ret */
    /* c.nop at 0xffc, then li a0, 42 split across the page end, then ret. */
    static const uint16_t span_code1[] = { 0x0001, 0x0513 };
    static const uint16_t span_code2[] = { 0x02a0, 0x8067, 0x0000 };
    extern char _end[];

    CHECK((uint64_t)_end <= DATA_PA);
    fmt.levels = levels;
    fmt.x4 = 0;
    root = pt_new_root(&fmt);

    sd64(DATA_PA + 0x100, 0xa11a5);
    for (uint64_t i = 0; i < 0x19; i++)
        sd64(PAGES_PA + i * PAGE_4K, 0x1000 + i);
    copy_bytes((void *)(PAGES_PA + 0x11000), nx_code, sizeof(nx_code));
    copy_bytes((void *)(PAGES_PA + 0x13000), u_code, (uint64_t)(u_code_end - u_code));
    sd64(PAGES_PA + 0x12000, 0x5000);
    sd64(PAGES_PA + 0x14000, 0x3030);
    sd64(PAGES_PA + 0x15000, 0x4040);
    copy_bytes((void *)(PAGES_PA + 0x1affc), span_code1, sizeof(span_code1));
    copy_bytes((void *)(PAGES_PA + 0x1b000), span_code2, sizeof(span_code2));
    __asm__ volatile("fence.i" ::: "memory");

    CHECK(pt_map(root, &fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_RWX | PTE_AD | PTE_G) == 0);
    CHECK(pt_map(root, &fmt, VA_GIG, 0x80000000ULL, 2, PTE_R | PTE_W | PTE_AD) == 0);
    if (levels == 4)
        CHECK(pt_map(root, &fmt, VA_TERA, 0, 3, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_MEG, DATA_PA, 1, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_MEG_BAD, DATA_PA + PAGE_4K, 1, PTE_R | PTE_W | PTE_AD) == 0);
    for (uint64_t i = 0; i < 4; i++)
        CHECK(pt_map(root, &fmt, VA_4K + i * PAGE_4K, PAGES_PA + i * PAGE_4K, 0,
                     PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_RO, PAGES_PA + 0x10000, 0, PTE_R | PTE_A) == 0);
    CHECK(pt_map(root, &fmt, VA_NX, PAGES_PA + 0x11000, 0, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_UPAGE, PAGES_PA + 0x12000, 0, PTE_U | PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_UCODE, PAGES_PA + 0x13000, 0, PTE_U | PTE_R | PTE_X | PTE_A) == 0);
    CHECK(pt_map(root, &fmt, VA_XONLY, PAGES_PA + 0x14000, 0, PTE_X | PTE_A) == 0);
    CHECK(pt_map(root, &fmt, VA_AD, PAGES_PA + 0x15000, 0, PTE_R | PTE_W) == 0);
    CHECK(pt_map(root, &fmt, VA_REMAP, PAGES_PA + 0x16000, 0, PTE_R | PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_WNR, PAGES_PA + 0x17000, 0, PTE_W | PTE_AD) == 0);
    CHECK(pt_map(root, &fmt, VA_PTR0, PAGES_PA + 0x17000, 0, 0) == 0);
    CHECK(pt_map(root, &fmt, VA_SPAN, PAGES_PA + 0x1a000, 0, PTE_R | PTE_X | PTE_A) == 0);
    CHECK(pt_map(root, &fmt, VA_RSVD, PAGES_PA + 0x17000, 0, PTE_R | PTE_W | PTE_AD | (1ULL << 54)) == 0);

    root2 = pt_new_root(&fmt);
    CHECK(pt_map(root2, &fmt, 0x80000000ULL, 0x80000000ULL, 2, PTE_RWX | PTE_AD | PTE_G) == 0);
    CHECK(pt_map(root2, &fmt, VA_REMAP, PAGES_PA + 0x18000, 0, PTE_R | PTE_W | PTE_AD) == 0);

    rt_s_hook = s_hook;
    csr_write(medeleg, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) |
                       (1 << CAUSE_STORE_PAGE_FAULT) | (1 << CAUSE_ECALL_U));
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    csr_write(satp, pt_satp(root, &fmt, 1));
    CHECK(csr_read(satp) == pt_satp(root, &fmt, 1));
    sfence_vma_all();

    /* M reads through S's translation with MPRV = 1 and MPP = S. */
    {
        uint64_t v, bits = MSTATUS_MPRV;

        csr_clear(mstatus, MSTATUS_MPP);
        csr_set(mstatus, MSTATUS_MPP_S);
        __asm__ volatile("csrs mstatus, %1\n"
                         "ld %0, 0(%2)\n"
                         "csrc mstatus, %1\n"
                         : "=&r"(v) : "r"(bits), "r"(VA_MEG + 0x100) : "memory");
        CHECK(v == 0xa11a5);
    }
    rt_m_to_s(s_main);
}
