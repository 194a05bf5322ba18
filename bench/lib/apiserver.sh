# Sourced by bench/run.sh: scenario 7, a real kube-apiserver (with its own etcd, from ~/.kubeapitest, as the
# integration suite starts it) behind nginx and behind multikube. Reads: GET one ConfigMap, LIST 100 ConfigMaps
# (also through a caching multikube);
# port-forward upgrades through the API server to a node whose "kubelet" is the Go echo upstream.

KUBE_DIR=${KUBE_BINARIES_DIR:-$HOME/.kubeapitest/k8s/${MULTIKUBE_KUBE_VERSION:-1.34.2}-linux-amd64}

run_apiserver_scenario() {
    [ -x "$KUBE_DIR/kube-apiserver" ] && [ -x "$KUBE_DIR/etcd" ] \
        || { echo "no kube-apiserver in $KUBE_DIR (scripts/build-kube-binaries.sh builds it); skipped" >&2; return 0; }
    local d=$WORK/apiserver admin="admin-$RANDOM$RANDOM" etcd=$((BASE+20)) peer=$((BASE+21)) api=$((BASE+22))
    mkdir -p "$d/certs"
    echo "$admin,admin,admin,system:masters" >"$d/tokens.csv"
    openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
    openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
    start_bg etcd "$KUBE_DIR/etcd" --data-dir "$d/etcd" --listen-client-urls "http://127.0.0.1:$etcd" \
        --advertise-client-urls "http://127.0.0.1:$etcd" --listen-peer-urls "http://127.0.0.1:$peer" \
        --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "default=http://127.0.0.1:$peer" \
        --quota-backend-bytes $((256*1024*1024))
    start_bg kube-apiserver "$KUBE_DIR/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd" --secure-port="$api" \
        --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --cert-dir="$d/certs" \
        --token-auth-file="$d/tokens.csv" --authorization-mode=RBAC \
        --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$d/sa.pub" \
        --service-account-signing-key-file="$d/sa.key" --service-cluster-ip-range=10.0.0.0/24
    local server=https://127.0.0.1:$api ok=0
    for _ in $(seq 1 180); do
        [ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" "$server/readyz")" = 200 ] \
            && [ -f "$d/certs/apiserver.crt" ] && { ok=1; break; }
        sleep 0.5
    done
    [ "$ok" = 1 ] || { echo "kube-apiserver not ready; see $WORK/kube-apiserver.log" >&2; return 1; }
    /usr/bin/python3 - >"$d/configmaps.json" <<'EOF'
import json
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"bench-{i}", "namespace": "default"},
     "data": {"v": "x" * 1000}} for i in range(100)]}))
EOF
    kubectl --server="$server" --token="$admin" --certificate-authority="$d/certs/apiserver.crt" \
        create -f "$d/configmaps.json" >/dev/null
    cat >"$WORK/nginx-api.conf" <<EOF
