-- Tamper evidence: the hash-chained change log (credit.change_log), what it
-- records of each change, its canonical forms (recomputed here from
-- docs/audit.md, not from the code), verify_chain naming each row changed,
-- deleted or inserted behind the log's back (a superuser with
-- session_replication_role = replica) and each log row altered or deleted,
-- re-anchoring, subtransactions, two-phase commit, adding a table, and
-- what each role may do with the log.  pgTAP.  The concurrent writers are
-- in specs/chain_race.spec.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(84);

-- ------------------------------------------------------------------
-- The chained tables, each with its trigger
-- ------------------------------------------------------------------
SELECT set_eq($$SELECT table_name::text FROM credit.chain_table$$,
              ARRAY['record', 'list_entry', 'commitment', 'credit_check', 'check_feedback', 'report_issue', 'eval_result',
                    'catalogue_item', 'catalogue_period', 'rule_set', 'rule_set_period', 'list_kind', 'report_item',
                    'measure', 'matter', 'measure_rule', 'machine', 'machine_state', 'machine_transition',
                    'machine_deadline', 'calendar_day', 'eval_scheme', 'eval_indicator'],
              'records, list entries, commitments, checks and feedback, reports, grades and the reference tables are chained');
SELECT set_eq($$SELECT t.tgrelid::oid FROM pg_trigger t
                 WHERE t.tgname = 'chain_log' AND t.tgfoid = 'credit.chain_log_change()'::regprocedure
                   AND t.tgtype = (1 | 4 | 8 | 16)::int2 AND t.tgenabled = 'A'$$,
              $$SELECT ('credit.' || quote_ident(table_name))::regclass::oid FROM credit.chain_table$$,
              'each chained table has the AFTER INSERT OR UPDATE OR DELETE row trigger chain_log, enabled always (it fires in the logical replication workers: rows another platform sends are chained on arrival)');
SELECT is_empty($$SELECT * FROM credit.verify_chain()$$, 'a clean chain verifies empty (install, fixture)');
SELECT is((SELECT count(*) FROM credit.change_log WHERE table_name = 'machine' AND op = 'snapshot'
             AND logged_at IS NULL AND xact IS NULL AND actor = '' AND row_key = '{record}'), 1::bigint,
          'the shipped rows are snapshot entries of the install, without time or actor (the same in every install)');

-- ------------------------------------------------------------------
-- What an entry records
-- ------------------------------------------------------------------
SELECT seq AS before_insert FROM credit.chain_head() \gset
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '审计测试有限公司', credit.uscc_complete('91330702MA2W09991'), '一般', '金市监罚〔审〕1号',
        '2026-09-20', '虚假宣传', '审计', '《广告法》', '罚款', '罚款五千元', '市场监管局');
RESET ROLE;
SELECT record_id AS a1 FROM credit.record WHERE decision_no = '金市监罚〔审〕1号' \gset
SELECT is((SELECT array_agg(row(l.table_name, l.op, l.row_key, l.actor, l.session_actor, l.logged_at IS NOT NULL, l.xact IS NOT NULL)::text ORDER BY l.seq)
             FROM credit.change_log l WHERE l.seq > :before_insert),
          ARRAY[row('record', 'insert', ARRAY[:'a1'], 'regress_scjg', 'postgres', true, true)::text],
          'a department''s insert: one entry, the table, the key, current and session user, the time and transaction');
SELECT is((SELECT row_digest FROM credit.change_log WHERE table_name = 'record' AND row_key = ARRAY[:'a1']::text[]),
          (SELECT credit.chain_row_digest(r) FROM credit.record r WHERE record_id = :a1),
          'its digest is the row''s as stored (after the insert triggers completed it)');
SELECT is((SELECT count(DISTINCT seq) = max(seq) AND min(seq) = 1 FROM credit.change_log), true,
          'seq runs 1, 2, ... without gaps');

