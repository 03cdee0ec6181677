-- The install script, part 31: layer 3, credit records (信用记录): 双公示
-- licences and penalties, court and other records.  A record is never
-- changed in place or deleted: a correction is a new version, a withdrawal
-- a state.  Departments load batches through the view credit.record_load.
-- The publicity machine's columns are moved by 51_publicity.sql; row
-- security: 90_row_security.sql; privileges: 91_privileges.sql.

CREATE TYPE credit.record_state AS ENUM ('有效', '已撤回', '已更正');
COMMENT ON TYPE credit.record_state IS '记录状态 (record state): 有效 in force, 已撤回 withdrawn (with a reason), 已更正 replaced by a correction';

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
    state_since         timestamptz NOT NULL DEFAULT now(),
    withdrawal_due      date,
    corrects            bigint REFERENCES credit.record,
    lineage_id          bigint NOT NULL,
    submitted_by        regrole NOT NULL DEFAULT current_user::regrole,
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    -- shown to the public instead of the personal data above
    subject_name_public text GENERATED ALWAYS AS
        (CASE WHEN subject_kind = '自然人' THEN credit.mask_personal('subject_name', subject_name) ELSE subject_name END) STORED,
    subject_resident_id_public text GENERATED ALWAYS AS (credit.mask_personal('subject_resident_id', subject_resident_id::text)) STORED,
    legal_rep_id_public text GENERATED ALWAYS AS (credit.mask_personal('legal_rep_id', legal_rep_id::text)) STORED,
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
CREATE INDEX record_lineage ON credit.record (lineage_id, record_id);
-- a version is corrected once: one successor
CREATE UNIQUE INDEX record_corrects ON credit.record (corrects) WHERE corrects IS NOT NULL;
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
COMMENT ON COLUMN credit.record.state IS '记录状态 (state of the record machine: 有效, 已撤回, 已更正; changes only through credit.transition, with an event)';
COMMENT ON COLUMN credit.record.state_reason IS '撤回/更正原因 (reason of a withdrawal or correction)';
COMMENT ON COLUMN credit.record.state_since IS '记录状态时间 (when the record entered its state: inserted, withdrawn or corrected; changes only through credit.transition)';
COMMENT ON COLUMN credit.record.withdrawal_due IS '应撤回期限 (set when the revocation of the decision is noted (认定依据撤销, 有效 -> 有效): the providing department withdraws or corrects the record within 3 working days; a machine deadline, shown in credit.workflow_overdue)';
COMMENT ON COLUMN credit.record.corrects IS '更正的记录 (the record this one corrects)';
COMMENT ON COLUMN credit.record.lineage_id IS '记录谱系 (the record_id of the first version: every correction of a record keeps it, so objections, repairs and list entries follow the record across versions; credit.current_record() gives the newest version)';
COMMENT ON COLUMN credit.record.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.record.submitted_at IS '提交时间 (published in the platform at)';
COMMENT ON COLUMN credit.record.subject_name_public IS '公示名称 (name shown to the public; natural persons masked)';
COMMENT ON COLUMN credit.record.subject_resident_id_public IS '公示身份证号 (masked identity number)';
COMMENT ON COLUMN credit.record.legal_rep_id_public IS '公示法定代表人身份证号 (masked)';

