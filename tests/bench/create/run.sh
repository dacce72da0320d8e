#!/bin/sh
# run.sh BUILD_DIR: `make bench-create`. Brings a private stack up (3 GiB of
# machine memory, room for 500 background domains), runs bench-create with
# 100 runs at 0, 100 and 500 background domains, and brings the stack down.
set -u
B=${1:?usage: run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../../.." && pwd)
UMBRA_BUILD=$(cd "$B" && pwd) || exit 1
XEN_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/umbra-bench-create.XXXXXX") || exit 1
XENSTORED_PATH=$XEN_RUN_DIR/xenstored/socket
XEN_ARGS="-m 3G"
export UMBRA_BUILD XEN_RUN_DIR XENSTORED_PATH XEN_ARGS
trap 'trap "" PIPE HUP INT TERM; "$top/tools/hotplug/xencommons" stop >/dev/null 2>&1; rm -rf "$XEN_RUN_DIR"' EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE
echo "bench-create: starting a private stack in $XEN_RUN_DIR"
"$top/tools/hotplug/xencommons" start >/dev/null || exit 1
echo "bench-create: measuring (this creates up to 600 domains)"
"$UMBRA_BUILD/bin/bench-create" "$top/examples/hello.xml" "${BENCH_RUNS:-100}" 0 100 500
