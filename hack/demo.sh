#!/usr/bin/env bash
# The main job on a fresh machine: install the tools, start a private buildkitd and registry, build the
# tightlip frontend image from this repository, build testdata/example through `# syntax=` with a secret,
# and show the result. Everything it starts is stopped on exit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TIGHTLIP_ROOT/hack/install-tools.sh"

state=$(mktemp -d /tmp/tightlip-demo-XXXXXX)
cleanup() {
	"$TIGHTLIP_ROOT/hack/daemon.sh" stop "$state" || true
	rm -rf "$state"
}
trap cleanup EXIT

"$TIGHTLIP_ROOT/hack/daemon.sh" start "$state"
"$TIGHTLIP_ROOT/hack/build-images.sh" "$state"
# shellcheck disable=SC1091
. "$state/env"
export BUILDKIT_HOST

example=$TIGHTLIP_ROOT/testdata/example
mkdir -p "$state/dockerfile" "$state/out"
# The example names the frontend as a user would (registry.example.com/tightlip:1); point it at the
# image just built instead.
sed "1s|^# syntax=.*|# syntax=$TIGHTLIP_IMAGE|" "$example/Dockerfile" >"$state/dockerfile/Dockerfile"

log "building $example through # syntax=$TIGHTLIP_IMAGE"
NPM_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	"$TIGHTLIP_BIN/buildctl" build --progress=plain --frontend dockerfile.v0 \
	--local context="$example" --local dockerfile="$state/dockerfile" \
	--opt context:busybox="docker-image://$TIGHTLIP_BUSYBOX" \
	--secret id=NPM_TOKEN,env=NPM_TOKEN \
	--output "type=local,dest=$state/out" \
	--output "type=oci,dest=$state/example.tar"

echo
echo "== Dockerfile (as built) =="
cat "$state/dockerfile/Dockerfile"
echo
echo "== files of the built image =="
(cd "$state/out" && find srv -type f | sort | while read -r f; do printf '%s: %s\n' "$f" "$(cat "$f")"; done)
echo
echo "== image labels set by the frontend =="
tar -xOf "$state/example.tar" --wildcards 'blobs/sha256/*' 2>/dev/null | grep -ao '"dev\.tightlip\.[a-z.]*":"[^"]*"' | sort -u
