-- Disclosure row security: the same data seen by every kind of role, the
-- forbidden writes refused with nothing changed, and the attacks that must
-- not work.  pgTAP, run by pg_regress.
\i sql/include/tap_setup.sql
-- Today, for every rule, is Tuesday 2026-09-29 (a superuser-only setting):
-- the dates below are fixed, whatever day the suite runs.
SET credit.legal_date = '2026-09-29';

-- ------------------------------------------------------------------
-- Fixture (as the DBA): the shared roles and departments
-- (sql/include/fixtures.sql: 市场监管局 is department 1, 税务局 2), and
-- this file's catalogue
-- ------------------------------------------------------------------
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id, publicity_months) VALUES
    ('SCJG.XZCF', '市场监管行政处罚', '行政处罚', '失信', '公开', 1, NULL),
    ('SCJG.XZXK', '市场监管行政许可', '行政许可', '守信', '公开', 1, 36),
    ('SCJG.JYYC', '经营异常名录', '经营异常名录', '失信', '部门共享', 1, NULL),
    ('SWJ.QS', '欠税信息', '其他', '失信', '授权查询', 2, NULL),
    ('SWJ.NSXY', '纳税信用等级', '信用评价', '中性', '授权查询', 2, 12);
INSERT INTO credit.catalogue_period (item_code, severity, min_months, max_months, rule_set) VALUES
    ('SCJG.XZCF', '一般', 3, 12, '令第36号'), ('SCJG.XZCF', '严重', 12, 36, '令第36号'),
    ('SCJG.JYYC', '一般', 3, 12, '令第36号'),
    ('SWJ.QS', '一般', 3, 12, '令第36号'), ('SWJ.QS', '严重', 12, 36, '令第36号');
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure) VALUES
    ('YZSX', '严重违法失信名单', '黑', 36, '公开'),
    ('SWHM', '纳税信用A级纳税人', '红', 12, '部门共享');

-- a table the attack functions write into, and a leaky function
CREATE TABLE public.regress_leaked (v text);
GRANT INSERT, SELECT, DELETE ON public.regress_leaked TO PUBLIC;
CREATE FUNCTION public.regress_leak(v text) RETURNS boolean
    LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    INSERT INTO public.regress_leaked VALUES (v);
    RETURN true;
END $$;

-- ------------------------------------------------------------------
-- Departments submit records (INSERT, and a COPY batch through record_load)
-- ------------------------------------------------------------------
\copy (SELECT 'SCJG.XZXK', '企业法人', '金华市兴业商贸有限公司', '911522010783762860', NULL, NULL, '金市监许〔2026〕1号', credit.legal_date() - 1, '食品经营许可决定书', '普通', 'JY13307000001', credit.legal_date() - 1, '金华市市场监督管理局' UNION ALL SELECT 'SCJG.XZXK', '自然人', '赵六', NULL, '150102880730303', '部门共享', '金市监许〔2026〕2号', credit.legal_date() - 1, '食品经营许可决定书', '普通', 'JY13307000002', credit.legal_date() - 1, '金华市市场监督管理局') TO 'results/licence_batch.tsv'
\copy (SELECT 'SCJG.XZXK', '企业法人', '金华市某公司', '911522010783762861', NULL, NULL, '金市监许〔2026〕3号', date '2026-11-01', '许可决定书', '普通', 'JY3', date '2026-11-01', '金华市市场监督管理局') TO 'results/bad_batch.tsv'
\copy (SELECT 'SCJG.XZXK', '自然人', '钱七', NULL, '11010519491231002X', NULL, '金市监许〔2026〕4号', date '2026-11-01', '许可决定书', '普通', 'JY4', date '2026-11-01', '金华市市场监督管理局') TO 'results/person_public_batch.tsv'
\copy (SELECT 'SWJ.NSXY', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', NULL, NULL, '冒充〔2026〕1号', date '2026-11-01', NULL, NULL, NULL, NULL, NULL) TO 'results/other_department_batch.tsv'

SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis,
        penalty_category, penalty_content, fine_amount, authority_name)
VALUES ('SCJG.XZCF', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '王五', '11010519491231002X',
        '一般', '金市监罚〔2026〕1号', credit.legal_date() - 10, '虚假宣传', '夸大宣传', '《广告法》第五十五条',
        '罚款', '罚款一万元', 1, '金华市市场监督管理局'),
       ('SCJG.XZCF', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '王五', '11010519491231002X',
        '一般', '金市监罚〔2023〕9号', credit.legal_date() - 1200, '虚假宣传', '旧案', '《广告法》第五十五条',
        '罚款', '罚款', 1, '金华市市场监督管理局');
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('SCJG.JYYC', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '一般', '金市监异〔2026〕3号', credit.legal_date() - 5);
\copy credit.record_load (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, decision_no, decision_date, licence_doc_name, licence_category, licence_no, valid_from, authority_name) FROM 'results/licence_batch.tsv'
-- bad batches are refused whole, naming the line and the problem
\set VERBOSITY default
\copy credit.record_load (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, decision_no, decision_date, licence_doc_name, licence_category, licence_no, valid_from, authority_name) FROM 'results/bad_batch.tsv'
\copy credit.record_load (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, decision_no, decision_date, licence_doc_name, licence_category, licence_no, valid_from, authority_name) FROM 'results/person_public_batch.tsv'
\copy credit.record_load (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, decision_no, decision_date, licence_doc_name, licence_category, licence_no, valid_from, authority_name) FROM 'results/other_department_batch.tsv'
\set VERBOSITY terse
RESET ROLE;

SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('SWJ.QS', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '一般', '金税欠〔2026〕7号', credit.legal_date() - 3),
       ('SWJ.QS', '个体工商户', '金华市李四小吃店', '92340602MA2PBQAH7E', '严重', '金税欠〔2026〕8号', credit.legal_date() - 3);
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, decision_no, decision_date)
VALUES ('SWJ.NSXY', '自然人', '张三', '440524188001010014', '金税评〔2026〕1号', credit.legal_date() - 2);
RESET ROLE;

SELECT subject_id AS hongda FROM credit.subject WHERE uscc = '91350100M000100Y43' \gset
SELECT subject_id AS zhangsan FROM credit.subject WHERE resident_id = '440524188001010014' \gset
SELECT subject_id AS zhaoliu FROM credit.subject WHERE resident_id = '150102198807303035' \gset

SELECT plan(236);

-- ------------------------------------------------------------------
-- Structure
-- ------------------------------------------------------------------
SELECT is(count(*)::integer, 0, 'every credit table has row security enabled and forced')
  FROM pg_class c
 WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r'
   AND NOT (c.relrowsecurity AND c.relforcerowsecurity);
SELECT is(count(*)::integer, 0, 'no registered role is superuser or has BYPASSRLS')
  FROM credit.party p JOIN pg_roles r ON r.oid = p.role WHERE r.rolbypassrls OR r.rolsuper;
SELECT is(count(*)::integer, 0, 'every SECURITY DEFINER function pins its search_path')
  FROM pg_proc WHERE pronamespace = 'credit'::regnamespace AND prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(proconfig) c WHERE c LIKE 'search_path=%');
SELECT is(count(*)::integer, 0, 'policy helper functions are not VOLATILE')
  FROM pg_proc WHERE oid IN ('credit.current_party_kind()'::regprocedure, 'credit.current_department_id()'::regprocedure,
                              'credit.acting_subject()'::regprocedure, 'credit.opened_authorisations()'::regprocedure,
                              'credit.opened_subjects()'::regprocedure, 'credit.department_scope()'::regprocedure)
   AND provolatile = 'v';
-- pg_policies prints names schema-qualified only off the search_path.
SET search_path = public;
SELECT cmp_ok((SELECT count(*)::integer FROM pg_policies WHERE schemaname = 'credit' AND qual ~ 'SELECT credit\.'), '>', 0,
              'policy texts are read with their schema (the checks below are not vacuous)');
SELECT is(count(*)::integer, 0, 'policies call the helpers wrapped in a sub-SELECT (run once per query)')
  FROM pg_policies WHERE schemaname = 'credit'
   AND (coalesce(qual, '') || coalesce(with_check, '')) ~ '(?<!SELECT )credit\.(current_party_kind|current_department_id|department_scope|acting_subject|opened_authorisations|opened_subjects)\(';
-- (and credit.legal_date(), which like current_date before it reads only
-- backend memory: the transaction's start, cached per transaction)
-- (the record predicates, record_*: sql/42_record_predicates.sql; the
-- list entry predicates, list_entry_*: sql/43_list_entry_predicates.sql)
SELECT is(array_agg(DISTINCT m[1] ORDER BY m[1]), '{acting_for,in_own_department,in_transition,legal_date,list_entry_acting_reads,list_entry_authorised_reads,list_entry_department_reads,list_entry_is_public,opened_for,record_authorised_reads,record_department_sees,record_is_public,record_shared_read_logged}',
          'the only functions policies call per row are the row predicates and the legal date')
  FROM pg_policies, regexp_matches(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '(?<!SELECT )credit\.([a-z_]+)\(', 'g') AS m
 WHERE schemaname = 'credit';
SELECT is(count(*)::integer, 0, 'and each is given row columns')
  FROM pg_policies, regexp_matches(coalesce(qual, '') || ' ' || coalesce(with_check, ''),
                                   '(?<!SELECT )credit\.(acting_for|opened_for|authorised_for|in_department_scope|in_own_department|in_transition|record_is_public|record_department_reads|record_department_sees|record_authorised_reads)\(([^,)]*)', 'g') AS m
 WHERE schemaname = 'credit' AND m[2] !~ '^\s*(CASE|([a-z_]+\.)?(subject_id|machine|department_id|disclosure))\M';
SET search_path = public, credit;
SELECT is(count(*)::integer, 6, 'row predicates are STABLE, STRICT, PARALLEL RESTRICTED (backend memory), in C')
  FROM pg_proc WHERE oid IN ('credit.in_department_scope(integer)'::regprocedure, 'credit.acting_for(bigint)'::regprocedure,
                              'credit.in_own_department(integer)'::regprocedure,
                              'credit.in_transition(text,text)'::regprocedure,
                              'credit.opened_for(bigint)'::regprocedure,
                              'credit.authorised_for(bigint,credit.catalogue_category)'::regprocedure)
   AND provolatile = 's' AND proisstrict AND proparallel = 'r' AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');
SELECT is(array_agg(c.relname::text ORDER BY c.relname), '{public_commitment,public_eval_result,public_list_entry,public_list_entry_person,public_list_notice,public_record,public_subject}',
          'the public views are owned by credit_public_views and are not security_invoker')
  FROM pg_class c
 WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'v'
   AND c.relowner = 'credit_public_views'::regrole
   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false);
