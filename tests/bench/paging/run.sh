#!/bin/sh
# run.sh BUILD_DIR: `make bench-paging`. Starts a private hypervisor (one
# pCPU thread, 1 GiB of machine memory) in a fresh XEN_RUN_DIR with the
# shadow invariant checker off (it costs host time only), runs every guest
# workload of examples/ under HAP 4 KiB, HAP 2 MiB and shadow paging, prints
# the tables, and stops the hypervisor.
#
# No xenstored: the workloads do not use xenstore, and the guest kernel's
# xenstore handshake at boot waits on a host process, which makes the
# counters vary from run to run (the compute workload's exits went from 37
# to 934 between identical runs). Without it, every counter is reproducible
# to the last digit; only host seconds vary. docs/bench-paging.md.
#
# BENCH_PAGING_ARGS replaces the workload list (CONFIG [key=value...]...;
# values cannot contain spaces here: call bench-paging-guests directly).
# Invariant: the hypervisor started here is stopped (SIGTERM, waited for)
# and the run directory removed on exit, whatever happens.
set -u
B=${1:?usage: run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../../.." && pwd)
UMBRA_BUILD=$(cd "$B" && pwd) || exit 1
XEN_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/umbra-bench-paging.XXXXXX") || exit 1
XENSTORED_PATH=$XEN_RUN_DIR/no-xenstored/socket
UMBRA_SHADOW_CHECK=0
export UMBRA_BUILD XEN_RUN_DIR XENSTORED_PATH UMBRA_SHADOW_CHECK
xen_pid=
cleanup() {
    if [ -n "$xen_pid" ]; then
        kill -TERM "$xen_pid" 2>/dev/null
        wait "$xen_pid"
    fi
    rm -rf "$XEN_RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ex=$top/examples
echo "bench-paging: starting a private hypervisor in $XEN_RUN_DIR (no xenstored)"
"$UMBRA_BUILD/bin/xen" -m 1G -p 1 >"$XEN_RUN_DIR/xen.log" 2>&1 &
xen_pid=$!
i=0
while [ ! -S "$XEN_RUN_DIR/privcmd" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$xen_pid" 2>/dev/null; then
        echo "bench-paging: the hypervisor did not start:" >&2
        cat "$XEN_RUN_DIR/xen.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "bench-paging: 8 workloads x 3 paging modes, one domain at a time"
# shellcheck disable=SC2086
"$UMBRA_BUILD/bin/bench-paging-guests" ${BENCH_PAGING_ARGS:-\
    $ex/forkbench.xml $ex/execbench.xml $ex/mmapbench.xml $ex/ctxbench.xml \
    $ex/randmem.xml $ex/seqmem.xml $ex/compute.xml $ex/mixed.xml}
