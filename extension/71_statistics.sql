-- The install script, part 71: statistics per department and month
-- (docs/audit.md, "Statistics"): views only, no new truth.  One row per
-- department, month (the legal date's, first day), domain and dimension,
-- with a count.  security_invoker: each role counts the rows its row
-- security lets it read (the centre all; a department its own and what it
-- reads of others').  The month of a row is that of its decision or
-- submission as named in each part below.
CREATE VIEW credit.monthly_statistics WITH (security_invoker = true) AS
-- records submitted, by category (the month they were submitted)
SELECT r.department_id, pg_catalog.date_trunc('month', credit.legal_date(r.submitted_at))::date AS month,
       '记录'::text AS domain, r.category::text AS dimension, pg_catalog.count(*) AS value
  FROM credit.record r
 GROUP BY 1, 2, 4
UNION ALL
-- 双公示: licences and penalties published within 7 working days of the
-- decision or late (the rule of credit.sgs_timeliness; first versions only)
SELECT r.department_id, pg_catalog.date_trunc('month', r.decision_date)::date, '双公示',
       r.category::text || CASE WHEN credit.legal_date(r.submitted_at) <= credit.add_working_days(r.decision_date, 7)
                                THEN ' 按时' ELSE ' 逾期' END,
       pg_catalog.count(*)
  FROM credit.record r
 WHERE r.category IN ('行政许可', '行政处罚') AND r.corrects IS NULL
 GROUP BY 1, 2, 4
UNION ALL
-- collection batches by state, and the rows they accepted and rejected
SELECT b.department_id, pg_catalog.date_trunc('month', credit.legal_date(b.opened_at))::date, '归集批次', d.dimension, d.value
  FROM credit.collection_batch b
 CROSS JOIN LATERAL (VALUES ('批次 ' || b.state, 1::bigint), ('接收行', COALESCE(b.accepted, 0)::bigint),
                            ('拒绝行', COALESCE(b.rejected, 0)::bigint)) AS d(dimension, value)
UNION ALL
-- list entries by kind and state (the month they were listed)
SELECT e.department_id, pg_catalog.date_trunc('month', e.listed_on)::date, '名单', e.list_kind || ' ' || e.state, pg_catalog.count(*)
  FROM credit.list_entry e
 GROUP BY 1, 2, 4
UNION ALL
-- credit checks by matter, feedback by action (联合奖惩案例)
SELECT c.department_id, pg_catalog.date_trunc('month', c.checked_on)::date, '核查', c.matter_code, pg_catalog.count(*)
  FROM credit.credit_check c
 GROUP BY 1, 2, 4
UNION ALL
SELECT f.department_id, pg_catalog.date_trunc('month', credit.legal_date(f.recorded_at))::date, '核查反馈', f.action, pg_catalog.count(*)
  FROM credit.check_feedback f
 GROUP BY 1, 2, 4
UNION ALL
-- commitments by kind and state (the month they were made)
SELECT m.department_id, pg_catalog.date_trunc('month', m.made_on)::date, '信用承诺', m.kind || ' ' || m.state, pg_catalog.count(*)
  FROM credit.commitment m
 GROUP BY 1, 2, 4
UNION ALL
-- objections and repairs filed, and those of them overdue now
-- (credit.workflow_overdue)
SELECT o.department_id, pg_catalog.date_trunc('month', credit.legal_date(o.filed_at))::date, '异议', d.dimension, pg_catalog.count(*)
  FROM credit.objection o
 CROSS JOIN LATERAL (SELECT '提出'::text UNION ALL
                     SELECT '逾期' WHERE EXISTS (SELECT FROM credit.workflow_overdue w
                                                 WHERE w.machine = 'objection' AND w.object_id = o.objection_id)) AS d(dimension)
 GROUP BY 1, 2, 4
UNION ALL
SELECT p.department_id, pg_catalog.date_trunc('month', credit.legal_date(p.filed_at))::date, '信用修复', d.dimension, pg_catalog.count(*)
  FROM credit.repair p
 CROSS JOIN LATERAL (SELECT '申请'::text UNION ALL
                     SELECT '逾期' WHERE EXISTS (SELECT FROM credit.workflow_overdue w
                                                 WHERE w.machine = 'repair' AND w.object_id = p.repair_id)) AS d(dimension)
 GROUP BY 1, 2, 4
UNION ALL
-- credit reports issued, by kind (the department that asked for them)
SELECT i.department_id, pg_catalog.date_trunc('month', credit.legal_date(i.issued_at))::date, '信用报告', i.kind, pg_catalog.count(*)
  FROM credit.report_issue i
 GROUP BY 1, 2, 4
UNION ALL
-- exchange acknowledgements pending: repair results sent and not yet
-- acknowledged (credit.sync_event), by the repair's department
SELECT p.department_id, pg_catalog.date_trunc('month', credit.legal_date(s.queued_at))::date, '交换回执', '待确认 ' || s.target, pg_catalog.count(*)
  FROM credit.sync_event s
  JOIN credit.repair p ON p.repair_id = s.repair_id
 WHERE s.acknowledged_at IS NULL
 GROUP BY 1, 2, 4;
COMMENT ON VIEW credit.monthly_statistics IS '月度统计 (statistics per department and month: records by category, 双公示 on time and late, collection batches and their rows, list entries by kind and state, checks by matter and feedback by action, commitments by kind and state, objections and repairs filed and overdue, reports issued, exchange acknowledgements pending; each role counts what its row security lets it read)';
COMMENT ON COLUMN credit.monthly_statistics.department_id IS '部门 (the department of the rows counted; for reports the asking department)';
COMMENT ON COLUMN credit.monthly_statistics.month IS '月份 (first day of the month, legal date)';
COMMENT ON COLUMN credit.monthly_statistics.domain IS '统计项 (记录, 双公示, 归集批次, 名单, 核查, 核查反馈, 信用承诺, 异议, 信用修复, 信用报告, 交换回执)';
COMMENT ON COLUMN credit.monthly_statistics.dimension IS '维度 (category, state, kind, matter or action counted)';
COMMENT ON COLUMN credit.monthly_statistics.value IS '数量 (count)';
