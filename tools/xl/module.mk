# tools/xl/module.mk: the `xl` command (build/bin/xl). Its output layouts
# live in libxlutil.a (xl_format.c), which the unit tests link too.
# xl links libxenctrl; until tools/libs/ctrl exists only libxlutil is built.
$(eval $(call host-lib,xlutil,tools/xl/xl_format.c))
XL_SRCS := $(filter-out tools/xl/xl_format.c,$(sort $(wildcard tools/xl/*.c)))
ifneq ($(wildcard tools/libs/ctrl/module.mk),)
$(eval $(call host-prog,xl,$(XL_SRCS),xlutil xenlight umbraelf xenctrl xenstore,-lxml2))
endif
