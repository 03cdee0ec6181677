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
-- Issue 12, the department's transition: fewer statements parsed and
-- planned at every transition (50_workflow.sql, 51_publicity.sql,
-- 52_objection.sql, 53_repair.sql; transition.c, guard.c,
-- list_entry_rules.c)
-- ==================================================================
-- The one-id transition in C: the SQL function was inlined into, and
-- planned again with, every statement calling it.
CREATE OR REPLACE FUNCTION credit.transition(machine text, object_id bigint, to_state text,
                                             reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'workflow_transition_one' LANGUAGE C VOLATILE PARALLEL UNSAFE;
-- The guards' triggers without their WHEN (NOT credit.restoring(...)):
-- credit.workflow_guard asks it itself.
DROP TRIGGER record_machine ON credit.record;
CREATE TRIGGER record_machine BEFORE INSERT OR UPDATE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('record');
DROP TRIGGER list_entry_machine ON credit.list_entry;
CREATE TRIGGER list_entry_machine BEFORE INSERT OR UPDATE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('list_entry');
DROP TRIGGER objection_machine ON credit.objection;
CREATE TRIGGER objection_machine BEFORE INSERT OR UPDATE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('objection');
DROP TRIGGER repair_machine ON credit.repair;
CREATE TRIGGER repair_machine BEFORE INSERT OR UPDATE ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('repair');
-- The list entry machine's same-row effects in C, its trigger without a WHEN clause.
-- 列入中 again (延期): the new end of term from the transition's details,
-- within the list kind's bounds, and the deletion due date counted from
-- it.  A trigger function that no trigger names: credit.list_entry_rules()
-- (C) calls it with its own trigger data for a transition to 列入中 only.
CREATE FUNCTION credit.list_entry_listing_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    new_expiry date;
    kind credit.list_kind;
BEGIN
    IF OLD.expires_on <= credit.legal_date() THEN
        RAISE EXCEPTION 'cannot extend list entry %: its term ended on %', OLD.entry_id, OLD.expires_on
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A new listing is a new entry.';
    END IF;
    new_expiry := (req.details ->> 'expires_on')::date;
    IF new_expiry IS NULL OR new_expiry <= coalesce(OLD.expires_on, '-infinity') THEN
        RAISE EXCEPTION 'extending list entry % needs a new end of term after %', OLD.entry_id,
                        coalesce(OLD.expires_on::text, 'the listing')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass details => jsonb_build_object(''expires_on'', <date>) to credit.transition().';
    END IF;
    -- the list kind's bounds (失信被执行人: 1 to 3 years)
    SELECT * INTO kind FROM credit.list_kind k WHERE k.list_kind = OLD.list_kind;
    IF OLD.expires_on IS NOT NULL
       AND (new_expiry < OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0))
            OR new_expiry > OLD.expires_on + make_interval(months => kind.extension_max_months)) THEN
        RAISE EXCEPTION 'extending list entry % to % is outside the bounds of list "%"', OLD.entry_id,
                        pg_catalog.to_char(new_expiry, 'YYYY-MM-DD'), kind.list_kind
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('An extension of this list moves the end of term (%s) by %s to %s months: from %s to %s.',
                                             pg_catalog.to_char(OLD.expires_on, 'YYYY-MM-DD'), coalesce(kind.extension_min_months, 0),
                                             coalesce(kind.extension_max_months::text, 'any number of'),
                                             pg_catalog.to_char(OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0)), 'YYYY-MM-DD'),
                                             coalesce(pg_catalog.to_char(OLD.expires_on + make_interval(months => kind.extension_max_months), 'YYYY-MM-DD'), 'any date')),
                  HINT = 'Give an end of term inside the bounds of credit.list_kind.extension_min_months and extension_max_months.';
    END IF;
    NEW.expires_on := new_expiry;
    -- (the guard counted deletion_due from the old end of term)
    NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', new_expiry);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_listing_rules() IS '触发器: 名单延期的效果 (trigger function, called by credit.list_entry_rules() for a transition to 列入中: 延期 takes the new end of term from the transition''s details, within the list kind''s extension bounds, and moves the deletion due date)';

-- In C (extension/list_entry_rules.c), fired for every UPDATE without a
-- WHEN clause: a WHEN clause is parsed and planned again by every
-- statement, which costs a department's one-id transition more than the
-- rules do; the sweep's 已到期 returns at once.
CREATE OR REPLACE FUNCTION credit.list_entry_rules() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_list_entry_rules' LANGUAGE C;
COMMENT ON FUNCTION credit.list_entry_rules() IS '触发器: 名单状态的效果 (trigger: 已移出 records the date and reason of removal; a transition to 列入中 goes on to credit.list_entry_listing_rules())';
DROP TRIGGER list_entry_rules ON credit.list_entry;
CREATE TRIGGER list_entry_rules BEFORE UPDATE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_rules();
-- Issue 16: credit reports (extension/62_reports.sql; its policies in
-- 90_row_security.sql, its grants in credit.grant_party, 91_privileges.sql;
-- its sequence dumped as 95_backup.sql does for every identity)
-- ==================================================================
-- ------------------------------------------------------------------
-- What a report counts a catalogue item's records as, beyond their
-- category (行政处罚 is a category of its own): 行政强制 and 刑事裁判
-- (犯罪记录) items are local catalogue items, so the centre marks them here.
-- Reference data: every registered role reads it, the centre keeps it.
-- ------------------------------------------------------------------
CREATE TABLE credit.report_item (
    item_code     text PRIMARY KEY REFERENCES credit.catalogue_item ON UPDATE CASCADE,
    report_class  text NOT NULL CHECK (report_class IN ('行政强制', '刑事裁判'))
);
COMMENT ON TABLE credit.report_item IS '报告归类 (catalogue items a credit report counts as 行政强制 (administrative compulsion) or 刑事裁判 (criminal judgment) beyond their category; kept by the centre)';
COMMENT ON COLUMN credit.report_item.item_code IS '目录项 (the catalogue item)';
COMMENT ON COLUMN credit.report_item.report_class IS '报告归类 (行政强制 or 刑事裁判)';
SELECT pg_catalog.pg_extension_config_dump('credit.report_item', '');

-- ------------------------------------------------------------------
-- The kinds and their layouts, in one place each.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.report_kinds(OUT kind text, OUT letter text, OUT format text, OUT title text)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM (VALUES
        ('标准版', 'B', '公共信用信息报告标准(2022年版)', '公共信用信息报告（标准版）'),
        ('专项版', 'Z', '专项信用报告(发改财金〔2025〕565号)', '专项信用报告（代替无违法违规记录证明）')) AS k(kind, letter, format, title);
END;
COMMENT ON FUNCTION credit.report_kinds() IS '报告类型 (the report kinds: 标准版 and 专项版, with the letter of their report numbers, the format they follow and the printed title)';

-- A kind as given ('专项' is 专项版), or NULL when unknown.
CREATE FUNCTION credit.report_kind(kind text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT k.kind FROM credit.report_kinds() k
             WHERE k.kind = CASE report_kind.kind WHEN '专项' THEN '专项版' ELSE report_kind.kind END);
COMMENT ON FUNCTION credit.report_kind(text) IS '报告类型规范化 (the report kind as stored: 标准版 or 专项版 (also given as 专项); NULL for an unknown kind)';

-- The columns of the tables of record and list entry sections.
CREATE FUNCTION credit.report_entry_fields() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['类别', '文书号/依据', '决定日期', '内容', '决定机关', '截止日期', '备注'];
COMMENT ON FUNCTION credit.report_entry_fields() IS '记录栏目字段 (the columns of a section of records and list entries: 类别, 文书号/依据, 决定日期, 内容, 决定机关, 截止日期, 备注)';

-- Each kind's sections in their printed order, with their columns.  The
-- 标准版 follows the observed order of the national report (基本信息, 概要,
-- 行政管理, 诚实守信, 严重失信, 经营异常, 信用承诺, 信用评价, 司法, 其他); the
-- 专项版 the minimum content of 发改财金〔2025〕565号.
CREATE FUNCTION credit.report_layout(kind text, OUT section_no integer, OUT title text, OUT fields text[])
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT l.section_no, l.title, l.fields
      FROM (VALUES
        ('标准版', 1, '基本信息', ARRAY['项目', '内容']),
        ('标准版', 2, '概要', ARRAY['栏目', '条数', '状态']),
        ('标准版', 3, '行政管理', credit.report_entry_fields()),
        ('标准版', 4, '诚实守信', credit.report_entry_fields()),
        ('标准版', 5, '严重失信', credit.report_entry_fields()),
        ('标准版', 6, '经营异常', credit.report_entry_fields()),
        ('标准版', 7, '信用承诺', ARRAY['承诺类型', '承诺内容', '承诺日期', '公开范围', '履行情况', '违诺情况']),
        ('标准版', 8, '信用评价', ARRAY['评价名称', '评价结果', '评价日期', '有效期至', '评价机构']),
        ('标准版', 9, '司法', credit.report_entry_fields()),
        ('标准版', 10, '其他', credit.report_entry_fields()),
        ('专项版', 1, '基本信息', ARRAY['项目', '内容']),
        ('专项版', 2, '概要', ARRAY['栏目', '条数', '状态']),
        ('专项版', 3, '行政处罚', credit.report_entry_fields()),
        ('专项版', 4, '行政强制', credit.report_entry_fields()),
        ('专项版', 5, '严重失信主体名单', credit.report_entry_fields()),
        ('专项版', 6, '刑事裁判', credit.report_entry_fields())) AS l(kind, section_no, title, fields)
     WHERE l.kind = report_layout.kind
     ORDER BY l.section_no;
END;
COMMENT ON FUNCTION credit.report_layout(text) IS '报告章节 (the sections of a report kind in printed order, with the columns of their tables; no rows for an unknown kind)';

-- ------------------------------------------------------------------
-- Where a record or a list entry goes, and whether it may be reported.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.report_record_section(kind text, category credit.catalogue_category, report_class text,
                                             polarity credit.polarity)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE kind
        WHEN '专项版' THEN
            CASE WHEN report_class = '行政强制' THEN '行政强制'
                 WHEN report_class = '刑事裁判' THEN '刑事裁判'
                 WHEN category = '行政处罚' THEN '行政处罚' END
        WHEN '标准版' THEN
            CASE WHEN report_class = '行政强制' OR category IN ('行政许可', '行政处罚') THEN '行政管理'
                 WHEN report_class = '刑事裁判' OR category IN ('司法', '失信被执行人') THEN '司法'
                 WHEN category = '经营异常名录' THEN '经营异常'
                 WHEN category = '红名单' OR polarity = '守信' THEN '诚实守信'
                 ELSE '其他' END
        END;
COMMENT ON FUNCTION credit.report_record_section(text, credit.catalogue_category, text, credit.polarity) IS '记录所属章节 (the section a record goes to in a report kind, by its item''s category, report class and polarity; NULL: not in that kind)';

CREATE FUNCTION credit.report_list_section(kind text, colour text, serious boolean) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE kind
        WHEN '专项版' THEN CASE WHEN colour = '黑' AND serious THEN '严重失信主体名单' END
        WHEN '标准版' THEN CASE WHEN colour = '红' THEN '诚实守信'
                               WHEN colour = '黑' AND serious THEN '严重失信'
                               ELSE '其他' END
        END;
COMMENT ON FUNCTION credit.report_list_section(text, text, boolean) IS '名单条目所属章节 (the section a list entry goes to in a report kind: a red list to 诚实守信, a serious black list to 严重失信 (专项版: 严重失信主体名单), another black list to 其他; NULL: not in that kind)';

-- A record is reported when it is in force (有效: not withdrawn, not a
-- corrected version), not repaired, its publicity not stopped or ended,
-- and inside its period.  A negative record not published by rule (不公示,
-- e.g. a 轻微 简易程序 penalty under 令第36号) is no part of the standard
-- report; the 专项版, which must cover 简易程序 penalties, reports it
-- within the 5 years from the end of the conduct that negative
-- information is disclosed at most.
CREATE FUNCTION credit.report_record_in_force(kind text, state credit.record_state, publicity_state text,
                                              publicity_start date, publicity_end date, decision_date date,
                                              conduct_end_date date, as_of date)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN state = '有效'
       AND publicity_state NOT IN ('已修复', '停止公示', '已到期')
       AND publicity_start <= as_of
       AND CASE WHEN publicity_state = '不公示'
                THEN kind = '专项版' AND coalesce(conduct_end_date, decision_date) + interval '5 years' > as_of
                ELSE publicity_end IS NULL OR publicity_end > as_of END;
COMMENT ON FUNCTION credit.report_record_in_force(text, credit.record_state, text, date, date, date, date, date) IS '记录可入报告 (is a record reported on the as-of date: 有效, not 已修复, 停止公示 or 已到期, started and inside its publicity period; a 不公示 negative record only in the 专项版, within 5 years from the end of the conduct)';

CREATE FUNCTION credit.report_entry_in_force(state text, removed_on date, listed_on date, expires_on date, as_of date)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN state = '列入中' AND removed_on IS NULL AND listed_on <= as_of
       AND (expires_on IS NULL OR expires_on > as_of);
COMMENT ON FUNCTION credit.report_entry_in_force(text, date, date, date, date) IS '名单条目可入报告 (is a list entry reported on the as-of date: 列入中, not removed, listed and inside its term)';

-- ------------------------------------------------------------------
-- The sections.  Each returns {"状态": ..., "记录": [rows]}, the rows as
-- objects keyed by the section's columns (credit.report_layout); 状态 is
-- 已查询 (read), 无权查询 (the caller may not read the source) or 未接入
-- (no source yet).  Caller's rights: each reads what the caller's row
-- security and privileges give it, only the columns every party may read
-- (personal data masked: a printed report travels).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.report_section_basic(subject_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object('状态', '已查询', '记录', coalesce(pg_catalog.jsonb_agg(
               pg_catalog.jsonb_build_object('项目', f.item, '内容', f.value) ORDER BY f.n), '[]'::jsonb))
      FROM credit.subject s
     CROSS JOIN LATERAL (VALUES
            (1, CASE WHEN s.kind = '自然人' THEN '姓名' ELSE '名称' END, s.name_public),
            (2, CASE WHEN s.kind = '自然人' THEN '公民身份号码' ELSE '统一社会信用代码' END,
                coalesce(s.uscc::text, s.resident_id_public)),
            (3, '主体类别', s.kind::text),
            (4, '法定代表人', CASE WHEN s.kind <> '自然人' THEN s.legal_rep_name END)) AS f(n, item, value)
     WHERE s.subject_id = report_section_basic.subject_id
       AND (f.n < 4 OR s.kind <> '自然人');
END;
COMMENT ON FUNCTION credit.report_section_basic(bigint) IS '报告: 基本信息 (the subject as the caller sees it: name, code, kind, legal representative; a natural person''s name and identity number masked)';

CREATE FUNCTION credit.report_section_entries(kind text, title text, subject_id bigint, period_from date,
                                              as_of date, domains text[])
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object('状态', '已查询', '记录', coalesce(pg_catalog.jsonb_agg(e.line ORDER BY e.day DESC, e.source, e.id), '[]'::jsonb))
      FROM (SELECT '信用记录' AS source, r.record_id AS id, r.decision_date AS day,
                   pg_catalog.jsonb_build_object(
                       '来源', '信用记录', '编号', r.record_id::text, '类别', i.name,
                       '文书号/依据', r.decision_no, '决定日期', r.decision_date,
                       '内容', coalesce(r.penalty_content,
                                        pg_catalog.concat_ws(' ', r.licence_name, r.licence_no, r.licence_content),
                                        r.violation_type),
                       '决定机关', coalesce(r.authority_name, d.name),
                       '截止日期', r.publicity_end,
                       '备注', NULLIF(pg_catalog.concat_ws('；',
                                   CASE WHEN r.severity IS NOT NULL THEN '失信程度: ' || r.severity::text END,
                                   CASE WHEN r.fine_amount IS NOT NULL THEN '罚款(万元): ' || r.fine_amount::text END,
                                   CASE WHEN r.publicity_state = '不公示' THEN '不予公示 (' || r.publicity_state || ')' END,
                                   r.dispute_mark), '')) AS line
              FROM credit.record r
              JOIN credit.catalogue_item i ON i.item_code = r.item_code
              LEFT JOIN credit.report_item c ON c.item_code = r.item_code
              JOIN credit.department d ON d.department_id = r.department_id
             WHERE r.subject_id = report_section_entries.subject_id
               AND credit.report_record_in_force(report_section_entries.kind, r.state, r.publicity_state, r.publicity_start,
                                                 r.publicity_end, r.decision_date, r.conduct_end_date,
                                                 report_section_entries.as_of)
               AND (report_section_entries.period_from IS NULL OR r.decision_date >= report_section_entries.period_from)
               AND (report_section_entries.domains IS NULL OR d.code = ANY (report_section_entries.domains))
               AND credit.report_record_section(report_section_entries.kind, i.category, c.report_class, i.polarity)
                   = report_section_entries.title
            UNION ALL
            SELECT '名单条目', x.entry_id, x.listed_on,
                   pg_catalog.jsonb_build_object(
                       '来源', '名单条目', '编号', x.entry_id::text, '类别', k.name,
                       '文书号/依据', k.legal_basis, '决定日期', x.listed_on, '内容', x.reasons,
                       '决定机关', d.name, '截止日期', x.expires_on, '备注', x.dispute_mark)
              FROM credit.list_entry x
              JOIN credit.list_kind k ON k.list_kind = x.list_kind
              JOIN credit.department d ON d.department_id = x.department_id
             WHERE x.subject_id = report_section_entries.subject_id
               AND credit.report_entry_in_force(x.state, x.removed_on, x.listed_on, x.expires_on, report_section_entries.as_of)
               AND (report_section_entries.domains IS NULL OR d.code = ANY (report_section_entries.domains))
               AND credit.report_list_section(report_section_entries.kind, k.colour, k.serious) = report_section_entries.title
           ) AS e;
END;
COMMENT ON FUNCTION credit.report_section_entries(text, text, bigint, date, date, text[]) IS '报告: 记录与名单栏目 (the records and list entries of one section, as the caller sees them: records in force (credit.report_record_in_force) decided in the period, entries in force (credit.report_entry_in_force), of the domains'' departments, placed by credit.report_record_section (with the class of credit.report_item) and credit.report_list_section; newest first)';

-- Commitments as today's credit.commitment holds them; the caller's row
-- security decides which (a bank reads none); 不可公开 ones only in the
-- subject's own report (the portal acting for it).
CREATE FUNCTION credit.report_section_commitments(subject_id bigint, as_of date) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.has_table_privilege('credit.commitment', 'SELECT') THEN
        RETURN pg_catalog.jsonb_build_object('状态', '无权查询', '记录', '[]'::jsonb);
    END IF;
    RETURN (SELECT pg_catalog.jsonb_build_object('状态', '已查询', '记录', coalesce(pg_catalog.jsonb_agg(
                       pg_catalog.jsonb_build_object(
                           '来源', '信用承诺', '编号', c.commitment_id::text,
                           '承诺类型', c.kind, '承诺内容', c.content, '承诺日期', c.made_on,
                           '公开范围', c.disclosure, '履行情况', c.performance, '违诺情况', c.broken_reason)
                       ORDER BY c.made_on DESC, c.made_at DESC, c.commitment_id), '[]'::jsonb))
              FROM credit.commitment c
             WHERE c.subject_id = report_section_commitments.subject_id
               AND c.made_on <= report_section_commitments.as_of
               AND (c.disclosure <> '不可公开' OR credit.acting_for(c.subject_id)));
END
$$;
COMMENT ON FUNCTION credit.report_section_commitments(bigint, date) IS '报告: 信用承诺 (the subject''s commitments the caller reads: kind, content, date, disclosure, performance, breach; 不可公开 ones only in the subject''s own report; 无权查询 for a caller without access to commitments)';

-- 信用评价: no source yet (evaluation grades come with credit.eval_result).
CREATE FUNCTION credit.report_section_evaluation(subject_id bigint, as_of date) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.jsonb_build_object('状态', '未接入', '说明', '信用评价结果尚未接入本报告 (no evaluation source yet)',
                                         '记录', '[]'::jsonb);
COMMENT ON FUNCTION credit.report_section_evaluation(bigint, date) IS '报告: 信用评价 (evaluation grades: no source yet, an empty section marked 未接入; replaced when credit.eval_result is added)';

-- One section of a kind: which function produces it.  概要 is counted from
-- the others by credit.report_content.
CREATE FUNCTION credit.report_section(kind text, title text, subject_id bigint, period_from date, as_of date,
                                      domains text[])
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
    RETURN CASE title
        WHEN '基本信息' THEN credit.report_section_basic(subject_id)
        WHEN '信用承诺' THEN credit.report_section_commitments(subject_id, as_of)
        WHEN '信用评价' THEN credit.report_section_evaluation(subject_id, as_of)
        ELSE credit.report_section_entries(kind, title, subject_id, period_from, as_of, domains) END;
COMMENT ON FUNCTION credit.report_section(text, text, bigint, date, date, text[]) IS '报告章节内容 (the content of one section, {"状态", "记录"}: which function produces each section; 概要 is counted by credit.report_content)';

-- ------------------------------------------------------------------
-- The whole content: the header and the sections, in the layout's order.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.report_content(report_no text, kind text, subject_id bigint, period_from date, as_of date,
                                      domains text[], issued_at timestamptz, requester jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l record;
    body jsonb := '{}';
    summary jsonb := '[]';
    sections jsonb := '[]';
    s jsonb;
    k record;
BEGIN
    SELECT * INTO k FROM credit.report_kinds() x WHERE x.kind = report_content.kind;
    FOR l IN SELECT * FROM credit.report_layout(report_content.kind) LOOP
        CONTINUE WHEN l.title = '概要';
        s := credit.report_section(report_content.kind, l.title, report_content.subject_id, report_content.period_from,
                                   report_content.as_of, report_content.domains);
        body := body || pg_catalog.jsonb_build_object(l.title, s);
        IF l.title <> '基本信息' THEN
            summary := summary || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                '栏目', l.title, '条数', pg_catalog.jsonb_array_length(s -> '记录'), '状态', s ->> '状态'));
        END IF;
    END LOOP;
    FOR l IN SELECT * FROM credit.report_layout(report_content.kind) LOOP
        s := CASE WHEN l.title = '概要' THEN pg_catalog.jsonb_build_object('状态', '已查询', '记录', summary)
                  ELSE body -> l.title END;
        sections := sections || pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object('序号', l.section_no, '名称', l.title, '字段', pg_catalog.to_jsonb(l.fields)) || s);
    END LOOP;
    RETURN pg_catalog.jsonb_build_object(
        '报告编号', report_content.report_no,
        '报告类型', report_content.kind,
        '报告标题', k.title,
        '格式', k.format,
        '主体编号', report_content.subject_id::text,
        '主体名称', (SELECT x.name_public FROM credit.subject x WHERE x.subject_id = report_content.subject_id),
        '查询期间', pg_catalog.jsonb_build_object('起', report_content.period_from, '止', report_content.as_of),
        '查询领域', pg_catalog.to_jsonb(report_content.domains),
        '出具时间', pg_catalog.to_char(report_content.issued_at AT TIME ZONE
                                          coalesce(pg_catalog.current_setting('credit.timezone', true), 'Asia/Shanghai'),
                                      'YYYY-MM-DD HH24:MI:SS'),
        '出具对象', report_content.requester,
        '章节', sections);
END
$$;
COMMENT ON FUNCTION credit.report_content(text, text, bigint, date, date, text[], timestamptz, jsonb) IS '报告内容 (the content of a report as the caller sees the subject: number, kind, title, format, subject, period, domains, time of issue (credit.timezone), requester, and the sections of credit.report_layout in order, each {"序号", "名称", "字段", "状态", "记录"}; 概要 counts the others)';

-- ------------------------------------------------------------------
-- The canonical form and its hash.  The canonical form of a jsonb value:
-- objects with their keys sorted by code point (the "C" collation of UTF-8
-- bytes), no white space ({"a":1,"b":[1,"x"]}), strings escaped as
-- PostgreSQL's JSON output escapes them (\" \\ \b \f \n \r \t, other
-- control characters \u00XX in lower case, everything else as is),
-- numbers as jsonb prints them (a report holds integers only), true,
-- false, null.  The same as Python's
-- json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(',', ':'))
-- for a report.  The hash: SHA-256 of its UTF-8 bytes, in lower-case hex.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.report_canonical(content jsonb) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CASE pg_catalog.jsonb_typeof(content)
    WHEN 'object' THEN
        RETURN '{' || coalesce((SELECT pg_catalog.string_agg(pg_catalog.to_jsonb(e.key)::text || ':' || credit.report_canonical(e.value),
                                                              ',' ORDER BY e.key COLLATE "C")
                                  FROM pg_catalog.jsonb_each(content) AS e), '') || '}';
    WHEN 'array' THEN
        RETURN '[' || coalesce((SELECT pg_catalog.string_agg(credit.report_canonical(a.value), ',' ORDER BY a.n)
                                  FROM pg_catalog.jsonb_array_elements(content) WITH ORDINALITY AS a(value, n)), '') || ']';
    ELSE
        RETURN content::text;
    END CASE;
END
$$;
COMMENT ON FUNCTION credit.report_canonical(jsonb) IS '报告规范形式 (the canonical text of a jsonb value: keys sorted by code point, no white space, strings escaped as PostgreSQL''s JSON output; what a report''s SHA-256 is computed over; docs/reports.md)';

