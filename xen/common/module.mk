# xen/common/module.mk: the hypervisor core (libxencommon.a) and the daemon
# `xen` (build/bin/xen): domains, scheduler, event channels, hypercalls,
# domctl/sysctl and the privcmd channel.
XENCOMMON_SRCS := $(filter-out xen/common/main.c,$(sort $(wildcard xen/common/*.c)))
$(eval $(call host-lib,xencommon,$(XENCOMMON_SRCS)))
$(eval $(call host-prog,xen,xen/common/main.c,xencommon xenshadow xenmm hart,-lpthread))
