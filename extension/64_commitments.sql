-- The install script, part 64: layer 6, credit commitments (信用承诺), their
-- whole life: the code (division + date + serial), making one
-- (credit.make_commitment), the commitment machine 已作出 → 核查中 →
-- 已履行 / 部分履行 / 未履行 → 违诺处理 → 已修复 through the engine
-- (50_workflow.sql), withdrawn (已撤回) before the matter is decided or
-- ended by the sweep when exempt from checks (已期满), its assessment (credit.assess_commitment), the loss of
-- the 告知承诺 route (credit.commitment_eligible), the licence a broken
-- 审批替代型 commitment enabled, flagged for its department, and the
-- public view.  The table is in 34_commitment.sql; a broken commitment is a
-- trigger of the joint measures (违诺, credit.check_hits, 60_measures.sql);
-- a broken 信用修复型 one republishes the repaired record (53_repair.sql).
-- docs/commitments.md; row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

ALTER TABLE credit.commitment
    ADD CONSTRAINT commitment_matter_code_fkey FOREIGN KEY (matter_code) REFERENCES credit.matter;

-- ------------------------------------------------------------------
-- The machine
-- ------------------------------------------------------------------
INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('commitment', '信用承诺', 'credit.commitment', 'commitment_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,check_deadline,liability_deadline,performance,broken_at,broken_reason,assessed_on,assessed_department_id,unfulfilled,liability_pursued,licence_flagged_on}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('commitment', '已作出', true, false, 'made; checked by its plan (or exempt)'),
    ('commitment', '核查中', false, false, 'being checked (事后核查)'),
    ('commitment', '已履行', false, true, 'fulfilled (全部履行)'),
    ('commitment', '部分履行', false, false, 'partly fulfilled: a breach, liability to pursue'),
    ('commitment', '未履行', false, false, 'not fulfilled (全部未履行): a breach, liability to pursue'),
    ('commitment', '违诺处理', false, false, 'liability pursued (限期整改, 中止办理, 撤销, penalty, measures)'),
    ('commitment', '已修复', false, true, 'the breach repaired: it no longer counts against the subject'),
    ('commitment', '已撤回', false, true, 'withdrawn by the subject before the matter it stood for was decided'),
    ('commitment', '已期满', false, true, 'exempt from checks, its validity over with no breach found (the sweep)');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('commitment', '已作出', '核查中', '开始核查', '{部门,信用中心}', false, false),
    ('commitment', '已作出', '已履行', '认定全部履行', '{部门,信用中心}', false, false),
    ('commitment', '已作出', '部分履行', '认定部分履行', '{部门,信用中心}', false, true),
    ('commitment', '已作出', '未履行', '认定全部未履行', '{部门,信用中心}', false, true),
    ('commitment', '核查中', '已履行', '认定全部履行', '{部门,信用中心}', false, false),
    ('commitment', '核查中', '部分履行', '认定部分履行', '{部门,信用中心}', false, true),
    ('commitment', '核查中', '未履行', '认定全部未履行', '{部门,信用中心}', false, true),
    ('commitment', '部分履行', '违诺处理', '追究违诺责任', '{部门,信用中心}', false, true),
    ('commitment', '未履行', '违诺处理', '追究违诺责任', '{部门,信用中心}', false, true),
    ('commitment', '违诺处理', '已修复', '违诺信息修复', '{部门,信用中心}', false, true),
    -- 深圳经济特区社会信用条例 第六十一条: the subject may withdraw a
    -- commitment before the matter is concluded (the subject through the
    -- portal, or the accepting department or the centre recording it)
    ('commitment', '已作出', '已撤回', '撤回承诺', '{信用网站,部门,信用中心}', false, true),
    -- an exempt commitment past its validity with no breach found: the sweep
    ('commitment', '已作出', '已期满', '期满', '{}', true, false);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, source) VALUES
    ('commitment', '核查中', 'check_deadline', 20, NULL,
     '事后核查 (国办发〔2019〕35号; 深圳经济特区社会信用条例 第六十三条): 无全国统一时限, UNCERTAIN; 默认 20 个工作日, 可配置'),
    ('commitment', '部分履行', 'liability_deadline', 20, NULL,
     '违诺处理 (深圳经济特区社会信用条例 第六十四条: 限期整改、中止办理): 无全国统一时限, UNCERTAIN; 默认 20 个工作日, 可配置'),
    ('commitment', '未履行', 'liability_deadline', 20, NULL,
     '违诺处理 (深圳经济特区社会信用条例 第六十四条: 限期整改、中止办理): 无全国统一时限, UNCERTAIN; 默认 20 个工作日, 可配置');

