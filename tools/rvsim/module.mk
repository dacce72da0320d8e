# tools/rvsim/module.mk: the bare-metal runner.
$(eval $(call host-prog,rvsim,tools/rvsim/rvsim.c,hart umbraelf,))
