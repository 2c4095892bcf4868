#!/usr/bin/env bash
# Builds the images the main job and the tests need, on the buildkitd started by hack/daemon.sh, and
# pushes them to its loopback registry:
#   busybox:latest       a base image made from the host's static busybox
#   golang:GO_VERSION    a stand-in for the official Go image (the host's toolchain on busybox)
#   tightlip:dev         the frontend image, built from this repository's Dockerfile (its release path)
# Appends TIGHTLIP_IMAGE, TIGHTLIP_BUSYBOX and TIGHTLIP_VERSION (the frontend image's version) to
# STATE_DIR/env.
#
#   hack/build-images.sh STATE_DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

state=${1:-}
[ -n "$state" ] && [ -f "$state/env" ] || die "usage: $0 STATE_DIR (after hack/daemon.sh start STATE_DIR)"
# shellcheck disable=SC1091
. "$state/env"
export BUILDKIT_HOST
reg=$TIGHTLIP_REGISTRY
buildctl() { "$TIGHTLIP_BIN/buildctl" "$@"; }
progress=${TIGHTLIP_PROGRESS:-quiet}

ctx=$state/images
rm -rf "$ctx" && mkdir -p "$ctx/busybox"

log "building $reg/busybox:latest"
cp /bin/busybox "$ctx/busybox/busybox"
buildctl build --progress="$progress" --frontend dockerfile.v0 \
	--local context="$ctx/busybox" --local dockerfile="$TIGHTLIP_ROOT/hack/images" \
	--opt filename=busybox.Dockerfile \
	--output "type=image,name=$reg/busybox:latest,push=true"

go_version=$(sed -n 's/^ARG GO_VERSION=//p' "$TIGHTLIP_ROOT/Dockerfile")
[ -n "$go_version" ] || die "no ARG GO_VERSION in $TIGHTLIP_ROOT/Dockerfile"
log "building $reg/golang:$go_version from $(go env GOROOT)"
buildctl build --progress="$progress" --frontend dockerfile.v0 \
	--local context="$ctx/busybox" --local dockerfile="$TIGHTLIP_ROOT/hack/images" \
	--local goroot="$(go env GOROOT)" \
	--opt filename=golang.Dockerfile \
	--opt context:busybox="docker-image://$reg/busybox:latest" \
	--opt context:goroot=local:goroot \
	--output "type=image,name=$reg/golang:$go_version,push=true"

log "building $reg/tightlip:dev from $TIGHTLIP_ROOT/Dockerfile"
(cd "$TIGHTLIP_ROOT" && go mod vendor -o "$ctx/vendor")
version=$(git -C "$TIGHTLIP_ROOT" describe --tags --always --dirty 2>/dev/null || echo dev)
buildctl build --progress="$progress" --frontend dockerfile.v0 \
	--local context="$TIGHTLIP_ROOT" --local dockerfile="$TIGHTLIP_ROOT" \
	--local vendor="$ctx/vendor" \
	--opt context:vendor=local:vendor \
	--opt "context:golang:$go_version-alpine=docker-image://$reg/golang:$go_version" \
	--opt build-arg:GOFLAGS=-mod=vendor \
	--opt "build-arg:VERSION=$version" \
	--output "type=image,name=$reg/tightlip:dev,push=true" \
	${TIGHTLIP_FRONTEND_OCI:+--output "type=oci,dest=$TIGHTLIP_FRONTEND_OCI"}

cat >>"$state/env" <<ENV
TIGHTLIP_IMAGE=$reg/tightlip:dev
TIGHTLIP_BUSYBOX=$reg/busybox:latest
TIGHTLIP_VERSION=$version
ENV
log "images ready: $reg/tightlip:dev ($version), $reg/busybox:latest"
