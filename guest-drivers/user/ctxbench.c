/*
 * ctxbench: context switches. Two processes pass a token back and forth over
 * two pipes iters=N times; each hop is a blocking read, so every round trip
 * is two switches between address spaces. Checksum: the tokens seen.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t iters = args_u64(argc, argv, "iters", 1000);
    int to_child[2], to_parent[2];
    struct umbra_stats before;

    if (pipe(to_child) || pipe(to_parent)) {
        printf("ctxbench: pipe failed\n");
        return 1;
    }
    printf("ctxbench: iters=%lu\n", iters);
    long pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        uint64_t tok;
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &tok, sizeof(tok)) == sizeof(tok)) {
            tok = tok * 3 + 1;
            if (write(to_parent[1], &tok, sizeof(tok)) != sizeof(tok))
                exit(1);
        }
        exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    get_stats(&before);
    uint64_t sum = CKSUM_INIT, tok = 1;
    uint64_t t0 = time_ns();
    for (uint64_t it = 0; it < iters; it++) {
        tok = (tok & 0xffffffff) + it;
        if (write(to_child[1], &tok, sizeof(tok)) != sizeof(tok) ||
            read(to_parent[0], &tok, sizeof(tok)) != sizeof(tok)) {
            printf("ctxbench: pipe transfer failed\n");
            return 1;
        }
        sum = cksum_add(sum, tok);
    }
    uint64_t ns = time_ns() - t0;
    close(to_child[1]);
    int status;
    wait(&status);
    report("ctxbench", iters, "round trip", ns, &before);
    printf("ctxbench: %lu ns per switch\n", iters ? ns / (2 * iters) : 0);
    report_checksum("ctxbench", sum ^ (uint64_t)status);
    return 0;
}
