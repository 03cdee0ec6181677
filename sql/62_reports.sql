-- 信用报告: the standard report and the 专项 report, as each party sees the
-- subject (the centre, a department, the portal acting for a company and
-- for a person, a bank with and without an opened authorisation, a role of
-- no party); refusals; repaired, expired, withdrawn and corrected records
-- absent; the canonical form and its hash; verification by anyone; a
-- correction after issue; the printable XHTML document, parsed, with a
-- hostile name.  pgTAP.  Today is Tuesday 2026-09-29 (令第36号 in force).
\i sql/include/tap_setup.sql

SET credit.legal_date = '2026-09-29';
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('R.XK', '行政许可信息', '行政许可', '中性', '公开', 1),
    ('R.CF', '行政处罚信息', '行政处罚', '失信', '公开', 1),
    ('R.QZ', '行政强制信息', '其他', '失信', '公开', 1),
    ('R.YC', '经营异常名录信息', '经营异常名录', '失信', '公开', 1),
    ('R.BZ', '表彰奖励信息', '其他', '守信', '公开', 1),
    ('R.XS', '刑事判决信息', '司法', '失信', '公开', 3),
    ('R.SQ', '欠缴税款信息', '其他', '失信', '授权查询', 2),
    ('R.GX', '税务非正常户信息', '其他', '失信', '部门共享', 2),
    ('R.CF3', '短期公示的行政处罚信息', '行政处罚', '失信', '公开', 1);
-- an item of its own with a 3-month period, for a record whose period ends
-- between two sweeps (still 公示中, its end passed)
INSERT INTO credit.catalogue_period (item_code, severity, min_months, max_months, rule_set) VALUES ('R.CF3', '一般', 1, 3, '令第36号');
-- the centre marks the local items of 行政强制 and 刑事裁判
SET ROLE regress_centre;
INSERT INTO credit.report_item VALUES ('R.QZ', '行政强制'), ('R.XS', '刑事裁判');
RESET ROLE;
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious, legal_basis) VALUES
    ('R_YZSX', '严重违法失信名单(测试)', '黑', 36, '公开', 1, true, '市场监管总局令第44号'),
    ('R_HONG', '守信激励名单(测试)', '红', 24, '公开', 1, false, '测试依据');

-- Company A (甲), as the departments submit its records
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount,
                           authority_name, licence_doc_name, licence_category, licence_name, licence_no, valid_from)
SELECT v.item, '企业法人', '报告测试甲有限公司', credit.uscc_complete('91330702MA2R00011'), v.severity::credit.severity,
       v.no, v.day::date,
       CASE WHEN v.item <> 'R.XK' THEN '违法行为' END, CASE WHEN v.item <> 'R.XK' THEN '事实' END,
       CASE WHEN v.item <> 'R.XK' THEN '依据' END, CASE WHEN v.item <> 'R.XK' THEN '罚款' END,
       CASE WHEN v.item <> 'R.XK' THEN v.content END, CASE WHEN v.item = 'R.CF' THEN 1.5 END,
       '金华市市场监督管理局',
       CASE WHEN v.item = 'R.XK' THEN '食品经营许可决定书' END, CASE WHEN v.item = 'R.XK' THEN '普通' END,
       CASE WHEN v.item = 'R.XK' THEN '食品经营许可证' END, CASE WHEN v.item = 'R.XK' THEN 'JY1330702000001' END,
       CASE WHEN v.item = 'R.XK' THEN v.day::date END
  FROM (VALUES ('R.XK', NULL, 'A-许可', '2026-03-01', NULL),
               ('R.CF', '一般', 'A-罚1', '2026-09-19', '罚款一万五千元'),
               ('R.CF', '一般', 'A-罚2', '2026-06-01', '罚款一万元'),
               ('R.CF', '轻微', 'A-简易', '2026-09-20', '警告 (简易程序)'),
               ('R.CF', '一般', 'A-已修复', '2026-05-10', '罚款三千元'),
               ('R.CF', '一般', 'A-已到期', '2020-01-10', '罚款两千元'),
               ('R.CF', '一般', 'A-已撤回', '2026-07-01', '罚款一千元'),
               ('R.QZ', '一般', 'A-强制', '2026-08-01', '查封场所'),
               ('R.YC', '一般', 'A-异常', '2026-08-15', '列入经营异常名录'),
               ('R.BZ', NULL, 'A-表彰', '2026-02-01', '市级守合同重信用企业')) AS v(item, severity, no, day, content);
RESET ROLE;
-- decided 2026-05-01, submitted 2026-05-10: its publicity ended 2026-08-01,
-- and no sweep has moved it since
SET credit.legal_date = '2026-05-10';
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('R.CF3', '企业法人', '报告测试甲有限公司', credit.uscc_complete('91330702MA2R00011'), '一般', 'A-期满未清', '2026-05-01',
        '违法行为', '事实', '依据', '罚款', '罚款八百元', '金华市市场监督管理局');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
SET ROLE regress_fy;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('R.XS', '企业法人', '报告测试甲有限公司', credit.uscc_complete('91330702MA2R00011'), '严重', 'A-刑事', '2026-04-01');
RESET ROLE;
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('R.SQ', '企业法人', '报告测试甲有限公司', credit.uscc_complete('91330702MA2R00011'), '一般', 'A-欠税', '2026-09-01'),
       ('R.GX', '企业法人', '报告测试甲有限公司', credit.uscc_complete('91330702MA2R00011'), '一般', 'A-非正常户', '2026-09-02');
-- a natural person, 张三: a 授权查询 record
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, severity, decision_no, decision_date)
VALUES ('R.SQ', '自然人', '张三', '440524188001010014', '一般', 'P-欠税', '2026-09-01');
RESET ROLE;
SET ROLE regress_scjg;
SELECT credit.withdraw_record((SELECT record_id FROM credit.record WHERE decision_no = 'A-已撤回'), '决定撤销');
RESET ROLE;
SELECT subject_id AS a FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2R00011') \gset
SELECT subject_id AS p FROM credit.subject WHERE resident_id = '440524188001010014' \gset
INSERT INTO credit.subject (kind, uscc, name) VALUES
    ('企业法人', credit.uscc_complete('91330702MA2R00021'), '报告测试乙有限公司'),
    ('企业法人', credit.uscc_complete('91330702MA2R00031'), '<script>alert("x")</script>&amp; 丙''"公司</td></tr>');