SELECT is(count(*)::integer, 1, 'credit_public_views cannot log in, is no superuser and has no BYPASSRLS')
  FROM pg_roles WHERE rolname = 'credit_public_views' AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls;
SELECT is((SELECT array_agg(roleid::regrole::text) FROM pg_auth_members WHERE member = 'credit_public_views'::regrole),
          '{credit_portal_parties}', 'its one membership: the portal''s group, for the portal''s policies');
SELECT is((SELECT count(*)::integer FROM pg_auth_members WHERE roleid = 'credit_public_views'::regrole), 0,
          'and it is granted to nobody');
SELECT throws_ok($$INSERT INTO credit.department (department_id, code, name) OVERRIDING SYSTEM VALUE VALUES (0, 'ZERO', '零')$$,
                 '23514', NULL, 'department ids are >= 1 (0 stands for department-shared rows in the department policies)');
SET ROLE regress_scjg;
SELECT is(credit.department_scope(), ARRAY[0, 1], 'a department''s scope: department-shared (0) and its own department');
SET ROLE regress_portal;
SELECT is(credit.department_scope(), '{}'::integer[], 'any other registered role''s scope is empty');
RESET ROLE;
-- credit.in_department_scope(x) is x = ANY (credit.department_scope()), as every role.
CREATE FUNCTION public.regress_scope_agrees() RETURNS boolean LANGUAGE sql AS $$
    SELECT bool_and(credit.in_department_scope(x) = (x = ANY (credit.department_scope()))) FROM generate_series(0, 3) AS x
$$;
SET ROLE regress_scjg;
SELECT is(ARRAY[credit.in_department_scope(0), credit.in_department_scope(1), credit.in_department_scope(2)],
          ARRAY[true, true, false], '市场监管局 reads department-shared (0) and its own department (1), not 税务局 (2)');
SELECT ok(public.regress_scope_agrees(), 'in_department_scope agrees with department_scope for 市场监管局');
SET ROLE regress_swj;
SELECT ok(public.regress_scope_agrees(), 'and for 税务局');
SET ROLE regress_portal;
SELECT is(credit.in_department_scope(0), false, 'the portal is in no department''s scope');
SELECT ok(public.regress_scope_agrees(), 'and agrees with department_scope');
SELECT is(credit.acting_for(1), false, 'acting for nobody outside act_for_subject');
SELECT is(credit.opened_for(1), false, 'no authorisation opened');
SET ROLE regress_bank;
SELECT is(credit.in_department_scope(0), false, 'nor is a bank');
RESET ROLE;
SELECT is(credit.in_department_scope(0), false, 'nor the superuser');

-- ------------------------------------------------------------------
-- What was stored
-- ------------------------------------------------------------------
SELECT bag_eq('SELECT decision_no FROM credit.record',
              ARRAY['金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号', '金市监许〔2026〕1号', '金市监许〔2026〕2号',
                    '金税欠〔2026〕7号', '金税欠〔2026〕8号', '金税评〔2026〕1号'],
              'the eight records submitted are stored; the bad batches stored nothing');
SELECT bag_eq('SELECT name FROM credit.subject',
              ARRAY['金华市宏达贸易有限公司', '金华市兴业商贸有限公司', '赵六', '金华市李四小吃店', '张三'],
              'one subject per submitted code');
SELECT is((SELECT publicity_end FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号'),
          date '2027-09-19', 'publicity ends at the catalogue maximum (一般: 12 months from the decision, 2026-09-19)');
SELECT is((SELECT disclosure::text FROM credit.record WHERE decision_no = '金市监异〔2026〕3号'),
          '部门共享', 'default disclosure from the catalogue');
SELECT is((SELECT submitted_by::text FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'),
          'regress_swj', 'the submitting role is recorded');
SELECT is((SELECT subject_resident_id::text FROM credit.record WHERE decision_no = '金市监许〔2026〕2号'),
          '150102198807303035', 'the batch''s 15-digit identity number was converted');

-- ------------------------------------------------------------------
-- The same query as every role
-- ------------------------------------------------------------------
CREATE FUNCTION public.regress_seen() RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(decision_no ORDER BY decision_no), '{}') FROM credit.record
$$;
CREATE FUNCTION public.regress_expect(VARIADIC v text[]) RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(v) AS x
$$;

SET ROLE regress_centre;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号',
          '金市监许〔2026〕1号', '金市监许〔2026〕2号', '金税欠〔2026〕7号', '金税欠〔2026〕8号', '金税评〔2026〕1号'),
          'centre sees every record');
SET ROLE regress_scjg;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号',
          '金市监许〔2026〕1号', '金市监许〔2026〕2号'),
          '市场监管局 sees its own (the expired one too) and public records, and no tax records');
SET ROLE regress_swj;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监异〔2026〕3号', '金市监许〔2026〕1号',
          '金市监许〔2026〕2号', '金税欠〔2026〕7号', '金税欠〔2026〕8号', '金税评〔2026〕1号'),
          '税务局 sees its own, public and department-shared records, not the expired penalty');
SET ROLE regress_portal;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'the portal sees public records inside their publicity period only');
SET ROLE regress_bank;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'a bank without an opened authorisation sees public records only');
SET ROLE regress_nobody;
SELECT throws_ok('SELECT count(*) FROM credit.record', '42501', NULL, 'an unregistered role reads nothing');
RESET ROLE;

-- Reporting tools see the same through the views.
SET ROLE regress_swj;
SELECT is((SELECT decisions::integer FROM credit.sgs_timeliness WHERE category = '行政处罚'), 1,
          '双公示 timeliness: 税务局 sees the one penalty it may see');
RESET ROLE;
SELECT is((SELECT sum(decisions)::integer FROM credit.sgs_timeliness), 4, '双公示 timeliness view counts penalties and licences');

-- ------------------------------------------------------------------
-- Personal data is masked for the public portal
-- ------------------------------------------------------------------
SET ROLE regress_portal;
SELECT throws_ok('SELECT subject_name FROM credit.record', '42501', NULL, 'the portal cannot read names from the base table');
SELECT throws_ok('SELECT legal_rep_id FROM credit.record', '42501', NULL, 'nor identity numbers');
SELECT throws_ok('SELECT name FROM credit.subject', '42501', NULL, 'nor subject names');
SELECT is((SELECT legal_rep_id FROM credit.public_record WHERE decision_no = '金市监罚〔2026〕1号'),
          '110105********002X', 'the legal representative''s identity number is masked');
SELECT is((SELECT subject_name FROM credit.public_record WHERE decision_no = '金市监罚〔2026〕1号'),
          '金华市宏达贸易有限公司', 'an organisation''s name is public');
SELECT is((SELECT count(*)::integer FROM credit.public_subject WHERE kind = '自然人'), 0,
          'the portal sees no natural person unless acting for them');
RESET ROLE;

-- The public views show what the public sees, whoever reads them.
CREATE FUNCTION public.regress_public_seen() RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(decision_no ORDER BY decision_no), '{}') FROM credit.public_record
$$;
SET ROLE regress_portal;
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'public_record: the portal sees the public records inside their publicity period');
SET ROLE regress_scjg;
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'a department sees the same there, not its own non-public records');
SET ROLE regress_swj;
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'nor department-shared ones');
SET ROLE regress_centre;
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'the centre sees the same in public_record');
RESET ROLE;
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'so does the superuser: the view reads with its owner''s row security');
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.public_subject WHERE kind = '自然人'), 0,
          'public_subject shows a department no natural person, though it holds records about them');
RESET ROLE;
SET ROLE regress_nobody;
SELECT throws_ok('SELECT count(*) FROM credit.public_record', '42501', NULL,
                 'an unregistered role cannot read the public views (no privilege on them)');
RESET ROLE;

-- ------------------------------------------------------------------
-- The portal acting for a subject
-- ------------------------------------------------------------------
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT lives_ok(format('SELECT credit.act_for_subject(%s)', :zhangsan), 'the portal acts for 张三');
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号', '金税评〔2026〕1号'),
          'acting for 张三, the portal also sees his 授权查询 record');
SELECT is((SELECT name FROM credit.public_subject WHERE subject_id = :zhangsan), '张*', 'his name masked even to him');
SELECT is((SELECT subject_name FROM credit.public_record WHERE decision_no = '金税评〔2026〕1号'), '张*',
          'natural person''s name masked in public_record');
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号', '金税评〔2026〕1号'),
          'public_record shows the portal acting for 张三 his own 授权查询 record too');
SELECT is(ARRAY[credit.acting_for(:zhangsan), credit.acting_for(:hongda)], ARRAY[true, false],
          'acting_for: true for 张三 only');
