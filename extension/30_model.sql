-- credit--0.1.sql, part 30: layer 3, the credit data model.
-- Subjects, credit records (双公示 licences and penalties included), list
-- entries, authorisations and the access log.  Row security: 40_disclosure.sql.

CREATE TYPE credit.record_state AS ENUM ('有效', '已撤回', '已更正');
COMMENT ON TYPE credit.record_state IS '记录状态 (record state): 有效 in force, 已撤回 withdrawn (with a reason), 已更正 replaced by a correction';

-- A natural person's name as shown to the public: the surname, then *.
CREATE FUNCTION credit.mask_person_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.left(name, 1) || pg_catalog.repeat('*', greatest(pg_catalog.length(name) - 1, 1));
COMMENT ON FUNCTION credit.mask_person_name(text) IS '姓名脱敏 (masked personal name for public display: first character, then *; 张三 -> 张*)';

-- ------------------------------------------------------------------
-- Subjects
-- ------------------------------------------------------------------
CREATE TABLE credit.subject (
    subject_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                credit.subject_kind NOT NULL,
    uscc                credit.uscc UNIQUE,
    resident_id         credit.resident_id UNIQUE,
    name                text NOT NULL CHECK (btrim(name) <> ''),
    name_key            text NOT NULL,
    legal_rep_name      text,
    legal_rep_id        credit.resident_id,
    name_public         text GENERATED ALWAYS AS
                            (CASE WHEN kind = '自然人' THEN credit.mask_person_name(name) ELSE name END) STORED,
    resident_id_public  text GENERATED ALWAYS AS (credit.resident_id_mask(resident_id)) STORED,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subject_key_matches_kind CHECK (
        CASE WHEN kind = '自然人' THEN resident_id IS NOT NULL AND uscc IS NULL
             ELSE uscc IS NOT NULL AND resident_id IS NULL END)
);
CREATE INDEX subject_name_key ON credit.subject (name_key);
COMMENT ON TABLE credit.subject IS '信用主体 (credit subjects: 企业法人, 非企业法人, 个体工商户, 自然人, 其他组织)';
COMMENT ON COLUMN credit.subject.subject_id IS '主体编号 (internal id)';
COMMENT ON COLUMN credit.subject.kind IS '主体类别 (kind)';
COMMENT ON COLUMN credit.subject.uscc IS '统一社会信用代码 (key of an organisation)';
COMMENT ON COLUMN credit.subject.resident_id IS '公民身份号码 (key of a natural person; personal data)';
COMMENT ON COLUMN credit.subject.name IS '名称/姓名 (name; a natural person''s name is personal data)';
COMMENT ON COLUMN credit.subject.name_key IS '名称规范化键 (normalize_name(name), maintained by a trigger, indexed for search)';
COMMENT ON COLUMN credit.subject.legal_rep_name IS '法定代表人 (legal representative)';
COMMENT ON COLUMN credit.subject.legal_rep_id IS '法定代表人身份证号 (legal representative''s identity number; personal data)';
COMMENT ON COLUMN credit.subject.name_public IS '公示名称 (name as shown to the public: masked for natural persons)';
COMMENT ON COLUMN credit.subject.resident_id_public IS '公示身份证号 (masked identity number)';
COMMENT ON COLUMN credit.subject.created_at IS '创建时间 (created at)';

CREATE FUNCTION credit.subject_name_key() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    NEW.name_key := credit.normalize_name(NEW.name);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.subject_name_key() IS '触发器: 维护名称规范化键 (trigger: keeps subject.name_key = normalize_name(name))';
CREATE TRIGGER subject_name_key BEFORE INSERT OR UPDATE OF name ON credit.subject
    FOR EACH ROW EXECUTE FUNCTION credit.subject_name_key();

CREATE TABLE credit.subject_old_code (
    subject_id   bigint NOT NULL REFERENCES credit.subject,
    code_type    text NOT NULL CHECK (code_type IN ('注册号', '组织机构代码', '税务登记号', '其他')),
    code         text NOT NULL,
    PRIMARY KEY (code_type, code),
    CONSTRAINT old_code_valid CHECK (
        CASE code_type WHEN '注册号' THEN credit.registration_no_is_valid(code) AND code ~ '^[0-9]{15}$'
                       WHEN '组织机构代码' THEN credit.org_code_is_valid(code) AND code ~ '^[0-9A-Z]{8}-[0-9X]$'
                       ELSE btrim(code) <> '' END)
);
CREATE INDEX subject_old_code_subject ON credit.subject_old_code (subject_id);
COMMENT ON TABLE credit.subject_old_code IS '历史代码 (old codes of a subject: 注册号, 组织机构代码, 税务登记号 ...), checked and in canonical form';
COMMENT ON COLUMN credit.subject_old_code.subject_id IS '主体编号 (subject)';
COMMENT ON COLUMN credit.subject_old_code.code_type IS '代码类型 (kind of old code)';
COMMENT ON COLUMN credit.subject_old_code.code IS '代码 (the code: 15 digits for 注册号, XXXXXXXX-X for 组织机构代码)';

-- Used by credit.act_for_subject(): does a subject exist, whoever can see it?
CREATE FUNCTION credit.subject_exists(subject_id bigint) RETURNS boolean
    LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog
    RETURN EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = subject_exists.subject_id);
