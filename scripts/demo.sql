-- A tour of credit: the identifier types and what they catch, then a small
-- synthetic city (scripts/demo_data.sql) seen by the centre, a department,
-- the public portal and a bank.
-- Run by scripts/demo.sh in a throwaway cluster, as superuser.  The errors
-- printed are part of the tour: each is announced by an "Intended error" line.
\pset pager off
\set ECHO queries
\set VERBOSITY default
SET client_min_messages = warning;

CREATE EXTENSION credit;
-- public first, so the tour's own tables are not created in schema credit
SET search_path = public, credit;

\echo
\echo '== 1. 统一社会信用代码: a column of type uscc =='
CREATE TABLE demo_org (code uscc PRIMARY KEY, name text NOT NULL);
-- sample data: 2000 synthetic organisations with valid codes
INSERT INTO demo_org
SELECT uscc_complete((ARRAY['91', '92', '93', '12', '51', '52'])[1 + i % 6]
                     || (ARRAY['330700', '330702', '330703', '330781', '330782'])[1 + i % 5]
                     || 'MA' || lpad(upper(to_hex((i * 2654435761) % 16777216)), 6, '0')
                     || (i % 10)::text),
       -- the same few names written in traditional or simplified characters,
       -- with full-width or ASCII brackets and stray spaces
       (ARRAY['金华市宏达贸易有限公司', '金華市宏達貿易有限公司', '义乌市兴业商贸有限公司',
              '義烏市興業商貿有限公司', '东阳市恒信木雕厂', '東陽市 恒信木雕廠'])[1 + i % 6]
       || CASE WHEN i % 4 < 2 THEN '（' || (i % 7) || '号店）' ELSE '(' || (i % 7) || '号店)' END
  FROM generate_series(1, 2000) AS i
ON CONFLICT DO NOTHING;
SELECT count(*) AS organisations FROM demo_org;

-- Input is forgiving about form: lower case, full width, spaces, hyphens.
SELECT '91350100m000100y43'::uscc AS lower_case,
       '９１３５０１００Ｍ０００１００Ｙ４３'::uscc AS full_width,
       '9135-0100-M000-100Y43'::uscc AS hyphens;

-- ... and strict about content: each error names the position and the fix.
\echo '-- Intended errors: a wrong check character, a letter O, a category 工商 does not use:'
SELECT '91350100M000100Y44'::uscc;
SELECT '91350100M0001O0Y43'::uscc;
SELECT '94350100M000100Y43'::uscc;

-- For data cleaning: explain a code part by part.
SELECT part, positions, value, meaning, ok, problem FROM uscc_explain('91350100M000100Y44');

-- Accessors.
SELECT code, uscc_authority_name(code), uscc_category_name(code), uscc_division(code), uscc_org_code(code)
  FROM demo_org ORDER BY code LIMIT 5;

-- Lenient mode accepts registered-but-nonconforming codes, flagged with "!".
SET credit.uscc_lenient = on;
SELECT '91350100M000100Y44'::uscc AS flagged, uscc_is_valid('91350100M000100Y44'::uscc) AS valid;
RESET credit.uscc_lenient;

-- The btree index is used; a uscc index is the size of a uuid index.
SELECT code AS some_code FROM demo_org ORDER BY code LIMIT 1 \gset
EXPLAIN (COSTS OFF) SELECT name FROM demo_org WHERE code = :'some_code';
SELECT pg_size_pretty(pg_relation_size('demo_org_pkey')) AS uscc_pkey_size;

\echo
\echo '== 2. 公民身份号码: a column of type resident_id =='
SELECT '11010519491231002x'::resident_id AS canonical,
       '150102880730303'::resident_id AS from_15_digits;
SELECT r AS number, resident_id_birth_date(r) AS born, resident_id_sex(r) AS sex,
       resident_id_region(r) AS region, resident_id_mask(r) AS shown_to_the_public
  FROM (VALUES ('11010519491231002X'::resident_id), ('440524188001010014'::resident_id)) AS t(r);
\echo '-- Intended error: a wrong check character; the message never repeats the number:'
SELECT '11010519491231001X'::resident_id;

