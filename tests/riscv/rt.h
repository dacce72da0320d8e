/*
 * rt.h: the small runtime of the bare-metal riscv64 test programs.
 *
 * Conventions (every program in tests/riscv follows them):
 *  - main() runs in M-mode and returns 0 to pass; a non-zero value v fails
 *    with HTIF code v (tohost = v << 1 | 1). CHECK() fails with the source
 *    line as the code, so "rvsim: FAIL ... (test N)" names line N.
 *  - Any mode ends the run with an ecall carrying a7 = RT_SYS_EXIT and
 *    a0 = code: S and HS forward what U and VS send, M writes tohost.
 *  - Each mode may install one trap hook; a hook returns 1 when it handled
 *    the trap (it then sets xepc itself), 0 to get the default: exit on
 *    RT_SYS_EXIT ecalls, fail on anything else.
 * Invariant: only M-mode code touches tohost/fromhost, except rt_putc()
 * which any mode may call while tohost is identity-mapped for it.
 * The cause, status and PTE numbers here (and in vm.h) are restated from the
 * privileged spec on purpose rather than taken from xen/arch/riscv's csr.h
 * and pte.h: these programs check the hart, so a wrong constant in the
 * hart's headers must not be able to make them agree with it.
 */
#ifndef TESTS_RISCV_RT_H
#define TESTS_RISCV_RT_H

#include <stdint.h>

#define RT_SYS_EXIT      93   /* a0 = code */
#define RT_SYS_BADTRAP   94   /* a0 = cause, a1 = epc, a2 = tval, a3 = mode tag */
#define RT_SYS_FAIL      95   /* a0 = code (a source line), a1 = message (identity-mapped) */

/* Causes (privileged spec 1.12 + H). */
#define CAUSE_MISALIGNED_FETCH   0
#define CAUSE_FETCH_ACCESS       1
#define CAUSE_ILLEGAL_INSN       2
#define CAUSE_BREAKPOINT         3
#define CAUSE_MISALIGNED_LOAD    4
#define CAUSE_LOAD_ACCESS        5
#define CAUSE_MISALIGNED_STORE   6
#define CAUSE_STORE_ACCESS       7
#define CAUSE_ECALL_U            8
#define CAUSE_ECALL_S            9
#define CAUSE_ECALL_VS          10
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15
#define CAUSE_FETCH_GUEST_PF    20
#define CAUSE_LOAD_GUEST_PF     21
#define CAUSE_VIRTUAL_INSN      22
#define CAUSE_STORE_GUEST_PF    23
#define CAUSE_IRQ               (1ULL << 63)
#define IRQ_S_SOFT               1
#define IRQ_VS_SOFT              2
#define IRQ_M_SOFT               3
#define IRQ_S_TIMER              5
#define IRQ_VS_TIMER             6
#define IRQ_M_TIMER              7

/* mstatus / sstatus / hstatus bits. */
#define MSTATUS_SIE   (1ULL << 1)
#define MSTATUS_MIE   (1ULL << 3)
#define MSTATUS_SPIE  (1ULL << 5)
#define MSTATUS_MPIE  (1ULL << 7)
#define MSTATUS_SPP   (1ULL << 8)
#define MSTATUS_MPP   (3ULL << 11)
#define MSTATUS_MPP_S (1ULL << 11)
#define MSTATUS_MPRV  (1ULL << 17)
#define MSTATUS_SUM   (1ULL << 18)
#define MSTATUS_MXR   (1ULL << 19)
#define MSTATUS_GVA   (1ULL << 38)
#define MSTATUS_MPV   (1ULL << 39)
#define HSTATUS_GVA   (1ULL << 6)
#define HSTATUS_SPV   (1ULL << 7)
#define HSTATUS_SPVP  (1ULL << 8)
#define HSTATUS_VTVM  (1ULL << 20)

#define MIP_SSIP (1ULL << IRQ_S_SOFT)
#define MIP_STIP (1ULL << IRQ_S_TIMER)
#define MIP_MTIP (1ULL << IRQ_M_TIMER)

/* Spike's CLINT. */
#define CLINT_MTIMECMP ((volatile uint64_t *)0x02004000UL)
#define CLINT_MTIME    ((volatile uint64_t *)0x0200BFF8UL)

#define STR_(x) #x
#define STR(x) STR_(x)
#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " STR(csr) : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " STR(csr) ", %0" :: "r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " STR(csr) ", %0" :: "r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " STR(csr) ", %0" :: "r"((uint64_t)(v)) : "memory")
#define csr_swap(csr, v) ({ uint64_t v_; __asm__ volatile("csrrw %0, " STR(csr) ", %1" \
                            : "=r"(v_) : "r"((uint64_t)(v)) : "memory"); v_; })

/* Fences LLVM 14 cannot spell: the encodings with rs1 = rs2 = x0. */
#define sfence_vma_all() __asm__ volatile("sfence.vma" ::: "memory")
#define hfence_gvma_all() __asm__ volatile(".word 0x62000073" ::: "memory")
#define hfence_vvma_all() __asm__ volatile(".word 0x22000073" ::: "memory")

/* The registers a trap entry saved; x[0] is unused, x[2] is the interrupted sp. */
struct trapframe {
    uint64_t x[32];
};

/* A trap hook: return 1 when handled (xepc already set), 0 for the default. */
typedef int (*rt_trap_hook)(struct trapframe *tf, uint64_t cause);
extern rt_trap_hook rt_m_hook, rt_s_hook, rt_vs_hook;

/* Trap entries from start.S, for mtvec/stvec/vstvec. */
void m_trap_entry(void);
void s_trap_entry(void);
void vs_trap_entry(void);
/* mtvec's vectored table (start.S) and the count of entries through its MSI/MTI slots. */
void m_vector_table(void);
extern volatile uint64_t rt_vectored_entries;
extern char __stack_top[], __mstack_top[], __sstack_top[], __vsstack_top[];
extern volatile uint64_t tohost, fromhost;

/* M-mode only: report `code` (0 = pass) through tohost and stop. */
__attribute__((noreturn)) void rt_exit(uint64_t code);
/* Any mode: end the run through ecall (see the conventions above). */
__attribute__((noreturn)) void rt_sys_exit(uint64_t code);
/* Console output through HTIF (device 1, command 1). */
void rt_putc(char c);
void rt_puts(const char *s);
void rt_puthex(uint64_t v);

/*
 * Fail with `code` and a message: M-mode code (main, M handlers) prints it and
 * writes tohost; other modes ecall and M prints it. The message must be
 * readable at the same address physically (identity-mapped .rodata).
 */
__attribute__((noreturn)) void rt_fail(uint64_t code, const char *msg);
/* Nesting depth of M-mode trap handlers: non-zero while one runs. */
extern volatile int rt_m_depth;
/* Set by main() once it left M-mode for good (rt_m_to_s). */
extern volatile int rt_left_m;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond))                                                             \
            rt_fail(__LINE__, __FILE__ ":" STR(__LINE__) ": CHECK(" #cond ") failed\n"); \
    } while (0)

/*
 * Mode changes. rt_m_to_s(): from M, run fn in S-mode (V = 0) on the same
 * stack with interrupts of S masked (SPIE clear). rt_s_to_u(): from S, run fn
 * in U-mode. Neither returns; fn must end the run or trap back.
 */
__attribute__((noreturn)) void rt_m_to_s(void (*fn)(void));
__attribute__((noreturn)) void rt_s_to_u(void (*fn)(void));

/* Advance xepc past the (2- or 4-byte) instruction at epc. */
uint64_t rt_next_pc(uint64_t epc);

#endif
