# xen/mm/shadow/module.mk: shadow paging (shadow_ops), libxenshadow.a.
# Linked after libxenmm (it uses the allocator, the p2m and the counted
# accessors) and the hart (hart_csr_*, hart_hfence_vvma). It needs nothing
# from xen/common: errors are returned, never domain_crash()ed here.
XENSHADOW_SRCS := $(sort $(wildcard xen/mm/shadow/*.c))
$(eval $(call host-lib,xenshadow,$(XENSHADOW_SRCS)))
