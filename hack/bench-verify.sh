#!/usr/bin/env bash
# Measures the wall time verification adds to a realistic multi-layer build (a 24 MB source tree, nine
# layers, a secret used by two steps, ~90 MB of layer data): the same build in-process with verification
# off and on, without the cache and fully cached, on one private daemon; prints the medians.
#
#   hack/bench-verify.sh [RUNS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-5}

"$TIGHTLIP_ROOT/hack/install-tools.sh"
out=$(mktemp /tmp/tightlip-bench-verify-XXXXXX)
trap 'rm -f "$out"' EXIT
cd "$TIGHTLIP_ROOT"
TIGHTLIP_BENCH_VERIFY=$runs TIGHTLIP_BENCH_OUT=$out \
	go test -tags e2e -count=1 -timeout 60m -run '^TestInBuildVerifyOverhead$' ./e2e/ >&2
cat "$out"
