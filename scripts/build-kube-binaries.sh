#!/usr/bin/env bash
# Builds kube-apiserver and etcd from source through the Go module proxy (no Docker, no release downloads)
# and caches them where fabric8's kube-api-test looks for them in offline mode:
#     ~/.kubeapitest/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
# kubectl is not built: the installed one (command -v kubectl) is linked beside the two binaries.
#
# Usage: scripts/build-kube-binaries.sh [KUBERNETES_VERSION]      (default below; "v" prefix optional)
# Environment:
#   ETCD_VERSION     etcd server version to build (default: the go.etcd.io/etcd/server/v3 version that
#                    k8s.io/kubernetes itself pins at that Kubernetes version)
#   KUBEAPITEST_DIR  cache root (default ~/.kubeapitest)
#   KUBE_BUILD_DIR   throwaway build modules (default ~/.cache/multikube/kube-build)
#   FORCE=1          rebuild even when working binaries are already cached
# Idempotent: does nothing when both binaries exist and run. A first build takes 15-30 minutes on 2 cores.
set -euo pipefail

DEFAULT_K8S_VERSION=1.34.2

K8S_VERSION=${1:-${K8S_VERSION:-$DEFAULT_K8S_VERSION}}
K8S_VERSION=${K8S_VERSION#v}
KUBEAPITEST_DIR=${KUBEAPITEST_DIR:-$HOME/.kubeapitest}
KUBE_BUILD_DIR=${KUBE_BUILD_DIR:-$HOME/.cache/multikube/kube-build}
FORCE=${FORCE:-0}

log() { printf '[build-kube-binaries] %s\n' "$*" >&2; }
die() { printf '[build-kube-binaries] ERROR: %s\n' "$*" >&2; exit 1; }

case "$K8S_VERSION" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) die "not a Kubernetes version: '$K8S_VERSION' (expected e.g. 1.34.2)" ;;
esac
K8S_MAJOR=${K8S_VERSION%%.*}
K8S_MINOR=${K8S_VERSION#*.}; K8S_MINOR=${K8S_MINOR%%.*}
K8S_PATCH=${K8S_VERSION#*.*.}
# Staging modules (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch>.
STAGING_VERSION="v0.${K8S_MINOR}.${K8S_PATCH}"

OS=linux
ARCH=amd64
case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) ;;
    *) die "only linux/amd64 is supported (this is $(uname -s)/$(uname -m))" ;;
esac

TARGET_DIR="$KUBEAPITEST_DIR/k8s/${K8S_VERSION}-${OS}-${ARCH}"
APISERVER_BIN="$TARGET_DIR/kube-apiserver"
ETCD_BIN="$TARGET_DIR/etcd"

apiserver_ok() {
    [ -x "$APISERVER_BIN" ] && "$APISERVER_BIN" --version 2>/dev/null | grep -qx "Kubernetes v${K8S_VERSION}"
}
etcd_ok() {
    [ -x "$ETCD_BIN" ] || return 1
    local out
    out=$("$ETCD_BIN" --version 2>/dev/null) || return 1
    if [ -n "${ETCD_VERSION:-}" ]; then
        grep -qx "etcd Version: ${ETCD_VERSION#v}" <<<"$out"
    else
        grep -q '^etcd Version: 3\.' <<<"$out"
    fi
}
link_kubectl() {
    local kubectl
    if kubectl=$(command -v kubectl); then
        ln -sfn "$kubectl" "$TARGET_DIR/kubectl"
        log "kubectl: $TARGET_DIR/kubectl -> $kubectl"
    else
        log "WARNING: no kubectl on PATH; nothing linked as $TARGET_DIR/kubectl (kube-api-test may want one)"
    fi
}
report() {
    log "kube-apiserver: $APISERVER_BIN ($("$APISERVER_BIN" --version))"
    log "etcd:           $ETCD_BIN ($("$ETCD_BIN" --version | head -1))"
    echo "$TARGET_DIR"
}

# On failure leave no half-written binary, and no empty version directory that kube-api-test would pick.
cleanup() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        rm -f "$APISERVER_BIN.tmp" "$ETCD_BIN.tmp"
        rmdir "$TARGET_DIR" 2>/dev/null || true
    fi
}
trap cleanup EXIT

mkdir -p "$TARGET_DIR"
if [ "$FORCE" != 1 ] && apiserver_ok && etcd_ok; then
    log "already built, nothing to do"
    link_kubectl
    report
    exit 0
fi