CREATE FUNCTION credit.report_sha256(content jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(credit.report_canonical(content), 'UTF8')), 'hex');
COMMENT ON FUNCTION credit.report_sha256(jsonb) IS '报告校验码 (SHA-256 of the UTF-8 bytes of credit.report_canonical(content), 64 lower-case hex digits)';

-- ------------------------------------------------------------------
-- Issued reports: one append-only row a report.
-- ------------------------------------------------------------------
CREATE TABLE credit.report_issue (
    report_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_no        text NOT NULL UNIQUE CHECK (report_no ~ '^XYBG[BZ][0-9]{8}[0-9]{8,}$'),
    kind             text NOT NULL CHECK (kind IN ('标准版', '专项版')),
    format           text NOT NULL,
    subject_id       bigint NOT NULL REFERENCES credit.subject,
    period_from      date,
    period_to        date NOT NULL,
    domains          text[],
    as_of            date NOT NULL DEFAULT credit.legal_date(),
    issued_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    requested_by     regrole NOT NULL DEFAULT current_user::regrole,
    party_kind       credit.party_kind NOT NULL,
    department_id    integer REFERENCES credit.department,
    acting_for       boolean NOT NULL DEFAULT false,
    authorisation_id bigint REFERENCES credit.authorisation,
    content          jsonb NOT NULL,
    sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CHECK (period_from IS NULL OR period_from <= period_to)
);
CREATE INDEX report_issue_subject ON credit.report_issue (subject_id, issued_at);
CREATE INDEX report_issue_requester ON credit.report_issue (requested_by, issued_at);
SELECT pg_catalog.pg_extension_config_dump('credit.report_issue', '');
COMMENT ON TABLE credit.report_issue IS '信用报告出具记录 (every credit report issued: number, kind, subject, period, as-of date and time, requester, the content as issued and its SHA-256; append-only: a later correction of a record never changes an issued report, a new report shows it)';
COMMENT ON COLUMN credit.report_issue.report_id IS '出具序号 (internal id: the serial of the report number)';
COMMENT ON COLUMN credit.report_issue.report_no IS '报告编号 (report number: XYBG, the kind''s letter (B 标准版, Z 专项版), the legal date of issue YYYYMMDD, the serial report_id in at least 8 digits, e.g. XYBGB2026092900000001)';
COMMENT ON COLUMN credit.report_issue.kind IS '报告类型 (标准版 or 专项版)';
COMMENT ON COLUMN credit.report_issue.format IS '报告格式 (the format followed, e.g. 公共信用信息报告标准(2022年版))';
COMMENT ON COLUMN credit.report_issue.subject_id IS '报告主体 (the subject reported on)';
COMMENT ON COLUMN credit.report_issue.period_from IS '查询期间起 (records decided from this date; NULL: all in force; the 专项版 defaults to 3 years before the as-of date)';
COMMENT ON COLUMN credit.report_issue.period_to IS '查询期间止 (the as-of date)';
COMMENT ON COLUMN credit.report_issue.domains IS '查询领域 (the domains chosen: codes of the providing departments; NULL: all)';
COMMENT ON COLUMN credit.report_issue.as_of IS '截止日期 (the legal date of issue: what was in force that day)';
COMMENT ON COLUMN credit.report_issue.issued_at IS '出具时间 (when: the clock''s)';
COMMENT ON COLUMN credit.report_issue.requested_by IS '出具对象角色 (the requesting role)';
COMMENT ON COLUMN credit.report_issue.party_kind IS '出具对象类别 (the requester''s kind of party)';
COMMENT ON COLUMN credit.report_issue.department_id IS '出具对象部门 (the requesting department, for a department role)';
COMMENT ON COLUMN credit.report_issue.acting_for IS '代主体查询 (true: the portal acting for the subject, the subject''s own report)';
COMMENT ON COLUMN credit.report_issue.authorisation_id IS '授权编号 (the opened authorisation of the subject the requester reported under; logged in credit.access_log)';
COMMENT ON COLUMN credit.report_issue.content IS '报告内容 (the report as issued: credit.report_content)';
COMMENT ON COLUMN credit.report_issue.sha256 IS '校验码 (SHA-256 of the canonical form of content, credit.report_sha256)';

