-- credit--0.1.sql, part 55: layer 5, who sees and moves what in the
-- workflows (row security on the workflow tables, FORCEd like layer 4), the
-- privileges the register functions grant, and the overdue views.

ALTER TABLE credit.machine ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.machine FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_state FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_transition FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_deadline ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.machine_deadline FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.rule_set ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.rule_set FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.rule_set_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.rule_set_period FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.sync_target ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.sync_target FORCE ROW LEVEL SECURITY;

-- Reference data of the workflows: read by all, kept by the centre.
DO $ref$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['machine', 'machine_state', 'machine_transition', 'machine_deadline',
                             'rule_set', 'rule_set_period', 'sync_target'] LOOP
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR SELECT USING (true)', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_centre_parties '
                       'USING ((SELECT credit.current_party_kind()) = ''信用中心'') '
                       'WITH CHECK ((SELECT credit.current_party_kind()) = ''信用中心'')', t || '_centre', t);
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_read', t,
                       '所有登记角色可读 (every registered role reads it)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_centre', t,
                       '信用中心维护 (the centre maintains it)');
    END LOOP;
END
$ref$;

-- ------------------------------------------------------------------
-- Events: the centre reads all; every role its own; a department those of
-- objections and repairs about its records; the subject (through the portal)
-- those of its objections and repairs.  Written only by the guard, during
-- a transition of that machine, as the role making it.
-- ------------------------------------------------------------------
ALTER TABLE credit.workflow_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.workflow_event FORCE ROW LEVEL SECURITY;
CREATE POLICY workflow_event_centre ON credit.workflow_event FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY workflow_event_own ON credit.workflow_event FOR SELECT
    USING (party = current_user::regrole);
CREATE POLICY workflow_event_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING ((machine = 'objection' AND EXISTS (SELECT FROM credit.objection o WHERE o.objection_id = workflow_event.object_id
                                               AND o.department_id = (SELECT credit.current_department_id())))
           OR (machine = 'repair' AND EXISTS (SELECT FROM credit.repair p WHERE p.repair_id = workflow_event.object_id
                                               AND p.department_id = (SELECT credit.current_department_id()))));
CREATE POLICY workflow_event_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING ((machine = 'objection' AND EXISTS (SELECT FROM credit.objection o WHERE o.objection_id = workflow_event.object_id
                                               AND o.subject_id = (SELECT credit.acting_subject())))
           OR (machine = 'repair' AND EXISTS (SELECT FROM credit.repair p WHERE p.repair_id = workflow_event.object_id
                                               AND p.subject_id = (SELECT credit.acting_subject()))));
CREATE POLICY workflow_event_insert ON credit.workflow_event FOR INSERT
    WITH CHECK (party = current_user::regrole AND credit.in_transition(machine, to_state));
COMMENT ON POLICY workflow_event_centre ON credit.workflow_event IS '信用中心 (the centre reads every event)';
COMMENT ON POLICY workflow_event_own ON credit.workflow_event IS '自己的操作 (a role reads the events it made)';
COMMENT ON POLICY workflow_event_department ON credit.workflow_event IS '本部门记录的异议和修复 (a department reads the events of objections and repairs about its records)';
COMMENT ON POLICY workflow_event_acting ON credit.workflow_event IS '主体经信用网站查看自己的异议和修复 (the subject, through the portal, reads the events of its objections and repairs)';
COMMENT ON POLICY workflow_event_insert ON credit.workflow_event IS '只在状态转换中由守卫写入 (written by the guard during a transition of that machine, as the role making it)';

-- ------------------------------------------------------------------
-- Objections and repairs: the centre everything; the subject (through the
-- portal) files, reads and withdraws its own; the providing department reads
-- and decides those about its records.
-- ------------------------------------------------------------------
DO $apps$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['objection', 'repair'] LOOP
        EXECUTE format('ALTER TABLE credit.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE credit.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_centre_parties '
                       'USING ((SELECT credit.current_party_kind()) = ''信用中心'') '
                       'WITH CHECK ((SELECT credit.current_party_kind()) = ''信用中心'')', t || '_centre', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_portal_parties '
                       'USING (subject_id = (SELECT credit.acting_subject())) '
                       'WITH CHECK (subject_id = (SELECT credit.acting_subject()))', t || '_acting', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR SELECT TO credit_department_parties '
                       'USING (department_id = (SELECT credit.current_department_id()))', t || '_department', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR UPDATE TO credit_department_parties '
                       'USING (department_id = (SELECT credit.current_department_id())) '
                       'WITH CHECK (department_id = (SELECT credit.current_department_id()))', t || '_department_update', t);
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_centre', t, '信用中心 (the centre: everything)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_acting', t,
                       '主体经信用网站提交、查看、撤回 (the subject, through the portal acting for it, files, reads and withdraws its own)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_department', t,
                       '提供/认定部门查看 (the department whose record it is reads it)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_department_update', t,
                       '提供/认定部门办理 (the department whose record it is moves it, as the machine allows)');
    END LOOP;
END
$apps$;

