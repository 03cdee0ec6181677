-- Where two workflows meet on one record: the pairs of {correction,
-- objection, repair, stop (停止公示), list entry} that 31_record (the
-- correction's pairs, repair x list entry, withdrawal x list entry) and
-- 52_objection (objection x list entry: 移出名单) do not try:
--   stop x list entry, objection x repair (both orders), objection x stop,
--   repair x stop.
-- The date is fixed (2026-09-29).  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(14);

CREATE FUNCTION public.w_file_repair(n text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    EXECUTE 'SET LOCAL ROLE regress_centre';
    INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
    VALUES (public.w_rec(n), true, '{信用修复承诺书,履行义务证明}', '守信承诺') RETURNING repair_id INTO id;
    PERFORM credit.transition('repair', id, '已受理');
    RESET ROLE;
    RETURN id;
END
$$;
CREATE FUNCTION public.w_file_objection(n text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    EXECUTE 'SET LOCAL ROLE regress_centre';
    INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec(n), '信息错误', '配对测试')
    RETURNING objection_id INTO id;
    PERFORM credit.transition('objection', id, '已受理');
    RESET ROLE;
    RETURN id;
END
$$;
CREATE TEMP TABLE w_ids (name text PRIMARY KEY, id bigint);
GRANT SELECT ON w_ids TO PUBLIC;

-- ------------------------------------------------------------------
-- stop x list entry: stopping publicity leaves the listing, its own
-- decision, as it is; a serious listing does not bring the record back
-- ------------------------------------------------------------------
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious)
SELECT 'W_YZ_PAIR', '严重失信名单(配对测试)', '黑', 36, '公开', department_id, true FROM credit.department WHERE code = 'SCJG';
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
VALUES ('W_YZSX', public.w_subject('9'), public.w_rec('9'), '严重违法失信', '2026-09-01');
RESET ROLE;
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('record_publicity', public.w_rec('9'), '停止公示', '不应公开'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT e.state, r.publicity_state, r.publicity_end FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
                     WHERE r.record_id = public.w_rec('9')$$,
                  $$VALUES ('列入中'::text, '停止公示'::text, date '2026-09-29')$$,
                  'stop x list entry: the record''s publicity ends today, the entry based on it stays listed');
INSERT INTO w_ids VALUES ('subject 9', public.w_subject('9'));
SELECT set_config('role', public.w_portal(), false);
SELECT results_eq($$SELECT (SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕9号'),
                           (SELECT count(*)::integer FROM credit.public_list_entry WHERE subject_id = (SELECT id FROM w_ids WHERE name = 'subject 9'))$$,
                  $$VALUES (0, 1)$$, 'the public sees the entry, not the stopped record');
RESET ROLE;
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
VALUES ('W_YZ_PAIR', public.w_subject('9'), public.w_rec('9'), '严重违法失信', '2026-09-29');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('9')$$,
                  $$VALUES ('停止公示'::text, date '2026-09-29')$$,
                  'list entry x stop: a serious listing on a stopped record does not extend or restart its publicity');

-- ------------------------------------------------------------------
-- objection x repair: a repair granted during an objection keeps the
-- mark; the objection's 更正 then keeps the repair
-- ------------------------------------------------------------------
INSERT INTO w_ids VALUES ('objection 6', public.w_file_objection('6'));
INSERT INTO w_ids VALUES ('repair 6', public.w_file_repair('6'));
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('repair', (SELECT id FROM w_ids WHERE name = 'repair 6'), '已修复'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT r.publicity_state, r.dispute_mark, e.state FROM credit.record r JOIN credit.list_entry e ON e.basis_record_id = r.record_id
                     WHERE r.record_id = public.w_rec('6')$$,
                  $$VALUES ('已修复'::text, '异议处理中'::text, '已移出'::text)$$,
                  'objection x repair: granted during an objection, the repair ends publicity and removes the entry; the record stays marked 异议处理中');
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('objection', (SELECT id FROM w_ids WHERE name = 'objection 6'), '已办结', '金额有误',
                                        '{"outcome": "更正", "changes": {"penalty_content": "罚款五千元"}}'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT penalty_content, publicity_state, publicity_end, dispute_mark FROM credit.record WHERE record_id = public.w_rec('6')$$,
                  $$VALUES ('罚款五千元'::text, '已修复'::text, date '2026-09-29', NULL::text)$$,
                  'repair x objection: the objection''s 更正 afterwards keeps the new version 已修复, publicity ended on the day of the repair; the mark goes');
SELECT results_eq($$SELECT state FROM credit.repair WHERE repair_id = (SELECT id FROM w_ids WHERE name = 'repair 6')$$,
                  $$VALUES ('已修复'::text)$$, 'and the repair stays granted');

-- an objection decided 删除 while a repair is open: the repair cannot be
-- granted any more, and says why
INSERT INTO w_ids VALUES ('repair 7', public.w_file_repair('7'));
INSERT INTO w_ids VALUES ('objection 7', public.w_file_objection('7'));
INSERT INTO w_ids VALUES ('record 7', public.w_rec('7'));
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('objection', (SELECT id FROM w_ids WHERE name = 'objection 7'), '已办结', '处罚决定已撤销',
                                        '{"outcome": "删除"}'); END $do$;
SELECT is(public.regress_error($$SELECT credit.transition('repair', (SELECT id FROM w_ids WHERE name = 'repair 7'), '已修复')$$),
          '55000: repair ' || (SELECT id FROM w_ids WHERE name = 'repair 7') || ' cannot be granted: record '
          || (SELECT id FROM w_ids WHERE name = 'record 7') || ' is no longer in force |  | '
          'The record was withdrawn; decide 不予修复 or let the applicant withdraw.',
          'objection x repair: after the objection withdrew the record, the open repair is refused, with what to do');
SELECT lives_ok($$SELECT credit.transition('repair', (SELECT id FROM w_ids WHERE name = 'repair 7'), '不予修复', '记录已撤回')$$,
                'and is closed 不予修复');
RESET ROLE;
SELECT results_eq($$SELECT state::text, dispute_mark FROM credit.record WHERE record_id = (SELECT id FROM w_ids WHERE name = 'record 7')$$,
                  $$VALUES ('已撤回'::text, NULL::text)$$, 'the record is withdrawn, its mark gone');

-- ------------------------------------------------------------------
-- objection x stop: the centre stops publicity during an objection; the
-- mark stays until the outcome, and 维持 does not restart publicity
-- ------------------------------------------------------------------
INSERT INTO w_ids VALUES ('objection 8', public.w_file_objection('8'));
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('record_publicity', public.w_rec('8'), '停止公示', '超期公开'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, dispute_mark FROM credit.record WHERE record_id = public.w_rec('8')$$,
                  $$VALUES ('停止公示'::text, '异议处理中'::text)$$, 'objection x stop: stopped during an objection, the record keeps its mark');
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('objection', (SELECT id FROM w_ids WHERE name = 'objection 8'), '已办结', '经核实无误',
                                        '{"outcome": "维持"}'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end, dispute_mark FROM credit.record WHERE record_id = public.w_rec('8')$$,
                  $$VALUES ('停止公示'::text, date '2026-09-29', NULL::text)$$, 'stop x objection: 维持 removes the mark and leaves publicity stopped');

-- ------------------------------------------------------------------
-- repair x stop: a stopped record can still be repaired (sharing and use
-- stop too, and its entries go)
-- ------------------------------------------------------------------
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('record_publicity', public.w_rec('10'), '停止公示', '不应公开'); END $do$;
RESET ROLE;
INSERT INTO w_ids VALUES ('repair 10', public.w_file_repair('10'));
SET ROLE regress_centre;
DO $do$ BEGIN PERFORM credit.transition('repair', (SELECT id FROM w_ids WHERE name = 'repair 10'), '已修复'); END $do$;
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('10')$$,
                  $$VALUES ('已修复'::text, date '2026-09-29')$$, 'repair x stop: a stopped record is repaired, its publicity end kept');
SELECT results_eq($$SELECT from_state, to_state FROM credit.workflow_event WHERE machine = 'record_publicity' AND object_id = public.w_rec('10') ORDER BY event_id$$,
                  $$VALUES ('公示中'::text, '停止公示'::text), ('停止公示', '已修复')$$, 'with both events');
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE record_id = public.w_rec('10')), 0, 'and another department no longer sees it');
RESET ROLE;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