COMMENT ON FUNCTION credit.subject_exists(bigint) IS '主体是否存在 (does the subject exist? for act_for_subject; executable by the portal only)';
REVOKE EXECUTE ON FUNCTION credit.subject_exists(bigint) FROM PUBLIC;

-- The calling role's department (NULL for other roles); the default of
-- record.department_id, so a department's COPY need not name itself.
-- In C (extension/disclosure.c): cached for the session per role, dropped
-- when credit.party changes; the policies call it in every query.
CREATE FUNCTION credit.current_department_id() RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_current_department_id' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_department_id() IS '当前部门 (department of the calling role, NULL if it is not a department role)';

-- ------------------------------------------------------------------
-- Credit records
-- ------------------------------------------------------------------
CREATE TABLE credit.record (
    record_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_code           text NOT NULL REFERENCES credit.catalogue_item,
    category            credit.catalogue_category NOT NULL,
    department_id       integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    subject_id          bigint NOT NULL REFERENCES credit.subject,
    -- 行政相对人 (the subject as written in the decision)
    subject_kind        credit.subject_kind NOT NULL,
    subject_name        text NOT NULL CHECK (btrim(subject_name) <> ''),
    subject_uscc        credit.uscc,
    subject_resident_id credit.resident_id,
    legal_rep_name      text,
    legal_rep_id        credit.resident_id,
    disclosure          credit.disclosure_level NOT NULL,
    severity            credit.severity,
    decision_no         text NOT NULL CHECK (btrim(decision_no) <> ''),
    decision_date       date NOT NULL,
    conduct_end_date    date,
    -- 行政处罚 (penalty fields of the national 双公示 standard)
    violation_type      text,
    violation_facts     text,
    penalty_basis       text,
    penalty_category    text,
    penalty_content     text,
    fine_amount         numeric(18, 6) CHECK (fine_amount >= 0),
    confiscated_amount  numeric(18, 6) CHECK (confiscated_amount >= 0),
    licence_suspended   text,
    penalty_valid_until date,
    -- 行政许可 (licence fields)
    licence_doc_name    text,
    licence_category    text,
    licence_name        text,
    licence_no          text,
    valid_from          date,
    valid_until         date,
    licence_content     text,
    -- both
    authority_name      text,
    authority_uscc      credit.uscc,
    source_name         text,
    source_uscc         credit.uscc,
    remarks             text,
    -- publicity and state
    publicity_start     date NOT NULL,
    publicity_end       date,
    rule_set            text,
    publicity_min_end   date,
    publicity_max_end   date,
    -- the record publicity machine (51_publicity.sql) and the objection mark
    publicity_state     text NOT NULL DEFAULT '公示中',
    publicity_reason    text,
    publicity_since     timestamptz NOT NULL DEFAULT now(),
    dispute_mark        text CHECK (dispute_mark = '异议处理中'),
    state               credit.record_state NOT NULL DEFAULT '有效',
    state_reason        text,
    corrects            bigint REFERENCES credit.record,
    submitted_by        regrole NOT NULL DEFAULT current_user::regrole,
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    -- shown to the public instead of the personal data above
    subject_name_public text GENERATED ALWAYS AS
        (CASE WHEN subject_kind = '自然人' THEN credit.mask_person_name(subject_name) ELSE subject_name END) STORED,
    subject_resident_id_public text GENERATED ALWAYS AS (credit.resident_id_mask(subject_resident_id)) STORED,
    legal_rep_id_public text GENERATED ALWAYS AS (credit.resident_id_mask(legal_rep_id)) STORED,
    CONSTRAINT record_subject_key CHECK (
        CASE WHEN subject_kind = '自然人' THEN subject_resident_id IS NOT NULL AND subject_uscc IS NULL
             ELSE subject_uscc IS NOT NULL AND subject_resident_id IS NULL END),
    CONSTRAINT record_penalty_fields CHECK (
        category <> '行政处罚' OR (violation_type IS NOT NULL AND violation_facts IS NOT NULL
            AND penalty_basis IS NOT NULL AND penalty_category IS NOT NULL
            AND penalty_content IS NOT NULL AND authority_name IS NOT NULL AND severity IS NOT NULL)),
    CONSTRAINT record_licence_fields CHECK (
        category <> '行政许可' OR (licence_doc_name IS NOT NULL AND licence_category IS NOT NULL
            AND licence_no IS NOT NULL AND valid_from IS NOT NULL AND authority_name IS NOT NULL)),
    CONSTRAINT record_validity CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from),
    CONSTRAINT record_conduct_end CHECK (conduct_end_date IS NULL OR conduct_end_date <= decision_date),
    CONSTRAINT record_withdrawal_reason CHECK (state = '有效' OR btrim(state_reason) <> '')
);
CREATE INDEX record_subject ON credit.record (subject_id);
CREATE INDEX record_department ON credit.record (department_id, decision_date);
-- the public listing: newest first, one page at a time
CREATE INDEX record_public ON credit.record (publicity_start DESC, record_id DESC) WHERE disclosure = '公开' AND state = '有效';
CREATE UNIQUE INDEX record_decision ON credit.record (department_id, decision_no, item_code) WHERE state = '有效';
COMMENT ON TABLE credit.record IS '信用记录 (credit records: 双公示 licences and penalties, court and other records); never updated in place: a correction is a new version, a withdrawal a state';
COMMENT ON COLUMN credit.record.record_id IS '记录编号 (internal id)';
COMMENT ON COLUMN credit.record.item_code IS '目录项 (catalogue item)';
COMMENT ON COLUMN credit.record.category IS '信息类别 (category, from the catalogue item)';
COMMENT ON COLUMN credit.record.department_id IS '提供部门 (submitting department)';
COMMENT ON COLUMN credit.record.subject_id IS '主体编号 (subject; found or created from the code on insert)';
COMMENT ON COLUMN credit.record.subject_kind IS '行政相对人类别 (kind of subject)';
COMMENT ON COLUMN credit.record.subject_name IS '行政相对人名称 (name of the subject; personal data for natural persons)';
COMMENT ON COLUMN credit.record.subject_uscc IS '统一社会信用代码 (code of an organisation subject)';
COMMENT ON COLUMN credit.record.subject_resident_id IS '身份证号 (identity number of a natural person; personal data)';
COMMENT ON COLUMN credit.record.legal_rep_name IS '法定代表人 (legal representative)';
COMMENT ON COLUMN credit.record.legal_rep_id IS '法定代表人身份证号 (personal data)';
COMMENT ON COLUMN credit.record.disclosure IS '公开属性 (disclosure level; the catalogue default when not given)';
COMMENT ON COLUMN credit.record.severity IS '失信程度 (severity of a negative record)';
COMMENT ON COLUMN credit.record.decision_no IS '决定文书号 (行政处罚决定书文号 / 行政许可决定文书号)';
COMMENT ON COLUMN credit.record.decision_date IS '决定日期 (处罚决定日期 / 许可决定日期)';
COMMENT ON COLUMN credit.record.conduct_end_date IS '失信行为终止日期 (end of the conduct; negative information is disclosed at most 5 years from it; NULL: the decision date)';
COMMENT ON COLUMN credit.record.violation_type IS '违法行为类型 (type of violation)';
COMMENT ON COLUMN credit.record.violation_facts IS '违法事实 (facts)';
COMMENT ON COLUMN credit.record.penalty_basis IS '处罚依据 (legal basis of the penalty)';
COMMENT ON COLUMN credit.record.penalty_category IS '处罚类别 (kind of penalty)';
COMMENT ON COLUMN credit.record.penalty_content IS '处罚内容 (content of the penalty)';
COMMENT ON COLUMN credit.record.fine_amount IS '罚款金额(万元) (fine, 10 000 yuan)';
COMMENT ON COLUMN credit.record.confiscated_amount IS '没收违法所得、没收非法财物的金额(万元) (confiscated, 10 000 yuan)';
COMMENT ON COLUMN credit.record.licence_suspended IS '暂扣或吊销证照名称及编号 (licences suspended or revoked)';
COMMENT ON COLUMN credit.record.penalty_valid_until IS '处罚有效期 (penalty in force until)';
COMMENT ON COLUMN credit.record.licence_doc_name IS '行政许可决定文书名称 (licence decision document)';
COMMENT ON COLUMN credit.record.licence_category IS '许可类别 (kind of licence)';
COMMENT ON COLUMN credit.record.licence_name IS '许可证书名称 (licence certificate)';
COMMENT ON COLUMN credit.record.licence_no IS '许可编号 (licence number)';
COMMENT ON COLUMN credit.record.valid_from IS '有效期自 (valid from)';
COMMENT ON COLUMN credit.record.valid_until IS '有效期至 (valid until)';
COMMENT ON COLUMN credit.record.licence_content IS '许可内容 (content of the licence)';
COMMENT ON COLUMN credit.record.authority_name IS '处罚机关/许可机关 (deciding authority)';
COMMENT ON COLUMN credit.record.authority_uscc IS '处罚机关/许可机关统一社会信用代码 (its code)';
COMMENT ON COLUMN credit.record.source_name IS '数据来源单位 (data source)';
COMMENT ON COLUMN credit.record.source_uscc IS '数据来源单位统一社会信用代码 (its code)';
COMMENT ON COLUMN credit.record.remarks IS '备注 (remarks)';
COMMENT ON COLUMN credit.record.publicity_start IS '公示开始 (publicity starts: the decision date)';
COMMENT ON COLUMN credit.record.publicity_end IS '公示截止期 (publicity ends, exclusive: from the period of the rule set in force on the decision date, at most 5 years from the end of the conduct; moved earlier when publicity is stopped or the record repaired; NULL: no end)';
COMMENT ON COLUMN credit.record.rule_set IS '公示期依据 (rule set of the period applied, e.g. 令第36号)';
COMMENT ON COLUMN credit.record.publicity_min_end IS '最短公示期满 (minimum publicity period ends: repair may be applied for from here)';
COMMENT ON COLUMN credit.record.publicity_max_end IS '最长公示期满 (maximum publicity period ends; a broken repair commitment restores publicity to here)';
COMMENT ON COLUMN credit.record.publicity_state IS '公示状态 (state of the record publicity machine: 公示中, 不公示, 已到期, 停止公示, 已修复; changes only through credit.transition)';
COMMENT ON COLUMN credit.record.publicity_reason IS '公示状态原因 (reason of the last publicity transition)';
COMMENT ON COLUMN credit.record.publicity_since IS '公示状态时间 (when the publicity state was entered)';
COMMENT ON COLUMN credit.record.dispute_mark IS '异议标注 (异议处理中 from the acceptance of an objection until its outcome, in every view)';
COMMENT ON COLUMN credit.record.state IS '记录状态 (state)';
COMMENT ON COLUMN credit.record.state_reason IS '撤回/更正原因 (reason of a withdrawal or correction)';
COMMENT ON COLUMN credit.record.corrects IS '更正的记录 (the record this one corrects)';
COMMENT ON COLUMN credit.record.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.record.submitted_at IS '提交时间 (published in the platform at)';
COMMENT ON COLUMN credit.record.subject_name_public IS '公示名称 (name shown to the public; natural persons masked)';
COMMENT ON COLUMN credit.record.subject_resident_id_public IS '公示身份证号 (masked identity number)';
COMMENT ON COLUMN credit.record.legal_rep_id_public IS '公示法定代表人身份证号 (masked)';