SELECT subject_id AS b FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2R00021') \gset
SELECT subject_id AS h FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2R00031') \gset
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES
    ('R_YZSX', :a, '严重违法失信', '2026-07-01'),
    ('R_HONG', :a, '守信激励', '2026-02-01'),
    ('R_YZSX', :a, '严重违法失信(已到期)', '2022-01-01');
RESET ROLE;
-- A-已修复 repaired (put in place with the triggers off), and a commitment
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复' WHERE decision_no = 'A-已修复';
SET session_replication_role = origin;
-- (made on the legal date of their insert: credit.commitment's trigger sets it)
SET credit.legal_date = '2026-09-01';
INSERT INTO credit.commitment (subject_id, kind, content, disclosure, liability, check_exempt) VALUES
    (:a, '主动型', '依法诚信经营', '可向社会公开', '违诺的, 依法承担相应责任', true);
SET credit.legal_date = '2026-09-02';
INSERT INTO credit.commitment (subject_id, kind, content, disclosure, liability, check_exempt) VALUES
    (:a, '其他', '不公开的承诺', '不可公开', '违诺的, 依法承担相应责任', true);
-- A's grades (信用评价): the shipped 公共信用综合评价 (部门共享) graded on
-- 2026-03-01 (B, published: nothing negative counted then) and on
-- 2026-09-01 (D, the serious list caps it: told on Tuesday 2026-09-15, its
-- notice period of 5 working days to Monday 2026-09-21, Sunday 2026-09-20
-- being a working day (国务院办公厅关于2026年部分节假日安排的通知), not
-- published); a 公开
-- sector scheme's imported A; a 纳税信用 grade past its validity (to
-- 2026-08-31).  B and the hostile company are graded B.
SET credit.legal_date = '2026-09-15';
SET ROLE regress_centre;
INSERT INTO credit.eval_scheme (scheme, issuer, foreign_scheme, disclosure, basis, version, valid_from, source)
VALUES ('测试行业评价', '金华市市场监督管理局', true, '公开', '测试依据', '2026', '2026-01-01', '测试');
SELECT credit.eval_run('公共信用综合评价', '2026-03-01') IS NOT NULL AS graded_march;
SELECT credit.eval_run('公共信用综合评价', '2026-09-01') IS NOT NULL AS graded_september;
SELECT credit.transition('eval_result', (SELECT result_id FROM credit.eval_result WHERE subject_id = :a AND as_of = '2026-09-01'), '已告知');
SELECT credit.eval_import('测试行业评价', '2026-07-01', format('[{"subject_id": "%s", "grade": "A"}]', :a)::jsonb,
                          '测试行业 2026 年度评价结果') IS NOT NULL AS imported_sector;
SELECT credit.eval_import('纳税信用', '2025-09-01', format('[{"subject_id": "%s", "grade": "B", "valid_until": "2026-08-31"}]', :a)::jsonb,
                          '2024 年度纳税信用评价结果') IS NOT NULL AS imported_tax;
RESET ROLE;
SET credit.legal_date = '2026-09-29';

-- authorisations: A and 张三 authorise the bank, through the portal
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:a, 'regress_bank', '贷款审批', '授权书 R-1', now() + interval '30 days');
COMMIT;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:p);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:p, 'regress_bank', '信用卡审批', '授权书 R-2', now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS auth_a FROM credit.authorisation WHERE subject_id = :a \gset
SELECT authorisation_id AS auth_p FROM credit.authorisation WHERE subject_id = :p \gset

-- What a report holds: its sections' names in order, and a section's
-- entries as their decision numbers (records) or reasons (list entries),
-- sorted.
CREATE FUNCTION public.rp_titles(c jsonb) RETURNS text[] LANGUAGE sql
    RETURN (SELECT array_agg(s ->> '名称' ORDER BY n) FROM jsonb_array_elements(c -> '章节') WITH ORDINALITY AS x(s, n));
CREATE FUNCTION public.rp(c jsonb, title text) RETURNS text[] LANGUAGE sql
    RETURN (SELECT coalesce(array_agg(CASE r ->> '来源' WHEN '名单条目' THEN r ->> '内容' ELSE r ->> '文书号/依据' END
                                      ORDER BY CASE r ->> '来源' WHEN '名单条目' THEN r ->> '内容' ELSE r ->> '文书号/依据' END COLLATE "C"), '{}')
              FROM jsonb_array_elements(c -> '章节') s, jsonb_array_elements(s -> '记录') r
             WHERE s ->> '名称' = title);
CREATE FUNCTION public.rp_section(c jsonb, title text) RETURNS jsonb LANGUAGE sql
    RETURN (SELECT s FROM jsonb_array_elements(c -> '章节') s WHERE s ->> '名称' = title);
-- a report's grades as scheme:grade, in the report's order
CREATE FUNCTION public.rp_grades(c jsonb) RETURNS text[] LANGUAGE sql
    RETURN (SELECT coalesce(array_agg((r ->> '评价名称') || ':' || (r ->> '评价结果') ORDER BY n), '{}')
              FROM jsonb_array_elements(c -> '章节') s, jsonb_array_elements(s -> '记录') WITH ORDINALITY AS x(r, n)
             WHERE s ->> '名称' = '信用评价');
CREATE TABLE public.rp_issued (who text PRIMARY KEY, content jsonb);
GRANT SELECT, INSERT ON public.rp_issued TO PUBLIC;

SELECT plan(113);

-- ------------------------------------------------------------------
-- The canonical form and its hash (docs/reports.md): literal values,
-- computed outside (Python: json.dumps(v, sort_keys=True,
-- ensure_ascii=False, separators=(',', ':')) and sha256 of its UTF-8)
-- ------------------------------------------------------------------
SELECT is(credit.report_canonical('{"b":1,"a":[1,"x\n",{"bb":null,"c":true}],"中":"é"}'),
          '{"a":[1,"x\n",{"bb":null,"c":true}],"b":1,"中":"é"}',
          'canonical form: keys by code point, no white space, strings escaped, array order kept');
