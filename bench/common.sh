# shellcheck shell=bash
# What every benchmark script shares; source it from the repository root.
#
#   bench_args SCALE ROUNDS "$@" sets scale and rounds from --scale/--rounds,
#                                else BENCH_SCALE/BENCH_ROUNDS, else SCALE and
#                                ROUNDS (the benchmark's defaults)
#   bench_cluster PORT BUFFERS   bootstrap, build, install, a throwaway
#                                cluster (scripts/cluster.sh), and $work, a
#                                folder in it removed with it; defines psql_q
#   rotated ROUND VARIANT...     the variants in round ROUND's order: every
#                                variant once, starting at variant ROUND
#   usage                        the usage line, and exit 2

usage() { echo "usage: bench/$(basename "$0") [--scale N] [--rounds R]" >&2; exit 2; }

bench_args() {
    scale="${BENCH_SCALE:-$1}"
    rounds="${BENCH_ROUNDS:-$2}"
    shift 2
    while [ $# -gt 0 ]; do
        case "$1" in
            --scale)    [ $# -ge 2 ] || usage; scale="$2"; shift 2 ;;
            --scale=*)  scale="${1#*=}"; shift ;;
            --rounds)   [ $# -ge 2 ] || usage; rounds="$2"; shift 2 ;;
            --rounds=*) rounds="${1#*=}"; shift ;;
            *)          usage ;;
        esac
    done
    [[ "$scale" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --scale must be a positive integer" >&2; exit 2; }
    [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --rounds must be a positive integer" >&2; exit 2; }
    started=$(date +%s)
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
}

bench_cluster() {
    scripts/bootstrap.sh
    make -s >/dev/null
    make -s install >/dev/null

    # shellcheck source=scripts/cluster.sh
    source scripts/cluster.sh
    export CLUSTER_PORT="${CLUSTER_PORT:-$1}"
    export CLUSTER_SHARED_BUFFERS="${CLUSTER_SHARED_BUFFERS:-$2}"
    cluster_start

    # Everything lives in the cluster's temporary folder, removed on exit;
    # the server reads and writes files there too.
    work="$PGHOST/bench"
    mkdir "$work"
    [ "$(id -u)" -eq 0 ] && chown postgres "$work"
    return 0
}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Round r runs every variant once, starting at variant r (rotating order).
rotated() { # round variant...
    local r="$1"; shift
    local v=("$@") n=$# i
    for ((i = 0; i < n; i++)); do echo "${v[$(((i + r) % n))]}"; done
}
