-- credit--0.1.sql, part 40: layer 4, disclosure.
-- Row-level security on every table of layers 2 and 3, FORCEd so the owner
-- is bound too; who a role is comes from credit.party; the state that a role
-- must not forge (acting for a subject, opened authorisations) is kept in C
-- (extension/disclosure.c).  See docs/disclosure.md for the table of who
-- sees what.

-- ------------------------------------------------------------------
-- Who is calling
-- ------------------------------------------------------------------
CREATE FUNCTION credit.current_party_kind() RETURNS credit.party_kind
    AS 'MODULE_PATHNAME', 'credit_current_party_kind' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_party_kind() IS '当前参与方类别 (kind of party of the calling role; NULL if not registered; cached for the session per role, dropped when credit.party changes)';

-- What a department reads, as an array: {0, its department} for a role
-- registered as a department, {} for every other role.  For DBAs and
-- tests: the policies ask the row predicate credit.in_department_scope(x)
-- below, which is x = ANY (credit.department_scope()) without an InitPlan.
-- current_department_id() is not NULL exactly for the roles registered as
-- 部门 (credit.party's CHECK), so this is the registered party, not a group
-- membership; department ids are >= 1 (department_id_positive), so 0 is
-- never a department and stands for "department-shared".
CREATE FUNCTION credit.department_scope() RETURNS integer[]
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    RETURN CASE WHEN credit.current_department_id() IS NULL THEN '{}'::integer[]
                ELSE ARRAY[0, credit.current_department_id()] END;
COMMENT ON FUNCTION credit.department_scope() IS '部门可见范围 (what the calling role reads as a department: {0, its department_id} if it is registered as a department, 0 standing for department-shared rows; {} otherwise)';

CREATE FUNCTION credit.party_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.party_changed() IS '触发器: 参与方变更 (trigger: tells every session to drop its cached party of a role)';
CREATE TRIGGER party_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.party
    FOR EACH STATEMENT EXECUTE FUNCTION credit.party_changed();

CREATE FUNCTION credit.act_for_subject(subject_id bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_act_for_subject' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.act_for_subject(bigint) IS '代主体操作 (the portal acts for a subject it has verified, until the end of the transaction; refused for every other role)';

CREATE FUNCTION credit.acting_subject() RETURNS bigint
    AS 'MODULE_PATHNAME', 'credit_acting_subject' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.acting_subject() IS '当前代理主体 (the subject the portal acts for in this transaction, or NULL; kept in backend memory, not settable with SET)';

CREATE FUNCTION credit.open_authorisation(authorisation_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'credit_open_authorisation' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.open_authorisation(bigint) IS '启用授权 (the grantee opens a valid authorisation for this transaction; writes the access log; returns the subject)';

CREATE FUNCTION credit.opened_authorisations() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_authorisations' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_authorisations() IS '已启用授权 (authorisations opened in this transaction; kept in backend memory)';

CREATE FUNCTION credit.opened_subjects() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_subjects' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_subjects() IS '已授权主体 (subjects of the authorisations opened in this transaction)';

-- Row predicates, in C: the read policies of record, list_entry and subject
-- ask them about the row (see extension/disclosure.c).  They take the row's
-- columns, so they run per row, not once per query like the helpers above;
-- each reads only backend memory (no query), which costs far less than the
-- InitPlan that a wrapped helper adds to every query (bench/README.md).
CREATE FUNCTION credit.in_department_scope(department integer) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_in_department_scope' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.in_department_scope(integer) IS '部门可见 (row predicate: does the calling role, registered as a department, read a row the policy maps to this department? 0 stands for department-shared rows; false for every other role; the same as department = ANY (credit.department_scope()))';

CREATE FUNCTION credit.acting_for(subject_id bigint) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_acting_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.acting_for(bigint) IS '代理本主体 (row predicate: is the portal acting for this subject in this transaction?)';

CREATE FUNCTION credit.opened_for(subject_id bigint) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_opened_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_for(bigint) IS '已启用本主体授权 (row predicate: has this session opened an authorisation of this subject in this transaction?)';

CREATE FUNCTION credit.authorised_for(subject_id bigint, category credit.catalogue_category) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_authorised_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.authorised_for(bigint, credit.catalogue_category) IS '授权覆盖 (row predicate: does an authorisation opened in this transaction cover this subject and category?)';

-- ------------------------------------------------------------------
-- One group role per kind of party.  Each policy applies TO the kinds it
-- is for, so the planner leaves out the others' policies at plan time (row
-- security then costs a role only its own policies).  The register
-- functions grant the group; policies still check credit.party too, so a
-- membership granted by hand gains nothing.  The groups are cluster-wide:
-- created if missing, shared by every database with the extension, and not
-- dropped with it.
-- ------------------------------------------------------------------
DO $groups$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT * FROM (VALUES
            ('credit_centre_parties', '信用中心角色组 (group of the credit centre roles, for row security)'),
            ('credit_department_parties', '部门角色组 (group of the department roles, for row security)'),
            ('credit_portal_parties', '信用网站角色组 (group of the public portal role, for row security)'),
            ('credit_agency_parties', '授权机构角色组 (group of the authorised parties'' roles, for row security)')) AS t(name, comment)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = g.name) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', g.name);
        END IF;
        EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', g.name, g.comment);
    END LOOP;
END
$groups$;

-- ------------------------------------------------------------------
-- Reference data: readable by every registered role, written by the centre
-- (party only through the register functions, by the DBA)
-- ------------------------------------------------------------------
ALTER TABLE credit.department ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.department FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.catalogue_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.catalogue_item FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.catalogue_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.catalogue_period FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.list_kind ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.list_kind FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.party ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.party FORCE ROW LEVEL SECURITY;

CREATE POLICY department_read ON credit.department FOR SELECT USING (true);
CREATE POLICY department_centre ON credit.department FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY catalogue_item_read ON credit.catalogue_item FOR SELECT USING (true);
CREATE POLICY catalogue_item_centre ON credit.catalogue_item FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY catalogue_period_read ON credit.catalogue_period FOR SELECT USING (true);
CREATE POLICY catalogue_period_centre ON credit.catalogue_period FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY list_kind_read ON credit.list_kind FOR SELECT USING (true);
CREATE POLICY list_kind_centre ON credit.list_kind FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY party_read ON credit.party FOR SELECT USING (true);

COMMENT ON POLICY department_read ON credit.department IS '所有登记角色可读 (every registered role reads departments)';
COMMENT ON POLICY department_centre ON credit.department IS '信用中心维护 (the centre maintains departments)';
COMMENT ON POLICY catalogue_item_read ON credit.catalogue_item IS '所有登记角色可读 (every registered role reads the catalogue)';
COMMENT ON POLICY catalogue_item_centre ON credit.catalogue_item IS '信用中心维护 (the centre maintains the catalogue)';
COMMENT ON POLICY catalogue_period_read ON credit.catalogue_period IS '所有登记角色可读 (readable by every registered role)';
COMMENT ON POLICY catalogue_period_centre ON credit.catalogue_period IS '信用中心维护 (the centre maintains periods)';
COMMENT ON POLICY list_kind_read ON credit.list_kind IS '所有登记角色可读 (readable by every registered role)';
COMMENT ON POLICY list_kind_centre ON credit.list_kind IS '信用中心维护 (the centre maintains list kinds)';
COMMENT ON POLICY party_read ON credit.party IS '所有登记角色可读 (who is which party is not secret); written only by the register functions';

-- ------------------------------------------------------------------
-- Subjects: organisations are public; a natural person is visible to the
-- centre, to a department with a record about them, to a grantee that has
-- opened an authorisation for them, and to the portal acting for them.
-- ------------------------------------------------------------------
ALTER TABLE credit.subject ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.subject FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.subject_old_code ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.subject_old_code FORCE ROW LEVEL SECURITY;

CREATE POLICY subject_organisation ON credit.subject FOR SELECT
    USING (kind <> '自然人' AND (SELECT credit.current_party_kind()) IS NOT NULL);
CREATE POLICY subject_centre ON credit.subject FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
-- The department policies compare with current_department_id(), which is
-- not NULL exactly for the roles registered as 部门 (credit.party's CHECK):
-- that comparison is the party test, and a separate
-- current_party_kind() = '部门' would only add an InitPlan.
CREATE POLICY subject_person_department ON credit.subject FOR SELECT TO credit_department_parties
    USING (kind = '自然人'
           AND EXISTS (SELECT 1 FROM credit.record r
                        WHERE r.subject_id = subject.subject_id
                          AND r.department_id = (SELECT credit.current_department_id())));
CREATE POLICY subject_authorised ON credit.subject FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (credit.opened_for(subject_id));
CREATE POLICY subject_acting ON credit.subject FOR SELECT TO credit_portal_parties
    USING (credit.acting_for(subject_id));
COMMENT ON POLICY subject_organisation ON credit.subject IS '组织主体对所有登记角色可见 (organisations: every registered role)';
COMMENT ON POLICY subject_centre ON credit.subject IS '信用中心 (the centre: everything)';
COMMENT ON POLICY subject_person_department ON credit.subject IS '自然人: 有其记录的部门 (a natural person: departments that hold a record about them)';
COMMENT ON POLICY subject_authorised ON credit.subject IS '已启用授权的被授权方 (grantees with an opened authorisation)';
COMMENT ON POLICY subject_acting ON credit.subject IS '信用网站代主体查看本人信息 (the portal acting for the subject)';

CREATE POLICY subject_old_code_read ON credit.subject_old_code FOR SELECT
    USING (EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = subject_old_code.subject_id));
CREATE POLICY subject_old_code_write ON credit.subject_old_code FOR INSERT TO credit_centre_parties, credit_department_parties
    WITH CHECK ((SELECT credit.current_party_kind()) IN ('信用中心', '部门')
                AND EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = subject_old_code.subject_id));
