/*
 * xl_stack.h: shared by the integration/xl suites: a private stack (the
 * hypervisor, and xenstored when built) brought up with tools/hotplug/
 * xencommons in a temporary run directory, and `xl` run against it.
 * Invariant: while a suite runs, XEN_RUN_DIR/XENSTORED_PATH point at its
 * private stack; its cleanup stops the stack and restores the environment.
 */
#ifndef XL_STACK_H
#define XL_STACK_H

#include <stdbool.h>

/* Are xen, xl and the guest kernel built? Also finds the source tree (xl_src).
 * Says once, naming `tag`, when they are not. */
bool xl_stack_built(const char *tag);

/* Bring the stack up. 0 on success; 1 when it cannot run here (not built:
 * the suite's tests then pass vacuously, saying why once); -1 on failure. */
int xl_stack_up(const char *tag);
void xl_stack_down(void);
bool xl_stack_ready(void);

/* Run `xl ARGS` (a shell fragment) against the stack; output in *out. */
int xl_run(const char *args, char **out);

/* The source tree (parent of $UMBRA_BUILD) and the run dir. */
const char *xl_src(void);
const char *xl_rundir(void);

/* `xl info FIELD` as a number, or -1. */
long xl_info_num(const char *field);

/* Wait up to timeout_ms until `xl list NAME` fails (the domain is gone). 0 or -1. */
int xl_wait_gone(const char *name, int timeout_ms);

/* Number of rows (domains) `xl list` prints, or -1. */
int xl_list_count(void);

#endif