-- ------------------------------------------------------------------
-- The code: 6-digit division + 8-digit date + 6-digit serial
-- ------------------------------------------------------------------
-- The division of a department: characters 3 to 8 of its 统一社会信用代码
-- (登记管理机关行政区划码, GB 32100-2015); 000000 without one, or for the
-- centre (NULL).
CREATE FUNCTION credit.commitment_division(department_id integer) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN coalesce((SELECT pg_catalog.substr(d.uscc::text, 3, 6) FROM credit.department d
                      WHERE d.department_id OPERATOR(pg_catalog.=) commitment_division.department_id), '000000');
COMMENT ON FUNCTION credit.commitment_division(integer) IS '承诺编码区划 (the 6-digit division of a commitment code: characters 3-8 of the accepting department''s 统一社会信用代码, 000000 without one or for the centre)';

-- What the insert trigger needs beyond the caller's rights: the next code
-- of the division and day (serialised per division and day, reading every
-- commitment), and the subject's kind (a department does not read natural
-- persons' subject rows).  Only inside the insert trigger.
CREATE FUNCTION credit.new_commitment_code(subject_id bigint, department_id integer, disclosure text) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prefix text := credit.commitment_division(department_id) OPERATOR(pg_catalog.||)
                   pg_catalog.to_char(credit.legal_date(), 'YYYYMMDD');
    serial integer;
BEGIN
    IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.<) 1 THEN
        RAISE EXCEPTION 'credit.new_commitment_code() is called only by the insert trigger of credit.commitment'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Make a commitment with credit.make_commitment().';
    END IF;
    IF disclosure OPERATOR(pg_catalog.=) '可向社会公开'
       AND (SELECT s.kind FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) new_commitment_code.subject_id)
           OPERATOR(pg_catalog.=) '自然人'::credit.subject_kind THEN
        RAISE EXCEPTION 'a natural person''s commitment is not published (可向社会公开)'
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A natural person''s information is never public without a recorded legal basis.',
                  HINT = 'Make it 特定范围内公开 or 不可公开.';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('credit.commitment'), pg_catalog.hashtext(prefix));
    SELECT coalesce(pg_catalog.max(pg_catalog.substr(c.code, 15)::integer), 0) OPERATOR(pg_catalog.+) 1 INTO serial
      FROM credit.commitment c
     WHERE c.code OPERATOR(pg_catalog.>=) (prefix OPERATOR(pg_catalog.||) '000000')
       AND c.code OPERATOR(pg_catalog.<=) (prefix OPERATOR(pg_catalog.||) '999999');
    IF serial OPERATOR(pg_catalog.>) 999999 THEN
        RAISE EXCEPTION 'no commitment code is left for division % on %', pg_catalog.substr(prefix, 1, 6),
                        pg_catalog.substr(prefix, 7)
            USING ERRCODE = 'program_limit_exceeded', DETAIL = 'The serial has 6 digits: 999999 a day.';
    END IF;
    RETURN prefix OPERATOR(pg_catalog.||) pg_catalog.lpad(serial::text, 6, '0');
END
$$;
COMMENT ON FUNCTION credit.new_commitment_code(bigint, integer, text) IS '新承诺编码 (for the insert trigger only: the next 承诺编码 of the accepting department''s division today, serialised per division and day; refuses 可向社会公开 for a natural person)';

