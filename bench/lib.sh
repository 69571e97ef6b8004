# shellcheck shell=bash
# Shared by run.sh, baseline.sh and concurrency.sh: tools, temp folder, servers, wrk runs, cleanup.
# Every server runs on 127.0.0.1 with its config, pid file and logs under $BENCH_TMP/<name>/.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_TMP=""
BENCH_NEXT_PORT=${BENCH_PORT_BASE:-18080}
BENCH_THREADS=${BENCH_THREADS:-1}
BENCH_WRK_TIMEOUT=${BENCH_WRK_TIMEOUT:-2s}
CLK_TCK=$(getconf CLK_TCK)
# Access log of the servers started next (on or off): fills @LOG_ON@ / @LOG_OFF@ in the templates.
ACCESS_LOG=on
# name -> pid of a server we started; stopped in reverse order on exit.
declare -a BENCH_SERVER_NAMES=()
declare -A BENCH_SERVER_PIDS=()
declare -A BENCH_PORTS=()

log() {
    printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2
}

die() {
    log "error: $*"
    exit 1
}

# Installs the load tools and anchors that are missing; apt-get update runs once, only if needed.
ensure_tools() {
    local -A packages=([nginx]=nginx [varnishd]=varnish [haproxy]=haproxy [wrk]=wrk [curl]=curl)
    local missing=() command
    for command in "${!packages[@]}"; do
        if ! command -v "$command" >/dev/null 2>&1 && ! [[ -x /usr/sbin/$command ]]; then
            missing+=("${packages[$command]}")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]} and not root (no sudo to install them)"
        sudo=(sudo)
    fi
    log "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# nginx, varnishd and haproxy live in /usr/sbin, which a non-root PATH may lack.
tool_path() {
    command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"
}

# Raises the open-file limit to the hard limit: 1000+ clients need as many sockets, twice over for proxies.
raise_fd_limit() {
    local hard
    hard=$(ulimit -Hn)
    ulimit -n "$hard"
    log "open files: $(ulimit -n)"
}

bench_setup() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/inverseproxy-bench.XXXXXX")
    # Workers that drop privileges (nginx workers, varnish child) must reach their folders.
    chmod 755 "$BENCH_TMP"
    trap bench_cleanup EXIT
    trap 'log "interrupted"; exit 130' INT TERM
    log "temp folder: $BENCH_TMP"
}

# Descendants of a pid (nginx workers, the varnish child), so none outlives a killed parent.
descendants() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null || true); do
        echo "$child"
        descendants "$child"
    done
}

# kill -0 also succeeds for an exited child not yet reaped (a zombie); that one counts as gone.
is_alive() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $state != Z* ]]
}

