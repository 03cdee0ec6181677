-- The install script, part 66: layer 6, warning interviews (信用约谈):
-- during the disclosure of a negative record or a listing, the department
-- that provided it holds a 提示约谈 or 警示约谈 with the subject (Shandong
-- §41); a 差/D grade leads to a 警示约谈, recorded, refusals included (885号
-- [S]).  A small machine of its own: 已安排 -> 已约谈 (attended or not, with
-- the outcome) / 已取消.  docs/workflows.md; row security:
-- 90_row_security.sql; privileges: 91_privileges.sql.

CREATE TABLE credit.interview (
    interview_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id      bigint NOT NULL REFERENCES credit.subject,
    department_id   integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    kind            text NOT NULL CHECK (kind IN ('提示约谈', '警示约谈')),
    basis_record_id bigint REFERENCES credit.record,
    basis_entry_id  bigint REFERENCES credit.list_entry,
    basis_result_id bigint REFERENCES credit.eval_result,
    reason          text NOT NULL CHECK (btrim(reason) <> ''),
    scheduled_at    timestamptz NOT NULL,
    place           text CHECK (btrim(place) <> ''),
    scheduled_by    regrole NOT NULL DEFAULT current_user::regrole,
    -- the interview machine
    state           text NOT NULL DEFAULT '已安排',
    state_reason    text,
    state_since     timestamptz NOT NULL DEFAULT now(),
    held_on         date,
    attended        boolean,
    outcome         text CHECK (btrim(outcome) <> ''),
    CHECK (num_nonnulls(basis_record_id, basis_entry_id, basis_result_id) = 1),
    CHECK ((state = '已约谈') = (held_on IS NOT NULL AND attended IS NOT NULL AND outcome IS NOT NULL))
);
CREATE INDEX interview_subject ON credit.interview (subject_id);
CREATE INDEX interview_department ON credit.interview (department_id, scheduled_at);
COMMENT ON TABLE credit.interview IS '信用约谈 (warning interviews a department holds with a subject about a negative record, a listing or a grade: 提示约谈 or 警示约谈, scheduled, held (attended or not, with the outcome) or cancelled)';
COMMENT ON COLUMN credit.interview.interview_id IS '约谈编号 (internal id)';
COMMENT ON COLUMN credit.interview.subject_id IS '约谈对象 (the subject)';
COMMENT ON COLUMN credit.interview.department_id IS '约谈部门 (the department that holds it: the one that provided the record, decided the entry)';
COMMENT ON COLUMN credit.interview.kind IS '约谈类别 (提示约谈 reminder, 警示约谈 warning)';
COMMENT ON COLUMN credit.interview.basis_record_id IS '依据记录 (the negative record it is about; or an entry, or a grade)';
COMMENT ON COLUMN credit.interview.basis_entry_id IS '依据名单条目 (the list entry it is about)';
COMMENT ON COLUMN credit.interview.basis_result_id IS '依据评价结果 (the evaluation grade it is about, e.g. a D: 警示约谈)';
COMMENT ON COLUMN credit.interview.reason IS '约谈事由 (what the interview is about)';
COMMENT ON COLUMN credit.interview.scheduled_at IS '约谈时间 (when it is to be held)';
COMMENT ON COLUMN credit.interview.place IS '约谈地点 (where)';
COMMENT ON COLUMN credit.interview.scheduled_by IS '安排角色 (the role that scheduled it)';
COMMENT ON COLUMN credit.interview.state IS '约谈状态 (state of the interview machine: 已安排, 已约谈, 已取消; changes only through credit.transition)';
COMMENT ON COLUMN credit.interview.state_reason IS '状态原因 (reason of the last transition: why it was cancelled)';
COMMENT ON COLUMN credit.interview.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.interview.held_on IS '约谈日期 (the legal date it was held on)';
COMMENT ON COLUMN credit.interview.attended IS '是否到场 (did the subject attend? false: a refusal, recorded too)';
COMMENT ON COLUMN credit.interview.outcome IS '约谈情况 (the outcome: what was said and agreed, or how the subject refused)';

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('interview', '信用约谈', 'credit.interview', 'interview_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,held_on,attended,outcome}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('interview', '已安排', true, false, 'scheduled: the subject is told when and where'),
    ('interview', '已约谈', false, true, 'held on its day or later: attended or not (a refusal is recorded), with the outcome'),
    ('interview', '已取消', false, true, 'cancelled, with the reason (the basis repaired or withdrawn, for example)');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('interview', '已安排', '已约谈', '约谈', '{部门,信用中心}', false, false),
    ('interview', '已安排', '已取消', '取消约谈', '{部门,信用中心}', false, true);

-- Caller's rights: only a department schedules, about a basis it sees
-- that is its own (a record it provided, an entry it decided) or a grade
-- of the subject it reads; the subject is the basis's; the time is not
-- past.  A hidden basis is refused as a missing one.
CREATE FUNCTION credit.interview_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    basis_subject bigint;
    basis_department integer;
BEGIN
    IF credit.current_department_id() IS NULL THEN
        RAISE EXCEPTION 'only a department schedules an interview'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'The department that provided the record or decided the listing holds the interview.';
    END IF;
    IF NEW.basis_record_id IS NOT NULL THEN
        SELECT r.subject_id, r.department_id INTO basis_subject, basis_department
          FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) NEW.basis_record_id;
    ELSIF NEW.basis_entry_id IS NOT NULL THEN
        SELECT e.subject_id, e.department_id INTO basis_subject, basis_department
          FROM credit.list_entry e WHERE e.entry_id OPERATOR(pg_catalog.=) NEW.basis_entry_id;
    ELSIF NEW.basis_result_id IS NOT NULL THEN
        SELECT g.subject_id, credit.current_department_id() INTO basis_subject, basis_department
          FROM credit.eval_result g WHERE g.result_id OPERATOR(pg_catalog.=) NEW.basis_result_id;
    END IF;
    IF basis_subject IS NULL OR basis_department IS DISTINCT FROM credit.current_department_id() THEN
        RAISE EXCEPTION 'an interview is about a record, entry or grade of your department'
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Give one of basis_record_id (a record you provided), basis_entry_id (an entry you decided) or basis_result_id (a grade you read).';
    END IF;
    IF NEW.subject_id IS DISTINCT FROM basis_subject THEN
        RAISE EXCEPTION 'the interview''s subject is not the subject of its basis'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NEW.scheduled_at IS NULL OR credit.legal_date(NEW.scheduled_at) < credit.legal_date() THEN
        RAISE EXCEPTION 'an interview is scheduled for a day to come, not %',
                        coalesce(pg_catalog.to_char(credit.legal_date(NEW.scheduled_at), 'YYYY-MM-DD'), 'none')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give scheduled_at today or later (the legal date, Beijing).';
    END IF;
    NEW.department_id := credit.current_department_id();
    NEW.scheduled_by := current_user::pg_catalog.regrole;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.interview_before_insert() IS '触发器: 约谈安排 (trigger, caller''s rights: only a department schedules, about a record it provided, an entry it decided or a grade it reads, of that subject, for today or a day to come (the legal date); department and role are the writer''s)';

