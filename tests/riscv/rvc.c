/*
 * rvc.c: compressed instructions (the C extension), in M-mode.
 *
 * Each RV64C instruction is written out as its c. mnemonic so the assembler
 * cannot pick the 32-bit form, and its result is compared with the value
 * the 32-bit equivalent gives: immediates and their sign extension,
 * register-pair forms, loads and stores (sp-relative too), jumps and
 * branches with their link values, a 32-bit instruction at an address that
 * is only 2-byte aligned, c.ebreak (cause 3, mepc at the 2-byte
 * instruction), and the all-zero parcel, which is illegal (cause 2).
 */
#include "rt.h"

static volatile uint64_t breaks, illegals, last_mtval, last_mepc;

static int m_hook(struct trapframe *tf, uint64_t cause)
{
    (void)tf;
    last_mepc = csr_read(mepc);
    last_mtval = csr_read(mtval);
    if (cause == CAUSE_BREAKPOINT)
        breaks++;
    else if (cause == CAUSE_ILLEGAL_INSN)
        illegals++;
    else
        return 0;
    csr_write(mepc, last_mepc + 2);
    return 1;
}

#define C1(insn, init) ({ uint64_t r_ = (init);                                  \
        __asm__ volatile(".option push\n.option rvc\n" insn "\n.option pop" : "+r"(r_)); r_; })
#define C2(insn, init, src) ({ uint64_t r_ = (init);                             \
        __asm__ volatile(".option push\n.option rvc\n" insn "\n.option pop"     \
                         : "+r"(r_) : "r"((uint64_t)(src))); r_; })

