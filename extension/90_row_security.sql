-- The install script, part 90: row security, every policy of the extension, in
-- layer order.  Installed after every table: the loop below enables and
-- FORCEs row-level security on every table of the schema (the owner is
-- bound too), so a table added later cannot be forgotten; a table without a
-- policy of its own would be readable by nobody.  Who a role is comes from
-- credit.party (20_reference.sql); the predicates and party groups the
-- policies use are in 40_disclosure.sql.  docs/disclosure.md has the table
-- of who sees what.  Each policy applies TO the party groups it is for, so
-- the planner leaves the others' policies out at plan time.

DO $enable$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r'
              ORDER BY c.relname
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$enable$;

-- ------------------------------------------------------------------
-- Read by every registered role, kept by the credit centre: the reference
-- data of layer 2 and of the workflows (party only through the register
-- functions, by the DBA).
-- ------------------------------------------------------------------
DO $reference$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('department', 'departments'),
            ('catalogue_item', 'the catalogue'),
            ('catalogue_period', 'publicity periods'),
            ('rule_set', 'rule sets'),
            ('rule_set_period', 'the rule sets'' periods'),
            ('list_kind', 'list kinds'),
            ('calendar_year', 'calendar years'),
            ('calendar_day', 'calendar days'),
            ('machine', 'the machines'),
            ('machine_state', 'the machines'' states'),
            ('machine_transition', 'the machines'' transitions'),
            ('machine_deadline', 'the machines'' deadlines'),
            ('sync_target', 'sync targets'),
            ('collection_rule', 'the collection rules'),
            ('measure', 'the measures'),
            ('matter', 'the matters'),
            ('measure_rule', 'the measure rules'),
            ('report_item', 'the report classes of catalogue items'),
            ('eval_scheme', 'the evaluation schemes'),
            ('eval_indicator', 'the evaluation indicators'),
            ('platform', 'this platform'),
            ('exchange_peer', 'the exchange peers')) AS v(name, what)
    LOOP
        EXECUTE pg_catalog.format('CREATE POLICY %I ON credit.%I FOR SELECT USING (true)', t.name || '_read', t.name);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_centre_parties '
                                  'USING ((SELECT credit.current_party_kind()) = ''信用中心'') '
                                  'WITH CHECK ((SELECT credit.current_party_kind()) = ''信用中心'')',
                                  t.name || '_centre', t.name);
        EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON credit.%I IS %L', t.name || '_read', t.name,
                                  '所有登记角色可读 (every registered role reads ' || t.what || ')');
        EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON credit.%I IS %L', t.name || '_centre', t.name,
                                  '信用中心维护 (the centre maintains ' || t.what || ')');
    END LOOP;
END
$reference$;

CREATE POLICY party_read ON credit.party FOR SELECT USING (true);
COMMENT ON POLICY party_read ON credit.party IS '所有登记角色可读 (who is which party is not secret); written only by the register functions';

-- ==================================================================
-- Layer 3: the credit data model
-- ==================================================================
-- ------------------------------------------------------------------
-- Subjects: organisations are public; a natural person is visible to the
-- centre, to a grantee (or department) that has opened an authorisation
-- for them, and to the portal acting for them.  A department knows a
-- person through its own records (subject_name, subject_resident_id as it
-- submitted them): the subject row would show what another department
-- submitted first (the stored name) and that the person was known before.
-- ------------------------------------------------------------------

CREATE POLICY subject_organisation ON credit.subject FOR SELECT
    USING (kind <> '自然人' AND (SELECT credit.current_party_kind()) IS NOT NULL);
CREATE POLICY subject_centre ON credit.subject FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
-- The UPDATE policies of the departments (record, list entry, objection,
-- repair: the rows a department moves through credit.transition()) ask the
-- row predicate credit.in_own_department(department_id), the same as
-- department_id = (SELECT credit.current_department_id()) without its
-- InitPlan, which was set up twice (USING and WITH CHECK) at every
-- execution of the transition's UPDATE (docs/decisions.md).
-- The department policies compare with current_department_id(), which is
-- not NULL exactly for the roles registered as 部门 (credit.party's CHECK):
-- that comparison is the party test, and a separate
-- current_party_kind() = '部门' would only add an InitPlan.
CREATE POLICY subject_authorised ON credit.subject FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (credit.opened_for(subject_id));
CREATE POLICY subject_acting ON credit.subject FOR SELECT TO credit_portal_parties
    USING (credit.acting_for(subject_id));
COMMENT ON POLICY subject_organisation ON credit.subject IS '组织主体对所有登记角色可见 (organisations: every registered role)';
COMMENT ON POLICY subject_centre ON credit.subject IS '信用中心 (the centre: everything)';
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

-- The read policies' conditions are one row predicate each
-- (40_disclosure.sql, disclosure.c): the same conditions as the SQL in
-- their comments, set up as one function call instead of six at every
-- execution of a query.  One read policy a kind of role where it counts: a
-- department's record_department holds all it reads (the public's rows,
-- its own and shared, the authorised), so record_public and
-- record_authorised are not for departments, and a department's query sets
-- up one predicate, not three.  record_public is for the other kinds that
-- read credit.record (the centre, grantees, the portal and the public
-- views' owner credit_public_views, a member of the portal's group): no
-- other role has SELECT on it.
--   record_public: disclosure = '公开' AND state = '有效'
--     AND publicity_start <= credit.legal_date()
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
CREATE POLICY record_public ON credit.record FOR SELECT
    TO credit_centre_parties, credit_agency_parties, credit_portal_parties
    USING (credit.record_is_public(disclosure, state, publicity_start, publicity_end));
