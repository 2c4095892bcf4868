# Shared settings for the hack/compat/ scripts (BuildKit's Dockerfile test suite against tightlip and
# against the stock frontend). Source it; do not run it.
# shellcheck shell=bash disable=SC2034 # the COMPAT_* settings are for the scripts that source this

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

COMPAT_DIR=$TIGHTLIP_ROOT/hack/compat
# Everything the compat run builds or downloads, reused by later runs when its stamp still matches.
COMPAT_CACHE=$TIGHTLIP_CACHE/compat
# The suite's package, its writable module copy and the compiled test binary.
COMPAT_PKG=github.com/moby/buildkit/frontend/dockerfile
COMPAT_MODULE=$COMPAT_CACHE/buildkit-$BUILDKIT_VERSION
COMPAT_TESTBIN=$COMPAT_CACHE/dockerfile-$BUILDKIT_VERSION.test
COMPAT_TEST2JSON=$COMPAT_CACHE/test2json
# Directory put first in PATH for the suite (holds `registry`: distribution 2.8, which the suite needs).
COMPAT_PATH=$COMPAT_CACHE/path
# The Debian package providing distribution 2.8 as docker-registry.
COMPAT_REGISTRY_DEB=docker-registry
# Pre-filled BUILDKIT_REGISTRY_MIRROR_DIR, copied to a temp dir for every suite run.
COMPAT_MIRROR=$COMPAT_CACHE/mirror
COMPAT_IMAGES=$COMPAT_CACHE/images

clog() { printf '%s\n' "[compat] $(date +%T) $*" >&2; }
cdie() { printf '%s\n' "[compat] error: $*" >&2; exit 1; }

# stamp_ok FILE VALUE: FILE exists and holds VALUE.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# stop_pid PID: TERM, wait up to 10 s, then KILL. Only for processes this harness started.
stop_pid() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
}

# pids_under DIR prints the PIDs of processes whose command line names DIR (a temp dir this harness made
# and handed to the processes it started; the suite starts its buildkitd daemons in their own sessions).
pids_under() {
	local dir=$1 p pid
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -F -- "$dir" >/dev/null && echo "$pid"
	done
	return 0
}

# unmount_under DIR lazily unmounts whatever is still mounted below DIR (deepest first).
unmount_under() {
	local dir=$1
	{ grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# go_version_id identifies the Go toolchain (part of every stamp that depends on a compiler).
go_version_id() { go env GOVERSION; }