-- The liability a 信用修复型 commitment carries when none is given (the
-- national template of the repair commitment); NULL for other kinds.
CREATE FUNCTION credit.default_liability(kind text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN CASE WHEN kind OPERATOR(pg_catalog.=) '信用修复型'
                THEN '违反承诺的, 相关失信信息按最长公示期向社会公示, 并依法依规承担相应责任' END;
COMMENT ON FUNCTION credit.default_liability(text) IS '默认违诺责任 (the liability of a 信用修复型 commitment without one: its record is published again for its full maximum period; NULL for other kinds)';

-- ------------------------------------------------------------------
-- The 告知承诺 route: lost by a subject on a serious black list in force
-- or with a broken commitment not repaired (深圳 §59(四), 河南 §32(一)).
-- Caller's rights: it asks of what the caller's row security shows.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.commitment_eligible(subject_id bigint, matter text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    today date := credit.legal_date();
BEGIN
    IF subject_id IS NULL THEN
        RAISE EXCEPTION 'commitment_eligible needs a subject' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF matter IS NOT NULL AND NOT EXISTS (SELECT FROM credit.matter m WHERE m.matter_code OPERATOR(pg_catalog.=) matter
                                             AND m.valid_from OPERATOR(pg_catalog.<=) today
                                             AND (m.valid_until IS NULL OR m.valid_until OPERATOR(pg_catalog.>=) today)) THEN
        RAISE EXCEPTION 'unknown matter "%"', matter
            USING ERRCODE = 'foreign_key_violation', HINT = 'Name a matter of credit.matter in force today.';
    END IF;
    RETURN NOT EXISTS (SELECT FROM credit.list_entry e
                         JOIN credit.list_kind k ON k.list_kind OPERATOR(pg_catalog.=) e.list_kind
                        WHERE e.subject_id OPERATOR(pg_catalog.=) commitment_eligible.subject_id
                          AND k.serious AND k.colour OPERATOR(pg_catalog.=) '黑'
                          AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
                          AND e.listed_on OPERATOR(pg_catalog.<=) today
                          AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today))
       AND NOT EXISTS (SELECT FROM credit.commitment c
                        WHERE c.subject_id OPERATOR(pg_catalog.=) commitment_eligible.subject_id
                          AND c.broken_at IS NOT NULL AND c.state OPERATOR(pg_catalog.<>) '已修复');
END
$$;
COMMENT ON FUNCTION credit.commitment_eligible(bigint, text) IS '可否适用告知承诺 (may the subject use the 告知承诺 route for the matter? false when it is on a serious black list in force or has a broken commitment not repaired (深圳 §59(四), 河南 §32(一)); reads with the caller''s row security; an unknown matter is an error)';

-- ------------------------------------------------------------------
-- Making a commitment: caller's rights (a department as itself, the
-- centre); what a client may not set is set here.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.commitment_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kinds constant text[] := ARRAY['审批替代型', '容缺受理型', '证明事项型', '信用修复型', '行业自律型', '主动型', '其他'];
    disclosures constant text[] := ARRAY['可向社会公开', '特定范围内公开', '不可公开'];
    party credit.party_kind := credit.current_party_kind();
    today date := credit.legal_date();
