-- credit--0.1--0.2.sql: ALTER EXTENSION credit UPDATE from 0.1 (released,
-- extension/released/credit--0.1.sql) to 0.2 (the parts extension/[0-9]*.sql).
--
-- Every change made to the parts since 0.1 comes here too, in the same
-- commit, as the statements that take an installed 0.1 to what a fresh
-- CREATE EXTENSION credit installs: CREATE OR REPLACE FUNCTION for a changed
-- function (DROP FUNCTION first when its signature or result changes), ALTER
-- TABLE for a new column or constraint, COMMENT ON for a changed comment,
-- the policies and grants of a new object (to the credit_*_parties groups,
-- and what credit.grant_party gives the roles registered already), its
-- pg_catalog.pg_extension_config_dump for a new table, and the rows a shipped
-- reference table gains or changes (INSERT or UPDATE of the shipped rows
-- only: the rows a DBA added or changed stay theirs).  Qualify every name, as
-- the parts do.
--
-- scripts/test_update.sh installs 0.1, loads data, runs ALTER EXTENSION
-- credit UPDATE and compares the catalogue and the shipped rows with a fresh
-- install of 0.2: a change made to a part only fails there, naming what
-- differs.  A C function the frozen 0.1 script names stays in the library.

\echo Use "ALTER EXTENSION credit UPDATE TO '0.2'" to load this file. \quit

-- Changes since 0.1, in the order they were made:

-- Issue 11, the department lookup: one read policy for a department
-- (record_department with credit.record_department_sees, the OR of the
-- three record predicates); record_public and record_authorised are no
-- longer applied to departments.  Every role reads the same rows.
CREATE FUNCTION credit.record_department_sees(department_id integer, subject_id bigint,
                                              category credit.catalogue_category,
                                              disclosure credit.disclosure_level, state credit.record_state,
                                              publicity_state text, publicity_start date, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_department_sees' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_department_sees(integer, bigint, credit.catalogue_category, credit.disclosure_level, credit.record_state, text, date, date) IS '部门可见记录 (row predicate of record_department: what a department reads of a record, the public''s, its own and shared, and under an authorisation it has open; the same as credit.record_is_public(disclosure, state, publicity_start, publicity_end) OR credit.record_department_reads(department_id, disclosure, state, publicity_state, publicity_end) OR credit.record_authorised_reads(subject_id, category, disclosure, state, publicity_state, publicity_end))';
COMMENT ON FUNCTION credit.record_department_reads(integer, credit.disclosure_level, credit.record_state, text, date) IS '部门可读记录 (the department part of credit.record_department_sees, the predicate of record_department (and its whole predicate in 0.1): is the calling role registered as a department, and the record its own, in any state, or 部门共享, 有效, not 已修复 and inside its publicity period? the same as credit.in_department_scope(CASE WHEN disclosure = ''部门共享'' AND state = ''有效'' AND publicity_state <> ''已修复'' AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0 ELSE department_id END))';
ALTER POLICY record_public ON credit.record TO credit_centre_parties, credit_agency_parties, credit_portal_parties;
ALTER POLICY record_department ON credit.record
    USING (credit.record_department_sees(department_id, subject_id, category, disclosure, state,
                                         publicity_state, publicity_start, publicity_end));
ALTER POLICY record_authorised ON credit.record TO credit_agency_parties;
COMMENT ON POLICY record_public ON credit.record IS '公开: 公示期内的有效记录, 所有人可见 (public, in force, inside its publicity period: everyone; a department through record_department)';
COMMENT ON POLICY record_department ON credit.record IS '部门: 公开记录、有效未修复且在公示期内的部门共享记录、本部门报送的记录和已启用授权的记录 (a department: the public''s records (record_public''s rule), and the authorised records it has opened (record_authorised''s rule); registered as a department: department-shared records in force, not repaired and inside their period (the 5-year limit and the publicity end apply to sharing too), and its own submissions in every state)';
COMMENT ON POLICY record_authorised ON credit.record IS '授权查询: 已启用有效授权的被授权方, 限授权范围和公示期 (a grantee that has opened a valid authorisation, within its scope, while the record is inside its period: the 5-year limit and the publicity end apply to authorised use too; a department through record_department)';

-- ==================================================================
-- Issue 15: 联合奖惩 (extension/60_measures.sql, and its policies in
-- 90_row_security.sql, privileges in 91_privileges.sql, restore triggers
-- in 95_backup.sql)
-- ==================================================================
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

CREATE TABLE credit.measure_rule (
    rule_code     text PRIMARY KEY CHECK (rule_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    trigger_kind  text NOT NULL CHECK (trigger_kind IN ('失信记录', '守信记录', '严重失信名单', '红名单', '名单', '违诺')),
    trigger_value text CHECK (btrim(trigger_value) <> ''),
    matter_kind   text,
    matter_code   text REFERENCES credit.matter,
    measure_code  text NOT NULL REFERENCES credit.measure,
    valid_from    date NOT NULL,
    valid_until   date,
    source        text NOT NULL CHECK (btrim(source) <> ''),
    CHECK ((matter_kind IS NULL) <> (matter_code IS NULL)),
    CHECK (trigger_kind <> '名单' OR trigger_value IS NOT NULL),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX measure_rule_measure ON credit.measure_rule (measure_code);
CREATE INDEX measure_rule_matter ON credit.measure_rule (matter_code);
COMMENT ON TABLE credit.measure_rule IS '奖惩规则 (which trigger calls for which measure, for a kind of matter or one matter: measures apply 就相关联的事项, never globally)';
COMMENT ON COLUMN credit.measure_rule.rule_code IS '规则代码 (rule code)';
COMMENT ON COLUMN credit.measure_rule.trigger_kind IS '触发类别 (失信记录 a 失信 record in force, 守信记录 a 守信 record in force, 严重失信名单 an entry of a serious black list, 红名单 a red-list entry, 名单 an entry of the list kind trigger_value, 违诺 a broken commitment)';
COMMENT ON COLUMN credit.measure_rule.trigger_value IS '触发值 (the catalogue item of a record trigger, the list kind of a list trigger, the commitment kind of 违诺; NULL: any; required for 名单)';
COMMENT ON COLUMN credit.measure_rule.matter_kind IS '事项类别 (the kind of matter it applies to; or matter_code)';
COMMENT ON COLUMN credit.measure_rule.matter_code IS '事项 (the one matter it applies to; or matter_kind)';
COMMENT ON COLUMN credit.measure_rule.measure_code IS '措施 (the measure)';
COMMENT ON COLUMN credit.measure_rule.valid_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.measure_rule.valid_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.measure_rule.source IS '出处 (source of the row)';

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
-- caller sees it.  Caller's rights: it reads credit.record and
-- credit.list_entry through the caller's own policies, and asks of what it
-- sees what the law asks (a record in force, not repaired, inside its
-- publicity period; a list entry 列入中 inside its term; a commitment whose
-- breach is recorded): a department reads its own records in every state,
-- and they must not trigger either.  A department reads the commitments of
-- the repairs it decided (commitment_department), so only those trigger.
-- UNCERTAIN: how long a breach calls for measures; here, as long as it is
-- recorded.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH today AS (SELECT credit.legal_date() AS d),
    m AS (SELECT x.* FROM credit.matter x, today
           WHERE x.matter_code OPERATOR(pg_catalog.=) check_hits.matter_code
             AND x.valid_from OPERATOR(pg_catalog.<=) today.d
             AND (x.valid_until IS NULL OR x.valid_until OPERATOR(pg_catalog.>=) today.d)),
    rules AS (SELECT r.rule_code, r.trigger_kind, r.trigger_value, s.measure_code, s.polarity, s.content, s.basis, s.mandatory
                FROM credit.measure_rule r
                JOIN credit.measure s ON s.measure_code OPERATOR(pg_catalog.=) r.measure_code
                JOIN m ON r.matter_code OPERATOR(pg_catalog.=) m.matter_code OR r.matter_kind OPERATOR(pg_catalog.=) m.kind
                CROSS JOIN today
               WHERE r.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (r.valid_until IS NULL OR r.valid_until OPERATOR(pg_catalog.>=) today.d)
                 AND s.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (s.valid_until IS NULL OR s.valid_until OPERATOR(pg_catalog.>=) today.d)),
    triggers AS (
        SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
               rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
          FROM credit.record rec
          JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
          CROSS JOIN today
         WHERE rec.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id
           AND i.polarity OPERATOR(pg_catalog.<>) '中性'
           AND rec.state OPERATOR(pg_catalog.=) '有效'
           AND rec.publicity_state OPERATOR(pg_catalog.<>) '已修复'
           AND rec.publicity_start OPERATOR(pg_catalog.<=) today.d
           AND (rec.publicity_end IS NULL OR rec.publicity_end OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '名单', e.entry_id, e.list_kind, k.serious, k.colour
          FROM credit.list_entry e
          JOIN credit.list_kind k ON k.list_kind OPERATOR(pg_catalog.=) e.list_kind
          CROSS JOIN today
         WHERE e.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id
           AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
           AND e.listed_on OPERATOR(pg_catalog.<=) today.d
           AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
          FROM credit.commitment cm
         WHERE cm.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id AND cm.broken_at IS NOT NULL)
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'hit_kind', CASE t.kind WHEN '名单' THEN '名单条目' WHEN '违诺' THEN '信用承诺' ELSE '信用记录' END,
               'hit_id', t.id, 'trigger', r.trigger_kind, 'rule', r.rule_code,
               'measure', r.measure_code, 'polarity', r.polarity, 'content', r.content,
               'basis', r.basis, 'mandatory', r.mandatory)
             ORDER BY r.measure_code, t.kind, t.id, r.rule_code), '[]'::jsonb)
      FROM triggers t
      JOIN rules r ON (r.trigger_value IS NULL OR r.trigger_value OPERATOR(pg_catalog.=) t.value)
                  AND CASE r.trigger_kind
                          WHEN '严重失信名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.serious AND t.colour OPERATOR(pg_catalog.=) '黑'
                          WHEN '红名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '红'
                          ELSE t.kind OPERATOR(pg_catalog.=) r.trigger_kind END;
END;
COMMENT ON FUNCTION credit.check_hits(bigint, text) IS '核查命中 (the measures that apply to a subject for a matter today, as a jsonb array of hits: hit_kind 信用记录/名单条目/信用承诺, hit_id, trigger, rule, measure, polarity, content, basis, mandatory; reads with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term and broken commitments; [] for none)';

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

-- What a check row says is not the writer's choice: the time is the
-- clock's, the role and department the writer's, the hits those the
-- writer's own row security shows (credit.check_hits).  Caller's rights.
-- A subject the caller sees neither as a row nor through a record or list
-- entry is refused as a missing one (nothing said about whether it exists).
CREATE FUNCTION credit.credit_check_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.current_department_id() IS NULL THEN
        RAISE EXCEPTION 'only a department checks credit'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Check as a role registered with credit.register_department_role.';
    END IF;
    IF NEW.subject_id IS NULL OR NEW.matter_code IS NULL THEN
        RAISE EXCEPTION 'a credit check needs a subject and a matter'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM credit.matter m
                    WHERE m.matter_code OPERATOR(pg_catalog.=) NEW.matter_code
                      AND m.valid_from OPERATOR(pg_catalog.<=) credit.legal_date()
                      AND (m.valid_until IS NULL OR m.valid_until OPERATOR(pg_catalog.>=) credit.legal_date())) THEN
        RAISE EXCEPTION 'unknown matter "%"', NEW.matter_code
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Check for a matter of credit.matter in force today.';
    END IF;
    IF NOT EXISTS (SELECT FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) NEW.subject_id)
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.subject_id OPERATOR(pg_catalog.=) NEW.subject_id)
       AND NOT EXISTS (SELECT FROM credit.list_entry e WHERE e.subject_id OPERATOR(pg_catalog.=) NEW.subject_id) THEN
        RAISE EXCEPTION 'subject % is not a subject you can check', NEW.subject_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Check by the subject''s code (credit.uscc or credit.resident_id).';
    END IF;
    NEW.checked_at := pg_catalog.clock_timestamp();
    NEW.checked_on := credit.legal_date();
    NEW.checked_by := current_user::pg_catalog.regrole;
    NEW.department_id := credit.current_department_id();
    NEW.hits := credit.check_hits(NEW.subject_id, NEW.matter_code);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.credit_check_before_insert() IS '触发器: 核查记录内容 (trigger, caller''s rights: a check''s time is the clock''s, its role and department the writer''s, its hits those the writer''s row security shows; an unknown matter or a subject the writer cannot see is refused)';