-- What a report says is not the writer's choice: its number, time, as-of
-- date, requester and content are computed here, with the caller's rights
-- (the content is what the caller's row security shows).  A natural
-- person's report goes only to the person (the portal acting for them) or
-- to a party that has opened the person's authorisation; a report under an
-- opened authorisation is logged in credit.access_log.
CREATE FUNCTION credit.report_issue_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    party credit.party_kind := credit.current_party_kind();
    subject_kind credit.subject_kind;
    unknown text;
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'only a registered party is issued a credit report'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Ask as a role registered with one of the credit.register_*_role functions.';
    END IF;
    IF NEW.subject_id IS NULL THEN
        RAISE EXCEPTION 'a credit report needs a subject' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    NEW.kind := credit.report_kind(coalesce(NEW.kind, '标准版'));
    IF NEW.kind IS NULL THEN
        RAISE EXCEPTION 'unknown report kind' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The kind is 标准版 or 专项版.';
    END IF;
    NEW.as_of := credit.legal_date();
    IF NEW.period_from > NEW.as_of THEN
        RAISE EXCEPTION 'a report period cannot start after the as-of date %', pg_catalog.to_char(NEW.as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give period_from on or before today, or NULL.';
    END IF;
    IF NEW.domains IS NOT NULL THEN
        IF pg_catalog.cardinality(NEW.domains) = 0 THEN
            RAISE EXCEPTION 'a report needs at least one domain' USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Give the codes of providing departments, or NULL for all domains.';
        END IF;
        SELECT pg_catalog.string_agg(pg_catalog.quote_literal(coalesce(x.code, 'NULL')), ', ' ORDER BY x.n) INTO unknown
          FROM pg_catalog.unnest(NEW.domains) WITH ORDINALITY AS x(code, n)
         WHERE NOT EXISTS (SELECT FROM credit.department d WHERE d.code = x.code);
        IF unknown IS NOT NULL THEN
            RAISE EXCEPTION 'unknown report domains: %', unknown USING ERRCODE = 'invalid_parameter_value',
                HINT = 'A domain is the code of a providing department in credit.department.';
        END IF;
    END IF;
    SELECT s.kind INTO subject_kind FROM credit.subject s WHERE s.subject_id = NEW.subject_id;
    IF subject_kind IS NULL THEN
        RAISE EXCEPTION 'subject % is not a subject you can report on', NEW.subject_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.';
    END IF;
    NEW.acting_for := party = '信用网站' AND credit.acting_for(NEW.subject_id);
    NEW.authorisation_id := NULL;
    IF party IN ('授权机构', '部门') AND credit.opened_for(NEW.subject_id) THEN
        SELECT a.authorisation_id INTO NEW.authorisation_id FROM credit.authorisation a
         WHERE a.authorisation_id = ANY (credit.opened_authorisations()) AND a.subject_id = NEW.subject_id
         ORDER BY a.authorisation_id DESC LIMIT 1;
    END IF;
    IF subject_kind = '自然人' AND NOT NEW.acting_for AND NEW.authorisation_id IS NULL THEN
        RAISE EXCEPTION 'a natural person''s credit report is issued only to the person or to a party they authorised'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Issue it through the portal acting for the person (credit.act_for_subject), or as the grantee of the person''s authorisation after CALL credit.open_authorisation.';
    END IF;
    IF NEW.authorisation_id IS NOT NULL THEN
        INSERT INTO credit.access_log (authorisation_id) VALUES (NEW.authorisation_id);
    END IF;
    NEW.period_to := NEW.as_of;
    IF NEW.kind = '专项版' AND NEW.period_from IS NULL THEN
        NEW.period_from := (NEW.as_of - interval '3 years')::date;
    END IF;
    NEW.format := (SELECT k.format FROM credit.report_kinds() k WHERE k.kind = NEW.kind);
    NEW.issued_at := pg_catalog.clock_timestamp();
    NEW.requested_by := current_user::pg_catalog.regrole;
    NEW.party_kind := party;
    NEW.department_id := credit.current_department_id();
    NEW.report_no := 'XYBG' || (SELECT k.letter FROM credit.report_kinds() k WHERE k.kind = NEW.kind)
                     || pg_catalog.to_char(NEW.as_of, 'YYYYMMDD') || pg_catalog.lpad(NEW.report_id::text, 8, '0');
    NEW.content := credit.report_content(NEW.report_no, NEW.kind, NEW.subject_id, NEW.period_from, NEW.as_of, NEW.domains,
                                         NEW.issued_at,
                                         pg_catalog.jsonb_build_object(
                                             '角色', NEW.requested_by::text, '类别', party::text,
                                             '部门', (SELECT d.name FROM credit.department d WHERE d.department_id = NEW.department_id),
                                             '代主体查询', NEW.acting_for,
                                             '授权编号', NEW.authorisation_id::text));
    NEW.sha256 := credit.report_sha256(NEW.content);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.report_issue_before_insert() IS '触发器: 报告出具 (trigger, caller''s rights: checks the kind, period and domains; the subject must be one the requester sees, a natural person only for the person (the portal acting) or under their opened authorisation, which is logged; number, time, as-of date, requester, content and hash are computed, whatever the row says)';
CREATE TRIGGER report_issue_before_insert BEFORE INSERT ON credit.report_issue
    FOR EACH ROW WHEN (NOT credit.restoring('credit.report_issue')) EXECUTE FUNCTION credit.report_issue_before_insert();
CREATE TRIGGER report_issue_append_only BEFORE UPDATE OR DELETE ON credit.report_issue
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER report_issue_no_truncate BEFORE TRUNCATE ON credit.report_issue
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- What an app calls: issue a report, get its content (with its number).
CREATE FUNCTION credit.report(subject_id bigint, kind text DEFAULT '标准版', period_from date DEFAULT NULL,
                              domains text[] DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO credit.report_issue (subject_id, kind, period_from, domains)
    VALUES (report.subject_id, report.kind, report.period_from, report.domains)
    RETURNING content;
END;
COMMENT ON FUNCTION credit.report(bigint, text, date, text[]) IS '出具信用报告 (issue a credit report on a subject: kind 标准版 or 专项版, records decided from period_from (专项版 default: 3 years back), of the domains'' departments (NULL: all); the content is what the caller may see, recorded in credit.report_issue with its SHA-256; returns the content, 报告编号 in it)';

-- Anyone may check a printed report: true when a report of that number was
-- issued with that hash and its stored content still has it; nothing else
-- is said (not whether the number exists).
CREATE FUNCTION credit.verify_report(report_no text, sha256 text) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.lower(sha256) OPERATOR(pg_catalog.!~) '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'a report hash is 64 hexadecimal digits' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Copy the 校验码 printed on the report.';
    END IF;
    RETURN EXISTS (SELECT FROM credit.report_issue r
                    WHERE r.report_no OPERATOR(pg_catalog.=) verify_report.report_no
                      AND r.sha256 OPERATOR(pg_catalog.=) pg_catalog.lower(verify_report.sha256)
                      AND credit.report_sha256(r.content) OPERATOR(pg_catalog.=) r.sha256);
END
$$;
COMMENT ON FUNCTION credit.verify_report(text, text) IS '报告核验 (anyone checks a printed report: true when a report of this number was issued with this SHA-256 (case-insensitive) and its stored content still hashes to it; false otherwise, saying nothing else)';

-- ------------------------------------------------------------------
-- The printable document: XHTML (well-formed XML, so xmlparse reads it),
-- in Chinese, no external resources, every value escaped.
-- ------------------------------------------------------------------
-- Text for XHTML: & < > " ' escaped; characters XML 1.0 does not allow
-- (control characters but tab, newline, carriage return; U+FFFE, U+FFFF)
-- replaced by U+FFFD.
CREATE FUNCTION credit.html_escape(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
               pg_catalog.regexp_replace(value, '[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]', '�', 'g'),
               '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION credit.html_escape(text) IS 'HTML 转义 (text for XHTML: & < > " '' escaped as entities, characters XML does not allow replaced by U+FFFD)';

-- A value of a report's row as printed: a string as is, null as empty,
-- true/false as 是/否, anything else as its JSON text.
CREATE FUNCTION credit.report_cell(value jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE pg_catalog.jsonb_typeof(value)
               WHEN 'string' THEN value #>> '{}'
               WHEN 'boolean' THEN CASE WHEN value::text = 'true' THEN '是' ELSE '否' END
               WHEN 'null' THEN ''
               ELSE coalesce(value::text, '') END;
COMMENT ON FUNCTION credit.report_cell(jsonb) IS '报告单元格 (a report value as printed: a string as is, null empty, true/false 是/否, numbers and others as JSON)';

CREATE FUNCTION credit.report_html(report_no text) RETURNS text
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r credit.report_issue;
    c jsonb;
    sec jsonb;
    f jsonb;
    line jsonb;
    numerals constant text[] := ARRAY['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
    h text;
BEGIN
    SELECT * INTO r FROM credit.report_issue x WHERE x.report_no = report_html.report_no;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'report % is not a report you can read', report_html.report_no
            USING ERRCODE = 'no_data_found',
                  HINT = 'A report is read by its requester, the subject (through the portal) and the centre; anyone can check one with credit.verify_report.';
    END IF;
    c := r.content;
    h := '<?xml version="1.0" encoding="UTF-8"?>' || E'\n'
      || '<!DOCTYPE html>' || E'\n'
      || '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" xml:lang="zh-CN">' || E'\n'
      || '<head>' || E'\n'
      || '<meta charset="UTF-8"/>' || E'\n'
      || '<title>' || credit.html_escape(c ->> '报告标题') || ' ' || credit.html_escape(r.report_no) || '</title>' || E'\n'
      || '<style>'
      || 'body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;'
      || 'margin:2em auto;max-width:60em;color:#111;font-size:11pt}'
      || 'h1{text-align:center;font-size:20pt;margin-bottom:.2em}'
      || 'h2{font-size:13pt;border-bottom:2px solid #8b0000;padding-bottom:.2em;margin-top:1.5em}'
      || 'table{border-collapse:collapse;width:100%;margin:.5em 0}'
      || 'th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}'
      || 'th{background:#f0f0f0}'
      || 'p.format{text-align:center;color:#555}'
      || 'p.empty{color:#555}'
      || 'p.status{color:#8b0000}'
      || 'div.verify{margin-top:2em;border-top:1px solid #999;padding-top:.5em;font-size:9pt}'
      || 'code{font-family:monospace;word-break:break-all}'
      || '@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}'
      || '</style>' || E'\n'
      || '</head>' || E'\n'
      || '<body>' || E'\n'
      || '<h1>' || credit.html_escape(c ->> '报告标题') || '</h1>' || E'\n'
      || '<p class="format">' || credit.html_escape(c ->> '格式') || '</p>' || E'\n'
      || '<table class="meta">' || E'\n'
      || '<tr><th>报告编号</th><td id="report-no">' || credit.html_escape(r.report_no) || '</td></tr>' || E'\n'
      || '<tr><th>主体名称</th><td id="subject-name">' || credit.html_escape(coalesce(c ->> '主体名称', '')) || '</td></tr>' || E'\n'
      || '<tr><th>查询期间</th><td>' || credit.html_escape(coalesce(c #>> '{查询期间,起}', '不限'))
      || ' 至 ' || credit.html_escape(c #>> '{查询期间,止}') || '</td></tr>' || E'\n'
      || '<tr><th>查询领域</th><td>' || credit.html_escape(coalesce(
             (SELECT pg_catalog.string_agg(d.value, '、' ORDER BY d.n)
                FROM pg_catalog.jsonb_array_elements_text(CASE WHEN pg_catalog.jsonb_typeof(c -> '查询领域') = 'array'
                                                               THEN c -> '查询领域' ELSE '[]' END) WITH ORDINALITY AS d(value, n)),
             '全部')) || '</td></tr>' || E'\n'
      || '<tr><th>出具时间</th><td>' || credit.html_escape(c ->> '出具时间') || '</td></tr>' || E'\n'
      || '<tr><th>出具对象</th><td>' || credit.html_escape(concat_ws(' ', c #>> '{出具对象,类别}', c #>> '{出具对象,部门}',
                                                                   c #>> '{出具对象,角色}',
                                                                   CASE WHEN (c #>> '{出具对象,代主体查询}') = 'true' THEN '(本人查询)' END,
                                                                   CASE WHEN c #>> '{出具对象,授权编号}' IS NOT NULL
                                                                        THEN '(授权编号 ' || (c #>> '{出具对象,授权编号}') || ')' END))
      || '</td></tr>' || E'\n'
      || '</table>' || E'\n';
    FOR sec IN SELECT s.value FROM pg_catalog.jsonb_array_elements(c -> '章节') WITH ORDINALITY AS s(value, n) ORDER BY s.n LOOP
        h := h || '<div class="section">' || E'\n'
          || '<h2>' || coalesce(numerals[(sec ->> '序号')::integer], sec ->> '序号') || '、' || credit.html_escape(sec ->> '名称') || '</h2>' || E'\n';
        IF sec ->> '状态' <> '已查询' THEN
            h := h || '<p class="status">' || credit.html_escape(sec ->> '状态')
              || CASE WHEN sec ? '说明' THEN '：' || credit.html_escape(sec ->> '说明') ELSE '' END || '</p>' || E'\n';
        END IF;
        IF pg_catalog.jsonb_array_length(sec -> '记录') = 0 THEN
            h := h || '<p class="empty">无记录</p>' || E'\n';
        ELSE
            h := h || '<table>' || E'\n' || '<thead><tr>';
            FOR f IN SELECT x.value FROM pg_catalog.jsonb_array_elements(sec -> '字段') WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
                h := h || '<th>' || credit.html_escape(f #>> '{}') || '</th>';
            END LOOP;
            h := h || '</tr></thead>' || E'\n' || '<tbody>' || E'\n';
            FOR line IN SELECT x.value FROM pg_catalog.jsonb_array_elements(sec -> '记录') WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
                h := h || '<tr>';
                FOR f IN SELECT x.value FROM pg_catalog.jsonb_array_elements(sec -> '字段') WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
                    h := h || '<td>' || credit.html_escape(credit.report_cell(line -> (f #>> '{}'))) || '</td>';
                END LOOP;
                h := h || '</tr>' || E'\n';
            END LOOP;
            h := h || '</tbody>' || E'\n' || '</table>' || E'\n';
        END IF;
        h := h || '</div>' || E'\n';
    END LOOP;
    h := h || '<div class="verify">' || E'\n'
      || '<p>校验码 (SHA-256)：<code id="sha256">' || r.sha256 || '</code></p>' || E'\n'
      || '<p>核验方式：以报告编号和校验码调用 credit.verify_report(报告编号, 校验码)，或在信用网站输入报告编号和校验码核验。'
      || '本报告为出具时点的快照，其后信息的更正、修复不改变本报告。</p>' || E'\n'
      || '</div>' || E'\n'
      || '</body>' || E'\n'
      || '</html>' || E'\n';
    RETURN h;
END
$$;
COMMENT ON FUNCTION credit.report_html(text) IS '报告打印版 (an issued report as a complete printable XHTML document in Chinese: title, number, subject, period, domains, time, requester, each section as a table, the SHA-256 verification code; no external resources, every value escaped; only for a role that reads the report)';

-- row security (90_row_security.sql): enabled and forced on the new tables
ALTER TABLE credit.report_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.report_item FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.report_issue ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.report_issue FORCE ROW LEVEL SECURITY;
-- the report classes are reference data: every registered role reads, the
-- centre maintains (the $reference$ list of 90_row_security.sql)
CREATE POLICY report_item_read ON credit.report_item FOR SELECT USING (true);
CREATE POLICY report_item_centre ON credit.report_item FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY report_item_read ON credit.report_item IS '所有登记角色可读 (every registered role reads the report classes of catalogue items)';
COMMENT ON POLICY report_item_centre ON credit.report_item IS '信用中心维护 (the centre maintains the report classes of catalogue items)';
-- ------------------------------------------------------------------
-- Issued reports: the centre reads all; every requester its own; the
-- portal acting for a subject the reports issued on it (who asked, and
-- what they were shown).  Written only as oneself, by a registered party
-- (the insert trigger computes what the row says).
-- ------------------------------------------------------------------
CREATE POLICY report_issue_centre ON credit.report_issue FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY report_issue_own ON credit.report_issue FOR SELECT
    TO credit_centre_parties, credit_department_parties, credit_portal_parties, credit_agency_parties
    USING (requested_by = current_user::regrole);
CREATE POLICY report_issue_acting ON credit.report_issue FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY report_issue_insert ON credit.report_issue FOR INSERT
    TO credit_centre_parties, credit_department_parties, credit_portal_parties, credit_agency_parties
    WITH CHECK (requested_by = current_user::regrole AND (SELECT credit.current_party_kind()) IS NOT NULL);
COMMENT ON POLICY report_issue_centre ON credit.report_issue IS '信用中心 (the centre reads every issued report)';
COMMENT ON POLICY report_issue_own ON credit.report_issue IS '出具对象查看自己的报告 (a requester reads the reports issued to it)';
COMMENT ON POLICY report_issue_acting ON credit.report_issue IS '主体经信用网站查看关于自己的报告 (the subject, through the portal, reads the reports issued on it)';
COMMENT ON POLICY report_issue_insert ON credit.report_issue IS '登记参与方以自己的名义申请报告 (a registered party asks for a report as itself)';

-- privileges (91_privileges.sql): grant_party grants credit.report_item and
-- credit.report_issue to every registered role, and the roles registered already get it now
-- Issue 16: credit commitments (信用承诺), full lifecycle
-- (34_commitment.sql, 64_commitments.sql; the repair's commitment in
-- 53_repair.sql, the overdue view in 55_overdue.sql, the 违诺 hits in
-- 60_measures.sql, row security in 90_row_security.sql, privileges in
-- 91_privileges.sql)
-- ==================================================================
-- The new columns of credit.commitment, in the order of the part, filled
-- for the rows of 0.1 (every one a repair's 信用修复型 commitment): the
-- accepting department is the repair's, the day its legal date, the code
-- numbered per division and day in the order they were made, the liability
-- the repair template's, the state what its performance says (a breach:
-- 未履行, found the day it was recorded), no check plan.
ALTER TABLE credit.commitment
    ADD COLUMN code text,
    ADD COLUMN reason text,
    ADD COLUMN matter_code text,
    ADD COLUMN department_id integer,
    ADD COLUMN liability text,
    ADD COLUMN made_on date,
    ADD COLUMN valid_until date,
    ADD COLUMN check_due date,
    ADD COLUMN check_exempt boolean NOT NULL DEFAULT false,
    ADD COLUMN licence_record_id bigint,
    ADD COLUMN state text,
    ADD COLUMN state_reason text,
    ADD COLUMN state_since timestamptz,
    ADD COLUMN check_deadline date,
    ADD COLUMN liability_deadline date,
    ADD COLUMN assessed_on date,
    ADD COLUMN assessed_department_id integer,
    ADD COLUMN unfulfilled text,
    ADD COLUMN liability_pursued text,
    ADD COLUMN licence_flagged_on date;
-- The division of a department: characters 3 to 8 of its 统一社会信用代码
-- (登记管理机关行政区划码, GB 32100-2015); 000000 without one, or for the
-- centre (NULL).
CREATE FUNCTION credit.commitment_division(department_id integer) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN coalesce((SELECT pg_catalog.substr(d.uscc::text, 3, 6) FROM credit.department d
                      WHERE d.department_id OPERATOR(pg_catalog.=) commitment_division.department_id), '000000');
COMMENT ON FUNCTION credit.commitment_division(integer) IS '承诺编码区划 (the 6-digit division of a commitment code: characters 3-8 of the accepting department''s 统一社会信用代码, 000000 without one or for the centre)';

-- The liability a 信用修复型 commitment carries when none is given (the
-- national template of the repair commitment); NULL for other kinds.
CREATE FUNCTION credit.default_liability(kind text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN CASE WHEN kind OPERATOR(pg_catalog.=) '信用修复型'
                THEN '违反承诺的, 相关失信信息按最长公示期向社会公示, 并依法依规承担相应责任' END;
COMMENT ON FUNCTION credit.default_liability(text) IS '默认违诺责任 (the liability of a 信用修复型 commitment without one: its record is published again for its full maximum period; NULL for other kinds)';

DROP TRIGGER commitment_content ON credit.commitment;
DROP TRIGGER commitment_breach_effects ON credit.commitment;
UPDATE credit.commitment c
   SET department_id = (SELECT p.department_id FROM credit.repair p
                         WHERE p.commitment_id = c.commitment_id ORDER BY p.repair_id LIMIT 1),
       made_on = credit.legal_date(c.made_at),
       liability = credit.default_liability(c.kind),
       state = CASE WHEN c.performance = '全部履行' THEN '已履行'
                    WHEN c.performance = '部分履行' THEN '部分履行'
                    WHEN c.performance = '全部未履行' OR c.broken_at IS NOT NULL THEN '未履行'
                    ELSE '已作出' END,
       state_reason = c.broken_reason,
       state_since = coalesce(c.broken_at, c.made_at),
       assessed_on = credit.legal_date(c.broken_at),
       unfulfilled = c.broken_reason;
UPDATE credit.commitment c SET code = x.code
  FROM (SELECT y.commitment_id,
               credit.commitment_division(y.department_id) || pg_catalog.to_char(y.made_on, 'YYYYMMDD')
               || pg_catalog.lpad((row_number() OVER (PARTITION BY credit.commitment_division(y.department_id), y.made_on
                                                      ORDER BY y.commitment_id))::text, 6, '0') AS code
          FROM credit.commitment y) x
 WHERE x.commitment_id = c.commitment_id;
ALTER TABLE credit.commitment
    ALTER COLUMN code SET NOT NULL,
    ALTER COLUMN made_on SET DEFAULT credit.legal_date(),
    ALTER COLUMN made_on SET NOT NULL,
    ALTER COLUMN state SET DEFAULT '已作出',
    ALTER COLUMN state SET NOT NULL,
    ALTER COLUMN state_since SET DEFAULT now(),
    ALTER COLUMN state_since SET NOT NULL,
    ADD CONSTRAINT commitment_code_key UNIQUE (code),
    ADD CONSTRAINT commitment_code_format CHECK (code ~ '^[0-9]{20}$'),
    ADD CONSTRAINT commitment_texts CHECK (btrim(reason) <> '' AND btrim(liability) <> '' AND btrim(unfulfilled) <> ''
                                           AND btrim(liability_pursued) <> ''),
    ADD CONSTRAINT commitment_department_id_fkey FOREIGN KEY (department_id) REFERENCES credit.department,
    ADD CONSTRAINT commitment_assessed_department_id_fkey FOREIGN KEY (assessed_department_id) REFERENCES credit.department,
    ADD CONSTRAINT commitment_licence_record_id_fkey FOREIGN KEY (licence_record_id) REFERENCES credit.record,
    ADD CONSTRAINT commitment_check_plan CHECK (NOT (check_exempt AND check_due IS NOT NULL)),
    ADD CONSTRAINT commitment_dates CHECK (valid_until >= made_on AND check_due >= made_on);
CREATE INDEX commitment_department ON credit.commitment (department_id);
COMMENT ON TABLE credit.commitment IS '信用承诺 (credit commitments of subjects, of every kind, each moved by the commitment machine; a repair application records a 信用修复型 one)';
COMMENT ON COLUMN credit.commitment.commitment_id IS '承诺编号 (internal id)';
COMMENT ON COLUMN credit.commitment.subject_id IS '承诺主体 (subject)';
COMMENT ON COLUMN credit.commitment.kind IS '承诺类型 (审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他)';
COMMENT ON COLUMN credit.commitment.content IS '承诺内容 (what the subject commits to)';
COMMENT ON COLUMN credit.commitment.disclosure IS '公开范围 (可向社会公开: the public; 特定范围内公开: departments; 不可公开: the accepting department and the centre)';
COMMENT ON COLUMN credit.commitment.made_at IS '承诺时间 (made at)';
COMMENT ON COLUMN credit.commitment.performance IS '履行情况 (全部履行, 部分履行, 全部未履行; NULL: not assessed; set by the machine)';
COMMENT ON COLUMN credit.commitment.broken_at IS '违诺时间 (when a breach (部分履行 or 全部未履行) was recorded; set by the machine)';
COMMENT ON COLUMN credit.commitment.broken_reason IS '违诺情况 (the breach)';
COMMENT ON COLUMN credit.commitment.code IS '承诺编码 (20 digits: the accepting department''s 6-digit division (from its 统一社会信用代码; 000000 without one), the 8-digit legal date it was made, a 6-digit serial of that division and day)';
COMMENT ON COLUMN credit.commitment.reason IS '承诺事由 (why the commitment is made, e.g. the application it stands for)';
COMMENT ON COLUMN credit.commitment.matter_code IS '承诺事项 (the matter of credit.matter it is made for; NULL: none)';
COMMENT ON COLUMN credit.commitment.department_id IS '受理单位 (the accepting department; NULL: the credit centre)';
COMMENT ON COLUMN credit.commitment.liability IS '违诺责任 (the liability the subject accepts for a breach)';
COMMENT ON COLUMN credit.commitment.made_on IS '作出日期 (the legal date it was made)';
COMMENT ON COLUMN credit.commitment.valid_until IS '有效期至 (valid until, inclusive; NULL: no end)';
COMMENT ON COLUMN credit.commitment.check_due IS '核查日期 (事后核查 plan: the check starts by this date; NULL: exempt or not planned)';
COMMENT ON COLUMN credit.commitment.check_exempt IS '免于核查 (the check plan exempts it)';
COMMENT ON COLUMN credit.commitment.licence_record_id IS '所涉许可 (for 审批替代型: the licence record the commitment enabled, set once)';
COMMENT ON COLUMN credit.commitment.state IS '状态 (已作出, 核查中, 已履行, 部分履行, 未履行, 违诺处理, 已修复; changes only through credit.transition)';
COMMENT ON COLUMN credit.commitment.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.commitment.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.commitment.check_deadline IS '核查时限 (the check ends by: working days after it starts)';
COMMENT ON COLUMN credit.commitment.liability_deadline IS '违诺处理时限 (liability is pursued by: working days after the breach is found)';
COMMENT ON COLUMN credit.commitment.assessed_on IS '认定日期 (the legal date its performance was found)';
COMMENT ON COLUMN credit.commitment.assessed_department_id IS '认定单位 (the department that found its performance; NULL: the centre)';
COMMENT ON COLUMN credit.commitment.unfulfilled IS '未履行内容 (what was not performed, for 部分履行 and 全部未履行)';
COMMENT ON COLUMN credit.commitment.liability_pursued IS '违诺责任追究 (how the liability was pursued: 限期整改, 中止办理, 撤销, penalty, measures)';
COMMENT ON COLUMN credit.commitment.licence_flagged_on IS '许可待处理标记 (审批替代型 broken: the legal date the licence it enabled was flagged to its department; the revocation itself is a new record)';
COMMENT ON CONSTRAINT commitment_code_format ON credit.commitment IS '承诺编码为20位数字 (the code is 20 digits: division 6, date 8, serial 6)';
COMMENT ON CONSTRAINT commitment_texts ON credit.commitment IS '文字不得为空白 (reason, liability, unfulfilled content and liability pursued are not blank when given)';
COMMENT ON CONSTRAINT commitment_check_plan ON credit.commitment IS '核查计划: 核查日期或免于核查 (the check plan is a due date or an exemption, not both)';
COMMENT ON CONSTRAINT commitment_dates ON credit.commitment IS '有效期和核查日期不早于作出日期 (valid until and the check date are not before the day it was made)';

-- A commitment is never deleted, and its content never changes: the
-- machine moves its state (its own columns, 64_commitments.sql), a breach
-- is recorded once and the licence it enabled is named once.
CREATE TRIGGER commitment_content BEFORE UPDATE OR DELETE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('commitments', '',
        'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
        'performance', 'once:broken_at', 'once:broken_reason', 'once:licence_record_id',
        'state', 'state_reason', 'state_since', 'check_deadline', 'liability_deadline', 'once:assessed_on',
        'once:assessed_department_id', 'once:unfulfilled', 'once:liability_pursued', 'once:licence_flagged_on');

-- the breach of a repair commitment (53_repair.sql): the machine's
-- transition updates the state
CREATE TRIGGER commitment_breach_effects AFTER UPDATE OF state ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.commitment_breach_effects();

-- the repair's commitment is accepted by the determining department
CREATE OR REPLACE FUNCTION credit.repair_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rec credit.record;
    ent credit.list_entry;
    item credit.catalogue_item;
    missing text[];
    last_repair date;
BEGIN
    IF num_nonnulls(NEW.record_id, NEW.entry_id) <> 1 THEN
        RAISE EXCEPTION 'a repair application names one record or one list entry'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT NEW.obligations_performed THEN
        RAISE EXCEPTION 'credit repair needs the obligations to be fully performed'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Apply once the obligations of the decision are performed, with the proof.';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        -- what the filing may name (credit.filing_reference), before any lock
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        -- locked: a withdrawal or correction waits for the filing, or the
        -- filing for them (and then sees the record withdrawn)
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id FOR SHARE;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        SELECT * INTO item FROM credit.catalogue_item i WHERE i.item_code = rec.item_code;
        IF item.polarity <> '失信' OR rec.state <> '有效' OR rec.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'record % is not a negative record in force that can be repaired', NEW.record_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('Item %s is %s; the record is %s, publicity %s.', item.item_code, item.polarity,
                                      rec.state, rec.publicity_state);
        END IF;
        IF NOT item.repairable THEN
            RAISE EXCEPTION 'records of item "%" cannot be repaired', item.item_code
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = coalesce('Basis: ' || item.legal_basis || '.', 'The catalogue marks the item not repairable.');
        END IF;
        IF rec.severity <> '轻微' AND credit.legal_date() < rec.publicity_min_end THEN
            RAISE EXCEPTION 'record % can be repaired from %, when its minimum publicity period ends', NEW.record_id, rec.publicity_min_end
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('%s record under %s: at least until %s.', rec.severity, rec.rule_set, rec.publicity_min_end);
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(item.repair_materials) AS m WHERE m <> ALL (NEW.materials);
        IF item.repair_repeat_months IS NOT NULL THEN
            -- counted in legal dates (Beijing's, whatever the session's
            -- TimeZone): repaired on day D, a new application from D + N months
            SELECT credit.legal_date(max(p.state_since)) INTO last_repair FROM credit.repair p
             WHERE p.subject_id = rec.subject_id AND p.item_code = item.item_code AND p.state = '已修复';
            IF credit.legal_date() < (last_repair + make_interval(months => item.repair_repeat_months))::date THEN
                RAISE EXCEPTION 'subject % was repaired for item "%" on %: no new repair within % months',
                                rec.subject_id, item.item_code, pg_catalog.to_char(last_repair, 'YYYY-MM-DD'),
                                item.repair_repeat_months
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          DETAIL = format('A new application is possible from %s.',
                                          pg_catalog.to_char(last_repair + make_interval(months => item.repair_repeat_months), 'YYYY-MM-DD'));
            END IF;
        END IF;
        NEW.lineage_id := rec.lineage_id;
        NEW.subject_id := rec.subject_id;
        NEW.department_id := rec.department_id;
        NEW.item_code := rec.item_code;
    ELSE
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id FOR SHARE;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        IF ent.state <> '列入中' THEN
            RAISE EXCEPTION 'list entry % is % and cannot be repaired', NEW.entry_id, ent.state
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF NOT (SELECT k.repairable FROM credit.list_kind k WHERE k.list_kind = ent.list_kind) THEN
            RAISE EXCEPTION 'entries of list "%" cannot be repaired', ent.list_kind
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF credit.legal_date() < ent.early_removal_from THEN
            RAISE EXCEPTION 'list entry % can be repaired from %', NEW.entry_id, ent.early_removal_from
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Early removal may be requested only after the period of its list kind.';
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(ARRAY['信用修复承诺书', '履行义务证明']) AS m WHERE m <> ALL (NEW.materials);
        NEW.lineage_id := NULL;
        NEW.subject_id := ent.subject_id;
        NEW.department_id := ent.department_id;
        NEW.item_code := NULL;
    END IF;
    IF cardinality(missing) > 0 THEN
        RAISE EXCEPTION 'the application lacks: %', array_to_string(missing, ', ')
            USING ERRCODE = 'not_null_violation', HINT = 'Hand in every material and list it in materials.';
    END IF;
    IF EXISTS (SELECT FROM credit.repair p
                WHERE p.state IN ('已申请', '已受理')
                  AND (p.lineage_id = NEW.lineage_id OR p.entry_id = NEW.entry_id)) THEN
        RAISE EXCEPTION 'an open repair application for this % exists', CASE WHEN NEW.record_id IS NULL THEN 'list entry' ELSE 'record' END
            USING ERRCODE = 'unique_violation', HINT = 'Wait for its decision or withdraw it.';
    END IF;
    INSERT INTO credit.commitment (subject_id, kind, content, department_id)
    VALUES (NEW.subject_id, '信用修复型', NEW.commitment, NEW.department_id)
    RETURNING commitment_id INTO NEW.commitment_id;
    NEW.filed_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.repair_before_insert() IS '触发器: 修复申请 (trigger: refuses an application that cannot succeed, with the reason: obligations not performed, not a negative record in force, item not repairable, minimum period not passed, repeat limit, materials missing, an open application; records the 信用修复型 commitment, accepted by the determining department)';


-- The machine, the code, making, assessing, eligibility, the public view
-- (64_commitments.sql)
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
    ('commitment', '已修复', false, true, 'the breach repaired: it no longer counts against the subject');
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
    ('commitment', '违诺处理', '已修复', '违诺信息修复', '{部门,信用中心}', false, true);
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
    IF party OPERATOR(pg_catalog.=) '部门' THEN
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
COMMENT ON FUNCTION credit.commitment_before_insert() IS '触发器: 作出承诺 (trigger, caller''s rights: refuses an unknown kind or disclosure, a blank content, another department''s name, a commitment without liability or check plan (but 信用修复型), dates before today, an unknown matter, a 告知承诺 kind without a matter or for a subject not eligible, a wrong licence; sets the code, the day, and clears what the machine sets)';

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
COMMENT ON FUNCTION credit.make_commitment(bigint, text, text, text, text, date, text, text, date, boolean) IS '作出信用承诺 (the accepting department (or the centre) records a subject''s commitment: kind, matter (credit.matter; required for 审批替代型, 容缺受理型, 证明事项型, which need credit.commitment_eligible), content, liability, valid until, disclosure, reason, the check plan (check_due or check_exempt); returns the 承诺编码)';

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
-- pursued, the licence flagged.  And a licence named later is checked.
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
    IF NEW.state OPERATOR(pg_catalog.=) ANY (ARRAY['已履行', '部分履行', '未履行']) THEN
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
COMMENT ON FUNCTION credit.commitment_rules() IS '触发器: 承诺状态的效果 (trigger, after the guard: 已履行/部分履行/未履行 set the performance, the date and department that found it; a breach (部分履行, 未履行) sets broken_at, the breach and what was not performed (details->>''unfulfilled''), and flags the licence of a 审批替代型 commitment; 违诺处理 keeps how liability was pursued (details->>''liability_pursued''); a licence named later is checked)';

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

-- A breach found otherwise (e.g. the subject breaks a repair commitment):
-- 全部未履行, from 已作出 or 核查中.
CREATE OR REPLACE FUNCTION credit.record_commitment_breach(commitment_id bigint, reason text) RETURNS void
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

-- the overdue view (55_overdue.sql): commitments too
CREATE OR REPLACE VIEW credit.workflow_overdue WITH (security_invoker = true) AS
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
   AND coalesce(c.department_id = (SELECT credit.current_department_id()), true);
COMMENT ON VIEW credit.workflow_overdue IS '逾期事项 (what is late: open objections, accepted or not, and repairs past their deadlines, records in force past their withdrawal deadline (decision revoked), list entries still on the list past their deletion date or past the removal deadline of 应移出, commitments past their check date (check_due), check deadline or liability deadline; working days late; rows as the caller may see)';
COMMENT ON COLUMN credit.workflow_overdue.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue.object_id IS '对象编号 (objection_id, repair_id, record_id, entry_id or commitment_id)';
COMMENT ON COLUMN credit.workflow_overdue.department_id IS '部门 (the department responsible)';
COMMENT ON COLUMN credit.workflow_overdue.state IS '状态 (current state)';
COMMENT ON COLUMN credit.workflow_overdue.deadline_kind IS '时限类别 (deadline, feedback_deadline, withdrawal_due, deletion_due, removal_due, check_due, check_deadline or liability_deadline)';
COMMENT ON COLUMN credit.workflow_overdue.deadline IS '时限 (the date it was due)';
COMMENT ON COLUMN credit.workflow_overdue.working_days_late IS '逾期工作日 (working days late)';

-- row security (90_row_security.sql): by the commitment's disclosure
DROP POLICY commitment_department ON credit.commitment;
CREATE POLICY commitment_public ON credit.commitment FOR SELECT
    USING (disclosure = '可向社会公开' AND made_on <= credit.legal_date()
           AND CASE WHEN state IN ('部分履行', '未履行', '违诺处理') THEN assessed_on + interval '5 years' > credit.legal_date()
                    ELSE valid_until IS NULL OR valid_until >= credit.legal_date() END);
CREATE POLICY commitment_department ON credit.commitment FOR SELECT TO credit_department_parties
    USING (disclosure <> '不可公开' OR department_id = (SELECT credit.current_department_id())
           OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                       AND p.department_id = (SELECT credit.current_department_id())));
CREATE POLICY commitment_department_insert ON credit.commitment FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()));
CREATE POLICY commitment_department_update ON credit.commitment FOR UPDATE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id())
           OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                       AND p.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                            AND p.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY commitment_public ON credit.commitment IS '可向社会公开: 公示期内所有人可见 (可向社会公开 commitments from the day made while valid, a broken one for 5 years from the breach found: everyone, through credit.public_commitment)';
COMMENT ON POLICY commitment_department ON credit.commitment IS '部门: 可向社会公开和特定范围内公开的承诺, 本部门受理的和本部门认定修复的承诺 (a department reads commitments not 不可公开, and those it accepted or whose repair it decided)';
COMMENT ON POLICY commitment_department_insert ON credit.commitment IS '部门以自己的名义受理承诺 (a department accepts commitments as itself)';
COMMENT ON POLICY commitment_department_update ON credit.commitment IS '受理部门和认定修复的部门办理承诺 (the accepting department, and the department deciding the repair, move the commitment and name its licence)';
CREATE POLICY workflow_event_commitment_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING (machine = 'commitment' AND EXISTS (SELECT FROM credit.commitment c WHERE c.commitment_id = workflow_event.object_id
                                               AND c.department_id = (SELECT credit.current_department_id())));
CREATE POLICY workflow_event_commitment_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING (machine = 'commitment' AND EXISTS (SELECT FROM credit.commitment c WHERE c.commitment_id = workflow_event.object_id
                                               AND c.subject_id = (SELECT credit.acting_subject())));
COMMENT ON POLICY workflow_event_commitment_department ON credit.workflow_event IS '本部门受理的承诺 (a department reads the events of the commitments it accepted)';
COMMENT ON POLICY workflow_event_commitment_acting ON credit.workflow_event IS '主体经信用网站查看自己承诺的事件 (the subject, through the portal, reads the events of its commitments)';

-- privileges (91_privileges.sql): the trigger functions are not
-- executable; the public views' owner reads the commitments; grant_party
-- grants making (INSERT), moving (UPDATE of the state) and naming the
-- licence, the flags and the public view, and no longer the UPDATE of the
-- performance and the breach (the machine's columns now): revoked from the
-- roles registered already, which get the rest now
REVOKE EXECUTE ON FUNCTION credit.commitment_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.commitment_rules() FROM PUBLIC;
GRANT SELECT ON credit.commitment TO credit_public_views;
-- (grant_party, with every privilege of 0.2, is replaced once more, in the
-- last section of this script, and given to the registered roles there)
DO $revoke$
DECLARE
    r regrole;
BEGIN
    FOR r IN SELECT p.role FROM credit.party p WHERE p.kind IN ('信用中心', '部门') ORDER BY p.role::text LOOP
        EXECUTE pg_catalog.format('REVOKE UPDATE (performance, broken_at, broken_reason) ON credit.commitment FROM %s', r);
    END LOOP;
END
$revoke$;


-- backup (95_backup.sql): the new identity sequence is dumped
SELECT pg_catalog.pg_extension_config_dump('credit.report_issue_report_id_seq', '');

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
-- grant_party grants the new tables (in the last section of this script,
-- for every registered role)
REVOKE EXECUTE ON FUNCTION credit.eval_result_rules() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) TO credit_centre_parties;
GRANT EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) TO credit_centre_parties;
GRANT SELECT ON credit.eval_result TO credit_public_views;

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

-- Issue 13, collection speed: credit.collect runs without JIT compilation
-- (35_collection.sql): compiling its large statements cost 1.5-2.5 s a batch.
ALTER FUNCTION credit.collect(bigint) SET jit = off;

-- ==================================================================
-- Issue 16: the report's 信用评价 section reads the grades
-- (62_reports.sql): the section's columns (credit.report_layout) and
-- credit.report_section_evaluation, which was an empty section marked 未接入
-- ==================================================================
CREATE OR REPLACE FUNCTION credit.report_layout(kind text, OUT section_no integer, OUT title text, OUT fields text[])
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT l.section_no, l.title, l.fields
      FROM (VALUES
        ('标准版', 1, '基本信息', ARRAY['项目', '内容']),
        ('标准版', 2, '概要', ARRAY['栏目', '条数', '状态']),
        ('标准版', 3, '行政管理', credit.report_entry_fields()),
        ('标准版', 4, '诚实守信', credit.report_entry_fields()),
        ('标准版', 5, '严重失信', credit.report_entry_fields()),
        ('标准版', 6, '经营异常', credit.report_entry_fields()),
        ('标准版', 7, '信用承诺', ARRAY['承诺类型', '承诺内容', '承诺日期', '公开范围', '履行情况', '违诺情况']),
        ('标准版', 8, '信用评价', ARRAY['评价名称', '评价结果', '等级含义', '评价日期', '有效期至', '评价机构', '状态']),
        ('标准版', 9, '司法', credit.report_entry_fields()),
        ('标准版', 10, '其他', credit.report_entry_fields()),
        ('专项版', 1, '基本信息', ARRAY['项目', '内容']),
        ('专项版', 2, '概要', ARRAY['栏目', '条数', '状态']),
        ('专项版', 3, '行政处罚', credit.report_entry_fields()),
        ('专项版', 4, '行政强制', credit.report_entry_fields()),
        ('专项版', 5, '严重失信主体名单', credit.report_entry_fields()),
        ('专项版', 6, '刑事裁判', credit.report_entry_fields())) AS l(kind, section_no, title, fields)
     WHERE l.kind = report_layout.kind
     ORDER BY l.section_no;
END;
COMMENT ON FUNCTION credit.report_layout(text) IS '报告章节 (the sections of a report kind in printed order, with the columns of their tables; no rows for an unknown kind)';

CREATE OR REPLACE FUNCTION credit.report_section_evaluation(subject_id bigint, as_of date) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.has_table_privilege('credit.eval_result', 'SELECT') THEN
        RETURN pg_catalog.jsonb_build_object('状态', '无权查询', '记录', '[]'::jsonb);
    END IF;
    RETURN (SELECT pg_catalog.jsonb_build_object('状态', '已查询', '记录', coalesce(pg_catalog.jsonb_agg(
                       pg_catalog.jsonb_build_object(
                           '来源', '信用评价', '编号', g.result_id::text,
                           '评价名称', g.scheme, '评价结果', g.grade, '等级含义', m.meaning, '评价日期', g.as_of,
                           '有效期至', g.valid_until, '评价机构', s.issuer,
                           '状态', CASE WHEN g.objection_until IS NULL THEN '已公布'
                                        ELSE '已告知, 未公布 (告知期至 ' || pg_catalog.to_char(g.objection_until, 'YYYY-MM-DD') || ')' END)
                       ORDER BY g.scheme COLLATE "C", g.as_of DESC), '[]'::jsonb))
              FROM (SELECT c.result_id, c.scheme, c.grade, c.as_of, c.valid_until, NULL::date AS objection_until
                      FROM credit.current_grades(report_section_evaluation.subject_id) c
                     WHERE c.as_of <= report_section_evaluation.as_of AND c.valid_until >= report_section_evaluation.as_of
                    UNION ALL
                    (SELECT DISTINCT ON (r.scheme) r.result_id, r.scheme, r.grade, r.as_of, r.valid_until, r.objection_until
                      FROM credit.eval_result r
                     WHERE credit.acting_for(report_section_evaluation.subject_id)
                       AND r.subject_id = report_section_evaluation.subject_id
                       AND r.state = '已告知'
                       AND r.as_of <= report_section_evaluation.as_of AND r.valid_until >= report_section_evaluation.as_of
                       AND NOT EXISTS (SELECT FROM credit.current_grades(report_section_evaluation.subject_id, r.scheme) c
                                        WHERE c.as_of >= r.as_of)
                     ORDER BY r.scheme, r.as_of DESC)) AS g
              JOIN credit.eval_scheme s ON s.scheme = g.scheme
              LEFT JOIN LATERAL credit.eval_grades(g.scheme) m ON m.grade = g.grade);
END
$$;
COMMENT ON FUNCTION credit.report_section_evaluation(bigint, date) IS '报告: 信用评价 (the subject''s current grades the caller reads (credit.current_grades): per scheme the newest published grade valid on the as-of date, with its meaning, date, validity and issuer; in the subject''s own report (the portal acting for it) also a newer grade it was told of (已告知), marked unpublished with the end of its notice period; a grade not published is in no other report; 无权查询 for a caller without access to grades)';

-- ==================================================================
-- 0.2: commitments withdrawn (已撤回) and ended by the sweep when exempt
-- from checks (已期满); a subject's own 主动型 commitment through the
-- portal; negative grades past their notice period in the overdue view,
-- which moves to part 65 (after the grades it reads)
-- ==================================================================
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('commitment', '已撤回', false, true, 'withdrawn by the subject before the matter it stood for was decided'),
    ('commitment', '已期满', false, true, 'exempt from checks, its validity over with no breach found (the sweep)');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('commitment', '已作出', '已撤回', '撤回承诺', '{信用网站,部门,信用中心}', false, true),
    ('commitment', '已作出', '已期满', '期满', '{}', true, false);
CREATE OR REPLACE FUNCTION credit.commitment_before_insert() RETURNS trigger
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
CREATE OR REPLACE FUNCTION credit.commitment_rules() RETURNS trigger
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
CREATE OR REPLACE FUNCTION credit.withdraw_commitment(code text, reason text) RETURNS void
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
COMMENT ON FUNCTION credit.make_commitment(bigint, text, text, text, text, date, text, text, date, boolean) IS '作出信用承诺 (the accepting department (or the centre) records a subject''s commitment, or the subject its own 主动型 one through the portal acting for it: kind, matter (credit.matter; required for 审批替代型, 容缺受理型, 证明事项型, which need credit.commitment_eligible), content, liability, valid until, disclosure, reason, the check plan (check_due or check_exempt); returns the 承诺编码)';
CREATE INDEX commitment_exempt_due ON credit.commitment (valid_until) WHERE state = '已作出' AND check_exempt;
COMMENT ON INDEX credit.commitment_exempt_due IS '免核查承诺到期索引 (the sweep''s index: exempt commitments still 已作出, by the end of their validity)';
CREATE OR REPLACE FUNCTION credit.sweep(as_of date DEFAULT credit.legal_date(), batch_size integer DEFAULT 10000)
    RETURNS TABLE (machine text, to_state text, moved bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
    n_records bigint := 0;
    n_entries bigint := 0;
    n_commitments bigint := 0;
BEGIN
    IF as_of IS NULL OR as_of > credit.legal_date() THEN
        RAISE EXCEPTION 'the sweep cannot run as of %: nothing is moved before it is due', as_of
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use today''s date or an earlier one.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        ids := ARRAY(SELECT r.record_id FROM credit.record r
                      WHERE r.publicity_state = '公示中' AND r.publicity_end <= as_of
                      ORDER BY r.publicity_end, r.record_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_records := n_records + credit.transition('record_publicity', ids, '已到期', '公示期满',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    LOOP
        ids := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                      WHERE e.state IN ('列入中', '应移出') AND e.expires_on <= as_of
                      ORDER BY e.expires_on, e.entry_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_entries := n_entries + credit.transition('list_entry', ids, '已到期', '期满移出',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    -- commitments exempt from checks (64_commitments.sql), past their
    -- validity with no breach found
    LOOP
        ids := ARRAY(SELECT c.commitment_id FROM credit.commitment c
                      WHERE c.state = '已作出' AND c.check_exempt AND c.valid_until < as_of
                      ORDER BY c.valid_until, c.commitment_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_commitments := n_commitments + credit.transition('commitment', ids, '已期满', '免于核查, 有效期满未发现违诺',
                                                           jsonb_build_object('as_of', as_of));
    END LOOP;
    RETURN QUERY VALUES ('record_publicity'::text, '已到期'::text, n_records),
                        ('list_entry', '已到期', n_entries),
                        ('commitment', '已期满', n_commitments);
END
$$;
COMMENT ON FUNCTION credit.sweep(date, integer) IS '到期处理 (moves records past their maximum publicity and list entries past their term to 已到期, and commitments exempt from checks past their validity to 已期满, in batches, with events; idempotent; skips rows another sweep holds; reports how many moved; schedule it with pg_cron)';

-- row security (90_row_security.sql): a withdrawn commitment leaves public
-- view; the portal acting for a subject makes its 主动型 commitments and
-- withdraws its commitments
ALTER POLICY commitment_public ON credit.commitment
    USING (disclosure = '可向社会公开' AND made_on <= credit.legal_date() AND state <> '已撤回'
           AND CASE WHEN state IN ('部分履行', '未履行', '违诺处理') THEN assessed_on + interval '5 years' > credit.legal_date()
                    ELSE valid_until IS NULL OR valid_until >= credit.legal_date() END);
CREATE POLICY commitment_acting_insert ON credit.commitment FOR INSERT TO credit_portal_parties
    WITH CHECK (subject_id = (SELECT credit.acting_subject()) AND kind = '主动型' AND department_id IS NULL);
CREATE POLICY commitment_acting_update ON credit.commitment FOR UPDATE TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()))
    WITH CHECK (subject_id = (SELECT credit.acting_subject()));
COMMENT ON POLICY commitment_public ON credit.commitment IS '可向社会公开: 公示期内所有人可见 (可向社会公开 commitments from the day made while valid and not withdrawn, a broken one for 5 years from the breach found: everyone, through credit.public_commitment)';
COMMENT ON POLICY commitment_acting_insert ON credit.commitment IS '主体经信用网站作出主动型承诺 (the subject, through the portal acting for it, makes its own 主动型 commitment, accepted by the centre)';
COMMENT ON POLICY commitment_acting_update ON credit.commitment IS '主体经信用网站撤回自己的承诺 (the subject, through the portal acting for it, moves its own commitments: the machine lets it only withdraw them)';

-- ==================================================================
-- 0.2: the subject's own reports: its never published (不公示) 公开
-- records in its 专项 report through the portal, and two free reports a
-- legal calendar year (report_issue.free)
-- ==================================================================
ALTER TABLE credit.report_issue ADD COLUMN free boolean,
    ADD CONSTRAINT report_issue_free_own CHECK (free IS NULL OR acting_for);
COMMENT ON COLUMN credit.report_issue.free IS '免费 (a subject''s own report: true for the first two it asks for in a legal calendar year (河南 §40, 上海 §34: two free reports a year), false after; NULL for other requesters)';
COMMENT ON CONSTRAINT report_issue_free_own ON credit.report_issue IS '免费报告只属于主体本人 (only a subject''s own report, through the portal acting for it, is counted free or not)';
-- the subject's own reports issued already are counted as they would have
-- been (append-only: its trigger is held for this one update)
ALTER TABLE credit.report_issue DISABLE TRIGGER report_issue_append_only;
UPDATE credit.report_issue i SET free = n.k <= 2
  FROM (SELECT r.report_id, pg_catalog.row_number() OVER (PARTITION BY r.subject_id, pg_catalog.date_trunc('year', r.as_of)
                                                        ORDER BY r.report_id) AS k
          FROM credit.report_issue r WHERE r.acting_for) AS n
 WHERE n.report_id = i.report_id;
ALTER TABLE credit.report_issue ENABLE TRIGGER report_issue_append_only;
CREATE OR REPLACE FUNCTION credit.report_issue_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    party credit.party_kind := credit.current_party_kind();
    subject_kind credit.subject_kind;
    unknown text;
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'only a registered party is issued a credit report'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Ask as a role registered with one of the credit.register_*_role functions.';
    END IF;
    IF NEW.subject_id IS NULL THEN
        RAISE EXCEPTION 'a credit report needs a subject' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    NEW.kind := credit.report_kind(coalesce(NEW.kind, '标准版'));
    IF NEW.kind IS NULL THEN
        RAISE EXCEPTION 'unknown report kind' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The kind is 标准版 or 专项版.';
    END IF;
    NEW.as_of := credit.legal_date();
    IF NEW.period_from > NEW.as_of THEN
        RAISE EXCEPTION 'a report period cannot start after the as-of date %', pg_catalog.to_char(NEW.as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give period_from on or before today, or NULL.';
    END IF;
    IF NEW.domains IS NOT NULL THEN
        IF pg_catalog.cardinality(NEW.domains) = 0 THEN
            RAISE EXCEPTION 'a report needs at least one domain' USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Give the codes of providing departments, or NULL for all domains.';
        END IF;
        SELECT pg_catalog.string_agg(pg_catalog.quote_literal(coalesce(x.code, 'NULL')), ', ' ORDER BY x.n) INTO unknown
          FROM pg_catalog.unnest(NEW.domains) WITH ORDINALITY AS x(code, n)
         WHERE NOT EXISTS (SELECT FROM credit.department d WHERE d.code = x.code);
        IF unknown IS NOT NULL THEN
            RAISE EXCEPTION 'unknown report domains: %', unknown USING ERRCODE = 'invalid_parameter_value',
                HINT = 'A domain is the code of a providing department in credit.department.';
        END IF;
    END IF;
    SELECT s.kind INTO subject_kind FROM credit.subject s WHERE s.subject_id = NEW.subject_id;
    IF subject_kind IS NULL THEN
        RAISE EXCEPTION 'subject % is not a subject you can report on', NEW.subject_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.';
    END IF;
    NEW.acting_for := party = '信用网站' AND credit.acting_for(NEW.subject_id);
    NEW.authorisation_id := NULL;
    IF party IN ('授权机构', '部门') AND credit.opened_for(NEW.subject_id) THEN
        SELECT a.authorisation_id INTO NEW.authorisation_id FROM credit.authorisation a
         WHERE a.authorisation_id = ANY (credit.opened_authorisations()) AND a.subject_id = NEW.subject_id
         ORDER BY a.authorisation_id DESC LIMIT 1;
    END IF;
    IF subject_kind = '自然人' AND NOT NEW.acting_for AND NEW.authorisation_id IS NULL THEN
        RAISE EXCEPTION 'a natural person''s credit report is issued only to the person or to a party they authorised'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Issue it through the portal acting for the person (credit.act_for_subject), or as the grantee of the person''s authorisation after CALL credit.open_authorisation.';
    END IF;
    IF NEW.authorisation_id IS NOT NULL THEN
        INSERT INTO credit.access_log (authorisation_id) VALUES (NEW.authorisation_id);
    END IF;
    NEW.period_to := NEW.as_of;
    IF NEW.kind = '专项版' AND NEW.period_from IS NULL THEN
        NEW.period_from := (NEW.as_of - interval '3 years')::date;
    END IF;
    NEW.format := (SELECT k.format FROM credit.report_kinds() k WHERE k.kind = NEW.kind);
    NEW.issued_at := pg_catalog.clock_timestamp();
    NEW.requested_by := current_user::pg_catalog.regrole;
    NEW.party_kind := party;
    NEW.department_id := credit.current_department_id();
    NEW.report_no := 'XYBG' || (SELECT k.letter FROM credit.report_kinds() k WHERE k.kind = NEW.kind)
                     || pg_catalog.to_char(NEW.as_of, 'YYYYMMDD') || pg_catalog.lpad(NEW.report_id::text, 8, '0');
    NEW.content := credit.report_content(NEW.report_no, NEW.kind, NEW.subject_id, NEW.period_from, NEW.as_of, NEW.domains,
                                         NEW.issued_at,
                                         pg_catalog.jsonb_build_object(
                                             '角色', NEW.requested_by::text, '类别', party::text,
                                             '部门', (SELECT d.name FROM credit.department d WHERE d.department_id = NEW.department_id),
                                             '代主体查询', NEW.acting_for,
                                             '授权编号', NEW.authorisation_id::text));
    NEW.sha256 := credit.report_sha256(NEW.content);
    -- a subject's own reports: two free a legal calendar year, counted
    -- under a lock per subject so two at once are not both the second
    NEW.free := NULL;
    IF NEW.acting_for THEN
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('credit.report_issue.free'),
                                                 pg_catalog.hashtext(NEW.subject_id::text));
        NEW.free := (SELECT pg_catalog.count(*) FROM credit.report_issue i
                      WHERE i.subject_id = NEW.subject_id AND i.acting_for
                        AND i.as_of >= pg_catalog.date_trunc('year', NEW.as_of)::date
                        AND i.as_of <= NEW.as_of) < 2;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.report_issue_before_insert() IS '触发器: 报告出具 (trigger, caller''s rights: checks the kind, period and domains; the subject must be one the requester sees, a natural person only for the person (the portal acting) or under their opened authorisation, which is logged; number, time, as-of date, requester, content and hash are computed, whatever the row says; a subject''s own report is free for the first two of a legal calendar year)';
ALTER POLICY record_acting ON credit.record
    USING ((disclosure = '授权查询' OR (disclosure = '公开' AND publicity_state = '不公示'))
           AND state = '有效' AND credit.acting_for(subject_id));
COMMENT ON POLICY record_acting ON credit.record IS '主体本人经信用网站查看 (the subject, through the portal acting for it: its 授权查询 records in force, and its 公开 ones never published (不公示: they are in its own 专项 report); its published 公开 ones within the public''s rules, record_public; not its 部门共享 ones)';

-- ==================================================================
-- Issue 15: before and around a listing.  A list entry may start as a
-- proposal (拟列入) with a notice period in working days (公示 of a red
-- list, 告知 of a black one), decided (决定列入 -> 列入中) or refused
-- (不予列入, final); each listing states its legal basis, removal
-- conditions and remedies; a proposal is no listing for the public, the
-- other departments, the grantees or the check.  Responsible persons of
-- an entry (credit.list_entry_person), named by a check where a rule says
-- so; the 重点关注 list colour.  (Kept before the privileges section,
-- which stays last.)
-- ==================================================================
ALTER TABLE credit.list_kind ADD COLUMN notice_required boolean NOT NULL DEFAULT false,
    DROP CONSTRAINT list_kind_colour_check,
    ADD CONSTRAINT list_kind_colour_check CHECK (colour IN ('红', '黑', '重点关注')),
    ADD CONSTRAINT list_kind_focus_not_public CHECK (colour <> '重点关注' OR disclosure <> '公开');
COMMENT ON COLUMN credit.list_kind.notice_required IS '须先公示或告知 (an entry of this kind starts 拟列入: a red list is publicly noticed (公示), a black one told to the subject (告知) before the decision 决定列入; false: an entry may also be listed at once)';
COMMENT ON COLUMN credit.list_kind.colour IS '红/黑/重点关注 (red list, black list, or 重点关注 list of subjects under closer supervision: never 公开, never a serious or red list for the check, in an authorisation''s scope as 黑名单)';
ALTER TABLE credit.list_entry ALTER COLUMN listed_on DROP NOT NULL,
    ADD COLUMN legal_basis text CHECK (btrim(legal_basis) <> ''),
    ADD COLUMN removal_conditions text CHECK (btrim(removal_conditions) <> ''),
    ADD COLUMN remedies text CHECK (btrim(remedies) <> ''),
    ADD COLUMN notice_kind text CHECK (notice_kind IN ('公示', '告知')),
    ADD COLUMN notice_ends_on date,
    ADD CONSTRAINT list_entry_listed_on_when_listed CHECK (listed_on IS NOT NULL OR state IN ('拟列入', '不予列入'));
COMMENT ON COLUMN credit.list_entry.listed_on IS '列入日期 (listed on; for an entry proposed first, the day of the decision 决定列入; NULL while 拟列入 and for 不予列入)';
COMMENT ON COLUMN credit.list_entry.removed_on IS '移出日期 (removed on; for 不予列入, the day of the decision not to list)';
COMMENT ON COLUMN credit.list_entry.removal_reason IS '移出原因 (reason of removal, or of the decision not to list)';
COMMENT ON COLUMN credit.list_entry.state IS '名单状态 (state of the list entry machine: 拟列入, 不予列入, 列入中, 应移出, 已到期, 已移出; changes only through credit.transition)';
COMMENT ON COLUMN credit.list_entry.legal_basis IS '列入依据 (legal basis of the listing: the list kind''s when not given; a 决定列入 may give it)';
COMMENT ON COLUMN credit.list_entry.removal_conditions IS '移出条件 (removal conditions the listing states: the list kind''s when not given; a 决定列入 may give them)';
COMMENT ON COLUMN credit.list_entry.remedies IS '救济途径 (remedies the listing states: the list kind''s when not given; a 决定列入 may give them)';
COMMENT ON COLUMN credit.list_entry.notice_kind IS '列入前程序 (for an entry proposed first (拟列入): 公示 public notice of a red list, 告知 prior written notice to the subject of a black or 重点关注 list; NULL: listed at once)';
COMMENT ON COLUMN credit.list_entry.notice_ends_on IS '公示/告知期截止 (last day of the notice period of a 拟列入 entry, in working days (credit.machine_deadline); 决定列入 only after it)';

-- The dates of a listing from its kind: the end of term (the one given, or
-- the kind's term from the listing day) and the day early removal may be
-- asked for.  For an entry listed at once (list_entry_before_insert) and
-- for the decision on a proposal (list_entry_listing_rules, 51_publicity.sql).
CREATE FUNCTION credit.listing_dates(kind text, listed_on date, given_expiry date,
                                     OUT expires_on date, OUT early_removal_from date)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce(listing_dates.given_expiry, listing_dates.listed_on + make_interval(months => k.term_months))::date,
           (listing_dates.listed_on + make_interval(months => k.early_removal_months))::date
      FROM credit.list_kind k WHERE k.list_kind = listing_dates.kind;
END;
COMMENT ON FUNCTION credit.listing_dates(text, date, date) IS '列入期限 (the dates of a listing of a kind on a day: the end of term given, or the kind''s term from that day (NULL: no term), and the day early removal may be asked for)';

CREATE OR REPLACE FUNCTION credit.list_entry_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind credit.list_kind;
    basis record;
BEGIN
    SELECT * INTO kind FROM credit.list_kind WHERE list_kind = NEW.list_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown list kind "%"', NEW.list_kind USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.disclosure := coalesce(NEW.disclosure, kind.disclosure);
    -- the basis is locked: a repair decided meanwhile waits for this
    -- listing (and removes it), or the listing waits for the repair and is
    -- refused.  A serious listing will move the record's end (trigger
    -- list_entry_extends_record): it takes the lock that needs at once, so
    -- two serious listings of one record wait for each other instead of
    -- deadlocking.
    IF NEW.basis_record_id IS NOT NULL AND kind.serious THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR NO KEY UPDATE;
    ELSIF NEW.basis_record_id IS NOT NULL THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR SHARE;
    END IF;
    IF NEW.basis_record_id IS NOT NULL THEN
        IF basis.state IS DISTINCT FROM '有效' OR basis.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'list entry cannot be based on record %: it is %', NEW.basis_record_id,
                            CASE WHEN basis.state IS NULL THEN 'unknown'
                                 WHEN basis.state <> '有效' THEN basis.state::text ELSE '已修复 (repaired)' END
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Base a listing on a record in force that is not repaired.';
        END IF;
    END IF;
    -- what a listing states: the kind's unless given
    NEW.legal_basis := coalesce(NEW.legal_basis, kind.legal_basis);
    NEW.removal_conditions := coalesce(NEW.removal_conditions, kind.removal_conditions);
    NEW.remedies := coalesce(NEW.remedies, kind.remedies);
    IF NEW.state = '拟列入' THEN
        -- a proposal: the dates of the listing come with its decision
        -- (credit.list_entry_listing_rules); the notice period is the guard's
        NEW.listed_on := NULL;
        NEW.expires_on := NULL;
        NEW.early_removal_from := NULL;
        NEW.notice_kind := CASE kind.colour WHEN '红' THEN '公示' ELSE '告知' END;
    ELSE
        IF kind.notice_required THEN
            RAISE EXCEPTION 'an entry of list "%" is proposed before it is listed', kind.list_kind
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = CASE kind.colour WHEN '红' THEN 'A red list is noticed publicly (公示) before the decision.'
                                    ELSE 'The subject is told (告知) of the basis, the reasons and its right to object before the decision.' END,
                      HINT = 'Insert the entry with state ''拟列入'', then decide it with credit.transition(''list_entry'', entry_id, ''列入中'').';
        END IF;
        IF NEW.listed_on IS NULL THEN
            RAISE EXCEPTION 'a list entry needs the date it is listed on'
                USING ERRCODE = 'not_null_violation',
                      HINT = 'Give listed_on, or propose the entry with state ''拟列入''.';
        END IF;
        NEW.notice_kind := NULL;
        SELECT d.expires_on, d.early_removal_from INTO NEW.expires_on, NEW.early_removal_from
          FROM credit.listing_dates(kind.list_kind, NEW.listed_on, NEW.expires_on) d;
    END IF;
    -- (deletion_due and notice_ends_on: the guard)
    IF NEW.disclosure = '公开' AND kind.colour = '重点关注' THEN
        RAISE EXCEPTION 'an entry of the 重点关注 list "%" cannot be 公开', kind.list_kind
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A 重点关注 list marks subjects for closer supervision; it is no published black list.',
                  HINT = 'Give it disclosure 部门共享 or 授权查询.';
    END IF;
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
COMMENT ON FUNCTION credit.list_entry_before_insert() IS '触发器: 名单条目入库 (trigger: disclosure, legal basis, removal conditions, remedies, expiry and early-removal date from the list kind; a proposal (拟列入) gets its notice kind and no dates, a list kind that requires notice refuses an entry listed at once; the deletion due date and the end of notice are the guard''s)';

-- ------------------------------------------------------------------
-- Responsible persons of a listed organisation (法定代表人, 主要负责人,
-- 实际控制人, 直接责任人: Shandong §31, Henan §35, Shenzhen §68), named by
-- the entry's department; a credit check names them where a rule says so
-- (credit.measure_rule.names_persons, 60_measures.sql).  Append-only: a
-- person named wrongly goes with the entry (a new listing is a new entry).
-- ------------------------------------------------------------------
CREATE TABLE credit.list_entry_person (
    person_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id       bigint NOT NULL REFERENCES credit.list_entry,
    role           text NOT NULL CHECK (role IN ('法定代表人', '主要负责人', '实际控制人', '直接责任人')),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    resident_id    credit.resident_id,
    name_public    text GENERATED ALWAYS AS (credit.mask_personal('name', name)) STORED,
    resident_id_public text GENERATED ALWAYS AS (credit.mask_personal('resident_id', resident_id::text)) STORED,
    added_by       regrole NOT NULL DEFAULT current_user::regrole,
    added_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (entry_id, role, name)
);
COMMENT ON TABLE credit.list_entry_person IS '名单条目责任人 (the responsible persons of a listed organisation, with their role; named by the entry''s department; append-only)';
COMMENT ON COLUMN credit.list_entry_person.person_id IS '责任人编号 (internal id)';
COMMENT ON COLUMN credit.list_entry_person.entry_id IS '名单条目 (the list entry)';
COMMENT ON COLUMN credit.list_entry_person.role IS '身份 (role: 法定代表人, 主要负责人, 实际控制人 or 直接责任人)';
COMMENT ON COLUMN credit.list_entry_person.name IS '姓名 (name; personal data)';
COMMENT ON COLUMN credit.list_entry_person.resident_id IS '公民身份号码 (resident identity number, if known; personal data)';
COMMENT ON COLUMN credit.list_entry_person.name_public IS '脱敏姓名 (the name masked, credit.mask_personal: what the portal and grantees read)';
COMMENT ON COLUMN credit.list_entry_person.resident_id_public IS '脱敏身份号码 (the identity number masked: what the portal, grantees and a check''s snapshot show)';
COMMENT ON COLUMN credit.list_entry_person.added_by IS '登记角色 (the role that named the person)';
COMMENT ON COLUMN credit.list_entry_person.added_at IS '登记时间 (when)';

-- Caller's rights: the entry is one of the caller's department (or the
-- caller is the centre) and has not ended; a hidden entry is refused as a
-- missing one.
CREATE FUNCTION credit.list_entry_person_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e record;
BEGIN
    SELECT x.department_id, x.state INTO e
      FROM credit.list_entry x
     WHERE x.entry_id OPERATOR(pg_catalog.=) NEW.entry_id;
    IF NOT FOUND OR NOT (credit.in_own_department(e.department_id)
                         OR credit.current_party_kind() OPERATOR(pg_catalog.=) '信用中心') THEN
        RAISE EXCEPTION 'list entry % is not an entry of your department', NEW.entry_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'The department that decides an entry names its responsible persons.';
    END IF;
    IF e.state OPERATOR(pg_catalog.<>) ALL ('{拟列入,列入中,应移出}'::text[]) THEN
        RAISE EXCEPTION 'list entry % is %: no person is named for it any more', NEW.entry_id, e.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    NEW.added_by := current_user::pg_catalog.regrole;
    NEW.added_at := pg_catalog.now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_person_before_insert() IS '触发器: 责任人登记 (trigger, caller''s rights: persons are named by the entry''s department or the centre, for an entry that has not ended; who and when are the writer''s)';
CREATE TRIGGER list_entry_person_before_insert BEFORE INSERT ON credit.list_entry_person
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry_person')) EXECUTE FUNCTION credit.list_entry_person_before_insert();
CREATE TRIGGER list_entry_person_append_only BEFORE UPDATE OR DELETE ON credit.list_entry_person
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER list_entry_person_no_truncate BEFORE TRUNCATE ON credit.list_entry_person
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();
CREATE INDEX list_entry_person_entry ON credit.list_entry_person (entry_id);

SELECT pg_catalog.pg_extension_config_dump('credit.list_entry_person', '');
SELECT pg_catalog.pg_extension_config_dump('credit.list_entry_person_person_id_seq', '');

-- The list entry machine: the proposal and the refusal, the notice period
UPDATE credit.machine SET owned_columns = owned_columns || '{notice_ends_on}'::name[] WHERE machine = 'list_entry';
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('list_entry', '拟列入', true, false, 'proposed: in its notice period (公示 of a red list, 告知 to the subject of another) or waiting for the decision; not a listing: not public as one, not shared, no measure'),
    ('list_entry', '不予列入', false, true, 'not listed: the decision on the proposal (e.g. after an objection); final, a new proposal is a new entry');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('list_entry', '拟列入', '列入中', '决定列入', '{部门,信用中心}', false, false),
    ('list_entry', '拟列入', '不予列入', '不予列入', '{部门,信用中心}', false, true);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, counted_from_column,
                                     from_state, source) VALUES
    -- UNCERTAIN: the length.  The texts read require the notice (Henan
    -- §28: 红名单 公示 before listing, 黑名单 事前告知 with the right to
    -- object) but give no number of days here; 5 working days is a common
    -- local figure, to be set by the DBA from the list's own rules
    ('list_entry', '拟列入', 'notice_ends_on', 5, NULL, NULL, NULL,
     '河南省社会信用条例(2019) 第二十八条: 列入红名单前公示, 列入黑名单前书面告知 (事前告知); 期限 5 个工作日 UNCERTAIN (未读到条文规定的天数)');

CREATE OR REPLACE FUNCTION credit.list_entry_listing_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    new_expiry date;
    kind credit.list_kind;
    missing text[];
BEGIN
    IF OLD.state = '拟列入' THEN
        -- 决定列入: after the notice period, stating its legal basis, reasons,
        -- removal conditions and remedies (the proposal's, or the decision's
        -- in the details); listed today, the term from today
        IF OLD.notice_ends_on >= credit.legal_date() THEN
            RAISE EXCEPTION 'list entry % is in its % period until %', OLD.entry_id, OLD.notice_kind,
                            pg_catalog.to_char(OLD.notice_ends_on, 'YYYY-MM-DD')
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'The subject and the public may object during the notice period; the listing is decided after it.',
                      HINT = pg_catalog.format('Decide it from %s on.', pg_catalog.to_char(OLD.notice_ends_on + 1, 'YYYY-MM-DD'));
        END IF;
        IF req.details IS NOT NULL AND pg_catalog.jsonb_typeof(req.details) <> 'object' THEN
            RAISE EXCEPTION 'the details of 决定列入 must be a json object' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        NEW.legal_basis := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'legal_basis'), ''), OLD.legal_basis);
        NEW.removal_conditions := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'removal_conditions'), ''), OLD.removal_conditions);
        NEW.remedies := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'remedies'), ''), OLD.remedies);
        missing := array_remove(ARRAY[CASE WHEN NEW.legal_basis IS NULL THEN 'legal_basis (列入依据)' END,
                                      CASE WHEN NULLIF(pg_catalog.btrim(NEW.reasons), '') IS NULL THEN 'reasons (列入理由)' END,
                                      CASE WHEN NEW.removal_conditions IS NULL THEN 'removal_conditions (移出条件)' END,
                                      CASE WHEN NEW.remedies IS NULL THEN 'remedies (救济途径)' END], NULL);
        IF cardinality(missing) > 0 THEN
            RAISE EXCEPTION 'list entry % cannot be listed without %', OLD.entry_id, pg_catalog.array_to_string(missing, ', ')
                USING ERRCODE = 'not_null_violation',
                      DETAIL = 'A listing states its legal basis, reasons, removal conditions and remedies; neither the entry nor its list kind gives these.',
                      HINT = 'Pass them in the details, e.g. details => jsonb_build_object(''legal_basis'', ''...''), or give them to the list kind (credit.list_kind).';
        END IF;
        NEW.listed_on := credit.legal_date();
        SELECT d.expires_on, d.early_removal_from INTO NEW.expires_on, NEW.early_removal_from
          FROM credit.listing_dates(OLD.list_kind, NEW.listed_on, NULL) d;
        -- (the guard counted deletion_due from the proposal's end of term: none)
        NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', NEW.expires_on);
        RETURN NEW;
    END IF;
    IF OLD.expires_on <= credit.legal_date() THEN
        RAISE EXCEPTION 'cannot extend list entry %: its term ended on %', OLD.entry_id, OLD.expires_on
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A new listing is a new entry.';
    END IF;
    new_expiry := (req.details ->> 'expires_on')::date;
    IF new_expiry IS NULL OR new_expiry <= coalesce(OLD.expires_on, '-infinity') THEN
        RAISE EXCEPTION 'extending list entry % needs a new end of term after %', OLD.entry_id,
                        coalesce(OLD.expires_on::text, 'the listing')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass details => jsonb_build_object(''expires_on'', <date>) to credit.transition().';
    END IF;
    -- the list kind's bounds (失信被执行人: 1 to 3 years)
    SELECT * INTO kind FROM credit.list_kind k WHERE k.list_kind = OLD.list_kind;
    IF OLD.expires_on IS NOT NULL
       AND (new_expiry < OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0))
            OR new_expiry > OLD.expires_on + make_interval(months => kind.extension_max_months)) THEN
        RAISE EXCEPTION 'extending list entry % to % is outside the bounds of list "%"', OLD.entry_id,
                        pg_catalog.to_char(new_expiry, 'YYYY-MM-DD'), kind.list_kind
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('An extension of this list moves the end of term (%s) by %s to %s months: from %s to %s.',
                                             pg_catalog.to_char(OLD.expires_on, 'YYYY-MM-DD'), coalesce(kind.extension_min_months, 0),
                                             coalesce(kind.extension_max_months::text, 'any number of'),
                                             pg_catalog.to_char(OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0)), 'YYYY-MM-DD'),
                                             coalesce(pg_catalog.to_char(OLD.expires_on + make_interval(months => kind.extension_max_months), 'YYYY-MM-DD'), 'any date')),
                  HINT = 'Give an end of term inside the bounds of credit.list_kind.extension_min_months and extension_max_months.';
    END IF;
    NEW.expires_on := new_expiry;
    -- (the guard counted deletion_due from the old end of term)
    NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', new_expiry);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_listing_rules() IS '触发器: 列入与延期的效果 (trigger function, called by credit.list_entry_rules() for a transition to 列入中: 决定列入 of a proposal only after its notice period, with its legal basis, reasons, removal conditions and remedies (the proposal''s or the details''), listed today with the term and deletion due date from today; 延期 takes the new end of term from the transition''s details, within the list kind''s extension bounds, and moves the deletion due date)';
COMMENT ON FUNCTION credit.list_entry_rules() IS '触发器: 名单状态的效果 (trigger: 已移出 and 不予列入 record the date and reason of removal or refusal; a transition to 列入中 goes on to credit.list_entry_listing_rules())';

-- The responsible persons of the entries the public sees (listings, red
-- proposals in notice; the acting subject's own), masked.
CREATE VIEW credit.public_list_entry_person AS
SELECT p.person_id, p.entry_id, p.role, p.name_public AS name, p.resident_id_public AS resident_id
  FROM credit.list_entry_person p;
-- Listings only: a proposal, noticed or not, is in public_list_notice.
-- What the listing states is the entry's, the kind's for an entry of 0.1.
CREATE OR REPLACE VIEW credit.public_list_entry AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.disclosure, e.reasons, e.listed_on, e.expires_on, e.dispute_mark,
       coalesce(e.legal_basis, k.legal_basis) AS legal_basis,
       coalesce(e.removal_conditions, k.removal_conditions) AS removal_conditions,
       coalesce(e.remedies, k.remedies) AS remedies
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind)
 WHERE e.listed_on IS NOT NULL;
-- Proposals: a red list's in its public notice period (公示), to everyone;
-- for the portal acting for a subject, that subject's proposals (its
-- notice, 告知) and the decisions not to list it.
CREATE VIEW credit.public_list_notice AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.state, e.notice_kind, e.notice_ends_on, e.reasons, e.legal_basis, e.removal_conditions, e.remedies,
       e.state_reason
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind)
 WHERE e.state IN ('拟列入', '不予列入');
ALTER VIEW credit.public_list_notice OWNER TO credit_public_views;
ALTER VIEW credit.public_list_entry_person OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_list_entry IS '公示名单 (list entries as the public sees them: public entries inside their term, and for the portal acting for a subject that subject''s own; listings only, no proposal)';
COMMENT ON VIEW credit.public_list_entry_person IS '名单条目责任人(脱敏) (the responsible persons of the list entries the public sees, and for the portal acting for a subject that subject''s own; names and identity numbers masked)';
COMMENT ON VIEW credit.public_list_notice IS '拟列入公示 (proposed list entries as the public sees them: a red list''s 公开 proposals inside their public notice period (公示); for the portal acting for a subject, that subject''s proposals and decisions not to list it (不予列入))';
-- the views' columns carry the comments of the columns they show (as
-- 40_disclosure.sql does; the list entry now states its own basis)
DO $comments$
DECLARE
    v record;
    src text;
BEGIN
    FOR v IN
        SELECT c.oid::regclass AS view, a.attname AS col,
               CASE c.relname WHEN 'public_subject' THEN 'credit.subject'::regclass
                              WHEN 'public_list_entry' THEN 'credit.list_entry'::regclass
                              WHEN 'public_list_notice' THEN 'credit.list_entry'::regclass
                              WHEN 'public_list_entry_person' THEN 'credit.list_entry_person'::regclass
                              ELSE 'credit.record'::regclass END AS base
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
         WHERE c.relnamespace = 'credit'::regnamespace
           AND c.relname IN ('public_list_entry', 'public_list_notice', 'public_list_entry_person')
    LOOP
        SELECT pg_catalog.col_description(v.base, b.attnum) INTO src
          FROM pg_attribute b
         WHERE b.attrelid = v.base AND b.attname IN (v.col, v.col || '_public')
         ORDER BY b.attname DESC LIMIT 1;
        IF src IS NULL AND v.base = 'credit.list_entry'::regclass THEN
            -- what every listing states, from its kind (legal basis, removal conditions, remedies)
            SELECT pg_catalog.col_description('credit.list_kind'::regclass, b.attnum) INTO src
              FROM pg_attribute b WHERE b.attrelid = 'credit.list_kind'::regclass AND b.attname = v.col;
        END IF;
        IF v.col = 'list_name' THEN
            src := '名单名称 (name of the list)';
        ELSIF v.col = 'colour' THEN
            src := '红/黑/重点关注 (red list, black list or 重点关注 list)';
        END IF;
        IF src IS NOT NULL THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', v.view, v.col, src);
        END IF;
    END LOOP;
END
$comments$;
GRANT SELECT ON credit.list_entry_person TO credit_public_views;

ALTER TABLE credit.list_entry_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.list_entry_person FORCE ROW LEVEL SECURITY;
-- A proposal (拟列入) is no listing: a department reads its own, and
-- everyone the 公开 proposals of red lists in their public notice (公示),
-- never a 部门共享 or 授权查询 proposal of another department as a shared
-- or authorised entry (the permissive policies above would show one; a
-- 公开 proposal they show to nobody else, its listed_on being NULL); a
-- decision not to list (不予列入) is removed already (removed_on).  The
-- subject, through the portal, reads its own proposals and refusals.
CREATE POLICY list_entry_proposal_own ON credit.list_entry AS RESTRICTIVE FOR SELECT
    TO credit_department_parties, credit_agency_parties
    USING (state OPERATOR(pg_catalog.<>) '拟列入' OR disclosure OPERATOR(pg_catalog.=) '公开'::credit.disclosure_level
           OR credit.in_own_department(department_id));
CREATE POLICY list_entry_public_notice ON credit.list_entry FOR SELECT
    USING (state OPERATOR(pg_catalog.=) '拟列入' AND notice_kind OPERATOR(pg_catalog.=) '公示'
           AND disclosure OPERATOR(pg_catalog.=) '公开'::credit.disclosure_level
           AND notice_ends_on OPERATOR(pg_catalog.>=) credit.legal_date());
CREATE POLICY list_entry_notice_acting ON credit.list_entry FOR SELECT TO credit_portal_parties
    USING (state OPERATOR(pg_catalog.=) ANY ('{拟列入,不予列入}'::text[]) AND credit.acting_for(subject_id));
COMMENT ON POLICY list_entry_proposal_own ON credit.list_entry IS '拟列入不作共享或授权查询 (a proposed entry (拟列入) that is not 公开 is read by its own department only, never as a shared or authorised listing)';
COMMENT ON POLICY list_entry_public_notice ON credit.list_entry IS '拟列入公示: 公示期内所有人可见 (a 公开 proposal of a red list inside its public notice period: everyone)';
COMMENT ON POLICY list_entry_notice_acting ON credit.list_entry IS '主体本人查看拟列入告知 (the subject through the portal: its own proposals (告知 or 公示) and the decisions not to list it)';
-- The responsible persons of an entry: read by whoever reads the entry
-- (the condition reads credit.list_entry under the reader's own row
-- security); named by the entry's department or the centre (checked by
-- their trigger, credit.list_entry_person_before_insert).  The portal and
-- grantees read them masked, through credit.public_list_entry_person.
CREATE POLICY list_entry_person_reads ON credit.list_entry_person FOR SELECT
    USING (EXISTS (SELECT FROM credit.list_entry e WHERE e.entry_id OPERATOR(pg_catalog.=) list_entry_person.entry_id));