SELECT seq AS before_transition FROM credit.chain_head() \gset
SET ROLE regress_scjg;
SELECT credit.transition('record', :a1, '已撤回', '决定已撤销') IS NOT NULL AS moved \gset
RESET ROLE;
SELECT is((SELECT array_agg(row(l.table_name, l.op, l.row_key)::text ORDER BY l.seq) FROM credit.change_log l
            WHERE l.seq > :before_transition AND l.table_name = 'record'),
          ARRAY[row('record', 'update', ARRAY[:'a1'])::text],
          'a transition: an update entry of the record (the event table is not chained)');
SELECT is((SELECT row_digest FROM credit.change_log WHERE seq = (SELECT max(seq) FROM credit.change_log WHERE row_key = ARRAY[:'a1']::text[])),
          (SELECT credit.chain_row_digest(r) FROM credit.record r WHERE record_id = :a1),
          'the update''s digest is the row after the transition');
SELECT isnt((SELECT row_digest FROM credit.change_log WHERE seq = (SELECT max(seq) FROM credit.change_log WHERE row_key = ARRAY[:'a1']::text[])),
            (SELECT row_digest FROM credit.change_log WHERE op = 'insert' AND row_key = ARRAY[:'a1']::text[]),
            'and differs from the inserted row''s');

-- several changes of one transaction: consecutive entries, one transaction id
SELECT seq AS before_two FROM credit.chain_head() \gset
BEGIN;
UPDATE credit.measure SET content = content || '（一）' WHERE measure_code = (SELECT min(measure_code) FROM credit.measure);
UPDATE credit.measure SET content = content || '（二）' WHERE measure_code = (SELECT min(measure_code) FROM credit.measure);
COMMIT;
SELECT is((SELECT array_agg(seq - :before_two ORDER BY seq) || count(DISTINCT xact) FROM credit.change_log WHERE seq > :before_two),
          ARRAY[1, 2, 1]::bigint[], 'two updates in one transaction: two consecutive entries of one transaction');

-- a key that changes: the old key deleted, the new one updated
INSERT INTO credit.matter VALUES ('AUD-1', '审计事项', '行政许可', 1, false, '2026-01-01', NULL, '测试');
SELECT seq AS before_key FROM credit.chain_head() \gset
UPDATE credit.matter SET matter_code = 'AUD-2' WHERE matter_code = 'AUD-1';
SELECT is((SELECT array_agg(row(op, row_key, note)::text ORDER BY seq) FROM credit.change_log WHERE seq > :before_key),
          ARRAY[row('delete', '{AUD-1}'::text[], 'key changed')::text, row('update', '{AUD-2}'::text[], NULL)::text],
          'a changed key: a delete entry of the old key, an update entry of the new');
SELECT is_empty($$SELECT * FROM credit.verify_chain()$$, 'after inserts, a transition, updates and a key change the chain verifies empty');

-- ------------------------------------------------------------------
-- Rolled back work leaves no entry
-- ------------------------------------------------------------------
SELECT seq AS before_rollback FROM credit.chain_head() \gset
BEGIN;
UPDATE credit.matter SET name = '回滚' WHERE matter_code = 'AUD-2';
ROLLBACK;
BEGIN;
SAVEPOINT s1;
UPDATE credit.matter SET name = '子事务回滚' WHERE matter_code = 'AUD-2';
ROLLBACK TO SAVEPOINT s1;
SAVEPOINT s2;
UPDATE credit.matter SET name = '子事务提交' WHERE matter_code = 'AUD-2';
RELEASE SAVEPOINT s2;
COMMIT;
SELECT is((SELECT array_agg(row(op, row_key)::text) FROM credit.change_log WHERE seq > :before_rollback),
          ARRAY[row('update', '{AUD-2}'::text[])::text],
          'a rolled back transaction and a rolled back savepoint leave no entry; a released one does');