-- What a department reads: the public's rows (record_public's condition),
-- and when the caller is registered as a department a 部门共享 row in
-- force, not repaired and inside its period, and its own rows in every
-- state:
--   credit.in_department_scope(CASE WHEN disclosure = '部门共享' AND state = '有效'
--     AND publicity_state <> '已修复'
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0
--     ELSE department_id END)
-- and the rows record_authorised gives a grantee, when it has opened an
-- authorisation.
CREATE POLICY record_department ON credit.record FOR SELECT TO credit_department_parties
    USING (credit.record_department_sees(department_id, subject_id, category, disclosure, state,
                                         publicity_state, publicity_start, publicity_end));
CREATE POLICY record_centre ON credit.record FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
-- whoever inserts, inserts as itself (the centre also moves records others
-- submitted, e.g. 停止公示, so its own policy cannot ask for that)
CREATE POLICY record_insert_as_oneself ON credit.record AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
-- (its 公开 records within the public's rules: record_public; and those
-- never published, 不公示, such as a 轻微 简易程序 penalty: its own 专项
-- report covers them)
CREATE POLICY record_acting ON credit.record FOR SELECT TO credit_portal_parties
    USING ((disclosure = '授权查询' OR (disclosure = '公开' AND publicity_state = '不公示'))
           AND state = '有效' AND credit.acting_for(subject_id));
--   record_authorised: disclosure = '授权查询' AND state = '有效' AND publicity_state <> '已修复'
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
--     AND credit.authorised_for(subject_id, category)
CREATE POLICY record_authorised ON credit.record FOR SELECT TO credit_agency_parties
    USING (credit.record_authorised_reads(subject_id, category, disclosure, state, publicity_state, publicity_end));
CREATE POLICY record_department_insert ON credit.record FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND submitted_by = current_user::regrole
                AND EXISTS (SELECT 1 FROM credit.catalogue_item i
                             WHERE i.item_code = record.item_code
                               AND i.department_id = record.department_id));
CREATE POLICY record_department_update ON credit.record FOR UPDATE TO credit_department_parties
    USING (credit.in_own_department(department_id))
    WITH CHECK (credit.in_own_department(department_id));
-- Shared reads of logged catalogue items (docs/audit.md): restrictive, so
-- that whatever a department's permissive policy gives, a 部门共享 record
-- of another department, of an item with log_shared_reads, needs its
-- subject opened with a logged purpose (credit.open_shared_read).  Its
-- own records and every other disclosure level pass at once.
CREATE POLICY record_shared_read ON credit.record AS RESTRICTIVE FOR SELECT TO credit_department_parties
    USING (credit.record_shared_read_logged(department_id, subject_id, item_code, disclosure));
COMMENT ON POLICY record_public ON credit.record IS '公开: 公示期内的有效记录, 所有人可见 (public, in force, inside its publicity period: everyone; a department through record_department)';
COMMENT ON POLICY record_department ON credit.record IS '部门: 公开记录、有效未修复且在公示期内的部门共享记录、本部门报送的记录和已启用授权的记录 (a department: the public''s records (record_public''s rule), and the authorised records it has opened (record_authorised''s rule); registered as a department: department-shared records in force, not repaired and inside their period (the 5-year limit and the publicity end apply to sharing too), and its own submissions in every state)';
COMMENT ON POLICY record_centre ON credit.record IS '信用中心 (the centre: everything)';
COMMENT ON POLICY record_insert_as_oneself ON credit.record IS '只能以自己的名义报送 (every role inserts as itself)';
COMMENT ON POLICY record_acting ON credit.record IS '主体本人经信用网站查看 (the subject, through the portal acting for it: its 授权查询 records in force, and its 公开 ones never published (不公示: they are in its own 专项 report); its published 公开 ones within the public''s rules, record_public; not its 部门共享 ones)';
COMMENT ON POLICY record_authorised ON credit.record IS '授权查询: 已启用有效授权的被授权方, 限授权范围和公示期 (a grantee that has opened a valid authorisation, within its scope, while the record is inside its period: the 5-year limit and the publicity end apply to authorised use too; a department through record_department)';
COMMENT ON POLICY record_department_insert ON credit.record IS '部门只报送本部门目录项的记录 (a department submits records of its own catalogue items, as itself)';
COMMENT ON POLICY record_department_update ON credit.record IS '部门只撤回/更正本部门记录 (a department withdraws or corrects only its own records)';
COMMENT ON POLICY record_shared_read ON credit.record IS '部门共享查询留痕: 其他部门的留痕目录项共享记录, 须先登记用途 (restrictive: a department reads another department''s 部门共享 records of a catalogue item with log_shared_reads only for subjects it opened with a logged purpose, credit.open_shared_read)';