static void check_alu(void)
{
    register uint64_t s0 __asm__("s0");
    register uint64_t s1 __asm__("s1");

    CHECK(C1("c.li %0, -5", 0) == (uint64_t)-5);
    CHECK(C1("c.li %0, 31", 0) == 31);
    CHECK(C1("c.lui %0, 0x1f", 0) == 0x1f000);
    CHECK(C1("c.lui %0, 0xfffe0", 0) == 0xfffffffffffe0000ULL);
    CHECK(C1("c.addi %0, -32", 100) == 68);
    CHECK(C1("c.addiw %0, 1", 0x7fffffffULL) == 0xffffffff80000000ULL);
    CHECK(C1("c.addiw %0, 0", 0x1234567880000000ULL) == 0xffffffff80000000ULL);
    CHECK(C1("c.slli %0, 63", 1) == 0x8000000000000000ULL);

    /* The compressed-register forms need x8..x15: pin them. */
    s0 = 0x8000000000000010ULL;
    __asm__ volatile("c.srli %0, 4" : "+r"(s0));
    CHECK(s0 == 0x0800000000000001ULL);
    s0 = 0x8000000000000010ULL;
    __asm__ volatile("c.srai %0, 4" : "+r"(s0));
    CHECK(s0 == 0xf800000000000001ULL);
    s0 = 0xff;
    __asm__ volatile("c.andi %0, -16" : "+r"(s0));
    CHECK(s0 == 0xf0);
    s0 = 10; s1 = 3;
    __asm__ volatile("c.sub %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == 7);
    s0 = 0xf0f0; s1 = 0xff00;
    __asm__ volatile("c.xor %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == 0x0ff0);
    s0 = 0xf0f0; s1 = 0x0f00;
    __asm__ volatile("c.or %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == 0xfff0);
    s0 = 0xf0f0; s1 = 0xff00;
    __asm__ volatile("c.and %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == 0xf000);
    s0 = 0; s1 = 1;
    __asm__ volatile("c.subw %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == ~0ULL);
    s0 = 0x7fffffff; s1 = 1;
    __asm__ volatile("c.addw %0, %1" : "+r"(s0) : "r"(s1));
    CHECK(s0 == 0xffffffff80000000ULL);
    CHECK(C2("c.add %0, %1", 40, 2) == 42);
    CHECK(C2("c.mv %0, %1", 0, 0x1234) == 0x1234);
}

static uint64_t buf[8] __attribute__((aligned(16)));

static void check_mem(void)
{
    register uint64_t s0 __asm__("s0") = (uint64_t)buf;
    register uint64_t s1 __asm__("s1");
    uint64_t t;

    buf[1] = 0x1122334455667788ULL;
    buf[2] = 0x00000000fffffff0ULL;
    __asm__ volatile("c.ld %0, 8(%1)" : "=r"(s1) : "r"(s0) : "memory");
    CHECK(s1 == 0x1122334455667788ULL);
    __asm__ volatile("c.lw %0, 16(%1)" : "=r"(s1) : "r"(s0) : "memory");
    CHECK(s1 == 0xfffffffffffffff0ULL);
    s1 = 0xabcdef0123456789ULL;
    __asm__ volatile("c.sd %0, 24(%1)" :: "r"(s1), "r"(s0) : "memory");
    __asm__ volatile("c.sw %0, 32(%1)" :: "r"(s1), "r"(s0) : "memory");
    CHECK(buf[3] == 0xabcdef0123456789ULL);
    CHECK(buf[4] == 0x23456789ULL);

    /* sp-relative forms, with sp pointing at buf for the duration. */
    buf[5] = 0x5555aaaa5555aaaaULL;
    buf[6] = 0x80000001ULL;
    __asm__ volatile("mv t0, sp\n"
                     "mv sp, %1\n"
                     "c.ldsp %0, 40(sp)\n"
                     "c.sdsp %0, 56(sp)\n"
                     "c.lwsp %0, 48(sp)\n"
                     "c.swsp %0, 0(sp)\n"
                     "c.addi16sp sp, 32\n"
                     "c.addi4spn s1, sp, 8\n"
                     "sd s1, 8(%1)\n"
                     "mv sp, t0\n"
                     : "=&r"(t) : "r"(buf) : "t0", "s1", "memory");
    CHECK(buf[7] == 0x5555aaaa5555aaaaULL);
    CHECK(t == 0xffffffff80000001ULL);
    CHECK(buf[0] == 0x80000001ULL);
    CHECK(buf[1] == (uint64_t)buf + 40);
}

static void check_control(void)
{
    uint64_t r, link, target;

    /* c.j forward over a poison instruction. */
    r = 1;
    __asm__ volatile("c.j 1f\nc.li %0, 9\n1:" : "+r"(r));
    CHECK(r == 1);
    /* c.beqz / c.bnez, taken and not taken. */
    {
        register uint64_t s0 __asm__("s0") = 0;
        register uint64_t s1 __asm__("s1") = 3;

        r = 0;
        __asm__ volatile("c.beqz %1, 1f\nc.li %0, 9\n1: c.bnez %2, 2f\nc.li %0, 9\n2:"
                         "c.bnez %1, 3f\nc.addi %0, 1\n3: c.beqz %2, 4f\nc.addi %0, 2\n4:"
                         : "+r"(r) : "r"(s0), "r"(s1));
        CHECK(r == 3);
    }
    /* c.jalr links pc + 2; c.jr returns through it. */
    __asm__ volatile("la %1, 1f\n"
                     "c.jalr %1\n"
                     "2: j 3f\n"
                     "1: mv %0, ra\n"
                     "c.jr ra\n"
                     "3: la %1, 2b\n"
                     : "=&r"(link), "=&r"(target) :: "ra");
    CHECK(link == target);
    /* A 32-bit instruction at an address that is 2 mod 4, reached by a jump. */
    __asm__ volatile(".balign 4\n"
                     "c.nop\n"
                     "1: addi %0, zero, 77\n"
                     "la %1, 1b\n"
                     : "=r"(r), "=r"(target));
    CHECK(r == 77 && (target & 3) == 2);
}

static void check_traps(void)
{
    __asm__ volatile(".option push\n.option rvc\nc.ebreak\n.option pop");
    CHECK(breaks == 1);
    __asm__ volatile(".2byte 0x0000");
    CHECK(illegals == 1);
    CHECK(last_mtval == 0);
}

int main(void)
{
    rt_m_hook = m_hook;
    check_alu();
    check_mem();
    check_control();
    check_traps();
    return 0;
}
