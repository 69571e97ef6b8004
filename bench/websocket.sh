#!/usr/bin/env bash
# WebSocket tunnels: echo of 1 KB messages through InverseProxy and through nginx as a WebSocket proxy, at 1,000 and
# 9,000 open tunnels, against one echo origin (bench/WsLoad in serve mode). Each tunnel has one message in flight:
# send, wait for the echo, check it, again. Loopback only, bounded; every process started is stopped at exit.
#
#   bench/websocket.sh                                       1,000 and 9,000 tunnels, 10 s each
#   BENCH_WS_TUNNELS=200 BENCH_DURATION=3 bench/websocket.sh  quick smoke run
# Exit status: 0 when every row opened every tunnel and lost no message, 1 otherwise.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
read -r -a TUNNEL_COUNTS <<<"${BENCH_WS_TUNNELS:-1000 9000}"
MESSAGE_SIZE=${BENCH_WS_SIZE:-1024}
# Client sockets are spread over 127.0.0.1 .. 127.0.0.N, each with its own ephemeral port range.
SOURCES=${BENCH_WS_SOURCES:-4}
ACCESS_LOG=${BENCH_WS_LOG:-on}
# Above the largest tunnel count, or InverseProxy answers the surplus with 503.
max_tunnels=0
for n in "${TUNNEL_COUNTS[@]}"; do
    ((n > max_tunnels)) && max_tunnels=$n
done
BENCH_MAX_CONNECTIONS=${BENCH_MAX_CONNECTIONS:-$((max_tunnels + 3000))}
WSLOAD=""
CLK_TCK=$(getconf CLK_TCK)

build_wsload() {
    log "building bench/WsLoad (Release)"
    if ! dotnet build "$BENCH_DIR/WsLoad" -c Release -o "$BENCH_TMP/wsload" --nologo -v quiet \
        >"$BENCH_TMP/wsload-build.log" 2>&1; then
        tail -n 30 "$BENCH_TMP/wsload-build.log" >&2
        die "bench/WsLoad did not build"
    fi
    WSLOAD=$BENCH_TMP/wsload/WsLoad
}

# The echo origin is registered as "origin", so that the templates' @ORIGIN_PORT@ points at it.
start_echo_origin() {
    local dir=$BENCH_TMP/origin pid
    mkdir -p "$dir"
    pick_port origin
    "$WSLOAD" serve "${BENCH_PORTS[origin]}" >"$dir/echo.log" 2>&1 &
    pid=$!
    register_server origin "$pid"
    wait_ready origin "$pid" || die "echo origin not answering: $(tail -n 20 "$dir/echo.log")"
    log "echo origin on 127.0.0.1:${BENCH_PORTS[origin]}"
}

# load NAME TUNNELS SECONDS OUT: one bounded WsLoad run through NAME; its WS_RESULT line lands in OUT.
# In the background and waited for, so that INT/TERM reach the cleanup trap at once.
load() {
    local name=$1 tunnels=$2 seconds=$3 out=$4 pids pid
    pids=$(pids_of "$name" | paste -sd, -)
    timeout -k 5 "$((seconds + 120))" "$WSLOAD" load "ws://127.0.0.1:${BENCH_PORTS[$name]}/echo" \
        "$tunnels" "$seconds" "$MESSAGE_SIZE" "$SOURCES" "$pids" >"$out" 2>&1 &
    pid=$!
    register_server wsload "$pid"
    wait "$pid" || true
    stop_server wsload
}

# Reads KEY=VALUE pairs of the WS_RESULT line of OUT into RESULT; false if there is none.
parse_ws_result() {
    local line pair
    RESULT=()
    line=$(grep -m1 '^WS_RESULT' "$1") || return 1
    for pair in ${line#WS_RESULT }; do
        RESULT[${pair%%=*}]=${pair#*=}
    done
}

declare -A MPS=()
# row NAME TUNNELS: warm-up at up to 100 tunnels, then the timed run; prints one line.
row() {
    local name=$1 tunnels=$2 out=$BENCH_TMP/$1-$2.out warm=100 cpu ratio="-"
    ((warm > tunnels)) && warm=$tunnels
    load "$name" "$warm" "$WARMUP" "$BENCH_TMP/$name-$tunnels-warmup.out"
    load "$name" "$tunnels" "$DURATION" "$out"
    if ! parse_ws_result "$out"; then
        printf '%-14s %8s  n/a: %s\n' "$name" "$tunnels" "$(tail -n 1 "$out")"
        touch "$BENCH_TMP/failed"
        return
    fi
    MPS[$name-$tunnels]=${RESULT[mps]}
    cpu=$(awk -v t="${RESULT[cpu_ticks]}" -v m="${RESULT[messages]}" -v hz="$CLK_TCK" \
        'BEGIN { if (m > 0) printf "%.1f", t * 1000 / hz / (m / 1000); else print "-" }')
    if [[ $name == inverseproxy && -n ${MPS[nginx-$tunnels]:-} ]]; then
        ratio=$(awk -v a="${RESULT[mps]}" -v b="${MPS[nginx-$tunnels]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
    fi
    printf '%-14s %8s %6s %10s %8s %8s %8s %6s %7s %6s %10s %9s\n' "$name" "$tunnels" "${RESULT[open]}" \
        "${RESULT[mps]}" "${RESULT[p50_ms]}" "${RESULT[p99_ms]}" "${RESULT[max_ms]}" "${RESULT[lost]}" \
        "${RESULT[corrupt]}" "${RESULT[handshake_failed]}" "$cpu" "$ratio"
    if ((RESULT[open] != tunnels || RESULT[lost] != 0 || RESULT[corrupt] != 0)); then
        grep -m1 '^first error' "$out" >&2 || true
        touch "$BENCH_TMP/failed"
    fi
}

main() {
    ensure_tools
    raise_fd_limit
    bench_setup
    build_wsload
    start_echo_origin
    start_nginx nginx nginx-websocket.conf
    build_inverseproxy || die "InverseProxy did not build"
    start_inverseproxy || die "InverseProxy did not start"
    mkdir -p "$BENCH_DIR/out"
    local report tunnels
    report=$BENCH_DIR/out/websocket-$(date +%Y%m%d-%H%M%S).txt
    {
        echo "WebSocket echo, $MESSAGE_SIZE-byte messages, one in flight per tunnel, $(date -u '+%Y-%m-%d %H:%M:%S UTC')," \
            "${DURATION} s timed after ${WARMUP} s warm-up, access log $ACCESS_LOG"
        printf '%-14s %8s %6s %10s %8s %8s %8s %6s %7s %6s %10s %9s\n' product tunnels open 'msg/s' 'p50 ms' \
            'p99 ms' 'max ms' lost corrupt 'hs err' 'cpu ms/1k' 'vs nginx'
        for tunnels in "${TUNNEL_COUNTS[@]}"; do
            row nginx "$tunnels"
            row inverseproxy "$tunnels"
        done
        echo "lost = messages sent without their echo (the tunnel broke or 10 s passed); must be 0."
        echo "cpu ms/1k = the proxy's CPU time (utime + stime, /proc/PID/stat) per 1,000 echoed messages."
        echo "InverseProxy memory: $(rss_of "${BENCH_SERVER_PIDS[inverseproxy]}"), threads: $(threads_of "${BENCH_SERVER_PIDS[inverseproxy]}")"
    } | tee "$report"
    log "saved $report"
    # Rows run inside the pipeline's subshell: a failed one leaves a mark in the temp folder.
    [[ ! -e $BENCH_TMP/failed ]]
}

main "$@"
