#!/usr/bin/env bash
# Builds InverseProxy as a self-contained linux-x64 release and installs it as a systemd service, either on
# a new EC2 instance or on an existing host. Run with --help for every flag.
set -euo pipefail

# Debian 12 (bookworm): its cloud image ships systemd, useradd and sudo for the "admin" user, and the
# self-contained release needs nothing else (invariant globalization: no libicu).
readonly AMI_PARAMETER=/aws/service/debian/release/12/latest/amd64
readonly REMOTE_STAGE=inverseproxy-deploy
readonly REMOTE_CACHE_FILE=/var/lib/inverseproxy/cache.bin
readonly REMOTE_LOG_FILE=/var/log/inverseproxy/proxy.log
readonly TAGS='{Key=Name,Value=inverseproxy},{Key=Project,Value=InverseProxy}'

prog=$(basename "$0")
repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

host=""
region_given=false
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
instance_type=t3.small
key_name=""
security_group=""
allow_cidr=""
ami=""
config=./proxy.conf
bundle="${INVERSEPROXY_BUNDLE:-}"
ssh_user="${INVERSEPROXY_SSH_USER:-admin}"
ssh_key="${INVERSEPROXY_SSH_KEY:-}"
snapshot_from=""
count=1
dry_run=false

usage() {
    cat <<EOF
Usage:
  $prog --key-name NAME (--security-group ID | --allow-cidr CIDR) [options]   launch a new EC2 instance
  $prog --host USER@ADDRESS [options]                                      deploy to an existing host
  $prog --count N --key-name NAME (--security-group ID | --allow-cidr CIDR) [options]
                                                                           launch N instances for HAProxy

Builds a self-contained linux-x64 release (dotnet publish; the host needs no .NET), copies it with
proxy.conf and the systemd unit over scp, and runs deploy/install.sh there with sudo. Running it again
against the same --host upgrades in place: new binary, service restarted, cache file kept. (Without
--host every run launches another instance: upgrade a launched one with --host and the printed address.)

Target:
  --host USER@ADDRESS     deploy to this existing host (no AWS calls); USER defaults to --ssh-user
  --region REGION         AWS region for a launch (default: \$AWS_REGION, then \$AWS_DEFAULT_REGION)
  --instance-type TYPE    EC2 instance type (default: t3.small)
  --key-name NAME         EC2 key pair installed on the new instance (required to launch)
  --security-group ID     existing security group for the new instance
  --allow-cidr CIDR       instead of --security-group: create a group opening 22 and the proxy port
                          to this IPv4 range (e.g. 203.0.113.4/32)
  --ami AMI_ID            image to launch (default: Debian 12 from the public SSM parameter
                          $AMI_PARAMETER)
  --count N               launch N instances (1-20, default 1), each installed the same way, and
                          print the HAProxy "server" lines for them (see deploy/haproxy.cfg)

What to deploy:
  --config FILE           proxy.conf to install (default: ./proxy.conf); its port = N sets the opened
                          port and the printed URL (8080 when absent); tls_port = N is opened too,
                          and the files its tls_certificate and tls_key keys name are copied to
                          /etc/inverseproxy/tls/ on the host
  --bundle DIR            use this already-published release folder instead of building one
                          (must contain the InverseProxy executable)
  --snapshot-from HOST    copy the cache file of the proxy running on HOST ([USER@]ADDRESS) to the
                          target's state directory before starting, so it starts warm

Access:
  --ssh-user USER         login user (default: admin, the Debian image's user)
  --ssh-key FILE          private key for ssh/scp (default: ssh's own configuration)

Other:
  --dry-run               print every aws/dotnet/ssh/scp command instead of running it
  -h, --help              show this help

Environment:
  AWS_REGION, AWS_DEFAULT_REGION   region when --region is not given
  AWS_PROFILE                      credentials profile, read by the aws CLI itself
  INVERSEPROXY_BUNDLE              same as --bundle
  INVERSEPROXY_SSH_USER            same as --ssh-user
  INVERSEPROXY_SSH_KEY             same as --ssh-key

On the host: /opt/inverseproxy (release), /etc/inverseproxy/proxy.conf, /var/lib/inverseproxy
(cache file, kept across upgrades), $REMOTE_LOG_FILE, unit inverseproxy.service.
EOF
}

die() {
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 2
}

fail() {
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 1
}

# Commands are echoed to stdout in a dry run (that is its output) and to stderr otherwise; fd 3 keeps
# the echo visible when a command's own output is discarded. Arguments are shell-quoted only when needed.
exec 3>&1
show() {
    local line="+" arg
    for arg in "$@"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then
            line+=" $arg"
        else
            line+=" '${arg//\'/\'\\\'\'}'"
        fi
    done
    if [[ "$dry_run" == true ]]; then
        printf '%s\n' "$line" >&3
    else
        printf '%s\n' "$line" >&2
    fi
}

run() {
    show "$@"
    if [[ "$dry_run" == false ]]; then
        "$@"
    fi
}

# capture VAR PLACEHOLDER COMMAND...: stores COMMAND's trimmed output in VAR (PLACEHOLDER in a dry run).
capture() {
    local var="$1" placeholder="$2" result
    shift 2
    show "$@"
    if [[ "$dry_run" == true ]]; then
        result="$placeholder"
    else
        result=$("$@")
        result="${result//$'\r'/}"
        result="${result#"${result%%[![:space:]]*}"}"
        result="${result%"${result##*[![:space:]]}"}"
    fi
    printf -v "$var" '%s' "$result"
}

with_user() {
    if [[ "$1" == *@* ]]; then
        printf '%s\n' "$1"
    else
        printf '%s@%s\n' "$ssh_user" "$1"
    fi
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            -h | --help)
                usage
                exit 0
                ;;
            --dry-run)
                dry_run=true
                shift
                ;;
            --host | --region | --instance-type | --key-name | --security-group | --allow-cidr | --ami | \
                --config | --bundle | --snapshot-from | --ssh-user | --ssh-key | --count)
                [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || die "$1 needs a value (see --help)"
                set_option "$1" "$2"
                shift 2
                ;;
            *) die "unknown option '$1' (see --help)" ;;
        esac
    done
}