CREATE TRIGGER credit_check_before_insert BEFORE INSERT ON credit.credit_check
    FOR EACH ROW WHEN (NOT credit.restoring('credit.credit_check')) EXECUTE FUNCTION credit.credit_check_before_insert();
CREATE TRIGGER credit_check_append_only BEFORE UPDATE OR DELETE ON credit.credit_check
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER credit_check_no_truncate BEFORE TRUNCATE ON credit.credit_check
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- The check a department app calls: the check row, then one row per hit,
-- or one row with hit false for a clean check.
CREATE FUNCTION credit.check(subject_id bigint, matter text, purpose text DEFAULT NULL)
    RETURNS TABLE (check_id bigint, hit boolean, hit_kind text, hit_id bigint, measure text,
                   polarity text, content text, basis text, mandatory boolean)
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
    found_hits jsonb;
BEGIN
    INSERT INTO credit.credit_check AS c (subject_id, matter_code, purpose)
    VALUES ($1, $2, $3)
    RETURNING c.check_id, c.hits INTO id, found_hits;
    IF pg_catalog.jsonb_array_length(found_hits) OPERATOR(pg_catalog.=) 0 THEN
        RETURN QUERY SELECT id, false, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text, NULL::boolean;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT id, true, h.value OPERATOR(pg_catalog.->>) 'hit_kind', (h.value OPERATOR(pg_catalog.->>) 'hit_id')::bigint,
               h.value OPERATOR(pg_catalog.->>) 'measure', h.value OPERATOR(pg_catalog.->>) 'polarity',
               h.value OPERATOR(pg_catalog.->>) 'content', h.value OPERATOR(pg_catalog.->>) 'basis',
               (h.value OPERATOR(pg_catalog.->>) 'mandatory')::boolean
          FROM pg_catalog.jsonb_array_elements(found_hits) WITH ORDINALITY AS h(value, n)
         ORDER BY h.n;
END
$$;
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

-- row security (90_row_security.sql): enabled and forced on every table
DO $enable$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['measure', 'matter', 'measure_rule', 'credit_check', 'check_feedback'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$enable$;
-- the reference data: every registered role reads, the centre maintains
CREATE POLICY measure_read ON credit.measure FOR SELECT USING (true);
CREATE POLICY measure_centre ON credit.measure FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY measure_read ON credit.measure IS '所有登记角色可读 (every registered role reads the measures)';
COMMENT ON POLICY measure_centre ON credit.measure IS '信用中心维护 (the centre maintains the measures)';
CREATE POLICY matter_read ON credit.matter FOR SELECT USING (true);
CREATE POLICY matter_centre ON credit.matter FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY matter_read ON credit.matter IS '所有登记角色可读 (every registered role reads the matters)';
COMMENT ON POLICY matter_centre ON credit.matter IS '信用中心维护 (the centre maintains the matters)';
CREATE POLICY measure_rule_read ON credit.measure_rule FOR SELECT USING (true);
CREATE POLICY measure_rule_centre ON credit.measure_rule FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY measure_rule_read ON credit.measure_rule IS '所有登记角色可读 (every registered role reads the measure rules)';
COMMENT ON POLICY measure_rule_centre ON credit.measure_rule IS '信用中心维护 (the centre maintains the measure rules)';

-- ==================================================================
-- Layer 6: 联合奖惩 (60_measures.sql)
-- ==================================================================
-- ------------------------------------------------------------------
-- Credit checks and their feedback: a department its own (made as
-- itself), the centre all, the portal acting for a subject the checks made
-- about it (not the feedback).  Measures, matters and rules are reference
-- data (above).
-- ------------------------------------------------------------------
CREATE POLICY credit_check_centre ON credit.credit_check FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY credit_check_department ON credit.credit_check FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY credit_check_insert ON credit.credit_check FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND checked_by = current_user::regrole);
CREATE POLICY credit_check_acting ON credit.credit_check FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
COMMENT ON POLICY credit_check_centre ON credit.credit_check IS '信用中心 (the centre reads every check)';
COMMENT ON POLICY credit_check_department ON credit.credit_check IS '核查部门查看本部门的核查 (a department reads its own checks)';
COMMENT ON POLICY credit_check_insert ON credit.credit_check IS '部门以自己的名义核查 (a department checks as itself)';
COMMENT ON POLICY credit_check_acting ON credit.credit_check IS '主体经信用网站查看谁核查了自己 (the subject, through the portal, sees the checks made about it)';

