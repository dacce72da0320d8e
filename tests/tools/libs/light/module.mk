# tests/tools/libs/light/module.mk: CUnit suites tools/libs/light/{units,config,build,examples}.
TEST_SRCS += $(sort $(wildcard tests/tools/libs/light/test_*.c))
TEST_LIBS += xenlight umbraelf
TEST_LDLIBS += -lxml2
