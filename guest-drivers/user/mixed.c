/*
 * mixed: phases of different behaviour, for adaptive-mode work. phases=N
 * phases of phase_ms=T ms of guest time each cycle through compute, randmem
 * (size=S), mmap churn and fork churn; each phase repeats its unit until its
 * time is up and prints how many units it ran and the time per unit.
 * Checksum: each phase's kind and its first unit's result, so it does not
 * depend on how fast the machine is.
 */
#include "guest/ulib.h"

enum { PH_COMPUTE, PH_RANDMEM, PH_MMAP, PH_FORK, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "compute", "randmem", "mmap", "fork" };

static uint64_t unit_compute(void)
{
    uint64_t t[64];

    for (unsigned j = 0; j < 64; j++)
        t[j] = j + 1;
    for (unsigned it = 0; it < 200; it++)
        for (unsigned j = 0; j < 64; j++)
            t[j] = t[j] * 6364136223846793005ULL + t[(j + 1) & 63] + it;
    uint64_t s = CKSUM_INIT;
    for (unsigned j = 0; j < 64; j++)
        s = cksum_add(s, t[j]);
    return s;
}

/* buf has words entries, re-initialised by the caller for the first unit. */
static uint64_t unit_randmem(uint64_t *buf, uint64_t words)
{
    uint64_t s = 42, acc = 0;

    for (unsigned it = 0; it < 20000; it++) {
        uint64_t idx = rng_next(&s) % words;
        acc = acc * 31 + buf[idx];
        buf[idx] += it;
    }
    return acc;
}

static uint64_t unit_mmap(void)
{
    uint64_t size = 64 << 10, s = 0;
    uint64_t *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

    if (IS_ERR(p))
        return 0;
    for (uint64_t pg = 0; pg < size / 4096; pg++)
        p[pg * 512] = pg * 7;
    for (uint64_t pg = 0; pg < size / 4096; pg++)
        s += p[pg * 512];
    munmap(p, size);
    return s;
}

static uint64_t unit_fork(void)
{
    long pid = fork();

    if (pid == 0)
        exit(7);
    int status = 0;
    if (pid < 0 || wait(&status) != pid)
        return 0;
    return (uint64_t)status;
}

int main(int argc, char **argv)
{
    uint64_t phases = args_u64(argc, argv, "phases", 8);
    uint64_t phase_ns = args_u64(argc, argv, "phase_ms", 300) * 1000000;
    uint64_t size = args_u64(argc, argv, "size", 8 << 20);
    uint64_t words = size / 8;
    uint64_t sum = CKSUM_INIT;

    printf("mixed: phases=%lu phase_ms=%lu size=%lu\n", phases, phase_ns / 1000000, size);
    uint64_t *buf = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (IS_ERR(buf) || words == 0) {
        printf("mixed: mmap failed\n");
        return 1;
    }
    for (uint64_t ph = 0; ph < phases; ph++) {
        int kind = (int)(ph % NR_KINDS);
        struct umbra_stats before;
        if (kind == PH_RANDMEM)
            for (uint64_t i = 0; i < words; i++)
                buf[i] = i;
        get_stats(&before);
        uint64_t t0 = time_ns(), units = 0, first = 0;
        do {
            uint64_t r = kind == PH_COMPUTE ? unit_compute()
                       : kind == PH_RANDMEM ? unit_randmem(buf, words)
                       : kind == PH_MMAP ? unit_mmap() : unit_fork();
            if (units++ == 0)
                first = r;
        } while (time_ns() - t0 < phase_ns);
        uint64_t ns = time_ns() - t0;
        printf("mixed: phase %lu (%s): ", ph, kind_name[kind]);
        report(kind_name[kind], units, "unit", ns, &before);
        sum = cksum_add(cksum_add(sum, (uint64_t)kind), first);
    }
    report_checksum("mixed", sum);
    return 0;
}