COMMENT ON POLICY subject_old_code_read ON credit.subject_old_code IS '随主体可见 (visible with its subject)';
COMMENT ON POLICY subject_old_code_write ON credit.subject_old_code IS '信用中心和部门登记历史代码 (the centre and departments add old codes of subjects they see)';

-- ------------------------------------------------------------------
-- Credit records
-- ------------------------------------------------------------------
ALTER TABLE credit.record ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.record FORCE ROW LEVEL SECURITY;

CREATE POLICY record_public ON credit.record FOR SELECT
    USING (disclosure = '公开' AND state = '有效'
           AND publicity_start <= current_date
           AND (publicity_end IS NULL OR publicity_end > current_date));
-- One policy for what a department reads: a 部门共享 row in force maps to 0,
-- any other row to its department, and credit.in_department_scope() is true
-- for 0 and the caller's department when the caller is registered as a
-- department (false for everyone else).
CREATE POLICY record_department ON credit.record FOR SELECT TO credit_department_parties
    USING (credit.in_department_scope(
               CASE WHEN disclosure = '部门共享' AND state = '有效' AND publicity_state <> '已修复' THEN 0 ELSE department_id END));
CREATE POLICY record_centre ON credit.record FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
-- whoever inserts, inserts as itself (the centre also moves records others
-- submitted, e.g. 停止公示, so its own policy cannot ask for that)
CREATE POLICY record_insert_as_oneself ON credit.record AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
CREATE POLICY record_acting ON credit.record FOR SELECT TO credit_portal_parties
    USING (disclosure IN ('公开', '授权查询') AND state = '有效' AND credit.acting_for(subject_id));
