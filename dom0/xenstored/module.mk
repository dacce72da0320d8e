# dom0/xenstored/module.mk: the xenstore daemon.
# libxenstored.a holds everything but main(), so the unit tests, the fuzz
# target and the benchmark link the same code the daemon runs.
XENSTORED_LIB_SRCS := $(filter-out dom0/xenstored/main.c,$(wildcard dom0/xenstored/*.c))
$(eval $(call host-lib,xenstored,$(XENSTORED_LIB_SRCS)))
$(eval $(call host-prog,xenstored,dom0/xenstored/main.c,xenstored,))