BEGIN
    IF NEW.kind IS NULL OR NEW.kind OPERATOR(pg_catalog.<>) ALL (kinds) THEN
        RAISE EXCEPTION 'unknown commitment kind "%"', NEW.kind
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The kind is one of ' || pg_catalog.array_to_string(kinds, ', ') || '.';
    END IF;
    IF NEW.disclosure IS NULL OR NEW.disclosure OPERATOR(pg_catalog.<>) ALL (disclosures) THEN
        RAISE EXCEPTION 'unknown disclosure "%" of a commitment', NEW.disclosure
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The disclosure is 可向社会公开, 特定范围内公开 or 不可公开.';
    END IF;
    IF NEW.subject_id IS NULL THEN
        RAISE EXCEPTION 'a commitment needs a subject' USING ERRCODE = 'not_null_violation';
    END IF;
    IF NEW.content IS NULL OR pg_catalog.btrim(NEW.content) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a commitment needs its content' USING ERRCODE = 'not_null_violation';
    END IF;
    IF party OPERATOR(pg_catalog.=) '信用网站' THEN
        -- a subject's own voluntary commitment (主动型), through the portal
        -- acting for it: the centre is its accepting body, and it has no
        -- planned check (a breach found is recorded by the centre or a
        -- department with credit.record_commitment_breach)
        IF NOT credit.acting_for(NEW.subject_id) THEN
            RAISE EXCEPTION 'the portal makes commitments only for the subject it acts for'
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Call credit.act_for_subject(subject_id) in the transaction first.';
        END IF;
        IF NEW.kind OPERATOR(pg_catalog.<>) '主动型' THEN
            RAISE EXCEPTION 'a subject makes only a 主动型 commitment through the portal'
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = pg_catalog.format('A %s commitment is accepted by the department handling its matter.', NEW.kind),
                      HINT = 'Make it 主动型, or make it at the accepting department.';
        END IF;
        IF NEW.department_id IS NOT NULL OR NEW.check_due IS NOT NULL THEN
            RAISE EXCEPTION 'a commitment made through the portal names no department and no check date'
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Leave department_id and check_due out: the centre accepts it, without a planned check.';
        END IF;
        NEW.check_exempt := true;
    ELSIF party OPERATOR(pg_catalog.=) '部门' THEN
        IF NEW.department_id IS NULL THEN
            NEW.department_id := credit.current_department_id();
        ELSIF NEW.department_id OPERATOR(pg_catalog.<>) credit.current_department_id() THEN
            RAISE EXCEPTION 'a department accepts commitments as itself'
                USING ERRCODE = 'insufficient_privilege', HINT = 'Leave department_id out: it is yours.';
        END IF;
    END IF;
    NEW.liability := coalesce(NEW.liability, credit.default_liability(NEW.kind));
    IF NEW.kind OPERATOR(pg_catalog.<>) '信用修复型' THEN
        -- the written notice states the liability, and the check plan
        -- says when the body checks (深圳 §60, §63)
        IF NEW.liability IS NULL OR pg_catalog.btrim(NEW.liability) OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'a % commitment needs the liability for a breach', NEW.kind
                USING ERRCODE = 'not_null_violation', HINT = 'Give the 违诺责任 the subject accepts.';
        END IF;
        IF NEW.check_due IS NULL AND NOT NEW.check_exempt THEN
            RAISE EXCEPTION 'a % commitment needs a check plan', NEW.kind
                USING ERRCODE = 'not_null_violation', HINT = 'Give check_due (the date the check starts by) or check_exempt => true.';
        END IF;
    END IF;
    IF NEW.check_due IS NOT NULL AND NEW.check_exempt THEN
        RAISE EXCEPTION 'a commitment has a check date or is exempt from checks, not both'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.valid_until OPERATOR(pg_catalog.<) today OR NEW.check_due OPERATOR(pg_catalog.<) today THEN
        RAISE EXCEPTION 'a commitment made on % cannot end or be checked before it', pg_catalog.to_char(today, 'YYYY-MM-DD')
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('valid_until %s, check_due %s.',
                                             coalesce(pg_catalog.to_char(NEW.valid_until, 'YYYY-MM-DD'), 'none'),
                                             coalesce(pg_catalog.to_char(NEW.check_due, 'YYYY-MM-DD'), 'none'));
    END IF;
    IF NEW.matter_code IS NOT NULL AND NOT EXISTS (
            SELECT FROM credit.matter m WHERE m.matter_code OPERATOR(pg_catalog.=) NEW.matter_code
               AND m.valid_from OPERATOR(pg_catalog.<=) today
               AND (m.valid_until IS NULL OR m.valid_until OPERATOR(pg_catalog.>=) today)) THEN
        RAISE EXCEPTION 'unknown matter "%"', NEW.matter_code
            USING ERRCODE = 'foreign_key_violation', HINT = 'Name a matter of credit.matter in force today.';
    END IF;
    IF NEW.kind OPERATOR(pg_catalog.=) ANY (ARRAY['审批替代型', '容缺受理型', '证明事项型']) THEN
        IF NEW.matter_code IS NULL THEN
            RAISE EXCEPTION 'a % commitment is made for a matter', NEW.kind
                USING ERRCODE = 'not_null_violation', HINT = 'Name the matter of credit.matter it stands for.';
        END IF;
        IF NOT credit.commitment_eligible(NEW.subject_id, NEW.matter_code) THEN
            RAISE EXCEPTION 'subject % cannot use the 告知承诺 route', NEW.subject_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'It is on a serious black list, or has a broken commitment not repaired.',
                      HINT = 'Handle the matter with the full materials.';
        END IF;
    END IF;
    IF NEW.licence_record_id IS NOT NULL THEN
        PERFORM credit.commitment_licence_check(NEW);
    END IF;
    -- what only the machine and the clock set
    NEW.code := credit.new_commitment_code(NEW.subject_id, NEW.department_id, NEW.disclosure);
    NEW.made_at := now();
    NEW.made_on := today;
    NEW.performance := NULL;
    NEW.broken_at := NULL;
    NEW.broken_reason := NULL;
    NEW.assessed_on := NULL;
    NEW.assessed_department_id := NULL;
    NEW.unfulfilled := NULL;
    NEW.liability_pursued := NULL;
    NEW.licence_flagged_on := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.commitment_before_insert() IS '触发器: 作出承诺 (trigger, caller''s rights: refuses an unknown kind, through the portal anything but a 主动型 commitment of the subject it acts for (accepted by the centre, exempt from checks) or disclosure, a blank content, another department''s name, a commitment without liability or check plan (but 信用修复型), dates before today, an unknown matter, a 告知承诺 kind without a matter or for a subject not eligible, a wrong licence; sets the code, the day, and clears what the machine sets)';

