/*
 * cmdline.c: splitting the command line and reading the kernel's options
 * (see cmdline.h).
 * Invariant: cmdline_argv points into cmdline_words, a private copy, so the
 * start_info page may be reused once parsing is done.
 */
#include "guest/args.h"
#include "cmdline.h"
#include "kernel.h"
#include "public/xen.h"

struct kernel_options kopts;
int cmdline_argc;
char *cmdline_argv[CMDLINE_MAX_WORDS];
char cmdline_text[MAX_GUEST_CMDLINE];
static char cmdline_words[MAX_GUEST_CMDLINE];

/* Parses "N", "Nns", "Nus", "Nms" or "Ns" into ns. */
static bool parse_duration(const char *s, uint64_t *ns)
{
    uint64_t v = 0;
    int digits = 0;

    for (; *s >= '0' && *s <= '9'; s++, digits++)
        v = v * 10 + (uint64_t)(*s - '0');
    if (!digits)
        return false;
    if (*s == '\0' || !strcmp(s, "ns"))
        *ns = v;
    else if (!strcmp(s, "us"))
        *ns = v * 1000;
    else if (!strcmp(s, "ms"))
        *ns = v * 1000000;
    else if (!strcmp(s, "s"))
        *ns = v * 1000000000;
    else
        return false;
    return true;
}

static void split(void)
{
    char *p = cmdline_words;

    cmdline_argc = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        if (cmdline_argc == CMDLINE_MAX_WORDS)
            panic("cmdline: more than %d words", CMDLINE_MAX_WORDS);
        cmdline_argv[cmdline_argc++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
}

void cmdline_parse(const char *line)
{
    strlcpy(cmdline_text, line, sizeof(cmdline_text));
    strlcpy(cmdline_words, line, sizeof(cmdline_words));
    split();

    int argc = cmdline_argc;
    char *const *argv = cmdline_argv;
    kopts.workload = args_str(argc, argv, "workload", "hello");

    const char *paging = args_str(argc, argv, "paging", "sv39");
    if (!strcmp(paging, "sv39"))
        kopts.paging_levels = 3;
    else if (!strcmp(paging, "sv48"))
        kopts.paging_levels = 4;
    else
        panic("cmdline: paging=%s: expected sv39 or sv48", paging);

    const char *fork = args_str(argc, argv, "fork", "cow");
    if (!strcmp(fork, "cow"))
        kopts.fork_cow = true;
    else if (!strcmp(fork, "copy"))
        kopts.fork_cow = false;
    else
        panic("cmdline: fork=%s: expected cow or copy", fork);

    const char *quantum = args_str(argc, argv, "quantum", "10ms");
    if (!parse_duration(quantum, &kopts.quantum_ns) || kopts.quantum_ns < 10000)
        panic("cmdline: quantum=%s: expected a duration of at least 10us", quantum);

    kopts.hugepages = args_bool(argc, argv, "hugepages", false);
    kopts.verbose = args_bool(argc, argv, "verbose", false);
}