SELECT is((SELECT row_digest FROM credit.change_log WHERE seq = :before_rollback + 1),
          (SELECT credit.chain_row_digest(m) FROM credit.matter m WHERE matter_code = 'AUD-2'),
          'the entry is the committed version');
-- a PL/pgSQL exception block is a subtransaction too
DO $$
BEGIN
    BEGIN
        UPDATE credit.matter SET name = '异常' WHERE matter_code = 'AUD-2';
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
END
$$;
SELECT is((SELECT count(*) FROM credit.change_log WHERE seq > :before_rollback), 1::bigint,
          'an exception block''s change, undone, leaves no entry');

-- (the error is in the expected output)
BEGIN;
UPDATE credit.matter SET name = '两阶段' WHERE matter_code = 'AUD-2';
PREPARE TRANSACTION 'audit';
SELECT is((SELECT row(m.name, (SELECT count(*) FROM pg_prepared_xacts), (SELECT count(*) FROM credit.change_log WHERE seq > :before_rollback))::text
             FROM credit.matter m WHERE matter_code = 'AUD-2'),
          row('子事务提交', 0, 1)::text,
          'a transaction that changed chained tables cannot be prepared: it is rolled back, nothing logged');

-- ------------------------------------------------------------------
-- The canonical forms, as docs/audit.md gives them
-- ------------------------------------------------------------------
-- a field: byte length, 0x1F, bytes, 0x1E
CREATE OR REPLACE FUNCTION public.f(v text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN octet_length(coalesce(v, '')) || chr(31) || coalesce(v, '') || chr(30);
SET DateStyle = 'ISO';
SELECT is((SELECT credit.chain_row_digest(d) FROM credit.calendar_day d WHERE day = '2026-10-10'),
          (SELECT sha256(convert_to(public.f('day') || public.f(d.day::text) || public.f('kind') || public.f(d.kind::text)
                                    || public.f('name') || public.f(d.name) || public.f('shipped') || public.f(format('%s', d.shipped))
                                    || public.f('year') || public.f(d.year::text), 'UTF8'))
             FROM credit.calendar_day d WHERE d.day = '2026-10-10'),
          'a row''s digest: SHA-256 of (name, value as the type writes it) fields of its non-null columns in name order');
SELECT is((SELECT hash FROM credit.change_log WHERE seq = :before_rollback + 1),
          (SELECT sha256(l.prev_hash || convert_to(public.f(l.seq::text) || public.f((l.logged_at AT TIME ZONE 'UTC')::text || '+00')
                                                   || public.f(l.xact::text) || public.f(l.actor) || public.f(l.session_actor)
                                                   || public.f(l.table_name) || public.f(l.op) || public.f(l.row_key::text)
                                                   || public.f(encode(l.row_digest, 'hex')) || public.f(l.note), 'UTF8'))
             FROM credit.change_log l WHERE l.seq = :before_rollback + 1),
          'an entry''s hash: SHA-256 of the previous hash and the entry''s fields');
SELECT is((SELECT prev_hash FROM credit.change_log WHERE seq = :before_rollback + 1),
          (SELECT hash FROM credit.change_log WHERE seq = :before_rollback),
          'each entry''s prev_hash is the previous entry''s hash');
RESET DateStyle;
SELECT is((SELECT prev_hash FROM credit.change_log WHERE seq = 1), '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea,
          'the first entry''s prev_hash is 32 zero bytes');
-- the digest does not depend on the session's settings
SELECT credit.chain_row_digest(r) AS digest_utc FROM credit.record r WHERE record_id = :a1 \gset
SET TimeZone = 'America/Los_Angeles';
SET DateStyle = 'SQL, DMY';
SET extra_float_digits = -3;
SET IntervalStyle = 'iso_8601';
SET bytea_output = 'escape';
SET search_path = public;
SELECT is((SELECT credit.chain_row_digest(r) FROM credit.record r WHERE record_id = :a1), :'digest_utc'::bytea,
                 'a row''s digest is the same whatever TimeZone, DateStyle, extra_float_digits, bytea_output and search_path say');
RESET TimeZone;
RESET DateStyle;
RESET extra_float_digits;
RESET IntervalStyle;
RESET bytea_output;
SET search_path = public, credit;
SELECT throws_ok($$SELECT credit.chain_row_digest(1)$$, '42804', 'argument must be a row of a table',
                 'the digest of something that is not a table row is refused');

-- ------------------------------------------------------------------
-- The head, for anchoring
-- ------------------------------------------------------------------
SELECT is((SELECT row(seq, hash)::text FROM credit.chain_head()),
          (SELECT row(seq, encode(hash, 'hex'))::text FROM credit.change_log ORDER BY seq DESC LIMIT 1),
          'chain_head gives the last entry''s seq and hash (hex)');
SELECT seq AS anchor_seq, hash AS anchor_hash FROM credit.chain_head() \gset

-- ------------------------------------------------------------------
-- Behind the log's back: a superuser with the triggers off
-- ------------------------------------------------------------------
SELECT seq AS entry_of_rec1 FROM credit.change_log WHERE table_name = 'record' AND row_key = ARRAY[public.w_rec('1')::text] ORDER BY seq DESC LIMIT 1 \gset
SELECT seq AS entry_of_le3 FROM credit.change_log WHERE table_name = 'list_entry' AND row_key = ARRAY[public.w_entry('3')::text] ORDER BY seq DESC LIMIT 1 \gset
SELECT seq AS entry_of_measure FROM credit.change_log WHERE table_name = 'measure' ORDER BY seq DESC LIMIT 1 \gset
SELECT row_key[1] AS measure_code FROM credit.change_log WHERE seq = :entry_of_measure \gset
SELECT public.w_rec('1') AS rec1, public.w_entry('3') AS le3 \gset
SET session_replication_role = replica;
UPDATE credit.record SET penalty_content = '罚款一元' WHERE record_id = :rec1;
RESET session_replication_role;
SELECT results_eq($$SELECT seq, table_name, row_key, problem, detail FROM credit.verify_chain()$$,
                  format($$VALUES (%s::bigint, 'record', ARRAY['%s'], 'changed', 'the row differs from its version of entry %s')$$,
                         :entry_of_rec1, :rec1, :entry_of_rec1),
                  'a record changed with the triggers off: named (table, key, changed, the entry it differs from)');
SET session_replication_role = replica;
DELETE FROM credit.list_entry WHERE entry_id = :le3;
INSERT INTO credit.matter VALUES ('AUD-X', '暗中插入', '行政许可', 1, false, '2026-01-01', NULL, '测试');
UPDATE credit.measure SET basis = basis || '（改）' WHERE measure_code = :'measure_code';
RESET session_replication_role;
SELECT set_eq($$SELECT seq, table_name, row_key, problem FROM credit.verify_chain()$$,
              format($$VALUES (%s::bigint, 'record', ARRAY['%s'], 'changed'), (%s, 'list_entry', ARRAY['%s'], 'deleted'),
                              (NULL, 'matter', ARRAY['AUD-X'], 'inserted'), (%s, 'measure', ARRAY['%s'], 'changed')$$,
                     :entry_of_rec1, :rec1, :entry_of_le3, :le3, :entry_of_measure, :'measure_code'),
              'a deleted list entry, an inserted matter and a changed measure are named too');
SELECT is((SELECT detail FROM credit.verify_chain() WHERE problem = 'inserted'), 'the row has no entry in the log',
          'an inserted row: it has no entry');
SELECT is((SELECT detail FROM credit.verify_chain() WHERE problem = 'deleted'),
          'the row of entry ' || :entry_of_le3 || ' is not in the table', 'a deleted row: the entry of the row that is gone');
-- the same row put back as it was is no longer a problem
SET session_replication_role = replica;
UPDATE credit.record SET penalty_content = '罚款一万元' WHERE record_id = :rec1;
RESET session_replication_role;
SELECT is((SELECT count(*) FROM credit.verify_chain() WHERE table_name = 'record'), 0::bigint,
          'the record changed back to its logged version verifies again');
SET session_replication_role = replica;
UPDATE credit.record SET penalty_content = '罚款一元' WHERE record_id = :rec1;
RESET session_replication_role;

-- the log itself: an entry that is not the last of its row (AUD-2's after the key change)
SELECT :before_key + 2 AS edited \gset
SET session_replication_role = replica;
UPDATE credit.change_log SET actor = 'someone_else' WHERE seq = :edited;
RESET session_replication_role;
SELECT set_eq($$SELECT seq, problem, detail FROM credit.verify_chain() WHERE problem LIKE 'log%'$$,
              format($$VALUES (%s::bigint, 'log row altered', 'its hash does not match its content')$$, :edited),
              'a log row edited directly: named by seq, its hash no longer matches');
-- an editor who recomputes the edited row's hash breaks the link to the next
SET session_replication_role = replica;
UPDATE credit.change_log l SET hash = credit.chain_entry_hash(l.prev_hash, l.seq, l.logged_at, l.xact, l.actor, l.session_actor,
                                                               l.table_name, l.op, l.row_key, l.row_digest, l.note)
 WHERE l.seq = :edited;
RESET session_replication_role;
SELECT set_eq($$SELECT seq, problem, detail FROM credit.verify_chain() WHERE problem LIKE 'log%'$$,
              format($$VALUES (%s::bigint, 'log row altered', 'its prev_hash is not the hash of entry %s')$$, :edited + 1, :edited),
              'an edited row with its hash recomputed: the next entry no longer links to it');
-- one who recomputes every later hash too: the chain holds, the head moves
SELECT set_config('regress.edited', :'edited', false) IS NOT NULL AS set \gset
SET session_replication_role = replica;
DO $$
DECLARE
    s bigint;
BEGIN
    FOR s IN SELECT seq FROM credit.change_log WHERE seq > current_setting('regress.edited')::bigint ORDER BY seq LOOP
        UPDATE credit.change_log l SET prev_hash = (SELECT p.hash FROM credit.change_log p WHERE p.seq = s - 1) WHERE l.seq = s;
        UPDATE credit.change_log l SET hash = credit.chain_entry_hash(l.prev_hash, l.seq, l.logged_at, l.xact, l.actor, l.session_actor,
                                                                       l.table_name, l.op, l.row_key, l.row_digest, l.note)
         WHERE l.seq = s;
    END LOOP;
END
$$;
RESET session_replication_role;
SELECT is_empty($$SELECT * FROM credit.verify_chain() WHERE problem LIKE 'log%'$$,
                'a rewrite that recomputes every later hash is not found in the log alone');
SELECT is((SELECT seq FROM credit.chain_head()), :anchor_seq::bigint, 'the head is still at the anchored seq');
SELECT isnt((SELECT hash FROM credit.chain_head()), :'anchor_hash',
            'but its hash is not the anchored one: the anchor kept outside finds the rewrite');
SELECT seq AS removed FROM credit.change_log WHERE table_name = 'matter' AND row_key = '{AUD-1}' AND op = 'insert' \gset
SET session_replication_role = replica;
DELETE FROM credit.change_log WHERE seq = :removed;
RESET session_replication_role;
SELECT is((SELECT array_agg(row(seq, problem, detail)::text) FROM credit.verify_chain() WHERE seq = :removed + 1),
          ARRAY[row(:removed + 1, 'log row deleted', 'entry ' || :removed || ' is missing')::text],
          'a deleted log row: the gap is named');
SELECT is((SELECT count(*) FROM credit.verify_chain()), 5::bigint,
          'five problems in all: four rows and the gap');

-- ------------------------------------------------------------------
-- Without replica mode the log cannot be edited, even by a superuser
-- ------------------------------------------------------------------
SELECT throws_ok($$UPDATE credit.change_log SET note = 'x' WHERE seq = 1$$, '2F003', 'table credit.change_log is append-only',
                 'UPDATE of the log is refused');
SELECT throws_ok($$DELETE FROM credit.change_log WHERE seq = 1$$, '2F003', 'table credit.change_log is append-only',
                 'DELETE of the log is refused');
SELECT throws_ok($$TRUNCATE credit.change_log$$, '2F003', 'table credit.change_log is append-only',
                 'TRUNCATE of the log is refused');
SELECT throws_ok($$SELECT credit.chain_note('record', 'insert', '{1}', NULL, NULL)$$, '22023',
                 'operation "insert" cannot be noted by hand', 'chain_note writes only snapshot, reanchor and delete entries');
SELECT throws_ok($$SELECT credit.chain_note('record', 'reanchor', '{1}', NULL, 'x')$$, '22023',
                 'a "reanchor" entry has no row key and no row digest', 'chain_note refuses a reanchor entry with a key');
SELECT throws_ok($$SELECT credit.chain_note('record', 'snapshot', '{1}', NULL, NULL)$$, '22023',
                 'a "snapshot" entry needs a row key and a row digest', 'and a snapshot entry without a digest');
SELECT throws_ok($$SELECT credit.chain_note('record', 'delete', '{1}', sha256(''), NULL)$$, '22023',
                 'a "delete" entry needs a row key and no row digest', 'and a delete entry with a digest');

-- what a DBA adds to the log applies to the append: a trigger (to copy
-- each entry elsewhere) and a constraint
CREATE TABLE public.dba_copy (seq bigint, hash bytea);
CREATE FUNCTION public.dba_copy_entry() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO public.dba_copy VALUES (NEW.seq, NEW.hash); RETURN NULL; END$$;
CREATE TRIGGER dba_copy AFTER INSERT ON credit.change_log FOR EACH ROW EXECUTE FUNCTION public.dba_copy_entry();
INSERT INTO credit.matter VALUES ('AUD-9', '审计事项九', '行政许可', 1, false, '2026-01-01', NULL, '测试');
SELECT is((SELECT array_agg(row(c.seq, encode(c.hash, 'hex'))::text) FROM public.dba_copy c),
          (SELECT ARRAY[row(h.seq, h.hash)::text] FROM credit.chain_head() h),
          'a trigger the DBA put on the log sees the append''s entry');
DROP TRIGGER dba_copy ON credit.change_log;
ALTER TABLE credit.change_log ADD CONSTRAINT dba_no_matter CHECK (table_name <> 'matter') NOT VALID;
SELECT seq AS before_refused FROM credit.chain_head() \gset
-- (the error, at the commit, is in the expected output)
UPDATE credit.matter SET name = '审计事项九改' WHERE matter_code = 'AUD-9';
SELECT is((SELECT seq FROM credit.chain_head()), :before_refused::bigint, 'a constraint the DBA put on the log refuses an entry: no entry');
SELECT is((SELECT name FROM credit.matter WHERE matter_code = 'AUD-9'), '审计事项九', 'and the change is rolled back with it');
ALTER TABLE credit.change_log DROP CONSTRAINT dba_no_matter;
UPDATE credit.matter SET name = '审计事项九改' WHERE matter_code = 'AUD-9';
SELECT is((SELECT seq FROM credit.chain_head()), (:before_refused + 1)::bigint, 'without them the append goes on, from the same head');
SELECT is_empty($$SELECT * FROM credit.verify_chain() v WHERE v.seq >= $$ || :before_refused,
                'and no problem names its entries or the one before');

-- ------------------------------------------------------------------
-- Who may do what with the log
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT count(*) FROM credit.change_log$$, '42501', NULL, 'a department cannot read the log');
SELECT throws_ok($$INSERT INTO credit.change_log (seq, actor, session_actor, table_name, op, row_key, row_digest, prev_hash, hash)
                   SELECT 999999, 'x', 'x', 'record', 'delete', '{1}', NULL, sha256(''), sha256('')$$,
                 '42501', NULL, 'nor write it');
SELECT throws_ok($$UPDATE credit.change_log SET note = 'x'$$, '42501', NULL, 'nor rewrite it');
SELECT throws_ok($$DELETE FROM credit.change_log$$, '42501', NULL, 'nor delete from it');
SELECT throws_ok($$SELECT * FROM credit.verify_chain()$$, '42501', NULL, 'nor verify it (the problems name other departments'' rows)');
SELECT throws_ok($$SELECT * FROM credit.chain_head()$$, '42501', NULL, 'nor read the head');
SELECT throws_ok($$SELECT credit.chain_note('record', 'snapshot', '{1}', sha256(''), NULL)$$, '42501', NULL,
                 'nor write an entry through chain_note');
SELECT throws_ok($$INSERT INTO credit.chain_table VALUES ('subject')$$, '42501', NULL, 'nor chain a table');
RESET ROLE;
SELECT set_config('role', public.w_portal(), false);
SELECT throws_ok($$SELECT count(*) FROM credit.change_log$$, '42501', NULL, 'the portal cannot read the log');
RESET ROLE;
SET ROLE regress_bank;
SELECT throws_ok($$SELECT count(*) FROM credit.change_log$$, '42501', NULL, 'a grantee cannot read the log');
RESET ROLE;
SET ROLE regress_centre;
SELECT is((SELECT count(*) FROM credit.change_log), (SELECT max(seq) - 1 FROM credit.change_log),
          'the centre reads the whole log (less the entry deleted above)');
SELECT is((SELECT count(*) FROM credit.verify_chain()), 5::bigint, 'the centre verifies it');
SELECT isnt((SELECT seq FROM credit.chain_head()), NULL, 'and reads the head');
SELECT throws_ok($$UPDATE credit.change_log SET note = 'x'$$, '42501', NULL, 'the centre cannot rewrite the log');
SELECT throws_ok($$SELECT credit.chain_reanchor('试图')$$, '42501', NULL, 'nor re-anchor it');
RESET ROLE;

-- ------------------------------------------------------------------
-- Re-anchoring: the DBA accepts what verify_chain reports
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT credit.chain_reanchor('  ')$$, '22023', 'a re-anchoring needs a reason', 'a re-anchoring says why');
SELECT is(credit.chain_reanchor('事件 2026-017: 数据库管理员误操作, 经信用中心核实'), 5::bigint,
          'chain_reanchor accepts the five problems');