CREATE POLICY record_authorised ON credit.record FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (disclosure = '授权查询' AND state = '有效' AND publicity_state <> '已修复'
           AND credit.authorised_for(subject_id, category));
CREATE POLICY record_department_insert ON credit.record FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND submitted_by = current_user::regrole
                AND EXISTS (SELECT 1 FROM credit.catalogue_item i
                             WHERE i.item_code = record.item_code
                               AND i.department_id = record.department_id));
CREATE POLICY record_department_update ON credit.record FOR UPDATE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()))
    WITH CHECK (department_id = (SELECT credit.current_department_id()));
COMMENT ON POLICY record_public ON credit.record IS '公开: 公示期内的有效记录, 所有人可见 (public, in force, inside its publicity period: everyone)';
COMMENT ON POLICY record_department ON credit.record IS '部门: 有效且未修复的部门共享记录和本部门报送的记录 (a registered department: department-shared records in force and not repaired, and its own submissions in every state)';
COMMENT ON POLICY record_centre ON credit.record IS '信用中心 (the centre: everything)';
COMMENT ON POLICY record_insert_as_oneself ON credit.record IS '只能以自己的名义报送 (every role inserts as itself)';
COMMENT ON POLICY record_acting ON credit.record IS '主体本人经信用网站查看 (the subject, through the portal acting for it: its 公开 and 授权查询 records)';
COMMENT ON POLICY record_authorised ON credit.record IS '授权查询: 本事务中已启用有效授权的被授权方, 限授权范围 (a grantee that opened a valid authorisation in this transaction, within its scope)';
COMMENT ON POLICY record_department_insert ON credit.record IS '部门只报送本部门目录项的记录 (a department submits records of its own catalogue items, as itself)';
COMMENT ON POLICY record_department_update ON credit.record IS '部门只撤回/更正本部门记录 (a department withdraws or corrects only its own records)';

