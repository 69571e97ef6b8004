#!/usr/bin/env bash
# The shared second-level cache on a local redis-server: requests/s and p99 of an L2 hit (a miss in memory answered
# from Redis) for 1 KB and 100 KB, and of a 1 KB hit in memory with and without `redis` set. The L2 rows use a proxy
# whose cache_size is smaller than one entry, so nothing stays in its memory and every request goes to Redis; another
# proxy stores the entries first. Each row reports how many of its requests were L2 hits. Loopback only, bounded.
#
#   bench/shared.sh                 3 s per row, 10 connections, 1 wrk thread
#   BENCH_DURATION=5 BENCH_CONNS=50 bench/shared.sh
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${BENCH_DURATION:-3}
CONNS=${BENCH_CONNS:-10}
HOST=bench.test
# shellcheck disable=SC2034 # read by render in lib.sh
ACCESS_LOG=off

# start_shared NAME CACHE_SIZE REDIS: one proxy from conf/inverseproxy-shared.conf with its own admin port.
start_shared() {
    local name=$1 dir=$BENCH_TMP/$1 pid
    mkdir -p "$dir"
    pick_port "$name"
    pick_port "$name-admin"
    render inverseproxy-shared.conf "$dir/proxy.conf" "$name"
    sed -i -e "s|@CACHE_SIZE@|$2|g" -e "s|@REDIS@|$3|g" -e "s|@ADMIN_PORT@|${BENCH_PORTS[$name-admin]}|g" "$dir/proxy.conf"
    "$INVERSEPROXY_BIN" --config "$dir/proxy.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    register_server "$name" "$pid"
    wait_ready "$name" "$pid" || { tail -n 20 "$dir/stdout.log" >&2; die "$name did not start"; }
}

start_redis() {
    pick_port redis
    mkdir -p "$BENCH_TMP/redis"
    redis-server --port "${BENCH_PORTS[redis]}" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
        --dir "$BENCH_TMP/redis" --logfile "$BENCH_TMP/redis/redis.log" &
    register_server redis $!
    local i
    for ((i = 0; i < 100; i++)); do
        if redis-cli -p "${BENCH_PORTS[redis]}" ping >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    die "redis-server did not start"
}

# "REQUESTS L2_HITS L2_ERRORS CIRCUIT_OPEN" of a proxy, from its /proxy-stats.
counts() {
    curl -fsS "http://127.0.0.1:${BENCH_PORTS[$1-admin]}/proxy-stats" | python3 -c 'import json, sys
d = json.load(sys.stdin); s = d["cache"]["shared"] or {"hits": 0, "errors": 0, "circuit_open": 0}
print(d["requests"]["total"], s["hits"], s["errors"], s["circuit_open"])'
}

# Waits (up to 10 s) until the proxy's circuit is closed: timeouts while the warm-up compiles the Redis path may
# have opened it, and the timed run should measure the steady state.
wait_circuit_closed() {
    local i counted=()
    for ((i = 0; i < 100; i++)); do
        read -r -a counted <<<"$(counts "$1")"
        if ((counted[3] == 0)); then
            return 0
        fi
        curl -fsS -o /dev/null -H "Host: $HOST" "http://127.0.0.1:${BENCH_PORTS[$1]}$2" || true
        sleep 0.1
    done
}

# wrk_shared NAME PATH DURATION OUT: as run_wrk, with one Host for every proxy: the cache key includes the Host, so
# entries stored through one proxy's port are found through another's.
wrk_shared() {
    timeout -k 5 "$((${3%s} + 30))" wrk -t1 -c"$CONNS" -d"$3" --timeout "$BENCH_WRK_TIMEOUT" -H "Host: $HOST" \
        -s "$BENCH_DIR/lua/report.lua" "http://127.0.0.1:${BENCH_PORTS[$1]}$2" >"$4" 2>&1 || true
}

# row LABEL NAME PATH: a warm-up second, then the timed run; requests/s, p50, p99 and the share of L2 hits.
row() {
    local label=$1 name=$2 path=$3 before after out=$BENCH_TMP/wrk-$2-${3//\//}.txt
    wrk_shared "$name" "$path" 1s /dev/null
    wait_circuit_closed "$name" "$path"
    read -r -a before <<<"$(counts "$name")"
    wrk_shared "$name" "$path" "${DURATION}s" "$out"
    read -r -a after <<<"$(counts "$name")"
    parse_result "$out" || die "no result for $label: $(tail -n 5 "$out")"
    local errors=$((RESULT[connect] + RESULT[read] + RESULT[write] + RESULT[timeout] + RESULT[status]))
    printf '%-34s %10s %8s %8s %8s %14s %10s\n' "$label" "${RESULT[rps]}" "${RESULT[p50_ms]}" "${RESULT[p99_ms]}" "$errors" \
        "$((after[1] - before[1]))/$((after[0] - before[0]))" "$((after[2] - before[2]))"
}

main() {
    ensure_tools
    command -v redis-server >/dev/null 2>&1 || die "redis-server is needed (apt-get install -y redis-server)"
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to read /proxy-stats"
    bench_setup
    start_origin
    start_redis
    build_inverseproxy || die "InverseProxy did not build"
    local redis=127.0.0.1:${BENCH_PORTS[redis]}
    start_shared writer 256MB "$redis"
    start_shared l2small 1KB "$redis"
    start_shared l2large 100KB "$redis"
    start_shared l1redis 256MB "$redis"
    start_shared l1plain 256MB ""
    curl -fsS -o /dev/null -H "Host: $HOST" "http://127.0.0.1:${BENCH_PORTS[writer]}/1k"
    curl -fsS -o /dev/null -H "Host: $HOST" "http://127.0.0.1:${BENCH_PORTS[writer]}/100k"
    local i
    for ((i = 0; i < 50; i++)); do
        (($(redis-cli -p "${BENCH_PORTS[redis]}" dbsize) >= 2)) && break
        sleep 0.1
    done
    echo "InverseProxy shared cache, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), wrk -t1 -c$CONNS -d${DURATION}s, access log off"
    printf '%-34s %10s %8s %8s %8s %14s %10s\n' row req/s "p50 ms" "p99 ms" errors "L2 hits/req" "L2 errors"
    row "L2 hit 1k (memory miss, Redis hit)" l2small /1k
    row "L2 hit 100k" l2large /100k
    row "L1 hit 1k, redis set" l1redis /1k
    row "L1 hit 1k, redis unset" l1plain /1k
}

main "$@"
