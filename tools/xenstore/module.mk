# tools/xenstore/module.mk: the xenstore-* commands, one program under eight names.
XENSTORE_CMDS := read write ls list rm exists chmod watch
$(foreach c,$(XENSTORE_CMDS),$(eval $(call host-prog,xenstore-$(c),tools/xenstore/xenstore_client.c,xenstore,-lpthread)))