-- ------------------------------------------------------------------
-- List entries
-- ------------------------------------------------------------------
ALTER TABLE credit.list_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.list_entry FORCE ROW LEVEL SECURITY;

CREATE POLICY list_entry_public ON credit.list_entry FOR SELECT
    USING (disclosure = '公开' AND removed_on IS NULL AND listed_on <= current_date
           AND (expires_on IS NULL OR expires_on > current_date));
CREATE POLICY list_entry_department ON credit.list_entry FOR SELECT TO credit_department_parties
    USING (credit.in_department_scope(
               CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
                    AND (expires_on IS NULL OR expires_on > current_date) THEN 0 ELSE department_id END));
CREATE POLICY list_entry_centre ON credit.list_entry FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY list_entry_insert_as_oneself ON credit.list_entry AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
CREATE POLICY list_entry_acting ON credit.list_entry FOR SELECT TO credit_portal_parties
    USING (disclosure IN ('公开', '授权查询') AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > current_date)
           AND credit.acting_for(subject_id));
CREATE POLICY list_entry_authorised ON credit.list_entry FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (disclosure = '授权查询' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > current_date)
           AND credit.opened_for(subject_id));
CREATE POLICY list_entry_department_insert ON credit.list_entry FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND submitted_by = current_user::regrole);
CREATE POLICY list_entry_department_update ON credit.list_entry FOR UPDATE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()))
    WITH CHECK (department_id = (SELECT credit.current_department_id()));
COMMENT ON POLICY list_entry_public ON credit.list_entry IS '公开名单: 列入期内所有人可见 (public entries inside their term: everyone)';
COMMENT ON POLICY list_entry_department ON credit.list_entry IS '部门: 列入期内的部门共享条目和本部门认定的条目 (a registered department: department-shared entries inside their term and not removed, and its own entries)';
COMMENT ON POLICY list_entry_centre ON credit.list_entry IS '信用中心 (the centre: everything)';
COMMENT ON POLICY list_entry_insert_as_oneself ON credit.list_entry IS '只能以自己的名义认定 (every role lists as itself)';
COMMENT ON POLICY list_entry_acting ON credit.list_entry IS '主体本人经信用网站查看 (the subject through the portal)';
COMMENT ON POLICY list_entry_authorised ON credit.list_entry IS '授权查询: 已启用授权的被授权方 (grantees with an opened authorisation)';
COMMENT ON POLICY list_entry_department_insert ON credit.list_entry IS '部门只认定本部门条目 (a department lists as itself)';
COMMENT ON POLICY list_entry_department_update ON credit.list_entry IS '部门只移出本部门条目 (a department removes only its own entries)';

-- ------------------------------------------------------------------
-- Authorisations and the access log
-- ------------------------------------------------------------------
ALTER TABLE credit.authorisation ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.authorisation FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.access_log FORCE ROW LEVEL SECURITY;

CREATE POLICY authorisation_centre ON credit.authorisation FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心' AND granted_by = current_user::regrole);
CREATE POLICY authorisation_grantee ON credit.authorisation FOR SELECT
    USING (grantee = current_user::regrole);
CREATE POLICY authorisation_acting ON credit.authorisation FOR ALL TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()))
    WITH CHECK (subject_id = (SELECT credit.acting_subject()) AND granted_by = current_user::regrole);
COMMENT ON POLICY authorisation_centre ON credit.authorisation IS '信用中心 (the centre: everything)';
COMMENT ON POLICY authorisation_grantee ON credit.authorisation IS '被授权方看自己的授权 (a grantee sees its own authorisations)';
COMMENT ON POLICY authorisation_acting ON credit.authorisation IS '主体经信用网站授权和撤销 (the subject, through the portal, grants and revokes)';

