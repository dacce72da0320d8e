/* iters_full.c: the benchmark's iteration count (20 instructions each). */
#include <stdint.h>

extern const uint64_t bench_iters;
const uint64_t bench_iters = 100000000;
