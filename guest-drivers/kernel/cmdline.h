/*
 * cmdline.h: the kernel command line, split into words, and the options the
 * kernel itself reads from it. Every word (kernel options included) is also
 * handed to the workload as its argv, so programs see `key=value` pairs.
 *
 * Kernel options:
 *   workload=NAME        what init runs (default hello)
 *   paging=sv39|sv48     the guest's page-table format (default sv39)
 *   fork=cow|copy        how fork duplicates memory (default cow)
 *   quantum=T            the scheduling quantum, T in ns, or with us/ms/s (default 10ms)
 *   hugepages=on|off     2 MiB pages for large anonymous mappings (default off)
 *   verbose=on|off       log process events (default off)
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

#define CMDLINE_MAX_WORDS 32

struct kernel_options {
    const char *workload;
    unsigned paging_levels;     /* 3 or 4 */
    bool fork_cow;
    uint64_t quantum_ns;
    bool hugepages;
    bool verbose;
};

extern struct kernel_options kopts;
extern int cmdline_argc;
extern char *cmdline_argv[CMDLINE_MAX_WORDS];
extern char cmdline_text[];     /* the original line, for the banner */

/* Copies and splits the line, then fills kopts. Bad values panic with the option's name. */
void cmdline_parse(const char *line);

#endif
