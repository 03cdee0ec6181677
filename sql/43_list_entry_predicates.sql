-- The list entry predicates (issue 12, a department's transition):
-- credit.list_entry_is_public, list_entry_department_reads,
-- list_entry_authorised_reads and list_entry_acting_reads are the whole
-- conditions of the read policies list_entry_public, list_entry_department,
-- list_entry_authorised and list_entry_acting, in C, the list kind's colour
-- from a session cache of credit.list_kind.  Here each is compared with the
-- SQL condition it replaced (the text of the policy before, as in
-- extension/90_row_security.sql's comments) on every combination of the
-- columns it reads, NULLs included, as every kind of role: a department
-- (also with an authorisation open), another department, the portal acting
-- for the subject and not, a bank with an authorisation open and one
-- without, the centre and the superuser; and again after a list kind
-- changes colour (the cache is dropped).  What each role then sees in
-- credit.list_entry is tested in sql/40_disclosure.sql.  pgTAP.
\i sql/include/tap_setup.sql

SELECT plan(20);

SET credit.legal_date = '2026-09-29';

SELECT is(count(*)::integer, 4, 'the list entry predicates are STABLE and not STRICT (removed_on, expires_on NULL: not removed, no end), in C')
  FROM pg_proc
 WHERE oid IN ('credit.list_entry_is_public(credit.disclosure_level,date,date,date)'::regprocedure,
               'credit.list_entry_department_reads(integer,credit.disclosure_level,date,date)'::regprocedure,
               'credit.list_entry_authorised_reads(bigint,text,credit.disclosure_level,date,date)'::regprocedure,
               'credit.list_entry_acting_reads(bigint,credit.disclosure_level,date,date)'::regprocedure)
   AND provolatile = 's' AND NOT proisstrict AND NOT proleakproof
   AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');
SELECT is(array_agg(proname || ' ' || proparallel::text ORDER BY proname),
          '{"list_entry_acting_reads r","list_entry_authorised_reads r","list_entry_department_reads r","list_entry_is_public s"}',
          'list_entry_is_public reads only the legal date (PARALLEL SAFE); the others backend memory (PARALLEL RESTRICTED)')
  FROM pg_proc WHERE pronamespace = 'credit'::regnamespace AND proname LIKE 'list\_entry\_%' AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
   AND (proname LIKE '%\_reads' OR proname = 'list_entry_is_public');

-- A subject, a red and a black list kind, and an authorisation of the
-- subject for regress_bank covering 红名单 only; the bank opens it below.
INSERT INTO credit.subject (kind, uscc, name) VALUES ('企业法人', credit.uscc_complete('91330702MA2P00022'), '名单谓词测试有限公司');
SELECT subject_id AS p_subject FROM credit.subject WHERE name = '名单谓词测试有限公司' \gset
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure) VALUES
    ('P_RED', '谓词测试红名单', '红', 12, '公开'),
    ('P_BLACK', '谓词测试黑名单', '黑', 12, '公开');
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:p_subject, 'regress_bank', '{红名单}', '名单谓词测试', '授权书 P-2', now() + interval '30 days');
SELECT authorisation_id AS p_auth FROM credit.authorisation WHERE purpose = '名单谓词测试' \gset

-- Every combination of the columns the predicates read: departments SCJG,
-- SWJ and NULL; every disclosure level and NULL; removed or not; listed
-- and expiring the day before, on and after the legal date (2026-09-29)
-- and NULL; the authorised subject, another one and NULL; the red kind,
-- the black kind, a kind that does not exist and NULL.
CREATE TABLE public.p_grid AS
SELECT d.department_id, l.disclosure, r.removed_on, b.listed_on, e.expires_on, j.subject_id, k.list_kind
  FROM (SELECT department_id FROM credit.department WHERE code IN ('SCJG', 'SWJ') UNION ALL SELECT NULL) AS d (department_id),
       (SELECT unnest(enum_range(NULL::credit.disclosure_level)) UNION ALL SELECT NULL) AS l (disclosure),
       (VALUES (date '2026-09-01'), (NULL)) AS r (removed_on),
       (VALUES (date '2026-09-28'), ('2026-09-29'), ('2026-09-30'), (NULL)) AS b (listed_on),
       (VALUES (date '2026-09-28'), ('2026-09-29'), ('2026-09-30'), (NULL)) AS e (expires_on),
       (VALUES (:p_subject::bigint), (-1), (NULL)) AS j (subject_id),
       (VALUES ('P_RED'), ('P_BLACK'), ('P_NONE'), (NULL)) AS k (list_kind);
GRANT SELECT ON public.p_grid TO PUBLIC;

