-- The install script, part 52: layer 5, objections (异议), docs/sources.md §5.
-- Filed by the subject (the portal acting for it) or by the centre against
-- one record; at most one open objection per record; accepted or refused
-- (不予受理, listing every missing item) by the centre; verified by the
-- centre (3 working days) or the providing department (7 working days from
-- acceptance); one outcome, which acts on the record and its lists.  From
-- acceptance until the outcome the record carries 异议处理中.  An objection
-- may also name a list entry (its listing itself is disputed) or an
-- evaluation grade (63_evaluation.sql: result_id, decided 更正, 删除 or 维持).

CREATE TABLE credit.objection (
    objection_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint REFERENCES credit.record,
    lineage_id     bigint,
    entry_id       bigint REFERENCES credit.list_entry,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    department_id  integer REFERENCES credit.department,
    grounds        text NOT NULL CHECK (grounds IN ('信息错误', '信息遗漏', '信息重复', '不应公开', '超期公开',
                                                    '与认定机关不一致', '其他')),
    claim          text NOT NULL CHECK (btrim(claim) <> ''),
    materials      text[] NOT NULL DEFAULT '{}',
    filed_by       regrole NOT NULL DEFAULT current_user::regrole,
    filed_at       timestamptz NOT NULL DEFAULT now(),
    -- the machine's columns
    state          text NOT NULL DEFAULT '已提交',
    state_reason   text,
    state_since    timestamptz NOT NULL DEFAULT now(),
    deadline       date,
    missing_items  text[],
    outcome        text CHECK (outcome IN ('更正', '补充', '删除', '停止公开', '移出名单', '维持')),
    outcome_details jsonb,
    outcome_details_public jsonb GENERATED ALWAYS AS (credit.mask_details(outcome_details)) STORED,
    -- (its foreign key to credit.eval_result: 63_evaluation.sql)
    result_id      bigint,
    CHECK (state <> '不予受理' OR cardinality(missing_items) > 0),
    CHECK ((state = '已办结') = (outcome IS NOT NULL)),
    CONSTRAINT objection_target CHECK (num_nonnulls(record_id, entry_id, result_id) = 1 AND (record_id IS NULL) = (lineage_id IS NULL)),
    CONSTRAINT objection_department CHECK (department_id IS NOT NULL OR result_id IS NOT NULL)
);
CREATE UNIQUE INDEX objection_one_open ON credit.objection (lineage_id) WHERE state IN ('已提交', '已受理', '部门核查');
CREATE UNIQUE INDEX objection_one_open_entry ON credit.objection (entry_id) WHERE state IN ('已提交', '已受理', '部门核查');
CREATE UNIQUE INDEX objection_one_open_result ON credit.objection (result_id) WHERE state IN ('已提交', '已受理', '部门核查');
CREATE INDEX objection_subject ON credit.objection (subject_id);
CREATE INDEX objection_department ON credit.objection (department_id) WHERE state IN ('已提交', '已受理', '部门核查');
COMMENT ON TABLE credit.objection IS '异议 (objections against a record: filed by the subject through the portal or by the centre; at most one open per record)';
COMMENT ON COLUMN credit.objection.objection_id IS '异议编号 (internal id)';
COMMENT ON COLUMN credit.objection.record_id IS '异议记录 (the record objected to; NULL for an objection to a list entry)';
COMMENT ON COLUMN credit.objection.entry_id IS '异议名单条目 (the list entry objected to; NULL for an objection to a record)';
COMMENT ON COLUMN credit.objection.result_id IS '异议评价结果 (the evaluation grade objected to, credit.eval_result; NULL for an objection to a record or a list entry)';
COMMENT ON CONSTRAINT objection_target ON credit.objection IS '异议对象 (an objection names one record (with its lineage), one list entry or one evaluation grade)';
COMMENT ON CONSTRAINT objection_department ON credit.objection IS '核查部门 (an objection to a record or an entry has its providing department; one to a grade of the centre''s own scheme has none)';
COMMENT ON COLUMN credit.objection.lineage_id IS '记录谱系 (the lineage of the record: the objection follows the record across corrections; its outcome acts on the newest version)';
COMMENT ON COLUMN credit.objection.subject_id IS '主体 (the record''s subject)';
COMMENT ON COLUMN credit.objection.department_id IS '提供部门 (the record''s providing department, which verifies when asked; for a grade, the department of its scheme, NULL for the centre''s own)';
COMMENT ON COLUMN credit.objection.grounds IS '异议理由 (grounds: 信息错误, 信息遗漏, 信息重复, 不应公开, 超期公开, 与认定机关不一致, 其他)';
COMMENT ON COLUMN credit.objection.claim IS '异议内容 (what the applicant says is wrong and asks for)';
COMMENT ON COLUMN credit.objection.materials IS '证明材料 (materials handed in)';
COMMENT ON COLUMN credit.objection.filed_by IS '提交角色 (the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.objection.filed_at IS '提交时间 (filed at)';
COMMENT ON COLUMN credit.objection.state IS '状态 (已提交, 已受理, 部门核查, 已办结, 不予受理, 已撤回; changes only through credit.transition)';
COMMENT ON COLUMN credit.objection.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.objection.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.objection.deadline IS '办理时限 (accept or refuse by: 3 working days after filing; decide by: 3 working days after acceptance, 7 when the providing department verifies)';
COMMENT ON COLUMN credit.objection.missing_items IS '缺少材料 (for 不予受理: every missing item)';
COMMENT ON COLUMN credit.objection.outcome IS '处理结果 (更正, 补充, 删除, 停止公开, 移出名单, 维持)';
COMMENT ON COLUMN credit.objection.outcome_details IS '结果详情 (for 更正/补充: the corrected fields; for 移出名单: the entries)';
COMMENT ON COLUMN credit.objection.outcome_details_public IS '脱敏结果详情 (the outcome details with personal data masked, credit.mask_details: what the portal reads)';

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('objection', '异议', 'credit.objection', 'objection_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,deadline,missing_items,outcome,outcome_details,record_id,lineage_id,entry_id,subject_id,department_id,filed_at,filed_by,result_id}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('objection', '已提交', true, false, 'filed, waiting for acceptance'),
    ('objection', '已受理', false, false, 'accepted; the centre verifies (the record shows 异议处理中)'),
    ('objection', '部门核查', false, false, 'passed to the providing department to verify'),
    ('objection', '已办结', false, true, 'decided, with its outcome applied'),
    ('objection', '不予受理', false, true, 'not accepted: items missing'),
    ('objection', '已撤回', false, true, 'withdrawn by the applicant');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('objection', '已提交', '已受理', '受理', '{信用中心}', false, false),
    ('objection', '已提交', '不予受理', '不予受理', '{信用中心}', false, true),
    ('objection', '已提交', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('objection', '已受理', '部门核查', '转提供部门核查', '{信用中心}', false, false),
    ('objection', '已受理', '已办结', '办结', '{信用中心}', false, true),
    ('objection', '已受理', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('objection', '部门核查', '已办结', '办结', '{部门,信用中心}', false, true),
    ('objection', '部门核查', '已撤回', '撤回', '{信用网站,信用中心}', false, false);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, source) VALUES
    ('objection', '已提交', 'deadline', 3, NULL, '山东省社会信用条例(2020) 第三十九条: 自收到异议申请之日起 3 个工作日 (未受理的异议也计时)'),
    ('objection', '已受理', 'deadline', 3, NULL, '山东省社会信用条例(2020) 第三十九条: 信用中心可核实的 3 个工作日'),
    ('objection', '部门核查', 'deadline', 7, '已受理', '山东省社会信用条例(2020) 第三十九条: 需提供单位核实的 7 个工作日');

-- What the portal, acting for a subject, may name when it files an
-- objection or a repair application: the subject's own records in force
-- (有效, at any disclosure level: the decision was served on the subject,
-- who knows its number) and its own list entries 列入中.  Anything else —
-- another subject's record or entry, a withdrawn or corrected version, a
-- removed or expired entry, an id that does not exist — gets this one
-- answer, checked before anything is locked or compared, so the portal
-- learns nothing about it.  The centre (not acting) names any that exists.
CREATE FUNCTION credit.filing_reference(what text, id bigint, subject_id bigint, open boolean) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    acting bigint := credit.acting_subject();
BEGIN
    IF subject_id IS NULL
       OR (acting IS NOT NULL AND (subject_id OPERATOR(pg_catalog.<>) acting OR open IS NOT TRUE)) THEN
        RAISE EXCEPTION '%', pg_catalog.format('%s %s is not %s of the subject you act for', what, id,
                                               CASE what WHEN 'record' THEN 'a record' WHEN 'grade' THEN 'a grade' ELSE 'an entry' END)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.filing_reference(text, bigint, bigint, boolean) IS '申请可指向的对象 (what a filing may name: the portal acting for a subject, that subject''s records in force, entries 列入中 and grades it was told of; the centre, any that exists; anything else raises 42501 "… is not a record of the subject you act for", the same for a hidden and a missing one)';

-- On filing: the subject and the department come from the record, or,
-- for an objection to a list entry (its listing itself is disputed), from
-- the entry.  Only a record in force, or an entry still on its list, can be
-- objected to; at most one open objection per record lineage or entry.
CREATE FUNCTION credit.objection_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    noun text := CASE WHEN NEW.entry_id IS NOT NULL THEN 'list entry' WHEN NEW.result_id IS NOT NULL THEN 'grade' ELSE 'record' END;
    target bigint := coalesce(NEW.record_id, NEW.entry_id, NEW.result_id);
    open_id bigint;
BEGIN
    IF num_nonnulls(NEW.record_id, NEW.entry_id, NEW.result_id) <> 1 THEN
        RAISE EXCEPTION 'an objection names one record, one list entry or one grade'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give record_id for an objection to a record, entry_id for one to a list entry, result_id for one to an evaluation grade.';
    END IF;
    -- what the filing may name (credit.filing_reference), before any lock
    IF NEW.result_id IS NOT NULL THEN
        -- a grade the subject was told of, or published (not one revoked)
        SELECT g.subject_id, g.state IN ('已告知', '已公布') AS open_to_objection
          INTO t FROM credit.eval_result g WHERE g.result_id = NEW.result_id;
    ELSIF NEW.entry_id IS NULL THEN
        SELECT rec.subject_id, rec.state = '有效' AS open_to_objection
          INTO t FROM credit.record rec WHERE rec.record_id = NEW.record_id;
    ELSE
        SELECT e.subject_id, e.state IN ('列入中', '应移出') AS open_to_objection
          INTO t FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id;
    END IF;
    PERFORM credit.filing_reference(noun, target, t.subject_id, t.open_to_objection);
    -- locked: a withdrawal or correction of the record (a removal of the
    -- entry) waits for this filing, and a filing waits for them (then sees
    -- the record withdrawn)
    IF NEW.result_id IS NOT NULL THEN
        SELECT g.subject_id, s.department_id, g.state, NULL::bigint AS lineage_id,
               g.state IN ('已告知', '已公布') AS open_to_objection
          INTO t FROM credit.eval_result g JOIN credit.eval_scheme s ON s.scheme = g.scheme
         WHERE g.result_id = NEW.result_id FOR SHARE OF g;
    ELSIF NEW.entry_id IS NULL THEN
        SELECT rec.subject_id, rec.department_id, rec.state::text AS state, rec.lineage_id,
               rec.state = '有效' AS open_to_objection
          INTO t FROM credit.record rec WHERE rec.record_id = NEW.record_id FOR SHARE;
    ELSE
        SELECT e.subject_id, e.department_id, e.state, NULL::bigint AS lineage_id,
               e.state IN ('列入中', '应移出') AS open_to_objection
          INTO t FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id FOR SHARE;
    END IF;
    PERFORM credit.filing_reference(noun, target, t.subject_id, t.open_to_objection);
    IF NOT t.open_to_objection THEN
        RAISE EXCEPTION '% % is % and cannot be objected to', noun, target, t.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = CASE WHEN NEW.result_id IS NOT NULL THEN 'A grade can be objected to once the subject is told of it, until it is revoked.'
                              WHEN NEW.entry_id IS NULL THEN 'Object to the record that replaced it, if any.'
                              ELSE 'Only an entry still on its list can be objected to.' END;
    END IF;
    SELECT o.objection_id INTO open_id FROM credit.objection o
     WHERE (o.lineage_id = t.lineage_id OR o.entry_id = NEW.entry_id OR o.result_id = NEW.result_id)
       AND o.state IN ('已提交', '已受理', '部门核查');
    IF FOUND THEN
        RAISE EXCEPTION '% % already has an open objection %', noun, target, open_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = pg_catalog.format('A %s has at most one open objection at a time.', noun),
                  HINT = 'Wait for its outcome, or withdraw it first.';
    END IF;
    NEW.lineage_id := t.lineage_id;
    NEW.subject_id := t.subject_id;
    NEW.department_id := t.department_id;
    NEW.filed_at := now();
    NEW.missing_items := NULL;
    NEW.outcome := NULL;
    NEW.outcome_details := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.objection_before_insert() IS '触发器: 异议提交 (trigger: the subject and the providing or deciding department come from the record, the list entry or the grade (its scheme''s department) objected to; only a record in force, an entry on its list, or a grade told or published can be objected to; one open objection per record lineage, entry or grade)';

-- Who files (objections and repair applications), checked with the
-- caller's rights before the SECURITY DEFINER trigger reads anything: the
-- portal only while it acts for a subject; filed_by is the inserting role.
CREATE FUNCTION credit.filing_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.current_party_kind() = '信用网站' AND credit.acting_subject() IS NULL THEN
        RAISE EXCEPTION 'the portal files for a subject only while it acts for it'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Call credit.act_for_subject(subject_id) in the same transaction first.';
    END IF;
    NEW.filed_by := current_user::regrole;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.filing_access() IS '触发器: 提交人检查 (trigger, caller''s rights, fires first: the portal files only while acting for a subject; filed_by is the inserting role, whatever the row says)';

-- Outcome data comes with the transition to 已办结 / 不予受理.
CREATE FUNCTION credit.objection_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    bad text;
BEGIN
    IF req.machine IS DISTINCT FROM 'objection' OR NEW.state IS NOT DISTINCT FROM OLD.state THEN
        RETURN NEW;
    END IF;
    IF NEW.state = '不予受理' THEN
        SELECT array_agg(x) INTO NEW.missing_items FROM jsonb_array_elements_text(req.details -> 'missing') AS x
         WHERE btrim(x) <> '';
        IF coalesce(cardinality(NEW.missing_items), 0) = 0 THEN
            RAISE EXCEPTION 'refusing objection % (不予受理) needs every missing item', OLD.objection_id
                USING ERRCODE = 'not_null_violation',
                      HINT = 'Pass details => jsonb_build_object(''missing'', jsonb_build_array(''身份证明'', ...)).';
        END IF;
    ELSIF NEW.state = '已办结' THEN
        NEW.outcome := req.details ->> 'outcome';
        IF NEW.outcome IS NULL OR NEW.outcome NOT IN ('更正', '补充', '删除', '停止公开', '移出名单', '维持') THEN
            RAISE EXCEPTION 'invalid outcome of objection %: "%"', OLD.objection_id, coalesce(NEW.outcome, '')
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The outcome is one of 更正, 补充, 删除, 停止公开, 移出名单, 维持.',
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''维持'').';
        END IF;
        IF OLD.result_id IS NOT NULL AND NEW.outcome NOT IN ('更正', '删除', '维持') THEN
            RAISE EXCEPTION 'outcome % does not apply to objection %, about grade %', NEW.outcome, OLD.objection_id, OLD.result_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'An objection to a grade is decided 更正 (the grade corrected), 删除 (the grade revoked) or 维持.',
                      HINT = 'Nothing was changed; pass details => jsonb_build_object(''outcome'', ''更正'', ''changes'', jsonb_build_object(''grade'', ''B'')).';
        END IF;
        IF OLD.entry_id IS NOT NULL AND NEW.outcome NOT IN ('移出名单', '维持') THEN
            RAISE EXCEPTION 'outcome % does not apply to objection %, about list entry %', NEW.outcome, OLD.objection_id, OLD.entry_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'An objection to a list entry is decided 移出名单 or 维持; what a listing says never changes.',
                      HINT = 'Nothing was changed; object to the record the listing is based on to correct or withdraw it.';
        END IF;
        -- the details of each outcome: no other key, each of its type
        SELECT k INTO bad FROM jsonb_object_keys(req.details) AS k
         WHERE k <> 'outcome' AND k <> ALL (CASE WHEN NEW.outcome IN ('更正', '补充') THEN ARRAY['changes']
                                                 WHEN NEW.outcome = '移出名单' AND OLD.entry_id IS NULL THEN ARRAY['entries']
                                                 ELSE '{}'::text[] END)
         ORDER BY k LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'unknown key "%" in the details of outcome % of objection %', bad, NEW.outcome, OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('The outcome %s takes %s.', NEW.outcome,
                                      CASE WHEN NEW.outcome IN ('更正', '补充') THEN '"outcome" and "changes"'
                                           WHEN NEW.outcome = '移出名单' AND OLD.entry_id IS NULL THEN '"outcome" and, optionally, "entries"'
                                           ELSE 'only "outcome"' END),
                      HINT = 'Nothing was changed; correct the key and decide again.';
        END IF;
        IF NEW.outcome = '移出名单' AND req.details ? 'entries'
           AND (jsonb_typeof(req.details -> 'entries') IS DISTINCT FROM 'array'
                OR jsonb_array_length(req.details -> 'entries') = 0
                OR EXISTS (SELECT FROM jsonb_array_elements(req.details -> 'entries') AS x
                            WHERE jsonb_typeof(x) <> 'number' OR x::text !~ '^[0-9]+$')) THEN
            RAISE EXCEPTION 'the "entries" of outcome 移出名单 of objection % are not a list of entry ids', OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('Given: %s.', req.details -> 'entries'),
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''移出名单'', ''entries'', jsonb_build_array(<entry_id>, ...)).';
        END IF;
        IF OLD.result_id IS NOT NULL AND NEW.outcome = '更正'
           AND (CASE WHEN jsonb_typeof(req.details -> 'changes') IS DISTINCT FROM 'object' THEN true
                     ELSE (SELECT array_agg(k) FROM jsonb_object_keys(req.details -> 'changes') AS k) <> ARRAY['grade']
                          OR jsonb_typeof(req.details -> 'changes' -> 'grade') IS DISTINCT FROM 'string' END) THEN
            RAISE EXCEPTION 'the outcome 更正 of objection % names the corrected grade, and nothing else', OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''更正'', ''changes'', jsonb_build_object(''grade'', ''B'')).';
        END IF;
        IF NEW.outcome IN ('更正', '补充') AND jsonb_typeof(req.details -> 'changes') IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'the outcome % of objection % needs the corrected fields', NEW.outcome, OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''更正'', ''changes'', jsonb_build_object(''violation_facts'', ...)).';
        END IF;
        NEW.outcome_details := req.details - 'outcome';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.objection_rules() IS '触发器: 异议结果 (trigger: 不予受理 needs the list of missing items, 已办结 one of the outcomes, 更正/补充 the corrected fields (for a grade: 更正 the grade, 删除 or 维持 only); all from the transition''s details)';

