-- The install script, part 63: layer 6, 信用评价 (evaluation grades,
-- 公共信用综合评价 and 分级分类监管): schemes and their indicators as data,
-- the set-based run that grades every subject of a scheme on a date, the
-- results with their explanation, the grade machine (待告知 → 已告知 →
-- 已公布: the subject is told before a negative grade is published), and
-- the import of a foreign scheme's results (纳税信用, sector grades), which
-- are never recomputed.  Objections to a grade: 52_objection.sql (target
-- result_id); a grade as a trigger of the joint measures: 60_measures.sql
-- (credit.check_hits).  docs/evaluation.md; row security:
-- 90_row_security.sql; privileges: 91_privileges.sql; backup:
-- 95_backup.sql.

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
-- No SET clause: a SQL-standard body (BEGIN ATOMIC) is resolved when the
-- function is created, so the search path at call time changes nothing,
-- and without a SET the planner inlines the function into the query that
-- calls it (credit.check_hits: the grade is read in its cached plan, not
-- planned again on every check).
CREATE FUNCTION credit.current_grades(subject_id bigint, scheme text DEFAULT NULL)
    RETURNS TABLE (result_id bigint, scheme text, grade text, as_of date, valid_until date, valid boolean,
                   negative boolean, published_on date)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
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