CREATE POLICY check_feedback_centre ON credit.check_feedback FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY check_feedback_department ON credit.check_feedback FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY check_feedback_insert ON credit.check_feedback FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND recorded_by = current_user::regrole
                AND EXISTS (SELECT FROM credit.credit_check c WHERE c.check_id = check_feedback.check_id
                             AND c.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY check_feedback_centre ON credit.check_feedback IS '信用中心 (the centre reads all feedback)';
COMMENT ON POLICY check_feedback_department ON credit.check_feedback IS '核查部门查看本部门的反馈 (a department reads its own feedback)';
COMMENT ON POLICY check_feedback_insert ON credit.check_feedback IS '只由核查部门以自己的名义反馈本部门的核查 (feedback only by the checking department, as itself, on its own checks)';

-- privileges (91_privileges.sql): grant_party grants the new tables, and
-- the roles registered already get them now
CREATE OR REPLACE FUNCTION credit.grant_party(r regrole, kind credit.party_kind) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- every registered role: the schema, the reference data, the public views
    common constant text[] := ARRAY[
        'USAGE ON SCHEMA credit',
        'SELECT ON credit.department, credit.party, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine, credit.machine_state, credit.machine_transition, '
            'credit.machine_deadline, credit.sync_target, credit.collection_rule, '
            'credit.measure, credit.matter, credit.measure_rule',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry'];
    -- the portal and grantees: records and subjects with personal data masked
    masked constant text[] := ARRAY[
        pg_catalog.format('SELECT (%s) ON credit.record', credit.view_columns('credit.public_record', 'credit.record')),
        pg_catalog.format('SELECT (%s) ON credit.subject', credit.view_columns('credit.public_subject', 'credit.subject'))];
    own text[];
    privilege text;
BEGIN
    CASE kind
    WHEN '信用中心' THEN own := ARRAY[
        'INSERT, UPDATE, DELETE ON credit.department, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine_transition, credit.machine_deadline, credit.sync_target',
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject, credit.subject_old_code, credit.record, credit.record_load, '
            'credit.list_entry, credit.authorisation',
        'UPDATE (name, legal_rep_name, legal_rep_id) ON credit.subject',
        'UPDATE (state, state_reason, publicity_state) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'INSERT (record_id, entry_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'UPDATE (enabled, severity) ON credit.collection_rule',
        'INSERT, UPDATE, DELETE ON credit.measure, credit.matter, credit.measure_rule',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats'];
    WHEN '部门' THEN own := ARRAY[
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject_old_code, credit.record, credit.record_load, credit.list_entry, '
            'credit.access_log',
        'UPDATE (state, state_reason) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'INSERT (item_code, file_name, header_lines) ON credit.collection_batch',
        'UPDATE (state) ON credit.collection_batch',
        'INSERT ON credit.collection_load, credit.collection_staging, credit.collection_error',
        'DELETE ON credit.collection_staging',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats',
        'INSERT (subject_id, matter_code, purpose) ON credit.credit_check',
        'INSERT (check_id, measure_code, action, details) ON credit.check_feedback'];
    WHEN '信用网站' THEN own := masked || ARRAY[
        'SELECT ON credit.list_entry, credit.access_log, credit.commitment',
        'SELECT, INSERT ON credit.authorisation',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'EXECUTE ON FUNCTION credit.subject_exists(bigint)',
        pg_catalog.format('SELECT (%s) ON credit.workflow_event', credit.masked_columns('credit.workflow_event')),
        'INSERT ON credit.workflow_event',
        pg_catalog.format('SELECT (%s) ON credit.objection', credit.masked_columns('credit.objection')),
        'SELECT ON credit.repair',
        'INSERT (record_id, entry_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT ON credit.credit_check'];
    WHEN '授权机构' THEN own := masked || ARRAY[
        'SELECT ON credit.subject_old_code, credit.list_entry, credit.authorisation, credit.access_log',
        'INSERT ON credit.access_log'];
    END CASE;
    FOREACH privilege IN ARRAY common || own LOOP
        EXECUTE pg_catalog.format('GRANT %s TO %s', privilege, r);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT %I TO %s', credit.party_group(kind), r);
END
$$;
SELECT credit.grant_party(p.role, p.kind) FROM credit.party p ORDER BY p.role::text;

-- backup (95_backup.sql): the shipped rows of the new reference tables
-- are restored over; the new identity sequences are dumped
DO $shipped$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['measure', 'matter', 'measure_rule'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I FOR EACH ROW'
                                  ' WHEN (credit.restoring(%L)) EXECUTE FUNCTION credit.restore_shipped_row()',
                                  t || '_restore_shipped', t, 'credit.' || t);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON credit.%I IS %L', t || '_restore_shipped', t,
                                  '恢复内置行 (on restore, a dumped row with the key of a shipped row updates it)');
    END LOOP;
END
$shipped$;
SELECT pg_catalog.pg_extension_config_dump('credit.credit_check_check_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.check_feedback_feedback_id_seq', '');

-- ------------------------------------------------------------------
-- The list entry read policies as one C row predicate each (issue 12, a
-- department's transition): 20_reference.sql, 40_disclosure.sql,
-- 90_row_security.sql.
-- ------------------------------------------------------------------
-- The list kinds' colours are a table cache of the list entry policies'
-- predicate credit.list_entry_authorised_reads (disclosure.c): a change
-- of credit.list_kind drops it in every session.
CREATE FUNCTION credit.list_kind_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.list_kind_changed() IS '触发器: 名单类别变更 (trigger: tells every session to drop its cached colours of the list kinds)';
CREATE TRIGGER list_kind_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.list_kind
    FOR EACH STATEMENT EXECUTE FUNCTION credit.list_kind_changed();

-- The list entry policies' predicates (list_entry_public,
-- list_entry_department, list_entry_authorised, list_entry_acting): the
-- whole condition of each policy in one call, as for the records; the
-- list kind's colour, a SubPlan in list_entry_authorised's SQL, comes from
-- a session cache of credit.list_kind (disclosure.c).  Not STRICT:
-- removed_on and expires_on NULL mean not removed, no end.
-- list_entry_is_public reads only the legal date (PARALLEL SAFE); the
-- others the party cache, the openings and the acting subject.
CREATE FUNCTION credit.list_entry_is_public(disclosure credit.disclosure_level, removed_on date,
                                            listed_on date, expires_on date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_list_entry_is_public' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.list_entry_is_public(credit.disclosure_level, date, date, date) IS '公开可见名单条目 (row predicate of list_entry_public: is the entry 公开, not removed and inside its term today, the legal date? the same as disclosure = ''公开'' AND removed_on IS NULL AND listed_on <= credit.legal_date() AND (expires_on IS NULL OR expires_on > credit.legal_date()))';
CREATE FUNCTION credit.list_entry_department_reads(department_id integer, disclosure credit.disclosure_level,
                                                   removed_on date, expires_on date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_list_entry_department_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.list_entry_department_reads(integer, credit.disclosure_level, date, date) IS '部门可读名单条目 (row predicate of list_entry_department: is the calling role registered as a department, and the entry its own, in any state, or 部门共享, not removed and inside its term? the same as credit.in_department_scope(CASE WHEN disclosure = ''部门共享'' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0 ELSE department_id END))';
CREATE FUNCTION credit.list_entry_authorised_reads(subject_id bigint, list_kind text, disclosure credit.disclosure_level,
                                                   removed_on date, expires_on date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_list_entry_authorised_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.list_entry_authorised_reads(bigint, text, credit.disclosure_level, date, date) IS '授权可读名单条目 (row predicate of list_entry_authorised: is the entry 授权查询, not removed, inside its term, and covered by an authorisation the calling role has open, a red list as 红名单 and a black one as 黑名单? the same as disclosure = ''授权查询'' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date()) AND credit.opened_for(subject_id) AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN ''红'' THEN ''红名单'' ELSE ''黑名单'' END::credit.catalogue_category FROM credit.list_kind k WHERE k.list_kind = list_entry.list_kind)); the colours cached per session, dropped when credit.list_kind changes)';
CREATE FUNCTION credit.list_entry_acting_reads(subject_id bigint, disclosure credit.disclosure_level,
                                               removed_on date, expires_on date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_list_entry_acting_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.list_entry_acting_reads(bigint, credit.disclosure_level, date, date) IS '代理可读名单条目 (row predicate of list_entry_acting: is the portal acting for the entry''s subject, and the entry 授权查询, not removed and inside its term? the same as disclosure = ''授权查询'' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date()) AND credit.acting_for(subject_id))';

DROP POLICY list_entry_public ON credit.list_entry;
DROP POLICY list_entry_department ON credit.list_entry;
DROP POLICY list_entry_acting ON credit.list_entry;
DROP POLICY list_entry_authorised ON credit.list_entry;
-- The read policies' conditions are one row predicate each
-- (40_disclosure.sql, disclosure.c), as for the records:
--   list_entry_public: disclosure = '公开' AND removed_on IS NULL AND listed_on <= credit.legal_date()
--     AND (expires_on IS NULL OR expires_on > credit.legal_date())
CREATE POLICY list_entry_public ON credit.list_entry FOR SELECT
    USING (credit.list_entry_is_public(disclosure, removed_on, listed_on, expires_on));
--   list_entry_department: credit.in_department_scope(
--     CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
--          AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0 ELSE department_id END)
CREATE POLICY list_entry_department ON credit.list_entry FOR SELECT TO credit_department_parties
    USING (credit.list_entry_department_reads(department_id, disclosure, removed_on, expires_on));
--   list_entry_acting: disclosure = '授权查询' AND removed_on IS NULL
--     AND (expires_on IS NULL OR expires_on > credit.legal_date()) AND credit.acting_for(subject_id)
CREATE POLICY list_entry_acting ON credit.list_entry FOR SELECT TO credit_portal_parties
    USING (credit.list_entry_acting_reads(subject_id, disclosure, removed_on, expires_on));
--   list_entry_authorised: disclosure = '授权查询' AND removed_on IS NULL
--     AND (expires_on IS NULL OR expires_on > credit.legal_date())
--     AND credit.opened_for(subject_id)
--     AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN '红' THEN '红名单' ELSE '黑名单' END::credit.catalogue_category
--                                              FROM credit.list_kind k WHERE k.list_kind = list_entry.list_kind))
--   (the list kind's colour from a session cache, not a SubPlan set up at every execution)
CREATE POLICY list_entry_authorised ON credit.list_entry FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (credit.list_entry_authorised_reads(subject_id, list_kind, disclosure, removed_on, expires_on));
COMMENT ON POLICY list_entry_public ON credit.list_entry IS '公开名单: 列入期内所有人可见 (public entries inside their term: everyone)';
COMMENT ON POLICY list_entry_department ON credit.list_entry IS '部门: 列入期内的部门共享条目和本部门认定的条目 (a registered department: department-shared entries inside their term and not removed, and its own entries)';
COMMENT ON POLICY list_entry_acting ON credit.list_entry IS '主体本人经信用网站查看 (the subject through the portal: its 授权查询 entries inside their term; its 公开 ones within the public''s rules, list_entry_public)';
COMMENT ON POLICY list_entry_authorised ON credit.list_entry IS '授权查询: 已启用授权的被授权方, 限授权范围 (grantees with an open authorisation whose scope covers the entry: a red list counts as 红名单, a black list as 黑名单)';

-- ==================================================================
-- Issue 16: 信用评价 (evaluation grades): extension/63_evaluation.sql;
-- objections to a grade (52_objection.sql); a grade as a trigger of the
-- credit check (60_measures.sql); policies in 90_row_security.sql,
-- privileges in 91_privileges.sql, restore triggers in 95_backup.sql
-- ==================================================================
-- objections may name a grade (52_objection.sql): the column, the target,
-- one open objection per grade, the machine's owned columns, the triggers
ALTER TABLE credit.objection ADD COLUMN result_id bigint;
ALTER TABLE credit.objection ALTER COLUMN department_id DROP NOT NULL;
ALTER TABLE credit.objection DROP CONSTRAINT objection_target;
ALTER TABLE credit.objection ADD CONSTRAINT objection_target CHECK (num_nonnulls(record_id, entry_id, result_id) = 1 AND (record_id IS NULL) = (lineage_id IS NULL));
ALTER TABLE credit.objection ADD CONSTRAINT objection_department CHECK (department_id IS NOT NULL OR result_id IS NOT NULL);
CREATE UNIQUE INDEX objection_one_open_result ON credit.objection (result_id) WHERE state IN ('已提交', '已受理', '部门核查');
COMMENT ON COLUMN credit.objection.result_id IS '异议评价结果 (the evaluation grade objected to, credit.eval_result; NULL for an objection to a record or a list entry)';
COMMENT ON CONSTRAINT objection_target ON credit.objection IS '异议对象 (an objection names one record (with its lineage), one list entry or one evaluation grade)';
COMMENT ON CONSTRAINT objection_department ON credit.objection IS '核查部门 (an objection to a record or an entry has its providing department; one to a grade of the centre''s own scheme has none)';
COMMENT ON COLUMN credit.objection.department_id IS '提供部门 (the record''s providing department, which verifies when asked; for a grade, the department of its scheme, NULL for the centre''s own)';
UPDATE credit.machine SET owned_columns = '{state,state_reason,state_since,deadline,missing_items,outcome,outcome_details,record_id,lineage_id,entry_id,subject_id,department_id,filed_at,filed_by,result_id}' WHERE machine = 'objection';
CREATE OR REPLACE FUNCTION credit.filing_reference(what text, id bigint, subject_id bigint, open boolean) RETURNS void
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
CREATE OR REPLACE FUNCTION credit.objection_before_insert() RETURNS trigger
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
CREATE OR REPLACE FUNCTION credit.objection_rules() RETURNS trigger
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
CREATE OR REPLACE FUNCTION credit.objection_effects() RETURNS trigger
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

-- the grade trigger of the joint measures (60_measures.sql)
ALTER TABLE credit.measure_rule DROP CONSTRAINT measure_rule_trigger_kind_check;
ALTER TABLE credit.measure_rule ADD CONSTRAINT measure_rule_trigger_kind_check CHECK (trigger_kind IN ('失信记录', '守信记录', '严重失信名单', '红名单', '名单', '违诺', '评价等级'));
ALTER TABLE credit.measure_rule DROP CONSTRAINT measure_rule_check1;
ALTER TABLE credit.measure_rule ADD CONSTRAINT measure_rule_check1 CHECK (trigger_kind NOT IN ('名单', '评价等级') OR trigger_value IS NOT NULL);
COMMENT ON COLUMN credit.measure_rule.trigger_kind IS '触发类别 (失信记录 a 失信 record in force, 守信记录 a 守信 record in force, 严重失信名单 an entry of a serious black list, 红名单 a red-list entry, 名单 an entry of the list kind trigger_value, 违诺 a broken commitment, 评价等级 a current, valid, published evaluation grade trigger_value)';
COMMENT ON COLUMN credit.measure_rule.trigger_value IS '触发值 (the catalogue item of a record trigger, the list kind of a list trigger, the commitment kind of 违诺, the grade (of any scheme) of 评价等级; NULL: any; required for 名单 and 评价等级)';

-- the evaluation itself (63_evaluation.sql), as a fresh install has it
-- ------------------------------------------------------------------
-- Schemes and indicators: reference data the centre keeps, read by every
-- registered role (the subject may know the rules of its grade).
-- ------------------------------------------------------------------
CREATE TABLE credit.eval_scheme (
    scheme              text PRIMARY KEY CHECK (btrim(scheme) <> '' AND length(scheme) <= 64),
    issuer              text NOT NULL CHECK (btrim(issuer) <> ''),
    department_id       integer REFERENCES credit.department,
    subject_kinds       credit.subject_kind[] NOT NULL DEFAULT '{企业法人,非企业法人,个体工商户,其他组织}',
    enabled_for_persons boolean NOT NULL DEFAULT false,
    grades              jsonb NOT NULL DEFAULT
        '[{"grade": "A", "meaning": "信用优秀", "min_score": 90, "negative": false},
          {"grade": "B", "meaning": "信用良好", "min_score": 70, "negative": false},
          {"grade": "C", "meaning": "信用一般", "min_score": 50, "negative": true},
          {"grade": "D", "meaning": "信用较差", "min_score": 0, "negative": true}]',
    cycle_months        integer NOT NULL DEFAULT 12 CHECK (cycle_months > 0),
    foreign_scheme      boolean NOT NULL DEFAULT false,
    disclosure          credit.disclosure_level NOT NULL DEFAULT '部门共享',
    basis               text NOT NULL CHECK (btrim(basis) <> ''),
    version             text NOT NULL CHECK (btrim(version) <> ''),
    valid_from          date NOT NULL,
    valid_until         date,
    source              text NOT NULL CHECK (btrim(source) <> ''),
    CHECK (valid_until IS NULL OR valid_until >= valid_from),
    CONSTRAINT eval_scheme_cycle CHECK (foreign_scheme OR cycle_months <= 12),
    CONSTRAINT eval_scheme_persons CHECK (('自然人' = ANY (subject_kinds)) = enabled_for_persons)
);
COMMENT ON TABLE credit.eval_scheme IS '信用评价方案 (evaluation schemes: issuer, subjects, grade set, cycle, basis and dates in force; a foreign scheme''s results are imported, never computed)';
COMMENT ON COLUMN credit.eval_scheme.scheme IS '方案名称 (scheme name, e.g. 公共信用综合评价; the key every call names)';
COMMENT ON COLUMN credit.eval_scheme.issuer IS '评价主体 (who issues the grades)';
COMMENT ON COLUMN credit.eval_scheme.department_id IS '评价部门 (the issuer as a department of credit.department, which verifies objections to its grades; NULL: the credit centre)';
COMMENT ON COLUMN credit.eval_scheme.subject_kinds IS '评价对象 (kinds of subject graded; 自然人 only with enabled_for_persons)';
COMMENT ON COLUMN credit.eval_scheme.enabled_for_persons IS '对自然人评价 (are natural persons graded? false by default: no national rule authorising public scores of natural persons was found, and personal data may not feed an evaluation)';
COMMENT ON COLUMN credit.eval_scheme.grades IS '等级设置 (the grade set, best first: [{"grade", "meaning", "min_score" (computed schemes: the lowest score of the grade), "negative" (notified before publication)}]; A/B/C/D by default)';
COMMENT ON COLUMN credit.eval_scheme.cycle_months IS '评价周期 (months a grade is valid: at most 12 for a computed scheme, graded at least once a year)';
COMMENT ON COLUMN credit.eval_scheme.foreign_scheme IS '外部方案 (a scheme of another issuer: its results are imported with credit.eval_import, never computed)';
COMMENT ON COLUMN credit.eval_scheme.disclosure IS '公开属性 (disclosure of its results: 公开 published grades of organisations to everyone, 部门共享 to departments)';
COMMENT ON COLUMN credit.eval_scheme.basis IS '依据 (legal or policy basis)';
COMMENT ON COLUMN credit.eval_scheme.version IS '版本 (version of the scheme)';
COMMENT ON COLUMN credit.eval_scheme.valid_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.eval_scheme.valid_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.eval_scheme.source IS '出处 (source of the row; UNCERTAIN where not read in the official text)';
COMMENT ON CONSTRAINT eval_scheme_cycle ON credit.eval_scheme IS '评价周期 (a computed scheme grades at least once a year)';
COMMENT ON CONSTRAINT eval_scheme_persons ON credit.eval_scheme IS '自然人评价 (natural persons are among the subject kinds exactly when the scheme is enabled for them)';

CREATE TABLE credit.eval_indicator (
    scheme      text NOT NULL REFERENCES credit.eval_scheme ON UPDATE CASCADE,
    indicator   text NOT NULL CHECK (indicator ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    rule_kind   text NOT NULL CHECK (rule_kind IN ('基础分', '失信记录', '守信记录', '名单')),
    items       text[],
    list_kinds  text[],
    weight      numeric NOT NULL DEFAULT 1 CHECK (weight > 0),
    points      numeric NOT NULL,
    cap         numeric CHECK (cap > 0),
    grade_cap   text,
    source      text NOT NULL CHECK (btrim(source) <> ''),
    PRIMARY KEY (scheme, indicator),
    CHECK (rule_kind IN ('失信记录', '守信记录') OR items IS NULL),
    CHECK (rule_kind = '名单' OR list_kinds IS NULL),
    CHECK (rule_kind <> '基础分' OR (grade_cap IS NULL AND cap IS NULL))
);
COMMENT ON TABLE credit.eval_indicator IS '评价指标 (the indicators of a computed scheme: what each counts and how much it weighs; the score is the sum of their contributions, 0 to 100)';
COMMENT ON COLUMN credit.eval_indicator.scheme IS '方案 (scheme)';
COMMENT ON COLUMN credit.eval_indicator.indicator IS '指标代码 (indicator code)';
COMMENT ON COLUMN credit.eval_indicator.name IS '指标名称 (name)';
COMMENT ON COLUMN credit.eval_indicator.rule_kind IS '计分规则 (基础分 a base contributing weight × points; 失信记录 / 守信记录 records in force of that polarity, not repaired, inside their period on the date; 名单 entries on a list inside their term: each contributes weight × points, together at most cap)';
COMMENT ON COLUMN credit.eval_indicator.items IS '目录项 (the catalogue items counted by a record rule; NULL: every item of its polarity)';
COMMENT ON COLUMN credit.eval_indicator.list_kinds IS '名单类别 (the list kinds counted by a 名单 rule; NULL: every serious black list)';
COMMENT ON COLUMN credit.eval_indicator.weight IS '权重 (weight)';
COMMENT ON COLUMN credit.eval_indicator.points IS '分值 (points per record or entry, negative for a deduction; the base of 基础分)';
COMMENT ON COLUMN credit.eval_indicator.cap IS '封顶 (the most the indicator adds or deducts; NULL: no limit)';
COMMENT ON COLUMN credit.eval_indicator.grade_cap IS '等级上限 (a subject the indicator counts anything for gets at best this grade, e.g. D for a serious list: 一票否决; NULL: none)';
COMMENT ON COLUMN credit.eval_indicator.source IS '出处 (source of the row; UNCERTAIN where not read in the official text)';

-- A scheme's rows are checked when written, with every problem in one
-- message: the grade set's shape, and a computed scheme's score bounds.
CREATE FUNCTION credit.eval_scheme_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problems text[];
BEGIN
    IF pg_catalog.jsonb_typeof(NEW.grades) IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(NEW.grades) OPERATOR(pg_catalog.=) 0 THEN
        problems := ARRAY['grades is not a non-empty json array'];
    ELSE
        SELECT pg_catalog.array_agg(p ORDER BY n, p) INTO problems
          FROM (SELECT g.n, pg_catalog.format('grade %s: %s', g.n, x.p) AS p
                  FROM pg_catalog.jsonb_array_elements(NEW.grades) WITH ORDINALITY AS g(v, n)
                 CROSS JOIN LATERAL (VALUES
                        (CASE WHEN pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.<>) 'object' THEN 'not a json object' END),
                        (CASE WHEN pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.=) 'object'
                               AND NOT coalesce(g.v OPERATOR(pg_catalog.->>) 'grade' OPERATOR(pg_catalog.~) '^[A-Z][A-Z0-9+-]{0,3}$', false)
                              THEN '"grade" is missing or not 1 to 4 capital letters, digits, + or -' END),
                        (CASE WHEN pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.=) 'object'
                               AND pg_catalog.jsonb_typeof(g.v OPERATOR(pg_catalog.->) 'negative') IS DISTINCT FROM 'boolean'
                              THEN '"negative" is missing or not true/false' END),
                        (CASE WHEN pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.=) 'object'
                               AND pg_catalog.btrim(coalesce(g.v OPERATOR(pg_catalog.->>) 'meaning', '')) OPERATOR(pg_catalog.=) ''
                              THEN '"meaning" is missing' END),
                        (CASE WHEN pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.=) 'object' AND NOT NEW.foreign_scheme
                               AND pg_catalog.jsonb_typeof(g.v OPERATOR(pg_catalog.->) 'min_score') IS DISTINCT FROM 'number'
                              THEN '"min_score" is missing (a computed scheme grades by score)' END)) AS x(p)
                 WHERE x.p IS NOT NULL
                UNION ALL
                SELECT 0, pg_catalog.format('grade "%s" is given twice', d.grade)
                  FROM (SELECT g.v OPERATOR(pg_catalog.->>) 'grade' AS grade
                          FROM pg_catalog.jsonb_array_elements(NEW.grades) AS g(v)
                         WHERE pg_catalog.jsonb_typeof(g.v) OPERATOR(pg_catalog.=) 'object'
                         GROUP BY 1 HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1) AS d
                UNION ALL
                SELECT 0, 'the min_score of the grades must fall from the best grade to the worst'
                 WHERE NOT NEW.foreign_scheme AND EXISTS (
                       SELECT FROM pg_catalog.jsonb_array_elements(NEW.grades) WITH ORDINALITY AS a(v, n)
                         JOIN pg_catalog.jsonb_array_elements(NEW.grades) WITH ORDINALITY AS b(v, n)
                           ON b.n OPERATOR(pg_catalog.=) (a.n OPERATOR(pg_catalog.+) 1)
                        WHERE pg_catalog.jsonb_typeof(a.v OPERATOR(pg_catalog.->) 'min_score') OPERATOR(pg_catalog.=) 'number'
                          AND pg_catalog.jsonb_typeof(b.v OPERATOR(pg_catalog.->) 'min_score') OPERATOR(pg_catalog.=) 'number'
                          AND (a.v OPERATOR(pg_catalog.->>) 'min_score')::numeric OPERATOR(pg_catalog.<=) (b.v OPERATOR(pg_catalog.->>) 'min_score')::numeric)) AS all_problems;
    END IF;
    IF ('自然人' OPERATOR(pg_catalog.=) ANY (NEW.subject_kinds)) AND NOT NEW.enabled_for_persons THEN
        problems := problems OPERATOR(pg_catalog.||) 'natural persons are graded only by a scheme enabled for them (enabled_for_persons)'::text;
    ELSIF NEW.enabled_for_persons AND NOT ('自然人' OPERATOR(pg_catalog.=) ANY (NEW.subject_kinds)) THEN
        problems := problems OPERATOR(pg_catalog.||) 'a scheme enabled for natural persons names 自然人 among its subject kinds'::text;
    END IF;
    IF coalesce(pg_catalog.cardinality(problems), 0) OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'invalid evaluation scheme "%": %', NEW.scheme, pg_catalog.array_to_string(problems, '; ')
            USING ERRCODE = 'check_violation',
                  HINT = 'grades is [{"grade": "A", "meaning": "...", "min_score": 90, "negative": false}, ...], best first; see docs/evaluation.md.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.eval_scheme_check() IS '触发器: 评价方案检查 (trigger: the grade set is a json array of distinct grades, each with its meaning and whether it is negative, a computed scheme''s with falling min_score; 自然人 only in a scheme enabled for persons; every problem named in one error)';
CREATE TRIGGER eval_scheme_check BEFORE INSERT OR UPDATE ON credit.eval_scheme
    FOR EACH ROW EXECUTE FUNCTION credit.eval_scheme_check();

-- The grades of a scheme, best first: rank 1 is the best.
CREATE FUNCTION credit.eval_grades(scheme text)
    RETURNS TABLE (rank integer, grade text, meaning text, min_score numeric, negative boolean)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT g.n::integer, g.v OPERATOR(pg_catalog.->>) 'grade', g.v OPERATOR(pg_catalog.->>) 'meaning',
           (g.v OPERATOR(pg_catalog.->>) 'min_score')::numeric, (g.v OPERATOR(pg_catalog.->>) 'negative')::boolean
      FROM credit.eval_scheme s
     CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(s.grades) WITH ORDINALITY AS g(v, n)
     WHERE s.scheme OPERATOR(pg_catalog.=) eval_grades.scheme
     ORDER BY g.n;
END;
COMMENT ON FUNCTION credit.eval_grades(text) IS '方案等级 (the grade set of a scheme as rows, best first: rank, grade, meaning, min_score, negative)';

CREATE FUNCTION credit.eval_indicator_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problems text[] := '{}';
    s credit.eval_scheme;
    missing text;
BEGIN
    SELECT * INTO s FROM credit.eval_scheme x WHERE x.scheme OPERATOR(pg_catalog.=) NEW.scheme;
    IF s.foreign_scheme THEN
        problems := problems OPERATOR(pg_catalog.||) pg_catalog.format('scheme "%s" is foreign: its results are imported, it has no indicators', NEW.scheme);
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.format('"%s"', i), ', ' ORDER BY i) INTO missing
      FROM pg_catalog.unnest(NEW.items) AS i
     WHERE NOT EXISTS (SELECT FROM credit.catalogue_item c
                        WHERE c.item_code OPERATOR(pg_catalog.=) i
                          AND c.polarity::text OPERATOR(pg_catalog.=) pg_catalog.left(NEW.rule_kind, 2));
    IF missing IS NOT NULL THEN
        problems := problems OPERATOR(pg_catalog.||) pg_catalog.format('no %s catalogue item %s', pg_catalog.left(NEW.rule_kind, 2), missing);
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.format('"%s"', k), ', ' ORDER BY k) INTO missing
      FROM pg_catalog.unnest(NEW.list_kinds) AS k
     WHERE NOT EXISTS (SELECT FROM credit.list_kind l WHERE l.list_kind OPERATOR(pg_catalog.=) k);
    IF missing IS NOT NULL THEN
        problems := problems OPERATOR(pg_catalog.||) pg_catalog.format('no list kind %s', missing);
    END IF;
    IF NEW.grade_cap IS NOT NULL AND NOT EXISTS (SELECT FROM credit.eval_grades(NEW.scheme) g
                                                  WHERE g.grade OPERATOR(pg_catalog.=) NEW.grade_cap) THEN
        problems := problems OPERATOR(pg_catalog.||) pg_catalog.format('grade_cap "%s" is not a grade of the scheme', NEW.grade_cap);
    END IF;
    IF pg_catalog.cardinality(problems) OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'invalid indicator "%" of scheme "%": %', NEW.indicator, NEW.scheme, pg_catalog.array_to_string(problems, '; ')
            USING ERRCODE = 'check_violation',
                  HINT = 'A record rule names catalogue items of its polarity, a 名单 rule list kinds of credit.list_kind, grade_cap a grade of the scheme.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.eval_indicator_check() IS '触发器: 评价指标检查 (trigger: an indicator belongs to a computed scheme; its catalogue items exist with the polarity of its rule, its list kinds exist, its grade cap is a grade of the scheme; every problem in one error)';