-- ------------------------------------------------------------------
-- List entries
-- ------------------------------------------------------------------

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
CREATE POLICY list_entry_centre ON credit.list_entry FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY list_entry_insert_as_oneself ON credit.list_entry AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
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
CREATE POLICY list_entry_department_insert ON credit.list_entry FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND submitted_by = current_user::regrole);
CREATE POLICY list_entry_department_update ON credit.list_entry FOR UPDATE TO credit_department_parties
    USING (credit.in_own_department(department_id))
    WITH CHECK (credit.in_own_department(department_id));
-- A proposal (拟列入) is no listing: a department reads its own, and
-- everyone the 公开 proposals of red lists in their public notice (公示),
-- never a 部门共享 or 授权查询 proposal of another department as a shared
-- or authorised entry (the permissive policies above would show one; a
-- 公开 proposal they show to nobody else, its listed_on being NULL); a
-- decision not to list (不予列入) is removed already (removed_on).  The
-- subject, through the portal, reads its own proposals and refusals.
CREATE POLICY list_entry_proposal_own ON credit.list_entry AS RESTRICTIVE FOR SELECT
    TO credit_department_parties, credit_agency_parties
    USING (state OPERATOR(pg_catalog.<>) '拟列入' OR disclosure OPERATOR(pg_catalog.=) '公开'::credit.disclosure_level
           OR credit.in_own_department(department_id));
CREATE POLICY list_entry_public_notice ON credit.list_entry FOR SELECT
    USING (state OPERATOR(pg_catalog.=) '拟列入' AND notice_kind OPERATOR(pg_catalog.=) '公示'
           AND disclosure OPERATOR(pg_catalog.=) '公开'::credit.disclosure_level
           AND notice_ends_on OPERATOR(pg_catalog.>=) credit.legal_date());
CREATE POLICY list_entry_notice_acting ON credit.list_entry FOR SELECT TO credit_portal_parties
    USING (state OPERATOR(pg_catalog.=) ANY ('{拟列入,不予列入}'::text[]) AND credit.acting_for(subject_id));
COMMENT ON POLICY list_entry_proposal_own ON credit.list_entry IS '拟列入不作共享或授权查询 (a proposed entry (拟列入) that is not 公开 is read by its own department only, never as a shared or authorised listing)';
COMMENT ON POLICY list_entry_public_notice ON credit.list_entry IS '拟列入公示: 公示期内所有人可见 (a 公开 proposal of a red list inside its public notice period: everyone)';
COMMENT ON POLICY list_entry_notice_acting ON credit.list_entry IS '主体本人查看拟列入告知 (the subject through the portal: its own proposals (告知 or 公示) and the decisions not to list it)';
COMMENT ON POLICY list_entry_public ON credit.list_entry IS '公开名单: 列入期内所有人可见 (public entries inside their term: everyone)';
COMMENT ON POLICY list_entry_department ON credit.list_entry IS '部门: 列入期内的部门共享条目和本部门认定的条目 (a registered department: department-shared entries inside their term and not removed, and its own entries)';
COMMENT ON POLICY list_entry_centre ON credit.list_entry IS '信用中心 (the centre: everything)';
COMMENT ON POLICY list_entry_insert_as_oneself ON credit.list_entry IS '只能以自己的名义认定 (every role lists as itself)';
COMMENT ON POLICY list_entry_acting ON credit.list_entry IS '主体本人经信用网站查看 (the subject through the portal: its 授权查询 entries inside their term; its 公开 ones within the public''s rules, list_entry_public)';
COMMENT ON POLICY list_entry_authorised ON credit.list_entry IS '授权查询: 已启用授权的被授权方, 限授权范围 (grantees with an open authorisation whose scope covers the entry: a red list counts as 红名单, a black list as 黑名单)';
COMMENT ON POLICY list_entry_department_insert ON credit.list_entry IS '部门只认定本部门条目 (a department lists as itself)';
COMMENT ON POLICY list_entry_department_update ON credit.list_entry IS '部门只移出本部门条目 (a department removes only its own entries)';

