# tests/tools/xl/module.mk: CUnit suites tools/xl/format (xl's output layouts) and
# integration/xl/{lifecycle,failures,console} (tests/integration/xl_*.c).
TEST_SRCS += $(sort $(wildcard tests/tools/xl/test_*.c))
TEST_LIBS += xlutil
$(B)/obj/tests/tools/xl/%.o: HOST_CFLAGS += -Itools/xl
# The integration/xl suites (they need build/bin/xen, xl and the guest kernel).
TEST_SRCS += $(sort $(wildcard tests/integration/xl_*.c))
TEST_LDLIBS += -lutil
