# Sourced by bench/run.sh, bench/watches.sh and bench/small.sh: certificates, tokens, kubeconfigs, and starting/stopping
# the servers of a run.
# Every process started here is recorded in $WORK/pids and stopped by stop_all, by its own pid.

pin_servers() { if [ "$PIN" = 1 ]; then taskset -c 1 "$@"; else "$@"; fi; }
pin_load() { if [ "$PIN" = 1 ]; then taskset -c 0 "$@"; else "$@"; fi; }

start_bg() { # name command...: runs in the background, logs to $WORK/name.log
    local name=$1; shift
    # taskset execs the command, so $! is the server's own pid
    if [ "$PIN" = 1 ]; then taskset -c 1 "$@" >"$WORK/$name.log" 2>&1 & else "$@" >"$WORK/$name.log" 2>&1 & fi
    echo "$! $name" >>"$WORK/pids"
    eval "PID_${name//-/_}=$!"
}

stop_one() { # name
    local pid
    pid=$(awk -v n="$1" '$2 == n {print $1}' "$WORK/pids" | tail -1)
    # A server stopped by SIGTERM exits 143; under set -e that status must not end the run.
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
    return 0
}

# A memory cgroup of the given size, as a container's memory limit (deploy/ sets 1 GiB): prints its directory, or
# nothing when this machine lets us create none (cgroup v2 with the memory controller, or v1's memory hierarchy).
# The JVM sizes its heap from the limit (the image's -XX:MaxRAMPercentage=75); stop_all removes the group.
memory_cgroup() { # name limit-bytes
    local dir
    if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
        dir=/sys/fs/cgroup/multikube-bench-$1
        mkdir -p "$dir" 2>/dev/null && echo "$2" >"$dir/memory.max" 2>/dev/null || return 0
        echo 0 >"$dir/memory.swap.max" 2>/dev/null || true
    elif [ -d /sys/fs/cgroup/memory ]; then
        dir=/sys/fs/cgroup/memory/multikube-bench-$1
        mkdir -p "$dir" 2>/dev/null && echo "$2" >"$dir/memory.limit_in_bytes" 2>/dev/null || return 0
        echo 0 >"$dir/memory.max_usage_in_bytes" 2>/dev/null || true
    else
        return 0
    fi
    echo "$dir" >>"$WORK/cgroups"
    echo "$dir"
}

cgroup_peak_mib() { # directory: the most memory the group used (RSS and page cache), MiB
    local f
    for f in memory.peak memory.max_usage_in_bytes; do
        [ -f "$1/$f" ] && { echo $(( $(cat "$1/$f") / 1048576 )); return 0; }
    done
    echo 0
}

cgroup_oom_kills() { # directory: processes the kernel killed there for want of memory
    local f
    for f in memory.events memory.oom_control; do
        [ -f "$1/$f" ] && { awk '$1 == "oom_kill" {print $2; found=1} END {if (!found) print 0}' "$1/$f"; return 0; }
    done
    echo 0
}

stop_all() {
    [ -f "$WORK/pids" ] || return 0
    tac "$WORK/pids" | while read -r pid _; do kill "$pid" 2>/dev/null || true; done
    sleep 0.5
    tac "$WORK/pids" | while read -r pid _; do kill -9 "$pid" 2>/dev/null || true; done
    : >"$WORK/pids"
    if [ -f "$WORK/cgroups" ]; then
        # A killed process leaves its group a moment later; a group with members cannot be removed.
        while read -r dir; do
            for _ in $(seq 1 50); do [ -n "$(cat "$dir/cgroup.procs" 2>/dev/null)" ] || break; sleep 0.1; done
            rmdir "$dir" 2>/dev/null || true
        done <"$WORK/cgroups"
        : >"$WORK/cgroups"
    fi
}

require_free_ports() { # port...: stops the run when one is taken
    local port
    for port in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "port $port is in use; set BENCH_PORT_BASE to a free range" >&2; exit 1
        fi
    done
}

