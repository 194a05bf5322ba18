#!/usr/bin/env bash
# Scenario 1 alone, for profiling a proxied small GET: direct, nginx and multikube (started with the given JVM flags
# after scripts/jvm-flags.sh's) against nginx's fixed 1 KiB body, pinned as bench/run.sh pins, JIT settled first, in
# interleaved rounds. With JFR=1 a profile of multikube is recorded over one more multikube round into
# bench/.work/small-<stamp>/multikube.jfr, with PERF=1 a perf profile (kernel and JIT frames) into perf.data there.
# BASELINE=<multikube.jar of another build> adds that build to every round, for a before/after measured side by
# side; the baseline gets the given JVM flags too, unless BASELINE_PLAIN=1 (then it runs with scripts/jvm-flags.sh's
# alone: a copy of multikube.jar beside it as BASELINE measures a JVM flag against the same build). Prints wrk's
# JSON per path and round, then where multikube's CPU went (threads grouped, user and system).
# Usage: bench/small.sh [JVM flags...]
# Env: ROUNDS (3), DUR (10s), CONNS (32), PATH_SMALL, JFR, PERF, BASELINE, BASELINE_PLAIN, BENCH_PORT_BASE (default
#   19700; uses base+1..+13), MK_FLAGS (more multikube flags for every multikube, e.g. --cache-ttl=30s to profile
#   cached reads)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
. scripts/jvm-flags.sh
PIN=1 JFR=${JFR:-} UPSTREAM_H2=""
[ "$(nproc)" -ge 2 ] || PIN=0
ROUNDS=${ROUNDS:-3} DUR=${DUR:-10s} CONNS=${CONNS:-32} WARM=4s JIT_WARM=30s JIT_MAX=240
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
WORK=$PWD/bench/.work/small-$STAMP
mkdir -p "$WORK"
: >"$WORK/pids"
RAW=$WORK/raw.jsonl
BASE=${BENCH_PORT_BASE:-19700}
PORT_UP=$((BASE+1)) PORT_NGX=$((BASE+2)) PORT_NGX_GO=$((BASE+3)) PORT_GO=$((BASE+4))
PORT_MK=$((BASE+10)) PORT_MK_M=$((BASE+11)) PORT_MKB=$((BASE+12)) PORT_MKB_M=$((BASE+13))
MK_CP=server/target/multikube.jar
. bench/lib/setup.sh
trap stop_all EXIT
require_free_ports "$PORT_UP" "$PORT_NGX" "$PORT_NGX_GO" "$PORT_MK" "$PORT_MK_M" "$PORT_MKB" "$PORT_MKB_M"
build_server_jar
if [[ "${MK_FLAGS:-}" == *--cache* ]]; then # the response cache is a plugin
    [ -f plugins/cache-memory/target/multikube-cache-memory.jar ] || ./mvnw -B -q -ntp -DskipTests package -pl plugins/cache-memory
    MK_CP=$MK_CP:plugins/cache-memory/target/multikube-cache-memory.jar
fi
record() { echo "{\"target\": \"$2\", \"round\": \"$1\", $(cut -c2- <<<"$3")" >>"$RAW"; }
wrk_run() { # round target url
    local out
    out=$(pin_load wrk -t1 -c"$CONNS" -d"$DUR" --latency -s bench/lib/report.lua \
        -H "Authorization: Bearer $TOKEN" "$3" | grep '^WRKJSON' | cut -d' ' -f2-) || true
    [ -n "$out" ] || { echo "  $2: wrk failed" >&2; return 0; }
    record "$1" "$2" "$out"
    echo "  round $1 $2: $out"
}
warm() { pin_load wrk -t1 -c"$CONNS" -d"$WARM" -H "Authorization: Bearer $TOKEN" "$1" >/dev/null || true; }