SELECT is(credit.report_canonical('{"ab":1,"b":2,"a":{"z":"\u0001","y":[]}}'),
          '{"a":{"y":[],"z":"\u0001"},"ab":1,"b":2}',
          'canonical form: a shorter key is not first by length (not jsonb''s order), control characters as \u00XX');
SELECT is(credit.report_sha256('{"b":1,"a":[1,"x\n",{"bb":null,"c":true}],"中":"é"}'),
          '7bf310731383de7ee9ccffd29caeb1b86466f88abb05a2a2acee9478cb350eb3',
          'the hash: SHA-256 of the UTF-8 canonical form, lower-case hex');

-- ------------------------------------------------------------------
-- The centre: the standard report on A, every section in order
-- ------------------------------------------------------------------
SET ROLE regress_centre;
INSERT INTO public.rp_issued SELECT 'centre', credit.report(:a);
RESET ROLE;
SELECT content AS c_centre FROM public.rp_issued WHERE who = 'centre' \gset
SELECT is(public.rp_titles(:'c_centre'),
          ARRAY['基本信息', '概要', '行政管理', '诚实守信', '严重失信', '经营异常', '信用承诺', '信用评价', '司法', '其他'],
          'the standard report''s sections in the national order');
SELECT is(public.rp(:'c_centre', '行政管理'), ARRAY['A-强制', 'A-罚1', 'A-罚2', 'A-许可'],
          '行政管理: the licence, the penalties in force and the 行政强制; not the 简易程序 penalty (不公示), the repaired, the expired (swept or not) or the withdrawn one');
SELECT is(public.rp(:'c_centre', '诚实守信'), ARRAY['A-表彰', '守信激励'], '诚实守信: the 守信 record and the red list entry');
SELECT is(public.rp(:'c_centre', '严重失信'), ARRAY['严重违法失信'], '严重失信: the serious list entry in its term, not the expired one');
SELECT is(public.rp(:'c_centre', '经营异常'), ARRAY['A-异常'], '经营异常: the 经营异常名录 record');
SELECT is(public.rp(:'c_centre', '司法'), ARRAY['A-刑事'], '司法: the judgment');
SELECT is(public.rp(:'c_centre', '其他'), ARRAY['A-欠税', 'A-非正常户'], '其他: the centre reads the 授权查询 and 部门共享 records');
SELECT is((SELECT array_agg(r ->> '承诺内容') FROM jsonb_array_elements(public.rp_section(:'c_centre', '信用承诺') -> '记录') r),
          ARRAY['依法诚信经营'], '信用承诺: the public commitment; a 不可公开 one not in a report for another than the subject');
SELECT is(public.rp_grades(:'c_centre'), ARRAY['公共信用综合评价:B', '测试行业评价:A'],
          '信用评价: per scheme the current published grade; not the newer D in its notice (told, not published), not the 纳税信用 grade past its validity');
SELECT is((SELECT r - '编号' FROM jsonb_array_elements(public.rp_section(:'c_centre', '信用评价') -> '记录') r WHERE r ->> '评价名称' = '公共信用综合评价'),
          '{"来源": "信用评价", "评价名称": "公共信用综合评价", "评价结果": "B", "等级含义": "信用良好", "评价日期": "2026-03-01",
            "有效期至": "2027-02-28", "评价机构": "国家发展和改革委员会 (全国统一规则; 地方信用中心实施)", "状态": "已公布"}'::jsonb,
          '信用评价: a grade''s row: scheme, grade and its meaning, date graded, valid until (12 months), issuer, published');
SELECT is(public.rp_section(:'c_centre', '信用评价') -> '字段', '["评价名称", "评价结果", "等级含义", "评价日期", "有效期至", "评价机构", "状态"]'::jsonb,
          '信用评价: its columns');
SELECT is((SELECT jsonb_agg(r) FROM jsonb_array_elements(public.rp_section(:'c_centre', '概要') -> '记录') r),
          '[{"栏目": "行政管理", "条数": 4, "状态": "已查询"}, {"栏目": "诚实守信", "条数": 2, "状态": "已查询"},
            {"栏目": "严重失信", "条数": 1, "状态": "已查询"}, {"栏目": "经营异常", "条数": 1, "状态": "已查询"},
            {"栏目": "信用承诺", "条数": 1, "状态": "已查询"}, {"栏目": "信用评价", "条数": 2, "状态": "已查询"},
            {"栏目": "司法", "条数": 1, "状态": "已查询"}, {"栏目": "其他", "条数": 2, "状态": "已查询"}]'::jsonb,
          '概要: the count of every section after it');
SELECT is(public.rp_section(:'c_centre', '基本信息') -> '记录',
          format('[{"项目": "名称", "内容": "报告测试甲有限公司"}, {"项目": "统一社会信用代码", "内容": "%s"},
                   {"项目": "主体类别", "内容": "企业法人"}, {"项目": "法定代表人", "内容": null}]',
                 credit.uscc_complete('91330702MA2R00011'))::jsonb,
          '基本信息: name, code, kind, legal representative');
SELECT is((SELECT r FROM jsonb_array_elements(public.rp_section(:'c_centre', '行政管理') -> '记录') r WHERE r ->> '文书号/依据' = 'A-罚1') - '编号',
          '{"来源": "信用记录", "类别": "行政处罚信息", "文书号/依据": "A-罚1", "决定日期": "2026-09-19", "内容": "罚款一万五千元",
            "决定机关": "金华市市场监督管理局", "截止日期": "2027-09-19", "备注": "失信程度: 一般；罚款(万元): 1.500000"}'::jsonb,
          'a penalty''s row: item, number, date, content, authority, publicity end (12 months, 令第36号), severity and fine');