build_server_jar() { # server/target/multikube.jar, when a source is newer (offline first, then online)
    if [ ! -f "$MK_CP" ] || [ -n "$(find server/src spi/src -newer "$MK_CP" -print -quit)" ]; then
        ./mvnw -B -o -q -DskipTests -DskipFuzzCorpus=true package -pl spi,server \
            || ./mvnw -B -q -ntp -DskipTests -DskipFuzzCorpus=true package -pl spi,server
    fi
}

wait_https() { # url [header]: until it answers anything over TLS
    for _ in $(seq 1 600); do
        curl -sk -o /dev/null --max-time 2 ${2:+-H "$2"} "$1" && return 0
        sleep 0.1
    done
    echo "not answering: $1" >&2; return 1
}

make_pki() { # $WORK/pki: a CA, and a serving certificate for localhost/127.0.0.1 used by every server
    local d=$WORK/pki; mkdir -p "$d"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
        -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
        -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$d/ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/ext" -out "$d/server.crt" 2>/dev/null
    multikube keys --out "$d/signer" >/dev/null
}

multikube() { "$JAVA_HOME/bin/java" -cp "$MK_CP" io.multikube.Main "$@"; }

mint() { # ctx [extra token flags]
    local ctx=$1; shift
    multikube token --signer-key="$WORK/pki/signer/signer-key.pem" --sub=bench --ctx="$ctx" --ttl=4h "$@"
}

write_kubeconfig() { # file, then "name server token ca" per context
    local file=$1 spec; shift
    local specs=("$@")
    { echo "apiVersion: v1"; echo "kind: Config"; echo "clusters:"
      for spec in "${specs[@]}"; do set -- $spec
          printf -- '- name: %s\n  cluster:\n    server: %s\n    certificate-authority: %s\n' "$1" "$2" "$4"; done
      echo "users:"
      for spec in "${specs[@]}"; do set -- $spec; printf -- '- name: %s\n  user:\n    token: %s\n' "$1" "$3"; done
      echo "contexts:"
      for spec in "${specs[@]}"; do set -- $spec
          printf -- '- name: %s\n  context:\n    cluster: %s\n    user: %s\n' "$1" "$1" "$1"; done
    } >"$file"
}

mk_flags() { # tls-port metrics-port kubeconfig
    echo "--tls-certificate=$WORK/pki/server.crt --tls-key=$WORK/pki/server.key" \
         "--tls-signer-certificate=$WORK/pki/signer/signer.pem --host=127.0.0.1" \
         "--tls-port=$1 --metrics-port=$2 --kubeconfig=$3 --state-dir=$WORK/state"
}

start_multikube() { # name tls-port metrics-port kubeconfig [more flags]
    local name=$1 tls=$2 metrics=$3 kubeconfig=$4; shift 4
    local jfr=()
    [ -n "$JFR" ] && jfr=("-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=profile,dumponexit=true")
    # MK_CGROUP: a directory from memory_cgroup to start in
    start_bg "$name" ${MK_CGROUP:+bench/lib/in-cgroup.sh "$MK_CGROUP"} "$JAVA_HOME/bin/java" \
        "${MULTIKUBE_JVM_FLAGS[@]}" "${jfr[@]}" -cp "$MK_CP" io.multikube.Main \
        $(mk_flags "$tls" "$metrics" "$kubeconfig") "$@"
    for _ in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics/readyz")" = 200 ] && return 0
        sleep 0.1
    done
    echo "multikube $name did not become ready; its log:" >&2; tail -20 "$WORK/$name.log" >&2; return 1
}

