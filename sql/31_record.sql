-- A record's lifecycle as a machine (有效 -> 已撤回 / 已更正, with events),
-- what a correction carries over (publicity, ends, the objection mark) and
-- how objections, repairs and list entries follow a record's lineage; a
-- record past its maximum on arrival; clear errors of credit.transition().
-- The date is fixed.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql   -- today is 2026-09-29 (credit.legal_date)

SELECT plan(32);

CREATE FUNCTION public.w_correct(n text, changes jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    EXECUTE 'SET LOCAL ROLE regress_scjg';
    id := credit.correct_record(public.w_rec(n), '笔误更正', changes);
    RESET ROLE;
    RETURN id;
END
$$;

-- ------------------------------------------------------------------
-- The lifecycle is a machine, with events
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
DO $do$ BEGIN PERFORM credit.withdraw_record(public.w_rec('12'), '处罚决定已撤销'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, reason FROM credit.workflow_event
                     WHERE machine = 'record' AND object_id = (SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔W〕12号')$$,
                  $$VALUES ('有效'::text, '已撤回'::text, '部门'::text, '处罚决定已撤销'::text)$$,
                  'a withdrawal leaves an event of the record machine, with the party kind');
SELECT ok((SELECT state_since > submitted_at FROM credit.record WHERE decision_no = '金市监罚〔W〕12号'), 'and the time it was withdrawn');
DO $do$ BEGIN PERFORM public.w_correct('11', '{"remarks": "更正备注"}'); END $do$;
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, details FROM credit.workflow_event
                     WHERE machine = 'record' AND object_id = (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕11号')$$,
                  $$VALUES ('有效'::text, '已更正'::text, '部门'::text, '{"changes": {"remarks": "更正备注"}}'::jsonb)$$,
                  'a correction leaves an event too, with the changes');
SELECT is((SELECT count(DISTINCT lineage_id)::integer FROM credit.record WHERE decision_no = '金市监罚〔W〕11号'), 1,
          'both versions share one lineage');
SELECT is(credit.current_record((SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕11号')), public.w_rec('11'),
          'any version leads to the current one in one call');

-- ------------------------------------------------------------------
-- A correction carries the workflow over
-- ------------------------------------------------------------------
-- correction x stop: a stopped record stays stopped
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('record_publicity', public.w_rec('9'), '停止公示', '超期公开'); END $do$;
RESET ROLE;
DO $do$ BEGIN PERFORM public.w_correct('9', '{"remarks": "停止后更正"}'); END $do$;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('9')$$,
                  $$VALUES ('停止公示'::text, '2026-09-29'::date)$$, 'correction x stop: the new version stays 停止公示, its publicity ended on the day of the stop');
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕9号'), 0, 'and is not public');
RESET ROLE;
-- a correction that changes the decision date (so the ends are counted
-- again) still leaves a stopped record's publicity ended on the stop day
-- (here set back to 2026-09-01, so that it is not today)
SET session_replication_role = replica;
UPDATE credit.record SET publicity_end = '2026-09-01' WHERE record_id = public.w_rec('9');
SET session_replication_role = origin;
DO $do$ BEGIN PERFORM public.w_correct('9', '{"decision_date": "2024-12-01"}'); END $do$;
SELECT results_eq($$SELECT publicity_state, publicity_end, decision_date FROM credit.record WHERE record_id = public.w_rec('9')$$,
                  $$VALUES ('停止公示'::text, '2026-09-01'::date, '2024-12-01'::date)$$,
                  'correction of the decision date x stop: still 停止公示, ended on the day of the stop');

-- correction x not published: a 不公示 record stays so, with its reason
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '不公示', publicity_reason = '轻微违法 (测试)' WHERE record_id = public.w_rec('6');
SET session_replication_role = origin;
DO $do$ BEGIN PERFORM public.w_correct('6', '{"remarks": "不公示后更正"}'); END $do$;
SELECT results_eq($$SELECT publicity_state, publicity_reason, remarks FROM credit.record WHERE record_id = public.w_rec('6')$$,
                  $$VALUES ('不公示'::text, '轻微违法 (测试)'::text, '不公示后更正'::text)$$,
                  'correction x 不公示: the new version stays 不公示, with the reason');

-- correction x repair: a repaired record stays repaired
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复', publicity_end = '2026-05-01', publicity_reason = '信用修复 0'
 WHERE record_id = public.w_rec('8');
SET session_replication_role = origin;
DO $do$ BEGIN PERFORM public.w_correct('8', '{"remarks": "修复后更正"}'); END $do$;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('8')$$,
                  $$VALUES ('已修复'::text, '2026-05-01'::date)$$, 'correction x repair: the new version stays 已修复, its publicity ended when it did');
SELECT results_eq($$SELECT rule_set, publicity_min_end, publicity_max_end FROM credit.record WHERE record_id = public.w_rec('8')$$,
                  $$SELECT rule_set, publicity_min_end, publicity_max_end FROM credit.record
                     WHERE decision_no = '金市监罚〔W〕8号' AND state = '已更正'$$, 'and keeps the rule set and ends');

-- correction x objection: the mark stays, the objection can still be decided 更正
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('7'), '信息错误', '罚款金额有误');
DO $do$ BEGIN PERFORM credit.transition('objection', (SELECT max(objection_id) FROM credit.objection), '已受理'); END $do$;
RESET ROLE;
DO $do$ BEGIN PERFORM public.w_correct('7', '{"remarks": "部门先行更正"}'); END $do$;
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('7')), '异议处理中',
          'correction x objection: the new version keeps 异议处理中');
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.transition('objection', (SELECT max(objection_id) FROM credit.objection), '已办结', '核实有误',
                                           '{"outcome": "更正", "changes": {"penalty_content": "罚款五千元"}}')$$,
                'and the objection is still decided 更正');