SELECT is(ARRAY[:'c_centre'::jsonb ->> '报告类型', :'c_centre'::jsonb ->> '格式', :'c_centre'::jsonb ->> '主体编号',
                :'c_centre'::jsonb #>> '{查询期间,止}', :'c_centre'::jsonb #>> '{出具对象,类别}', :'c_centre'::jsonb #>> '{出具对象,角色}'],
          ARRAY['标准版', '公共信用信息报告标准(2022年版)', :'a', '2026-09-29', '信用中心', 'regress_centre'],
          'the header: kind, format, subject, as-of date, requester');
SELECT matches(:'c_centre'::jsonb ->> '报告编号', '^XYBGB20260929[0-9]{8}$',
               'the number: XYBG, B for the standard report, the legal date, an 8-digit serial');
SELECT results_eq(format($$SELECT kind, subject_id, period_from, period_to, as_of, requested_by::text, party_kind::text,
                                  department_id, acting_for, authorisation_id, content = %L::jsonb, sha256 = credit.report_sha256(content)
                             FROM credit.report_issue WHERE report_no = %L$$, :'c_centre', :'c_centre'::jsonb ->> '报告编号'),
                  format($$VALUES ('标准版'::text, %s::bigint, NULL::date, date '2026-09-29', date '2026-09-29', 'regress_centre'::text,
                                   '信用中心'::text, NULL::integer, false, NULL::bigint, true, true)$$, :a),
                  'the issue row: kind, subject, period, as-of, requester, the content returned, its hash');

-- the centre is refused a natural person's report
SET ROLE regress_centre;
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :p)),
          '42501: a natural person''s credit report is issued only to the person or to a party they authorised |  | Issue it through the portal acting for the person (credit.act_for_subject), or as the grantee of the person''s authorisation after CALL credit.open_authorisation.',
          'the centre is refused a natural person''s report');
RESET ROLE;

-- ------------------------------------------------------------------
-- A department: its own records in every state are in its tables, not in
-- the report; another department's shared record is, its 授权查询 not
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no IN ('A-已修复', 'A-已到期', 'A-期满未清', 'A-已撤回', 'A-简易')), 5,
          'the department reads its own repaired, expired, withdrawn and unpublished records');
SELECT is((SELECT publicity_state || ' ' || to_char(publicity_end, 'YYYY-MM-DD') FROM credit.record WHERE decision_no = 'A-期满未清'), '公示中 2026-08-01',
          'a record whose period ended since the last sweep is still 公示中');
INSERT INTO public.rp_issued SELECT 'scjg', credit.report(:a);
RESET ROLE;
SELECT content AS c_scjg FROM public.rp_issued WHERE who = 'scjg' \gset
SELECT is(public.rp(:'c_scjg', '行政管理'), ARRAY['A-强制', 'A-罚1', 'A-罚2', 'A-许可'],
          'department: the report has none of them');
SELECT is(public.rp(:'c_scjg', '其他'), ARRAY['A-非正常户'], 'department: another department''s 部门共享 record, not its 授权查询 one');
SELECT is(ARRAY(SELECT c ->> '承诺内容' FROM jsonb_array_elements(public.rp_section(:'c_scjg', '信用承诺') -> '记录') c),
          ARRAY['依法诚信经营'], 'department: the 可向社会公开 commitment only, not the 不可公开 one another accepted');
SELECT is(public.rp_grades(:'c_scjg'), ARRAY['公共信用综合评价:B', '测试行业评价:A'],
          'department: the published grades of the 部门共享 and 公开 schemes, not the D in its notice');
SELECT is(ARRAY[:'c_scjg'::jsonb #>> '{出具对象,类别}', :'c_scjg'::jsonb #>> '{出具对象,部门}'], ARRAY['部门', '金华市市场监督管理局'],
          'department: the requester is the department');
SET ROLE regress_scjg;
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :p)),
          format('23503: subject %s is not a subject you can report on |  | A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.', :p),
          'department: a natural person it holds no authorisation of is refused as an unknown subject');
SELECT is(public.regress_error('SELECT credit.report(12345)'),
          '23503: subject 12345 is not a subject you can report on |  | A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.',
          'an id of no subject: the same refusal');
RESET ROLE;

-- ------------------------------------------------------------------
-- The portal acting for A: A's own 授权查询 record and its commitments,
-- not the shared record
-- ------------------------------------------------------------------
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
INSERT INTO public.rp_issued SELECT 'portal_a', credit.report(:a);
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :p)),
          format('23503: subject %s is not a subject you can report on |  | A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.', :p),
          'portal acting for A: 张三''s report is refused');
COMMIT;
SELECT content AS c_portal_a FROM public.rp_issued WHERE who = 'portal_a' \gset
SELECT is(public.rp(:'c_portal_a', '其他'), ARRAY['A-欠税'], 'portal acting for A: its 授权查询 record, not the 部门共享 one');
SELECT is(public.rp(:'c_portal_a', '行政管理'), ARRAY['A-强制', 'A-罚1', 'A-罚2', 'A-许可'], 'portal acting for A: the public records');
SELECT is((SELECT array_agg(r ->> '承诺内容' ORDER BY r ->> '承诺内容') FROM jsonb_array_elements(public.rp_section(:'c_portal_a', '信用承诺') -> '记录') r),
          ARRAY['不公开的承诺', '依法诚信经营'], 'portal acting for A: its commitments, the 不可公开 one too (its own report)');
SELECT is(public.rp_grades(:'c_portal_a'), ARRAY['公共信用综合评价:D', '公共信用综合评价:B', '测试行业评价:A'],
          'portal acting for A: its published grades, and the newer D it was told of, first (its own report)');
SELECT is((SELECT r ->> '状态' FROM jsonb_array_elements(public.rp_section(:'c_portal_a', '信用评价') -> '记录') r WHERE r ->> '评价结果' = 'D'),
          '已告知, 未公布 (告知期至 2026-09-21)', 'portal acting for A: the D marked told and unpublished, with the end of its notice period');
SELECT is((SELECT acting_for FROM credit.report_issue WHERE report_no = :'c_portal_a'::jsonb ->> '报告编号'), true,
          'portal acting for A: recorded as the subject''s own report');
