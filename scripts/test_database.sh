# shellcheck shell=bash
# The database the backup-and-restore and the update suites
# (scripts/test_restore.sh, scripts/test_update.sh) put through their
# operation and compare before and after.  Source it, then:
#
#   load_test_data DB     the demo data (scripts/demo_data.sql) and what a
#                         centre's database has besides: the DBA's changes to
#                         shipped rule and machine rows and a rule set of its
#                         own, a loaded calendar year, an objection and a
#                         repair accepted (deadlines running), access-log
#                         rows, restore_public, a role that is no party,
#                         and since 0.2 a changed shipped measure, a matter
#                         of the centre's and two credit checks with feedback
#   fingerprint DB        every credit table: its row count and the md5 of
#                         its rows in order (as superuser, row security off)
#   sequences DB          each sequence of the extension: where it is
#   seen_by DB ROLE [SETUP [SKIP]]
#                         what ROLE sees: every column it may read of every
#                         credit table and view, after SETUP, without SKIP
#   table_rows DB [ROLE [SETUP [SKIP [COLUMNS]]]]
#                         every row, one a line "table json", sorted: of every
#                         credit table (as superuser, row security off; ROLE
#                         empty) or of every credit table and view ROLE may
#                         read, after SETUP, without SKIP; only the columns
#                         of the file COLUMNS ("table column" lines) if given
#   table_columns DB      the columns of every credit table and view, as
#                         "table column" lines, for table_rows
#   seen_by_each DB DIR [SKIP]
#                         seen_by for each kind of role (SEEN_ROLES, and
#                         demo_bank with its authorisations opened), into
#                         DIR/<role>; the openings log rows: run it twice,
#                         the second sees them (SKIP credit.access_log)
#   new_record DB         a department submits a record: prints
#                         "t|有效|t" (a new id, in force, submitted now)
#   move_objection DB     the centre moves the accepted objection on:
#                         prints its new state, 部门核查
#
# Needs the PG* variables of scripts/cluster.sh and a database where
# CREATE EXTENSION credit was done.

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

load_test_data() {
    local db="$1" auth
    q -d "$db" -f scripts/demo_data.sql >/dev/null 2>&1
    q -d "$db" >/dev/null <<'SQL'
-- a role that is no party: sees what the public sees
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'restore_public') THEN
        CREATE ROLE restore_public LOGIN;
    END IF;
END $$;
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
-- since 0.2 (联合奖惩): the centre's change to a shipped measure and a
-- matter of its own, a department's checks (one with a hit and its
-- feedback, one clean); the subject with a hit an organisation: a
-- department does not see a person's subject row (subject ids are random,
-- so the lowest could be either)
DO $$
DECLARE
    hit record;
    clean bigint;
BEGIN
    IF pg_catalog.to_regprocedure('credit.feedback(bigint,text,text,jsonb)') IS NULL THEN
        RETURN;
    END IF;
    UPDATE credit.measure SET source = source || ' (本地核对)' WHERE measure_code = 'SD-28-1';
    INSERT INTO credit.matter VALUES ('JH-SPJY', '食品经营许可', '行政许可', NULL, true, '2026-01-01', NULL, '金华市应用清单 (示例)');
    PERFORM set_config('role', 'demo_scjg', true);
    EXECUTE $q$SELECT c.* FROM credit.subject s, credit.check(s.subject_id, 'JH-SPJY', '许可申请') c
                WHERE s.subject_id = (SELECT min(r.subject_id) FROM credit.record r JOIN credit.catalogue_item i USING (item_code)
                                       WHERE i.polarity = '失信' AND r.state = '有效' AND r.publicity_state <> '已修复'
                                         AND r.subject_kind <> '自然人'
                                         AND (r.publicity_end IS NULL OR r.publicity_end > credit.legal_date()))
                LIMIT 1$q$ INTO hit;
    IF NOT coalesce(hit.hit, false) THEN
        RAISE EXCEPTION 'no check of the demo data has a hit';
    END IF;
    EXECUTE 'SELECT credit.feedback($1, $2, ''已实施'', ''{"decision": "准予许可, 列入重点审查"}'')' USING hit.check_id, hit.measure;
    EXECUTE $q$SELECT min(c.check_id) FROM credit.subject s, credit.check(s.subject_id, 'ZJ-LY') c
                WHERE s.subject_id = (SELECT min(subject_id) FROM credit.subject WHERE kind <> '自然人')$q$ INTO clean;
    PERFORM set_config('role', 'none', true);
