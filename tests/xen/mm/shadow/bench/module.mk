# tests/xen/mm/shadow/bench/module.mk: `make bench-paging`: synthetic
# workloads under shadow, HAP (4 KiB p2m) and HAP (2 MiB p2m); figures only.
$(eval $(call host-prog,bench-paging,tests/xen/mm/shadow/bench/bench_paging.c tests/xen/mm/shadow/sh_vm.c,xenshadow xenmm hart,-lpthread))
.PHONY: bench-paging
bench-paging: $(B)/bin/bench-paging $(B)/guest/shadow-ptedit.elf
	@UMBRA_BUILD=$(UMBRA_BUILD) $(B)/bin/bench-paging
BENCHES += bench-paging
