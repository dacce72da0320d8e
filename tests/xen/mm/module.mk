# tests/xen/mm/module.mk: CUnit suites xen/mm/{alloc,p2m,hap,guest_access,lock_order}.
TEST_SRCS += $(sort $(wildcard tests/xen/mm/test_*.c)) tests/xen/mm/guest_fixture.c
TEST_LIBS += xenmm hart
