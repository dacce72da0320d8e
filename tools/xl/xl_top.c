/*
 * xl_top.c: `xl top`, which runs xentop, as Xen's xl does. xentop is looked
 * for next to xl (the same bin directory), then on $PATH.
 * Invariant: on success this does not return (xentop replaces xl).
 */
#include "xl.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main_top(int argc, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (argc > 1) {
        fprintf(stderr, "Usage: xl top\n");
        return EXIT_FAILURE;
    }
    (void)argv;
    if (n > 0) {
        self[n] = '\0';
        snprintf(path, sizeof(path), "%s/xentop", dirname(self));
        execl(path, "xentop", (char *)NULL);
    }
    execlp("xentop", "xentop", (char *)NULL);
    fprintf(stderr, "xl: top: cannot run xentop: %s\n", strerror(errno));
    return EXIT_FAILURE;
}
