/*
 * randmem: TLB reach. Fills a size=S anonymous buffer, then makes iters=N
 * random 8-byte read-modify-writes over it (xorshift, seed=X), so nearly
 * every access misses a TLB of a few hundred entries while the page tables
 * stay unchanged. Checksum: a running combination of the values read.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    uint64_t size = args_u64(argc, argv, "size", 16 << 20);
    uint64_t iters = args_u64(argc, argv, "iters", 1000000);
    uint64_t seed = args_u64(argc, argv, "seed", 12345);
    uint64_t words = size / 8;
    struct umbra_stats before;

    printf("randmem: size=%lu iters=%lu seed=%lu\n", size, iters, seed);
    uint64_t *buf = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (IS_ERR(buf) || words == 0) {
        printf("randmem: mmap(%lu) failed (%ld)\n", size, (long)buf);
        return 1;
    }
    get_stats(&before);
    uint64_t t0 = time_ns();
    for (uint64_t i = 0; i < words; i++)
        buf[i] = i * 0x9E3779B97F4A7C15ULL;
    uint64_t t1 = time_ns();
    report("randmem: fill", words, "word", t1 - t0, &before);
    get_stats(&before);
    uint64_t s = seed ? seed : 1, acc = 0;
    t1 = time_ns();
    for (uint64_t it = 0; it < iters; it++) {
        uint64_t idx = rng_next(&s) % words;
        uint64_t v = buf[idx];
        buf[idx] = v + it;
        acc = acc * 31 + v;
    }
    uint64_t ns = time_ns() - t1;
    report("randmem", iters, "access", ns, &before);
    report_checksum("randmem", cksum_add(CKSUM_INIT, acc));
    return 0;
}
