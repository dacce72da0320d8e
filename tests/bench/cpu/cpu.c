/*
 * cpu.c: the CPU benchmark program run by `make bench-cpu` on rvsim and on
 * QEMU. M maps RAM with one Sv39 gigapage, drops to S-mode with paging on
 * and runs bench_loop(): `bench_iters` iterations of exactly 20 integer
 * instructions (4 loads, 3 stores, ALU work, a pointer walking a 2 KiB
 * window so that every access is a TLB hit after the first one), then ends
 * the run through an ecall to M (tohost = 1).
 * bench_iters comes from iters_full.c or iters_zero.c, so the two ELFs are
 * the same program with a different count; the zero one measures start-up.
 */
#include "../../riscv/rt.h"
#include "../../riscv/vm.h"

extern const uint64_t bench_iters;
static uint64_t buffer[2048] __attribute__((aligned(4096)));
static volatile uint64_t sink;

/* 20 instructions per iteration; returns a checksum so nothing is dead. */
static uint64_t bench_loop(uint64_t *base, uint64_t iters)
{
    uint64_t sum = 0, off = 0;

    if (!iters)
        return 0;
    __asm__ volatile(
        "1: add   t3, %[base], %[off]\n"
        "   ld    t0, 0(t3)\n"
        "   ld    t1, 8(t3)\n"
        "   add   t2, t0, t1\n"
        "   xor   t2, t2, %[n]\n"
        "   sd    t2, 16(t3)\n"
        "   ld    t4, 24(t3)\n"
        "   slli  t5, t2, 3\n"
        "   srli  t6, t2, 7\n"
        "   or    t5, t5, t6\n"
        "   add   t4, t4, t5\n"
        "   sd    t4, 24(t3)\n"
        "   ld    t0, 32(t3)\n"
        "   sub   t0, t0, t1\n"
        "   add   %[sum], %[sum], t0\n"
        "   sd    t0, 48(t3)\n"
        "   addi  %[off], %[off], 64\n"
        "   andi  %[off], %[off], 0x7c0\n"   /* a 2 KiB window: 32 lines of 64 bytes */
        "   addi  %[n], %[n], -1\n"
        "   bnez  %[n], 1b\n"
        : [sum] "+r"(sum), [off] "+r"(off), [n] "+r"(iters)
        : [base] "r"(base)
        : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
    return sum;
}

static void s_main(void)
{
    sink = bench_loop(buffer, bench_iters);
    rt_sys_exit(0);
}

int main(void)
{
    static const struct pt_fmt sv39 = { 3, 0 };
    uint64_t *root = pt_new_root(&sv39);

    if (pt_map(root, &sv39, 0x80000000ULL, 0x80000000ULL, 2, PTE_RWX | PTE_AD | PTE_G))
        return 1;
    for (unsigned i = 0; i < 2048; i++)
        buffer[i] = i * 0x9e3779b97f4a7c15ULL;
    csr_write(stvec, (uint64_t)s_trap_entry);
    csr_write(sscratch, (uint64_t)__sstack_top);
    csr_write(satp, pt_satp(root, &sv39, 0));
    sfence_vma_all();
    rt_m_to_s(s_main);
}