-- One declared source for the record's column lists: what a department
-- supplies (credit.record_load), what a correction may change
-- (credit.correct_record), and what the public sees (credit.public_record,
-- and through that view the portal's column privileges).  A column of the
-- table not named here is in none of them (sql/00_install.sql names any
-- such column).
CREATE FUNCTION credit.record_columns(OUT column_name name, OUT loaded boolean, OUT corrected boolean,
                                      OUT public_source name, OUT column_order smallint)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.column_name, c.loaded, c.corrected, c.public_source, a.attnum
      FROM (VALUES
        ('record_id',             false, false, 'record_id'),
        ('item_code',             true , false, 'item_code'),
        ('category',              false, false, 'category'),
        ('department_id',         false, false, 'department_id'),
        ('subject_id',            false, false, 'subject_id'),
        ('subject_kind',          true , false, 'subject_kind'),
        ('subject_name',          true , true , 'subject_name_public'),
        ('subject_uscc',          true , false, 'subject_uscc'),
        ('subject_resident_id',   true , false, 'subject_resident_id_public'),
        ('legal_rep_name',        true , true , 'legal_rep_name'),
        ('legal_rep_id',          true , true , 'legal_rep_id_public'),
        ('disclosure',            true , false, 'disclosure'),
        ('severity',              true , true , 'severity'),
        ('decision_no',           true , true , 'decision_no'),
        ('decision_date',         true , true , 'decision_date'),
        ('conduct_end_date',      true , true , 'conduct_end_date'),
        ('violation_type',        true , true , 'violation_type'),
        ('violation_facts',       true , true , 'violation_facts'),
        ('penalty_basis',         true , true , 'penalty_basis'),
        ('penalty_category',      true , true , 'penalty_category'),
        ('penalty_content',       true , true , 'penalty_content'),
        ('fine_amount',           true , true , 'fine_amount'),
        ('confiscated_amount',    true , true , 'confiscated_amount'),
        ('licence_suspended',     true , true , 'licence_suspended'),
        ('penalty_valid_until',   true , true , 'penalty_valid_until'),
        ('licence_doc_name',      true , true , 'licence_doc_name'),
        ('licence_category',      true , true , 'licence_category'),
        ('licence_name',          true , true , 'licence_name'),
        ('licence_no',            true , true , 'licence_no'),
        ('valid_from',            true , true , 'valid_from'),
        ('valid_until',           true , true , 'valid_until'),
        ('licence_content',       true , true , 'licence_content'),
        ('authority_name',        true , true , 'authority_name'),
        ('authority_uscc',        true , true , 'authority_uscc'),
        ('source_name',           true , true , 'source_name'),
        ('source_uscc',           true , true , 'source_uscc'),
        ('remarks',               true , true , 'remarks'),
        ('publicity_start',       false, false, 'publicity_start'),
        ('publicity_end',         false, false, 'publicity_end'),
        ('rule_set',              false, false, NULL),
        ('publicity_min_end',     false, false, NULL),
        ('publicity_max_end',     false, false, NULL),
        ('publicity_state',       false, false, 'publicity_state'),
        ('publicity_reason',      false, false, NULL),
        ('publicity_since',       false, false, NULL),
        ('dispute_mark',          false, false, 'dispute_mark'),
        ('state',                 false, false, 'state'),
        ('state_reason',          false, false, NULL),
        ('state_since',           false, false, NULL),
        ('withdrawal_due',        false, false, NULL),
        ('corrects',              false, false, NULL),
        ('lineage_id',            false, false, NULL),
        ('submitted_by',          false, false, NULL),
        ('submitted_at',          false, false, NULL),
        -- the plain column the exchange publications filter on (70_exchange.sql)
        ('exchange_scope',        false, false, NULL)) AS c(column_name, loaded, corrected, public_source)
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid = 'credit.record'::pg_catalog.regclass AND a.attname = c.column_name AND NOT a.attisdropped
     ORDER BY a.attnum;
END;
COMMENT ON FUNCTION credit.record_columns() IS '记录列清单 (the record''s columns, in table order: loaded, supplied by a department through credit.record_load; corrected, may change in a correction; public_source, the column credit.public_record shows under this name (the masked one for personal data), NULL when not public)';

-- On insert: the category and default disclosure from the catalogue, the
-- publicity end from the catalogue period, the subject found or created.
-- SECURITY DEFINER so a department need not be able to write subjects; it
-- only creates a subject the row itself describes.
CREATE FUNCTION credit.record_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item credit.catalogue_item;
    period record;
    prev credit.record;
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

    -- what the subject row needs, checked before looking for it: a new
    -- subject's row would refuse it with another error than an existing
    -- subject's record, and say which one it is
    IF NEW.subject_name IS NULL OR btrim(NEW.subject_name) = '' THEN
        RAISE EXCEPTION 'record % needs the subject''s name', NEW.decision_no
            USING ERRCODE = 'check_violation', HINT = 'Give subject_name as written in the decision.';
    END IF;
    -- the identifiers' own operators (search_path is pg_catalog): the
    -- unique indexes on subject.resident_id and subject.uscc answer
    NEW.subject_id := credit.subject_by_code(NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id);
    IF NEW.subject_id IS NULL THEN
        -- Two departments may submit the first records of the same subject
        -- at once: the second insert waits for the first, skips the row
        -- and finds the subject it committed.
        INSERT INTO credit.subject (kind, uscc, resident_id, name, legal_rep_name, legal_rep_id)
        VALUES (NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id, NEW.subject_name,
                NEW.legal_rep_name, NEW.legal_rep_id)
        ON CONFLICT DO NOTHING
        RETURNING subject_id INTO NEW.subject_id;
        IF NEW.subject_id IS NULL THEN
            NEW.subject_id := credit.subject_by_code(NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id);
        END IF;
        IF NEW.subject_id IS NULL THEN
            -- only under REPEATABLE READ or SERIALIZABLE: the subject was
            -- committed after this transaction's snapshot
            RAISE EXCEPTION 'the subject of record % was created by a concurrent transaction', NEW.decision_no
                USING ERRCODE = 'serialization_failure',
                      HINT = 'Retry the transaction.';
        END IF;
    END IF;
    -- A new version (credit.correct_record) keeps the lineage and the
    -- workflow of the version it replaces: its rule set and ends, its
    -- publicity (a repaired, stopped or expired record stays so: the
    -- trigger record_after_insert moves the new version there, with an
    -- event) and the objection mark.
    NEW.lineage_id := NEW.record_id;
    IF NEW.corrects IS NOT NULL THEN
        SELECT * INTO prev FROM credit.record r WHERE r.record_id = NEW.corrects;
        IF NOT FOUND OR prev.state <> '已更正' OR prev.department_id <> NEW.department_id
           OR prev.item_code <> NEW.item_code OR prev.subject_id <> NEW.subject_id THEN
            RAISE EXCEPTION 'record % is not a record being corrected', NEW.corrects
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Correct a record with credit.correct_record(record_id, reason, changes).';
        END IF;
        NEW.lineage_id := prev.lineage_id;
        -- the rule set and ends stay those of the version replaced unless
        -- the correction changes what they are counted from (the decision
        -- date, the severity, the end of the conduct)
        IF (NEW.decision_date, NEW.severity, NEW.conduct_end_date)
           IS NOT DISTINCT FROM (prev.decision_date, prev.severity, prev.conduct_end_date) THEN
            NEW.rule_set := prev.rule_set;
            NEW.publicity_min_end := prev.publicity_min_end;
            NEW.publicity_max_end := prev.publicity_max_end;
            NEW.publicity_end := prev.publicity_end;
        END IF;
        IF prev.publicity_state IN ('已修复', '停止公示') THEN
            -- publicity ended on that day and stays ended
            NEW.publicity_end := prev.publicity_end;
        END IF;
        NEW.publicity_state := CASE WHEN prev.publicity_state = '不公示' THEN '不公示' ELSE '公示中' END;
        NEW.publicity_reason := CASE WHEN prev.publicity_state = '不公示' THEN prev.publicity_reason END;
        NEW.dispute_mark := prev.dispute_mark;
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

-- Checked with the caller's rights before the SECURITY DEFINER trigger
-- and the foreign key: a correction points at a record of the inserter's
-- department it can see; a hidden record is refused as a missing one.
CREATE FUNCTION credit.record_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.corrects IS NOT NULL
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) NEW.corrects
                          AND r.department_id OPERATOR(pg_catalog.=) NEW.department_id) THEN
        RAISE EXCEPTION 'record % is not a record you can correct', NEW.corrects
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Correct a record with credit.correct_record(record_id, reason, changes).';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_access() IS '触发器: 更正指向检查 (trigger, caller''s rights, fires first: corrects names a record of the inserting department that the inserter sees; a hidden record is refused as a missing one)';
CREATE TRIGGER record_access BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NEW.corrects IS NOT NULL AND NOT credit.restoring('credit.record')) EXECUTE FUNCTION credit.record_access();
-- A row of credit.collect's INSERT comes with its derived columns computed
-- for the whole batch at once (35_collection.sql): while credit.collect
-- runs, and only then (credit.collecting(), backend memory that only that
-- C function sets), a row with its subject filled skips
-- record_before_insert; record_accepted (C) sets its lineage.  Any other
-- INSERT, whatever it gives, goes through record_before_insert.
CREATE FUNCTION credit.collecting() RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_collecting' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.collecting() IS '正在归集的批次 (the batch credit.collect is collecting in this session now, NULL outside it; set by credit.collect only, never by a setting)';
CREATE FUNCTION credit.record_accepted() RETURNS trigger
    AS 'MODULE_PATHNAME', 'collection_record_accepted' LANGUAGE C;