-- the portal not acting for anyone: the public's view of an organisation
SET ROLE regress_portal;
INSERT INTO public.rp_issued SELECT 'portal', credit.report(:a);
RESET ROLE;
SELECT content AS c_portal FROM public.rp_issued WHERE who = 'portal' \gset
SELECT is(ARRAY[cardinality(public.rp(:'c_portal', '其他')), jsonb_array_length(public.rp_section(:'c_portal', '信用承诺') -> '记录')],
          ARRAY[0, 1], 'the portal not acting: no 授权查询 record, only the 可向社会公开 commitment');
SELECT is(public.rp_grades(:'c_portal'), ARRAY['测试行业评价:A'], 'the portal not acting: the grade of the 公开 scheme only');

-- ------------------------------------------------------------------
-- The portal acting for 张三: the person's own report, masked
-- ------------------------------------------------------------------
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:p);
INSERT INTO public.rp_issued SELECT 'portal_p', credit.report(:p);
COMMIT;
SELECT content AS c_portal_p FROM public.rp_issued WHERE who = 'portal_p' \gset
SELECT is(public.rp_section(:'c_portal_p', '基本信息') -> '记录',
          '[{"项目": "姓名", "内容": "张*"}, {"项目": "公民身份号码", "内容": "440524********0014"}, {"项目": "主体类别", "内容": "自然人"}]'::jsonb,
          'the person''s report: name and identity number masked, no legal representative');
SELECT is(public.rp(:'c_portal_p', '其他'), ARRAY['P-欠税'], 'the person''s report: their 授权查询 record');
SELECT is(:'c_portal_p'::jsonb ->> '主体名称', '张*', 'the person''s name masked in the header too');
SELECT is(public.rp_section(:'c_portal_p', '信用评价') - '序号' - '字段', '{"名称": "信用评价", "状态": "已查询", "记录": []}'::jsonb,
          'the person''s report: no grade (natural persons are not graded)');

-- ------------------------------------------------------------------
-- A bank: without an opened authorisation the public's view, and no
-- person; with one, the authorised rows, logged
-- ------------------------------------------------------------------
SET ROLE regress_bank;
INSERT INTO public.rp_issued SELECT 'bank', credit.report(:a);
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :p)),
          format('23503: subject %s is not a subject you can report on |  | A report is issued on a subject the requester sees: an organisation, or a natural person as the person (through the portal) or under their opened authorisation.', :p),
          'bank without an opened authorisation: 张三''s report is refused');
RESET ROLE;
SELECT content AS c_bank FROM public.rp_issued WHERE who = 'bank' \gset
SELECT is(public.rp(:'c_bank', '其他'), '{}'::text[], 'bank without an opened authorisation: no 授权查询 record');
SELECT is(public.rp_section(:'c_bank', '信用承诺') - '序号' - '字段', '{"名称": "信用承诺", "状态": "无权查询", "记录": []}'::jsonb,
          'bank: commitments marked 无权查询, the bank may not read them');
SELECT is(public.rp_grades(:'c_bank'), ARRAY['测试行业评价:A'], 'bank: the grade of the 公开 scheme only');
SELECT is((SELECT authorisation_id FROM credit.report_issue WHERE report_no = :'c_bank'::jsonb ->> '报告编号'), NULL::bigint,
          'bank without an opened authorisation: none recorded');
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_a);
INSERT INTO public.rp_issued SELECT 'bank_a', credit.report(:a);
RESET ROLE;
SELECT content AS c_bank_a FROM public.rp_issued WHERE who = 'bank_a' \gset
SELECT is(public.rp(:'c_bank_a', '其他'), ARRAY['A-欠税'], 'bank with A''s opened authorisation: A''s 授权查询 record');
SELECT is(public.rp_grades(:'c_bank_a'), ARRAY['测试行业评价:A'], 'bank with A''s opened authorisation: still only the 公开 scheme''s grade (an authorisation opens records, not grades)');
SELECT is((SELECT authorisation_id FROM credit.report_issue WHERE report_no = :'c_bank_a'::jsonb ->> '报告编号'), :auth_a::bigint,
          'bank: the authorisation recorded with the report');
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE authorisation_id = :auth_a), 2,
          'bank: the report is logged in the access log (after the opening)');
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_p);
INSERT INTO public.rp_issued SELECT 'bank_p', credit.report(:p);
RESET ROLE;
SELECT content AS c_bank_p FROM public.rp_issued WHERE who = 'bank_p' \gset
SELECT is(ARRAY[:'c_bank_p'::jsonb ->> '主体名称', array_to_string(public.rp(:'c_bank_p', '其他'), ',')], ARRAY['张*', 'P-欠税'],
          'bank with 张三''s opened authorisation: the person''s report, masked');
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE authorisation_id = :auth_p), 2,
          'bank: the person''s report is logged');
SELECT is((SELECT count(*)::integer FROM credit.report_issue WHERE subject_id = :p), 2,
          'the person''s reports: one by the portal for them, one by the bank; none by the centre');

-- who reads the issued reports
SET ROLE regress_bank;
SELECT is((SELECT array_agg(DISTINCT requested_by::text) FROM credit.report_issue), ARRAY['regress_bank'], 'a bank reads only its own reports');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.report_issue), 1, 'a department reads only its own report');
RESET ROLE;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
SELECT is((SELECT array_agg(requested_by::text ORDER BY report_id) FROM credit.report_issue WHERE subject_id = :a),
          ARRAY['regress_centre', 'regress_scjg', 'regress_portal', 'regress_portal', 'regress_bank', 'regress_bank'],
          'the subject, through the portal, reads every report issued on it: who asked');
COMMIT;
SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM credit.report_issue), 8, 'the centre reads every report');
RESET ROLE;

-- ------------------------------------------------------------------
-- A role of no party
-- ------------------------------------------------------------------
SET ROLE regress_nobody;
SELECT is(left(public.regress_error(format('SELECT credit.report(%s)', :a)), 5), '42501', 'a role of no party cannot reach credit');
RESET ROLE;
GRANT USAGE ON SCHEMA credit TO regress_nobody;
SET ROLE regress_nobody;
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :a)),
          '42501: permission denied for table report_issue |  | ',
          'a role of no party that reaches the schema is refused a report');
