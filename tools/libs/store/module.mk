# tools/libs/store/module.mk: libxenstore-compatible client library.
$(eval $(call host-lib,xenstore,tools/libs/store/xs.c))
