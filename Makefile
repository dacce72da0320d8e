# Makefile: the one build for Umbra, host and guest, non-recursive.
#
# Each component describes itself in a `module.mk` next to its sources, using
# the helpers below. Outputs go to build/ (or build-san/ with SANITIZE=1):
#   build/bin/       host programs          build/lib/   host static libraries
#   build/guest/     riscv64 ELF images     build/tests/ the CUnit test binary
# Invariant: nothing is written outside the build directory.

include Config.mk

MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2) --no-print-directory

B := build$(if $(filter 1,$(SANITIZE)),-san)
export UMBRA_BUILD := $(CURDIR)/$(B)

.DEFAULT_GOAL := all
.PHONY: all deps run test unit-test check bench clean

BINS :=
LIBS :=
GUEST_IMAGES :=
TEST_SRCS :=
TEST_LIBS :=
TEST_LDLIBS :=
BENCHES :=
TEST_PRE :=

hostobj = $(patsubst %.c,$(B)/obj/%.o,$(1))
guestobj = $(patsubst %,$(B)/gobj/%.o,$(basename $(1)))

# $(call host-lib,NAME,SRCS): build/lib/libNAME.a
define host-lib
$(B)/lib/lib$(1).a: $(call hostobj,$(2))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
LIBS += $(B)/lib/lib$(1).a
endef

# $(call host-prog,NAME,SRCS,LIBNAMES,LDLIBS): build/bin/NAME
define host-prog
$(B)/bin/$(1): $(call hostobj,$(2)) $(foreach l,$(3),$(B)/lib/lib$(l).a)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_LDFLAGS) -o $$@ $(call hostobj,$(2)) -Wl,--start-group $(foreach l,$(3),$(B)/lib/lib$(l).a) -Wl,--end-group $(4)
BINS += $(B)/bin/$(1)
endef

# $(call guest-prog,NAME,SRCS,LINKERSCRIPT): build/guest/NAME.elf
define guest-prog
$(B)/guest/$(1).elf: $(call guestobj,$(2)) $(3)
	@mkdir -p $$(@D)
	$$(GUEST_LD) $$(GUEST_LDFLAGS) -T $(3) -o $$@ $(call guestobj,$(2))
GUEST_IMAGES += $(B)/guest/$(1).elf
endef

$(B)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

$(B)/gobj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(B)/gobj/%.o: %.S | deps
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

# Every component's module.mk, found from the top.
MODULES := $(sort $(shell find xen dom0 tools guest-drivers tests -name module.mk 2>/dev/null))
include $(MODULES)

# The one CUnit binary: every unit and integration suite registers itself.
TEST_BIN := $(B)/tests/umbra-tests
$(TEST_BIN): $(call hostobj,$(TEST_SRCS)) $(foreach l,$(TEST_LIBS),$(B)/lib/lib$(l).a)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $(call hostobj,$(TEST_SRCS)) -Wl,--start-group $(foreach l,$(sort $(TEST_LIBS)),$(B)/lib/lib$(l).a) -Wl,--end-group $(sort $(TEST_LDLIBS)) -lcunit

deps:
	@scripts/deps.sh

all: $(BINS) $(GUEST_IMAGES) $(TEST_BIN)

# README command 1: build everything and run the main job on embedded defaults.
run: all
	@scripts/run-main.sh $(B)

# README command 2: every test (unit and integration), ending with CUnit's summary.
# TEST_PRE holds extra checks (e.g. fuzz smoke runs) that run before the CUnit binary.
test: all $(TEST_PRE)
	@scripts/run-tests.sh $(B) $(SUITE)

bench: $(BENCHES)

clean:
	rm -rf build build-san

-include $(shell find $(B) -name '*.d' 2>/dev/null)