\echo
\echo '== 3. Legacy codes =='
SELECT org_code('m000100y4') AS org_code, org_code_is_valid('M000100Y-5') AS wrong_check_valid,
       registration_no_is_valid('110108000000016') AS regno_valid,
       uscc_org_code('91350100M000100Y43') AS embedded_org_code;

\echo
\echo '== 4. Names: one key for the variants of a name =='
SELECT name, normalize_name(name) AS key
  FROM (VALUES ('金華市宏達貿易有限公司（1號店）'), ('金华市宏达贸易有限公司(1号店)'),
               ('金华市 宏达贸易有限公司【1号店】'), ('ＡＢＣ科技有限公司'), ('abc 科技有限公司')) AS t(name);
SELECT normalize_name(name) AS key, count(*) AS variants
  FROM demo_org GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;

\echo
\echo '== 5. Who sees what: the same queries, run as each role =='
\echo 'Loading a synthetic city (scripts/demo_data.sql): 金华市 departments, their catalogue with the'
\echo '令第36号 publicity periods, subjects with valid codes, records of every disclosure level ...'
\ir demo_data.sql
\if :{?demo_loaded}
\else
    \echo 'scripts/demo_data.sql stopped at the error above; the tour cannot go on.'
    \set ON_ERROR_STOP on
    DO $$ BEGIN RAISE EXCEPTION 'demo data not loaded'; END $$;
\endif
\echo 'The subjects looked at: 金华市金鼎五金制品有限公司 (subject ':demo_firm') and 陈丽华, a natural person (subject ':demo_person').'

-- The same two queries for every role: records by disclosure level, and the
-- firm's records (columns the portal may read too); the rows are whatever
-- row security lets the caller see.
\echo 'Each role runs the same two queries on credit.record: records by disclosure level, and the'
\echo 'firm''s records; the rows are whatever row security lets the caller see.'
\set who_sees 'SELECT disclosure, count(*) AS records, count(DISTINCT subject_id) AS subjects FROM credit.record GROUP BY disclosure ORDER BY disclosure;'
\set firm_look 'SELECT decision_no, item_code, disclosure, state, decision_date, publicity_end FROM credit.record WHERE subject_id = ' :demo_firm ' ORDER BY decision_date, record_id;'

\echo
\echo '-- 5a. The credit centre (demo_centre): every record of every level, in every state, expired or not.'
SET ROLE demo_centre;
:who_sees
:firm_look
RESET ROLE;

\echo
\echo '-- 5b. A department, 市场监管局 (demo_scjg): its own records in every state, every department''s'
\echo '--     部门共享 records, and 公开 records inside their publicity period; no 授权查询 of the tax office.'
SET ROLE demo_scjg;
:who_sees
:firm_look
\echo '-- The view credit.public_record shows it what the public sees, like every role:'
SELECT decision_no, item_code, disclosure, state FROM credit.public_record WHERE subject_id = :demo_firm ORDER BY decision_date, record_id;
\echo '-- Intended error: only the public portal may act for a subject:'
SELECT credit.act_for_subject(:demo_person);
RESET ROLE;

\echo
\echo '-- 5c. The public portal (demo_portal): 公开 records inside their publicity period, nothing else;'
\echo '--     the firm''s expired, withdrawn and corrected versions are gone.'
SET ROLE demo_portal;
:who_sees
:firm_look
\echo '-- Intended error: the portal is not granted the personal columns of the base table:'
SELECT subject_name, legal_rep_id FROM credit.record WHERE subject_id = :demo_firm;
\echo '-- It reads them through public_record, identity numbers masked:'
SELECT DISTINCT subject_name, legal_rep_name, legal_rep_id FROM credit.public_record WHERE subject_id = :demo_firm;
RESET ROLE;

\echo
\echo '-- 5d. The bank (demo_bank): first what the portal sees; then it opens the authorisation the'
\echo '--     firm granted through the portal (CALL, outside a transaction: the access-log row is'
\echo '--     committed first), which adds the firm''s 授权查询 records until it closes the opening.'
SET ROLE demo_bank;
:who_sees
CALL credit.open_authorisation(:demo_firm_auth);
SELECT credit.opened_subjects() AS opened_for_subject;
:who_sees
:firm_look
\echo '-- After credit.close_authorisation() the opening is gone:'
SELECT credit.close_authorisation(:demo_firm_auth) AS closed;
:who_sees
RESET ROLE;