END
$$;
SQL
    # access-log rows: the bank opens its authorisations (committed log)
    for auth in $(q -d "$db" -c 'SELECT authorisation_id FROM credit.authorisation ORDER BY 1'); do
        q -d "$db" -c "SET ROLE demo_bank" -c "CALL credit.open_authorisation($auth)" >/dev/null
    done
}

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

sequences() {
    q -d "$1" -c "SELECT format('%s %s', c.oid::regclass, pg_sequence_last_value(c.oid))
                    FROM pg_class c WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'S' ORDER BY 1"
}

# (the shipped calendar rows without loaded_at, as in fingerprint)
seen_by() {
    local db="$1" role="$2" setup="${3:-}" skip="${4:-}"
    {
        echo "SET ROLE $role;"
        echo "$setup"
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
             GROUP BY c.oid ORDER BY c.oid::regclass::text"
    } | q -d "$db"
}

table_rows() {
    local db="$1" role="${2:-}" setup="${3:-}" skip="${4:-}" columns="${5:-}" wanted="{}"
    [ -z "$columns" ] || wanted="{$(sed 's/.*/"&"/' "$columns" | paste -sd, -)}"
    {
        if [ -n "$role" ]; then echo "SET ROLE $role;"; else echo "SET row_security = off;"; fi
        echo "$setup"
        q -d "$db" -v role="$role" -v skip="$skip" -v wanted="$wanted" -v all="$([ -z "$columns" ] && echo t || echo f)" <<'SQL'
SET row_security = off;
SELECT format('SELECT %L || '' '' || (to_jsonb(v) - CASE WHEN (to_jsonb(v) ->> ''shipped'')::boolean
                                                          THEN ''loaded_at'' ELSE '''' END)::text
                 FROM (SELECT %s FROM %s) v;',
              c.oid::regclass, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.oid::regclass)
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'credit'::regnamespace
   AND (c.relkind = 'r' OR (c.relkind = 'v' AND :'role' <> ''))
   AND (:'role' = '' OR has_column_privilege(:'role', c.oid, a.attnum, 'SELECT'))
   AND c.oid::regclass::text <> :'skip'
   AND (:'all'::boolean OR (c.oid::regclass::text || ' ' || a.attname) = ANY (:'wanted'::text[]))
 GROUP BY c.oid ORDER BY c.oid::regclass::text
SQL
    } | q -d "$db" | LC_ALL=C sort
}

table_columns() {
    q -d "$1" -c "SELECT c.oid::regclass::text || ' ' || a.attname
                    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                   WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind IN ('r', 'v') ORDER BY 1"
}

# a department, the centre, the portal, a role that is no party, and the
# grantee with its authorisations opened (each opening logs a row at its
# time: the log is left out of the grantee's view, and compared as
# superuser by fingerprint)
SEEN_ROLES="demo_scjg demo_centre demo_portal restore_public"
seen_by_each() {
    local db="$1" dir="$2" skip="${3:-}" who auth open_all=""
    mkdir -p "$dir"
    for who in $SEEN_ROLES; do
        seen_by "$db" "$who" "" "$skip" >"$dir/$who" || true
    done
    for auth in $(q -d "$db" -c 'SELECT authorisation_id FROM credit.authorisation ORDER BY 1'); do
        open_all="$open_all CALL credit.open_authorisation($auth);"
    done
    seen_by "$db" demo_bank "$open_all" credit.access_log >"$dir/demo_bank" || true
}

new_record() {
    q -d "$1" -c "SET ROLE demo_scjg" -c "
        INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
                legal_rep_name, legal_rep_id, disclosure, decision_no, decision_date, licence_doc_name,
                licence_category, licence_name, licence_no, valid_from, valid_until, licence_content,
                authority_name, authority_uscc)
        SELECT item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
               legal_rep_name, legal_rep_id, disclosure, decision_no || '-新', decision_date, licence_doc_name,
               licence_category, licence_name, licence_no || 'N', valid_from, valid_until, licence_content,
               authority_name, authority_uscc
          FROM credit.record WHERE item_code = 'SCJG.XZXK' AND state = '有效' ORDER BY record_id LIMIT 1
        RETURNING record_id > (SELECT max(record_id) FROM credit.record), state, submitted_at > now() - interval '1 minute'"
}

move_objection() {
    q -d "$1" -c "SET ROLE demo_centre" -c "
        SELECT credit.transition('objection', (SELECT objection_id FROM credit.objection WHERE state = '已受理'), '部门核查')" >/dev/null
    q -d "$1" -c "SELECT state FROM credit.objection ORDER BY objection_id DESC LIMIT 1"
}
