# tests/bench/paging/module.mk: `make bench-paging`: the guest kernel's
# workloads under HAP (4 KiB and 2 MiB G-stage pages) and shadow paging on
# the real stack; see docs/bench-paging.md. (The shadow mode's synthetic
# page-table benchmark is `make bench-paging-synth`.)
BENCH_PAGING_SRCS := tests/bench/paging/main.c tests/bench/paging/run.c tests/bench/paging/report.c
$(eval $(call host-prog,bench-paging-guests,$(BENCH_PAGING_SRCS),xenlight umbraelf xenctrl xenstore hart,-lxml2))
.PHONY: bench-paging
bench-paging: $(B)/bin/bench-paging-guests $(B)/bin/xen $(B)/guest/kernel.elf
	@tests/bench/paging/run.sh $(B)
BENCHES += bench-paging
