-- The install script, part 30: layer 3, credit subjects (信用主体): organisations
-- keyed by their 统一社会信用代码, natural persons by their 公民身份号码, and
-- their old codes.  Row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

-- A natural person's name as shown to the public: the surname, then *.
CREATE FUNCTION credit.mask_person_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.left(name, 1) || pg_catalog.repeat('*', greatest(pg_catalog.length(name) - 1, 1));
COMMENT ON FUNCTION credit.mask_person_name(text) IS '姓名脱敏 (masked personal name for public display: first character, then *; 张三 -> 张*)';

-- The masking rules, in one place: which fields are personal data and how
-- each is shown to the portal and to grantees.  The masked columns of
-- credit.subject and credit.record, and the masked copies of the workflow
-- details (credit.mask_details), all call this.  A name is masked by
-- credit.mask_person_name; an identity number shows positions 1-6 and
-- 15-18 (as credit.resident_id_mask does), anything else than 18
-- characters only stars.  Any other field is returned unchanged.  A null
-- field or value gives NULL, tested in the body rather than by STRICT: a
-- STRICT SQL function whose body is not strict is never inlined, and
-- PostgreSQL recomputes every stored generated column at every UPDATE of a
-- table with BEFORE UPDATE row triggers (credit.record's, at each
-- transition), which called this as a function twice a row.  Inlined, the
-- generated column's expression is folded to the rule of its field.
CREATE FUNCTION credit.mask_personal(field text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN field IS NULL OR value IS NULL THEN NULL
                WHEN field IN ('subject_name', 'name') THEN credit.mask_person_name(value)
                WHEN field IN ('subject_resident_id', 'resident_id', 'legal_rep_id') THEN
                    CASE WHEN pg_catalog.length(value) = 18
                         THEN pg_catalog.left(value, 6) || '********' || pg_catalog.right(value, 4)
                         ELSE pg_catalog.repeat('*', pg_catalog.length(value)) END
                ELSE value END;
COMMENT ON FUNCTION credit.mask_personal(text, text) IS '个人信息脱敏规则 (the masking rules in one place: a name (subject_name, name) -> 张*, an identity number (subject_resident_id, resident_id, legal_rep_id) -> 110105********002X; any other field unchanged)';

-- Details (jsonb) as the portal and grantees see them: every value under a
-- personal field's key, at any depth, masked by credit.mask_personal.
-- Names are masked whoever they belong to (the details do not say).
CREATE FUNCTION credit.mask_details(details jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CASE pg_catalog.jsonb_typeof(details)
    WHEN 'object' THEN
        RETURN coalesce((SELECT pg_catalog.jsonb_object_agg(e.key,
                                    CASE WHEN pg_catalog.jsonb_typeof(e.value) OPERATOR(pg_catalog.=) ANY (ARRAY['object', 'array'])
                                         THEN credit.mask_details(e.value)
                                         WHEN pg_catalog.jsonb_typeof(e.value) OPERATOR(pg_catalog.=) 'null' THEN e.value
                                         WHEN credit.mask_personal(e.key, e.value OPERATOR(pg_catalog.#>>) '{}')
                                              IS DISTINCT FROM (e.value OPERATOR(pg_catalog.#>>) '{}')
                                         THEN pg_catalog.to_jsonb(credit.mask_personal(e.key, e.value OPERATOR(pg_catalog.#>>) '{}'))
                                         ELSE e.value END)
                           FROM pg_catalog.jsonb_each(details) AS e), '{}'::jsonb);
    WHEN 'array' THEN
        RETURN coalesce((SELECT pg_catalog.jsonb_agg(credit.mask_details(a.value) ORDER BY a.n)
                           FROM pg_catalog.jsonb_array_elements(details) WITH ORDINALITY AS a(value, n)), '[]'::jsonb);
    ELSE
        RETURN details;
    END CASE;
END
$$;
COMMENT ON FUNCTION credit.mask_details(jsonb) IS '附加信息脱敏 (details as the portal and grantees see them: the value under every personal key (credit.mask_personal), at any depth, masked)';

-- A subject's id is random (60 bits from the strong random source of
-- gen_random_uuid), not a sequence: a department that submits a record
-- about a natural person gets the person's subject_id, which must not say
-- whether the person was known before (an old, low number) or is new (the
-- next one).  Nor can a caller guess the ids of subjects it cannot see.
CREATE FUNCTION credit.new_subject_id() RETURNS bigint
    LANGUAGE sql VOLATILE PARALLEL SAFE
    RETURN (('x' OPERATOR(pg_catalog.||) pg_catalog.substr(pg_catalog.md5(pg_catalog.gen_random_uuid()::text), 1, 15))::pg_catalog.bit(60))::bigint;
COMMENT ON FUNCTION credit.new_subject_id() IS '主体编号生成 (a new subject id: 60 random bits, so an id says nothing about when the subject was first recorded and cannot be guessed)';

CREATE TABLE credit.subject (
    subject_id          bigint PRIMARY KEY DEFAULT credit.new_subject_id() CHECK (subject_id > 0),
    kind                credit.subject_kind NOT NULL,
    uscc                credit.uscc UNIQUE,
    resident_id         credit.resident_id UNIQUE,
    name                text NOT NULL CHECK (btrim(name) <> ''),
    name_key            text NOT NULL,
    legal_rep_name      text,
    legal_rep_id        credit.resident_id,
    name_public         text GENERATED ALWAYS AS
                            (CASE WHEN kind = '自然人' THEN credit.mask_personal('name', name) ELSE name END) STORED,
    resident_id_public  text GENERATED ALWAYS AS (credit.mask_personal('resident_id', resident_id::text)) STORED,
    -- the search key the public may use: an organisation's name_key, NULL
    -- for a natural person (whose name is personal data); "C" collation,
    -- so a btree answers equality, ranges and LIKE 'prefix%'
    name_key_public     text COLLATE "C" GENERATED ALWAYS AS
                            (CASE WHEN kind = '自然人' THEN NULL ELSE name_key END) STORED,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subject_key_matches_kind CHECK (
        CASE WHEN kind = '自然人' THEN resident_id IS NOT NULL AND uscc IS NULL
             ELSE uscc IS NOT NULL AND resident_id IS NULL END)
);
CREATE INDEX subject_name_key ON credit.subject (name_key);
CREATE INDEX subject_name_key_public ON credit.subject (name_key_public) WHERE name_key_public IS NOT NULL;
COMMENT ON TABLE credit.subject IS '信用主体 (credit subjects: 企业法人, 非企业法人, 个体工商户, 自然人, 其他组织)';
COMMENT ON COLUMN credit.subject.subject_id IS '主体编号 (internal id)';
COMMENT ON COLUMN credit.subject.kind IS '主体类别 (kind)';
COMMENT ON COLUMN credit.subject.uscc IS '统一社会信用代码 (key of an organisation)';
COMMENT ON COLUMN credit.subject.resident_id IS '公民身份号码 (key of a natural person; personal data)';
COMMENT ON COLUMN credit.subject.name IS '名称/姓名 (name; a natural person''s name is personal data)';
COMMENT ON COLUMN credit.subject.name_key IS '名称规范化键 (normalize_name(name), maintained by a trigger, indexed for search)';
COMMENT ON COLUMN credit.subject.legal_rep_name IS '法定代表人 (legal representative)';
COMMENT ON COLUMN credit.subject.legal_rep_id IS '法定代表人身份证号 (legal representative''s identity number; personal data)';
COMMENT ON COLUMN credit.subject.name_public IS '公示名称 (name as shown to the public: masked for natural persons)';
COMMENT ON COLUMN credit.subject.resident_id_public IS '公示身份证号 (masked identity number)';
COMMENT ON COLUMN credit.subject.name_key_public IS '公示名称检索键 (search key the public may use: name_key of an organisation, NULL for a natural person; "C" collation, indexed for equality and prefix search)';
COMMENT ON COLUMN credit.subject.created_at IS '创建时间 (created at)';

CREATE FUNCTION credit.subject_name_key() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.name_key := credit.normalize_name(NEW.name);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.subject_name_key() IS '触发器: 维护名称规范化键 (trigger: keeps subject.name_key = normalize_name(name))';
CREATE TRIGGER subject_name_key BEFORE INSERT OR UPDATE OF name ON credit.subject
    FOR EACH ROW EXECUTE FUNCTION credit.subject_name_key();

CREATE TABLE credit.subject_old_code (
    subject_id   bigint NOT NULL REFERENCES credit.subject,
    code_type    text NOT NULL CHECK (code_type IN ('注册号', '组织机构代码', '税务登记号', '其他')),
    code         text NOT NULL,
    PRIMARY KEY (code_type, code),
    CONSTRAINT old_code_valid CHECK (
        CASE code_type WHEN '注册号' THEN credit.registration_no_is_valid(code) AND code ~ '^[0-9]{15}$'
                       WHEN '组织机构代码' THEN credit.org_code_is_valid(code) AND code ~ '^[0-9A-Z]{8}-[0-9X]$'
                       ELSE btrim(code) <> '' END)
);
CREATE INDEX subject_old_code_subject ON credit.subject_old_code (subject_id);
COMMENT ON TABLE credit.subject_old_code IS '历史代码 (old codes of a subject: 注册号, 组织机构代码, 税务登记号 ...), checked and in canonical form';
COMMENT ON COLUMN credit.subject_old_code.subject_id IS '主体编号 (subject)';
COMMENT ON COLUMN credit.subject_old_code.code_type IS '代码类型 (kind of old code)';
COMMENT ON COLUMN credit.subject_old_code.code IS '代码 (the code: 15 digits for 注册号, XXXXXXXX-X for 组织机构代码)';

-- The subject a record names: by its identity number for a natural
-- person, by its 统一社会信用代码 otherwise (credit.record_before_insert
-- looks it up before and after creating it).
CREATE FUNCTION credit.subject_by_code(kind credit.subject_kind, uscc credit.uscc, resident_id credit.resident_id)
    RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- PL/pgSQL keeps the plans for the session: the record insert trigger
    -- calls this for every row
    IF kind = '自然人' THEN
        RETURN (SELECT s.subject_id FROM credit.subject s WHERE s.resident_id OPERATOR(credit.=) subject_by_code.resident_id);
    END IF;
    RETURN (SELECT s.subject_id FROM credit.subject s WHERE s.uscc OPERATOR(credit.=) subject_by_code.uscc);
END
$$;
COMMENT ON FUNCTION credit.subject_by_code(credit.subject_kind, credit.uscc, credit.resident_id) IS '按代码找主体 (the subject a record names: by 公民身份号码 for a natural person, by 统一社会信用代码 otherwise; NULL when none, or none the caller sees)';

-- Used by credit.act_for_subject(): does a subject exist, whoever can see it?
CREATE FUNCTION credit.subject_exists(subject_id bigint) RETURNS boolean
    LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = subject_exists.subject_id);
COMMENT ON FUNCTION credit.subject_exists(bigint) IS '主体是否存在 (does the subject exist? for act_for_subject; executable by the portal only)';

SELECT pg_catalog.pg_extension_config_dump('credit.subject', '');
SELECT pg_catalog.pg_extension_config_dump('credit.subject_old_code', '');