RESET ROLE;
SELECT results_eq($$SELECT penalty_content, remarks, dispute_mark FROM credit.record WHERE record_id = public.w_rec('7')$$,
                  $$VALUES ('罚款五千元'::text, '部门先行更正'::text, NULL::text)$$,
                  'on the newest version, which keeps the department''s correction, and the mark is gone');
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('7'), '信息错误', '第一份');
SELECT is(public.regress_error($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('7'), '信息错误', '第二份')$$),
          '23505: record ' || public.w_rec('7') || ' already has an open objection ' || (SELECT max(objection_id) FROM credit.objection)
          || ' | A record has at most one open objection at a time. | Wait for its outcome, or withdraw it first.',
          'a second open objection gets a clear message naming the open one');
DO $do$ BEGIN PERFORM credit.transition('objection', (SELECT max(objection_id) FROM credit.objection), '已受理'); END $do$;
SELECT is(public.regress_error($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('7'), '信息错误', '第三份')$$),
          '23505: record ' || public.w_rec('7') || ' already has an open objection ' || (SELECT max(objection_id) FROM credit.objection)
          || ' | A record has at most one open objection at a time. | Wait for its outcome, or withdraw it first.',
          'and the same once the open one is accepted (已受理)');
RESET ROLE;

-- correction x list entry x repair: the repair of the new version removes the entry based on the old one
DO $do$ BEGIN PERFORM public.w_correct('3', '{"remarks": "列入后更正"}'); END $do$;
SET ROLE regress_centre;
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
VALUES (public.w_rec('3'), true, '{信用修复承诺书,履行义务证明}', '守信承诺');
DO $do$ BEGIN PERFORM credit.transition('repair', public.w_repair('3'), '已受理'); END $do$;
DO $do$ BEGIN PERFORM credit.transition('repair', public.w_repair('3'), '已修复'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT state FROM credit.list_entry WHERE basis_record_id = (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕3号')$$,
                  $$VALUES ('已移出'::text)$$, 'correction x list entry x repair: the entry on the old version is removed');
-- repair x list entry: no entry on a repaired record
SET ROLE regress_scjg;
SELECT is(public.regress_error($$INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
                                 VALUES ('W_YZSX', public.w_subject('3'), public.w_rec('3'), '再次列入', '2026-06-15')$$),
          '55000: list entry cannot be based on record ' || public.w_rec('3') || ': it is 已修复 (repaired) |  | Base a listing on a record in force that is not repaired.',
          'repair x list entry: a listing on a repaired record is refused');
RESET ROLE;
-- correction x repair in flight: the decision repairs the newest version
SET ROLE regress_centre;
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
VALUES (public.w_rec('4'), true, '{信用修复承诺书,履行义务证明}', '守信承诺');
DO $do$ BEGIN PERFORM credit.transition('repair', public.w_repair('4'), '已受理'); END $do$;
RESET ROLE;
CREATE TEMP TABLE w_repair4 AS SELECT public.w_repair('4') AS id;
GRANT SELECT ON w_repair4 TO PUBLIC;
DO $do$ BEGIN PERFORM public.w_correct('4', '{"remarks": "受理后更正"}'); END $do$;
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('repair', (SELECT id FROM w_repair4), '已修复'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT publicity_state FROM credit.record WHERE record_id = public.w_rec('4')$$,
                  $$VALUES ('已修复'::text)$$, 'correction x repair: a repair decided after a correction repairs the version in force');
-- repair x breach: a commitment broken before the decision refuses the repair
SET ROLE regress_centre;
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
VALUES (public.w_rec('10'), true, '{信用修复承诺书,履行义务证明}', '守信承诺');
DO $do$ BEGIN PERFORM credit.transition('repair', public.w_repair('10'), '已受理'); END $do$;
DO $do$ BEGIN PERFORM credit.record_commitment_breach((SELECT commitment_id FROM credit.repair WHERE repair_id = public.w_repair('10')), '再次违法'); END $do$;
SELECT throws_ok($$SELECT credit.transition('repair', public.w_repair('10'), '已修复')$$, '55000', NULL,
                 'repair x breach: a repair under a broken commitment is refused');
RESET ROLE;

-- ------------------------------------------------------------------
-- Arrival past the limit; clear errors
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, conduct_end_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金市监罚〔W〕迟报号',
        '2021-06-01', '2021-05-01', '虚假宣传', '迟报', '《广告法》', '罚款', '罚款', '市场监管局');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_reason FROM credit.record WHERE decision_no = '金市监罚〔W〕迟报号'$$,
                  $$VALUES ('已到期'::text, '公示期满 (报送时已过最长公示期)'::text)$$,
                  'a record past its maximum on arrival is stored 已到期');
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', ARRAY[public.w_entry('5'), NULL], '已移出', '测试')$$),
          '22004: the objects of machine "list_entry" to move to "已移出" include a null id | Element 2 of the 2 ids is null; nothing moved. | Remove the null from the array of ids.',
          'a null id is an error naming its place');
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('5')), '列入中', 'and nothing moved');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', ARRAY[public.w_entry('5'), 999999998, 999999999], '已移出', '测试')$$),
          'P0002: 2 of the 3 objects of machine "list_entry" to move to "已移出" do not exist or are not yours to move | Not found: 999999998, 999999999; nothing moved. | Check the ids; row security hides what your role may not see.',
          'unknown ids are named');
