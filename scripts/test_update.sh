#!/usr/bin/env bash
# Upgrades as docs/operations.md says: for each released version (its
# frozen install script extension/released/credit--<old>.sql), in a
# throwaway cluster:
#   - make install shipped the frozen script and the upgrade path to the
#     current version (credit.control's default_version); the library
#     defines every C function the frozen script names;
#   - CREATE EXTENSION credit VERSION '<old>' in a database, the test data
#     of scripts/test_database.sh loaded (the demo data, an objection and a
#     repair in progress, changed shipped rows, the access log), every table
#     fingerprinted; credit.version() warns that the library is newer;
#   - ALTER EXTENSION credit UPDATE: credit.version() reports the current
#     version for both; every row, sequence and what each kind of role sees
#     are as before (in the tables, views, columns and sequences there
#     were before; rows added only to the shipped reference tables: the
#     rows of the tables the update adds, and those it adds to the shipped
#     tables, are the shipped rows, compared below); the catalogue (scripts/catalogue_snapshot.sql) equals
#     that of a fresh CREATE EXTENSION credit loaded with the same data, and
#     the shipped rows of an updated empty database equal those of a fresh
#     install; a department submits a record and the centre moves the
#     objection on.
# A change made to the parts extension/[0-9]*.sql without its counterpart in
# the upgrade script fails here, and the difference is printed (lines
# "update:   -..." for the updated database, "+..." for the fresh one).
# Uses the PostgreSQL of pg_config, with this tree built and installed
# (scripts/test.sh does both).  Prints one line per check and ends with
# "update: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=update
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
same() {    # same FILE1 FILE2 [WHY]: equal, else the differing lines (the first 60), and WHY
    diff "$1" "$2" >"$work/diff" && return 0
    grep -E '^[<>]' "$work/diff" | sed -e 's/^</update:   -/' -e 's/^>/update:   +/' | head -n 60
    [ -z "${3:-}" ] || echo "update: $3"
    return 1
}
# the lines of AFTER whose first field (a table, view or sequence) is in
# BEFORE: what the update added is new, and the shipped rows of the new
# tables are compared with a fresh install's below
existing() { awk 'NR == FNR { seen[$1] = 1; next } ($1 in seen)' "$1" "$2"; }
# every line of BEFORE (rows, table_rows) is in AFTER but a shipped row
# as the released version shipped it (SHIPPED: its table_rows; the update
# may change that, never a row the DBA changed), and the lines AFTER adds
# are rows of a shipped reference table (a table with rows in a fresh
# empty install, FRESH: fingerprint lines "table count md5")
rows_kept() {
    LC_ALL=C comm -23 "$1" "$2" | LC_ALL=C comm -23 - "$4" >"$work/rows.missing"
    LC_ALL=C comm -13 "$1" "$2" | awk 'NR == FNR { if ($2 > 0) shipped[$1] = 1; next } !($1 in shipped)' "$3" - >"$work/rows.added"
    [ -s "$work/rows.missing" ] || [ -s "$work/rows.added" ] || return 0
    sed 's/^/update:   - /' "$work/rows.missing" | head -n 30
    sed 's/^/update:   + /' "$work/rows.added" | head -n 30
    return 1
}
# table_rows for each kind of role (seen_by_each's roles, demo_bank with
# its authorisations opened), the log left out: DIR/<role>
rows_seen_by_each() {
    local db="$1" dir="$2" columns="${3:-}" who auth open_all=""
    mkdir -p "$dir"
    for who in $SEEN_ROLES; do
        table_rows "$db" "$who" "" credit.access_log "$columns" >"$dir/$who" || true
    done
    for auth in $(q -d "$db" -c 'SELECT authorisation_id FROM credit.authorisation ORDER BY 1'); do
        open_all="$open_all CALL credit.open_authorisation($auth);"
    done
    table_rows "$db" demo_bank "$open_all" credit.access_log "$columns" >"$dir/demo_bank" || true
}
# the C functions a script names (AS 'MODULE_PATHNAME', 'symbol'), one a line
c_symbols() { grep -o "'MODULE_PATHNAME', '[A-Za-z_0-9]*'" "$1" | sed "s/.*, '\(.*\)'/\1/" | sort -u; }
# of the symbols on stdin, those the library does not define, with their
# V1 info functions (PG_FUNCTION_INFO_V1)
missing_symbols() {
    local s
    nm -D --defined-only "$library" | awk '{ print $3 }' | sort -u >"$work/library.symbols"
    while read -r s; do
        grep -qx "$s" "$work/library.symbols" || echo "$s"
        grep -qx "pg_finfo_$s" "$work/library.symbols" || echo "pg_finfo_$s"
    done
}

