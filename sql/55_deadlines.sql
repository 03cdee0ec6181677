-- The legal time limits that are not an objection's or a repair's (those:
-- 52_objection, 53_repair), as machine deadlines at fixed dates: the
-- withdrawal of a record within 3 working days once its decision is
-- revoked (认定依据撤销, set by the centre or the providing department),
-- the deletion of a list entry within 3 working days after its end of
-- term; counted over a weekend, a holiday and a 调休 working Saturday,
-- refused and allowed transitions, and the overdue views.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(27);

-- ------------------------------------------------------------------
-- A record whose decision is revoked: withdrawal_due
-- ------------------------------------------------------------------
-- Tuesday 2026-09-29, the day before 国庆 (10-01..07): 3 working days are
-- 09-30, 10-08, 10-09
SET ROLE regress_scjg;
SELECT is(credit.transition('record', public.w_rec('7'), '有效', '处罚决定已被复议机关撤销'), 1::bigint,
          'the providing department notes that the decision of its record is revoked');
RESET ROLE;
SELECT results_eq($$SELECT state::text, withdrawal_due, state_reason FROM credit.record WHERE record_id = public.w_rec('7')$$,
                  $$VALUES ('有效'::text, date '2026-10-09', '处罚决定已被复议机关撤销'::text)$$,
                  'it stays in force, due for withdrawal on 2026-10-09 (国庆 not counted)');
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, reason FROM credit.workflow_event
                     WHERE machine = 'record' AND object_id = public.w_rec('7')$$,
                  $$VALUES ('有效'::text, '有效'::text, '部门'::text, '处罚决定已被复议机关撤销'::text)$$,
                  'with an event');
SELECT is((SELECT publicity_state FROM credit.record WHERE record_id = public.w_rec('7')), '公示中',
          'its publicity is left as it is');
-- refused: no reason, a second notice, another department, the portal
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('record', public.w_rec('8'), '有效')$$),
          '23502: moving 信用记录 ' || public.w_rec('8') || ' from "有效" to "有效" needs a reason | The transition "认定依据撤销" needs a reason. | Give the reason as the fourth argument of credit.transition().',
          'a notice needs a reason');
SELECT is(public.regress_error($$SELECT credit.transition('record', public.w_rec('7'), '有效', '再次通知')$$),
          '55000: the revocation of the decision of record ' || public.w_rec('7') || ' is already noted: it is due for withdrawal by 2026-10-09 | '
          ' | Withdraw it with credit.withdraw_record(record_id, reason), or correct it with credit.correct_record().',
          'a record is noted once: its deadline never moves');
RESET ROLE;
SELECT is((SELECT withdrawal_due FROM credit.record WHERE record_id = public.w_rec('7')), date '2026-10-09', 'and stays');
SET ROLE regress_swj;
SELECT matches(public.regress_error($$SELECT credit.transition('record', public.w_rec('8'), '有效', '撤销')$$),
               '^P0002: 1 of the 1 objects of machine "record" to move to "有效" do not exist or are not yours to move',
               'another department cannot note it');
RESET ROLE;
BEGIN;
SELECT credit.act_for_subject(public.w_subject('8')) FROM (SELECT set_config('role', public.w_portal(), true)) AS r;
SELECT matches(public.regress_error($$SELECT credit.transition('record', public.w_rec('8'), '有效', '撤销')$$),
               '^[0-9A-Z]{5}: (permission denied|.*not yours to move|cannot move)',
               'nor the portal');
ROLLBACK;
SELECT is((SELECT withdrawal_due FROM credit.record WHERE record_id = public.w_rec('8')), NULL, 'record 8 is not due');
SELECT is(public.regress_error($$UPDATE credit.record SET withdrawal_due = date '2026-12-31' WHERE record_id = public.w_rec('7')$$),
          '2F003: column "withdrawal_due" of 信用记录 ' || public.w_rec('7') || ' belongs to the record machine | 信用记录 '
          || public.w_rec('7') || ' is in state "有效". | Move it with credit.transition(''record'', ' || public.w_rec('7')
          || ', <state>, <reason>); from "有效": "已撤回" (撤回: 部门/信用中心, 须说明原因), "已更正" (更正: 部门/信用中心, 须说明原因), '
          '"有效" (认定依据撤销: 部门/信用中心, 须说明原因).',
          'the deadline is not set by hand, not even by the owner');