CREATE POLICY access_log_centre ON credit.access_log FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY access_log_acting ON credit.access_log FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY access_log_own ON credit.access_log FOR SELECT
    USING (role = current_user::regrole);
CREATE POLICY access_log_insert ON credit.access_log FOR INSERT
    WITH CHECK (role = current_user::regrole
                AND EXISTS (SELECT 1 FROM credit.authorisation a
                             WHERE a.authorisation_id = access_log.authorisation_id
                               AND a.subject_id = access_log.subject_id
                               AND a.grantee = current_user::regrole
                               AND a.revoked_at IS NULL
                               AND now() >= a.valid_from AND now() < a.valid_until));
COMMENT ON POLICY access_log_centre ON credit.access_log IS '信用中心 (the centre reads the whole log)';
COMMENT ON POLICY access_log_acting ON credit.access_log IS '主体查看谁查询了自己 (the subject, through the portal, sees who queried it)';
COMMENT ON POLICY access_log_own ON credit.access_log IS '查询方看自己的查询 (a grantee sees its own reads)';
COMMENT ON POLICY access_log_insert ON credit.access_log IS '只能以自己的名义、凭有效授权记录 (a row is written as oneself, under a valid authorisation of one''s own)';

-- ------------------------------------------------------------------
-- What the public sees: personal data masked, rows as the public portal
-- sees them, whoever reads the view.  The views are owned by
-- credit_public_views, a NOLOGIN role with the portal's row security (a
-- member of credit_portal_parties, so record_public and record_acting
-- apply) and SELECT on the base tables; not security_invoker, so the base
-- tables are read with the owner's privileges and row security.  The
-- policies' functions still see the caller: only the registered portal,
-- acting for a subject, also sees that subject's own 公开 and 授权查询
-- rows.  This spares the portal's query the check of each column privilege
-- (the portal holds only column privileges on credit.record: about 40
-- catalogue lookups, 3.5 us, a query).  Not security_barrier: they have no
-- WHERE of their own to protect, row security's quals run before any
-- non-leakproof condition of the caller's anyway, and a barrier would stop
-- the planner from using the listing index for ORDER BY ... LIMIT.
-- ------------------------------------------------------------------
DO $owner$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'credit_public_views') THEN
        CREATE ROLE credit_public_views NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('credit_public_views', 'credit_portal_parties', 'USAGE') THEN
        GRANT credit_portal_parties TO credit_public_views;
    END IF;
    COMMENT ON ROLE credit_public_views IS '公示视图属主 (owner of the public views credit.public_record, public_subject, public_list_entry: reads the base tables with the portal''s row security; NOLOGIN, granted to nobody)';
END
$owner$;
GRANT USAGE ON SCHEMA credit TO credit_public_views;
GRANT SELECT ON credit.record, credit.subject, credit.list_entry, credit.list_kind TO credit_public_views;

CREATE VIEW credit.public_record AS
SELECT record_id, item_code, category, department_id, subject_id, subject_kind,
       subject_name_public AS subject_name, subject_uscc,
       subject_resident_id_public AS subject_resident_id,
       legal_rep_name, legal_rep_id_public AS legal_rep_id, disclosure, severity,
       decision_no, decision_date, violation_type, violation_facts, penalty_basis,
       penalty_category, penalty_content, fine_amount, confiscated_amount, licence_suspended,
       penalty_valid_until, licence_doc_name, licence_category, licence_name, licence_no,
       valid_from, valid_until, licence_content, authority_name, authority_uscc, source_name,
       source_uscc, remarks, publicity_start, publicity_end, publicity_state, dispute_mark, state
  FROM credit.record;
COMMENT ON VIEW credit.public_record IS '公示记录 (records as the public sees them, whoever reads: public records in force inside their publicity period, and for the portal acting for a subject that subject''s own; natural persons'' names and identity numbers masked)';

CREATE VIEW credit.public_subject AS
SELECT subject_id, kind, uscc, name_public AS name, resident_id_public AS resident_id, legal_rep_name
  FROM credit.subject;
COMMENT ON VIEW credit.public_subject IS '公示主体 (subjects as the public sees them: organisations, to registered roles, and for the portal acting for a subject that subject; personal data masked)';