ALTER TABLE credit.commitment ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.commitment FORCE ROW LEVEL SECURITY;
CREATE POLICY commitment_centre ON credit.commitment FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY commitment_acting ON credit.commitment FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY commitment_department ON credit.commitment FOR ALL TO credit_department_parties
    USING (EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                    AND p.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                         AND p.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY commitment_centre ON credit.commitment IS '信用中心 (the centre: everything)';
COMMENT ON POLICY commitment_acting ON credit.commitment IS '主体经信用网站查看自己的承诺 (the subject, through the portal)';
COMMENT ON POLICY commitment_department ON credit.commitment IS '认定部门查看并记录违诺 (the department deciding the repair reads it and records a breach)';

ALTER TABLE credit.sync_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.sync_event FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_event_centre ON credit.sync_event FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY sync_event_department ON credit.sync_event FOR ALL TO credit_department_parties
    USING (EXISTS (SELECT FROM credit.sync_target t WHERE t.target = sync_event.target
                    AND t.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (EXISTS (SELECT FROM credit.sync_target t WHERE t.target = sync_event.target
                         AND t.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY sync_event_centre ON credit.sync_event IS '信用中心 (the centre: everything, and acknowledges for upper platforms)';
COMMENT ON POLICY sync_event_department ON credit.sync_event IS '部门确认自己的同步事件 (a department reads and acknowledges its own events)';

-- ------------------------------------------------------------------
-- Overdue: what is late, by machine and department, and by how much
-- ------------------------------------------------------------------
CREATE VIEW credit.workflow_overdue WITH (security_invoker = true) AS
SELECT 'objection'::text AS machine, o.objection_id AS object_id, o.department_id, o.state,
       'deadline'::text AS deadline_kind, o.deadline,
       credit.working_days_between(o.deadline, current_date) AS working_days_late
  FROM credit.objection o
 WHERE o.state IN ('已受理', '部门核查') AND o.deadline < current_date
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'deadline', p.deadline,
       credit.working_days_between(p.deadline, current_date)
  FROM credit.repair p
 WHERE p.state = '已受理' AND p.deadline < current_date
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'feedback_deadline', p.feedback_deadline,
       credit.working_days_between(p.feedback_deadline, current_date)
  FROM credit.repair p
 WHERE p.state IN ('已申请', '已受理') AND p.feedback_deadline < current_date
UNION ALL
SELECT 'list_entry', e.entry_id, e.department_id, e.state, 'deletion_due', e.deletion_due,
       credit.working_days_between(e.deletion_due, current_date)
  FROM credit.list_entry e
 WHERE e.state = '列入中' AND e.deletion_due < current_date;
COMMENT ON VIEW credit.workflow_overdue IS '逾期事项 (what is late: open objections and repairs past their deadlines, list entries still 列入中 past their deletion date; working days late; rows as the caller may see)';
COMMENT ON COLUMN credit.workflow_overdue.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue.object_id IS '对象编号 (objection_id, repair_id or entry_id)';
COMMENT ON COLUMN credit.workflow_overdue.department_id IS '部门 (the department responsible)';
COMMENT ON COLUMN credit.workflow_overdue.state IS '状态 (current state)';
COMMENT ON COLUMN credit.workflow_overdue.deadline_kind IS '时限类别 (deadline, feedback_deadline or deletion_due)';
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

-- ------------------------------------------------------------------
-- Privileges, granted by the register_*_role functions (40_disclosure.sql)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.grant_workflows(r regrole, kind credit.party_kind) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format('GRANT SELECT ON credit.machine, credit.machine_state, credit.machine_transition, '
                   'credit.machine_deadline, credit.rule_set, credit.rule_set_period, credit.sync_target TO %s', r);
    IF kind = '授权机构' THEN
        RETURN;
    END IF;
    -- every transition writes its event as the role making it
    EXECUTE format('GRANT SELECT, INSERT ON credit.workflow_event TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.objection, credit.repair, credit.commitment TO %s', r);
    EXECUTE format('GRANT UPDATE (state) ON credit.objection, credit.repair TO %s', r);
    IF kind IN ('信用中心', '信用网站') THEN
        EXECUTE format('GRANT INSERT (record_id, grounds, claim, materials) ON credit.objection TO %s', r);
        EXECUTE format('GRANT INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair TO %s', r);
    END IF;
    IF kind IN ('信用中心', '部门') THEN
        EXECUTE format('GRANT UPDATE (state) ON credit.list_entry TO %s', r);
        EXECUTE format('GRANT UPDATE (performance, broken_at, broken_reason) ON credit.commitment TO %s', r);
        EXECUTE format('GRANT SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event TO %s', r);
        EXECUTE format('GRANT SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department TO %s', r);
    END IF;
    IF kind = '信用中心' THEN
        EXECUTE format('GRANT UPDATE (publicity_state) ON credit.record TO %s', r);
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON credit.machine_transition, credit.machine_deadline, '
                       'credit.rule_set, credit.rule_set_period, credit.sync_target TO %s', r);
    END IF;
END
$$;
COMMENT ON FUNCTION credit.grant_workflows(regrole, credit.party_kind) IS '流程授权 (the workflow privileges of a kind of party; called by the register_*_role functions)';
REVOKE EXECUTE ON FUNCTION credit.grant_workflows(regrole, credit.party_kind) FROM PUBLIC;