COMMENT ON FUNCTION credit.record_accepted() IS '触发器: 归集入库 (trigger, C: a row of credit.collect''s INSERT with its derived columns computed for the batch; only inside credit.collect, not a correction; sets its lineage)';
CREATE TRIGGER record_accepted BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NEW.subject_id IS NOT NULL AND credit.collecting() IS NOT NULL AND NOT credit.restoring('credit.record'))
    EXECUTE FUNCTION credit.record_accepted();
CREATE TRIGGER record_before_insert BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NOT credit.restoring('credit.record') AND (NEW.subject_id IS NULL OR credit.collecting() IS NULL))
    EXECUTE FUNCTION credit.record_before_insert();

-- Nobody, the table owner included, changes what a record says in place or
-- deletes it: only its state (有效 -> 已撤回 / 已更正, with the reason), the
-- publicity machine's columns (51_publicity.sql) and the objection mark
-- (52_objection.sql) change.
CREATE TRIGGER record_content BEFORE UPDATE OR DELETE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('credit records',
        'Withdraw it with credit.withdraw_record(record_id, reason).',
        'Correct it with credit.correct_record(record_id, reason, changes), which adds a new version.',
        'state', 'state_reason', 'state_since', 'withdrawal_due', 'publicity_state', 'publicity_reason', 'publicity_since', 'publicity_end',
        'dispute_mark');

