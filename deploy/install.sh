#!/usr/bin/env bash
# Installs (or upgrades in place) InverseProxy on this host. Run as root.
#
#   install.sh [--bundle DIR] [--config FILE] [--unit FILE] [--seed-cache FILE]
#
# Defaults are taken from the directory holding this script: bundle/, proxy.conf, inverseproxy.service.
# DESTDIR (default empty = the real root) installs into another root instead: every path below is
# prefixed by it, the service user is not created and systemctl is not called.
#
# Layout:
#   /opt/inverseproxy/                      the self-contained release (replaced on every run)
#   /etc/inverseproxy/proxy.conf            the given proxy.conf, with its two paths pointed below
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
        --bundle | --config | --unit | --seed-cache)
            [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"
            case "$1" in
                --bundle) bundle="$2" ;;
                --config) config="$2" ;;
                --unit) unit="$2" ;;
                --seed-cache) seed_cache="$2" ;;
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

use_systemd=false
if [[ -z "$dest" ]] && command -v systemctl >/dev/null 2>&1; then
    use_systemd=true
fi

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

install_release() {
    local staged="$opt_dir.new" old="$opt_dir.old"
    rm -rf "$staged" "$old"
    install -d -m 0755 "$staged"
    cp -R "$bundle/." "$staged/"
    chmod 0755 "$staged/InverseProxy"
    # A running executable cannot be overwritten (ETXTBSY), but its directory can be renamed away:
    # the old process keeps running from the old inodes until the restart below.
    if [[ -d "$opt_dir" ]]; then
        mv "$opt_dir" "$old"
    fi
    mv "$staged" "$opt_dir"
}

install_config() {
    local tmp
    install -d -m 0755 "$etc_dir"
    tmp=$(mktemp "$etc_dir/proxy.conf.XXXXXX")
    cp "$config" "$tmp"
    set_ini_key "$tmp" path_to_persistence "$cache_file"
    set_ini_key "$tmp" path_to_log "$log_file"
    chmod 0644 "$tmp"
    mv "$tmp" "$etc_dir/proxy.conf"
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
    sleep 2
    if ! systemctl is-active --quiet "$SERVICE"; then
        journalctl -u "$SERVICE" -n 30 --no-pager >&2 || true
        echo "install.sh: $SERVICE did not stay up" >&2
        exit 1
    fi
    echo "$SERVICE is running"
}

ensure_user
install_dirs
install_release
install_config
install_unit
if [[ "$use_systemd" == true ]]; then
    start_service
else
    if [[ -n "$seed_cache" ]]; then
        place_seed_cache
    fi
    echo "would run: systemctl daemon-reload; systemctl enable $SERVICE; systemctl restart $SERVICE"
fi
rm -rf "$opt_dir.old"
echo "installed $SERVICE under ${dest:-/}"