CREATE TRIGGER eval_indicator_check BEFORE INSERT OR UPDATE ON credit.eval_indicator
    FOR EACH ROW EXECUTE FUNCTION credit.eval_indicator_check();

-- The shipped schemes.  The grade letters and the yearly cycle are those of
-- 国办发〔2026〕8号 as secondary sources report it; the meanings, the score
-- bounds, the indicators and their weights are an example (the grade
-- definitions of GB/T 45255-2025 were not read): UNCERTAIN.
INSERT INTO credit.eval_scheme (scheme, issuer, department_id, subject_kinds, enabled_for_persons, cycle_months,
                                foreign_scheme, disclosure, basis, version, valid_from, valid_until, source) VALUES
    ('公共信用综合评价', '国家发展和改革委员会 (全国统一规则; 地方信用中心实施)', NULL,
     '{企业法人,非企业法人,个体工商户,其他组织}', false, 12, false, '部门共享',
     '国办发〔2026〕8号; GB/T 45255-2025 公共信用综合评价规范', '示例 2026', '2026-01-01', NULL,
     '国办发〔2026〕8号 (A/B/C/D, 至少每年一次, 修复后更新, 异议渠道) [转引]; 等级含义、分数线、指标和权重为示例, 公开属性与施行日期 UNCERTAIN'),
    ('纳税信用', '国家税务总局', NULL,
     '{企业法人,非企业法人,个体工商户,其他组织}', false, 12, true, '部门共享',
     '纳税缴费信用管理办法 (2025-07-01 施行)', '2025', '2025-07-01', NULL,
     '纳税缴费信用管理办法 [转引]; 外部方案, 结果导入不重算; 等级字母 A/B/M/C/D 沿用 2014 年办法, UNCERTAIN');
