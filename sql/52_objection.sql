-- The objection machine: filing through the portal, acceptance, the
-- department's check, each outcome, deadlines in working days, refusal and
-- withdrawal; the portal's one-call filing; an objection to a list entry
-- and its mark on the public list.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(68);

-- ------------------------------------------------------------------
-- Objection
-- ------------------------------------------------------------------
-- the subject files through the portal; the centre accepts
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('5'));
SELECT lives_ok($$INSERT INTO credit.objection (record_id, grounds, claim, materials)
                  VALUES (public.w_rec('5'), '信息错误', '处罚金额有误', '{身份证明,处罚决定书}')$$,
                'the subject files an objection through the portal');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('5'), '信息错误', '再来一次')$$,
                 '23505', NULL, 'at most one open objection per record');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('6'), '信息错误', '替别人')$$,
                 '42501', 'record ' || public.w_rec('6') || ' is not a record of the subject you act for',
                 'the portal cannot object for another subject');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (999999999, '信息错误', '不存在')$$,
                 '42501', 'record 999999999 is not a record of the subject you act for',
                 'nor learn whether a record exists');
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('不可修复1'), true, '{}', '探测')$$,
                 '42501', 'record ' || public.w_rec('不可修复1') || ' is not a record of the subject you act for',
                 'a repair application for another subject''s record learns nothing about it');
RESET ROLE;
COMMIT;
SELECT set_config('role', public.w_portal(), false);
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('6'), '信息错误', '不代理')$$,
                 '42501', 'the portal files for a subject only while it acts for it', 'the portal files only while acting');
RESET ROLE;
CREATE FUNCTION public.w_obj(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT max(objection_id) FROM credit.objection WHERE record_id = public.w_rec(n));
-- filed on Tuesday 2026-09-29: the centre accepts or refuses within 3
-- working days, 09-30, (国庆 10-01..07 off) 10-08, 10-09
SELECT results_eq($$SELECT state, subject_id, filed_by::text, deadline FROM credit.objection WHERE objection_id = public.w_obj('5')$$,
                  $$SELECT '已提交'::text, public.w_subject('5'), public.w_portal(), '2026-10-09'::date$$,
                  'filed: subject from the record, filed by the portal, to be accepted by 2026-10-09');
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('6'));
SELECT is((SELECT count(*)::integer FROM credit.objection WHERE record_id = public.w_rec('5')), 0,
          'acting for another subject, the portal does not see the objection');
RESET ROLE;
COMMIT;
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已受理')$$, 'the centre accepts it');
RESET ROLE;
-- accepted on Tuesday 2026-09-29 (the fixture's legal date): 3 working days
-- are 09-30, then 国庆 (10-01..07), 10-08, 10-09
SELECT results_eq($$SELECT state, deadline FROM credit.objection WHERE objection_id = public.w_obj('5')$$,
                  $$VALUES ('已受理'::text, date '2026-10-09')$$, 'deadline: 3 working days, over 国庆');
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('5')), '异议处理中', 'the record is marked');
SET ROLE regress_swj;
SELECT is((SELECT dispute_mark FROM credit.public_record WHERE record_id = public.w_rec('5')), '异议处理中',
          'every view shows the mark: another department''s');
RESET ROLE;
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT dispute_mark FROM credit.public_record WHERE record_id = public.w_rec('5')), '异议处理中',
          'and the public''s');
RESET ROLE;
-- passed on to the department on Friday 10-09: its 7 working days still
-- count from the acceptance (09-29, the event's time set to that day):
-- 09-30, 10-08, 10-09, 10-10 (a 调休 Saturday), 10-12, 10-13, 10-14
SET session_replication_role = replica;
UPDATE credit.workflow_event SET at = timestamptz '2026-09-29 10:00:00+08'
 WHERE machine = 'objection' AND object_id = public.w_obj('5') AND to_state = '已受理';
SET session_replication_role = origin;
SET credit.legal_date = '2026-10-09';
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '部门核查')$$, 'the centre passes it to the department');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
SELECT is((SELECT deadline FROM credit.objection WHERE objection_id = public.w_obj('5')), date '2026-10-14',
          'deadline: 7 working days from acceptance (over 国庆 and a 调休 Saturday), not from the day it was passed on');
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.objection WHERE objection_id = public.w_obj('5')), 0,
          'another department does not see the objection');
