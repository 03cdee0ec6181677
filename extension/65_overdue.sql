-- The install script, part 65: layers 5 and 6, what is overdue: open objections
-- (accepted or not) and repairs past their deadlines, records still in
-- force past the withdrawal their revoked decision calls for, list entries past
-- their deletion date or, when due for removal (应移出), past its deadline,
-- commitments past their planned check, check or liability deadline,
-- negative grades told whose notice period is over, not yet published.
-- Row security of the tables read applies (security_invoker); privileges:
-- 91_privileges.sql.

-- ------------------------------------------------------------------
-- Overdue: what is late, by machine and department, and by how much
-- ------------------------------------------------------------------
CREATE VIEW credit.workflow_overdue WITH (security_invoker = true) AS
SELECT 'objection'::text AS machine, o.objection_id AS object_id, o.department_id, o.state,
       'deadline'::text AS deadline_kind, o.deadline,
       credit.working_days_between(o.deadline, credit.legal_date()) AS working_days_late
  FROM credit.objection o
 WHERE o.state IN ('已提交', '已受理', '部门核查') AND o.deadline < credit.legal_date()
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'deadline', p.deadline,
       credit.working_days_between(p.deadline, credit.legal_date())
  FROM credit.repair p
 WHERE p.state = '已受理' AND p.deadline < credit.legal_date()
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'feedback_deadline', p.feedback_deadline,
       credit.working_days_between(p.feedback_deadline, credit.legal_date())
  FROM credit.repair p
 WHERE p.state IN ('已申请', '已受理') AND p.feedback_deadline < credit.legal_date()
UNION ALL
SELECT 'record', r.record_id, r.department_id, r.state::text, 'withdrawal_due', r.withdrawal_due,
       credit.working_days_between(r.withdrawal_due, credit.legal_date())
  FROM credit.record r
 WHERE r.state = '有效' AND r.withdrawal_due IS NOT NULL AND r.withdrawal_due < credit.legal_date()
   -- (a department reads other departments' public and shared records:
   -- it sees only its own late; the centre all)
   AND coalesce(r.department_id = (SELECT credit.current_department_id()), true)
UNION ALL
SELECT 'list_entry', e.entry_id, e.department_id, e.state, 'deletion_due', e.deletion_due,
       credit.working_days_between(e.deletion_due, credit.legal_date())
  FROM credit.list_entry e
 WHERE e.state IN ('列入中', '应移出') AND e.deletion_due < credit.legal_date()
UNION ALL
SELECT 'list_entry', e.entry_id, e.department_id, e.state, 'removal_due', e.removal_due,
       credit.working_days_between(e.removal_due, credit.legal_date())
  FROM credit.list_entry e
 WHERE e.state = '应移出' AND e.removal_due < credit.legal_date()
UNION ALL
-- commitments (64_commitments.sql): the planned check not started, the
-- check not concluded, the liability of a breach not pursued; those of
-- the caller's department (a department reads others' commitments too)
SELECT 'commitment', c.commitment_id, c.department_id, c.state, v.kind, v.due,
       credit.working_days_between(v.due, credit.legal_date())
  FROM credit.commitment c
 CROSS JOIN LATERAL (VALUES ('check_due', CASE WHEN c.state = '已作出' THEN c.check_due END),
                            ('check_deadline', CASE WHEN c.state = '核查中' THEN c.check_deadline END),
                            ('liability_deadline', CASE WHEN c.state IN ('部分履行', '未履行') THEN c.liability_deadline END)) AS v(kind, due)
 WHERE v.due < credit.legal_date()
   AND coalesce(c.department_id = (SELECT credit.current_department_id()), true)
UNION ALL
-- negative grades (63_evaluation.sql) told to the subject whose notice
-- period is over and that are not published yet (the centre's: a
-- department reads no unpublished grade)
SELECT 'eval_result', g.result_id, NULL::integer, g.state, 'objection_until', g.objection_until,
       credit.working_days_between(g.objection_until, credit.legal_date())
  FROM credit.eval_result g
 WHERE g.state = '已告知' AND g.objection_until < credit.legal_date()
UNION ALL
-- credit checks (60_measures.sql) with measures still without feedback past
-- the matter's feedback deadline (credit.matter.feedback_working_days,
-- working days from the check); those of the caller's department (its own
-- checks are all it reads)
SELECT 'credit_check', c.check_id, c.department_id, '待反馈', 'feedback_due', d.due,
       credit.working_days_between(d.due, credit.legal_date())
  FROM credit.credit_check c
  JOIN credit.matter m ON m.matter_code = c.matter_code
 CROSS JOIN LATERAL (SELECT credit.add_working_days(c.checked_on, m.feedback_working_days) AS due) d
 WHERE m.feedback_working_days IS NOT NULL AND jsonb_array_length(c.hits) > 0 AND d.due < credit.legal_date()
   AND EXISTS (SELECT FROM jsonb_array_elements(c.hits) h
                WHERE NOT EXISTS (SELECT FROM credit.check_feedback f
                                   WHERE f.check_id = c.check_id AND f.measure_code = h ->> 'measure'));
COMMENT ON VIEW credit.workflow_overdue IS '逾期事项 (what is late: open objections, accepted or not, and repairs past their deadlines, records in force past their withdrawal deadline (decision revoked), list entries still on the list past their deletion date or past the removal deadline of 应移出, commitments past their check date (check_due), check deadline or liability deadline, negative grades told whose notice period (objection_until) is over and not yet published, credit checks with measures still waiting for feedback past the deadline of their matter (feedback_due); working days late; rows as the caller may see)';
COMMENT ON COLUMN credit.workflow_overdue.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue.object_id IS '对象编号 (objection_id, repair_id, record_id, entry_id, commitment_id, result_id or check_id)';
COMMENT ON COLUMN credit.workflow_overdue.department_id IS '部门 (the department responsible; NULL: the centre)';
COMMENT ON COLUMN credit.workflow_overdue.state IS '状态 (current state)';
COMMENT ON COLUMN credit.workflow_overdue.deadline_kind IS '时限类别 (deadline, feedback_deadline, withdrawal_due, deletion_due, removal_due, check_due, check_deadline, liability_deadline, objection_until or feedback_due)';
COMMENT ON COLUMN credit.workflow_overdue.deadline IS '时限 (the date it was due)';
COMMENT ON COLUMN credit.workflow_overdue.working_days_late IS '逾期工作日 (working days late)';

CREATE VIEW credit.workflow_overdue_by_department WITH (security_invoker = true) AS
SELECT w.machine, w.department_id, d.name AS department, w.deadline_kind, count(*) AS overdue,
       max(w.working_days_late) AS worst_working_days_late
  FROM credit.workflow_overdue w
  LEFT JOIN credit.department d USING (department_id)
 GROUP BY w.machine, w.department_id, d.name, w.deadline_kind;
COMMENT ON VIEW credit.workflow_overdue_by_department IS '部门逾期统计 (overdue items per machine and department, and the worst delay in working days)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.department IS '部门 (department)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.deadline_kind IS '时限类别 (kind of deadline)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.overdue IS '逾期数 (items late)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.worst_working_days_late IS '最长逾期工作日 (most working days late)';