COMMIT;
SET ROLE regress_portal;
SELECT is(credit.acting_for(:zhangsan), false, 'and false after the transaction');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'acting ends with the transaction');
RESET ROLE;

SET ROLE regress_scjg;
SELECT throws_ok(format('SELECT credit.act_for_subject(%s)', :zhangsan), '42501',
                 'only the public portal role can act for a subject', 'a department cannot act for a subject');
SELECT is(credit.acting_subject(), NULL, 'and acts for nobody after trying');
SET ROLE regress_bank;
SELECT throws_ok(format('SELECT credit.act_for_subject(%s)', :zhangsan), '42501', NULL, 'nor can a bank');
RESET ROLE;
SET ROLE regress_portal;
SELECT throws_ok('SELECT credit.act_for_subject(999999)', 'P0002', 'subject 999999 does not exist', 'acting for an unknown subject');
RESET ROLE;

-- Spoofing with SET or internals gains nothing.
SET ROLE regress_bank;
SELECT throws_ok('SET credit.acting_subject = 1', '42602', NULL, 'SET credit.acting_subject is refused (reserved prefix)');
SELECT throws_ok($$SELECT set_config('credit.opened_authorisations', '1', false)$$, '42602', NULL, 'set_config on the prefix is refused');
SELECT throws_ok('SELECT credit.subject_exists(1)', '42501', NULL, 'internal helpers are not executable');
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'), 'the bank still sees public records only');
RESET ROLE;

-- ------------------------------------------------------------------
-- Authorisations: granted through the portal, opened by the grantee
-- ------------------------------------------------------------------
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:hongda, 'regress_bank', '贷款审批', '授权书 2026-001', now() + interval '30 days');
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_from, valid_until)
VALUES (:hongda, 'regress_bank', '过期的授权', '授权书 2020-001', now() - interval '2 years', now() - interval '1 year');
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:hongda, 'regress_bank', '将撤销的授权', '授权书 2026-002', now() + interval '30 days');
SELECT throws_ok(format($$INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
                          VALUES (%s, 'regress_bank', '冒名授权', 'x', now() + interval '1 day')$$, :zhangsan),
                 '42501', NULL, 'the portal cannot grant for a subject it does not act for');
COMMIT;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:zhangsan);
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:zhangsan, 'regress_bank', '{信用评价}', '信用卡审批', '授权书 2026-003', now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS auth_ok FROM credit.authorisation WHERE purpose = '贷款审批' \gset
SELECT authorisation_id AS auth_expired FROM credit.authorisation WHERE purpose = '过期的授权' \gset
SELECT authorisation_id AS auth_revoked FROM credit.authorisation WHERE purpose = '将撤销的授权' \gset
SELECT authorisation_id AS auth_person FROM credit.authorisation WHERE purpose = '信用卡审批' \gset

BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
SELECT lives_ok(format($$SELECT credit.revoke_authorisation(%s, '不再需要')$$, :auth_revoked), 'the subject revokes an authorisation');
COMMIT;

-- The bank opens its valid authorisation: the log row is committed first
-- (CALL outside a transaction block), then the opening holds until closed.
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_ok);
SELECT is(credit.opened_subjects(), ARRAY[:hongda::bigint], 'the bank opens its authorisation for 宏达');
BEGIN;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号', '金税欠〔2026〕7号'),
          'with it, the bank sees 宏达''s 授权查询 record, and no one else''s');
SELECT is((SELECT count(*)::integer FROM credit.access_log WHERE authorisation_id = :auth_ok), 1, 'the read is logged');
SELECT is(ARRAY[credit.opened_for(:hongda), credit.opened_for(:zhangsan)], ARRAY[true, false],
          'opened_for: 宏达 only');
SELECT is(ARRAY[credit.authorised_for(:hongda, '其他'), credit.authorised_for(:hongda, '信用评价'), credit.authorised_for(:zhangsan, '其他')],
          ARRAY[true, true, false], 'authorised_for: every category of 宏达 (no scope), nothing of 张三');
SELECT is(public.regress_public_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'public_record stays the public''s view for the bank with its authorisation open');
COMMIT;
-- the opening is the bank's: another role of the same session does not read under it
RESET ROLE;
SET ROLE regress_bank2;
SELECT is(ARRAY[credit.opened_for(:hongda), credit.authorised_for(:hongda, '其他')], ARRAY[false, false],
          'after SET ROLE, another grantee does not use the bank''s opening');
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'and sees public records only');
RESET ROLE;
SET ROLE regress_bank;
SELECT is(credit.close_authorisation(:auth_ok), 1, 'the bank closes it');
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'the opening ends when it is closed');
-- refused by open_authorisation's own check, saying why (not by the log's policy)
SELECT matches(public.regress_error(format('CALL credit.open_authorisation(%s)', :auth_expired)),
               '^42501: authorisation ' || :auth_expired || ' is not valid: expired on \d\d(\d\d)?-\d\d-\d\d(\d\d)? \|  \| $',
               'an expired authorisation cannot be opened');
SELECT matches(public.regress_error(format('CALL credit.open_authorisation(%s)', :auth_revoked)),
               '^42501: authorisation ' || :auth_revoked || ' is not valid: revoked on \d\d(\d\d)?-\d\d-\d\d(\d\d)? \|  \| $',
               'a revoked authorisation cannot be opened');
RESET ROLE;
SET ROLE regress_bank2;
SELECT throws_ok(format('CALL credit.open_authorisation(%s)', :auth_ok), '42501',
                 format('authorisation %s not found for role "regress_bank2"', :auth_ok),
                 'another party cannot open it');
SELECT throws_ok(format($$INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose)
                          VALUES ('regress_bank2', %s, %s, '伪造')$$, :hongda, :auth_ok),
                 '42501', NULL, 'nor forge a log row to pretend it did');
SELECT is((SELECT count(*)::integer FROM credit.authorisation), 0, 'nor see another party''s authorisations');
RESET ROLE;
SET ROLE regress_bank;
SELECT lives_ok(format($$INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose)
                         VALUES ('regress_bank', %s, %s, '张冠李戴')$$, :zhangsan, :auth_ok),
                'a grantee may write a log row of its own authorisation by hand');
SELECT is((SELECT subject_id FROM credit.access_log WHERE role = 'regress_bank'::regrole ORDER BY access_id DESC LIMIT 1),
          :hongda::bigint,
          'but it names the authorisation''s subject (宏达), not the one the grantee gave: no read of another subject is logged under it');
RESET ROLE;
-- The log's policy holds on its own too: with the insert trigger not firing
-- (session_replication_role = replica, superuser only), a row naming
-- another subject than the authorisation's is refused by row security.
SET session_replication_role = replica;
SET ROLE regress_bank;
SELECT is(public.regress_error(format($$INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose)
                                        VALUES ('regress_bank', %s, %s, '张冠李戴')$$, :zhangsan, :auth_ok)),
          '42501: new row violates row-level security policy for table "access_log" |  | ',
          'without the trigger, the policy alone refuses a log row of another subject under the authorisation');
RESET ROLE;
SET session_replication_role = origin;
-- The portal acting for 宏达 sees its 授权查询 records in force, its 公开
-- ones within the public's rules (not the 2023 one past its publicity), and
-- not its 部门共享 ones.
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号', '金税欠〔2026〕7号'),
          'acting for 宏达: its 公开 records inside their publicity (not the 2023 one past it) and its 授权查询 one, not the 部门共享 金市监异〔2026〕3号');
COMMIT;

-- A grantee does not see a repaired 授权查询 record, nor a removed
-- 授权查询 list entry (both set up, then rolled back).  The bank opens
-- its authorisation first, outside a transaction block.
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_ok);
RESET ROLE;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复' WHERE decision_no IN ('金税欠〔2026〕7号', '金市监异〔2026〕3号');
SET LOCAL session_replication_role = origin;
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id)
VALUES ('R_SQ', '授权查询名单(测试)', '黑', 12, '授权查询', (SELECT department_id FROM credit.department WHERE code = 'SCJG'));
SET LOCAL ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on)
VALUES ('R_SQ', :hongda, '列入中的条目', credit.legal_date() - 10), ('R_SQ', :hongda, '已移出的条目', credit.legal_date() - 10);
SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE reasons = '已移出的条目'), '已移出', '测试') AS moved;
SET LOCAL ROLE regress_bank;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'a grantee does not see a repaired 授权查询 record');
SELECT is((SELECT array_agg(reasons) FROM credit.list_entry), '{列入中的条目}',
          'nor a removed 授权查询 list entry, only the one still listed');
SET LOCAL ROLE regress_swj;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号',
          '金市监许〔2026〕2号', '金税欠〔2026〕7号', '金税欠〔2026〕8号', '金税评〔2026〕1号'),
          'another department no longer sees a repaired 部门共享 record (金市监异〔2026〕3号; its own repaired one it still does)');
ROLLBACK;
SET ROLE regress_bank;
SELECT credit.close_authorisation(:auth_ok) IS NULL AS closed;
RESET ROLE;

-- Scope: the 张三 authorisation covers 信用评价 only.
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_person);
BEGIN;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号', '金税评〔2026〕1号'),
          'within the scope of the 张三 authorisation');
SELECT is(ARRAY[credit.authorised_for(:zhangsan, '信用评价'), credit.authorised_for(:zhangsan, '其他')], ARRAY[true, false],
          'authorised_for: the scope''s category only');
SELECT is((SELECT name_public FROM credit.subject WHERE subject_id = :zhangsan), '张*',
          'the bank sees the natural person under the opened authorisation (subject_authorised), masked');
COMMIT;
SELECT credit.close_authorisation(:auth_person);
SELECT is((SELECT count(*)::integer FROM credit.subject WHERE subject_id = :zhangsan), 0, 'and not once it is closed');
RESET ROLE;