UPDATE credit.eval_scheme
   SET grades = '[{"grade": "A", "meaning": "纳税信用A级", "negative": false},
                  {"grade": "B", "meaning": "纳税信用B级", "negative": false},
                  {"grade": "M", "meaning": "纳税信用M级 (新设立或评价年度内无生产经营业务收入)", "negative": false},
                  {"grade": "C", "meaning": "纳税信用C级", "negative": true},
                  {"grade": "D", "meaning": "纳税信用D级", "negative": true}]'
 WHERE scheme = '纳税信用';
INSERT INTO credit.eval_indicator (scheme, indicator, name, rule_kind, items, list_kinds, weight, points, cap, grade_cap, source) VALUES
    ('公共信用综合评价', 'JC', '基础分', '基础分', NULL, NULL, 1, 80, NULL, NULL, '示例指标, UNCERTAIN'),
    ('公共信用综合评价', 'SX', '失信记录', '失信记录', NULL, NULL, 1, -10, 80, NULL, '示例指标: 每条在公示期内、未修复的失信记录扣 10 分, UNCERTAIN'),
    ('公共信用综合评价', 'SH', '守信记录', '守信记录', NULL, NULL, 1, 5, 20, NULL, '示例指标: 每条守信记录加 5 分, 至多 20 分, UNCERTAIN'),
    ('公共信用综合评价', 'YZ', '严重失信主体名单', '名单', NULL, NULL, 1, -30, NULL, 'D',
     '示例指标: 列入严重失信主体名单的至多为 D 级 (一票否决), UNCERTAIN');

-- ------------------------------------------------------------------
-- Runs and imports: one row per scheme and date, whatever it graded.
-- ------------------------------------------------------------------
CREATE TABLE credit.eval_batch (
    batch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scheme       text NOT NULL REFERENCES credit.eval_scheme ON UPDATE CASCADE,
    as_of        date NOT NULL,
    origin       text NOT NULL CHECK (origin IN ('计算', '导入')),
    document     text CHECK (btrim(document) <> ''),
    run_by       regrole NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz,
    results      bigint,
    UNIQUE (scheme, as_of)
);
COMMENT ON TABLE credit.eval_batch IS '评价批次 (one row per evaluation run (计算) or import of a foreign scheme''s results (导入), per scheme and date: who, when, how many results)';
COMMENT ON COLUMN credit.eval_batch.batch_id IS '批次编号 (internal id)';
COMMENT ON COLUMN credit.eval_batch.scheme IS '方案 (scheme)';
COMMENT ON COLUMN credit.eval_batch.as_of IS '评价基准日 (the date graded: records and entries counted as they stand on it)';
COMMENT ON COLUMN credit.eval_batch.origin IS '来源 (计算 computed by credit.eval_run, 导入 imported by credit.eval_import)';
COMMENT ON COLUMN credit.eval_batch.document IS '来源文件 (for an import: the issuer''s document or file the results come from)';
COMMENT ON COLUMN credit.eval_batch.run_by IS '执行角色 (the centre''s role that ran or imported it)';
COMMENT ON COLUMN credit.eval_batch.started_at IS '开始时间 (started at)';
COMMENT ON COLUMN credit.eval_batch.finished_at IS '完成时间 (finished at)';
COMMENT ON COLUMN credit.eval_batch.results IS '结果数 (results stored)';

CREATE TABLE credit.eval_result (
    result_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id        bigint NOT NULL REFERENCES credit.eval_batch,
    scheme          text NOT NULL REFERENCES credit.eval_scheme ON UPDATE CASCADE,
    subject_id      bigint NOT NULL REFERENCES credit.subject,
    subject_kind    credit.subject_kind NOT NULL,
    as_of           date NOT NULL,
    valid_until     date NOT NULL,
    grade           text NOT NULL,
    score           numeric,
    negative        boolean NOT NULL,
    origin          text NOT NULL CHECK (origin IN ('计算', '导入')),
    disclosure      credit.disclosure_level NOT NULL,
    explanation     jsonb NOT NULL CHECK (jsonb_typeof(explanation) = 'object'),
    -- the grade machine's columns
    state           text NOT NULL DEFAULT '待告知',
    state_reason    text,
    state_since     timestamptz NOT NULL DEFAULT now(),
    notified_on     date,
    objection_until date,
    published_on    date,
    CHECK (valid_until >= as_of),
    CONSTRAINT eval_result_notice_first CHECK (origin = '导入' OR NOT negative OR state <> '已公布' OR notified_on IS NOT NULL),
    UNIQUE (scheme, subject_id, as_of)
);
CREATE INDEX eval_result_subject ON credit.eval_result (subject_id, scheme, as_of);
CREATE INDEX eval_result_batch ON credit.eval_result (batch_id);
COMMENT ON TABLE credit.eval_result IS '信用评价结果 (the grade of a subject under a scheme on a date, with the explanation of how it came about; computed or imported; published after notice when negative)';
COMMENT ON COLUMN credit.eval_result.result_id IS '结果编号 (internal id)';
COMMENT ON COLUMN credit.eval_result.batch_id IS '批次 (the run or import)';
COMMENT ON COLUMN credit.eval_result.scheme IS '方案 (scheme)';
COMMENT ON COLUMN credit.eval_result.subject_id IS '主体 (the subject graded)';
COMMENT ON COLUMN credit.eval_result.subject_kind IS '主体类别 (its kind: a natural person''s grade is never public)';
COMMENT ON COLUMN credit.eval_result.as_of IS '评价基准日 (the date graded)';
COMMENT ON COLUMN credit.eval_result.valid_until IS '有效期至 (valid until, inclusive: the scheme''s cycle after the date graded)';
COMMENT ON COLUMN credit.eval_result.grade IS '评价等级 (the grade)';
COMMENT ON COLUMN credit.eval_result.score IS '评价得分 (the score, 0 to 100; NULL for an imported result)';
COMMENT ON COLUMN credit.eval_result.negative IS '负面等级 (a negative grade: the subject is told before it is published)';
COMMENT ON COLUMN credit.eval_result.origin IS '来源 (计算 computed, 导入 imported)';
COMMENT ON COLUMN credit.eval_result.disclosure IS '公开属性 (the scheme''s disclosure when graded)';
COMMENT ON COLUMN credit.eval_result.explanation IS '评价说明 (snapshot of how the grade came about: score, each indicator''s count, contribution and the records or entries counted, the grade cap; for an import, the row imported; corrections by objection)';
COMMENT ON COLUMN credit.eval_result.state IS '状态 (待告知, 已告知, 已公布, 已撤销; changes only through credit.transition)';
COMMENT ON COLUMN credit.eval_result.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.eval_result.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.eval_result.notified_on IS '告知日期 (the legal date the subject was told of the grade)';
COMMENT ON COLUMN credit.eval_result.objection_until IS '告知期限 (the grade is published only after this date: working days after the notice, for the subject to object; a machine deadline)';
COMMENT ON COLUMN credit.eval_result.published_on IS '公布日期 (the legal date the grade was published)';
COMMENT ON CONSTRAINT eval_result_notice_first ON credit.eval_result IS '先告知后公布 (a negative computed grade is published only after the subject was told)';

-- The grade machine.  A grade that is not negative, and an imported one
-- (its issuer published it), starts 已公布; a negative computed grade
-- starts 待告知, is told to the subject (已告知), and is published (已公布)
-- after the notice period, unless an objection to it is open.  更正 keeps
-- the state: it is the outcome of an objection (credit.objection_effects)
-- changing the grade.  Publication is not terminal: a published grade may
-- be revoked (已撤销), e.g. after a wrong run.
INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('eval_result', '评价结果', 'credit.eval_result', 'result_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,notified_on,objection_until,published_on,batch_id,scheme,subject_id,subject_kind,as_of,valid_until,grade,score,negative,origin,disclosure,explanation}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('eval_result', '待告知', true, false, 'a negative grade computed, the subject not told yet'),
    ('eval_result', '已告知', false, false, 'the subject told; published after the notice period'),
    ('eval_result', '已公布', true, false, 'published: what departments see and what credit.grade returns'),
    ('eval_result', '已撤销', false, true, 'revoked: a wrong grade, or deleted after an objection');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('eval_result', '待告知', '已告知', '告知', '{信用中心}', false, false),
    ('eval_result', '已告知', '已公布', '公布', '{信用中心}', false, false),
    ('eval_result', '待告知', '已撤销', '撤销', '{信用中心}', true, true),
    ('eval_result', '已告知', '已撤销', '撤销', '{信用中心}', true, true),
    ('eval_result', '已公布', '已撤销', '撤销', '{信用中心}', true, true),
    ('eval_result', '待告知', '待告知', '更正', '{}', true, true),
    ('eval_result', '已告知', '已告知', '更正', '{}', true, true),
    ('eval_result', '已公布', '已公布', '更正', '{}', true, true);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, from_state, source) VALUES
    ('eval_result', '已告知', 'objection_until', 5, '待告知',
     '深圳经济特区社会信用条例 第三十九条 (负面评价公布前告知); 告知期的工作日数为示例, UNCERTAIN');

-- Moves of a grade: 告知 sets the notice date, 公布 the publication date,
-- once the notice period is over and no objection to the grade is open;
-- 更正 (the engine, for an objection) sets the grade its details name.
CREATE FUNCTION credit.eval_result_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    g record;
    open_id bigint;
BEGIN
    IF req.machine IS DISTINCT FROM 'eval_result' THEN
        RETURN NEW;
    END IF;
    IF NEW.state OPERATOR(pg_catalog.=) '已告知' AND OLD.state OPERATOR(pg_catalog.=) '待告知' THEN
        NEW.notified_on := credit.legal_date();
    ELSIF NEW.state OPERATOR(pg_catalog.=) '已公布' AND OLD.state OPERATOR(pg_catalog.=) '已告知' THEN
        IF credit.legal_date() OPERATOR(pg_catalog.<=) OLD.objection_until THEN
            RAISE EXCEPTION 'grade % cannot be published before %', OLD.result_id, pg_catalog.to_char(OLD.objection_until OPERATOR(pg_catalog.+) 1, 'YYYY-MM-DD')
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = pg_catalog.format('The subject was told on %s; the notice period runs until %s.', pg_catalog.to_char(OLD.notified_on, 'YYYY-MM-DD'), pg_catalog.to_char(OLD.objection_until, 'YYYY-MM-DD')),
                      HINT = 'Publish it after the notice period.';
        END IF;
        SELECT o.objection_id INTO open_id FROM credit.objection o
         WHERE o.result_id OPERATOR(pg_catalog.=) OLD.result_id AND o.state OPERATOR(pg_catalog.=) ANY (ARRAY['已提交', '已受理', '部门核查']);
        IF FOUND THEN
            RAISE EXCEPTION 'grade % cannot be published while objection % to it is open', OLD.result_id, open_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Decide the objection first.';
        END IF;
        NEW.published_on := credit.legal_date();
    ELSIF NEW.state OPERATOR(pg_catalog.=) OLD.state THEN
        -- 更正: the grade an objection's outcome names
        SELECT x.* INTO g FROM credit.eval_grades(OLD.scheme) x
         WHERE x.grade OPERATOR(pg_catalog.=) (req.details OPERATOR(pg_catalog.->>) 'grade');
        IF NOT FOUND THEN
            RAISE EXCEPTION '"%" is not a grade of scheme "%"', coalesce(req.details OPERATOR(pg_catalog.->>) 'grade', ''), OLD.scheme
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = pg_catalog.format('The grades of the scheme: %s.',
                                                 (SELECT pg_catalog.string_agg(y.grade, ', ' ORDER BY y.rank) FROM credit.eval_grades(OLD.scheme) y)),
                      HINT = 'Nothing was changed; name a grade of the scheme in "changes".';
        END IF;
        NEW.explanation := OLD.explanation OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('corrections',
            coalesce(OLD.explanation OPERATOR(pg_catalog.->) 'corrections', '[]'::jsonb)
            OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'from', OLD.grade, 'to', g.grade, 'on', credit.legal_date(), 'reason', NEW.state_reason,
                'objection_id', req.details OPERATOR(pg_catalog.->) 'objection_id')));
        NEW.grade := g.grade;
        NEW.negative := g.negative;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.eval_result_rules() IS '触发器: 评价结果规则 (trigger: 告知 sets the notice date; 公布 only after the notice period and with no open objection to the grade, and sets the publication date; 更正 sets the grade its details name, a grade of the scheme, and keeps the correction in the explanation)';

