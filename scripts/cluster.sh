# shellcheck shell=bash
# A throwaway PostgreSQL cluster: initdb into a temporary folder, listening
# only on a unix socket there, removed when the calling script exits (even
# on failure).  Source this file, then call cluster_start.
#
#   source scripts/cluster.sh
#   cluster_start            # exports PGHOST, PGPORT, PGUSER, PGDATABASE
#   psql -c 'select 1'
#
# As root, the server runs as the "postgres" system user (initdb refuses
# root); otherwise as the calling user.

PGBIN="$(pg_config --bindir)"
CLUSTER_DIR=""

_as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cluster_stop() {
    if [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR" ]; then
        if [ -f "$CLUSTER_DIR/data/postmaster.pid" ]; then
            _as_server_user "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        if [ -n "${KEEP_CLUSTER_LOG:-}" ] && [ -f "$CLUSTER_DIR/log" ]; then
            cp "$CLUSTER_DIR/log" "$KEEP_CLUSTER_LOG" 2>/dev/null || true
        fi
        rm -rf "$CLUSTER_DIR"
    fi
    CLUSTER_DIR=""
}

cluster_start() {
    local port="${CLUSTER_PORT:-55432}"

    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    CLUSTER_DIR="$(mktemp -d /tmp/credit-pg.XXXXXX)"
    chmod 755 "$CLUSTER_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$CLUSTER_DIR"
    trap cluster_stop EXIT
    trap 'cluster_stop; exit 130' INT TERM

    _as_server_user "$PGBIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 \
        || { cat "$CLUSTER_DIR/initdb.log" >&2; return 1; }

    # Throwaway settings: durability off, one socket, no TCP.
    cat >>"$CLUSTER_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$CLUSTER_DIR'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = '2GB'
shared_buffers = '${CLUSTER_SHARED_BUFFERS:-256MB}'
max_prepared_transactions = 10
CONF
    # more settings, one per line, for tests that need them (e.g. pg_cron)
    [ -n "${CLUSTER_EXTRA_CONF:-}" ] && printf '%s\n' "$CLUSTER_EXTRA_CONF" >>"$CLUSTER_DIR/data/postgresql.conf"
    _as_server_user "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/log" -w start >/dev/null \
        || { cat "$CLUSTER_DIR/log" >&2; return 1; }

    export PGHOST="$CLUSTER_DIR" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
}

# cluster_create_extension WHO: make install, then CREATE EXTENSION credit
# in $PGDATABASE (dropping it first), and check that what was loaded is what
# this tree built: another tree may "make install" into the same system
# folders at the same time; then try again (3 times).  WHO names the caller
# in its messages.
cluster_create_extension() {
    local who="$1" sharedir libdir script attempt
    sharedir="$(pg_config --sharedir)/extension"
    libdir="$(pg_config --pkglibdir)"
    script="credit--$(scripts/version.sh).sql"
    for attempt in 1 2 3; do
        make -s install >/dev/null
        psql -X -q -v ON_ERROR_STOP=1 -c 'DROP EXTENSION IF EXISTS credit CASCADE' -c 'CREATE EXTENSION credit' \
            && cmp -s "$script" "$sharedir/$script" \
            && cmp -s credit.so "$libdir/credit.so" \
            && return 0
        echo "$who: the installed extension is not this tree's (attempt $attempt); installing again" >&2
        sleep 2
    done
    echo "$who: giving up" >&2
    return 1
}
