-- The record predicates (issue 11, the department lookup's speed):
-- credit.record_is_public, record_department_reads and
-- record_authorised_reads are the conditions of the read policies
-- record_public, record_department and record_authorised, in C, and
-- credit.record_department_sees, a department's one read policy
-- record_department, their OR (a department is not under record_public and
-- record_authorised).  Here each is compared with the SQL condition it
-- replaced (the text of the policy before, as in
-- extension/90_row_security.sql's comments; for record_department_sees the
-- OR of the three) on every combination of the columns it reads, NULLs
-- included, as every kind of role: a department, another department, the
-- portal, a bank with an authorisation open and one without, a department
-- with one open, the centre and the superuser.  What
-- each role then sees in credit.record is tested in sql/40_disclosure.sql.
-- pgTAP.
\i sql/include/tap_setup.sql

SELECT plan(14);

SET credit.legal_date = '2026-09-29';

SELECT is(count(*)::integer, 4, 'the record predicates are STABLE and not STRICT (publicity_end NULL: no end), in C')
  FROM pg_proc
 WHERE oid IN ('credit.record_is_public(credit.disclosure_level,credit.record_state,date,date)'::regprocedure,
               'credit.record_department_reads(integer,credit.disclosure_level,credit.record_state,text,date)'::regprocedure,
               'credit.record_authorised_reads(bigint,credit.catalogue_category,credit.disclosure_level,credit.record_state,text,date)'::regprocedure,
               'credit.record_department_sees(integer,bigint,credit.catalogue_category,credit.disclosure_level,credit.record_state,text,date,date)'::regprocedure)
   AND provolatile = 's' AND NOT proisstrict AND NOT proleakproof
   AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');
SELECT is(array_agg(proname || ' ' || proparallel::text ORDER BY proname),
          '{"record_authorised_reads r","record_department_reads r","record_department_sees r","record_is_public s"}',
          'record_is_public reads only the legal date (PARALLEL SAFE, as credit.legal_date()); the others backend memory (PARALLEL RESTRICTED)')
  FROM pg_proc WHERE pronamespace = 'credit'::regnamespace AND (proname LIKE 'record\_%\_reads' OR proname IN ('record_is_public', 'record_department_sees'));
SELECT is(array_agg(p.policyname || ' ' || (SELECT array_agg(r ORDER BY r) FROM unnest(p.roles) AS r)::text ORDER BY p.policyname),
          '{"record_acting {credit_portal_parties}","record_authorised {credit_agency_parties}","record_centre {credit_centre_parties}","record_department {credit_department_parties}","record_public {credit_agency_parties,credit_centre_parties,credit_portal_parties}"}',
          'the read policies of credit.record: a department reads through record_department only (one predicate to set up), the public''s rows through record_public for every other kind')
  FROM pg_policies p WHERE p.schemaname = 'credit' AND p.tablename = 'record' AND p.cmd IN ('SELECT', 'ALL')
   AND p.permissive = 'PERMISSIVE';
SELECT is(array_agg(p.policyname || ' ' || p.roles::text || ' ' || p.qual ORDER BY p.policyname),
          '{"record_shared_read {credit_department_parties} record_shared_read_logged(department_id, subject_id, item_code, disclosure)"}',
          'one restrictive read policy, for departments only, one predicate: the logged shared reads (sql/72_shared_reads.sql)')
  FROM pg_policies p WHERE p.schemaname = 'credit' AND p.tablename = 'record' AND p.permissive = 'RESTRICTIVE'
   AND p.cmd IN ('SELECT', 'ALL');

-- A subject, and an authorisation of it for regress_bank covering 信用评价
-- only; the bank opens it below.
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id, repairable)
VALUES ('P.XZCF', '行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'), true);
INSERT INTO credit.catalogue_period (item_code, severity, min_months, max_months, rule_set)
VALUES ('P.XZCF', '一般', 3, 12, '令第36号');
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('P.XZCF', '企业法人', '谓词测试有限公司', credit.uscc_complete('91330702MA2P00011'), '一般', '金市监罚〔P〕1号',
        credit.legal_date() - 10, '虚假宣传', '谓词', '《广告法》', '罚款', '罚款', '市场监管局');
RESET ROLE;
SELECT subject_id AS p_subject FROM credit.record WHERE decision_no = '金市监罚〔P〕1号' \gset
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:p_subject, 'regress_bank', '{信用评价}', '谓词测试', '授权书 P-1', now() + interval '30 days');
SELECT authorisation_id AS p_auth FROM credit.authorisation WHERE purpose = '谓词测试' \gset

