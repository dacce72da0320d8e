#!/bin/sh
# run.sh BUILD_DIR: `make bench-paging`. Brings a private stack up (xen with
# one pCPU thread, so the counters are deterministic, and xenstored, via
# tools/hotplug/xencommons) with the shadow invariant checker off (it costs
# host time only), runs every guest workload of examples/ under HAP 4 KiB,
# HAP 2 MiB and shadow paging, prints the tables, brings the stack down.
# BENCH_PAGING_ARGS replaces the workload list (CONFIG [key=value...]...).
# Invariant: the daemons started here are stopped and the run directory is
# removed on exit, whatever happens.
set -u
B=${1:?usage: run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../../.." && pwd)
UMBRA_BUILD=$(cd "$B" && pwd) || exit 1
XEN_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/umbra-bench-paging.XXXXXX") || exit 1
XENSTORED_PATH=$XEN_RUN_DIR/xenstored/socket
XEN_ARGS="-m 1G -p 1"
UMBRA_SHADOW_CHECK=0
export UMBRA_BUILD XEN_RUN_DIR XENSTORED_PATH XEN_ARGS UMBRA_SHADOW_CHECK
trap '"$top/tools/hotplug/xencommons" stop >/dev/null; rm -rf "$XEN_RUN_DIR"' EXIT
trap 'exit 130' INT TERM
ex=$top/examples
echo "bench-paging: starting a private stack in $XEN_RUN_DIR"
"$top/tools/hotplug/xencommons" start >/dev/null || exit 1
echo "bench-paging: 8 workloads x 3 paging modes, one domain at a time"
# The examples' own sizes (their <cmdline>), except where noted in
# docs/bench-paging.md.
# shellcheck disable=SC2086
"$UMBRA_BUILD/bin/bench-paging-guests" ${BENCH_PAGING_ARGS:-\
    $ex/forkbench.xml $ex/execbench.xml $ex/mmapbench.xml $ex/ctxbench.xml \
    $ex/randmem.xml $ex/seqmem.xml $ex/compute.xml $ex/mixed.xml}