-- names order the triggers: eval_result_machine (the guard), eval_result_rules
CREATE TRIGGER eval_result_machine BEFORE INSERT OR UPDATE ON credit.eval_result
    FOR EACH ROW WHEN (NOT credit.restoring('credit.eval_result')) EXECUTE FUNCTION credit.workflow_guard('eval_result');
CREATE TRIGGER eval_result_rules BEFORE UPDATE ON credit.eval_result
    FOR EACH ROW EXECUTE FUNCTION credit.eval_result_rules();
CREATE TRIGGER eval_result_no_delete BEFORE DELETE ON credit.eval_result
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('evaluation results', 'Revoke it with credit.transition(''eval_result'', result_id, ''已撤销'', <reason>).', '');
CREATE TRIGGER eval_result_no_truncate BEFORE TRUNCATE ON credit.eval_result
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();
CREATE TRIGGER eval_batch_keep_content BEFORE UPDATE OR DELETE ON credit.eval_batch
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('evaluation batches', '', '', 'once:finished_at', 'once:results');
CREATE TRIGGER eval_batch_no_truncate BEFORE TRUNCATE ON credit.eval_batch
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

-- ------------------------------------------------------------------
-- Whether a record counts on a date: in force, not repaired, inside its
-- publicity period (the rule of credit.check_hits and the record
-- policies, on a given date).  SQL, inlined into the run's query.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.record_counts_on(state credit.record_state, publicity_state text,
                                        publicity_start date, publicity_end date, on_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN state OPERATOR(pg_catalog.=) '有效'::credit.record_state
       AND publicity_state OPERATOR(pg_catalog.<>) '已修复'
       AND publicity_start OPERATOR(pg_catalog.<=) on_date
       AND (publicity_end IS NULL OR publicity_end OPERATOR(pg_catalog.>) on_date);
COMMENT ON FUNCTION credit.record_counts_on(credit.record_state, text, date, date, date) IS '记录在某日有效 (does a record count on a date: 有效, not 已修复, publicity started and not ended? a repaired record and one past its period never count)';

CREATE FUNCTION credit.list_entry_counts_on(state text, removed_on date, listed_on date, expires_on date, on_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN state OPERATOR(pg_catalog.=) '列入中' AND removed_on IS NULL
       AND listed_on OPERATOR(pg_catalog.<=) on_date
       AND (expires_on IS NULL OR expires_on OPERATOR(pg_catalog.>) on_date);
COMMENT ON FUNCTION credit.list_entry_counts_on(text, date, date, date, date) IS '名单条目在某日有效 (does a list entry count on a date: 列入中, not removed, listed and its term not over?)';

-- Who runs and imports: the centre, checked with the caller's rights by
-- the public functions below before they call the owner's functions that
-- store the results (no role may insert a result itself).
CREATE FUNCTION credit.eval_centre_only(what text) RETURNS regrole
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.current_party_kind() IS DISTINCT FROM '信用中心' THEN
        RAISE EXCEPTION 'only the credit centre %', what
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Call it as a role registered with credit.register_centre_role.';
    END IF;
    RETURN current_user::pg_catalog.regrole;
END
$$;
COMMENT ON FUNCTION credit.eval_centre_only(text) IS '仅限信用中心 (caller''s rights: raises 42501 unless the calling role is registered as the credit centre; returns the role)';

-- The scheme a run or an import names, locked against a concurrent run
-- or import of the same scheme: every refusal before anything is stored.
CREATE FUNCTION credit.eval_scheme_for(scheme text, as_of date, computed boolean) RETURNS credit.eval_scheme
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s credit.eval_scheme;
BEGIN
    SELECT * INTO s FROM credit.eval_scheme x WHERE x.scheme OPERATOR(pg_catalog.=) eval_scheme_for.scheme FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown evaluation scheme "%"', coalesce(eval_scheme_for.scheme, '')
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Name a scheme of credit.eval_scheme, e.g. 公共信用综合评价.';
    END IF;
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'an evaluation needs the date it grades'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF as_of OPERATOR(pg_catalog.<) s.valid_from OR as_of OPERATOR(pg_catalog.>) s.valid_until THEN
        RAISE EXCEPTION 'scheme "%" is not in force on %', s.scheme, pg_catalog.to_char(as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('It is in force from %s%s.', pg_catalog.to_char(s.valid_from, 'YYYY-MM-DD'),
                                             coalesce(' until ' OPERATOR(pg_catalog.||) pg_catalog.to_char(s.valid_until, 'YYYY-MM-DD'), ''));
    END IF;
    IF computed AND s.foreign_scheme THEN
        RAISE EXCEPTION 'scheme "%" is foreign: its results are imported, never computed', s.scheme
            USING ERRCODE = 'wrong_object_type',
                  HINT = 'Import its results with credit.eval_import(scheme, as_of, results, document).';
    ELSIF NOT computed AND NOT s.foreign_scheme THEN
        RAISE EXCEPTION 'scheme "%" is computed here: its results are not imported', s.scheme
            USING ERRCODE = 'wrong_object_type',
                  HINT = 'Run it with credit.eval_run(scheme, as_of).';
    END IF;
    IF computed AND as_of OPERATOR(pg_catalog.>) credit.legal_date() THEN
        RAISE EXCEPTION 'cannot grade %, a date after today (%)', pg_catalog.to_char(as_of, 'YYYY-MM-DD'), pg_catalog.to_char(credit.legal_date(), 'YYYY-MM-DD')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A run counts the records as they stand: grade today or an earlier date.';
    END IF;
    RETURN s;
END
$$;
COMMENT ON FUNCTION credit.eval_scheme_for(text, date, boolean) IS '评价方案校验 (the scheme a run (computed true) or an import names, locked: unknown, not in force on the date, foreign for a run or computed for an import, a run of a future date, each refused with its own error)';

-- ------------------------------------------------------------------
-- The run: every subject of the scheme's kinds graded in one INSERT ...
-- SELECT.  Counts per subject and indicator come from one pass over the
-- records and one over the list entries (hash aggregates), joined to the
-- subjects; a subject nothing counts for gets the base score.  As the
-- owner: the evaluation counts every record, whatever the caller reads.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.eval_store_run(scheme text, as_of date, run_by regrole) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s credit.eval_scheme;
    id bigint;
    stored bigint;
BEGIN
    s := credit.eval_scheme_for(eval_store_run.scheme, eval_store_run.as_of, true);
    -- the same scheme and date again: the run made then, unchanged
    SELECT b.batch_id INTO id FROM credit.eval_batch b
     WHERE b.scheme OPERATOR(pg_catalog.=) s.scheme AND b.as_of OPERATOR(pg_catalog.=) eval_store_run.as_of;
    IF FOUND THEN
        RETURN id;
    END IF;
    IF NOT EXISTS (SELECT FROM credit.eval_indicator i WHERE i.scheme OPERATOR(pg_catalog.=) s.scheme) THEN
        RAISE EXCEPTION 'scheme "%" has no indicators', s.scheme
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Add its indicators to credit.eval_indicator first.';
    END IF;
    INSERT INTO credit.eval_batch AS b (scheme, as_of, origin, run_by)
    VALUES (s.scheme, eval_store_run.as_of, '计算', eval_store_run.run_by)
    RETURNING b.batch_id INTO id;

    INSERT INTO credit.eval_result (batch_id, scheme, subject_id, subject_kind, as_of, valid_until, grade, score,
                                    negative, origin, disclosure, explanation, state, published_on)
    WITH ind AS (
        SELECT i.*, pg_catalog.left(i.rule_kind, 2) AS polarity,
               (SELECT g.rank FROM credit.eval_grades(s.scheme) g WHERE g.grade OPERATOR(pg_catalog.=) i.grade_cap) AS cap_rank
          FROM credit.eval_indicator i WHERE i.scheme OPERATOR(pg_catalog.=) s.scheme),
    grades AS (SELECT * FROM credit.eval_grades(s.scheme)),
    base AS (
        SELECT coalesce(pg_catalog.sum(i.weight OPERATOR(pg_catalog.*) i.points), 0) AS score,
               coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                   'indicator', i.indicator, 'name', i.name, 'rule_kind', i.rule_kind,
                   'count', 1, 'contribution', i.weight OPERATOR(pg_catalog.*) i.points) ORDER BY i.indicator), '[]') AS parts
          FROM ind i WHERE i.rule_kind OPERATOR(pg_catalog.=) '基础分'),
    -- what counts, per subject and indicator
    hits AS (
        SELECT r.subject_id, i.indicator, pg_catalog.count(*) AS n,
               pg_catalog.array_agg(r.record_id ORDER BY r.record_id) AS ids, 'record_ids' AS ids_key
          FROM credit.record r
          JOIN credit.catalogue_item c ON c.item_code OPERATOR(pg_catalog.=) r.item_code
          JOIN ind i ON i.polarity OPERATOR(pg_catalog.=) c.polarity::text
                    AND (i.items IS NULL OR r.item_code OPERATOR(pg_catalog.=) ANY (i.items))
         WHERE credit.record_counts_on(r.state, r.publicity_state, r.publicity_start, r.publicity_end, eval_store_run.as_of)
         GROUP BY r.subject_id, i.indicator
        UNION ALL
        SELECT e.subject_id, i.indicator, pg_catalog.count(*),
               pg_catalog.array_agg(e.entry_id ORDER BY e.entry_id), 'entry_ids'
          FROM credit.list_entry e
          JOIN credit.list_kind k ON k.list_kind OPERATOR(pg_catalog.=) e.list_kind
          JOIN ind i ON i.rule_kind OPERATOR(pg_catalog.=) '名单'
                    AND CASE WHEN i.list_kinds IS NULL THEN k.serious AND k.colour OPERATOR(pg_catalog.=) '黑'
                             ELSE e.list_kind OPERATOR(pg_catalog.=) ANY (i.list_kinds) END
         WHERE credit.list_entry_counts_on(e.state, e.removed_on, e.listed_on, e.expires_on, eval_store_run.as_of)
         GROUP BY e.subject_id, i.indicator),
    parts AS (
        SELECT h.subject_id,
               pg_catalog.sum(c.contribution) AS contribution,
               pg_catalog.max(i.cap_rank) AS cap_rank,
               pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                   'indicator', i.indicator, 'name', i.name, 'rule_kind', i.rule_kind, 'count', h.n,
                   'contribution', c.contribution, 'grade_cap', i.grade_cap, h.ids_key, h.ids) ORDER BY i.indicator) AS parts
          FROM hits h
          JOIN ind i ON i.indicator OPERATOR(pg_catalog.=) h.indicator
         CROSS JOIN LATERAL (SELECT CASE WHEN i.cap IS NULL THEN i.weight OPERATOR(pg_catalog.*) i.points OPERATOR(pg_catalog.*) h.n
                                         ELSE pg_catalog.sign(i.points) OPERATOR(pg_catalog.*)
                                              LEAST(pg_catalog.abs(i.weight OPERATOR(pg_catalog.*) i.points OPERATOR(pg_catalog.*) h.n), i.cap)
                                    END AS contribution) c
         GROUP BY h.subject_id),
    scored AS (
        SELECT sub.subject_id, sub.kind,
               GREATEST(0, LEAST(100, base.score OPERATOR(pg_catalog.+) coalesce(p.contribution, 0))) AS score,
               base.parts OPERATOR(pg_catalog.||) coalesce(p.parts, '[]') AS parts, p.cap_rank
          FROM credit.subject sub
         CROSS JOIN base
          LEFT JOIN parts p ON p.subject_id OPERATOR(pg_catalog.=) sub.subject_id
         WHERE sub.kind OPERATOR(pg_catalog.=) ANY (s.subject_kinds)),
    -- the rank once per subject (materialised: not once per subject and grade)
    ranked AS MATERIALIZED (
        SELECT x.*, GREATEST(coalesce((SELECT pg_catalog.min(b.rank) FROM grades b
                                        WHERE b.min_score OPERATOR(pg_catalog.<=) x.score),
                                       (SELECT pg_catalog.max(b.rank) FROM grades b)),
                              coalesce(x.cap_rank, 0)) AS rank
          FROM scored x),
    graded AS (
        SELECT x.*, g.grade, g.negative
          FROM ranked x JOIN grades g ON g.rank OPERATOR(pg_catalog.=) x.rank)
    SELECT id, s.scheme, x.subject_id, x.kind, eval_store_run.as_of,
           (eval_store_run.as_of OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => s.cycle_months))::date OPERATOR(pg_catalog.-) 1,
           x.grade, x.score, x.negative, '计算', s.disclosure,
           pg_catalog.jsonb_build_object('scheme', s.scheme, 'version', s.version, 'as_of', eval_store_run.as_of,
                                         'score', x.score, 'grade', x.grade, 'indicators', x.parts),
           CASE WHEN x.negative THEN '待告知' ELSE '已公布' END,
           CASE WHEN x.negative THEN NULL ELSE credit.legal_date() END
      FROM graded x;
    GET DIAGNOSTICS stored = ROW_COUNT;
    UPDATE credit.eval_batch SET finished_at = pg_catalog.clock_timestamp(), results = stored WHERE batch_id = id;
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.eval_store_run(text, date, regrole) IS '评价计算 (the owner''s part of credit.eval_run: grades every subject of the scheme''s kinds on the date in one INSERT ... SELECT and records the run; the same scheme and date again returns the run made then)';

