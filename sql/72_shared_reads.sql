-- Shared reads (docs/audit.md): a department reads the 部门共享 records of
-- another department, of a catalogue item whose log_shared_reads the
-- centre set, only for the subjects it opened with a logged purpose
-- (CALL credit.open_shared_read); the log rows are in credit.access_log
-- (kind 部门共享), seen by the centre, the reading department and the
-- subject through the portal, and purged with the rest of the log.
-- pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(43);

-- a second shared item of the tax office, whose reads are not logged
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('S.QSGG', '欠税公告(共享)', '其他', '失信', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'SWJ'));
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金税〔S〕1号', '2026-06-01'),
       ('W.QS', '企业法人', '流程测试2有限公司', credit.uscc_complete('91330702MA2W00021'), '严重', '金税〔S〕2号', '2026-06-01'),
       ('S.QSGG', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '一般', '金税〔S〕3号', '2026-06-01');
RESET ROLE;
SELECT public.w_subject('1') AS subj1, public.w_subject('2') AS subj2 \gset
-- what the calling role reads of these three records
CREATE FUNCTION public.s_seen() RETURNS text LANGUAGE sql
    RETURN (SELECT coalesce(string_agg(decision_no, ', ' ORDER BY decision_no), '') FROM credit.record
             WHERE decision_no LIKE '金税〔S〕%');
GRANT EXECUTE ON FUNCTION public.s_seen() TO PUBLIC;

-- ------------------------------------------------------------------
-- The setting: per catalogue item, off by default, the centre's
-- ------------------------------------------------------------------
SELECT is((SELECT array_agg(log_shared_reads ORDER BY item_code) FROM credit.catalogue_item
            WHERE item_code IN ('W.QS', 'S.QSGG')), ARRAY[false, false], 'shared reads are not logged by default');
SELECT col_not_null('credit', 'catalogue_item', 'log_shared_reads', 'the setting is never NULL');
SET ROLE regress_scjg;
SELECT is(public.s_seen(), '金税〔S〕1号, 金税〔S〕2号, 金税〔S〕3号',
          'without the setting, another department reads the shared records without opening anything (as in 0.1)');
RESET ROLE;
SET ROLE regress_swj;
SELECT throws_ok($$UPDATE credit.catalogue_item SET log_shared_reads = true WHERE item_code = 'W.QS'$$, '42501', NULL,
                 'a department cannot set it, not even for its own item');
RESET ROLE;
SET ROLE regress_centre;
SELECT lives_ok($$UPDATE credit.catalogue_item SET log_shared_reads = true WHERE item_code = 'W.QS'$$,
                'the centre sets it for an item');
RESET ROLE;

-- ------------------------------------------------------------------
-- Each role's view before any opening
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.s_seen(), '金税〔S〕3号',
          'another department no longer reads the logged item''s shared records without opening their subject; the unlogged item''s it still does');
SELECT is((SELECT count(*)::integer FROM credit.record WHERE item_code = 'W.QS' AND subject_id = :subj1), 0,
          'not even by asking for them by item and subject');
SELECT is((SELECT sum(value)::integer FROM credit.monthly_statistics WHERE domain = '记录'
            AND department_id = (SELECT department_id FROM credit.department WHERE code = 'SWJ')), 1,
          'the statistics view counts only what the department reads (the unlogged record)');
SELECT is(credit.opened_shared_reads(), '{}'::bigint[], 'nothing is open');
RESET ROLE;
SET ROLE regress_swj;
SELECT is(public.s_seen(), '金税〔S〕1号, 金税〔S〕2号, 金税〔S〕3号', 'the tax office reads its own records without opening');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(public.s_seen(), '金税〔S〕1号, 金税〔S〕2号, 金税〔S〕3号', 'the centre reads everything');
RESET ROLE;
SET ROLE regress_bank;
SELECT is(public.s_seen(), '', 'a grantee reads no 部门共享 record');
RESET ROLE;
SELECT public.w_portal() AS portal \gset
SET ROLE :portal;
SELECT is(public.s_seen(), '', 'nor does the portal');
RESET ROLE;

-- ------------------------------------------------------------------
-- Bad input: each refused, saying why, and nothing logged
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error(format($$CALL credit.open_shared_read(%s, '   ')$$, :subj1)),
          '22023: a shared read needs a purpose | Every read of logged 部门共享 records is logged with who, whose and why. | '
          || format('Give the matter the records are read for, e.g. CALL credit.open_shared_read(%s, ''行政许可审查 2026-001'').', :subj1),
          'a blank purpose is refused, with what to give');
SELECT throws_ok(format($$CALL credit.open_shared_read(%s, NULL)$$, :subj1), '22023', 'a shared read needs a purpose',
                 'so is a missing one');
SELECT throws_ok($$CALL credit.open_shared_read(NULL, '核查')$$, '22004', 'subject_id must not be null', 'a missing subject is refused');
SELECT throws_ok($$CALL credit.open_shared_read(987654321, '行政许可审查')$$, '23503', 'subject 987654321 does not exist',
                 'an unknown subject is refused');
SELECT throws_ok(format($$CALL credit.open_shared_read(%s, '行政许可审查')$$, :subj1), '25001',
                 'credit.open_shared_read must be called outside a transaction block',
                 'inside a transaction block it is refused: the log row must be committed before the read');
RESET ROLE;
SET ROLE regress_bank;
SELECT throws_ok(format($$CALL credit.open_shared_read(%s, '贷款审批')$$, :subj1), '42501',
                 'only a role registered as a department opens shared reads', 'a grantee cannot open shared reads');
