-- The install script, part 62: layer 6, credit reports (信用报告): the
-- standard report (标准版, the sections of the national 公共信用信息报告
-- in their order) and the 专项信用报告 (专项版, in place of 无违法违规记录证明,
-- 发改财金〔2025〕565号) for a period and domains.  A report is a snapshot of
-- what the CALLER may see about the subject (read through the caller's own
-- row security, as credit.check in 60_measures.sql), kept as an append-only
-- row with the SHA-256 of its canonical form; anyone can verify a printed
-- report by its number and hash; it renders as a printable XHTML document.
-- docs/reports.md; row security: 90_row_security.sql; privileges:
-- 91_privileges.sql; backup: 95_backup.sql.

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
-- 已查询 (read) or 无权查询 (the caller may not read the source).
-- Caller's rights: each reads what the caller's row
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

-- 信用评价: the subject's current grades (credit.current_grades), as the
-- caller's row security on credit.eval_result shows them: per scheme the
-- newest published grade valid on the as-of date (a department: 公开 and
-- 部门共享 schemes; the public and a bank: 公开 schemes, organisations
-- only).  A grade not yet published (待告知, 已告知) is in no report but the
-- subject's own (the portal acting for it): there, a grade it was told of
-- and has not seen published is shown too, marked 已告知 with the end of
-- its notice period (docs/reports.md), when it is newer than the published
-- one of its scheme.  A grade past its validity is in no report.
CREATE FUNCTION credit.report_section_evaluation(subject_id bigint, as_of date) RETURNS jsonb
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
    free             boolean,
    CHECK (period_from IS NULL OR period_from <= period_to),
    CONSTRAINT report_issue_free_own CHECK (free IS NULL OR acting_for)
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
COMMENT ON COLUMN credit.report_issue.free IS '免费 (a subject''s own report: true for the first two it asks for in a legal calendar year (河南 §40, 上海 §34: two free reports a year), false after; NULL for other requesters)';
COMMENT ON CONSTRAINT report_issue_free_own ON credit.report_issue IS '免费报告只属于主体本人 (only a subject''s own report, through the portal acting for it, is counted free or not)';

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

