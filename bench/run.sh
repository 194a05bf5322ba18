#!/usr/bin/env bash
# Benchmarks multikube side by side with direct access and with nginx (issue 8). Builds what it needs, runs every
# scenario, writes bench/results/<date>.md, a PNG chart and the raw numbers, and prints a summary table last.
# Usage: bench/run.sh [--quick] [--no-pin] [--no-apiserver] [--jfr] [--watches=N] [--upstream-h2]
# --upstream-h2: the static upstream offers HTTP/2 too (multikube then uses it; see the README on the stall it shows)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/java-home.sh
. scripts/jvm-flags.sh

QUICK=0 PIN=1 APISERVER=1 JFR="" WATCHES="" UPSTREAM_H2=""
for arg in "$@"; do
    case $arg in
        --quick) QUICK=1 ;;
        --no-pin) PIN=0 ;;
        --no-apiserver) APISERVER=0 ;;
        --jfr) JFR=1 ;;
        --watches=*) WATCHES=${arg#*=} ;;
        --upstream-h2) UPSTREAM_H2=1 ;;
        *) sed -n '2,5p' "$0"; exit 2 ;;
    esac
done
[ "$(nproc)" -ge 2 ] || PIN=0
if [ "$QUICK" = 1 ]; then
    DUR=6s ROUNDS=3 WARM=4s JIT_WARM=15s JIT_MAX=180 CONNS=32 WATCHES=${WATCHES:-1000} HOLD=30s UP_MIB=64 HS_DUR=4s STARTS=1
else
    DUR=20s ROUNDS=3 WARM=15s JIT_WARM=30s JIT_MAX=300 CONNS=64 WATCHES=${WATCHES:-10000} HOLD=30s UP_MIB=256 HS_DUR=10s STARTS=3
fi
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
WORK=$ROOT/bench/.work/$STAMP
RESULTS=$ROOT/bench/results
mkdir -p "$WORK" "$RESULTS"
: >"$WORK/pids"
RAW=$WORK/raw.jsonl
BASE=${BENCH_PORT_BASE:-19400}
PORT_UP=$((BASE+1)) PORT_NGX=$((BASE+2)) PORT_NGX_GO=$((BASE+3)) PORT_GO=$((BASE+4)) PORT_NGX_API=$((BASE+5))
PORT_MK=$((BASE+10)) PORT_MK_M=$((BASE+11)) PORT_MKC=$((BASE+12)) PORT_MKC_M=$((BASE+13))
PORT_MKS=$((BASE+14)) PORT_MKS_M=$((BASE+15)) PORT_MKA=$((BASE+16)) PORT_MKA_M=$((BASE+17))
PORT_MKAC=$((BASE+18)) PORT_MKAC_M=$((BASE+19)) PORT_MKL=$((BASE+20)) PORT_MKL_M=$((BASE+21))
. bench/lib/setup.sh
trap stop_all EXIT
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log() { printf '\n== %s\n' "$*" >&2; }

log "build"
MK_JARS=(server/target/multikube.jar plugins/cache-memory/target/multikube-cache-memory.jar)
if [ ! -f server/target/multikube.jar ] || [ ! -f "${MK_JARS[1]}" ] || [ -n "$(find server/src spi/src \
        plugins/cache-memory/src -newer server/target/multikube.jar -print -quit)" ]; then
    ./mvnw -B -o -q -DskipTests package -pl server,plugins/audit-file,plugins/cache-memory -am \
        || ./mvnw -B -q -ntp -DskipTests package -pl server,plugins/audit-file,plugins/cache-memory -am
fi
MK_CP=$(IFS=:; echo "${MK_JARS[*]}")
(cd bench/tools/benchtool && go build -o "$WORK/benchtool" .)
BT=$WORK/benchtool
for tool in wrk nginx openssl curl taskset; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx-light" >&2; exit 1; }
done
# The report draws its chart with matplotlib: missing, a whole run would end without its results.
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null \
    || { echo "missing matplotlib for /usr/bin/python3: apt-get install -y python3-matplotlib" >&2; exit 1; }

record() { # scenario target json
    /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[3]); d.update(scenario=sys.argv[1], target=sys.argv[2]); print(json.dumps(d))' \
        "$1" "$2" "$3" >>"$RAW"
}
wrk_run() { # scenario target url [token] [duration]: records wrk's totals and percentiles
    local out
    out=$(pin_load wrk -t1 -c"$CONNS" -d"${5:-$DUR}" --latency -s bench/lib/report.lua \
        ${4:+-H "Authorization: Bearer $4"} "$3" | grep '^WRKJSON' | cut -d' ' -f2-) || true
    [ -n "$out" ] || { echo "  $2: wrk failed" >&2; return 0; }
    record "$1" "$2" "$out"
    echo "  $2: $out" >&2
}
warm() { pin_load wrk -t1 -c"$CONNS" -d"$WARM" ${2:+-H "Authorization: Bearer $2"} "$1" >/dev/null || true; }

