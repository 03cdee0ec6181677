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

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

# ---- the source database ----------------------------------------------
createdb credit_src
q -d credit_src -c 'CREATE EXTENSION credit' -f scripts/demo_data.sql >/dev/null 2>&1
q -d credit_src >/dev/null <<'SQL'
-- a role that is no party: sees what the public sees
CREATE ROLE restore_public LOGIN;
-- the DBA's changes to shipped rows, and a rule set of their own
UPDATE credit.machine_deadline SET working_days = working_days + 3, source = source || ' (本地延长)'
 WHERE machine = 'objection';
UPDATE credit.machine_transition SET reason_required = true WHERE machine = 'repair' AND to_state = '已受理';
UPDATE credit.rule_set_period SET max_months = 24 WHERE rule_set = '令第36号' AND severity = '一般';
UPDATE credit.collection_rule SET severity = '警告' WHERE rule = 'future_decision';
INSERT INTO credit.rule_set VALUES ('金华市细则', '2027-01-01', NULL, '金华市信用修复实施细则 (示例)');
INSERT INTO credit.rule_set_period VALUES ('金华市细则', '一般', 3, 6, true), ('金华市细则', '严重', 6, 24, true);
-- a calendar year loaded by the DBA
SELECT credit.load_calendar_year(2027, '国务院办公厅关于2027年部分节假日安排的通知 (示例)', NULL, '2026-11-01', NULL,
    '[{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
      {"name": "春节", "from": "2027-02-06", "to": "2027-02-13", "working": ["2027-02-20"]}]', '测试用');
-- an objection accepted (deadline running) and a repair accepted
DO $$
DECLARE
    o bigint;
    p bigint;
    r record;
