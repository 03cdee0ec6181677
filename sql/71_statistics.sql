-- Statistics per department and month (credit.monthly_statistics): records
-- by category, 双公示 on time and late, list entries by kind and state,
-- objections and repairs filed and overdue, exchange acknowledgements
-- pending, and what each role counts (row security applies: the view is
-- security_invoker).  The submission and filing times are set here (as a
-- superuser with the triggers off), so the months are fixed.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(12);

SET session_replication_role = replica;
-- the twelve penalties and the unrepairable one, decided 2024-10-29, published 2026-09-10: late
UPDATE credit.record SET submitted_at = '2026-09-10 10:00+08' WHERE decision_date = '2024-10-29';
-- the one decided 2026-09-29, published the next day: on time
UPDATE credit.record SET submitted_at = '2026-09-30 09:00+08' WHERE decision_no = '金市监罚〔W〕新1号';
-- the objection filed 2026-09-03, accepted, its deadline passed; the repair filed 2026-08-20, on time
UPDATE credit.objection SET filed_at = '2026-09-03 10:00+08', state = '已受理', deadline = '2026-09-20';
UPDATE credit.repair SET filed_at = '2026-08-20 10:00+08', state = '已申请', feedback_deadline = '2026-10-30';
-- a repair result sent to a platform and not acknowledged
INSERT INTO credit.sync_target (target, name, kind) VALUES ('PROV', '省级平台', '上级平台');
INSERT INTO credit.sync_event (repair_id, target, queued_at) SELECT repair_id, 'PROV', '2026-08-25 10:00+08' FROM credit.repair;
RESET session_replication_role;
SELECT department_id AS scjg FROM credit.department WHERE code = 'SCJG' \gset

SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'credit.monthly_statistics'::regclass), ARRAY['security_invoker=true'],
          'the view runs with the caller''s rights (security_invoker): row security applies');

SET ROLE regress_centre;
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '记录' AND department_id = 1$$,
              $$VALUES ('2026-09-01'::date, '行政处罚', 14::bigint)$$,
              'records by category and the month they were submitted: SCJG''s fourteen penalties of 2026-09');
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '双公示' AND department_id = 1$$,
              $$VALUES ('2024-10-01'::date, '行政处罚 逾期', 13::bigint), ('2026-09-01', '行政处罚 按时', 1)$$,
              '双公示 by the month of the decision: thirteen late (published two years on), one on time (the next day)');
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '名单' AND department_id = 1$$,
              $$VALUES ('2025-08-01'::date, 'W_YZSX 列入中', 4::bigint)$$,
              'list entries by kind and state, in the month they were listed (2025-08-25)');
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '异议'$$,
              $$VALUES ('2026-09-01'::date, '提出', 1::bigint), ('2026-09-01', '逾期', 1)$$,
              'objections filed, and of them overdue now (its deadline 2026-09-20 passed, still 已受理)');
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '信用修复'$$,
              $$VALUES ('2026-08-01'::date, '申请', 1::bigint)$$,
              'repairs filed; one within its deadline is not overdue');
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '交换回执'$$,
              $$VALUES ('2026-08-01'::date, '待确认 PROV', 1::bigint)$$,
              'exchange acknowledgements pending: the repair result sent and not acknowledged');
SELECT is((SELECT count(*) FROM credit.monthly_statistics WHERE domain IN ('核查', '核查反馈', '信用承诺', '信用报告', '归集批次')), 0::bigint,
          'no checks, feedback, commitments, reports or batches: no rows for them');
RESET ROLE;
UPDATE credit.sync_event SET acknowledged_at = '2026-08-26 10:00+08', acknowledged_by = 'regress_centre';
SET ROLE regress_centre;
SELECT is((SELECT count(*) FROM credit.monthly_statistics WHERE domain = '交换回执'), 0::bigint,
          'an acknowledged event is no longer pending');
RESET ROLE;

-- another department counts what it reads: SCJG's public records, not its objections
SET ROLE regress_swj;
SELECT set_eq($$SELECT month, dimension, value FROM credit.monthly_statistics WHERE domain = '记录' AND department_id = 1$$,
              $$VALUES ('2026-09-01'::date, '行政处罚', 14::bigint)$$,
              'SWJ counts SCJG''s public penalties (it reads them)');
SELECT is((SELECT count(*) FROM credit.monthly_statistics WHERE domain IN ('异议', '信用修复')), 0::bigint,
          'but not SCJG''s objections and repairs (it does not read them)');
RESET ROLE;
SELECT set_config('role', public.w_portal(), false) IS NOT NULL AS portal \gset
SELECT throws_ok($$SELECT count(*) FROM credit.monthly_statistics$$, '42501', NULL, 'the portal has no statistics');
RESET ROLE;

SELECT * FROM finish();
\i sql/include/tap_teardown.sql
