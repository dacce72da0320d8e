# tests/xen/mm/shadow/bench/module.mk: `make bench-paging-synth`: synthetic
# workloads under shadow, HAP (4 KiB p2m) and HAP (2 MiB p2m); figures only;
# see docs/bench-paging-synth.md.
# (`make bench-paging`, tests/bench/paging, runs the guest kernel's workloads.)
$(eval $(call host-prog,bench-paging-synth,tests/xen/mm/shadow/bench/bench_paging.c tests/xen/mm/shadow/sh_vm.c,xenshadow xenmm hart,-lpthread))
.PHONY: bench-paging-synth
bench-paging-synth: $(B)/bin/bench-paging-synth $(B)/guest/shadow-ptedit.elf
	@UMBRA_BUILD=$(UMBRA_BUILD) $(B)/bin/bench-paging-synth
BENCHES += bench-paging-synth
