# tests/xen/mm/module.mk: CUnit suites xen/mm/{alloc,p2m,hap,guest_access}.
TEST_SRCS += $(sort $(wildcard tests/xen/mm/test_*.c))
TEST_LIBS += xenmm
