# dom0/xenstored/module.mk: the xenstore daemon.
# libxenstored.a holds everything but main(), so the unit tests, the fuzz
# target and the benchmark link the same code the daemon runs. The guest
# channel over libxenctrl (channel_xenctrl.c) is the daemon's alone, so the
# library needs no hypervisor.
XENSTORED_MAIN_SRCS := dom0/xenstored/main.c dom0/xenstored/channel_xenctrl.c
XENSTORED_LIB_SRCS := $(filter-out $(XENSTORED_MAIN_SRCS),$(wildcard dom0/xenstored/*.c))
$(eval $(call host-lib,xenstored,$(XENSTORED_LIB_SRCS)))
$(eval $(call host-prog,xenstored,$(XENSTORED_MAIN_SRCS),xenstored xenctrl,))
