# tools/libs/light/module.mk: libxenlight.a, the domain builder and the
# libvirt XML config parser (libxl for Umbra). Users link -lxml2 and, for
# libxl_xc_ops, libxenctrl.a.
XENLIGHT_SRCS := $(sort $(wildcard tools/libs/light/*.c))
$(eval $(call host-lib,xenlight,$(XENLIGHT_SRCS)))
