/*
 * ptedit_main.c: the page-table-edit guest: interprets a script of loads,
 * stores (plain, compressed, 32-bit, AMO), fences, satp writes and jumps
 * (ptedit.h) and reports what it observes to the host. The host runs the same
 * script under shadow paging and under HAP and compares the reports.
 * Each access sits in its own asm statement with fixed registers, so the trap
 * handler can skip it and the result register keeps a known sentinel.
 */
#include "ptedit.h"

#define SENTINEL 0x5E5E5E5E5E5E5E5EUL

static void ecall2(unsigned long nr, unsigned long a0, unsigned long a1)
{
    register unsigned long r_a7 __asm__("a7") = nr;
    register unsigned long r_a0 __asm__("a0") = a0;
    register unsigned long r_a1 __asm__("a1") = a1;

    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a7) : "memory");
}

static void report(unsigned long v)
{
    ecall2(PT_ECALL_LOG, v, 0);
}

static unsigned long do_load(unsigned long va)
{
    register unsigned long val __asm__("t1") = SENTINEL;
    register unsigned long addr __asm__("t2") = va;

    __asm__ volatile(".option push\n.option norvc\nld t1, 0(t2)\n.option pop"
                     : "+r"(val) : "r"(addr) : "memory");
    return val;
}

static void do_store(unsigned long va, unsigned long v)
{
    register unsigned long val __asm__("t1") = v;
    register unsigned long addr __asm__("t2") = va;

    __asm__ volatile(".option push\n.option norvc\nsd t1, 0(t2)\n.option pop"
                     : : "r"(val), "r"(addr) : "memory");
}

static void do_store_c(unsigned long va, unsigned long v)
{
    register unsigned long val __asm__("a5") = v;
    register unsigned long addr __asm__("a4") = va;

    __asm__ volatile(".option push\n.option rvc\nc.sd a5, 0(a4)\n.option pop"
                     : : "r"(val), "r"(addr) : "memory");
}

static void do_store_w(unsigned long va, unsigned long v)
{
    register unsigned long val __asm__("t1") = v;
    register unsigned long addr __asm__("t2") = va;

    __asm__ volatile(".option push\n.option norvc\nsw t1, 0(t2)\n.option pop"
                     : : "r"(val), "r"(addr) : "memory");
}

static unsigned long do_amoor(unsigned long va, unsigned long v)
{
    register unsigned long old __asm__("t0") = SENTINEL;
    register unsigned long val __asm__("t1") = v;
    register unsigned long addr __asm__("t2") = va;

    __asm__ volatile("amoor.d t0, t1, (t2)" : "+r"(old) : "r"(val), "r"(addr) : "memory");
    return old;
}

static void do_sfence(unsigned long va, unsigned long asid)
{
    if (va == ~0UL && asid == ~0UL)
        __asm__ volatile("sfence.vma" ::: "memory");
    else if (va == ~0UL)
        __asm__ volatile("sfence.vma zero, %0" : : "r"(asid) : "memory");
    else if (asid == ~0UL)
        __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
    else
        __asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"(asid) : "memory");
}

static void do_exec(unsigned long va)
{
    register unsigned long target __asm__("t2") = va;

    __asm__ volatile("jalr ra, 0(t2)" : : "r"(target) : "ra", "memory");
}

void ptedit_main(const struct pt_op *op)
{
    for (;; op++) {
        switch (op->op) {
        case PT_OP_LOAD:
            report(do_load(op->a));
            break;
        case PT_OP_STORE:
            do_store(op->a, op->b);
            break;
        case PT_OP_STORE_C:
            do_store_c(op->a, op->b);
            break;
        case PT_OP_STORE_W:
            do_store_w(op->a, op->b);
            break;
        case PT_OP_AMOOR:
            report(do_amoor(op->a, op->b));
            break;
        case PT_OP_SFENCE:
            do_sfence(op->a, op->b);
            break;
        case PT_OP_SATP:
            __asm__ volatile("csrw satp, %0" : : "r"(op->a) : "memory");
            break;
        case PT_OP_READ_SATP: {
            unsigned long v;

            __asm__ volatile("csrr %0, satp" : "=r"(v));
            report(v);
            break;
        }
        case PT_OP_EXEC:
            do_exec(op->a);
            break;
        case PT_OP_TOUCH: {
            unsigned long sum = 0;

            for (unsigned long i = 0; i < op->b; i++)
                sum += do_load(op->a + (i << 12));
            (void)sum;
            break;
        }
        case PT_OP_SUM:
            if (op->a)
                __asm__ volatile("csrs sstatus, %0" : : "r"(1UL << 18));
            else
                __asm__ volatile("csrc sstatus, %0" : : "r"(1UL << 18));
            break;
        default:
            ecall2(PT_ECALL_END, 0, 0);
            for (;;)
                ;
        }
    }
}
