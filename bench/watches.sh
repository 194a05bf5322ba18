#!/usr/bin/env bash
# Scenario 3 alone, for comparing JVM settings: N watches through one multikube started with the given JVM flags
# (instead of scripts/jvm-flags.sh), against the Go event upstream, pinned as bench/run.sh pins. Prints benchtool's
# JSON (relay latency overall, per 5 s window and for the hold's second half; RSS and threads) and keeps a GC log
# with the phases of every pause in bench/.work/<stamp>/gc.log. No JIT warm-up: compare the late windows.
# Usage: bench/watches.sh N [JVM flags...]      e.g. bench/watches.sh 10000 -XX:+UseZGC -Xms16m
# Env: HOLD (default 30s), MK_CP (another build's multikube.jar), BENCH_PORT_BASE (default 19600; uses base+4, base+10,
#   base+11), MEMORY_LIMIT_MIB (multikube in a memory cgroup of that size, as in a container; add the image's
#   -XX:MaxRAMPercentage=75 to the flags)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }
WATCHES=$1; shift
cd "$(dirname "$0")/.."
. scripts/java-home.sh
PIN=1 JFR=""
[ "$(nproc)" -ge 2 ] || PIN=0
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
WORK=$PWD/bench/.work/watches-$STAMP
mkdir -p "$WORK"
: >"$WORK/pids"
BASE=${BENCH_PORT_BASE:-19600}
PORT_GO=$((BASE+4)) PORT_MK=$((BASE+10)) PORT_MK_M=$((BASE+11))
MK_CP=${MK_CP:-server/target/multikube.jar}
. bench/lib/setup.sh
trap stop_all EXIT
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
require_free_ports "$PORT_GO" "$PORT_MK" "$PORT_MK_M"

build_server_jar
(cd bench/tools/benchtool && go build -o "$WORK/benchtool" .)
BT=$WORK/benchtool

make_pki
start_bg go-upstream "$BT" upstream -addr "127.0.0.1:$PORT_GO" -cert "$WORK/pki/server.crt" \
    -key "$WORK/pki/server.key" -period 2s
wait_https "https://127.0.0.1:$PORT_GO/"
CA=$WORK/pki/ca.crt
write_kubeconfig "$WORK/kubeconfig" "events https://127.0.0.1:$PORT_GO events-upstream-token $CA"
TOKEN=$(mint events)
CG=""
if [ -n "${MEMORY_LIMIT_MIB:-}" ]; then
    CG=$(memory_cgroup watches "$((MEMORY_LIMIT_MIB * 1024 * 1024))")
    [ -n "$CG" ] || { echo "no memory cgroup can be made here" >&2; exit 1; }
fi
start_bg multikube ${CG:+bench/lib/in-cgroup.sh "$CG"} "$JAVA_HOME/bin/java" "$@" "-Xlog:gc,gc+phases=debug:file=$WORK/gc.log:uptime" \
    -cp "$MK_CP" io.multikube.Main $(mk_flags "$PORT_MK" "$PORT_MK_M" "$WORK/kubeconfig")
for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_MK_M/readyz")" = 200 ] && break
    sleep 0.1
done
pin_load "$BT" watch -url "https://127.0.0.1:$PORT_MK/api/v1/namespaces/default/configmaps?watch=true" \
    -token "$TOKEN" -ca "$CA" -n "$WATCHES" -hold "${HOLD:-30s}" -pid "$PID_multikube" 2>>"$WORK/watch-client.log"
echo "JVM flags: $*; GC log: $WORK/gc.log" >&2
[ -z "$CG" ] || echo "memory limit ${MEMORY_LIMIT_MIB} MiB: peak $(cgroup_peak_mib "$CG") MiB, OOM kills $(cgroup_oom_kills "$CG")," \
    "multikube $(kill -0 "$PID_multikube" 2>/dev/null && echo alive || echo gone)" >&2