-- Effects on the record and its lists, in the same transaction.  They act
-- on the newest version of the record (credit.current_record: a
-- correction made meanwhile is followed).  移出名单 removes only entries
-- based on the record (any version of it), and only those the decider may
-- remove: the centre any, a department those it decided.
CREATE FUNCTION credit.objection_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    why text := pg_catalog.format('异议 %s: %s', NEW.objection_id, coalesce(NEW.state_reason, NEW.state));
    cur bigint := credit.current_record(NEW.record_id);
    entries bigint[];
    named bigint[];
    outside bigint[];
    decider record;
BEGIN
    IF NEW.state = '已受理' THEN
        UPDATE credit.record SET dispute_mark = '异议处理中' WHERE record_id = cur AND state = '有效';
        UPDATE credit.list_entry SET dispute_mark = '异议处理中' WHERE entry_id = NEW.entry_id;
        RETURN NULL;
    END IF;
    IF OLD.state IN ('已受理', '部门核查') AND NEW.state IN ('已办结', '已撤回') THEN
        UPDATE credit.record SET dispute_mark = NULL WHERE record_id = cur AND dispute_mark IS NOT NULL;
        UPDATE credit.list_entry SET dispute_mark = NULL WHERE entry_id = NEW.entry_id AND dispute_mark IS NOT NULL;
    END IF;
    IF NEW.state <> '已办结' THEN
        RETURN NULL;
    END IF;
    IF NEW.result_id IS NOT NULL THEN
        -- a grade: corrected or revoked by the engine, as the grade machine allows
        IF NEW.outcome = '更正' THEN
            PERFORM credit.transition('eval_result', g.result_id, g.state, why,
                                      pg_catalog.jsonb_build_object('grade', NEW.outcome_details -> 'changes' ->> 'grade',
                                                                    'objection_id', NEW.objection_id))
               FROM credit.eval_result g WHERE g.result_id = NEW.result_id;
        ELSIF NEW.outcome = '删除' THEN
            PERFORM credit.transition('eval_result', NEW.result_id, '已撤销', why,
                                      pg_catalog.jsonb_build_object('objection_id', NEW.objection_id));
        END IF;
        RETURN NULL;
    END IF;
    CASE NEW.outcome
    WHEN '更正', '补充' THEN
        PERFORM credit.correct_record(cur, why, NEW.outcome_details -> 'changes');
    WHEN '删除' THEN
        PERFORM credit.withdraw_record(cur, why);
    WHEN '停止公开' THEN
        -- (a record no longer 公示中, e.g. past its maximum, is not published anyway)
        PERFORM credit.transition('record_publicity', r.record_id, '停止公示', why,
                                  pg_catalog.jsonb_build_object('objection_id', NEW.objection_id))
           FROM credit.record r WHERE r.record_id = cur AND r.publicity_state = '公示中';
    WHEN '移出名单' THEN
        -- who decided: the party of the event the guard has just written
        SELECT e.party, e.party_kind, p.department_id INTO decider
          FROM credit.workflow_event e LEFT JOIN credit.party p ON p.role = e.party
         WHERE e.machine = 'objection' AND e.object_id = NEW.objection_id
         ORDER BY e.event_id DESC LIMIT 1;
        -- the entry objected to, or those based on the record; their basis
        -- locked first (record before entry, credit.lock_basis)
        PERFORM credit.lock_basis(ARRAY(SELECT e.entry_id FROM credit.list_entry e
                                          LEFT JOIN credit.record r ON r.record_id = e.basis_record_id
                                         WHERE e.entry_id = NEW.entry_id OR r.lineage_id = NEW.lineage_id));
        entries := ARRAY(SELECT e.entry_id FROM credit.list_entry e LEFT JOIN credit.record r ON r.record_id = e.basis_record_id
                          WHERE e.state IN ('列入中', '应移出')
                            AND (e.entry_id = NEW.entry_id OR r.lineage_id = NEW.lineage_id)
                          ORDER BY e.entry_id FOR UPDATE OF e);
        IF NEW.outcome_details ? 'entries' THEN
            named := ARRAY(SELECT DISTINCT x::bigint FROM jsonb_array_elements_text(NEW.outcome_details -> 'entries') AS x ORDER BY 1);
            outside := ARRAY(SELECT x FROM unnest(named) AS x WHERE x <> ALL (entries) ORDER BY 1);
            IF cardinality(outside) > 0 THEN
                RAISE EXCEPTION 'objection % cannot remove list entries %: they are not listed on the record under objection',
                                NEW.objection_id, array_to_string(outside, ', ')
                    USING ERRCODE = 'invalid_parameter_value',
                          DETAIL = format('Entries listed on record %s: %s.', NEW.record_id,
                                          coalesce(nullif(array_to_string(entries, ', '), ''), 'none')),
                          HINT = 'An objection to a record removes only the entries based on it; nothing was changed.';
            END IF;
            entries := named;
        END IF;
        IF cardinality(entries) = 0 THEN
            RAISE EXCEPTION 'objection % has no list entry to remove', NEW.objection_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = CASE WHEN NEW.entry_id IS NULL THEN 'The record is the basis of no entry on a list.'
                                  ELSE 'The entry objected to is no longer on its list.' END;
        END IF;
        IF decider.party_kind IS DISTINCT FROM '信用中心' THEN
            outside := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                              WHERE e.entry_id = ANY (entries) AND e.department_id IS DISTINCT FROM decider.department_id
                              ORDER BY 1);
            IF cardinality(outside) > 0 THEN
                RAISE EXCEPTION 'objection % cannot remove list entries % of another department', NEW.objection_id,
                                array_to_string(outside, ', ')
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = format('%s may remove only the entries it decided; the centre may remove any.', decider.party),
                          HINT = 'Let the centre decide the objection, or the entries'' deciding department remove them; nothing was changed.';
            END IF;
        END IF;
        PERFORM credit.transition('list_entry', entries, '已移出', why,
                                  pg_catalog.jsonb_build_object('objection_id', NEW.objection_id,
                                                                'decided_by', decider.party::text,
                                                                'decider_kind', decider.party_kind));
    ELSE
        NULL;   -- 维持: only the mark goes
    END CASE;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.objection_effects() IS '触发器: 异议的效果 (trigger: for a grade, 更正 sets the corrected grade and 删除 revokes it (the grade machine''s 更正 and 已撤销); acceptance marks the record 异议处理中; the outcome removes the mark and acts on the newest version of the record: 更正/补充 a new version, 删除 withdrawal, 停止公开 ends publicity, 移出名单 removes the entries based on the record that the decider may remove (the centre any, a department its own; others are an error that changes nothing), 维持 nothing else)';