SELECT is_empty($$SELECT * FROM credit.verify_chain()$$, 'afterwards the chain verifies empty');
SELECT is((SELECT note LIKE '事件 2026-017: 数据库管理员误操作, 经信用中心核实; accepted: [%"problem": "log row deleted"%'
             FROM credit.change_log WHERE op = 'reanchor'), true,
          'the reanchor entry keeps the reason and the problems it accepted');
SELECT set_eq($$SELECT table_name, row_key, op FROM credit.change_log WHERE note = 'reanchor'$$,
              format($$VALUES ('record', ARRAY['%s'], 'snapshot'), ('list_entry', ARRAY['%s'], 'delete'),
                              ('matter', ARRAY['AUD-X'], 'snapshot'), ('measure', ARRAY['%s'], 'snapshot')$$,
                     :rec1, :le3, :'measure_code'),
              'the rows as they are now are snapshot (or delete) entries');
SELECT is((SELECT array_agg(problem) FROM credit.verify_chain(1)), ARRAY['log row deleted'],
          'verify_chain(1) still finds the missing entry before the re-anchoring');

-- ------------------------------------------------------------------
-- Chaining another table is a row
-- ------------------------------------------------------------------
SELECT seq AS before_chain FROM credit.chain_head() \gset
INSERT INTO credit.chain_table (table_name) VALUES ('objection');
SELECT is((SELECT array_agg(row(op, row_key)::text) FROM credit.change_log WHERE seq > :before_chain),
          (SELECT array_agg(row('snapshot', ARRAY[objection_id::text])::text) FROM credit.objection),
          'a table added to chain_table: a snapshot entry for each of its rows');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'credit.objection'::regclass AND tgname = 'chain_log'), 1::bigint,
          'and the trigger');