CREATE FUNCTION credit.eval_run(scheme text, as_of date) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    centre regrole := credit.eval_centre_only('runs an evaluation');
BEGIN
    RETURN credit.eval_store_run(eval_run.scheme, eval_run.as_of, centre);
END
$$;
COMMENT ON FUNCTION credit.eval_run(text, date) IS '信用评价 (the centre grades every subject of a computed scheme on a date, set-based: a result per subject with its explanation, negative grades 待告知, the others 已公布; returns the batch id; idempotent: the same scheme and date again returns the same batch and changes nothing; a repaired record, or one past its period, counts not)';

-- ------------------------------------------------------------------
-- Import of a foreign scheme's results: a json array of
-- {"uscc" or "subject_id", "grade", "valid_until" (optional), "score"
-- (optional)}.  Every bad row is reported, and nothing is stored.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.eval_store_import(scheme text, as_of date, results jsonb, document text, run_by regrole) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s credit.eval_scheme;
    id bigint;
    stored bigint;
    bad text;
BEGIN
    s := credit.eval_scheme_for(eval_store_import.scheme, eval_store_import.as_of, false);
    IF EXISTS (SELECT FROM credit.eval_batch b WHERE b.scheme OPERATOR(pg_catalog.=) s.scheme
                                                AND b.as_of OPERATOR(pg_catalog.=) eval_store_import.as_of) THEN
        RAISE EXCEPTION 'the results of scheme "%" on % are imported already', s.scheme, pg_catalog.to_char(eval_store_import.as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'unique_violation',
                  HINT = 'A result is corrected through an objection; a new evaluation has a new date.';
    END IF;
    IF pg_catalog.btrim(coalesce(document, '')) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'an import names the issuer''s document it comes from'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF pg_catalog.jsonb_typeof(results) IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(results) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'the results to import are not a non-empty json array'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass [{"uscc": "...", "grade": "A"}, ...].';
    END IF;
    CREATE TEMPORARY TABLE eval_import_rows ON COMMIT DROP AS
    SELECT r.n, r.v, sub.subject_id, sub.kind, g.grade, g.negative,
           CASE WHEN pg_catalog.jsonb_typeof(r.v) OPERATOR(pg_catalog.<>) 'object' THEN 'not a json object'
                WHEN r.v ?| ARRAY['uscc', 'subject_id'] IS NOT TRUE THEN 'neither "uscc" nor "subject_id"'
                WHEN sub.subject_id IS NULL THEN 'no such subject'
                WHEN NOT sub.kind OPERATOR(pg_catalog.=) ANY (s.subject_kinds) THEN pg_catalog.format('a %s is not graded by the scheme', sub.kind)
                WHEN g.grade IS NULL THEN pg_catalog.format('"%s" is not a grade of the scheme', r.v OPERATOR(pg_catalog.->>) 'grade')
                WHEN r.v ? 'valid_until' AND NOT coalesce(r.v OPERATOR(pg_catalog.->>) 'valid_until' OPERATOR(pg_catalog.~) '^\d{4}-\d{2}-\d{2}$', false)
                THEN '"valid_until" is not a date YYYY-MM-DD'
                WHEN r.v ? 'score' AND pg_catalog.jsonb_typeof(r.v OPERATOR(pg_catalog.->) 'score') IS DISTINCT FROM 'number'
                THEN '"score" is not a number'
                WHEN pg_catalog.count(*) OVER (PARTITION BY sub.subject_id) OPERATOR(pg_catalog.>) 1 THEN 'the subject is given twice'
           END AS problem
      FROM pg_catalog.jsonb_array_elements(results) WITH ORDINALITY AS r(v, n)
      LEFT JOIN LATERAL (
            SELECT x.subject_id, x.kind FROM credit.subject x
             WHERE x.subject_id OPERATOR(pg_catalog.=)
                   CASE WHEN (r.v OPERATOR(pg_catalog.->>) 'subject_id') OPERATOR(pg_catalog.~) '^[0-9]{1,19}$'
                         AND (r.v OPERATOR(pg_catalog.->>) 'subject_id')::numeric OPERATOR(pg_catalog.<=) 9223372036854775807
                        THEN (r.v OPERATOR(pg_catalog.->>) 'subject_id')::bigint END
            UNION ALL
            SELECT x.subject_id, x.kind FROM credit.subject x
             WHERE NOT r.v ? 'subject_id'
               AND x.uscc OPERATOR(credit.=) CASE WHEN credit.uscc_is_valid(r.v OPERATOR(pg_catalog.->>) 'uscc')
                                                  THEN (r.v OPERATOR(pg_catalog.->>) 'uscc')::credit.uscc END
             LIMIT 1) sub ON pg_catalog.jsonb_typeof(r.v) OPERATOR(pg_catalog.=) 'object'
      LEFT JOIN credit.eval_grades(s.scheme) g
        ON pg_catalog.jsonb_typeof(r.v) OPERATOR(pg_catalog.=) 'object' AND g.grade OPERATOR(pg_catalog.=) (r.v OPERATOR(pg_catalog.->>) 'grade');
    SELECT pg_catalog.string_agg(pg_catalog.format('row %s: %s', x.n, x.problem), '; ' ORDER BY x.n) INTO bad
      FROM eval_import_rows x WHERE x.problem IS NOT NULL;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'cannot import the results of scheme "%": %', s.scheme, bad
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Nothing was imported.',
                  HINT = 'Each row is {"uscc" or "subject_id", "grade", "valid_until" (optional), "score" (optional)}, one per subject.';
    END IF;
    INSERT INTO credit.eval_batch AS b (scheme, as_of, origin, document, run_by)
    VALUES (s.scheme, eval_store_import.as_of, '导入', eval_store_import.document, eval_store_import.run_by)
    RETURNING b.batch_id INTO id;
    INSERT INTO credit.eval_result (batch_id, scheme, subject_id, subject_kind, as_of, valid_until, grade, score,
                                    negative, origin, disclosure, explanation, state, published_on)
    SELECT id, s.scheme, x.subject_id, x.kind, eval_store_import.as_of,
           coalesce((x.v OPERATOR(pg_catalog.->>) 'valid_until')::date,
                    (eval_store_import.as_of OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => s.cycle_months))::date OPERATOR(pg_catalog.-) 1),
           x.grade, (x.v OPERATOR(pg_catalog.->>) 'score')::numeric, x.negative, '导入', s.disclosure,
           pg_catalog.jsonb_build_object('scheme', s.scheme, 'as_of', eval_store_import.as_of, 'grade', x.grade,
                                         'imported', x.v, 'document', eval_store_import.document),
           '已公布', credit.legal_date()
      FROM eval_import_rows x ORDER BY x.n;
    GET DIAGNOSTICS stored = ROW_COUNT;
    DROP TABLE eval_import_rows;
    UPDATE credit.eval_batch SET finished_at = pg_catalog.clock_timestamp(), results = stored WHERE batch_id = id;
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) IS '评价结果导入 (the owner''s part of credit.eval_import: checks every row, reports every bad one and stores nothing then; otherwise stores the results as published and records the import)';

CREATE FUNCTION credit.eval_import(scheme text, as_of date, results jsonb, document text) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    centre regrole := credit.eval_centre_only('imports evaluation results');
BEGIN
    RETURN credit.eval_store_import(eval_import.scheme, eval_import.as_of, eval_import.results, eval_import.document, centre);
END
$$;
COMMENT ON FUNCTION credit.eval_import(text, date, jsonb, text) IS '导入外部评价结果 (the centre imports a foreign scheme''s results (纳税信用, sector grades) as published, never recomputed: results [{"uscc" or "subject_id", "grade", "valid_until", "score"}], document the issuer''s source; every bad row reported, nothing stored then; returns the batch id)';

-- ------------------------------------------------------------------
-- The current grade: per scheme, the newest published result the caller
-- may see; valid while today (the legal date) is inside its validity.
-- Caller's rights: row security on credit.eval_result decides.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.current_grades(subject_id bigint, scheme text DEFAULT NULL)
    RETURNS TABLE (result_id bigint, scheme text, grade text, as_of date, valid_until date, valid boolean,
                   negative boolean, published_on date)
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT DISTINCT ON (r.scheme) r.result_id, r.scheme, r.grade, r.as_of, r.valid_until,
           r.as_of OPERATOR(pg_catalog.<=) credit.legal_date() AND r.valid_until OPERATOR(pg_catalog.>=) credit.legal_date(),
           r.negative, r.published_on
      FROM credit.eval_result r
     WHERE r.subject_id OPERATOR(pg_catalog.=) current_grades.subject_id
       AND (current_grades.scheme IS NULL OR r.scheme OPERATOR(pg_catalog.=) current_grades.scheme)
       AND r.state OPERATOR(pg_catalog.=) '已公布'
       AND r.as_of OPERATOR(pg_catalog.<=) credit.legal_date()
     ORDER BY r.scheme, r.as_of DESC;
END;
COMMENT ON FUNCTION credit.current_grades(bigint, text) IS '当前评价等级 (per scheme, the newest published result of the subject the caller may see, graded on or before today: result_id, scheme, grade, as_of, valid_until, valid (today inside its validity), negative, published_on; NULL scheme: every scheme)';

