# tests/xen/common/libelf/module.mk: the ELF reader's suite.
TEST_SRCS += tests/xen/common/libelf/test_libelf.c
TEST_LIBS += umbraelf