-- A department can be a grantee too: 宏达 authorises 市场监管局, which then
-- sees 宏达's 授权查询 record from 税务局, and only while it is open.
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:hongda, 'regress_scjg', '联合奖惩核查', '授权书 2026-004', now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS auth_dept FROM credit.authorisation WHERE purpose = '联合奖惩核查' \gset
SET ROLE regress_scjg;
CALL credit.open_authorisation(:auth_dept);
SELECT is(credit.opened_subjects(), ARRAY[:hongda::bigint], '市场监管局 opens 宏达''s authorisation');
BEGIN;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号',
          '金市监许〔2026〕1号', '金市监许〔2026〕2号', '金税欠〔2026〕7号'),
          'with it, 市场监管局 also sees 宏达''s 授权查询 record from 税务局');
COMMIT;
SELECT credit.close_authorisation();
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号',
          '金市监许〔2026〕1号', '金市监许〔2026〕2号'), 'and no longer once it is closed');
RESET ROLE;

-- No opening inside a transaction block (so none a savepoint could undo).
BEGIN;
SET LOCAL ROLE regress_bank;
SAVEPOINT s;
SELECT throws_ok(format('CALL credit.open_authorisation(%s)', :auth_ok), '25001', NULL,
                 'an authorisation is not opened inside a transaction block');
ROLLBACK TO SAVEPOINT s;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'and nothing was opened');
COMMIT;

-- An authorisation ends at valid_until: at that very instant it is expired
-- (the same transaction, so now() is valid_until).
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_from, valid_until)
VALUES (:hongda, 'regress_bank', '到点的授权', '授权书 2026-009', now() - interval '1 day', now());
SET LOCAL ROLE regress_bank;
SELECT matches(public.regress_error(format('CALL credit.open_authorisation(%s)',
                                           (SELECT authorisation_id FROM credit.authorisation WHERE purpose = '到点的授权'))),
               '^42501: authorisation \d+ is not valid: expired on ',
               'at valid_until an authorisation has expired (the end is exclusive)');
ROLLBACK;

-- Acting for a subject undone with its subtransaction is forgotten too.
BEGIN;
SET LOCAL ROLE regress_portal;
SAVEPOINT s;
SELECT credit.act_for_subject(:hongda);
ROLLBACK TO SAVEPOINT s;
SELECT is(credit.acting_subject(), NULL, 'acting for a subject, rolled back with its savepoint, is forgotten');
SELECT is((SELECT count(*)::integer FROM credit.authorisation), 0, 'and the portal sees no authorisation any more');
COMMIT;

-- The subject sees who queried it.
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
SELECT is((SELECT array_agg(DISTINCT role::text ORDER BY role::text) FROM credit.access_log), '{regress_bank,regress_scjg}'::text[],
          'acting for 宏达, the portal sees who queried it: the bank and 市场监管局');
COMMIT;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.access_log), 0, 'a department does not see others'' reads');
RESET ROLE;
SELECT throws_ok('UPDATE credit.access_log SET purpose = $$x$$', '2F003', NULL, 'the access log is append-only, even for the owner');
SELECT throws_ok('DELETE FROM credit.access_log', '2F003', NULL, 'and is never deleted');

-- ------------------------------------------------------------------
-- Forbidden writes change nothing
-- ------------------------------------------------------------------
CREATE FUNCTION public.regress_fingerprint() RETURNS text LANGUAGE sql AS $$
    SELECT md5(string_agg(r::text, '|' ORDER BY record_id)) FROM credit.record r
$$;
SELECT public.regress_fingerprint() AS before \gset

SET ROLE regress_scjg;
SELECT throws_ok($$INSERT INTO credit.record (item_code, department_id, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
                  VALUES ('SWJ.QS', 2, '企业法人', '冒名', '91350100M000100Y43', '一般', '冒充', credit.legal_date())$$,
                 '42501', 'new row violates row-level security policy for table "record"',
                 'a department cannot submit as another department');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
                  VALUES ('SWJ.QS', '企业法人', '冒名', '91350100M000100Y43', '一般', '冒充', credit.legal_date())$$,
                 '42501', NULL, 'nor submit another department''s catalogue item');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, submitted_by)
                  VALUES ('SCJG.JYYC', '企业法人', '冒名', '91350100M000100Y43', '一般', '冒充', credit.legal_date(), 'regress_swj')$$,
                 '42501', NULL, 'nor sign as another role');
SELECT throws_ok($$UPDATE credit.record SET disclosure = '公开' WHERE decision_no = '金市监异〔2026〕3号'$$,
                 '42501', NULL, 'a department cannot change a disclosure level');
SELECT is_empty($$UPDATE credit.record SET state = '已撤回', state_reason = 'x' WHERE decision_no = '金税欠〔2026〕7号' RETURNING decision_no$$,
                'a department cannot withdraw another department''s record: UPDATE ... RETURNING reaches no row');
SELECT is((SELECT count(*)::integer FROM (SELECT 1) s WHERE EXISTS (
              SELECT 1 FROM credit.record WHERE decision_no = '金税欠〔2026〕7号')), 0,
          'it does not even see it');
SELECT throws_ok('DELETE FROM credit.record', '42501', NULL, 'departments cannot delete');
SELECT throws_ok('TRUNCATE credit.record', '42501', NULL, 'nor truncate');
RESET ROLE;
SELECT throws_ok($$UPDATE credit.record SET subject_id = subject_id + 1 WHERE decision_no = '金市监罚〔2026〕1号'$$,
                 '2F003', 'credit records are not changed in place', 'not even the owner changes a record''s subject');
SELECT throws_ok($$UPDATE credit.record SET department_id = 2 WHERE decision_no = '金市监罚〔2026〕1号'$$,
                 '2F003', 'credit records are not changed in place', 'or its department');
SELECT throws_ok($$DELETE FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号'$$,
                 '2F003', 'credit records are never deleted', 'or deletes it');
SELECT throws_ok('TRUNCATE credit.record CASCADE', '2F003', NULL, 'or truncates the table');
SELECT is(public.regress_fingerprint(), :'before', 'the refused writes changed nothing');

-- Withdrawal and correction leave the old version in place.
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.withdraw_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监异〔2026〕3号'), '')$$,
                 '23502', 'a withdrawal needs a reason', 'a withdrawal needs a reason');
SELECT lives_ok($$SELECT credit.withdraw_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监异〔2026〕3号'), '决定已撤销')$$,
                'the department withdraws its own record');
SELECT throws_ok($$SELECT credit.withdraw_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监异〔2026〕3号'), '再次')$$,
                 '55000', NULL, 'a withdrawn record is not withdrawn twice');
SELECT lives_ok($$SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号'),
                  '罚款金额录入错误', '{"fine_amount": 2, "penalty_content": "罚款两万元"}')$$,
                'the department corrects its own record');
SELECT throws_ok($$SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号' AND state = '有效'),
                  '改主体', '{"subject_id": 1}')$$,
                 '22023', 'a correction cannot change "subject_id"', 'a correction cannot change the subject');
RESET ROLE;
SELECT results_eq($$SELECT state::text, fine_amount::integer, corrects IS NOT NULL FROM credit.record
                     WHERE decision_no = '金市监罚〔2026〕1号' ORDER BY record_id$$,
                  $$VALUES ('已更正', 1, false), ('有效', 2, true)$$,
                  'a correction is a new version linked to the old one');
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金市监异〔2026〕3号'), 0,
          'the withdrawn record is no longer shared');
SELECT is((SELECT fine_amount::integer FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号'), 2,
          'the public sees the corrected version only');
RESET ROLE;

-- ------------------------------------------------------------------
-- Attacks
-- ------------------------------------------------------------------
-- A leaky function in WHERE sees only the rows the policies let through.
SET ROLE regress_bank;
SELECT bag_eq($$SELECT decision_no FROM credit.record WHERE public.regress_leak(decision_no || ':' || coalesce(violation_facts, ''))$$,
              ARRAY['金市监罚〔2026〕1号', '金市监许〔2026〕1号'], 'a leaky function in WHERE runs after the policies');
SELECT is((SELECT count(*)::integer FROM public.regress_leaked WHERE v LIKE '金税%' OR v LIKE '%旧案%'), 0,
          'and never saw a hidden row');
SELECT lives_ok('DELETE FROM public.regress_leaked', 'clean up');
-- RETURNING cannot reach rows a write policy hides.
RESET ROLE;
SET ROLE regress_scjg;
SELECT bag_eq($$SELECT decision_no FROM credit.record WHERE public.regress_leak(subject_name)$$,
              ARRAY['金市监罚〔2026〕1号', '金市监罚〔2026〕1号', '金市监罚〔2023〕9号', '金市监异〔2026〕3号',
                    '金市监许〔2026〕1号', '金市监许〔2026〕2号'],
              'a department''s leaky query sees its visible rows only: its own in every state (both versions of the corrected one, the withdrawn one), no tax record');
SELECT is((SELECT count(*)::integer FROM public.regress_leaked WHERE v IN ('张三', '金华市李四小吃店')), 0,
          'no tax subject leaked to 市场监管局');
RESET ROLE;
-- A group membership granted by hand gains nothing: the policies check the
-- registered party too.
GRANT credit_department_parties TO regress_portal;
SET ROLE regress_portal;
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'the portal made a member of the department group still sees public records only');
RESET ROLE;
REVOKE credit_department_parties FROM regress_portal;
-- Nor for a role that is not registered at all, given a department's
-- privileges and group by hand: it is no department.
SELECT credit.grant_party('regress_nobody', '部门');   -- every privilege of a department, and its group
SET ROLE regress_nobody;
SELECT is(credit.department_scope(), '{}'::integer[], 'an unregistered role''s department scope is empty');
SELECT is(credit.in_department_scope(0), false, 'and it reads nothing as a department');
SELECT is((SELECT count(*)::integer FROM credit.record WHERE disclosure = '部门共享'), 0,
          'an unregistered role granted the department group by hand sees no 部门共享 row');
