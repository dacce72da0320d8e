# tools/xentop/module.mk: `xentop` (build/bin/xentop), the domain monitor that
# `xl top` runs. Its text layout and data gathering live in libxentoputil.a
# (xentop_format.c, xentop_collect.c), which the unit tests link too.
XENTOP_UTIL_SRCS := tools/xentop/xentop_format.c tools/xentop/xentop_collect.c
$(eval $(call host-lib,xentoputil,$(XENTOP_UTIL_SRCS)))
XENTOP_SRCS := tools/xentop/xentop.c tools/xentop/xentop_curses.c
$(eval $(call host-prog,xentop,$(XENTOP_SRCS),xentoputil xenctrl,-lncurses))