SELECT is(credit.transition_ids('list_entry', ARRAY[public.w_entry('6'), public.w_entry('5')], '已移出', '已履行'),
          ARRAY[least(public.w_entry('5'), public.w_entry('6')), greatest(public.w_entry('5'), public.w_entry('6'))],
          'credit.transition_ids() returns the ids moved');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('5'), '已移出', '再次')$$),
          '55000: cannot move 名单条目 ' || public.w_entry('5') || ' from "已移出" to "已移出" | Allowed from "已移出": (nothing: terminal state). | ',
          'an id in the wrong state is named');
RESET ROLE;

-- sharing ends with the period too (the 5-year limit, the publicity end)
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金税〔W〕过期共享号', '2023-01-01'),
       ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金税〔W〕在期共享号', '2025-01-01');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is((SELECT string_agg(decision_no, ', ') FROM credit.record WHERE decision_no LIKE '金税〔W〕%'), '金税〔W〕在期共享号',
          'a 部门共享 record is shared only inside its period');
RESET ROLE;

-- withdrawal x list entry: the entries based on a withdrawn record go
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
VALUES ('W_YZSX', public.w_subject('1'), public.w_rec('1'), '严重违法失信', '2026-06-01');
DO $do$ BEGIN PERFORM credit.withdraw_record(public.w_rec('1'), '处罚决定被撤销'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT state, removal_reason FROM credit.list_entry
                     WHERE basis_record_id = (SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔W〕1号')$$,
                  $$SELECT '已移出'::text, format('认定依据已撤回 (记录 %s): 处罚决定被撤销',
                                                  (SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔W〕1号'))$$,
                  'withdrawal x list entry: an entry based on a withdrawn record is removed, with the reason');

-- withdrawal x another department's list entry: the court listed the
-- subject on record 5 too; its entry is not the withdrawing department's
-- to remove: it becomes 应移出, and the court has 3 working days (from
-- Tuesday 2026-09-29: 09-30, 国庆 10-01..07 off, 10-08, 10-09)
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, extension_min_months, extension_max_months)
SELECT 'W_SXBZX', '失信被执行人名单(流程测试)', '黑', 24, '公开', department_id, 12, 36 FROM credit.department WHERE code = 'FY';
SET ROLE regress_fy;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
VALUES ('W_SXBZX', public.w_subject('5'), public.w_rec('5'), '有履行能力而拒不履行', '2026-06-01');
RESET ROLE;
CREATE TEMP TABLE w_rec5 AS SELECT public.w_rec('5') AS id;
GRANT SELECT ON w_rec5 TO PUBLIC;
SET ROLE regress_scjg;
DO $do$ BEGIN PERFORM credit.withdraw_record(public.w_rec('5'), '处罚决定被撤销'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT list_kind, state, removal_due, removed_on FROM credit.list_entry
                     WHERE basis_record_id = (SELECT id FROM w_rec5) ORDER BY list_kind$$,
                  $$VALUES ('W_SXBZX'::text, '应移出'::text, date '2026-10-09', NULL::date),
                           ('W_YZSX', '已移出', NULL, date '2026-09-29')$$,
                  'withdrawal x list entries: its own department''s entry is removed; the court''s is 应移出, to be removed by 2026-10-09');
SET credit.legal_date = '2026-10-12';
SET ROLE regress_fy;
SELECT results_eq($$SELECT state, deadline_kind, deadline, working_days_late FROM credit.workflow_overdue WHERE machine = 'list_entry'$$,
                  $$VALUES ('应移出'::text, 'removal_due'::text, date '2026-10-09', 2)$$,
                  'not removed on Monday 10-12, the court''s entry is 2 working days late (10-10 is a 调休 working Saturday)');
SELECT lives_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = (SELECT id FROM w_rec5)
                                                           AND list_kind = 'W_SXBZX'), '已移出', '认定依据已撤销')$$,
                'the court removes it');
SELECT is((SELECT count(*)::integer FROM credit.workflow_overdue), 0, 'and nothing is late any more');
RESET ROLE;
SET credit.legal_date = '2026-09-29';

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
