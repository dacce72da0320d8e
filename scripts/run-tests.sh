#!/bin/sh
# run-tests.sh BUILD_DIR [SUITE...]: run every test. The CUnit binary runs last,
# so the output closes with CUnit's summary. Exits non-zero on any failure.
set -e
B=${1:?usage: run-tests.sh BUILD_DIR [SUITE...]}
shift
export UMBRA_BUILD="$(cd "$B" && pwd)"
exec "$UMBRA_BUILD/tests/umbra-tests" "$@"