-- On insert: the category and default disclosure from the catalogue, the
-- publicity end from the catalogue period, the subject found or created.
-- SECURITY DEFINER so a department need not be able to write subjects; it
-- only creates a subject the row itself describes.
CREATE FUNCTION credit.record_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
AS $$
DECLARE
    item credit.catalogue_item;
    period record;
BEGIN
    SELECT * INTO item FROM credit.catalogue_item WHERE item_code = NEW.item_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown catalogue item "%"', NEW.item_code
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Use an item_code of credit.catalogue_item.';
    END IF;
    NEW.category := item.category;
    NEW.disclosure := coalesce(NEW.disclosure, item.default_disclosure);
    IF NEW.subject_kind = '自然人' AND NEW.disclosure = '公开' THEN
        RAISE EXCEPTION 'a natural person''s record cannot be 公开'
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('Record %s of item %s is about a natural person.', NEW.decision_no, NEW.item_code),
                  HINT = 'Give it disclosure 授权查询 or 部门共享; a natural person''s information is published only with a recorded legal basis.';
    END IF;
    IF item.polarity = '失信' AND NEW.severity IS NULL THEN
        RAISE EXCEPTION 'negative record % needs a severity', NEW.decision_no
            USING ERRCODE = 'not_null_violation', HINT = 'Set severity to 轻微, 一般 or 严重.';
    END IF;
    IF item.polarity <> '失信' AND NEW.severity IS NOT NULL THEN
        RAISE EXCEPTION 'record % of % item "%" cannot have a severity', NEW.decision_no, item.polarity, item.item_code
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.publicity_start := NEW.decision_date;
    NEW.publicity_state := '公示中';
    NEW.publicity_reason := NULL;
    NEW.publicity_since := now();
    NEW.dispute_mark := NULL;
    NEW.rule_set := NULL;
    NEW.publicity_min_end := NULL;
    IF item.polarity = '失信' THEN
        SELECT * INTO period FROM credit.publicity_period(NEW.item_code, NEW.severity, NEW.decision_date);
        IF period.rule_set IS NULL THEN
            RAISE EXCEPTION 'catalogue item "%" has no publicity period for severity % on %', NEW.item_code, NEW.severity, NEW.decision_date
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'Add the period to credit.catalogue_period, or a default to credit.rule_set_period.';
        END IF;
        NEW.rule_set := period.rule_set;
        -- at most 5 years from the end of the conduct
        NEW.publicity_max_end := least(NEW.decision_date + make_interval(months => period.max_months),
                                       coalesce(NEW.conduct_end_date, NEW.decision_date) + interval '5 years');
        NEW.publicity_min_end := least(NEW.decision_date + make_interval(months => period.min_months),
                                       NEW.publicity_max_end);
        IF period.published THEN
            NEW.publicity_end := NEW.publicity_max_end;
        ELSE
            -- e.g. 轻微 under 令第36号: not published at all
            NEW.publicity_end := NEW.decision_date;
            NEW.publicity_state := '不公示';
            NEW.publicity_reason := period.rule_set || ': 不予公示';
        END IF;
    ELSIF item.publicity_months IS NOT NULL THEN
        NEW.publicity_end := NEW.decision_date + make_interval(months => item.publicity_months);
        NEW.publicity_max_end := NEW.publicity_end;
    ELSE
        NEW.publicity_end := NULL;
        NEW.publicity_max_end := NULL;
    END IF;

    IF NEW.subject_kind = '自然人' THEN
        SELECT subject_id INTO NEW.subject_id FROM credit.subject WHERE resident_id = NEW.subject_resident_id;
    ELSE
        SELECT subject_id INTO NEW.subject_id FROM credit.subject WHERE uscc = NEW.subject_uscc;
    END IF;
    IF NEW.subject_id IS NULL THEN
        INSERT INTO credit.subject (kind, uscc, resident_id, name, legal_rep_name, legal_rep_id)
        VALUES (NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id, NEW.subject_name,
                NEW.legal_rep_name, NEW.legal_rep_id)
        RETURNING subject_id INTO NEW.subject_id;
    END IF;
    -- submitted_by keeps its default, taken as the inserting role (here,
    -- inside SECURITY DEFINER, current_user is the definer); row security
    -- checks it equals the inserting role.
    NEW.state := '有效';
    NEW.state_reason := NULL;
    NEW.submitted_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_before_insert() IS '触发器: 记录入库 (trigger: category, default disclosure and publicity end from the catalogue; subject found or created from the code)';