-- What is specific to records (the generic rules of their lifecycle, 有效 ->
-- 已撤回 / 已更正, once and with a reason, are the record machine's,
-- 51_publicity.sql): the mark 异议处理中 is set and removed by the objection
-- machine only (objection_effects, during an objection's transition).  The
-- same guard keeps the mark of a list entry (32_list_entry.sql); arguments:
-- what the object is called and its key column.
CREATE FUNCTION credit.dispute_mark_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.dispute_mark IS DISTINCT FROM OLD.dispute_mark
       AND (credit.transition_request()).machine IS DISTINCT FROM 'objection' THEN
        RAISE EXCEPTION 'column "dispute_mark" of % % is set by the objection machine only',
                        TG_ARGV[0], pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) TG_ARGV[1]
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'File an objection; the mark shows from its acceptance until its outcome.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.dispute_mark_guard() IS '触发器: 异议标注 (trigger: the mark 异议处理中 of a record or a list entry is set and removed only by the objection machine; arguments: the object''s name and key column)';
CREATE TRIGGER record_guard BEFORE UPDATE OF dispute_mark ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.dispute_mark_guard('record', 'record_id');
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON credit.record
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

CREATE FUNCTION credit.withdraw_record(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a withdrawal needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM FROM credit.record r WHERE r.record_id = withdraw_record.record_id AND r.state = '有效' FOR UPDATE;
    IF FOUND THEN
        PERFORM credit.transition('record', withdraw_record.record_id, '已撤回', reason);
    ELSE
        RAISE EXCEPTION 'record % is not an active record of yours', record_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only the providing department or the credit centre withdraws a record, once.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.withdraw_record(bigint, text) IS '撤回记录 (withdraw a record, with a reason: the record machine''s transition 有效 -> 已撤回, with an event; as the calling role, so row security decides who may)';

-- A correction is a new version: the old record becomes 已更正 and the new
-- one points to it.  Changes are given as jsonb of column values.
CREATE FUNCTION credit.correct_record(record_id bigint, reason text, changes jsonb) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old credit.record;
    new_row credit.record;
    new_id bigint;
    bad text;
    loaded text;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a correction needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    SELECT key INTO bad FROM pg_catalog.jsonb_object_keys(coalesce(changes, '{}')) AS key
     WHERE key NOT IN (SELECT c.column_name FROM credit.record_columns() c WHERE c.corrected)
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
    PERFORM credit.transition('record', old.record_id, '已更正', reason, jsonb_build_object('changes', changes));
    -- the new version: what the record says, from new_row (the columns a
    -- correction may not change are the old ones), as a department loads it
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
      INTO loaded FROM credit.record_columns() c WHERE c.loaded;
    EXECUTE pg_catalog.format(
        'INSERT INTO credit.record (%1$s, category, department_id, subject_id, publicity_start, corrects) '
        'SELECT %1$s, category, department_id, subject_id, decision_date, $2 FROM (SELECT ($1).*) AS n '
        'RETURNING record_id', loaded)
        INTO new_id USING new_row, old.record_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION credit.correct_record(bigint, text, jsonb) IS '更正记录 (correct a record: the old version becomes 已更正 (the record machine''s transition, with an event), a new version of the same lineage, keeping its publicity, ends, rule set and objection mark, with the changed fields points to it; returns the new record_id)';

-- Any version of a record leads to the newest one of its lineage (the one
-- in force, or the last if the record was withdrawn), as the caller may see.
CREATE FUNCTION credit.current_record(record_id bigint) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT c.record_id FROM credit.record r JOIN credit.record c ON c.lineage_id = r.lineage_id
             WHERE r.record_id = current_record.record_id
             ORDER BY c.record_id DESC LIMIT 1);