RESET ROLE;
SELECT is(public.regress_error(format('SELECT credit.report(%s)', :a)),
          '42501: only a registered party is issued a credit report |  | Ask as a role registered with one of the credit.register_*_role functions.',
          'the superuser, being no party, is issued no report');

-- ------------------------------------------------------------------
-- The 专项 report
-- ------------------------------------------------------------------
SET ROLE regress_centre;
INSERT INTO public.rp_issued SELECT 'special', credit.report(:a, '专项版');
INSERT INTO public.rp_issued SELECT 'special_sep', credit.report(:a, '专项', '2026-09-01');
INSERT INTO public.rp_issued SELECT 'special_fy', credit.report(:a, '专项版', NULL, ARRAY['FY']);
INSERT INTO public.rp_issued SELECT 'standard_fy', credit.report(:a, domains => ARRAY['FY', 'SWJ']);
RESET ROLE;
SELECT content AS c_special FROM public.rp_issued WHERE who = 'special' \gset
SELECT content AS c_special_sep FROM public.rp_issued WHERE who = 'special_sep' \gset
SELECT content AS c_special_fy FROM public.rp_issued WHERE who = 'special_fy' \gset
SELECT content AS c_standard_fy FROM public.rp_issued WHERE who = 'standard_fy' \gset
SELECT is(public.rp_titles(:'c_special'), ARRAY['基本信息', '概要', '行政处罚', '行政强制', '严重失信主体名单', '刑事裁判'],
          '专项: its sections');
SELECT is(public.rp(:'c_special', '行政处罚'), ARRAY['A-简易', 'A-罚1', 'A-罚2'],
          '专项: the penalties, the 简易程序 one not published included; not the repaired, expired (swept or not) or withdrawn');
SELECT is(public.rp(:'c_special', '行政强制'), ARRAY['A-强制'], '专项: administrative compulsion');
SELECT is(public.rp(:'c_special', '严重失信主体名单'), ARRAY['严重违法失信'], '专项: the serious list, in its term');
SELECT is(public.rp(:'c_special', '刑事裁判'), ARRAY['A-刑事'], '专项: the criminal judgment');
SELECT is(ARRAY[:'c_special'::jsonb ->> '报告类型', :'c_special'::jsonb #>> '{查询期间,起}', :'c_special'::jsonb ->> '格式'],
          ARRAY['专项版', '2023-09-29', '专项信用报告(发改财金〔2025〕565号)'],
          '专项: the period defaults to 3 years back');
SELECT matches(:'c_special'::jsonb ->> '报告编号', '^XYBGZ20260929[0-9]{8}$', '专项: Z in its number');
SELECT is(ARRAY[array_to_string(public.rp(:'c_special_sep', '行政处罚'), ','), array_to_string(public.rp(:'c_special_sep', '刑事裁判'), ','),
                :'c_special_sep'::jsonb ->> '报告类型'],
          ARRAY['A-简易,A-罚1', '', '专项版'],
          '专项 (given as 专项) from 2026-09-01: only the records decided in the period');
SELECT is(public.rp(:'c_special_sep', '严重失信主体名单'), ARRAY['严重违法失信'], '专项: an entry in force counts whenever it was listed');
SELECT is(ARRAY[cardinality(public.rp(:'c_special_fy', '行政处罚')), cardinality(public.rp(:'c_special_fy', '严重失信主体名单')),
                cardinality(public.rp(:'c_special_fy', '刑事裁判'))],
          ARRAY[0, 0, 1], '专项 for the domain FY: the court''s judgment only');
SELECT is(ARRAY[cardinality(public.rp(:'c_standard_fy', '行政管理')), cardinality(public.rp(:'c_standard_fy', '司法')),
                cardinality(public.rp(:'c_standard_fy', '其他'))],
          ARRAY[0, 1, 2], 'the standard report for the domains FY and SWJ');
-- ------------------------------------------------------------------
-- Bad input: clear errors, nothing issued
-- ------------------------------------------------------------------
SET ROLE regress_centre;
SELECT is(public.regress_error(format($$SELECT credit.report(%s, '简版')$$, :a)),
          '22023: unknown report kind |  | The kind is 标准版 or 专项版.', 'an unknown kind');
SELECT is(public.regress_error(format($$SELECT credit.report(%s, '标准版', '2026-09-30')$$, :a)),
          '22023: a report period cannot start after the as-of date 2026-09-29 |  | Give period_from on or before today, or NULL.',
          'a period starting tomorrow');
SELECT is(public.regress_error(format($$SELECT credit.report(%s, '专项版', NULL, ARRAY['SCJG', 'NOPE', 'X'])$$, :a)),
          '22023: unknown report domains: ''NOPE'', ''X'' |  | A domain is the code of a providing department in credit.department.',
          'unknown domains, every one named');
SELECT is(public.regress_error(format($$SELECT credit.report(%s, '专项版', NULL, '{}')$$, :a)),
          '22023: a report needs at least one domain |  | Give the codes of providing departments, or NULL for all domains.',
          'an empty list of domains');
SELECT is(public.regress_error('SELECT credit.report(NULL)'), '22004: a credit report needs a subject |  | ', 'no subject');
SELECT is(left(public.regress_error(format($$INSERT INTO credit.report_issue (subject_id, content, sha256) VALUES (%s, '{}', '%s')$$,
                                           :a, repeat('0', 64))), 5),
          '42501', 'a party cannot write a report''s content or hash');
SELECT is(left(public.regress_error('UPDATE credit.report_issue SET kind = kind'), 5), '42501', 'nor change a report');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM credit.report_issue), 12, 'nothing issued by the refusals');
SELECT is(public.regress_error('UPDATE credit.report_issue SET domains = NULL'),
          '2F003: table credit.report_issue is append-only |  | ', 'an issued report is never changed, not even by the owner');
SELECT is(left(public.regress_error('DELETE FROM credit.report_issue'), 5), '2F003', 'nor deleted');

