# tests/xen/common/module.mk: the xen/common unit suites (xen/common/...),
# the libxenctrl suite (tests/tools/libs/ctrl) and the integration/xen suites
# that drive build/bin/xen through libxenctrl.
TEST_SRCS += $(sort $(wildcard tests/xen/common/*.c)) \
             $(sort $(wildcard tests/tools/libs/ctrl/test_*.c)) \
             $(sort $(wildcard tests/integration/xen_*.c))
TEST_LIBS += xenctrl xencommon xenshadow xenmm hart
TEST_LDLIBS += -lpthread
$(B)/obj/tests/tools/libs/ctrl/%.o: HOST_CFLAGS += -Itools/libs/ctrl