SELECT is(public.regress_seen(), public.regress_expect('金市监罚〔2026〕1号', '金市监许〔2026〕1号'),
          'and no department''s own rows: public records only');
SELECT throws_ok($$INSERT INTO credit.record (item_code, department_id, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                                              licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('SCJG.XZXK', 1, '企业法人', '金华市兴业商贸有限公司', '911522010783762860', '冒充〔2026〕2号', credit.legal_date(),
                          '许可决定书', '普通', 'JY9', credit.legal_date(), '金华市市场监督管理局')$$,
                 '42501', 'new row violates row-level security policy for table "record"',
                 'it cannot submit as a department');
SELECT is_empty($$UPDATE credit.record SET state = '已撤回', state_reason = 'x' RETURNING decision_no$$,
                'nor withdraw any record');
RESET ROLE;
REVOKE credit_department_parties FROM regress_nobody;
REVOKE ALL ON ALL TABLES IN SCHEMA credit FROM regress_nobody;
REVOKE USAGE ON SCHEMA credit FROM regress_nobody;
-- (not a count of policies: each policy named for a kind of party applies
-- TO exactly that kind's group; a department reads credit.record through
-- record_department alone, which holds record_public's and
-- record_authorised's rules too)
SELECT is_empty($$SELECT tablename, policyname, roles
                    FROM (SELECT p.*, CASE WHEN tablename = 'record' AND policyname = 'record_public'
                                           THEN '{credit_centre_parties,credit_agency_parties,credit_portal_parties}'::name[]
                                           WHEN tablename = 'record' AND policyname = 'record_authorised'
                                           THEN '{credit_agency_parties}'
                                           WHEN policyname ~ '_centre$' THEN '{credit_centre_parties}'
                                           WHEN policyname ~ '_acting$' THEN '{credit_portal_parties}'
                                           WHEN policyname ~ '_department(_insert|_update)?$' THEN '{credit_department_parties}'
                                           WHEN policyname ~ '_authorised$' THEN '{credit_agency_parties,credit_department_parties}'
                                           WHEN policyname ~ '_public$' THEN '{public}' END AS g
                            FROM pg_policies p WHERE schemaname = 'credit') q
                   WHERE g IS NOT NULL AND NOT (roles @> g AND roles <@ g)$$,
                'policies apply TO the party kinds they are for');
-- COPY TO applies the policies.
SET ROLE regress_portal;
\copy (SELECT decision_no FROM credit.record ORDER BY decision_no) TO 'results/portal_copy.txt'
\copy credit.record (decision_no) TO 'results/portal_copy_table.txt'
RESET ROLE;
CREATE TEMP TABLE regress_copied (decision_no text);
\copy regress_copied FROM 'results/portal_copy_table.txt'
SELECT bag_eq('SELECT decision_no FROM regress_copied', ARRAY['金市监罚〔2026〕1号', '金市监许〔2026〕1号'],
              'COPY credit.record TO gives the portal only public rows');
-- An error message does not reveal a hidden row: the unique decision
-- number is per department, and another department's row is "not found".
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.withdraw_record((SELECT max(record_id) FROM credit.record) + 1000, '猜测')$$,
                 '55000', NULL, 'withdrawing a hidden or missing record gives the same error');
RESET ROLE;

-- ------------------------------------------------------------------
-- Issue 11, class 2: planner statistics.  The comparison operators of
-- resident_id are LEAKPROOF (row-security quals and index scans need
-- them), so the planner estimates a caller's condition on them from the
-- statistics of every row, hidden ones included: EXPLAIN's estimates
-- would step at hidden identity numbers.  Personal columns keep no
-- statistics (SET STATISTICS 0), so the estimate is the default one.
-- ------------------------------------------------------------------
-- 200 natural persons no department holds a record about
CREATE FUNCTION public.regress_rid(n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT b || substr('10X98765432', (SELECT sum(substr(b, i::integer, 1)::integer * w) FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::integer[]) WITH ORDINALITY AS t(w, i))::integer % 11 + 1, 1)
      FROM (SELECT '44052419800101' || lpad(n::text, 3, '0') AS b) s
$$;
CREATE FUNCTION public.regress_estimate(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    j json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
    RETURN (j -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
END
$$;
INSERT INTO credit.subject (kind, resident_id, name)
SELECT '自然人', public.regress_rid(n), '隐藏' || n FROM generate_series(100, 299) AS n;
ANALYZE credit.subject;
CREATE TEMP TABLE regress_stats_control AS SELECT resident_id FROM credit.subject;
ANALYZE regress_stats_control;
SELECT cmp_ok((SELECT count(DISTINCT public.regress_estimate(format('SELECT 1 FROM pg_temp.regress_stats_control WHERE resident_id <= %L', public.regress_rid(n))))::integer
                 FROM generate_series(100, 299, 20) AS n), '>', 3,
              'control: with statistics, estimates step at the identity numbers (the probe detects the channel)');
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.subject WHERE name LIKE '隐藏%'), 0, 'the department sees none of the 200 persons');
SELECT is((SELECT count(DISTINCT public.regress_estimate(format('SELECT 1 FROM credit.subject WHERE resident_id <= %L', public.regress_rid(n))))::integer
             FROM generate_series(100, 299, 20) AS n), 1,
          'as a department, EXPLAIN estimates do not move with hidden identity numbers');
SELECT is((SELECT count(DISTINCT public.regress_estimate(format('SELECT 1 FROM credit.record WHERE subject_resident_id <= %L', public.regress_rid(n))))::integer
             FROM generate_series(100, 299, 20) AS n), 1,
          'nor on the records');
RESET ROLE;
SELECT is((SELECT array_agg(c.relname || '.' || a.attname ORDER BY 1) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attstattarget <> 0
              AND (c.relname, a.attname) IN (SELECT 'record', column_name FROM credit.record_columns() WHERE public_source <> column_name
                                             UNION ALL SELECT 'record', public_source FROM credit.record_columns() WHERE public_source <> column_name
                                             UNION ALL VALUES ('subject', 'name'), ('subject', 'name_key'), ('subject', 'resident_id'),
                                                              ('subject', 'legal_rep_id'), ('subject', 'name_public'), ('subject', 'resident_id_public'),
                                                              ('subject', 'name_key_public'))),
          NULL, 'no personal column (nor its masked copy) keeps statistics');
SELECT is((SELECT count(*)::integer FROM pg_statistic s JOIN pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum
            WHERE s.starelid = 'credit.subject'::regclass AND a.attname IN ('resident_id', 'name', 'name_key', 'name_key_public')), 0,
          'ANALYZE stored nothing about them');

-- ------------------------------------------------------------------
-- Issue 13: search by name.  credit.find_subject() and public_subject's
-- name_key find organisations by their normalised name, equal or by its
-- start, through the index subject_name_key_public; never a natural person.
-- ------------------------------------------------------------------
CREATE FUNCTION public.regress_plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SET ROLE regress_portal;
SELECT is((SELECT array_agg(uscc::text) FROM credit.find_subject('金華市宏達貿易有限公司')), '{91350100M000100Y43}',
          'the portal finds an organisation by its name, written in traditional characters');
SELECT is((SELECT array_agg(uscc::text) FROM credit.find_subject('金华市 宏达', true)), '{91350100M000100Y43}',
          'and by the start of its name');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('金华市宏达贸易')), 0,
          'without prefix => true, the whole name');
SELECT is((SELECT array_agg(name ORDER BY name) FROM credit.find_subject('金华市', true)),
          '{金华市兴业商贸有限公司,金华市宏达贸易有限公司,金华市李四小吃店}',
          'a prefix finds every organisation it starts, and only organisations');
SELECT is((SELECT array_agg(uscc::text ORDER BY uscc) FROM credit.public_subject WHERE name_key LIKE '金华市李%'),
          '{92340602MA2PBQAH7E}', 'public_subject.name_key takes LIKE ''prefix%''');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('隐藏', true)) + (SELECT count(*)::integer FROM credit.find_subject('张三')), 0,
          'no natural person is found by name');
BEGIN;
SET LOCAL enable_seqscan = off;
SELECT matches(public.regress_plan($$SELECT * FROM credit.find_subject('金华市宏达', true)$$),
               'Index (Only )?Scan using subject_name_key_public on subject',
               'find_subject is one scan of the index subject_name_key_public, as the portal');
SELECT matches(public.regress_plan($$SELECT uscc FROM credit.public_subject
                                      WHERE name_key >= '金华市宏达' AND name_key < '金华市宏达' || chr(1114111)$$),
               'Index (Only )?Scan using subject_name_key_public on subject',
               'so is a range on public_subject.name_key');
COMMIT;
RESET ROLE;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:zhangsan) \g /dev/null
SELECT results_eq(format('SELECT name, name_key FROM credit.public_subject WHERE subject_id = %s', :zhangsan),
                  $$VALUES ('张*'::text, NULL::text)$$,
                  'acting for 张三, the portal sees him without a name key');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('张三')), 0, 'and cannot find him by his name');
COMMIT;
SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM credit.find_subject('张三')), 0,
          'find_subject shows the public''s view to the centre too: no natural person');
RESET ROLE;

