-- Overdue workflow objects: the overdue view and its per-department
-- summary, by working days late, within row security.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(3);

-- ------------------------------------------------------------------
-- Overdue
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.repair SET state = '已受理', deadline = credit.legal_date() - 7, feedback_deadline = credit.legal_date() - 1
 WHERE repair_id = public.w_repair('2');
SET session_replication_role = origin;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT deadline_kind, working_days_late FROM credit.workflow_overdue WHERE machine = 'repair' ORDER BY 1$$,
                  $$VALUES ('deadline'::text, credit.working_days_between(credit.legal_date() - 7, credit.legal_date())),
                           ('feedback_deadline', credit.working_days_between(credit.legal_date() - 1, credit.legal_date()))$$,
                  'the overdue view shows the late repair and by how many working days');
SELECT is((SELECT overdue::integer FROM credit.workflow_overdue_by_department WHERE machine = 'repair' AND deadline_kind = 'deadline'),
          1, 'and per department');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.workflow_overdue WHERE machine = 'repair'), 0, 'another department does not see it');
RESET ROLE;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
