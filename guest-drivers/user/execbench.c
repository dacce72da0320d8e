/*
 * execbench: fork plus exec of a small program (true), iters=N times.
 * Checksum: the exit statuses, which true takes from its code= argument.
 */
#include "guest/fmt.h"
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t iters = args_u64(argc, argv, "iters", 100);
    struct umbra_stats before;
    uint64_t sum = CKSUM_INIT;

    printf("execbench: iters=%lu\n", iters);
    get_stats(&before);
    uint64_t t0 = time_ns();
    for (uint64_t it = 0; it < iters; it++) {
        long pid = fork();
        if (pid < 0) {
            printf("execbench: fork failed (%ld)\n", pid);
            return 1;
        }
        if (pid == 0) {
            char code[24];
            fmt_snprintf(code, sizeof(code), "code=%lu", (it * 13) % 101);
            char *av[] = { "true", code, 0 };
            long rc = exec("true", av);
            printf("execbench: exec failed (%ld)\n", rc);
            exit(255);
        }
        int status;
        if (wait(&status) != pid)
            return 1;
        sum = cksum_add(sum, (uint64_t)status);
    }
    uint64_t ns = time_ns() - t0;
    report("execbench", iters, "fork+exec", ns, &before);
    report_checksum("execbench", sum);
    return 0;
}
