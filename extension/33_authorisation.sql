-- The install script, part 33: layer 3, a subject's authorisations (授权) for a
-- grantee to query its 授权查询 information, and the access log of those
-- reads.  The opening of an authorisation is in 40_disclosure.sql; row
-- security: 90_row_security.sql; privileges: 91_privileges.sql.

-- ------------------------------------------------------------------
-- Authorisations and the access log
-- ------------------------------------------------------------------
CREATE TABLE credit.authorisation (
    authorisation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id       bigint NOT NULL REFERENCES credit.subject,
    grantee          regrole NOT NULL,
    scope            credit.catalogue_category[],
    purpose          text NOT NULL CHECK (btrim(purpose) <> ''),
    proof            text NOT NULL CHECK (btrim(proof) <> ''),
    valid_from       timestamptz NOT NULL DEFAULT now(),
    valid_until      timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_reason   text,
    granted_by       regrole NOT NULL DEFAULT current_user::regrole,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until > valid_from),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX authorisation_subject ON credit.authorisation (subject_id);
CREATE INDEX authorisation_grantee ON credit.authorisation (grantee);
COMMENT ON TABLE credit.authorisation IS '授权 (a subject''s authorisation for a grantee to query its 授权查询 information, for a purpose, until a date; revocable at any time)';
COMMENT ON COLUMN credit.authorisation.authorisation_id IS '授权编号 (internal id)';
COMMENT ON COLUMN credit.authorisation.subject_id IS '授权主体 (the subject granting it)';
COMMENT ON COLUMN credit.authorisation.grantee IS '被授权方角色 (role of the authorised party)';
COMMENT ON COLUMN credit.authorisation.scope IS '授权范围 (categories covered; NULL: all 授权查询 information)';
COMMENT ON COLUMN credit.authorisation.purpose IS '用途 (agreed purpose)';
COMMENT ON COLUMN credit.authorisation.proof IS '授权凭证 (reference of the written authorisation)';
COMMENT ON COLUMN credit.authorisation.valid_from IS '生效时间 (valid from)';
COMMENT ON COLUMN credit.authorisation.valid_until IS '失效时间 (valid until)';
COMMENT ON COLUMN credit.authorisation.revoked_at IS '撤销时间 (revoked at)';
COMMENT ON COLUMN credit.authorisation.revoked_reason IS '撤销原因 (reason of revocation)';
COMMENT ON COLUMN credit.authorisation.granted_by IS '登记角色 (role that recorded it: the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.authorisation.granted_at IS '登记时间 (recorded at)';

-- An authorisation is never changed or deleted, only revoked, once.
CREATE TRIGGER authorisation_content BEFORE UPDATE OR DELETE ON credit.authorisation
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('authorisations',
        'Revoke it with credit.revoke_authorisation(authorisation_id, reason).',
        'An authorisation is only revoked, once, with credit.revoke_authorisation(authorisation_id, reason).',
        'once:revoked_at', 'once:revoked_reason');

CREATE FUNCTION credit.revoke_authorisation(authorisation_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.authorisation a SET revoked_at = now(), revoked_reason = coalesce(reason, '主体撤回授权')
     WHERE a.authorisation_id = revoke_authorisation.authorisation_id AND a.revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'authorisation % is not an active authorisation you can revoke', authorisation_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.revoke_authorisation(bigint, text) IS '撤销授权 (revoke an authorisation: the portal acting for its subject, or the centre)';

CREATE TABLE credit.access_log (
    access_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    accessed_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    role             regrole NOT NULL,
    subject_id       bigint NOT NULL REFERENCES credit.subject,
    authorisation_id bigint REFERENCES credit.authorisation,
    purpose          text NOT NULL,
    kind             credit.disclosure_level NOT NULL DEFAULT '授权查询' CHECK (kind IN ('授权查询', '部门共享')),
    CONSTRAINT access_log_authorisation_of_kind CHECK ((authorisation_id IS NOT NULL) = (kind = '授权查询')),
    CONSTRAINT access_log_purpose_not_blank CHECK (btrim(purpose) <> '')
);
CREATE INDEX access_log_subject ON credit.access_log (subject_id, accessed_at);
COMMENT ON TABLE credit.access_log IS '查询日志 (log of 授权查询 reads: who, whose, under which authorisation, for what purpose, when; and of departments'' 部门共享 reads of logged catalogue items: who, whose, for what purpose, when; kept at least 5 years; append-only)';
COMMENT ON COLUMN credit.access_log.access_id IS '日志编号 (internal id)';
COMMENT ON COLUMN credit.access_log.accessed_at IS '查询时间 (when)';
COMMENT ON COLUMN credit.access_log.role IS '查询角色 (who)';
COMMENT ON COLUMN credit.access_log.subject_id IS '被查询主体 (whose information)';
COMMENT ON COLUMN credit.access_log.authorisation_id IS '授权编号 (under which authorisation; NULL for a 部门共享 read)';
COMMENT ON COLUMN credit.access_log.kind IS '查询类别 (授权查询: a read under an authorisation, credit.open_authorisation; 部门共享: a department''s read of shared records, credit.open_shared_read)';
COMMENT ON COLUMN credit.access_log.purpose IS '用途 (purpose: the authorisation''s, or the one the department gave)';

-- What a log row says is not the writer's choice: the time is the clock's
-- (not a default the writer can override), the role the writer, the
-- subject and purpose the authorisation's (for a 部门共享 read, the
-- department's own: the subject and purpose it opened).  Caller's rights:
-- the grantee reads its own authorisation; row security (access_log_insert)
-- then checks the authorisation is the writer's and valid, or the writer a
-- department.
CREATE FUNCTION credit.access_log_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.accessed_at := pg_catalog.clock_timestamp();
    NEW.role := current_user::pg_catalog.regrole;
    IF NEW.kind OPERATOR(pg_catalog.=) '授权查询'::credit.disclosure_level THEN
        SELECT a.subject_id, a.purpose INTO NEW.subject_id, NEW.purpose
          FROM credit.authorisation a WHERE a.authorisation_id OPERATOR(pg_catalog.=) NEW.authorisation_id;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.access_log_before_insert() IS '触发器: 查询日志内容 (trigger: a log row''s time is the clock''s, its role the writer, and for a 授权查询 read its subject and purpose those of the authorisation, whatever the row says)';
CREATE TRIGGER access_log_before_insert BEFORE INSERT ON credit.access_log
    FOR EACH ROW WHEN (NOT credit.restoring('credit.access_log')) EXECUTE FUNCTION credit.access_log_before_insert();

-- A revocation ends every session's openings (disclosure.c): they are a
-- table cache of credit.authorisation (table_cache.h).
CREATE FUNCTION credit.authorisation_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.authorisation_changed() IS '触发器: 授权变更 (trigger: a revocation tells every session to drop its opened authorisations)';
CREATE TRIGGER authorisation_changed AFTER UPDATE OR DELETE OR TRUNCATE ON credit.authorisation
    FOR EACH STATEMENT EXECUTE FUNCTION credit.authorisation_changed();

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON credit.access_log
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON credit.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

SELECT pg_catalog.pg_extension_config_dump('credit.authorisation', '');
SELECT pg_catalog.pg_extension_config_dump('credit.access_log', '');
