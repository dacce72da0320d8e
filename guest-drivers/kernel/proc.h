/*
 * proc.h: processes (issue 5). For now only the entry point init uses.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

/* Starts init running workload `name` and schedules until init exits; never returns. */
void proc_run_init(const char *name) __attribute__((noreturn));

#endif
