# tests/tools/xl/module.mk: CUnit suite tools/xl/format (xl's output layouts).
TEST_SRCS += $(sort $(wildcard tests/tools/xl/test_*.c))
TEST_LIBS += xlutil
$(B)/obj/tests/tools/xl/%.o: HOST_CFLAGS += -Itools/xl
# The integration/xl suites (they need build/bin/xen, xl and the guest kernel).
TEST_SRCS += $(sort $(wildcard tests/integration/xl_*.c))
