/*
 * seqmem: a sequential scan. passes=P times over a size=S anonymous
 * buffer, each word read and rewritten with a running sum (the first pass
 * also demand-faults every page). Checksum: the sum after each pass.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t size = args_u64(argc, argv, "size", 16 << 20);
    uint64_t passes = args_u64(argc, argv, "passes", 4);
    uint64_t words = size / 8;
    struct umbra_stats before;
    uint64_t sum = CKSUM_INIT, s = 0;

    printf("seqmem: size=%lu passes=%lu\n", size, passes);
    uint64_t *buf = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (IS_ERR(buf) || words == 0) {
        printf("seqmem: mmap(%lu) failed (%ld)\n", size, (long)buf);
        return 1;
    }
    get_stats(&before);
    uint64_t t0 = time_ns();
    for (uint64_t p = 0; p < passes; p++) {
        for (uint64_t i = 0; i < words; i++) {
            s += buf[i] + i;
            buf[i] = s;
        }
        sum = cksum_add(sum, s);
    }
    uint64_t ns = time_ns() - t0;
    report("seqmem", passes * words, "word", ns, &before);
    report_checksum("seqmem", sum);
    return 0;
}
