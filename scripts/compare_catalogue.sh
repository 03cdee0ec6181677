#!/usr/bin/env bash
# Compares what CREATE EXTENSION credit installs at two commits:
#   scripts/compare_catalogue.sh [BASE [HEAD]]
# BASE defaults to 7ad9c44 (main before the layout redesign of issue 9),
# HEAD to the work tree as it is.  Each is built and installed in turn, into
# a database of one throwaway cluster, and described by
# scripts/catalogue_snapshot.sql (every member of the extension with its
# definition, markings, privileges and comment; the policies; what the
# register functions grant).  Prints the unified diff of the two snapshots
# (empty when they agree) and exits 0; keeps both snapshots when
# KEEP_SNAPSHOTS=dir is set.  Installs into the server of pg_config on PATH:
# the work tree's build is left installed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
base=${1:-7ad9c44}
head=${2:-}

scripts/bootstrap.sh
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_start

work=$(mktemp -d /tmp/credit-compare.XXXXXX)
cleanup() { git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 || true
            git -C "$top" worktree remove --force "$work/head" >/dev/null 2>&1 || true
            rm -rf "$work"; cluster_stop; }
trap cleanup EXIT

snapshot() {   # snapshot SOURCE_DIR NAME
    make -s -C "$1" clean >/dev/null 2>&1 || true
    make -s -C "$1" >/dev/null
    make -s -C "$1" install >/dev/null
    psql -X -q -d postgres -c "CREATE DATABASE $2 ENCODING 'UTF8' TEMPLATE template0" >/dev/null
    psql -X -q -d "$2" -c 'CREATE EXTENSION credit' >/dev/null
    psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$2" -f "$top/scripts/catalogue_snapshot.sql" >"$work/$2.txt"
}

git worktree add -q --detach "$work/base" "$base"
snapshot "$work/base" snap_base
if [ -n "$head" ]; then
    git worktree add -q --detach "$work/head" "$head"
    snapshot "$work/head" snap_head
else
    snapshot "$top" snap_head
fi

if [ -n "${KEEP_SNAPSHOTS:-}" ]; then
    mkdir -p "$KEEP_SNAPSHOTS"
    cp "$work/snap_base.txt" "$work/snap_head.txt" "$KEEP_SNAPSHOTS/"
fi
echo "compare_catalogue: $(wc -l <"$work/snap_base.txt") lines at $base, $(wc -l <"$work/snap_head.txt") at ${head:-the work tree}" >&2
diff -u --label "$base" --label "${head:-work tree}" "$work/snap_base.txt" "$work/snap_head.txt" || true