-- A part of the name (partial => true): organisations whose key contains
-- the part's key, through the trigram index when the DBA made it
-- (docs/disclosure.md), % and _ taken literally, exactly the rows each role
-- finds with LIKE on public_subject.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX subject_name_key_trgm ON credit.subject USING gin (name_key_public gin_trgm_ops) WHERE name_key_public IS NOT NULL;
INSERT INTO credit.subject (kind, uscc, name) VALUES
    ('企业法人', credit.uscc_complete('91330701MA2PBM001'), '金华市百分百%纯净水有限公司'),
    ('企业法人', credit.uscc_complete('91330701MA2PBM002'), '金华市百分百X纯净水有限公司'),
    ('企业法人', credit.uscc_complete('91330701MA2PBM003'), '金华市A_B科技有限公司'),
    ('企业法人', credit.uscc_complete('91330701MA2PBM004'), '金华市AXB科技有限公司');
SET ROLE regress_portal;
SELECT is((SELECT array_agg(uscc::text) FROM credit.find_subject('宏達貿易', partial => true)), '{91350100M000100Y43}',
          'the portal finds an organisation by a part of its name, written in traditional characters');
SELECT is((SELECT array_agg(name ORDER BY name) FROM credit.find_subject('商贸 有限', false, true)), '{金华市兴业商贸有限公司}',
          'a part anywhere in the name, white space left out as in the key');
SELECT is((SELECT array_agg(name ORDER BY name) FROM credit.find_subject('百分百%纯', partial => true)), '{金华市百分百%纯净水有限公司}',
          'a % in the part is a percent sign, not a wildcard');
SELECT is((SELECT array_agg(name ORDER BY name) FROM credit.find_subject('ａ＿ｂ科技', partial => true)), '{金华市A_B科技有限公司}',
          'nor is an _ (here full-width, normalised): A_B does not find AXB');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('隐藏1', partial => true)), 0,
          'no natural person is found by a part of the name');
SELECT throws_ok($$SELECT * FROM credit.find_subject('宏 达', partial => true)$$, '22023',
                 'a partial name must have at least 3 characters',
                 'a part of fewer than 3 characters once normalised is refused: no trigram to search by');
SELECT is(public.regress_error($$SELECT * FROM credit.find_subject('宏 达', partial => true)$$),
          '22023: a partial name must have at least 3 characters | Its normalised form "宏达" has 2. | Give 3 characters or more, or search by the start of the name: credit.find_subject(name, true).',
          'the refusal says how long the part is and what to do instead');
RESET ROLE;
-- (with enough organisations that the trigram index pays, and the index's
-- pending list merged, as autovacuum does: rolled back)
BEGIN;
INSERT INTO credit.subject (kind, uscc, name)
SELECT '企业法人', credit.uscc_complete('91330701MA' || lpad(n::text, 7, '0')), '金华市第' || n || '号商行'
  FROM generate_series(1, 3000) AS n;
SELECT gin_clean_pending_list('credit.subject_name_key_trgm') \g /dev/null
SET LOCAL enable_seqscan = off;
SET LOCAL ROLE regress_portal;
SELECT pg_stat_get_xact_numscans('credit.subject_name_key_trgm'::regclass) AS trgm_scans \gset
SELECT is((SELECT count(*)::integer FROM credit.find_subject('纯净水', partial => true)), 2, 'the portal''s partial search');
SELECT cmp_ok(pg_stat_get_xact_numscans('credit.subject_name_key_trgm'::regclass), '>', :trgm_scans::bigint,
              'is answered by the trigram index subject_name_key_trgm');
SELECT matches(public.regress_plan($$SELECT * FROM credit.find_subject('纯净水', partial => true)$$),
               'Index Scan (using|on) subject_pkey[^\n]*\n *Index Cond: \(subject_id = ANY \((credit\.)?subject_ids_containing',
               'and its rows are read by subject_id, through public_subject');
ROLLBACK;
RESET ROLE;
SELECT subject_id AS hidden100 FROM credit.subject WHERE name = '隐藏100' \gset
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hidden100) \g /dev/null
SELECT is((SELECT count(*)::integer FROM credit.public_subject WHERE subject_id = :hidden100), 1, 'acting for 隐藏100, the portal sees him');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('隐藏100', partial => true)), 0, 'but finds him by no part of his name');
COMMIT;
SELECT is((SELECT count(*)::integer FROM credit.subject WHERE name_key LIKE '%隐藏1%'), 100, '(the superuser sees the persons: 隐藏100 to 隐藏199)');
CREATE FUNCTION public.regress_partial_disagrees() RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(p.part ORDER BY p.part)
      FROM (VALUES ('有限公司'), ('金华市'), ('隐藏1'), ('百分百%'), ('A_B'), ('小吃店')) AS p(part)
     WHERE (SELECT array_agg(subject_id ORDER BY subject_id) FROM credit.find_subject(p.part, partial => true))
           IS DISTINCT FROM
           (SELECT array_agg(subject_id ORDER BY subject_id) FROM credit.public_subject
             WHERE name_key LIKE '%' || replace(replace(replace(credit.normalize_name(p.part), '\', '\\'), '%', '\%'), '_', '\_') || '%')
$$;
SET ROLE regress_portal;
SELECT is(public.regress_partial_disagrees(), NULL, 'the portal finds by a part what LIKE on public_subject finds');
SET ROLE regress_scjg;
SELECT is(public.regress_partial_disagrees(), NULL, 'so does a department');
SET ROLE regress_centre;
SELECT is(public.regress_partial_disagrees(), NULL, 'and the centre (the public''s view: no natural person)');
SET ROLE regress_bank;
SELECT is(public.regress_partial_disagrees(), NULL, 'and an authorised party');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM credit.find_subject('有限公司', partial => true)), 0,
          'an unregistered superuser finds nothing, as it reads nothing in public_subject');
-- A role not registered, given a department's privileges by hand, learns
-- nothing: the ids come only for registered roles.
SELECT credit.grant_party('regress_nobody', '部门');
SET ROLE regress_nobody;
SELECT is(credit.subject_ids_containing('有限公司'), '{}'::bigint[], 'an unregistered role gets no id of a subject');
SELECT is((SELECT count(*)::integer FROM credit.find_subject('有限公司', partial => true)), 0, 'and finds nothing');
RESET ROLE;
REVOKE credit_department_parties FROM regress_nobody;
REVOKE ALL ON ALL TABLES IN SCHEMA credit FROM regress_nobody;
REVOKE USAGE ON SCHEMA credit FROM regress_nobody;
SELECT is(ARRAY[(SELECT provolatile::text || proparallel::text || prosecdef::text FROM pg_proc WHERE oid = 'credit.subject_ids_containing(text)'::regprocedure),
                (SELECT l.lanname::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                  WHERE p.oid = 'credit.find_subject(text, boolean, boolean)'::regprocedure)],
          ARRAY['srfalse', 'sql'], 'subject_ids_containing is STABLE, PARALLEL RESTRICTED, not SECURITY DEFINER (it checks the caller in C); find_subject stays plain SQL, inlined');

-- ------------------------------------------------------------------
-- Issue 11, classes 3 and 4: no read without a committed log row; validity
-- and revocation by the clock and the latest committed state.
-- ------------------------------------------------------------------
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE FUNCTION public.regress_other_session(statement text) RETURNS text LANGUAGE sql AS $$
    SELECT public.dblink_exec(format('host=%s port=%s dbname=%s user=%s', split_part(current_setting('unix_socket_directories'), ',', 1),
                                     current_setting('port'), current_database(), session_user), statement)
$$;
CREATE FUNCTION public.regress_logged(auth bigint) RETURNS integer LANGUAGE sql SECURITY DEFINER AS $$
    SELECT count(*)::integer FROM credit.access_log WHERE authorisation_id = auth
$$;
SELECT public.regress_logged(:auth_ok) AS logged_before \gset
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_ok);
BEGIN;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'), 1, 'class 3: the bank reads 宏达''s 授权查询 record');
ROLLBACK;
BEGIN;
SAVEPOINT s;
SELECT count(*) FROM credit.record WHERE decision_no = '金税欠〔2026〕7号';
ROLLBACK TO SAVEPOINT s;
ROLLBACK;
BEGIN;
SELECT count(*) FROM credit.record WHERE decision_no = '金税欠〔2026〕7号';
PREPARE TRANSACTION 'regress_read';
ROLLBACK PREPARED 'regress_read';
RESET ROLE;
SELECT is(public.regress_logged(:auth_ok), :logged_before + 1,
          'read then ROLLBACK, ROLLBACK TO SAVEPOINT and ROLLBACK PREPARED: the committed log row stays');
SELECT results_eq(format($$SELECT role::text, subject_id, purpose FROM credit.access_log WHERE authorisation_id = %s ORDER BY access_id DESC LIMIT 1$$, :auth_ok),
                  format($$VALUES ('regress_bank', %s::bigint, '贷款审批')$$, :hongda),
                  'the row names the reader, the subject and the purpose');
-- the log row is committed: another session sees it
SELECT is(public.regress_other_session(format('DO $d$ BEGIN IF (SELECT count(*) FROM credit.access_log WHERE authorisation_id = %s) <> %s THEN RAISE EXCEPTION ''not committed''; END IF; END $d$', :auth_ok, :logged_before + 1)),
          'DO', 'another session sees the log row: it is committed');
SET ROLE regress_bank;
SELECT credit.close_authorisation(:auth_ok);
-- class 9 too: the grantee chooses neither the time nor the purpose
INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose, accessed_at)
VALUES ('regress_bank', :hongda, :auth_ok, '自选用途', '2000-01-01');
RESET ROLE;
SELECT results_eq(format($$SELECT purpose, accessed_at > now() - interval '1 hour' FROM credit.access_log WHERE authorisation_id = %s ORDER BY access_id DESC LIMIT 1$$, :auth_ok),
                  $$VALUES ('贷款审批', true)$$,
                  'a log row written by hand gets the authorisation''s purpose and the clock''s time, not the writer''s');

