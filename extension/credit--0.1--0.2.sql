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
                           '承诺类型', c.kind, '承诺内容', c.content, '承诺日期', credit.legal_date(c.made_at),
                           '公开范围', c.disclosure, '履行情况', c.performance, '违诺情况', c.broken_reason)
                       ORDER BY c.made_at DESC, c.commitment_id), '[]'::jsonb))
              FROM credit.commitment c
             WHERE c.subject_id = report_section_commitments.subject_id
               AND credit.legal_date(c.made_at) <= report_section_commitments.as_of
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
            'credit.measure, credit.matter, credit.measure_rule, credit.report_item',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry',
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
        'INSERT, UPDATE, DELETE ON credit.measure, credit.matter, credit.measure_rule, credit.report_item',
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

-- backup (95_backup.sql): the new identity sequence is dumped
SELECT pg_catalog.pg_extension_config_dump('credit.report_issue_report_id_seq', '');