COMMENT ON FUNCTION credit.current_record(bigint) IS '当前版本 (the newest version of a record''s lineage, from any of its versions: the one in force, or the last one when withdrawn; NULL for an unknown or hidden record)';

-- Departments load batches with COPY.  PostgreSQL refuses COPY FROM into a
-- table with row security, so batches go through this view, whose INSTEAD OF
-- trigger inserts each row as the calling role (row security applies).
DO $record_load$
DECLARE
    loaded text := (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
                      FROM credit.record_columns() c WHERE c.loaded);
BEGIN
    EXECUTE pg_catalog.format('CREATE VIEW credit.record_load AS SELECT %s FROM credit.record WHERE false', loaded);
    -- the view's columns, in the view's order
    EXECUTE pg_catalog.format($f$
CREATE FUNCTION credit.record_load_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
    INSERT INTO credit.record (%s) SELECT NEW.*;
    RETURN NEW;
END
$body$$f$, loaded);
END
$record_load$;
COMMENT ON VIEW credit.record_load IS '记录报送 (load view for a department''s batch: COPY credit.record_load FROM ...; each row is inserted into credit.record as the calling role)';

COMMENT ON FUNCTION credit.record_load_insert() IS '触发器: 报送视图写入 (INSTEAD OF trigger of record_load: inserts the row into credit.record as the calling role)';
CREATE TRIGGER record_load_insert INSTEAD OF INSERT ON credit.record_load
    FOR EACH ROW EXECUTE FUNCTION credit.record_load_insert();

SELECT pg_catalog.pg_extension_config_dump('credit.record', '');

-- ------------------------------------------------------------------
-- 双公示 timeliness: decisions published within 7 working days
-- ------------------------------------------------------------------
CREATE VIEW credit.sgs_timeliness WITH (security_invoker = true) AS
SELECT d.department_id,
       d.name AS department,
       r.category,
       count(*) AS decisions,
       count(*) FILTER (WHERE credit.legal_date(r.submitted_at) <= credit.add_working_days(r.decision_date, 7)) AS on_time,
       count(*) FILTER (WHERE credit.legal_date(r.submitted_at) > credit.add_working_days(r.decision_date, 7)) AS late,
       max(credit.working_days_between(credit.add_working_days(r.decision_date, 7), credit.legal_date(r.submitted_at)))
           FILTER (WHERE credit.legal_date(r.submitted_at) > credit.add_working_days(r.decision_date, 7)) AS worst_days_late
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
