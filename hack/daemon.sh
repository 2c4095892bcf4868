#!/usr/bin/env bash
# Starts or stops a private buildkitd and a loopback registry under STATE_DIR.
#
#   hack/daemon.sh start STATE_DIR   # writes STATE_DIR/env (BUILDKIT_HOST, TIGHTLIP_REGISTRY)
#   hack/daemon.sh stop STATE_DIR    # stops exactly the processes that `start` recorded
#
# buildkitd listens on a unix socket in STATE_DIR, the registry on a free 127.0.0.1 port; nothing else
# is shared, so several harnesses can run side by side.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || die "usage: $0 start|stop STATE_DIR"

wait_for() { # wait_for WHAT PID CMD...
	local what=$1 pid=$2
	shift 2
	for _ in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

start() {
	mkdir -p "$state"
	state=$(cd "$state" && pwd)
	[ -x "$TIGHTLIP_BIN/buildkitd" ] || die "$TIGHTLIP_BIN/buildkitd is missing: run hack/install-tools.sh"
	local runc
	runc=$(command -v runc) || die "runc is not installed: run hack/install-tools.sh"

	cat >"$state/buildkitd.toml" <<TOML
root = "$state/buildkitd"
[grpc]
  address = ["unix://$state/buildkitd.sock"]
[worker.oci]
  enabled = true
  binary = "$runc"
  snapshotter = "overlayfs"
  networkMode = "host"
  gc = false
[worker.containerd]
  enabled = false
TOML
	"$TIGHTLIP_BIN/buildkitd" --config "$state/buildkitd.toml" >"$state/buildkitd.log" 2>&1 &
	echo $! >"$state/buildkitd.pid"
	if ! wait_for buildkitd "$!" "$TIGHTLIP_BIN/buildctl" --addr "unix://$state/buildkitd.sock" debug workers; then
		tail -n 20 "$state/buildkitd.log" >&2
		stop
		die "buildkitd did not start (log: $state/buildkitd.log)"
	fi

	local port
	port=$(free_port)
	cat >"$state/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
	OTEL_TRACES_EXPORTER=none "$TIGHTLIP_BIN/registry" serve "$state/registry.yml" >"$state/registry.log" 2>&1 &
	echo $! >"$state/registry.pid"
	if ! wait_for registry "$!" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"; then
		tail -n 20 "$state/registry.log" >&2
		stop
		die "registry did not start (log: $state/registry.log)"
	fi

	cat >"$state/env" <<ENV
BUILDKIT_HOST=unix://$state/buildkitd.sock
TIGHTLIP_REGISTRY=127.0.0.1:$port
TIGHTLIP_STATE=$state
ENV
	log "buildkitd at unix://$state/buildkitd.sock, registry at 127.0.0.1:$port"
}

stop() {
	local name pid
	for name in registry buildkitd; do
		[ -f "$state/$name.pid" ] || continue
		pid=$(cat "$state/$name.pid")
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$state/$name.pid"
	done
	# buildkitd unmounts its snapshots on a clean exit; anything left behind is unmounted before removal.
	if [ -d "$state/buildkitd" ]; then
		{ grep -o " $state/buildkitd[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
	fi
	return 0
}

case $cmd in
start) start ;;
stop) stop ;;
*) die "usage: $0 start|stop STATE_DIR" ;;
esac