-- Expiry by the clock: an opening ends at valid_until, inside a REPEATABLE
-- READ transaction begun before.
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:hongda, 'regress_bank', '短期授权', '授权书 2026-010', clock_timestamp() + interval '2 seconds'),
       (:hongda, 'regress_bank', '将被另一会话撤销', '授权书 2026-011', now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS auth_short FROM credit.authorisation WHERE purpose = '短期授权' \gset
SELECT authorisation_id AS auth_revoke2 FROM credit.authorisation WHERE purpose = '将被另一会话撤销' \gset
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_short);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'), 1, 'class 4: open while valid');
SELECT pg_sleep(2.2);
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'), 0,
          'past valid_until the opening ends, in the same REPEATABLE READ transaction');
COMMIT;
SELECT throws_ok(format('CALL credit.open_authorisation(%s)', :auth_short), '42501', NULL, 'and it no longer opens');
-- Revocation by another session, inside a REPEATABLE READ transaction of
-- the reader begun before it.
CALL credit.open_authorisation(:auth_revoke2);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'), 1, 'open before the revocation');
RESET ROLE;
SELECT is(public.regress_other_session(format($$UPDATE credit.authorisation SET revoked_at = now(), revoked_reason = '另一会话撤销' WHERE authorisation_id = %s$$, :auth_revoke2)),
          'UPDATE 1', 'another session revokes it and commits');
SET LOCAL ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔2026〕7号'), 0,
          'the revocation ends the opening at once, whatever the reader''s snapshot');
COMMIT;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:hongda, 'regress_bank', '快照之后撤销', '授权书 2026-012', now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS auth_revoke3 FROM credit.authorisation WHERE purpose = '快照之后撤销' \gset
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL ROLE regress_bank;
SELECT count(*) FROM credit.authorisation WHERE authorisation_id = :auth_revoke3 AND revoked_at IS NULL;
RESET ROLE;
SELECT public.regress_other_session(format($$UPDATE credit.authorisation SET revoked_at = now(), revoked_reason = '快照之后' WHERE authorisation_id = %s$$, :auth_revoke3));
SET LOCAL ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.authorisation WHERE authorisation_id = :auth_revoke3 AND revoked_at IS NULL), 1,
          'control: the REPEATABLE READ snapshot still shows the authorisation unrevoked');
SELECT is(split_part(public.regress_error(format('CALL credit.open_authorisation(%s)', :auth_revoke3)), ':', 1), '25001',
          'yet it does not open in that transaction (nothing opens inside a transaction block)');
SELECT is(credit.opened_subjects(), '{}'::bigint[], 'nothing is open');
COMMIT;
SET ROLE regress_bank;
SET default_transaction_isolation = 'repeatable read';
SELECT is(regexp_replace(public.regress_error(format('CALL credit.open_authorisation(%s)', :auth_revoke3)), ' on .*', ''),
          format('42501: authorisation %s is not valid: revoked', :auth_revoke3),
          'under REPEATABLE READ, a new transaction sees the revocation and refuses');
RESET default_transaction_isolation;
RESET ROLE;

-- ------------------------------------------------------------------
-- Issue 11, class 9: scope and publicity gaps
-- ------------------------------------------------------------------
INSERT INTO credit.list_entry (list_kind, subject_id, department_id, disclosure, reasons, listed_on)
VALUES ('YZSX', :zhangsan, 1, '授权查询', '授权查询的黑名单条目', credit.legal_date() - 1);
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE reasons = '授权查询的黑名单条目'), 1, 'control: the entry exists');
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_person);
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE subject_id = :zhangsan), 0,
          'an authorisation limited to 信用评价 shows no 黑名单 entry');
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税评〔2026〕1号'), 1,
          'but its 信用评价 record');
SELECT credit.close_authorisation();
RESET ROLE;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金市监罚〔2023〕9号'), 0,
          'acting for 宏达, the portal does not see its 公开 record past its publicity period');
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔2023〕9号'), 0,
          'nor in public_record');
COMMIT;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金市监罚〔2023〕9号' AND disclosure = '公开'), 1,
          'control: the record exists and is 公开');

-- ------------------------------------------------------------------
-- Issue 11, class 6: oracles in the write paths (answers compared with the
-- numbers taken out)
-- ------------------------------------------------------------------
CREATE FUNCTION public.regress_shape(e text) RETURNS text LANGUAGE sql AS $$ SELECT regexp_replace(e, '\d+', 'N', 'g') $$;
SELECT record_id AS hidden_withdrawn FROM credit.record WHERE decision_no = '金市监异〔2026〕3号' \gset
SELECT record_id AS hidden_expired FROM credit.record WHERE decision_no = '金市监罚〔2023〕9号' \gset
SELECT record_id AS hidden_swj FROM credit.record WHERE decision_no = '金税欠〔2026〕7号' \gset
SET ROLE regress_scjg;
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, corrects)
                  VALUES ('SCJG.JYYC', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '一般', '探测〔2026〕1号', credit.legal_date(), %s)$$, :hidden_swj))),
          public.regress_shape(public.regress_error($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, corrects)
                  VALUES ('SCJG.JYYC', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '一般', '探测〔2026〕1号', credit.legal_date(), 99999999)$$)),
          'corrects naming another department''s hidden record is refused as a missing one');
SELECT is(split_part(public.regress_error(format($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, corrects)
                  VALUES ('SCJG.JYYC', '企业法人', '金华市宏达贸易有限公司', '91350100M000100Y43', '一般', '探测〔2026〕2号', credit.legal_date(), %s)$$, :hidden_swj)), ':', 1),
          '23503', 'and refused');
RESET ROLE;
-- (a) Filing: the portal acting for 宏达 may name 宏达's records in force and
-- its entries 列入中 (credit.filing_reference); anything else gets the
-- answer a missing id gets, without waiting for a lock on it.
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('YZSX', :hongda, '探测用, 已移出', credit.legal_date() - 10);
SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE reasons = '探测用, 已移出'), '已移出', '探测') AS moved;
RESET ROLE;
SELECT entry_id AS removed_entry FROM credit.list_entry WHERE reasons = '探测用, 已移出' \gset
SELECT record_id AS other_subject FROM credit.record WHERE decision_no = '金税欠〔2026〕8号' \gset
SELECT public.dblink_connect('regress_locker', format('host=%s port=%s dbname=%s user=%s', split_part(current_setting('unix_socket_directories'), ',', 1),
                                                      current_setting('port'), current_database(), session_user));
SELECT public.dblink_exec('regress_locker', 'BEGIN');
SELECT public.dblink_exec('regress_locker', format('DO $l$ BEGIN PERFORM FROM credit.record WHERE record_id = %s FOR UPDATE; END $l$', :other_subject));
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:hongda);
SET LOCAL lock_timeout = '200ms';
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (%s, '信息错误', '探测')$$, :hidden_withdrawn))),
          public.regress_shape(public.regress_error($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (99999999, '信息错误', '探测')$$)),
          'class 6: an objection to the subject''s withdrawn record is refused as one to a missing record (not "已撤回")');
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment) VALUES (%s, true, '{信用修复承诺书,履行义务证明}', '探测')$$, :hidden_withdrawn))),
          public.regress_shape(public.regress_error($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment) VALUES (99999999, true, '{信用修复承诺书,履行义务证明}', '探测')$$)),
          'a repair application for it too (not its item, state or publicity)');
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.repair (entry_id, obligations_performed, materials, commitment) VALUES (%s, true, '{信用修复承诺书,履行义务证明}', '探测')$$, :removed_entry))),
          public.regress_shape(public.regress_error($$INSERT INTO credit.repair (entry_id, obligations_performed, materials, commitment) VALUES (99999999, true, '{信用修复承诺书,履行义务证明}', '探测')$$)),
          'and one for the subject''s removed list entry as one for a missing entry (not "已移出")');
SELECT is(public.regress_error(format($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (%s, '信息错误', '探测')$$, :other_subject)),
          format('42501: record %s is not a record of the subject you act for |  | ', :other_subject),
          'another subject''s record locked by another session: the same answer at once, no wait on its lock');
COMMIT;
SELECT public.dblink_exec('regress_locker', 'ROLLBACK');
SELECT public.dblink_disconnect('regress_locker');
SET ROLE regress_centre;
SELECT is(split_part(public.regress_error(format($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (%s, '信息错误', '探测')$$, :hidden_withdrawn)), ' |', 1),
          format('55000: record %s is 已撤回 and cannot be objected to', :hidden_withdrawn),
          'control: the centre, which sees it, is told the record is withdrawn');
RESET ROLE;
-- (b) A department that submits a record about a natural person learns
-- nothing about what it did not know: not the name another department
-- stored, not that the person was known (its id is random), not through
-- which error its record is refused.
BEGIN;
SET LOCAL ROLE regress_scjg;
-- in this order (rows are inserted one after the other): a new person, an
-- organisation, a person 税务局 knows (stored as 张三), an organisation
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, subject_uscc, disclosure, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, valid_from, authority_name)
SELECT 'SCJG.XZXK', v.kind::credit.subject_kind, v.name, v.rid, v.uscc, v.disclosure::credit.disclosure_level, '探测〔2026〕' || v.no,
       credit.legal_date(), '许可决定书', '普通', 'T' || v.no, credit.legal_date(), '市场监管局'
  FROM (VALUES (1, '自然人', '新人', '11010519491231002X', NULL, '部门共享', '新'),
               (2, '企业法人', '探测甲公司', NULL, credit.uscc_complete('91330702MA2X00011'), NULL, '甲'),
               (3, '自然人', '张叁', '440524188001010014', NULL, '部门共享', '旧'),
               (4, '企业法人', '探测乙公司', NULL, credit.uscc_complete('91330702MA2X00021'), NULL, '乙')) AS v(n, kind, name, rid, uscc, disclosure, no)
 ORDER BY v.n;
