/*
 * forkbench: process creation. iters=N times: fork; the child writes one
 * byte in each of touch=P pages of a mem=SIZE buffer the parent filled (COW
 * breaks under fork=cow), exits with a code derived from what it read; the
 * parent waits. Checksum: every exit status, in order.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t iters = args_u64(argc, argv, "iters", 200);
    uint64_t mem = args_u64(argc, argv, "mem", 256 << 10);
    uint64_t touch = args_u64(argc, argv, "touch", 4);
    uint64_t pages = mem / 4096;
    struct umbra_stats before;

    if (touch > pages)
        touch = pages;
    unsigned char *buf = sbrk((int64_t)mem);
    if (IS_ERR(buf)) {
        printf("forkbench: sbrk(%lu) failed\n", mem);
        return 1;
    }
    for (uint64_t i = 0; i < mem; i++)
        buf[i] = (unsigned char)(i * 31 + 7);
    printf("forkbench: iters=%lu mem=%lu touch=%lu\n", iters, mem, touch);
    get_stats(&before);
    uint64_t sum = CKSUM_INIT;
    uint64_t t0 = time_ns();
    for (uint64_t it = 0; it < iters; it++) {
        long pid = fork();
        if (pid < 0) {
            printf("forkbench: fork failed (%ld)\n", pid);
            return 1;
        }
        if (pid == 0) {
            unsigned acc = (unsigned)it;
            for (uint64_t p = 0; p < touch; p++) {
                unsigned char *b = buf + ((p * 7 + it) % pages) * 4096;
                acc += *b;
                *b = (unsigned char)acc;
            }
            exit((int)(acc & 0xff));
        }
        int status;
        if (wait(&status) != pid) {
            printf("forkbench: wait failed\n");
            return 1;
        }
        sum = cksum_add(sum, (uint64_t)status);
    }
    uint64_t ns = time_ns() - t0;
    report("forkbench", iters, "fork", ns, &before);
    report_checksum("forkbench", sum);
    return 0;
}