RESET ROLE;
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '核实有误', '{"outcome": "重来"}')$$,
                 '22023', 'invalid outcome of objection ' || public.w_obj('5') || ': "重来"', 'an outcome must be one of the six');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '核实有误', '{"outcome": "更正"}')$$,
                 '22023', 'the outcome 更正 of objection ' || public.w_obj('5') || ' needs the corrected fields',
                 '更正 needs the corrected fields');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '核实有误', '{"outcome": "更正", "changes": "罚款五千元"}')$$,
                 '22023', 'the outcome 更正 of objection ' || public.w_obj('5') || ' needs the corrected fields',
                 'and the corrected fields are an object of columns, not a string');
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '罚款金额录入错误',
                                           '{"outcome": "更正", "changes": {"penalty_content": "罚款五千元"}}')$$,
                'the providing department decides: 更正');
RESET ROLE;
SELECT results_eq($$SELECT state, dispute_mark FROM credit.record WHERE record_id = (SELECT record_id FROM credit.objection WHERE claim = '处罚金额有误')$$,
                  $$VALUES ('已更正'::credit.record_state, NULL::text)$$, '更正: the old version is 已更正, unmarked');
SELECT results_eq($$SELECT penalty_content, state FROM credit.record WHERE decision_no = '金市监罚〔W〕5号' AND corrects IS NOT NULL$$,
                  $$VALUES ('罚款五千元'::text, '有效'::credit.record_state)$$, 'and a new version carries the correction');
SELECT is((SELECT outcome FROM credit.objection WHERE objection_id = (SELECT max(objection_id) FROM credit.objection WHERE claim = '处罚金额有误')),
          '更正', 'the objection keeps its outcome');

-- each other outcome, filed and decided by the centre
CREATE FUNCTION public.w_decide(n text, outcome jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    EXECUTE 'SET LOCAL ROLE regress_centre';
    INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec(n), '其他', '结果测试 ' || n)
    RETURNING objection_id INTO id;
    PERFORM credit.transition('objection', id, '已受理');
    PERFORM credit.transition('objection', id, '已办结', '核实', outcome);
    RESET ROLE;
    RETURN id;
END
$$;
SELECT lives_ok($$SELECT public.w_decide('7', '{"outcome": "补充", "changes": {"remarks": "补充: 已整改"}}')$$, '补充 decided');
SELECT is((SELECT remarks FROM credit.record WHERE decision_no = '金市监罚〔W〕7号' AND state = '有效'), '补充: 已整改',
          '补充: a new version with the supplement');
SELECT lives_ok($$SELECT public.w_decide('8', '{"outcome": "删除"}')$$, '删除 decided');
SELECT is((SELECT state::text FROM credit.record WHERE decision_no = '金市监罚〔W〕8号'), '已撤回', '删除: the record is withdrawn');
SELECT lives_ok($$SELECT public.w_decide('9', '{"outcome": "停止公开"}')$$, '停止公开 decided');
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('9')$$,
                  $$VALUES ('停止公示'::text, date '2026-09-29')$$, '停止公开: publicity ends today');
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕9号'), 0, 'the public no longer sees it');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金市监罚〔W〕9号'), 0, 'nor does another department (it was 公开 only)');
RESET ROLE;
-- naming another subject's entry is refused, and changes nothing
SELECT throws_ok($$SELECT public.w_decide('6', jsonb_build_object('outcome', '移出名单', 'entries', jsonb_build_array(public.w_entry('5'))))$$,
                 '22023', NULL, '移出名单 naming an entry not based on the record is refused');
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('5')), '列入中',
          '移出名单 leaves another subject''s entry alone, even when named');
SELECT lives_ok($$SELECT public.w_decide('6', '{"outcome": "移出名单"}')$$, '移出名单 decided');
SELECT results_eq($$SELECT state, removal_reason FROM credit.list_entry WHERE basis_record_id = public.w_rec('6')$$,
                  $$SELECT '已移出'::text, format('异议 %s: 核实', (SELECT max(objection_id) FROM credit.objection WHERE record_id = public.w_rec('6')))$$,
                  '移出名单: the entry based on the record is removed');
SELECT throws_ok($$SELECT public.w_decide('10', '{"outcome": "移出名单"}')$$, '55000',
                 'objection ' || public.w_obj('10') || ' has no list entry to remove',
                 '移出名单 without an entry is refused');
SELECT is((SELECT count(*)::integer FROM credit.objection WHERE claim = '结果测试 10'), 0, 'and leaves nothing behind');
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('10')), NULL, 'not even the mark');
SELECT lives_ok($$SELECT public.w_decide('10', '{"outcome": "维持"}')$$, '维持 decided');
SELECT results_eq($$SELECT state::text, dispute_mark, publicity_state FROM credit.record WHERE record_id = public.w_rec('10')$$,
                  $$VALUES ('有效'::text, NULL::text, '公示中'::text)$$, '维持: only the mark goes');
