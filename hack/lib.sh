# Shared settings for the hack/ scripts. Source it; do not run it.
# shellcheck shell=bash

TIGHTLIP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything built or downloaded lives under the cache dir (git-ignored) and is reused when present.
TIGHTLIP_CACHE=${TIGHTLIP_CACHE:-$TIGHTLIP_ROOT/.cache}
TIGHTLIP_BIN=$TIGHTLIP_CACHE/bin

BUILDKIT_VERSION=v0.34.2
REGISTRY_VERSION=v3.1.2
BUILDX_VERSION=v0.38.2

log() { printf '%s\n' "[hack] $*" >&2; }
die() { printf '%s\n' "[hack] error: $*" >&2; exit 1; }

# free_port prints a loopback port nothing listens on.
free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free loopback port found"
}
