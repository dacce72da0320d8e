#!/bin/sh
# deps.sh: make sure the Debian packages Umbra's build, run and tests need are present.
# As root it installs what is missing; otherwise it prints the one apt-get line and fails.
# Invariant: the package list lives here and only here.
set -e
PKGS="make gcc clang lld libcunit1-dev libxml2-dev libxml2-utils libncurses-dev \
xenstore-utils libxen-dev libvirt0 libclang-rt-14-dev util-linux procps \
python3 tmux"
missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "deps: missing Debian packages. Run as root:" >&2
    echo "  apt-get install -y$missing" >&2
    exit 1
fi
