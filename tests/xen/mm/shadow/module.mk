# tests/xen/mm/shadow/module.mk: the "xen/mm/shadow/..." CUnit suites.
TEST_SRCS += $(sort $(wildcard tests/xen/mm/shadow/test_*.c)) tests/xen/mm/shadow/sh_vm.c
TEST_LIBS += xenshadow xenmm hart