CREATE POLICY list_entry_person_insert ON credit.list_entry_person FOR INSERT
    TO credit_department_parties, credit_centre_parties
    WITH CHECK (added_by OPERATOR(pg_catalog.=) current_user::regrole);
COMMENT ON POLICY list_entry_person_reads ON credit.list_entry_person IS '责任人随名单条目可见 (the persons of an entry the reader reads)';
COMMENT ON POLICY list_entry_person_insert ON credit.list_entry_person IS '部门或信用中心以自己的名义登记 (a department or the centre names persons, as itself; its trigger checks the entry is its own)';

-- 联合奖惩: a rule may name the responsible persons; 重点关注 lists trigger
ALTER TABLE credit.measure_rule ADD COLUMN names_persons boolean NOT NULL DEFAULT false,
    DROP CONSTRAINT measure_rule_trigger_kind_check,
    ADD CONSTRAINT measure_rule_trigger_kind_check CHECK (trigger_kind IN ('失信记录', '守信记录', '严重失信名单', '红名单', '重点关注名单', '名单', '违诺', '评价等级'));
COMMENT ON COLUMN credit.measure_rule.trigger_kind IS '触发类别 (失信记录 a 失信 record in force, 守信记录 a 守信 record in force, 严重失信名单 an entry of a serious black list, 红名单 a red-list entry, 重点关注名单 an entry of a 重点关注 list, 名单 an entry of the list kind trigger_value, 违诺 a broken commitment, 评价等级 a current, valid, published evaluation grade trigger_value)';
COMMENT ON COLUMN credit.measure_rule.names_persons IS '列明责任人 (the measure reaches the responsible persons of a listed organisation (Shandong §31, Henan §35): a hit of a list entry then names them, credit.check_hit_persons)';

