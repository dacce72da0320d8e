# xen/mm/module.mk: machine memory, the frame allocator, the p2m, HAP (and
# later shadow) paging, guest access helpers: libxenmm.a.
# Every .c file in xen/mm belongs to the library. The page-table format
# table (pt_formats.o, data only) is archived here too so that xen/mm links
# on its own; if the hart's library also archives it, the linker takes one.
XENMM_SRCS := $(sort $(wildcard xen/mm/*.c)) xen/arch/riscv/pt_formats.c
$(eval $(call host-lib,xenmm,$(XENMM_SRCS)))
