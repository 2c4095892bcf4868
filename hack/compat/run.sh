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
# An unexpected difference is confirmed before it fails the check: when the differences not in the
# allow-list come from at most COMPAT_RERUN_MAX cases, those cases are run again against both frontends,
# and a difference that the rerun does not reproduce is reported as flaky instead of failing.
#
# TEST_RUN_PATTERN (a -test.run pattern, default '^TestIntegration$//^worker=oci$': every case on the OCI
# worker) runs part of the suite, e.g. '^TestIntegration$/^(TestCopyChown|TestAdd)$/^worker=oci$'; its
# reports and events then go to $TIGHTLIP_CACHE/compat/partial/ so that testdata/compat/ keeps the whole
# suite's. Allow-list lines of tests that did not run are then reported as no longer occurring.
#
# Environment: TIGHTLIP_CACHE (default .cache), TIGHTLIP_SKIP_BUILDX (default 1: the suite needs no buildx),
# COMPAT_TEST_TIMEOUT (per suite run, default 30m), COMPAT_RERUN_MAX (default 10; 0: no rerun),
# TIGHTLIP_PROGRESS (buildctl progress, default quiet).
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
# More cases than this differing unexpectedly is not flakiness: they are not rerun.
rerun_max=${COMPAT_RERUN_MAX:-10}
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

# run_suites PATTERN SUFFIX runs the suite against both frontends and writes $work/{stock,tightlip}SUFFIX.events.
# Both runs at once by default: each keeps about one core busy and the two share nothing but the read-only
# test binary (COMPAT_SEQUENTIAL=1 runs them one after the other). The suites exit 1 when any test failed,
# which some always do here: the comparison decides.
run_suites() {
	local pattern=$1 suffix=$2 fe pid
	if [ "${COMPAT_SEQUENTIAL:-}" = 1 ]; then
		for fe in stock tightlip; do
			clog "running the suite against the $fe frontend"
			run_child "$COMPAT_DIR/run-suite.sh" "$work/$fe.tar" "$work/$fe$suffix.events" "$pattern" || true
		done
	else
		clog "running the suite against the stock and the tightlip frontend, side by side"
		for fe in stock tightlip; do
			"$COMPAT_DIR/run-suite.sh" "$work/$fe.tar" "$work/$fe$suffix.events" "$pattern" &
			children+=($!)
		done
		for pid in "${children[@]}"; do wait "$pid" || true; done
		children=()
	fi
	for fe in stock tightlip; do
		if [ ! -f "$work/$fe$suffix.events" ]; then
			[ -n "$suffix" ] || cdie "the $fe run wrote no test events"
			# A rerun without events confirms nothing: the comparison keeps its differences.
			clog "the $fe rerun wrote no test events"
			: >"$work/$fe$suffix.events"
		fi
		cp "$work/$fe$suffix.events" "$logs/$fe$suffix.events"
		cp "$work/$fe$suffix.events.stderr" "$logs/$fe$suffix.events.stderr" 2>/dev/null || true
	done
}

# A rerun's events belong to the run that made them.
rm -f "$logs"/stock.rerun.events* "$logs"/tightlip.rerun.events*
run_suites "$pattern" ""
t2=$(date +%s)

(cd "$TIGHTLIP_ROOT" && go build -o "$work/compatreport" ./hack/compat/compatreport)
report=(
	"$work/compatreport"
	-stock "$work/stock.events" -tightlip "$work/tightlip.events"
	-expected "$expected" -limits "$limits" -out "$out"
	-stock-seconds "$(cat "$work/stock.events.seconds" 2>/dev/null || echo 0)"
	-tightlip-seconds "$(cat "$work/tightlip.events.seconds" 2>/dev/null || echo 0)"
	-suite "$COMPAT_PKG@$BUILDKIT_VERSION -test.run '$pattern' (OCI worker, FRONTEND_GATEWAY_ONLY=local:IMAGE.tar)"
	-note "Whole run $((t2 - t0))s on $(nproc) cores: preparing $((t1 - t0))s (tools, suite binary, frontend images, registry mirror; cached parts reused), then both suites $((t2 - t1))s ($([ "${COMPAT_SEQUENTIAL:-}" = 1 ] && echo "one after the other" || echo "side by side"))."
)
rc=0
"${report[@]}" -rerun-list "$work/rerun.txt" >"$work/report.out" 2>"$work/report.err" || rc=$?

# The cases of the differences not in the allow-list, as TestIntegration/<Func>/worker=oci/frontend=gateway[/…].
cases=()
[ "$rc" = 1 ] && mapfile -t cases <"$work/rerun.txt"
funcs=()
rerun_pattern=
for c in "${cases[@]}"; do
	[[ $c =~ ^TestIntegration/([A-Za-z0-9_]+)/worker=oci(/|$) ]] || { funcs=(); clog "not a case of the OCI worker, no rerun: $c"; break; }
	funcs+=("${BASH_REMATCH[1]}")
done
if [ "${#funcs[@]}" -gt 0 ] && [ "${#cases[@]}" -le "$rerun_max" ]; then
	mapfile -t funcs < <(printf '%s\n' "${funcs[@]}" | sort -u)
	# go test splits a -test.run pattern at the slashes outside brackets and parentheses and matches each
	# part against one level of the name: TestIntegration, then <Func>, then worker=oci.
	rerun_pattern="^TestIntegration\$/^($(IFS='|'; echo "${funcs[*]}"))\$/^worker=oci\$"
	clog "${#cases[@]} case(s) differ unexpectedly; running them again against both frontends to confirm:"
	printf '  %s\n' "${cases[@]}" >&2
	run_suites "$rerun_pattern" .rerun
	t3=$(date +%s)
	rc=0
	"${report[@]}" -stock-rerun "$work/stock.rerun.events" -tightlip-rerun "$work/tightlip.rerun.events" \
		-note "The unexpected differences came from ${#cases[@]} case(s), run again against both frontends to confirm them ($((t3 - t2))s): \`-test.run '$rerun_pattern'\`." ||
		rc=$?
else
	[ "${#funcs[@]}" -gt 0 ] && clog "${#cases[@]} case(s) differ unexpectedly, more than $rerun_max: no rerun"
	cat "$work/report.out"
	cat "$work/report.err" >&2
fi
clog "raw test events: $logs/{stock,tightlip}.events${rerun_pattern:+ and {stock,tightlip\}.rerun.events}"
[ "$rc" = 0 ] && clog "compatible: no unexplained difference ($(($(date +%s) - t0))s)"
exit "$rc"
