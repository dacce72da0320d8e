/*
 * proc_stub.c: until the process layer exists, user workloads are unknown.
 */
#include "kernel.h"
#include "proc.h"

void proc_run_init(const char *name)
{
    panic("workload=%s: no such workload", name);
}