-- 已约谈: held on the legal date, not before its day, attended or not
-- (details->>'attended'), with the outcome (details->>'outcome').
CREATE FUNCTION credit.interview_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
BEGIN
    IF req.machine IS DISTINCT FROM 'interview' OR NEW.state OPERATOR(pg_catalog.<>) '已约谈' THEN
        RETURN NEW;
    END IF;
    IF credit.legal_date() < credit.legal_date(OLD.scheduled_at) THEN
        RAISE EXCEPTION 'interview % is scheduled for %: it is not held before', OLD.interview_id,
                        pg_catalog.to_char(credit.legal_date(OLD.scheduled_at), 'YYYY-MM-DD')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Cancel it (已取消) and schedule another to hold it earlier.';
    END IF;
    IF req.details IS NULL OR pg_catalog.jsonb_typeof(req.details) OPERATOR(pg_catalog.<>) 'object'
       OR pg_catalog.jsonb_typeof(req.details OPERATOR(pg_catalog.->) 'attended') IS DISTINCT FROM 'boolean'
       OR NULLIF(pg_catalog.btrim(req.details OPERATOR(pg_catalog.->>) 'outcome'), '') IS NULL THEN
        RAISE EXCEPTION 'interview % is held with whether the subject attended and the outcome', OLD.interview_id
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass details => jsonb_build_object(''attended'', true or false, ''outcome'', ''...'') (a refusal to attend is recorded too).';
    END IF;
    NEW.held_on := credit.legal_date();
    NEW.attended := (req.details OPERATOR(pg_catalog.->>) 'attended')::boolean;
    NEW.outcome := pg_catalog.btrim(req.details OPERATOR(pg_catalog.->>) 'outcome');
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.interview_rules() IS '触发器: 约谈的效果 (trigger, after the guard: 已约谈 only on or after its day, with details attended (boolean; false records a refusal) and outcome; the day held is the legal date)';

-- names order the triggers: interview_before_insert, interview_machine (the guard), interview_rules
CREATE TRIGGER interview_before_insert BEFORE INSERT ON credit.interview
    FOR EACH ROW WHEN (NOT credit.restoring('credit.interview')) EXECUTE FUNCTION credit.interview_before_insert();
CREATE TRIGGER interview_machine BEFORE INSERT OR UPDATE ON credit.interview
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('interview');
CREATE TRIGGER interview_rules BEFORE UPDATE ON credit.interview
    FOR EACH ROW EXECUTE FUNCTION credit.interview_rules();
CREATE TRIGGER interview_content BEFORE UPDATE OR DELETE ON credit.interview
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('interviews',
        'Move the interview with credit.transition(''interview'', interview_id, ''已约谈'' or ''已取消'', ...).',
        'A new date is a new interview.',
        'state', 'state_reason', 'state_since', 'held_on', 'attended', 'outcome');
CREATE TRIGGER interview_no_truncate BEFORE TRUNCATE ON credit.interview
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

SELECT pg_catalog.pg_extension_config_dump('credit.interview', '');