-- The responsible persons of an entry: read by whoever reads the entry
-- (the condition reads credit.list_entry under the reader's own row
-- security); named by the entry's department or the centre (checked by
-- their trigger, credit.list_entry_person_before_insert).  The portal and
-- grantees read them masked, through credit.public_list_entry_person.
CREATE POLICY list_entry_person_reads ON credit.list_entry_person FOR SELECT
    USING (EXISTS (SELECT FROM credit.list_entry e WHERE e.entry_id OPERATOR(pg_catalog.=) list_entry_person.entry_id));
CREATE POLICY list_entry_person_insert ON credit.list_entry_person FOR INSERT
    TO credit_department_parties, credit_centre_parties
    WITH CHECK (added_by OPERATOR(pg_catalog.=) current_user::regrole);
COMMENT ON POLICY list_entry_person_reads ON credit.list_entry_person IS '责任人随名单条目可见 (the persons of an entry the reader reads)';
COMMENT ON POLICY list_entry_person_insert ON credit.list_entry_person IS '部门或信用中心以自己的名义登记 (a department or the centre names persons, as itself; its trigger checks the entry is its own)';

-- ------------------------------------------------------------------
-- Authorisations and the access log
-- ------------------------------------------------------------------

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
                AND CASE kind
                    WHEN '部门共享' THEN (SELECT credit.current_party_kind()) = '部门'
                    ELSE EXISTS (SELECT 1 FROM credit.authorisation a
                                  WHERE a.authorisation_id = access_log.authorisation_id
                                    AND a.subject_id = access_log.subject_id
                                    AND a.grantee = current_user::regrole
                                    AND a.revoked_at IS NULL
                                    AND clock_timestamp() >= a.valid_from AND clock_timestamp() < a.valid_until)
                    END);
COMMENT ON POLICY access_log_centre ON credit.access_log IS '信用中心 (the centre reads the whole log)';
COMMENT ON POLICY access_log_acting ON credit.access_log IS '主体查看谁查询了自己 (the subject, through the portal, sees who queried it: under its authorisations, and departments'' logged shared reads)';
COMMENT ON POLICY access_log_own ON credit.access_log IS '查询方看自己的查询 (a grantee or department sees its own reads)';
COMMENT ON POLICY access_log_insert ON credit.access_log IS '只能以自己的名义、凭有效授权记录; 部门共享查询由部门记录 (a row is written as oneself, under a valid authorisation of one''s own; a 部门共享 read only by a role registered as a department)';

-- ------------------------------------------------------------------
-- Commitments (34_commitment.sql, 64_commitments.sql), by their
-- disclosure: the centre everything; 可向社会公开 the public while public
-- (everyone, and so credit.public_commitment to everyone); the
-- subject (through the portal) reads its own, makes its 主动型 ones and
-- withdraws them; a department reads those not
-- 不可公开 (特定范围内公开: departments) and those it accepted or whose
-- repair it decided, makes them as itself, and moves those (the machine).
-- ------------------------------------------------------------------
CREATE POLICY commitment_centre ON credit.commitment FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY commitment_public ON credit.commitment FOR SELECT
    USING (disclosure = '可向社会公开' AND made_on <= credit.legal_date() AND state <> '已撤回'
           AND CASE WHEN state IN ('部分履行', '未履行', '违诺处理') THEN assessed_on + interval '5 years' > credit.legal_date()
                    ELSE valid_until IS NULL OR valid_until >= credit.legal_date() END);
CREATE POLICY commitment_acting ON credit.commitment FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY commitment_acting_insert ON credit.commitment FOR INSERT TO credit_portal_parties
    WITH CHECK (subject_id = (SELECT credit.acting_subject()) AND kind = '主动型' AND department_id IS NULL);
CREATE POLICY commitment_acting_update ON credit.commitment FOR UPDATE TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()))
    WITH CHECK (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY commitment_department ON credit.commitment FOR SELECT TO credit_department_parties
    USING (disclosure <> '不可公开' OR department_id = (SELECT credit.current_department_id())
           OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                       AND p.department_id = (SELECT credit.current_department_id())));
CREATE POLICY commitment_department_insert ON credit.commitment FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()));
CREATE POLICY commitment_department_update ON credit.commitment FOR UPDATE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id())
           OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                       AND p.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                OR EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                            AND p.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY commitment_centre ON credit.commitment IS '信用中心 (the centre: everything)';
