# tests/guest-drivers/xenbus/module.mk: suite guest-drivers/xenbus (the
# guest's xenstore library, built for the host, against the real xenstored
# library over an in-process ring page) and the integration suite
# integration/xenstore/guest (a real guest under xl, tests/integration/
# xenstore_guest.c; it uses the xl suites' private stack, xl_stack.c).
TEST_SRCS += tests/guest-drivers/xenbus/test_xenbus.c $(XENBUS_LIB_SRCS) \
             tests/integration/xenstore_guest.c
TEST_LIBS += xenstored
