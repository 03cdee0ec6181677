-- The install script, part 40: layer 4, disclosure.
-- The mechanism of row security: the state that a role must not forge
-- (acting for a subject, opened authorisations) is kept in C
-- (extension/disclosure.c); row predicates the policies call; one group role
-- per kind of party; the public views and their owner.  The policies
-- themselves are in 90_row_security.sql, the privileges in
-- 91_privileges.sql; docs/disclosure.md has the table of who sees what.

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

CREATE FUNCTION credit.act_for_subject(subject_id bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_act_for_subject' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.act_for_subject(bigint) IS '代主体操作 (the portal acts for a subject it has verified, until the end of the transaction; refused for every other role)';

CREATE FUNCTION credit.acting_subject() RETURNS bigint
    AS 'MODULE_PATHNAME', 'credit_acting_subject' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.acting_subject() IS '当前代理主体 (the subject the portal acts for in this transaction, or NULL; kept in backend memory, not settable with SET)';

-- A procedure: it commits the access-log row before the authorisation
-- opens (CALL outside a transaction block; disclosure.c).
CREATE PROCEDURE credit.open_authorisation(authorisation_id bigint)
    AS 'MODULE_PATHNAME', 'credit_open_authorisation' LANGUAGE C;
COMMENT ON PROCEDURE credit.open_authorisation(bigint) IS '启用授权 (the grantee opens a valid authorisation: CALL outside a transaction block; checks it against the latest committed state and the clock, writes and commits the access-log row, then opens it for the calling role in the session''s following transactions until closed, expired or revoked)';

CREATE FUNCTION credit.close_authorisation(authorisation_id bigint DEFAULT NULL) RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_close_authorisation' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.close_authorisation(bigint) IS '关闭授权 (the calling role ends its opening of this authorisation, NULL: of all; returns how many ended)';

CREATE FUNCTION credit.opened_authorisations() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_authorisations' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_authorisations() IS '已启用授权 (authorisations the calling role has open now; kept in backend memory)';

CREATE FUNCTION credit.opened_subjects() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_subjects' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_subjects() IS '已授权主体 (subjects of the authorisations the calling role has open now)';

-- Shared reads (docs/audit.md): a department reads the 部门共享 records of
-- another department, of a catalogue item whose log_shared_reads the centre
-- set, only for the subjects it opened with a logged purpose.  A procedure,
-- like open_authorisation: the access-log row (kind 部门共享) is committed
-- before the subject opens (CALL outside a transaction block;
-- disclosure.c), so no read of such a record is without its log row.
CREATE PROCEDURE credit.open_shared_read(subject_id bigint, purpose text)
    AS 'MODULE_PATHNAME', 'credit_open_shared_read' LANGUAGE C;
COMMENT ON PROCEDURE credit.open_shared_read(bigint, text) IS '共享查询登记 (a department opens a subject for reading the 部门共享 records of logged catalogue items, for a purpose: CALL outside a transaction block; writes and commits the access-log row, kind 部门共享, then opens the subject for the calling role in the session''s following transactions until closed; refused for a blank purpose, an unknown subject, a role not registered as a department)';

CREATE FUNCTION credit.close_shared_read(subject_id bigint DEFAULT NULL) RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_close_shared_read' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.close_shared_read(bigint) IS '结束共享查询 (the calling role ends its shared-read opening of this subject, NULL: of all; returns how many ended)';

CREATE FUNCTION credit.opened_shared_reads() RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_opened_shared_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_shared_reads() IS '已登记共享查询主体 (subjects the calling role has opened for shared reads now; kept in backend memory)';

CREATE FUNCTION credit.record_shared_read_logged(department_id integer, subject_id bigint, item_code text,
                                                 disclosure credit.disclosure_level)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_shared_read_logged' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_shared_read_logged(integer, bigint, text, credit.disclosure_level) IS '共享查询已留痕 (row predicate of the restrictive policy record_shared_read: false only for a 部门共享 record of another department, of a catalogue item with log_shared_reads, whose subject the calling department has not opened with credit.open_shared_read; the same as disclosure <> ''部门共享'' OR NOT credit.in_department_scope(0) OR credit.in_own_department(department_id) OR subject_id = ANY (credit.opened_shared_reads()) OR NOT (SELECT i.log_shared_reads FROM credit.catalogue_item i WHERE i.item_code = record.item_code); the logged items cached per session, dropped when credit.catalogue_item changes)';

-- Row predicates, in C: the read policies of record, list_entry and subject
-- ask them about the row (see extension/disclosure.c).  They take the row's
-- columns, so they run per row, not once per query like the helpers above;
-- each reads only backend memory (no query), which costs far less than the
-- InitPlan that a wrapped helper adds to every query (bench/README.md).
CREATE FUNCTION credit.in_department_scope(department integer) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_in_department_scope' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.in_department_scope(integer) IS '部门可见 (row predicate: does the calling role, registered as a department, read a row the policy maps to this department? 0 stands for department-shared rows; false for every other role; the same as department = ANY (credit.department_scope()))';
CREATE FUNCTION credit.in_own_department(department integer) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_in_own_department' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.in_own_department(integer) IS '本部门 (row predicate: is this the department the calling role is registered as? false for every other role; the same as department = (SELECT credit.current_department_id()) without its InitPlan, for the departments'' UPDATE policies)';

CREATE FUNCTION credit.acting_for(subject_id bigint) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_acting_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.acting_for(bigint) IS '代理本主体 (row predicate: is the portal acting for this subject in this transaction?)';

CREATE FUNCTION credit.opened_for(subject_id bigint) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_opened_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.opened_for(bigint) IS '已启用本主体授权 (row predicate: has the calling role an authorisation of this subject open now?)';

CREATE FUNCTION credit.authorised_for(subject_id bigint, category credit.catalogue_category) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_authorised_for' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.authorised_for(bigint, credit.catalogue_category) IS '授权覆盖 (row predicate: does an authorisation the calling role has open now cover this subject and category?)';

-- The record policies' predicates (record_public, record_department,
-- record_authorised): each is the whole condition of its policy in one
-- call.  Written in SQL, each condition was six function calls (the
-- comparisons, credit.legal_date()), and every execution of a query sets
-- each call up again: an EXECUTE privilege check and a function lookup,
-- about 1.5k instructions a call for a role that is not a superuser
-- (disclosure.c).  Not STRICT: publicity_end NULL means no end.
-- record_is_public reads only the legal date, like credit.legal_date()
-- (PARALLEL SAFE); the other two the party cache and the openings.
CREATE FUNCTION credit.record_is_public(disclosure credit.disclosure_level, state credit.record_state,
                                        publicity_start date, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_is_public' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.record_is_public(credit.disclosure_level, credit.record_state, date, date) IS '公开可见记录 (row predicate of record_public: is the record 公开, 有效 and inside its publicity period today, the legal date? the same as disclosure = ''公开'' AND state = ''有效'' AND publicity_start <= credit.legal_date() AND (publicity_end IS NULL OR publicity_end > credit.legal_date()))';
CREATE FUNCTION credit.record_department_reads(department_id integer, disclosure credit.disclosure_level,
                                               state credit.record_state, publicity_state text, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_department_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_department_reads(integer, credit.disclosure_level, credit.record_state, text, date) IS '部门可读记录 (the department part of credit.record_department_sees, the predicate of record_department (and its whole predicate in 0.1): is the calling role registered as a department, and the record its own, in any state, or 部门共享, 有效, not 已修复 and inside its publicity period? the same as credit.in_department_scope(CASE WHEN disclosure = ''部门共享'' AND state = ''有效'' AND publicity_state <> ''已修复'' AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0 ELSE department_id END))';
CREATE FUNCTION credit.record_authorised_reads(subject_id bigint, category credit.catalogue_category,
                                               disclosure credit.disclosure_level, state credit.record_state,
                                               publicity_state text, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_authorised_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_authorised_reads(bigint, credit.catalogue_category, credit.disclosure_level, credit.record_state, text, date) IS '授权可读记录 (row predicate of record_authorised: is the record 授权查询, 有效, not 已修复, inside its publicity period, and covered by an authorisation the calling role has open? the same as disclosure = ''授权查询'' AND state = ''有效'' AND publicity_state <> ''已修复'' AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) AND credit.authorised_for(subject_id, category))';
-- A department's one read policy record_department (90_row_security.sql)
-- calls this one predicate, the OR of the three conditions above, instead
-- of three policies' predicates: a department's query sets up one call.
CREATE FUNCTION credit.record_department_sees(department_id integer, subject_id bigint,
                                              category credit.catalogue_category,
                                              disclosure credit.disclosure_level, state credit.record_state,
                                              publicity_state text, publicity_start date, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_department_sees' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_department_sees(integer, bigint, credit.catalogue_category, credit.disclosure_level, credit.record_state, text, date, date) IS '部门可见记录 (row predicate of record_department: what a department reads of a record, the public''s, its own and shared, and under an authorisation it has open; the same as credit.record_is_public(disclosure, state, publicity_start, publicity_end) OR credit.record_department_reads(department_id, disclosure, state, publicity_state, publicity_end) OR credit.record_authorised_reads(subject_id, category, disclosure, state, publicity_state, publicity_end))';

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

-- The columns the public sees are those credit.record_columns() declares
-- public, personal data replaced by its masked column.
DO $public_record$
BEGIN
    EXECUTE (SELECT pg_catalog.format('CREATE VIEW credit.public_record AS SELECT %s FROM credit.record',
                                      pg_catalog.string_agg(
                                          CASE WHEN c.public_source = c.column_name THEN pg_catalog.quote_ident(c.column_name)
                                               ELSE pg_catalog.format('%I AS %I', c.public_source, c.column_name) END,
                                          ', ' ORDER BY c.column_order))
               FROM credit.record_columns() c WHERE c.public_source IS NOT NULL);
END
$public_record$;
COMMENT ON VIEW credit.public_record IS '公示记录 (records as the public sees them, whoever reads: public records in force inside their publicity period, and for the portal acting for a subject that subject''s own; natural persons'' names and identity numbers masked)';

CREATE VIEW credit.public_subject AS
SELECT subject_id, kind, uscc, name_public AS name, resident_id_public AS resident_id, legal_rep_name,
       name_key_public AS name_key
  FROM credit.subject;
COMMENT ON VIEW credit.public_subject IS '公示主体 (subjects as the public sees them: organisations, to registered roles, and for the portal acting for a subject that subject; personal data masked; name_key only for organisations)';

-- Listings only: a proposal, noticed or not, is in public_list_notice.
-- What the listing states is the entry's, the kind's for an entry of 0.1.
CREATE VIEW credit.public_list_entry AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.disclosure, e.reasons, e.listed_on, e.expires_on, e.dispute_mark,
       coalesce(e.legal_basis, k.legal_basis) AS legal_basis,
       coalesce(e.removal_conditions, k.removal_conditions) AS removal_conditions,
       coalesce(e.remedies, k.remedies) AS remedies
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind)
 WHERE e.listed_on IS NOT NULL;
-- Proposals: a red list's in its public notice period (公示), to everyone;
-- for the portal acting for a subject, that subject's proposals (its
-- notice, 告知) and the decisions not to list it.
CREATE VIEW credit.public_list_notice AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.state, e.notice_kind, e.notice_ends_on, e.reasons, e.legal_basis, e.removal_conditions, e.remedies,
       e.state_reason
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind)
 WHERE e.state IN ('拟列入', '不予列入');
-- The responsible persons of the entries the public sees (listings, red
-- proposals in notice; the acting subject's own), masked.
CREATE VIEW credit.public_list_entry_person AS
SELECT p.person_id, p.entry_id, p.role, p.name_public AS name, p.resident_id_public AS resident_id
  FROM credit.list_entry_person p;
ALTER VIEW credit.public_record OWNER TO credit_public_views;
ALTER VIEW credit.public_subject OWNER TO credit_public_views;
ALTER VIEW credit.public_list_entry OWNER TO credit_public_views;
ALTER VIEW credit.public_list_notice OWNER TO credit_public_views;
ALTER VIEW credit.public_list_entry_person OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_list_entry IS '公示名单 (list entries as the public sees them: public entries inside their term, and for the portal acting for a subject that subject''s own; listings only, no proposal)';
COMMENT ON VIEW credit.public_list_entry_person IS '名单条目责任人(脱敏) (the responsible persons of the list entries the public sees, and for the portal acting for a subject that subject''s own; names and identity numbers masked)';
COMMENT ON VIEW credit.public_list_notice IS '拟列入公示 (proposed list entries as the public sees them: a red list''s 公开 proposals inside their public notice period (公示); for the portal acting for a subject, that subject''s proposals and decisions not to list it (不予列入))';

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
                              WHEN 'public_list_notice' THEN 'credit.list_entry'::regclass
                              WHEN 'public_list_entry_person' THEN 'credit.list_entry_person'::regclass
                              ELSE 'credit.record'::regclass END AS base
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
         WHERE c.relnamespace = 'credit'::regnamespace
           AND c.relname IN ('public_record', 'public_subject', 'public_list_entry', 'public_list_notice', 'public_list_entry_person', 'record_load')
    LOOP
        SELECT pg_catalog.col_description(v.base, b.attnum) INTO src
          FROM pg_attribute b
         WHERE b.attrelid = v.base AND b.attname IN (v.col, v.col || '_public')
         ORDER BY b.attname DESC LIMIT 1;
        IF src IS NULL AND v.base = 'credit.list_entry'::regclass THEN
            -- what every listing states, from its kind (legal basis, removal conditions, remedies)
            SELECT pg_catalog.col_description('credit.list_kind'::regclass, b.attnum) INTO src
              FROM pg_attribute b WHERE b.attrelid = 'credit.list_kind'::regclass AND b.attname = v.col;
        END IF;
        IF v.col = 'list_name' THEN
            src := '名单名称 (name of the list)';
        ELSIF v.col = 'colour' THEN
            src := '红/黑/重点关注 (red list, black list or 重点关注 list)';
        END IF;
        IF src IS NOT NULL THEN
            EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', v.view, v.col, src);
        END IF;
    END LOOP;
END
$comments$;

-- ------------------------------------------------------------------
-- Search by a part of the name (partial => true in find_subject below):
-- the ids of the organisations whose key holds the normalised part, % and _
-- taken literally.  LIKE is not LEAKPROOF, so under row security it would
-- run after the policies, row by row, and no trigram index could answer
-- it: this C function runs it as the owner of credit.subject, and the
-- optional trigram index subject_name_key_trgm (docs/disclosure.md) does.
-- It shows the caller what public_subject would (find_subject.c): only
-- organisations (name_key_public is NULL for a person), and only to a
-- registered role; none to anyone else.  A part of fewer than 3 characters
-- once normalised is refused (a trigram index needs a trigram).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.subject_ids_containing(part text) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credit_subject_ids_containing'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.subject_ids_containing(text) IS '按名称片段查找主体编号 (ids of the organisations whose normalised name contains the normalised part, % and _ taken literally, at least 3 characters; read as the owner of credit.subject so that a trigram index answers it; none for a role that is not registered; for find_subject(name, partial => true))';

-- ------------------------------------------------------------------
-- Search by name, for everyone who reads public_subject: the normalised
-- key (credit.normalize_name) equal to that of the name given, or starting
-- with it, as one range on public_subject.name_key ("C" collation), which
-- the index subject_name_key_public answers; or, with partial => true,
-- holding it anywhere (credit.subject_ids_containing above), the rows then
-- read by subject_id (= ANY is LEAKPROOF, so the primary key answers it
-- under row security).  A plain SQL function with no SET clause and every
-- name qualified, so the planner inlines it into the caller's query: the
-- caller's row security and privileges apply, and the bounds are computed
-- once per scan.  partial is meant to be written as a constant (or left
-- out): the planner then keeps only the branch of the CASE asked for, whose
-- conditions an index answers; with partial a parameter of a generic plan,
-- the CASE stays whole and no index is used.  The
-- upper bound of a prefix is the key followed by U+10FFFF, the last code
-- point: a name whose key goes on with U+10FFFF itself (a noncharacter) is
-- the only one a prefix misses.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.find_subject(name text, prefix boolean DEFAULT false, partial boolean DEFAULT false)
    RETURNS SETOF credit.public_subject
    LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
    SELECT s.* FROM credit.public_subject s
     WHERE CASE WHEN find_subject.partial
                THEN s.subject_id OPERATOR(pg_catalog.=) ANY (credit.subject_ids_containing(find_subject.name))
                ELSE s.name_key OPERATOR(pg_catalog.>=) credit.normalize_name(find_subject.name)
                     AND s.name_key OPERATOR(pg_catalog.<=)
                         CASE WHEN find_subject.prefix
                              THEN credit.normalize_name(find_subject.name) OPERATOR(pg_catalog.||) pg_catalog.chr(1114111)
                              ELSE credit.normalize_name(find_subject.name) END
           END;
END;
COMMENT ON FUNCTION credit.find_subject(text, boolean, boolean) IS '按名称查找主体 (find subjects by name: public_subject rows whose normalised name equals that of the name given, with prefix => true starts with it, with partial => true contains it (at least 3 characters); through the indexes on name_key (and, for a part, the trigram index if the DBA made it); the caller''s row security applies)';

-- ------------------------------------------------------------------
-- Personal data gives the planner nothing: no statistics on the personal
-- columns (and their masked copies).  The comparison operators of uscc and
-- resident_id stay LEAKPROOF (row security's quals and index scans on them
-- need it), so the planner may use a column's statistics for a caller's
-- condition whatever rows the caller sees; with a statistics target of 0
-- ANALYZE skips the column and the planner uses its default estimates,
-- which say nothing about hidden rows.  The record's personal columns are
-- those credit.record_columns() shows under a masked name.
-- ------------------------------------------------------------------
DO $no_statistics$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT 'credit.record'::pg_catalog.regclass AS rel, r.column_name AS col FROM credit.record_columns() r
              WHERE r.public_source OPERATOR(pg_catalog.<>) r.column_name
             UNION ALL
             SELECT 'credit.record'::pg_catalog.regclass, r.public_source FROM credit.record_columns() r
              WHERE r.public_source OPERATOR(pg_catalog.<>) r.column_name
             UNION ALL
             SELECT 'credit.subject'::pg_catalog.regclass, v.col
               FROM (VALUES ('name'::name), ('name_key'), ('resident_id'), ('legal_rep_id'),
                            ('name_public'), ('resident_id_public'), ('name_key_public')) AS v(col)
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', c.rel, c.col);
    END LOOP;
END
$no_statistics$;