nginx_static_conf() { # the fast upstream: fixed JSON bodies over HTTPS
    local body=$WORK/www/api/v1/namespaces/default/configmaps
    mkdir -p "$body"
    /usr/bin/python3 - "$body" <<'EOF'
import json, sys
for name, size in (("small", 1024), ("big", 100 * 1024)):
    doc = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": name, "namespace": "default"}, "data": {"v": ""}}
    pad = size - len(json.dumps(doc, separators=(",", ":")))
    doc["data"]["v"] = "x" * pad
    open(f"{sys.argv[1]}/{name}", "w").write(json.dumps(doc, separators=(",", ":")))
EOF
    cat >"$WORK/nginx-upstream.conf" <<EOF
worker_processes 1;
pid $WORK/nginx-upstream.pid;
error_log $WORK/nginx-upstream.error.log;
events { worker_connections 4096; }
http {
    access_log $WORK/nginx-upstream.access.log;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$PORT_UP ssl${UPSTREAM_H2:+ http2};
        ssl_certificate $WORK/pki/server.crt;
        ssl_certificate_key $WORK/pki/server.key;
        root $WORK/www;
        default_type application/json;
        location / { try_files \$uri =404; }
    }
}
EOF
}

nginx_proxy_conf() { # nginx as a plain TLS reverse proxy with keep-alive upstream connections
    cat >"$WORK/nginx-proxy.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 65536;
pid $WORK/nginx-proxy.pid;
error_log $WORK/nginx-proxy.error.log;
events { worker_connections 16384; }
http {
    access_log $WORK/nginx-proxy.access.log;
    keepalive_requests 1000000;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    upstream static { server 127.0.0.1:$PORT_UP; keepalive 64; }
    upstream events { server 127.0.0.1:$PORT_GO; keepalive 64; }
    proxy_http_version 1.1;
    proxy_ssl_trusted_certificate $WORK/pki/ca.crt;
    proxy_ssl_verify on;
    proxy_ssl_name localhost;
    proxy_ssl_session_reuse on;
    proxy_set_header Upgrade \$http_upgrade;
    proxy_set_header Connection \$connection_upgrade;
    proxy_read_timeout 1h;
    ssl_certificate $WORK/pki/server.crt;
    ssl_certificate_key $WORK/pki/server.key;
    server { listen 127.0.0.1:$PORT_NGX ssl; location / { proxy_pass https://static; } }
    server { listen 127.0.0.1:$PORT_NGX_GO ssl; location / { proxy_buffering off; proxy_pass https://events; } }
}
EOF
}

jit_cpu_ticks() { # pid: CPU clock ticks the JIT compiler threads have used so far
    /usr/bin/python3 - "$1" <<'PY'
import glob, sys
total = 0
for stat in glob.glob(f"/proc/{sys.argv[1]}/task/*/stat"):
    try:
        text = open(stat).read()
    except OSError:
        continue
    name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
    if "Compiler" in name:
        total += int(rest[11]) + int(rest[12])  # utime, stime
print(total)
PY
}

# Small GETs in 5 s slices until the JIT has settled: its compiler threads used under 5 % of a CPU in the last slice
# (at least $JIT_WARM, at most $JIT_MAX seconds). On one CPU, C2 needs a minute or more to compile multikube's hot
# paths; a fixed short warm-up measured a server that was still compiling. Records how long it took.
jit_warm() { # name url token pid
    local name=$1 url=$2 token=$3 pid=$4 start=$SECONDS before after share hz
    hz=$(getconf CLK_TCK)
    before=$(jit_cpu_ticks "$pid")
    while :; do
        pin_load wrk -t1 -c"$CONNS" -d5s -H "Authorization: Bearer $token" "$url" >/dev/null || true
        after=$(jit_cpu_ticks "$pid")
        share=$(( (after - before) * 100 / (5 * hz) ))
        before=$after
        if [ $((SECONDS - start)) -ge "${JIT_WARM%s}" ] && [ "$share" -lt 5 ]; then break; fi
        if [ $((SECONDS - start)) -ge "$JIT_MAX" ]; then break; fi
    done
    record jit "$name" "{\"seconds\": $((SECONDS - start)), \"last_slice_jit_cpu_percent\": $share}"
    echo "  $name: JIT warm after $((SECONDS - start)) s (compiler threads: $share % of a CPU in the last 5 s)" >&2
}
