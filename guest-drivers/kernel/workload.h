/*
 * workload.h: choosing what the kernel runs once booted. Built-in kernel
 * workloads (hello, panic, ticks) run in the kernel itself; any other name is
 * a user program started by init (issue 5's process layer).
 * Invariant: workload_run never returns: it ends in poweroff or a panic.
 */
#ifndef KERNEL_WORKLOAD_H
#define KERNEL_WORKLOAD_H

void workload_run(const char *name) __attribute__((noreturn));

/* Waits in the hypervisor (SCHEDOP_block) until an interrupt, then takes it. */
void cpu_idle(void);

#endif