worker_processes 1;
pid $WORK/nginx-api.pid;
error_log $WORK/nginx-api.error.log;
events { worker_connections 4096; }
http {
    access_log $WORK/nginx-api.access.log;
    keepalive_requests 1000000;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    upstream api { server 127.0.0.1:$api; keepalive 64; }
    server {
        listen 127.0.0.1:$PORT_NGX_API ssl;
        ssl_certificate $WORK/pki/server.crt;
        ssl_certificate_key $WORK/pki/server.key;
        location / {
            proxy_pass https://api;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_read_timeout 1h;
            proxy_ssl_trusted_certificate $d/certs/apiserver.crt;
            proxy_ssl_verify on;
            proxy_ssl_name kubernetes.default.svc;
            proxy_ssl_session_reuse on;
        }
    }
}
EOF
    start_bg nginx-api nginx -c "$WORK/nginx-api.conf" -g 'daemon off;'
    write_kubeconfig "$WORK/kubeconfig-api" "api $server $admin $d/certs/apiserver.crt"
    start_multikube multikube-api "$PORT_MKA" "$PORT_MKA_M" "$WORK/kubeconfig-api"
    start_multikube multikube-api-cached "$PORT_MKAC" "$PORT_MKAC_M" "$WORK/kubeconfig-api" --cache-ttl=30s
    wait_https "https://127.0.0.1:$PORT_NGX_API/"
    local jwt
    jwt=$(mint api --group=system:masters)
    local get=/api/v1/namespaces/default/configmaps/bench-1 list=/api/v1/namespaces/default/configmaps
    local targets=("direct $server $admin" "nginx https://127.0.0.1:$PORT_NGX_API $admin"
                   "multikube https://127.0.0.1:$PORT_MKA $jwt")
    jit_warm multikube-api "https://127.0.0.1:$PORT_MKA$get" "$jwt" "$PID_multikube_api"
    jit_warm "multikube-api (LIST)" "https://127.0.0.1:$PORT_MKA$list" "$jwt" "$PID_multikube_api"
    # After LIST, GET again until settled: a new path deoptimizes the old one.
    jit_warm "multikube-api (GET again)" "https://127.0.0.1:$PORT_MKA$get" "$jwt" "$PID_multikube_api"
    for t in "${targets[@]:0:2}"; do set -- $t; warm "$2$get" "$3"; warm "$2$list" "$3"; done
    local round
    for round in $(seq 1 "$ROUNDS"); do
        for t in "${targets[@]}"; do
            set -- $t
            wrk_run api-get "$1" "$2$get" "$3"
            wrk_run api-list "$1" "$2$list" "$3"
        done
    done
    # The cache where it pays: a LIST the API server has to read, encode and send, answered from memory.
    jit_warm multikube-api-cached "https://127.0.0.1:$PORT_MKAC$list" "$jwt" "$PID_multikube_api_cached"
    for round in $(seq 1 "$ROUNDS"); do
        wrk_run api-cache uncached "https://127.0.0.1:$PORT_MKA$list" "$jwt"
        wrk_run api-cache cached "https://127.0.0.1:$PORT_MKAC$list" "$jwt"
    done
    run_apiserver_upgrades "$server" "$admin" "$jwt" "$d/certs/apiserver.crt"
    stop_one multikube-api; stop_one multikube-api-cached; stop_one nginx-api; stop_one kube-apiserver; stop_one etcd
    rm -rf "$d/etcd"
}

# Port-forward on the real API server path: client → [nginx | multikube] → kube-apiserver → kubelet. No kubelet can
# run here, so a Node names the Go upstream (which answers the upgrade with 101 and echoes every byte) as its kubelet,
# as the integration suite's FakeNode does; the API server relays the upgraded connection as it would to a kubelet.
run_apiserver_upgrades() { # server admin-token jwt apiserver-ca
    local server=$1 admin=$2 jwt=$3 ca=$4 path=/api/v1/namespaces/default/pods/bench/portforward
    local k=(kubectl --server="$server" --token="$admin" --certificate-authority="$ca")
    "${k[@]}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata: {name: bench-node}
EOF
    "${k[@]}" patch node bench-node --subresource=status --type=merge -p "{\"status\":{\"addresses\":[{\"type\":
        \"InternalIP\",\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":$PORT_GO}}}}" \
        >/dev/null
    # No controller manager runs to create the namespace's default service account, which pod admission needs.
    "${k[@]}" -n default create serviceaccount default >/dev/null 2>&1 || true
    "${k[@]}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: bench, namespace: default}
spec:
  nodeName: bench-node
  containers: [{name: c, image: busybox}]
EOF
    local t out
    for t in "direct $server $admin $ca" "nginx https://127.0.0.1:$PORT_NGX_API $admin $CA" \
             "multikube https://127.0.0.1:$PORT_MKA $jwt $CA"; do
        set -- $t
        out=$(pin_load "$BT" upgrade -url "$2$path" -token "$3" -ca "$4" -mib "$UP_MIB") \
            || { echo "  $1: failed" >&2; continue; }
        record api-upgrade "$1" "$out"; echo "  $1: $out" >&2
    done
}