\echo
\echo '-- 5e. The portal acting for 陈丽华, whose identity it has verified: her 授权查询 records join the'
\echo '--     public ones (her 部门共享 records stay with the departments); her name and number are masked.'
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_person) \gset
SELECT credit.acting_subject() AS acting_for;
:who_sees
SELECT subject_name, subject_resident_id, decision_no, item_code, disclosure
  FROM credit.public_record WHERE subject_id = :demo_person ORDER BY decision_date;
COMMIT;
\echo '-- The centre, for comparison, reads the base table unmasked:'
SET ROLE demo_centre;
SELECT subject_name, subject_resident_id, decision_no, item_code, disclosure
  FROM credit.record WHERE subject_id = :demo_person ORDER BY decision_date;

\echo
\echo '-- 5f. The centre: who read 授权查询 data, under which authorisation ...'
SELECT accessed_at::timestamp(0) AS accessed_at, role, subject_id, authorisation_id, purpose FROM credit.access_log;
\echo '-- ... and 双公示 timeliness: licences and penalties published within 7 working days of the decision.'
SELECT department, category, decisions, on_time, late, worst_days_late
  FROM credit.sgs_timeliness ORDER BY department_id, category;
RESET ROLE;

\echo
\echo '== 6. Workflows: an objection, the machines as data, the sweep =='
\echo '-- 6a. The firm objects, through the portal, to its newest public penalty; the centre accepts it.'
SELECT record_id AS demo_obj_record FROM credit.record
 WHERE subject_id = :demo_firm AND disclosure = '公开' AND state = '有效' AND category = '行政处罚'
 ORDER BY decision_date DESC LIMIT 1 \gset
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
INSERT INTO credit.objection (record_id, grounds, claim, materials)
VALUES (:demo_obj_record, '信息错误', '罚款金额应为 0.5 万元', '{营业执照,处罚决定书}')
RETURNING objection_id AS demo_objection \gset
COMMIT;
SET ROLE demo_centre;
SELECT credit.transition('objection', :demo_objection, '已受理') AS moved;
SELECT objection_id, state, deadline AS decide_by FROM credit.objection WHERE objection_id = :demo_objection;
RESET ROLE;
\echo '-- From acceptance the record shows 异议处理中 in every view, the public one included:'
SET ROLE demo_portal;
SELECT decision_no, dispute_mark, publicity_state FROM credit.public_record WHERE record_id = :demo_obj_record;
RESET ROLE;
\echo '-- Intended error: a plain UPDATE never moves a machine, not even for the table owner:'
UPDATE credit.objection SET state = '已办结' WHERE objection_id = :demo_objection;
\echo '-- Intended error: a transition the machine does not allow names the states and what is allowed:'
SET ROLE demo_centre;
SELECT credit.transition('objection', :demo_objection, '已提交');
\echo '-- The centre passes it to 市场监管局, which corrects the record: a new version, the mark gone.'
SELECT credit.transition('objection', :demo_objection, '部门核查') AS moved;
RESET ROLE;
SET ROLE demo_scjg;
SELECT credit.transition('objection', :demo_objection, '已办结', '罚款金额录入错误',
                         '{"outcome": "更正", "changes": {"fine_amount": 0.5}}') AS moved;
SELECT record_id, state, fine_amount, dispute_mark, corrects FROM credit.record
 WHERE record_id = :demo_obj_record OR corrects = :demo_obj_record ORDER BY record_id;
RESET ROLE;
SET ROLE demo_centre;
SELECT from_state, to_state, party, party_kind, reason FROM credit.workflow_event
 WHERE machine = 'objection' AND object_id = :demo_objection ORDER BY event_id;
RESET ROLE;

\echo
\echo '-- 6b. The machines are data; each renders as Graphviz (docs/diagrams/):'
SELECT machine, from_state, to_state, action, party_kinds, reason_required FROM credit.machine_transition
 WHERE machine = 'repair' ORDER BY from_state, to_state;

\echo
\echo '-- 6c. The sweep catches the states up with the date (visibility already is exact); a second run does nothing.'
SELECT * FROM credit.sweep();
SELECT * FROM credit.sweep();
\echo '-- What is late, per department:'
SELECT * FROM credit.workflow_overdue_by_department;

