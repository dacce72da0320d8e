# guest-drivers/user/module.mk: the user programs built into the guest kernel,
# build/guest/user/NAME.elf. The list lives in guest-drivers/kernel/module.mk
# (USER_PROGS), which embeds them.
USER_LIB_SRCS := guest-drivers/user/crt0.S guest-drivers/user/ulib.c \
                 $(wildcard guest-drivers/lib/*.c)
$(foreach p,$(USER_PROGS),$(eval $(call guest-prog,user/$(p),guest-drivers/user/$(p).c $(USER_LIB_SRCS),guest-drivers/user/user.lds)))
# The kernel image embeds these files: strip them (symbols and DWARF are 4/5 of each).
$(foreach p,$(USER_PROGS),$(B)/guest/user/$(p).elf): GUEST_LDFLAGS += --strip-all
