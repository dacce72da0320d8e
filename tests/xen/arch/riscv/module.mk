# tests/xen/arch/riscv/module.mk: unit suites of the virtual hart.
TEST_SRCS += $(addprefix tests/xen/arch/riscv/,hart_test_util.c test_isa.c test_mmu.c test_csr.c test_trap.c)
TEST_LIBS += hart