-- The licence a 审批替代型 commitment enabled: a 行政许可 record in force
-- of its subject, that the caller reads, of the accepting department.
CREATE FUNCTION credit.commitment_licence_check(c credit.commitment) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rec record;
BEGIN
    IF c.kind OPERATOR(pg_catalog.<>) '审批替代型' THEN
        RAISE EXCEPTION 'only a 审批替代型 commitment enables a licence'
            USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.format('Commitment %s is %s.', c.code, c.kind);
    END IF;
    SELECT r.subject_id, r.category, r.state, r.department_id INTO rec
      FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) c.licence_record_id;
    IF NOT FOUND OR rec.category OPERATOR(pg_catalog.<>) '行政许可' OR rec.state OPERATOR(pg_catalog.<>) '有效'
       OR rec.subject_id OPERATOR(pg_catalog.<>) c.subject_id
       OR rec.department_id IS DISTINCT FROM coalesce(c.department_id, rec.department_id) THEN
        RAISE EXCEPTION 'record % is not a licence in force of the commitment''s subject and department that you can see',
                        c.licence_record_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Name the 行政许可 record the accepting department decided for this subject.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.commitment_licence_check(credit.commitment) IS '承诺所涉许可检查 (the licence of a 审批替代型 commitment is a 行政许可 record in force of the same subject and accepting department that the caller reads; an error otherwise)';

CREATE FUNCTION credit.make_commitment(subject_id bigint, kind text, matter text, content text, liability text,
                                       valid_until date, disclosure text, reason text DEFAULT NULL,
                                       check_due date DEFAULT NULL, check_exempt boolean DEFAULT false) RETURNS text
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO credit.commitment (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason,
                                   check_due, check_exempt)
    VALUES (make_commitment.subject_id, make_commitment.kind, make_commitment.matter, make_commitment.content,
            make_commitment.liability, make_commitment.valid_until, make_commitment.disclosure, make_commitment.reason,
            make_commitment.check_due, coalesce(make_commitment.check_exempt, false))
    RETURNING code;
END;
COMMENT ON FUNCTION credit.make_commitment(bigint, text, text, text, text, date, text, text, date, boolean) IS '作出信用承诺 (the accepting department (or the centre) records a subject''s commitment, or the subject its own 主动型 one through the portal acting for it: kind, matter (credit.matter; required for 审批替代型, 容缺受理型, 证明事项型, which need credit.commitment_eligible), content, liability, valid until, disclosure, reason, the check plan (check_due or check_exempt); returns the 承诺编码)';

CREATE FUNCTION credit.link_commitment_licence(code text, licence_record_id bigint) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.commitment c SET licence_record_id = link_commitment_licence.licence_record_id
     WHERE c.code OPERATOR(pg_catalog.=) link_commitment_licence.code AND c.licence_record_id IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commitment % is not one of yours without a licence', code
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'The accepting department names the licence once.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.link_commitment_licence(text, bigint) IS '关联承诺所涉许可 (the accepting department names, once, the licence record a 审批替代型 commitment enabled)';