\echo
\echo '== 7. Collection (归集): a department''s file with a few bad rows =='
\echo '-- 市场监管局 opens a batch, loads its file with one COPY (every line is taken, as text),'
\echo '-- and collects it: the good rows become records, every bad row is reported.'
SET ROLE demo_scjg;
SELECT credit.open_batch('SCJG.XZCF', 'xzcf_2026_09.csv') AS demo_batch \gset
COPY credit.collection_load (subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount, authority_name) FROM STDIN WITH (FORMAT csv, HEADER true);
subject_kind,subject_name,subject_uscc,subject_resident_id,disclosure,severity,decision_no,decision_date,violation_type,violation_facts,penalty_basis,penalty_category,penalty_content,fine_amount,authority_name
企业法人,金华市归集示例甲有限公司,91330702MA2C00001N,,,一般,金市监罚〔2026〕901号,2026-09-01,虚假宣传,虚构交易量,《反不正当竞争法》第八条,罚款,罚款二万元,2,金华市市场监督管理局
企业法人,金华市归集示例乙有限公司,91330702MA2C00002R,,,严重,金市监罚〔2026〕902号,2026-09-02,销售不合格产品,抽检不合格,《产品质量法》第四十九条,罚款,罚款五万元,5,金华市市场监督管理局
企业法人,金华市归集示例丙有限公司,91330702MA2C00003X,,,一般,金市监罚〔2026〕903号,2026-09-03,虚假宣传,夸大功效,《广告法》第二十八条,罚款,罚款一万元,1,金华市市场监督管理局
自然人,周明,,440524188001010014,部门共享,一般,金市监罚〔2026〕904号,2026-09-04,无照经营,无照经营,《无证无照经营查处办法》,罚款,罚款,0.2,金华市市场监督管理局
自然人,吴芳,,11010519491231002X,部门共享,一般,金市监罚〔2026〕905号,2026-09-31,无照经营,无照经营,《无证无照经营查处办法》,罚款,罚款,0.2,金华市市场监督管理局
企业法人,金华市归集示例甲有限公司,91330702MA2C00001N,,,一般,金市监罚〔2026〕901号,2026-09-05,虚假宣传,重复报送,《反不正当竞争法》第八条,罚款,罚款二万元,2,金华市市场监督管理局
企业法人,金华市归集示例丁有限公司,91330702MA2C000040,,,一般,金市监罚〔2026〕906号,2026-09-06,虚假宣传,缺少依据,,罚款,罚款,1,金华市市场监督管理局
\.
SELECT batch_id, file_name, received, accepted, rejected, late FROM credit.collect(:demo_batch);
\echo '-- Its error report: line of the file, column, rule, message (personal values masked):'
SELECT line_no, column_name, rule, message FROM credit.collection_error WHERE batch_id = :demo_batch ORDER BY line_no, error_id;
\echo '-- The rejected rows wait in staging, to be corrected and sent again:'
SELECT line_no, decision_no, decision_date FROM credit.collection_staging WHERE batch_id = :demo_batch ORDER BY line_no;
\echo '-- Its quality by month: acceptance rate, 双公示 decisions stored more than 7 working days late, open errors:'
SELECT department, month, received, accepted, rejected, acceptance_rate, late, open_errors FROM credit.collection_quality;
RESET ROLE;
\echo '-- The tax office (demo_swj) sees none of it:'
SET ROLE demo_swj;
SELECT (SELECT count(*) FROM credit.collection_batch) AS batches, (SELECT count(*) FROM credit.collection_error) AS errors,
       (SELECT count(*) FROM credit.collection_staging) AS staged;
RESET ROLE;

\echo
\echo '== 8. 联合奖惩: the credit check before a licence, the feedback, the subject sees it =='
\echo '-- The measures, matters and rules are data (a small sourced sample ships; docs/measures.md):'
SELECT r.rule_code, r.trigger_kind, coalesce(r.matter_kind, r.matter_code) AS matter, m.measure_code, m.polarity, m.content
  FROM credit.measure_rule r JOIN credit.measure m USING (measure_code) ORDER BY r.rule_code;
