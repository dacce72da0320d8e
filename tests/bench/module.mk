# tests/bench/module.mk: `make bench-cpu`, the CPU benchmark (figures only,
# no timed assertions): the same riscv64 program on rvsim and, when
# installed, on qemu-system-riscv64; see docs/bench-cpu.md.
BENCH_CPU_SRCS := tests/riscv/start.S tests/riscv/rt.c tests/riscv/vm.c tests/bench/cpu/cpu.c
$(eval $(call guest-prog,bench-cpu,$(BENCH_CPU_SRCS) tests/bench/cpu/iters_full.c,tests/riscv/link.ld))
$(eval $(call guest-prog,bench-cpu-empty,$(BENCH_CPU_SRCS) tests/bench/cpu/iters_zero.c,tests/riscv/link.ld))

.PHONY: bench-cpu
bench-cpu: $(B)/bin/rvsim $(B)/guest/bench-cpu.elf $(B)/guest/bench-cpu-empty.elf
	@tests/bench/cpu/bench-cpu.sh $(B)
BENCHES += bench-cpu