-- ------------------------------------------------------------------
-- Effects of a transition on the commitment itself (after the guard):
-- the performance found, by whom and when, the breach, the liability
-- pursued, the licence flagged; a withdrawal only before the matter is
-- decided.  And a licence named later is checked.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.commitment_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record;
BEGIN
    IF NEW.licence_record_id IS NOT NULL AND OLD.licence_record_id IS NULL THEN
        PERFORM credit.commitment_licence_check(NEW);
    END IF;
    IF NEW.state OPERATOR(pg_catalog.=) OLD.state THEN
        RETURN NEW;
    END IF;
    req := credit.transition_request();
    IF NEW.state OPERATOR(pg_catalog.=) '已撤回' THEN
        -- the matter it stood for is decided once its licence is named; a
        -- repair commitment stands or falls with its repair application
        IF OLD.licence_record_id IS NOT NULL THEN
            RAISE EXCEPTION 'commitment % cannot be withdrawn: the matter it stood for is decided', OLD.code
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = pg_catalog.format('It enabled licence record %s.', OLD.licence_record_id),
                      HINT = 'A commitment is withdrawn before the matter is concluded; the licence is revoked by a new record of its department.';
        END IF;
        IF OLD.kind OPERATOR(pg_catalog.=) '信用修复型' THEN
            RAISE EXCEPTION 'commitment % cannot be withdrawn: it belongs to a repair application', OLD.code
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'A 信用修复型 commitment stands or falls with its repair application.';
        END IF;
    ELSIF NEW.state OPERATOR(pg_catalog.=) ANY (ARRAY['已履行', '部分履行', '未履行']) THEN
        NEW.performance := CASE NEW.state WHEN '已履行' THEN '全部履行' WHEN '部分履行' THEN '部分履行' ELSE '全部未履行' END;
        NEW.assessed_on := credit.legal_date();
        NEW.assessed_department_id := credit.current_department_id();
        IF NEW.state OPERATOR(pg_catalog.<>) '已履行' THEN
            NEW.broken_at := now();
            NEW.broken_reason := NEW.state_reason;
            NEW.unfulfilled := coalesce(NULLIF(pg_catalog.btrim(req.details OPERATOR(pg_catalog.->>) 'unfulfilled'), ''),
                                        NEW.state_reason);
            IF NEW.kind OPERATOR(pg_catalog.=) '审批替代型' AND NEW.licence_record_id IS NOT NULL THEN
                NEW.licence_flagged_on := credit.legal_date();
            END IF;
        END IF;
    ELSIF NEW.state OPERATOR(pg_catalog.=) '违诺处理' THEN
        NEW.liability_pursued := coalesce(NULLIF(pg_catalog.btrim(req.details OPERATOR(pg_catalog.->>) 'liability_pursued'), ''),
                                          NEW.state_reason);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.commitment_rules() IS '触发器: 承诺状态的效果 (trigger, after the guard: 已撤回 refused once the licence it enabled is named, or for a 信用修复型 commitment; 已履行/部分履行/未履行 set the performance, the date and department that found it; a breach (部分履行, 未履行) sets broken_at, the breach and what was not performed (details->>''unfulfilled''), and flags the licence of a 审批替代型 commitment; 违诺处理 keeps how liability was pursued (details->>''liability_pursued''); a licence named later is checked)';

-- What the sweep finds due (credit.sweep, 51_publicity.sql): exempt
-- commitments still 已作出, by the end of their validity.
CREATE INDEX commitment_exempt_due ON credit.commitment (valid_until) WHERE state = '已作出' AND check_exempt;
COMMENT ON INDEX credit.commitment_exempt_due IS '免核查承诺到期索引 (the sweep''s index: exempt commitments still 已作出, by the end of their validity)';

CREATE TRIGGER commitment_before_insert BEFORE INSERT ON credit.commitment
    FOR EACH ROW WHEN (NOT credit.restoring('credit.commitment')) EXECUTE FUNCTION credit.commitment_before_insert();