\echo '-- 市场监管局 checks the firm before a 行政许可: one row per measure, with what triggered it and the basis.'
SET ROLE demo_scjg;
SELECT * FROM credit.check(:demo_firm, 'ZJ-XZXK', '食品经营许可申请 JY-2026-0931');
SELECT max(check_id) AS demo_check FROM credit.credit_check \gset
\echo '-- A clean result is one row with hit = false, and recorded all the same:'
SELECT check_id, hit, measure FROM credit.check(:demo_firm, 'ZJ-LY', '招聘');
\echo '-- The department reports what it did with each measure; what still waits, in working days:'
SELECT credit.feedback(:demo_check, (SELECT hits -> 0 ->> 'measure' FROM credit.credit_check WHERE check_id = :demo_check),
                       '已实施', '{"decision": "准予许可, 列入重点审查对象"}') AS feedback_id;
SELECT check_id, matter_code, measure_code, working_days_waiting FROM credit.check_pending_feedback;
SELECT matter_kind, month, checks, checks_with_hits, measures_returned, applied FROM credit.check_stats ORDER BY matter_kind;
RESET ROLE;
\echo '-- The tax office cannot give feedback on it (nor see it):'
SET ROLE demo_swj;
SELECT credit.feedback(:demo_check, 'SD-28-1', '不适用');
RESET ROLE;
\echo '-- The firm, through the portal, sees who checked it, for what and what came back:'
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
SELECT check_id, checked_on, checked_by, matter_code, purpose, jsonb_array_length(hits) AS hits FROM credit.credit_check ORDER BY check_id;
COMMIT;

\echo
\echo '== 9. 信用报告: the firm''s report, printed and verified =='
\echo '-- The firm, through the portal, asks for its standard report: what the portal may see of it, never a repaired record.'
CREATE TABLE public.demo_report (report_no text);
GRANT INSERT ON public.demo_report TO demo_portal;
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
INSERT INTO public.demo_report SELECT credit.report(:demo_firm) ->> '报告编号';
COMMIT;
SELECT report_no AS demo_report_no FROM public.demo_report \gset
SELECT report_no, kind, as_of, requested_by, acting_for, sha256 FROM credit.report_issue WHERE report_no = :'demo_report_no';
\echo '-- Its summary (概要): rows per section, in the national order:'
SELECT r ->> '栏目' AS section, r ->> '条数' AS rows, r ->> '状态' AS state
  FROM credit.report_issue i, jsonb_array_elements(i.content -> '章节') s, jsonb_array_elements(s -> '记录') r
 WHERE i.report_no = :'demo_report_no' AND s ->> '名称' = '概要';
\echo '-- Printed: one XHTML page (it parses as XML); its title and its section headings:'
SELECT (xpath('/x:html/x:head/x:title/text()', d, ns))[1] AS title,
       array_to_string(xpath('//x:h2/text()', d, ns)::text[], ' ') AS sections
  FROM (SELECT xmlparse(DOCUMENT credit.report_html(:'demo_report_no')) AS d,
               ARRAY[ARRAY['x', 'http://www.w3.org/1999/xhtml']] AS ns) x;
\echo '-- Anyone verifies the printed report by number and hash; a wrong hash does not:'
SELECT credit.verify_report(:'demo_report_no', (SELECT sha256 FROM credit.report_issue WHERE report_no = :'demo_report_no')) AS verified,
       credit.verify_report(:'demo_report_no', repeat('0', 64)) AS wrong_hash;
\echo '-- The 专项 report (in place of 无违法违规记录证明), last 3 years: penalties, 行政强制, serious lists, criminal judgments:'
SET ROLE demo_centre;
SELECT s ->> '名称' AS section, jsonb_array_length(s -> '记录') AS rows
  FROM jsonb_array_elements(credit.report(:demo_firm, '专项版') -> '章节') s;
RESET ROLE;

\echo
\echo '== 10. 信用评价: the firm graded, then graded again after a repair =='
\echo '-- The centre grades every organisation under the shipped scheme 公共信用综合评价 (A/B/C/D; its'
\echo '-- indicators are data, docs/evaluation.md), as of yesterday: one set-based run.'
SET ROLE demo_centre;
SELECT credit.eval_run('公共信用综合评价', credit.legal_date() - 1) AS demo_run1 \gset
SELECT grade, count(*) AS subjects, min(score) AS min_score, max(score) AS max_score
  FROM credit.eval_result WHERE batch_id = :demo_run1 GROUP BY grade ORDER BY grade;