-- The mark 异议处理中 on a record or a list entry is set and removed by the
-- objection machine only: triggers record_guard (31_record.sql) and
-- list_entry_dispute_guard (32_list_entry.sql), credit.dispute_mark_guard().

-- names order the triggers: objection_access, objection_before_insert,
-- objection_machine (the guard), objection_rules
CREATE TRIGGER objection_access BEFORE INSERT ON credit.objection
    FOR EACH ROW WHEN (NOT credit.restoring('credit.objection')) EXECUTE FUNCTION credit.filing_access();
CREATE TRIGGER objection_before_insert BEFORE INSERT ON credit.objection
    FOR EACH ROW WHEN (NOT credit.restoring('credit.objection')) EXECUTE FUNCTION credit.objection_before_insert();
CREATE TRIGGER objection_machine BEFORE INSERT OR UPDATE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('objection');
CREATE TRIGGER objection_rules BEFORE UPDATE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.objection_rules();
CREATE TRIGGER objection_effects AFTER UPDATE OF state ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.objection_effects();
CREATE TRIGGER objection_no_delete BEFORE DELETE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('objections', 'Withdraw it with credit.transition(''objection'', objection_id, ''已撤回'').', '');
CREATE TRIGGER objection_no_truncate BEFORE TRUNCATE ON credit.objection
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

