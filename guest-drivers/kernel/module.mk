# guest-drivers/kernel/module.mk: the Umbra PV guest kernel, build/guest/kernel.elf.
KERNEL_SRCS := $(wildcard guest-drivers/kernel/*.c) guest-drivers/kernel/entry.S \
               $(wildcard guest-drivers/lib/*.c)
$(eval $(call guest-prog,kernel,$(KERNEL_SRCS),guest-drivers/kernel/kernel.lds))
