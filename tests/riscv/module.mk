# tests/riscv/module.mk: bare-metal riscv64 test programs for the runner
# (build/guest/rvtest-*.elf, built with the guest toolchain) and the CUnit
# suite that runs each of them on build/bin/rvsim.
RVTEST_RT := tests/riscv/start.S tests/riscv/rt.c
RVTEST_VM := tests/riscv/vm.c

$(eval $(call guest-prog,rvtest-modes,$(RVTEST_RT) tests/riscv/modes.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-sv39,$(RVTEST_RT) $(RVTEST_VM) tests/riscv/paging.c tests/riscv/sv39.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-sv48,$(RVTEST_RT) $(RVTEST_VM) tests/riscv/paging.c tests/riscv/sv48.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-timer,$(RVTEST_RT) tests/riscv/timer.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-atomics,$(RVTEST_RT) tests/riscv/atomics.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-rvc,$(RVTEST_RT) tests/riscv/rvc.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-hext39,$(RVTEST_RT) $(RVTEST_VM) tests/riscv/hext.c tests/riscv/hext39.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-hext48,$(RVTEST_RT) $(RVTEST_VM) tests/riscv/hext.c tests/riscv/hext48.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-fail,$(RVTEST_RT) tests/riscv/fail.c,tests/riscv/link.ld))

TEST_SRCS += tests/riscv/test_programs.c
$(eval $(call guest-prog,rvtest-privctl,$(RVTEST_RT) tests/riscv/privctl.c,tests/riscv/link.ld))
$(eval $(call guest-prog,rvtest-hctl,$(RVTEST_RT) $(RVTEST_VM) tests/riscv/hctl.c,tests/riscv/link.ld))