SELECT pg_catalog.pg_extension_config_dump('credit.objection', '');

-- One call for the portal (or the centre) to file an objection: the portal
-- acts for the subject (credit.act_for_subject, for the rest of the
-- transaction) and inserts the row, as the calling role, so every rule of
-- a filing applies; returns the objection's id.
CREATE FUNCTION credit.file_objection(subject_id bigint, record_id bigint, grounds text, claim text,
                                      materials text[] DEFAULT '{}') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
    filed_for bigint;
BEGIN
    IF credit.current_party_kind() OPERATOR(pg_catalog.=) '信用网站' THEN
        PERFORM credit.act_for_subject(file_objection.subject_id);
    END IF;
    INSERT INTO credit.objection (record_id, grounds, claim, materials)
    VALUES (file_objection.record_id, file_objection.grounds, file_objection.claim, coalesce(file_objection.materials, '{}'))
    RETURNING objection.objection_id, objection.subject_id INTO id, filed_for;
    IF filed_for IS DISTINCT FROM file_objection.subject_id THEN
        RAISE EXCEPTION 'record % is not a record of subject %', file_objection.record_id, file_objection.subject_id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Name the subject the record is about; nothing was filed.';
    END IF;
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.file_objection(bigint, bigint, text, text, text[]) IS '提交异议 (file an objection in one call: the portal acts for the subject for the rest of the transaction, then the row is inserted as the calling role, every rule of a filing applying; returns the objection_id)';