CREATE VIEW credit.public_list_entry AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.disclosure, e.reasons, e.listed_on, e.expires_on
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind);
ALTER VIEW credit.public_record OWNER TO credit_public_views;
ALTER VIEW credit.public_subject OWNER TO credit_public_views;
ALTER VIEW credit.public_list_entry OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_list_entry IS '公示名单 (list entries as the public sees them: public entries inside their term, and for the portal acting for a subject that subject''s own)';

-- ------------------------------------------------------------------
-- Registering roles (the DBA, as superuser)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.grant_common(r regrole) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA credit TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.department, credit.party, credit.catalogue_item, '
                   'credit.catalogue_period, credit.list_kind, credit.calendar_year, credit.calendar_day TO %s', r);
END
$$;
COMMENT ON FUNCTION credit.grant_common(regrole) IS '公共授权 (privileges every registered role has: the schema and the reference data)';

CREATE FUNCTION credit.register_centre_role(r regrole, display_name text DEFAULT '信用中心') RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name) VALUES (r, '信用中心', display_name);
    PERFORM credit.grant_common(r);
    EXECUTE format('GRANT credit_centre_parties TO %s', r);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON credit.department, credit.catalogue_item, '
                   'credit.catalogue_period, credit.list_kind, credit.calendar_year, credit.calendar_day TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
                   'credit.authorisation, credit.access_log, credit.sgs_timeliness, credit.public_record, '
                   'credit.public_subject, credit.public_list_entry TO %s', r);
    EXECUTE format('GRANT INSERT ON credit.subject, credit.subject_old_code, credit.record, credit.record_load, '
                   'credit.list_entry, credit.authorisation TO %s', r);
    EXECUTE format('GRANT UPDATE (name, legal_rep_name, legal_rep_id) ON credit.subject TO %s', r);
    EXECUTE format('GRANT UPDATE (state, state_reason) ON credit.record TO %s', r);
    EXECUTE format('GRANT UPDATE (revoked_at, revoked_reason) ON credit.authorisation TO %s', r);
    PERFORM credit.grant_workflows(r, '信用中心');
END
$$;
COMMENT ON FUNCTION credit.register_centre_role(regrole, text) IS '登记信用中心角色 (register the credit centre''s role and grant what it needs; run by the DBA)';

CREATE FUNCTION credit.register_department_role(r regrole, department_code text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
DECLARE
    dept credit.department;
BEGIN
    SELECT * INTO dept FROM credit.department d WHERE d.code = department_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown department "%"', department_code
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it to credit.department first.';
    END IF;
    INSERT INTO credit.party (role, kind, department_id, display_name) VALUES (r, '部门', dept.department_id, dept.name);
    PERFORM credit.grant_common(r);
    EXECUTE format('GRANT credit_department_parties TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
                   'credit.sgs_timeliness, credit.public_record, credit.public_subject, credit.public_list_entry TO %s', r);
    EXECUTE format('GRANT INSERT ON credit.subject_old_code, credit.record, credit.record_load, credit.list_entry TO %s', r);
    EXECUTE format('GRANT UPDATE (state, state_reason) ON credit.record TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.authorisation, credit.access_log TO %s', r);
    EXECUTE format('GRANT INSERT ON credit.access_log TO %s', r);
    PERFORM credit.grant_workflows(r, '部门');
END
$$;
COMMENT ON FUNCTION credit.register_department_role(regrole, text) IS '登记部门角色 (register a department application''s role for a department code and grant what it needs; run by the DBA)';

CREATE FUNCTION credit.register_portal_role(r regrole, display_name text DEFAULT '信用网站') RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name) VALUES (r, '信用网站', display_name);
    PERFORM credit.grant_common(r);
    EXECUTE format('GRANT credit_portal_parties TO %s', r);
    -- personal columns are not granted: the portal reads the masked ones
    EXECUTE format('GRANT SELECT (record_id, item_code, category, department_id, subject_id, subject_kind, '
                   'subject_name_public, subject_uscc, subject_resident_id_public, legal_rep_name, '
                   'legal_rep_id_public, disclosure, severity, decision_no, decision_date, violation_type, '
                   'violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount, '
                   'confiscated_amount, licence_suspended, penalty_valid_until, licence_doc_name, '
                   'licence_category, licence_name, licence_no, valid_from, valid_until, licence_content, '
                   'authority_name, authority_uscc, source_name, source_uscc, remarks, publicity_start, '
                   'publicity_end, publicity_state, dispute_mark, state) ON credit.record TO %s', r);
    EXECUTE format('GRANT SELECT (subject_id, kind, uscc, name_public, resident_id_public, legal_rep_name) '
                   'ON credit.subject TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.list_entry, credit.public_record, credit.public_subject, '
                   'credit.public_list_entry TO %s', r);
    EXECUTE format('GRANT SELECT, INSERT ON credit.authorisation TO %s', r);
    EXECUTE format('GRANT UPDATE (revoked_at, revoked_reason) ON credit.authorisation TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.access_log TO %s', r);
    EXECUTE format('GRANT EXECUTE ON FUNCTION credit.subject_exists(bigint) TO %s', r);
    PERFORM credit.grant_workflows(r, '信用网站');