command -v go >/dev/null || die "Go is not installed (needs Go 1.24 or newer; Debian: apt-get install golang-go, or a go.dev toolchain)"
log "using $(go version)"

# Heavy builds share the machine: be nice, and keep Go from fanning out beyond two cores.
NICE=()
command -v nice >/dev/null && NICE=(nice -n 19)
export GOMAXPROCS=${GOMAXPROCS:-2}
export CGO_ENABLED=0 GOOS=$OS GOARCH=$ARCH
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
PARALLEL=${BUILD_PARALLELISM:-1}
BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

mkdir -p "$KUBE_BUILD_DIR"
work_k8s="$KUBE_BUILD_DIR/kubernetes-v${K8S_VERSION}"
mkdir -p "$work_k8s"

# --- Fetch k8s.io/kubernetes and read its go.mod ------------------------------------------------------------
log "downloading k8s.io/kubernetes@v${K8S_VERSION} from the module proxy"
dl_json=$(cd "$KUBE_BUILD_DIR" && GOFLAGS= go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" 2>&1) \
    || die "the Go module proxy refused k8s.io/kubernetes@v${K8S_VERSION}: $(tr '\n' ' ' <<<"$dl_json")"
k8s_gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$dl_json" | head -1)
k8s_info=$(sed -n 's/^[[:space:]]*"Info": "\(.*\)",\{0,1\}$/\1/p' <<<"$dl_json" | head -1)
[ -f "$k8s_gomod" ] || die "no go.mod for k8s.io/kubernetes@v${K8S_VERSION} in the module cache ($dl_json)"
k8s_go_directive=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$k8s_gomod" | head -1)
k8s_commit=$(grep -o '"Hash": *"[0-9a-f]*"' "$k8s_info" 2>/dev/null | grep -o '[0-9a-f]\{40\}' || true)

# Every "k8s.io/foo => ./staging/src/k8s.io/foo" becomes "k8s.io/foo => k8s.io/foo v0.<minor>.<patch>".
mapfile -t staging < <(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\)[[:space:]]*=>[[:space:]]*\./staging/src/k8s\.io/.*$#\1#p' "$k8s_gomod" | sort -u)
[ "${#staging[@]}" -gt 0 ] || die "found no staging replace directives in $k8s_gomod"
log "k8s.io/kubernetes v${K8S_VERSION} (go ${k8s_go_directive:-?}, commit ${k8s_commit:-unknown}): ${#staging[@]} staging modules pinned to ${STAGING_VERSION}"

if [ -z "${ETCD_VERSION:-}" ]; then
    ETCD_VERSION=$(sed -n 's#^[[:space:]]*go\.etcd\.io/etcd/server/v3 \(v[0-9][^ ]*\).*$#\1#p' "$k8s_gomod" | head -1)
    [ -n "$ETCD_VERSION" ] || die "cannot tell which etcd k8s.io/kubernetes v${K8S_VERSION} pins; set ETCD_VERSION"
    log "etcd version: ${ETCD_VERSION#v} (the one k8s.io/kubernetes v${K8S_VERSION} pins; override with ETCD_VERSION)"
fi
ETCD_VERSION=${ETCD_VERSION#v}

# --- kube-apiserver ---------------------------------------------------------------------------------------
build_apiserver() {
    local start=$SECONDS
    {
        echo "// Throwaway module: builds kube-apiserver v${K8S_VERSION} from the module proxy. Generated by multikube's"
        echo "// scripts/build-kube-binaries.sh; safe to delete."
        echo "module multikube.local/kube-build/kubernetes"
        echo
        echo "go ${k8s_go_directive:-1.24.0}"
        echo
        echo "require k8s.io/kubernetes v${K8S_VERSION}"
        echo
        echo "tool k8s.io/kubernetes/cmd/kube-apiserver"
        echo
        echo "replace ("
        local m
        for m in "${staging[@]}"; do
            printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"
        done
        echo ")"
    } >"$work_k8s/go.mod"
    rm -f "$work_k8s/go.sum"

    log "resolving kube-apiserver dependencies (go mod tidy in $work_k8s)"
    local out
    if ! out=$(cd "$work_k8s" && "${NICE[@]}" go mod tidy 2>&1); then
        printf '%s\n' "$out" >&2
        die "go mod tidy failed for kube-apiserver v${K8S_VERSION} (see above: a module the proxy refused shows up there)"
    fi

    local pkg ldflags=(-s -w)
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ldflags+=(
            "-X ${pkg}.gitVersion=v${K8S_VERSION}"
            "-X ${pkg}.gitMajor=${K8S_MAJOR}"
            "-X ${pkg}.gitMinor=${K8S_MINOR}"
            "-X ${pkg}.gitTreeState=clean"
            "-X ${pkg}.buildDate=${BUILD_DATE}"
        )
        [ -n "$k8s_commit" ] && ldflags+=("-X ${pkg}.gitCommit=${k8s_commit}")
    done

    log "building kube-apiserver v${K8S_VERSION} (nice, GOMAXPROCS=$GOMAXPROCS, -p $PARALLEL; 15-30 minutes the first time)"
    (cd "$work_k8s" && "${NICE[@]}" go build -p "$PARALLEL" -trimpath -ldflags "${ldflags[*]}" \
        -o "$APISERVER_BIN.tmp" k8s.io/kubernetes/cmd/kube-apiserver) \
        || die "go build of kube-apiserver v${K8S_VERSION} failed"
    mv -f "$APISERVER_BIN.tmp" "$APISERVER_BIN"
    apiserver_ok || die "the built kube-apiserver does not report 'Kubernetes v${K8S_VERSION}': $("$APISERVER_BIN" --version 2>&1 || true)"
    log "kube-apiserver built in $((SECONDS - start))s"
}

# --- etcd ---------------------------------------------------------------------------------------------------
# go install refuses go.etcd.io/etcd/server/v3 (its go.mod has replace directives), hence a throwaway module too.
build_etcd() {
    local start=$SECONDS work_etcd="$KUBE_BUILD_DIR/etcd-v${ETCD_VERSION}"
    mkdir -p "$work_etcd"
    log "downloading go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
    local out
    out=$(cd "$KUBE_BUILD_DIR" && GOFLAGS= go mod download -json "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}" 2>&1) \
        || die "the Go module proxy refused go.etcd.io/etcd/server/v3@v${ETCD_VERSION}: $(tr '\n' ' ' <<<"$out")"
    local etcd_gomod etcd_go
    etcd_gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -1)
    etcd_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$etcd_gomod" | head -1)
    {
        echo "// Throwaway module: builds etcd v${ETCD_VERSION} from the module proxy. Generated by multikube's"
        echo "// scripts/build-kube-binaries.sh; safe to delete."
        echo "module multikube.local/kube-build/etcd"
        echo
        echo "go ${etcd_go:-1.24}"
        echo
        echo "require ("
        printf '\tgo.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION"
        # server/v3's go.mod points these at ../api etc.; pin the published modules of the same release.
        printf '\tgo.etcd.io/etcd/api/v3 v%s\n' "$ETCD_VERSION"
        printf '\tgo.etcd.io/etcd/client/pkg/v3 v%s\n' "$ETCD_VERSION"
        printf '\tgo.etcd.io/etcd/client/v3 v%s\n' "$ETCD_VERSION"
        printf '\tgo.etcd.io/etcd/pkg/v3 v%s\n' "$ETCD_VERSION"
        echo ")"
        echo
        echo "tool go.etcd.io/etcd/server/v3"
    } >"$work_etcd/go.mod"
    rm -f "$work_etcd/go.sum"
    log "resolving etcd dependencies (go mod tidy in $work_etcd)"
    if ! out=$(cd "$work_etcd" && "${NICE[@]}" go mod tidy 2>&1); then
        printf '%s\n' "$out" >&2
        die "go mod tidy failed for etcd v${ETCD_VERSION}"
    fi
    log "building etcd v${ETCD_VERSION}"
    (cd "$work_etcd" && "${NICE[@]}" go build -p "$PARALLEL" -trimpath -ldflags "-s -w" \
        -o "$ETCD_BIN.tmp" go.etcd.io/etcd/server/v3) \
        || die "go build of etcd v${ETCD_VERSION} failed"
    mv -f "$ETCD_BIN.tmp" "$ETCD_BIN"
    etcd_ok || die "the built etcd does not report 'etcd Version: ${ETCD_VERSION}': $("$ETCD_BIN" --version 2>&1 || true)"
    log "etcd built in $((SECONDS - start))s"
}

if [ "$FORCE" = 1 ] || ! apiserver_ok; then build_apiserver; else log "kube-apiserver already built"; fi
if [ "$FORCE" = 1 ] || ! etcd_ok; then build_etcd; else log "etcd already built"; fi
link_kubectl
log "done; build modules and Go caches: $KUBE_BUILD_DIR, $(go env GOMODCACHE), $(go env GOCACHE)"
report