set_option() {
    case "$1" in
        --host) host="$2" ;;
        --region)
            region="$2"
            region_given=true
            ;;
        --instance-type) instance_type="$2" ;;
        --key-name) key_name="$2" ;;
        --security-group) security_group="$2" ;;
        --allow-cidr) allow_cidr="$2" ;;
        --ami) ami="$2" ;;
        --config) config="$2" ;;
        --bundle) bundle="$2" ;;
        --snapshot-from) snapshot_from="$2" ;;
        --ssh-user) ssh_user="$2" ;;
        --ssh-key) ssh_key="$2" ;;
        --count) count="$2" ;;
    esac
}

validate() {
    [[ -f "$config" ]] || die "config file '$config' not found (use --config FILE)"
    if [[ -n "$bundle" && ! -x "$bundle/InverseProxy" ]]; then
        die "--bundle '$bundle' has no executable InverseProxy"
    fi
    if [[ -n "$ssh_key" && ! -f "$ssh_key" ]]; then
        die "--ssh-key '$ssh_key' not found"
    fi
    if [[ ! "$count" =~ ^[1-9][0-9]?$ ]] || ((count > 20)); then
        die "--count must be a number from 1 to 20 (was '$count')"
    fi
    if [[ -n "$host" ]]; then
        if [[ -n "$key_name$security_group$allow_cidr$ami" || "$region_given" == true || "$count" != 1 ]]; then
            die "--host deploys to an existing machine; --region, --key-name, --security-group, --allow-cidr, --ami and --count only apply to a launch"
        fi
        return
    fi
    [[ -n "$key_name" ]] || die "either --host USER@ADDRESS or --key-name NAME (to launch an instance) is required"
    [[ -n "$region" ]] || die "launching needs a region: --region REGION or AWS_REGION"
    if [[ -n "$security_group" && -n "$allow_cidr" ]]; then
        die "give either --security-group or --allow-cidr, not both"
    fi
    [[ -n "$security_group$allow_cidr" ]] || die "launching needs --security-group ID or --allow-cidr CIDR"
    if [[ -n "$allow_cidr" ]] && ! is_ipv4_cidr "$allow_cidr"; then
        die "--allow-cidr must be an IPv4 range like 203.0.113.4/32 (was '$allow_cidr')"
    fi
}

# A dotted quad of 0-255 with a prefix length of 0-32, without leading zeros (which some tools read as octal).
is_ipv4_cidr() {
    local part parts=()
    [[ "$1" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$ ]] || return 1
    parts=("${BASH_REMATCH[@]:1:5}") # copied: each =~ below replaces BASH_REMATCH
    for part in "${parts[@]:0:4}"; do
        [[ "$part" =~ ^(0|[1-9][0-9]*)$ ]] && ((part <= 255)) || return 1
    done
    [[ "${parts[4]}" =~ ^(0|[1-9][0-9]?)$ ]] && ((parts[4] <= 32))
}

