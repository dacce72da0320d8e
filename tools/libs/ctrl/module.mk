# tools/libs/ctrl/module.mk: libxenctrl.a, dom0's hypercalls over the privcmd
# socket (tools/include/xenctrl.h, xen/include/public/privcmd.h).
XENCTRL_SRCS := $(sort $(wildcard tools/libs/ctrl/*.c))
$(eval $(call host-lib,xenctrl,$(XENCTRL_SRCS)))
