# tests/dom0/xenstored/module.mk: unit suites for xenstored, its benchmark.
TEST_SRCS += $(wildcard tests/dom0/xenstored/test_*.c) tests/dom0/xenstored/xs_test_util.c \
             tests/dom0/xenstored/xs_wire_ref.c
TEST_LIBS += xenstored