CREATE TRIGGER commitment_machine BEFORE INSERT OR UPDATE ON credit.commitment
    FOR EACH ROW WHEN (NOT credit.restoring('credit.commitment')) EXECUTE FUNCTION credit.workflow_guard('commitment');
CREATE TRIGGER commitment_rules BEFORE UPDATE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.commitment_rules();
CREATE TRIGGER commitment_no_truncate BEFORE TRUNCATE ON credit.commitment
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

-- ------------------------------------------------------------------
-- Assessing: the performance found (全部履行, 部分履行, 全部未履行), as the
-- caller, through the machine.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.assess_commitment(code text, performance text, details jsonb DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
    target text := CASE performance WHEN '全部履行' THEN '已履行' WHEN '部分履行' THEN '部分履行' WHEN '全部未履行' THEN '未履行' END;
    why text;
BEGIN
    IF target IS NULL THEN
        RAISE EXCEPTION 'unknown performance "%"', performance
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The performance is 全部履行, 部分履行 or 全部未履行.';
    END IF;
    IF details IS NOT NULL AND pg_catalog.jsonb_typeof(details) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'assessment details must be a json object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    why := NULLIF(pg_catalog.btrim(coalesce(details OPERATOR(pg_catalog.->>) 'unfulfilled', details OPERATOR(pg_catalog.->>) 'reason')), '');
    IF target OPERATOR(pg_catalog.<>) '已履行' AND why IS NULL THEN
        RAISE EXCEPTION 'a commitment % needs what was not performed', performance
            USING ERRCODE = 'not_null_violation', HINT = 'Give details => ''{"unfulfilled": "..."}''.';
    END IF;
    SELECT c.commitment_id INTO id FROM credit.commitment c WHERE c.code OPERATOR(pg_catalog.=) assess_commitment.code;
    IF id IS NULL THEN
        RAISE EXCEPTION 'no commitment with code % that you can see', code
            USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM credit.transition('commitment', id, target, why, details);
END
$$;
COMMENT ON FUNCTION credit.assess_commitment(text, text, jsonb) IS '认定履约情况 (the accepting department or the centre finds a commitment''s performance, by its code: 全部履行 → 已履行, 部分履行, 全部未履行 → 未履行 (details->>''unfulfilled'' required); through credit.transition, as the caller)';

-- Withdrawing (撤回): before the matter is decided, by the subject through
-- the portal acting for it, or recorded by the accepting department or the
-- centre; through the machine, as the caller.
CREATE FUNCTION credit.withdraw_commitment(code text, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
BEGIN
    IF reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a withdrawal needs its reason' USING ERRCODE = 'not_null_violation',
            HINT = 'Say why the subject withdraws the commitment.';
    END IF;
    SELECT c.commitment_id INTO id FROM credit.commitment c WHERE c.code OPERATOR(pg_catalog.=) withdraw_commitment.code;
    IF id IS NULL THEN
        RAISE EXCEPTION 'no commitment with code % that you can see', code
            USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM credit.transition('commitment', id, '已撤回', reason);
END
$$;
COMMENT ON FUNCTION credit.withdraw_commitment(text, text) IS '撤回信用承诺 (withdraw a commitment by its code before the matter it stood for is decided (深圳 §61): the subject through the portal acting for it, the accepting department or the centre; 已作出 → 已撤回 through credit.transition, as the caller; refused once its licence is named, and for a 信用修复型 commitment)';

-- A breach found otherwise (e.g. the subject breaks a repair commitment):
-- 全部未履行, from 已作出 or 核查中.
CREATE FUNCTION credit.record_commitment_breach(commitment_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a breach needs a description' USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM FROM credit.commitment c
      WHERE c.commitment_id OPERATOR(pg_catalog.=) record_commitment_breach.commitment_id AND c.broken_at IS NULL
        AND c.state OPERATOR(pg_catalog.=) ANY (ARRAY['已作出', '核查中'])
      FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commitment % is not an unbroken commitment you can see', commitment_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM credit.transition('commitment', commitment_id, '未履行', reason,
                              pg_catalog.jsonb_build_object('unfulfilled', reason));
END
$$;
COMMENT ON FUNCTION credit.record_commitment_breach(bigint, text) IS '记录违诺 (record the breach of a commitment, as the calling role: the centre, the accepting department or the department that decided the repair; the commitment moves to 未履行 (全部未履行); a 信用修复型 breach restores the record''s publicity to its maximum)';

-- ------------------------------------------------------------------
-- What the public sees (policy commitment_public, 90_row_security.sql):
-- 可向社会公开 commitments from the day they are made while valid; a broken
-- one for 5 years from the day the breach was found (the limit of negative
-- information), a repaired breach as a valid one.
-- ------------------------------------------------------------------
CREATE VIEW credit.public_commitment AS
SELECT code, kind, subject_id, reason, matter_code, department_id, content, liability, made_on, valid_until,
       state, performance, assessed_on, unfulfilled
  FROM credit.commitment;
ALTER VIEW credit.public_commitment OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_commitment IS '公示承诺 (commitments as the public sees them, whoever reads: 可向社会公开 ones while public (made, valid; a broken one 5 years from the breach found), and for the portal acting for a subject that subject''s own)';
DO $comments$
DECLARE
    col name;
BEGIN
    FOR col IN SELECT a.attname FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) 'credit.public_commitment'::pg_catalog.regclass
                  AND a.attnum OPERATOR(pg_catalog.>) 0 LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.public_commitment.%I IS %L', col,
                                  pg_catalog.col_description('credit.commitment'::pg_catalog.regclass,
                                                             (SELECT b.attnum FROM pg_catalog.pg_attribute b
                                                               WHERE b.attrelid OPERATOR(pg_catalog.=) 'credit.commitment'::pg_catalog.regclass
                                                                 AND b.attname OPERATOR(pg_catalog.=) col)));
    END LOOP;