COMMENT ON POLICY commitment_public ON credit.commitment IS '可向社会公开: 公示期内所有人可见 (可向社会公开 commitments from the day made while valid and not withdrawn, a broken one for 5 years from the breach found: everyone, through credit.public_commitment)';
COMMENT ON POLICY commitment_acting ON credit.commitment IS '主体经信用网站查看自己的承诺 (the subject, through the portal)';
COMMENT ON POLICY commitment_acting_insert ON credit.commitment IS '主体经信用网站作出主动型承诺 (the subject, through the portal acting for it, makes its own 主动型 commitment, accepted by the centre)';
COMMENT ON POLICY commitment_acting_update ON credit.commitment IS '主体经信用网站撤回自己的承诺 (the subject, through the portal acting for it, moves its own commitments: the machine lets it only withdraw them)';
COMMENT ON POLICY commitment_department ON credit.commitment IS '部门: 可向社会公开和特定范围内公开的承诺, 本部门受理的和本部门认定修复的承诺 (a department reads commitments not 不可公开, and those it accepted or whose repair it decided)';
COMMENT ON POLICY commitment_department_insert ON credit.commitment IS '部门以自己的名义受理承诺 (a department accepts commitments as itself)';
COMMENT ON POLICY commitment_department_update ON credit.commitment IS '受理部门和认定修复的部门办理承诺 (the accepting department, and the department deciding the repair, move the commitment and name its licence)';

-- ------------------------------------------------------------------
-- Collection (35_collection.sql): a department's batches, staged lines and
-- errors are its own; the centre reads the batches and errors.  The portal
-- and agencies see none.
-- ------------------------------------------------------------------
CREATE POLICY collection_batch_department ON credit.collection_batch FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY collection_batch_open ON credit.collection_batch FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND opened_by = current_user::regrole
                AND state = '待归集'
                AND EXISTS (SELECT 1 FROM credit.catalogue_item i
                             WHERE i.item_code = collection_batch.item_code
                               AND i.department_id = collection_batch.department_id));
CREATE POLICY collection_batch_collect ON credit.collection_batch FOR UPDATE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()) AND opened_by = current_user::regrole)
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND opened_by = current_user::regrole);
CREATE POLICY collection_batch_centre ON credit.collection_batch FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY collection_batch_department ON credit.collection_batch IS '部门查看本部门批次 (a department reads its own batches)';
COMMENT ON POLICY collection_batch_open ON credit.collection_batch IS '部门以自己的名义开启本部门目录项的批次 (a department opens batches of its own items, as itself)';
COMMENT ON POLICY collection_batch_collect ON credit.collection_batch IS '开启批次的角色归集 (the role that opened a batch collects it)';
COMMENT ON POLICY collection_batch_centre ON credit.collection_batch IS '信用中心查看所有批次 (the centre reads every batch)';

CREATE POLICY collection_staging_department ON credit.collection_staging FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY collection_staging_discard ON credit.collection_staging FOR DELETE TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY collection_staging_load ON credit.collection_staging FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND batch_id IN (SELECT b.batch_id FROM credit.collection_batch b
                                  WHERE b.department_id = (SELECT credit.current_department_id())
                                    AND b.opened_by = current_user::regrole AND b.state = '待归集'));
CREATE POLICY collection_staging_centre ON credit.collection_staging FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY collection_staging_centre ON credit.collection_staging IS '信用中心查看暂存行 (the centre reads staged lines, e.g. the open errors of the quality view)';
COMMENT ON POLICY collection_staging_department ON credit.collection_staging IS '部门查看本部门暂存行 (a department reads its own staged lines)';
COMMENT ON POLICY collection_staging_discard ON credit.collection_staging IS '部门删除本部门暂存行 (a department discards its own staged lines, e.g. rejected ones sent again corrected)';
COMMENT ON POLICY collection_staging_load ON credit.collection_staging IS '只载入自己开启的待归集批次 (lines go only into an open batch the loading role opened)';

CREATE POLICY collection_error_department ON credit.collection_error FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY collection_error_collect ON credit.collection_error FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND EXISTS (SELECT 1 FROM credit.collection_batch b
                             WHERE b.batch_id = collection_error.batch_id
                               AND b.department_id = collection_error.department_id
                               AND b.opened_by = current_user::regrole AND b.state = '待归集'));
CREATE POLICY collection_error_centre ON credit.collection_error FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY collection_error_department ON credit.collection_error IS '部门查看本部门批次的错误 (a department reads the errors of its own batches)';
COMMENT ON POLICY collection_error_collect ON credit.collection_error IS '归集时记录本批次的错误 (credit.collect, as the role that opened the batch, records its errors)';
COMMENT ON POLICY collection_error_centre ON credit.collection_error IS '信用中心查看所有错误 (the centre reads every error)';

-- ==================================================================
-- Layer 5: the workflows
-- ==================================================================
-- ------------------------------------------------------------------
-- Events: the centre reads all; every role its own; a department those of
-- objections and repairs about its records; the subject (through the portal)
-- those of its objections and repairs.  Written only by the guard, during
-- a transition of that machine, as the role making it.
-- ------------------------------------------------------------------
CREATE POLICY workflow_event_centre ON credit.workflow_event FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY workflow_event_own ON credit.workflow_event FOR SELECT
    USING (party = current_user::regrole);
