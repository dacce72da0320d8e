# guest-drivers/kernel/module.mk: the Umbra PV guest kernel, build/guest/kernel.elf,
# with the user programs (guest-drivers/user) linked into its image.
USER_PROGS := init true forkbench execbench mmapbench ctxbench randmem seqmem compute mixed selftest

USER_ELFS := $(foreach p,$(USER_PROGS),$(B)/guest/user/$(p).elf)
KERNEL_SRCS := $(wildcard guest-drivers/kernel/*.c) guest-drivers/kernel/entry.S \
               $(wildcard guest-drivers/lib/*.c) guest-drivers/kernel/userprogs.gen \
               $(wildcard guest-drivers/xenbus/*.c)

# userprogs.gen names no file: its object is generated from the user ELFs.
$(B)/gobj/guest-drivers/kernel/userprogs.o: $(USER_ELFS) guest-drivers/kernel/gen-userprogs.sh guest-drivers/kernel/module.mk
	@mkdir -p $(@D)
	guest-drivers/kernel/gen-userprogs.sh $(B)/guest/user $(USER_PROGS) > $(@:.o=.S)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $(@:.o=.S)

$(eval $(call guest-prog,kernel,$(KERNEL_SRCS),guest-drivers/kernel/kernel.lds))

# The integration/guest suites (tests/integration/guest_*.c) boot this kernel's
# workloads on a private stack; they live in the one CUnit binary.
TEST_SRCS += $(sort $(wildcard tests/integration/guest_*.c))