-- The responsible persons a hit names: a hit of a list entry by a rule
-- that names persons (measure_rule.names_persons) gets "persons", the
-- entry's persons (credit.list_entry_person, read with the caller's row
-- security) with their role, name and masked identity number; other hits
-- as they are.  Called by credit.check_hits on its result.
CREATE FUNCTION credit.check_hit_persons(hits jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp
    RETURN CASE WHEN pg_catalog.jsonb_array_length(hits) OPERATOR(pg_catalog.=) 0
                  OR NOT EXISTS (SELECT FROM credit.measure_rule r WHERE r.names_persons) THEN hits
           ELSE (SELECT pg_catalog.jsonb_agg(CASE WHEN r.names_persons AND h OPERATOR(pg_catalog.->>) 'hit_kind' OPERATOR(pg_catalog.=) '名单条目'
                     THEN h OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('persons',
                              (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                          'role', p.role, 'name', p.name, 'resident_id', p.resident_id_public)
                                          ORDER BY p.person_id), '[]'::jsonb)
                                 FROM credit.list_entry_person p
                                WHERE p.entry_id OPERATOR(pg_catalog.=) (h OPERATOR(pg_catalog.->>) 'hit_id')::bigint))
                     ELSE h END ORDER BY x.n)
                   FROM pg_catalog.jsonb_array_elements(hits) WITH ORDINALITY AS x(h, n)
                   LEFT JOIN credit.measure_rule r ON r.rule_code OPERATOR(pg_catalog.=) (x.h OPERATOR(pg_catalog.->>) 'rule'))
           END;
COMMENT ON FUNCTION credit.check_hit_persons(jsonb) IS '核查命中的责任人 (the hits of a check with, for each hit of a list entry by a rule that names persons (measure_rule.names_persons), "persons": the entry''s responsible persons with role, name and masked identity number, as the caller reads them; the other hits unchanged)';


-- Warning interviews (66_interviews.sql), the feedback deadline of a
-- matter and the checks past it (65_overdue.sql)
ALTER TABLE credit.matter ADD COLUMN feedback_working_days integer CHECK (feedback_working_days > 0);
COMMENT ON COLUMN credit.matter.feedback_working_days IS '反馈时限(工作日) (the checking department gives feedback on every measure a check returned within this many working days of the check, or the check is in credit.workflow_overdue; NULL: no deadline (none found in national rules: UNCERTAIN))';
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
SELECT pg_catalog.pg_extension_config_dump('credit.interview_interview_id_seq', '');
ALTER TABLE credit.interview ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.interview FORCE ROW LEVEL SECURITY;
-- The centre everything; a department its own (it schedules as itself,
-- moves only its own); the subject, through the portal, its interviews
-- and their events.
CREATE POLICY interview_centre ON credit.interview FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY interview_department ON credit.interview FOR SELECT TO credit_department_parties
    USING (credit.in_own_department(department_id));
CREATE POLICY interview_department_insert ON credit.interview FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND scheduled_by = current_user::regrole);
CREATE POLICY interview_department_update ON credit.interview FOR UPDATE TO credit_department_parties
    USING (credit.in_own_department(department_id))
    WITH CHECK (credit.in_own_department(department_id));
CREATE POLICY interview_acting ON credit.interview FOR SELECT TO credit_portal_parties
    USING (credit.acting_for(subject_id));
CREATE POLICY workflow_event_interview_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING (machine = 'interview' AND EXISTS (SELECT FROM credit.interview i WHERE i.interview_id = workflow_event.object_id
                                              AND i.department_id = (SELECT credit.current_department_id())));
CREATE POLICY workflow_event_interview_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING (machine = 'interview' AND EXISTS (SELECT FROM credit.interview i WHERE i.interview_id = workflow_event.object_id
                                              AND i.subject_id = (SELECT credit.acting_subject())));
COMMENT ON POLICY interview_centre ON credit.interview IS '信用中心 (the centre: everything)';
COMMENT ON POLICY interview_department ON credit.interview IS '本部门的约谈 (a department reads its own interviews)';
COMMENT ON POLICY interview_department_insert ON credit.interview IS '部门以自己的名义安排约谈 (a department schedules as itself)';
COMMENT ON POLICY interview_department_update ON credit.interview IS '部门只办理本部门的约谈 (a department moves only its own interviews)';
COMMENT ON POLICY interview_acting ON credit.interview IS '主体经信用网站查看自己的约谈 (the subject, through the portal, reads its interviews)';
COMMENT ON POLICY workflow_event_interview_department ON credit.workflow_event IS '本部门约谈的事件 (a department reads the events of its interviews)';
COMMENT ON POLICY workflow_event_interview_acting ON credit.workflow_event IS '主体经信用网站查看自己约谈的事件 (the subject, through the portal, reads the events of its interviews)';

CREATE OR REPLACE VIEW credit.workflow_overdue WITH (security_invoker = true) AS
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
COMMENT ON COLUMN credit.workflow_overdue.object_id IS '对象编号 (objection_id, repair_id, record_id, entry_id, commitment_id, result_id or check_id)';
COMMENT ON COLUMN credit.workflow_overdue.deadline_kind IS '时限类别 (deadline, feedback_deadline, withdrawal_due, deletion_due, removal_due, check_due, check_deadline, liability_deadline, objection_until or feedback_due)';
COMMENT ON COLUMN credit.workflow_overdue.department_id IS '部门 (the department responsible; NULL: the centre)';

-- ==================================================================
-- Privileges of every registered role: credit.grant_party as 0.2 has it
-- (91_privileges.sql), and given to the roles registered already.  Keep
-- this section last: it grants on objects the sections above create.
-- ==================================================================
CREATE OR REPLACE FUNCTION credit.grant_party(r regrole, kind credit.party_kind) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- every registered role: the schema, the reference data, the public views,
    -- the credit reports
    common constant text[] := ARRAY[
        'USAGE ON SCHEMA credit',
        'SELECT ON credit.department, credit.party, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine, credit.machine_state, credit.machine_transition, '
            'credit.machine_deadline, credit.sync_target, credit.collection_rule, '
            'credit.measure, credit.matter, credit.measure_rule, credit.report_item, credit.eval_scheme, credit.eval_indicator',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry, credit.public_list_notice, credit.public_list_entry_person, credit.public_commitment, credit.public_eval_result',
        -- credit reports (62_reports.sql): asked for and read through row security
        'SELECT, INSERT (subject_id, kind, period_from, domains) ON credit.report_issue'];
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
        'SELECT, INSERT (entry_id, role, name, resident_id) ON credit.list_entry_person',
        'SELECT ON credit.interview',
        'UPDATE (state) ON credit.interview',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt, department_id, licence_record_id) ON credit.commitment',
        'UPDATE (state, licence_record_id) ON credit.commitment',
        'SELECT ON credit.commitment_licence_flag',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'INSERT (record_id, entry_id, result_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'UPDATE (enabled, severity) ON credit.collection_rule',
        'INSERT, UPDATE, DELETE ON credit.measure, credit.matter, credit.measure_rule, credit.report_item',
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
        'SELECT, INSERT (entry_id, role, name, resident_id) ON credit.list_entry_person',
        'SELECT, INSERT (subject_id, kind, basis_record_id, basis_entry_id, basis_result_id, reason, scheduled_at, place) ON credit.interview',
        'UPDATE (state) ON credit.interview',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt, department_id, licence_record_id) ON credit.commitment',
        'UPDATE (state, licence_record_id) ON credit.commitment',
        'SELECT ON credit.commitment_licence_flag',
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
        'SELECT ON credit.list_entry, credit.access_log, credit.commitment, credit.interview',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt) ON credit.commitment',
        'UPDATE (state) ON credit.commitment',
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
COMMENT ON FUNCTION credit.grant_party(regrole, credit.party_kind) IS '参与方授权 (grant a registered role the privileges of its kind of party and its party group; called by the register_*_role functions)';
SELECT credit.grant_party(p.role, p.kind) FROM credit.party p ORDER BY p.role::text;

-- ==================================================================
-- Issue 17: exchange between platforms (70_exchange.sql): the platform
-- and its id range, exchange peers, the plain column exchange_scope the
-- publications filter on (backfilled below), credit.create_publication,
-- credit.create_exchange_slot and credit.subscribe.
-- ==================================================================
-- ------------------------------------------------------------------
-- The platform and its peers
-- ------------------------------------------------------------------
CREATE TABLE credit.platform (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    level       text NOT NULL CHECK (level IN ('县', '市', '省', '国家', '部门', '信用服务机构')),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    range_no    integer NOT NULL CHECK (range_no BETWEEN 1 AND 21473),
    set_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.platform IS '本平台 (this platform: its code, level and id range; one row, written by credit.set_platform)';
COMMENT ON COLUMN credit.platform.one IS '唯一行 (always true: the table has one row)';
COMMENT ON COLUMN credit.platform.code IS '平台代码 (the platform''s code, unique in the exchange network; lower-case letters, digits and _, as it names publications and slots)';
COMMENT ON COLUMN credit.platform.level IS '平台层级 (level: 县, 市, 省, 国家, 部门, 信用服务机构)';
COMMENT ON COLUMN credit.platform.name IS '平台名称 (name)';
COMMENT ON COLUMN credit.platform.range_no IS '编号段 (the platform''s id range, unique in the network: ids from range_no × 10^14, department ids from range_no × 10^5)';
COMMENT ON COLUMN credit.platform.set_at IS '设置时间 (set at)';
SELECT pg_catalog.pg_extension_config_dump('credit.platform', '');

CREATE TABLE credit.exchange_peer (
    peer         text PRIMARY KEY CHECK (peer ~ '^[a-z0-9_]{1,40}$'),
    name         text NOT NULL CHECK (btrim(name) <> ''),
    level        text NOT NULL CHECK (level IN ('县', '市', '省', '国家', '部门', '信用服务机构')),
    range_no     integer NOT NULL UNIQUE CHECK (range_no BETWEEN 1 AND 21473),
    direction    text NOT NULL CHECK (direction IN ('发送', '接收', '双向')),
    disclosures  text[] NOT NULL DEFAULT '{公开}'
                 CHECK (cardinality(disclosures) > 0 AND disclosures <@ '{公开,授权查询,部门共享}'),
    items        text[] CHECK (cardinality(items) > 0),
    added_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.exchange_peer IS '交换对象 (exchange peers: the platforms this one sends to or receives from, and what each may receive)';
COMMENT ON COLUMN credit.exchange_peer.peer IS '对象平台代码 (the peer''s platform code)';
COMMENT ON COLUMN credit.exchange_peer.name IS '名称 (name)';
COMMENT ON COLUMN credit.exchange_peer.level IS '层级 (level: 县, 市, 省, 国家, 部门, 信用服务机构)';
COMMENT ON COLUMN credit.exchange_peer.range_no IS '编号段 (the peer''s id range: credit.origin_of names it)';
COMMENT ON COLUMN credit.exchange_peer.direction IS '方向 (发送: this platform sends to it; 接收: receives from it; 双向: both)';
COMMENT ON COLUMN credit.exchange_peer.disclosures IS '可接收公开属性 (the disclosure levels the peer may receive, when this platform sends to it)';
COMMENT ON COLUMN credit.exchange_peer.items IS '可接收目录项 (the catalogue items whose records the peer may receive; NULL: every item)';
COMMENT ON COLUMN credit.exchange_peer.added_at IS '登记时间 (added at)';
SELECT pg_catalog.pg_extension_config_dump('credit.exchange_peer', '');

-- The tables that travel, in the order a publication lists them: their key
-- column, whether they carry exchange_scope, and the role columns (regrole)
-- that never travel.
CREATE FUNCTION credit.exchange_tables(OUT table_name regclass, OUT key_column name, OUT scoped boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.table_name::regclass, t.key_column, t.scoped
      FROM (VALUES ('credit.department', 'department_id'::name, false, 1),
                   ('credit.catalogue_item', NULL, false, 2),
                   ('credit.subject', 'subject_id', true, 3),
                   ('credit.record', 'record_id', true, 4),
                   ('credit.list_entry', 'entry_id', true, 5),
                   ('credit.objection', 'objection_id', true, 6),
                   ('credit.repair', 'repair_id', true, 7),
                   ('credit.commitment', 'commitment_id', false, 8),
                   ('credit.workflow_event', 'event_id', true, 9)) AS t(table_name, key_column, scoped, n)
     ORDER BY t.n;
END;
COMMENT ON FUNCTION credit.exchange_tables() IS '交换表清单 (the tables a publication sends, in order: the key column whose id names the origin, and whether the table carries exchange_scope)';

-- The column list a table travels with: every column but the generated ones
-- (the receiver computes them) and the role columns.
CREATE FUNCTION credit.exchange_columns(tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid OPERATOR(pg_catalog.=) exchange_columns.tab AND a.attnum OPERATOR(pg_catalog.>) 0
               AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) ''
               AND a.atttypid OPERATOR(pg_catalog.<>) 'pg_catalog.regrole'::pg_catalog.regtype);
COMMENT ON FUNCTION credit.exchange_columns(regclass) IS '交换列 (the columns of a table that travel, quoted, in table order: every column but generated ones and role columns (regrole), which are OIDs of the sending cluster)';

-- ------------------------------------------------------------------
-- Identities
-- ------------------------------------------------------------------
CREATE FUNCTION credit.platform_code() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT p.code FROM credit.platform p);
COMMENT ON FUNCTION credit.platform_code() IS '本平台代码 (this platform''s code; NULL before credit.set_platform)';

-- The platform whose range holds an id: this one, a peer, or NULL (an id
-- drawn before the platform was set, or of an unknown range).
CREATE FUNCTION credit.origin_of(id bigint) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce((SELECT p.code FROM credit.platform p
                              WHERE p.range_no OPERATOR(pg_catalog.=) (origin_of.id OPERATOR(pg_catalog./) 100000000000000)),
                            (SELECT e.peer FROM credit.exchange_peer e
                              WHERE e.range_no OPERATOR(pg_catalog.=) (origin_of.id OPERATOR(pg_catalog./) 100000000000000))));
