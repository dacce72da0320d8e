#!/bin/sh
# run.sh KERNEL_ELF SHIM_ELF [CMDLINE...]: boot the PV guest kernel under
# QEMU with the development shim (see shim.c). Exit status: 0 poweroff,
# 3 crash, 1 a fault the shim caught, 124 timeout.
set -e
K=${1:?usage: run.sh KERNEL_ELF SHIM_ELF [CMDLINE...]}
S=${2:?usage: run.sh KERNEL_ELF SHIM_ELF [CMDLINE...]}
shift 2
CMD=$(mktemp)
trap 'rm -f "$CMD"' EXIT
printf '%s\0' "$*" > "$CMD"
set +e
timeout ${QEMU_TIMEOUT:-60} qemu-system-riscv64 -machine virt -cpu rv64,h=true -m 256M \
    -nographic -bios default -kernel "$S" \
    -device loader,file="$K",addr=0x8E000000,force-raw=on \
    -device loader,file="$CMD",addr=0x8F000000,force-raw=on