current=$(scripts/version.sh)
sharedir="$(pg_config --sharedir)/extension"
library="$(pg_config --pkglibdir)/credit.so"

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT=$((${CLUSTER_PORT:-55432} + 3)) cluster_start
work="$(mktemp -d /tmp/credit-update.XXXXXX)"
chmod 755 "$work"
trap 'rm -rf "$work"; cluster_stop' EXIT

# shellcheck source=scripts/test_database.sh
source scripts/test_database.sh
snapshot() { q -d "$1" -f scripts/catalogue_snapshot.sql; }

mapfile -t released < <(scripts/version.sh --released)

# ---- the version, written once, and where other formats repeat it -----------
# META.json (PGXN) and debian/changelog give the distribution's version,
# <control version>.<patch>
meta_versions() {
    echo "SELECT concat_ws(' ', m ->> 'version', m -> 'provides' -> 'credit' ->> 'version')
            FROM (SELECT :'meta'::jsonb AS m) s" | q -v meta="$(cat META.json)"
}
check "META.json's version and credit's there are $current.<patch> (credit.control: $current)" \
    grep -qxE "${current//./\\.}\.[0-9]+ ${current//./\\.}\.[0-9]+" <<<"$(meta_versions)"
check "debian/changelog's newest entry is $current.<patch>" \
    grep -qE "^credit \(${current//./\\.}\.[0-9]+([~+][a-z0-9.]+)?\) " <<<"$(head -n 1 debian/changelog)"
