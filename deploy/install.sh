#!/usr/bin/env bash
# Installs (or upgrades in place) InverseProxy on this host. Run as root.
#
#   install.sh [--bundle DIR] [--config FILE] [--unit FILE] [--seed-cache FILE] [--tls-dir DIR]
#
# Defaults are taken from the directory holding this script: bundle/, proxy.conf, inverseproxy.service.
# DESTDIR (default empty = the real root) installs into another root instead: every path below is
# prefixed by it, the service user is not created and systemctl is not called (unless SYSTEMCTL names one).
# The new release checks the new proxy.conf (--check) before anything is replaced. After the restart the
# service must be active and answer on admin_port (or port) within HEALTH_TIMEOUT seconds (default 15),
# or the previous release and config are put back and restarted, and install.sh exits 1.
#
# Layout:
#   /opt/inverseproxy/                      the self-contained release (replaced on every run)
#   /opt/inverseproxy.previous/             the release it replaced, for a rollback
#   /etc/inverseproxy/proxy.conf            the given proxy.conf, with its two paths pointed below
#   /etc/inverseproxy/*.previous            the config and unit it replaced
#   /etc/inverseproxy/tls/                  certificate and key files (--tls-dir), readable by the service only
#   /var/lib/inverseproxy/cache.bin         the cache file (never removed, so an upgrade restarts warm)
#   /var/log/inverseproxy/proxy.log         the log
#   /etc/systemd/system/inverseproxy.service
set -euo pipefail

readonly SERVICE=inverseproxy
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle="$here/bundle"
config="$here/proxy.conf"
unit="$here/inverseproxy.service"
seed_cache=""
tls_dir=""
dest="${DESTDIR:-}"
dest="${dest%/}"

die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 2
}

usage() {
    sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --bundle | --config | --unit | --seed-cache | --tls-dir)
            [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"
            case "$1" in
                --bundle) bundle="$2" ;;
                --config) config="$2" ;;
                --unit) unit="$2" ;;
                --seed-cache) seed_cache="$2" ;;
                --tls-dir) tls_dir="$2" ;;
            esac
            shift 2
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

[[ -n "$dest" || "$(id -u)" -eq 0 ]] || die "run as root (or set DESTDIR to install into another root)"
[[ -x "$bundle/InverseProxy" ]] || die "no executable InverseProxy in bundle '$bundle'"
[[ -f "$config" ]] || die "config file '$config' not found"
[[ -f "$unit" ]] || die "unit file '$unit' not found"
[[ -z "$seed_cache" || -f "$seed_cache" ]] || die "seed cache file '$seed_cache' not found"

opt_dir="$dest/opt/$SERVICE"
etc_dir="$dest/etc/$SERVICE"
state_dir="$dest/var/lib/$SERVICE"
log_dir="$dest/var/log/$SERVICE"
unit_dir="$dest/etc/systemd/system"
cache_file="$state_dir/cache.bin"
log_file="$log_dir/proxy.log"

health_timeout="${HEALTH_TIMEOUT:-15}"
[[ "$health_timeout" =~ ^[0-9]+$ ]] || die "HEALTH_TIMEOUT must be whole seconds (was '$health_timeout')"

