# tests/tools/xentop/module.mk: CUnit suites tools/xentop/format (xentop's text
# layout and deltas, test_format.c) and integration/xentop (xentop against a
# private stack, batch and curses under tmux, test_integration.c).
TEST_SRCS += $(sort $(wildcard tests/tools/xentop/test_*.c))
TEST_LIBS += xentoputil xenctrl
$(B)/obj/tests/tools/xentop/%.o: HOST_CFLAGS += -Itools/xentop -Itests/integration
# The integration suite reuses the xl suites' private stack (tests/integration/xl_stack.c,
# added by tests/tools/xl/module.mk) and needs build/bin/xentop.
$(TEST_BIN): $(B)/bin/xentop
