#!/usr/bin/env bash
# Builds the integration suite's fake kubelet (integration-tests/fake-kubelet, Go) and caches it outside the repo:
#     ${FAKE_KUBELET_DIR:-~/.cache/multikube/fake-kubelet}/fake-kubelet
# beside a stamp holding the SHA-256 of its sources (go.mod, go.sum, *.go), so a changed source rebuilds it and an
# unchanged one costs nothing. Dependencies are the versions go.mod and go.sum pin, fetched through the Go module
# proxy when the module cache lacks them. Prints the binary's path on stdout.
#
# Usage: scripts/build-fake-kubelet.sh            Environment: FAKE_KUBELET_DIR, FORCE=1 (rebuild anyway)
set -euo pipefail
cd "$(dirname "$0")/../integration-tests/fake-kubelet"

OUT_DIR=${FAKE_KUBELET_DIR:-$HOME/.cache/multikube/fake-kubelet}
BINARY="$OUT_DIR/fake-kubelet"
STAMP="$OUT_DIR/fake-kubelet.sources"

log() { printf '[build-fake-kubelet] %s\n' "$*" >&2; }
die() { printf '[build-fake-kubelet] ERROR: %s\n' "$*" >&2; exit 1; }

sources=$(sha256sum go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)
if [ "${FORCE:-0}" != 1 ] && [ -x "$BINARY" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$sources" ]; then
    log "up to date: $BINARY"
    echo "$BINARY"
    exit 0
fi

command -v go >/dev/null || die "Go is not installed (needs Go 1.24 or newer)"
mkdir -p "$OUT_DIR"
NICE=()
command -v nice >/dev/null && NICE=(nice -n 19)
export GOMAXPROCS=${GOMAXPROCS:-2} CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
log "building with $(go version) (a minute or two the first time)"
trap 'rm -f "$BINARY.tmp"' EXIT
"${NICE[@]}" go build -trimpath -ldflags "-s -w" -o "$BINARY.tmp" . || die "go build failed"
mv -f "$BINARY.tmp" "$BINARY"
echo "$sources" >"$STAMP"
log "built $BINARY"
echo "$BINARY"