-- the deadline arithmetic across a holiday and a 调休 working Saturday: an
-- objection accepted on 2026-09-29 and passed to the department has 7
-- working days: 09-30, (国庆 10-01..07 off) 10-08, 10-09, 10-10 (调休 Saturday),
-- 10-12, 10-13, 10-14
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('4'), '其他', '时限测试');
SELECT credit.transition('objection', public.w_obj('4'), '已受理') \gset w_ignore_
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.workflow_event SET at = '2026-09-29 10:00+08'  -- (the engine counts days in Beijing)
 WHERE machine = 'objection' AND object_id = public.w_obj('4') AND to_state = '已受理';
SET session_replication_role = origin;
SET ROLE regress_centre;
SELECT credit.transition('objection', public.w_obj('4'), '部门核查') \gset w_ignore_
SELECT is((SELECT deadline FROM credit.objection WHERE objection_id = public.w_obj('4')), '2026-10-14'::date,
          'a 7-working-day deadline counted from the acceptance on 2026-09-29 skips 国庆 and counts the 10-10 调休 Saturday');
SELECT credit.transition('objection', public.w_obj('4'), '已撤回') \gset w_ignore_
RESET ROLE;
-- a withdrawal after acceptance takes the mark away
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('12'), '其他', '撤回测试');
SELECT credit.transition('objection', public.w_obj('12'), '已受理') \gset w_ignore_
SELECT credit.transition('objection', public.w_obj('12'), '已撤回') \gset w_ignore_
RESET ROLE;
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('12')), NULL,
          'an objection withdrawn after acceptance leaves no mark on the record');
-- refusal lists the missing items; withdrawal by the subject
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('11'), '其他', '不予受理测试');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', '材料不全')$$, '23502',
                 'refusing objection ' || public.w_obj('11') || ' (不予受理) needs every missing item',
                 '不予受理 must list the missing items');
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', NULL,
                                                          '{"missing": ["身份证明"]}')$$),
          '23502: moving 异议 ' || public.w_obj('11') || ' from "已提交" to "不予受理" needs a reason | '
          'The transition "不予受理" needs a reason. | Give the reason as the fourth argument of credit.transition().',
          '不予受理 needs a reason');
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', '材料不全',
                                                          '{"missing": ["  "]}')$$),
          '23502: refusing objection ' || public.w_obj('11') || ' (不予受理) needs every missing item |  | '
          'Pass details => jsonb_build_object(''missing'', jsonb_build_array(''身份证明'', ...)).',
          'a blank missing item is no missing item');
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', '材料不全',
                                           '{"missing": ["身份证明", "证据材料"]}')$$, '不予受理 with the list');
SELECT is((SELECT missing_items FROM credit.objection WHERE objection_id = public.w_obj('11')), '{身份证明,证据材料}', 'kept on the objection');
RESET ROLE;

-- ------------------------------------------------------------------
-- Outcomes within the decider's authority; details checked per outcome
-- ------------------------------------------------------------------
SET session_replication_role = replica;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, department_id, disclosure, reasons, listed_on, expires_on)
SELECT 'W_YZSX', subject_id, record_id, (SELECT department_id FROM credit.department WHERE code = 'SWJ'), '公开', '他部门列入',
       credit.legal_date() - 10, credit.legal_date() + 700
  FROM credit.record WHERE record_id = public.w_rec('3');
SET session_replication_role = origin;
CREATE FUNCTION public.w_swj_entry() RETURNS bigint LANGUAGE sql
    RETURN (SELECT entry_id FROM credit.list_entry WHERE reasons = '他部门列入');
CREATE FUNCTION public.w_own_entry() RETURNS bigint LANGUAGE sql
    RETURN (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('3') AND reasons <> '他部门列入');
