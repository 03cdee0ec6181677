-- The install script, part 60: layer 6, 联合奖惩 (joint rewards and
-- punishments): the measures (措施清单), the matters where credit is checked
-- (应用清单) and the rules that connect a trigger to measures for a matter,
-- as data; the credit check a department makes before a decision, and its
-- feedback (触发-反馈).  docs/measures.md; row security: 90_row_security.sql;
-- privileges: 91_privileges.sql; backup: 95_backup.sql.

-- ------------------------------------------------------------------
-- Measures, matters and rules: reference data the centre loads and
-- changes, read by every registered role.  Each row has its source and the
-- dates it is in force (inclusive; NULL until: still in force).
-- ------------------------------------------------------------------
CREATE TABLE credit.measure (
    measure_code      text PRIMARY KEY CHECK (measure_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    edition_level     text NOT NULL CHECK (edition_level IN ('全国', '省级', '市级')),
    edition           text NOT NULL CHECK (btrim(edition) <> ''),
    polarity          text NOT NULL CHECK (polarity IN ('激励', '惩戒')),
    kind              text NOT NULL CHECK (btrim(kind) <> ''),
    content           text NOT NULL CHECK (btrim(content) <> ''),
    targets           text NOT NULL CHECK (btrim(targets) <> ''),
    basis             text NOT NULL CHECK (btrim(basis) <> ''),
    implementing_body text NOT NULL CHECK (btrim(implementing_body) <> ''),
    mandatory         boolean NOT NULL DEFAULT false,
    valid_from        date NOT NULL,
    valid_until       date,
    source            text NOT NULL CHECK (btrim(source) <> ''),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
COMMENT ON TABLE credit.measure IS '奖惩措施清单 (the measures: national 基础清单, provincial and city 补充清单; a closed list, each measure with its content, targets, basis and implementing body)';
COMMENT ON COLUMN credit.measure.measure_code IS '措施代码 (measure code)';
COMMENT ON COLUMN credit.measure.edition_level IS '清单层级 (level of the list: 全国 national 基础清单, 省级 or 市级 补充清单)';
COMMENT ON COLUMN credit.measure.edition IS '清单版本 (the edition: title of the list or of the law the measure comes from)';
COMMENT ON COLUMN credit.measure.polarity IS '措施性质 (激励 incentive or 惩戒 punishment)';
COMMENT ON COLUMN credit.measure.kind IS '措施类别 (kind, e.g. 减损权益或增加义务, 管理措施, 激励措施)';
COMMENT ON COLUMN credit.measure.content IS '具体措施 (what the measure does)';
COMMENT ON COLUMN credit.measure.targets IS '实施对象 (whom it applies to)';
COMMENT ON COLUMN credit.measure.basis IS '实施依据 (legal or policy basis, cited)';
COMMENT ON COLUMN credit.measure.implementing_body IS '实施主体 (implementing body: a department, or 各有关部门)';
COMMENT ON COLUMN credit.measure.mandatory IS '应当实施 (true: the basis says 应当, the measure must be applied; false: 可以)';
COMMENT ON COLUMN credit.measure.valid_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.measure.valid_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.measure.source IS '出处 (source of the row; UNCERTAIN where not read in the official text)';

CREATE TABLE credit.matter (
    matter_code    text PRIMARY KEY CHECK (matter_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    kind           text NOT NULL CHECK (kind IN ('行政许可', '政府采购', '招投标', '财政资金', '评优表彰', '录用',
                                                 '日常监管', '资质等级评定', '公共资源交易', '进出口管理', '定期检验', '其他')),
    department_id  integer REFERENCES credit.department,
    check_mandatory boolean NOT NULL DEFAULT false,
    valid_from     date NOT NULL,
    valid_until    date,
    source         text NOT NULL CHECK (btrim(source) <> ''),
    feedback_working_days integer CHECK (feedback_working_days > 0),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
COMMENT ON TABLE credit.matter IS '信用查询事项 (应用清单: the matters where a department checks credit before deciding)';
COMMENT ON COLUMN credit.matter.matter_code IS '事项代码 (matter code: the 政务服务事项编码 where one exists)';
COMMENT ON COLUMN credit.matter.name IS '事项名称 (name)';
COMMENT ON COLUMN credit.matter.kind IS '事项类别 (kind: 行政许可, 政府采购, 招投标, 财政资金, 评优表彰, 录用, ...)';
COMMENT ON COLUMN credit.matter.department_id IS '主管部门 (owning department; NULL: every department that handles it)';
COMMENT ON COLUMN credit.matter.check_mandatory IS '应查必查 (is the check mandatory by local law? default false)';
COMMENT ON COLUMN credit.matter.valid_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.matter.valid_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.matter.source IS '出处 (source of the row)';
COMMENT ON COLUMN credit.matter.feedback_working_days IS '反馈时限(工作日) (the checking department gives feedback on every measure a check returned within this many working days of the check, or the check is in credit.workflow_overdue; NULL: no deadline (none found in national rules: UNCERTAIN))';

CREATE TABLE credit.measure_rule (
    rule_code     text PRIMARY KEY CHECK (rule_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    trigger_kind  text NOT NULL CHECK (trigger_kind IN ('失信记录', '守信记录', '严重失信名单', '红名单', '重点关注名单', '名单', '违诺', '评价等级')),
    trigger_value text CHECK (btrim(trigger_value) <> ''),
    matter_kind   text,
    matter_code   text REFERENCES credit.matter,
    measure_code  text NOT NULL REFERENCES credit.measure,
    valid_from    date NOT NULL,
    valid_until   date,
    source        text NOT NULL CHECK (btrim(source) <> ''),
    names_persons boolean NOT NULL DEFAULT false,
    CHECK ((matter_kind IS NULL) <> (matter_code IS NULL)),
    CHECK (trigger_kind NOT IN ('名单', '评价等级') OR trigger_value IS NOT NULL),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX measure_rule_measure ON credit.measure_rule (measure_code);
CREATE INDEX measure_rule_matter ON credit.measure_rule (matter_code);
COMMENT ON TABLE credit.measure_rule IS '奖惩规则 (which trigger calls for which measure, for a kind of matter or one matter: measures apply 就相关联的事项, never globally)';
COMMENT ON COLUMN credit.measure_rule.rule_code IS '规则代码 (rule code)';
COMMENT ON COLUMN credit.measure_rule.trigger_kind IS '触发类别 (失信记录 a 失信 record in force, 守信记录 a 守信 record in force, 严重失信名单 an entry of a serious black list, 红名单 a red-list entry, 重点关注名单 an entry of a 重点关注 list, 名单 an entry of the list kind trigger_value, 违诺 a broken commitment, 评价等级 a current, valid, published evaluation grade trigger_value)';
COMMENT ON COLUMN credit.measure_rule.trigger_value IS '触发值 (the catalogue item of a record trigger, the list kind of a list trigger, the commitment kind of 违诺, the grade (of any scheme) of 评价等级; NULL: any; required for 名单 and 评价等级)';
COMMENT ON COLUMN credit.measure_rule.matter_kind IS '事项类别 (the kind of matter it applies to; or matter_code)';
COMMENT ON COLUMN credit.measure_rule.matter_code IS '事项 (the one matter it applies to; or matter_kind)';
COMMENT ON COLUMN credit.measure_rule.measure_code IS '措施 (the measure)';
COMMENT ON COLUMN credit.measure_rule.valid_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.measure_rule.valid_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.measure_rule.source IS '出处 (source of the row)';
COMMENT ON COLUMN credit.measure_rule.names_persons IS '列明责任人 (the measure reaches the responsible persons of a listed organisation (Shandong §31, Henan §35): a hit of a list entry then names them, credit.check_hit_persons)';

-- The shipped sample: a few measures of the Shandong regulation's general
-- and serious-list articles, matters of the Zhejiang list of compulsory
-- checks, and the rules between them.  Wording is a summary, not the
-- article's text, where the source says so (UNCERTAIN).
INSERT INTO credit.measure VALUES
    ('SD-28-1', '省级', '山东省社会信用条例(2020-07-24)', '惩戒', '管理措施',
     '在行政许可等工作中列为重点审查对象', '失信主体', '山东省社会信用条例 第二十八条', '各有关部门', false,
     '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (措施措辞为摘要, UNCERTAIN; 施行日期 UNCERTAIN)'),
    ('SD-28-2', '省级', '山东省社会信用条例(2020-07-24)', '惩戒', '管理措施',
     '在财政资金补助、政策扶持中作相应限制', '失信主体', '山东省社会信用条例 第二十八条', '各有关部门', false,
     '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (措施措辞为摘要, UNCERTAIN; 施行日期 UNCERTAIN)'),
    ('SD-28-3', '省级', '山东省社会信用条例(2020-07-24)', '惩戒', '管理措施',
     '在评优评先中作相应限制', '失信主体', '山东省社会信用条例 第二十八条', '各有关部门', false,
     '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (措施措辞为摘要, UNCERTAIN; 施行日期 UNCERTAIN)'),
    ('SD-30-1', '省级', '山东省社会信用条例(2020-07-24)', '惩戒', '减损权益或增加义务',
     '限制参加政府采购、政府投资项目招标投标', '严重失信主体', '山东省社会信用条例 第三十条', '各有关部门', true,
     '2020-10-01', NULL, '山东省社会信用条例 第三十条 (措施措辞为摘要, UNCERTAIN; 施行日期 UNCERTAIN)'),
    ('SD-26-1', '省级', '山东省社会信用条例(2020-07-24)', '激励', '激励措施',
     '在行政许可中给予绿色通道、容缺受理等便利', '守信主体', '山东省社会信用条例 第二十六条', '各有关部门', false,
     '2020-10-01', NULL, '山东省社会信用条例 第二十六条 (措施措辞为摘要, UNCERTAIN; 施行日期 UNCERTAIN)'),
    ('CN-ZFCG-22', '全国', '全国失信惩戒措施基础清单(2024年版)', '惩戒', '减损权益或增加义务',
     '参加政府采购活动前三年内在经营活动中有重大违法记录的, 不得参加政府采购活动', '政府采购供应商',
     '中华人民共和国政府采购法 第二十二条', '财政部门、采购人', true,
     '2003-01-01', NULL, '政府采购法 第二十二条; 列入基础清单(2024年版)的条目编号与施行日期 UNCERTAIN');

INSERT INTO credit.matter VALUES
    ('ZJ-XZXK', '行政许可', '行政许可', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)'),
    ('ZJ-ZFCG', '政府采购', '政府采购', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)'),
    ('ZJ-ZTB', '政府投资项目招投标', '招投标', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)'),
    ('ZJ-ZJFC', '资金扶持', '财政资金', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)'),
    ('ZJ-BZJL', '表彰奖励', '评优表彰', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)'),
    ('ZJ-LY', '录用', '录用', NULL, true, '2018-01-01', NULL, '浙江省公共信用信息管理条例 第二十一条 (应当依法查询)');

INSERT INTO credit.measure_rule VALUES
    ('SD-28-1-XK', '失信记录', NULL, '行政许可', NULL, 'SD-28-1', '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (示例规则)'),
    ('SD-28-2-ZJ', '失信记录', NULL, '财政资金', NULL, 'SD-28-2', '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (示例规则)'),
    ('SD-28-3-PY', '失信记录', NULL, '评优表彰', NULL, 'SD-28-3', '2020-10-01', NULL, '山东省社会信用条例 第二十八条 (示例规则)'),
    ('SD-30-1-CG', '严重失信名单', NULL, '政府采购', NULL, 'SD-30-1', '2020-10-01', NULL, '山东省社会信用条例 第三十条 (示例规则)'),
    ('SD-30-1-ZTB', '严重失信名单', NULL, '招投标', NULL, 'SD-30-1', '2020-10-01', NULL, '山东省社会信用条例 第三十条 (示例规则)'),
    ('SD-26-1-XK', '红名单', NULL, '行政许可', NULL, 'SD-26-1', '2020-10-01', NULL, '山东省社会信用条例 第二十六条 (示例规则)'),
    ('CN-ZFCG-22-CG', '严重失信名单', NULL, '政府采购', NULL, 'CN-ZFCG-22', '2003-01-01', NULL, '政府采购法 第二十二条 (示例规则: 严重失信名单作为重大违法记录, UNCERTAIN)');

-- ------------------------------------------------------------------
-- The check's hits: what calls for a measure for this matter today, as the
-- caller sees it: the subject's triggers (credit.check_triggers,
-- 67_check_hits.sql, after current_grades of 63_evaluation.sql, which it
-- is bound to) matched to the matter's rules in force (check_rules.c).  A
-- department reads the commitments its row security shows
-- (commitment_department: those not 不可公开, those it accepted, those of
-- the repairs it decided), so only those trigger.  Speed (docs/measures.md,
-- bench/measures.sh): credit.check_hits, credit.check and the check row's
-- trigger are C (extension/credit_check.c), one kept plan of the query.
-- ------------------------------------------------------------------

-- The rules of each matter are a table cache (table_cache.h) of the
-- check (extension/check_rules.c): a change of credit.matter,
-- credit.measure_rule or credit.measure drops it in every session.
CREATE FUNCTION credit.measure_rules_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.measure_rules_changed() IS '触发器: 事项、规则或措施变更 (trigger: tells every session to drop its cached rules of the matters)';
CREATE TRIGGER matter_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.matter
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();
CREATE TRIGGER measure_rule_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.measure_rule
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();
CREATE TRIGGER measure_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.measure
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();

-- The responsible persons a hit names: a hit of a list entry by a rule
-- that names persons (measure_rule.names_persons) gets "persons", the
-- entry's persons (credit.list_entry_person, read with the caller's row
-- security) with their role, name and masked identity number; other hits
-- as they are.  Called by credit.check_hits on its result.
-- PL/pgSQL, not a SQL function: its plans are kept for the session (a SQL
-- function with a SET clause is planned again on every call, about 15 ms a
-- check at 20 000 records, bench/measures.sh), and a check with no hit, or
-- with no rule that names persons, returns before the persons are read.
CREATE FUNCTION credit.check_hit_persons(hits jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.jsonb_array_length(hits) OPERATOR(pg_catalog.=) 0
       OR NOT EXISTS (SELECT FROM credit.measure_rule r WHERE r.names_persons) THEN
        RETURN hits;
    END IF;
    RETURN (SELECT pg_catalog.jsonb_agg(CASE WHEN r.names_persons AND x.h OPERATOR(pg_catalog.->>) 'hit_kind' OPERATOR(pg_catalog.=) '名单条目'
                     THEN x.h OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('persons',
                              (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                          'role', p.role, 'name', p.name, 'resident_id', p.resident_id_public)
                                          ORDER BY p.person_id), '[]'::jsonb)
                                 FROM credit.list_entry_person p
                                WHERE p.entry_id OPERATOR(pg_catalog.=) (x.h OPERATOR(pg_catalog.->>) 'hit_id')::bigint))
                     ELSE x.h END ORDER BY x.n)
              FROM pg_catalog.jsonb_array_elements(hits) WITH ORDINALITY AS x(h, n)
              LEFT JOIN credit.measure_rule r ON r.rule_code OPERATOR(pg_catalog.=) (x.h OPERATOR(pg_catalog.->>) 'rule'));
END
$$;
COMMENT ON FUNCTION credit.check_hit_persons(jsonb) IS '核查命中的责任人 (the hits of a check with, for each hit of a list entry by a rule that names persons (measure_rule.names_persons), "persons": the entry''s responsible persons with role, name and masked identity number, as the caller reads them; the other hits unchanged)';

-- In C (extension/credit_check.c): the rows of credit.check_triggers
-- (67_check_hits.sql: the query, inlined into one kept plan) matched to the
-- matter's rules in force (check_rules.c) and made into the snapshot, the
-- persons added by check_hit_persons where a rule names them.
CREATE FUNCTION credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'credit_check_hits' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.check_hits(bigint, text) IS '核查命中 (the measures that apply to a subject for a matter today, as a jsonb array of hits: hit_kind 信用记录/名单条目/信用承诺/评价结果, hit_id, trigger, rule, measure, polarity, content, basis, mandatory (and persons where the rule names them, credit.check_hit_persons); reads with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term, broken commitments not repaired and current valid published grades; [] for none)';

-- ------------------------------------------------------------------
-- Credit checks: one append-only row per check, whatever it found.
-- ------------------------------------------------------------------
CREATE TABLE credit.credit_check (
    check_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checked_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    checked_on    date NOT NULL DEFAULT credit.legal_date(),
    checked_by    regrole NOT NULL DEFAULT current_user::regrole,
    department_id integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    matter_code   text NOT NULL REFERENCES credit.matter,
    subject_id    bigint NOT NULL REFERENCES credit.subject,
    purpose       text CHECK (btrim(purpose) <> ''),
    hits          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(hits) = 'array')
);
CREATE INDEX credit_check_subject ON credit.credit_check (subject_id, checked_at);
CREATE INDEX credit_check_department ON credit.credit_check (department_id, checked_at);
COMMENT ON TABLE credit.credit_check IS '信用核查记录 (the credit checks departments make before a decision: who, for which matter, about whom, for what purpose, when, and the hits found; a clean check too; append-only)';
COMMENT ON COLUMN credit.credit_check.check_id IS '核查编号 (internal id)';
COMMENT ON COLUMN credit.credit_check.checked_at IS '核查时间 (when: the clock''s)';
COMMENT ON COLUMN credit.credit_check.checked_on IS '核查日期 (the legal date of the check)';
COMMENT ON COLUMN credit.credit_check.checked_by IS '核查角色 (the department application''s role)';
COMMENT ON COLUMN credit.credit_check.department_id IS '核查部门 (the checking department)';
COMMENT ON COLUMN credit.credit_check.matter_code IS '事项 (the matter being decided)';
COMMENT ON COLUMN credit.credit_check.subject_id IS '被核查主体 (the subject checked)';
COMMENT ON COLUMN credit.credit_check.purpose IS '用途 (purpose, e.g. the application number)';
COMMENT ON COLUMN credit.credit_check.hits IS '命中快照 (snapshot of the hits, as credit.check_hits returned them: [] for a clean check)';
-- The snapshot (about 2 kB of jsonb for ten hits) is compressed as the row
-- is written: with lz4 where the server has it, faster than pglz, the
-- default, to the same size (docs/measures.md, "Speed"); a server built
-- without lz4 keeps pglz.
DO $lz4$
BEGIN
    ALTER TABLE credit.credit_check ALTER COLUMN hits SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$lz4$;

-- What a check row says is not the writer's choice: the time is the
-- clock's, the role and department the writer's, the hits those the
-- writer's own row security shows (credit.check_hits).  Caller's rights.
-- A subject the caller sees neither as a row nor through a record or list
-- entry is refused as a missing one (nothing said about whether it exists).
-- In C (extension/credit_check.c), with credit.check: the row
-- credit.check writes carries the hits credit.check computed (handed over
-- in the backend's memory, for that one INSERT, subject, matter and role);
-- any other row gets them computed here.
CREATE FUNCTION credit.credit_check_before_insert() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_check_before_insert' LANGUAGE C;
COMMENT ON FUNCTION credit.credit_check_before_insert() IS '触发器: 核查记录内容 (trigger, caller''s rights: a check''s time is the clock''s, its role and department the writer''s, its hits those the writer''s row security shows; an unknown matter or a subject the writer cannot see is refused)';
CREATE TRIGGER credit_check_before_insert BEFORE INSERT ON credit.credit_check
    FOR EACH ROW WHEN (NOT credit.restoring('credit.credit_check')) EXECUTE FUNCTION credit.credit_check_before_insert();
CREATE TRIGGER credit_check_append_only BEFORE UPDATE OR DELETE ON credit.credit_check
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER credit_check_no_truncate BEFORE TRUNCATE ON credit.credit_check
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- The check a department app calls: the check row, then one row per hit,
-- or one row with hit false for a clean check.
-- In C (extension/credit_check.c): the refusals and the hits first, then
-- the check row (its trigger takes the hits from credit.check, not
-- computing them again), then the rows straight from the hits.
CREATE FUNCTION credit.check(subject_id bigint, matter text, purpose text DEFAULT NULL)
    RETURNS TABLE (check_id bigint, hit boolean, hit_kind text, hit_id bigint, measure text,
                   polarity text, content text, basis text, mandatory boolean)
    AS 'MODULE_PATHNAME', 'credit_check' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION credit.check(bigint, text, text) IS '信用核查 (a department checks a subject for a matter: records the check, append-only, and returns one row per applicable measure with what triggered it, or one row with hit false; sees only what the caller''s row security shows)';

CREATE FUNCTION credit.check(code credit.uscc, matter text, purpose text DEFAULT NULL)
    RETURNS TABLE (check_id bigint, hit boolean, hit_kind text, hit_id bigint, measure text,
                   polarity text, content text, basis text, mandatory boolean)
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    subject bigint;
BEGIN
    SELECT s.subject_id INTO subject FROM credit.subject s WHERE s.uscc OPERATOR(credit.=) $1;
    IF subject IS NULL THEN
        RAISE EXCEPTION 'no subject with code % that you can check', $1
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Check a subject credit.subject holds.';
    END IF;
    RETURN QUERY SELECT * FROM credit.check(subject, $2, $3);
END
$$;
COMMENT ON FUNCTION credit.check(credit.uscc, text, text) IS '按统一社会信用代码核查 (credit.check for an organisation given by its 统一社会信用代码)';

-- A department does not see natural persons' subject rows: a person is
-- found through the records it sees (as submitted, subject_resident_id).
CREATE FUNCTION credit.check(resident credit.resident_id, matter text, purpose text DEFAULT NULL)
    RETURNS TABLE (check_id bigint, hit boolean, hit_kind text, hit_id bigint, measure text,
                   polarity text, content text, basis text, mandatory boolean)
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    subject bigint;
BEGIN
    SELECT s.subject_id INTO subject FROM credit.subject s WHERE s.resident_id OPERATOR(credit.=) $1;
    IF subject IS NULL THEN
        SELECT r.subject_id INTO subject FROM credit.record r
         WHERE r.subject_resident_id OPERATOR(credit.=) $1 LIMIT 1;
    END IF;
    IF subject IS NULL THEN
        RAISE EXCEPTION 'no subject with this resident id that you can check'
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'A person is known to a department through the records it sees.';
    END IF;
    RETURN QUERY SELECT * FROM credit.check(subject, $2, $3);
END
$$;
COMMENT ON FUNCTION credit.check(credit.resident_id, text, text) IS '按公民身份号码核查 (credit.check for a natural person given by the resident id: the subject the caller sees, or the subject of a record the caller sees)';

-- ------------------------------------------------------------------
-- Feedback: what the checking department did about each measure.
-- ------------------------------------------------------------------
CREATE TABLE credit.check_feedback (
    feedback_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    check_id      bigint NOT NULL REFERENCES credit.credit_check,
    measure_code  text NOT NULL REFERENCES credit.measure,
    action        text NOT NULL CHECK (action IN ('已实施', '未实施', '不适用')),
    reason        text CHECK (btrim(reason) <> ''),
    details       jsonb,
    department_id integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    recorded_by   regrole NOT NULL DEFAULT current_user::regrole,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (action <> '未实施' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX check_feedback_once ON credit.check_feedback (check_id, measure_code);
COMMENT ON TABLE credit.check_feedback IS '核查反馈 (触发-反馈: what the checking department did about each measure a check returned: 已实施, 未实施 with a reason, 不适用; once per measure; append-only)';
COMMENT ON COLUMN credit.check_feedback.feedback_id IS '反馈编号 (internal id)';
COMMENT ON COLUMN credit.check_feedback.check_id IS '核查编号 (the check)';
COMMENT ON COLUMN credit.check_feedback.measure_code IS '措施 (a measure the check returned)';
COMMENT ON COLUMN credit.check_feedback.action IS '实施情况 (已实施 applied, 未实施 not applied, 不适用 not applicable)';
COMMENT ON COLUMN credit.check_feedback.reason IS '理由 (reason: details->>''reason''; required for 未实施)';
COMMENT ON COLUMN credit.check_feedback.details IS '详情 (details: the decision, amount, document number, reason ...)';
COMMENT ON COLUMN credit.check_feedback.department_id IS '反馈部门 (the checking department)';
COMMENT ON COLUMN credit.check_feedback.recorded_by IS '反馈角色 (the role that gave it)';
COMMENT ON COLUMN credit.check_feedback.recorded_at IS '反馈时间 (when: the clock''s)';

-- Caller's rights: the check must be one the caller's department made (its
-- own policy shows it no other: another department's check and a missing
-- one are refused alike), the measure one it returned.
CREATE FUNCTION credit.check_feedback_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    checked jsonb;
BEGIN
    IF credit.current_department_id() IS NULL THEN
        RAISE EXCEPTION 'only the checking department gives feedback on a check'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.check_id IS NULL OR NEW.measure_code IS NULL OR NEW.action IS NULL THEN
        RAISE EXCEPTION 'feedback needs a check, a measure and an action'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.hits INTO checked FROM credit.credit_check c
     WHERE c.check_id OPERATOR(pg_catalog.=) NEW.check_id
       AND c.department_id OPERATOR(pg_catalog.=) credit.current_department_id();
    IF checked IS NULL THEN
        RAISE EXCEPTION 'check % is not a check of your department', NEW.check_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Only the department that made a check gives feedback on it.';
    END IF;
    IF NOT checked OPERATOR(pg_catalog.@>) pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('measure', NEW.measure_code)) THEN
        RAISE EXCEPTION 'check % did not return measure "%"', NEW.check_id, NEW.measure_code
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give feedback on the measures the check returned.';
    END IF;
    IF NEW.action OPERATOR(pg_catalog.<>) ALL (ARRAY['已实施', '未实施', '不适用']) THEN
        RAISE EXCEPTION 'unknown feedback action "%"', NEW.action
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The action is 已实施, 未实施 or 不适用.';
    END IF;
    IF NEW.details IS NOT NULL AND pg_catalog.jsonb_typeof(NEW.details) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'feedback details must be a json object'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    NEW.reason := NULLIF(pg_catalog.btrim(NEW.details OPERATOR(pg_catalog.->>) 'reason'), '');
    IF NEW.action OPERATOR(pg_catalog.=) '未实施' AND NEW.reason IS NULL THEN
        RAISE EXCEPTION 'a measure not applied (未实施) needs a reason'
            USING ERRCODE = 'not_null_violation',
                  HINT = 'Give details => ''{"reason": "..."}''.';
    END IF;
    IF EXISTS (SELECT FROM credit.check_feedback f
                WHERE f.check_id OPERATOR(pg_catalog.=) NEW.check_id
                  AND f.measure_code OPERATOR(pg_catalog.=) NEW.measure_code) THEN
        RAISE EXCEPTION 'feedback on measure "%" of check % is given already', NEW.measure_code, NEW.check_id
            USING ERRCODE = 'unique_violation';
    END IF;
    NEW.department_id := credit.current_department_id();
    NEW.recorded_by := current_user::pg_catalog.regrole;
    NEW.recorded_at := pg_catalog.clock_timestamp();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.check_feedback_before_insert() IS '触发器: 核查反馈校验 (trigger, caller''s rights: feedback only by the checking department, on a measure its check returned, once; 未实施 needs a reason; time, role and department are the writer''s)';
CREATE TRIGGER check_feedback_before_insert BEFORE INSERT ON credit.check_feedback
    FOR EACH ROW WHEN (NOT credit.restoring('credit.check_feedback')) EXECUTE FUNCTION credit.check_feedback_before_insert();
CREATE TRIGGER check_feedback_append_only BEFORE UPDATE OR DELETE ON credit.check_feedback
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER check_feedback_no_truncate BEFORE TRUNCATE ON credit.check_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

CREATE FUNCTION credit.feedback(check_id bigint, measure text, action text, details jsonb DEFAULT NULL) RETURNS bigint
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO credit.check_feedback (check_id, measure_code, action, details)
    VALUES (feedback.check_id, feedback.measure, feedback.action, feedback.details)
    RETURNING feedback_id;
END;
COMMENT ON FUNCTION credit.feedback(bigint, text, text, jsonb) IS '核查反馈 (the checking department records what it did about a measure its check returned: 已实施, 未实施 (details->>''reason'' required), 不适用; returns the feedback id)';

-- Checks with measures still waiting for feedback, with their age in
-- working days; row security of the tables read applies.
CREATE VIEW credit.check_pending_feedback WITH (security_invoker = true) AS
SELECT c.check_id, c.department_id, c.matter_code, c.subject_id, c.checked_on, m.measure AS measure_code,
       credit.working_days_between(c.checked_on, credit.legal_date()) AS working_days_waiting
  FROM credit.credit_check c
  CROSS JOIN LATERAL (SELECT DISTINCT h OPERATOR(pg_catalog.->>) 'measure' AS measure
                        FROM pg_catalog.jsonb_array_elements(c.hits) h) m
 WHERE NOT EXISTS (SELECT FROM credit.check_feedback f
                    WHERE f.check_id OPERATOR(pg_catalog.=) c.check_id
                      AND f.measure_code OPERATOR(pg_catalog.=) m.measure);
COMMENT ON VIEW credit.check_pending_feedback IS '待反馈核查 (each measure a check returned that has no feedback yet, with the working days since the check; a department sees its own, the centre all)';
COMMENT ON COLUMN credit.check_pending_feedback.check_id IS '核查编号 (the check)';
COMMENT ON COLUMN credit.check_pending_feedback.department_id IS '核查部门 (the checking department)';
COMMENT ON COLUMN credit.check_pending_feedback.matter_code IS '事项 (the matter)';
COMMENT ON COLUMN credit.check_pending_feedback.subject_id IS '被核查主体 (the subject checked)';
COMMENT ON COLUMN credit.check_pending_feedback.checked_on IS '核查日期 (the legal date of the check)';
COMMENT ON COLUMN credit.check_pending_feedback.measure_code IS '待反馈措施 (a measure the check returned, without feedback)';
COMMENT ON COLUMN credit.check_pending_feedback.working_days_waiting IS '已等待工作日 (working days from the check to today)';

-- 联合奖惩 cases per department, kind of matter and month (of the legal
-- date), the figures a centre reports monthly; row security of the tables
-- read applies.
CREATE VIEW credit.check_stats WITH (security_invoker = true) AS
SELECT c.department_id, m.kind AS matter_kind,
       c.checked_on - (extract(day FROM c.checked_on)::integer - 1) AS month,
       count(*) AS checks,
       count(*) FILTER (WHERE jsonb_array_length(c.hits) > 0) AS checks_with_hits,
       sum(x.measures) AS measures_returned,
       sum(f.applied) AS applied,
       sum(f.not_applied) AS not_applied,
       sum(f.not_applicable) AS not_applicable
  FROM credit.credit_check c
  JOIN credit.matter m ON m.matter_code = c.matter_code
 CROSS JOIN LATERAL (SELECT count(DISTINCT h ->> 'measure') AS measures FROM jsonb_array_elements(c.hits) h) x
 CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE b.action = '已实施') AS applied,
                            count(*) FILTER (WHERE b.action = '未实施') AS not_applied,
                            count(*) FILTER (WHERE b.action = '不适用') AS not_applicable
                       FROM credit.check_feedback b WHERE b.check_id = c.check_id) f
 GROUP BY c.department_id, m.kind, 3;
COMMENT ON VIEW credit.check_stats IS '联合奖惩统计 (checks per department, kind of matter and month: how many, how many with hits, the measures returned, and the feedback by action; a department sees its own, the centre all)';
COMMENT ON COLUMN credit.check_stats.department_id IS '核查部门 (the checking department)';
COMMENT ON COLUMN credit.check_stats.matter_kind IS '事项类别 (kind of matter)';
COMMENT ON COLUMN credit.check_stats.month IS '月份 (the first day of the month of the checks, by the legal date)';
COMMENT ON COLUMN credit.check_stats.checks IS '核查次数 (checks)';
COMMENT ON COLUMN credit.check_stats.checks_with_hits IS '命中次数 (checks that returned a measure)';
COMMENT ON COLUMN credit.check_stats.measures_returned IS '返回措施数 (measures returned, each once per check)';
COMMENT ON COLUMN credit.check_stats.applied IS '已实施 (measures applied)';
COMMENT ON COLUMN credit.check_stats.not_applied IS '未实施 (measures not applied, with a reason)';
COMMENT ON COLUMN credit.check_stats.not_applicable IS '不适用 (measures not applicable)';

SELECT pg_catalog.pg_extension_config_dump('credit.measure', '');
SELECT pg_catalog.pg_extension_config_dump('credit.matter', '');
SELECT pg_catalog.pg_extension_config_dump('credit.measure_rule', '');
SELECT pg_catalog.pg_extension_config_dump('credit.credit_check', '');
SELECT pg_catalog.pg_extension_config_dump('credit.check_feedback', '');