END
$$;
COMMENT ON FUNCTION credit.register_portal_role(regrole, text) IS '登记信用网站角色 (register the public portal''s role; only masked personal data is granted to it; run by the DBA)';

CREATE FUNCTION credit.register_agency_role(r regrole, display_name text, agency_uscc credit.uscc DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name, agency_uscc) VALUES (r, '授权机构', display_name, agency_uscc);
    PERFORM credit.grant_common(r);
    EXECUTE format('GRANT credit_agency_parties TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
                   'credit.public_record, credit.public_subject, credit.public_list_entry TO %s', r);
    EXECUTE format('GRANT SELECT ON credit.authorisation, credit.access_log TO %s', r);
    EXECUTE format('GRANT INSERT ON credit.access_log TO %s', r);
    PERFORM credit.grant_workflows(r, '授权机构');
END
$$;
COMMENT ON FUNCTION credit.register_agency_role(regrole, text, credit.uscc) IS '登记授权机构角色 (register an authorised party''s role: bank, credit service agency; it reads 授权查询 data only under an opened authorisation; run by the DBA)';

REVOKE EXECUTE ON FUNCTION credit.grant_common(regrole) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_centre_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_department_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_portal_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_agency_role(regrole, text, credit.uscc) FROM PUBLIC;

-- The views' columns carry the comments of the columns they show.
DO $comments$
DECLARE
    v record;
    src text;
BEGIN
    FOR v IN
        SELECT c.oid::regclass AS view, a.attname AS col,
               CASE c.relname WHEN 'public_subject' THEN 'credit.subject'::regclass
                              WHEN 'public_list_entry' THEN 'credit.list_entry'::regclass
                              ELSE 'credit.record'::regclass END AS base
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
         WHERE c.relnamespace = 'credit'::regnamespace
           AND c.relname IN ('public_record', 'public_subject', 'public_list_entry', 'record_load')
    LOOP
        SELECT pg_catalog.col_description(v.base, b.attnum) INTO src
          FROM pg_attribute b
         WHERE b.attrelid = v.base AND b.attname IN (v.col, v.col || '_public')
         ORDER BY b.attname DESC LIMIT 1;
        IF v.col = 'list_name' THEN
            src := '名单名称 (name of the list)';
        ELSIF v.col = 'colour' THEN
            src := '红/黑 (red list or black list)';
        END IF;
        IF src IS NOT NULL THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', v.view, v.col, src);
        END IF;
    END LOOP;
END
$comments$;

CREATE FUNCTION credit.unregister_role(r regrole) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
DECLARE
    k credit.party_kind;
BEGIN
    DELETE FROM credit.party WHERE role = r RETURNING kind INTO k;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role "%" is not registered', r USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('REVOKE %I FROM %s',
                   CASE k WHEN '信用中心' THEN 'credit_centre_parties' WHEN '部门' THEN 'credit_department_parties'
                          WHEN '信用网站' THEN 'credit_portal_parties' ELSE 'credit_agency_parties' END, r);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA credit FROM %s', r);
    EXECUTE format('REVOKE ALL ON SCHEMA credit FROM %s', r);
    EXECUTE format('REVOKE ALL ON FUNCTION credit.subject_exists(bigint) FROM %s', r);
END
$$;
COMMENT ON FUNCTION credit.unregister_role(regrole) IS '注销角色 (unregister a role: its party row and its privileges on the credit schema go; run by the DBA before DROP ROLE)';
REVOKE EXECUTE ON FUNCTION credit.unregister_role(regrole) FROM PUBLIC;