# Targets on loopback point the deployed proxy at itself, which is rarely what a remote host should do.
warn_loopback_targets() {
    local targets item items=()
    targets=$(awk '/^\[/ { exit } /^[ \t]*targets[ \t]*=/ { sub(/^[^=]*=/, ""); v = $0 } END { print v }' "$config")
    IFS=', ' read -r -a items <<<"$targets"
    for item in "${items[@]}"; do
        case "$item" in
            127.* | localhost | localhost:* | "[::1]" | "[::1]:"* | ::1)
                printf '%s: warning: targets in %s include %s, a loopback address: on the deployed host that is the host itself\n' \
                    "$prog" "$config" "$item" >&2
                ;;
        esac
    done
}

# The port the proxy listens on: the first top-level "port = N" of proxy.conf, 8080 (the default) if none.
read_port() {
    local value
    value=$(awk '/^\[/ { exit } /^[ \t]*port[ \t]*=/ { sub(/^[^=]*=/, ""); gsub(/[ \t\r]/, ""); print; exit }' "$config")
    port="${value:-8080}"
    if [[ ! "$port" =~ ^[0-9]{1,5}$ ]] || ((port < 1 || port > 65535)); then
        die "port in $config must be a number from 1 to 65535 (was '$port')"
    fi
}

# The HTTPS port: the first top-level "tls_port = N", 0 (off) if none; opened in the security group beside port.
read_tls_port() {
    local value
    value=$(awk '/^\[/ { exit } /^[ \t]*tls_port[ \t]*=/ { sub(/^[^=]*=/, ""); gsub(/[ \t\r]/, ""); print; exit }' "$config")
    tls_port="${value:-0}"
    if [[ ! "$tls_port" =~ ^[0-9]{1,5}$ ]] || ((tls_port > 65535)); then
        die "tls_port in $config must be a number from 0 to 65535 (was '$tls_port')"
    fi
}

# The certificate and key files the config names (tls_certificate, tls_key, in any section; relative to the
# config's folder): each is copied to the host's /etc/inverseproxy/tls/, and the uploaded config names it there.
collect_tls_files() {
    local config_dir name path other
    config_dir=$(cd "$(dirname "$config")" && pwd)
    tls_files=()
    upload_config="$config"
    while IFS= read -r name; do
        [[ -n "$name" ]] || continue
        if [[ "$name" == /* ]]; then path="$name"; else path="$config_dir/$name"; fi
        [[ -f "$path" ]] || die "$config names '$name' for tls_certificate or tls_key, but $path is not a file"
        for other in "${tls_files[@]}"; do
            if [[ "$other" != "$path" && "$(basename "$other")" == "$(basename "$path")" ]]; then
                die "$other and $path would both be installed as /etc/inverseproxy/tls/$(basename "$path"): rename one"
            fi
        done
        tls_files+=("$path")
    done < <(awk '/^[ \t]*tls_(certificate|key)[ \t]*=/ { sub(/^[^=]*=/, ""); gsub(/^[ \t"]+|[ \t"\r]+$/, ""); print }' "$config")
    if ((${#tls_files[@]} == 0)); then
        return
    fi
    upload_config="$work_dir/proxy.conf"
    awk '/^[ \t]*tls_(certificate|key)[ \t]*=/ {
            key = $0; sub(/[ \t]*=.*/, "", key); value = $0; sub(/^[^=]*=/, "", value); gsub(/^[ \t"]+|[ \t"\r]+$/, "", value)
            n = split(value, parts, "/"); print key " = tls/" parts[n]; next } { print }' "$config" >"$upload_config"
}

# The admin port HAProxy health-checks (GET /proxy-stats): the first top-level "admin_port = N", 0 (off) if none.
read_admin_port() {
    local value
    value=$(awk '/^\[/ { exit } /^[ \t]*admin_port[ \t]*=/ { sub(/^[^=]*=/, ""); gsub(/[ \t\r]/, ""); print; exit }' "$config")
    admin_port="${value:-0}"
    [[ "$admin_port" =~ ^[0-9]{1,5}$ ]] || die "admin_port in $config must be a number from 0 to 65535 (was '$admin_port')"
}

build_bundle() {
    if [[ -n "$bundle" ]]; then
        return
    fi
    bundle="$work_dir/bundle"
    run dotnet publish "$repo_dir/src/InverseProxy" -c Release -r linux-x64 --self-contained true -o "$bundle"
    if [[ "$dry_run" == false && ! -x "$bundle/InverseProxy" ]]; then
        fail "dotnet publish produced no $bundle/InverseProxy"
    fi
}

