# tests/xen/include/module.mk: the public-ABI conformance suite (against libxen-dev).
TEST_SRCS += tests/xen/include/test_abi.c tests/xen/include/abi_xen_ref.c