check "there is a released version to update from (extension/released/)" test ${#released[@]} -gt 0

# ---- the current version, fresh: empty, and with the test data --------------
createdb -T template0 -E UTF8 credit_fresh
q -d credit_fresh -c 'CREATE EXTENSION credit' >/dev/null
fingerprint credit_fresh >"$work/fresh.shipped"
snapshot credit_fresh >"$work/fresh.catalogue.empty"
createdb -T template0 -E UTF8 credit_fresh_data
q -d credit_fresh_data -c 'CREATE EXTENSION credit' >/dev/null
load_test_data credit_fresh_data
snapshot credit_fresh_data >"$work/fresh.catalogue"

# the rows of after (a role's view) less the credit.commitment rows new to
# it that are disclosed to departments or the public (see below)
widened() {
    awk 'NR == FNR { seen[$0] = 1; next }
         /^credit\.commitment / && !($0 in seen) && /"disclosure": "(特定范围内公开|可向社会公开)"/ { next }
         { print }' "$1" "$2"
}

shipped_upgrades() {
    local f
    for f in extension/credit--*--*.sql; do
        [ -f "$f" ] || continue
        cmp "$f" "$sharedir/${f#extension/}" || return 1
    done
}
check "make install ships each upgrade script extension/credit--*--*.sql as it is" shipped_upgrades

for old in "${released[@]}"; do
    db="credit_from_${old//./_}"
    bare="credit_bare_${old//./_}"

    # ---- what make install shipped ----------------------------------------
    check "$old: make install ships the frozen credit--$old.sql as it is committed" \
        cmp "extension/released/credit--$old.sql" "$sharedir/credit--$old.sql"
    path=$(q -c "SELECT path FROM pg_extension_update_paths('credit') WHERE source = '$old' AND target = '$current'")
    check "$old: PostgreSQL finds an update path $old -> $current" test -n "$path"
    disagree="the parts extension/[0-9]*.sql and the upgrade scripts $path disagree: put the change into the upgrade script too (before $old is released: scripts/release.sh $old)"
    c_symbols "extension/released/credit--$old.sql" >"$work/symbols.$old"
    missing_symbols <"$work/symbols.$old" >"$work/missing.$old"
    check "$old: the library defines each of the $(wc -l <"$work/symbols.$old") C functions credit--$old.sql names" \
        same /dev/null "$work/missing.$old" "the library lacks these symbols: keep every C function a released script names"

    # ---- the released version, with data ------------------------------------
    createdb -T template0 -E UTF8 "$db"
    check "$old: CREATE EXTENSION credit VERSION '$old' installs the frozen script" \
        test "$(q -d "$db" -c "CREATE EXTENSION credit VERSION '$old'" \
                     -c "SELECT extversion FROM pg_extension WHERE extname = 'credit'" 2>&1)" = "$old"
    load_test_data "$db"
    check "$old: the test data is loaded (an objection and a repair in progress, withdrawn and corrected records, log rows)" \
        test "$(q -d "$db" -c "SELECT concat((SELECT count(*) FROM credit.objection WHERE state = '已受理' AND deadline IS NOT NULL),
                                            (SELECT count(*) FROM credit.repair WHERE state = '已受理'),
                                            (SELECT sign(count(*)) FROM credit.record WHERE state = '已撤回'),
                                            (SELECT sign(count(*)) FROM credit.record WHERE state = '已更正'),
                                            (SELECT sign(count(*)) FROM credit.access_log))")" = 11111
    # what each kind of role sees (but the log: the grantee's openings add
    # to it each time), first: the fingerprints include those rows
    table_columns "$db" >"$work/before.columns"
    createdb -T template0 -E UTF8 "${db}_shipped"
    q -d "${db}_shipped" -c "CREATE EXTENSION credit VERSION '$old'" >/dev/null
    table_rows "${db}_shipped" >"$work/released.rows"
    rows_seen_by_each "$db" "$work/before"
    table_rows "$db" >"$work/before.rows"
    sequences "$db" >"$work/before.sequences"
    q -d "$db" -c "SELECT installed || ' ' || library FROM credit.version()" >"$work/version.before" 2>&1 || true
    check "$old: before the update, credit.version() says $old installed, $current the library, and warns" \
        test "$(cat "$work/version.before")" = "WARNING:  credit library version $current does not match the installed extension version $old
HINT:  Run ALTER EXTENSION credit UPDATE, or install the library of version $old and reconnect.
$old $current"

    # ---- the update ------------------------------------------------------------
    check "$old: ALTER EXTENSION credit UPDATE succeeds" q -d "$db" -c 'ALTER EXTENSION credit UPDATE'
    check "$old: afterwards credit.version() says $current installed and $current the library, without warning" \
        test "$(q -d "$db" -c "SELECT installed || ' ' || library FROM credit.version()" 2>&1)" = "$current $current"
    table_rows "$db" "" "" "" "$work/before.columns" >"$work/after.rows" || true
    check "$old: every row of every credit table is as before the update (in its columns; rows added only to shipped tables)" \
        rows_kept "$work/before.rows" "$work/after.rows" "$work/fresh.shipped" "$work/released.rows"
    sequences "$db" >"$work/after.all.sequences" || true
    existing "$work/before.sequences" "$work/after.all.sequences" >"$work/after.sequences"
    check "$old: every sequence is where it was" same "$work/before.sequences" "$work/after.sequences"
    rows_seen_by_each "$db" "$work/after" "$work/before.columns"
    for who in $SEEN_ROLES demo_bank; do
        # One widening on purpose (0.2, docs/commitments.md): a department
        # reads the commitments whose disclosure says departments may
        # (特定范围内公开) or everyone may (可向社会公开); 0.1 showed it only
        # those of the repairs it decided.  Those rows, new to the role and
        # only those, are left out of the comparison.
        widened "$work/before/$who" "$work/after/$who" >"$work/after/$who.kept"
        check "$old: $who sees the same rows after the update (in the tables, views and columns it saw before; rows added only to shipped tables, and the commitments 0.2 discloses to departments)" \
            rows_kept "$work/before/$who" "$work/after/$who.kept" "$work/fresh.shipped" "$work/released.rows"
    done

    # ---- the updated catalogue is the fresh one's -----------------------------
    snapshot "$db" >"$work/updated.catalogue" 2>&1 || true
    check "$old: the catalogue after the update equals a fresh CREATE EXTENSION credit ($current), with the same data" \
        same "$work/updated.catalogue" "$work/fresh.catalogue" "$disagree (lines: - after the update, + fresh)"
    createdb -T template0 -E UTF8 "$bare"
    q -d "$bare" -c "CREATE EXTENSION credit VERSION '$old'" -c 'ALTER EXTENSION credit UPDATE' >/dev/null 2>&1 || true
    fingerprint "$bare" >"$work/updated.shipped" 2>&1 || true
    check "$old: the shipped rows of an updated empty database equal a fresh install's" \
        same "$work/updated.shipped" "$work/fresh.shipped" "$disagree (lines: table, row count, md5 of its rows)"
    snapshot "$bare" >"$work/updated.catalogue.empty" 2>&1 || true
    check "$old: and its catalogue equals a fresh empty install's" \
        same "$work/updated.catalogue.empty" "$work/fresh.catalogue.empty"

    # ---- the updated database works -------------------------------------------
    check "$old: a department submits a new record in the updated database (new id, 有效, submitted now)" \
        test "$(new_record "$db" 2>&1)" = "t|有效|t"
    check "$old: the centre moves the objection accepted before the update on (已受理 -> 部门核查)" \
        test "$(move_objection "$db" 2>&1)" = 部门核查
    check "$old: the change log of the updated database verifies, its snapshot and the changes after it (docs/audit.md)" \
        test "$(q -d "$db" -c "SELECT count(*) FROM credit.verify_chain()" 2>&1)" = 0
done

checks_end
