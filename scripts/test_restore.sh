#!/usr/bin/env bash
# Backup and restore as docs/operations.md says: the demo database (with an
# objection and a repair in progress, a calendar year loaded, shipped rule
# and machine rows changed, a rule set added, withdrawn and corrected
# records, access-log rows and events) is dumped with pg_dumpall
# --roles-only and pg_dump -Fc, restored with psql and pg_restore into a
# new cluster, and compared: every row of every credit table (as superuser,
# row security off), what each kind of role sees, the sequences; then the
# restored database takes a new record and a transition.  Last, the
# cluster-wide roles: credit.uninstall() refuses while another database of
# the new cluster has the extension, and then drops the extension and the
# roles.
# The data, the fingerprints and the new record and transition are those of
# scripts/test_database.sh (scripts/test_update.sh uses them too).
# Uses the PostgreSQL of pg_config, with this tree built and installed
# (scripts/test.sh does both).  Prints one line per check and ends with
# "restore: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=restore
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
same() {    # same FILE1 FILE2: equal, else the difference on stderr
    diff "$1" "$2" >&2
}

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT=$((${CLUSTER_PORT:-55432} + 1)) cluster_start
work="$(mktemp -d /tmp/credit-restore.XXXXXX)"
chmod 755 "$work"
trap 'rm -rf "$work"; cluster_stop' EXIT

# shellcheck source=scripts/test_database.sh
source scripts/test_database.sh

# ---- the source database ----------------------------------------------
createdb credit_src
q -d credit_src -c 'CREATE EXTENSION credit' >/dev/null
load_test_data credit_src

fingerprint credit_src >"$work/src.tables"
sequences credit_src >"$work/src.sequences"
src_chain=$(q -d credit_src -c "SELECT count(*) || ' ' || (SELECT hash FROM credit.chain_head()) FROM credit.verify_chain()")
check "the source's change log verifies" test "${src_chain%% *}" = 0

# ---- the catalogue: every table of the extension is dumped -------------
q -d credit_src -c "
    SELECT c.oid::regclass FROM pg_class c
      JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
                      AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'credit'
     WHERE c.relkind = 'r' AND NOT c.oid = ANY (x.extconfig) ORDER BY 1" >"$work/undumped"
check "every table of the extension is a configuration table (pg_dump dumps its rows)" same /dev/null "$work/undumped"
q -d credit_src -c "
    SELECT c.oid::regclass FROM pg_class c, pg_extension x
     WHERE x.extname = 'credit' AND c.relnamespace = 'credit'::regnamespace AND c.relkind = 'S'
       AND NOT c.oid = ANY (x.extconfig) ORDER BY 1" >"$work/undumped_seq"
check "every sequence of the extension is marked (pg_dump dumps its position)" same /dev/null "$work/undumped_seq"
check "the source has an objection and a repair in progress, withdrawn and corrected records, log rows" \
    test "$(q -d credit_src -c "SELECT concat((SELECT count(*) FROM credit.objection WHERE state = '已受理' AND deadline IS NOT NULL),
                                            (SELECT count(*) FROM credit.repair WHERE state = '已受理'),
                                            (SELECT sign(count(*)) FROM credit.record WHERE state = '已撤回'),
                                            (SELECT sign(count(*)) FROM credit.record WHERE state = '已更正'),
                                            (SELECT sign(count(*)) FROM credit.access_log))")" = 11111

# ---- dump, as docs/operations.md says -------------------------------------
pg_dumpall --roles-only -f "$work/roles.sql"
pg_dump -Fc -d credit_src -f "$work/credit.dump" 2>"$work/dump.log"
# what each kind of role sees in the source (seen_by_each)
seen_by_each credit_src "$work/src"

# ---- restore into a new cluster -------------------------------------------
cluster_stop
CLUSTER_PORT=$((${CLUSTER_PORT:-55432} + 1)) cluster_start
trap 'rm -rf "$work"; cluster_stop' EXIT
psql -X -q -d postgres -f "$work/roles.sql" >"$work/roles.log" 2>&1 || true
createdb -T template0 -E UTF8 credit_restored
pg_restore -d credit_restored "$work/credit.dump" >"$work/restore.log" 2>&1 && restored=0 || restored=$?
check "pg_restore into a new cluster reports no error" test "$restored" -eq 0
[ "$restored" -eq 0 ] || head -n 20 "$work/restore.log" >&2

fingerprint credit_restored >"$work/restored.tables" || true
check "every row of every credit table comes back as it was dumped" same "$work/src.tables" "$work/restored.tables"
check "the change log comes back verifying, with the source's head (docs/audit.md)" \
    test "$(q -d credit_restored -c "SELECT count(*) || ' ' || (SELECT hash FROM credit.chain_head()) FROM credit.verify_chain()")" = "$src_chain"
sequences credit_restored >"$work/restored.sequences" || true
check "every sequence comes back where it was" same "$work/src.sequences" "$work/restored.sequences"
check "and no sequence is behind its table's keys" test "$(q -d credit_restored -c "
    SELECT count(*) FROM pg_class c
      JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'S'
       AND (xpath('/row/m/text()', query_to_xml(format('SELECT coalesce(max(%I), 0) AS m FROM %s', a.attname,
                                                      d.refobjid::regclass), false, true, '')))[1]::text::bigint
           > coalesce(pg_sequence_last_value(c.oid), 0)")" = 0

seen_by_each credit_restored "$work/restored"
for who in $SEEN_ROLES demo_bank; do
    check "$who sees the same rows after the restore" same "$work/src/$who" "$work/restored/$who"
done

# ---- the restored database works -----------------------------------------
check "a department submits a new record in the restored database (new id, 有效, submitted now)" \
    test "$(new_record credit_restored 2>&1)" = "t|有效|t"
check "the centre moves the restored objection on (已受理 -> 部门核查)" \
    test "$(move_objection credit_restored 2>&1)" = 部门核查

# ---- the cluster-wide roles -------------------------------------------------
# a second database of the restored cluster has the extension too
createdb -T template0 -E UTF8 credit_other
q -d credit_other -c 'CREATE EXTENSION credit' >/dev/null
uninstall() { q -d "$1" -c "SET credit.allow_drop = on" -c "CALL credit.uninstall()" 2>&1; }
check "credit.uninstall() refuses while another database has the extension" \
    grep -q 'ERROR:  the credit roles are still used in database credit_other' <<<"$(uninstall credit_restored)"
check "and leaves the extension and the roles" test "$(q -d credit_restored -c "
    SELECT concat((SELECT count(*) FROM pg_extension WHERE extname = 'credit'),
                  (SELECT count(*) FROM pg_roles WHERE rolname ~ '^credit_'))")" = 15
q -d credit_other -c "DROP EXTENSION credit" -c "DROP SCHEMA credit" >/dev/null || true
uninstall credit_restored >"$work/uninstall.log" || true
check "in the last database, credit.uninstall() drops the extension, its schema and roles" test "$(q -d credit_restored -c "
    SELECT concat((SELECT count(*) FROM pg_extension WHERE extname = 'credit'),
                  (SELECT count(*) FROM pg_namespace WHERE nspname = 'credit'),
                  (SELECT count(*) FROM pg_roles WHERE rolname ~ '^credit_'))")" = 000
check "the registered roles stay, members of nothing" test "$(q -d credit_restored -c "
    SELECT count(*) || ' ' || (SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                                WHERE r.rolname ~ '^demo_')
      FROM pg_roles WHERE rolname IN ('demo_scjg', 'demo_portal', 'demo_bank', 'demo_centre')")" = "4 0"

checks_end