RESET ROLE;
SET ROLE regress_centre;
SELECT throws_ok(format($$CALL credit.open_shared_read(%s, '核查')$$, :subj1), '42501',
                 'only a role registered as a department opens shared reads', 'nor can the centre (it reads everything anyway)');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 0, 'no refused call left a log row');

-- ------------------------------------------------------------------
-- Opening: the log row first, then the reads
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
CALL credit.open_shared_read(:subj1, '行政许可审查 金市监许〔2026〕9号');
SELECT is(credit.opened_shared_reads(), ARRAY[:subj1::bigint], 'the market regulator opens subject 1');
SELECT is(public.s_seen(), '金税〔S〕1号, 金税〔S〕3号', 'it reads subject 1''s logged shared record, not subject 2''s');
BEGIN;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE item_code = 'W.QS'), 1, 'in a transaction too');
ROLLBACK;
RESET ROLE;
SELECT is((SELECT array_agg(row(kind, role, subject_id, authorisation_id IS NULL, purpose)::text) FROM credit.access_log
            WHERE kind = '部门共享'),
          ARRAY[row('部门共享', 'regress_scjg', :subj1, true, '行政许可审查 金市监许〔2026〕9号')::text],
          'one log row: kind 部门共享, the department''s role, the subject, no authorisation, the purpose; kept after the reading transaction rolled back');
SELECT is((SELECT accessed_at <= clock_timestamp() AND accessed_at > clock_timestamp() - interval '10 minutes'
             FROM credit.access_log WHERE kind = '部门共享'), true, 'with the clock''s time');
SET ROLE regress_fy;
SELECT is(public.s_seen(), '金税〔S〕3号', 'the opening is the opener''s: another department in the same session reads nothing more');
RESET ROLE;

-- Who sees the log row
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 1, 'the superuser sees it');
SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 1, 'the centre sees it');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 1, 'the reading department sees its own read');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 0, 'the department whose records were read does not');
RESET ROLE;
SET ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE kind = '部门共享'), 0, 'nor does a grantee');
RESET ROLE;
BEGIN;
SET LOCAL ROLE :portal;
SELECT credit.act_for_subject(:subj1);
SELECT is((SELECT array_agg(row(kind, role, purpose)::text) FROM credit.access_log),
          ARRAY[row('部门共享', 'regress_scjg', '行政许可审查 金市监许〔2026〕9号')::text],
          'the subject, through the portal, sees who read its shared data and why');
COMMIT;
BEGIN;
SET LOCAL ROLE :portal;
SELECT credit.act_for_subject(:subj2);
SELECT is((SELECT count(*)::integer FROM credit.access_log), 0, 'another subject sees nothing of it');
COMMIT;

-- No row without the rules
SET ROLE regress_scjg;
SELECT throws_ok(format($$INSERT INTO credit.access_log (kind, subject_id, authorisation_id, purpose) VALUES ('部门共享', %s, 1, '核查')$$, :subj1),
                 '23514', NULL, 'a 部门共享 row names no authorisation');
SELECT throws_ok(format($$INSERT INTO credit.access_log (kind, subject_id, purpose) VALUES ('部门共享', %s, ' ')$$, :subj1),
                 '23514', NULL, 'nor has a blank purpose');
RESET ROLE;
SELECT throws_ok(format($$INSERT INTO credit.access_log (kind, subject_id, purpose) VALUES ('公开', %s, '核查')$$, :subj1),
                 '23514', NULL, 'a log row is of a 授权查询 or 部门共享 read (the table''s check, even for the superuser)');
SET ROLE regress_bank;
SELECT throws_ok(format($$INSERT INTO credit.access_log (kind, subject_id, purpose) VALUES ('部门共享', %s, '核查')$$, :subj1),
                 '42501', NULL, 'only a department writes a 部门共享 row');
RESET ROLE;

-- Closing
SET ROLE regress_scjg;
SELECT is(credit.close_shared_read(:subj1), 1, 'closing the subject ends one opening');
SELECT is(public.s_seen(), '金税〔S〕3号', 'and its logged shared records are hidden again');
RESET ROLE;

-- The setting off again: another session's cache follows at once
SET ROLE regress_centre;
UPDATE credit.catalogue_item SET log_shared_reads = false WHERE item_code = 'W.QS';
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(public.s_seen(), '金税〔S〕1号, 金税〔S〕2号, 金税〔S〕3号', 'with the setting off, the shared records are read without opening');
RESET ROLE;

-- ------------------------------------------------------------------
-- Retention: these rows are purged with the rest of the log
-- ------------------------------------------------------------------
SET session_replication_role = replica;
INSERT INTO credit.access_log (accessed_at, role, subject_id, kind, purpose)
VALUES ('2020-09-28 10:00+08', 'regress_scjg', :subj1, '部门共享', '旧共享'),
       ('2021-09-29 10:00+08', 'regress_scjg', :subj1, '部门共享', '五年共享');
RESET session_replication_role;
SELECT is(credit.purge_access_log(), 1::bigint, 'the purge removes the 部门共享 row older than the retention (5 years)');
SELECT is((SELECT array_agg(purpose ORDER BY accessed_at) FROM credit.access_log WHERE kind = '部门共享'),
          ARRAY['五年共享', '行政许可审查 金市监许〔2026〕9号'], 'and keeps those of the last 5 years');

SELECT * FROM finish();
\i sql/include/tap_teardown.sql