for port in $(seq $((BASE+1)) $((BASE+22))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is in use; set BENCH_PORT_BASE to a free range of 22 ports" >&2; exit 1
    fi
done

log "set-up: certificates, tokens, upstreams, nginx, multikube"
make_pki
nginx_static_conf
nginx_proxy_conf
start_bg nginx-upstream nginx -c "$WORK/nginx-upstream.conf" -g 'daemon off;'
start_bg go-upstream "$BT" upstream -addr "127.0.0.1:$PORT_GO" -cert "$WORK/pki/server.crt" \
    -key "$WORK/pki/server.key" -period 2s
start_bg nginx-proxy nginx -c "$WORK/nginx-proxy.conf" -g 'daemon off;'
wait_https "https://127.0.0.1:$PORT_UP/"
wait_https "https://127.0.0.1:$PORT_GO/"
wait_https "https://127.0.0.1:$PORT_NGX/"
CA=$WORK/pki/ca.crt
write_kubeconfig "$WORK/kubeconfig" "static https://127.0.0.1:$PORT_UP static-upstream-token $CA" \
    "events https://127.0.0.1:$PORT_GO events-upstream-token $CA"
TOKEN_STATIC=$(mint static)
TOKEN_EVENTS=$(mint events)
start_multikube multikube "$PORT_MK" "$PORT_MK_M" "$WORK/kubeconfig"
start_multikube multikube-cached "$PORT_MKC" "$PORT_MKC_M" "$WORK/kubeconfig" --cache-ttl=30s
PATH_SMALL=/api/v1/namespaces/default/configmaps/small
PATH_BIG=/api/v1/namespaces/default/configmaps/big
DIRECT=https://127.0.0.1:$PORT_UP NGINX=https://127.0.0.1:$PORT_NGX MK=https://127.0.0.1:$PORT_MK
MKC=https://127.0.0.1:$PORT_MKC
[ "$(curl -s --cacert "$CA" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN_STATIC" \
    "$MK$PATH_SMALL")" = 200 ] || { echo "multikube does not serve $PATH_SMALL" >&2; exit 1; }

log "JIT warm-up: small GETs on each multikube until its JIT settles (nginx needs none)"
jit_warm multikube "$MK$PATH_SMALL" "$TOKEN_STATIC" "$PID_multikube"
jit_warm multikube-cached "$MKC$PATH_SMALL?warm" "$TOKEN_STATIC" "$PID_multikube_cached"

# HTTP paths are measured in $ROUNDS rounds, each running direct, nginx and multikube one after another, and the
# report takes each path's median round: this machine's speed drifts by a third within minutes (other VMs), and
# interleaving keeps a slow minute from landing on one path only.
log "1. small GET (1 KiB), $ROUNDS rounds"
for t in "direct $DIRECT" "nginx $NGINX"; do set -- $t; warm "$2$PATH_SMALL" "$TOKEN_STATIC"; done
for round in $(seq 1 "$ROUNDS"); do
    for t in "direct $DIRECT" "nginx $NGINX" "multikube $MK"; do
        set -- $t; wrk_run small "$1" "$2$PATH_SMALL" "$TOKEN_STATIC"
    done
done

log "2. 100 KiB responses, $ROUNDS rounds"
for t in "direct $DIRECT" "nginx $NGINX"; do set -- $t; warm "$2$PATH_BIG" "$TOKEN_STATIC"; done
# A new path makes the JIT compile (and deoptimize) again: on one CPU that takes a minute, so multikube's 100 KiB
# path settles the way its small GETs did before it is measured.
jit_warm "multikube (100 KiB)" "$MK$PATH_BIG" "$TOKEN_STATIC" "$PID_multikube"
for round in $(seq 1 "$ROUNDS"); do
    for t in "direct $DIRECT" "nginx $NGINX" "multikube $MK"; do
        set -- $t; wrk_run big "$1" "$2$PATH_BIG" "$TOKEN_STATIC"
    done
done

log "4. cache: cached vs uncached small GET; 100 identical concurrent GETs"
# Before the watch storm: the uncached multikube must not be measured while it still settles from 10,000 streams.
jit_warm "multikube (small, after 100 KiB)" "$MK$PATH_SMALL" "$TOKEN_STATIC" "$PID_multikube"
warm "$MKC$PATH_SMALL" "$TOKEN_STATIC"
for round in $(seq 1 "$ROUNDS"); do
    wrk_run cache uncached "$MK$PATH_SMALL" "$TOKEN_STATIC"
    wrk_run cache cached "$MKC$PATH_SMALL" "$TOKEN_STATIC"
done
BURST_QUERY="burst=$RANDOM$RANDOM"
out=$(pin_load "$BT" burst -url "$MKC$PATH_SMALL?$BURST_QUERY" -token "$TOKEN_STATIC" -ca "$CA" -n 100)
sleep 1
upstream_count=$(grep -c "$BURST_QUERY" "$WORK/nginx-upstream.access.log" || true)
record burst cached "$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["upstream_requests"]=int(sys.argv[2]); print(json.dumps(d))' "$out" "$upstream_count")"
echo "  burst: $out, upstream requests: $upstream_count" >&2

log "3. watches: $WATCHES streams for $HOLD"
WATCH_PATH="/api/v1/namespaces/default/configmaps?watch=true"
for t in "direct https://127.0.0.1:$PORT_GO $PID_go_upstream" "multikube $MK $PID_multikube"; do
    set -- $t
    out=$(pin_load "$BT" watch -url "$2$WATCH_PATH" -token "$TOKEN_EVENTS" -ca "$CA" -n "$WATCHES" \
        -hold "$HOLD" -pid "$3" 2>>"$WORK/watch-client.log") || out='{"opened":0}'
    record watch "$1" "$out"; echo "  $1: $out" >&2
    sleep 3
done
# As deployed (deploy/: a 1 GiB memory limit, the image's -XX:MaxRAMPercentage=75): a fresh multikube in a memory
# cgroup of that size takes the same storm. Its RSS cannot pass the limit; what counts is whether it holds the streams
# (a heap too small for the connections would end the process) and how fast it relays.
CG=$(memory_cgroup watch-1gib $((1024 * 1024 * 1024)))
if [ -n "$CG" ]; then
    MULTIKUBE_JVM_FLAGS+=(-XX:MaxRAMPercentage=75)
    MK_CGROUP=$CG start_multikube multikube-1gib "$PORT_MKL" "$PORT_MKL_M" "$WORK/kubeconfig"
    unset 'MULTIKUBE_JVM_FLAGS[-1]'
    out=$(pin_load "$BT" watch -url "https://127.0.0.1:$PORT_MKL$WATCH_PATH" -token "$TOKEN_EVENTS" -ca "$CA" \
        -n "$WATCHES" -hold "$HOLD" -pid "$PID_multikube_1gib" 2>>"$WORK/watch-client.log") || out='{"opened":0}'
    out=$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(limit_mib=1024, peak_mib=int(sys.argv[2]), oom_kills=int(sys.argv[3]), alive=sys.argv[4] == "1"); print(json.dumps(d))' \
        "$out" "$(cgroup_peak_mib "$CG")" "$(cgroup_oom_kills "$CG")" "$(kill -0 "$PID_multikube_1gib" 2>/dev/null && echo 1 || echo 0)")
    record watch multikube-1gib "$out"; echo "  multikube in 1 GiB: $out" >&2
    stop_one multikube-1gib
else
    echo "  no memory cgroup can be made here: the 1 GiB run is left out" >&2
fi

log "5. upgraded connections: $UP_MIB MiB echoed, 3 runs"
UP_PATH=/api/v1/namespaces/default/pods/bench/portforward
for t in "direct https://127.0.0.1:$PORT_GO" "nginx https://127.0.0.1:$PORT_NGX_GO" "multikube $MK"; do
    set -- $t
    out=$(pin_load "$BT" upgrade -url "$2$UP_PATH" -token "$TOKEN_EVENTS" -ca "$CA" -mib "$UP_MIB")
    record upgrade "$1" "$out"; echo "  $1: $out" >&2
done

log "6. start-up, idle RSS, TLS handshakes"
for i in $(seq 1 "$STARTS"); do
    out=$(pin_servers "$BT" startup -ready "http://127.0.0.1:$PORT_MKS_M/readyz" -settle 5s -- \
        "$JAVA_HOME/bin/java" "${MULTIKUBE_JVM_FLAGS[@]}" -cp "$MK_CP" io.multikube.Main \
        $(mk_flags "$PORT_MKS" "$PORT_MKS_M" "$WORK/kubeconfig") 2>>"$WORK/startup.log")
    record startup multikube "$out"; echo "  start $i: $out" >&2
done
# The same start with a JDK 25 AOT cache (JEP 483/514: classes loaded and linked, and profiles, from a training run
# that starts multikube, sends it requests and stops it), as scripts/run and the image can use it.
AOT=$WORK/multikube.aot
start_bg multikube-training "$JAVA_HOME/bin/java" "${MULTIKUBE_JVM_FLAGS[@]}" -XX:AOTCacheOutput="$AOT" -cp "$MK_CP" io.multikube.Main \
    $(mk_flags "$PORT_MKS" "$PORT_MKS_M" "$WORK/kubeconfig")
wait_https "https://127.0.0.1:$PORT_MKS/" && pin_load wrk -t1 -c4 -d3s -H "Authorization: Bearer $TOKEN_STATIC" \
    "https://127.0.0.1:$PORT_MKS$PATH_SMALL" >/dev/null || true
stop_one multikube-training
if [ -f "$AOT" ]; then
    for i in $(seq 1 "$STARTS"); do
        out=$(pin_servers "$BT" startup -ready "http://127.0.0.1:$PORT_MKS_M/readyz" -settle 5s -- \
            "$JAVA_HOME/bin/java" "${MULTIKUBE_JVM_FLAGS[@]}" -XX:AOTCache="$AOT" "-Xlog:aot*=off" -cp "$MK_CP" io.multikube.Main \
            $(mk_flags "$PORT_MKS" "$PORT_MKS_M" "$WORK/kubeconfig") 2>>"$WORK/startup.log")
        record startup multikube-aot "$out"; echo "  start with AOT cache $i: $out" >&2
    done
    # Pinning steadies the ratios, but a starting server has both cores to itself: the same starts unpinned.
    for i in $(seq 1 "$([ "$PIN" = 1 ] && echo "$STARTS" || echo 0)"); do
        out=$("$BT" startup -ready "http://127.0.0.1:$PORT_MKS_M/readyz" -settle 5s -- \
            "$JAVA_HOME/bin/java" "${MULTIKUBE_JVM_FLAGS[@]}" -cp "$MK_CP" io.multikube.Main \
            $(mk_flags "$PORT_MKS" "$PORT_MKS_M" "$WORK/kubeconfig") 2>>"$WORK/startup.log")
        record startup multikube-2cpu "$out"; echo "  start on both cores $i: $out" >&2
        out=$("$BT" startup -ready "http://127.0.0.1:$PORT_MKS_M/readyz" -settle 5s -- \
            "$JAVA_HOME/bin/java" "${MULTIKUBE_JVM_FLAGS[@]}" -XX:AOTCache="$AOT" "-Xlog:aot*=off" -cp "$MK_CP" io.multikube.Main \
            $(mk_flags "$PORT_MKS" "$PORT_MKS_M" "$WORK/kubeconfig") 2>>"$WORK/startup.log")
        record startup multikube-aot-2cpu "$out"; echo "  start on both cores with AOT cache $i: $out" >&2
    done
else
    echo "  no AOT cache was written; see $WORK/multikube-training.log" >&2
fi
for t in "direct 127.0.0.1:$PORT_UP" "nginx 127.0.0.1:$PORT_NGX" "multikube 127.0.0.1:$PORT_MK"; do
    set -- $t
    out=$(pin_load "$BT" handshake -addr "$2" -ca "$CA" -c 8 -d "$HS_DUR")
    record handshake "$1" "$out"; echo "  $1: $out" >&2
done

if [ "$APISERVER" = 1 ]; then
    log "7. a real kube-apiserver: GET one ConfigMap, LIST 100"
    . bench/lib/apiserver.sh
    run_apiserver_scenario || echo "kube-apiserver scenario failed; see $WORK" >&2
fi

for name in multikube multikube-cached; do
    pid=$(awk -v n="$name" '$2 == n {print $1}' "$WORK/pids")
    record process "$name" "$(/usr/bin/python3 -c 'import json,sys
f=dict(l.split(":",1) for l in open(f"/proc/{sys.argv[1]}/status"))
print(json.dumps({"rss_mib": int(f["VmRSS"].split()[0])/1024, "hwm_mib": int(f["VmHWM"].split()[0])/1024, "threads": int(f["Threads"])}))' "$pid")"
done

log "report"
stop_all
mkdir -p "$RESULTS/raw"
cp "$RAW" "$RESULTS/raw/$STAMP.jsonl"
/usr/bin/python3 bench/lib/report.py --raw "$RAW" --out "$RESULTS/$STAMP" --mode "$([ "$QUICK" = 1 ] && echo quick || echo full)" \
    --pin "$PIN" --upstream-h2 "${UPSTREAM_H2:-0}" --jit-warm "$JIT_WARM" --rounds "$ROUNDS" --conns "$CONNS" --duration "$DUR" --watches "$WATCHES" --hold "$HOLD" --upgrade-mib "$UP_MIB" \
    --jvm-flags="${MULTIKUBE_JVM_FLAGS[*]}"
