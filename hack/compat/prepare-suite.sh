#!/usr/bin/env bash
# Prepares what running BuildKit's Dockerfile test suite needs, all under $TIGHTLIP_CACHE/compat and
# reused while its stamp matches:
#   - a writable copy of the pinned buildkit module (the module cache is read-only),
#   - the suite compiled from it (`go test -c ./frontend/dockerfile`),
#   - distribution 2.8 as `registry` in $COMPAT_PATH: the suite starts `registry serve` and scrapes
#     "listening on 127.0.0.1:N" from its log, which the v3 registry of hack/install-tools.sh does not print.
#     It comes from Debian's docker-registry package, extracted (never installed as a service).
#
#   hack/compat/prepare-suite.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null || cdie "go is not installed"
mkdir -p "$COMPAT_CACHE"

module_copy() {
	local stamp=$COMPAT_MODULE/.compat-stamp
	stamp_ok "$stamp" "$BUILDKIT_VERSION" && return
	local src
	# Outside any module, so that nothing touches this repository's go.mod/go.sum.
	src=$(cd / && GOWORK=off go mod download -json "github.com/moby/buildkit@$BUILDKIT_VERSION" |
		sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src" ] || cdie "github.com/moby/buildkit@$BUILDKIT_VERSION: no module directory"
	clog "copying $src to $COMPAT_MODULE"
	rm -rf "$COMPAT_MODULE" "$COMPAT_MODULE.tmp"
	cp -R "$src" "$COMPAT_MODULE.tmp"
	chmod -R u+w "$COMPAT_MODULE.tmp"
	mv "$COMPAT_MODULE.tmp" "$COMPAT_MODULE"
	echo "$BUILDKIT_VERSION" >"$stamp"
}

test_binary() {
	local stamp=$COMPAT_TESTBIN.stamp want
	want="$BUILDKIT_VERSION $(go_version_id)"
	if [ -x "$COMPAT_TESTBIN" ] && stamp_ok "$stamp" "$want"; then
		clog "reusing $COMPAT_TESTBIN ($want)"
		return
	fi
	clog "compiling the suite: go test -c ./frontend/dockerfile ($want)"
	(cd "$COMPAT_MODULE" && GOWORK=off go test -c -o "$COMPAT_TESTBIN.tmp" ./frontend/dockerfile)
	mv "$COMPAT_TESTBIN.tmp" "$COMPAT_TESTBIN"
	echo "$want" >"$stamp"
}

# test2json turns the suite's -test.v=test2json output into `go test -json` events (recent Go toolchains
# build it on demand, so it is not in GOTOOLDIR).
test2json() {
	local want
	want=$(go_version_id)
	[ -x "$COMPAT_TEST2JSON" ] && stamp_ok "$COMPAT_TEST2JSON.stamp" "$want" && return
	(cd / && go build -o "$COMPAT_TEST2JSON.tmp" cmd/test2json)
	mv "$COMPAT_TEST2JSON.tmp" "$COMPAT_TEST2JSON"
	echo "$want" >"$COMPAT_TEST2JSON.stamp"
}

registry28() {
	local dir=$COMPAT_CACHE/registry-2.8 version
	version=$(apt-cache policy "$COMPAT_REGISTRY_DEB" 2>/dev/null | sed -n 's/^\s*Candidate: //p')
	if [ -z "$version" ] || [ "$version" = "(none)" ]; then
		[ "$(id -u)" = 0 ] || cdie "apt-get update needs root (for the $COMPAT_REGISTRY_DEB package)"
		clog "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
		version=$(apt-cache policy "$COMPAT_REGISTRY_DEB" | sed -n 's/^\s*Candidate: //p')
	fi
	case $version in 2.8.*) ;; *) cdie "$COMPAT_REGISTRY_DEB candidate is '$version', the suite needs distribution 2.8" ;; esac
	if ! { [ -x "$dir/usr/bin/docker-registry" ] && stamp_ok "$dir/.compat-stamp" "$version"; }; then
		clog "extracting $COMPAT_REGISTRY_DEB $version into $dir"
		local dl
		dl=$(mktemp -d)
		# apt-get download runs as the _apt user when it can; the temp dir must be writable for it.
		chmod 0777 "$dl"
		(
			cd "$dl"
			apt-get download -qq "$COMPAT_REGISTRY_DEB=$version" >/dev/null 2>&1 ||
				apt-get download "$COMPAT_REGISTRY_DEB=$version"
		)
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg -x "$dl"/"$COMPAT_REGISTRY_DEB"_*.deb "$dir"
		rm -rf "$dl"
		echo "$version" >"$dir/.compat-stamp"
	fi
	mkdir -p "$COMPAT_PATH"
	ln -sfn "$dir/usr/bin/docker-registry" "$COMPAT_PATH/registry"
}

module_copy
test_binary
test2json
registry28
clog "suite ready: $COMPAT_TESTBIN"