-- Wednesday 09-30, by the centre: 10-08, 10-09 and the 调休 Saturday 10-10
SET credit.legal_date = '2026-09-30';
SET ROLE regress_centre;
SELECT credit.transition('record', public.w_rec('8'), '有效', '法院判决撤销处罚决定');
RESET ROLE;
SELECT is((SELECT withdrawal_due FROM credit.record WHERE record_id = public.w_rec('8')), date '2026-10-10',
          'noted by the centre on 09-30: due on the 调休 working Saturday 2026-10-10');
-- a plain Saturday, 2026-09-19: Sunday 09-20 is a 调休 working day, then 09-21, 09-22
SET credit.legal_date = '2026-09-19';
SET ROLE regress_scjg;
SELECT credit.transition('record', public.w_rec('9'), '有效', '处罚决定被确认违法');
RESET ROLE;
SELECT is((SELECT withdrawal_due FROM credit.record WHERE record_id = public.w_rec('9')), date '2026-09-22',
          'noted on Saturday 09-19: due on 2026-09-22 (the 调休 Sunday counts)');

-- late: the overdue views, by working days, within row security
SET credit.legal_date = '2026-10-09';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT object_id, state, working_days_late FROM credit.workflow_overdue
                     WHERE machine = 'record' AND deadline_kind = 'withdrawal_due' ORDER BY 1$$,
                  $$VALUES (public.w_rec('9'), '有效'::text, 7)$$,
                  'on 10-09: due 09-22 is 7 working days late (中秋 and 国庆 not counted); due today (10-09) and 10-10 are not late');
RESET ROLE;
SET credit.legal_date = '2026-10-12';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT object_id, working_days_late FROM credit.workflow_overdue
                     WHERE machine = 'record' AND deadline_kind = 'withdrawal_due' ORDER BY 1$$,
                  $$VALUES (public.w_rec('7'), 2), (public.w_rec('8'), 1), (public.w_rec('9'), 9)$$,
                  'on Monday 10-12: due 10-09 is 2 working days late (the 调休 Saturday counts), due 10-10 one');
SELECT results_eq($$SELECT department, overdue::integer, worst_working_days_late FROM credit.workflow_overdue_by_department
                     WHERE machine = 'record'$$,
                  $$VALUES ('金华市市场监督管理局'::text, 3, 9)$$,
                  'per department');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.workflow_overdue WHERE machine = 'record'), 0,
          'another department does not see them');
RESET ROLE;
-- allowed: the withdrawal, or a correction (the decision changed), ends the clock
SET ROLE regress_scjg;
SELECT credit.withdraw_record(public.w_rec('7'), '处罚决定已撤销, 撤回');
SELECT ok(credit.correct_record(public.w_rec('8'), '处罚决定变更', '{"penalty_content": "警告"}') IS NOT NULL,
          'a record due for withdrawal can be corrected (the decision changed)');
SELECT results_eq($$SELECT object_id FROM credit.workflow_overdue WHERE machine = 'record' ORDER BY 1$$,
                  $$VALUES (public.w_rec('9'))$$,
                  'withdrawn or corrected, a record is no longer overdue; the new version is not due');
