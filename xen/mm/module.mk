# xen/mm/module.mk: machine memory, the frame allocator, the p2m, HAP (and
# later shadow) paging, guest access helpers: libxenmm.a.
# Every .c file in xen/mm belongs to the library.
XENMM_SRCS := $(sort $(wildcard xen/mm/*.c))
$(eval $(call host-lib,xenmm,$(XENMM_SRCS)))