SET ROLE regress_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('3'), '与认定机关不一致', '应移出名单');
SELECT credit.transition('objection', public.w_obj('3'), '已受理') \gset w_ignore_
SELECT credit.transition('objection', public.w_obj('3'), '部门核查') \gset w_ignore_
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实',
                                                           jsonb_build_object('outcome', '移出名单', 'entry', jsonb_build_array(public.w_own_entry())))$$),
          '22023: unknown key "entry" in the details of outcome 移出名单 of objection ' || public.w_obj('3')
          || ' | The outcome 移出名单 takes "outcome" and, optionally, "entries". | Nothing was changed; correct the key and decide again.',
          'a misspelt key in the details is an error');
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实',
                                                           '{"outcome": "移出名单", "entries": ["3"]}')$$),
          '22023: the "entries" of outcome 移出名单 of objection ' || public.w_obj('3') || ' are not a list of entry ids | Given: ["3"]. | Pass details => jsonb_build_object(''outcome'', ''移出名单'', ''entries'', jsonb_build_array(<entry_id>, ...)).',
          'entries of the wrong type are an error');
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实',
                                                           jsonb_build_object('outcome', '维持', 'changes', '{}'::jsonb))$$),
          '22023: unknown key "changes" in the details of outcome 维持 of objection ' || public.w_obj('3')
          || ' | The outcome 维持 takes only "outcome". | Nothing was changed; correct the key and decide again.',
          'each outcome takes only its own keys');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实',
                                            jsonb_build_object('outcome', '移出名单', 'entries', jsonb_build_array(public.w_entry('5'))))$$,
                 '22023', 'objection ' || public.w_obj('3') || ' cannot remove list entries ' || public.w_entry('5')
                 || ': they are not listed on the record under objection',
                 'an entry not based on the record under objection is out of reach');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实', '{"outcome": "移出名单"}')$$,
                 '42501', 'objection ' || public.w_obj('3') || ' cannot remove list entries ' || public.w_swj_entry() || ' of another department',
                 'a department''s 移出名单 does not reach another department''s entry');
RESET ROLE;
SELECT results_eq($$SELECT state FROM credit.list_entry WHERE entry_id IN (public.w_own_entry(), public.w_entry('5'), public.w_swj_entry()) ORDER BY entry_id$$,
                  $$VALUES ('列入中'::text), ('列入中'), ('列入中')$$, 'and the refusals changed nothing');
SET ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('3'), '已办结', '核实',
                                           jsonb_build_object('outcome', '移出名单', 'entries', jsonb_build_array(public.w_own_entry())))$$,
                'the department removes its own entry based on the record');
RESET ROLE;
SELECT results_eq($$SELECT to_state, details ->> 'decided_by', details ->> 'decider_kind' FROM credit.workflow_event
                     WHERE machine = 'list_entry' AND object_id = public.w_own_entry()$$,
                  $$VALUES ('已移出'::text, 'regress_scjg'::text, '部门'::text)$$,
                  'the removal''s event names who decided and their party kind');
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_swj_entry()), '列入中', 'the other department''s entry stays');

-- ------------------------------------------------------------------
-- One call: the portal files for the subject with credit.file_objection
-- ------------------------------------------------------------------
CREATE TEMP TABLE w_new1 AS SELECT public.w_rec('新1') AS record_id, public.w_subject('1') AS subject_id, public.w_subject('2') AS other;
GRANT SELECT ON w_new1 TO PUBLIC;
SELECT set_config('role', public.w_portal(), false);
SELECT is(public.regress_error($$SELECT credit.file_objection((SELECT other FROM w_new1), (SELECT record_id FROM w_new1),
                                                              '信息错误', '一次提交')$$),
          '42501: record ' || (SELECT record_id FROM w_new1) || ' is not a record of the subject you act for |  | ',
          'file_objection for another subject than the record''s is refused, as a filing is');
SELECT ok(credit.file_objection((SELECT subject_id FROM w_new1), (SELECT record_id FROM w_new1), '信息错误', '一次提交',
                                '{身份证明}') IS NOT NULL,
          'the portal files an objection in one call, acting for the subject');
RESET ROLE;
SELECT results_eq($$SELECT state, subject_id, filed_by::text, claim, materials, deadline FROM credit.objection WHERE record_id = (SELECT record_id FROM w_new1)$$,
                  $$SELECT '已提交'::text, subject_id, public.w_portal(), '一次提交'::text, '{身份证明}'::text[], date '2026-10-09' FROM w_new1$$,
                  'one objection, filed by the portal for the subject, to be accepted by 2026-10-09');

-- ------------------------------------------------------------------
-- An objection to a list entry itself; the public list shows 异议处理中
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on)
VALUES ('W_YZSX', public.w_subject('11'), '严重违法失信(无记录依据)', '2026-09-01'),
       ('W_YZSX', public.w_subject('11'), '严重违法失信(维持)', '2026-09-01');
RESET ROLE;
CREATE TEMP TABLE w_e11 AS
SELECT min(entry_id) AS removed, max(entry_id) AS upheld, public.w_subject('11') AS subject_id, public.w_rec('11') AS record_id
  FROM credit.list_entry WHERE subject_id = public.w_subject('11') AND basis_record_id IS NULL;