SET session_replication_role = replica;
UPDATE credit.objection SET claim = '暗改' WHERE objection_id = (SELECT min(objection_id) FROM credit.objection);
RESET session_replication_role;
SELECT is((SELECT array_agg(problem) FROM credit.verify_chain()), ARRAY['changed'], 'its rows are verified from then on');
DELETE FROM credit.chain_table WHERE table_name = 'objection';
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'credit.objection'::regclass AND tgname = 'chain_log'), 0::bigint,
          'a table removed from chain_table loses the trigger');
SELECT is_empty($$SELECT * FROM credit.verify_chain()$$, 'and is no longer verified');
SELECT throws_ok($$INSERT INTO credit.chain_table (table_name) VALUES ('no_such_table')$$, '42P01',
                 'table credit.no_such_table does not exist', 'a table that does not exist cannot be chained');

-- ------------------------------------------------------------------
-- Retention of the access log: at least 5 years, a setting; the purge
-- ------------------------------------------------------------------
SELECT is(current_setting('credit.access_log_retention'), '5', 'the access log is kept 5 years by default');
SELECT throws_ok($$SET credit.access_log_retention = 4$$, '22023', 'the access log is kept at least 5 years, not 4',
                 'a retention below 5 years is refused, with a clear error');
SELECT is(regress_error($$SET credit.access_log_retention = 1$$),
          '22023: the access log is kept at least 5 years, not 1 | Query records are kept at least 5 years (Shenzhen §45); Zhejiang-like rules ask 10. | Set credit.access_log_retention to 5 or more.',
          'the error says the rule and what to set');