-- For the calling role: per predicate, how many rows of the grid it answers
-- differently from the SQL condition it replaced (NULL counted as false, as
-- row security counts it), and whether it was true anywhere.
CREATE FUNCTION public.p_compare() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('public: %s differ, %s true; department: %s differ, %s true; authorised: %s differ, %s true; acting: %s differ, %s true',
                  count(*) FILTER (WHERE pub IS DISTINCT FROM pub_sql), CASE WHEN bool_or(pub) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE dept IS DISTINCT FROM dept_sql), CASE WHEN bool_or(dept) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE auth IS DISTINCT FROM auth_sql), CASE WHEN bool_or(auth) THEN 'some' ELSE 'none' END,
                  count(*) FILTER (WHERE act IS DISTINCT FROM act_sql), CASE WHEN bool_or(act) THEN 'some' ELSE 'none' END)
      FROM (SELECT credit.list_entry_is_public(disclosure, removed_on, listed_on, expires_on) AS pub,
                   coalesce(disclosure = '公开' AND removed_on IS NULL AND listed_on <= credit.legal_date()
                            AND (expires_on IS NULL OR expires_on > credit.legal_date()), false) AS pub_sql,
                   credit.list_entry_department_reads(department_id, disclosure, removed_on, expires_on) AS dept,
                   coalesce(credit.in_department_scope(
                                CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
                                          AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0
                                     ELSE department_id END), false) AS dept_sql,
                   credit.list_entry_authorised_reads(subject_id, list_kind, disclosure, removed_on, expires_on) AS auth,
                   coalesce(disclosure = '授权查询' AND removed_on IS NULL
                            AND (expires_on IS NULL OR expires_on > credit.legal_date())
                            AND credit.opened_for(subject_id)
                            AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN '红' THEN '红名单' ELSE '黑名单' END::credit.catalogue_category
                                                                     FROM credit.list_kind k WHERE k.list_kind = g.list_kind)), false) AS auth_sql,
                   credit.list_entry_acting_reads(subject_id, disclosure, removed_on, expires_on) AS act,
                   coalesce(disclosure = '授权查询' AND removed_on IS NULL
                            AND (expires_on IS NULL OR expires_on > credit.legal_date())
                            AND credit.acting_for(subject_id), false) AS act_sql
              FROM public.p_grid g) AS c
$$;

-- How many rows of the grid list_entry_authorised_reads admits (its list kinds).
CREATE FUNCTION public.p_authorised_kinds() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(DISTINCT list_kind, ',' ORDER BY list_kind), '')
      FROM public.p_grid
     WHERE credit.list_entry_authorised_reads(subject_id, list_kind, disclosure, removed_on, expires_on)
$$;

SET ROLE regress_bank;
CALL credit.open_authorisation(:p_auth);
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, some true; acting: 0 differ, none true',
          'a bank with the authorisation open: the predicates agree with the SQL conditions');
SELECT is(public.p_authorised_kinds(), 'P_RED', 'it reads the red list''s entries only (its authorisation covers 红名单)');

-- the red kind turns black, then the black one red: the cached colours go
RESET ROLE;
UPDATE credit.list_kind SET colour = '黑' WHERE list_kind = 'P_RED';
SET ROLE regress_bank;
SELECT is(public.p_authorised_kinds(), '', 'a change of colour is seen at once (the cache of list kinds is dropped)');
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'and the predicates still agree with the SQL conditions');
RESET ROLE;
UPDATE credit.list_kind SET colour = '红' WHERE list_kind = 'P_BLACK';
SET ROLE regress_bank;
SELECT is(public.p_authorised_kinds(), 'P_BLACK', 'the other kind turned red');
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, some true; acting: 0 differ, none true',
          'still the same as the SQL conditions');

SELECT is(credit.close_authorisation(:p_auth), 1, 'the bank closes it');
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'and with nothing open');
SET ROLE regress_bank2;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'another bank');
SET ROLE regress_scjg;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, none true; acting: 0 differ, none true',
          '市场监管局 (its own entries in every state, shared entries in their term)');
-- a department may be a grantee too (list_entry_authorised is also for
-- credit_department_parties): 市场监管局 with 黑名单 open, which now covers
-- P_RED (black since the change above)
RESET ROLE;
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:p_subject, 'regress_scjg', '{黑名单}', '名单谓词测试(部门)', '授权书 P-3', now() + interval '30 days');
SELECT authorisation_id AS p_auth_dept FROM credit.authorisation WHERE purpose = '名单谓词测试(部门)' \gset
SET ROLE regress_scjg;
CALL credit.open_authorisation(:p_auth_dept);
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, some true; acting: 0 differ, none true',
          '市场监管局 with an authorisation open: the same as the SQL conditions');
SELECT is(public.p_authorised_kinds(), 'P_RED', 'it reads under it the black list''s entries only');
SELECT is(credit.close_authorisation(:p_auth_dept), 1, '市场监管局 closes it');
SET ROLE regress_swj;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, some true; authorised: 0 differ, none true; acting: 0 differ, none true',
          '税务局');
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(:p_subject);
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, some true',
          'the portal acting for the subject');
COMMIT;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'the portal acting for nobody');
SET ROLE regress_centre;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'the centre (it reads everything through its own policy)');
RESET ROLE;
SELECT is(public.p_compare(), 'public: 0 differ, some true; department: 0 differ, none true; authorised: 0 differ, none true; acting: 0 differ, none true',
          'the superuser');

DROP FUNCTION public.p_authorised_kinds();
DROP FUNCTION public.p_compare();
DROP TABLE public.p_grid;
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
