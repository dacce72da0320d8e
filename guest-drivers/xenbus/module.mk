# guest-drivers/xenbus/module.mk: the guest's xenstore client.
# xenbus.c, xenbus_ring.c and xenbus_errno.c are a freestanding library (the
# unit tests in tests/guest-drivers/xenbus also build them for the host);
# kernel_store.c is the kernel's use of it. Every .c here is linked into
# build/guest/kernel.elf: guest-drivers/kernel/module.mk (read before this
# file) adds $(wildcard guest-drivers/xenbus/*.c) to its sources.
XENBUS_LIB_SRCS := guest-drivers/xenbus/xenbus.c guest-drivers/xenbus/xenbus_ring.c \
                   guest-drivers/xenbus/xenbus_errno.c