create_security_group() {
    local name
    name="inverseproxy-$(date +%Y%m%d-%H%M%S)"
    capture security_group '<security-group-id>' aws --region "$region" ec2 create-security-group \
        --group-name "$name" --description "InverseProxy: ssh and port $port from $allow_cidr" \
        --tag-specifications "ResourceType=security-group,Tags=[$TAGS]" --query GroupId --output text
    local ports=(22) opened
    if [[ "$port" != 22 ]]; then
        ports+=("$port")
    fi
    if [[ "$tls_port" != 0 && "$tls_port" != 22 && "$tls_port" != "$port" ]]; then
        ports+=("$tls_port")
    fi
    for opened in "${ports[@]}"; do
        run aws --region "$region" ec2 authorize-security-group-ingress --group-id "$security_group" \
            --protocol tcp --port "$opened" --cidr "$allow_cidr" >/dev/null
    done
}

launch_instance() {
    if [[ -z "$ami" ]]; then
        capture ami '<ami-id>' aws --region "$region" ssm get-parameters --names "$AMI_PARAMETER" \
            --query 'Parameters[0].Value' --output text
        if [[ "$dry_run" == false && "$ami" != ami-* ]]; then
            fail "could not resolve an AMI from SSM parameter $AMI_PARAMETER (got '$ami')"
        fi
    fi
    if [[ -z "$security_group" ]]; then
        create_security_group
    fi
    local launched placeholder i
    placeholder='<instance-id>'
    for ((i = 2; i <= count; i++)); do
        placeholder+=" <instance-id-$i>"
    done
    capture launched "$placeholder" aws --region "$region" ec2 run-instances --image-id "$ami" \
        --instance-type "$instance_type" --key-name "$key_name" --security-group-ids "$security_group" \
        --count "$count" --metadata-options HttpTokens=required \
        --tag-specifications "ResourceType=instance,Tags=[$TAGS]" "ResourceType=volume,Tags=[$TAGS]" \
        --query 'Instances[*].InstanceId' --output text
    read -r -a instance_ids <<<"$launched"
    if ((${#instance_ids[@]} != count)); then
        fail "asked for $count instances, got '${launched}'"
    fi
    if [[ "$dry_run" == false ]]; then
        echo "launched instances ${instance_ids[*]}" >&2
    fi
    run aws --region "$region" ec2 wait instance-running --instance-ids "${instance_ids[@]}"
    local id addresses dns ip private
    for id in "${instance_ids[@]}"; do
        capture addresses '<public-dns> <public-ip> <private-ip>' aws --region "$region" ec2 describe-instances \
            --instance-ids "$id" \
            --query 'Reservations[0].Instances[0].[PublicDnsName,PublicIpAddress,PrivateIpAddress]' --output text
        read -r dns ip private _ <<<"$addresses" || true
        if [[ -n "$dns" && "$dns" != None ]]; then
            hosts+=("$ssh_user@$dns")
        elif [[ -n "${ip:-}" && "$ip" != None ]]; then
            hosts+=("$ssh_user@$ip")
        else
            fail "instance $id has no public address (does its subnet assign public IPs?)"
        fi
        # HAProxy in the same VPC reaches the private address; otherwise the public one.
        if [[ -n "${private:-}" && "$private" != None ]]; then
            backends+=("$private")
        else
            backends+=("${hosts[-1]#*@}")
        fi
    done
    instance_id="${instance_ids[0]}"
}

# A new instance runs before its sshd accepts logins.
wait_for_ssh() {
    show ssh "${ssh_opts[@]}" "$host" true
    if [[ "$dry_run" == true ]]; then
        return
    fi
    local attempt
    for attempt in $(seq 1 40); do
        if ssh "${ssh_opts[@]}" "$host" true 2>/dev/null; then
            return
        fi
        echo "waiting for ssh on $host ($attempt/40)" >&2
        sleep 5
    done
    fail "ssh to $host did not answer within 200 s"
}

# The cache file belongs to the service user, so it is copied aside with sudo before scp can read it.
fetch_snapshot() {
    local source
    source=$(with_user "$snapshot_from")
    snapshot_file="$work_dir/cache.bin"
    # Cached responses can hold private data: the local copy is readable by this user only.
    umask 077
    run ssh "${ssh_opts[@]}" "$source" "sudo cat $REMOTE_CACHE_FILE > $REMOTE_STAGE-snapshot.bin" ||
        fail "could not read $REMOTE_CACHE_FILE on $source"
    run scp "${ssh_opts[@]}" -q "$source:$REMOTE_STAGE-snapshot.bin" "$snapshot_file"
    run ssh "${ssh_opts[@]}" "$source" "rm -f $REMOTE_STAGE-snapshot.bin"
}

upload_and_install() {
    local install_cmd="sudo bash $REMOTE_STAGE/install.sh"
    run ssh "${ssh_opts[@]}" "$host" "rm -rf $REMOTE_STAGE && mkdir -p $REMOTE_STAGE"
    run scp "${ssh_opts[@]}" -q -r -p "$bundle" "$host:$REMOTE_STAGE/bundle"
    run scp "${ssh_opts[@]}" -q -p "$upload_config" "$host:$REMOTE_STAGE/proxy.conf"
    if ((${#tls_files[@]})); then
        run ssh "${ssh_opts[@]}" "$host" "mkdir -m 0700 $REMOTE_STAGE/tls"
        run scp "${ssh_opts[@]}" -q -p "${tls_files[@]}" "$host:$REMOTE_STAGE/tls/"
        install_cmd+=" --tls-dir $REMOTE_STAGE/tls"
    fi
    run scp "${ssh_opts[@]}" -q -p "$repo_dir/deploy/inverseproxy.service" "$repo_dir/deploy/install.sh" \
        "$host:$REMOTE_STAGE/"
    if [[ -n "$snapshot_file" ]]; then
        run scp "${ssh_opts[@]}" -q "$snapshot_file" "$host:$REMOTE_STAGE/cache.bin"
        install_cmd+=" --seed-cache $REMOTE_STAGE/cache.bin"
    fi
    run ssh "${ssh_opts[@]}" "$host" "$install_cmd && rm -rf $REMOTE_STAGE"
}

print_summary() {
    local address="${host#*@}"
    if [[ "$address" == *:* ]]; then
        address="[$address]"
    fi
    echo
    if [[ -n "$instance_id" ]]; then
        echo "Instance:  $instance_id ($region)"
    fi
    echo "Proxy:     http://$address:$port/"
    if [[ "$tls_port" != 0 ]]; then
        echo "HTTPS:     https://$address:$tls_port/"
    fi
    echo "Log:"
    echo "ssh $host sudo tail -f $REMOTE_LOG_FILE"
}

# The backend lines for deploy/haproxy.cfg: one server per launched instance, health-checked on the admin port.
print_haproxy_servers() {
    local i address check="check"
    if [[ "$admin_port" != 0 ]]; then
        check="check port $admin_port"
    else
        printf '%s: warning: admin_port is 0 in %s: HAProxy then checks the proxy port itself\n' "$prog" "$config" >&2
    fi
    echo
    echo "HAProxy servers (backend of deploy/haproxy.cfg; admin_bind_address must let HAProxy reach admin_port):"
    for i in "${!backends[@]}"; do
        address="${backends[$i]}"
        if [[ "$address" == *:* ]]; then
            address="[$address]"
        fi
        printf '    server inverseproxy-%d %s:%s %s\n' "$((i + 1))" "$address" "$port" "$check"
    done
}

main() {
    parse_args "$@"
    validate
    port=""
    read_port
    admin_port=0
    read_admin_port
    tls_port=0
    read_tls_port
    warn_loopback_targets
    instance_id=""
    instance_ids=()
    hosts=()
    backends=()
    snapshot_file=""
    ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=10)
    if [[ -n "$ssh_key" ]]; then
        ssh_opts+=(-i "$ssh_key")
    fi
    work_dir=$(mktemp -d "${TMPDIR:-/tmp}/inverseproxy-deploy.XXXXXX")
    trap 'rm -rf "$work_dir"' EXIT
    collect_tls_files

    build_bundle
    if [[ -n "$host" ]]; then
        hosts=("$(with_user "$host")")
    else
        launch_instance
    fi
    if [[ -n "$snapshot_from" ]]; then
        fetch_snapshot
    fi
    local i
    for i in "${!hosts[@]}"; do
        host="${hosts[$i]}"
        if ((${#instance_ids[@]})); then
            instance_id="${instance_ids[$i]}"
            wait_for_ssh
        fi
        upload_and_install
        print_summary
    done
    if ((${#instance_ids[@]} > 1)); then
        print_haproxy_servers
    fi
}

main "$@"
