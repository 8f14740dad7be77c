#!/usr/bin/env bash
# Runs a real authoritative DNS server (Knot DNS) for the tests.
#
# Usage: dns-test-server.sh [--servfail DOMAIN]... [--silent DOMAIN]... [DOMAIN=]ZONEFILE...
#
# Serves each zone file on 127.0.0.1 at a free high port, over UDP and TCP;
# a file named DOMAIN.zone serves DOMAIN unless DOMAIN= is given. Each
# --servfail DOMAIN is a zone whose every query is answered SERVFAIL: knot's
# mod-dnsproxy forwards it to a port where nothing listens (an authoritative
# server cannot be made to stay silent for one name; this is the nearest).
# Each --silent DOMAIN is forwarded the same way but knot waits 1.5 s for
# the answer that never comes, so a client with a shorter timeout sees a
# genuine timeout from the real server. Once every
# zone answers its SOA query it prints "ready PORT" on standard output, then
# runs until its standard input closes (the test process ended, however it
# ended), and stops knotd by its PID and removes its files. If knotd does
# not come up, it exits non-zero with knotd's log on standard error.
set -euo pipefail
# Installing is the setup script's job (scripts/setup.sh runs
# ensure-knot.sh); a test run that finds no Knot says how to get it.
if [ ! -x /usr/sbin/knotd ] || ! command -v kdig >/dev/null 2>&1; then
    echo "dns-test-server: Knot DNS (knotd, kdig) is missing; run: bash scripts/setup.sh" \
        "(or: apt-get install knot knot-dnsutils)" >&2
    exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/mailauth-knot.XXXXXX")
pid=""
hole_pid=""
cleanup() {
    for p in $pid $hole_pid; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

domains=()
zone_conf=""
proxied=() # "MODULE DOMAIN"
while [ $# -gt 0 ]; do
    arg=$1
    shift
    case "$arg" in
        --servfail | --silent)
            [ $# -gt 0 ] || { echo "dns-test-server: $arg needs a domain" >&2; exit 2; }
            module=nowhere
            [ "$arg" = --silent ] && module=silent
            proxied+=("$module ${1%.}")
            shift
            continue
            ;;
    esac
    case "$arg" in
        *=*) domain=${arg%%=*}; file=${arg#*=} ;;
        *) file=$arg; domain=$(basename "$file" .zone) ;;
    esac
    domain=${domain%.}
    [ -n "$domain" ] || domain="."
    [ -r "$file" ] || { echo "dns-test-server: cannot read $file" >&2; exit 2; }
    stored="$dir/zone-${#domains[@]}.zone"
    cp "$file" "$stored"
    domains+=("$domain")
    zone_conf+="  - domain: \"$domain\""$'\n'"    file: \"$stored\""$'\n'
done
for i in "${!proxied[@]}"; do
    read -r module domain <<< "${proxied[$i]}"
    stored="$dir/proxied-$i.zone"
    printf '@ 300 IN SOA ns. hostmaster. 1 3600 600 86400 300\n@ 300 IN NS ns.\n' > "$stored"
    zone_conf+="  - domain: \"$domain\""$'\n'"    file: \"$stored\""$'\n'"    module: mod-dnsproxy/$module"$'\n'
done
[ ${#domains[@]} -gt 0 ] || { echo "usage: dns-test-server.sh [--servfail DOMAIN]... [--silent DOMAIN]... [DOMAIN=]ZONEFILE..." >&2; exit 2; }

free_port() {
    python3 - <<'PY'
import socket
while True:
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        t.close()
    u.close()
    print(port)
    break
PY
}

ready() {
    local domain
    for domain in "${domains[@]}"; do
        [ -n "$(kdig @127.0.0.1 -p "$1" +short +time=1 +retry=0 SOA "$domain" 2>/dev/null)" ] || return 1
    done
}

# The --silent zones' upstream: a UDP socket and a TCP listener on one
# port that take queries and never answer.
hole=$(free_port)
python3 - "$hole" <<'PY' &
import signal, socket, sys
port = int(sys.argv[1])
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", port))
tcp.listen(64)
signal.pause()
PY
hole_pid=$!

for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # Where mod-dnsproxy forwards the --servfail zones: a port nothing
    # listens on (bound, then closed).
    nowhere=$(free_port)
    cat > "$dir/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$port
    # A query for a --silent zone holds a worker while knot waits.
    udp-workers: ${KNOT_UDP_WORKERS:-32}
    tcp-workers: 16
    rundir: "$dir"
    pidfile: "$dir/knot.pid"
control:
    listen: "$dir/knot.sock"
database:
    storage: "$dir/db"
log:
  - target: stderr
    any: info
remote:
  - id: nowhere
    address: 127.0.0.1@$nowhere
  - id: hole
    address: 127.0.0.1@$hole
mod-dnsproxy:
  - id: nowhere
    remote: nowhere
    timeout: 100
    fallback: off
  - id: silent
    remote: hole
    timeout: 1500
    fallback: off
template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
$zone_conf
CONF
    /usr/sbin/knotd -c "$dir/knot.conf" > "$dir/knot.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        if ready "$port"; then
            echo "ready $port"
            # Serve until the test process closes our standard input.
            cat > /dev/null || true
            exit 0
        fi
        sleep 0.05
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
    echo "dns-test-server: knotd did not come up on port $port (attempt $attempt):" >&2
    cat "$dir/knot.log" >&2
done
exit 1
