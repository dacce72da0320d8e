# tests/module.mk: the test harness itself (runner and integration helpers).
TEST_SRCS += tests/harness/main.c tests/harness/ut_proc.c