-- Every combination of the columns the predicates read: departments SCJG,
-- SWJ and NULL; every disclosure level and state and NULL; publicity
-- states 公示中, 已修复, 停止公示 and NULL; publicity start and end the day
-- before, on and after the legal date (2026-09-29) and NULL; the
-- authorised subject, another one and NULL; a category the authorisation
-- covers (信用评价), one it does not (行政处罚) and NULL.
CREATE TABLE public.p_grid AS
SELECT d.department_id, l.disclosure, s.state, p.publicity_state, b.publicity_start, e.publicity_end, j.subject_id, c.category
  FROM (SELECT department_id FROM credit.department WHERE code IN ('SCJG', 'SWJ') UNION ALL SELECT NULL) AS d (department_id),
       (SELECT unnest(enum_range(NULL::credit.disclosure_level)) UNION ALL SELECT NULL) AS l (disclosure),
       (SELECT unnest(enum_range(NULL::credit.record_state)) UNION ALL SELECT NULL) AS s (state),
       (VALUES ('公示中'), ('已修复'), ('停止公示'), (NULL)) AS p (publicity_state),
       (VALUES (date '2026-09-28'), ('2026-09-29'), ('2026-09-30'), (NULL)) AS b (publicity_start),
       (VALUES (date '2026-09-28'), ('2026-09-29'), ('2026-09-30'), (NULL)) AS e (publicity_end),
       (VALUES (:p_subject::bigint), (-1), (NULL)) AS j (subject_id),
       (VALUES ('信用评价'::credit.catalogue_category), ('行政处罚'), (NULL)) AS c (category);
GRANT SELECT ON public.p_grid TO PUBLIC;

-- For the calling role: per predicate, how many rows of the grid it answers
-- differently from the SQL condition it replaced (NULL counted as false, as
-- row security counts it), and whether it was true anywhere.
CREATE FUNCTION public.p_compare() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('public: %s differ, %s true; department: %s differ, %s true; authorised: %s differ, %s true; sees: %s differ, %s true',
                  count(*) FILTER (WHERE pub IS DISTINCT FROM pub_sql), CASE WHEN bool_or(pub) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE dept IS DISTINCT FROM dept_sql), CASE WHEN bool_or(dept) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE auth IS DISTINCT FROM auth_sql), CASE WHEN bool_or(auth) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE sees IS DISTINCT FROM (pub_sql OR dept_sql OR auth_sql)),
                  CASE WHEN bool_or(sees) THEN 'some' ELSE 'none' END)
      FROM (SELECT credit.record_is_public(disclosure, state, publicity_start, publicity_end) AS pub,
                   coalesce(disclosure = '公开' AND state = '有效'
                            AND publicity_start <= credit.legal_date()
                            AND (publicity_end IS NULL OR publicity_end > credit.legal_date()), false) AS pub_sql,
                   credit.record_department_reads(department_id, disclosure, state, publicity_state, publicity_end) AS dept,
                   coalesce(credit.in_department_scope(
                                CASE WHEN disclosure = '部门共享' AND state = '有效' AND publicity_state <> '已修复'
                                          AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0
                                     ELSE department_id END), false) AS dept_sql,
                   credit.record_authorised_reads(subject_id, category, disclosure, state, publicity_state, publicity_end) AS auth,
                   coalesce(disclosure = '授权查询' AND state = '有效' AND publicity_state <> '已修复'
                            AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
                            AND credit.authorised_for(subject_id, category), false) AS auth_sql,
                   credit.record_department_sees(department_id, subject_id, category, disclosure, state,
                                                 publicity_state, publicity_start, publicity_end) AS sees
              FROM public.p_grid) AS g
$$;

SET ROLE regress_bank;
CALL credit.open_authorisation(:p_auth);
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, some true; sees: 0 differ, some true',
          'a bank with the authorisation open: the predicates agree with the SQL conditions');
SELECT is(credit.close_authorisation(:p_auth), 1, 'the bank closes it');
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; sees: 0 differ, some true',
          'and with nothing open');
SET ROLE regress_bank2;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; sees: 0 differ, some true',
          'another bank');
SET ROLE regress_scjg;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, none true; sees: 0 differ, some true',
          '市场监管局 (its own rows in every state, shared rows in force)');
SET ROLE regress_swj;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, none true; sees: 0 differ, some true',
          '税务局');
SET ROLE regress_portal;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; sees: 0 differ, some true',
          'the portal');
SET ROLE regress_centre;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; sees: 0 differ, some true',
          'the centre (it reads everything through its own policy)');
RESET ROLE;
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:p_subject, 'regress_scjg', '{信用评价}', '谓词测试 部门', '授权书 P-2', now() + interval '30 days');
SELECT authorisation_id AS p_auth_dept FROM credit.authorisation WHERE purpose = '谓词测试 部门' \gset
SET ROLE regress_scjg;
CALL credit.open_authorisation(:p_auth_dept);
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, some true; sees: 0 differ, some true',
          '市场监管局 with an authorisation open (a department as grantee: record_department_sees holds record_authorised''s rule)');
RESET ROLE;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; sees: 0 differ, some true',
          'the superuser');

DROP FUNCTION public.p_compare();
DROP TABLE public.p_grid;
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