END
$comments$;

-- Licences a broken 审批替代型 commitment enabled, for the department that
-- decided them (the centre: all); the revocation is the department's, as
-- a new record.
CREATE VIEW credit.commitment_licence_flag WITH (security_invoker = true) AS
SELECT c.code, c.commitment_id, c.subject_id, c.department_id, c.licence_record_id, r.licence_no, r.licence_name,
       r.department_id AS licence_department_id, c.licence_flagged_on, c.state, c.unfulfilled
  FROM credit.commitment c
  JOIN credit.record r ON r.record_id OPERATOR(pg_catalog.=) c.licence_record_id
 WHERE c.licence_flagged_on IS NOT NULL
   AND coalesce(r.department_id OPERATOR(pg_catalog.=) (SELECT credit.current_department_id()), true);
COMMENT ON VIEW credit.commitment_licence_flag IS '违诺许可待处理 (licences enabled by a broken 审批替代型 commitment, flagged for the department that decided them: it decides on revocation, a new record; the centre sees all)';
COMMENT ON COLUMN credit.commitment_licence_flag.code IS '承诺编码 (the commitment code)';
COMMENT ON COLUMN credit.commitment_licence_flag.commitment_id IS '承诺编号 (internal id)';
COMMENT ON COLUMN credit.commitment_licence_flag.subject_id IS '承诺主体 (subject)';
COMMENT ON COLUMN credit.commitment_licence_flag.department_id IS '受理单位 (the accepting department)';
COMMENT ON COLUMN credit.commitment_licence_flag.licence_record_id IS '所涉许可 (the licence record)';
COMMENT ON COLUMN credit.commitment_licence_flag.licence_no IS '许可编号 (licence number)';
COMMENT ON COLUMN credit.commitment_licence_flag.licence_name IS '许可证书名称 (licence certificate)';
COMMENT ON COLUMN credit.commitment_licence_flag.licence_department_id IS '许可机关 (the department that decided the licence)';
COMMENT ON COLUMN credit.commitment_licence_flag.licence_flagged_on IS '标记日期 (the legal date the breach flagged it)';
COMMENT ON COLUMN credit.commitment_licence_flag.state IS '承诺状态 (the commitment''s state)';
COMMENT ON COLUMN credit.commitment_licence_flag.unfulfilled IS '未履行内容 (what was not performed)';