make_pki
nginx_static_conf
nginx_proxy_conf
start_bg nginx-upstream nginx -c "$WORK/nginx-upstream.conf" -g 'daemon off;'
start_bg nginx-proxy nginx -c "$WORK/nginx-proxy.conf" -g 'daemon off;'
wait_https "https://127.0.0.1:$PORT_UP/"
wait_https "https://127.0.0.1:$PORT_NGX/"
CA=$WORK/pki/ca.crt
write_kubeconfig "$WORK/kubeconfig" "static https://127.0.0.1:$PORT_UP static-upstream-token $CA"
TOKEN=$(mint static)
ADDED_FLAGS=("$@")
MULTIKUBE_JVM_FLAGS+=("$@")
start_multikube multikube "$PORT_MK" "$PORT_MK_M" "$WORK/kubeconfig" ${MK_FLAGS:-}
PATHS=("direct https://127.0.0.1:$PORT_UP" "nginx https://127.0.0.1:$PORT_NGX" "multikube https://127.0.0.1:$PORT_MK")
if [ -n "${BASELINE:-}" ]; then
    if [ -n "${BASELINE_PLAIN:-}" ]; then
        MULTIKUBE_JVM_FLAGS=("${MULTIKUBE_JVM_FLAGS[@]:0:${#MULTIKUBE_JVM_FLAGS[@]}-${#ADDED_FLAGS[@]}}")
    fi
    MK_CP=$BASELINE start_multikube baseline "$PORT_MKB" "$PORT_MKB_M" "$WORK/kubeconfig" ${MK_FLAGS:-}
    PATHS+=("baseline https://127.0.0.1:$PORT_MKB")
fi
PATH_SMALL=${PATH_SMALL:-/api/v1/namespaces/default/configmaps/small}
DIRECT=https://127.0.0.1:$PORT_UP NGINX=https://127.0.0.1:$PORT_NGX MK=https://127.0.0.1:$PORT_MK
[ "$(curl -s --cacert "$CA" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "$MK$PATH_SMALL")" = 200 ] || { echo "multikube does not serve $PATH_SMALL" >&2; exit 1; }
jit_warm multikube "$MK$PATH_SMALL" "$TOKEN" "$PID_multikube"
[ -z "${BASELINE:-}" ] || jit_warm baseline "https://127.0.0.1:$PORT_MKB$PATH_SMALL" "$TOKEN" "$PID_baseline"
for url in "$DIRECT" "$NGINX"; do warm "$url$PATH_SMALL"; done
for round in $(seq 1 "$ROUNDS"); do
    for t in "${PATHS[@]}"; do set -- $t; wrk_run "$round" "$1" "$2$PATH_SMALL"; done
done
# Where multikube's CPU went in one more round (threads grouped; system time is the kernel's work for them).
cpu_round() { # name pid url
    python3 bench/lib/thread_cpu.py snapshot "$2" "$WORK/cpu.json"
    wrk_run cpu "$1" "$3$PATH_SMALL"
    echo "$1:"
    python3 bench/lib/thread_cpu.py diff "$2" "$WORK/cpu.json" \
        "$(tail -1 "$RAW" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')"
}
cpu_round multikube "$PID_multikube" "$MK"
[ -z "${BASELINE:-}" ] || cpu_round baseline "$PID_baseline" "https://127.0.0.1:$PORT_MKB"
if [ -n "${PERF:-}" ]; then
    # Kernel, JVM and JIT-compiled frames together; the JIT's symbols come from the perf map jcmd writes.
    perf record -F 499 -g -o "$WORK/perf.data" -p "$PID_multikube" >/dev/null 2>&1 &
    PERF_PID=$!
    wrk_run perf multikube "$MK$PATH_SMALL"
    "$JAVA_HOME/bin/jcmd" "$PID_multikube" Compiler.perfmap >/dev/null
    kill -INT "$PERF_PID"; wait "$PERF_PID" || true
    echo "perf: perf report -i $WORK/perf.data (symbols of JIT code: /tmp/perf-$PID_multikube.map)" >&2
fi
if [ -n "$JFR" ]; then
    "$JAVA_HOME/bin/jcmd" "$PID_multikube" JFR.start name=small settings=profile >/dev/null
    wrk_run jfr multikube "$MK$PATH_SMALL"
    "$JAVA_HOME/bin/jcmd" "$PID_multikube" JFR.dump name=small filename="$WORK/multikube.jfr" >/dev/null
    echo "JFR: $WORK/multikube.jfr" >&2
fi
echo "raw: $RAW; JVM flags added: ${ADDED_FLAGS[*]}" >&2
