#!/usr/bin/env bash
# Measures a trivial, cached build through the tightlip image (`# syntax=`) against the same build with
# the daemon's built-in Dockerfile frontend, on one private daemon, and prints the medians and their ratio.
#
#   hack/bench-frontend.sh [RUNS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=${1:-15}

"$TIGHTLIP_ROOT/hack/install-tools.sh"
state=$(mktemp -d /tmp/tightlip-bench-XXXXXX)
trap '"$TIGHTLIP_ROOT/hack/daemon.sh" stop "$state" || true; rm -rf "$state"' EXIT
"$TIGHTLIP_ROOT/hack/daemon.sh" start "$state"
"$TIGHTLIP_ROOT/hack/build-images.sh" "$state"
# shellcheck disable=SC1091
. "$state/env"
export BUILDKIT_HOST

mkdir -p "$state/ctx" "$state/stock" "$state/tightlip"
echo data >"$state/ctx/a.txt"
printf 'FROM busybox\nCOPY a.txt /a.txt\n' >"$state/stock/Dockerfile"
{ echo "# syntax=$TIGHTLIP_IMAGE"; cat "$state/stock/Dockerfile"; } >"$state/tightlip/Dockerfile"

build() {
	"$TIGHTLIP_BIN/buildctl" build --progress=quiet --frontend dockerfile.v0 \
		--local context="$state/ctx" --local dockerfile="$state/$1" \
		--opt context:busybox="docker-image://$TIGHTLIP_BUSYBOX" >/dev/null
}
millis() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

build stock && build tightlip # warm the cache and the frontend image
: >"$state/stock.ms"
: >"$state/tightlip.ms"
for _ in $(seq "$runs"); do
	for fe in stock tightlip; do
		start=$(millis)
		build "$fe"
		echo $(($(millis) - start)) >>"$state/$fe.ms"
	done
done
s=$(median <"$state/stock.ms")
t=$(median <"$state/tightlip.ms")
echo "trivial cached build, median of $runs runs: built-in dockerfile.v0 ${s} ms, tightlip image ${t} ms, ratio $(awk -v a="$t" -v b="$s" 'BEGIN {printf "%.2f", a/b}')"