BEGIN
    INSERT INTO credit.objection (record_id, grounds, claim)
    SELECT min(record_id), '信息错误', '处罚金额有误' FROM credit.record WHERE state = '有效' AND publicity_state = '公示中'
    RETURNING objection_id INTO o;
    FOR r IN SELECT x.record_id, i.repair_materials
               FROM credit.record x JOIN credit.catalogue_item i USING (item_code)
              WHERE i.polarity = '失信' AND i.repairable AND x.state = '有效' AND x.publicity_state = '公示中'
                AND x.dispute_mark IS NULL
              ORDER BY x.decision_date, x.record_id LOOP
        BEGIN
            INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
            VALUES (r.record_id, true, r.repair_materials, '本单位承诺依法经营') RETURNING repair_id INTO p;
            EXIT;
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
    END LOOP;
    IF p IS NULL THEN
        RAISE EXCEPTION 'no record of the demo data can be repaired';
    END IF;
    -- the centre accepts both (the transitions are the centre's)
    PERFORM set_config('role', 'demo_centre', true);
    PERFORM credit.transition('objection', o, '已受理');
    PERFORM credit.transition('repair', p, '已受理', '材料齐全');
END
$$;
SQL
# access-log rows: the bank opens its authorisations (committed log)
for auth in $(q -d credit_src -c 'SELECT authorisation_id FROM credit.authorisation ORDER BY 1'); do
    q -d credit_src -c "SET ROLE demo_bank" -c "CALL credit.open_authorisation($auth)" >/dev/null
done

# ---- fingerprints ------------------------------------------------------
# every credit table: its row count and the md5 of its rows in order;
# the shipped calendar rows without loaded_at (the time CREATE EXTENSION ran)
fingerprint() {
    q -d "$1" <<'SQL'
SET row_security = off;
SELECT format('%s %s', c.oid::regclass,
              (xpath('/row/f/text()', query_to_xml(format(
                  'SELECT count(*) || '' '' || md5(coalesce(string_agg(r, E''\n'' ORDER BY r), '''')) AS f
                     FROM (SELECT (to_jsonb(t) - CASE WHEN (to_jsonb(t) ->> ''shipped'')::boolean
                                                      THEN ''loaded_at'' ELSE '''' END)::text AS r
                             FROM %s t) s', c.oid::regclass), false, true, '')))[1]::text)
  FROM pg_class c
  JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
                  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'credit'
 WHERE c.relkind = 'r'
 ORDER BY 1;
SQL
}
# each sequence of the extension: where it is
sequences() {
    q -d "$1" -c "SELECT format('%s %s', c.oid::regclass, pg_sequence_last_value(c.oid))
                    FROM pg_class c WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'S' ORDER BY 1"
}
# what ROLE sees: every column it may read of every credit table and view
# (the shipped calendar rows without loaded_at, as above)
seen_by() {
    local db="$1" role="$2" setup="${3:-}" skip="${4:-}"
    q -d "$db" -c "SET row_security = off" -c "
        SELECT format('SELECT %L || '' '' || count(*) || '' '' || md5(coalesce(string_agg(r, E''\n'' ORDER BY r), ''''))
                         FROM (SELECT (to_jsonb(v) - CASE WHEN (to_jsonb(v) ->> ''shipped'')::boolean
                                                          THEN ''loaded_at'' ELSE '''' END)::text AS r
                                 FROM (SELECT %s FROM %s) v) s;',
                      c.oid::regclass, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.oid::regclass)
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind IN ('r', 'v')
           AND has_column_privilege('$role', c.oid, a.attnum, 'SELECT')
           AND c.oid::regclass::text <> '$skip'
         GROUP BY c.oid ORDER BY c.oid::regclass::text" >"$work/seen.sql"
    { echo "SET ROLE $role;"; echo "$setup"; cat "$work/seen.sql"; } | q -d "$db"
}
fingerprint credit_src >"$work/src.tables"
sequences credit_src >"$work/src.sequences"

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
# what each kind of role sees in the source: a department, the centre, the
# portal, a role that is no party, and the grantee with its authorisations
# opened (each opening logs a row at its time, after the dump: the log is
# left out of the grantee's view, and compared as superuser above)
roles="demo_scjg demo_centre demo_portal restore_public"
for who in $roles; do
    seen_by credit_src "$who" >"$work/src.$who"
done
open_all=""
for auth in $(q -d credit_src -c 'SELECT authorisation_id FROM credit.authorisation ORDER BY 1'); do
    open_all="$open_all CALL credit.open_authorisation($auth);"
done
seen_by credit_src demo_bank "$open_all" credit.access_log >"$work/src.demo_bank"

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

for who in $roles; do
    seen_by credit_restored "$who" >"$work/restored.$who" || true
    check "$who sees the same rows after the restore" same "$work/src.$who" "$work/restored.$who"
done
seen_by credit_restored demo_bank "$open_all" credit.access_log >"$work/restored.demo_bank" || true
check "demo_bank (grantee) sees the same rows after the restore" same "$work/src.demo_bank" "$work/restored.demo_bank"

# ---- the restored database works -----------------------------------------
new_record() {
    q -d credit_restored -c "SET ROLE demo_scjg" -c "
        INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
                legal_rep_name, legal_rep_id, disclosure, decision_no, decision_date, licence_doc_name,
                licence_category, licence_name, licence_no, valid_from, valid_until, licence_content,
                authority_name, authority_uscc)
        SELECT item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
               legal_rep_name, legal_rep_id, disclosure, decision_no || '-恢复后', decision_date, licence_doc_name,
               licence_category, licence_name, licence_no || 'R', valid_from, valid_until, licence_content,
               authority_name, authority_uscc
          FROM credit.record WHERE item_code = 'SCJG.XZXK' AND state = '有效' ORDER BY record_id LIMIT 1
        RETURNING record_id > (SELECT max(record_id) FROM credit.record), state, submitted_at > now() - interval '1 minute'"
}
check "a department submits a new record in the restored database (new id, 有效, submitted now)" \
    test "$(new_record 2>&1)" = "t|有效|t"
transition() {
    q -d credit_restored -c "SET ROLE demo_centre" -c "
        SELECT credit.transition('objection', (SELECT objection_id FROM credit.objection WHERE state = '已受理'), '部门核查')" >/dev/null
    q -d credit_restored -c "SELECT state FROM credit.objection ORDER BY objection_id DESC LIMIT 1"
}
check "the centre moves the restored objection on (已受理 -> 部门核查)" test "$(transition 2>&1)" = 部门核查

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