COMMENT ON FUNCTION credit.origin_of(bigint) IS '来源平台 (the platform a row comes from, by the range of its id (record, list entry, objection, repair, event ...): this platform''s code, a peer''s, or NULL for an id of no known range)';

CREATE FUNCTION credit.department_origin(department_id integer) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce((SELECT p.code FROM credit.platform p
                              WHERE p.range_no OPERATOR(pg_catalog.=) (department_origin.department_id OPERATOR(pg_catalog./) 100000)),
                            (SELECT e.peer FROM credit.exchange_peer e
                              WHERE e.range_no OPERATOR(pg_catalog.=) (department_origin.department_id OPERATOR(pg_catalog./) 100000))));
COMMENT ON FUNCTION credit.department_origin(integer) IS '部门来源平台 (the platform a department belongs to, by the range of its id: this platform''s code, a peer''s, or NULL)';

-- Sets this platform, once: its code, level, name and range.  Every identity
-- sequence of the extension then draws from the range (ids below it were
-- drawn before and are refused by credit.create_publication).  Run again with
-- the same code and range it changes the name and level only, and sets the
-- sequences' bounds again (after a restore, which does not keep them).
CREATE FUNCTION credit.set_platform(code text, level text, name text, range_no integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur credit.platform;
    s record;
    lo bigint;
    hi bigint;
    last bigint;
    seqmin bigint;
    seqmax bigint;
BEGIN
    SELECT * INTO cur FROM credit.platform;
    IF FOUND AND (cur.code IS DISTINCT FROM set_platform.code OR cur.range_no IS DISTINCT FROM set_platform.range_no) THEN
        RAISE EXCEPTION 'this platform is already "%" with range %', cur.code, cur.range_no
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Ids were drawn from that range and travel with that code.',
                  HINT = 'A platform''s code and range are set once; call credit.set_platform with them to change the name or level.';
    END IF;
    IF EXISTS (SELECT FROM credit.exchange_peer e WHERE e.range_no OPERATOR(pg_catalog.=) set_platform.range_no) THEN
        RAISE EXCEPTION 'range % is the range of a peer', range_no
            USING ERRCODE = 'unique_violation', HINT = 'Each platform of the network has a range of its own.';
    END IF;
    INSERT INTO credit.platform AS p (code, level, name, range_no)
    VALUES (set_platform.code, set_platform.level, set_platform.name, set_platform.range_no)
    ON CONFLICT (one) DO UPDATE SET level = EXCLUDED.level, name = EXCLUDED.name;
    FOR s IN SELECT pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass AS seq,
                    a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.int4'::pg_catalog.regtype AS small
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid
              WHERE c.relnamespace OPERATOR(pg_catalog.=) 'credit'::pg_catalog.regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'r'
                AND a.attidentity OPERATOR(pg_catalog.<>) '' AND NOT a.attisdropped
              ORDER BY 1
    LOOP
        IF s.small THEN
            lo := set_platform.range_no::bigint OPERATOR(pg_catalog.*) 100000;
            hi := lo OPERATOR(pg_catalog.+) 99999;
        ELSE
            lo := set_platform.range_no::bigint OPERATOR(pg_catalog.*) 100000000000000;
            hi := lo OPERATOR(pg_catalog.+) 99999999999999;
        END IF;
        SELECT q.seqmin, q.seqmax INTO seqmin, seqmax FROM pg_catalog.pg_sequence q WHERE q.seqrelid OPERATOR(pg_catalog.=) s.seq;
        last := pg_catalog.pg_sequence_last_value(s.seq);
        IF last IS NULL OR last OPERATOR(pg_catalog.<) lo THEN
            EXECUTE pg_catalog.format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START WITH %s RESTART WITH %s', s.seq, lo, hi, lo, lo);
        ELSIF seqmin OPERATOR(pg_catalog.<>) lo OR seqmax OPERATOR(pg_catalog.<>) hi THEN
            EXECUTE pg_catalog.format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START WITH %s', s.seq, lo, hi, lo);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.set_platform(text, text, text, integer) IS '设置本平台 (the DBA sets this platform''s code, level, name and id range, once: every identity sequence of the extension then draws from the range; again with the same code and range: the name and level, and the sequences'' bounds after a restore)';

-- Adds or changes a peer.  A change of what it may receive applies to its
-- publication when credit.create_publication(peer) is called again.
CREATE FUNCTION credit.set_peer(peer text, name text, level text, range_no integer, direction text,
                                disclosures text[] DEFAULT '{公开}', items text[] DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unknown text[];
BEGIN
    IF set_peer.peer OPERATOR(pg_catalog.=) credit.platform_code()
       OR set_peer.range_no OPERATOR(pg_catalog.=) (SELECT p.range_no FROM credit.platform p) THEN
        RAISE EXCEPTION 'peer "%" has this platform''s code or range', set_peer.peer
            USING ERRCODE = 'unique_violation', HINT = 'Each platform of the network has a code and a range of its own.';
    END IF;
    SELECT pg_catalog.array_agg(i ORDER BY i) INTO unknown
      FROM pg_catalog.unnest(set_peer.items) AS i
     WHERE NOT EXISTS (SELECT FROM credit.catalogue_item c WHERE c.item_code OPERATOR(pg_catalog.=) i);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown catalogue items for peer "%": %', set_peer.peer, pg_catalog.array_to_string(unknown, ', ')
            USING ERRCODE = 'foreign_key_violation', HINT = 'Name items of credit.catalogue_item, or NULL for every item.';
    END IF;
    INSERT INTO credit.exchange_peer AS e (peer, name, level, range_no, direction, disclosures, items)
    VALUES (set_peer.peer, set_peer.name, set_peer.level, set_peer.range_no, set_peer.direction,
            set_peer.disclosures, set_peer.items)
    ON CONFLICT ON CONSTRAINT exchange_peer_pkey DO UPDATE
       SET name = EXCLUDED.name, level = EXCLUDED.level, range_no = EXCLUDED.range_no,
           direction = EXCLUDED.direction, disclosures = EXCLUDED.disclosures, items = EXCLUDED.items;
END
$$;
COMMENT ON FUNCTION credit.set_peer(text, text, text, integer, text, text[], text[]) IS '设置交换对象 (the DBA adds or changes a peer: code, name, level, id range, direction, the disclosure levels and catalogue items (NULL: all) it may receive)';

-- ------------------------------------------------------------------
-- The plain column the publications filter on
-- ------------------------------------------------------------------
-- exchange_scope is '<disclosure>:<item>' for a record and what belongs to
-- it (its objections and repairs), '<disclosure>:' for a list entry and its
-- objections, '组织:' or '个人:' for a subject, '本地' (never sent) for what
-- does not travel (e.g. an objection to a grade).  Set once, on insert: the
-- disclosure of a record or entry never changes in place.
CREATE FUNCTION credit.exchange_scope() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'record' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) NEW.item_code;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'list_entry' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':';
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'subject' THEN
        NEW.exchange_scope := CASE WHEN NEW.kind::text OPERATOR(pg_catalog.=) '自然人' THEN '个人:' ELSE '组织:' END;
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT r.exchange_scope FROM credit.record r
                                         WHERE r.record_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id')::bigint), '本地');
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT e.exchange_scope FROM credit.list_entry e
                                         WHERE e.entry_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id')::bigint), '本地');
    ELSE
        NEW.exchange_scope := '本地';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.exchange_scope() IS '触发器: 交换范围 (trigger: sets exchange_scope on insert, the plain column the publications filter on: <disclosure>:<item> for a record and its objections and repairs, <disclosure>: for a list entry, 组织: or 个人: for a subject, 本地 for what never travels)';

DO $scope$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['subject', 'record', 'list_entry', 'objection', 'repair', 'workflow_event'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ADD COLUMN exchange_scope text NOT NULL DEFAULT ''本地''', t);
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.%I.exchange_scope IS %L', t,
            '交换范围 (exchange scope, the plain column the publications of credit.create_publication filter on: '
            '<disclosure>:<item>, <disclosure>:, 组织:/个人: or 本地; set on insert'
            || CASE WHEN t = 'workflow_event' THEN ', copied from the object moved' ELSE '' END || ')');
        -- the replica identity holds the filtered column (PostgreSQL refuses
        -- an UPDATE published with a row filter on other columns); events
        -- are append-only, never updated.  exchange_scope leads, so that
        -- a lookup by the key keeps using the primary key.
        CONTINUE WHEN t = 'workflow_event';
        EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON credit.%I (exchange_scope, %I)',
                                  t || '_exchange_identity', t,
                                  CASE t WHEN 'subject' THEN 'subject_id' WHEN 'record' THEN 'record_id'
                                         WHEN 'list_entry' THEN 'entry_id' WHEN 'objection' THEN 'objection_id'
                                         ELSE 'repair_id' END);
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I REPLICA IDENTITY USING INDEX %I', t, t || '_exchange_identity');
        EXECUTE pg_catalog.format('COMMENT ON INDEX credit.%I IS %L', t || '_exchange_identity',
                                  '交换复制标识 (replica identity: the key and exchange_scope, which the row filters read)');
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION credit.exchange_scope()', t || '_exchange_scope', t);
    END LOOP;
END
$scope$;

-- A commitment travels by its own disclosure (plain text), which the
-- replica identity holds for the same reason.
CREATE UNIQUE INDEX commitment_exchange_identity ON credit.commitment (disclosure, commitment_id);
ALTER TABLE credit.commitment REPLICA IDENTITY USING INDEX commitment_exchange_identity;
COMMENT ON INDEX credit.commitment_exchange_identity IS '交换复制标识 (replica identity: the key and the disclosure, which the row filters read)';

-- ------------------------------------------------------------------
-- Publications and subscriptions
-- ------------------------------------------------------------------
CREATE FUNCTION credit.exchange_name(peer text) RETURNS name
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN ('credit_to_' OPERATOR(pg_catalog.||) peer)::name;
COMMENT ON FUNCTION credit.exchange_name(text) IS '交换名称 (the name of the publication and of the replication slot that send to a peer: credit_to_<peer>)';

-- The row filter of a scoped table for a peer.
CREATE FUNCTION credit.exchange_filter(p credit.exchange_peer, tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN CASE
        WHEN tab OPERATOR(pg_catalog.=) 'credit.subject'::pg_catalog.regclass THEN
            CASE WHEN p.disclosures OPERATOR(pg_catalog.<@) '{公开}'::text[] THEN '(exchange_scope = ''组织:'')'
                 ELSE '(exchange_scope = ANY (ARRAY[''组织:'', ''个人:'']))' END
        WHEN tab OPERATOR(pg_catalog.=) 'credit.commitment'::pg_catalog.regclass THEN
            -- a commitment's own disclosure (plain text): 可向社会公开 to a
            -- peer of 公开, 特定范围内公开 to a peer of 授权查询 or 部门共享
            pg_catalog.format('(disclosure = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM (SELECT '可向社会公开' AS d WHERE '公开' OPERATOR(pg_catalog.=) ANY (p.disclosures)
                                       UNION ALL
                                       SELECT '特定范围内公开' WHERE p.disclosures OPERATOR(pg_catalog.&&) '{授权查询,部门共享}'::text[]) x))
        WHEN tab OPERATOR(pg_catalog.=) 'credit.catalogue_item'::pg_catalog.regclass THEN
            CASE WHEN p.items IS NULL THEN NULL
                 ELSE pg_catalog.format('(item_code = ANY (ARRAY[%s]::text[]))',
                                        (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(i), ', ' ORDER BY i)
                                           FROM pg_catalog.unnest(p.items) i)) END
        WHEN p.items IS NULL THEN
            pg_catalog.format('(split_part(exchange_scope, '':'', 1) = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(p.disclosures) d))
        ELSE
            -- the allowed items of each allowed level, and list entries (no item)
            pg_catalog.format('(exchange_scope = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(k), ', ' ORDER BY k)
                                 FROM (SELECT d OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) coalesce(i, '') AS k
                                         FROM pg_catalog.unnest(p.disclosures) d
                                        CROSS JOIN (SELECT pg_catalog.unnest(p.items) AS i UNION ALL SELECT NULL) x) keys))
    END;
COMMENT ON FUNCTION credit.exchange_filter(credit.exchange_peer, regclass) IS '交换行过滤 (the row filter of a table in a peer''s publication: by exchange_scope, the peer''s disclosure levels and items; natural persons only to a peer that receives more than 公开; NULL: every row)';

-- Builds (or rebuilds, after credit.set_peer) the publication that sends to
-- a peer.  The replication slot is made apart, by
-- credit.create_exchange_slot(peer), in a transaction of its own.
CREATE FUNCTION credit.create_publication(peer text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    t record;
    pub name := credit.exchange_name(create_publication.peer);
    parts text[] := '{}';
    f text;
    early text[] := '{}';
    below boolean;
BEGIN
    IF credit.platform_code() IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) create_publication.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', create_publication.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    IF p.direction OPERATOR(pg_catalog.=) '接收' THEN
        RAISE EXCEPTION 'this platform does not send to peer "%"', p.peer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Its direction is 接收 (this platform receives from it).',
                  HINT = 'Set its direction to 发送 or 双向 with credit.set_peer.';
    END IF;
    -- ids drawn before the platform was set have no origin: they could be
    -- another platform's ids too
    FOR t IN SELECT * FROM credit.exchange_tables() x WHERE x.key_column IS NOT NULL
                AND x.table_name OPERATOR(pg_catalog.<>) 'credit.subject'::pg_catalog.regclass LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s WHERE %I OPERATOR(pg_catalog.<) %s)', t.table_name, t.key_column,
                                  CASE WHEN t.key_column OPERATOR(pg_catalog.=) 'department_id' THEN '100000' ELSE '100000000000000' END)
            INTO below;
        IF below THEN
            early := early OPERATOR(pg_catalog.||) t.table_name::text;
        END IF;
    END LOOP;
    IF early OPERATOR(pg_catalog.<>) '{}' THEN
        RAISE EXCEPTION 'rows of % have ids drawn before this platform was set', pg_catalog.array_to_string(early, ', ')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Such ids carry no origin and may be another platform''s ids too.',
                  HINT = 'Set the platform with credit.set_platform before entering data on a platform that exchanges.';
    END IF;
    FOR t IN SELECT * FROM credit.exchange_tables() LOOP
        f := CASE WHEN t.table_name OPERATOR(pg_catalog.<>) 'credit.department'::pg_catalog.regclass
                  THEN credit.exchange_filter(p, t.table_name) END;
        parts := parts OPERATOR(pg_catalog.||) pg_catalog.format('TABLE %s (%s)%s', t.table_name,
                     credit.exchange_columns(t.table_name), coalesce(' WHERE ' OPERATOR(pg_catalog.||) f, ''));
    END LOOP;
    IF EXISTS (SELECT FROM pg_catalog.pg_publication b WHERE b.pubname OPERATOR(pg_catalog.=) pub) THEN
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I SET %s', pub, pg_catalog.array_to_string(parts, ', '));
    ELSE
        EXECUTE pg_catalog.format('CREATE PUBLICATION %I FOR %s', pub, pg_catalog.array_to_string(parts, ', '));
    END IF;
    RETURN pub;
END
$$;
COMMENT ON FUNCTION credit.create_publication(text) IS '建立交换发布 (the DBA builds, or rebuilds after credit.set_peer, the publication credit_to_<peer>: departments, the catalogue items, subjects, records, list entries, objections, repairs and events the peer may receive, filtered by exchange_scope, without role columns; refused before credit.set_platform, for a peer this platform does not send to, and while rows have ids drawn before the platform was set)';

CREATE FUNCTION credit.create_exchange_slot(peer text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pub name := credit.exchange_name(create_exchange_slot.peer);
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication b WHERE b.pubname OPERATOR(pg_catalog.=) pub) THEN
        RAISE EXCEPTION 'there is no publication for peer "%"', create_exchange_slot.peer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Build it first with credit.create_publication(peer), and commit.';
    END IF;
    IF pg_catalog.current_setting('wal_level') OPERATOR(pg_catalog.<>) 'logical' THEN
        RAISE EXCEPTION 'wal_level is %, not logical', pg_catalog.current_setting('wal_level')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set wal_level = logical in postgresql.conf and restart the server.';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name OPERATOR(pg_catalog.=) pub) THEN
        PERFORM pg_catalog.pg_create_logical_replication_slot(pub, 'pgoutput');
    END IF;
    RETURN pub;
END
$$;
COMMENT ON FUNCTION credit.create_exchange_slot(text) IS '建立交换复制槽 (the DBA makes the logical replication slot credit_to_<peer> the peer''s subscription reads, after credit.create_publication, in a transaction of its own; kept if it exists)';

-- On the receiving platform: the subscription that receives from a peer.
CREATE FUNCTION credit.subscribe(peer text, conninfo text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    own text := credit.platform_code();
    sub name;
BEGIN
    IF own IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) subscribe.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', subscribe.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    IF p.direction OPERATOR(pg_catalog.=) '发送' THEN
        RAISE EXCEPTION 'this platform does not receive from peer "%"', p.peer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Its direction is 发送 (this platform sends to it).',
                  HINT = 'Set its direction to 接收 or 双向 with credit.set_peer.';
    END IF;
    sub := ('credit_from_' OPERATOR(pg_catalog.||) p.peer)::name;
    -- binary off: the identifier types travel as text, checked again by
    -- their input functions here; the slot is the publisher's
    -- (credit.create_exchange_slot), so this runs inside a transaction
    EXECUTE pg_catalog.format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I '
                              'WITH (create_slot = false, slot_name = %L, binary = false, copy_data = true)',
                              sub, subscribe.conninfo, credit.exchange_name(own), credit.exchange_name(own));
    RETURN sub;
END
$$;
COMMENT ON FUNCTION credit.subscribe(text, text) IS '订阅交换 (the DBA of the receiving platform subscribes to what a peer sends it: subscription credit_from_<peer> of the publication and slot credit_to_<this platform>, binary off, with the initial copy; the applied rows keep their ids, states and events, no trigger of the extension fires on them)';

-- credit.record_columns() declares the new column of the record
CREATE OR REPLACE FUNCTION credit.record_columns(OUT column_name name, OUT loaded boolean, OUT corrected boolean,
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

-- The rows of 0.1: their exchange_scope, as the trigger would have set it
-- (the content guards and the append-only events are not to fire: the
-- column is new)
SET session_replication_role = replica;
UPDATE credit.subject SET exchange_scope = CASE WHEN kind = '自然人' THEN '个人:' ELSE '组织:' END;
UPDATE credit.record SET exchange_scope = disclosure::text || ':' || item_code;
UPDATE credit.list_entry SET exchange_scope = disclosure::text || ':';
UPDATE credit.objection o
   SET exchange_scope = coalesce((SELECT r.exchange_scope FROM credit.record r WHERE r.record_id = o.record_id),
                                 (SELECT e.exchange_scope FROM credit.list_entry e WHERE e.entry_id = o.entry_id), '本地');
UPDATE credit.repair o
   SET exchange_scope = coalesce((SELECT r.exchange_scope FROM credit.record r WHERE r.record_id = o.record_id),
                                 (SELECT e.exchange_scope FROM credit.list_entry e WHERE e.entry_id = o.entry_id), '本地');
UPDATE credit.workflow_event v
   SET exchange_scope = coalesce(CASE m.table_name
            WHEN 'credit.record'::regclass THEN (SELECT r.exchange_scope FROM credit.record r WHERE r.record_id = v.object_id)
            WHEN 'credit.list_entry'::regclass THEN (SELECT e.exchange_scope FROM credit.list_entry e WHERE e.entry_id = v.object_id)
            WHEN 'credit.objection'::regclass THEN (SELECT o.exchange_scope FROM credit.objection o WHERE o.objection_id = v.object_id)
            WHEN 'credit.repair'::regclass THEN (SELECT p.exchange_scope FROM credit.repair p WHERE p.repair_id = v.object_id)
        END, '本地')
  FROM credit.machine m WHERE m.machine = v.machine;
SET session_replication_role = origin;

-- row security (90_row_security.sql's reference tables) and privileges
DO $exchange_policies$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('platform', 'this platform'), ('exchange_peer', 'the exchange peers')) AS v(name, what) LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ROW LEVEL SECURITY', t.name);
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I FORCE ROW LEVEL SECURITY', t.name);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON credit.%I FOR SELECT USING (true)', t.name || '_read', t.name);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_centre_parties '
                                  'USING ((SELECT credit.current_party_kind()) = ''信用中心'') '
                                  'WITH CHECK ((SELECT credit.current_party_kind()) = ''信用中心'')',
                                  t.name || '_centre', t.name);
        EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON credit.%I IS %L', t.name || '_read', t.name,
                                  '所有登记角色可读 (every registered role reads ' || t.what || ')');
        EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON credit.%I IS %L', t.name || '_centre', t.name,
                                  '信用中心维护 (the centre maintains ' || t.what || ')');
    END LOOP;
END
$exchange_policies$;
REVOKE EXECUTE ON FUNCTION credit.exchange_scope() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.set_platform(text, text, text, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.set_peer(text, text, text, integer, text, text[], text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.create_publication(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.create_exchange_slot(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.subscribe(text, text) FROM PUBLIC;
-- a department another platform sent is not registered for a role here
CREATE OR REPLACE FUNCTION credit.register_department_role(r regrole, department_code text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dept credit.department;
BEGIN
    SELECT * INTO dept FROM credit.department d WHERE d.code = department_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown department "%"', department_code
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it to credit.department first.';
    END IF;
    -- a department another platform sent (docs/exchange.md) is that
    -- platform's: no role of this one acts as it
    IF credit.department_origin(dept.department_id) IS DISTINCT FROM credit.platform_code()
       AND credit.department_origin(dept.department_id) IS NOT NULL THEN
        RAISE EXCEPTION 'department "%" belongs to platform "%"', department_code, credit.department_origin(dept.department_id)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Its rows came from that platform by exchange.',
                  HINT = 'Register roles for this platform''s own departments only.';
    END IF;
    INSERT INTO credit.party (role, kind, department_id, display_name) VALUES (r, '部门', dept.department_id, dept.name);
    PERFORM credit.grant_party(r, '部门');
END
$$;

-- a portal registered in 0.1 reads the new column of the workflow tables
-- it reads column by column, as grant_party grants a portal registered now
DO $exchange_portal$
DECLARE
    r regrole;
BEGIN
    FOR r IN SELECT p.role FROM credit.party p WHERE p.kind = '信用网站' LOOP
        EXECUTE pg_catalog.format('GRANT SELECT (exchange_scope) ON credit.objection, credit.workflow_event TO %s', r);
    END LOOP;
END
$exchange_portal$;

-- ==================================================================
-- Issue 17: tamper evidence (88_audit.sql): the hash-chained change log
-- credit.change_log over the tables of credit.chain_table, verify_chain,
-- chain_head, chain_reanchor; its row security and privileges.  The
-- snapshot of the chained tables is taken here, after every earlier
-- section: a later section that changes rows of a chained table without
-- their triggers (ALTER TABLE ... ADD COLUMN ... DEFAULT) ends with
-- SELECT credit.chain_snapshot('<table>', 'update') for that table.
-- ==================================================================
CREATE TABLE credit.change_log (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    logged_at     timestamptz,
    xact          xid8,
    actor         text NOT NULL,
    session_actor text NOT NULL,
    table_name    text NOT NULL,
    op            text NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'snapshot', 'reanchor')),
    row_key       text[],
    row_digest    bytea CHECK (octet_length(row_digest) = 32),
    note          text,
    prev_hash     bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash          bytea NOT NULL CHECK (octet_length(hash) = 32),
    CHECK ((op = 'reanchor') = (row_key IS NULL)),
    CHECK ((op IN ('insert', 'update', 'snapshot')) = (row_digest IS NOT NULL)),
    CHECK ((logged_at IS NULL) = (xact IS NULL))
);
CREATE INDEX change_log_row ON credit.change_log (table_name, row_key, seq);
COMMENT ON TABLE credit.change_log IS '变更日志 (hash-chained change log: one entry per change to a chained table, appended at commit; append-only; read by the centre)';
COMMENT ON COLUMN credit.change_log.seq IS '序号 (position in the chain, 1, 2, ... without gaps)';
COMMENT ON COLUMN credit.change_log.logged_at IS '记入时间 (when the change was committed; null for entries of the extension''s own install or update script)';
COMMENT ON COLUMN credit.change_log.xact IS '事务号 (the committing transaction; null with logged_at)';
COMMENT ON COLUMN credit.change_log.actor IS '操作角色 (current_user at the change; empty for the install or update script)';
COMMENT ON COLUMN credit.change_log.session_actor IS '会话角色 (session_user at the change; empty for the install or update script)';
COMMENT ON COLUMN credit.change_log.table_name IS '表 (the chained table of schema credit)';
COMMENT ON COLUMN credit.change_log.op IS '操作 (insert, update, delete; snapshot: the row as found when its table was chained or re-anchored; reanchor: the DBA''s recovery)';
COMMENT ON COLUMN credit.change_log.row_key IS '行键 (the row''s primary key columns as text)';
COMMENT ON COLUMN credit.change_log.row_digest IS '行摘要 (SHA-256 of the row''s canonical form after the change; null for delete)';
COMMENT ON COLUMN credit.change_log.note IS '说明 (why: the reason of a re-anchoring, a key change)';
COMMENT ON COLUMN credit.change_log.prev_hash IS '前一哈希 (the previous entry''s hash; 32 zero bytes for the first)';
COMMENT ON COLUMN credit.change_log.hash IS '哈希 (SHA-256 of prev_hash and the entry''s canonical form)';

CREATE TABLE credit.chain_table (
    table_name name PRIMARY KEY,
    shipped    boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.chain_table IS '链式表 (the tables of schema credit whose changes are chained in credit.change_log; a DBA adds one with a row)';
COMMENT ON COLUMN credit.chain_table.table_name IS '表名 (a table of schema credit with a primary key)';
COMMENT ON COLUMN credit.chain_table.shipped IS '内置 (shipped with the extension)';

-- ------------------------------------------------------------------
-- The C parts (chain.c)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.chain_log_change() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_chain_log_change' LANGUAGE C;
COMMENT ON FUNCTION credit.chain_log_change() IS '触发器: 记入变更日志 (trigger on each chained table: the change''s key and row digest, appended to credit.change_log at commit)';

CREATE FUNCTION credit.chain_row_digest(anyelement) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_chain_row_digest' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_row_digest(anyelement) IS '行摘要 (SHA-256 of a table row''s canonical form, as the change log records it; the same whatever the session''s settings)';

CREATE FUNCTION credit.chain_row_key(anyelement) RETURNS text[]
    AS 'MODULE_PATHNAME', 'credit_chain_row_key' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_row_key(anyelement) IS '行键 (a table row''s primary key columns as text, as the change log records them)';

CREATE FUNCTION credit.chain_entry_hash(prev bytea, seq bigint, logged_at timestamptz, xact xid8, actor text,
                                        session_actor text, table_name text, op text, row_key text[],
                                        row_digest bytea, note text) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_chain_entry_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_entry_hash(bytea, bigint, timestamptz, xid8, text, text, text, text, text[], bytea, text) IS '条目哈希 (the hash of a change log entry from its previous hash and its fields, as the append computes it)';

CREATE FUNCTION credit.chain_note(table_name text, op text, row_key text[], row_digest bytea, note text) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_chain_note' LANGUAGE C;
COMMENT ON FUNCTION credit.chain_note(text, text, text[], bytea, text) IS '记入条目 (an entry of this transaction''s, appended at commit: snapshot, reanchor or delete; for the audit functions only)';

-- ------------------------------------------------------------------
-- The log is append-only; pg_restore puts it back as it was dumped
-- ------------------------------------------------------------------
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON credit.change_log
    FOR EACH ROW WHEN (NOT credit.restoring('credit.change_log')) EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON credit.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- On restore CREATE EXTENSION has written the install's snapshot entries
-- already: a dumped entry of the same seq replaces it.
CREATE FUNCTION credit.change_log_restore() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM credit.change_log l WHERE l.seq = NEW.seq;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.change_log_restore() IS '触发器: 恢复变更日志 (trigger, during a restore only: a dumped entry replaces the entry of the same seq that CREATE EXTENSION wrote)';
CREATE TRIGGER change_log_restore BEFORE INSERT ON credit.change_log
    FOR EACH ROW WHEN (credit.restoring('credit.change_log')) EXECUTE FUNCTION credit.change_log_restore();

-- ------------------------------------------------------------------
-- Chaining a table: its trigger, and a snapshot of the rows it has
-- ------------------------------------------------------------------
-- the rows of a chained table as they are now, as snapshot entries
CREATE FUNCTION credit.chain_snapshot(tab name, note text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(credit.chain_note(%L, ''snapshot'', s.k, s.d, %L))
                                 FROM (SELECT credit.chain_row_key(x) AS k, credit.chain_row_digest(x) AS d
                                         FROM credit.%I x ORDER BY 1) s', tab, note, tab) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.chain_snapshot(name, text) IS '快照 (the rows of a chained table as they are, each a snapshot entry of the change log; for the audit functions only)';

CREATE FUNCTION credit.chain_table_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS chain_log ON credit.%I', OLD.table_name);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF pg_catalog.to_regclass(pg_catalog.format('credit.%I', NEW.table_name)) IS NULL THEN
            RAISE EXCEPTION 'table credit.% does not exist', NEW.table_name
                USING ERRCODE = 'undefined_table',
                      HINT = 'credit.chain_table names tables of schema credit.';
        END IF;
        EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER chain_log AFTER INSERT OR UPDATE OR DELETE ON credit.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION credit.chain_log_change()', NEW.table_name);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER chain_log ON credit.%I IS %L', NEW.table_name,
                                  '记入变更日志 (each change is chained in credit.change_log)');
        -- a restored table comes back with its entries
        IF NOT credit.restoring('credit.chain_table') THEN
            PERFORM credit.chain_snapshot(NEW.table_name, 'chained');
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION credit.chain_table_changed() IS '触发器: 链式表变更 (trigger: a table added to credit.chain_table gets the change log trigger and a snapshot of its rows; a table removed loses the trigger)';
CREATE TRIGGER chain_table_changed AFTER INSERT OR UPDATE OR DELETE ON credit.chain_table
    FOR EACH ROW EXECUTE FUNCTION credit.chain_table_changed();

-- ------------------------------------------------------------------
-- Verification, the head, re-anchoring
-- ------------------------------------------------------------------
CREATE FUNCTION credit.verify_chain(since bigint DEFAULT NULL)
    RETURNS TABLE (seq bigint, table_name text, row_key text[], problem text, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    start bigint;
    t name;
BEGIN
    -- the log with itself: from the last re-anchoring, or from since
    start := COALESCE(since, (SELECT pg_catalog.max(l.seq) FROM credit.change_log l
                               WHERE l.op = 'reanchor'), 1);
    RETURN QUERY
    WITH l AS (
        SELECT c.*, pg_catalog.lag(c.seq) OVER w AS before_seq, pg_catalog.lag(c.hash) OVER w AS before_hash
          FROM credit.change_log c
         WHERE c.seq >= start - 1
        WINDOW w AS (ORDER BY c.seq)
    ), checked AS (
        SELECT l.*,
               COALESCE(l.before_seq, 0) AS expected_seq,
               CASE WHEN l.before_seq IS NULL AND l.seq = 1
                    THEN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                    ELSE l.before_hash END AS expected_prev,
               credit.chain_entry_hash(l.prev_hash, l.seq, l.logged_at, l.xact, l.actor, l.session_actor,
                                       l.table_name, l.op, l.row_key, l.row_digest, l.note) AS computed
          FROM l
         WHERE l.seq >= start
    )
    SELECT x.seq, x.table_name, x.row_key, x.problem, x.detail FROM (
        SELECT c.seq, c.table_name, c.row_key, 'log row deleted'::text AS problem,
               CASE WHEN c.seq - c.expected_seq = 2
                    THEN pg_catalog.format('entry %s is missing', c.expected_seq + 1)
                    ELSE pg_catalog.format('entries %s to %s are missing', c.expected_seq + 1,
                                           c.seq - 1) END AS detail
          FROM checked c
         WHERE (c.before_seq IS NOT NULL OR c.seq = 1 OR start = 1)
           AND c.seq <> c.expected_seq + 1
        UNION ALL
        SELECT c.seq, c.table_name, c.row_key, 'log row altered',
               pg_catalog.format('its prev_hash is not the hash of entry %s', c.before_seq)
          FROM checked c
         WHERE c.expected_prev IS NOT NULL AND c.prev_hash <> c.expected_prev
           AND c.seq = c.expected_seq + 1
        UNION ALL
        SELECT c.seq, c.table_name, c.row_key, 'log row altered', 'its hash does not match its content'
          FROM checked c
         WHERE c.computed IS DISTINCT FROM c.hash) x
    ORDER BY x.seq, x.problem;

    -- the tables with the log: each row as its last entry says
    FOR t IN SELECT ct.table_name FROM credit.chain_table ct ORDER BY 1 LOOP
        RETURN QUERY EXECUTE pg_catalog.format($q$
            WITH cur AS (
                SELECT credit.chain_row_key(x) AS k, credit.chain_row_digest(x) AS d FROM credit.%1$I x
            ), last AS (
                SELECT DISTINCT ON (l.row_key) l.row_key AS k, l.op, l.row_digest AS d, l.seq
                  FROM credit.change_log l
                 WHERE l.table_name = %2$L AND l.row_key IS NOT NULL
                 ORDER BY l.row_key, l.seq DESC
            )
            SELECT last.seq, %2$L::text, COALESCE(cur.k, last.k),
                   CASE WHEN cur.k IS NULL THEN 'deleted'
                        WHEN last.k IS NULL OR last.op = 'delete' THEN 'inserted'
                        ELSE 'changed' END,
                   CASE WHEN cur.k IS NULL THEN pg_catalog.format('the row of entry %%s is not in the table', last.seq)
                        WHEN last.k IS NULL THEN 'the row has no entry in the log'
                        WHEN last.op = 'delete'
                             THEN pg_catalog.format('the row was logged as deleted (entry %%s)', last.seq)
                        ELSE pg_catalog.format('the row differs from its version of entry %%s', last.seq) END
              FROM cur FULL JOIN last ON last.k = cur.k
             WHERE (cur.k IS NULL AND last.op <> 'delete')
                OR (cur.k IS NOT NULL AND (last.k IS NULL OR last.op = 'delete'
                                           OR last.d IS DISTINCT FROM cur.d))
             ORDER BY 3$q$, t, t);
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.verify_chain(bigint) IS '校验变更日志 (verify the change log: each entry''s hash and link from the last re-anchoring (or from seq since), and each chained table''s rows against their last entries; one row per problem, naming the table, the key and what is wrong; none: the chain holds)';

CREATE FUNCTION credit.chain_head(OUT seq bigint, OUT hash text, OUT logged_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT (l.seq, pg_catalog.encode(l.hash, 'hex'), l.logged_at)
              FROM credit.change_log l ORDER BY l.seq DESC LIMIT 1);
COMMENT ON FUNCTION credit.chain_head() IS '链头 (the last entry of the change log: its seq and hash (hex), to be kept outside the database, e.g. signed or time-stamped, for anchoring)';

CREATE FUNCTION credit.chain_reanchor(reason text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found jsonb;
    p record;
    n bigint := 0;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RAISE EXCEPTION 'only a superuser can re-anchor the change log'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Re-anchoring accepts every problem credit.verify_chain() reports: the DBA does it, after an investigation.';
    END IF;
    IF COALESCE(pg_catalog.btrim(reason), '') = '' THEN
        RAISE EXCEPTION 'a re-anchoring needs a reason'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what happened and who decided, e.g. the incident number.';
    END IF;
    -- no chained commit in between: the same key as the append (chain.c)
    PERFORM pg_catalog.pg_advisory_xact_lock(1668441444, 1667785065);
    SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(v)) INTO found FROM credit.verify_chain() v;
    PERFORM credit.chain_note('change_log', 'reanchor', NULL, NULL,
                              pg_catalog.format('%s; accepted: %s', reason, COALESCE(found, '[]'::jsonb)));
    FOR p IN SELECT * FROM credit.verify_chain() v
              WHERE v.problem = ANY (ARRAY['changed', 'inserted', 'deleted']) LOOP
        IF p.problem = 'deleted' THEN
            PERFORM credit.chain_note(p.table_name, 'delete', p.row_key, NULL, 'reanchor');
        ELSE
            EXECUTE pg_catalog.format('SELECT credit.chain_note(%L, ''snapshot'', %L, credit.chain_row_digest(x), ''reanchor'')
                                         FROM credit.%I x WHERE credit.chain_row_key(x) = %L',
                                      p.table_name, p.row_key, p.table_name, p.row_key);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN COALESCE(pg_catalog.jsonb_array_length(found), 0);
END
$$;
COMMENT ON FUNCTION credit.chain_reanchor(text) IS '重新锚定 (the DBA''s recovery, superuser only: a reanchor entry records the reason and every problem verify_chain reports; the rows as they are become snapshot entries; verification of the log starts again there; returns how many problems were accepted)';

-- ------------------------------------------------------------------
-- The chained tables
-- ------------------------------------------------------------------
INSERT INTO credit.chain_table (table_name, shipped)
SELECT t, true FROM pg_catalog.unnest(ARRAY[
    -- credit data and its use
    'record', 'list_entry', 'commitment', 'credit_check', 'check_feedback', 'report_issue', 'eval_result',
    -- reference data
    'catalogue_item', 'catalogue_period', 'rule_set', 'rule_set_period', 'list_kind', 'report_item',
    'measure', 'matter', 'measure_rule', 'machine', 'machine_state', 'machine_transition', 'machine_deadline',
    'calendar_day', 'eval_scheme', 'eval_indicator']::name[]) AS t ORDER BY t;

SELECT pg_catalog.pg_extension_config_dump('credit.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('credit.chain_table', 'WHERE NOT shipped');

-- row security (90_row_security.sql)
ALTER TABLE credit.change_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.change_log FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.chain_table ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.chain_table FORCE ROW LEVEL SECURITY;
CREATE POLICY change_log_centre ON credit.change_log FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY change_log_centre ON credit.change_log IS '信用中心 (the centre reads the whole change log)';
CREATE POLICY chain_table_centre ON credit.chain_table FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY chain_table_centre ON credit.chain_table IS '信用中心 (the centre reads which tables are chained)';

-- privileges (91_privileges.sql)
REVOKE EXECUTE ON FUNCTION credit.chain_log_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_note(text, text, text[], bytea, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_snapshot(name, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_table_changed() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.change_log_restore() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_reanchor(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.verify_chain(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_head() FROM PUBLIC;
GRANT SELECT ON credit.change_log, credit.chain_table TO credit_centre_parties;
GRANT EXECUTE ON FUNCTION credit.verify_chain(bigint), credit.chain_head() TO credit_centre_parties;

-- ==================================================================
-- Issue 15, the credit check's speed (extension/60_measures.sql,
-- 63_evaluation.sql; bench/measures.sh, docs/measures.md): check_hits reads
-- the matter's rules and the subject's triggers once each (MATERIALIZED),
-- current_grades has no SET clause so that the planner inlines it, the
-- check row's trigger asks its two questions in one statement, and
-- credit.check unpacks the snapshot in one call.  Same results.  (The
-- section "Issue 15, the credit check's speed, in C" below replaces check_hits, the check
-- row's trigger and credit.check; what stays from here is current_grades
-- without SET and check_hit_persons.)
-- ==================================================================
ALTER FUNCTION credit.current_grades(bigint, text) RESET search_path;

-- check_hit_persons in PL/pgSQL (plans kept; early return without persons to name)
CREATE OR REPLACE FUNCTION credit.check_hit_persons(hits jsonb) RETURNS jsonb
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


-- ==================================================================
-- Issue 17: statistics per department and month (71_statistics.sql)
-- ==================================================================
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
GRANT SELECT ON credit.monthly_statistics TO credit_centre_parties, credit_department_parties;

-- ==================================================================
-- Issue 17: retention of the access log (88_audit.sql): the setting
-- credit.access_log_retention (module.c, at least 5 years) and the purge
-- ==================================================================
CREATE FUNCTION credit.purge_access_log() RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    years integer := pg_catalog.current_setting('credit.access_log_retention')::integer;
    cutoff date := (credit.legal_date() - pg_catalog.make_interval(years => years))::date;
    n bigint;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RAISE EXCEPTION 'only a superuser can purge the access log'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Schedule SELECT credit.purge_access_log() as the DBA (pg_cron or any scheduler).';
    END IF;
    -- the log is append-only: the guard steps aside for this statement only
    ALTER TABLE credit.access_log DISABLE TRIGGER access_log_append_only;
    DELETE FROM credit.access_log l WHERE credit.legal_date(l.accessed_at) < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    ALTER TABLE credit.access_log ENABLE TRIGGER access_log_append_only;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.purge_access_log() IS '清理查询日志 (superuser only: deletes the access-log rows older than credit.access_log_retention years (at least 5, default 5) before today''s legal date; returns how many)';
REVOKE EXECUTE ON FUNCTION credit.purge_access_log() FROM PUBLIC;

-- ==================================================================
-- Issue 17: logged shared reads (docs/audit.md): the centre's setting
-- catalogue_item.log_shared_reads, credit.open_shared_read (the log row,
-- access_log kind 部门共享, committed first), close_shared_read,
-- opened_shared_reads, and the restrictive record policy
-- record_shared_read with its predicate record_shared_read_logged
-- ==================================================================
-- added without a default, then filled: a column with a default cannot be
-- added to a table whose row type a function takes (collection_checks);
-- the UPDATE is logged in the change log by the chain's row trigger
ALTER TABLE credit.catalogue_item ADD COLUMN log_shared_reads boolean;
ALTER TABLE credit.catalogue_item ALTER COLUMN log_shared_reads SET DEFAULT false;
UPDATE credit.catalogue_item SET log_shared_reads = false;
ALTER TABLE credit.catalogue_item ALTER COLUMN log_shared_reads SET NOT NULL;
COMMENT ON COLUMN credit.catalogue_item.log_shared_reads IS '共享查询留痕 (set by the centre: another department reads this item''s 部门共享 records only for the subjects it opened with a logged purpose, CALL credit.open_shared_read(subject_id, purpose); the reads are in credit.access_log, kind 部门共享)';
CREATE FUNCTION credit.catalogue_item_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.catalogue_item_changed() IS '触发器: 目录项变更 (trigger: tells every session to drop its cached list of the catalogue items whose shared reads are logged)';
CREATE TRIGGER catalogue_item_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.catalogue_item
    FOR EACH STATEMENT EXECUTE FUNCTION credit.catalogue_item_changed();

ALTER TABLE credit.access_log ALTER COLUMN authorisation_id DROP NOT NULL,
    ADD COLUMN kind credit.disclosure_level NOT NULL DEFAULT '授权查询' CHECK (kind IN ('授权查询', '部门共享')),
    ADD CONSTRAINT access_log_authorisation_of_kind CHECK ((authorisation_id IS NOT NULL) = (kind = '授权查询')),
    ADD CONSTRAINT access_log_purpose_not_blank CHECK (btrim(purpose) <> '');
COMMENT ON TABLE credit.access_log IS '查询日志 (log of 授权查询 reads: who, whose, under which authorisation, for what purpose, when; and of departments'' 部门共享 reads of logged catalogue items: who, whose, for what purpose, when; kept at least 5 years; append-only)';
COMMENT ON COLUMN credit.access_log.authorisation_id IS '授权编号 (under which authorisation; NULL for a 部门共享 read)';
COMMENT ON COLUMN credit.access_log.kind IS '查询类别 (授权查询: a read under an authorisation, credit.open_authorisation; 部门共享: a department''s read of shared records, credit.open_shared_read)';
COMMENT ON COLUMN credit.access_log.purpose IS '用途 (purpose: the authorisation''s, or the one the department gave)';
CREATE OR REPLACE FUNCTION credit.access_log_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.accessed_at := pg_catalog.clock_timestamp();
    NEW.role := current_user::pg_catalog.regrole;
    IF NEW.kind OPERATOR(pg_catalog.=) '授权查询'::credit.disclosure_level THEN
        SELECT a.subject_id, a.purpose INTO NEW.subject_id, NEW.purpose
          FROM credit.authorisation a WHERE a.authorisation_id OPERATOR(pg_catalog.=) NEW.authorisation_id;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.access_log_before_insert() IS '触发器: 查询日志内容 (trigger: a log row''s time is the clock''s, its role the writer, and for a 授权查询 read its subject and purpose those of the authorisation, whatever the row says)';
CREATE PROCEDURE credit.open_shared_read(subject_id bigint, purpose text)
    AS 'MODULE_PATHNAME', 'credit_open_shared_read' LANGUAGE C;
COMMENT ON PROCEDURE credit.open_shared_read(bigint, text) IS '共享查询登记 (a department opens a subject for reading the 部门共享 records of logged catalogue items, for a purpose: CALL outside a transaction block; writes and commits the access-log row, kind 部门共享, then opens the subject for the calling role in the session''s following transactions until closed; refused for a blank purpose, an unknown subject, a role not registered as a department)';

CREATE FUNCTION credit.close_shared_read(subject_id bigint DEFAULT NULL) RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_close_shared_read' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.close_shared_read(bigint) IS '结束共享查询 (the calling role ends its shared-read opening of this subject, NULL: of all; returns how many ended)';

CREATE FUNCTION credit.opened_shared_reads() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_shared_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_shared_reads() IS '已登记共享查询主体 (subjects the calling role has opened for shared reads now; kept in backend memory)';

CREATE FUNCTION credit.record_shared_read_logged(department_id integer, subject_id bigint, item_code text,
                                                 disclosure credit.disclosure_level)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_shared_read_logged' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_shared_read_logged(integer, bigint, text, credit.disclosure_level) IS '共享查询已留痕 (row predicate of the restrictive policy record_shared_read: false only for a 部门共享 record of another department, of a catalogue item with log_shared_reads, whose subject the calling department has not opened with credit.open_shared_read; the same as disclosure <> ''部门共享'' OR NOT credit.in_department_scope(0) OR credit.in_own_department(department_id) OR subject_id = ANY (credit.opened_shared_reads()) OR NOT (SELECT i.log_shared_reads FROM credit.catalogue_item i WHERE i.item_code = record.item_code); the logged items cached per session, dropped when credit.catalogue_item changes)';
CREATE POLICY record_shared_read ON credit.record AS RESTRICTIVE FOR SELECT TO credit_department_parties
    USING (credit.record_shared_read_logged(department_id, subject_id, item_code, disclosure));
COMMENT ON POLICY record_shared_read ON credit.record IS '部门共享查询留痕: 其他部门的留痕目录项共享记录, 须先登记用途 (restrictive: a department reads another department''s 部门共享 records of a catalogue item with log_shared_reads only for subjects it opened with a logged purpose, credit.open_shared_read)';
ALTER POLICY access_log_insert ON credit.access_log
    WITH CHECK (role = current_user::regrole
                AND CASE kind
                    WHEN '部门共享' THEN (SELECT credit.current_party_kind()) = '部门'
                    ELSE EXISTS (SELECT 1 FROM credit.authorisation a
                                  WHERE a.authorisation_id = access_log.authorisation_id
                                    AND a.subject_id = access_log.subject_id
                                    AND a.grantee = current_user::regrole
                                    AND a.revoked_at IS NULL
                                    AND clock_timestamp() >= a.valid_from AND clock_timestamp() < a.valid_until)
                    END);
COMMENT ON POLICY access_log_insert ON credit.access_log IS '只能以自己的名义、凭有效授权记录; 部门共享查询由部门记录 (a row is written as oneself, under a valid authorisation of one''s own; a 部门共享 read only by a role registered as a department)';
COMMENT ON POLICY access_log_own ON credit.access_log IS '查询方看自己的查询 (a grantee or department sees its own reads)';
COMMENT ON POLICY access_log_acting ON credit.access_log IS '主体查看谁查询了自己 (the subject, through the portal, sees who queried it: under its authorisations, and departments'' logged shared reads)';

-- ==================================================================
-- Issue 15, the credit check's speed, in C (extension/credit_check.c,
-- 60_measures.sql, 67_check_hits.sql; bench/measures.sh, docs/measures.md):
-- the hits query becomes credit.check_hit_rows (SQL, inlined into one kept
-- plan); credit.check_hits, credit.check and the check row's trigger are C,
-- and credit.check hands its hits to the trigger of its own INSERT instead
-- of their being computed there.  Same results.
-- ==================================================================
CREATE FUNCTION credit.check_hit_rows(subject_id bigint, matter_code text)
    RETURNS TABLE (hit_kind text, hit_id bigint, trigger text, rule text, measure text, polarity text,
                   content text, basis text, mandatory boolean, names_persons boolean)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
    WITH today AS (SELECT credit.legal_date() AS d),
    m AS (SELECT x.matter_code, x.kind FROM credit.matter x, today
           WHERE x.matter_code OPERATOR(pg_catalog.=) check_hit_rows.matter_code
             AND x.valid_from OPERATOR(pg_catalog.<=) today.d
             AND (x.valid_until IS NULL OR x.valid_until OPERATOR(pg_catalog.>=) today.d)),
    rules AS MATERIALIZED (SELECT r.rule_code, r.trigger_kind, r.trigger_value, r.names_persons, s.measure_code,
                                  s.polarity, s.content, s.basis, s.mandatory
                FROM credit.measure_rule r
                JOIN credit.measure s ON s.measure_code OPERATOR(pg_catalog.=) r.measure_code
                JOIN m ON r.matter_code OPERATOR(pg_catalog.=) m.matter_code OR r.matter_kind OPERATOR(pg_catalog.=) m.kind
                CROSS JOIN today
               WHERE r.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (r.valid_until IS NULL OR r.valid_until OPERATOR(pg_catalog.>=) today.d)
                 AND s.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (s.valid_until IS NULL OR s.valid_until OPERATOR(pg_catalog.>=) today.d)),
    triggers AS MATERIALIZED (
        SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
               rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
          FROM credit.record rec
          JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
          CROSS JOIN today
         WHERE rec.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id
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
         WHERE e.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id
           AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
           AND e.listed_on OPERATOR(pg_catalog.<=) today.d
           AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
          FROM credit.commitment cm
         WHERE cm.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id AND cm.broken_at IS NOT NULL
           AND cm.state OPERATOR(pg_catalog.<>) '已修复'
        UNION ALL
        SELECT '评价等级', g.result_id, g.grade, NULL, NULL
          FROM credit.current_grades(check_hit_rows.subject_id) g
         WHERE g.valid)
    SELECT CASE t.kind WHEN '名单' THEN '名单条目' WHEN '违诺' THEN '信用承诺'
                       WHEN '评价等级' THEN '评价结果' ELSE '信用记录' END,
           t.id, r.trigger_kind, r.rule_code, r.measure_code, r.polarity, r.content, r.basis, r.mandatory, r.names_persons
      FROM triggers t
      JOIN rules r ON (r.trigger_value IS NULL OR r.trigger_value OPERATOR(pg_catalog.=) t.value)
                  AND CASE r.trigger_kind
                          WHEN '严重失信名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.serious AND t.colour OPERATOR(pg_catalog.=) '黑'
                          WHEN '红名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '红'
                          WHEN '重点关注名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '重点关注'
                          ELSE t.kind OPERATOR(pg_catalog.=) r.trigger_kind END
     ORDER BY r.measure_code, t.kind, t.id, r.rule_code;
END;
COMMENT ON FUNCTION credit.check_hit_rows(bigint, text) IS '核查命中行 (the hits of a check as rows, in the snapshot''s order: hit_kind 信用记录/名单条目/信用承诺/评价结果, hit_id, trigger, rule, measure, polarity, content, basis, mandatory, names_persons (the rule names the responsible persons); read with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term, broken commitments not repaired and current valid published grades; credit.check_hits makes them the snapshot)';

CREATE OR REPLACE FUNCTION credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'credit_check_hits' LANGUAGE C STABLE PARALLEL RESTRICTED;
CREATE OR REPLACE FUNCTION credit.credit_check_before_insert() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_check_before_insert' LANGUAGE C;
CREATE OR REPLACE FUNCTION credit.check(subject_id bigint, matter text, purpose text DEFAULT NULL)
    RETURNS TABLE (check_id bigint, hit boolean, hit_kind text, hit_id bigint, measure text,
                   polarity text, content text, basis text, mandatory boolean)
    AS 'MODULE_PATHNAME', 'credit_check' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION credit.check_hits(bigint, text) IS '核查命中 (the measures that apply to a subject for a matter today, as a jsonb array of hits: hit_kind 信用记录/名单条目/信用承诺/评价结果, hit_id, trigger, rule, measure, polarity, content, basis, mandatory (and persons where the rule names them, credit.check_hit_persons); reads with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term, broken commitments not repaired and current valid published grades; [] for none)';

-- ==================================================================
-- Issue 17: repair acknowledgements through the exchange
-- (70_exchange.sql): credit.exchange_ack travels back against the data,
-- acknowledges the sync events of 0.1 for upper platforms;
-- credit.exchange_pending; create_publication and subscribe for both
-- directions.  And the chain on the receiving side (88_audit.sql,
-- chain.c): chain_log enabled always, rows applied by logical
-- replication are chained on arrival.
-- ==================================================================
CREATE OR REPLACE FUNCTION credit.create_publication(peer text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    t record;
    pub name := credit.exchange_name(create_publication.peer);
    parts text[] := '{}';
    f text;
    early text[] := '{}';
    below boolean;
BEGIN
    IF credit.platform_code() IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) create_publication.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', create_publication.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    -- ids drawn before the platform was set have no origin: they could be
    -- another platform's ids too (only data travels with such ids)
    FOR t IN SELECT * FROM credit.exchange_tables() x WHERE x.key_column IS NOT NULL
                AND x.table_name OPERATOR(pg_catalog.<>) 'credit.subject'::pg_catalog.regclass
                AND p.direction OPERATOR(pg_catalog.<>) '接收' LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s WHERE %I OPERATOR(pg_catalog.<) %s)', t.table_name, t.key_column,
                                  CASE WHEN t.key_column OPERATOR(pg_catalog.=) 'department_id' THEN '100000' ELSE '100000000000000' END)
            INTO below;
        IF below THEN
            early := early OPERATOR(pg_catalog.||) t.table_name::text;
        END IF;
    END LOOP;
    IF early OPERATOR(pg_catalog.<>) '{}' THEN
        RAISE EXCEPTION 'rows of % have ids drawn before this platform was set', pg_catalog.array_to_string(early, ', ')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Such ids carry no origin and may be another platform''s ids too.',
                  HINT = 'Set the platform with credit.set_platform before entering data on a platform that exchanges.';
    END IF;
    -- to a peer this platform sends to: the data it may receive
    FOR t IN SELECT * FROM credit.exchange_tables() WHERE p.direction OPERATOR(pg_catalog.<>) '接收' LOOP
        f := CASE WHEN t.table_name OPERATOR(pg_catalog.<>) 'credit.department'::pg_catalog.regclass
                  THEN credit.exchange_filter(p, t.table_name) END;
        parts := parts OPERATOR(pg_catalog.||) pg_catalog.format('TABLE %s (%s)%s', t.table_name,
                     credit.exchange_columns(t.table_name), coalesce(' WHERE ' OPERATOR(pg_catalog.||) f, ''));
    END LOOP;
    -- to a peer this platform receives from: the acknowledgements, back the
    -- other way, never the peer's own (which would bounce back to it)
    IF p.direction OPERATOR(pg_catalog.<>) '发送' THEN
        parts := parts OPERATOR(pg_catalog.||) pg_catalog.format('TABLE credit.exchange_ack WHERE (platform <> %L)', p.peer);
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_publication b WHERE b.pubname OPERATOR(pg_catalog.=) pub) THEN
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I SET %s', pub, pg_catalog.array_to_string(parts, ', '));
    ELSE
        EXECUTE pg_catalog.format('CREATE PUBLICATION %I FOR %s', pub, pg_catalog.array_to_string(parts, ', '));
    END IF;
    RETURN pub;
END
$$;
COMMENT ON FUNCTION credit.create_publication(text) IS '建立交换发布 (the DBA builds, or rebuilds after credit.set_peer, the publication credit_to_<peer>: to a peer this platform sends to, the departments, catalogue items, subjects, records, list entries, objections, repairs, commitments and events it may receive, filtered by exchange_scope, without role columns; to a peer this platform receives from, the acknowledgements (credit.exchange_ack) but the peer''s own; refused before credit.set_platform, and while data would travel with ids drawn before the platform was set)';
CREATE OR REPLACE FUNCTION credit.subscribe(peer text, conninfo text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    own text := credit.platform_code();
    sub name;
BEGIN
    IF own IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) subscribe.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', subscribe.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    sub := ('credit_from_' OPERATOR(pg_catalog.||) p.peer)::name;
    -- binary off: the identifier types travel as text, checked again by
    -- their input functions here; the slot is the publisher's
    -- (credit.create_exchange_slot), so this runs inside a transaction
    EXECUTE pg_catalog.format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I '
                              'WITH (create_slot = false, slot_name = %L, binary = false, copy_data = true)',
                              sub, subscribe.conninfo, credit.exchange_name(own), credit.exchange_name(own));
    RETURN sub;
END
$$;
COMMENT ON FUNCTION credit.subscribe(text, text) IS '订阅交换 (the DBA subscribes to what a peer sends this platform: subscription credit_from_<peer> of the publication and slot credit_to_<this platform>, binary off, with the initial copy: from a peer this platform receives from, its data, whose applied rows keep their ids, states and events (only the chain and the acknowledgement triggers fire on them); from a peer this platform sends to, its acknowledgements)';
-- ------------------------------------------------------------------
-- Acknowledgements (交换回执), back the other way
-- ------------------------------------------------------------------
-- A platform that receives a repair result (a repair of another platform,
-- 已修复) acknowledges it with a row of credit.exchange_ack, keyed by its
-- own code.  The table travels against the data: only in the publications
-- to the peers this platform receives from, never the receiving peer's own
-- rows (PostgreSQL 15 has no origin = none), so an acknowledgement goes
-- down hop by hop (province -> city -> county) and never comes back up.  On
-- arrival at the repair's platform the sync event of 0.1 for that upper
-- platform (credit.sync_event, a target of kind 上级平台 whose code is the
-- acknowledging platform's) is acknowledged.  Both triggers are ENABLE
-- ALWAYS: they fire in the apply worker, on the rows that arrive.
CREATE TABLE credit.exchange_ack (
    platform         text NOT NULL CHECK (platform ~ '^[a-z0-9_]{1,40}$'),
    repair_id        bigint NOT NULL REFERENCES credit.repair,
    acknowledged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, repair_id)
);
COMMENT ON TABLE credit.exchange_ack IS '交换回执 (acknowledgements: one row per platform that received a repair result of another platform; append-only; travels back towards the repair''s platform, where it acknowledges the sync event)';
COMMENT ON COLUMN credit.exchange_ack.platform IS '确认平台 (the code of the platform that received and acknowledges; the row''s origin)';
COMMENT ON COLUMN credit.exchange_ack.repair_id IS '修复申请 (the repair received, 已修复; its id names its platform)';
COMMENT ON COLUMN credit.exchange_ack.acknowledged_at IS '确认时间 (when the acknowledging platform received the result)';

CREATE TRIGGER exchange_ack_append_only BEFORE UPDATE OR DELETE ON credit.exchange_ack
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER exchange_ack_no_truncate BEFORE TRUNCATE ON credit.exchange_ack
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- On the receiving platform: a repair of another platform arrives 已修复.
CREATE FUNCTION credit.repair_acknowledge() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own text := credit.platform_code();
BEGIN
    IF NEW.state OPERATOR(pg_catalog.=) '已修复'
       AND credit.origin_of(NEW.repair_id) OPERATOR(pg_catalog.<>) own THEN
        INSERT INTO credit.exchange_ack AS a (platform, repair_id) VALUES (own, NEW.repair_id)
        ON CONFLICT ON CONSTRAINT exchange_ack_pkey DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.repair_acknowledge() IS '触发器: 确认收到修复结果 (trigger, enabled always: a repair of another platform (by the range of its id) that arrives or becomes 已修复 is acknowledged by this platform in credit.exchange_ack; nothing for this platform''s own repairs or ids of no known range)';
CREATE TRIGGER repair_acknowledge AFTER INSERT OR UPDATE ON credit.repair
    FOR EACH ROW WHEN (NEW.state = '已修复') EXECUTE FUNCTION credit.repair_acknowledge();
ALTER TABLE credit.repair ENABLE ALWAYS TRIGGER repair_acknowledge;

-- On the repair's platform: an acknowledgement arrives.
CREATE FUNCTION credit.exchange_ack_arrived() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.sync_event s
       SET acknowledged_at = NEW.acknowledged_at, acknowledged_by = session_user::pg_catalog.regrole
      FROM credit.sync_target t
     WHERE s.repair_id OPERATOR(pg_catalog.=) NEW.repair_id AND s.target OPERATOR(pg_catalog.=) NEW.platform
       AND t.target OPERATOR(pg_catalog.=) s.target AND t.kind OPERATOR(pg_catalog.=) '上级平台'
       AND s.acknowledged_at IS NULL;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.exchange_ack_arrived() IS '触发器: 回执到达 (trigger, enabled always: an acknowledgement acknowledges the pending sync event of its repair for the upper platform (sync target of kind 上级平台) of the acknowledging platform''s code, at the time it was received there, by the applying role)';
CREATE TRIGGER exchange_ack_arrived AFTER INSERT ON credit.exchange_ack
    FOR EACH ROW EXECUTE FUNCTION credit.exchange_ack_arrived();
ALTER TABLE credit.exchange_ack ENABLE ALWAYS TRIGGER exchange_ack_arrived;

-- What was sent to upper platforms and not yet acknowledged.
CREATE VIEW credit.exchange_pending WITH (security_invoker = true) AS
SELECT s.target AS peer, 'repair'::text AS object, s.repair_id AS object_id, s.sync_id,
       s.queued_at AS sent_at, pg_catalog.now() OPERATOR(pg_catalog.-) s.queued_at AS age
  FROM credit.sync_event s
  JOIN credit.sync_target t ON t.target OPERATOR(pg_catalog.=) s.target
 WHERE t.kind OPERATOR(pg_catalog.=) '上级平台' AND s.acknowledged_at IS NULL;
COMMENT ON VIEW credit.exchange_pending IS '待确认交换 (what was sent to each upper platform and not yet acknowledged through the exchange: the repair results of credit.sync_event, with their age; security_invoker: the centre reads them)';
COMMENT ON COLUMN credit.exchange_pending.peer IS '对象平台 (the upper platform: the sync target''s code, a platform code)';
COMMENT ON COLUMN credit.exchange_pending.object IS '对象类别 (what was sent: repair)';
COMMENT ON COLUMN credit.exchange_pending.object_id IS '对象编号 (the repair''s id)';
COMMENT ON COLUMN credit.exchange_pending.sync_id IS '同步事件 (the sync event waiting)';
COMMENT ON COLUMN credit.exchange_pending.sent_at IS '发送时间 (queued at, when the repair became 已修复)';
COMMENT ON COLUMN credit.exchange_pending.age IS '等待时长 (how long it has waited)';

SELECT pg_catalog.pg_extension_config_dump('credit.exchange_ack', '');
ALTER TABLE credit.exchange_ack ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.exchange_ack FORCE ROW LEVEL SECURITY;
CREATE POLICY exchange_ack_centre ON credit.exchange_ack FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY exchange_ack_centre ON credit.exchange_ack IS '信用中心 (the centre reads the acknowledgements received and sent)';
REVOKE EXECUTE ON FUNCTION credit.repair_acknowledge() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.exchange_ack_arrived() FROM PUBLIC;
GRANT SELECT ON credit.exchange_ack, credit.exchange_pending TO credit_centre_parties;

CREATE OR REPLACE FUNCTION credit.chain_table_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS chain_log ON credit.%I', OLD.table_name);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF pg_catalog.to_regclass(pg_catalog.format('credit.%I', NEW.table_name)) IS NULL THEN
            RAISE EXCEPTION 'table credit.% does not exist', NEW.table_name
                USING ERRCODE = 'undefined_table',
                      HINT = 'credit.chain_table names tables of schema credit.';
        END IF;
        EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER chain_log AFTER INSERT OR UPDATE OR DELETE ON credit.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION credit.chain_log_change()', NEW.table_name);
        -- enabled always: it fires in the logical replication workers too,
        -- and chains the rows another platform sends (chain.c)
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ALWAYS TRIGGER chain_log', NEW.table_name);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER chain_log ON credit.%I IS %L', NEW.table_name,
                                  '记入变更日志 (each change is chained in credit.change_log)');
        -- a restored table comes back with its entries
        IF NOT credit.restoring('credit.chain_table') THEN
            PERFORM credit.chain_snapshot(NEW.table_name, 'chained');
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION credit.chain_table_changed() IS '触发器: 链式表变更 (trigger: a table added to credit.chain_table gets the change log trigger, enabled always so that rows applied by logical replication are chained on arrival, and a snapshot of its rows; a table removed loses the trigger)';
COMMENT ON FUNCTION credit.chain_log_change() IS '触发器: 记入变更日志 (trigger on each chained table, enabled always: the change''s key and row digest, appended to credit.change_log at commit; in session_replication_role replica only the logical replication workers'' changes, noted replicated)';
DO $always$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT c.table_name FROM credit.chain_table c ORDER BY 1 LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ALWAYS TRIGGER chain_log', t);
    END LOOP;
END
$always$;

-- ==================================================================
-- Issue 17: a commitment's events travel with it (70_exchange.sql): the
-- scope 承诺:<disclosure> on the events of the commitment machine, the
-- events' row filter lets them through by the commitment's disclosure.
-- A platform's publications are rebuilt by credit.create_publication(peer).
-- ==================================================================
CREATE OR REPLACE FUNCTION credit.exchange_commitment_disclosures(p credit.exchange_peer) RETURNS text[]
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN ARRAY(SELECT d FROM (SELECT '可向社会公开' AS d WHERE '公开' OPERATOR(pg_catalog.=) ANY (p.disclosures)
                                UNION ALL
                                SELECT '特定范围内公开' WHERE p.disclosures OPERATOR(pg_catalog.&&) '{授权查询,部门共享}'::text[]) x
                  ORDER BY d);
COMMENT ON FUNCTION credit.exchange_commitment_disclosures(credit.exchange_peer) IS '可接收承诺公开类别 (the commitment disclosures a peer may receive: 可向社会公开 to a peer of 公开, 特定范围内公开 to a peer of 授权查询 or 部门共享, 不可公开 never)';
CREATE OR REPLACE FUNCTION credit.exchange_level_filter(p credit.exchange_peer) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN CASE
        WHEN p.items IS NULL THEN
            pg_catalog.format('(split_part(exchange_scope, '':'', 1) = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(p.disclosures) d))
        ELSE
            -- the allowed items of each allowed level, and list entries (no item)
            pg_catalog.format('(exchange_scope = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(k), ', ' ORDER BY k)
                                 FROM (SELECT d OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) coalesce(i, '') AS k
                                         FROM pg_catalog.unnest(p.disclosures) d
                                        CROSS JOIN (SELECT pg_catalog.unnest(p.items) AS i UNION ALL SELECT NULL) x) keys))
    END;
COMMENT ON FUNCTION credit.exchange_level_filter(credit.exchange_peer) IS '交换范围过滤 (the row filter on exchange_scope for a peer: its disclosure levels, and its items when it has a list)';
CREATE OR REPLACE FUNCTION credit.exchange_filter(p credit.exchange_peer, tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN CASE
        WHEN tab OPERATOR(pg_catalog.=) 'credit.subject'::pg_catalog.regclass THEN
            CASE WHEN p.disclosures OPERATOR(pg_catalog.<@) '{公开}'::text[] THEN '(exchange_scope = ''组织:'')'
                 ELSE '(exchange_scope = ANY (ARRAY[''组织:'', ''个人:'']))' END
        WHEN tab OPERATOR(pg_catalog.=) 'credit.commitment'::pg_catalog.regclass THEN
            pg_catalog.format('(disclosure = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(credit.exchange_commitment_disclosures(p)) d))
        WHEN tab OPERATOR(pg_catalog.=) 'credit.catalogue_item'::pg_catalog.regclass THEN
            CASE WHEN p.items IS NULL THEN NULL
                 ELSE pg_catalog.format('(item_code = ANY (ARRAY[%s]::text[]))',
                                        (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(i), ', ' ORDER BY i)
                                           FROM pg_catalog.unnest(p.items) i)) END
        WHEN tab OPERATOR(pg_catalog.=) 'credit.workflow_event'::pg_catalog.regclass THEN
            -- and the events of the commitments the peer receives (scope
            -- 承诺:<disclosure>)
            pg_catalog.format('(%s OR (exchange_scope = ANY (ARRAY[%s]::text[])))', credit.exchange_level_filter(p),
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal('承诺:' OPERATOR(pg_catalog.||) d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(credit.exchange_commitment_disclosures(p)) d))
        ELSE credit.exchange_level_filter(p)
    END;
COMMENT ON FUNCTION credit.exchange_filter(credit.exchange_peer, regclass) IS '交换行过滤 (the row filter of a table in a peer''s publication: by exchange_scope, the peer''s disclosure levels and items; natural persons only to a peer that receives more than 公开; commitments and their events by the commitment''s disclosure; NULL: every row)';
CREATE OR REPLACE FUNCTION credit.exchange_scope() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'record' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) NEW.item_code;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'list_entry' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':';
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'subject' THEN
        NEW.exchange_scope := CASE WHEN NEW.kind::text OPERATOR(pg_catalog.=) '自然人' THEN '个人:' ELSE '组织:' END;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'workflow_event' THEN
        -- an event of a commitment: its commitment's own disclosure (the
        -- guard copies no scope, a commitment has none)
        NEW.exchange_scope := coalesce((SELECT '承诺:' OPERATOR(pg_catalog.||) c.disclosure FROM credit.commitment c
                                         WHERE c.commitment_id OPERATOR(pg_catalog.=) NEW.object_id), '本地');
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT r.exchange_scope FROM credit.record r
                                         WHERE r.record_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id')::bigint), '本地');
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT e.exchange_scope FROM credit.list_entry e
                                         WHERE e.entry_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id')::bigint), '本地');
    ELSE
        NEW.exchange_scope := '本地';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.exchange_scope() IS '触发器: 交换范围 (trigger: sets exchange_scope on insert, the plain column the publications filter on: <disclosure>:<item> for a record and its objections and repairs, <disclosure>: for a list entry, 组织: or 个人: for a subject, 承诺:<disclosure> for an event of a commitment, 本地 for what never travels)';
-- A commitment's events travel with it: the scope 承诺:<disclosure> (the
-- guard copies the scope of scoped objects only).
CREATE TRIGGER workflow_event_exchange_scope BEFORE INSERT ON credit.workflow_event
    FOR EACH ROW WHEN (NEW.machine = 'commitment' AND NOT credit.restoring('credit.workflow_event'))
    EXECUTE FUNCTION credit.exchange_scope();

-- ==================================================================
-- Issue 15: the check's speed.  The check matches the subject's triggers
-- (credit.check_triggers, 67_check_hits.sql, in place of the one query
-- credit.check_hit_rows) to the matter's rules in force, kept for the
-- session (check_rules.c, a table cache of credit.matter,
-- credit.measure_rule and credit.measure: their statement triggers,
-- 60_measures.sql).
-- ==================================================================
DROP FUNCTION credit.check_hit_rows(bigint, text);
CREATE FUNCTION credit.check_triggers(subject_id bigint)
    RETURNS TABLE (kind text, id bigint, value text, serious boolean, colour text)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
    WITH today AS (SELECT credit.legal_date() AS d)
    SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
           rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
      FROM credit.record rec
      JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
      CROSS JOIN today
     WHERE rec.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id
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
     WHERE e.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id
       AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
       AND e.listed_on OPERATOR(pg_catalog.<=) today.d
       AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
    UNION ALL
    SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
      FROM credit.commitment cm
     WHERE cm.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id AND cm.broken_at IS NOT NULL
       AND cm.state OPERATOR(pg_catalog.<>) '已修复'
    UNION ALL
    SELECT '评价等级', g.result_id, g.grade, NULL, NULL
      FROM credit.current_grades(check_triggers.subject_id) g
     WHERE g.valid;
END;
COMMENT ON FUNCTION credit.check_triggers(bigint) IS '核查触发项 (what of a subject may call for a measure today, as the caller''s row security shows it: kind 失信记录/守信记录 (a record in force, not repaired, inside its period), 名单 (an entry 列入中 inside its term, with its kind''s serious and colour), 违诺 (a broken commitment not repaired), 评价等级 (the current valid published grade); id, value (item, list kind, commitment kind or grade); credit.check_hits matches them to the matter''s rules)';
CREATE FUNCTION credit.measure_rules_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.measure_rules_changed() IS '触发器: 事项、规则或措施变更 (trigger: tells every session to drop its cached rules of the matters)';
CREATE TRIGGER matter_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.matter
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();
CREATE TRIGGER measure_rule_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.measure_rule
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();
CREATE TRIGGER measure_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.measure
    FOR EACH STATEMENT EXECUTE FUNCTION credit.measure_rules_changed();
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
