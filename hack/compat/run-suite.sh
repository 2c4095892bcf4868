#!/usr/bin/env bash
# Runs BuildKit's Dockerfile test suite (compiled by hack/compat/prepare-suite.sh) once, in gateway mode
# against one frontend image, on the OCI worker, and writes its `go test -json` events.
#
#   hack/compat/run-suite.sh FRONTEND_TAR EVENTS_OUT [TEST_RUN_PATTERN]
#
# Also writes EVENTS_OUT.stderr (the suite's stderr) and EVENTS_OUT.seconds (its wall time).
#
# Everything it starts lives under a fresh temp dir (TMPDIR for the suite, which starts one buildkitd per
# test under it, and a copy of the registry mirror); on exit it stops what is still running there by PID
# and removes the dir. The exit status is the suite's (1 when any test failed); the events say which.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tar=${1:-}
events=${2:-}
# TestIntegration's cases on the OCI worker: TestIntegration/<Func>/worker=oci/frontend=gateway[/matrix…].
pattern=${3:-'^TestIntegration$//^worker=oci$'}
[ -f "$tar" ] && [ -n "$events" ] || cdie "usage: $0 FRONTEND_TAR EVENTS_OUT [TEST_RUN_PATTERN]"
tar=$(cd "$(dirname "$tar")" && pwd)/$(basename "$tar")
[ -x "$COMPAT_TESTBIN" ] || cdie "$COMPAT_TESTBIN is missing: run hack/compat/prepare-suite.sh"
[ -d "$COMPAT_MIRROR/data" ] || cdie "$COMPAT_MIRROR is missing: run hack/compat/build-images.sh"
for bin in buildkitd buildctl; do
	[ -x "$TIGHTLIP_BIN/$bin" ] || cdie "$TIGHTLIP_BIN/$bin is missing: run hack/install-tools.sh"
done
for bin in runc git; do
	command -v "$bin" >/dev/null || cdie "$bin is not installed"
done

# Short: the suite puts unix sockets below it (108-byte limit).
tmp=$(mktemp -d /tmp/tlc-XXXXXX)
pgid=
cleanup() {
	# The suite's own process group first (test2json, the test binary, the registries it started) ...
	if [ -n "$pgid" ] && kill -0 -- -"$pgid" 2>/dev/null; then
		kill -- -"$pgid" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 -- -"$pgid" 2>/dev/null || break; sleep 0.1; done
		kill -9 -- -"$pgid" 2>/dev/null || true
	fi
	# ... then what it started in sessions of its own (buildkitd, runc): each names a path below $tmp.
	local p
	for p in $(pids_under "$tmp"); do stop_pid "$p"; done
	unmount_under "$tmp"
	rm -rf "$tmp" 2>/dev/null || { sleep 1; unmount_under "$tmp"; rm -rf "$tmp" || true; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/tmp"
cp -a "$COMPAT_MIRROR" "$tmp/mirror"

# distribution 2.8 first (the suite scrapes its log for the port), then buildkitd and buildctl.
export PATH=$COMPAT_PATH:$TIGHTLIP_BIN:$PATH
export TMPDIR=$tmp/tmp
export BUILDKIT_REGISTRY_MIRROR_DIR=$tmp/mirror
export FRONTEND_GATEWAY_ONLY=local:$tar
unset FRONTEND_BUILTIN_ONLY FRONTEND_CLIENT_ONLY SKIP_INTEGRATION_TESTS BUILDKIT_HOST \
	BUILDKIT_WORKER_RANDOM BUILDKIT_INTEGRATION_SNAPSHOTTER BUILDKIT_INTEGRATION_ROOTLESS_IDPAIR TEST_DOCKERD

[ -x "$COMPAT_TEST2JSON" ] || cdie "$COMPAT_TEST2JSON is missing: run hack/compat/prepare-suite.sh"
mkdir -p "$(dirname "$events")"
# The package's directory, as `go test` would run it. setsid: the suite gets a process group of its own,
# so that cleanup can stop all of it by that id.
cd "$COMPAT_MODULE/frontend/dockerfile"
setsid "$COMPAT_TEST2JSON" -t -p "$COMPAT_PKG" "$COMPAT_TESTBIN" -test.v=test2json -test.run "$pattern" \
	-test.timeout "${COMPAT_TEST_TIMEOUT:-30m}" >"$events" 2>"$events.stderr" &
# Not a group leader when started (no job control here), setsid makes it one without forking: $! is
# the new group's id.
pgid=$!
start=$(date +%s)
rc=0
wait "$pgid" || rc=$?
echo "$(($(date +%s) - start))" >"$events.seconds"
exit "$rc"
