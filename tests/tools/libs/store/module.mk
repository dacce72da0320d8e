# tests/tools/libs/store/module.mk: the client library against a real daemon.
TEST_SRCS += tests/tools/libs/store/test_xs.c
TEST_LIBS += xenstore
TEST_LDLIBS += -lpthread