# SYSTEMCTL lets a stand-in service manager drive the restart and rollback of an install into DESTDIR.
systemctl_cmd="${SYSTEMCTL:-}"
if [[ -z "$systemctl_cmd" && -z "$dest" ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl_cmd=systemctl
fi
use_systemd=false
if [[ -n "$systemctl_cmd" ]]; then
    use_systemd=true
fi

systemctl() {
    command "$systemctl_cmd" "$@"
}

ensure_user() {
    if [[ -n "$dest" ]] || ! command -v useradd >/dev/null 2>&1; then
        echo "would create system user and group '$SERVICE' (home /var/lib/$SERVICE, no login shell)"
        return
    fi
    if ! id -u "$SERVICE" >/dev/null 2>&1; then
        useradd --system --user-group --home-dir "/var/lib/$SERVICE" --no-create-home \
            --shell /usr/sbin/nologin "$SERVICE"
    fi
}

# Owner for the writable directories: the service user when it exists on this root, else unchanged.
owner_args() {
    if [[ -z "$dest" ]] && id -u "$SERVICE" >/dev/null 2>&1; then
        printf '%s\n' -o "$SERVICE" -g "$SERVICE"
    fi
}

# Sets KEY = VALUE in an INI file: rewrites every existing KEY line, or adds one at the top (the global
# section, before any [section]) when the key is absent.
set_ini_key() {
    local file="$1" key="$2" value="$3" tmp
    tmp=$(mktemp "$file.XXXXXX")
    if grep -Eq "^[[:space:]]*${key}[[:space:]]*=" "$file"; then
        KEY="$key" VALUE="$value" awk '
            $0 ~ "^[ \t]*" ENVIRON["KEY"] "[ \t]*=" { print ENVIRON["KEY"] " = " ENVIRON["VALUE"]; next }
            { print }' "$file" >"$tmp"
    else
        { printf '%s = %s\n' "$key" "$value"; cat "$file"; } >"$tmp"
    fi
    mv "$tmp" "$file"
}

# Escapes a string for the replacement side of a sed s#...#...# command.
escape_sed() {
    printf '%s' "$1" | sed 's/[\\#&]/\\&/g'
}

stage_release() {
    local staged="$opt_dir.new"
    rm -rf "$staged"
    install -d -m 0755 "$staged"
    cp -R "$bundle/." "$staged/"
    chmod 0755 "$staged/InverseProxy"
}

stage_config() {
    install -d -m 0755 "$etc_dir"
    staged_config=$(mktemp "$etc_dir/proxy.conf.XXXXXX")
    cp "$config" "$staged_config"
    set_ini_key "$staged_config" path_to_persistence "$cache_file"
    set_ini_key "$staged_config" path_to_log "$log_file"
    chmod 0644 "$staged_config"
}

# The certificate and key files the config names as tls/NAME (deploy-ec2.sh rewrites them so), before the
# check, which loads them. Keys are private: readable by the service user only.
place_tls_files() {
    local owner=() file
    mapfile -t owner < <(owner_args)
    install -d -m 0750 "${owner[@]}" "$etc_dir/tls"
    for file in "$tls_dir"/*; do
        [[ -f "$file" ]] || continue
        install -m 0640 "${owner[@]}" "$file" "$etc_dir/tls/$(basename "$file")"
    done
}

# The new release judges the new config, as the service user where there is one, so an unwritable state
# folder fails here too. Nothing has been replaced yet when it refuses.
check_staged() {
    local run=() output
    if [[ -z "$dest" ]] && id -u "$SERVICE" >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; then
        run=(runuser -u "$SERVICE" --)
    fi
    if ! output=$("${run[@]}" "$opt_dir.new/InverseProxy" --config "$staged_config" --check 2>&1); then
        printf '%s\n' "$output" >&2
        rm -rf "$opt_dir.new"
        rm -f "$staged_config"
        die "the new release rejects $config (--check failed); nothing was changed"
    fi
}

# A running executable cannot be overwritten (ETXTBSY), but its directory can be renamed away: the old
# process keeps running from the old inodes until the restart. The replaced release, config and unit are
# kept as *.previous for a rollback.
swap_in() {
    rm -rf "$opt_dir.previous"
    if [[ -d "$opt_dir" ]]; then
        mv "$opt_dir" "$opt_dir.previous"
    fi
    mv "$opt_dir.new" "$opt_dir"
    if [[ -f "$etc_dir/proxy.conf" ]]; then
        cp -p "$etc_dir/proxy.conf" "$etc_dir/proxy.conf.previous"
    fi
    mv "$staged_config" "$etc_dir/proxy.conf"
    if [[ -f "$unit_dir/$SERVICE.service" ]]; then
        cp -p "$unit_dir/$SERVICE.service" "$etc_dir/$SERVICE.service.previous"
    fi
}

roll_back() {
    [[ -d "$opt_dir.previous" ]] || return 1
    rm -rf "$opt_dir.failed"
    mv "$opt_dir" "$opt_dir.failed"
    mv "$opt_dir.previous" "$opt_dir"
    rm -rf "$opt_dir.failed"
    if [[ -f "$etc_dir/proxy.conf.previous" ]]; then
        mv "$etc_dir/proxy.conf.previous" "$etc_dir/proxy.conf"
    fi
    if [[ -f "$etc_dir/$SERVICE.service.previous" ]]; then
        mv "$etc_dir/$SERVICE.service.previous" "$unit_dir/$SERVICE.service"
    fi
    systemctl daemon-reload
    systemctl restart "$SERVICE"
}

# The value of KEY in the installed config (the last line setting it), or DEFAULT.
config_value() {
    local value
    value=$(KEY="$1" awk -F= '
        $0 ~ "^[ \t]*" ENVIRON["KEY"] "[ \t]*=" { v = $2; sub(/^[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v) }
        END { print v }' "$etc_dir/proxy.conf")
    printf '%s\n' "${value:-$2}"
}

# Where a health probe connects: the admin listener when it is on, else the proxy port; a wildcard
# address is reached through loopback.
probe_address() {
    local port address
    port=$(config_value admin_port 0)
    address=$(config_value admin_bind_address 127.0.0.1)
    if [[ "$port" == 0 ]]; then
        port=$(config_value port 8080)
        address=$(config_value bind_address 0.0.0.0)
    fi
    case "$address" in
        0.0.0.0 | "") address=127.0.0.1 ;;
        :: | "[::]") address=::1 ;;
    esac
    printf '%s %s\n' "${address#[}" "${port}"
}

is_healthy() {
    local address port
    read -r address port < <(probe_address)
    address="${address%]}"
    systemctl is-active --quiet "$SERVICE" && (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null
}

wait_until_healthy() {
    local waited=0
    while ((waited <= health_timeout)); do
        if is_healthy; then
            return 0
        fi
        sleep 1
        waited=$((waited + 1))
    done
    return 1
}

install_unit() {
    local prefix tmp
    prefix=$(escape_sed "$dest")
    install -d -m 0755 "$unit_dir"
    tmp=$(mktemp "$unit_dir/$SERVICE.service.XXXXXX")
    sed -E "s#(^|[ =])(/opt/$SERVICE|/etc/$SERVICE|/var/lib/$SERVICE|/var/log/$SERVICE)#\\1$prefix\\2#g" \
        "$unit" >"$tmp"
    chmod 0644 "$tmp"
    mv "$tmp" "$unit_dir/$SERVICE.service"
}

# The state directory is created if missing and never emptied: the cache file survives upgrades.
install_dirs() {
    local owner=()
    mapfile -t owner < <(owner_args)
    install -d -m 0750 "${owner[@]}" "$state_dir" "$log_dir"
}

place_seed_cache() {
    local owner=() tmp
    mapfile -t owner < <(owner_args)
    tmp="$state_dir/.cache.bin.seed"
    install -m 0640 "${owner[@]}" "$seed_cache" "$tmp"
    mv "$tmp" "$cache_file"
    echo "seeded $cache_file from $seed_cache"
}

start_service() {
    systemctl daemon-reload
    systemctl enable "$SERVICE" >/dev/null
    if [[ -n "$seed_cache" ]]; then
        # Stop first: the final cache write on SIGTERM would overwrite the seed.
        systemctl stop "$SERVICE"
        place_seed_cache
        systemctl start "$SERVICE"
    else
        systemctl restart "$SERVICE"
    fi
    if ! wait_until_healthy; then
        journalctl -u "$SERVICE" -n 30 --no-pager >&2 || true
        if roll_back && wait_until_healthy; then
            echo "install.sh: $SERVICE was not healthy (active and answering) within ${health_timeout}s; rolled back to the previous release and config, which are running" >&2
        else
            echo "install.sh: $SERVICE was not healthy (active and answering) within ${health_timeout}s and no previous release could be brought back" >&2
        fi
        exit 1
    fi
    echo "$SERVICE is running"
}

ensure_user
install_dirs
stage_release
stage_config
if [[ -n "$tls_dir" ]]; then
    place_tls_files
fi
check_staged
swap_in
install_unit
if [[ "$use_systemd" == true ]]; then
    start_service
else
    if [[ -n "$seed_cache" ]]; then
        place_seed_cache
    fi
    echo "would run: systemctl daemon-reload; systemctl enable $SERVICE; systemctl restart $SERVICE"
fi
echo "installed $SERVICE under ${dest:-/}"
