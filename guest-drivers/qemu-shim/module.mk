# guest-drivers/qemu-shim/module.mk: the QEMU development shim, build/guest/qemu-shim.elf.
QEMU_SHIM_SRCS := guest-drivers/qemu-shim/entry.S guest-drivers/qemu-shim/shim.c \
                  guest-drivers/lib/string.c guest-drivers/lib/fmt.c
$(eval $(call guest-prog,qemu-shim,$(QEMU_SHIM_SRCS),guest-drivers/qemu-shim/shim.lds))