CREATE POLICY workflow_event_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING ((machine = 'objection' AND EXISTS (SELECT FROM credit.objection o WHERE o.objection_id = workflow_event.object_id
                                               AND o.department_id = (SELECT credit.current_department_id())))
           OR (machine = 'repair' AND EXISTS (SELECT FROM credit.repair p WHERE p.repair_id = workflow_event.object_id
                                               AND p.department_id = (SELECT credit.current_department_id()))));
CREATE POLICY workflow_event_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING ((machine = 'objection' AND EXISTS (SELECT FROM credit.objection o WHERE o.objection_id = workflow_event.object_id
                                               AND o.subject_id = (SELECT credit.acting_subject())))
           OR (machine = 'repair' AND EXISTS (SELECT FROM credit.repair p WHERE p.repair_id = workflow_event.object_id
                                               AND p.subject_id = (SELECT credit.acting_subject()))));
CREATE POLICY workflow_event_insert ON credit.workflow_event FOR INSERT
    WITH CHECK (party = current_user::regrole AND credit.in_transition(machine, to_state));
COMMENT ON POLICY workflow_event_centre ON credit.workflow_event IS '信用中心 (the centre reads every event)';
COMMENT ON POLICY workflow_event_own ON credit.workflow_event IS '自己的操作 (a role reads the events it made)';
COMMENT ON POLICY workflow_event_department ON credit.workflow_event IS '本部门记录的异议和修复 (a department reads the events of objections and repairs about its records)';
COMMENT ON POLICY workflow_event_acting ON credit.workflow_event IS '主体经信用网站查看自己的异议和修复 (the subject, through the portal, reads the events of its objections and repairs)';
CREATE POLICY workflow_event_commitment_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING (machine = 'commitment' AND EXISTS (SELECT FROM credit.commitment c WHERE c.commitment_id = workflow_event.object_id
                                               AND c.department_id = (SELECT credit.current_department_id())));
CREATE POLICY workflow_event_commitment_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING (machine = 'commitment' AND EXISTS (SELECT FROM credit.commitment c WHERE c.commitment_id = workflow_event.object_id
                                               AND c.subject_id = (SELECT credit.acting_subject())));
COMMENT ON POLICY workflow_event_commitment_department ON credit.workflow_event IS '本部门受理的承诺 (a department reads the events of the commitments it accepted)';
COMMENT ON POLICY workflow_event_commitment_acting ON credit.workflow_event IS '主体经信用网站查看自己承诺的事件 (the subject, through the portal, reads the events of its commitments)';
COMMENT ON POLICY workflow_event_insert ON credit.workflow_event IS '只在状态转换中由守卫写入 (written by the guard during a transition of that machine, as the role making it)';

-- ------------------------------------------------------------------
-- Objections and repairs: the centre everything; the subject (through the
-- portal) files, reads and withdraws its own; the providing department reads
-- and decides those about its records.
-- ------------------------------------------------------------------
DO $apps$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['objection', 'repair'] LOOP
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_centre_parties '
                       'USING ((SELECT credit.current_party_kind()) = ''信用中心'') '
                       'WITH CHECK ((SELECT credit.current_party_kind()) = ''信用中心'')', t || '_centre', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR ALL TO credit_portal_parties '
                       'USING (subject_id = (SELECT credit.acting_subject())) '
                       'WITH CHECK (subject_id = (SELECT credit.acting_subject()))', t || '_acting', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR SELECT TO credit_department_parties '
                       'USING (department_id = (SELECT credit.current_department_id()))', t || '_department', t);
        EXECUTE format('CREATE POLICY %I ON credit.%I FOR UPDATE TO credit_department_parties '
                       'USING (credit.in_own_department(department_id)) '
                       'WITH CHECK (credit.in_own_department(department_id))', t || '_department_update', t);
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_centre', t, '信用中心 (the centre: everything)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_acting', t,
                       '主体经信用网站提交、查看、撤回 (the subject, through the portal acting for it, files, reads and withdraws its own)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_department', t,
                       '提供/认定部门查看 (the department whose record it is reads it)');
        EXECUTE format('COMMENT ON POLICY %I ON credit.%I IS %L', t || '_department_update', t,
                       '提供/认定部门办理 (the department whose record it is moves it, as the machine allows)');
    END LOOP;
END
$apps$;

