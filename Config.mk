# Config.mk: toolchains and flags for host and guest code.
# Invariant: every compiler and flag the build uses is named here, once.

# Host code (hypervisor daemon, dom0 services, tools, tests).
CC        ?= gcc
HOST_CC   := $(CC)
HOST_STD  := -std=c11 -D_GNU_SOURCE
HOST_WARN := -Wall -Wextra -Werror
HOST_OPT  ?= -O2 -g
HOST_INC   = -Ixen/include -Ixen/arch/riscv/include -Itools/include -Itests/harness -I/usr/include/libxml2
HOST_CFLAGS = $(HOST_STD) $(HOST_WARN) $(HOST_OPT) $(HOST_INC) -MMD -MP $(SAN_FLAGS)
HOST_LDFLAGS = $(SAN_FLAGS)

# `make SANITIZE=1` builds everything host-side with ASan and UBSan into build-san/.
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
endif

# Guest code (PV kernel, drivers, workloads, bare-metal test programs): riscv64.
GUEST_CC     := clang --target=riscv64-unknown-elf
GUEST_LD     := ld.lld
GUEST_ARCH   := -march=rv64imac -mabi=lp64 -mcmodel=medany -mno-relax
GUEST_CFLAGS := $(GUEST_ARCH) -ffreestanding -nostdlib -fno-builtin -fno-pic \
                -fno-stack-protector -O2 -g -Wall -Wextra -Werror -std=c11 \
                -Ixen/include -Iguest-drivers/include -MMD -MP
GUEST_LDFLAGS := -nostdlib --no-relax -static