REVOKE EXECUTE ON FUNCTION credit.record_before_insert() FROM PUBLIC;

CREATE TRIGGER record_before_insert BEFORE INSERT ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.record_before_insert();

-- Nobody, the table owner included, changes what a record says in place or
-- deletes it: only state and state_reason change (有效 -> 已撤回 / 已更正).
CREATE FUNCTION credit.record_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'credit records are never deleted'
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  DETAIL = pg_catalog.format('Record %s was not deleted.', OLD.record_id),
                  HINT = 'Withdraw it with credit.withdraw_record(record_id, reason).';
    END IF;
    -- The UPDATE of a record publicity transition is credit.transition()'s
    -- own, which sets the publicity state only: nothing to compare then.
    IF (credit.transition_request()).machine = 'record_publicity' THEN
        RETURN NEW;
    END IF;
    -- (generated columns follow their base columns, so they are left out;
    -- the publicity machine's columns are guarded by credit.workflow_guard)
    IF (to_jsonb(NEW) - ARRAY['state', 'state_reason', 'subject_name_public', 'subject_resident_id_public',
                              'legal_rep_id_public', 'publicity_state', 'publicity_reason', 'publicity_since',
                              'publicity_end', 'dispute_mark'])
       IS DISTINCT FROM
       (to_jsonb(OLD) - ARRAY['state', 'state_reason', 'subject_name_public', 'subject_resident_id_public',
                              'legal_rep_id_public', 'publicity_state', 'publicity_reason', 'publicity_since',
                              'publicity_end', 'dispute_mark']) THEN
        RAISE EXCEPTION 'credit records are not changed in place'
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  DETAIL = pg_catalog.format('Record %s keeps its content, subject, department and disclosure level.', OLD.record_id),
                  HINT = 'Correct it with credit.correct_record(record_id, reason, ...), which adds a new version.';
    END IF;
    -- the mark 异议处理中 is set and removed by the objection machine only
    IF NEW.dispute_mark IS DISTINCT FROM OLD.dispute_mark
       AND (credit.transition_request()).machine IS DISTINCT FROM 'objection' THEN
        RAISE EXCEPTION 'column "dispute_mark" of record % is set by the objection machine only', OLD.record_id
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'File an objection; the mark shows from its acceptance until its outcome.';
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state AND OLD.state <> '有效' THEN
        RAISE EXCEPTION 'record % is % and cannot become %', OLD.record_id, OLD.state, NEW.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.state = '有效' AND NEW.state_reason IS DISTINCT FROM OLD.state_reason THEN
        RAISE EXCEPTION 'a reason is given only with a withdrawal or correction'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_guard() IS '触发器: 记录不可篡改 (trigger: records are never deleted and only their state changes)';
CREATE TRIGGER record_guard BEFORE UPDATE OR DELETE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.record_guard();
CREATE FUNCTION credit.no_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is never truncated', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.no_truncate() IS '触发器: 禁止清空 (trigger: refuses TRUNCATE of record, list entry and log tables)';
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON credit.record
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

CREATE FUNCTION credit.withdraw_record(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a withdrawal needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    UPDATE credit.record r SET state = '已撤回', state_reason = reason
     WHERE r.record_id = withdraw_record.record_id AND r.state = '有效';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'record % is not an active record of yours', record_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only the providing department or the credit centre withdraws a record, once.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.withdraw_record(bigint, text) IS '撤回记录 (withdraw a record, with a reason; as the calling role, so row security decides who may)';

-- A correction is a new version: the old record becomes 已更正 and the new
-- one points to it.  Changes are given as jsonb of column values.
CREATE FUNCTION credit.correct_record(record_id bigint, reason text, changes jsonb) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
DECLARE
    old credit.record;
    new_row credit.record;
    new_id bigint;
    bad text;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a correction needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    SELECT key INTO bad FROM jsonb_object_keys(coalesce(changes, '{}')) AS key
     WHERE key IN ('record_id', 'subject_id', 'department_id', 'disclosure', 'subject_kind', 'subject_uscc',
                   'subject_resident_id', 'item_code', 'category', 'state', 'state_reason', 'corrects',
                   'submitted_by', 'submitted_at', 'publicity_start', 'publicity_end', 'rule_set',
                   'publicity_min_end', 'publicity_max_end', 'publicity_state', 'publicity_reason',
                   'publicity_since', 'dispute_mark')
        OR key NOT IN (SELECT attname FROM pg_attribute
                        WHERE attrelid = 'credit.record'::regclass AND attnum > 0 AND NOT attisdropped)
     LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'a correction cannot change "%"', bad
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The subject, department, item and disclosure level of a record never change; withdraw it and submit a new one.';
    END IF;
    SELECT * INTO old FROM credit.record r WHERE r.record_id = correct_record.record_id AND r.state = '有效' FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'record % is not an active record of yours', record_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    new_row := jsonb_populate_record(old, changes);
    UPDATE credit.record r SET state = '已更正', state_reason = reason WHERE r.record_id = old.record_id;
    INSERT INTO credit.record (item_code, category, department_id, subject_id, subject_kind, subject_name,
            subject_uscc, subject_resident_id, legal_rep_name, legal_rep_id, disclosure, severity,
            decision_no, decision_date, conduct_end_date, violation_type, violation_facts, penalty_basis, penalty_category,
            penalty_content, fine_amount, confiscated_amount, licence_suspended, penalty_valid_until,
            licence_doc_name, licence_category, licence_name, licence_no, valid_from, valid_until,
            licence_content, authority_name, authority_uscc, source_name, source_uscc, remarks,
            publicity_start, corrects)
    VALUES (old.item_code, old.category, old.department_id, old.subject_id, old.subject_kind, new_row.subject_name,
            old.subject_uscc, old.subject_resident_id, new_row.legal_rep_name, new_row.legal_rep_id, old.disclosure,
            new_row.severity, new_row.decision_no, new_row.decision_date, new_row.conduct_end_date, new_row.violation_type,
            new_row.violation_facts, new_row.penalty_basis, new_row.penalty_category, new_row.penalty_content,
            new_row.fine_amount, new_row.confiscated_amount, new_row.licence_suspended, new_row.penalty_valid_until,
            new_row.licence_doc_name, new_row.licence_category, new_row.licence_name, new_row.licence_no,
            new_row.valid_from, new_row.valid_until, new_row.licence_content, new_row.authority_name,
            new_row.authority_uscc, new_row.source_name, new_row.source_uscc, new_row.remarks,
            new_row.decision_date, old.record_id)
    RETURNING credit.record.record_id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION credit.correct_record(bigint, text, jsonb) IS '更正记录 (correct a record: the old version becomes 已更正, a new version with the changed fields points to it; returns the new record_id)';

-- Departments load batches with COPY.  PostgreSQL refuses COPY FROM into a
-- table with row security, so batches go through this view, whose INSTEAD OF
-- trigger inserts each row as the calling role (row security applies).
CREATE VIEW credit.record_load AS
SELECT item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, legal_rep_name,
       legal_rep_id, disclosure, severity, decision_no, decision_date, violation_type, violation_facts,
       penalty_basis, penalty_category, penalty_content, fine_amount, confiscated_amount,
       licence_suspended, penalty_valid_until, licence_doc_name, licence_category, licence_name,
       licence_no, valid_from, valid_until, licence_content, authority_name, authority_uscc,
       source_name, source_uscc, remarks
  FROM credit.record
 WHERE false;
COMMENT ON VIEW credit.record_load IS '记录报送 (load view for a department''s batch: COPY credit.record_load FROM ...; each row is inserted into credit.record as the calling role)';

CREATE FUNCTION credit.record_load_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
            legal_rep_name, legal_rep_id, disclosure, severity, decision_no, decision_date, violation_type,
            violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount,
            confiscated_amount, licence_suspended, penalty_valid_until, licence_doc_name,
            licence_category, licence_name, licence_no, valid_from, valid_until, licence_content,
            authority_name, authority_uscc, source_name, source_uscc, remarks)
    -- the view's columns, in the view's order
    SELECT NEW.*;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_load_insert() IS '触发器: 报送视图写入 (INSTEAD OF trigger of record_load: inserts the row into credit.record as the calling role)';
CREATE TRIGGER record_load_insert INSTEAD OF INSERT ON credit.record_load
    FOR EACH ROW EXECUTE FUNCTION credit.record_load_insert();

-- ------------------------------------------------------------------
-- Red and black list entries
-- ------------------------------------------------------------------
CREATE TABLE credit.list_entry (
    entry_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_kind       text NOT NULL REFERENCES credit.list_kind,
    subject_id      bigint NOT NULL REFERENCES credit.subject,
    basis_record_id bigint REFERENCES credit.record,
    department_id   integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    disclosure      credit.disclosure_level NOT NULL,
    reasons         text NOT NULL CHECK (btrim(reasons) <> ''),
    listed_on       date NOT NULL,
    expires_on      date,
    removed_on      date,
    removal_reason  text,
    submitted_by    regrole NOT NULL DEFAULT current_user::regrole,
    -- the list entry machine (51_publicity.sql)
    state           text NOT NULL DEFAULT '列入中',
    state_reason    text,
    state_since     timestamptz NOT NULL DEFAULT now(),
    deletion_due    date,
    early_removal_from date,
    CHECK (expires_on IS NULL OR expires_on > listed_on),
    CHECK ((removed_on IS NULL) = (removal_reason IS NULL))
);
CREATE INDEX list_entry_subject ON credit.list_entry (subject_id);
COMMENT ON TABLE credit.list_entry IS '名单条目 (red and black list entries); a new listing is a new entry, a removed entry never reopens';
COMMENT ON COLUMN credit.list_entry.entry_id IS '条目编号 (internal id)';
COMMENT ON COLUMN credit.list_entry.list_kind IS '名单类别 (list kind)';
COMMENT ON COLUMN credit.list_entry.subject_id IS '主体编号 (subject)';
COMMENT ON COLUMN credit.list_entry.basis_record_id IS '认定依据记录 (the record the listing is based on)';
COMMENT ON COLUMN credit.list_entry.department_id IS '认定部门 (deciding department)';
COMMENT ON COLUMN credit.list_entry.disclosure IS '公开属性 (disclosure level; the list kind''s when not given)';
COMMENT ON COLUMN credit.list_entry.reasons IS '列入理由 (reasons)';
COMMENT ON COLUMN credit.list_entry.listed_on IS '列入日期 (listed on)';
COMMENT ON COLUMN credit.list_entry.expires_on IS '到期日期 (term ends; from the list kind when not given)';
COMMENT ON COLUMN credit.list_entry.removed_on IS '移出日期 (removed on)';
COMMENT ON COLUMN credit.list_entry.removal_reason IS '移出原因 (reason of removal)';
COMMENT ON COLUMN credit.list_entry.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.list_entry.state IS '名单状态 (state of the list entry machine: 列入中, 已到期, 已移出; changes only through credit.transition)';
COMMENT ON COLUMN credit.list_entry.state_reason IS '状态原因 (reason of the last transition: removal, extension, expiry)';
COMMENT ON COLUMN credit.list_entry.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.list_entry.deletion_due IS '应删除日期 (the entry must be off the list by then: 3 working days after the term)';
COMMENT ON COLUMN credit.list_entry.early_removal_from IS '可申请提前移出日期 (early removal may be requested from this date, from the list kind)';

CREATE FUNCTION credit.list_entry_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
AS $$
DECLARE
    kind credit.list_kind;
BEGIN
    SELECT * INTO kind FROM credit.list_kind WHERE list_kind = NEW.list_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown list kind "%"', NEW.list_kind USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.disclosure := coalesce(NEW.disclosure, kind.disclosure);
    IF NEW.expires_on IS NULL AND kind.term_months IS NOT NULL THEN
        NEW.expires_on := NEW.listed_on + make_interval(months => kind.term_months);
    END IF;
    NEW.deletion_due := credit.add_working_days(NEW.expires_on, 3);
    NEW.early_removal_from := NEW.listed_on + make_interval(months => kind.early_removal_months);
    IF NEW.disclosure = '公开'
       AND (SELECT s.kind FROM credit.subject s WHERE s.subject_id = NEW.subject_id) = '自然人' THEN
        RAISE EXCEPTION 'a natural person''s list entry cannot be 公开'
            USING ERRCODE = 'check_violation',
                  HINT = 'Give it disclosure 授权查询 or 部门共享.';
    END IF;
    NEW.removed_on := NULL;
    NEW.removal_reason := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_before_insert() IS '触发器: 名单条目入库 (trigger: disclosure, expiry, deletion due date and early-removal date from the list kind)';
REVOKE EXECUTE ON FUNCTION credit.list_entry_before_insert() FROM PUBLIC;
CREATE TRIGGER list_entry_before_insert BEFORE INSERT ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_before_insert();

CREATE FUNCTION credit.list_entry_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'list entries are never deleted'
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Remove the entry with credit.transition(''list_entry'', entry_id, ''已移出'', reason).';
    END IF;
    -- what the entry says never changes; its state, term and removal belong
    -- to the list entry machine (credit.workflow_guard).  The UPDATE of a
    -- list entry transition is credit.transition()'s own, which sets the
    -- state only: nothing to compare then.
    IF (credit.transition_request()).machine = 'list_entry' THEN
        RETURN NEW;
    END IF;
    IF (to_jsonb(NEW) - ARRAY['state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removed_on', 'removal_reason'])
       IS DISTINCT FROM
       (to_jsonb(OLD) - ARRAY['state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removed_on', 'removal_reason']) THEN
        RAISE EXCEPTION 'list entries are not changed in place'
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'A new listing is a new entry.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_guard() IS '触发器: 名单条目不可篡改 (trigger: entries are never deleted and what they say never changes; state, term and removal move with the list entry machine)';
CREATE TRIGGER list_entry_guard BEFORE UPDATE OR DELETE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_guard();
CREATE TRIGGER list_entry_no_truncate BEFORE TRUNCATE ON credit.list_entry
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

-- ------------------------------------------------------------------
-- Authorisations and the access log
-- ------------------------------------------------------------------
CREATE TABLE credit.authorisation (
    authorisation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id       bigint NOT NULL REFERENCES credit.subject,
    grantee          regrole NOT NULL,
    scope            credit.catalogue_category[],
    purpose          text NOT NULL CHECK (btrim(purpose) <> ''),
    proof            text NOT NULL CHECK (btrim(proof) <> ''),
    valid_from       timestamptz NOT NULL DEFAULT now(),
    valid_until      timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_reason   text,
    granted_by       regrole NOT NULL DEFAULT current_user::regrole,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until > valid_from),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX authorisation_subject ON credit.authorisation (subject_id);
CREATE INDEX authorisation_grantee ON credit.authorisation (grantee);
COMMENT ON TABLE credit.authorisation IS '授权 (a subject''s authorisation for a grantee to query its 授权查询 information, for a purpose, until a date; revocable at any time)';
COMMENT ON COLUMN credit.authorisation.authorisation_id IS '授权编号 (internal id)';
COMMENT ON COLUMN credit.authorisation.subject_id IS '授权主体 (the subject granting it)';
COMMENT ON COLUMN credit.authorisation.grantee IS '被授权方角色 (role of the authorised party)';
COMMENT ON COLUMN credit.authorisation.scope IS '授权范围 (categories covered; NULL: all 授权查询 information)';
COMMENT ON COLUMN credit.authorisation.purpose IS '用途 (agreed purpose)';
COMMENT ON COLUMN credit.authorisation.proof IS '授权凭证 (reference of the written authorisation)';
COMMENT ON COLUMN credit.authorisation.valid_from IS '生效时间 (valid from)';
COMMENT ON COLUMN credit.authorisation.valid_until IS '失效时间 (valid until)';
COMMENT ON COLUMN credit.authorisation.revoked_at IS '撤销时间 (revoked at)';
COMMENT ON COLUMN credit.authorisation.revoked_reason IS '撤销原因 (reason of revocation)';
COMMENT ON COLUMN credit.authorisation.granted_by IS '登记角色 (role that recorded it: the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.authorisation.granted_at IS '登记时间 (recorded at)';

CREATE FUNCTION credit.authorisation_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'authorisations are never deleted'
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Revoke it with credit.revoke_authorisation(authorisation_id, reason).';
    END IF;
    IF (to_jsonb(NEW) - 'revoked_at' - 'revoked_reason') IS DISTINCT FROM (to_jsonb(OLD) - 'revoked_at' - 'revoked_reason')
       OR OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'authorisation % can only be revoked, once', OLD.authorisation_id
            USING ERRCODE = 'prohibited_sql_statement_attempted';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.authorisation_guard() IS '触发器: 授权只可撤销 (trigger: an authorisation is never changed or deleted, only revoked once)';
CREATE TRIGGER authorisation_guard BEFORE UPDATE OR DELETE ON credit.authorisation
    FOR EACH ROW EXECUTE FUNCTION credit.authorisation_guard();

CREATE FUNCTION credit.revoke_authorisation(authorisation_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE credit.authorisation a SET revoked_at = now(), revoked_reason = coalesce(reason, '主体撤回授权')
     WHERE a.authorisation_id = revoke_authorisation.authorisation_id AND a.revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'authorisation % is not an active authorisation you can revoke', authorisation_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.revoke_authorisation(bigint, text) IS '撤销授权 (revoke an authorisation: the portal acting for its subject, or the centre)';

CREATE TABLE credit.access_log (
    access_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    accessed_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    role             regrole NOT NULL,
    subject_id       bigint NOT NULL REFERENCES credit.subject,
    authorisation_id bigint NOT NULL REFERENCES credit.authorisation,
    purpose          text NOT NULL
);
CREATE INDEX access_log_subject ON credit.access_log (subject_id, accessed_at);
COMMENT ON TABLE credit.access_log IS '查询日志 (log of 授权查询 reads: who, whose, under which authorisation, for what purpose, when; kept at least 5 years; append-only)';
COMMENT ON COLUMN credit.access_log.access_id IS '日志编号 (internal id)';
COMMENT ON COLUMN credit.access_log.accessed_at IS '查询时间 (when)';
COMMENT ON COLUMN credit.access_log.role IS '查询角色 (who)';
COMMENT ON COLUMN credit.access_log.subject_id IS '被查询主体 (whose information)';
COMMENT ON COLUMN credit.access_log.authorisation_id IS '授权编号 (under which authorisation)';
COMMENT ON COLUMN credit.access_log.purpose IS '用途 (purpose)';

CREATE FUNCTION credit.append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is append-only', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.append_only() IS '触发器: 只可追加 (trigger: refuses UPDATE, DELETE and TRUNCATE of an append-only table)';
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON credit.access_log
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON credit.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

SELECT pg_catalog.pg_extension_config_dump('credit.subject', '');
SELECT pg_catalog.pg_extension_config_dump('credit.subject_old_code', '');
SELECT pg_catalog.pg_extension_config_dump('credit.record', '');
SELECT pg_catalog.pg_extension_config_dump('credit.list_entry', '');
SELECT pg_catalog.pg_extension_config_dump('credit.authorisation', '');
SELECT pg_catalog.pg_extension_config_dump('credit.access_log', '');

-- ------------------------------------------------------------------
-- 双公示 timeliness: decisions published within 7 working days
-- ------------------------------------------------------------------
CREATE VIEW credit.sgs_timeliness WITH (security_invoker = true) AS
SELECT d.department_id,
       d.name AS department,
       r.category,
       count(*) AS decisions,
       count(*) FILTER (WHERE r.submitted_at::date <= credit.add_working_days(r.decision_date, 7)) AS on_time,
       count(*) FILTER (WHERE r.submitted_at::date > credit.add_working_days(r.decision_date, 7)) AS late,
       max(credit.working_days_between(credit.add_working_days(r.decision_date, 7), r.submitted_at::date))
           FILTER (WHERE r.submitted_at::date > credit.add_working_days(r.decision_date, 7)) AS worst_days_late
  FROM credit.record r
  JOIN credit.department d USING (department_id)
 WHERE r.category IN ('行政许可', '行政处罚') AND r.corrects IS NULL
 GROUP BY d.department_id, d.name, r.category;
COMMENT ON VIEW credit.sgs_timeliness IS '双公示时效 (per department and category: decisions published within 7 working days of the decision date (credit.add_working_days: the official calendar of credit.calendar_day), and how late the others are); shows what the caller may see';
COMMENT ON COLUMN credit.sgs_timeliness.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.sgs_timeliness.department IS '部门 (department)';
COMMENT ON COLUMN credit.sgs_timeliness.category IS '类别 (行政许可 or 行政处罚)';
COMMENT ON COLUMN credit.sgs_timeliness.decisions IS '决定数 (decisions)';
COMMENT ON COLUMN credit.sgs_timeliness.on_time IS '按时公示 (published within 7 working days)';
COMMENT ON COLUMN credit.sgs_timeliness.late IS '逾期公示 (published later)';
COMMENT ON COLUMN credit.sgs_timeliness.worst_days_late IS '最长逾期工作日 (most working days late)';
