# tests/bench/create/module.mk: `make bench-create`: domain creation and
# destruction time for a 16 MiB domain with 0, 100 and 500 other domains.
$(eval $(call host-prog,bench-create,tests/bench/create/bench_create.c,xenlight umbraelf xenctrl xenstore,-lxml2))
.PHONY: bench-create
bench-create: $(B)/bin/bench-create $(GUEST_IMAGES) $(B)/bin/xen
	@tests/bench/create/run.sh $(B)
BENCHES += bench-create
