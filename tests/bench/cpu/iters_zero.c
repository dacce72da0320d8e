/* iters_zero.c: no iterations: the same program, to time start-up alone. */
#include <stdint.h>

extern const uint64_t bench_iters;
const uint64_t bench_iters = 0;