RESET ROLE;
SELECT is(public.regress_error($$SELECT credit.transition('record', (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕7号'), '有效', '再次')$$),
          '55000: cannot move 信用记录 ' || (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕7号')
          || ' from "已撤回" to "有效" | Allowed from "已撤回": (nothing: terminal state). | ',
          'a withdrawn record is not noted');

-- ------------------------------------------------------------------
-- A list entry: deletion_due, 3 working days after the end of term
-- ------------------------------------------------------------------
SET credit.legal_date = '2026-09-29';
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, expires_on)
VALUES ('W_YZSX', public.w_subject('10'), '期满测试 周六', date '2026-01-05', date '2026-09-19'),
       ('W_YZSX', public.w_subject('10'), '期满测试 国庆前', date '2026-01-05', date '2026-09-30'),
       ('W_YZSX', public.w_subject('10'), '期满测试 国庆中', date '2026-01-05', date '2026-10-03');
RESET ROLE;
SELECT results_eq($$SELECT expires_on, deletion_due FROM credit.list_entry WHERE reasons LIKE '期满测试%' ORDER BY expires_on$$,
                  $$VALUES (date '2026-09-19', date '2026-09-22'), (date '2026-09-30', date '2026-10-10'),
                           (date '2026-10-03', date '2026-10-10')$$,
                  'deletion due 3 working days after the end of term: over a weekend with a 调休 Sunday, '
                  'up to the 调休 Saturday, from inside 国庆');
SELECT results_eq($$SELECT state, deadline_kind, deadline, working_days_late FROM credit.workflow_overdue
                     WHERE machine = 'list_entry' AND object_id IN (SELECT entry_id FROM credit.list_entry WHERE reasons LIKE '期满测试%')$$,
                  $$VALUES ('列入中'::text, 'deletion_due'::text, date '2026-09-22', 4)$$,
                  'still on the list past it (the sweep has not run): 4 working days late on 09-29');
-- the figure is the machine row's (a province with its own profile changes it)
BEGIN;
SET LOCAL ROLE regress_centre;
UPDATE credit.machine_deadline SET working_days = 5 WHERE machine = 'list_entry' AND state = '列入中';
SET LOCAL ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, expires_on)
VALUES ('W_YZSX', public.w_subject('11'), '期满测试 五日', date '2026-01-05', date '2026-09-30');
SELECT is((SELECT deletion_due FROM credit.list_entry WHERE reasons = '期满测试 五日'), date '2026-10-13',
          'with 5 working days in the row: 2026-10-13');
SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE reasons = '期满测试 五日'), '列入中',
                         '人民法院决定延长', '{"expires_on": "2027-03-31"}');
SELECT is((SELECT deletion_due FROM credit.list_entry WHERE reasons = '期满测试 五日'), date '2027-04-07',
          'and an extension counts the same 5 working days from the new end of term');
ROLLBACK;
-- an extension, with the shipped row: 3 working days after the new end
SET ROLE regress_scjg;
SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE reasons = '期满测试 国庆中'), '列入中',
                         '人民法院决定延长', '{"expires_on": "2027-10-03"}');
RESET ROLE;
SELECT is((SELECT deletion_due FROM credit.list_entry WHERE reasons = '期满测试 国庆中'), credit.add_working_days(date '2027-10-03', 3),
          'an extension moves the deletion date with the end of term');
-- no term, no deletion date
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id)
VALUES ('W_HONG', '红名单(流程测试)', '红', NULL, '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'));
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('W_HONG', public.w_subject('10'), '守信激励', date '2026-09-01');
RESET ROLE;
SELECT results_eq($$SELECT expires_on, deletion_due FROM credit.list_entry WHERE reasons = '守信激励'$$,
                  $$VALUES (NULL::date, NULL::date)$$,
                  'an entry without a term has no deletion date');
-- a deletion date given on insert is the guard's, not the inserter's
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, expires_on, deletion_due)
VALUES ('W_YZSX', public.w_subject('11'), '期满测试 自填', date '2026-01-05', date '2026-09-30', date '2099-12-31');
RESET ROLE;
SELECT is((SELECT deletion_due FROM credit.list_entry WHERE reasons = '期满测试 自填'), date '2026-10-10',
          'a deletion date given on insert is replaced by the machine''s');
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
