# xen/mm/module.mk: machine memory, the frame allocator, the p2m, HAP paging,
# guest access helpers: libxenmm.a (shadow paging: xen/mm/shadow/module.mk).
# Every .c file directly in xen/mm belongs to the library. It uses the
# hart's library (libhart.a: pt_formats, hart_* accessors): link both.
XENMM_SRCS := $(sort $(wildcard xen/mm/*.c))
$(eval $(call host-lib,xenmm,$(XENMM_SRCS)))
