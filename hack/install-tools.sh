#!/usr/bin/env bash
# Installs what builds and tests need on a fresh Debian machine:
#   - runc and busybox-static from apt (only when missing),
#   - buildkitd, buildctl, registry and buildx built from the Go module proxy into $TIGHTLIP_CACHE/bin.
# Binaries already in the cache at the pinned version are reused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install() {
	local missing=() pkg
	for pkg in runc busybox-static; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return
	[ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]}"
	log "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build_tool NAME VERSION PACKAGE [EXCLUDES_FROM_MODULE]
# Builds PACKAGE@VERSION into $TIGHTLIP_BIN/NAME through a throwaway module, so that the module's own
# replace/exclude lines (which make plain `go install` refuse it) can be copied in.
build_tool() {
	local name=$1 version=$2 pkg=$3 mod=${4:-}
	local stamp=$TIGHTLIP_BIN/.$name.version
	if [ -x "$TIGHTLIP_BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$pkg@$version" ]; then
		return
	fi
	log "building $name ($pkg@$version)"
	local dir=$TIGHTLIP_CACHE/toolmod/$name
	rm -rf "$dir" && mkdir -p "$dir" "$TIGHTLIP_BIN"
	(
		cd "$dir"
		go mod init "tightlip.local/tools/$name" >/dev/null 2>&1
		if [ -n "$mod" ]; then
			go mod download -json "$mod@$version" >/dev/null
			local gomod
			gomod=$(go mod download -json "$mod@$version" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
			# Copy the module's exclude block verbatim.
			awk '/^exclude \(/{p=1} p{print} p&&/^\)/{p=0}' "$gomod" >>go.mod
		fi
		go get -tool "$pkg@$version" >/dev/null 2>&1 || go get -tool "$pkg@$version"
		CGO_ENABLED=0 go build -trimpath -o "$TIGHTLIP_BIN/$name.tmp" "$pkg"
	)
	mv "$TIGHTLIP_BIN/$name.tmp" "$TIGHTLIP_BIN/$name"
	echo "$pkg@$version" >"$stamp"
}

apt_install
command -v go >/dev/null || die "go is not installed"
build_tool buildkitd "$BUILDKIT_VERSION" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit
build_tool buildctl "$BUILDKIT_VERSION" github.com/moby/buildkit/cmd/buildctl github.com/moby/buildkit
build_tool registry "$REGISTRY_VERSION" github.com/distribution/distribution/v3/cmd/registry
if [ "${TIGHTLIP_SKIP_BUILDX:-}" != 1 ]; then
	build_tool docker-buildx "$BUILDX_VERSION" github.com/docker/buildx/cmd/buildx
fi
log "tools ready in $TIGHTLIP_BIN"
