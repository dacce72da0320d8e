#!/bin/sh
# run-main.sh BUILD_DIR: the README's main job on embedded defaults.
#
# In a private run directory: bring the stack up (tools/hotplug/xencommons),
# boot examples/hello.xml in HAP mode with `xl create -c` (its console output
# streams here until the guest ends), then examples/hello-shadow.xml under
# shadow paging when the hypervisor offers it, show `xl list`, then bring the
# stack down.
# Invariant: whatever happens, the daemons started here are stopped and the
# run directory is removed on exit (the logs are printed first on failure).
set -u
B=${1:?usage: run-main.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
UMBRA_BUILD=$(cd "$B" && pwd) || exit 1
XEN_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/umbra-run.XXXXXX") || exit 1
XENSTORED_PATH=$XEN_RUN_DIR/xenstored/socket
export UMBRA_BUILD XEN_RUN_DIR XENSTORED_PATH
xl=$UMBRA_BUILD/bin/xl
step=0

progress() { step=$((step + 1)); echo "==> [$step/6] $*"; }

cleanup() {
    trap '' PIPE HUP INT TERM   # finish the cleanup even if our output is gone
    "$top/tools/hotplug/xencommons" stop
    rm -rf "$XEN_RUN_DIR"
}

for need in bin/xen bin/xl guest/kernel.elf; do
    if [ ! -e "$UMBRA_BUILD/$need" ]; then
        echo "run-main: $UMBRA_BUILD/$need is not built yet; nothing to run." >&2
        rmdir "$XEN_RUN_DIR"
        exit 1
    fi
done
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE

progress "starting the hypervisor and dom0 services in $XEN_RUN_DIR"
"$top/tools/hotplug/xencommons" start || exit 1

progress "xl info (the host as the hypervisor sees it)"
"$xl" info | grep -E '^(host|release|total_memory|free_memory|xen_version|virt_caps) '

progress "xl create -c examples/hello.xml (HAP); the guest's console follows"
"$xl" create -c "$top/examples/hello.xml"
rc=$?

if "$xl" info virt_caps | grep -qw shadow; then
    progress "xl create -c examples/hello-shadow.xml (shadow paging)"
    "$xl" create -c "$top/examples/hello-shadow.xml" || rc=$?
else
    progress "skipping examples/hello-shadow.xml: the hypervisor offers no shadow paging"
fi

progress "xl list (the guests stay listed, shut down: their on_poweroff is 'preserve')"
"$xl" list -v

progress "stopping the stack"
[ $rc -eq 0 ] || echo "run-main: xl create exited with status $rc" >&2
exit $rc