-- ------------------------------------------------------------------
-- Sync events: the centre everything; a department its own targets'.
-- ------------------------------------------------------------------
CREATE POLICY sync_event_centre ON credit.sync_event FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY sync_event_department ON credit.sync_event FOR ALL TO credit_department_parties
    USING (EXISTS (SELECT FROM credit.sync_target t WHERE t.target = sync_event.target
                    AND t.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (EXISTS (SELECT FROM credit.sync_target t WHERE t.target = sync_event.target
                         AND t.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY sync_event_centre ON credit.sync_event IS '信用中心 (the centre: everything, and acknowledges for upper platforms)';
COMMENT ON POLICY sync_event_department ON credit.sync_event IS '部门确认自己的同步事件 (a department reads and acknowledges its own events)';

-- Exchange acknowledgements (70_exchange.sql): the centre reads them; they
-- are written by the triggers (and the apply worker) only.
CREATE POLICY exchange_ack_centre ON credit.exchange_ack FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY exchange_ack_centre ON credit.exchange_ack IS '信用中心 (the centre reads the acknowledgements received and sent)';

-- ==================================================================
-- Layer 6: 联合奖惩 (60_measures.sql)
-- ==================================================================
-- ------------------------------------------------------------------
-- Credit checks and their feedback: a department its own (made as
-- itself), the centre all, the portal acting for a subject the checks made
-- about it (not the feedback).  Measures, matters and rules are reference
-- data (above).
-- ------------------------------------------------------------------
CREATE POLICY credit_check_centre ON credit.credit_check FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY credit_check_department ON credit.credit_check FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY credit_check_insert ON credit.credit_check FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND checked_by = current_user::regrole);
CREATE POLICY credit_check_acting ON credit.credit_check FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
COMMENT ON POLICY credit_check_centre ON credit.credit_check IS '信用中心 (the centre reads every check)';
COMMENT ON POLICY credit_check_department ON credit.credit_check IS '核查部门查看本部门的核查 (a department reads its own checks)';
COMMENT ON POLICY credit_check_insert ON credit.credit_check IS '部门以自己的名义核查 (a department checks as itself)';
COMMENT ON POLICY credit_check_acting ON credit.credit_check IS '主体经信用网站查看谁核查了自己 (the subject, through the portal, sees the checks made about it)';

CREATE POLICY check_feedback_centre ON credit.check_feedback FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY check_feedback_department ON credit.check_feedback FOR SELECT TO credit_department_parties
    USING (department_id = (SELECT credit.current_department_id()));
CREATE POLICY check_feedback_insert ON credit.check_feedback FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND recorded_by = current_user::regrole
                AND EXISTS (SELECT FROM credit.credit_check c WHERE c.check_id = check_feedback.check_id
                             AND c.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY check_feedback_centre ON credit.check_feedback IS '信用中心 (the centre reads all feedback)';
COMMENT ON POLICY check_feedback_department ON credit.check_feedback IS '核查部门查看本部门的反馈 (a department reads its own feedback)';
COMMENT ON POLICY check_feedback_insert ON credit.check_feedback IS '只由核查部门以自己的名义反馈本部门的核查 (feedback only by the checking department, as itself, on its own checks)';

-- ==================================================================
-- Layer 6: warning interviews (66_interviews.sql)
-- ==================================================================
-- The centre everything; a department its own (it schedules as itself,
-- moves only its own); the subject, through the portal, its interviews
-- and their events.
CREATE POLICY interview_centre ON credit.interview FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY interview_department ON credit.interview FOR SELECT TO credit_department_parties
    USING (credit.in_own_department(department_id));
CREATE POLICY interview_department_insert ON credit.interview FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id()) AND scheduled_by = current_user::regrole);
CREATE POLICY interview_department_update ON credit.interview FOR UPDATE TO credit_department_parties
    USING (credit.in_own_department(department_id))
    WITH CHECK (credit.in_own_department(department_id));
CREATE POLICY interview_acting ON credit.interview FOR SELECT TO credit_portal_parties
    USING (credit.acting_for(subject_id));
CREATE POLICY workflow_event_interview_department ON credit.workflow_event FOR SELECT TO credit_department_parties
    USING (machine = 'interview' AND EXISTS (SELECT FROM credit.interview i WHERE i.interview_id = workflow_event.object_id
                                              AND i.department_id = (SELECT credit.current_department_id())));
CREATE POLICY workflow_event_interview_acting ON credit.workflow_event FOR SELECT TO credit_portal_parties
    USING (machine = 'interview' AND EXISTS (SELECT FROM credit.interview i WHERE i.interview_id = workflow_event.object_id
                                              AND i.subject_id = (SELECT credit.acting_subject())));
COMMENT ON POLICY interview_centre ON credit.interview IS '信用中心 (the centre: everything)';
COMMENT ON POLICY interview_department ON credit.interview IS '本部门的约谈 (a department reads its own interviews)';
COMMENT ON POLICY interview_department_insert ON credit.interview IS '部门以自己的名义安排约谈 (a department schedules as itself)';
COMMENT ON POLICY interview_department_update ON credit.interview IS '部门只办理本部门的约谈 (a department moves only its own interviews)';
COMMENT ON POLICY interview_acting ON credit.interview IS '主体经信用网站查看自己的约谈 (the subject, through the portal, reads its interviews)';
COMMENT ON POLICY workflow_event_interview_department ON credit.workflow_event IS '本部门约谈的事件 (a department reads the events of its interviews)';
COMMENT ON POLICY workflow_event_interview_acting ON credit.workflow_event IS '主体经信用网站查看自己约谈的事件 (the subject, through the portal, reads the events of its interviews)';

-- ==================================================================
-- Layer 6: credit reports (62_reports.sql)
-- ==================================================================
-- ------------------------------------------------------------------
-- Issued reports: the centre reads all; every requester its own; the
-- portal acting for a subject the reports issued on it (who asked, and
-- what they were shown).  Written only as oneself, by a registered party
-- (the insert trigger computes what the row says).
-- ------------------------------------------------------------------
CREATE POLICY report_issue_centre ON credit.report_issue FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY report_issue_own ON credit.report_issue FOR SELECT
    TO credit_centre_parties, credit_department_parties, credit_portal_parties, credit_agency_parties
    USING (requested_by = current_user::regrole);
CREATE POLICY report_issue_acting ON credit.report_issue FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY report_issue_insert ON credit.report_issue FOR INSERT
    TO credit_centre_parties, credit_department_parties, credit_portal_parties, credit_agency_parties
    WITH CHECK (requested_by = current_user::regrole AND (SELECT credit.current_party_kind()) IS NOT NULL);
COMMENT ON POLICY report_issue_centre ON credit.report_issue IS '信用中心 (the centre reads every issued report)';
COMMENT ON POLICY report_issue_own ON credit.report_issue IS '出具对象查看自己的报告 (a requester reads the reports issued to it)';
COMMENT ON POLICY report_issue_acting ON credit.report_issue IS '主体经信用网站查看关于自己的报告 (the subject, through the portal, reads the reports issued on it)';
COMMENT ON POLICY report_issue_insert ON credit.report_issue IS '登记参与方以自己的名义申请报告 (a registered party asks for a report as itself)';

-- Layer 6: 信用评价 (63_evaluation.sql)
-- ==================================================================
-- ------------------------------------------------------------------
-- Runs and imports: the centre.  Results: the centre all; a department
-- the published grades of 公开 and 部门共享 schemes; the portal acting for
-- a subject its own once it is told of them; everyone registered
-- (grantees, the portal, the public views' owner) the published grades of
-- organisations under a 公开 scheme.  Nobody inserts a result: the
-- owner's functions do (credit.eval_run, credit.eval_import); the centre
-- moves them through credit.transition().  Schemes and indicators are
-- reference data (above).
-- ------------------------------------------------------------------
CREATE POLICY eval_batch_centre ON credit.eval_batch FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY eval_batch_centre ON credit.eval_batch IS '信用中心 (the centre reads every run and import)';
CREATE POLICY eval_result_centre ON credit.eval_result FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY eval_result_department ON credit.eval_result FOR SELECT TO credit_department_parties
    USING (state = '已公布' AND disclosure <> '授权查询' AND (SELECT credit.current_department_id()) IS NOT NULL);
CREATE POLICY eval_result_acting ON credit.eval_result FOR SELECT TO credit_portal_parties
    USING (state <> '待告知' AND subject_id = (SELECT credit.acting_subject()));
CREATE POLICY eval_result_public_grades ON credit.eval_result FOR SELECT
    TO credit_centre_parties, credit_agency_parties, credit_portal_parties
    USING (state = '已公布' AND disclosure = '公开' AND subject_kind <> '自然人'
           AND (SELECT credit.current_party_kind()) IS NOT NULL);
COMMENT ON POLICY eval_result_centre ON credit.eval_result IS '信用中心 (the centre: every result, and moves them)';
COMMENT ON POLICY eval_result_department ON credit.eval_result IS '部门: 公开和部门共享方案的已公布等级 (a department: published grades of 公开 and 部门共享 schemes, for 分级分类监管 and the credit check)';
COMMENT ON POLICY eval_result_acting ON credit.eval_result IS '主体本人经信用网站查看 (the subject through the portal acting for it: its own grades once told of them, with their explanation)';
COMMENT ON POLICY eval_result_public_grades ON credit.eval_result IS '公开: 公开方案中组织的已公布等级 (published grades of organisations under a 公开 scheme: every registered role; a natural person''s grade is never public)';

-- ==================================================================
-- Layer 7: tamper evidence (88_audit.sql)
-- ==================================================================
-- The change log and the list of chained tables: the centre reads them
-- (credit.verify_chain() names rows of every department); nobody writes
-- them but the owner's append at commit and the DBA.
CREATE POLICY change_log_centre ON credit.change_log FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY change_log_centre ON credit.change_log IS '信用中心 (the centre reads the whole change log)';
CREATE POLICY chain_table_centre ON credit.chain_table FOR SELECT TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY chain_table_centre ON credit.chain_table IS '信用中心 (the centre reads which tables are chained)';
