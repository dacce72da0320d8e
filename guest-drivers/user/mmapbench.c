/*
 * mmapbench: address-space churn. iters=N times: mmap size=S of anonymous
 * memory, write one word in every page (each a demand-zero fault), read
 * them back, munmap. Checksum: the per-iteration sums.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t iters = args_u64(argc, argv, "iters", 200);
    uint64_t size = args_u64(argc, argv, "size", 256 << 10);
    uint64_t pages = (size + 4095) / 4096;
    struct umbra_stats before;
    uint64_t sum = CKSUM_INIT;

    printf("mmapbench: iters=%lu size=%lu\n", iters, size);
    get_stats(&before);
    uint64_t t0 = time_ns();
    for (uint64_t it = 0; it < iters; it++) {
        uint64_t *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (IS_ERR(p)) {
            printf("mmapbench: mmap failed (%ld)\n", (long)p);
            return 1;
        }
        for (uint64_t pg = 0; pg < pages; pg++)
            p[pg * 512] = it * 1000003 + pg;
        uint64_t s = 0;
        for (uint64_t pg = 0; pg < pages; pg++)
            s += p[pg * 512] ^ p[pg * 512 + 1];
        if (munmap(p, size)) {
            printf("mmapbench: munmap failed\n");
            return 1;
        }
        sum = cksum_add(sum, s);
    }
    uint64_t ns = time_ns() - t0;
    report("mmapbench", iters, "map", ns, &before);
    printf("mmapbench: %lu pages touched, %lu ns/page\n", iters * pages,
           iters * pages ? ns / (iters * pages) : 0);
    report_checksum("mmapbench", sum);
    return 0;
}