# Sends TERM, waits up to 10 s, then KILLs whatever is left of the process and its descendants.
stop_pid() {
    local pid=$1 all i
    mapfile -t all < <(echo "$pid"; descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        local alive=0 p
        for p in "${all[@]}"; do
            if is_alive "$p"; then
                alive=1
            fi
        done
        if ((alive == 0)); then
            return 0
        fi
        sleep 0.1
    done
    kill -KILL "${all[@]}" 2>/dev/null || true
}

bench_cleanup() {
    local rc=$? i name
    trap - EXIT INT TERM
    for ((i = ${#BENCH_SERVER_NAMES[@]} - 1; i >= 0; i--)); do
        name=${BENCH_SERVER_NAMES[$i]}
        stop_pid "${BENCH_SERVER_PIDS[$name]}"
    done
    if [[ -n $BENCH_TMP && -d $BENCH_TMP ]]; then
        if [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
            log "kept $BENCH_TMP"
        else
            rm -rf "$BENCH_TMP"
        fi
    fi
    exit "$rc"
}

# Stops one server and forgets it (run.sh restarts the products with the other access log setting).
stop_server() {
    local name=$1 kept=() other
    if [[ -z ${BENCH_SERVER_PIDS[$name]:-} ]]; then
        return 0
    fi
    stop_pid "${BENCH_SERVER_PIDS[$name]}"
    unset "BENCH_SERVER_PIDS[$name]"
    for other in "${BENCH_SERVER_NAMES[@]}"; do
        if [[ $other != "$name" ]]; then
            kept+=("$other")
        fi
    done
    BENCH_SERVER_NAMES=("${kept[@]}")
}

register_server() {
    if [[ -z ${BENCH_SERVER_PIDS[$1]:-} ]]; then
        BENCH_SERVER_NAMES+=("$1")
    fi
    BENCH_SERVER_PIDS[$1]=$2
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Next free loopback port at or above BENCH_PORT_BASE (default 18080).
pick_port() {
    while port_in_use "$BENCH_NEXT_PORT"; do
        BENCH_NEXT_PORT=$((BENCH_NEXT_PORT + 1))
    done
    BENCH_PORTS[$1]=$BENCH_NEXT_PORT
    BENCH_NEXT_PORT=$((BENCH_NEXT_PORT + 1))
}

# render TEMPLATE OUT NAME: replaces @DIR@ @PORT@ @ORIGIN_PORT@ @USER_LINE@ @MAX_CONNECTIONS@, and comments out
# the lines that start with @LOG_OFF@ (ACCESS_LOG=on) or with @LOG_ON@ (ACCESS_LOG=off). Lines starting with @TLS@
# are kept only when NAME has a TLS port (BENCH_PORTS[NAME-tls]), which @TLS_PORT@ names; @TLS_CERT@ and
# @TLS_KEY@ are the bench's one certificate (make_bench_certificate), shared by every product that speaks TLS.
render() {
    local template=$1 out=$2 name=$3 user_line="" log_on="" log_off="# " tls="# "
    if [[ -n ${BENCH_PORTS[$name-tls]:-} ]]; then
        tls=""
    fi
    # As root, nginx workers would otherwise run as nobody and could not open files in the temp folder.
    if ((EUID == 0)); then
        user_line="user root;"
    fi
    if [[ $ACCESS_LOG == off ]]; then
        log_on="# "
        log_off=""
    fi
    sed -e "s|@DIR@|$BENCH_TMP/$name|g" \
        -e "s|@PORT@|${BENCH_PORTS[$name]}|g" \
        -e "s|@ORIGIN_PORT@|${BENCH_PORTS[origin]:-0}|g" \
        -e "s|@USER_LINE@|$user_line|g" \
        -e "s|@MAX_CONNECTIONS@|${BENCH_MAX_CONNECTIONS:-12000}|g" \
        -e "s|@SPARE_THREADS@|${BENCH_SPARE_THREADS:-64}|g" \
        -e "s|@LOG_ON@|$log_on|g" \
        -e "s|@LOG_OFF@|$log_off|g" \
        -e "s|@TLS@|$tls|g" \
        -e "s|@TLS_PORT@|${BENCH_PORTS[$name-tls]:-0}|g" \
        -e "s|@TLS_CERT@|$BENCH_TMP/tls/cert.pem|g" \
        -e "s|@TLS_KEY@|$BENCH_TMP/tls/key.pem|g" \
        "$BENCH_DIR/conf/$template" >"$out"
}

# url_of NAME PATH: where a product answers; products named *-tls are reached over https.
url_of() {
    local scheme=http
    if [[ $1 == *-tls ]]; then
        scheme=https
    fi
    echo "$scheme://127.0.0.1:${BENCH_PORTS[$1]}$2"
}

# One self-signed certificate for 127.0.0.1 (RSA 2048), used by every product that speaks TLS, so the https rows
# compare servers doing the same handshake and record work.
make_bench_certificate() {
    mkdir -p "$BENCH_TMP/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$BENCH_TMP/tls/key.pem" -out "$BENCH_TMP/tls/cert.pem" >/dev/null 2>&1 \
        || die "openssl could not make the bench certificate"
    chmod -R a+rX "$BENCH_TMP/tls"
}

# wait_ready NAME PID: true once the port answers HTTP, false if the process died or 30 s passed.
wait_ready() {
    local name=$1 pid=$2 i
    for ((i = 0; i < 300; i++)); do
        if ! is_alive "$pid"; then
            return 1
        fi
        if curl -k -s -o /dev/null --max-time 1 "$(url_of "$name" /)"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# Waits for a daemon's pid file, then registers the pid.
register_pidfile() {
    local name=$1 pidfile=$2 i
    for ((i = 0; i < 100; i++)); do
        if [[ -s $pidfile ]]; then
            register_server "$name" "$(<"$pidfile")"
            return 0
        fi
        sleep 0.1
    done
    die "$name wrote no pid file ($pidfile)"
}

# start_nginx NAME TEMPLATE
start_nginx() {
    local name=$1 dir=$BENCH_TMP/$1
    mkdir -p "$dir/tmp" "$dir/cache"
    pick_port "$name"
    render "$2" "$dir/nginx.conf" "$name"
    "$(tool_path nginx)" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" \
        || die "$name did not start: $(tail -n 20 "$dir/error.log")"
    register_pidfile "$name" "$dir/nginx.pid"
    wait_ready "$name" "${BENCH_SERVER_PIDS[$name]}" || die "$name not answering: $(tail -n 20 "$dir/error.log")"
    log "$name on 127.0.0.1:${BENCH_PORTS[$name]} (access log $ACCESS_LOG)"
}

start_origin() {
    local www=$BENCH_TMP/origin/www
    mkdir -p "$www/nocache"
    head -c 1024 /dev/urandom >"$www/1k"
    head -c 16384 /dev/urandom >"$www/16k"
    head -c 102400 /dev/urandom >"$www/100k"
    cp "$www/1k" "$www/100k" "$www/nocache/"
    # 100 KB of text, served as text/plain, for the compressed and identity hit rows.
    mkdir -p "$www/text"
    seq 1 2000 | awk '{ printf "line %d of a page of text, with words that repeat as pages do\n", $1 }' >"$www/text/100k"
    truncate -s 102400 "$www/text/100k"
    # Workers dropping to another user still need to read the files.
    chmod -R a+rX "$BENCH_TMP/origin"
    start_nginx origin origin.nginx.conf
}

start_varnish() {
    local name=varnish dir=$BENCH_TMP/varnish
    mkdir -p "$dir/work"
    chmod 755 "$dir"
    pick_port "$name"
    render varnish.vcl "$dir/default.vcl" "$name"
    "$(tool_path varnishd)" -n "$dir/work" -a "127.0.0.1:${BENCH_PORTS[$name]}" -T 127.0.0.1:0 \
        -f "$dir/default.vcl" -s malloc,256m -P "$dir/varnishd.pid" >"$dir/varnishd.log" 2>&1 \
        || die "varnish did not start: $(tail -n 20 "$dir/varnishd.log")"
    register_pidfile "$name" "$dir/varnishd.pid"
    wait_ready "$name" "${BENCH_SERVER_PIDS[$name]}" || die "varnish not answering"
    # Varnish always writes its shared memory log; its access log is varnishncsa reading it into a file.
    if [[ $ACCESS_LOG == on ]]; then
        "$(tool_path varnishncsa)" -n "$dir/work" -D -P "$dir/varnishncsa.pid" -w "$dir/access.log" \
            >"$dir/varnishncsa.log" 2>&1 || die "varnishncsa did not start: $(tail -n 20 "$dir/varnishncsa.log")"
        register_pidfile varnish-log "$dir/varnishncsa.pid"
    fi
    log "$name on 127.0.0.1:${BENCH_PORTS[$name]} (access log $ACCESS_LOG)"
}

# start_haproxy NAME TEMPLATE: in the foreground (-db), so that its access log (log stdout) lands in a file.
start_haproxy() {
    local name=$1 dir=$BENCH_TMP/$1 pid
    mkdir -p "$dir"
    pick_port "$name"
    render "$2" "$dir/haproxy.cfg" "$name"
    "$(tool_path haproxy)" -db -f "$dir/haproxy.cfg" >"$dir/access.log" 2>"$dir/haproxy.log" &
    pid=$!
    register_server "$name" "$pid"
    wait_ready "$name" "$pid" || die "$name not answering: $(tail -n 20 "$dir/haproxy.log")"
    log "$name on 127.0.0.1:${BENCH_PORTS[$name]} (access log $ACCESS_LOG)"
}

# Publishes InverseProxy in Release to the temp folder (or uses BENCH_PROXY_BIN). False on failure.
build_inverseproxy() {
    local out=$BENCH_TMP/publish
    if [[ -n ${BENCH_PROXY_BIN:-} ]]; then
        INVERSEPROXY_BIN=$BENCH_PROXY_BIN
        return 0
    fi
    if ! command -v dotnet >/dev/null 2>&1; then
        log "dotnet not found: InverseProxy rows will be n/a"
        return 1
    fi
    log "publishing InverseProxy (Release)"
    publish_inverseproxy "$REPO_ROOT" "$out" || return 1
    INVERSEPROXY_BIN=$out/InverseProxy
}

# publish_inverseproxy SOURCE OUT: publishes SOURCE/src/InverseProxy (a checkout of any revision) in Release to
# OUT, logging to OUT.log. False, after printing the log's tail, on failure.
publish_inverseproxy() {
    if ! dotnet publish "$1/src/InverseProxy" -c Release -o "$2" --nologo -v quiet >"$2.log" 2>&1; then
        log "InverseProxy build failed ($1); last lines:"
        tail -n 30 "$2.log" >&2
        return 1
    fi
}

# Starts InverseProxy; false (after printing its log tail) if it does not come up.
start_inverseproxy() {
    start_inverseproxy_as inverseproxy "$INVERSEPROXY_BIN"
}

# start_inverseproxy_as NAME BIN: starts the InverseProxy build BIN as the server NAME (bench/baseline.sh runs two).
start_inverseproxy_as() {
    local name=$1 bin=$2 dir=$BENCH_TMP/$1 pid
    mkdir -p "$dir"
    pick_port "$name"
    # BENCH_TLS=1: the same process also listens for https (the https rows reach it as inverseproxy-tls).
    if [[ ${BENCH_TLS:-0} == 1 ]]; then
        pick_port "$name-tls"
        BENCH_PORTS[inverseproxy-tls]=${BENCH_PORTS[$name-tls]}
    fi
    # BENCH_INVERSEPROXY_CONF picks another template (bench/concurrency.sh's defaults mode).
    render "${BENCH_INVERSEPROXY_CONF:-inverseproxy.conf}" "$dir/proxy.conf" "$name"
    if [[ $bin == *.dll ]]; then
        dotnet "$bin" --config "$dir/proxy.conf" >"$dir/stdout.log" 2>&1 &
    else
        "$bin" --config "$dir/proxy.conf" >"$dir/stdout.log" 2>&1 &
    fi
    pid=$!
    register_server "$name" "$pid"
    if ! wait_ready "$name" "$pid"; then
        local rc=running
        if ! is_alive "$pid"; then
            wait "$pid" && rc=0 || rc=$?
        fi
        log "InverseProxy ($name) did not come up on 127.0.0.1:${BENCH_PORTS[$name]} (exit status: $rc); stdout/stderr tail:"
        tail -n 30 "$dir/stdout.log" >&2 || true
        if [[ -f $dir/proxy.log ]]; then
            log "proxy.log tail:"
            tail -n 30 "$dir/proxy.log" >&2
        fi
        return 1
    fi
    log "$name on 127.0.0.1:${BENCH_PORTS[$name]} (pid $pid, access log $ACCESS_LOG)"
}

# Resident memory of a pid and its descendants (nginx workers, the varnish child):
# "VmRSS MB (peak VmHWM MB)", each summed over the processes.
rss_of() {
    local files=() p
    for p in "$1" $(descendants "$1"); do
        [[ -r /proc/$p/status ]] && files+=("/proc/$p/status")
    done
    awk '/^VmRSS:/ { rss += $2 } /^VmHWM:/ { hwm += $2 }
         END { printf "%.1f MB (peak %.1f MB)", rss / 1024, hwm / 1024 }' "${files[@]}"
}

# Threads of a pid and its descendants (InverseProxy serves each client on its own thread).
threads_of() {
    local total=0 p n
    for p in "$1" $(descendants "$1"); do
        n=$(awk '/^Threads:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || n=0
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# Processes of a server: its pid, its descendants (nginx workers, the varnish child) and those of its log
# process, registered as NAME-log (varnishncsa), whose work is part of what logging costs.
pids_of() {
    local name p base=$1
    # InverseProxy's TLS port is served by the same process as its plain one.
    if [[ $base == inverseproxy-tls ]]; then
        base=inverseproxy
    fi
    for name in "$base" "$base-log"; do
        p=${BENCH_SERVER_PIDS[$name]:-}
        if [[ -n $p ]]; then
            echo "$p"
            descendants "$p"
        fi
    done
}

# cpu_ticks PID...: user + system time in clock ticks (getconf CLK_TCK), summed over the processes.
# /proc/PID/stat counts every thread of a process, those that have exited included.
cpu_ticks() {
    local files=() p
    for p in "$@"; do
        files+=("/proc/$p/stat")
    done
    # Fields after "pid (comm) ": utime and stime are the 12th and 13th; comm may hold spaces.
    awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }' "${files[@]}" 2>/dev/null || true
}

# ctx_switches PID...: voluntary + involuntary context switches summed over the live threads of the processes
# (/proc/PID/task/*/status); a thread that exits takes its count with it.
ctx_switches() {
    local files=() p
    for p in "$@"; do
        files+=("/proc/$p/task/"*/status)
    done
    awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n + 0 }' "${files[@]}" 2>/dev/null || true
}

# True when perf can count context switches of other processes (BENCH_PERF=0 turns it off).
perf_usable() {
    [[ ${BENCH_PERF:-1} != 0 ]] && command -v perf >/dev/null 2>&1 \
        && perf stat -x, -e context-switches -- true 2>&1 | grep -q '^[0-9]*,,context-switches'
}

# perf_start OUT PID...: counts the context switches of the processes, their threads and the threads they start
# (an exited thread's count is kept) from now until perf_stop; perf_count OUT reads it, OUT.err holds perf's messages.
# perf starts with its counters off (-D -1) and is switched through a control fifo: attaching to a thousand
# threads can take seconds on a busy machine, and its "ack" says when counting has begun. False if it has not.
PERF_CTL=""
PERF_ACK=""
perf_start() {
    local out=$1 pids
    shift
    pids=$(IFS=,; echo "$*")
    rm -f "$out.ctl" "$out.ack"
    mkfifo "$out.ctl" "$out.ack"
    perf stat -D -1 --control "fifo:$out.ctl,$out.ack" -x, -e context-switches -p "$pids" -o "$out" \
        2>"$out.err" &
    register_server perf "$!"
    # Opened read-write, a fifo does not block until the other side opens it.
    exec {PERF_CTL}<>"$out.ctl" {PERF_ACK}<>"$out.ack"
    echo enable >&"$PERF_CTL"
    perf_ack || {
        log "perf stat did not start counting: $(head -n 1 "$out.err")"
        perf_stop
        return 1
    }
}

# Waits up to 30 s for perf's "ack"; false if perf exits first.
perf_ack() {
    local reply i
    for ((i = 0; i < 30; i++)); do
        if read -r -t 1 reply <&"$PERF_ACK" && [[ $reply == ack ]]; then
            return 0
        fi
        is_alive "${BENCH_SERVER_PIDS[perf]}" || return 1
    done
    return 1
}

# Ends the counting of perf_start; perf writes its count as it exits. Not in a subshell: it waits for perf.
perf_stop() {
    local pid=${BENCH_SERVER_PIDS[perf]:-}
    if [[ -n $pid ]]; then
        if is_alive "$pid"; then
            echo disable >&"$PERF_CTL"
            perf_ack || true
        fi
        kill -INT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        stop_server perf
    fi
    if [[ -n $PERF_CTL ]]; then
        exec {PERF_CTL}>&- {PERF_ACK}<&-
        PERF_CTL=""
        PERF_ACK=""
    fi
}

# perf_count OUT: the context switches perf counted into OUT (nothing if it failed).
perf_count() {
    awk -F, '$3 == "context-switches" && $1 ~ /^[0-9]+$/ { print $1 }' "$1" 2>/dev/null || true
}

origin_requests() {
    curl -s --max-time 2 "http://127.0.0.1:${BENCH_PORTS[origin]}/origin-status" \
        | awk 'NR == 3 { print $3 }'
}

# What the last timed_run measured, besides wrk's own figures: requests that reached the origin, the origin's
# CPU share in percent of one core, the product's CPU microseconds, its context switches summed over its live
# threads before and after, and as counted by perf (empty without perf).
declare -A RUN=()

# timed_run PRODUCT PATH CONNS OUT: the timed wrk run (DURATION seconds), with the product's and the origin's
# processes sampled from /proc just before and just after it; PERF=1 also counts context switches with perf.
# shellcheck disable=SC2034,SC2153 # RUN is read, and DURATION set, by the scripts that source this file
timed_run() {
    local product=$1 out=$4 pids origin_pids counting=0
    # The processes are listed once: none of the servers forks during a run.
    mapfile -t pids < <(pids_of "$product")
    mapfile -t origin_pids < <(pids_of origin)
    if ((${PERF:-0})) && perf_start "$out.perf" "${pids[@]}"; then
        counting=1
    fi
    local requests_before cpu_before origin_before cs_before start
    requests_before=$(origin_requests)
    cs_before=$(ctx_switches "${pids[@]}")
    cpu_before=$(cpu_ticks "${pids[@]}")
    origin_before=$(cpu_ticks "${origin_pids[@]}")
    start=$EPOCHREALTIME
    run_wrk "$product" "$2" "$3" "${DURATION}s" "$out"
    local end origin_ticks
    end=$EPOCHREALTIME
    origin_ticks=$(($(cpu_ticks "${origin_pids[@]}") - origin_before))
    RUN[cpu_us]=$((($(cpu_ticks "${pids[@]}") - cpu_before) * 1000000 / CLK_TCK))
    RUN[cs]=$(($(ctx_switches "${pids[@]}") - cs_before))
    # The origin's own status request counts itself.
    RUN[origin]=$(($(origin_requests) - requests_before - 1))
    RUN[cs_perf]=""
    if ((counting)); then
        perf_stop
        RUN[cs_perf]=$(perf_count "$out.perf")
    fi
    RUN[origin_share]=$(awk -v t="$origin_ticks" -v hz="$CLK_TCK" -v a="$start" -v b="$end" \
        'BEGIN { printf "%.0f", 100 * t / hz / (b - a) }')
}

# row_header_args: the -H arguments the current row sends with every request (BENCH_ACCEPT, BENCH_HOST), one a line.
row_header_args() {
    if [[ -n ${BENCH_ACCEPT:-} ]]; then
        printf '%s\n' -H "Accept-Encoding: $BENCH_ACCEPT"
    fi
    if [[ -n ${BENCH_HOST:-} ]]; then
        printf '%s\n' -H "Host: $BENCH_HOST"
    fi
}

# check_target NAME PATH EXPECT_CACHE: one request to warm, a second must be 200 with the full body,
# and X-Cache HIT (cache rows) or not HIT (pass rows). Prints why on failure.
check_target() {
    local url expect=$3 headers status size cache coding
    url=$(url_of "$1" "$2")
    local row_headers
    mapfile -t row_headers < <(row_header_args)
    curl -k -s -o /dev/null --max-time 5 "${row_headers[@]}" "$url" || true
    headers=$(curl -k -s -D - -o /dev/null --max-time 5 "${row_headers[@]}" -w 'BENCH_SIZE %{size_download}\n' "$url") || {
        echo "no response from $url"
        return 1
    }
    status=$(awk 'NR == 1 { print $2 }' <<<"$headers")
    size=$(awk '/^BENCH_SIZE/ { print $2 }' <<<"$headers")
    cache=$(awk -F': *' 'tolower($1) == "x-cache" { gsub(/\r/, "", $2); print $2 }' <<<"$headers")
    coding=$(awk -F': *' 'tolower($1) == "content-encoding" { gsub(/\r/, "", $2); print $2 }' <<<"$headers")
    local want=102400
    [[ $2 == */1k ]] && want=1024
    if [[ -n ${BENCH_ACCEPT:-} ]]; then
        # An encoded body is smaller than the file; that it was encoded is what is checked.
        if [[ $status != 200 || -z $coding ]]; then
            echo "status $status, Content-Encoding '${coding}' (want 200, encoded for Accept-Encoding: $BENCH_ACCEPT)"
            return 1
        fi
    elif [[ $status != 200 || $size != "$want" ]]; then
        echo "status $status, $size bytes (want 200, $want)"
        return 1
    fi
    if [[ $expect == hit && $cache != HIT ]]; then
        echo "second request not a cache hit (X-Cache: ${cache:-none})"
        return 1
    fi
    if [[ $expect == pass && $cache == HIT ]]; then
        echo "no-store response served from cache"
        return 1
    fi
}

# run_wrk NAME PATH CONNS DURATION OUTFILE: one bounded wrk run; the BENCH_RESULT line lands in OUTFILE.
# wrk runs in the background and is waited for, so INT/TERM reach our trap at once (bash defers traps
# while a foreground command runs); the cleanup then stops wrk like any server.
run_wrk() {
    local url conns=$3 duration=$4 out=$5
    local threads=$BENCH_THREADS pid
    url=$(url_of "$1" "$2")
    if ((threads > conns)); then
        threads=$conns
    fi
    local row_headers
    mapfile -t row_headers < <(row_header_args)
    timeout -k 5 "$((${duration%s} + 30))" \
        wrk -t"$threads" -c"$conns" -d"$duration" --timeout "$BENCH_WRK_TIMEOUT" "${row_headers[@]}" \
        -s "$BENCH_DIR/lua/report.lua" "$url" >"$out" 2>&1 &
    pid=$!
    register_server wrk "$pid"
    wait "$pid" || true
}

# Reads KEY=VALUE pairs of the BENCH_RESULT line of a wrk output into the associative array RESULT.
declare -A RESULT=()
parse_result() {
    local line pair
    RESULT=()
    line=$(grep -m1 '^BENCH_RESULT' "$1") || return 1
    # shellcheck disable=SC2034 # RESULT is read by the scripts that source this file
    for pair in ${line#BENCH_RESULT }; do
        RESULT[${pair%%=*}]=${pair#*=}
    done
}
