/*
 * compute: CPU-bound integer work on a 2 KiB working set: iters=N rounds of
 * multiply-xorshift mixing over a 256-word table. Checksum: the table.
 */
#include "guest/ulib.h"

uint64_t compute_rounds(uint64_t *t, uint64_t iters);

uint64_t compute_rounds(uint64_t *t, uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++)
        for (unsigned j = 0; j < 256; j++) {
            uint64_t x = t[j] * 6364136223846793005ULL + t[(j + 1) & 255];
            t[j] = x ^ (x >> 29) ^ it;
        }
    uint64_t sum = CKSUM_INIT;
    for (unsigned j = 0; j < 256; j++)
        sum = cksum_add(sum, t[j]);
    return sum;
}

int main(int argc, char **argv)
{
    uint64_t iters = args_u64(argc, argv, "iters", 2000);
    uint64_t t[256];
    struct umbra_stats before;

    printf("compute: iters=%lu\n", iters);
    for (unsigned j = 0; j < 256; j++)
        t[j] = j * 2654435761ULL + 1;
    get_stats(&before);
    uint64_t t0 = time_ns();
    uint64_t sum = compute_rounds(t, iters);
    uint64_t ns = time_ns() - t0;
    report("compute", iters * 256, "op", ns, &before);
    report_checksum("compute", sum);
    return 0;
}