GRANT SELECT ON w_e11 TO PUBLIC;
SELECT set_config('role', public.w_portal(), false);
BEGIN;
SELECT credit.act_for_subject((SELECT subject_id FROM w_e11));
SELECT is(public.regress_error($$INSERT INTO credit.objection (record_id, entry_id, grounds, claim)
                                 SELECT record_id, removed, '其他', '两者' FROM w_e11$$),
          '22023: an objection names one record, one list entry or one grade |  | Give record_id for an objection to a record, entry_id for one to a list entry, result_id for one to an evaluation grade.',
          'an objection names a record, an entry or a grade, not two');
INSERT INTO credit.objection (entry_id, grounds, claim) SELECT removed, '其他', '不应列入' FROM w_e11;
INSERT INTO credit.objection (entry_id, grounds, claim) SELECT upheld, '其他', '不应列入' FROM w_e11;
SELECT is(public.regress_error($$INSERT INTO credit.objection (entry_id, grounds, claim) SELECT removed, '其他', '第二份' FROM w_e11$$),
          '23505: list entry ' || (SELECT removed FROM w_e11) || ' already has an open objection '
          || (SELECT min(objection_id) FROM credit.objection WHERE entry_id = (SELECT removed FROM w_e11))
          || ' | A list entry has at most one open objection at a time. | Wait for its outcome, or withdraw it first.',
          'one open objection per entry, with a clear message');
COMMIT;
RESET ROLE;
CREATE FUNCTION public.w_eobj(which text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT objection_id FROM credit.objection
             WHERE entry_id = (SELECT CASE which WHEN 'removed' THEN removed ELSE upheld END FROM w_e11));
SELECT results_eq($$SELECT state, subject_id, department_id, record_id, deadline FROM credit.objection WHERE objection_id = public.w_eobj('removed')$$,
                  $$SELECT '已提交'::text, subject_id, (SELECT department_id FROM credit.department WHERE code = 'SCJG'), NULL::bigint, date '2026-10-09' FROM w_e11$$,
                  'filed against the entry: subject and deciding department from it, no record, to be accepted by 2026-10-09');
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('objection', ARRAY[public.w_eobj('removed'), public.w_eobj('upheld')], '已受理'); END $do$;
DO $do$ BEGIN PERFORM credit.transition('objection', public.w_eobj('removed'), '部门核查'); END $do$;
RESET ROLE;
SELECT is((SELECT string_agg(coalesce(dispute_mark, '-'), ', ' ORDER BY entry_id) FROM credit.public_list_entry
            WHERE entry_id IN ((SELECT removed FROM w_e11), (SELECT upheld FROM w_e11))),
          '异议处理中, 异议处理中', 'accepted, the public list shows both entries 异议处理中');
SELECT is(public.regress_error($$UPDATE credit.list_entry SET dispute_mark = NULL WHERE entry_id = (SELECT removed FROM w_e11)$$),
          '2F003: column "dispute_mark" of list entry ' || (SELECT removed FROM w_e11) || ' is set by the objection machine only |  | '
          'File an objection; the mark shows from its acceptance until its outcome.',
          'nobody, the owner included, sets the entry''s mark by hand');
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('objection', public.w_eobj('removed'), '已办结', '核实', '{"outcome": "更正", "changes": {}}')$$),
          '22023: outcome 更正 does not apply to objection ' || public.w_eobj('removed') || ', about list entry ' || (SELECT removed FROM w_e11)
          || ' | An objection to a list entry is decided 移出名单 or 维持; what a listing says never changes. | '
          'Nothing was changed; object to the record the listing is based on to correct or withdraw it.',
          'an objection to an entry is not decided 更正');
SELECT lives_ok($$SELECT credit.transition('objection', public.w_eobj('removed'), '已办结', '经核实不应列入', '{"outcome": "移出名单"}')$$,
                'the deciding department decides 移出名单 after its check');
RESET ROLE;
SELECT results_eq($$SELECT state, dispute_mark, removal_reason FROM credit.list_entry WHERE entry_id = (SELECT removed FROM w_e11)$$,
                  $$VALUES ('已移出'::text, NULL::text, '异议 ' || public.w_eobj('removed') || ': 经核实不应列入')$$,
                  'the entry is removed, its mark gone, with the reason');
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('objection', public.w_eobj('upheld'), '已办结', '列入无误', '{"outcome": "维持"}'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT state, dispute_mark FROM credit.list_entry WHERE entry_id = (SELECT upheld FROM w_e11)$$,
                  $$VALUES ('列入中'::text, NULL::text)$$, '维持: the entry stays listed, without the mark');

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