-- ------------------------------------------------------------------
-- Verification by anyone
-- ------------------------------------------------------------------
CREATE TABLE public.rp_hash AS SELECT report_no, sha256 FROM credit.report_issue WHERE report_no = :'c_centre'::jsonb ->> '报告编号';
GRANT SELECT ON public.rp_hash TO PUBLIC;
SET ROLE regress_bank;
SELECT is(credit.verify_report(:'c_centre'::jsonb ->> '报告编号', (SELECT sha256 FROM public.rp_hash)), true,
          'a bank verifies the centre''s report by number and hash');
SELECT is(credit.verify_report(:'c_centre'::jsonb ->> '报告编号', upper((SELECT sha256 FROM public.rp_hash))), true,
          'the hash in capitals too');
SELECT is(credit.verify_report(:'c_centre'::jsonb ->> '报告编号', repeat('a', 64)), false, 'a wrong hash: false');
SELECT is(credit.verify_report('XYBGB2026092999999999', (SELECT sha256 FROM public.rp_hash)), false,
          'an unknown number: false, as a wrong hash');
SELECT is(credit.verify_report(:'c_scjg'::jsonb ->> '报告编号', (SELECT sha256 FROM public.rp_hash)), false,
          'another report''s hash: false');
SELECT is(public.regress_error($$SELECT credit.verify_report('XYBGB2026092900000001', 'abc')$$),
          '22023: a report hash is 64 hexadecimal digits |  | Copy the 校验码 printed on the report.', 'a malformed hash is refused');
RESET ROLE;
GRANT SELECT ON public.rp_hash TO regress_nobody;
SET ROLE regress_nobody;
SELECT is(credit.verify_report(:'c_centre'::jsonb ->> '报告编号', (SELECT sha256 FROM public.rp_hash)), true,
          'a role of no party that reaches the schema verifies too');
RESET ROLE;
REVOKE USAGE ON SCHEMA credit FROM regress_nobody;
-- content changed behind the extension's back no longer verifies
SET session_replication_role = replica;
UPDATE credit.report_issue SET content = jsonb_set(content, '{主体名称}', '"改过的名称"') WHERE report_no = :'c_scjg'::jsonb ->> '报告编号';
SET session_replication_role = origin;
SELECT is(credit.verify_report(:'c_scjg'::jsonb ->> '报告编号', (SELECT sha256 FROM credit.report_issue WHERE report_no = :'c_scjg'::jsonb ->> '报告编号')),
          false, 'a report whose stored content was tampered with does not verify');

-- ------------------------------------------------------------------
-- A correction after issue changes no issued report
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = 'A-罚1' AND state = '有效'), '金额有误',
                             '{"penalty_content": "罚款五千元"}') IS NOT NULL AS corrected;
RESET ROLE;
SELECT is((SELECT content FROM credit.report_issue WHERE report_no = :'c_centre'::jsonb ->> '报告编号'), :'c_centre'::jsonb,
          'after the correction, the issued report is unchanged');
SELECT is(credit.verify_report(:'c_centre'::jsonb ->> '报告编号', (SELECT sha256 FROM public.rp_hash)), true, 'and still verifies');
SET ROLE regress_centre;
INSERT INTO public.rp_issued SELECT 'centre_after', credit.report(:a);
RESET ROLE;
SELECT content AS c_after FROM public.rp_issued WHERE who = 'centre_after' \gset
SELECT is((SELECT array_agg(r ->> '内容') FROM jsonb_array_elements(public.rp_section(:'c_after', '行政管理') -> '记录') r
            WHERE r ->> '文书号/依据' = 'A-罚1'),
          ARRAY['罚款五千元'], 'a new report shows the corrected version only');

