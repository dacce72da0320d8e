# tests/dom0/xenstored/module.mk: unit suites for xenstored, its benchmark.
TEST_SRCS += $(wildcard tests/dom0/xenstored/test_*.c) tests/dom0/xenstored/xs_test_util.c \
             tests/dom0/xenstored/xs_wire_ref.c
TEST_LIBS += xenstored

# `make bench-store`: figures for docs/bench-store.md (no timed assertions).
$(eval $(call host-prog,bench-store,tests/dom0/xenstored/bench_store.c,,-lpthread))
.PHONY: bench-store
bench-store: $(B)/bin/bench-store $(B)/bin/xenstored
	$(B)/bin/bench-store $(B)/bin/xenstored
BENCHES += bench-store
