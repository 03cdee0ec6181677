# shellcheck shell=bash
# Throwaway clusters for the exchange (docs/exchange.md), shared by
# scripts/test_exchange.sh and bench/exchange.sh: each node is its own
# cluster (initdb into a temporary folder, wal_level = logical, a unix
# socket only, the database "credit" with the extension), all removed when
# the calling script exits (even on failure).  Source this file, then
#
#   exchange_nodes_start PORT county city province   # ports PORT, PORT+1, ...
#   sql county -c '...'          psql on a node's database, stops at the first error
#   val county 'SELECT ...'      the one value a query returns
#   wait_for city 'SELECT ...'   until the query returns t (60 s at most, EXCHANGE_WAIT)
#   conninfo county              what a subscription connects with
#   node_stop city / node_start city
#
# As root, the servers run as the "postgres" system user (initdb refuses root).

EXCHANGE_PGBIN="$(pg_config --bindir)"
EXCHANGE_DIR="$(mktemp -d /tmp/credit-exchange.XXXXXX)"
chmod 755 "$EXCHANGE_DIR"
EXCHANGE_NODES=()
declare -A EXCHANGE_PORTS=()

as_server() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
exchange_nodes_stop() {
    local n
    for n in "${EXCHANGE_NODES[@]}"; do
        [ -f "$EXCHANGE_DIR/$n/data/postmaster.pid" ] \
            && as_server "$EXCHANGE_PGBIN/pg_ctl" -D "$EXCHANGE_DIR/$n/data" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$EXCHANGE_DIR"
}
trap exchange_nodes_stop EXIT
trap 'exchange_nodes_stop; exit 130' INT TERM
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$EXCHANGE_DIR"
fi

port_of() { echo "${EXCHANGE_PORTS[$1]}"; }
node_log() { echo "$EXCHANGE_DIR/$1/log"; }
node_start() {
    as_server "$EXCHANGE_PGBIN/pg_ctl" -D "$EXCHANGE_DIR/$1/data" -l "$EXCHANGE_DIR/$1/log" -w start >/dev/null \
        || { cat "$EXCHANGE_DIR/$1/log" >&2; return 1; }
}
node_stop() {
    as_server "$EXCHANGE_PGBIN/pg_ctl" -D "$EXCHANGE_DIR/$1/data" -m fast -w stop >/dev/null
}

exchange_nodes_start() {   # exchange_nodes_start PORT NAME...
    local port="$1" n
    shift
    for n in "$@"; do
        EXCHANGE_PORTS[$n]=$port
        port=$((port + 1))
        mkdir -p "$EXCHANGE_DIR/$n"
        [ "$(id -u)" -eq 0 ] && chown postgres "$EXCHANGE_DIR/$n"
        as_server "$EXCHANGE_PGBIN/initdb" -D "$EXCHANGE_DIR/$n/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            >"$EXCHANGE_DIR/$n/initdb.log" 2>&1 || { cat "$EXCHANGE_DIR/$n/initdb.log" >&2; return 1; }
        cat >>"$EXCHANGE_DIR/$n/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$EXCHANGE_DIR/$n'
port = $(port_of "$n")
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '${EXCHANGE_SHARED_BUFFERS:-64MB}'
max_wal_size = '1GB'
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
max_logical_replication_workers = 6
max_sync_workers_per_subscription = 4
wal_receiver_status_interval = 1s
CONF
        EXCHANGE_NODES+=("$n")
        node_start "$n"
        psql -X -q -h "$EXCHANGE_DIR/$n" -p "$(port_of "$n")" -U postgres -d postgres -c 'CREATE DATABASE credit' >/dev/null
        sql "$n" -c 'CREATE EXTENSION credit' >/dev/null
    done
}
sql() {
    local n="$1"
    shift
    psql -X -q -v ON_ERROR_STOP=1 -h "$EXCHANGE_DIR/$n" -p "$(port_of "$n")" -U postgres -d credit "$@"
}
val() {
    sql "$1" -At -c "$2"
}
conninfo() { echo "host=$EXCHANGE_DIR/$1 port=$(port_of "$1") dbname=credit user=postgres"; }
wait_for() {
    local i
    for i in $(seq 1 $((${EXCHANGE_WAIT:-60} * 10))); do
        [ "$(val "$1" "$2" 2>/dev/null || true)" = t ] && return 0
        sleep 0.1
    done
    echo "exchange: timed out waiting on $1 for: $2" >&2
    return 1
}
