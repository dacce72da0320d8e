/*
 * init.c: pid 1. Runs the workload the command line names (workload=NAME,
 * argv holds every command-line word), waits for it and exits with its
 * status; the kernel powers the domain off when init exits with 0 and
 * crashes it (after a message) otherwise. Orphans are reaped along the way.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    const char *name = args_str(argc, argv, "workload", "hello");
    char *child_argv[USER_MAX_ARGS + 1];
    int n = 0;

    child_argv[n++] = (char *)name;
    for (int i = 1; i < argc && n < USER_MAX_ARGS; i++)
        child_argv[n++] = argv[i];
    child_argv[n] = 0;

    long pid = fork();
    if (pid < 0) {
        printf("init: fork failed (%ld)\n", pid);
        return 1;
    }
    if (pid == 0) {
        long rc = exec(name, child_argv);
        printf("init: cannot run workload %s (%ld)\n", name, rc);
        exit(127);
    }
    for (;;) {
        int status;
        long got = wait(&status);
        if (got < 0)
            return 1;
        if (got == pid) {
            if (WIFSIGNALED(status)) {
                printf("init: %s killed by signal %d\n", name, WTERMSIG(status));
                return 128 + WTERMSIG(status);
            }
            printf("init: %s exited with %d\n", name, WEXITSTATUS(status));
            return WEXITSTATUS(status);
        }
    }
}
