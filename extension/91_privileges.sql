-- The install script, part 91: privileges, installed last.  Every GRANT of the
-- extension is here: to the owner of the public views, and to the roles the
-- DBA registers with credit.register_*_role(), one list per kind of party
-- in credit.grant_party().  Functions that only triggers and the engine
-- call are not executable by PUBLIC.  Row security (90_row_security.sql)
-- then decides which rows each role reaches.

-- ------------------------------------------------------------------
-- Functions nobody calls directly
-- ------------------------------------------------------------------
REVOKE EXECUTE ON FUNCTION credit.subject_exists(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.record_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.record_accepted() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.record_after_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.record_withdrawal_effects() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.extend_for_lists(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.list_entry_extends_record() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.list_entry_lock_basis() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.lock_basis(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.list_entry_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.repair_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.repair_effects() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.commitment_breach_effects() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.commitment_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.commitment_rules() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.sweep(date, integer) FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE credit.uninstall() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.objection_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.objection_effects() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.collection_batch_close() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_result_rules() FROM PUBLIC;
-- exchange (70_exchange.sql): the DBA's
REVOKE EXECUTE ON FUNCTION credit.exchange_scope() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.set_platform(text, text, text, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.set_peer(text, text, text, integer, text, text[], text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.create_publication(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.create_exchange_slot(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.subscribe(text, text) FROM PUBLIC;
-- the owner's part of an evaluation run and an import: for the centre's
-- roles only, through credit.eval_run and credit.eval_import, which check
-- the caller is registered as the centre
REVOKE EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credit.eval_store_run(text, date, regrole) TO credit_centre_parties;
GRANT EXECUTE ON FUNCTION credit.eval_store_import(text, date, jsonb, text, regrole) TO credit_centre_parties;

-- ------------------------------------------------------------------
-- The owner of the public views (40_disclosure.sql) reads the base tables
-- under the portal's row security.
-- ------------------------------------------------------------------
GRANT USAGE ON SCHEMA credit TO credit_public_views;
GRANT SELECT ON credit.record, credit.subject, credit.list_entry, credit.list_kind, credit.commitment, credit.eval_result, credit.list_entry_person TO credit_public_views;

-- ------------------------------------------------------------------
-- What each kind of party is granted.  The portal and grantees read
-- credit.record and credit.subject only through the columns the public
-- views show (their masked personal data): the column list is taken from
-- the views, so the view and the grant cannot disagree.  The portal reads
-- the workflow tables through their masked copies (credit.masked_columns).
-- ------------------------------------------------------------------
-- The columns of a base table that a view reads, in the table's order.
CREATE FUNCTION credit.view_columns(view regclass, base regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = view_columns.base AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attnum IN (SELECT d.refobjsubid
                                  FROM pg_catalog.pg_depend d
                                  JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid
                                 WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                   AND w.ev_class = view_columns.view
                                   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                   AND d.refobjid = view_columns.base));
COMMENT ON FUNCTION credit.view_columns(regclass, regclass) IS '视图所读列 (the columns of a base table that a view reads, quoted, in the table''s order: the portal''s column privileges are those of the public views)';

-- The columns of a table that the portal and grantees read: every column
-- but those with a masked copy, named <column>_public (the copy is read
-- instead).  The workflow tables: credit.objection, credit.workflow_event.
CREATE FUNCTION credit.masked_columns(tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid OPERATOR(pg_catalog.=) masked_columns.tab AND a.attnum OPERATOR(pg_catalog.>) 0
               AND NOT a.attisdropped
               AND NOT EXISTS (SELECT FROM pg_catalog.pg_attribute m
                                WHERE m.attrelid OPERATOR(pg_catalog.=) a.attrelid AND NOT m.attisdropped
                                  AND m.attname OPERATOR(pg_catalog.=) (a.attname OPERATOR(pg_catalog.||) '_public')));
COMMENT ON FUNCTION credit.masked_columns(regclass) IS '脱敏可读列 (the columns of a table the portal and grantees read, quoted, in table order: every column but those with a masked copy <column>_public)';

-- The group role of each kind of party (40_disclosure.sql).
CREATE FUNCTION credit.party_group(kind credit.party_kind) RETURNS name
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN CASE kind WHEN '信用中心' THEN 'credit_centre_parties' WHEN '部门' THEN 'credit_department_parties'
                     WHEN '信用网站' THEN 'credit_portal_parties' ELSE 'credit_agency_parties' END;
COMMENT ON FUNCTION credit.party_group(credit.party_kind) IS '参与方角色组 (the group role of a kind of party, which the policies apply to)';

CREATE FUNCTION credit.grant_party(r regrole, kind credit.party_kind) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- every registered role: the schema, the reference data, the public views,
    -- the credit reports
    common constant text[] := ARRAY[
        'USAGE ON SCHEMA credit',
        'SELECT ON credit.department, credit.party, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine, credit.machine_state, credit.machine_transition, '
            'credit.machine_deadline, credit.sync_target, credit.collection_rule, '
            'credit.measure, credit.matter, credit.measure_rule, credit.report_item, credit.eval_scheme, credit.eval_indicator',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry, credit.public_list_notice, credit.public_list_entry_person, credit.public_commitment, credit.public_eval_result',
        -- credit reports (62_reports.sql): asked for and read through row security
        'SELECT, INSERT (subject_id, kind, period_from, domains) ON credit.report_issue'];
    -- the portal and grantees: records and subjects with personal data masked
    masked constant text[] := ARRAY[
        pg_catalog.format('SELECT (%s) ON credit.record', credit.view_columns('credit.public_record', 'credit.record')),
        pg_catalog.format('SELECT (%s) ON credit.subject', credit.view_columns('credit.public_subject', 'credit.subject'))];
    own text[];
    privilege text;
BEGIN
    CASE kind
    WHEN '信用中心' THEN own := ARRAY[
        'INSERT, UPDATE, DELETE ON credit.department, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine_transition, credit.machine_deadline, credit.sync_target',
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject, credit.subject_old_code, credit.record, credit.record_load, '
            'credit.list_entry, credit.authorisation',
        'UPDATE (name, legal_rep_name, legal_rep_id) ON credit.subject',
        'UPDATE (state, state_reason, publicity_state) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'SELECT, INSERT (entry_id, role, name, resident_id) ON credit.list_entry_person',
        'SELECT ON credit.interview',
        'UPDATE (state) ON credit.interview',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt, department_id, licence_record_id) ON credit.commitment',
        'UPDATE (state, licence_record_id) ON credit.commitment',
        'SELECT ON credit.commitment_licence_flag',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'INSERT (record_id, entry_id, result_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'UPDATE (enabled, severity) ON credit.collection_rule',
        'INSERT, UPDATE, DELETE ON credit.measure, credit.matter, credit.measure_rule, credit.report_item',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats',
        'INSERT, UPDATE, DELETE ON credit.eval_scheme, credit.eval_indicator',
        'SELECT ON credit.eval_batch, credit.eval_result',
        'UPDATE (state) ON credit.eval_result'];
    WHEN '部门' THEN own := ARRAY[
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject_old_code, credit.record, credit.record_load, credit.list_entry, '
            'credit.access_log',
        'UPDATE (state, state_reason) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'SELECT, INSERT (entry_id, role, name, resident_id) ON credit.list_entry_person',
        'SELECT, INSERT (subject_id, kind, basis_record_id, basis_entry_id, basis_result_id, reason, scheduled_at, place) ON credit.interview',
        'UPDATE (state) ON credit.interview',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt, department_id, licence_record_id) ON credit.commitment',
        'UPDATE (state, licence_record_id) ON credit.commitment',
        'SELECT ON credit.commitment_licence_flag',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'INSERT (item_code, file_name, header_lines) ON credit.collection_batch',
        'UPDATE (state) ON credit.collection_batch',
        'INSERT ON credit.collection_load, credit.collection_staging, credit.collection_error',
        'DELETE ON credit.collection_staging',
        'SELECT ON credit.credit_check, credit.check_feedback, credit.check_pending_feedback, credit.check_stats',
        'INSERT (subject_id, matter_code, purpose) ON credit.credit_check',
        'INSERT (check_id, measure_code, action, details) ON credit.check_feedback',
        'SELECT ON credit.eval_result'];
    WHEN '信用网站' THEN own := masked || ARRAY[
        'SELECT ON credit.list_entry, credit.access_log, credit.commitment, credit.interview',
        'INSERT (subject_id, kind, matter_code, content, liability, valid_until, disclosure, reason, check_due, '
            'check_exempt) ON credit.commitment',
        'UPDATE (state) ON credit.commitment',
        'SELECT, INSERT ON credit.authorisation',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'EXECUTE ON FUNCTION credit.subject_exists(bigint)',
        pg_catalog.format('SELECT (%s) ON credit.workflow_event', credit.masked_columns('credit.workflow_event')),
        'INSERT ON credit.workflow_event',
        pg_catalog.format('SELECT (%s) ON credit.objection', credit.masked_columns('credit.objection')),
        'SELECT ON credit.repair',
        'INSERT (record_id, entry_id, result_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT ON credit.credit_check',
        'SELECT ON credit.eval_result'];
    WHEN '授权机构' THEN own := masked || ARRAY[
        'SELECT ON credit.subject_old_code, credit.list_entry, credit.authorisation, credit.access_log',
        'INSERT ON credit.access_log',
        'SELECT ON credit.eval_result'];
    END CASE;
    FOREACH privilege IN ARRAY common || own LOOP
        EXECUTE pg_catalog.format('GRANT %s TO %s', privilege, r);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT %I TO %s', credit.party_group(kind), r);
END
$$;
COMMENT ON FUNCTION credit.grant_party(regrole, credit.party_kind) IS '参与方授权 (grant a registered role the privileges of its kind of party and its party group; called by the register_*_role functions)';

-- ------------------------------------------------------------------
-- Registering roles (the DBA, as superuser)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.register_centre_role(r regrole, display_name text DEFAULT '信用中心') RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name) VALUES (r, '信用中心', display_name);
    PERFORM credit.grant_party(r, '信用中心');
END
$$;
COMMENT ON FUNCTION credit.register_centre_role(regrole, text) IS '登记信用中心角色 (register the credit centre''s role and grant what it needs; run by the DBA)';

CREATE FUNCTION credit.register_department_role(r regrole, department_code text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dept credit.department;
BEGIN
    SELECT * INTO dept FROM credit.department d WHERE d.code = department_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown department "%"', department_code
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it to credit.department first.';
    END IF;
    -- a department another platform sent (docs/exchange.md) is that
    -- platform's: no role of this one acts as it
    IF credit.department_origin(dept.department_id) IS DISTINCT FROM credit.platform_code()
       AND credit.department_origin(dept.department_id) IS NOT NULL THEN
        RAISE EXCEPTION 'department "%" belongs to platform "%"', department_code, credit.department_origin(dept.department_id)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Its rows came from that platform by exchange.',
                  HINT = 'Register roles for this platform''s own departments only.';
    END IF;
    INSERT INTO credit.party (role, kind, department_id, display_name) VALUES (r, '部门', dept.department_id, dept.name);
    PERFORM credit.grant_party(r, '部门');
END
$$;
COMMENT ON FUNCTION credit.register_department_role(regrole, text) IS '登记部门角色 (register a department application''s role for a department code and grant what it needs; run by the DBA)';

CREATE FUNCTION credit.register_portal_role(r regrole, display_name text DEFAULT '信用网站') RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name) VALUES (r, '信用网站', display_name);
    PERFORM credit.grant_party(r, '信用网站');
END
$$;
COMMENT ON FUNCTION credit.register_portal_role(regrole, text) IS '登记信用网站角色 (register the public portal''s role; only masked personal data is granted to it; run by the DBA)';

CREATE FUNCTION credit.register_agency_role(r regrole, display_name text, agency_uscc credit.uscc DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO credit.party (role, kind, display_name, agency_uscc) VALUES (r, '授权机构', display_name, agency_uscc);
    PERFORM credit.grant_party(r, '授权机构');
END
$$;
COMMENT ON FUNCTION credit.register_agency_role(regrole, text, credit.uscc) IS '登记授权机构角色 (register an authorised party''s role: bank, credit service agency; it reads 授权查询 data only under an opened authorisation; run by the DBA)';

CREATE FUNCTION credit.unregister_role(r regrole) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k credit.party_kind;
BEGIN
    DELETE FROM credit.party WHERE role = r RETURNING kind INTO k;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role "%" is not registered', r USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('REVOKE %I FROM %s', credit.party_group(k), r);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA credit FROM %s', r);
    EXECUTE format('REVOKE ALL ON SCHEMA credit FROM %s', r);
    EXECUTE format('REVOKE ALL ON FUNCTION credit.subject_exists(bigint) FROM %s', r);
END
$$;
COMMENT ON FUNCTION credit.unregister_role(regrole) IS '注销角色 (unregister a role: its party row and its privileges on the credit schema go; run by the DBA before DROP ROLE)';

REVOKE EXECUTE ON FUNCTION credit.grant_party(regrole, credit.party_kind) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_centre_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_department_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_portal_role(regrole, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.register_agency_role(regrole, text, credit.uscc) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.unregister_role(regrole) FROM PUBLIC;

-- ------------------------------------------------------------------
-- Tamper evidence (88_audit.sql): the centre reads the change log and
-- verifies it; nobody else reads it, and nobody writes it (the append at
-- commit is the owner's; re-anchoring is the superuser's).
-- ------------------------------------------------------------------
REVOKE EXECUTE ON FUNCTION credit.chain_log_change() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_note(text, text, text[], bytea, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_snapshot(name, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_table_changed() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.change_log_restore() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_reanchor(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.verify_chain(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.chain_head() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.purge_access_log() FROM PUBLIC;
GRANT SELECT ON credit.change_log, credit.chain_table TO credit_centre_parties;
GRANT EXECUTE ON FUNCTION credit.verify_chain(bigint), credit.chain_head() TO credit_centre_parties;

-- Statistics (71_statistics.sql): the centre and the departments, each
-- through its row security.
GRANT SELECT ON credit.monthly_statistics TO credit_centre_parties, credit_department_parties;

-- Exchange acknowledgements (70_exchange.sql): the centre reads them and
-- what is pending; only the triggers write them.
REVOKE EXECUTE ON FUNCTION credit.repair_acknowledge() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.exchange_ack_arrived() FROM PUBLIC;
GRANT SELECT ON credit.exchange_ack, credit.exchange_pending TO credit_centre_parties;
