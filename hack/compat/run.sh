#!/usr/bin/env bash
# `make compat`: BuildKit's own Dockerfile test suite (github.com/moby/buildkit/frontend/dockerfile at the
# pinned version) run twice in gateway mode on the OCI worker, once against the stock frontend image and
# once against tightlip's, then compared. See docs/compatibility.md.
#
#   hack/compat/run.sh [TEST_RUN_PATTERN]
#
# Writes testdata/compat/{stock,tightlip}.json (test → pass/fail/skip) and testdata/compat/summary.md,
# and fails when a test's outcome differs between the two runs and testdata/compat/expected-differences.txt
# does not list that difference, or lists one that no longer occurs. The raw `go test -json` events of both
# runs are kept in $TIGHTLIP_CACHE/compat/logs/.
#
# TEST_RUN_PATTERN (a -test.run pattern, default '^TestIntegration$//^worker=oci$': every case on the OCI
# worker) runs part of the suite, e.g. '^TestIntegration$/^(TestCopyChown|TestAdd)$/^worker=oci$'; its
# reports and events then go to $TIGHTLIP_CACHE/compat/partial/ so that testdata/compat/ keeps the whole
# suite's. Allow-list lines of tests that did not run are then reported as no longer occurring.
#
# Environment: TIGHTLIP_CACHE (default .cache), TIGHTLIP_SKIP_BUILDX (default 1: the suite needs no buildx),
# COMPAT_TEST_TIMEOUT (per suite run, default 30m), TIGHTLIP_PROGRESS (buildctl progress, default quiet).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
expected=$TIGHTLIP_ROOT/testdata/compat/expected-differences.txt
limits=$TIGHTLIP_ROOT/testdata/compat/environment-limits.txt
full='^TestIntegration$//^worker=oci$'
pattern=${1:-$full}
if [ "$pattern" = "$full" ]; then
	out=$TIGHTLIP_ROOT/testdata/compat
	logs=$COMPAT_CACHE/logs
else
	out=$COMPAT_CACHE/partial
	logs=$COMPAT_CACHE/partial
fi
[ -f "$expected" ] || cdie "$expected is missing"

mkdir -p "$logs"
work=$(mktemp -d /tmp/tightlip-compat-XXXXXX)
children=()
on_exit() {
	local pid
	for pid in "${children[@]}"; do stop_pid "$pid"; done
	rm -rf "$work"
}
trap on_exit EXIT
trap 'exit 130' INT TERM
# run_child CMD...: runs CMD in the background and waits, so that a signal to this script can stop it by PID.
run_child() {
	"$@" &
	children=($!)
	local rc=0
	wait "${children[0]}" || rc=$?
	children=()
	return "$rc"
}

# The shared cache is prepared by one compat run at a time (exclusive lock); the suites then run under a
# shared lock, so that no concurrent run replaces the test binary or the mirror under them.
exec 9>"$COMPAT_CACHE/lock"
flock 9
clog "preparing: tools, the suite, the frontend images, the registry mirror"
run_child env TIGHTLIP_SKIP_BUILDX="${TIGHTLIP_SKIP_BUILDX:-1}" "$TIGHTLIP_ROOT/hack/install-tools.sh"
run_child "$COMPAT_DIR/prepare-suite.sh"
run_child "$COMPAT_DIR/build-images.sh" "$work/tightlip.tar"
cp "$COMPAT_IMAGES/stock.tar" "$work/stock.tar"
flock -s 9
t1=$(date +%s)

# Both runs at once by default: each keeps about one core busy and the two share nothing but the read-only
# test binary (COMPAT_SEQUENTIAL=1 runs them one after the other).
if [ "${COMPAT_SEQUENTIAL:-}" = 1 ]; then
	for fe in stock tightlip; do
		clog "running the suite against the $fe frontend"
		run_child "$COMPAT_DIR/run-suite.sh" "$work/$fe.tar" "$work/$fe.events" "$pattern" || true
	done
else
	clog "running the suite against the stock and the tightlip frontend, side by side"
	for fe in stock tightlip; do
		"$COMPAT_DIR/run-suite.sh" "$work/$fe.tar" "$work/$fe.events" "$pattern" &
		children+=($!)
	done
	for pid in "${children[@]}"; do wait "$pid" || true; done
	children=()
fi
# The suites exit 1 when any test failed, which some always do here: the comparison decides.
for fe in stock tightlip; do
	[ -f "$work/$fe.events" ] || cdie "the $fe run wrote no test events"
	cp "$work/$fe.events" "$logs/$fe.events"
	cp "$work/$fe.events.stderr" "$logs/$fe.events.stderr" 2>/dev/null || true
done
t2=$(date +%s)

(cd "$TIGHTLIP_ROOT" && go build -o "$work/compatreport" ./hack/compat/compatreport)
rc=0
"$work/compatreport" \
	-stock "$work/stock.events" -tightlip "$work/tightlip.events" \
	-expected "$expected" -limits "$limits" -out "$out" \
	-stock-seconds "$(cat "$work/stock.events.seconds" 2>/dev/null || echo 0)" -tightlip-seconds "$(cat "$work/tightlip.events.seconds" 2>/dev/null || echo 0)" \
	-suite "$COMPAT_PKG@$BUILDKIT_VERSION -test.run '$pattern' (OCI worker, FRONTEND_GATEWAY_ONLY=local:IMAGE.tar)" \
	-note "Whole run $((t2 - t0))s on $(nproc) cores: preparing $((t1 - t0))s (tools, suite binary, frontend images, registry mirror; cached parts reused), then both suites $((t2 - t1))s ($([ "${COMPAT_SEQUENTIAL:-}" = 1 ] && echo "one after the other" || echo "side by side"))." ||
	rc=$?
clog "raw test events: $logs/{stock,tightlip}.events"
[ "$rc" = 0 ] && clog "compatible: no unexplained difference ($(($(date +%s) - t0))s)"
exit "$rc"
