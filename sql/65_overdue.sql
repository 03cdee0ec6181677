-- Overdue workflow objects: the overdue view and its per-department
-- summary, by working days late, within row security; an objection never
-- accepted (entries due for removal: 31_record).  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(6);

-- ------------------------------------------------------------------
-- Overdue
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.repair SET state = '已受理', deadline = credit.legal_date() - 7, feedback_deadline = credit.legal_date() - 1
 WHERE repair_id = public.w_repair('2');
SET session_replication_role = origin;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT deadline_kind, working_days_late FROM credit.workflow_overdue WHERE machine = 'repair' ORDER BY 1$$,
                  $$VALUES ('deadline'::text, 4), ('feedback_deadline', 1)$$,
                  'the overdue view shows the late repair and by how many working days (today 2026-09-29: since 09-22, '
                  '中秋 09-25..27 not counted; since 09-28, one)');
SELECT is((SELECT overdue::integer FROM credit.workflow_overdue_by_department WHERE machine = 'repair' AND deadline_kind = 'deadline'),
          1, 'and per department');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.workflow_overdue WHERE machine = 'repair'), 0, 'another department does not see it');
RESET ROLE;

-- an objection due today is not late yet; one due yesterday is, by one
-- working day; an entry already off its list is not late for deletion
SET session_replication_role = replica;
UPDATE credit.objection SET state = '已受理', deadline = date '2026-09-29' WHERE record_id = public.w_rec('2');
UPDATE credit.list_entry SET deletion_due = date '2026-09-28' WHERE entry_id = public.w_entry('3');
UPDATE credit.list_entry SET state = '已到期', deletion_due = date '2026-09-28' WHERE entry_id = public.w_entry('4');
SET session_replication_role = origin;
SELECT results_eq($$SELECT machine, object_id, deadline_kind, working_days_late FROM credit.workflow_overdue
                     WHERE machine IN ('objection', 'list_entry') ORDER BY 1, 2$$,
                  $$VALUES ('list_entry'::text, public.w_entry('3'), 'deletion_due'::text, 1)$$,
                  'due today is not late; a list entry off its list is not late for deletion');
SET session_replication_role = replica;
UPDATE credit.objection SET deadline = date '2026-09-28' WHERE record_id = public.w_rec('2');
SET session_replication_role = origin;
SELECT is((SELECT working_days_late FROM credit.workflow_overdue WHERE machine = 'objection'), 1,
          'an objection due yesterday is one working day late');
-- an objection never accepted is late too, after its 3 working days
SET session_replication_role = replica;
UPDATE credit.objection SET state = '已提交', deadline = date '2026-09-28' WHERE record_id = public.w_rec('2');
SET session_replication_role = origin;
SELECT results_eq($$SELECT state, deadline_kind, working_days_late FROM credit.workflow_overdue WHERE machine = 'objection'$$,
                  $$VALUES ('已提交'::text, 'deadline'::text, 1)$$,
                  'an objection still 已提交 past its deadline is one working day late');
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
