#!/usr/bin/env bash
# Builds the images the compat run needs on a private buildkitd (hack/daemon.sh), offline:
#   TIGHTLIP_TAR               the tightlip frontend image (OCI tar), built by hack/build-images.sh from
#                              this repository's Dockerfile, always anew;
#   $COMPAT_IMAGES/stock.tar   the stock frontend image (OCI tar) built from the pinned buildkit module's
#                              frontend/dockerfile/cmd/dockerfile-frontend (hack/compat/stock-frontend.Dockerfile);
#   $COMPAT_MIRROR             a BUILDKIT_REGISTRY_MIRROR_DIR pre-filled with substitutes for the Docker Hub
#                              images the suite mirrors (hack/compat/mirror.Dockerfile), pushed into
#                              distribution 2.8's storage.
# The last two are reused while their stamps (inputs' hashes and versions) match.
#
#   hack/compat/build-images.sh TIGHTLIP_TAR   (after hack/install-tools.sh and hack/compat/prepare-suite.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tightlip_tar=${1:-}
[ -n "$tightlip_tar" ] || cdie "usage: $0 TIGHTLIP_TAR"
[ -x "$COMPAT_PATH/registry" ] || cdie "$COMPAT_PATH/registry is missing: run hack/compat/prepare-suite.sh"
[ -f "$COMPAT_MODULE/.compat-stamp" ] || cdie "$COMPAT_MODULE is missing: run hack/compat/prepare-suite.sh"
mkdir -p "$COMPAT_IMAGES" "$(dirname "$tightlip_tar")"

sha() { sha256sum "$@" | awk '{print $1}' | sha256sum | cut -c1-16; }
go_version=$(sed -n 's/^ARG GO_VERSION=//p' "$TIGHTLIP_ROOT/Dockerfile")
stock_want="$BUILDKIT_VERSION $(go_version_id) $(sha "$COMPAT_DIR/stock-frontend.Dockerfile")"
mirror_want="$(sha "$COMPAT_DIR/mirror.Dockerfile" /bin/busybox) $(cat "$COMPAT_CACHE/registry-2.8/.compat-stamp")"

# The stock image must carry upstream's labels (caps, network.none) exactly.
upstream_labels=$(grep '^LABEL moby\.buildkit\.frontend\.' "$COMPAT_MODULE/frontend/dockerfile/cmd/dockerfile-frontend/Dockerfile")
ours_labels=$(grep '^LABEL moby\.buildkit\.frontend\.' "$COMPAT_DIR/stock-frontend.Dockerfile")
[ "$upstream_labels" = "$ours_labels" ] ||
	cdie "the LABEL lines of hack/compat/stock-frontend.Dockerfile differ from upstream's frontend Dockerfile:
$upstream_labels"

state=$(mktemp -d /tmp/tightlip-compat-img-XXXXXX)
mirror_pid=
cleanup() {
	[ -n "$mirror_pid" ] && stop_pid "$mirror_pid"
	"$TIGHTLIP_ROOT/hack/daemon.sh" stop "$state" || true
	rm -rf "$state" "$COMPAT_MIRROR.tmp.$$"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$TIGHTLIP_ROOT/hack/daemon.sh" start "$state"
progress=${TIGHTLIP_PROGRESS:-quiet}
export TIGHTLIP_PROGRESS=$progress
buildctl() { BUILDKIT_HOST=unix://$state/buildkitd.sock "$TIGHTLIP_BIN/buildctl" "$@"; }

# busybox, the golang stand-in and tightlip, in the daemon's registry; tightlip also as an OCI tar.
clog "building the tightlip frontend image (hack/build-images.sh)"
TIGHTLIP_FRONTEND_OCI=$tightlip_tar.tmp "$TIGHTLIP_ROOT/hack/build-images.sh" "$state"
mv "$tightlip_tar.tmp" "$tightlip_tar"
# shellcheck disable=SC1091
. "$state/env"

if [ -f "$COMPAT_IMAGES/stock.tar" ] && stamp_ok "$COMPAT_IMAGES/stock.stamp" "$stock_want"; then
	clog "reusing $COMPAT_IMAGES/stock.tar ($stock_want)"
else
	clog "building the stock frontend image from $COMPAT_MODULE"
	vendor=$state/stock-vendor
	(cd "$COMPAT_MODULE" && GOWORK=off go mod vendor -o "$vendor")
	buildctl build --progress="$progress" --frontend dockerfile.v0 \
		--local context="$COMPAT_MODULE" --local dockerfile="$COMPAT_DIR" \
		--opt filename=stock-frontend.Dockerfile \
		--local vendor="$vendor" --opt context:vendor=local:vendor \
		--opt "build-arg:GO_VERSION=$go_version" \
		--opt "context:golang:$go_version-alpine=docker-image://$TIGHTLIP_REGISTRY/golang:$go_version" \
		--opt "build-arg:VERSION=buildkit-$BUILDKIT_VERSION" \
		--output "type=oci,dest=$COMPAT_IMAGES/stock.tar.tmp.$$"
	mv "$COMPAT_IMAGES/stock.tar.tmp.$$" "$COMPAT_IMAGES/stock.tar"
	echo "$stock_want" >"$COMPAT_IMAGES/stock.stamp"
fi

if [ -d "$COMPAT_MIRROR/data" ] && stamp_ok "$COMPAT_MIRROR.stamp" "$mirror_want"; then
	clog "reusing $COMPAT_MIRROR ($mirror_want)"
else
	clog "filling the registry mirror $COMPAT_MIRROR"
	tmp=$COMPAT_MIRROR.tmp.$$
	rm -rf "$tmp" && mkdir -p "$tmp/data" "$state/mirror-ctx"
	cp /bin/busybox "$state/mirror-ctx/busybox"
	port=$(free_port)
	cat >"$state/mirror-registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $tmp/data
http:
  addr: 127.0.0.1:$port
YML
	"$COMPAT_PATH/registry" serve "$state/mirror-registry.yml" >"$state/mirror-registry.log" 2>&1 &
	mirror_pid=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		kill -0 "$mirror_pid" 2>/dev/null || { cat "$state/mirror-registry.log" >&2; cdie "the mirror registry did not start"; }
		sleep 0.1
	done
	while read -r target name; do
		buildctl build --progress="$progress" --frontend dockerfile.v0 \
			--local context="$state/mirror-ctx" --local dockerfile="$COMPAT_DIR" \
			--opt filename=mirror.Dockerfile --opt target="$target" \
			--output "type=image,name=127.0.0.1:$port/$name,push=true"
	done <<LIST
busybox library/busybox:latest
busybox library/busybox:stable-musl
busybox tonistiigi/hellofs:latest
busybox amd64/debian:bullseye-20230109-slim
alpine library/alpine:latest
LIST
	stop_pid "$mirror_pid"
	mirror_pid=
	rm -rf "$COMPAT_MIRROR" && mv "$tmp" "$COMPAT_MIRROR"
	echo "$mirror_want" >"$COMPAT_MIRROR.stamp"
fi
clog "images ready: $tightlip_tar, $COMPAT_IMAGES/stock.tar, mirror $COMPAT_MIRROR"
