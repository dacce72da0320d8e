/*
 * guest_run.h: shared by the integration/guest suites: boot the PV guest
 * kernel with a workload on the private stack (xl_stack.h), wait for it to
 * end, and check what it printed and how it ended.
 * Invariant: every domain a helper creates is destroyed before it returns.
 */
#ifndef GUEST_RUN_H
#define GUEST_RUN_H

struct guest_result {
    int xl_status;      /* exit status of `xl create -c` (124: timed out) */
    char *console;      /* everything the guest printed (malloc'd) */
    char state[8];      /* `xl list` state letters after it ended, "" if unknown */
};

/*
 * Boots examples/<example>.xml as domain `name` with `xl create -c`, adding
 * `extra` overrides (e.g. "hap=off") and the command line `cmdline`, and
 * keeps the ended domain until its state is read. Gives up after 300 s.
 */
void guest_boot(const char *example, const char *name, const char *extra,
                const char *cmdline, struct guest_result *r);
void guest_result_free(struct guest_result *r);

/* CUnit checks: a clean poweroff, no panic, and (if not NULL) this line in the output. */
void guest_expect_clean(const struct guest_result *r, const char *line);

#endif