-- ------------------------------------------------------------------
-- The printable document: well-formed XHTML, escaped
-- ------------------------------------------------------------------
SELECT is(credit.html_escape(E'<a href="x">&\'\x01'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;' || chr(65533),
          'html_escape: markup characters as entities, a control character replaced');
SET ROLE regress_centre;
INSERT INTO public.rp_issued SELECT 'hostile', credit.report(:h);
CREATE TEMP TABLE rp_doc AS
SELECT xmlparse(DOCUMENT credit.report_html(content ->> '报告编号')) AS doc, content ->> '报告编号' AS no
  FROM public.rp_issued WHERE who = 'hostile';
SELECT is((SELECT (xpath('/x:html/x:head/x:title/text()', doc, ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']]))[1]::text FROM rp_doc),
          '公共信用信息报告（标准版） ' || (SELECT no FROM rp_doc), 'the document parses as XML: its title');
SELECT is((SELECT (xpath('//x:td[@id="subject-name"]/text()', doc, ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']]))[1]::text FROM rp_doc),
          '&lt;script&gt;alert("x")&lt;/script&gt;&amp;amp; 丙''"公司&lt;/td&gt;&lt;/tr&gt;',
          'the hostile name is text, the same name once parsed (xpath gives it escaped again)');
SELECT is((SELECT ARRAY[(xpath('count(//x:script)', doc, ns))[1]::text, (xpath('count(//x:h2)', doc, ns))[1]::text,
                        (xpath('count(//x:link|//x:img|//x:*[@src])', doc, ns))[1]::text]
             FROM rp_doc, (SELECT ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']] AS ns) n),
          ARRAY['0', '10', '0'], 'no script element, ten section headings, no external resource');
SELECT is((SELECT array_agg(t::text) FROM rp_doc, unnest(xpath('//x:h2/text()', doc, ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']])) t),
          ARRAY['一、基本信息', '二、概要', '三、行政管理', '四、诚实守信', '五、严重失信', '六、经营异常', '七、信用承诺', '八、信用评价', '九、司法', '十、其他'],
          'the sections as headings, in order');
SELECT is((SELECT (xpath('//x:code[@id="sha256"]/text()', doc, ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']]))[1]::text FROM rp_doc),
          (SELECT sha256 FROM credit.report_issue WHERE report_no = (SELECT no FROM rp_doc)), 'the verification code printed');
RESET ROLE;
SELECT content AS c_centre_doc FROM public.rp_issued WHERE who = 'centre' \gset
SELECT is((SELECT ARRAY[(xpath('count(//x:table)', d, ns))[1]::text,
                        (xpath('string(//x:h2[.="三、行政管理"]/following-sibling::x:table[1]/x:thead/x:tr)', d, ns))[1]::text,
                        (xpath('count(//x:h2[.="三、行政管理"]/following-sibling::x:table[1]/x:tbody/x:tr)', d, ns))[1]::text,
                        (xpath('string(//x:h2[.="八、信用评价"]/following-sibling::x:table[1]/x:tbody)', d, ns))[1]::text]
             FROM (SELECT xmlparse(DOCUMENT credit.report_html(:'c_centre_doc'::jsonb ->> '报告编号')) AS d,
                          ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']] AS ns) x),
          ARRAY['11', '类别文书号/依据决定日期内容决定机关截止日期备注', '4',
                E'\n公共信用综合评价B信用良好2026-03-012027-02-28国家发展和改革委员会 (全国统一规则; 地方信用中心实施)已公布\n'
                || E'测试行业评价A信用优秀2026-07-012027-06-30金华市市场监督管理局已公布\n'],
          'sections as tables: the meta table and ten with rows, 行政管理''s four rows under its columns, 信用评价''s two grades');
SET ROLE regress_bank;
SELECT is(public.regress_error(format('SELECT credit.report_html(%L)', :'c_centre_doc'::jsonb ->> '报告编号')),
          format('P0002: report %s is not a report you can read |  | A report is read by its requester, the subject (through the portal) and the centre; anyone can check one with credit.verify_report.',
                 :'c_centre_doc'::jsonb ->> '报告编号'),
          'a bank cannot print the centre''s report');
RESET ROLE;

-- ------------------------------------------------------------------
-- A grade published after its notice: the next report shows it in place
-- of the older one; the issued reports keep what they said
-- ------------------------------------------------------------------
SET ROLE regress_centre;
SELECT credit.transition('eval_result', (SELECT result_id FROM credit.eval_result WHERE subject_id = :a AND as_of = '2026-09-01'), '已公布');
RESET ROLE;
SET ROLE regress_scjg;
INSERT INTO public.rp_issued SELECT 'scjg_published', credit.report(:a);
RESET ROLE;
SELECT content AS c_scjg_published FROM public.rp_issued WHERE who = 'scjg_published' \gset
SELECT is(public.rp_grades(:'c_scjg_published'), ARRAY['公共信用综合评价:D', '测试行业评价:A'],
          'department, once the D is published: the D, in place of the B');
SELECT is((SELECT public.rp_grades(content) FROM credit.report_issue WHERE report_no = :'c_scjg'::jsonb ->> '报告编号'),
          ARRAY['公共信用综合评价:B', '测试行业评价:A'], 'the report issued before still says B');
-- a party that may not read grades: the section says so
REVOKE SELECT ON credit.eval_result FROM regress_bank;
SET ROLE regress_bank;
INSERT INTO public.rp_issued SELECT 'bank_no_grades', credit.report(:a);
RESET ROLE;
GRANT SELECT ON credit.eval_result TO regress_bank;
SELECT content AS c_bank_no_grades FROM public.rp_issued WHERE who = 'bank_no_grades' \gset
SELECT is(public.rp_section(:'c_bank_no_grades', '信用评价') - '序号' - '字段', '{"名称": "信用评价", "状态": "无权查询", "记录": []}'::jsonb,
          'a party without access to grades: 信用评价 marked 无权查询');

-- ------------------------------------------------------------------
-- The subject's own reports
-- ------------------------------------------------------------------
-- the subject's own 专项 report, through the portal: its 简易程序 penalty,
-- never published, is in it as in the centre's
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
INSERT INTO public.rp_issued SELECT 'special_portal_a', credit.report(:a, '专项版');
COMMIT;
SELECT content AS c_special_portal_a FROM public.rp_issued WHERE who = 'special_portal_a' \gset
SELECT is(public.rp(:'c_special_portal_a', '行政处罚'), ARRAY['A-简易', 'A-罚1', 'A-罚2'],
          '专项 for the subject itself (the portal acting for A): the 简易程序 penalty not published is in it too');
SELECT is(public.rp(:'c_special_portal_a', '行政强制'), public.rp(:'c_special', '行政强制'),
          '专项 for the subject itself: the same compulsion as the centre''s');
SET ROLE regress_portal;
SELECT ok(NOT EXISTS (SELECT FROM credit.record WHERE decision_no = 'A-简易'),
          'the portal acting for nobody does not read the unpublished penalty');
RESET ROLE;

-- ------------------------------------------------------------------
-- A subject's own reports: two free a legal calendar year
-- ------------------------------------------------------------------
SELECT is((SELECT array_agg(free ORDER BY report_id) FROM credit.report_issue WHERE subject_id = :a AND acting_for),
          ARRAY[true, true], 'A''s first two reports of 2026 through the portal were free');
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
INSERT INTO public.rp_issued SELECT 'portal_a3', credit.report(:a);
COMMIT;
SELECT is((SELECT free FROM credit.report_issue WHERE report_no = (SELECT content ->> '报告编号' FROM public.rp_issued WHERE who = 'portal_a3')),
          false, 'the third of the year is not');
SELECT is((SELECT count(*)::integer FROM credit.report_issue WHERE subject_id = :a AND NOT acting_for AND free IS NOT NULL), 0,
          'reports to other requesters (the centre, departments, the portal not acting, agencies) are not counted: free is NULL');
SET credit.legal_date = '2027-01-04';
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:a);
INSERT INTO public.rp_issued SELECT 'portal_a2027', credit.report(:a);
COMMIT;
SELECT is((SELECT free FROM credit.report_issue WHERE report_no = (SELECT content ->> '报告编号' FROM public.rp_issued WHERE who = 'portal_a2027')),
          true, 'in the next legal year (2027-01-04) the first is free again');
SET credit.legal_date = '2026-09-29';
SET ROLE regress_centre;
SELECT is(left(public.regress_error(format($$INSERT INTO credit.report_issue (subject_id, free) VALUES (%s, true)$$, :a)), 5), '42501',
          'nobody sets free: it is counted');
RESET ROLE;

SELECT * FROM finish();
\i sql/include/tap_teardown.sql
