/*
 * trap.h: the trap frame and the kernel's trap entry points.
 *
 * entry.S saves every integer register into a trapframe on the kernel stack
 * (for a trap from user mode: at the top of the process's kernel stack, whose
 * address sscratch holds while user code runs; sscratch is 0 in the kernel).
 * trap_return restores a frame and executes sret.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

struct trapframe {
    uint64_t regs[32];      /* x0..x31; regs[0] unused, regs[2] is the trapped sp */
    uint64_t sepc;
    uint64_t sstatus;
    uint64_t scause;
    uint64_t stval;
};
#define TF_SIZE 288

#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define REG_A3 13
#define REG_A4 14
#define REG_A5 15
#define REG_A7 17

void trap_init(void);
void trap_handler(struct trapframe *tf);
/* entry.S: restores tf (which must sit on the current kernel stack) and srets. */
void trap_return(struct trapframe *tf) __attribute__((noreturn));

/* Optional hooks the process layer installs (NULL until then). */
struct trap_hooks {
    void (*syscall)(struct trapframe *tf);
    /* A user page fault: returns 0 when resolved, else the process dies. */
    int (*user_fault)(struct trapframe *tf, uint64_t addr, int access);
    /* A user trap the kernel cannot resolve: kills the current process. */
    void (*user_kill)(struct trapframe *tf, int sig);
    /* Called before returning to user mode (rescheduling point). */
    void (*user_return)(struct trapframe *tf);
};
extern struct trap_hooks trap_hooks;

#define ACCESS_READ  1
#define ACCESS_WRITE 2
#define ACCESS_EXEC  4

#endif
