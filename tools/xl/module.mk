# tools/xl/module.mk: the `xl` command (build/bin/xl). Its output layouts
# live in libxlutil.a (xl_format.c), which the unit tests link too.
$(eval $(call host-lib,xlutil,tools/xl/xl_format.c))
XL_SRCS := $(filter-out tools/xl/xl_format.c,$(sort $(wildcard tools/xl/*.c)))
$(eval $(call host-prog,xl,$(XL_SRCS),xlutil xenlight umbraelf xenctrl xenstore,-lxml2))
