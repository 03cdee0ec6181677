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
