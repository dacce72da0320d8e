/*
 * proc.h: processes, the scheduler and sleeping.
 *
 * One vCPU, a kernel that runs with interrupts off: a process runs in the
 * kernel until it returns to user mode, blocks or exits, so the process
 * table needs no locks. Every process has its own address space (mm), its
 * own 16 KiB kernel stack with its trapframe at the top, and file descriptors.
 * Invariants:
 *  - exactly one process is RUNNING while the kernel runs on its behalf, or
 *    none while the scheduler loop runs on the boot stack;
 *  - a ZOMBIE keeps its kernel stack until its parent reaps it (it may still
 *    be running on it when it becomes one); its mm is already gone;
 *  - pid 1 is init; when it exits the domain shuts down.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdint.h>

#include "trap.h"
#include "uvm.h"

#define NPROC 64
#define NOFILE 16
#define KSTACK_PAGES 4

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct context {
    uint64_t ra, sp, s[12];
};

struct file;

struct proc {
    enum proc_state state;
    int pid;
    struct proc *parent;
    int exit_status;
    char name[16];
    struct context ctx;
    uint64_t kstack;            /* base of KSTACK_PAGES frames */
    struct trapframe *tf;       /* at the top of kstack */
    struct mm mm;
    struct file *files[NOFILE];
    const void *chan;           /* what a SLEEPING process waits for */
    uint64_t wake_ns;           /* or 0: when a timed sleep ends */
};

extern struct proc *current;

/* Starts init running workload `name` and schedules until init exits; never returns. */
void proc_run_init(const char *name) __attribute__((noreturn));

/* Blocks the current process until wakeup(chan), or until guest time wake_ns (if not 0). */
void proc_sleep(const void *chan, uint64_t wake_ns);
void proc_wakeup(const void *chan);
/* Gives up the CPU; the current process stays runnable. */
void proc_yield(void);

/* Ends the current process with a wait status (POSIX encoding). */
void proc_exit(int status) __attribute__((noreturn));
/* Returns the child's pid, or -errno. The child returns 0 from the syscall. */
long proc_fork(void);
/* Reaps one exited child: its pid (and status to *status), or -ECHILD. */
long proc_wait(int *status);

/*
 * Replaces the current process's image with built-in program `name`, argv
 * in kernel memory. Returns argc (the new a0) or -errno (the old image intact).
 */
long proc_exec(const char *name, int argc, char *const argv[]);

/* Counts processes in each state (for SYS_stats and the deadlock check). */
int proc_count(enum proc_state state);

#endif
