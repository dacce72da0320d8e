# tests/tools/xenstore/module.mk: our xenstore-* commands next to Debian's,
# against our daemon (tests/integration/xenstore_interop.c).
TEST_SRCS += tests/integration/xenstore_interop.c
