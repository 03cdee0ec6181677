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

-- Changes since 0.1, in the order they were made.

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