\echo '-- The firm: its grade, and what counted (the explanation kept with the result). A negative grade'
\echo '-- waits (待告知) until the firm is told of it; the centre tells it (已告知):'
SELECT result_id AS demo_result1 FROM credit.eval_result WHERE batch_id = :demo_run1 AND subject_id = :demo_firm \gset
SELECT credit.transition('eval_result', :demo_result1, '已告知', '书面告知') AS told
 WHERE (SELECT state FROM credit.eval_result WHERE result_id = :demo_result1) = '待告知';
SELECT grade, score, state, notified_on, objection_until FROM credit.eval_result WHERE result_id = :demo_result1;
SELECT i ->> 'indicator' AS indicator, i ->> 'name' AS name, i ->> 'count' AS counted, i ->> 'contribution' AS contribution
  FROM credit.eval_result r, jsonb_array_elements(r.explanation -> 'indicators') i WHERE r.result_id = :demo_result1;
RESET ROLE;
\echo '-- The firm, through the portal, applies to repair its two oldest negative records, past their'
\echo '-- minimum publicity (3 months, 令第36号): a penalty of last year and its 经营异常名录 listing.'
\echo '-- 市场监管局 accepts and repairs both (docs/workflows.md, the repair machine).'
SELECT pg_catalog.array_agg(record_id ORDER BY decision_date) AS demo_repairable
  FROM (SELECT r.record_id, r.decision_date FROM credit.record r JOIN credit.catalogue_item i USING (item_code)
         WHERE r.subject_id = :demo_firm AND r.state = '有效' AND i.polarity = '失信' AND r.department_id = (SELECT d.department_id FROM credit.department d WHERE d.code = 'SCJG')
         ORDER BY r.decision_date LIMIT 2) x \gset
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
SELECT id, true, '{信用修复承诺书,履行义务证明}', '本企业承诺依法经营、信息真实' FROM unnest(:'demo_repairable'::bigint[]) AS id;
COMMIT;
SET ROLE demo_scjg;
SELECT credit.transition('repair', ARRAY(SELECT repair_id FROM credit.repair WHERE record_id = ANY (:'demo_repairable'::bigint[])), '已受理') AS accepted;
SELECT credit.transition('repair', ARRAY(SELECT repair_id FROM credit.repair WHERE record_id = ANY (:'demo_repairable'::bigint[])), '已修复') AS repaired;
SELECT item_code, decision_no, publicity_state, publicity_end FROM credit.record WHERE record_id = ANY (:'demo_repairable'::bigint[]) ORDER BY decision_date;
RESET ROLE;
\echo '-- The next run (today) no longer counts the repaired records: the firm''s grade moves from D to C.'
SET ROLE demo_centre;
SELECT credit.eval_run('公共信用综合评价', credit.legal_date()) AS demo_run2 \gset
SELECT as_of, grade, score, negative, state FROM credit.eval_result WHERE subject_id = :demo_firm ORDER BY as_of;
\echo '-- Running the same date again changes nothing (the same batch). The firm is told of its C:'
SELECT credit.eval_run('公共信用综合评价', credit.legal_date()) = :demo_run2 AS same_batch;
SELECT credit.transition('eval_result', (SELECT result_id FROM credit.eval_result WHERE batch_id = :demo_run2 AND subject_id = :demo_firm),
                         '已告知', '书面告知') AS told;
RESET ROLE;
\echo '-- A department sees published grades only (credit.grade): a negative grade is published after its'
\echo '-- notice period of 5 working days, so nothing yet. The firm''s own report shows the C it was told of:'
SET ROLE demo_scjg;
SELECT * FROM credit.grade(:demo_firm);
RESET ROLE;
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
SELECT r ->> '评价名称' AS scheme, r ->> '评价结果' AS grade, r ->> '评价日期' AS graded_on, r ->> '有效期至' AS valid_until, r ->> '状态' AS state
  FROM jsonb_array_elements(credit.report(:demo_firm) -> '章节') s, jsonb_array_elements(s -> '记录') r
 WHERE s ->> '名称' = '信用评价';
COMMIT;

