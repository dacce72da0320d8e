/*
 * guest_cases.h: the workloads the integration/guest suites boot, at small
 * sizes, with the checksum each must print. The checksums do not depend on
 * the paging mode, the fork mode, page sizes or the machine's speed (mixed
 * hashes only its first unit per phase), so every suite expects the same.
 * X(test_name, example, command line, expected output line)
 */
#define GUEST_CASES(X)                                                                   \
    X(hello, "hello", "workload=hello", "hello: done")                                  \
    X(forkbench, "forkbench", "workload=forkbench iters=20",                             \
      "forkbench: checksum=0xa89fe46b72269425")                                          \
    X(forkbench_copy, "forkbench", "workload=forkbench iters=20 fork=copy",              \
      "forkbench: checksum=0xa89fe46b72269425")                                          \
    X(execbench, "execbench", "workload=execbench iters=20",                             \
      "execbench: checksum=0x1e6ac8a625ebee75")                                          \
    X(mmapbench, "mmapbench", "workload=mmapbench iters=50",                             \
      "mmapbench: checksum=0x4bb8ebf996b4f08f")                                          \
    X(ctxbench, "ctxbench", "workload=ctxbench iters=200",                               \
      "ctxbench: checksum=0x58fe1bae9a812099")                                           \
    X(randmem, "randmem", "workload=randmem size=4M iters=100000",                       \
      "randmem: checksum=0x728ec576898901db")                                            \
    X(randmem_huge, "randmem", "workload=randmem size=4M iters=100000 hugepages=on",     \
      "randmem: checksum=0x728ec576898901db")                                            \
    X(seqmem, "seqmem", "workload=seqmem size=4M passes=2",                              \
      "seqmem: checksum=0x01b1425a1e720ebb")                                             \
    X(compute, "compute", "workload=compute iters=200",                                  \
      "compute: checksum=0xfd8f60cec6e93f41")                                            \
    X(mixed, "mixed", "workload=mixed phases=4 phase_ms=50 size=2M",                     \
      "mixed: checksum=0x02b4fe0dc4075e93")                                              \
    X(selftest, "selftest", "workload=selftest", "selftest: 17 passed, 0 failed")        \
    X(selftest_sv48_copy_huge, "selftest",                                               \
      "workload=selftest paging=sv48 fork=copy hugepages=on quantum=1ms",                \
      "selftest: 17 passed, 0 failed")