SELECT is((SELECT string_agg(name || '/' || resident_id_public, ',') FROM credit.subject WHERE kind = '自然人'), NULL,
          'class 6: the department does not read the person''s subject row (税务局''s stored name 张三)');
SELECT is((SELECT subject_id FROM credit.record WHERE decision_no = '探测〔2026〕甲') - (SELECT subject_id FROM credit.record WHERE decision_no = '探测〔2026〕新') = 1,
          (SELECT subject_id FROM credit.record WHERE decision_no = '探测〔2026〕乙') - (SELECT subject_id FROM credit.record WHERE decision_no = '探测〔2026〕旧') = 1,
          'nor from the ids whether the person was known before (a new subject''s id is not the next number)');
SELECT is(public.regress_shape(public.regress_error($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('SCJG.XZXK', '自然人', ' ', '440524188001010014', '部门共享', '探测〔2026〕空', credit.legal_date(), '许可决定书', '普通', 'T5', credit.legal_date(), '市场监管局')$$)),
          public.regress_shape(public.regress_error($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('SCJG.XZXK', '自然人', ' ', '360426199101010071', '部门共享', '探测〔2026〕空', credit.legal_date(), '许可决定书', '普通', 'T5', credit.legal_date(), '市场监管局')$$)),
          'nor from the error of a record without a name (the same for a known and an unknown person)');
ROLLBACK;
-- (c) Listing: a hidden subject or basis record is refused as a missing one.
BEGIN;
SET LOCAL ROLE regress_scjg;
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('YZSX', %s, '探测', credit.legal_date())$$, :zhangsan))),
          public.regress_shape(public.regress_error($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('YZSX', 99999999, '探测', credit.legal_date())$$)),
          'class 6: listing a hidden natural person is refused as listing a missing subject (not "a natural person''s entry cannot be 公开")');
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on) VALUES ('YZSX', %s, %s, '探测', credit.legal_date())$$, :hongda, :hidden_swj))),
          public.regress_shape(public.regress_error(format($$INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on) VALUES ('YZSX', %s, 99999999, '探测', credit.legal_date())$$, :hongda))),
          'a listing based on another department''s hidden record in force is refused as one based on a missing record');
ROLLBACK;
BEGIN;
SET LOCAL ROLE regress_swj;
SELECT is(public.regress_shape(public.regress_error(format($$INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on) VALUES ('SWHM', %s, %s, '探测', credit.legal_date())$$, :hongda, :hidden_withdrawn))),
          public.regress_shape(public.regress_error(format($$INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on) VALUES ('SWHM', %s, 99999999, '探测', credit.legal_date())$$, :hongda))),
          'and one based on another department''s hidden withdrawn record (not "已撤回")');
ROLLBACK;

-- ------------------------------------------------------------------
-- Issue 11, class 5: personal data outside the masked columns.  张三's
-- objection is decided 更正 of his name: the outcome details and the
-- events carry the name.  The portal (acting for him or not) and a bank
-- read only the masked copies; the department whose record it is reads
-- them whole; the superuser (control) sees what is stored.
-- ------------------------------------------------------------------
SELECT is(credit.mask_details('{"changes": {"subject_name": "张三丰", "subject_resident_id": "440524188001010014", "remarks": "张三丰"}, "entries": [{"legal_rep_id": "150102880730303"}, 7], "name": null}'),
          '{"changes": {"subject_name": "张**", "subject_resident_id": "440524********0014", "remarks": "张三丰"}, "entries": [{"legal_rep_id": "***************"}, 7], "name": null}'::jsonb,
          'class 5: mask_details masks every personal key at any depth, nothing else (free text stays)');
SELECT record_id AS zs_record FROM credit.record WHERE decision_no = '金税评〔2026〕1号' \gset
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:zhangsan);
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (:zs_record, '信息错误', '姓名登记有误');
COMMIT;
SELECT objection_id AS zs_objection FROM credit.objection WHERE record_id = :zs_record \gset
SET ROLE regress_centre;
SELECT credit.transition('objection', :zs_objection, '已受理');
SELECT credit.transition('objection', :zs_objection, '已办结', '核实: 姓名登记有误',
                         jsonb_build_object('outcome', '更正', 'changes', jsonb_build_object('subject_name', '张三丰')));
RESET ROLE;
SELECT is((SELECT outcome_details #>> '{changes,subject_name}' FROM credit.objection WHERE objection_id = :zs_objection), '张三丰',
          'class 5 control (superuser): the outcome details hold the name');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'objection' AND object_id = :zs_objection
              AND details #>> '{changes,subject_name}' = '张三丰'), 1, 'control: and so does the event of the outcome');
SET ROLE regress_swj;
SELECT is((SELECT outcome_details #>> '{changes,subject_name}' || '/' || count(e.*)
             FROM credit.objection o LEFT JOIN credit.workflow_event e
               ON e.machine = 'objection' AND e.object_id = o.objection_id AND e.details #>> '{changes,subject_name}' = '张三丰'
            WHERE o.objection_id = :zs_objection GROUP BY o.outcome_details), '张三丰/1',
          'the department whose record it is reads the details and the event whole');
RESET ROLE;
BEGIN;
SET LOCAL ROLE regress_portal;
SELECT credit.act_for_subject(:zhangsan);
SELECT is((SELECT outcome_details_public #>> '{changes,subject_name}' FROM credit.objection WHERE objection_id = :zs_objection), '张**',
          'acting for 张三, the portal reads the outcome details masked');
SELECT is((SELECT array_agg(details_public #>> '{changes,subject_name}') FROM credit.workflow_event
            WHERE machine = 'objection' AND object_id = :zs_objection AND details_public ? 'changes'), '{张**}',
          'and the event''s details masked');
SELECT throws_ok('SELECT outcome_details FROM credit.objection', '42501', NULL, 'acting, the portal cannot read the outcome details');
SELECT throws_ok('SELECT details FROM credit.workflow_event', '42501', NULL, 'nor the events'' details');
SELECT throws_ok('SELECT o FROM credit.objection o', '42501', NULL, 'nor the whole row');
COMMIT;
SET ROLE regress_portal;
SELECT throws_ok('SELECT details FROM credit.workflow_event', '42501', NULL, 'the public portal cannot read the events'' details');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE details_public::text LIKE '%张三丰%'), 0,
          'and its own events'' masked details hold no name');
RESET ROLE;
SET ROLE regress_bank;
CALL credit.open_authorisation(:auth_person);
SELECT throws_ok('SELECT outcome_details_public FROM credit.objection', '42501', NULL, 'a bank reads no objection');
SELECT throws_ok('SELECT details_public FROM credit.workflow_event', '42501', NULL, 'nor events');
SELECT throws_ok('SELECT subject_name FROM credit.record', '42501', NULL, 'nor the records'' names unmasked, even under an opened authorisation');
SELECT throws_ok('SELECT legal_rep_id FROM credit.record', '42501', NULL, 'nor the legal representatives'' identity numbers');
SELECT throws_ok('SELECT name FROM credit.subject', '42501', NULL, 'nor the subjects'' names');
SELECT results_eq(format($$SELECT subject_name_public, subject_resident_id_public FROM credit.record WHERE subject_id = %s AND state = '有效'$$, :zhangsan),
                  $$VALUES ('张**', '440524********0014')$$,
                  'under the opened authorisation the bank reads 张三''s corrected record, masked');
SELECT is((SELECT legal_rep_id_public FROM credit.record WHERE decision_no = '金市监罚〔2026〕1号'), '110105********002X',
          'and a public record''s legal representative masked');
SELECT credit.close_authorisation();
RESET ROLE;

-- What each kind of party is granted (credit.grant_party), as
-- docs/disclosure.md says: only the centre moves a record's publicity; an
-- authorised party only reads (and logs its reads).
SELECT is(ARRAY[has_column_privilege('regress_centre', 'credit.record', 'publicity_state', 'UPDATE'),
                has_column_privilege('regress_scjg', 'credit.record', 'publicity_state', 'UPDATE'),
                has_column_privilege('regress_scjg', 'credit.record', 'state', 'UPDATE')],
          ARRAY[true, false, true], 'UPDATE of publicity_state: the centre, not a department (which withdraws: state)');
SELECT is(ARRAY[has_table_privilege('regress_bank', 'credit.record', 'INSERT'),
                has_table_privilege('regress_bank', 'credit.record', 'UPDATE'),
                has_table_privilege('regress_bank', 'credit.access_log', 'INSERT'),
                has_column_privilege('regress_bank', 'credit.record', 'decision_no', 'SELECT')],
          ARRAY[false, false, true, true], 'an authorised party reads and logs, and writes no record');
SELECT * FROM finish();

-- ------------------------------------------------------------------
-- Clean up
-- ------------------------------------------------------------------
DROP FUNCTION public.regress_partial_disagrees();
DROP INDEX credit.subject_name_key_trgm;
DROP EXTENSION pg_trgm;
DROP FUNCTION public.regress_rid(integer), public.regress_estimate(text), public.regress_other_session(text), public.regress_logged(bigint), public.regress_shape(text);
DROP EXTENSION dblink;
DROP FUNCTION public.regress_leak(text), public.regress_seen(), public.regress_expect(text[]), public.regress_fingerprint(),
              public.regress_public_seen(), public.regress_scope_agrees();
DROP TABLE public.regress_leaked;
\i sql/include/tap_teardown.sql