\echo
\echo '== 11. Before a listing: 拟列入, 决定列入, the responsible person named by a check =='
SELECT s.subject_id AS demo_firm2, s.name AS demo_firm2_name FROM credit.subject s
 WHERE s.kind = '企业法人' AND s.subject_id <> :demo_firm
   AND NOT EXISTS (SELECT FROM credit.list_entry e WHERE e.subject_id = s.subject_id)
 ORDER BY s.subject_id LIMIT 1 \gset
\echo '-- The centre marks the rule of 严重失信名单 for 政府采购 as reaching the responsible persons:'
SET ROLE demo_centre;
UPDATE credit.measure_rule SET names_persons = true WHERE rule_code = 'SD-30-1-CG';
RESET ROLE;
\echo '-- 市场监管局 proposes' :'demo_firm2_name' 'for its 严重违法失信名单 (拟列入): the subject is told (告知),'
\echo '-- the listing waits for the end of the notice period, 5 working days; it names the 法定代表人.'
SET ROLE demo_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, state)
VALUES ('YZSX', :demo_firm2, '提供虚假材料取得行政许可', '拟列入')
RETURNING entry_id AS demo_proposal, state, notice_kind, notice_ends_on, listed_on, legal_basis \gset
SELECT :demo_proposal AS entry_id, :'state' AS state, :'notice_kind' AS notice_kind, :'notice_ends_on' AS notice_ends_on;
INSERT INTO credit.list_entry_person (entry_id, role, name, resident_id)
VALUES (:demo_proposal, '法定代表人', '周建国', '11010519491231002X');
\echo '-- Intended error: no decision during the notice period:'
SELECT credit.transition('list_entry', :demo_proposal, '列入中');
RESET ROLE;
\echo '-- The firm, through the portal, reads its notice; the public sees no listing:'
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm2) \gset demo_ignore_
SELECT list_name, state, notice_kind, notice_ends_on, reasons, legal_basis FROM credit.public_list_notice;
COMMIT;
SELECT count(*) AS public_listings FROM credit.public_list_entry WHERE subject_id = :demo_firm2;
\echo '-- After the notice period (the legal date set to the next day), 市场监管局 decides (决定列入):'
SELECT (date :'notice_ends_on' + 1)::text AS demo_after \gset
SET credit.legal_date = :'demo_after';
SET ROLE demo_scjg;
SELECT credit.transition('list_entry', :demo_proposal, '列入中', '告知期满, 未提出异议',
                         jsonb_build_object('removal_conditions', '列入满3年且已履行相关义务、纠正违法行为的, 可申请提前移出',
                                            'remedies', '对列入决定不服的, 可依法申请行政复议或者提起行政诉讼')) AS decided;
SELECT state, listed_on, expires_on, deletion_due, legal_basis FROM credit.list_entry WHERE entry_id = :demo_proposal;
RESET ROLE;
\echo '-- The tax office checks the firm before a 政府采购: the serious listing calls for its measures,'
\echo '-- and the snapshot names the 法定代表人 where the rule says so (the number masked):'
SET ROLE demo_swj;
SELECT hit_kind, hit_id, measure, content FROM credit.check(:demo_firm2, 'ZJ-ZFCG', '采购项目 CG-2026-17') ORDER BY measure;
SELECT h ->> 'measure' AS measure, h -> 'persons' AS persons
  FROM credit.credit_check c, jsonb_array_elements(c.hits) h
 WHERE c.check_id = (SELECT max(check_id) FROM credit.credit_check) ORDER BY 1;
RESET ROLE;
\echo '-- 市场监管局 holds a 警示约谈 with the firm the same day; the firm attends:'
SET ROLE demo_scjg;
INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at, place)
VALUES (:demo_firm2, '警示约谈', :demo_proposal, '列入严重违法失信名单', (:'demo_after' || ' 10:00+08')::timestamptz, '市场监管局信用监管科')
RETURNING interview_id AS demo_interview \gset
SELECT credit.transition('interview', :demo_interview, '已约谈', NULL,
                         '{"attended": true, "outcome": "告知惩戒措施及信用修复途径, 企业承诺整改"}') AS held;
SELECT kind, state, held_on, attended, outcome FROM credit.interview WHERE interview_id = :demo_interview;
RESET ROLE;
RESET credit.legal_date;
