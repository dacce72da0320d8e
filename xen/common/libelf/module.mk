# xen/common/libelf/module.mk: the shared ELF reader (libumbraelf.a).
$(eval $(call host-lib,umbraelf,xen/common/libelf/libelf.c))