SET ROLE regress_scjg;
SELECT throws_ok($$SET credit.access_log_retention = 10$$, '42501', NULL, 'a department cannot change the retention');
SELECT throws_ok($$SELECT credit.purge_access_log()$$, '42501', NULL, 'nor purge the log');
RESET ROLE;
-- rows of 2020-09-28 (older than 5 years before 2026-09-29), 2021-09-29 (exactly 5) and 2024
SET session_replication_role = replica;
INSERT INTO credit.access_log (accessed_at, role, subject_id, authorisation_id, purpose)
VALUES ('2020-09-28 10:00+08', 'regress_bank', 1, 1, '旧'), ('2021-09-29 10:00+08', 'regress_bank', 1, 1, '五年'),
       ('2024-01-01 10:00+08', 'regress_bank', 1, 1, '新');
RESET session_replication_role;
SET credit.access_log_retention = 10;
SELECT is(credit.purge_access_log(), 0::bigint, 'kept 10 years: the purge removes nothing');
RESET credit.access_log_retention;
SELECT is(credit.purge_access_log(), 1::bigint, 'kept 5 years: the purge removes the row older than that');
SELECT is((SELECT array_agg(purpose ORDER BY accessed_at) FROM credit.access_log), ARRAY['五年', '新'],
          'the rows of the last 5 years stay');
SELECT throws_ok($$DELETE FROM credit.access_log$$, '2F003', 'table credit.access_log is append-only',
                 'after the purge the log is append-only again');

SELECT * FROM finish();
\i sql/include/tap_teardown.sql