CREATE FUNCTION credit.grade(subject_id bigint, scheme text DEFAULT NULL)
    RETURNS TABLE (scheme_name text, grade text, as_of date, valid_until date, valid boolean)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- ($1, $2: the output column "grade" hides the function's name)
    IF $2 IS NOT NULL AND NOT EXISTS (SELECT FROM credit.eval_scheme s WHERE s.scheme OPERATOR(pg_catalog.=) $2) THEN
        RAISE EXCEPTION 'unknown evaluation scheme "%"', $2
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Name a scheme of credit.eval_scheme, or NULL for every scheme.';
    END IF;
    RETURN QUERY SELECT g.scheme, g.grade, g.as_of, g.valid_until, g.valid
                   FROM credit.current_grades($1, $2) g ORDER BY g.scheme;
END
$$;
COMMENT ON FUNCTION credit.grade(bigint, text) IS '查询评价等级 (the current grade of a subject under a scheme, or under every scheme (NULL): scheme_name, grade, the date graded, valid until and whether valid today; only published grades the caller may see; no row when there is none)';

-- What the public sees: published grades of organisations under a 公开
-- scheme (and, for the portal acting for a subject, that subject's own),
-- as the public portal sees them (owner credit_public_views, 40_disclosure.sql).
CREATE VIEW credit.public_eval_result AS
SELECT result_id, scheme, subject_id, grade, as_of, valid_until, published_on, state
  FROM credit.eval_result;
ALTER VIEW credit.public_eval_result OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_eval_result IS '公示评价结果 (evaluation results as the public sees them: published grades of organisations under a 公开 scheme; for the portal acting for a subject, its own)';
COMMENT ON COLUMN credit.public_eval_result.result_id IS '结果编号 (internal id)';
COMMENT ON COLUMN credit.public_eval_result.scheme IS '方案 (scheme)';
COMMENT ON COLUMN credit.public_eval_result.subject_id IS '主体 (the subject graded)';
COMMENT ON COLUMN credit.public_eval_result.grade IS '评价等级 (the grade)';
COMMENT ON COLUMN credit.public_eval_result.as_of IS '评价基准日 (the date graded)';
COMMENT ON COLUMN credit.public_eval_result.valid_until IS '有效期至 (valid until, inclusive)';
COMMENT ON COLUMN credit.public_eval_result.published_on IS '公布日期 (the legal date the grade was published)';
COMMENT ON COLUMN credit.public_eval_result.state IS '状态 (已公布; for the subject itself also 已告知)';

SELECT pg_catalog.pg_extension_config_dump('credit.eval_scheme', '');
SELECT pg_catalog.pg_extension_config_dump('credit.eval_indicator', '');
SELECT pg_catalog.pg_extension_config_dump('credit.eval_batch', '');
SELECT pg_catalog.pg_extension_config_dump('credit.eval_result', '');

-- An objection may name a grade (52_objection.sql).
ALTER TABLE credit.objection ADD CONSTRAINT objection_result_id_fkey FOREIGN KEY (result_id) REFERENCES credit.eval_result;

-- the check's hits with the grades (60_measures.sql)
CREATE OR REPLACE FUNCTION credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (WITH today AS (SELECT credit.legal_date() AS d),
    m AS (SELECT x.* FROM credit.matter x, today
           WHERE x.matter_code OPERATOR(pg_catalog.=) check_hits.matter_code
             AND x.valid_from OPERATOR(pg_catalog.<=) today.d
             AND (x.valid_until IS NULL OR x.valid_until OPERATOR(pg_catalog.>=) today.d)),
    rules AS (SELECT r.rule_code, r.trigger_kind, r.trigger_value, s.measure_code, s.polarity, s.content, s.basis, s.mandatory
                FROM credit.measure_rule r
                JOIN credit.measure s ON s.measure_code OPERATOR(pg_catalog.=) r.measure_code
                JOIN m ON r.matter_code OPERATOR(pg_catalog.=) m.matter_code OR r.matter_kind OPERATOR(pg_catalog.=) m.kind
                CROSS JOIN today
               WHERE r.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (r.valid_until IS NULL OR r.valid_until OPERATOR(pg_catalog.>=) today.d)
                 AND s.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (s.valid_until IS NULL OR s.valid_until OPERATOR(pg_catalog.>=) today.d)),
    triggers AS (
        SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
               rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
          FROM credit.record rec
          JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
          CROSS JOIN today
         WHERE rec.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id
           AND i.polarity OPERATOR(pg_catalog.<>) '中性'
           AND rec.state OPERATOR(pg_catalog.=) '有效'
           AND rec.publicity_state OPERATOR(pg_catalog.<>) '已修复'
           AND rec.publicity_start OPERATOR(pg_catalog.<=) today.d
           AND (rec.publicity_end IS NULL OR rec.publicity_end OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '名单', e.entry_id, e.list_kind, k.serious, k.colour
          FROM credit.list_entry e
          JOIN credit.list_kind k ON k.list_kind OPERATOR(pg_catalog.=) e.list_kind
          CROSS JOIN today
         WHERE e.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id
           AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
           AND e.listed_on OPERATOR(pg_catalog.<=) today.d
           AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
          FROM credit.commitment cm
         WHERE cm.subject_id OPERATOR(pg_catalog.=) check_hits.subject_id AND cm.broken_at IS NOT NULL
        UNION ALL
        SELECT '评价等级', g.result_id, g.grade, NULL, NULL
          FROM credit.current_grades(check_hits.subject_id) g
         WHERE g.valid)
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'hit_kind', CASE t.kind WHEN '名单' THEN '名单条目' WHEN '违诺' THEN '信用承诺'
                                       WHEN '评价等级' THEN '评价结果' ELSE '信用记录' END,
               'hit_id', t.id, 'trigger', r.trigger_kind, 'rule', r.rule_code,
               'measure', r.measure_code, 'polarity', r.polarity, 'content', r.content,
               'basis', r.basis, 'mandatory', r.mandatory)
             ORDER BY r.measure_code, t.kind, t.id, r.rule_code), '[]'::jsonb)
      FROM triggers t
      JOIN rules r ON (r.trigger_value IS NULL OR r.trigger_value OPERATOR(pg_catalog.=) t.value)
                  AND CASE r.trigger_kind
                          WHEN '严重失信名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.serious AND t.colour OPERATOR(pg_catalog.=) '黑'
                          WHEN '红名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '红'
                          ELSE t.kind OPERATOR(pg_catalog.=) r.trigger_kind END);
END
$$;
COMMENT ON FUNCTION credit.check_hits(bigint, text) IS '核查命中 (the measures that apply to a subject for a matter today, as a jsonb array of hits: hit_kind 信用记录/名单条目/信用承诺/评价结果, hit_id, trigger, rule, measure, polarity, content, basis, mandatory; reads with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term, broken commitments and current valid published grades; [] for none)';

-- row security (90_row_security.sql)
DO $rls$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['eval_scheme', 'eval_indicator', 'eval_batch', 'eval_result'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$rls$;
CREATE POLICY eval_scheme_read ON credit.eval_scheme FOR SELECT USING (true);
CREATE POLICY eval_scheme_centre ON credit.eval_scheme FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY eval_scheme_read ON credit.eval_scheme IS '所有登记角色可读 (every registered role reads the evaluation schemes)';
COMMENT ON POLICY eval_scheme_centre ON credit.eval_scheme IS '信用中心维护 (the centre maintains the evaluation schemes)';
CREATE POLICY eval_indicator_read ON credit.eval_indicator FOR SELECT USING (true);
CREATE POLICY eval_indicator_centre ON credit.eval_indicator FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY eval_indicator_read ON credit.eval_indicator IS '所有登记角色可读 (every registered role reads the evaluation indicators)';
COMMENT ON POLICY eval_indicator_centre ON credit.eval_indicator IS '信用中心维护 (the centre maintains the evaluation indicators)';
CREATE POLICY eval_batch_centre ON credit.eval_batch FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY eval_batch_centre ON credit.eval_batch IS '信用中心 (the centre reads every run and import)';
CREATE POLICY eval_result_centre ON credit.eval_result FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY eval_result_department ON credit.eval_result FOR SELECT TO credit_department_parties
    USING (state = '已公布' AND disclosure <> '授权查询' AND (SELECT credit.current_department_id()) IS NOT NULL);
CREATE POLICY eval_result_acting ON credit.eval_result FOR SELECT TO credit_portal_parties
    USING (state <> '待告知' AND subject_id = (SELECT credit.acting_subject()));
CREATE POLICY eval_result_public_grades ON credit.eval_result FOR SELECT
    TO credit_centre_parties, credit_agency_parties, credit_portal_parties
    USING (state = '已公布' AND disclosure = '公开' AND subject_kind <> '自然人'
           AND (SELECT credit.current_party_kind()) IS NOT NULL);
COMMENT ON POLICY eval_result_centre ON credit.eval_result IS '信用中心 (the centre: every result, and moves them)';
COMMENT ON POLICY eval_result_department ON credit.eval_result IS '部门: 公开和部门共享方案的已公布等级 (a department: published grades of 公开 and 部门共享 schemes, for 分级分类监管 and the credit check)';
COMMENT ON POLICY eval_result_acting ON credit.eval_result IS '主体本人经信用网站查看 (the subject through the portal acting for it: its own grades once told of them, with their explanation)';
COMMENT ON POLICY eval_result_public_grades ON credit.eval_result IS '公开: 公开方案中组织的已公布等级 (published grades of organisations under a 公开 scheme: every registered role; a natural person''s grade is never public)';

-- privileges (91_privileges.sql): the owner's parts for the centre only;
-- grant_party grants the new tables, and the roles registered already get
-- them now
REVOKE EXECUTE ON FUNCTION credit.eval_result_rules() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) TO credit_centre_parties;
GRANT EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) TO credit_centre_parties;
GRANT SELECT ON credit.eval_result TO credit_public_views;
CREATE OR REPLACE FUNCTION credit.grant_party(r regrole, kind credit.party_kind) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- every registered role: the schema, the reference data, the public views
    common constant text[] := ARRAY[
        'USAGE ON SCHEMA credit',
        'SELECT ON credit.department, credit.party, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine, credit.machine_state, credit.machine_transition, '
            'credit.machine_deadline, credit.sync_target, credit.collection_rule, '
            'credit.measure, credit.matter, credit.measure_rule, credit.eval_scheme, credit.eval_indicator',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry, credit.public_eval_result'];
    -- the portal and grantees: records and subjects with personal data masked
    masked constant text[] := ARRAY[
        pg_catalog.format('SELECT (%s) ON credit.record', credit.view_columns('credit.public_record', 'credit.record')),
        pg_catalog.format('SELECT (%s) ON credit.subject', credit.view_columns('credit.public_subject', 'credit.subject'))];
    own text[];
    privilege text;
BEGIN
    CASE kind
    WHEN '信用中心' THEN own := ARRAY[
        'INSERT, UPDATE, DELETE ON credit.department, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine_transition, credit.machine_deadline, credit.sync_target',
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject, credit.subject_old_code, credit.record, credit.record_load, '
            'credit.list_entry, credit.authorisation',
        'UPDATE (name, legal_rep_name, legal_rep_id) ON credit.subject',
        'UPDATE (state, state_reason, publicity_state) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'INSERT (record_id, entry_id, result_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'UPDATE (enabled, severity) ON credit.collection_rule',
        'INSERT, UPDATE, DELETE ON credit.measure, credit.matter, credit.measure_rule',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats',
        'INSERT, UPDATE, DELETE ON credit.eval_scheme, credit.eval_indicator',
        'SELECT ON credit.eval_batch, credit.eval_result',
        'UPDATE (state) ON credit.eval_result'];
    WHEN '部门' THEN own := ARRAY[
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject_old_code, credit.record, credit.record_load, credit.list_entry, '
            'credit.access_log',
        'UPDATE (state, state_reason) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'INSERT (item_code, file_name, header_lines) ON credit.collection_batch',
        'UPDATE (state) ON credit.collection_batch',
        'INSERT ON credit.collection_load, credit.collection_staging, credit.collection_error',
        'DELETE ON credit.collection_staging',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats',
        'INSERT (subject_id, matter_code, purpose) ON credit.credit_check',
        'INSERT (check_id, measure_code, action, details) ON credit.check_feedback',
        'SELECT ON credit.eval_result'];
    WHEN '信用网站' THEN own := masked || ARRAY[
        'SELECT ON credit.list_entry, credit.access_log, credit.commitment',
        'SELECT, INSERT ON credit.authorisation',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'EXECUTE ON FUNCTION credit.subject_exists(bigint)',
        pg_catalog.format('SELECT (%s) ON credit.workflow_event', credit.masked_columns('credit.workflow_event')),
        'INSERT ON credit.workflow_event',
        pg_catalog.format('SELECT (%s) ON credit.objection', credit.masked_columns('credit.objection')),
        'SELECT ON credit.repair',
        'INSERT (record_id, entry_id, result_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT ON credit.credit_check',
        'SELECT ON credit.eval_result'];
    WHEN '授权机构' THEN own := masked || ARRAY[
        'SELECT ON credit.subject_old_code, credit.list_entry, credit.authorisation, credit.access_log',
        'INSERT ON credit.access_log',
        'SELECT ON credit.eval_result'];
    END CASE;
    FOREACH privilege IN ARRAY common || own LOOP
        EXECUTE pg_catalog.format('GRANT %s TO %s', privilege, r);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT %I TO %s', credit.party_group(kind), r);
END
$$;
SELECT credit.grant_party(p.role, p.kind) FROM credit.party p ORDER BY p.role::text;

-- backup (95_backup.sql): the shipped rows of the new reference tables
-- are restored over; the new identity sequences are dumped
DO $shipped$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['eval_scheme', 'eval_indicator'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I FOR EACH ROW'
                                  ' WHEN (credit.restoring(%L)) EXECUTE FUNCTION credit.restore_shipped_row()',
                                  t || '_restore_shipped', t, 'credit.' || t);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON credit.%I IS %L', t || '_restore_shipped', t,
                                  '恢复内置行 (on restore, a dumped row with the key of a shipped row updates it)');
    END LOOP;
END
$shipped$;
SELECT pg_catalog.pg_extension_config_dump('credit.eval_batch_batch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.eval_result_result_id_seq', '');
