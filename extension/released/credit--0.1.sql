-- The install script, part 00: the extension itself: the install guard, the
-- version, and the guard against dropping credit data by accident.
-- The Makefile concatenates extension/[0-9]*.sql in order into
-- credit--<version>.sql, the version of credit.control.  A released version's
-- script is frozen in extension/released/, and every change made here after a
-- release goes into the upgrade script extension/credit--<release>--<version>.sql
-- as well (docs/operations.md, "Upgrades").

\echo Use "CREATE EXTENSION credit" to load this file. \quit

-- Names, normalised names and codes are compared as UTF-8 text; a database in
-- another encoding would silently store mojibake, so refuse it outright.
DO $guard$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'extension "credit" requires a UTF8 database'
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = pg_catalog.format('Database "%s" has encoding %s.',
                                             pg_catalog.current_database(),
                                             pg_catalog.getdatabaseencoding()),
                  HINT = 'Create the database with ENCODING ''UTF8'' (for example CREATE DATABASE ... ENCODING ''UTF8'' TEMPLATE template0) and install the extension there.';
    END IF;
END
$guard$;

-- The schema is the extension's own: CREATE EXTENSION creates it when it
-- is missing (the control file names it).  A schema "credit" that is there
-- already is used only when nothing can be in it that is not ours: it holds
-- no object, it is owned by a superuser, and no other role may create in it
-- (as after DROP EXTENSION credit, which leaves the schema).  Otherwise
-- another role's function or table there could stand in for ours.
DO $schema$
DECLARE
    ns oid := 'credit'::pg_catalog.regnamespace;
    why text;
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_proc WHERE pronamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_type WHERE typnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_operator WHERE oprnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_opfamily WHERE opfnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_collation WHERE collnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_conversion WHERE connamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_ts_config WHERE cfgnamespace = ns)
       OR EXISTS (SELECT FROM pg_catalog.pg_ts_dict WHERE dictnamespace = ns) THEN
        why := 'It already holds objects.';
    ELSIF NOT (SELECT r.rolsuper FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
                WHERE n.oid = ns) THEN
        why := 'It is owned by a role that is not a superuser.';
    ELSIF EXISTS (SELECT FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
                   WHERE n.oid = ns AND a.privilege_type = 'CREATE' AND a.grantee <> n.nspowner) THEN
        why := 'Other roles may create objects in it.';
    END IF;
    IF why IS NOT NULL THEN
        RAISE EXCEPTION 'schema "credit" already exists and cannot hold the extension'
            USING ERRCODE = 'duplicate_schema',
                  DETAIL = why,
                  HINT = 'Rename the existing schema (ALTER SCHEMA credit RENAME TO ...) or drop it, then create the extension.';
    END IF;
END
$schema$;

COMMENT ON SCHEMA credit IS '公共信用信息数据层 (credit extension): identifier types, credit data model, disclosure row security and workflows';

-- Which version is installed, and which the loaded library is (they differ
-- between installing a new library and ALTER EXTENSION credit UPDATE).
CREATE FUNCTION credit.version(OUT installed text, OUT library text)
    AS 'MODULE_PATHNAME', 'credit_version' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.version() IS '版本 (the extension version installed in this database and the version of the loaded library; warns when they differ)';

-- DROP EXTENSION credit (or DROP SCHEMA credit ... CASCADE) drops every
-- credit table with its rows, at once.  While the tables hold data the
-- command is refused, unless a superuser first says so in the session with
-- SET credit.allow_drop = on (after a pg_dump).  An event trigger at the
-- start of the command: the statement is recognised by the word "credit"
-- in it, so a statement that also names another object credit may be
-- refused too; the setting lets it through.
CREATE FUNCTION credit.drop_guard() RETURNS event_trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    subjects bigint;
    records bigint;
    entries bigint;
BEGIN
    IF pg_catalog.current_setting('credit.allow_drop', true) = 'on'
       OR pg_catalog.current_query() !~* '\mcredit\M' THEN
        RETURN;
    END IF;
    SELECT count(*) INTO subjects FROM credit.subject;
    SELECT count(*) INTO records FROM credit.record;
    SELECT count(*) INTO entries FROM credit.list_entry;
    IF subjects + records + entries > 0
       OR EXISTS (SELECT FROM credit.authorisation) OR EXISTS (SELECT FROM credit.access_log)
       OR EXISTS (SELECT FROM credit.objection) OR EXISTS (SELECT FROM credit.repair)
       OR EXISTS (SELECT FROM credit.workflow_event) THEN
        RAISE EXCEPTION 'dropping the credit extension would drop its data'
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = pg_catalog.format('The database holds %s subjects, %s records and %s list entries, and the logs and workflows that go with them.',
                                             subjects, records, entries),
                  HINT = 'Back the database up (pg_dump), then SET credit.allow_drop = on in this session and drop the extension.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.drop_guard() IS '删除保护 (event trigger: refuses DROP EXTENSION credit and DROP SCHEMA credit while credit data exists, unless a superuser has set credit.allow_drop = on)';
CREATE EVENT TRIGGER credit_drop_guard ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION credit.drop_guard();
COMMENT ON EVENT TRIGGER credit_drop_guard IS '删除保护 (refuses dropping the extension or its schema while credit data exists; SET credit.allow_drop = on lets it through)';

-- Taking credit out of the cluster.  CREATE EXTENSION creates four group
-- roles (credit_*_parties, 40_disclosure.sql) and the owner of the public
-- views (credit_public_views), cluster-wide; DROP EXTENSION leaves them, and
-- the schema with its grants.  credit.uninstall(), called in the last
-- database that has the extension, drops it there (the drop guard above
-- applies), then the schema and those roles; the registered roles stay,
-- no longer members of any credit group.  It refuses while another
-- database still holds privileges of those roles (the extension, or the
-- schema DROP EXTENSION left), naming the databases: roles used anywhere
-- cannot be dropped.
CREATE PROCEDURE credit.uninstall()
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    roles text[] := ARRAY['credit_centre_parties', 'credit_department_parties', 'credit_portal_parties',
                          'credit_agency_parties', 'credit_public_views'];
    elsewhere text;
    r text;
BEGIN
    IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
        RAISE EXCEPTION 'only a superuser uninstalls the credit extension'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT pg_catalog.string_agg(DISTINCT pg_catalog.quote_ident(d.datname), ', ')
      INTO elsewhere
      FROM pg_catalog.pg_shdepend s
      JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.dbid
      JOIN pg_catalog.pg_roles a ON a.oid OPERATOR(pg_catalog.=) s.refobjid
     WHERE s.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_authid'::pg_catalog.regclass
       AND a.rolname OPERATOR(pg_catalog.=) ANY (roles)
       AND d.datname OPERATOR(pg_catalog.<>) pg_catalog.current_database();
    IF elsewhere IS NOT NULL THEN
        RAISE EXCEPTION 'the credit roles are still used in database %', elsewhere
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = 'Objects or privileges there name credit_*_parties or credit_public_views: the extension, or the schema credit that DROP EXTENSION leaves.',
                  HINT = 'In each of those databases run DROP EXTENSION credit and DROP SCHEMA credit, then call credit.uninstall() here again.';
    END IF;
    DROP EXTENSION credit;
    DROP SCHEMA IF EXISTS credit;
    FOREACH r IN ARRAY roles LOOP
        IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('DROP ROLE %I', r);
        END IF;
    END LOOP;
END
$$;
COMMENT ON PROCEDURE credit.uninstall() IS '卸载 (in the last database that has the extension: drops it, the schema credit and the cluster-wide roles it created, credit_*_parties and credit_public_views; refuses while another database uses them)';
-- The install script, part 05: generic trigger functions used by every layer:
-- the content guard (C code: extension/content.c); rows the law keeps are
-- never truncated, and append-only tables (the logs) are never updated or
-- deleted.

-- What a row may change: BEFORE UPDATE OR DELETE ... FOR EACH ROW EXECUTE
-- FUNCTION credit.keep_content(what, delete_hint, change_hint, column, ...).
-- what: the rows, plural, for messages ('credit records'); the hints: ''
-- for none; the columns: those that may change, 'once:column' for one that
-- may change only while it is NULL.  A DELETE is refused ("<what> are never
-- deleted"), and so is an UPDATE that changes any other column ("<what> are
-- not changed in place", naming the columns).  Generated and dropped
-- columns are never compared; a value set to itself is no change.
CREATE FUNCTION credit.keep_content() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_keep_content' LANGUAGE C;
COMMENT ON FUNCTION credit.keep_content() IS '触发器: 内容不可篡改 (trigger: rows are never deleted and only the columns named in its arguments change, those written once:column only while NULL; arguments: what the rows are, the hint for a refused DELETE, the hint for a refused change, then the columns)';

CREATE FUNCTION credit.no_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is never truncated', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.no_truncate() IS '触发器: 禁止清空 (trigger: refuses TRUNCATE of record, list entry and log tables)';

CREATE FUNCTION credit.append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is append-only', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.append_only() IS '触发器: 只可追加 (trigger: refuses UPDATE, DELETE and TRUNCATE of an append-only table)';

-- Backup and restore (docs/operations.md): pg_dump writes the rows of each
-- credit table as COPY credit.t (every stored column, the key included)
-- FROM stdin, which no ordinary load does.  When a superuser runs exactly
-- that statement, the rows are being restored: the insert triggers that
-- complete or refuse what a client sends (times, states, deadlines, events,
-- the caller's rights) are skipped by their WHEN (NOT credit.restoring(...)),
-- so rows come back as they were dumped.
CREATE FUNCTION credit.restoring(tab regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_restoring' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.restoring(regclass) IS '正在恢复 (is the running statement a superuser''s COPY of whole rows of this table as pg_dump writes them, i.e. pg_restore putting them back? The insert triggers let such rows through unchanged)';

-- A shipped reference table (rule sets, machines) is dumped whole, the rows
-- CREATE EXTENSION ships included, so a DBA's change to a shipped row is
-- kept.  On restore CREATE EXTENSION has put the shipped rows back already:
-- a restored row with the key of one updates it to the dumped values
-- instead of colliding with it; a row the DBA added is inserted.
CREATE FUNCTION credit.restore_shipped_row() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cols text;
    vals text;
    keys text;
    updated bigint;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum),
           pg_catalog.string_agg('($1).' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
      INTO cols, vals
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) TG_RELID AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    SELECT pg_catalog.string_agg(pg_catalog.format('t.%1$I OPERATOR(pg_catalog.=) ($1).%1$I', a.attname), ' AND ')
      INTO keys
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid
                                    AND a.attnum OPERATOR(pg_catalog.=) ANY (i.indkey)
     WHERE i.indrelid OPERATOR(pg_catalog.=) TG_RELID AND i.indisprimary;
    EXECUTE pg_catalog.format('UPDATE %s AS t SET (%s) = ROW(%s) WHERE %s', TG_RELID::pg_catalog.regclass, cols, vals, keys)
        USING NEW;
    GET DIAGNOSTICS updated = ROW_COUNT;
    IF updated > 0 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.restore_shipped_row() IS '触发器: 恢复内置行 (trigger on shipped reference tables, during a restore only: a restored row with the key of a row CREATE EXTENSION shipped updates that row to the dumped values; other rows are inserted)';
-- The install script, part 11: layer 1, identifiers: the uscc type
-- 统一社会信用代码 (GB 32100-2015).  C code: extension/uscc.c, rules in
-- extension/identifiers.c.

CREATE TYPE credit.uscc;

-- Input depends on credit.uscc_lenient, so it is STABLE, not IMMUTABLE.
CREATE FUNCTION credit.uscc_in(cstring) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_in'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_out(credit.uscc) RETURNS cstring
    AS 'MODULE_PATHNAME', 'uscc_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_recv(internal) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_recv'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_send(credit.uscc) RETURNS bytea
    AS 'MODULE_PATHNAME', 'uscc_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE credit.uscc (
    INPUT = credit.uscc_in,
    OUTPUT = credit.uscc_out,
    RECEIVE = credit.uscc_recv,
    SEND = credit.uscc_send,
    INTERNALLENGTH = 12,
    ALIGNMENT = char,
    STORAGE = plain,
    -- string category: its value is a string (code || 'x' resolves to
    -- anynonarray || text); there is no implicit cast to text, see below
    CATEGORY = 'S'
);

COMMENT ON TYPE credit.uscc IS '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters checked on input (alphabet, registration authority and category, division code, check character); stored in 12 bytes; a trailing "!" marks a nonconforming code accepted in lenient mode';
COMMENT ON FUNCTION credit.uscc_in(cstring) IS '统一社会信用代码输入 (uscc input): folds full-width forms, drops spaces and hyphens, upper-cases; STABLE because credit.uscc_lenient decides what is accepted';
COMMENT ON FUNCTION credit.uscc_out(credit.uscc) IS '统一社会信用代码输出 (uscc output): the canonical 18 characters, plus "!" for a flagged value';
COMMENT ON FUNCTION credit.uscc_recv(internal) IS '统一社会信用代码二进制输入 (uscc binary input): the text form, validated again exactly as text input';
COMMENT ON FUNCTION credit.uscc_send(credit.uscc) IS '统一社会信用代码二进制输出 (uscc binary output): the canonical text form';

-- Comparison: memcmp of the packed form.  These never raise and reveal
-- nothing but their result, so they are LEAKPROOF and usable under RLS.
CREATE FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_le(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'uscc_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_hash(credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'uscc_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) IS '统一社会信用代码相等 (uscc equality)';
COMMENT ON FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) IS '统一社会信用代码不等 (uscc inequality)';
COMMENT ON FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) IS '统一社会信用代码小于 (uscc less than, canonical text order)';
COMMENT ON FUNCTION credit.uscc_le(credit.uscc, credit.uscc) IS '统一社会信用代码小于等于 (uscc less or equal)';
COMMENT ON FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) IS '统一社会信用代码大于 (uscc greater than)';
COMMENT ON FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) IS '统一社会信用代码大于等于 (uscc greater or equal)';
COMMENT ON FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) IS '统一社会信用代码比较 (uscc btree comparison: -1, 0 or 1 in canonical text order)';
COMMENT ON FUNCTION credit.uscc_sortsupport(internal) IS '统一社会信用代码排序支持 (uscc btree sort support with abbreviated keys)';
COMMENT ON FUNCTION credit.uscc_hash(credit.uscc) IS '统一社会信用代码哈希 (uscc hash)';
COMMENT ON FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) IS '统一社会信用代码扩展哈希 (uscc 64-bit seeded hash, for hash partitioning)';

CREATE OPERATOR credit.= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR credit.< (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR credit.> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR credit.= (credit.uscc, credit.uscc) IS '统一社会信用代码相等 (uscc equals)';
COMMENT ON OPERATOR credit.<> (credit.uscc, credit.uscc) IS '统一社会信用代码不等 (uscc not equal)';
COMMENT ON OPERATOR credit.< (credit.uscc, credit.uscc) IS '统一社会信用代码小于 (uscc less than)';
COMMENT ON OPERATOR credit.<= (credit.uscc, credit.uscc) IS '统一社会信用代码小于等于 (uscc less or equal)';
COMMENT ON OPERATOR credit.> (credit.uscc, credit.uscc) IS '统一社会信用代码大于 (uscc greater than)';
COMMENT ON OPERATOR credit.>= (credit.uscc, credit.uscc) IS '统一社会信用代码大于等于 (uscc greater or equal)';

-- btequalimage: equal values are bitwise equal, so btree deduplication is safe.
CREATE OPERATOR CLASS credit.uscc_ops DEFAULT FOR TYPE credit.uscc USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.uscc_cmp(credit.uscc, credit.uscc),
    FUNCTION 2 credit.uscc_sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS credit.uscc_hash_ops DEFAULT FOR TYPE credit.uscc USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.uscc_hash(credit.uscc),
    FUNCTION 2 credit.uscc_hash_extended(credit.uscc, bigint);

COMMENT ON OPERATOR CLASS credit.uscc_ops USING btree IS '统一社会信用代码B树操作符类 (default btree operator class for uscc: canonical text order, deduplication)';
COMMENT ON OPERATOR CLASS credit.uscc_hash_ops USING hash IS '统一社会信用代码哈希操作符类 (default hash operator class for uscc: hash joins, hash indexes, PARTITION BY HASH)';

-- Text in is an assignment cast (INSERT/COPY of text values just work);
-- uscc out to text is an assignment cast too, never implicit: an implicit
-- one lets "code = '...'" resolve to text = text wherever credit's
-- operators are not on the search path (a full scan that looks right).
-- Without it that comparison is an error; text functions take code::text.
CREATE CAST (text AS credit.uscc) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS credit.uscc) WITH INOUT AS ASSIGNMENT;
CREATE CAST (credit.uscc AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS credit.uscc) IS '文本转统一社会信用代码 (text to uscc, validated like input)';
COMMENT ON CAST (varchar AS credit.uscc) IS '文本转统一社会信用代码 (varchar to uscc, validated like input)';
COMMENT ON CAST (credit.uscc AS text) IS '统一社会信用代码转文本 (uscc to its canonical text)';

-- Validity, completion, accessors.
CREATE FUNCTION credit.uscc_is_valid(credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.uscc_is_valid(credit.uscc) IS '是否为合规代码 (is the code conforming?): false for a value accepted and flagged in lenient mode';

CREATE FUNCTION credit.uscc_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_text_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.uscc_is_valid(text) IS '文本是否为合规统一社会信用代码 (is this text a conforming uscc?): the strict rules whatever credit.uscc_lenient says; never raises';

CREATE FUNCTION credit.uscc_complete(text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_complete' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_complete(text) IS '补全校验码 (complete a code): the first 17 characters in, the code with its check character appended out';

CREATE FUNCTION credit.uscc_authority(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_authority' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_authority(credit.uscc) IS '登记管理部门码 (registration authority code, position 1)';

CREATE FUNCTION credit.uscc_authority_name(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_authority_name_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_authority_name(credit.uscc) IS '登记管理部门名称 (registration authority name, e.g. 工商); NULL when not in the table';

CREATE FUNCTION credit.uscc_category(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_category(credit.uscc) IS '机构类别码 (organisation category code, position 2)';

CREATE FUNCTION credit.uscc_category_name(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_category_name_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_category_name(credit.uscc) IS '机构类别名称 (organisation category name, e.g. 企业); NULL when the pair is not in the table';

CREATE FUNCTION credit.uscc_division(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_division' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_division(credit.uscc) IS '登记管理机关行政区划码 (division code of the registering office, positions 3-8; 100000 = national)';

CREATE FUNCTION credit.uscc_org_code(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_org_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_org_code(credit.uscc) IS '主体标识码/组织机构代码 (embedded GB 11714 organisation code, positions 9-17, as XXXXXXXX-X)';

CREATE FUNCTION credit.uscc_org_code_is_valid(credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_org_code_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_org_code_is_valid(credit.uscc) IS '内嵌组织机构代码校验 (does the embedded organisation code pass GB 11714?): reported, never required; usable in a CHECK constraint';

CREATE FUNCTION credit.uscc_explain(code text,
        OUT part text, OUT part_name text, OUT positions text, OUT value text,
        OUT meaning text, OUT ok boolean, OUT problem text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'uscc_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION credit.uscc_explain(text) IS '代码解析 (explain a code): one row per part with positions, value, meaning, ok and what is wrong; never raises, for cleaning imported data';

CREATE FUNCTION credit.uscc_categories(
        OUT authority text, OUT authority_name text, OUT category text, OUT category_name text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'uscc_categories' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 37;
COMMENT ON FUNCTION credit.uscc_categories() IS '登记管理部门码与机构类别码对照表 (registration authorities and their allowed categories, GB 32100-2015 表1 plus 9/9)';

COMMENT ON OPERATOR FAMILY credit.uscc_ops USING btree IS '统一社会信用代码B树操作符族 (btree operator family of uscc)';
COMMENT ON OPERATOR FAMILY credit.uscc_hash_ops USING hash IS '统一社会信用代码哈希操作符族 (hash operator family of uscc)';
-- The install script, part 12: layer 1, identifiers: the resident_id type
-- 公民身份号码 (GB 11643-1999).  C code: extension/resident_id.c.
--
-- Stored as the first 17 digits in an int8 (passed by value); numeric order
-- is canonical text order, so comparison, hashing and sort support are the
-- core int8 functions.

CREATE TYPE credit.resident_id;

-- Input refuses a date of birth after today, so it is STABLE, not IMMUTABLE.
CREATE FUNCTION credit.resident_id_in(cstring) RETURNS credit.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_out(credit.resident_id) RETURNS cstring
    AS 'MODULE_PATHNAME', 'resident_id_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_recv(internal) RETURNS credit.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_send(credit.resident_id) RETURNS bytea
    AS 'MODULE_PATHNAME', 'resident_id_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE credit.resident_id (
    INPUT = credit.resident_id_in,
    OUTPUT = credit.resident_id_out,
    RECEIVE = credit.resident_id_recv,
    SEND = credit.resident_id_send,
    INTERNALLENGTH = 8,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain,
    CATEGORY = 'S'
);

COMMENT ON TYPE credit.resident_id IS '公民身份号码 (resident identity number, GB 11643-1999): 18 characters with the MOD 11-2 check, province-level prefix (81/82/83 residence permits included) and a real date of birth (1800-2099, not in the future); 15-digit numbers are converted to 18; personal data, error messages never show it';
COMMENT ON FUNCTION credit.resident_id_in(cstring) IS '公民身份号码输入 (resident_id input): drops spaces and hyphens, accepts "x", converts 15-digit numbers';
COMMENT ON FUNCTION credit.resident_id_out(credit.resident_id) IS '公民身份号码输出 (resident_id output): the canonical 18 characters';
COMMENT ON FUNCTION credit.resident_id_recv(internal) IS '公民身份号码二进制输入 (resident_id binary input): the text form, validated again';
COMMENT ON FUNCTION credit.resident_id_send(credit.resident_id) IS '公民身份号码二进制输出 (resident_id binary output): the canonical text form';

-- The core int8 functions, applied to the int8 representation.
CREATE FUNCTION credit.resident_id_eq(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_ne(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_lt(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_le(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_gt(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_ge(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_cmp(credit.resident_id, credit.resident_id) RETURNS integer
    AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_sortsupport(internal) RETURNS void
    AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_hash(credit.resident_id) RETURNS integer
    AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_hash_extended(credit.resident_id, bigint) RETURNS bigint
    AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION credit.resident_id_eq(credit.resident_id, credit.resident_id) IS '公民身份号码相等 (resident_id equality)';
COMMENT ON FUNCTION credit.resident_id_ne(credit.resident_id, credit.resident_id) IS '公民身份号码不等 (resident_id inequality)';
COMMENT ON FUNCTION credit.resident_id_lt(credit.resident_id, credit.resident_id) IS '公民身份号码小于 (resident_id less than)';
COMMENT ON FUNCTION credit.resident_id_le(credit.resident_id, credit.resident_id) IS '公民身份号码小于等于 (resident_id less or equal)';
COMMENT ON FUNCTION credit.resident_id_gt(credit.resident_id, credit.resident_id) IS '公民身份号码大于 (resident_id greater than)';
COMMENT ON FUNCTION credit.resident_id_ge(credit.resident_id, credit.resident_id) IS '公民身份号码大于等于 (resident_id greater or equal)';
COMMENT ON FUNCTION credit.resident_id_cmp(credit.resident_id, credit.resident_id) IS '公民身份号码比较 (resident_id btree comparison)';
COMMENT ON FUNCTION credit.resident_id_sortsupport(internal) IS '公民身份号码排序支持 (resident_id btree sort support)';
COMMENT ON FUNCTION credit.resident_id_hash(credit.resident_id) IS '公民身份号码哈希 (resident_id hash)';
COMMENT ON FUNCTION credit.resident_id_hash_extended(credit.resident_id, bigint) IS '公民身份号码扩展哈希 (resident_id 64-bit seeded hash, for hash partitioning)';

CREATE OPERATOR credit.= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR credit.< (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR credit.> (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR credit.= (credit.resident_id, credit.resident_id) IS '公民身份号码相等 (resident_id equals)';
COMMENT ON OPERATOR credit.<> (credit.resident_id, credit.resident_id) IS '公民身份号码不等 (resident_id not equal)';
COMMENT ON OPERATOR credit.< (credit.resident_id, credit.resident_id) IS '公民身份号码小于 (resident_id less than)';
COMMENT ON OPERATOR credit.<= (credit.resident_id, credit.resident_id) IS '公民身份号码小于等于 (resident_id less or equal)';
COMMENT ON OPERATOR credit.> (credit.resident_id, credit.resident_id) IS '公民身份号码大于 (resident_id greater than)';
COMMENT ON OPERATOR credit.>= (credit.resident_id, credit.resident_id) IS '公民身份号码大于等于 (resident_id greater or equal)';

CREATE OPERATOR CLASS credit.resident_id_ops DEFAULT FOR TYPE credit.resident_id USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.resident_id_cmp(credit.resident_id, credit.resident_id),
    FUNCTION 2 credit.resident_id_sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS credit.resident_id_hash_ops DEFAULT FOR TYPE credit.resident_id USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.resident_id_hash(credit.resident_id),
    FUNCTION 2 credit.resident_id_hash_extended(credit.resident_id, bigint);

COMMENT ON OPERATOR CLASS credit.resident_id_ops USING btree IS '公民身份号码B树操作符类 (default btree operator class for resident_id)';
COMMENT ON OPERATOR CLASS credit.resident_id_hash_ops USING hash IS '公民身份号码哈希操作符类 (default hash operator class for resident_id, PARTITION BY HASH)';

-- As for uscc: every cast as assignment, none implicit, so a comparison
-- without credit's operators on the search path is an error, not text = text.
CREATE CAST (text AS credit.resident_id) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS credit.resident_id) WITH INOUT AS ASSIGNMENT;
CREATE CAST (credit.resident_id AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS credit.resident_id) IS '文本转公民身份号码 (text to resident_id, validated like input)';
COMMENT ON CAST (varchar AS credit.resident_id) IS '文本转公民身份号码 (varchar to resident_id, validated like input)';
COMMENT ON CAST (credit.resident_id AS text) IS '公民身份号码转文本 (resident_id to its canonical 18 characters)';

CREATE FUNCTION credit.resident_id_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'resident_id_text_is_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.resident_id_is_valid(text) IS '文本是否为有效公民身份号码 (is this text a valid resident identity number?); never raises';

CREATE FUNCTION credit.resident_id_birth_date(credit.resident_id) RETURNS date
    AS 'MODULE_PATHNAME', 'resident_id_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_birth_date(credit.resident_id) IS '出生日期 (date of birth, positions 7-14)';

CREATE FUNCTION credit.resident_id_sex(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_sex(credit.resident_id) IS '性别 (sex: 男 when position 17 is odd, 女 when even)';

CREATE FUNCTION credit.resident_id_region(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_region' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_region(credit.resident_id) IS '地址码 (region code at issue, positions 1-6, GB/T 2260)';

CREATE FUNCTION credit.resident_id_mask(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_mask' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_mask(credit.resident_id) IS '脱敏显示 (masked for public display): positions 1-6 and 15-18 shown, the date of birth (7-14) replaced by *, e.g. 110105********002X';

COMMENT ON OPERATOR FAMILY credit.resident_id_ops USING btree IS '公民身份号码B树操作符族 (btree operator family of resident_id)';
COMMENT ON OPERATOR FAMILY credit.resident_id_hash_ops USING hash IS '公民身份号码哈希操作符族 (hash operator family of resident_id)';
-- The install script, part 13: layer 1, identifiers: legacy codes
-- 组织机构代码 (GB 11714-1997) and 15-digit 工商注册号 (GS15-2006), the codes
-- subjects carried before 2015.  C code: extension/legacy_codes.c.
-- The organisation code inside a uscc: credit.uscc_org_code(uscc).

CREATE FUNCTION credit.org_code_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_org_code_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.org_code_is_valid(text) IS '组织机构代码是否有效 (is this a valid GB 11714 organisation code?): 9 characters with or without the hyphen, right check character, not in the private range PDY00001-PDY99999; never raises';

CREATE FUNCTION credit.org_code(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_org_code_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.org_code(text) IS '组织机构代码规范形式 (canonical organisation code XXXXXXXX-X); raises with the reason for an invalid code';

CREATE FUNCTION credit.registration_no_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_registration_no_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.registration_no_is_valid(text) IS '工商注册号是否有效 (is this a valid 15-digit registration number?): GS15-2006, ISO 7064 MOD 11,10 check digit; never raises';

CREATE FUNCTION credit.registration_no(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_registration_no_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.registration_no(text) IS '工商注册号规范形式 (canonical 15-digit registration number); raises with the reason for an invalid number';
-- The install script, part 15: layer 1, names: credit.normalize_name
-- 名称规范化键: the key under which spellings of one name match.  C code and
-- the exact ICU rules: extension/normalize_name.c.

-- IMMUTABLE as PostgreSQL's ICU collations are: the result depends on
-- nothing but its argument and the ICU library's data (NFKC tables, the
-- Traditional-Simplified table; root locale, no setting), which changes
-- only when ICU is upgraded.  Then the keys must be recomputed and the
-- indexes built on them rebuilt, as after a collation version change:
-- credit.normalize_name_version() says which ICU computed them, and
-- docs/identifiers.md what a DBA does.  Not LEAKPROOF: it can raise an error
-- (ICU failure, size limits).
CREATE FUNCTION credit.normalize_name(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION credit.normalize_name(text) IS '名称规范化键 (normalised name key): NFKC (全角→半角), 删除空白及不可见字符 (all White_Space and default-ignorable characters removed), 拉丁字母大写 (Latin letters upper-cased), 括号统一为 () (brackets 【】〔〕〖〗〘〙〚〛⦅⦆⸨⸩ [] {} and their full-width, small and vertical forms such as （）［］｛｝ become ASCII parentheses; 书名号《》〈〉 and quotation marks are kept, except that ICU turns 「」 into “”), 繁体→简体 (ICU Traditional-Simplified); idempotent; IMMUTABLE like an ICU collation: after an ICU upgrade recompute the keys and REINDEX (see credit.normalize_name_version())';

-- The same key, always computed through ICU: normalize_name() takes a
-- shortcut for the usual name (ASCII, full-width forms, and ideographs the
-- folding keeps), and this is what the shortcut is checked against.
CREATE FUNCTION credit.normalize_name_icu(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name_icu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.normalize_name_icu(text) IS '名称规范化键(全程 ICU) (the key of normalize_name, always through ICU, without its fast path for the usual name; for checking that both agree)';

-- The ICU the keys are computed with: STABLE, it is the library loaded now.
CREATE FUNCTION credit.normalize_name_version() RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name_version'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.normalize_name_version() IS '名称规范化键的 ICU 版本 (the ICU and Unicode versions normalize_name computes its keys with, e.g. "ICU 72.1, Unicode 15.0"; when it changes, recompute the keys and REINDEX, as after a collation version change)';
-- The install script, part 20: layer 2, reference data.
-- The labels users see are the official Chinese terms; every object has a
-- COMMENT in Chinese with an English gloss.  Row security for these tables is
-- in 90_row_security.sql, their privileges in 91_privileges.sql.

CREATE TYPE credit.disclosure_level AS ENUM ('公开', '授权查询', '部门共享');
COMMENT ON TYPE credit.disclosure_level IS '公开属性 (disclosure level): 公开 public within the publicity period, 授权查询 with the subject''s authorisation, 部门共享 shared between state organs';

CREATE TYPE credit.subject_kind AS ENUM ('企业法人', '非企业法人', '个体工商户', '自然人', '其他组织');
COMMENT ON TYPE credit.subject_kind IS '主体类别 (subject kind, 行政相对人类别): organisations are keyed by 统一社会信用代码, natural persons by 公民身份号码';

CREATE TYPE credit.polarity AS ENUM ('守信', '中性', '失信');
COMMENT ON TYPE credit.polarity IS '信息性质 (polarity of a catalogue item): 守信 positive, 中性 neutral, 失信 negative';

CREATE TYPE credit.severity AS ENUM ('轻微', '一般', '严重');
COMMENT ON TYPE credit.severity IS '失信程度 (severity of a negative record), which sets its publicity period';

CREATE TYPE credit.party_kind AS ENUM ('信用中心', '部门', '信用网站', '授权机构');
COMMENT ON TYPE credit.party_kind IS '参与方类别 (kind of party a database role acts as): 信用中心 credit centre, 部门 department, 信用网站 public portal, 授权机构 authorised party (bank, credit service agency, ...)';

CREATE TYPE credit.catalogue_category AS ENUM (
    '基础信息', '行政许可', '行政处罚', '司法', '失信被执行人', '红名单',
    '黑名单', '经营异常名录', '信用承诺', '信用评价', '其他');
COMMENT ON TYPE credit.catalogue_category IS '信息类别 (category of a catalogue item)';

CREATE TABLE credit.department (
    department_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_]{1,32}$'),
    name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    uscc            credit.uscc UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- 0 is never a department: the department policies use it for
    -- department-shared rows (credit.department_scope())
    CONSTRAINT department_id_positive CHECK (department_id >= 1)
);
COMMENT ON TABLE credit.department IS '部门 (departments that provide credit information: 市场监管局, 税务局, 法院 ...)';
COMMENT ON COLUMN credit.department.department_id IS '部门编号 (internal id)';
COMMENT ON COLUMN credit.department.code IS '部门代码 (short code used in scripts, e.g. SCJG)';
COMMENT ON COLUMN credit.department.name IS '部门名称 (name)';
COMMENT ON COLUMN credit.department.uscc IS '部门统一社会信用代码 (the department''s own code)';
COMMENT ON COLUMN credit.department.created_at IS '创建时间 (created at)';
COMMENT ON CONSTRAINT department_id_positive ON credit.department IS '部门编号从 1 起 (department ids are >= 1: the department policies use 0 for department-shared rows)';

CREATE TABLE credit.party (
    role            regrole PRIMARY KEY,
    kind            credit.party_kind NOT NULL,
    department_id   integer REFERENCES credit.department,
    display_name    text NOT NULL CHECK (btrim(display_name) <> ''),
    agency_uscc     credit.uscc,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = '部门') = (department_id IS NOT NULL))
);
CREATE UNIQUE INDEX party_one_portal ON credit.party ((true)) WHERE kind = '信用网站';
COMMENT ON TABLE credit.party IS '参与方 (which database role is which party: the centre, a department, the portal, an authorised party); rows are written by the register_*_role functions';
COMMENT ON COLUMN credit.party.role IS '数据库角色 (the database role)';
COMMENT ON COLUMN credit.party.kind IS '参与方类别 (kind of party)';
COMMENT ON COLUMN credit.party.department_id IS '所属部门 (the department, for department roles)';
COMMENT ON COLUMN credit.party.display_name IS '名称 (display name)';
COMMENT ON COLUMN credit.party.agency_uscc IS '机构统一社会信用代码 (code of an authorised party)';
COMMENT ON COLUMN credit.party.registered_at IS '登记时间 (registered at)';

CREATE TABLE credit.catalogue_item (
    item_code          text PRIMARY KEY CHECK (item_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name               text NOT NULL CHECK (btrim(name) <> ''),
    category           credit.catalogue_category NOT NULL,
    polarity           credit.polarity NOT NULL,
    default_disclosure credit.disclosure_level NOT NULL,
    department_id      integer NOT NULL REFERENCES credit.department,
    repairable         boolean NOT NULL DEFAULT true,
    publicity_months   integer CHECK (publicity_months > 0),
    retention_years    integer NOT NULL DEFAULT 5 CHECK (retention_years > 0),
    legal_basis        text,
    repair_materials   text[] NOT NULL DEFAULT '{信用修复承诺书,履行义务证明}',
    repair_repeat_months integer CHECK (repair_repeat_months > 0)
);
COMMENT ON TABLE credit.catalogue_item IS '信用信息目录 (information catalogue): what each department supplies, its default disclosure and periods';
COMMENT ON COLUMN credit.catalogue_item.item_code IS '目录项代码 (item code)';
COMMENT ON COLUMN credit.catalogue_item.name IS '目录项名称 (item name)';
COMMENT ON COLUMN credit.catalogue_item.category IS '信息类别 (category); 行政许可 and 行政处罚 records carry the 双公示 fields';
COMMENT ON COLUMN credit.catalogue_item.polarity IS '信息性质 (守信/中性/失信)';
COMMENT ON COLUMN credit.catalogue_item.default_disclosure IS '默认公开属性 (default disclosure level of its records)';
COMMENT ON COLUMN credit.catalogue_item.department_id IS '提供部门 (providing department)';
COMMENT ON COLUMN credit.catalogue_item.repairable IS '是否可修复 (can records of this item be repaired?)';
COMMENT ON COLUMN credit.catalogue_item.publicity_months IS '公示期限(月) (publicity period of non-negative records in months; NULL: no end)';
COMMENT ON COLUMN credit.catalogue_item.retention_years IS '保存期限(年) (retention in years)';
COMMENT ON COLUMN credit.catalogue_item.legal_basis IS '依据 (legal basis)';
COMMENT ON COLUMN credit.catalogue_item.repair_materials IS '修复申请材料 (materials a repair application must carry)';
COMMENT ON COLUMN credit.catalogue_item.repair_repeat_months IS '重复修复限制(月) (no new repair of the same item for the same subject within this many months of the last granted one; NULL: no limit)';

-- Rule sets of publicity periods, by the dates they are in force
-- (docs/sources.md §4).  A record keeps the rule set in force on its
-- decision date.
CREATE TABLE credit.rule_set (
    rule_set        text PRIMARY KEY CHECK (btrim(rule_set) <> ''),
    in_force_from   date NOT NULL,
    in_force_until  date,
    source          text NOT NULL CHECK (btrim(source) <> ''),
    CHECK (in_force_until IS NULL OR in_force_until >= in_force_from)
);
COMMENT ON TABLE credit.rule_set IS '公示期规则 (national rule sets of publicity periods and when each is in force)';
COMMENT ON COLUMN credit.rule_set.rule_set IS '规则 (name, e.g. 令第36号)';
COMMENT ON COLUMN credit.rule_set.in_force_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.rule_set.in_force_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.rule_set.source IS '出处 (full title of the source)';

CREATE TABLE credit.rule_set_period (
    rule_set    text NOT NULL REFERENCES credit.rule_set ON UPDATE CASCADE,
    severity    credit.severity NOT NULL,
    min_months  integer NOT NULL CHECK (min_months >= 0),
    max_months  integer NOT NULL CHECK (max_months >= 0 AND max_months <= 60),
    published   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (rule_set, severity),
    CHECK (min_months <= max_months AND (max_months > 0 OR NOT published))
);
COMMENT ON TABLE credit.rule_set_period IS '规则默认公示期 (the default publicity period of each rule set by severity, for catalogue items without their own)';
COMMENT ON COLUMN credit.rule_set_period.rule_set IS '规则 (rule set)';
COMMENT ON COLUMN credit.rule_set_period.severity IS '失信程度 (severity)';
COMMENT ON COLUMN credit.rule_set_period.min_months IS '最短公示期(月) (minimum, months)';
COMMENT ON COLUMN credit.rule_set_period.max_months IS '最长公示期(月) (maximum, months)';
COMMENT ON COLUMN credit.rule_set_period.published IS '是否公示 (published at all? 轻微 under 令第36号: no)';

INSERT INTO credit.rule_set VALUES
    ('发改办财金〔2019〕527号', '2019-07-01', '2023-04-30', '国家发展改革委办公厅关于进一步完善"信用中国"网站及地方信用门户网站行政处罚信息信用修复机制的通知'),
    ('令第58号', '2023-05-01', '2026-03-31', '失信行为纠正后的信用信息修复管理办法(试行) 国家发展改革委令第58号'),
    ('令第36号', '2026-04-01', NULL, '信用修复管理办法 国家发展改革委令第36号');
INSERT INTO credit.rule_set_period VALUES
    ('发改办财金〔2019〕527号', '轻微', 0, 0, false),
    ('发改办财金〔2019〕527号', '一般', 3, 12, true),
    ('发改办财金〔2019〕527号', '严重', 6, 36, true),
    ('令第58号', '一般', 3, 36, true),
    ('令第58号', '严重', 3, 36, true),
    ('令第36号', '轻微', 0, 0, false),
    ('令第36号', '一般', 3, 12, true),
    ('令第36号', '严重', 12, 36, true);

CREATE TABLE credit.catalogue_period (
    item_code   text NOT NULL REFERENCES credit.catalogue_item ON UPDATE CASCADE,
    severity    credit.severity NOT NULL,
    min_months  integer NOT NULL CHECK (min_months >= 0),
    max_months  integer NOT NULL CHECK (max_months >= 0 AND max_months <= 60),
    rule_set    text NOT NULL,
    published   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (item_code, severity, rule_set),
    CHECK (min_months <= max_months AND (max_months > 0 OR NOT published))
);
COMMENT ON TABLE credit.catalogue_period IS '公示期限 (an item''s own publicity periods by severity and rule set; a row of a rule set in credit.rule_set applies while it is in force, a row of another rule (e.g. court rules) always; without one the rule set''s default applies; at most 5 years)';
COMMENT ON COLUMN credit.catalogue_period.item_code IS '目录项代码 (item code)';
COMMENT ON COLUMN credit.catalogue_period.severity IS '失信程度 (severity)';
COMMENT ON COLUMN credit.catalogue_period.min_months IS '最短公示期(月) (minimum publicity period, months)';
COMMENT ON COLUMN credit.catalogue_period.max_months IS '最长公示期(月) (maximum publicity period, months; publicity ends there)';
COMMENT ON COLUMN credit.catalogue_period.rule_set IS '依据 (rule set, e.g. 令第36号)';
COMMENT ON COLUMN credit.catalogue_period.published IS '是否公示 (published at all?)';

-- The period a negative record gets: the item's own row for the rule set in
-- force on the decision date, else the item's row of a rule not in
-- credit.rule_set, else the default of the rule set in force.
CREATE FUNCTION credit.publicity_period(item_code text, severity credit.severity, decision_date date,
                                        OUT rule_set text, OUT min_months integer, OUT max_months integer,
                                        OUT published boolean)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- PL/pgSQL, not SQL: the record insert trigger calls it for every
    -- negative record, and PostgreSQL 15 plans a non-inlined SQL
    -- function's query on every call (bench/collection.sh)
    SELECT x.rule_set, x.min_months, x.max_months, x.published
      INTO publicity_period.rule_set, publicity_period.min_months, publicity_period.max_months, publicity_period.published
      FROM (SELECT p.rule_set, p.min_months, p.max_months, p.published, 1 AS rank,
                   coalesce(r.in_force_from, '-infinity'::date) AS since
              FROM credit.catalogue_period p
              LEFT JOIN credit.rule_set r ON r.rule_set = p.rule_set
             WHERE p.item_code = publicity_period.item_code AND p.severity = publicity_period.severity
               AND (r.rule_set IS NULL
                    OR (publicity_period.decision_date >= r.in_force_from
                        AND (r.in_force_until IS NULL OR publicity_period.decision_date <= r.in_force_until)))
            UNION ALL
            SELECT d.rule_set, d.min_months, d.max_months, d.published, 2, r.in_force_from
              FROM credit.rule_set_period d
              JOIN credit.rule_set r ON r.rule_set = d.rule_set
             WHERE d.severity = publicity_period.severity
               AND publicity_period.decision_date >= r.in_force_from
               AND (r.in_force_until IS NULL OR publicity_period.decision_date <= r.in_force_until)) AS x
     ORDER BY x.rank, x.since DESC
     LIMIT 1;
END
$$;
COMMENT ON FUNCTION credit.publicity_period(text, credit.severity, date) IS '适用公示期 (the publicity period of a negative record of an item, a severity and a decision date: the item''s row for the rule set then in force, else its row of a rule outside credit.rule_set, else the rule set''s default)';

CREATE TABLE credit.list_kind (
    list_kind      text PRIMARY KEY CHECK (list_kind ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    colour         text NOT NULL CHECK (colour IN ('红', '黑')),
    term_months    integer CHECK (term_months > 0),
    disclosure     credit.disclosure_level NOT NULL DEFAULT '公开',
    department_id  integer REFERENCES credit.department,
    legal_basis    text,
    early_removal_months integer NOT NULL DEFAULT 0 CHECK (early_removal_months >= 0),
    repairable     boolean NOT NULL DEFAULT true,
    serious        boolean NOT NULL DEFAULT false,
    extension_min_months integer CHECK (extension_min_months > 0),
    extension_max_months integer CHECK (extension_max_months > 0),
    removal_conditions text CHECK (btrim(removal_conditions) <> ''),
    remedies       text CHECK (btrim(remedies) <> ''),
    CHECK (extension_min_months <= extension_max_months)
);
COMMENT ON TABLE credit.list_kind IS '名单类别 (kinds of red and black lists, with their term)';
COMMENT ON COLUMN credit.list_kind.list_kind IS '名单代码 (list code)';
COMMENT ON COLUMN credit.list_kind.name IS '名单名称 (name, e.g. 失信被执行人名单)';
COMMENT ON COLUMN credit.list_kind.colour IS '红/黑 (red list or black list)';
COMMENT ON COLUMN credit.list_kind.term_months IS '期限(月) (term in months; NULL: until removed)';
COMMENT ON COLUMN credit.list_kind.disclosure IS '公开属性 (disclosure level of entries)';
COMMENT ON COLUMN credit.list_kind.department_id IS '认定部门 (deciding department, if one)';
COMMENT ON COLUMN credit.list_kind.legal_basis IS '依据 (legal basis)';
COMMENT ON COLUMN credit.list_kind.early_removal_months IS '提前移出申请期(月) (early removal may be requested this many months after listing, e.g. 12 for 严重违法失信名单 under 令第44号; 0: at once)';
COMMENT ON COLUMN credit.list_kind.repairable IS '是否可修复 (can a subject apply for credit repair of an entry?)';
COMMENT ON COLUMN credit.list_kind.serious IS '严重失信名单 (while an entry is in force, the record it is based on stays disclosed past its limit, at every disclosure level, until the entry ends: docs/sources.md §3)';
COMMENT ON COLUMN credit.list_kind.extension_min_months IS '延期下限(月) (an extension (延期) moves the end of term by at least this many months, e.g. 12 for 失信被执行人; NULL: no lower bound)';
COMMENT ON COLUMN credit.list_kind.extension_max_months IS '延期上限(月) (an extension moves the end of term by at most this many months, e.g. 36 for 失信被执行人; NULL: no upper bound)';
COMMENT ON COLUMN credit.list_kind.removal_conditions IS '移出条件 (removal conditions every listing of this kind states: docs/sources.md §7)';
COMMENT ON COLUMN credit.list_kind.remedies IS '救济途径 (remedies open to the listed subject: objection, review, litigation)';

-- ------------------------------------------------------------------
-- Who is calling: the party of the calling role, from credit.party
-- ------------------------------------------------------------------
CREATE FUNCTION credit.current_party_kind() RETURNS credit.party_kind
    AS 'MODULE_PATHNAME', 'credit_current_party_kind' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_party_kind() IS '当前参与方类别 (kind of party of the calling role; NULL if not registered; cached for the session per role, dropped when credit.party changes)';

-- The calling role's department (NULL for other roles); the default of
-- record.department_id, so a department's COPY need not name itself.
-- In C (extension/disclosure.c): cached for the session per role, dropped
-- when credit.party changes; the policies call it in every query.
CREATE FUNCTION credit.current_department_id() RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_current_department_id' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_department_id() IS '当前部门 (department of the calling role, NULL if it is not a department role)';

CREATE FUNCTION credit.party_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.party_changed() IS '触发器: 参与方变更 (trigger: tells every session to drop its cached party of a role)';
CREATE TRIGGER party_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.party
    FOR EACH STATEMENT EXECUTE FUNCTION credit.party_changed();

SELECT pg_catalog.pg_extension_config_dump('credit.department', '');
SELECT pg_catalog.pg_extension_config_dump('credit.party', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_item', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_period', '');
SELECT pg_catalog.pg_extension_config_dump('credit.rule_set', '');
SELECT pg_catalog.pg_extension_config_dump('credit.rule_set_period', '');
SELECT pg_catalog.pg_extension_config_dump('credit.list_kind', '');
-- The install script, part 21: layer 2, the working-day calendar.
-- Working days (工作日) follow the State Council's holiday notice of each
-- year (国务院办公厅关于XXXX年部分节假日安排的通知): its holidays (放假) and its
-- 调休 working weekends (上班).  credit.calendar_year holds the years loaded
-- and their source, credit.calendar_day the days that deviate from Monday to
-- Friday; a year not loaded is Monday to Friday.  2025 and 2026 are shipped
-- here; the DBA loads later years with credit.load_calendar_year().
-- Row security for these tables is in 90_row_security.sql, their
-- privileges in 91_privileges.sql.

CREATE TYPE credit.day_kind AS ENUM ('放假', '上班');
COMMENT ON TYPE credit.day_kind IS '日类别 (kind of calendar day that deviates from Monday-Friday): 放假 holiday, not a working day; 上班 调休 working weekend day';

CREATE TABLE credit.calendar_year (
    year        integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 9999),
    title       text NOT NULL CHECK (btrim(title) <> ''),
    doc_no      text CHECK (btrim(doc_no) <> ''),
    issued_on   date NOT NULL,
    url         text CHECK (url ~ '^https?://\S+$'),
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.calendar_year IS '工作日历年度 (calendar years loaded, with the State Council notice each comes from); a year not listed is Monday-Friday';
COMMENT ON COLUMN credit.calendar_year.year IS '年度 (calendar year)';
COMMENT ON COLUMN credit.calendar_year.title IS '通知标题 (title of the notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知)';
COMMENT ON COLUMN credit.calendar_year.doc_no IS '文号 (document number, e.g. 国办发明电〔2024〕12号; NULL: not known)';
COMMENT ON COLUMN credit.calendar_year.issued_on IS '发布日期 (date of the notice)';
COMMENT ON COLUMN credit.calendar_year.url IS '来源网址 (where the text was read)';
COMMENT ON COLUMN credit.calendar_year.note IS '备注 (note on the source)';
COMMENT ON COLUMN credit.calendar_year.shipped IS '随扩展提供 (shipped with the extension: restored by CREATE EXTENSION, not dumped by pg_dump, not changed here)';
COMMENT ON COLUMN credit.calendar_year.loaded_at IS '载入时间 (loaded at)';

CREATE TABLE credit.calendar_day (
    day      date PRIMARY KEY,
    year     integer NOT NULL REFERENCES credit.calendar_year ON DELETE CASCADE,
    kind     credit.day_kind NOT NULL,
    name     text NOT NULL CHECK (btrim(name) <> ''),
    shipped  boolean NOT NULL DEFAULT false,
    CONSTRAINT calendar_day_in_year CHECK (extract(year FROM day) = year),
    CONSTRAINT calendar_day_working_weekend CHECK (kind = '放假' OR extract(isodow FROM day) >= 6)
);
CREATE INDEX calendar_day_year ON credit.calendar_day (year);
COMMENT ON TABLE credit.calendar_day IS '节假日与调休日 (days that deviate from Monday-Friday: every day of a holiday period, and every 调休 working weekend day)';
COMMENT ON COLUMN credit.calendar_day.day IS '日期 (the day)';
COMMENT ON COLUMN credit.calendar_day.year IS '年度 (the calendar year whose notice lists it; the day lies in that year)';
COMMENT ON COLUMN credit.calendar_day.kind IS '类别 (放假: not a working day; 上班: a 调休 working Saturday or Sunday)';
COMMENT ON COLUMN credit.calendar_day.name IS '节日 (the holiday it belongs to: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 ...)';
COMMENT ON COLUMN credit.calendar_day.shipped IS '随扩展提供 (shipped with the extension: restored by CREATE EXTENSION, not dumped by pg_dump, not changed here)';

-- Rows shipped with the extension are not changed or deleted, and nobody
-- else ships rows: CREATE EXTENSION restores them, pg_dump leaves them out
-- (the filters below), so a change would be lost, or collide, on restore.
-- Days are checked here too, so a direct INSERT gets the same clear errors
-- as credit.load_calendar_year().
CREATE FUNCTION credit.calendar_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'calendar rows shipped with the extension are not changed (year %)', OLD.year
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  DETAIL = 'CREATE EXTENSION restores shipped rows and pg_dump leaves them out, so a change would be lost on restore.',
                  HINT = 'Add a day the notice adds as a new row of this year; a correction of a shipped day comes with an extension update.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        RAISE EXCEPTION 'only the extension ships calendar rows (year %)', NEW.year
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Leave shipped at its default, false; rows loaded by the DBA are dumped by pg_dump.';
    END IF;
    IF TG_TABLE_NAME = 'calendar_day' THEN
        IF extract(year FROM NEW.day) <> NEW.year THEN
            RAISE EXCEPTION 'day % is outside calendar year %', to_char(NEW.day, 'YYYY-MM-DD'), NEW.year
                USING ERRCODE = 'check_violation',
                      HINT = pg_catalog.format('Give the day under year %s, or correct the date.', extract(year FROM NEW.day));
        END IF;
        IF NEW.kind = '上班' AND extract(isodow FROM NEW.day) < 6 THEN
            RAISE EXCEPTION '调休 working day % is not a Saturday or Sunday', to_char(NEW.day, 'YYYY-MM-DD')
                USING ERRCODE = 'check_violation',
                      HINT = 'Monday to Friday are working days unless they are holidays; list only working weekends as 上班.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.calendar_guard() IS '触发器: 工作日历校验 (trigger: checks calendar days, and keeps the rows shipped with the extension unchanged)';

-- ------------------------------------------------------------------
-- The legal date: deadlines, publicity periods and list terms are counted
-- in days of credit.timezone (default Asia/Shanghai, set by the DBA),
-- whatever the session's TimeZone.  credit.legal_date, for superusers only,
-- fixes today (tests, re-running a day).  In C (extension/legal_date.c).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.legal_date() RETURNS date
    AS 'MODULE_PATHNAME', 'credit_legal_date' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.legal_date() IS '法定日期 (today''s date for the law: the transaction''s start in credit.timezone, Asia/Shanghai by default, whatever the session''s TimeZone; credit.legal_date fixes it)';
CREATE FUNCTION credit.legal_date(t timestamptz) RETURNS date
    AS 'MODULE_PATHNAME', 'credit_legal_date_at' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.legal_date(timestamptz) IS '时刻的法定日期 (the date of an instant in credit.timezone)';

-- ------------------------------------------------------------------
-- Working-day arithmetic.  Monday to Friday by closed formulas over a
-- weekday number; the deviating days are read from calendar_day by primary
-- key range, one small index scan per call in the usual case.  PL/pgSQL
-- rather than SQL functions: PostgreSQL 15 plans a non-inlined SQL
-- function's query on every call, PL/pgSQL keeps the plan for the session.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.weekday_number(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN 5 * (((d - date '2001-01-01') - (((d - date '2001-01-01') % 7) + 7) % 7) / 7)
           + least((((d - date '2001-01-01') % 7) + 7) % 7 + 1, 5);
COMMENT ON FUNCTION credit.weekday_number(date) IS '周一至周五序号 (number of Monday-Friday days from 2001-01-01, a Monday, up to and including d; weekday_number(b) - weekday_number(a) is the number of Monday-Friday days after a up to b)';

CREATE FUNCTION credit.weekday_of_number(k integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN date '2001-01-01' + 7 * ((k - 1 - (((k - 1) % 5) + 5) % 5) / 5) + (((k - 1) % 5) + 5) % 5;
COMMENT ON FUNCTION credit.weekday_of_number(integer) IS '序号对应的周一至周五日期 (the Monday-Friday day whose weekday_number is k)';

CREATE FUNCTION credit.is_working_day(d date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k credit.day_kind;
BEGIN
    SELECT c.kind INTO k FROM credit.calendar_day c WHERE c.day = d;
    IF FOUND THEN
        RETURN k = '上班';
    END IF;
    RETURN extract(isodow FROM d) < 6;
END
$$;
COMMENT ON FUNCTION credit.is_working_day(date) IS '是否工作日 (is d a working day? a holiday or 调休 working day of credit.calendar_day, otherwise Monday-Friday)';

-- The n-th working day after d: walk from deviating day to deviating day
-- (the next one after x, by the primary key), counting Monday-Friday in
-- between, until the next deviating day lies beyond the day Monday-Friday
-- would then give.  A weekday holiday puts the answer one day further, a
-- working weekend one day nearer.  Backwards alike.  One index probe when
-- no deviating day is crossed, one more per deviating day crossed.
CREATE FUNCTION credit.add_working_days(d date, n integer) RETURNS date
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    x date := d;                    -- deviating days up to x are counted
    remaining integer := abs(n);    -- working days still to go from x
    wx integer;                     -- weekday_number(x); of x - 1 going back
    wc integer;
    answer date;
    next_day date;
    next_kind credit.day_kind;
BEGIN
    IF n = 0 THEN
        RETURN d;
    ELSIF n > 0 THEN
        wx := credit.weekday_number(x);
    ELSE
        wx := credit.weekday_number(x - 1);
    END IF;
    LOOP
        IF n > 0 THEN
            answer := credit.weekday_of_number(wx + remaining);
            SELECT c.day, c.kind INTO next_day, next_kind
              FROM credit.calendar_day c WHERE c.day > x ORDER BY c.day LIMIT 1;
            IF NOT FOUND OR next_day > answer THEN
                RETURN answer;
            END IF;
            wc := credit.weekday_number(next_day);
            remaining := remaining - (wc - wx);
        ELSE
            answer := credit.weekday_of_number(wx - remaining + 1);
            SELECT c.day, c.kind INTO next_day, next_kind
              FROM credit.calendar_day c WHERE c.day < x ORDER BY c.day DESC LIMIT 1;
            IF NOT FOUND OR next_day < answer THEN
                RETURN answer;
            END IF;
            wc := credit.weekday_number(next_day - 1);
            remaining := remaining - (wx - wc);
        END IF;
        wx := wc;
        -- next_day was counted as Monday-Friday counts it
        IF next_kind = '放假' AND extract(isodow FROM next_day) < 6 THEN
            remaining := remaining + 1;
        ELSIF next_kind = '上班' AND extract(isodow FROM next_day) >= 6 THEN
            remaining := remaining - 1;
        END IF;
        x := next_day;
        IF remaining = 0 THEN
            RETURN x;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.add_working_days(date, integer) IS '加工作日 (the n-th working day after d, or before d when n < 0, by credit.calendar_day, Monday-Friday in years not loaded; n = 0 gives d)';

-- Monday-Friday from the weekday numbers, corrected by the deviating days
-- in the range: skipped (one index probe) when there are none.
CREATE FUNCTION credit.working_days_between(d1 date, d2 date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lo date := least(d1, d2);
    hi date := greatest(d1, d2);
    next_day date;
    adjust integer := 0;
BEGIN
    SELECT c.day INTO next_day FROM credit.calendar_day c WHERE c.day > lo ORDER BY c.day LIMIT 1;
    IF next_day <= hi THEN
        -- a weekday holiday is one working day fewer, a working weekend one more
        SELECT sum(CASE WHEN c.kind = '上班' THEN 1 ELSE 0 END
                   - CASE WHEN extract(isodow FROM c.day) < 6 THEN 1 ELSE 0 END)
          INTO adjust
          FROM credit.calendar_day c WHERE c.day > lo AND c.day <= hi;
    END IF;
    RETURN CASE WHEN d2 >= d1 THEN 1 ELSE -1 END
           * (credit.weekday_number(hi) - credit.weekday_number(lo) + adjust);
END
$$;
COMMENT ON FUNCTION credit.working_days_between(date, date) IS '工作日数 (working days after d1 up to and including d2, by credit.calendar_day, Monday-Friday in years not loaded; negative when d2 < d1)';

-- ------------------------------------------------------------------
-- Loading a year (the DBA or the credit centre)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.load_calendar_year(year integer, title text, doc_no text, issued_on date,
                                          url text, holidays jsonb, note text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    h jsonb;
    bad boolean;
    hname text;
    day_from date;
    day_to date;
    day date;
    kind text;
    seen jsonb := '{}';
    n integer := 0;
BEGIN
    IF year IS NULL OR title IS NULL OR issued_on IS NULL OR holidays IS NULL THEN
        RAISE EXCEPTION 'year, title, issued_on and holidays must be given'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'doc_no, url and note may be NULL when they are not known.';
    END IF;
    IF EXISTS (SELECT 1 FROM credit.calendar_year y WHERE y.year = load_calendar_year.year) THEN
        RAISE EXCEPTION 'calendar year % is already loaded', year
            USING ERRCODE = 'unique_violation',
                  HINT = pg_catalog.format('To load it again, first DELETE FROM credit.calendar_year WHERE year = %s (its days go with it).', year);
    END IF;
    IF jsonb_typeof(holidays) <> 'array' OR jsonb_array_length(holidays) = 0 THEN
        RAISE EXCEPTION 'holidays must be a non-empty JSON array'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give one object per holiday of the notice: {"name": "春节", "from": "2027-02-06", "to": "2027-02-14", "working": ["2027-02-15"]}.';
    END IF;
    INSERT INTO credit.calendar_year (year, title, doc_no, issued_on, url, note)
    VALUES (year, title, doc_no, issued_on, url, note);

    FOR h IN SELECT e FROM jsonb_array_elements(holidays) AS e LOOP
        IF jsonb_typeof(h) IS DISTINCT FROM 'object' THEN
            bad := true;
        ELSE
            bad := NOT (h ? 'name' AND h ? 'from')
                   OR EXISTS (SELECT 1 FROM jsonb_object_keys(h) k WHERE k NOT IN ('name', 'from', 'to', 'working'));
        END IF;
        IF bad THEN
            RAISE EXCEPTION 'invalid holiday %', h
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Each holiday is an object with "name", "from", optionally "to" (the last day off; default "from") and "working" (an array of 调休 working days).';
        END IF;
        hname := h->>'name';
        day_from := (h->>'from')::date;
        day_to := coalesce((h->>'to')::date, day_from);
        IF day_to < day_from THEN
            RAISE EXCEPTION 'holiday % ends (%) before it starts (%)', hname, to_char(day_to, 'YYYY-MM-DD'), to_char(day_from, 'YYYY-MM-DD')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF h ? 'working' AND jsonb_typeof(h->'working') <> 'array' THEN
            RAISE EXCEPTION 'working days of holiday % must be a JSON array of dates', hname
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- every day off, then every 调休 working day
        FOR day, kind IN
            SELECT g::date, '放假' FROM generate_series(day_from, day_to, interval '1 day') AS g
            UNION ALL
            SELECT (e #>> '{}')::date, '上班' FROM jsonb_array_elements(coalesce(h->'working', '[]')) AS e
        LOOP
            IF seen ? to_char(day, 'YYYY-MM-DD') THEN
                RAISE EXCEPTION 'day % is listed twice for calendar year %', to_char(day, 'YYYY-MM-DD'), year
                    USING ERRCODE = 'unique_violation',
                          DETAIL = pg_catalog.format('It is listed under %s and under %s.', seen->>to_char(day, 'YYYY-MM-DD'), hname),
                          HINT = 'Give each day once: a day off in one holiday''s period, or a working day of one holiday.';
            END IF;
            seen := seen || jsonb_build_object(to_char(day, 'YYYY-MM-DD'), hname);
            INSERT INTO credit.calendar_day (day, year, kind, name)
            VALUES (day, year, kind::credit.day_kind, hname);
            n := n + 1;
        END LOOP;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.load_calendar_year(integer, text, text, date, text, jsonb, text) IS '载入年度工作日历 (load a year from its State Council notice: the source, and per holiday its days off and its 调休 working days as JSON; returns the number of days stored)';

-- ------------------------------------------------------------------
-- Shipped years.  Loaded as the DBA would, then marked shipped: they come
-- with CREATE EXTENSION and pg_dump leaves them out.
-- ------------------------------------------------------------------
SELECT credit.load_calendar_year(2025, '国务院办公厅关于2025年部分节假日安排的通知', '国办发明电〔2024〕12号',
    '2024-11-12', 'https://m.gmw.cn/2024-11/12/content_1303894933.htm', $json$[
    {"name": "元旦",           "from": "2025-01-01"},
    {"name": "春节",           "from": "2025-01-28", "to": "2025-02-04", "working": ["2025-01-26", "2025-02-08"]},
    {"name": "清明节",         "from": "2025-04-04", "to": "2025-04-06"},
    {"name": "劳动节",         "from": "2025-05-01", "to": "2025-05-05", "working": ["2025-04-27"]},
    {"name": "端午节",         "from": "2025-05-31", "to": "2025-06-02"},
    {"name": "国庆节、中秋节", "from": "2025-10-01", "to": "2025-10-08", "working": ["2025-09-28", "2025-10-11"]}
    ]$json$, '新华社转载 (text from the Xinhua republication)');
SELECT credit.load_calendar_year(2026, '国务院办公厅关于2026年部分节假日安排的通知', NULL,
    '2025-11-04', 'https://politics.gmw.cn/2025-11/04/content_38391083.htm', $json$[
    {"name": "元旦",   "from": "2026-01-01", "to": "2026-01-03", "working": ["2026-01-04"]},
    {"name": "春节",   "from": "2026-02-15", "to": "2026-02-23", "working": ["2026-02-14", "2026-02-28"]},
    {"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"},
    {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05", "working": ["2026-05-09"]},
    {"name": "端午节", "from": "2026-06-19", "to": "2026-06-21"},
    {"name": "中秋节", "from": "2026-09-25", "to": "2026-09-27"},
    {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07", "working": ["2026-09-20", "2026-10-10"]}
    ]$json$, '新华社转载, 未载明文号 (text from the Xinhua republication, which does not state the document number)');
UPDATE credit.calendar_year SET shipped = true;
UPDATE credit.calendar_day SET shipped = true;

CREATE TRIGGER calendar_year_guard BEFORE INSERT OR UPDATE OR DELETE ON credit.calendar_year
    FOR EACH ROW EXECUTE FUNCTION credit.calendar_guard();
CREATE TRIGGER calendar_day_guard BEFORE INSERT OR UPDATE OR DELETE ON credit.calendar_day
    FOR EACH ROW EXECUTE FUNCTION credit.calendar_guard();

-- pg_dump keeps the years the DBA loaded, and days added to shipped years.
SELECT pg_catalog.pg_extension_config_dump('credit.calendar_year', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('credit.calendar_day', 'WHERE NOT shipped');
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
-- The install script, part 31: layer 3, credit records (信用记录): 双公示
-- licences and penalties, court and other records.  A record is never
-- changed in place or deleted: a correction is a new version, a withdrawal
-- a state.  Departments load batches through the view credit.record_load.
-- The publicity machine's columns are moved by 51_publicity.sql; row
-- security: 90_row_security.sql; privileges: 91_privileges.sql.

CREATE TYPE credit.record_state AS ENUM ('有效', '已撤回', '已更正');
COMMENT ON TYPE credit.record_state IS '记录状态 (record state): 有效 in force, 已撤回 withdrawn (with a reason), 已更正 replaced by a correction';

-- ------------------------------------------------------------------
-- Credit records
-- ------------------------------------------------------------------
CREATE TABLE credit.record (
    record_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_code           text NOT NULL REFERENCES credit.catalogue_item,
    category            credit.catalogue_category NOT NULL,
    department_id       integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    subject_id          bigint NOT NULL REFERENCES credit.subject,
    -- 行政相对人 (the subject as written in the decision)
    subject_kind        credit.subject_kind NOT NULL,
    subject_name        text NOT NULL CHECK (btrim(subject_name) <> ''),
    subject_uscc        credit.uscc,
    subject_resident_id credit.resident_id,
    legal_rep_name      text,
    legal_rep_id        credit.resident_id,
    disclosure          credit.disclosure_level NOT NULL,
    severity            credit.severity,
    decision_no         text NOT NULL CHECK (btrim(decision_no) <> ''),
    decision_date       date NOT NULL,
    conduct_end_date    date,
    -- 行政处罚 (penalty fields of the national 双公示 standard)
    violation_type      text,
    violation_facts     text,
    penalty_basis       text,
    penalty_category    text,
    penalty_content     text,
    fine_amount         numeric(18, 6) CHECK (fine_amount >= 0),
    confiscated_amount  numeric(18, 6) CHECK (confiscated_amount >= 0),
    licence_suspended   text,
    penalty_valid_until date,
    -- 行政许可 (licence fields)
    licence_doc_name    text,
    licence_category    text,
    licence_name        text,
    licence_no          text,
    valid_from          date,
    valid_until         date,
    licence_content     text,
    -- both
    authority_name      text,
    authority_uscc      credit.uscc,
    source_name         text,
    source_uscc         credit.uscc,
    remarks             text,
    -- publicity and state
    publicity_start     date NOT NULL,
    publicity_end       date,
    rule_set            text,
    publicity_min_end   date,
    publicity_max_end   date,
    -- the record publicity machine (51_publicity.sql) and the objection mark
    publicity_state     text NOT NULL DEFAULT '公示中',
    publicity_reason    text,
    publicity_since     timestamptz NOT NULL DEFAULT now(),
    dispute_mark        text CHECK (dispute_mark = '异议处理中'),
    state               credit.record_state NOT NULL DEFAULT '有效',
    state_reason        text,
    state_since         timestamptz NOT NULL DEFAULT now(),
    withdrawal_due      date,
    corrects            bigint REFERENCES credit.record,
    lineage_id          bigint NOT NULL,
    submitted_by        regrole NOT NULL DEFAULT current_user::regrole,
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    -- shown to the public instead of the personal data above
    subject_name_public text GENERATED ALWAYS AS
        (CASE WHEN subject_kind = '自然人' THEN credit.mask_personal('subject_name', subject_name) ELSE subject_name END) STORED,
    subject_resident_id_public text GENERATED ALWAYS AS (credit.mask_personal('subject_resident_id', subject_resident_id::text)) STORED,
    legal_rep_id_public text GENERATED ALWAYS AS (credit.mask_personal('legal_rep_id', legal_rep_id::text)) STORED,
    CONSTRAINT record_subject_key CHECK (
        CASE WHEN subject_kind = '自然人' THEN subject_resident_id IS NOT NULL AND subject_uscc IS NULL
             ELSE subject_uscc IS NOT NULL AND subject_resident_id IS NULL END),
    CONSTRAINT record_penalty_fields CHECK (
        category <> '行政处罚' OR (violation_type IS NOT NULL AND violation_facts IS NOT NULL
            AND penalty_basis IS NOT NULL AND penalty_category IS NOT NULL
            AND penalty_content IS NOT NULL AND authority_name IS NOT NULL AND severity IS NOT NULL)),
    CONSTRAINT record_licence_fields CHECK (
        category <> '行政许可' OR (licence_doc_name IS NOT NULL AND licence_category IS NOT NULL
            AND licence_no IS NOT NULL AND valid_from IS NOT NULL AND authority_name IS NOT NULL)),
    CONSTRAINT record_validity CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from),
    CONSTRAINT record_conduct_end CHECK (conduct_end_date IS NULL OR conduct_end_date <= decision_date),
    CONSTRAINT record_withdrawal_reason CHECK (state = '有效' OR btrim(state_reason) <> '')
);
CREATE INDEX record_subject ON credit.record (subject_id);
CREATE INDEX record_department ON credit.record (department_id, decision_date);
-- the public listing: newest first, one page at a time
CREATE INDEX record_public ON credit.record (publicity_start DESC, record_id DESC) WHERE disclosure = '公开' AND state = '有效';
CREATE INDEX record_lineage ON credit.record (lineage_id, record_id);
-- a version is corrected once: one successor
CREATE UNIQUE INDEX record_corrects ON credit.record (corrects) WHERE corrects IS NOT NULL;
CREATE UNIQUE INDEX record_decision ON credit.record (department_id, decision_no, item_code) WHERE state = '有效';
COMMENT ON TABLE credit.record IS '信用记录 (credit records: 双公示 licences and penalties, court and other records); never updated in place: a correction is a new version, a withdrawal a state';
COMMENT ON COLUMN credit.record.record_id IS '记录编号 (internal id)';
COMMENT ON COLUMN credit.record.item_code IS '目录项 (catalogue item)';
COMMENT ON COLUMN credit.record.category IS '信息类别 (category, from the catalogue item)';
COMMENT ON COLUMN credit.record.department_id IS '提供部门 (submitting department)';
COMMENT ON COLUMN credit.record.subject_id IS '主体编号 (subject; found or created from the code on insert)';
COMMENT ON COLUMN credit.record.subject_kind IS '行政相对人类别 (kind of subject)';
COMMENT ON COLUMN credit.record.subject_name IS '行政相对人名称 (name of the subject; personal data for natural persons)';
COMMENT ON COLUMN credit.record.subject_uscc IS '统一社会信用代码 (code of an organisation subject)';
COMMENT ON COLUMN credit.record.subject_resident_id IS '身份证号 (identity number of a natural person; personal data)';
COMMENT ON COLUMN credit.record.legal_rep_name IS '法定代表人 (legal representative)';
COMMENT ON COLUMN credit.record.legal_rep_id IS '法定代表人身份证号 (personal data)';
COMMENT ON COLUMN credit.record.disclosure IS '公开属性 (disclosure level; the catalogue default when not given)';
COMMENT ON COLUMN credit.record.severity IS '失信程度 (severity of a negative record)';
COMMENT ON COLUMN credit.record.decision_no IS '决定文书号 (行政处罚决定书文号 / 行政许可决定文书号)';
COMMENT ON COLUMN credit.record.decision_date IS '决定日期 (处罚决定日期 / 许可决定日期)';
COMMENT ON COLUMN credit.record.conduct_end_date IS '失信行为终止日期 (end of the conduct; negative information is disclosed at most 5 years from it; NULL: the decision date)';
COMMENT ON COLUMN credit.record.violation_type IS '违法行为类型 (type of violation)';
COMMENT ON COLUMN credit.record.violation_facts IS '违法事实 (facts)';
COMMENT ON COLUMN credit.record.penalty_basis IS '处罚依据 (legal basis of the penalty)';
COMMENT ON COLUMN credit.record.penalty_category IS '处罚类别 (kind of penalty)';
COMMENT ON COLUMN credit.record.penalty_content IS '处罚内容 (content of the penalty)';
COMMENT ON COLUMN credit.record.fine_amount IS '罚款金额(万元) (fine, 10 000 yuan)';
COMMENT ON COLUMN credit.record.confiscated_amount IS '没收违法所得、没收非法财物的金额(万元) (confiscated, 10 000 yuan)';
COMMENT ON COLUMN credit.record.licence_suspended IS '暂扣或吊销证照名称及编号 (licences suspended or revoked)';
COMMENT ON COLUMN credit.record.penalty_valid_until IS '处罚有效期 (penalty in force until)';
COMMENT ON COLUMN credit.record.licence_doc_name IS '行政许可决定文书名称 (licence decision document)';
COMMENT ON COLUMN credit.record.licence_category IS '许可类别 (kind of licence)';
COMMENT ON COLUMN credit.record.licence_name IS '许可证书名称 (licence certificate)';
COMMENT ON COLUMN credit.record.licence_no IS '许可编号 (licence number)';
COMMENT ON COLUMN credit.record.valid_from IS '有效期自 (valid from)';
COMMENT ON COLUMN credit.record.valid_until IS '有效期至 (valid until)';
COMMENT ON COLUMN credit.record.licence_content IS '许可内容 (content of the licence)';
COMMENT ON COLUMN credit.record.authority_name IS '处罚机关/许可机关 (deciding authority)';
COMMENT ON COLUMN credit.record.authority_uscc IS '处罚机关/许可机关统一社会信用代码 (its code)';
COMMENT ON COLUMN credit.record.source_name IS '数据来源单位 (data source)';
COMMENT ON COLUMN credit.record.source_uscc IS '数据来源单位统一社会信用代码 (its code)';
COMMENT ON COLUMN credit.record.remarks IS '备注 (remarks)';
COMMENT ON COLUMN credit.record.publicity_start IS '公示开始 (publicity starts: the decision date)';
COMMENT ON COLUMN credit.record.publicity_end IS '公示截止期 (publicity ends, exclusive: from the period of the rule set in force on the decision date, at most 5 years from the end of the conduct; moved earlier when publicity is stopped or the record repaired; NULL: no end)';
COMMENT ON COLUMN credit.record.rule_set IS '公示期依据 (rule set of the period applied, e.g. 令第36号)';
COMMENT ON COLUMN credit.record.publicity_min_end IS '最短公示期满 (minimum publicity period ends: repair may be applied for from here)';
COMMENT ON COLUMN credit.record.publicity_max_end IS '最长公示期满 (maximum publicity period ends; a broken repair commitment restores publicity to here)';
COMMENT ON COLUMN credit.record.publicity_state IS '公示状态 (state of the record publicity machine: 公示中, 不公示, 已到期, 停止公示, 已修复; changes only through credit.transition)';
COMMENT ON COLUMN credit.record.publicity_reason IS '公示状态原因 (reason of the last publicity transition)';
COMMENT ON COLUMN credit.record.publicity_since IS '公示状态时间 (when the publicity state was entered)';
COMMENT ON COLUMN credit.record.dispute_mark IS '异议标注 (异议处理中 from the acceptance of an objection until its outcome, in every view)';
COMMENT ON COLUMN credit.record.state IS '记录状态 (state of the record machine: 有效, 已撤回, 已更正; changes only through credit.transition, with an event)';
COMMENT ON COLUMN credit.record.state_reason IS '撤回/更正原因 (reason of a withdrawal or correction)';
COMMENT ON COLUMN credit.record.state_since IS '记录状态时间 (when the record entered its state: inserted, withdrawn or corrected; changes only through credit.transition)';
COMMENT ON COLUMN credit.record.withdrawal_due IS '应撤回期限 (set when the revocation of the decision is noted (认定依据撤销, 有效 -> 有效): the providing department withdraws or corrects the record within 3 working days; a machine deadline, shown in credit.workflow_overdue)';
COMMENT ON COLUMN credit.record.corrects IS '更正的记录 (the record this one corrects)';
COMMENT ON COLUMN credit.record.lineage_id IS '记录谱系 (the record_id of the first version: every correction of a record keeps it, so objections, repairs and list entries follow the record across versions; credit.current_record() gives the newest version)';
COMMENT ON COLUMN credit.record.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.record.submitted_at IS '提交时间 (published in the platform at)';
COMMENT ON COLUMN credit.record.subject_name_public IS '公示名称 (name shown to the public; natural persons masked)';
COMMENT ON COLUMN credit.record.subject_resident_id_public IS '公示身份证号 (masked identity number)';
COMMENT ON COLUMN credit.record.legal_rep_id_public IS '公示法定代表人身份证号 (masked)';

-- One declared source for the record's column lists: what a department
-- supplies (credit.record_load), what a correction may change
-- (credit.correct_record), and what the public sees (credit.public_record,
-- and through that view the portal's column privileges).  A column of the
-- table not named here is in none of them (sql/00_install.sql names any
-- such column).
CREATE FUNCTION credit.record_columns(OUT column_name name, OUT loaded boolean, OUT corrected boolean,
                                      OUT public_source name, OUT column_order smallint)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.column_name, c.loaded, c.corrected, c.public_source, a.attnum
      FROM (VALUES
        ('record_id',             false, false, 'record_id'),
        ('item_code',             true , false, 'item_code'),
        ('category',              false, false, 'category'),
        ('department_id',         false, false, 'department_id'),
        ('subject_id',            false, false, 'subject_id'),
        ('subject_kind',          true , false, 'subject_kind'),
        ('subject_name',          true , true , 'subject_name_public'),
        ('subject_uscc',          true , false, 'subject_uscc'),
        ('subject_resident_id',   true , false, 'subject_resident_id_public'),
        ('legal_rep_name',        true , true , 'legal_rep_name'),
        ('legal_rep_id',          true , true , 'legal_rep_id_public'),
        ('disclosure',            true , false, 'disclosure'),
        ('severity',              true , true , 'severity'),
        ('decision_no',           true , true , 'decision_no'),
        ('decision_date',         true , true , 'decision_date'),
        ('conduct_end_date',      true , true , 'conduct_end_date'),
        ('violation_type',        true , true , 'violation_type'),
        ('violation_facts',       true , true , 'violation_facts'),
        ('penalty_basis',         true , true , 'penalty_basis'),
        ('penalty_category',      true , true , 'penalty_category'),
        ('penalty_content',       true , true , 'penalty_content'),
        ('fine_amount',           true , true , 'fine_amount'),
        ('confiscated_amount',    true , true , 'confiscated_amount'),
        ('licence_suspended',     true , true , 'licence_suspended'),
        ('penalty_valid_until',   true , true , 'penalty_valid_until'),
        ('licence_doc_name',      true , true , 'licence_doc_name'),
        ('licence_category',      true , true , 'licence_category'),
        ('licence_name',          true , true , 'licence_name'),
        ('licence_no',            true , true , 'licence_no'),
        ('valid_from',            true , true , 'valid_from'),
        ('valid_until',           true , true , 'valid_until'),
        ('licence_content',       true , true , 'licence_content'),
        ('authority_name',        true , true , 'authority_name'),
        ('authority_uscc',        true , true , 'authority_uscc'),
        ('source_name',           true , true , 'source_name'),
        ('source_uscc',           true , true , 'source_uscc'),
        ('remarks',               true , true , 'remarks'),
        ('publicity_start',       false, false, 'publicity_start'),
        ('publicity_end',         false, false, 'publicity_end'),
        ('rule_set',              false, false, NULL),
        ('publicity_min_end',     false, false, NULL),
        ('publicity_max_end',     false, false, NULL),
        ('publicity_state',       false, false, 'publicity_state'),
        ('publicity_reason',      false, false, NULL),
        ('publicity_since',       false, false, NULL),
        ('dispute_mark',          false, false, 'dispute_mark'),
        ('state',                 false, false, 'state'),
        ('state_reason',          false, false, NULL),
        ('state_since',           false, false, NULL),
        ('withdrawal_due',        false, false, NULL),
        ('corrects',              false, false, NULL),
        ('lineage_id',            false, false, NULL),
        ('submitted_by',          false, false, NULL),
        ('submitted_at',          false, false, NULL)) AS c(column_name, loaded, corrected, public_source)
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid = 'credit.record'::pg_catalog.regclass AND a.attname = c.column_name AND NOT a.attisdropped
     ORDER BY a.attnum;
END;
COMMENT ON FUNCTION credit.record_columns() IS '记录列清单 (the record''s columns, in table order: loaded, supplied by a department through credit.record_load; corrected, may change in a correction; public_source, the column credit.public_record shows under this name (the masked one for personal data), NULL when not public)';

-- On insert: the category and default disclosure from the catalogue, the
-- publicity end from the catalogue period, the subject found or created.
-- SECURITY DEFINER so a department need not be able to write subjects; it
-- only creates a subject the row itself describes.
CREATE FUNCTION credit.record_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item credit.catalogue_item;
    period record;
    prev credit.record;
BEGIN
    SELECT * INTO item FROM credit.catalogue_item WHERE item_code = NEW.item_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown catalogue item "%"', NEW.item_code
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Use an item_code of credit.catalogue_item.';
    END IF;
    NEW.category := item.category;
    NEW.disclosure := coalesce(NEW.disclosure, item.default_disclosure);
    IF NEW.subject_kind = '自然人' AND NEW.disclosure = '公开' THEN
        RAISE EXCEPTION 'a natural person''s record cannot be 公开'
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('Record %s of item %s is about a natural person.', NEW.decision_no, NEW.item_code),
                  HINT = 'Give it disclosure 授权查询 or 部门共享; a natural person''s information is published only with a recorded legal basis.';
    END IF;
    IF item.polarity = '失信' AND NEW.severity IS NULL THEN
        RAISE EXCEPTION 'negative record % needs a severity', NEW.decision_no
            USING ERRCODE = 'not_null_violation', HINT = 'Set severity to 轻微, 一般 or 严重.';
    END IF;
    IF item.polarity <> '失信' AND NEW.severity IS NOT NULL THEN
        RAISE EXCEPTION 'record % of % item "%" cannot have a severity', NEW.decision_no, item.polarity, item.item_code
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.publicity_start := NEW.decision_date;
    NEW.publicity_state := '公示中';
    NEW.publicity_reason := NULL;
    NEW.publicity_since := now();
    NEW.dispute_mark := NULL;
    NEW.rule_set := NULL;
    NEW.publicity_min_end := NULL;
    IF item.polarity = '失信' THEN
        SELECT * INTO period FROM credit.publicity_period(NEW.item_code, NEW.severity, NEW.decision_date);
        IF period.rule_set IS NULL THEN
            RAISE EXCEPTION 'catalogue item "%" has no publicity period for severity % on %', NEW.item_code, NEW.severity, NEW.decision_date
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'Add the period to credit.catalogue_period, or a default to credit.rule_set_period.';
        END IF;
        NEW.rule_set := period.rule_set;
        -- at most 5 years from the end of the conduct
        NEW.publicity_max_end := least(NEW.decision_date + make_interval(months => period.max_months),
                                       coalesce(NEW.conduct_end_date, NEW.decision_date) + interval '5 years');
        NEW.publicity_min_end := least(NEW.decision_date + make_interval(months => period.min_months),
                                       NEW.publicity_max_end);
        IF period.published THEN
            NEW.publicity_end := NEW.publicity_max_end;
        ELSE
            -- e.g. 轻微 under 令第36号: not published at all
            NEW.publicity_end := NEW.decision_date;
            NEW.publicity_state := '不公示';
            NEW.publicity_reason := period.rule_set || ': 不予公示';
        END IF;
    ELSIF item.publicity_months IS NOT NULL THEN
        NEW.publicity_end := NEW.decision_date + make_interval(months => item.publicity_months);
        NEW.publicity_max_end := NEW.publicity_end;
    ELSE
        NEW.publicity_end := NULL;
        NEW.publicity_max_end := NULL;
    END IF;

    -- what the subject row needs, checked before looking for it: a new
    -- subject's row would refuse it with another error than an existing
    -- subject's record, and say which one it is
    IF NEW.subject_name IS NULL OR btrim(NEW.subject_name) = '' THEN
        RAISE EXCEPTION 'record % needs the subject''s name', NEW.decision_no
            USING ERRCODE = 'check_violation', HINT = 'Give subject_name as written in the decision.';
    END IF;
    -- the identifiers' own operators (search_path is pg_catalog): the
    -- unique indexes on subject.resident_id and subject.uscc answer
    NEW.subject_id := credit.subject_by_code(NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id);
    IF NEW.subject_id IS NULL THEN
        -- Two departments may submit the first records of the same subject
        -- at once: the second insert waits for the first, skips the row
        -- and finds the subject it committed.
        INSERT INTO credit.subject (kind, uscc, resident_id, name, legal_rep_name, legal_rep_id)
        VALUES (NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id, NEW.subject_name,
                NEW.legal_rep_name, NEW.legal_rep_id)
        ON CONFLICT DO NOTHING
        RETURNING subject_id INTO NEW.subject_id;
        IF NEW.subject_id IS NULL THEN
            NEW.subject_id := credit.subject_by_code(NEW.subject_kind, NEW.subject_uscc, NEW.subject_resident_id);
        END IF;
        IF NEW.subject_id IS NULL THEN
            -- only under REPEATABLE READ or SERIALIZABLE: the subject was
            -- committed after this transaction's snapshot
            RAISE EXCEPTION 'the subject of record % was created by a concurrent transaction', NEW.decision_no
                USING ERRCODE = 'serialization_failure',
                      HINT = 'Retry the transaction.';
        END IF;
    END IF;
    -- A new version (credit.correct_record) keeps the lineage and the
    -- workflow of the version it replaces: its rule set and ends, its
    -- publicity (a repaired, stopped or expired record stays so: the
    -- trigger record_after_insert moves the new version there, with an
    -- event) and the objection mark.
    NEW.lineage_id := NEW.record_id;
    IF NEW.corrects IS NOT NULL THEN
        SELECT * INTO prev FROM credit.record r WHERE r.record_id = NEW.corrects;
        IF NOT FOUND OR prev.state <> '已更正' OR prev.department_id <> NEW.department_id
           OR prev.item_code <> NEW.item_code OR prev.subject_id <> NEW.subject_id THEN
            RAISE EXCEPTION 'record % is not a record being corrected', NEW.corrects
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Correct a record with credit.correct_record(record_id, reason, changes).';
        END IF;
        NEW.lineage_id := prev.lineage_id;
        -- the rule set and ends stay those of the version replaced unless
        -- the correction changes what they are counted from (the decision
        -- date, the severity, the end of the conduct)
        IF (NEW.decision_date, NEW.severity, NEW.conduct_end_date)
           IS NOT DISTINCT FROM (prev.decision_date, prev.severity, prev.conduct_end_date) THEN
            NEW.rule_set := prev.rule_set;
            NEW.publicity_min_end := prev.publicity_min_end;
            NEW.publicity_max_end := prev.publicity_max_end;
            NEW.publicity_end := prev.publicity_end;
        END IF;
        IF prev.publicity_state IN ('已修复', '停止公示') THEN
            -- publicity ended on that day and stays ended
            NEW.publicity_end := prev.publicity_end;
        END IF;
        NEW.publicity_state := CASE WHEN prev.publicity_state = '不公示' THEN '不公示' ELSE '公示中' END;
        NEW.publicity_reason := CASE WHEN prev.publicity_state = '不公示' THEN prev.publicity_reason END;
        NEW.dispute_mark := prev.dispute_mark;
    END IF;
    -- submitted_by keeps its default, taken as the inserting role (here,
    -- inside SECURITY DEFINER, current_user is the definer); row security
    -- checks it equals the inserting role.
    NEW.state := '有效';
    NEW.state_reason := NULL;
    NEW.submitted_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_before_insert() IS '触发器: 记录入库 (trigger: category, default disclosure and publicity end from the catalogue; subject found or created from the code)';

-- Checked with the caller's rights before the SECURITY DEFINER trigger
-- and the foreign key: a correction points at a record of the inserter's
-- department it can see; a hidden record is refused as a missing one.
CREATE FUNCTION credit.record_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.corrects IS NOT NULL
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) NEW.corrects
                          AND r.department_id OPERATOR(pg_catalog.=) NEW.department_id) THEN
        RAISE EXCEPTION 'record % is not a record you can correct', NEW.corrects
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Correct a record with credit.correct_record(record_id, reason, changes).';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_access() IS '触发器: 更正指向检查 (trigger, caller''s rights, fires first: corrects names a record of the inserting department that the inserter sees; a hidden record is refused as a missing one)';
CREATE TRIGGER record_access BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NEW.corrects IS NOT NULL AND NOT credit.restoring('credit.record')) EXECUTE FUNCTION credit.record_access();
-- A row of credit.collect's INSERT comes with its derived columns computed
-- for the whole batch at once (35_collection.sql): while credit.collect
-- runs, and only then (credit.collecting(), backend memory that only that
-- C function sets), a row with its subject filled skips
-- record_before_insert; record_accepted (C) sets its lineage.  Any other
-- INSERT, whatever it gives, goes through record_before_insert.
CREATE FUNCTION credit.collecting() RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_collecting' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.collecting() IS '正在归集的批次 (the batch credit.collect is collecting in this session now, NULL outside it; set by credit.collect only, never by a setting)';
CREATE FUNCTION credit.record_accepted() RETURNS trigger
    AS 'MODULE_PATHNAME', 'collection_record_accepted' LANGUAGE C;
COMMENT ON FUNCTION credit.record_accepted() IS '触发器: 归集入库 (trigger, C: a row of credit.collect''s INSERT with its derived columns computed for the batch; only inside credit.collect, not a correction; sets its lineage)';
CREATE TRIGGER record_accepted BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NEW.subject_id IS NOT NULL AND credit.collecting() IS NOT NULL AND NOT credit.restoring('credit.record'))
    EXECUTE FUNCTION credit.record_accepted();
CREATE TRIGGER record_before_insert BEFORE INSERT ON credit.record
    FOR EACH ROW WHEN (NOT credit.restoring('credit.record') AND (NEW.subject_id IS NULL OR credit.collecting() IS NULL))
    EXECUTE FUNCTION credit.record_before_insert();

-- Nobody, the table owner included, changes what a record says in place or
-- deletes it: only its state (有效 -> 已撤回 / 已更正, with the reason), the
-- publicity machine's columns (51_publicity.sql) and the objection mark
-- (52_objection.sql) change.
CREATE TRIGGER record_content BEFORE UPDATE OR DELETE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('credit records',
        'Withdraw it with credit.withdraw_record(record_id, reason).',
        'Correct it with credit.correct_record(record_id, reason, changes), which adds a new version.',
        'state', 'state_reason', 'state_since', 'withdrawal_due', 'publicity_state', 'publicity_reason', 'publicity_since', 'publicity_end',
        'dispute_mark');

-- What is specific to records (the generic rules of their lifecycle, 有效 ->
-- 已撤回 / 已更正, once and with a reason, are the record machine's,
-- 51_publicity.sql): the mark 异议处理中 is set and removed by the objection
-- machine only (objection_effects, during an objection's transition).  The
-- same guard keeps the mark of a list entry (32_list_entry.sql); arguments:
-- what the object is called and its key column.
CREATE FUNCTION credit.dispute_mark_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.dispute_mark IS DISTINCT FROM OLD.dispute_mark
       AND (credit.transition_request()).machine IS DISTINCT FROM 'objection' THEN
        RAISE EXCEPTION 'column "dispute_mark" of % % is set by the objection machine only',
                        TG_ARGV[0], pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) TG_ARGV[1]
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'File an objection; the mark shows from its acceptance until its outcome.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.dispute_mark_guard() IS '触发器: 异议标注 (trigger: the mark 异议处理中 of a record or a list entry is set and removed only by the objection machine; arguments: the object''s name and key column)';
CREATE TRIGGER record_guard BEFORE UPDATE OF dispute_mark ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.dispute_mark_guard('record', 'record_id');
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON credit.record
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

CREATE FUNCTION credit.withdraw_record(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a withdrawal needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM FROM credit.record r WHERE r.record_id = withdraw_record.record_id AND r.state = '有效' FOR UPDATE;
    IF FOUND THEN
        PERFORM credit.transition('record', withdraw_record.record_id, '已撤回', reason);
    ELSE
        RAISE EXCEPTION 'record % is not an active record of yours', record_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only the providing department or the credit centre withdraws a record, once.';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.withdraw_record(bigint, text) IS '撤回记录 (withdraw a record, with a reason: the record machine''s transition 有效 -> 已撤回, with an event; as the calling role, so row security decides who may)';

-- A correction is a new version: the old record becomes 已更正 and the new
-- one points to it.  Changes are given as jsonb of column values.
CREATE FUNCTION credit.correct_record(record_id bigint, reason text, changes jsonb) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old credit.record;
    new_row credit.record;
    new_id bigint;
    bad text;
    loaded text;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a correction needs a reason' USING ERRCODE = 'not_null_violation';
    END IF;
    SELECT key INTO bad FROM pg_catalog.jsonb_object_keys(coalesce(changes, '{}')) AS key
     WHERE key NOT IN (SELECT c.column_name FROM credit.record_columns() c WHERE c.corrected)
     LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'a correction cannot change "%"', bad
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The subject, department, item and disclosure level of a record never change; withdraw it and submit a new one.';
    END IF;
    SELECT * INTO old FROM credit.record r WHERE r.record_id = correct_record.record_id AND r.state = '有效' FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'record % is not an active record of yours', record_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    new_row := jsonb_populate_record(old, changes);
    PERFORM credit.transition('record', old.record_id, '已更正', reason, jsonb_build_object('changes', changes));
    -- the new version: what the record says, from new_row (the columns a
    -- correction may not change are the old ones), as a department loads it
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
      INTO loaded FROM credit.record_columns() c WHERE c.loaded;
    EXECUTE pg_catalog.format(
        'INSERT INTO credit.record (%1$s, category, department_id, subject_id, publicity_start, corrects) '
        'SELECT %1$s, category, department_id, subject_id, decision_date, $2 FROM (SELECT ($1).*) AS n '
        'RETURNING record_id', loaded)
        INTO new_id USING new_row, old.record_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION credit.correct_record(bigint, text, jsonb) IS '更正记录 (correct a record: the old version becomes 已更正 (the record machine''s transition, with an event), a new version of the same lineage, keeping its publicity, ends, rule set and objection mark, with the changed fields points to it; returns the new record_id)';

-- Any version of a record leads to the newest one of its lineage (the one
-- in force, or the last if the record was withdrawn), as the caller may see.
CREATE FUNCTION credit.current_record(record_id bigint) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT c.record_id FROM credit.record r JOIN credit.record c ON c.lineage_id = r.lineage_id
             WHERE r.record_id = current_record.record_id
             ORDER BY c.record_id DESC LIMIT 1);
COMMENT ON FUNCTION credit.current_record(bigint) IS '当前版本 (the newest version of a record''s lineage, from any of its versions: the one in force, or the last one when withdrawn; NULL for an unknown or hidden record)';

-- Departments load batches with COPY.  PostgreSQL refuses COPY FROM into a
-- table with row security, so batches go through this view, whose INSTEAD OF
-- trigger inserts each row as the calling role (row security applies).
DO $record_load$
DECLARE
    loaded text := (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
                      FROM credit.record_columns() c WHERE c.loaded);
BEGIN
    EXECUTE pg_catalog.format('CREATE VIEW credit.record_load AS SELECT %s FROM credit.record WHERE false', loaded);
    -- the view's columns, in the view's order
    EXECUTE pg_catalog.format($f$
CREATE FUNCTION credit.record_load_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
    INSERT INTO credit.record (%s) SELECT NEW.*;
    RETURN NEW;
END
$body$$f$, loaded);
END
$record_load$;
COMMENT ON VIEW credit.record_load IS '记录报送 (load view for a department''s batch: COPY credit.record_load FROM ...; each row is inserted into credit.record as the calling role)';

COMMENT ON FUNCTION credit.record_load_insert() IS '触发器: 报送视图写入 (INSTEAD OF trigger of record_load: inserts the row into credit.record as the calling role)';
CREATE TRIGGER record_load_insert INSTEAD OF INSERT ON credit.record_load
    FOR EACH ROW EXECUTE FUNCTION credit.record_load_insert();

SELECT pg_catalog.pg_extension_config_dump('credit.record', '');

-- ------------------------------------------------------------------
-- 双公示 timeliness: decisions published within 7 working days
-- ------------------------------------------------------------------
CREATE VIEW credit.sgs_timeliness WITH (security_invoker = true) AS
SELECT d.department_id,
       d.name AS department,
       r.category,
       count(*) AS decisions,
       count(*) FILTER (WHERE credit.legal_date(r.submitted_at) <= credit.add_working_days(r.decision_date, 7)) AS on_time,
       count(*) FILTER (WHERE credit.legal_date(r.submitted_at) > credit.add_working_days(r.decision_date, 7)) AS late,
       max(credit.working_days_between(credit.add_working_days(r.decision_date, 7), credit.legal_date(r.submitted_at)))
           FILTER (WHERE credit.legal_date(r.submitted_at) > credit.add_working_days(r.decision_date, 7)) AS worst_days_late
  FROM credit.record r
  JOIN credit.department d USING (department_id)
 WHERE r.category IN ('行政许可', '行政处罚') AND r.corrects IS NULL
 GROUP BY d.department_id, d.name, r.category;
COMMENT ON VIEW credit.sgs_timeliness IS '双公示时效 (per department and category: decisions published within 7 working days of the decision date (credit.add_working_days: the official calendar of credit.calendar_day), and how late the others are); shows what the caller may see';
COMMENT ON COLUMN credit.sgs_timeliness.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.sgs_timeliness.department IS '部门 (department)';
COMMENT ON COLUMN credit.sgs_timeliness.category IS '类别 (行政许可 or 行政处罚)';
COMMENT ON COLUMN credit.sgs_timeliness.decisions IS '决定数 (decisions)';
COMMENT ON COLUMN credit.sgs_timeliness.on_time IS '按时公示 (published within 7 working days)';
COMMENT ON COLUMN credit.sgs_timeliness.late IS '逾期公示 (published later)';
COMMENT ON COLUMN credit.sgs_timeliness.worst_days_late IS '最长逾期工作日 (most working days late)';
-- The install script, part 32: layer 3, red and black list entries (名单条目).
-- The list entry machine (its states, term and removal) is in
-- 51_publicity.sql; row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

-- ------------------------------------------------------------------
-- Red and black list entries
-- ------------------------------------------------------------------
CREATE TABLE credit.list_entry (
    entry_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_kind       text NOT NULL REFERENCES credit.list_kind,
    subject_id      bigint NOT NULL REFERENCES credit.subject,
    basis_record_id bigint REFERENCES credit.record,
    department_id   integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    disclosure      credit.disclosure_level NOT NULL,
    reasons         text NOT NULL CHECK (btrim(reasons) <> ''),
    listed_on       date NOT NULL,
    expires_on      date,
    removed_on      date,
    removal_reason  text,
    submitted_by    regrole NOT NULL DEFAULT current_user::regrole,
    -- the list entry machine (51_publicity.sql)
    state           text NOT NULL DEFAULT '列入中',
    state_reason    text,
    state_since     timestamptz NOT NULL DEFAULT now(),
    deletion_due    date,
    removal_due     date,
    early_removal_from date,
    dispute_mark    text CHECK (dispute_mark = '异议处理中'),
    CHECK (expires_on IS NULL OR expires_on > listed_on),
    CHECK ((removed_on IS NULL) = (removal_reason IS NULL))
);
CREATE INDEX list_entry_subject ON credit.list_entry (subject_id);
COMMENT ON TABLE credit.list_entry IS '名单条目 (red and black list entries); a new listing is a new entry, a removed entry never reopens';
COMMENT ON COLUMN credit.list_entry.entry_id IS '条目编号 (internal id)';
COMMENT ON COLUMN credit.list_entry.list_kind IS '名单类别 (list kind)';
COMMENT ON COLUMN credit.list_entry.subject_id IS '主体编号 (subject)';
COMMENT ON COLUMN credit.list_entry.basis_record_id IS '认定依据记录 (the record the listing is based on)';
COMMENT ON COLUMN credit.list_entry.department_id IS '认定部门 (deciding department)';
COMMENT ON COLUMN credit.list_entry.disclosure IS '公开属性 (disclosure level; the list kind''s when not given)';
COMMENT ON COLUMN credit.list_entry.reasons IS '列入理由 (reasons)';
COMMENT ON COLUMN credit.list_entry.listed_on IS '列入日期 (listed on)';
COMMENT ON COLUMN credit.list_entry.expires_on IS '到期日期 (term ends; from the list kind when not given)';
COMMENT ON COLUMN credit.list_entry.removed_on IS '移出日期 (removed on)';
COMMENT ON COLUMN credit.list_entry.removal_reason IS '移出原因 (reason of removal)';
COMMENT ON COLUMN credit.list_entry.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.list_entry.state IS '名单状态 (state of the list entry machine: 列入中, 应移出, 已到期, 已移出; changes only through credit.transition)';
COMMENT ON COLUMN credit.list_entry.state_reason IS '状态原因 (reason of the last transition: removal, extension, expiry)';
COMMENT ON COLUMN credit.list_entry.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.list_entry.deletion_due IS '应删除日期 (the entry must be off the list by then: 3 working days after the end of term; a machine deadline counted from expires_on)';
COMMENT ON COLUMN credit.list_entry.removal_due IS '应移出期限 (set when the entry becomes 应移出: its deciding department removes it within 3 working days; a machine deadline)';
COMMENT ON COLUMN credit.list_entry.dispute_mark IS '异议标注 (异议处理中 from the acceptance of an objection to the entry until its outcome, shown in credit.public_list_entry)';
COMMENT ON COLUMN credit.list_entry.early_removal_from IS '可申请提前移出日期 (early removal may be requested from this date, from the list kind)';

CREATE FUNCTION credit.list_entry_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind credit.list_kind;
    basis record;
BEGIN
    SELECT * INTO kind FROM credit.list_kind WHERE list_kind = NEW.list_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown list kind "%"', NEW.list_kind USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.disclosure := coalesce(NEW.disclosure, kind.disclosure);
    -- the basis is locked: a repair decided meanwhile waits for this
    -- listing (and removes it), or the listing waits for the repair and is
    -- refused.  A serious listing will move the record's end (trigger
    -- list_entry_extends_record): it takes the lock that needs at once, so
    -- two serious listings of one record wait for each other instead of
    -- deadlocking.
    IF NEW.basis_record_id IS NOT NULL AND kind.serious THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR NO KEY UPDATE;
    ELSIF NEW.basis_record_id IS NOT NULL THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR SHARE;
    END IF;
    IF NEW.basis_record_id IS NOT NULL THEN
        IF basis.state IS DISTINCT FROM '有效' OR basis.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'list entry cannot be based on record %: it is %', NEW.basis_record_id,
                            CASE WHEN basis.state IS NULL THEN 'unknown'
                                 WHEN basis.state <> '有效' THEN basis.state::text ELSE '已修复 (repaired)' END
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Base a listing on a record in force that is not repaired.';
        END IF;
    END IF;
    IF NEW.expires_on IS NULL AND kind.term_months IS NOT NULL THEN
        NEW.expires_on := NEW.listed_on + make_interval(months => kind.term_months);
    END IF;
    -- (deletion_due: the guard, 3 working days after expires_on)
    NEW.early_removal_from := NEW.listed_on + make_interval(months => kind.early_removal_months);
    IF NEW.disclosure = '公开'
       AND (SELECT s.kind FROM credit.subject s WHERE s.subject_id = NEW.subject_id) = '自然人' THEN
        RAISE EXCEPTION 'a natural person''s list entry cannot be 公开'
            USING ERRCODE = 'check_violation',
                  HINT = 'Give it disclosure 授权查询 or 部门共享.';
    END IF;
    NEW.removed_on := NULL;
    NEW.removal_reason := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_before_insert() IS '触发器: 名单条目入库 (trigger: disclosure, expiry and early-removal date from the list kind; the deletion due date is the guard''s)';
-- Checked with the caller's rights before the SECURITY DEFINER trigger
-- and the foreign keys: the subject is one the inserter sees, or sees a
-- record about; the basis is a record it sees.  A hidden subject or record
-- is refused as a missing one, so a listing says nothing about it (not
-- whether an id exists, is a natural person, or is withdrawn).
CREATE FUNCTION credit.list_entry_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) NEW.subject_id)
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.subject_id OPERATOR(pg_catalog.=) NEW.subject_id) THEN
        RAISE EXCEPTION 'subject % is not a subject you can list', NEW.subject_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'List a subject you hold a record about.';
    END IF;
    IF NEW.basis_record_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) NEW.basis_record_id) THEN
        RAISE EXCEPTION 'list entry cannot be based on record %: it is unknown', NEW.basis_record_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Base a listing on a record in force that is not repaired.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_access() IS '触发器: 名单条目指向检查 (trigger, caller''s rights, fires first: the subject is one the inserter sees or sees a record about, the basis a record it sees; a hidden one is refused as a missing one)';
CREATE TRIGGER list_entry_access BEFORE INSERT ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_access();
CREATE TRIGGER list_entry_before_insert BEFORE INSERT ON credit.list_entry
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry')) EXECUTE FUNCTION credit.list_entry_before_insert();

-- What an entry says never changes; its state, term and removal belong to
-- the list entry machine (51_publicity.sql).
CREATE TRIGGER list_entry_content BEFORE UPDATE OR DELETE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('list entries',
        'Remove the entry with credit.transition(''list_entry'', entry_id, ''已移出'', reason).',
        'A new listing is a new entry.',
        'state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removal_due', 'removed_on', 'removal_reason',
        'dispute_mark');
CREATE TRIGGER list_entry_dispute_guard BEFORE UPDATE OF dispute_mark ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.dispute_mark_guard('list entry', 'entry_id');
CREATE TRIGGER list_entry_no_truncate BEFORE TRUNCATE ON credit.list_entry
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

SELECT pg_catalog.pg_extension_config_dump('credit.list_entry', '');
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
    authorisation_id bigint NOT NULL REFERENCES credit.authorisation,
    purpose          text NOT NULL
);
CREATE INDEX access_log_subject ON credit.access_log (subject_id, accessed_at);
COMMENT ON TABLE credit.access_log IS '查询日志 (log of 授权查询 reads: who, whose, under which authorisation, for what purpose, when; kept at least 5 years; append-only)';
COMMENT ON COLUMN credit.access_log.access_id IS '日志编号 (internal id)';
COMMENT ON COLUMN credit.access_log.accessed_at IS '查询时间 (when)';
COMMENT ON COLUMN credit.access_log.role IS '查询角色 (who)';
COMMENT ON COLUMN credit.access_log.subject_id IS '被查询主体 (whose information)';
COMMENT ON COLUMN credit.access_log.authorisation_id IS '授权编号 (under which authorisation)';
COMMENT ON COLUMN credit.access_log.purpose IS '用途 (purpose)';

-- What a log row says is not the writer's choice: the time is the clock's
-- (not a default the writer can override), the role the writer, the
-- subject and purpose the authorisation's.  Caller's rights: the grantee
-- reads its own authorisation; row security (access_log_insert) then
-- checks the authorisation is the writer's and valid.
CREATE FUNCTION credit.access_log_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.accessed_at := pg_catalog.clock_timestamp();
    NEW.role := current_user::pg_catalog.regrole;
    SELECT a.subject_id, a.purpose INTO NEW.subject_id, NEW.purpose
      FROM credit.authorisation a WHERE a.authorisation_id OPERATOR(pg_catalog.=) NEW.authorisation_id;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.access_log_before_insert() IS '触发器: 查询日志内容 (trigger: a log row''s time is the clock''s, its role the writer, its subject and purpose those of the authorisation, whatever the row says)';
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
-- The install script, part 34: layer 3, credit commitments (信用承诺) of
-- subjects.  A repair application records a 信用修复型 one
-- (53_repair.sql, which also restores a record's publicity when such a
-- commitment is broken); row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

CREATE TABLE credit.commitment (
    commitment_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    kind           text NOT NULL CHECK (kind IN ('审批替代型', '容缺受理型', '证明事项型', '信用修复型', '行业自律型', '主动型', '其他')),
    content        text NOT NULL CHECK (btrim(content) <> ''),
    disclosure     text NOT NULL DEFAULT '特定范围内公开' CHECK (disclosure IN ('可向社会公开', '特定范围内公开', '不可公开')),
    made_at        timestamptz NOT NULL DEFAULT now(),
    performance    text CHECK (performance IN ('全部履行', '部分履行', '全部未履行')),
    broken_at      timestamptz,
    broken_reason  text,
    CHECK ((broken_at IS NULL) = (broken_reason IS NULL))
);
CREATE INDEX commitment_subject ON credit.commitment (subject_id);
COMMENT ON TABLE credit.commitment IS '信用承诺 (credit commitments of subjects; a repair application records a 信用修复型 one)';
COMMENT ON COLUMN credit.commitment.commitment_id IS '承诺编号 (internal id)';
COMMENT ON COLUMN credit.commitment.subject_id IS '承诺主体 (subject)';
COMMENT ON COLUMN credit.commitment.kind IS '承诺类型 (审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他)';
COMMENT ON COLUMN credit.commitment.content IS '承诺内容 (what the subject commits to)';
COMMENT ON COLUMN credit.commitment.disclosure IS '公开范围 (可向社会公开, 特定范围内公开, 不可公开)';
COMMENT ON COLUMN credit.commitment.made_at IS '承诺时间 (made at)';
COMMENT ON COLUMN credit.commitment.performance IS '履行情况 (全部履行, 部分履行, 全部未履行; NULL: not assessed)';
COMMENT ON COLUMN credit.commitment.broken_at IS '违诺时间 (when a breach was recorded)';
COMMENT ON COLUMN credit.commitment.broken_reason IS '违诺情况 (the breach)';

-- A commitment is never changed or deleted: its performance is assessed,
-- and a breach is recorded once.
CREATE TRIGGER commitment_content BEFORE UPDATE OR DELETE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('commitments', '',
        'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
        'performance', 'once:broken_at', 'once:broken_reason');

CREATE FUNCTION credit.record_commitment_breach(commitment_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a breach needs a description' USING ERRCODE = 'not_null_violation';
    END IF;
    UPDATE credit.commitment c SET broken_at = now(), broken_reason = reason, performance = '全部未履行'
     WHERE c.commitment_id = record_commitment_breach.commitment_id AND c.broken_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commitment % is not an unbroken commitment you can see', commitment_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.record_commitment_breach(bigint, text) IS '记录违诺 (record the breach of a commitment, as the calling role: the centre or the department that decided the repair; a 信用修复型 breach restores the record''s publicity to its maximum)';

SELECT pg_catalog.pg_extension_config_dump('credit.commitment', '');
-- The install script, part 35: layer 3, collection (归集): a department's
-- batch of records, loaded with one COPY into a staging table that takes
-- every line as text, then checked and moved into credit.record by one call,
-- credit.collect(batch_id).  Every bad row is kept, with its line, column,
-- rule and a message (personal values masked); the good rows go in through
-- the same INSERT and triggers as a single record (credit.record_before_insert
-- computes the category, the publicity period and the subject).  The batch
-- is a row; credit.collection_quality gives each department its acceptance
-- rate, lateness (双公示: 7 working days) and open errors, by month.
-- Row security: 90_row_security.sql; privileges: 91_privileges.sql;
-- docs/model.md, "Collection".

-- ------------------------------------------------------------------
-- The rules a batch is checked against (data: the centre enables,
-- disables and grades the quality rules; the rules that keep a row from
-- being stored at all are fixed)
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_rule (
    rule        text PRIMARY KEY CHECK (rule ~ '^[a-z_]{1,64}$'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text NOT NULL CHECK (btrim(description) <> ''),
    severity    text NOT NULL CHECK (severity IN ('拒收', '警告')),
    enabled     boolean NOT NULL DEFAULT true,
    fixed       boolean NOT NULL DEFAULT false,
    CONSTRAINT collection_rule_fixed CHECK (NOT fixed OR (enabled AND severity = '拒收'))
);
COMMENT ON TABLE credit.collection_rule IS '归集校验规则 (the rules a batch is checked against: 拒收 rejects the row, 警告 loads it and reports; fixed rules keep a row the record table would refuse and cannot be disabled)';
COMMENT ON COLUMN credit.collection_rule.rule IS '规则代码 (rule code)';
COMMENT ON COLUMN credit.collection_rule.name IS '规则名称 (name)';
COMMENT ON COLUMN credit.collection_rule.description IS '规则说明 (what the rule checks)';
COMMENT ON COLUMN credit.collection_rule.severity IS '处理方式 (拒收: the row is rejected; 警告: loaded, and reported)';
COMMENT ON COLUMN credit.collection_rule.enabled IS '启用 (enabled)';
COMMENT ON COLUMN credit.collection_rule.fixed IS '固定规则 (the record table would refuse the row anyway: always enabled, always 拒收)';

INSERT INTO credit.collection_rule (rule, name, description, severity, fixed) VALUES
    ('type', '数据类型', 'the value is not of the column''s type (a date as YYYY-MM-DD, an amount with at most 6 decimals, a value of the list)', '拒收', true),
    ('identifier', '代码校验', 'a 统一社会信用代码 or 公民身份号码 that does not pass its check', '拒收', true),
    ('required', '必填项', 'a required field is empty: for every record, and those of the 双公示 standard for 行政许可 and 行政处罚', '拒收', true),
    ('subject_key', '主体代码', 'a natural person is named by 公民身份号码 only, any other subject by 统一社会信用代码 only', '拒收', true),
    ('catalogue_item', '目录项', 'the row names another catalogue item than its batch', '拒收', true),
    ('disclosure', '公开属性', 'a natural person''s record cannot be 公开', '拒收', true),
    ('severity', '失信程度', 'a negative (失信) item''s record needs a severity, any other record has none', '拒收', true),
    ('date_order', '日期顺序', 'the conduct ends after the decision, or a licence ends before it starts', '拒收', true),
    ('insert', '入库', 'the record was refused on insert by a rule of credit.record (the message says which)', '拒收', true),
    ('duplicate_decision', '文书号重复', 'the decision number is already in force for this item in the department, or earlier in the batch', '拒收', false),
    ('future_decision', '决定日期在未来', 'the decision date is after today (the legal date)', '拒收', false);

-- ------------------------------------------------------------------
-- Batches
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_batch (
    batch_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_id integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    item_code     text NOT NULL REFERENCES credit.catalogue_item,
    file_name     text NOT NULL CHECK (btrim(file_name) <> ''),
    header_lines  integer NOT NULL DEFAULT 1 CHECK (header_lines >= 0),
    state         text NOT NULL DEFAULT '待归集' CHECK (state IN ('待归集', '已归集')),
    received      integer,
    accepted      integer,
    rejected      integer,
    warned        integer,
    late          integer,
    opened_by     regrole NOT NULL DEFAULT current_user::regrole,
    opened_at     timestamptz NOT NULL DEFAULT now(),
    received_on   date NOT NULL DEFAULT credit.legal_date(),
    collected_at  timestamptz,
    CONSTRAINT collection_batch_counts CHECK (
        CASE state WHEN '待归集' THEN num_nulls(received, accepted, rejected, warned, late, collected_at) = 6
                   ELSE num_nonnulls(received, accepted, rejected, warned, late, collected_at) = 6
                        AND received = accepted + rejected END)
);
CREATE INDEX collection_batch_department ON credit.collection_batch (department_id, opened_at);
COMMENT ON TABLE credit.collection_batch IS '归集批次 (a department''s batch: one file of one catalogue item, received, accepted, rejected; opened with credit.open_batch, collected with credit.collect)';
COMMENT ON COLUMN credit.collection_batch.batch_id IS '批次编号 (batch id)';
COMMENT ON COLUMN credit.collection_batch.department_id IS '报送部门 (submitting department)';
COMMENT ON COLUMN credit.collection_batch.item_code IS '目录项 (catalogue item of every row)';
COMMENT ON COLUMN credit.collection_batch.file_name IS '文件名 (file name, as the department gives it)';
COMMENT ON COLUMN credit.collection_batch.header_lines IS '表头行数 (lines before the first row: line numbers count from the file''s first line)';
COMMENT ON COLUMN credit.collection_batch.state IS '批次状态 (待归集 open for loading, 已归集 collected)';
COMMENT ON COLUMN credit.collection_batch.received IS '接收行数 (rows received)';
COMMENT ON COLUMN credit.collection_batch.accepted IS '入库行数 (rows stored as records)';
COMMENT ON COLUMN credit.collection_batch.rejected IS '拒收行数 (rows rejected, kept with their errors)';
COMMENT ON COLUMN credit.collection_batch.warned IS '警告行数 (rows stored with a warning)';
COMMENT ON COLUMN credit.collection_batch.late IS '逾期公示行数 (双公示 decisions stored more than 7 working days after the decision date: credit.add_working_days(decision_date, 7) before the legal date of collection)';
COMMENT ON COLUMN credit.collection_batch.opened_by IS '报送角色 (role that opened the batch; the only one that loads and collects it)';
COMMENT ON COLUMN credit.collection_batch.opened_at IS '接收时间 (received at)';
COMMENT ON COLUMN credit.collection_batch.received_on IS '接收日期 (the legal date the batch was received: its month in credit.collection_quality)';
COMMENT ON COLUMN credit.collection_batch.collected_at IS '归集时间 (collected at)';

-- ------------------------------------------------------------------
-- Staging: every loaded column of credit.record (credit.record_columns()),
-- as text, and the line.  Rows of a collected batch that are still here
-- were rejected: they wait to be corrected and sent again (or deleted).
-- ------------------------------------------------------------------
DO $staging$
BEGIN
    EXECUTE pg_catalog.format(
        'CREATE TABLE credit.collection_staging ('
        ' staging_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,'
        ' batch_id bigint NOT NULL,'
        ' department_id integer NOT NULL DEFAULT credit.current_department_id(),'
        ' line_no integer, %s)',
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name) || ' text', ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded));
END
$staging$;
CREATE INDEX collection_staging_batch ON credit.collection_staging (batch_id, staging_id);
COMMENT ON TABLE credit.collection_staging IS '归集暂存 (staging: each line of a batch as text, in the columns of credit.record_load; the rejected rows stay after credit.collect)';
COMMENT ON COLUMN credit.collection_staging.staging_id IS '暂存编号 (order of arrival)';
COMMENT ON COLUMN credit.collection_staging.batch_id IS '批次 (batch; no foreign key, checked per line once already: the policy collection_staging_load admits a line only into an open batch the loading role opened)';
COMMENT ON COLUMN credit.collection_staging.department_id IS '报送部门 (department, the loading role''s)';
COMMENT ON COLUMN credit.collection_staging.line_no IS '行号 (line in the file, set by credit.collect for a reported row)';

-- The batch a session loads into: credit.open_batch sets it.
-- (Here and below, a small SQL function without a SET clause and with
-- every name qualified: the planner inlines it; with the clause it would be
-- planned again for every row.)
CREATE FUNCTION credit.current_batch() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(pg_catalog.current_setting('credit_collection.batch_id', true), '')::bigint;
COMMENT ON FUNCTION credit.current_batch() IS '当前批次 (the batch this session opened last with credit.open_batch: the one COPY credit.collection_load fills when no batch_id is given)';

CREATE FUNCTION credit.open_batch(item_code text, file_name text, header_lines integer DEFAULT 1) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM credit.catalogue_item i
                    WHERE i.item_code OPERATOR(pg_catalog.=) open_batch.item_code
                      AND i.department_id OPERATOR(pg_catalog.=) credit.current_department_id()) THEN
        RAISE EXCEPTION 'catalogue item "%" is not an item of your department', item_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A department collects records of its own items of credit.catalogue_item.';
    END IF;
    INSERT INTO credit.collection_batch (item_code, file_name, header_lines)
    VALUES (open_batch.item_code, open_batch.file_name, open_batch.header_lines)
    RETURNING batch_id INTO id;
    PERFORM pg_catalog.set_config('credit_collection.batch_id', id::text, false);
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.open_batch(text, text, integer) IS '开启批次 (open a batch of one of the department''s catalogue items for a file; returns its id, which COPY credit.collection_load then fills in this session)';

-- PostgreSQL refuses COPY FROM into a table with row security: lines go
-- through this view.  Its INSTEAD OF row trigger (C, collection.c) only
-- keeps each line in backend memory; its statement trigger stores them all
-- in collection_staging with one INSERT as the calling role, so the
-- policies check every line (a batch the role opened, still open).
DO $load$
DECLARE
    loaded text := (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
                      FROM credit.record_columns() c WHERE c.loaded);
BEGIN
    EXECUTE pg_catalog.format('CREATE VIEW credit.collection_load AS SELECT %s, batch_id FROM credit.collection_staging WHERE false',
                              loaded);
    EXECUTE pg_catalog.format($f$
CREATE FUNCTION credit.collection_load_store() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
    INSERT INTO credit.collection_staging (batch_id, %1$s)
    SELECT coalesce(l.batch_id, credit.current_batch()), %2$s FROM credit.collection_load_lines() AS l;
    RETURN NULL;
END
$body$$f$, loaded,
        (SELECT pg_catalog.string_agg('l.' || pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded));
END
$load$;
CREATE FUNCTION credit.collection_load_keep() RETURNS trigger
    AS 'MODULE_PATHNAME', 'collection_load_keep' LANGUAGE C;
CREATE FUNCTION credit.collection_load_lines() RETURNS SETOF credit.collection_load
    AS 'MODULE_PATHNAME', 'collection_load_lines' LANGUAGE C VOLATILE PARALLEL RESTRICTED ROWS 1000;
DO $load_comments$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT l.column_name, pg_catalog.col_description('credit.record'::pg_catalog.regclass, a.attnum) AS description
               FROM credit.record_columns() l
               JOIN pg_catalog.pg_attribute a ON a.attrelid = 'credit.record'::pg_catalog.regclass AND a.attname = l.column_name
              WHERE l.loaded
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.collection_staging.%I IS %L', c.column_name,
                                  '原文 (as loaded, text): ' || c.description);
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.collection_load.%I IS %L', c.column_name,
                                  '原文 (as loaded, text): ' || c.description);
    END LOOP;
END
$load_comments$;
COMMENT ON COLUMN credit.collection_load.batch_id IS '批次 (batch; credit.current_batch() when not given)';
COMMENT ON VIEW credit.collection_load IS '归集报送 (load view of a batch: COPY credit.collection_load FROM ... after credit.open_batch; every line is taken as text, checked by credit.collect)';
COMMENT ON FUNCTION credit.collection_load_keep() IS '触发器: 归集报送暂留 (INSTEAD OF row trigger of collection_load, C: keeps the line in backend memory for the statement trigger)';
COMMENT ON FUNCTION credit.collection_load_lines() IS '本语句报送行 (the lines the running INSERT or COPY into collection_load kept, in their order; once; none outside that statement)';
COMMENT ON FUNCTION credit.collection_load_store() IS '触发器: 归集报送写入 (statement trigger of collection_load: stores the statement''s lines in collection_staging with one INSERT as the calling role, in its open batch)';
CREATE TRIGGER collection_load_insert INSTEAD OF INSERT ON credit.collection_load
    FOR EACH ROW EXECUTE FUNCTION credit.collection_load_keep();
CREATE TRIGGER collection_load_store AFTER INSERT ON credit.collection_load
    FOR EACH STATEMENT EXECUTE FUNCTION credit.collection_load_store();

-- ------------------------------------------------------------------
-- Errors
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_error (
    error_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      bigint NOT NULL REFERENCES credit.collection_batch,
    department_id integer NOT NULL REFERENCES credit.department,
    staging_id    bigint NOT NULL,
    line_no       integer NOT NULL,
    column_name   name,
    rule          text NOT NULL REFERENCES credit.collection_rule,
    severity      text NOT NULL CHECK (severity IN ('拒收', '警告')),
    message       text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_error_batch ON credit.collection_error (batch_id, line_no);
CREATE INDEX collection_error_staging ON credit.collection_error (staging_id);
COMMENT ON TABLE credit.collection_error IS '归集错误 (what credit.collect found in a batch: line, column, rule, message with personal values masked; open while its rejected row waits in collection_staging)';
COMMENT ON COLUMN credit.collection_error.error_id IS '错误编号 (error id)';
COMMENT ON COLUMN credit.collection_error.batch_id IS '批次 (batch)';
COMMENT ON COLUMN credit.collection_error.department_id IS '报送部门 (department)';
COMMENT ON COLUMN credit.collection_error.staging_id IS '暂存行 (the row in collection_staging)';
COMMENT ON COLUMN credit.collection_error.line_no IS '行号 (line of the file)';
COMMENT ON COLUMN credit.collection_error.column_name IS '列 (column; NULL for the whole row)';
COMMENT ON COLUMN credit.collection_error.rule IS '规则 (rule of credit.collection_rule)';
COMMENT ON COLUMN credit.collection_error.severity IS '处理方式 (拒收 or 警告, the rule''s when found)';
COMMENT ON COLUMN credit.collection_error.message IS '说明 (message; personal values masked)';
COMMENT ON COLUMN credit.collection_error.recorded_at IS '发现时间 (found at)';

-- A value as an error message may show it: a personal one masked like a
-- natural person's name (first character, then *).
CREATE FUNCTION credit.collection_shown(value text, personal boolean) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.quote_literal(CASE WHEN personal THEN credit.mask_person_name(value) ELSE value END);
COMMENT ON FUNCTION credit.collection_shown(text, boolean) IS '错误中的取值 (a value as an error message shows it, quoted: personal data masked, 张三 -> ''张*'')';

-- Is this text a date as YYYY-MM-DD (so the cast cannot fail)?  C
-- (collection.c): it runs for each date column of every staged row.
CREATE FUNCTION credit.collection_is_date(value text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'collection_is_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.collection_is_date(text) IS '是否为日期 (is the text a calendar date written YYYY-MM-DD? never raises)';

-- The checks of one staging row's typed columns, generated from the
-- record's column types: (bad, column, rule, message).  And the values as
-- credit.record takes them.  Both from credit.record_columns().
CREATE FUNCTION credit.collection_typed_columns(OUT column_name name, OUT type_sql text, OUT check_sql text,
                                                OUT rule text, OUT expected text, OUT personal boolean,
                                                OUT column_order smallint)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT c.column_name,
           CASE WHEN t.typnamespace OPERATOR(pg_catalog.=) 'credit'::pg_catalog.regnamespace
                THEN 'credit.' || pg_catalog.quote_ident(t.typname)
                ELSE pg_catalog.format_type(a.atttypid, a.atttypmod) END,
           -- an enum's labels written out (enum_range() would be called per row)
           CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'e'
                    THEN '%s OPERATOR(pg_catalog.=) ANY (' || pg_catalog.replace(pg_catalog.quote_literal(
                             (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                                FROM pg_catalog.pg_enum e WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid)::text), '%', '%%')
                         || '::text[])'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.date'::pg_catalog.regtype
                    THEN 'credit.collection_is_date(%s)'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.numeric'::pg_catalog.regtype
                    THEN '%s OPERATOR(pg_catalog.~) ''^[0-9]{1,12}(\.[0-9]{1,6})?$'''
                WHEN t.typname OPERATOR(pg_catalog.=) 'uscc' THEN 'credit.uscc_is_valid(%s)'
                WHEN t.typname OPERATOR(pg_catalog.=) 'resident_id' THEN 'credit.resident_id_is_valid(%s)'
           END,
           CASE WHEN t.typname IN ('uscc', 'resident_id') THEN 'identifier' ELSE 'type' END,
           CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'e'
                    THEN 'one of ' || (SELECT pg_catalog.string_agg(e.enumlabel::text, ', ' ORDER BY e.enumsortorder)
                                         FROM pg_catalog.pg_enum e WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid)
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.date'::pg_catalog.regtype THEN 'a date YYYY-MM-DD'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.numeric'::pg_catalog.regtype
                    THEN 'an amount in 万元, at most 12 digits and 6 decimals'
                WHEN t.typname OPERATOR(pg_catalog.=) 'uscc' THEN 'a valid 统一社会信用代码'
                WHEN t.typname OPERATOR(pg_catalog.=) 'resident_id' THEN 'a valid 公民身份号码'
           END,
           c.column_name IN ('subject_name', 'subject_resident_id', 'legal_rep_name', 'legal_rep_id'),
           c.column_order
      FROM credit.record_columns() c
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid OPERATOR(pg_catalog.=) 'credit.record'::pg_catalog.regclass AND a.attname OPERATOR(pg_catalog.=) c.column_name
      JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
     WHERE c.loaded
     ORDER BY c.column_order;
END;
COMMENT ON FUNCTION credit.collection_typed_columns() IS '归集列类型 (the loaded columns of credit.record with the SQL of their type, the check a staged text must pass to be cast (NULL for text), the rule and what is expected, and whether the value is personal data)';

-- The fields a record of a category must have (besides those of every
-- record): the record's CHECK constraints record_penalty_fields and
-- record_licence_fields, column by column, so a batch reports each.
CREATE FUNCTION credit.collection_required(category credit.catalogue_category) RETURNS name[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN CASE category::text
        WHEN '行政处罚' THEN '{violation_type,violation_facts,penalty_basis,penalty_category,penalty_content,authority_name}'::name[]
        WHEN '行政许可' THEN '{licence_doc_name,licence_category,licence_no,valid_from,authority_name}'::name[]
        ELSE '{}'::name[] END;
COMMENT ON FUNCTION credit.collection_required(credit.catalogue_category) IS '类别必填项 (the fields a record of the category needs besides those of every record: the 双公示 fields of record_penalty_fields and record_licence_fields)';

CREATE TYPE credit.collection_finding AS (column_name name, rule text, message text);
COMMENT ON TYPE credit.collection_finding IS '校验发现 (one finding of credit.collect in a row: column, rule, message)';

-- The SQL of the findings in one staging row s of a batch of the given
-- item, an array of credit.collection_finding (NULL elements where a check
-- passes).  Every check reads only text, so no row can make it fail.
CREATE FUNCTION credit.collection_checks(item credit.catalogue_item) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT 'ARRAY[' || pg_catalog.array_to_string(ARRAY(
        -- types and identifiers
        SELECT pg_catalog.format(
                   'CASE WHEN s.%1$I <> '''' AND NOT (%2$s) THEN (%1$L, %3$L, pg_catalog.format(''%%s is not %%s'', '
                   'credit.collection_shown(s.%1$I, %4$L), %5$L))::credit.collection_finding END',
                   t.column_name, pg_catalog.format(t.check_sql, 's.' || pg_catalog.quote_ident(t.column_name)),
                   t.rule, t.personal, t.expected)
          FROM credit.collection_typed_columns() t WHERE t.check_sql IS NOT NULL
        UNION ALL
        -- required fields: of every record, and of the item's category
        SELECT pg_catalog.format(
                   'CASE WHEN pg_catalog.btrim(coalesce(s.%1$I, '''')) = '''' THEN (%1$L, ''required'', %2$L)::credit.collection_finding END',
                   r.column_name, r.column_name || ' is required' || CASE WHEN r.category THEN ' for ' || item.category::text ELSE '' END)
          FROM (SELECT c, false FROM pg_catalog.unnest('{subject_kind,subject_name,decision_no,decision_date}'::name[]) AS c
                UNION ALL
                SELECT c, true FROM pg_catalog.unnest(credit.collection_required(item.category)) AS c) AS r(column_name, category)
        UNION ALL
        SELECT x FROM pg_catalog.unnest(ARRAY[
            -- the item of the batch
            pg_catalog.format('CASE WHEN s.item_code <> %1$L THEN (''item_code'', ''catalogue_item'', '
                              'pg_catalog.format(''item %%s is not the batch''''s item %%s'', credit.collection_shown(s.item_code, false), %1$L))'
                              '::credit.collection_finding END', item.item_code),
            -- the subject's code, by kind
            $c$CASE WHEN s.subject_kind = '自然人' AND (coalesce(s.subject_resident_id, '') = '' OR coalesce(s.subject_uscc, '') <> '')
                    THEN ('subject_resident_id', 'subject_key', 'a natural person is named by subject_resident_id alone')::credit.collection_finding
                    WHEN s.subject_kind <> '自然人' AND (coalesce(s.subject_uscc, '') = '' OR coalesce(s.subject_resident_id, '') <> '')
                    THEN ('subject_uscc', 'subject_key', pg_catalog.format('a subject of kind %s is named by subject_uscc alone', s.subject_kind))::credit.collection_finding END$c$,
            -- a natural person is never 公开 (the default counts too)
            pg_catalog.format($c$CASE WHEN s.subject_kind = '自然人' AND coalesce(NULLIF(s.disclosure, ''), %L) = '公开'
                    THEN ('disclosure', 'disclosure', 'a natural person''s record cannot be 公开: give 授权查询 or 部门共享')::credit.collection_finding END$c$,
                              item.default_disclosure),
            -- severity by the item's polarity
            CASE WHEN item.polarity = '失信'
                 THEN $c$CASE WHEN coalesce(s.severity, '') = '' THEN ('severity', 'severity', 'a negative record needs a severity: 轻微, 一般 or 严重')::credit.collection_finding END$c$
                 ELSE pg_catalog.format($c$CASE WHEN coalesce(s.severity, '') <> '' THEN ('severity', 'severity', %L)::credit.collection_finding END$c$,
                                        'a record of a ' || item.polarity::text || ' item has no severity') END,
            -- dates in order (both valid dates)
            $c$CASE WHEN credit.collection_is_date(s.conduct_end_date) AND credit.collection_is_date(s.decision_date)
                         AND s.conduct_end_date::date > s.decision_date::date
                    THEN ('conduct_end_date', 'date_order', pg_catalog.format('the conduct ends (%s) after the decision (%s)', s.conduct_end_date, s.decision_date))::credit.collection_finding END$c$,
            $c$CASE WHEN credit.collection_is_date(s.valid_from) AND credit.collection_is_date(s.valid_until)
                         AND s.valid_until::date < s.valid_from::date
                    THEN ('valid_until', 'date_order', pg_catalog.format('the licence ends (%s) before it starts (%s)', s.valid_until, s.valid_from))::credit.collection_finding END$c$,
            -- quality rules
            -- (today once for the batch, not per row: a sub-SELECT)
            $c$CASE WHEN credit.collection_is_date(s.decision_date) AND s.decision_date::date > (SELECT credit.legal_date())
                    THEN ('decision_date', 'future_decision', pg_catalog.format('the decision date %s is after today (%s)', s.decision_date, pg_catalog.to_char((SELECT credit.legal_date()), 'YYYY-MM-DD')))::credit.collection_finding END$c$,
            $c$CASE WHEN s.first_line IS NOT NULL
                    THEN ('decision_no', 'duplicate_decision', pg_catalog.format('decision number %s is also on line %s', credit.collection_shown(s.decision_no, false), s.first_line))::credit.collection_finding
                    WHEN s.in_force IS NOT NULL
                    THEN ('decision_no', 'duplicate_decision', pg_catalog.format('decision number %s is already in force as record %s', credit.collection_shown(s.decision_no, false), s.in_force))::credit.collection_finding END$c$
            ]) AS x), ', ') || ']';
END;
COMMENT ON FUNCTION credit.collection_checks(credit.catalogue_item) IS '批次校验表达式 (the SQL of the checks of one staging row of a batch of the item: types and identifiers (from the record''s column types), required fields (every record''s, and the category''s), the subject''s code, disclosure, severity, date order, and the quality rules; an array of credit.collection_finding)';

-- The rows of a batch with their line in the file and what the duplicate
-- rule needs: the first line of the same decision number in the batch,
-- and the record in force of the department with it.
CREATE FUNCTION credit.collection_rows_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN $q$
        SELECT n.*,
               CASE WHEN n.decision_no <> '' AND n.first_of_no < n.line THEN n.first_of_no END AS first_line,
               (SELECT r.record_id FROM credit.record r
                 WHERE r.department_id OPERATOR(pg_catalog.=) $2 AND r.item_code OPERATOR(pg_catalog.=) $3
                   AND r.decision_no OPERATOR(pg_catalog.=) n.decision_no AND r.state OPERATOR(pg_catalog.=) '有效') AS in_force
          FROM (SELECT l.*, pg_catalog.min(l.line) OVER (PARTITION BY l.decision_no) AS first_of_no
                  FROM (SELECT s.*, $4 + pg_catalog.row_number() OVER (ORDER BY s.staging_id) AS line
                          FROM credit.collection_staging s
                         WHERE s.batch_id OPERATOR(pg_catalog.=) $1) AS l) AS n$q$;
COMMENT ON FUNCTION credit.collection_rows_sql() IS '批次行查询 (the SQL of a batch''s staged rows ($1 batch, $2 department, $3 item, $4 header lines) with their line, the first line of the same decision number, and the record in force with it)';

-- The values of a staging row s as credit.record takes them, in the order
-- of credit.record_columns().
CREATE FUNCTION credit.collection_values_sql(named boolean DEFAULT false) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(
                       CASE WHEN t.column_name OPERATOR(pg_catalog.=) 'item_code'
                            THEN 'coalesce(NULLIF(s.item_code, ''''), $2)'
                            ELSE pg_catalog.format('NULLIF(s.%I, '''')::%s', t.column_name, t.type_sql) END
                       || CASE WHEN named THEN ' AS ' || pg_catalog.quote_ident(t.column_name) ELSE '' END,
                       ', ' ORDER BY t.column_order)
              FROM credit.collection_typed_columns() t);
COMMENT ON FUNCTION credit.collection_values_sql(boolean) IS '暂存行取值 (the SQL of a staging row''s values cast to the record''s column types, in record_load''s order, named after the columns if asked; an empty text is NULL, no item the batch''s)';

-- The parts of credit.collect run only inside it, for the batch it
-- collects (credit.collecting(): backend memory only credit.collect sets).
CREATE FUNCTION credit.collection_inside(batch_id bigint, what text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.collecting() IS DISTINCT FROM collection_inside.batch_id THEN
        RAISE EXCEPTION 'batch %: % runs only inside credit.collect', batch_id, what
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Collect a batch with credit.collect(batch_id).';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.collection_inside(bigint, text) IS '仅限归集内 (refuses unless credit.collect is collecting this batch now; what: the function refused, for the message)';

-- The staged rows of a batch with a finding of the given severity (拒收:
-- the rejected rows), as the caller may see the findings.  Used as
-- "staging_id [NOT] IN (SELECT ...)": one hashed lookup per row, whatever
-- the planner estimates for the batch (a correlated NOT EXISTS became a
-- scan of the findings per row).  A plain SQL function: inlined.
CREATE FUNCTION credit.collection_found(batch_id bigint, severity text) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.staging_id FROM credit.collection_error e
     WHERE e.batch_id OPERATOR(pg_catalog.=) $1 AND e.severity OPERATOR(pg_catalog.=) $2
$$;
COMMENT ON FUNCTION credit.collection_found(bigint, text) IS '有发现的暂存行 (the staged rows of a batch with a finding of the severity, 拒收 or 警告, as the caller sees the findings)';

-- The subjects of a batch's good rows (no 拒收 finding), for the batch
-- credit.collect is collecting only: those not yet known created at once
-- (two departments creating the same subject at once: the second waits and
-- skips it, as record_before_insert does), and each good row with its
-- subject.  SECURITY DEFINER like record_before_insert: the subject table
-- is the centre's.
CREATE FUNCTION credit.collection_subjects(batch_id bigint) RETURNS TABLE (staging_id bigint, subject_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM credit.collection_inside(collection_subjects.batch_id, 'credit.collection_subjects');
    RETURN QUERY
    WITH r AS MATERIALIZED (
        SELECT s.staging_id, NULLIF(s.subject_kind, '')::credit.subject_kind AS kind,
               NULLIF(s.subject_uscc, '')::credit.uscc AS uscc,
               NULLIF(s.subject_resident_id, '')::credit.resident_id AS resident_id,
               s.subject_name AS name, NULLIF(s.legal_rep_name, '') AS legal_rep_name,
               NULLIF(s.legal_rep_id, '')::credit.resident_id AS legal_rep_id
          FROM credit.collection_staging s
         WHERE s.batch_id OPERATOR(pg_catalog.=) collection_subjects.batch_id
           AND s.staging_id NOT IN (SELECT f FROM credit.collection_found(collection_subjects.batch_id, '拒收') AS f)),
    k AS MATERIALIZED (
        SELECT r.*,
               CASE WHEN r.kind OPERATOR(pg_catalog.=) '自然人'
                    THEN (SELECT x.subject_id FROM credit.subject x WHERE x.resident_id OPERATOR(credit.=) r.resident_id)
                    ELSE (SELECT x.subject_id FROM credit.subject x WHERE x.uscc OPERATOR(credit.=) r.uscc) END AS known
          FROM r),
    -- the first row of each new code names the subject, as one INSERT per
    -- row would; one created meanwhile by another transaction is skipped
    -- (its rows get no subject here: record_before_insert finds it)
    ins AS (
        INSERT INTO credit.subject (kind, uscc, resident_id, name, legal_rep_name, legal_rep_id)
        SELECT DISTINCT ON (k.uscc, k.resident_id) k.kind,
               CASE WHEN k.kind OPERATOR(pg_catalog.<>) '自然人' THEN k.uscc END,
               CASE WHEN k.kind OPERATOR(pg_catalog.=) '自然人' THEN k.resident_id END,
               k.name, k.legal_rep_name, k.legal_rep_id
          FROM k
         WHERE k.known IS NULL
         ORDER BY k.uscc, k.resident_id, k.staging_id
        ON CONFLICT DO NOTHING
        RETURNING credit.subject.subject_id, credit.subject.uscc, credit.subject.resident_id)
    SELECT k.staging_id, coalesce(k.known, iu.subject_id, ir.subject_id)
      FROM k
      LEFT JOIN ins iu ON k.known IS NULL AND k.kind OPERATOR(pg_catalog.<>) '自然人' AND iu.uscc OPERATOR(credit.=) k.uscc
      LEFT JOIN ins ir ON k.known IS NULL AND k.kind OPERATOR(pg_catalog.=) '自然人' AND ir.resident_id OPERATOR(credit.=) k.resident_id;
END
$$;
COMMENT ON FUNCTION credit.collection_subjects(bigint) IS '批次主体 (the subject of each good row of the batch credit.collect is collecting: found by its code, or created once for the batch; only inside credit.collect)';

-- The statement credit.collection_store runs: the good rows of a batch
-- (no 拒收 finding) into credit.record in one INSERT, with the derived
-- columns once for the batch (what record_before_insert
-- computes per row, which a row with its subject here skips): the
-- category and default disclosure of the item, the publicity
-- period of each severity and decision date, the subject.  A row
-- that trigger would refuse (a natural person's record 公开, a
-- severity against the item's polarity, no name, no period) gets no
-- subject here, so the trigger sees it and says why.
-- Parameters: $1 batch, $2 its item, $3 category, $4 default disclosure,
-- $5 polarity, $6 publicity months of the item.  Returns the number of
-- records stored and the distinct keys of their foreign keys.
CREATE FUNCTION credit.collection_store_sql() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN pg_catalog.format($q$
        WITH t AS MATERIALIZED (
            SELECT s.staging_id, %3$s FROM credit.collection_staging s
             WHERE s.batch_id OPERATOR(pg_catalog.=) $1
               AND s.staging_id NOT IN (SELECT f FROM credit.collection_found($1, '拒收') AS f)),
        -- the period of each severity and decision date of the batch, once
        p AS MATERIALIZED (
            SELECT d.severity, d.decision_date, pp.rule_set, pp.min_months, pp.max_months, pp.published
              FROM (SELECT DISTINCT t.severity, t.decision_date FROM t
                     WHERE t.severity IS NOT NULL AND t.decision_date IS NOT NULL) AS d
             CROSS JOIN LATERAL credit.publicity_period($2, d.severity, d.decision_date) AS pp
             WHERE $5 OPERATOR(pg_catalog.=) '失信' AND pp.rule_set IS NOT NULL),
        ins AS (
        INSERT INTO credit.record (%1$s, category, subject_id, publicity_start, publicity_end, rule_set,
                                   publicity_min_end, publicity_max_end, publicity_state, publicity_reason)
        SELECT %2$s, $3,
               CASE WHEN t.subject_name IS NOT NULL AND pg_catalog.btrim(t.subject_name) OPERATOR(pg_catalog.<>) ''
                     AND NOT (t.subject_kind OPERATOR(pg_catalog.=) '自然人'
                              AND coalesce(t.disclosure, $4) OPERATOR(pg_catalog.=) '公开')
                     AND (t.severity IS NOT NULL) OPERATOR(pg_catalog.=) ($5 OPERATOR(pg_catalog.=) '失信')
                     AND ($5 OPERATOR(pg_catalog.<>) '失信' OR p.rule_set IS NOT NULL)
                    THEN j.subject_id END,
               t.decision_date,
               CASE WHEN $5 OPERATOR(pg_catalog.<>) '失信' THEN m.months_end
                    WHEN p.published THEN m.max_end ELSE t.decision_date END,
               p.rule_set,
               CASE WHEN p.rule_set IS NOT NULL
                    THEN LEAST((t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => p.min_months))::date, m.max_end) END,
               CASE WHEN $5 OPERATOR(pg_catalog.<>) '失信' THEN m.months_end ELSE m.max_end END,
               CASE WHEN p.published OPERATOR(pg_catalog.=) false THEN '不公示' ELSE '公示中' END,
               CASE WHEN p.published OPERATOR(pg_catalog.=) false THEN p.rule_set OPERATOR(pg_catalog.||) ': 不予公示' END
          FROM t
          LEFT JOIN credit.collection_subjects($1) AS j ON j.staging_id OPERATOR(pg_catalog.=) t.staging_id
          LEFT JOIN p ON p.severity OPERATOR(pg_catalog.=) t.severity AND p.decision_date OPERATOR(pg_catalog.=) t.decision_date
          -- at most 5 years from the end of the conduct
          CROSS JOIN LATERAL (
              SELECT LEAST((t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => p.max_months))::date,
                                      (coalesce(t.conduct_end_date, t.decision_date) OPERATOR(pg_catalog.+) '5 years'::interval)::date) AS max_end,
                     (t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => $6))::date AS months_end) AS m
         ORDER BY t.staging_id
        RETURNING credit.record.item_code, credit.record.department_id, credit.record.subject_id, credit.record.corrects)
        -- the rows stored, and each distinct key of their foreign keys
        -- (checked by credit.collection_store, in this order)
        SELECT pg_catalog.count(*),
               ARRAY(SELECT DISTINCT ins.item_code FROM ins) AS item_code,
               ARRAY(SELECT DISTINCT ins.department_id FROM ins) AS department_id,
               ARRAY(SELECT DISTINCT ins.subject_id FROM ins) AS subject_id,
               ARRAY(SELECT DISTINCT ins.corrects FROM ins WHERE ins.corrects IS NOT NULL) AS corrects
          FROM ins$q$,
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        (SELECT pg_catalog.string_agg(CASE WHEN c.column_name OPERATOR(pg_catalog.=) 'disclosure'
                                           THEN 'coalesce(t.disclosure, $4)'
                                           ELSE 't.' || pg_catalog.quote_ident(c.column_name) END,
                                      ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        credit.collection_values_sql(true));
COMMENT ON FUNCTION credit.collection_store_sql() IS '批次入库语句 (the SQL of the INSERT of a batch''s good rows into credit.record, the derived columns computed once for the batch; returns the number stored and the distinct keys of their foreign keys; run by credit.collection_store only)';

-- The batch's INSERT (C, collection.c), only inside credit.collect for the
-- batch it collects: credit.collection_store_sql() as the calling role, the
-- per-row checks of credit.record's foreign keys replaced by one check of
-- each distinct key for the batch (the same rows found and locked FOR KEY
-- SHARE, as the referenced table's owner; docs/decisions.md).  Returns the
-- number of records stored, which the batch close then takes
-- (credit.collection_stored).
CREATE FUNCTION credit.collection_store(batch_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_store' LANGUAGE C STRICT;
COMMENT ON FUNCTION credit.collection_store(bigint) IS '批次入库 (C: the good rows of the batch credit.collect is collecting into credit.record in one INSERT, their foreign keys checked and locked once per distinct key; only inside credit.collect, once; returns the number stored)';
CREATE FUNCTION credit.collection_stored(batch_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_stored' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.collection_stored(bigint) IS '批次已入库数 (inside credit.collect: the number of records credit.collection_store stored for the batch; NULL otherwise)';

-- Collect a batch: check every staged row set-based, keep what is wrong,
-- store the good rows in one INSERT as the calling role (the record's own
-- triggers and policies apply, as to a single INSERT), and close the
-- batch (credit.collection_batch_close counts it).  If the INSERT refuses
-- a row the checks let through, the good rows go in one by one and each
-- refused one is reported under the rule insert: no good row is lost.
CREATE FUNCTION credit.collection_run(batch_id bigint) RETURNS credit.collection_batch
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    b credit.collection_batch;
    item credit.catalogue_item;
    insert_sql text;
    one_sql text;
    row record;
    msg text;
    state text;
BEGIN
    PERFORM credit.collection_inside(collection_run.batch_id, 'credit.collection_run');
    SELECT * INTO b FROM credit.collection_batch x
     WHERE x.batch_id OPERATOR(pg_catalog.=) collection_run.batch_id AND x.state OPERATOR(pg_catalog.=) '待归集'
       AND x.opened_by OPERATOR(pg_catalog.=) current_user::regrole
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'batch % is not an open batch of yours', batch_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Open a batch with credit.open_batch(item_code, file_name), load it with COPY credit.collection_load, collect it once, as the role that opened it.';
    END IF;
    SELECT * INTO item FROM credit.catalogue_item i WHERE i.item_code OPERATOR(pg_catalog.=) b.item_code;

    -- every finding of every row, in one pass
    EXECUTE pg_catalog.format($q$
        INSERT INTO credit.collection_error (batch_id, department_id, staging_id, line_no, column_name, rule, severity, message)
        SELECT $1, $2, f.staging_id, f.line, (f.x).column_name, (f.x).rule, ru.severity, (f.x).message
          FROM (SELECT s.staging_id, s.line, pg_catalog.unnest(s.findings) AS x
                  FROM (SELECT s.staging_id, s.line, pg_catalog.array_remove(%s, NULL) AS findings
                          FROM (%s) AS s) AS s
                 WHERE pg_catalog.cardinality(s.findings) OPERATOR(pg_catalog.>) 0) AS f
          JOIN credit.collection_rule ru ON ru.rule OPERATOR(pg_catalog.=) (f.x).rule AND ru.enabled
         ORDER BY f.line$q$, credit.collection_checks(item), credit.collection_rows_sql())
        USING b.batch_id, b.department_id, b.item_code, b.header_lines;

    -- the good rows, in one statement
    insert_sql := pg_catalog.format(
        'INSERT INTO credit.record (%s) SELECT %s FROM credit.collection_staging s '
        'WHERE s.batch_id OPERATOR(pg_catalog.=) $1 AND %%s NOT EXISTS (SELECT FROM credit.collection_error e '
        'WHERE e.staging_id OPERATOR(pg_catalog.=) s.staging_id AND e.severity OPERATOR(pg_catalog.=) ''拒收'') '
        'ORDER BY s.staging_id',
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        credit.collection_values_sql());
    BEGIN
        PERFORM credit.collection_store(b.batch_id);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
        -- not about a row: the whole call fails, nothing is lost
        IF pg_catalog.left(state, 2) IN ('40', '53', '54', '57', '58', 'XX') THEN
            RAISE;
        END IF;
        one_sql := pg_catalog.format(insert_sql, 's.staging_id OPERATOR(pg_catalog.=) $3 AND');
        FOR row IN EXECUTE pg_catalog.format('SELECT s.staging_id, s.line FROM (%s) AS s ORDER BY s.staging_id',
                                             credit.collection_rows_sql())
                   USING b.batch_id, b.department_id, b.item_code, b.header_lines
        LOOP
            CONTINUE WHEN EXISTS (SELECT FROM credit.collection_error e
                                   WHERE e.staging_id OPERATOR(pg_catalog.=) row.staging_id
                                     AND e.severity OPERATOR(pg_catalog.=) '拒收');
            BEGIN
                EXECUTE one_sql USING b.batch_id, b.item_code, row.staging_id;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
                IF pg_catalog.left(state, 2) IN ('40', '53', '54', '57', '58', 'XX') THEN
                    RAISE;
                END IF;
                INSERT INTO credit.collection_error (batch_id, department_id, staging_id, line_no, column_name, rule, severity, message)
                VALUES (b.batch_id, b.department_id, row.staging_id, row.line, NULL, 'insert', '拒收', msg);
            END;
        END LOOP;
    END;

    UPDATE credit.collection_batch x SET state = '已归集'
     WHERE x.batch_id OPERATOR(pg_catalog.=) b.batch_id
    RETURNING * INTO b;
    RETURN b;
END
$$;
COMMENT ON FUNCTION credit.collection_run(bigint) IS '归集批次执行 (the body of credit.collect, as the calling role: only inside credit.collect, for the batch it collects)';

-- credit.collect in C (collection.c): it notes the batch it collects in
-- backend memory (credit.collecting()) while credit.collection_run runs;
-- nothing else can.
CREATE FUNCTION credit.collect(batch_id bigint) RETURNS credit.collection_batch
    AS 'MODULE_PATHNAME', 'collection_collect' LANGUAGE C;
COMMENT ON FUNCTION credit.collect(bigint) IS '归集批次 (collect a batch: every staged row checked in one pass against credit.collection_rule, each finding kept in collection_error with its line, column, rule and a masked message; the rows without a 拒收 finding stored in credit.record in one INSERT as the calling role; the batch closed with its counts; returns the batch)';

-- Closing a batch: the counts come from the tables, not from the caller.
-- The rows without a 拒收 finding must be records in force of the batch's
-- department and role (they were stored): they leave staging; the rejected
-- rows stay, with their line.
CREATE FUNCTION credit.collection_batch_close() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    noted bigint;
    stored integer;
    good integer;
    bad integer;
    warn integer;
    late_rows integer;
    category credit.catalogue_category;
BEGIN
    IF OLD.state OPERATOR(pg_catalog.<>) '待归集' OR NEW.state OPERATOR(pg_catalog.<>) '已归集' THEN
        RAISE EXCEPTION 'batch % is %: a batch is collected once', OLD.batch_id, OLD.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Open a new batch with credit.open_batch(item_code, file_name).';
    END IF;
    SELECT i.category INTO category FROM credit.catalogue_item i WHERE i.item_code OPERATOR(pg_catalog.=) NEW.item_code;
    UPDATE credit.collection_staging s SET line_no = e.line_no
      FROM (SELECT DISTINCT e.staging_id, e.line_no FROM credit.collection_error e
             WHERE e.batch_id OPERATOR(pg_catalog.=) NEW.batch_id) AS e
     WHERE s.staging_id OPERATOR(pg_catalog.=) e.staging_id;
    -- inside credit.collect, the records its INSERT stored (each good row
    -- once, as the role, in force: it returned their number); otherwise
    -- each good row's record in force, of the department and role, stored
    -- since the batch was opened, is looked up
    noted := credit.collection_stored(NEW.batch_id);
    WITH x AS (
        SELECT s.staging_id,
               s.staging_id IN (SELECT f FROM credit.collection_found(NEW.batch_id, '拒收') AS f) AS rejected,
               s.staging_id IN (SELECT f FROM credit.collection_found(NEW.batch_id, '警告') AS f) AS warned,
               (noted IS NOT NULL OR r.record_id IS NOT NULL) AS stored,
               CASE WHEN noted IS NULL THEN r.decision_date
                    WHEN credit.collection_is_date(s.decision_date) THEN s.decision_date::date END AS decision_date
          FROM credit.collection_staging s
          LEFT JOIN credit.record r
            ON noted IS NULL
           AND r.department_id OPERATOR(pg_catalog.=) NEW.department_id AND r.item_code OPERATOR(pg_catalog.=) NEW.item_code
           AND r.decision_no OPERATOR(pg_catalog.=) s.decision_no AND r.state OPERATOR(pg_catalog.=) '有效'
           AND r.submitted_by OPERATOR(pg_catalog.=) NEW.opened_by AND r.submitted_at OPERATOR(pg_catalog.>=) NEW.opened_at
         WHERE s.batch_id OPERATOR(pg_catalog.=) NEW.batch_id AND s.department_id OPERATOR(pg_catalog.=) NEW.department_id),
    -- by decision date, so that the due date is counted once per date
    g AS (
        SELECT x.decision_date,
               pg_catalog.count(*) FILTER (WHERE x.rejected) AS bad,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected) AS good,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected AND x.warned) AS warn,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected AND x.stored) AS stored
          FROM x GROUP BY x.decision_date)
    -- 双公示: published within 7 working days of the decision
    SELECT coalesce(pg_catalog.sum(g.bad), 0), coalesce(pg_catalog.sum(g.good), 0), coalesce(pg_catalog.sum(g.warn), 0),
           coalesce(pg_catalog.sum(g.stored), 0),
           coalesce(pg_catalog.sum(g.stored) FILTER (WHERE category IN ('行政许可', '行政处罚') AND g.decision_date IS NOT NULL
                                                   AND credit.legal_date() OPERATOR(pg_catalog.>) credit.add_working_days(g.decision_date, 7)), 0)
      INTO bad, good, warn, stored, late_rows
      FROM g;
    IF noted IS NOT NULL THEN
        stored := noted;
    END IF;
    IF stored OPERATOR(pg_catalog.<>) good THEN
        RAISE EXCEPTION 'batch %: % of its % good rows were not stored', NEW.batch_id, good - stored, good
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Collect a batch with credit.collect(batch_id).';
    END IF;
    DELETE FROM credit.collection_staging s
     WHERE s.batch_id OPERATOR(pg_catalog.=) NEW.batch_id
       AND s.staging_id NOT IN (SELECT f FROM credit.collection_found(NEW.batch_id, '拒收') AS f);
    NEW.received := good + bad;
    NEW.accepted := good;
    NEW.rejected := bad;
    NEW.warned := warn;
    NEW.late := late_rows;
    NEW.collected_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.collection_batch_close() IS '触发器: 批次归集完成 (trigger: a batch goes from 待归集 to 已归集 once; its counts are taken from the staged rows, their findings and the records stored; the stored rows leave staging, the rejected ones stay with their line)';
CREATE TRIGGER collection_batch_close BEFORE UPDATE ON credit.collection_batch
    FOR EACH ROW EXECUTE FUNCTION credit.collection_batch_close();

-- ------------------------------------------------------------------
-- Quality, per department and month
-- ------------------------------------------------------------------
CREATE VIEW credit.collection_quality WITH (security_invoker = true) AS
SELECT b.department_id,
       d.name AS department,
       pg_catalog.date_trunc('month', b.received_on)::date AS month,
       pg_catalog.count(*) AS batches,
       pg_catalog.count(*) FILTER (WHERE b.state = '已归集') AS collected,
       pg_catalog.sum(b.received) AS received,
       pg_catalog.sum(b.accepted) AS accepted,
       pg_catalog.sum(b.rejected) AS rejected,
       pg_catalog.sum(b.warned) AS warned,
       pg_catalog.round(pg_catalog.sum(b.accepted)::numeric / NULLIF(pg_catalog.sum(b.received), 0), 4) AS acceptance_rate,
       pg_catalog.sum(b.late) AS late,
       pg_catalog.sum(o.open_errors) AS open_errors
  FROM credit.collection_batch b
  JOIN credit.department d ON d.department_id = b.department_id
  CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS open_errors FROM credit.collection_error e
                       WHERE e.batch_id = b.batch_id AND e.severity = '拒收'
                         AND EXISTS (SELECT FROM credit.collection_staging s WHERE s.staging_id = e.staging_id)) AS o
 GROUP BY b.department_id, d.name, pg_catalog.date_trunc('month', b.received_on)::date;
COMMENT ON VIEW credit.collection_quality IS '归集质量 (per department and month of receipt: batches, rows received, accepted, rejected, warned, the acceptance rate, 双公示 decisions stored more than 7 working days late (credit.add_working_days), and the errors still open: their rejected row still waits in staging); shows what the caller may see';
COMMENT ON COLUMN credit.collection_quality.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.collection_quality.department IS '部门 (department)';
COMMENT ON COLUMN credit.collection_quality.month IS '月份 (month the batches were received, first day)';
COMMENT ON COLUMN credit.collection_quality.batches IS '批次数 (batches)';
COMMENT ON COLUMN credit.collection_quality.collected IS '已归集批次 (batches collected)';
COMMENT ON COLUMN credit.collection_quality.received IS '接收行数 (rows received)';
COMMENT ON COLUMN credit.collection_quality.accepted IS '入库行数 (rows stored)';
COMMENT ON COLUMN credit.collection_quality.rejected IS '拒收行数 (rows rejected)';
COMMENT ON COLUMN credit.collection_quality.warned IS '警告行数 (rows stored with a warning)';
COMMENT ON COLUMN credit.collection_quality.acceptance_rate IS '入库率 (accepted / received)';
COMMENT ON COLUMN credit.collection_quality.late IS '逾期公示 (双公示 decisions stored more than 7 working days after the decision)';
COMMENT ON COLUMN credit.collection_quality.open_errors IS '未处理错误 (拒收 findings whose row still waits in staging)';

SELECT pg_catalog.pg_extension_config_dump('credit.collection_batch', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_staging', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_error', '');
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
COMMENT ON FUNCTION credit.record_department_reads(integer, credit.disclosure_level, credit.record_state, text, date) IS '部门可读记录 (row predicate of record_department: is the calling role registered as a department, and the record its own, in any state, or 部门共享, 有效, not 已修复 and inside its publicity period? the same as credit.in_department_scope(CASE WHEN disclosure = ''部门共享'' AND state = ''有效'' AND publicity_state <> ''已修复'' AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0 ELSE department_id END))';
CREATE FUNCTION credit.record_authorised_reads(subject_id bigint, category credit.catalogue_category,
                                               disclosure credit.disclosure_level, state credit.record_state,
                                               publicity_state text, publicity_end date)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_record_authorised_reads' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.record_authorised_reads(bigint, credit.catalogue_category, credit.disclosure_level, credit.record_state, text, date) IS '授权可读记录 (row predicate of record_authorised: is the record 授权查询, 有效, not 已修复, inside its publicity period, and covered by an authorisation the calling role has open? the same as disclosure = ''授权查询'' AND state = ''有效'' AND publicity_state <> ''已修复'' AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) AND credit.authorised_for(subject_id, category))';

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

CREATE VIEW credit.public_list_entry AS
SELECT e.entry_id, e.list_kind, k.name AS list_name, k.colour, e.subject_id, e.department_id,
       e.disclosure, e.reasons, e.listed_on, e.expires_on, e.dispute_mark, k.legal_basis, k.removal_conditions, k.remedies
  FROM credit.list_entry e JOIN credit.list_kind k USING (list_kind);
ALTER VIEW credit.public_record OWNER TO credit_public_views;
ALTER VIEW credit.public_subject OWNER TO credit_public_views;
ALTER VIEW credit.public_list_entry OWNER TO credit_public_views;
COMMENT ON VIEW credit.public_list_entry IS '公示名单 (list entries as the public sees them: public entries inside their term, and for the portal acting for a subject that subject''s own)';

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
        IF src IS NULL AND v.base = 'credit.list_entry'::regclass THEN
            -- what every listing states, from its kind (legal basis, removal conditions, remedies)
            SELECT pg_catalog.col_description('credit.list_kind'::regclass, b.attnum) INTO src
              FROM pg_attribute b WHERE b.attrelid = 'credit.list_kind'::regclass AND b.attname = v.col;
        END IF;
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
-- The install script, part 50: layer 5, the workflow engine.
-- Each machine (record publicity, list entry, objection, repair) is data:
-- its states, its transitions (who may make each, whether a reason is
-- required) and its deadlines.  One generic guard trigger enforces every
-- machine; every accepted transition leaves an event row; a state changes
-- only through credit.transition(), whose request is kept in backend memory
-- by C (extension/workflow.c), so a plain UPDATE of a state column, a
-- timestamp or a deadline is refused for every role, the owner included.
-- The machines themselves: 51_publicity.sql, 52_objection.sql, 53_repair.sql.

CREATE TABLE credit.machine (
    machine        text PRIMARY KEY CHECK (machine ~ '^[a-z_]{1,32}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    table_name     regclass NOT NULL,
    key_column     name NOT NULL,
    state_column   name NOT NULL,
    reason_column  name NOT NULL,
    since_column   name NOT NULL,
    owned_columns  name[] NOT NULL
);
COMMENT ON TABLE credit.machine IS '流程状态机 (workflow machines: the table each one moves, its state column and the columns that belong to it)';
COMMENT ON COLUMN credit.machine.machine IS '状态机代码 (machine code, e.g. objection)';
COMMENT ON COLUMN credit.machine.name IS '状态机名称 (name, e.g. 异议)';
COMMENT ON COLUMN credit.machine.table_name IS '对象表 (the table of its objects)';
COMMENT ON COLUMN credit.machine.key_column IS '主键列 (the key column of that table)';
COMMENT ON COLUMN credit.machine.state_column IS '状态列 (the state column)';
COMMENT ON COLUMN credit.machine.reason_column IS '原因列 (column keeping the reason of the last transition)';
COMMENT ON COLUMN credit.machine.since_column IS '状态时间列 (column keeping when the state was entered)';
COMMENT ON COLUMN credit.machine.owned_columns IS '状态机专属列 (columns that change only with a transition: state, timestamps, deadlines)';

CREATE TABLE credit.machine_state (
    machine   text NOT NULL REFERENCES credit.machine ON UPDATE CASCADE,
    state     text NOT NULL CHECK (btrim(state) <> ''),
    initial   boolean NOT NULL DEFAULT false,
    terminal  boolean NOT NULL DEFAULT false,
    meaning   text NOT NULL,
    PRIMARY KEY (machine, state),
    CHECK (NOT (initial AND terminal))
);
COMMENT ON TABLE credit.machine_state IS '状态 (the states of each machine)';
COMMENT ON COLUMN credit.machine_state.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_state.state IS '状态 (state, the official term)';
COMMENT ON COLUMN credit.machine_state.initial IS '初始状态 (an object may start here)';
COMMENT ON COLUMN credit.machine_state.terminal IS '终止状态 (nothing is pending once here)';
COMMENT ON COLUMN credit.machine_state.meaning IS '含义 (meaning, in English)';

CREATE TABLE credit.machine_transition (
    machine          text NOT NULL,
    from_state       text NOT NULL,
    to_state         text NOT NULL,
    action           text NOT NULL CHECK (btrim(action) <> ''),
    party_kinds      credit.party_kind[] NOT NULL DEFAULT '{}',
    by_engine        boolean NOT NULL DEFAULT false,
    reason_required  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (machine, from_state, to_state),
    FOREIGN KEY (machine, from_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, to_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    CHECK (cardinality(party_kinds) > 0 OR by_engine)
);
COMMENT ON TABLE credit.machine_transition IS '允许的状态转换 (the allowed transitions of each machine: who may make them and whether a reason is required)';
COMMENT ON COLUMN credit.machine_transition.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_transition.from_state IS '原状态 (from)';
COMMENT ON COLUMN credit.machine_transition.to_state IS '新状态 (to; the same as from for a step that keeps the state, e.g. 延期)';
COMMENT ON COLUMN credit.machine_transition.action IS '操作 (the action, e.g. 受理)';
COMMENT ON COLUMN credit.machine_transition.party_kinds IS '可操作的参与方类别 (kinds of party that may make it)';
COMMENT ON COLUMN credit.machine_transition.by_engine IS '由系统执行 (made by the engine: the sweep or a side effect of another machine)';
COMMENT ON COLUMN credit.machine_transition.reason_required IS '须说明原因 (a reason is required)';

CREATE TABLE credit.machine_deadline (
    machine        text NOT NULL,
    state          text NOT NULL,
    deadline_column name NOT NULL,
    working_days   integer NOT NULL CHECK (working_days > 0),
    counted_from   text,
    counted_from_column name,
    from_state     text,
    source         text NOT NULL CHECK (btrim(source) <> ''),
    PRIMARY KEY (machine, state, deadline_column),
    FOREIGN KEY (machine, state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, counted_from) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, from_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    CHECK (counted_from IS NULL OR counted_from_column IS NULL)
);
COMMENT ON TABLE credit.machine_deadline IS '办理时限 (deadline profile: when an object enters a state, a deadline column is set to a number of working days after that day, or after the day it entered another state)';
COMMENT ON COLUMN credit.machine_deadline.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_deadline.state IS '进入状态 (set when the object enters this state)';
COMMENT ON COLUMN credit.machine_deadline.deadline_column IS '时限列 (the deadline column it sets)';
COMMENT ON COLUMN credit.machine_deadline.working_days IS '工作日数 (working days)';
COMMENT ON COLUMN credit.machine_deadline.counted_from IS '起算状态 (counted from the day the object entered this state; NULL: from the day of the transition)';
COMMENT ON COLUMN credit.machine_deadline.counted_from_column IS '起算日期列 (counted from the date in this column of the object, e.g. a list entry''s end of term; NULL in it: no deadline; NULL: from the day of the transition or of counted_from)';
COMMENT ON COLUMN credit.machine_deadline.from_state IS '来源状态 (set only when the object enters state from this one, e.g. a step that keeps the state; NULL: however it enters it, its creation included)';
COMMENT ON COLUMN credit.machine_deadline.source IS '依据 (source of the figure)';

-- A deadline of a machine counted from a date, for an effect that moves
-- the date the guard counted from (a list entry's 延期 moves its end of
-- term): NULL when the machine has no such deadline or the date is NULL.
CREATE FUNCTION credit.deadline_after(machine text, state text, deadline_column name, base date) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT credit.add_working_days(deadline_after.base, d.working_days)
              FROM credit.machine_deadline d
             WHERE d.machine OPERATOR(pg_catalog.=) deadline_after.machine
               AND d.state OPERATOR(pg_catalog.=) deadline_after.state
               AND d.deadline_column OPERATOR(pg_catalog.=) deadline_after.deadline_column);
COMMENT ON FUNCTION credit.deadline_after(text, text, name, date) IS '时限日期 (the deadline a row of credit.machine_deadline gives counted from a date: its working days after it; NULL without the row or the date)';

-- ------------------------------------------------------------------
-- The machine rows are checked when they are written: the guard (C) writes
-- into the columns they name, so a row naming a column of the wrong type,
-- the key or another machine's column would make it corrupt rows.  The
-- same checks run again when the guard loads the rows (machines.c), for a
-- row that an ALTER TABLE made wrong since.  credit.machine_state needs no
-- more than its constraints: the guard reads only its initial states.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.machine_column_problem(tab regclass, col name, typ regtype) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT CASE WHEN col IS NULL THEN 'a column name is null'
                        WHEN a.attnum IS NULL THEN pg_catalog.format('table %s has no column "%s"', tab, col)
                        WHEN a.attgenerated OPERATOR(pg_catalog.<>) '' THEN pg_catalog.format('column "%s" of %s is generated', col, tab)
                        WHEN typ IS NOT NULL AND a.atttypid OPERATOR(pg_catalog.<>) typ
                        THEN pg_catalog.format('column "%s" of %s is of type %s, not %s', col, tab,
                                               a.atttypid::pg_catalog.regtype, typ)
                   END
              FROM (SELECT) AS one
              LEFT JOIN pg_catalog.pg_attribute a
                ON a.attrelid OPERATOR(pg_catalog.=) tab AND a.attname OPERATOR(pg_catalog.=) col
               AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped);
COMMENT ON FUNCTION credit.machine_column_problem(regclass, name, regtype) IS '状态机列检查 (what is wrong with a column a machine row names: missing, a system or generated column, or not of the given type (NULL: any); NULL when nothing is)';

CREATE FUNCTION credit.machine_deadline_problem(machine text, deadline_column name, counted_from_column name) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT CASE WHEN m.machine IS NULL THEN pg_catalog.format('there is no machine "%s"', machine_deadline_problem.machine)
                        WHEN credit.machine_column_problem(m.table_name, machine_deadline_problem.deadline_column, 'pg_catalog.date'::pg_catalog.regtype) IS NOT NULL
                        THEN credit.machine_column_problem(m.table_name, machine_deadline_problem.deadline_column, 'pg_catalog.date'::pg_catalog.regtype)
                        WHEN machine_deadline_problem.deadline_column OPERATOR(pg_catalog.=) ANY
                             (ARRAY[m.key_column, m.state_column, m.reason_column, m.since_column])
                        THEN 'the deadline column is the key, state, reason or since column'
                        WHEN NOT machine_deadline_problem.deadline_column OPERATOR(pg_catalog.=) ANY (m.owned_columns)
                        THEN 'the deadline column is not one of the machine''s owned_columns'
                        WHEN machine_deadline_problem.counted_from_column IS NOT NULL
                        THEN credit.machine_column_problem(m.table_name, machine_deadline_problem.counted_from_column,
                                                           'pg_catalog.date'::pg_catalog.regtype)
                   END
              FROM (SELECT) AS one
              LEFT JOIN credit.machine m ON m.machine OPERATOR(pg_catalog.=) machine_deadline_problem.machine);
COMMENT ON FUNCTION credit.machine_deadline_problem(text, name, name) IS '时限列检查 (what is wrong with a deadline column: it must be a date column of the machine''s own table that the machine owns, not its key, state, reason or since column; the column it counts from, if any, a date column of that table; NULL when nothing is)';

CREATE FUNCTION credit.machine_rows_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problem pg_catalog.text;
    row_name pg_catalog.text;
BEGIN
    IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine' THEN
        row_name := NEW.machine;
        SELECT CASE WHEN c.relkind IS NULL OR c.relkind OPERATOR(pg_catalog.<>) ALL (ARRAY['r', 'p']::pg_catalog."char"[])
                    THEN pg_catalog.format('%s is not a table', NEW.table_name)
                    -- two machines may share a table (record and record_publicity),
                    -- never a column
                    WHEN EXISTS (SELECT FROM credit.machine o WHERE o.table_name OPERATOR(pg_catalog.=) NEW.table_name
                                                               AND o.machine OPERATOR(pg_catalog.<>) NEW.machine
                                                               AND o.owned_columns OPERATOR(pg_catalog.&&) NEW.owned_columns)
                    THEN pg_catalog.format('owned_columns overlap those of another machine of table %s', NEW.table_name)
               END INTO problem
          FROM (SELECT) AS one
          LEFT JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) NEW.table_name;
        problem := coalesce(problem,
                            credit.machine_column_problem(NEW.table_name, NEW.key_column, 'pg_catalog.int8'::pg_catalog.regtype),
                            credit.machine_column_problem(NEW.table_name, NEW.state_column, NULL),
                            -- the state is text, or an enum (credit.record.state)
                            (SELECT pg_catalog.format('state column "%s" of %s is of type %s, not text or an enum',
                                                      NEW.state_column, NEW.table_name, a.atttypid::pg_catalog.regtype)
                               FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
                              WHERE a.attrelid OPERATOR(pg_catalog.=) NEW.table_name AND a.attname OPERATOR(pg_catalog.=) NEW.state_column
                                AND a.atttypid OPERATOR(pg_catalog.<>) 'pg_catalog.text'::pg_catalog.regtype
                                AND t.typtype OPERATOR(pg_catalog.<>) 'e'),
                            credit.machine_column_problem(NEW.table_name, NEW.reason_column, 'pg_catalog.text'::pg_catalog.regtype),
                            credit.machine_column_problem(NEW.table_name, NEW.since_column, 'pg_catalog.timestamptz'::pg_catalog.regtype),
                            CASE WHEN pg_catalog.array_position(NEW.owned_columns, NULL) IS NOT NULL
                                 THEN 'owned_columns holds a null'
                                 WHEN NEW.key_column OPERATOR(pg_catalog.=) ANY (NEW.owned_columns)
                                 THEN 'owned_columns holds the key column'
                                 WHEN NOT ARRAY[NEW.state_column, NEW.reason_column, NEW.since_column]
                                          OPERATOR(pg_catalog.<@) NEW.owned_columns
                                 THEN 'owned_columns must hold the state, reason and since columns'
                            END,
                            (SELECT pg_catalog.min(credit.machine_column_problem(NEW.table_name, o, NULL))
                               FROM pg_catalog.unnest(NEW.owned_columns) AS o));
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine_transition' THEN
        row_name := pg_catalog.format('%s, %s to %s', NEW.machine, NEW.from_state, NEW.to_state);
        IF pg_catalog.array_ndims(NEW.party_kinds) OPERATOR(pg_catalog.>) 1 THEN
            problem := 'party_kinds is not a one-dimensional array';
        ELSIF pg_catalog.array_position(NEW.party_kinds, NULL) IS NOT NULL THEN
            problem := 'party_kinds holds a null';
        END IF;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine_deadline' THEN
        row_name := pg_catalog.format('%s, %s, %s', NEW.machine, NEW.state, NEW.deadline_column);
        problem := credit.machine_deadline_problem(NEW.machine, NEW.deadline_column, NEW.counted_from_column);
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'invalid row of credit.% (%): %', TG_TABLE_NAME, row_name, problem
            USING ERRCODE = 'check_violation',
                  DETAIL = 'The workflow guard writes into the columns a machine row names.',
                  HINT = 'See "Machines are data" in docs/workflows.md for what each column must be.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.machine_rows_check() IS '触发器: 状态机定义检查 (trigger: a row of credit.machine, machine_transition or machine_deadline names columns of its own table of the types the guard writes, a deadline column is a date column the machine owns, party_kinds holds no null)';

-- After a change of a machine: its deadlines still fit it.
CREATE FUNCTION credit.machine_deadlines_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d pg_catalog.record;
BEGIN
    SELECT x.machine, x.state, x.deadline_column,
           credit.machine_deadline_problem(x.machine, x.deadline_column, x.counted_from_column) AS problem
      INTO d
      FROM credit.machine_deadline x
     WHERE x.machine OPERATOR(pg_catalog.=) NEW.machine
       AND credit.machine_deadline_problem(x.machine, x.deadline_column, x.counted_from_column) IS NOT NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid row of credit.machine_deadline (%, %, %): %', d.machine, d.state, d.deadline_column, d.problem
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('The change of machine %s leaves a deadline that does not fit it.', NEW.machine),
                  HINT = 'Change or delete the deadline first.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.machine_deadlines_check() IS '触发器: 状态机变更后的时限检查 (trigger, after a machine row changes: every deadline of the machine still names a date column it owns)';

CREATE TRIGGER machine_rows_check BEFORE INSERT OR UPDATE ON credit.machine
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();
CREATE TRIGGER machine_deadlines_check AFTER UPDATE ON credit.machine
    FOR EACH ROW EXECUTE FUNCTION credit.machine_deadlines_check();
CREATE TRIGGER machine_transition_rows_check BEFORE INSERT OR UPDATE ON credit.machine_transition
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();
CREATE TRIGGER machine_deadline_rows_check BEFORE INSERT OR UPDATE ON credit.machine_deadline
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();

CREATE TABLE credit.workflow_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- (no foreign key: only the guard writes events, for its own machine,
    -- and a key check would lock the machine's row for every event)
    machine     text NOT NULL,
    object_id   bigint NOT NULL,
    from_state  text NOT NULL,
    to_state    text NOT NULL,
    party       regrole NOT NULL DEFAULT current_user::regrole,
    party_kind  credit.party_kind,
    at          timestamptz NOT NULL DEFAULT now(),
    reason      text,
    details     jsonb,
    details_public jsonb GENERATED ALWAYS AS (credit.mask_details(details)) STORED
);
CREATE INDEX workflow_event_object ON credit.workflow_event (machine, object_id, event_id);
COMMENT ON TABLE credit.workflow_event IS '流程事件 (one row per accepted transition, written in the same transaction: machine, object, from, to, party, time, reason; append-only)';
COMMENT ON COLUMN credit.workflow_event.event_id IS '事件编号 (internal id)';
COMMENT ON COLUMN credit.workflow_event.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_event.object_id IS '对象编号 (the object moved: objection_id, repair_id, entry_id, record_id)';
COMMENT ON COLUMN credit.workflow_event.from_state IS '原状态 (from)';
COMMENT ON COLUMN credit.workflow_event.to_state IS '新状态 (to)';
COMMENT ON COLUMN credit.workflow_event.party IS '操作角色 (the role that made it; the extension owner for the engine)';
COMMENT ON COLUMN credit.workflow_event.party_kind IS '参与方类别 (its kind of party; NULL: the engine)';
COMMENT ON COLUMN credit.workflow_event.at IS '时间 (when: the transaction''s time)';
COMMENT ON COLUMN credit.workflow_event.reason IS '原因 (reason given)';
COMMENT ON COLUMN credit.workflow_event.details IS '附加信息 (details given with the transition, e.g. the outcome of an objection)';
COMMENT ON COLUMN credit.workflow_event.details_public IS '脱敏附加信息 (the details with personal data masked, credit.mask_details: what the portal reads)';
CREATE TRIGGER workflow_event_append_only BEFORE UPDATE OR DELETE ON credit.workflow_event
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER workflow_event_no_truncate BEFORE TRUNCATE ON credit.workflow_event
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

SELECT pg_catalog.pg_extension_config_dump('credit.workflow_event', '');

-- ------------------------------------------------------------------
-- Moving objects
-- ------------------------------------------------------------------
CREATE FUNCTION credit.transition(machine text, object_ids bigint[], to_state text,
                                  reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'workflow_transition' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.transition(text, bigint[], text, text, jsonb) IS '状态转换 (move objects of a machine to a state, as the calling role: the guard checks the transition, the party and the reason and writes the events; returns how many moved; a null id, or ids that do not exist or are hidden, are an error naming them, and nothing moves)';

CREATE FUNCTION credit.transition(machine text, object_id bigint, to_state text,
                                  reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    RETURN credit.transition(machine, ARRAY[object_id], to_state, reason, details);
COMMENT ON FUNCTION credit.transition(text, bigint, text, text, jsonb) IS '状态转换 (move one object; see transition(text, bigint[], ...))';

-- The same, returning the ids moved (sorted), for a caller that moves a
-- batch and wants to know which objects it moved.
CREATE FUNCTION credit.transition_ids(machine text, object_ids bigint[], to_state text,
                                      reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'workflow_transition_ids' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.transition_ids(text, bigint[], text, text, jsonb) IS '状态转换并返回编号 (move objects like credit.transition(), returning the ids moved, sorted)';

CREATE FUNCTION credit.transition_request(OUT machine text, OUT to_state text, OUT reason text,
                                          OUT details jsonb, OUT engine boolean, OUT object_ids bigint[])
    AS 'MODULE_PATHNAME', 'workflow_transition_request' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.transition_request() IS '当前转换请求 (the transition credit.transition() is making, for the guard; NULL outside one; engine: made by the extension''s own functions; object_ids: the ids asked to move)';

CREATE FUNCTION credit.in_transition(machine text, to_state text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'workflow_in_transition' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.in_transition(text, text) IS '转换中 (row predicate: is credit.transition() making a transition of this machine to this state now? for the insert policy of credit.workflow_event)';

-- What may happen from a state, for messages and for applications.
CREATE FUNCTION credit.allowed_transitions(machine text, from_state text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce(string_agg(format('"%s" (%s%s%s)', t.to_state, t.action,
                                              CASE WHEN cardinality(t.party_kinds) > 0
                                                   THEN ': ' || array_to_string(t.party_kinds, '/') ELSE ': 系统' END,
                                              CASE WHEN t.reason_required THEN ', 须说明原因' ELSE '' END),
                                       ', ' ORDER BY t.to_state), '(nothing: terminal state)')
              FROM credit.machine_transition t
             WHERE t.machine = allowed_transitions.machine AND t.from_state = allowed_transitions.from_state);
COMMENT ON FUNCTION credit.allowed_transitions(text, text) IS '可进行的转换 (what is allowed from a state: target, action, who, whether a reason is required)';

-- ------------------------------------------------------------------
-- The generic guard: BEFORE INSERT OR UPDATE FOR EACH ROW, argument the
-- machine.  On INSERT: the object starts in an initial state, its owned
-- columns are set here.  On UPDATE: without a transition request of this
-- machine no owned column may change; with one, the transition must be
-- allowed from the current state for the caller (its party kind, or the
-- engine), with a reason where required; the reason, the time and the
-- deadlines of the new state are set, and the event is written.  In C
-- (extension/guard.c; why C, and what it costs: docs/decisions.md).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.workflow_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'workflow_guard' LANGUAGE C;
COMMENT ON FUNCTION credit.workflow_guard() IS '触发器: 通用状态机守卫 (generic guard of every machine, in C, argument the machine: refuses transitions that are not allowed, owned columns set by hand and missing reasons, with a message naming the machine, the states and what is allowed; sets times and deadlines; writes the event)';

-- The guard caches the machines per session; a change of their tables
-- drops every session's cache.
CREATE FUNCTION credit.workflow_machines_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.workflow_machines_changed() IS '触发器: 状态机定义变更 (trigger: tells every session to drop its cached machine definitions)';
CREATE TRIGGER machine_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_state_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_state
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_transition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_transition
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_deadline_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_deadline
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();

-- ------------------------------------------------------------------
-- Diagrams: each machine rendered as Graphviz from the data
-- ------------------------------------------------------------------
CREATE FUNCTION credit.machine_dot(machine text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (
        SELECT format(E'digraph %s {\n  label="%s (%s)"; labelloc=t; rankdir=LR;\n  node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];\n  edge [fontname="Noto Sans CJK SC", fontsize=10];\n%s\n%s\n}\n',
                      m.machine, m.name, m.machine,
                      (SELECT string_agg(format('  "%s" [%s];', s.state,
                                                concat_ws(', ',
                                                          CASE WHEN s.initial THEN 'penwidth=2' END,
                                                          CASE WHEN s.terminal THEN 'peripheries=2' END,
                                                          format('tooltip="%s"', s.meaning))),
                                         E'\n' ORDER BY s.initial DESC, s.terminal, s.state)
                         FROM credit.machine_state s WHERE s.machine = m.machine),
                      (SELECT string_agg(format('  "%s" -> "%s" [label="%s\n%s%s"%s];', t.from_state, t.to_state, t.action,
                                                CASE WHEN cardinality(t.party_kinds) > 0
                                                     THEN array_to_string(t.party_kinds, '/') ELSE '' END
                                                || CASE WHEN t.by_engine
                                                        THEN CASE WHEN cardinality(t.party_kinds) > 0 THEN '/' ELSE '' END || '系统'
                                                        ELSE '' END,
                                                CASE WHEN t.reason_required THEN '\n须说明原因' ELSE '' END,
                                                CASE WHEN t.by_engine AND cardinality(t.party_kinds) = 0 THEN ', style=dashed' ELSE '' END),
                                         E'\n' ORDER BY t.from_state, t.to_state)
                         FROM credit.machine_transition t WHERE t.machine = m.machine))
          FROM credit.machine m WHERE m.machine = machine_dot.machine);
COMMENT ON FUNCTION credit.machine_dot(text) IS '状态机图 (the machine as a Graphviz digraph, from credit.machine_state and credit.machine_transition: bold initial states, double-bordered terminal ones, dashed edges made only by the engine)';
-- The install script, part 51: layer 5, record publicity and list entries as
-- machines, and the sweep.  Visibility is exact at read time (the policies
-- compare publicity_end and expires_on with the date); the sweep only
-- catches the states up, in bulk, with events.

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column,
                            owned_columns) VALUES
    ('record', '信用记录', 'credit.record', 'record_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,withdrawal_due}'),
    ('record_publicity', '记录公示', 'credit.record', 'record_id', 'publicity_state', 'publicity_reason',
     'publicity_since', '{publicity_state,publicity_reason,publicity_since,publicity_end}'),
    ('list_entry', '名单条目', 'credit.list_entry', 'entry_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,expires_on,deletion_due,removal_due,removed_on,removal_reason}');

INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('record', '有效', true, false, 'in force (withdrawal_due set: the decision is revoked, the record is due for withdrawal)'),
    ('record', '已撤回', false, true, 'withdrawn (删除, or the underlying decision revoked), with a reason'),
    ('record', '已更正', false, true, 'replaced by a correction: a new version of the same lineage'),
    ('record_publicity', '公示中', true, false, 'inside its publicity period (public if 公开)'),
    ('record_publicity', '不公示', true, false, 'not published at all (e.g. 轻微 under 令第36号)'),
    ('record_publicity', '已到期', false, true, 'the maximum period has passed'),
    ('record_publicity', '停止公示', false, true, 'publicity stopped (objection outcome, or by the centre)'),
    ('record_publicity', '已修复', false, false, 'repaired: publicity ended, sharing and use stopped'),
    ('list_entry', '列入中', true, false, 'on the list'),
    ('list_entry', '应移出', false, false, 'still on the list, due for removal by its deciding department within 3 working days: the basis record withdrawn, the obligation performed, or the listing found wrong'),
    ('list_entry', '已到期', false, true, 'the term has ended; off the list'),
    ('list_entry', '已移出', false, true, 'removed before the term (obligation performed, objection, repair, early removal)');

INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('record', '有效', '有效', '认定依据撤销', '{部门,信用中心}', false, true),
    ('record', '有效', '已撤回', '撤回', '{部门,信用中心}', true, true),
    ('record', '有效', '已更正', '更正', '{部门,信用中心}', true, true),
    ('record_publicity', '公示中', '已到期', '公示期满', '{}', true, true),
    ('record_publicity', '公示中', '停止公示', '停止公开', '{信用中心}', true, true),
    ('record_publicity', '公示中', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '不公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已到期', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '停止公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已修复', '公示中', '违反修复承诺, 恢复公示', '{}', true, true),
    ('record_publicity', '公示中', '公示中', '名单在列, 调整公示截止', '{}', true, true),
    ('list_entry', '列入中', '列入中', '延期', '{部门,信用中心}', false, true),
    ('list_entry', '列入中', '已到期', '期满移出', '{}', true, true),
    ('list_entry', '列入中', '已移出', '移出', '{部门,信用中心}', true, true),
    ('list_entry', '列入中', '应移出', '应予移出', '{部门,信用中心}', true, true),
    ('list_entry', '应移出', '已移出', '移出', '{部门,信用中心}', true, true),
    ('list_entry', '应移出', '已到期', '期满移出', '{}', true, true);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, counted_from_column,
                                     from_state, source) VALUES
    -- UNCERTAIN: counted from the day the revocation is noted here, not
    -- from the revocation itself (the texts say "after the revocation")
    ('record', '有效', 'withdrawal_due', 3, NULL, NULL, '有效',
     '山东省社会信用条例(2020) 第四十条: 认定依据被撤销或者变更的, 信息提供单位 3 个工作日内撤销或者变更; 市场监督管理行政处罚信息公示规定(市场监管总局令第45号) 第十一条: 行政处罚决定被撤销的, 3 个工作日内撤下'),
    ('list_entry', '列入中', 'deletion_due', 3, NULL, 'expires_on', NULL,
     '最高人民法院关于公布失信被执行人名单信息的若干规定(2017) 第十条: 纳入期限届满后 3 个工作日内删除失信信息'),
    ('list_entry', '应移出', 'removal_due', 3, NULL, NULL, NULL,
     '最高人民法院关于公布失信被执行人名单信息的若干规定(2017) 第十条: 履行完毕或不应纳入的, 3 个工作日内删除/撤销; 山东省社会信用条例(2020) 第四十条: 认定依据撤销后 3 个工作日内撤下');

-- The record's lifecycle: credit.withdraw_record and credit.correct_record
-- (31_record.sql) move it; the guard writes the events.
CREATE TRIGGER record_machine BEFORE INSERT OR UPDATE ON credit.record
    FOR EACH ROW WHEN (NOT credit.restoring('credit.record')) EXECUTE FUNCTION credit.workflow_guard('record');

-- The revocation of the decision is noted once (认定依据撤销, 有效 -> 有效:
-- the guard sets withdrawal_due, 3 working days); the record then leaves
-- 有效 by its withdrawal or correction, and its deadline with it.
CREATE FUNCTION credit.record_revocation_once() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (credit.transition_request()).machine = 'record' THEN
        RAISE EXCEPTION 'the revocation of the decision of record % is already noted: it is due for withdrawal by %',
                        OLD.record_id, pg_catalog.to_char(OLD.withdrawal_due, 'YYYY-MM-DD')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Withdraw it with credit.withdraw_record(record_id, reason), or correct it with credit.correct_record().';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_revocation_once() IS '触发器: 认定依据撤销只记一次 (trigger: a record already due for withdrawal (withdrawal_due set) is not noted again, so its deadline never moves)';
-- (named to fire after record_machine and the publicity triggers)
CREATE TRIGGER record_revocation_once BEFORE UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (OLD.withdrawal_due IS NOT NULL AND OLD.state = '有效' AND NEW.state = '有效')
    EXECUTE FUNCTION credit.record_revocation_once();
CREATE INDEX record_withdrawal_due ON credit.record (withdrawal_due) WHERE withdrawal_due IS NOT NULL AND state = '有效';

-- A record arriving past its maximum period is stored 已到期; a new
-- version (a correction) is moved to the publicity state of the version it
-- replaces when that is 已修复, 停止公示 or 已到期.  As the engine, with an
-- event each.
CREATE FUNCTION credit.record_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prev credit.record;
BEGIN
    IF NEW.corrects IS NOT NULL THEN
        SELECT * INTO prev FROM credit.record r WHERE r.record_id = NEW.corrects;
        IF prev.publicity_state IN ('已修复', '停止公示', '已到期') THEN
            PERFORM credit.transition('record_publicity', NEW.record_id, prev.publicity_state,
                                      pg_catalog.format('更正沿用 (记录 %s): %s', prev.record_id,
                                                        coalesce(prev.publicity_reason, prev.publicity_state)),
                                      pg_catalog.jsonb_build_object('corrects', prev.record_id));
            RETURN NULL;
        END IF;
    END IF;
    IF NEW.corrects IS NOT NULL THEN
        -- a correction that moved the ends: serious entries still extend them
        PERFORM credit.extend_for_lists(NEW.lineage_id);
    END IF;
    IF NEW.publicity_state = '公示中'
       AND (SELECT r.publicity_end FROM credit.record r WHERE r.record_id = NEW.record_id) <= credit.legal_date() THEN
        PERFORM credit.transition('record_publicity', NEW.record_id, '已到期', '公示期满 (报送时已过最长公示期)',
                                  pg_catalog.jsonb_build_object('as_of', credit.legal_date()));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.record_after_insert() IS '触发器: 记录入库后的公示状态 (trigger: a record arriving past its maximum publicity period is stored 已到期; a correction keeps the 已修复, 停止公示 or 已到期 state of the version it replaces; as the engine, with an event)';
CREATE TRIGGER record_after_insert AFTER INSERT ON credit.record
    FOR EACH ROW WHEN ((NEW.corrects IS NOT NULL OR NEW.publicity_end <= credit.legal_date())
                      AND NOT credit.restoring('credit.record'))
    EXECUTE FUNCTION credit.record_after_insert();

-- A withdrawn record (删除, or its decision revoked) is no basis for a
-- listing any more: the entries based on any version of it still on the
-- list are removed when the record's department decided them, and become
-- 应移出 otherwise (another department's listing is its own decision: it
-- removes the entry within 3 working days, or it shows as overdue); by the
-- engine, with an event each.
CREATE FUNCTION credit.record_withdrawal_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own bigint[];
    others bigint[];
    reason text := pg_catalog.format('认定依据已撤回 (记录 %s): %s', NEW.record_id, NEW.state_reason);
BEGIN
    PERFORM FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
      WHERE r.lineage_id = NEW.lineage_id AND e.state IN ('列入中', '应移出') FOR UPDATE OF e;
    SELECT coalesce(array_agg(e.entry_id ORDER BY e.entry_id)
                        FILTER (WHERE e.department_id = NEW.department_id), '{}'),
           coalesce(array_agg(e.entry_id ORDER BY e.entry_id)
                        FILTER (WHERE e.department_id <> NEW.department_id AND e.state = '列入中'), '{}')
      INTO own, others
      FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
     WHERE r.lineage_id = NEW.lineage_id AND e.state IN ('列入中', '应移出');
    PERFORM credit.transition('list_entry', own, '已移出', reason,
                              pg_catalog.jsonb_build_object('record_id', NEW.record_id));
    PERFORM credit.transition('list_entry', others, '应移出', reason,
                              pg_catalog.jsonb_build_object('record_id', NEW.record_id));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.record_withdrawal_effects() IS '触发器: 记录撤回的效果 (trigger: when a record is withdrawn, the list entries based on any version of it still on the list are removed when its department decided them, and become 应移出 (3 working days for their own department) otherwise; by the engine, with the reason)';
CREATE TRIGGER record_withdrawal_effects AFTER UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (NEW.state = '已撤回' AND OLD.state <> '已撤回')
    EXECUTE FUNCTION credit.record_withdrawal_effects();

-- The limit of a record (its maximum period, at most 5 years from the
-- end of the conduct) is extended while a serious list entry (list_kind
-- .serious) based on any version of it is on the list: the record in
-- force stays 公示中, and so public, shared and usable at its disclosure
-- level, until the entry's term ends (no end: until it is removed).  When
-- the entry leaves the list, the end goes back to the maximum, or to today
-- when that has passed.  Only a record still inside its period is
-- extended (a stopped, repaired or expired one stays so).  By the engine
-- (公示中 -> 公示中, details publicity_end), with an event.
CREATE FUNCTION credit.extend_for_lists(lineage_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur credit.record;
    open_ended boolean;
    until date;
    entries bigint[];
    want date;
BEGIN
    -- the version in force, locked (a correction committed meanwhile made
    -- a newer one: look again)
    LOOP
        SELECT * INTO cur FROM credit.record r
         WHERE r.lineage_id = extend_for_lists.lineage_id AND r.state = '有效';
        EXIT WHEN NOT FOUND;
        SELECT * INTO cur FROM credit.record r
         WHERE r.record_id = cur.record_id AND r.state = '有效' FOR NO KEY UPDATE;
        EXIT WHEN FOUND;
    END LOOP;
    IF cur.record_id IS NULL OR cur.publicity_state <> '公示中' OR cur.publicity_max_end IS NULL
       OR (cur.publicity_end IS NOT NULL AND cur.publicity_end <= credit.legal_date()) THEN
        RETURN;
    END IF;
    SELECT bool_or(e.expires_on IS NULL), max(e.expires_on), array_agg(e.entry_id ORDER BY e.entry_id)
      INTO open_ended, until, entries
      FROM credit.list_entry e
      JOIN credit.list_kind k ON k.list_kind = e.list_kind
      JOIN credit.record b ON b.record_id = e.basis_record_id
     WHERE b.lineage_id = extend_for_lists.lineage_id AND k.serious AND e.state IN ('列入中', '应移出');
    want := CASE WHEN open_ended THEN NULL ELSE greatest(cur.publicity_max_end, until) END;
    IF want IS NOT NULL AND (cur.publicity_end IS NULL OR want < cur.publicity_end) THEN
        -- shorter again: never before today (what was disclosed stays so)
        want := greatest(want, credit.legal_date());
    END IF;
    IF want IS NOT DISTINCT FROM cur.publicity_end THEN
        RETURN;
    END IF;
    PERFORM credit.transition('record_publicity', cur.record_id, '公示中',
                              CASE WHEN entries IS NULL
                                   THEN pg_catalog.format('严重失信名单已不在列: 公示至 %s', pg_catalog.to_char(want, 'YYYY-MM-DD'))
                                   ELSE pg_catalog.format('严重失信名单在列 (条目 %s): 公示至 %s',
                                                          pg_catalog.array_to_string(entries, ', '),
                                                          coalesce(pg_catalog.to_char(want, 'YYYY-MM-DD'), '移出名单')) END,
                              pg_catalog.jsonb_build_object('publicity_end', want, 'entries', coalesce(entries, '{}')));
END
$$;
COMMENT ON FUNCTION credit.extend_for_lists(bigint) IS '名单在列延长公示 (the record in force of a lineage stays disclosed past its limit while a serious list entry based on it is on the list, until the entry ends; back to the maximum, or today, when none is; by the engine, with an event)';

CREATE FUNCTION credit.list_entry_extends_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (SELECT k.serious FROM credit.list_kind k WHERE k.list_kind = NEW.list_kind) THEN
        PERFORM credit.extend_for_lists((SELECT r.lineage_id FROM credit.record r WHERE r.record_id = NEW.basis_record_id));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.list_entry_extends_record() IS '触发器: 严重失信名单延长记录公示 (trigger: a serious list entry listed, extended or ending moves the end of the record it is based on: credit.extend_for_lists)';
-- (an expiry moves nothing: see credit.list_entry_lock_basis; the sweep
-- pays no trigger call for it)
CREATE TRIGGER list_entry_extends_record AFTER INSERT OR UPDATE OF state, expires_on ON credit.list_entry
    FOR EACH ROW WHEN (NEW.basis_record_id IS NOT NULL AND NEW.state <> '已到期')
    EXECUTE FUNCTION credit.list_entry_extends_record();

-- Locks in one order, record before entry: a transition of serious entries
-- locks the records in force they are based on before its UPDATE locks the
-- entries, as a repair, a withdrawal or a serious listing of the record
-- does; so a department removing an entry while the record is being
-- repaired or withdrawn waits, instead of deadlocking.  In C, with kept
-- generic plans (extension/lock_basis.c; docs/decisions.md).
CREATE FUNCTION credit.lock_basis(entry_ids bigint[]) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_lock_basis' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.lock_basis(bigint[]) IS '锁定条目依据记录 (locks, in record_id order, the records in force that serious list entries are based on: every path that moves a serious entry locks the record first, as repairs, withdrawals and serious listings do)';

-- (An expiry, 已到期, never moves a record's end: the entry's end has
-- passed, so the record's is past or set by a longer entry; the sweep
-- locks nothing more.)  The trigger locks as the owner of its function,
-- as a SECURITY DEFINER function would: the basis records of a
-- department's entries are often another department's.
CREATE FUNCTION credit.list_entry_lock_basis() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_list_entry_lock_basis' LANGUAGE C;
COMMENT ON FUNCTION credit.list_entry_lock_basis() IS '触发器: 先锁记录再锁条目 (statement trigger: a transition of serious list entries, other than their expiry, first locks the records in force they are based on (credit.lock_basis), as the function''s owner, so every path locks record before entry)';
CREATE TRIGGER list_entry_lock_basis BEFORE UPDATE ON credit.list_entry
    FOR EACH STATEMENT EXECUTE FUNCTION credit.list_entry_lock_basis();

-- Same-row effects of the two machines' transitions (after the guard).
CREATE FUNCTION credit.record_publicity_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
BEGIN
    IF NEW.publicity_state IS NOT DISTINCT FROM OLD.publicity_state THEN
        -- 公示中 -> 公示中 (the engine only): the end a serious list entry
        -- extends to, or back to, comes with the transition
        IF req.machine = 'record_publicity' AND req.details ? 'publicity_end' THEN
            NEW.publicity_end := (req.details ->> 'publicity_end')::date;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.publicity_state IN ('停止公示', '已修复') THEN
        -- publicity ends today (exact at read time: publicity_end is exclusive)
        NEW.publicity_end := least(coalesce(NEW.publicity_end, credit.legal_date()), credit.legal_date());
    ELSIF NEW.publicity_state = '公示中' AND OLD.publicity_state = '已修复' THEN
        -- a broken repair commitment: back to the full maximum period
        NEW.publicity_end := NEW.publicity_max_end;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_publicity_rules() IS '触发器: 公示状态的效果 (trigger: 停止公示 and 已修复 end publicity today; back to 公示中 after a broken repair commitment restores the maximum period; the engine''s 公示中 -> 公示中 sets the end a serious list entry extends to)';
-- names order the BEFORE UPDATE triggers of credit.record: record_content
-- and record_guard (31_record.sql), record_machine (the record's
-- lifecycle, below), record_publicity_machine, record_publicity_rules
CREATE TRIGGER record_publicity_machine BEFORE UPDATE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('record_publicity');
CREATE TRIGGER record_publicity_rules BEFORE UPDATE OF publicity_state ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.record_publicity_rules();

CREATE FUNCTION credit.list_entry_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    new_expiry date;
    kind credit.list_kind;
BEGIN
    IF req.machine IS DISTINCT FROM 'list_entry' THEN
        RETURN NEW;
    END IF;
    IF NEW.state = '已移出' THEN
        NEW.removed_on := credit.legal_date();
        NEW.removal_reason := req.reason;
    ELSIF NEW.state = '列入中' THEN
        -- 延期: the new end of the term comes with the transition
        IF OLD.expires_on <= credit.legal_date() THEN
            RAISE EXCEPTION 'cannot extend list entry %: its term ended on %', OLD.entry_id, OLD.expires_on
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'A new listing is a new entry.';
        END IF;
        new_expiry := (req.details ->> 'expires_on')::date;
        IF new_expiry IS NULL OR new_expiry <= coalesce(OLD.expires_on, '-infinity') THEN
            RAISE EXCEPTION 'extending list entry % needs a new end of term after %', OLD.entry_id,
                            coalesce(OLD.expires_on::text, 'the listing')
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Pass details => jsonb_build_object(''expires_on'', <date>) to credit.transition().';
        END IF;
        -- the list kind's bounds (失信被执行人: 1 to 3 years)
        SELECT * INTO kind FROM credit.list_kind k WHERE k.list_kind = OLD.list_kind;
        IF OLD.expires_on IS NOT NULL
           AND (new_expiry < OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0))
                OR new_expiry > OLD.expires_on + make_interval(months => kind.extension_max_months)) THEN
            RAISE EXCEPTION 'extending list entry % to % is outside the bounds of list "%"', OLD.entry_id,
                            pg_catalog.to_char(new_expiry, 'YYYY-MM-DD'), kind.list_kind
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = pg_catalog.format('An extension of this list moves the end of term (%s) by %s to %s months: from %s to %s.',
                                                 pg_catalog.to_char(OLD.expires_on, 'YYYY-MM-DD'), coalesce(kind.extension_min_months, 0),
                                                 coalesce(kind.extension_max_months::text, 'any number of'),
                                                 pg_catalog.to_char(OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0)), 'YYYY-MM-DD'),
                                                 coalesce(pg_catalog.to_char(OLD.expires_on + make_interval(months => kind.extension_max_months), 'YYYY-MM-DD'), 'any date')),
                      HINT = 'Give an end of term inside the bounds of credit.list_kind.extension_min_months and extension_max_months.';
        END IF;
        NEW.expires_on := new_expiry;
        -- (the guard counted deletion_due from the old end of term)
        NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', new_expiry);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_rules() IS '触发器: 名单状态的效果 (trigger: 已移出 records the date and reason of removal; 延期 takes the new end of term from the transition''s details, within the list kind''s extension bounds, and moves the deletion due date)';
CREATE TRIGGER list_entry_machine BEFORE INSERT OR UPDATE ON credit.list_entry
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry')) EXECUTE FUNCTION credit.workflow_guard('list_entry');
-- (only the states it acts on: the sweep's 已到期 pays no PL/pgSQL call)
CREATE TRIGGER list_entry_rules BEFORE UPDATE ON credit.list_entry
    FOR EACH ROW WHEN (NEW.state IN ('已移出', '列入中')) EXECUTE FUNCTION credit.list_entry_rules();

-- What the sweep finds due, by index.
CREATE INDEX record_publicity_due ON credit.record (publicity_end) WHERE publicity_state = '公示中';
CREATE INDEX list_entry_due ON credit.list_entry (expires_on) WHERE state IN ('列入中', '应移出');

-- ------------------------------------------------------------------
-- The sweep: moves what is due to its terminal state, in batches, with
-- events.  Idempotent (a second run finds nothing); rows another sweep holds
-- are skipped (FOR UPDATE SKIP LOCKED), so two can run at once.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.sweep(as_of date DEFAULT credit.legal_date(), batch_size integer DEFAULT 10000)
    RETURNS TABLE (machine text, to_state text, moved bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
    n_records bigint := 0;
    n_entries bigint := 0;
BEGIN
    IF as_of IS NULL OR as_of > credit.legal_date() THEN
        RAISE EXCEPTION 'the sweep cannot run as of %: nothing is moved before it is due', as_of
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use today''s date or an earlier one.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        ids := ARRAY(SELECT r.record_id FROM credit.record r
                      WHERE r.publicity_state = '公示中' AND r.publicity_end <= as_of
                      ORDER BY r.publicity_end, r.record_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_records := n_records + credit.transition('record_publicity', ids, '已到期', '公示期满',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    LOOP
        ids := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                      WHERE e.state IN ('列入中', '应移出') AND e.expires_on <= as_of
                      ORDER BY e.expires_on, e.entry_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_entries := n_entries + credit.transition('list_entry', ids, '已到期', '期满移出',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    RETURN QUERY VALUES ('record_publicity'::text, '已到期'::text, n_records),
                        ('list_entry', '已到期', n_entries);
END
$$;
COMMENT ON FUNCTION credit.sweep(date, integer) IS '到期处理 (moves records past their maximum publicity and list entries past their term to 已到期, in batches, with events; idempotent; skips rows another sweep holds; reports how many moved; schedule it with pg_cron)';
-- The install script, part 52: layer 5, objections (异议), docs/sources.md §5.
-- Filed by the subject (the portal acting for it) or by the centre against
-- one record; at most one open objection per record; accepted or refused
-- (不予受理, listing every missing item) by the centre; verified by the
-- centre (3 working days) or the providing department (7 working days from
-- acceptance); one outcome, which acts on the record and its lists.  From
-- acceptance until the outcome the record carries 异议处理中.

CREATE TABLE credit.objection (
    objection_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint REFERENCES credit.record,
    lineage_id     bigint,
    entry_id       bigint REFERENCES credit.list_entry,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    department_id  integer NOT NULL REFERENCES credit.department,
    grounds        text NOT NULL CHECK (grounds IN ('信息错误', '信息遗漏', '信息重复', '不应公开', '超期公开',
                                                    '与认定机关不一致', '其他')),
    claim          text NOT NULL CHECK (btrim(claim) <> ''),
    materials      text[] NOT NULL DEFAULT '{}',
    filed_by       regrole NOT NULL DEFAULT current_user::regrole,
    filed_at       timestamptz NOT NULL DEFAULT now(),
    -- the machine's columns
    state          text NOT NULL DEFAULT '已提交',
    state_reason   text,
    state_since    timestamptz NOT NULL DEFAULT now(),
    deadline       date,
    missing_items  text[],
    outcome        text CHECK (outcome IN ('更正', '补充', '删除', '停止公开', '移出名单', '维持')),
    outcome_details jsonb,
    outcome_details_public jsonb GENERATED ALWAYS AS (credit.mask_details(outcome_details)) STORED,
    CHECK (state <> '不予受理' OR cardinality(missing_items) > 0),
    CHECK ((state = '已办结') = (outcome IS NOT NULL)),
    CONSTRAINT objection_target CHECK ((record_id IS NULL) <> (entry_id IS NULL) AND (record_id IS NULL) = (lineage_id IS NULL))
);
CREATE UNIQUE INDEX objection_one_open ON credit.objection (lineage_id) WHERE state IN ('已提交', '已受理', '部门核查');
CREATE UNIQUE INDEX objection_one_open_entry ON credit.objection (entry_id) WHERE state IN ('已提交', '已受理', '部门核查');
CREATE INDEX objection_subject ON credit.objection (subject_id);
CREATE INDEX objection_department ON credit.objection (department_id) WHERE state IN ('已提交', '已受理', '部门核查');
COMMENT ON TABLE credit.objection IS '异议 (objections against a record: filed by the subject through the portal or by the centre; at most one open per record)';
COMMENT ON COLUMN credit.objection.objection_id IS '异议编号 (internal id)';
COMMENT ON COLUMN credit.objection.record_id IS '异议记录 (the record objected to; NULL for an objection to a list entry)';
COMMENT ON COLUMN credit.objection.entry_id IS '异议名单条目 (the list entry objected to; NULL for an objection to a record)';
COMMENT ON CONSTRAINT objection_target ON credit.objection IS '异议对象 (an objection names one record (with its lineage) or one list entry)';
COMMENT ON COLUMN credit.objection.lineage_id IS '记录谱系 (the lineage of the record: the objection follows the record across corrections; its outcome acts on the newest version)';
COMMENT ON COLUMN credit.objection.subject_id IS '主体 (the record''s subject)';
COMMENT ON COLUMN credit.objection.department_id IS '提供部门 (the record''s providing department, which verifies when asked)';
COMMENT ON COLUMN credit.objection.grounds IS '异议理由 (grounds: 信息错误, 信息遗漏, 信息重复, 不应公开, 超期公开, 与认定机关不一致, 其他)';
COMMENT ON COLUMN credit.objection.claim IS '异议内容 (what the applicant says is wrong and asks for)';
COMMENT ON COLUMN credit.objection.materials IS '证明材料 (materials handed in)';
COMMENT ON COLUMN credit.objection.filed_by IS '提交角色 (the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.objection.filed_at IS '提交时间 (filed at)';
COMMENT ON COLUMN credit.objection.state IS '状态 (已提交, 已受理, 部门核查, 已办结, 不予受理, 已撤回; changes only through credit.transition)';
COMMENT ON COLUMN credit.objection.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.objection.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.objection.deadline IS '办理时限 (accept or refuse by: 3 working days after filing; decide by: 3 working days after acceptance, 7 when the providing department verifies)';
COMMENT ON COLUMN credit.objection.missing_items IS '缺少材料 (for 不予受理: every missing item)';
COMMENT ON COLUMN credit.objection.outcome IS '处理结果 (更正, 补充, 删除, 停止公开, 移出名单, 维持)';
COMMENT ON COLUMN credit.objection.outcome_details IS '结果详情 (for 更正/补充: the corrected fields; for 移出名单: the entries)';
COMMENT ON COLUMN credit.objection.outcome_details_public IS '脱敏结果详情 (the outcome details with personal data masked, credit.mask_details: what the portal reads)';

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('objection', '异议', 'credit.objection', 'objection_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,deadline,missing_items,outcome,outcome_details,record_id,lineage_id,entry_id,subject_id,department_id,filed_at,filed_by}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('objection', '已提交', true, false, 'filed, waiting for acceptance'),
    ('objection', '已受理', false, false, 'accepted; the centre verifies (the record shows 异议处理中)'),
    ('objection', '部门核查', false, false, 'passed to the providing department to verify'),
    ('objection', '已办结', false, true, 'decided, with its outcome applied'),
    ('objection', '不予受理', false, true, 'not accepted: items missing'),
    ('objection', '已撤回', false, true, 'withdrawn by the applicant');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('objection', '已提交', '已受理', '受理', '{信用中心}', false, false),
    ('objection', '已提交', '不予受理', '不予受理', '{信用中心}', false, true),
    ('objection', '已提交', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('objection', '已受理', '部门核查', '转提供部门核查', '{信用中心}', false, false),
    ('objection', '已受理', '已办结', '办结', '{信用中心}', false, true),
    ('objection', '已受理', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('objection', '部门核查', '已办结', '办结', '{部门,信用中心}', false, true),
    ('objection', '部门核查', '已撤回', '撤回', '{信用网站,信用中心}', false, false);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, source) VALUES
    ('objection', '已提交', 'deadline', 3, NULL, '山东省社会信用条例(2020) 第三十九条: 自收到异议申请之日起 3 个工作日 (未受理的异议也计时)'),
    ('objection', '已受理', 'deadline', 3, NULL, '山东省社会信用条例(2020) 第三十九条: 信用中心可核实的 3 个工作日'),
    ('objection', '部门核查', 'deadline', 7, '已受理', '山东省社会信用条例(2020) 第三十九条: 需提供单位核实的 7 个工作日');

-- What the portal, acting for a subject, may name when it files an
-- objection or a repair application: the subject's own records in force
-- (有效, at any disclosure level: the decision was served on the subject,
-- who knows its number) and its own list entries 列入中.  Anything else —
-- another subject's record or entry, a withdrawn or corrected version, a
-- removed or expired entry, an id that does not exist — gets this one
-- answer, checked before anything is locked or compared, so the portal
-- learns nothing about it.  The centre (not acting) names any that exists.
CREATE FUNCTION credit.filing_reference(what text, id bigint, subject_id bigint, open boolean) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    acting bigint := credit.acting_subject();
BEGIN
    IF subject_id IS NULL
       OR (acting IS NOT NULL AND (subject_id OPERATOR(pg_catalog.<>) acting OR open IS NOT TRUE)) THEN
        RAISE EXCEPTION '%', pg_catalog.format('%s %s is not %s of the subject you act for', what, id,
                                               CASE WHEN what OPERATOR(pg_catalog.=) 'record' THEN 'a record' ELSE 'an entry' END)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.filing_reference(text, bigint, bigint, boolean) IS '申请可指向的对象 (what a filing may name: the portal acting for a subject, that subject''s records in force and entries 列入中; the centre, any that exists; anything else raises 42501 "… is not a record of the subject you act for", the same for a hidden and a missing one)';

-- On filing: the subject and the department come from the record, or,
-- for an objection to a list entry (its listing itself is disputed), from
-- the entry.  Only a record in force, or an entry still on its list, can be
-- objected to; at most one open objection per record lineage or entry.
CREATE FUNCTION credit.objection_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    noun text := CASE WHEN NEW.entry_id IS NULL THEN 'record' ELSE 'list entry' END;
    target bigint := coalesce(NEW.record_id, NEW.entry_id);
    open_id bigint;
BEGIN
    IF (NEW.record_id IS NULL) = (NEW.entry_id IS NULL) THEN
        RAISE EXCEPTION 'an objection names one record or one list entry'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give record_id for an objection to a record, entry_id for one to a list entry.';
    END IF;
    -- what the filing may name (credit.filing_reference), before any lock
    IF NEW.entry_id IS NULL THEN
        SELECT rec.subject_id, rec.state = '有效' AS open_to_objection
          INTO t FROM credit.record rec WHERE rec.record_id = NEW.record_id;
    ELSE
        SELECT e.subject_id, e.state IN ('列入中', '应移出') AS open_to_objection
          INTO t FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id;
    END IF;
    PERFORM credit.filing_reference(noun, target, t.subject_id, t.open_to_objection);
    -- locked: a withdrawal or correction of the record (a removal of the
    -- entry) waits for this filing, and a filing waits for them (then sees
    -- the record withdrawn)
    IF NEW.entry_id IS NULL THEN
        SELECT rec.subject_id, rec.department_id, rec.state::text AS state, rec.lineage_id,
               rec.state = '有效' AS open_to_objection
          INTO t FROM credit.record rec WHERE rec.record_id = NEW.record_id FOR SHARE;
    ELSE
        SELECT e.subject_id, e.department_id, e.state, NULL::bigint AS lineage_id,
               e.state IN ('列入中', '应移出') AS open_to_objection
          INTO t FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id FOR SHARE;
    END IF;
    PERFORM credit.filing_reference(noun, target, t.subject_id, t.open_to_objection);
    IF NOT t.open_to_objection THEN
        RAISE EXCEPTION '% % is % and cannot be objected to', noun, target, t.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = CASE WHEN NEW.entry_id IS NULL THEN 'Object to the record that replaced it, if any.'
                              ELSE 'Only an entry still on its list can be objected to.' END;
    END IF;
    SELECT o.objection_id INTO open_id FROM credit.objection o
     WHERE (o.lineage_id = t.lineage_id OR o.entry_id = NEW.entry_id) AND o.state IN ('已提交', '已受理', '部门核查');
    IF FOUND THEN
        RAISE EXCEPTION '% % already has an open objection %', noun, target, open_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = pg_catalog.format('A %s has at most one open objection at a time.', noun),
                  HINT = 'Wait for its outcome, or withdraw it first.';
    END IF;
    NEW.lineage_id := t.lineage_id;
    NEW.subject_id := t.subject_id;
    NEW.department_id := t.department_id;
    NEW.filed_at := now();
    NEW.missing_items := NULL;
    NEW.outcome := NULL;
    NEW.outcome_details := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.objection_before_insert() IS '触发器: 异议提交 (trigger: the subject and the providing or deciding department come from the record or the list entry objected to; only a record in force, or an entry on its list, can be objected to; one open objection per record lineage or entry)';

-- Who files (objections and repair applications), checked with the
-- caller's rights before the SECURITY DEFINER trigger reads anything: the
-- portal only while it acts for a subject; filed_by is the inserting role.
CREATE FUNCTION credit.filing_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.current_party_kind() = '信用网站' AND credit.acting_subject() IS NULL THEN
        RAISE EXCEPTION 'the portal files for a subject only while it acts for it'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Call credit.act_for_subject(subject_id) in the same transaction first.';
    END IF;
    NEW.filed_by := current_user::regrole;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.filing_access() IS '触发器: 提交人检查 (trigger, caller''s rights, fires first: the portal files only while acting for a subject; filed_by is the inserting role, whatever the row says)';

-- Outcome data comes with the transition to 已办结 / 不予受理.
CREATE FUNCTION credit.objection_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    bad text;
BEGIN
    IF req.machine IS DISTINCT FROM 'objection' OR NEW.state IS NOT DISTINCT FROM OLD.state THEN
        RETURN NEW;
    END IF;
    IF NEW.state = '不予受理' THEN
        SELECT array_agg(x) INTO NEW.missing_items FROM jsonb_array_elements_text(req.details -> 'missing') AS x
         WHERE btrim(x) <> '';
        IF coalesce(cardinality(NEW.missing_items), 0) = 0 THEN
            RAISE EXCEPTION 'refusing objection % (不予受理) needs every missing item', OLD.objection_id
                USING ERRCODE = 'not_null_violation',
                      HINT = 'Pass details => jsonb_build_object(''missing'', jsonb_build_array(''身份证明'', ...)).';
        END IF;
    ELSIF NEW.state = '已办结' THEN
        NEW.outcome := req.details ->> 'outcome';
        IF NEW.outcome IS NULL OR NEW.outcome NOT IN ('更正', '补充', '删除', '停止公开', '移出名单', '维持') THEN
            RAISE EXCEPTION 'invalid outcome of objection %: "%"', OLD.objection_id, coalesce(NEW.outcome, '')
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The outcome is one of 更正, 补充, 删除, 停止公开, 移出名单, 维持.',
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''维持'').';
        END IF;
        IF OLD.entry_id IS NOT NULL AND NEW.outcome NOT IN ('移出名单', '维持') THEN
            RAISE EXCEPTION 'outcome % does not apply to objection %, about list entry %', NEW.outcome, OLD.objection_id, OLD.entry_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'An objection to a list entry is decided 移出名单 or 维持; what a listing says never changes.',
                      HINT = 'Nothing was changed; object to the record the listing is based on to correct or withdraw it.';
        END IF;
        -- the details of each outcome: no other key, each of its type
        SELECT k INTO bad FROM jsonb_object_keys(req.details) AS k
         WHERE k <> 'outcome' AND k <> ALL (CASE WHEN NEW.outcome IN ('更正', '补充') THEN ARRAY['changes']
                                                 WHEN NEW.outcome = '移出名单' AND OLD.entry_id IS NULL THEN ARRAY['entries']
                                                 ELSE '{}'::text[] END)
         ORDER BY k LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'unknown key "%" in the details of outcome % of objection %', bad, NEW.outcome, OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('The outcome %s takes %s.', NEW.outcome,
                                      CASE WHEN NEW.outcome IN ('更正', '补充') THEN '"outcome" and "changes"'
                                           WHEN NEW.outcome = '移出名单' AND OLD.entry_id IS NULL THEN '"outcome" and, optionally, "entries"'
                                           ELSE 'only "outcome"' END),
                      HINT = 'Nothing was changed; correct the key and decide again.';
        END IF;
        IF NEW.outcome = '移出名单' AND req.details ? 'entries'
           AND (jsonb_typeof(req.details -> 'entries') IS DISTINCT FROM 'array'
                OR jsonb_array_length(req.details -> 'entries') = 0
                OR EXISTS (SELECT FROM jsonb_array_elements(req.details -> 'entries') AS x
                            WHERE jsonb_typeof(x) <> 'number' OR x::text !~ '^[0-9]+$')) THEN
            RAISE EXCEPTION 'the "entries" of outcome 移出名单 of objection % are not a list of entry ids', OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('Given: %s.', req.details -> 'entries'),
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''移出名单'', ''entries'', jsonb_build_array(<entry_id>, ...)).';
        END IF;
        IF NEW.outcome IN ('更正', '补充') AND jsonb_typeof(req.details -> 'changes') IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'the outcome % of objection % needs the corrected fields', NEW.outcome, OLD.objection_id
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Pass details => jsonb_build_object(''outcome'', ''更正'', ''changes'', jsonb_build_object(''violation_facts'', ...)).';
        END IF;
        NEW.outcome_details := req.details - 'outcome';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.objection_rules() IS '触发器: 异议结果 (trigger: 不予受理 needs the list of missing items, 已办结 one of the outcomes, 更正/补充 the corrected fields; all from the transition''s details)';

-- Effects on the record and its lists, in the same transaction.  They act
-- on the newest version of the record (credit.current_record: a
-- correction made meanwhile is followed).  移出名单 removes only entries
-- based on the record (any version of it), and only those the decider may
-- remove: the centre any, a department those it decided.
CREATE FUNCTION credit.objection_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    why text := pg_catalog.format('异议 %s: %s', NEW.objection_id, coalesce(NEW.state_reason, NEW.state));
    cur bigint := credit.current_record(NEW.record_id);
    entries bigint[];
    named bigint[];
    outside bigint[];
    decider record;
BEGIN
    IF NEW.state = '已受理' THEN
        UPDATE credit.record SET dispute_mark = '异议处理中' WHERE record_id = cur AND state = '有效';
        UPDATE credit.list_entry SET dispute_mark = '异议处理中' WHERE entry_id = NEW.entry_id;
        RETURN NULL;
    END IF;
    IF OLD.state IN ('已受理', '部门核查') AND NEW.state IN ('已办结', '已撤回') THEN
        UPDATE credit.record SET dispute_mark = NULL WHERE record_id = cur AND dispute_mark IS NOT NULL;
        UPDATE credit.list_entry SET dispute_mark = NULL WHERE entry_id = NEW.entry_id AND dispute_mark IS NOT NULL;
    END IF;
    IF NEW.state <> '已办结' THEN
        RETURN NULL;
    END IF;
    CASE NEW.outcome
    WHEN '更正', '补充' THEN
        PERFORM credit.correct_record(cur, why, NEW.outcome_details -> 'changes');
    WHEN '删除' THEN
        PERFORM credit.withdraw_record(cur, why);
    WHEN '停止公开' THEN
        -- (a record no longer 公示中, e.g. past its maximum, is not published anyway)
        PERFORM credit.transition('record_publicity', r.record_id, '停止公示', why,
                                  pg_catalog.jsonb_build_object('objection_id', NEW.objection_id))
           FROM credit.record r WHERE r.record_id = cur AND r.publicity_state = '公示中';
    WHEN '移出名单' THEN
        -- who decided: the party of the event the guard has just written
        SELECT e.party, e.party_kind, p.department_id INTO decider
          FROM credit.workflow_event e LEFT JOIN credit.party p ON p.role = e.party
         WHERE e.machine = 'objection' AND e.object_id = NEW.objection_id
         ORDER BY e.event_id DESC LIMIT 1;
        -- the entry objected to, or those based on the record; their basis
        -- locked first (record before entry, credit.lock_basis)
        PERFORM credit.lock_basis(ARRAY(SELECT e.entry_id FROM credit.list_entry e
                                          LEFT JOIN credit.record r ON r.record_id = e.basis_record_id
                                         WHERE e.entry_id = NEW.entry_id OR r.lineage_id = NEW.lineage_id));
        entries := ARRAY(SELECT e.entry_id FROM credit.list_entry e LEFT JOIN credit.record r ON r.record_id = e.basis_record_id
                          WHERE e.state IN ('列入中', '应移出')
                            AND (e.entry_id = NEW.entry_id OR r.lineage_id = NEW.lineage_id)
                          ORDER BY e.entry_id FOR UPDATE OF e);
        IF NEW.outcome_details ? 'entries' THEN
            named := ARRAY(SELECT DISTINCT x::bigint FROM jsonb_array_elements_text(NEW.outcome_details -> 'entries') AS x ORDER BY 1);
            outside := ARRAY(SELECT x FROM unnest(named) AS x WHERE x <> ALL (entries) ORDER BY 1);
            IF cardinality(outside) > 0 THEN
                RAISE EXCEPTION 'objection % cannot remove list entries %: they are not listed on the record under objection',
                                NEW.objection_id, array_to_string(outside, ', ')
                    USING ERRCODE = 'invalid_parameter_value',
                          DETAIL = format('Entries listed on record %s: %s.', NEW.record_id,
                                          coalesce(nullif(array_to_string(entries, ', '), ''), 'none')),
                          HINT = 'An objection to a record removes only the entries based on it; nothing was changed.';
            END IF;
            entries := named;
        END IF;
        IF cardinality(entries) = 0 THEN
            RAISE EXCEPTION 'objection % has no list entry to remove', NEW.objection_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = CASE WHEN NEW.entry_id IS NULL THEN 'The record is the basis of no entry on a list.'
                                  ELSE 'The entry objected to is no longer on its list.' END;
        END IF;
        IF decider.party_kind IS DISTINCT FROM '信用中心' THEN
            outside := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                              WHERE e.entry_id = ANY (entries) AND e.department_id IS DISTINCT FROM decider.department_id
                              ORDER BY 1);
            IF cardinality(outside) > 0 THEN
                RAISE EXCEPTION 'objection % cannot remove list entries % of another department', NEW.objection_id,
                                array_to_string(outside, ', ')
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = format('%s may remove only the entries it decided; the centre may remove any.', decider.party),
                          HINT = 'Let the centre decide the objection, or the entries'' deciding department remove them; nothing was changed.';
            END IF;
        END IF;
        PERFORM credit.transition('list_entry', entries, '已移出', why,
                                  pg_catalog.jsonb_build_object('objection_id', NEW.objection_id,
                                                                'decided_by', decider.party::text,
                                                                'decider_kind', decider.party_kind));
    ELSE
        NULL;   -- 维持: only the mark goes
    END CASE;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.objection_effects() IS '触发器: 异议的效果 (trigger: acceptance marks the record 异议处理中; the outcome removes the mark and acts on the newest version of the record: 更正/补充 a new version, 删除 withdrawal, 停止公开 ends publicity, 移出名单 removes the entries based on the record that the decider may remove (the centre any, a department its own; others are an error that changes nothing), 维持 nothing else)';

-- The mark 异议处理中 on a record or a list entry is set and removed by the
-- objection machine only: triggers record_guard (31_record.sql) and
-- list_entry_dispute_guard (32_list_entry.sql), credit.dispute_mark_guard().

-- names order the triggers: objection_access, objection_before_insert,
-- objection_machine (the guard), objection_rules
CREATE TRIGGER objection_access BEFORE INSERT ON credit.objection
    FOR EACH ROW WHEN (NOT credit.restoring('credit.objection')) EXECUTE FUNCTION credit.filing_access();
CREATE TRIGGER objection_before_insert BEFORE INSERT ON credit.objection
    FOR EACH ROW WHEN (NOT credit.restoring('credit.objection')) EXECUTE FUNCTION credit.objection_before_insert();
CREATE TRIGGER objection_machine BEFORE INSERT OR UPDATE ON credit.objection
    FOR EACH ROW WHEN (NOT credit.restoring('credit.objection')) EXECUTE FUNCTION credit.workflow_guard('objection');
CREATE TRIGGER objection_rules BEFORE UPDATE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.objection_rules();
CREATE TRIGGER objection_effects AFTER UPDATE OF state ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.objection_effects();
CREATE TRIGGER objection_no_delete BEFORE DELETE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('objections', 'Withdraw it with credit.transition(''objection'', objection_id, ''已撤回'').', '');
CREATE TRIGGER objection_no_truncate BEFORE TRUNCATE ON credit.objection
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

SELECT pg_catalog.pg_extension_config_dump('credit.objection', '');

-- One call for the portal (or the centre) to file an objection: the portal
-- acts for the subject (credit.act_for_subject, for the rest of the
-- transaction) and inserts the row, as the calling role, so every rule of
-- a filing applies; returns the objection's id.
CREATE FUNCTION credit.file_objection(subject_id bigint, record_id bigint, grounds text, claim text,
                                      materials text[] DEFAULT '{}') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
    filed_for bigint;
BEGIN
    IF credit.current_party_kind() OPERATOR(pg_catalog.=) '信用网站' THEN
        PERFORM credit.act_for_subject(file_objection.subject_id);
    END IF;
    INSERT INTO credit.objection (record_id, grounds, claim, materials)
    VALUES (file_objection.record_id, file_objection.grounds, file_objection.claim, coalesce(file_objection.materials, '{}'))
    RETURNING objection.objection_id, objection.subject_id INTO id, filed_for;
    IF filed_for IS DISTINCT FROM file_objection.subject_id THEN
        RAISE EXCEPTION 'record % is not a record of subject %', file_objection.record_id, file_objection.subject_id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Name the subject the record is about; nothing was filed.';
    END IF;
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.file_objection(bigint, bigint, text, text, text[]) IS '提交异议 (file an objection in one call: the portal acts for the subject for the rest of the transaction, then the row is inserted as the calling role, every rule of a filing applying; returns the objection_id)';
-- The install script, part 53: layer 5, credit repair (信用修复) under 令第36号,
-- docs/sources.md §6 and §8.  Filed by the subject (the portal acting for
-- it) or the centre against a negative record or a list entry; refused at
-- filing when it cannot succeed; decided by the determining department
-- (3 working days after acceptance; the applicant hears back within 10
-- working days of applying).  已修复 ends publicity, stops sharing, removes
-- the list entry and queues one sync event per registered target.

-- ------------------------------------------------------------------
-- Repair applications
-- ------------------------------------------------------------------
CREATE TABLE credit.repair (
    repair_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint REFERENCES credit.record,
    lineage_id     bigint,
    entry_id       bigint REFERENCES credit.list_entry,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    department_id  integer NOT NULL REFERENCES credit.department,
    item_code      text REFERENCES credit.catalogue_item,
    obligations_performed boolean NOT NULL,
    materials      text[] NOT NULL DEFAULT '{}',
    commitment     text NOT NULL CHECK (btrim(commitment) <> ''),
    commitment_id  bigint REFERENCES credit.commitment,
    filed_by       regrole NOT NULL DEFAULT current_user::regrole,
    filed_at       timestamptz NOT NULL DEFAULT now(),
    -- the machine's columns
    state          text NOT NULL DEFAULT '已申请',
    state_reason   text,
    state_since    timestamptz NOT NULL DEFAULT now(),
    deadline       date,
    feedback_deadline date,
    CHECK (num_nonnulls(record_id, entry_id) = 1)
);
CREATE UNIQUE INDEX repair_one_open_record ON credit.repair (lineage_id) WHERE state IN ('已申请', '已受理');
CREATE UNIQUE INDEX repair_one_open_entry ON credit.repair (entry_id) WHERE state IN ('已申请', '已受理');
CREATE INDEX repair_subject ON credit.repair (subject_id, item_code);
COMMENT ON TABLE credit.repair IS '信用修复申请 (credit repair applications against a negative record or a list entry)';
COMMENT ON COLUMN credit.repair.repair_id IS '申请编号 (internal id)';
COMMENT ON COLUMN credit.repair.record_id IS '修复记录 (the negative record to repair; or entry_id)';
COMMENT ON COLUMN credit.repair.lineage_id IS '记录谱系 (the lineage of the record: the repair follows the record across corrections and repairs its newest version)';
COMMENT ON COLUMN credit.repair.entry_id IS '修复名单条目 (the list entry to repair; or record_id)';
COMMENT ON COLUMN credit.repair.subject_id IS '主体 (subject)';
COMMENT ON COLUMN credit.repair.department_id IS '认定部门 (the determining department, which decides)';
COMMENT ON COLUMN credit.repair.item_code IS '目录项 (catalogue item of the record)';
COMMENT ON COLUMN credit.repair.obligations_performed IS '已履行法定义务 (the obligations are fully performed)';
COMMENT ON COLUMN credit.repair.materials IS '申请材料 (materials handed in: 信用修复承诺书, 履行义务证明, others per catalogue item)';
COMMENT ON COLUMN credit.repair.commitment IS '信用修复承诺 (the text of the 信用修复型 commitment)';
COMMENT ON COLUMN credit.repair.commitment_id IS '承诺编号 (the commitment recorded with the application)';
COMMENT ON COLUMN credit.repair.filed_by IS '申请角色 (the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.repair.filed_at IS '申请时间 (filed at)';
COMMENT ON COLUMN credit.repair.state IS '状态 (已申请, 已受理, 已修复, 不予受理, 不予修复, 已撤回; changes only through credit.transition)';
COMMENT ON COLUMN credit.repair.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.repair.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.repair.deadline IS '决定时限 (decide by: 3 working days after acceptance)';
COMMENT ON COLUMN credit.repair.feedback_deadline IS '反馈时限 (the applicant hears back by: 10 working days after applying)';

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('repair', '信用修复', 'credit.repair', 'repair_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,deadline,feedback_deadline,record_id,lineage_id,entry_id,subject_id,department_id,item_code,commitment_id,filed_at,filed_by}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('repair', '已申请', true, false, 'applied for'),
    ('repair', '已受理', false, false, 'accepted; the determining department decides'),
    ('repair', '已修复', false, true, 'repaired: publicity ended, sharing stopped, delisted'),
    ('repair', '不予受理', false, true, 'not accepted'),
    ('repair', '不予修复', false, true, 'refused'),
    ('repair', '已撤回', false, true, 'withdrawn by the applicant');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('repair', '已申请', '已受理', '受理', '{信用中心,部门}', false, false),
    ('repair', '已申请', '不予受理', '不予受理', '{信用中心,部门}', false, true),
    ('repair', '已申请', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('repair', '已受理', '已修复', '决定修复', '{部门,信用中心}', false, false),
    ('repair', '已受理', '不予修复', '决定不予修复', '{部门,信用中心}', false, true),
    ('repair', '已受理', '已撤回', '撤回', '{信用网站,信用中心}', false, false);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, source) VALUES
    ('repair', '已申请', 'feedback_deadline', 10, NULL, '信用修复管理办法(国家发展改革委令第36号): 申请之日起 10 个工作日内反馈'),
    ('repair', '已受理', 'deadline', 3, NULL, '信用修复管理办法(国家发展改革委令第36号): 受理后 3 个工作日内作出决定');

-- Targets that get a sync event when a repair succeeds (departments,
-- upper platforms), and the events waiting for their acknowledgement.
CREATE TABLE credit.sync_target (
    target         text PRIMARY KEY CHECK (target ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    kind           text NOT NULL CHECK (kind IN ('部门', '上级平台')),
    department_id  integer REFERENCES credit.department,
    active         boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE credit.sync_target IS '同步对象 (departments and upper platforms told of every successful repair)';
COMMENT ON COLUMN credit.sync_target.target IS '对象代码 (code)';
COMMENT ON COLUMN credit.sync_target.name IS '名称 (name)';
COMMENT ON COLUMN credit.sync_target.kind IS '类别 (部门 or 上级平台)';
COMMENT ON COLUMN credit.sync_target.department_id IS '部门 (the department, for 部门 targets: its role acknowledges)';
COMMENT ON COLUMN credit.sync_target.active IS '启用 (gets events)';

CREATE TABLE credit.sync_event (
    sync_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repair_id        bigint NOT NULL REFERENCES credit.repair,
    target           text NOT NULL REFERENCES credit.sync_target ON UPDATE CASCADE,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  regrole,
    UNIQUE (repair_id, target),
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX sync_event_pending ON credit.sync_event (target) WHERE acknowledged_at IS NULL;
COMMENT ON TABLE credit.sync_event IS '修复同步事件 (one per registered target for each successful repair, waiting for its acknowledgement)';
COMMENT ON COLUMN credit.sync_event.sync_id IS '事件编号 (internal id)';
COMMENT ON COLUMN credit.sync_event.repair_id IS '修复申请 (the repair)';
COMMENT ON COLUMN credit.sync_event.target IS '同步对象 (target)';
COMMENT ON COLUMN credit.sync_event.queued_at IS '生成时间 (queued at)';
COMMENT ON COLUMN credit.sync_event.acknowledged_at IS '确认时间 (acknowledged at)';
COMMENT ON COLUMN credit.sync_event.acknowledged_by IS '确认角色 (acknowledged by)';

CREATE FUNCTION credit.acknowledge_sync(sync_id bigint) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.sync_event s SET acknowledged_at = now(), acknowledged_by = current_user::regrole
     WHERE s.sync_id = acknowledge_sync.sync_id AND s.acknowledged_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sync event % is not a pending event you can acknowledge', sync_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.acknowledge_sync(bigint) IS '确认同步 (a target acknowledges a repair''s sync event: the centre for any, a department for its own)';

-- A sync event is never changed or deleted, only acknowledged, once.
CREATE TRIGGER sync_event_content BEFORE UPDATE OR DELETE ON credit.sync_event
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('sync events',
        'Acknowledge it with credit.acknowledge_sync(sync_id).',
        'A sync event is only acknowledged, once, with credit.acknowledge_sync(sync_id).',
        'once:acknowledged_at', 'once:acknowledged_by');

-- ------------------------------------------------------------------
-- Filing: refused, with the reason, when it cannot succeed
-- ------------------------------------------------------------------
CREATE FUNCTION credit.repair_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rec credit.record;
    ent credit.list_entry;
    item credit.catalogue_item;
    missing text[];
    last_repair date;
BEGIN
    IF num_nonnulls(NEW.record_id, NEW.entry_id) <> 1 THEN
        RAISE EXCEPTION 'a repair application names one record or one list entry'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT NEW.obligations_performed THEN
        RAISE EXCEPTION 'credit repair needs the obligations to be fully performed'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Apply once the obligations of the decision are performed, with the proof.';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        -- what the filing may name (credit.filing_reference), before any lock
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        -- locked: a withdrawal or correction waits for the filing, or the
        -- filing for them (and then sees the record withdrawn)
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id FOR SHARE;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        SELECT * INTO item FROM credit.catalogue_item i WHERE i.item_code = rec.item_code;
        IF item.polarity <> '失信' OR rec.state <> '有效' OR rec.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'record % is not a negative record in force that can be repaired', NEW.record_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('Item %s is %s; the record is %s, publicity %s.', item.item_code, item.polarity,
                                      rec.state, rec.publicity_state);
        END IF;
        IF NOT item.repairable THEN
            RAISE EXCEPTION 'records of item "%" cannot be repaired', item.item_code
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = coalesce('Basis: ' || item.legal_basis || '.', 'The catalogue marks the item not repairable.');
        END IF;
        IF rec.severity <> '轻微' AND credit.legal_date() < rec.publicity_min_end THEN
            RAISE EXCEPTION 'record % can be repaired from %, when its minimum publicity period ends', NEW.record_id, rec.publicity_min_end
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('%s record under %s: at least until %s.', rec.severity, rec.rule_set, rec.publicity_min_end);
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(item.repair_materials) AS m WHERE m <> ALL (NEW.materials);
        IF item.repair_repeat_months IS NOT NULL THEN
            -- counted in legal dates (Beijing's, whatever the session's
            -- TimeZone): repaired on day D, a new application from D + N months
            SELECT credit.legal_date(max(p.state_since)) INTO last_repair FROM credit.repair p
             WHERE p.subject_id = rec.subject_id AND p.item_code = item.item_code AND p.state = '已修复';
            IF credit.legal_date() < (last_repair + make_interval(months => item.repair_repeat_months))::date THEN
                RAISE EXCEPTION 'subject % was repaired for item "%" on %: no new repair within % months',
                                rec.subject_id, item.item_code, pg_catalog.to_char(last_repair, 'YYYY-MM-DD'),
                                item.repair_repeat_months
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          DETAIL = format('A new application is possible from %s.',
                                          pg_catalog.to_char(last_repair + make_interval(months => item.repair_repeat_months), 'YYYY-MM-DD'));
            END IF;
        END IF;
        NEW.lineage_id := rec.lineage_id;
        NEW.subject_id := rec.subject_id;
        NEW.department_id := rec.department_id;
        NEW.item_code := rec.item_code;
    ELSE
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id FOR SHARE;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        IF ent.state <> '列入中' THEN
            RAISE EXCEPTION 'list entry % is % and cannot be repaired', NEW.entry_id, ent.state
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF NOT (SELECT k.repairable FROM credit.list_kind k WHERE k.list_kind = ent.list_kind) THEN
            RAISE EXCEPTION 'entries of list "%" cannot be repaired', ent.list_kind
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF credit.legal_date() < ent.early_removal_from THEN
            RAISE EXCEPTION 'list entry % can be repaired from %', NEW.entry_id, ent.early_removal_from
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Early removal may be requested only after the period of its list kind.';
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(ARRAY['信用修复承诺书', '履行义务证明']) AS m WHERE m <> ALL (NEW.materials);
        NEW.lineage_id := NULL;
        NEW.subject_id := ent.subject_id;
        NEW.department_id := ent.department_id;
        NEW.item_code := NULL;
    END IF;
    IF cardinality(missing) > 0 THEN
        RAISE EXCEPTION 'the application lacks: %', array_to_string(missing, ', ')
            USING ERRCODE = 'not_null_violation', HINT = 'Hand in every material and list it in materials.';
    END IF;
    IF EXISTS (SELECT FROM credit.repair p
                WHERE p.state IN ('已申请', '已受理')
                  AND (p.lineage_id = NEW.lineage_id OR p.entry_id = NEW.entry_id)) THEN
        RAISE EXCEPTION 'an open repair application for this % exists', CASE WHEN NEW.record_id IS NULL THEN 'list entry' ELSE 'record' END
            USING ERRCODE = 'unique_violation', HINT = 'Wait for its decision or withdraw it.';
    END IF;
    INSERT INTO credit.commitment (subject_id, kind, content) VALUES (NEW.subject_id, '信用修复型', NEW.commitment)
    RETURNING commitment_id INTO NEW.commitment_id;
    NEW.filed_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.repair_before_insert() IS '触发器: 修复申请 (trigger: refuses an application that cannot succeed, with the reason: obligations not performed, not a negative record in force, item not repairable, minimum period not passed, repeat limit, materials missing, an open application; records the 信用修复型 commitment)';

-- 已修复: publicity ends and sharing stops, the entries go, sync events
-- queue.  On the newest version of the record (a correction made meanwhile
-- is followed) and the entries based on any version of it.  The commitment
-- is locked first: a breach recorded meanwhile waits for the decision (and
-- then republishes the record), or the decision waits for the breach (and
-- is refused); the entries are locked, and those the sweep moved meanwhile
-- are left as they are.
CREATE FUNCTION credit.repair_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    why text := pg_catalog.format('信用修复 %s', NEW.repair_id);
    cur bigint;
    entries bigint[];
    broken timestamptz;
BEGIN
    IF NEW.state <> '已修复' OR OLD.state = '已修复' THEN
        RETURN NULL;
    END IF;
    SELECT c.broken_at INTO broken FROM credit.commitment c WHERE c.commitment_id = NEW.commitment_id FOR UPDATE;
    IF broken IS NOT NULL THEN
        RAISE EXCEPTION 'repair % cannot be granted: its commitment % was broken', NEW.repair_id, NEW.commitment_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('The commitment was broken on %s.', credit.legal_date(broken)),
                  HINT = 'Decide 不予修复 with the breach as the reason.';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        SELECT r.record_id INTO cur FROM credit.record r
         WHERE r.lineage_id = NEW.lineage_id AND r.state = '有效' FOR UPDATE;
        IF cur IS NULL THEN
            RAISE EXCEPTION 'repair % cannot be granted: record % is no longer in force', NEW.repair_id, NEW.record_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'The record was withdrawn; decide 不予修复 or let the applicant withdraw.';
        END IF;
        PERFORM credit.transition('record_publicity', cur, '已修复', why,
                                  pg_catalog.jsonb_build_object('repair_id', NEW.repair_id));
    END IF;
    entries := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                      WHERE e.state IN ('列入中', '应移出')
                        AND (e.entry_id = NEW.entry_id
                             OR e.basis_record_id IN (SELECT r.record_id FROM credit.record r WHERE r.lineage_id = NEW.lineage_id))
                      ORDER BY e.entry_id FOR UPDATE);
    PERFORM credit.transition('list_entry', entries, '已移出', why, pg_catalog.jsonb_build_object('repair_id', NEW.repair_id));
    INSERT INTO credit.sync_event (repair_id, target)
    SELECT NEW.repair_id, t.target FROM credit.sync_target t WHERE t.active;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.repair_effects() IS '触发器: 修复的效果 (trigger: on 已修复 the newest version of the record leaves publicity and sharing, the entries based on any version of it are removed, and one sync event per active target is queued; refused when the commitment was broken or the record withdrawn meanwhile)';

CREATE TRIGGER repair_access BEFORE INSERT ON credit.repair
    FOR EACH ROW WHEN (NOT credit.restoring('credit.repair')) EXECUTE FUNCTION credit.filing_access();
CREATE TRIGGER repair_before_insert BEFORE INSERT ON credit.repair
    FOR EACH ROW WHEN (NOT credit.restoring('credit.repair')) EXECUTE FUNCTION credit.repair_before_insert();
CREATE TRIGGER repair_machine BEFORE INSERT OR UPDATE ON credit.repair
    FOR EACH ROW WHEN (NOT credit.restoring('credit.repair')) EXECUTE FUNCTION credit.workflow_guard('repair');
CREATE TRIGGER repair_effects AFTER UPDATE OF state ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.repair_effects();
CREATE TRIGGER repair_no_delete BEFORE DELETE ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('repair applications', 'Withdraw it with credit.transition(''repair'', repair_id, ''已撤回'').', '');
CREATE TRIGGER repair_no_truncate BEFORE TRUNCATE ON credit.repair
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

CREATE FUNCTION credit.commitment_breach_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    records bigint[];
BEGIN
    IF OLD.broken_at IS NOT NULL OR NEW.broken_at IS NULL OR NEW.kind <> '信用修复型' THEN
        RETURN NULL;
    END IF;
    records := ARRAY(SELECT r.record_id FROM credit.repair p JOIN credit.record r ON r.lineage_id = p.lineage_id
                      WHERE p.commitment_id = NEW.commitment_id AND p.state = '已修复'
                        AND r.state = '有效' AND r.publicity_state = '已修复'
                      ORDER BY r.record_id FOR UPDATE OF r);
    PERFORM credit.transition('record_publicity', records, '公示中',
                              format('违反信用修复承诺 (承诺 %s): %s', NEW.commitment_id, NEW.broken_reason),
                              jsonb_build_object('commitment_id', NEW.commitment_id));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.commitment_breach_effects() IS '触发器: 违反修复承诺 (trigger: a breach of a 信用修复型 commitment puts the repaired record back into publicity until its full maximum period)';
CREATE TRIGGER commitment_breach_effects AFTER UPDATE OF broken_at ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.commitment_breach_effects();

SELECT pg_catalog.pg_extension_config_dump('credit.repair', '');
SELECT pg_catalog.pg_extension_config_dump('credit.sync_target', '');
SELECT pg_catalog.pg_extension_config_dump('credit.sync_event', '');
-- The install script, part 55: layer 5, what is overdue: open objections
-- (accepted or not) and repairs past their deadlines, records still in
-- force past the withdrawal their revoked decision calls for, list entries past
-- their deletion date or, when due for removal (应移出), past its deadline.
-- Row security of the tables read applies (security_invoker); privileges:
-- 91_privileges.sql.

-- ------------------------------------------------------------------
-- Overdue: what is late, by machine and department, and by how much
-- ------------------------------------------------------------------
CREATE VIEW credit.workflow_overdue WITH (security_invoker = true) AS
SELECT 'objection'::text AS machine, o.objection_id AS object_id, o.department_id, o.state,
       'deadline'::text AS deadline_kind, o.deadline,
       credit.working_days_between(o.deadline, credit.legal_date()) AS working_days_late
  FROM credit.objection o
 WHERE o.state IN ('已提交', '已受理', '部门核查') AND o.deadline < credit.legal_date()
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'deadline', p.deadline,
       credit.working_days_between(p.deadline, credit.legal_date())
  FROM credit.repair p
 WHERE p.state = '已受理' AND p.deadline < credit.legal_date()
UNION ALL
SELECT 'repair', p.repair_id, p.department_id, p.state, 'feedback_deadline', p.feedback_deadline,
       credit.working_days_between(p.feedback_deadline, credit.legal_date())
  FROM credit.repair p
 WHERE p.state IN ('已申请', '已受理') AND p.feedback_deadline < credit.legal_date()
UNION ALL
SELECT 'record', r.record_id, r.department_id, r.state::text, 'withdrawal_due', r.withdrawal_due,
       credit.working_days_between(r.withdrawal_due, credit.legal_date())
  FROM credit.record r
 WHERE r.state = '有效' AND r.withdrawal_due IS NOT NULL AND r.withdrawal_due < credit.legal_date()
   -- (a department reads other departments' public and shared records:
   -- it sees only its own late; the centre all)
   AND coalesce(r.department_id = (SELECT credit.current_department_id()), true)
UNION ALL
SELECT 'list_entry', e.entry_id, e.department_id, e.state, 'deletion_due', e.deletion_due,
       credit.working_days_between(e.deletion_due, credit.legal_date())
  FROM credit.list_entry e
 WHERE e.state IN ('列入中', '应移出') AND e.deletion_due < credit.legal_date()
UNION ALL
SELECT 'list_entry', e.entry_id, e.department_id, e.state, 'removal_due', e.removal_due,
       credit.working_days_between(e.removal_due, credit.legal_date())
  FROM credit.list_entry e
 WHERE e.state = '应移出' AND e.removal_due < credit.legal_date();
COMMENT ON VIEW credit.workflow_overdue IS '逾期事项 (what is late: open objections, accepted or not, and repairs past their deadlines, records in force past their withdrawal deadline (decision revoked), list entries still on the list past their deletion date or past the removal deadline of 应移出; working days late; rows as the caller may see)';
COMMENT ON COLUMN credit.workflow_overdue.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue.object_id IS '对象编号 (objection_id, repair_id, record_id or entry_id)';
COMMENT ON COLUMN credit.workflow_overdue.department_id IS '部门 (the department responsible)';
COMMENT ON COLUMN credit.workflow_overdue.state IS '状态 (current state)';
COMMENT ON COLUMN credit.workflow_overdue.deadline_kind IS '时限类别 (deadline, feedback_deadline, withdrawal_due, deletion_due or removal_due)';
COMMENT ON COLUMN credit.workflow_overdue.deadline IS '时限 (the date it was due)';
COMMENT ON COLUMN credit.workflow_overdue.working_days_late IS '逾期工作日 (working days late)';

CREATE VIEW credit.workflow_overdue_by_department WITH (security_invoker = true) AS
SELECT w.machine, w.department_id, d.name AS department, w.deadline_kind, count(*) AS overdue,
       max(w.working_days_late) AS worst_working_days_late
  FROM credit.workflow_overdue w
  LEFT JOIN credit.department d USING (department_id)
 GROUP BY w.machine, w.department_id, d.name, w.deadline_kind;
COMMENT ON VIEW credit.workflow_overdue_by_department IS '部门逾期统计 (overdue items per machine and department, and the worst delay in working days)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.department IS '部门 (department)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.deadline_kind IS '时限类别 (kind of deadline)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.overdue IS '逾期数 (items late)';
COMMENT ON COLUMN credit.workflow_overdue_by_department.worst_working_days_late IS '最长逾期工作日 (most working days late)';
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
            ('collection_rule', 'the collection rules')) AS v(name, what)
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
-- execution of a query.
--   record_public: disclosure = '公开' AND state = '有效'
--     AND publicity_start <= credit.legal_date()
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
CREATE POLICY record_public ON credit.record FOR SELECT
    USING (credit.record_is_public(disclosure, state, publicity_start, publicity_end));
-- What a department reads: a 部门共享 row in force, not repaired and inside
-- its period, and its own rows in every state, when the caller is
-- registered as a department (false for everyone else):
--   credit.in_department_scope(CASE WHEN disclosure = '部门共享' AND state = '有效'
--     AND publicity_state <> '已修复'
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0
--     ELSE department_id END)
CREATE POLICY record_department ON credit.record FOR SELECT TO credit_department_parties
    USING (credit.record_department_reads(department_id, disclosure, state, publicity_state, publicity_end));
CREATE POLICY record_centre ON credit.record FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
-- whoever inserts, inserts as itself (the centre also moves records others
-- submitted, e.g. 停止公示, so its own policy cannot ask for that)
CREATE POLICY record_insert_as_oneself ON credit.record AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
-- (its 公开 records within the public's rules: record_public)
CREATE POLICY record_acting ON credit.record FOR SELECT TO credit_portal_parties
    USING (disclosure = '授权查询' AND state = '有效' AND credit.acting_for(subject_id));
--   record_authorised: disclosure = '授权查询' AND state = '有效' AND publicity_state <> '已修复'
--     AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
--     AND credit.authorised_for(subject_id, category)
CREATE POLICY record_authorised ON credit.record FOR SELECT TO credit_agency_parties, credit_department_parties
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
COMMENT ON POLICY record_public ON credit.record IS '公开: 公示期内的有效记录, 所有人可见 (public, in force, inside its publicity period: everyone)';
COMMENT ON POLICY record_department ON credit.record IS '部门: 有效、未修复且在公示期内的部门共享记录和本部门报送的记录 (a registered department: department-shared records in force, not repaired and inside their period (the 5-year limit and the publicity end apply to sharing too), and its own submissions in every state)';
COMMENT ON POLICY record_centre ON credit.record IS '信用中心 (the centre: everything)';
COMMENT ON POLICY record_insert_as_oneself ON credit.record IS '只能以自己的名义报送 (every role inserts as itself)';
COMMENT ON POLICY record_acting ON credit.record IS '主体本人经信用网站查看 (the subject, through the portal acting for it: its 授权查询 records in force; its 公开 ones within the public''s rules, record_public)';
COMMENT ON POLICY record_authorised ON credit.record IS '授权查询: 已启用有效授权的被授权方, 限授权范围和公示期 (a grantee that has opened a valid authorisation, within its scope, while the record is inside its period: the 5-year limit and the publicity end apply to authorised use too)';
COMMENT ON POLICY record_department_insert ON credit.record IS '部门只报送本部门目录项的记录 (a department submits records of its own catalogue items, as itself)';
COMMENT ON POLICY record_department_update ON credit.record IS '部门只撤回/更正本部门记录 (a department withdraws or corrects only its own records)';

-- ------------------------------------------------------------------
-- List entries
-- ------------------------------------------------------------------

CREATE POLICY list_entry_public ON credit.list_entry FOR SELECT
    USING (disclosure = '公开' AND removed_on IS NULL AND listed_on <= credit.legal_date()
           AND (expires_on IS NULL OR expires_on > credit.legal_date()));
CREATE POLICY list_entry_department ON credit.list_entry FOR SELECT TO credit_department_parties
    USING (credit.in_department_scope(
               CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
                    AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0 ELSE department_id END));
CREATE POLICY list_entry_centre ON credit.list_entry FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY list_entry_insert_as_oneself ON credit.list_entry AS RESTRICTIVE FOR INSERT
    WITH CHECK (submitted_by = current_user::regrole);
CREATE POLICY list_entry_acting ON credit.list_entry FOR SELECT TO credit_portal_parties
    USING (disclosure = '授权查询' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date())
           AND credit.acting_for(subject_id));
CREATE POLICY list_entry_authorised ON credit.list_entry FOR SELECT TO credit_agency_parties, credit_department_parties
    USING (disclosure = '授权查询' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date())
           AND credit.opened_for(subject_id)
           AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN '红' THEN '红名单' ELSE '黑名单' END::credit.catalogue_category
                                                    FROM credit.list_kind k WHERE k.list_kind = list_entry.list_kind)));
CREATE POLICY list_entry_department_insert ON credit.list_entry FOR INSERT TO credit_department_parties
    WITH CHECK (department_id = (SELECT credit.current_department_id())
                AND submitted_by = current_user::regrole);
CREATE POLICY list_entry_department_update ON credit.list_entry FOR UPDATE TO credit_department_parties
    USING (credit.in_own_department(department_id))
    WITH CHECK (credit.in_own_department(department_id));
COMMENT ON POLICY list_entry_public ON credit.list_entry IS '公开名单: 列入期内所有人可见 (public entries inside their term: everyone)';
COMMENT ON POLICY list_entry_department ON credit.list_entry IS '部门: 列入期内的部门共享条目和本部门认定的条目 (a registered department: department-shared entries inside their term and not removed, and its own entries)';
COMMENT ON POLICY list_entry_centre ON credit.list_entry IS '信用中心 (the centre: everything)';
COMMENT ON POLICY list_entry_insert_as_oneself ON credit.list_entry IS '只能以自己的名义认定 (every role lists as itself)';
COMMENT ON POLICY list_entry_acting ON credit.list_entry IS '主体本人经信用网站查看 (the subject through the portal: its 授权查询 entries inside their term; its 公开 ones within the public''s rules, list_entry_public)';
COMMENT ON POLICY list_entry_authorised ON credit.list_entry IS '授权查询: 已启用授权的被授权方, 限授权范围 (grantees with an open authorisation whose scope covers the entry: a red list counts as 红名单, a black list as 黑名单)';
COMMENT ON POLICY list_entry_department_insert ON credit.list_entry IS '部门只认定本部门条目 (a department lists as itself)';
COMMENT ON POLICY list_entry_department_update ON credit.list_entry IS '部门只移出本部门条目 (a department removes only its own entries)';

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
                AND EXISTS (SELECT 1 FROM credit.authorisation a
                             WHERE a.authorisation_id = access_log.authorisation_id
                               AND a.subject_id = access_log.subject_id
                               AND a.grantee = current_user::regrole
                               AND a.revoked_at IS NULL
                               AND clock_timestamp() >= a.valid_from AND clock_timestamp() < a.valid_until));
COMMENT ON POLICY access_log_centre ON credit.access_log IS '信用中心 (the centre reads the whole log)';
COMMENT ON POLICY access_log_acting ON credit.access_log IS '主体查看谁查询了自己 (the subject, through the portal, sees who queried it)';
COMMENT ON POLICY access_log_own ON credit.access_log IS '查询方看自己的查询 (a grantee sees its own reads)';
COMMENT ON POLICY access_log_insert ON credit.access_log IS '只能以自己的名义、凭有效授权记录 (a row is written as oneself, under a valid authorisation of one''s own)';

-- ------------------------------------------------------------------
-- Commitments: the centre everything; the subject (through the portal)
-- reads its own; the department deciding a repair reads it and records
-- a breach.
-- ------------------------------------------------------------------
CREATE POLICY commitment_centre ON credit.commitment FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY commitment_acting ON credit.commitment FOR SELECT TO credit_portal_parties
    USING (subject_id = (SELECT credit.acting_subject()));
CREATE POLICY commitment_department ON credit.commitment FOR ALL TO credit_department_parties
    USING (EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                    AND p.department_id = (SELECT credit.current_department_id())))
    WITH CHECK (EXISTS (SELECT FROM credit.repair p WHERE p.commitment_id = commitment.commitment_id
                         AND p.department_id = (SELECT credit.current_department_id())));
COMMENT ON POLICY commitment_centre ON credit.commitment IS '信用中心 (the centre: everything)';
COMMENT ON POLICY commitment_acting ON credit.commitment IS '主体经信用网站查看自己的承诺 (the subject, through the portal)';
COMMENT ON POLICY commitment_department ON credit.commitment IS '认定部门查看并记录违诺 (the department deciding the repair reads it and records a breach)';

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
REVOKE EXECUTE ON FUNCTION credit.sweep(date, integer) FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE credit.uninstall() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.objection_before_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.objection_effects() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION credit.collection_batch_close() FROM PUBLIC;

-- ------------------------------------------------------------------
-- The owner of the public views (40_disclosure.sql) reads the base tables
-- under the portal's row security.
-- ------------------------------------------------------------------
GRANT USAGE ON SCHEMA credit TO credit_public_views;
GRANT SELECT ON credit.record, credit.subject, credit.list_entry, credit.list_kind TO credit_public_views;

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
    -- every registered role: the schema, the reference data, the public views
    common constant text[] := ARRAY[
        'USAGE ON SCHEMA credit',
        'SELECT ON credit.department, credit.party, credit.catalogue_item, credit.catalogue_period, '
            'credit.list_kind, credit.calendar_year, credit.calendar_day, credit.rule_set, '
            'credit.rule_set_period, credit.machine, credit.machine_state, credit.machine_transition, '
            'credit.machine_deadline, credit.sync_target, credit.collection_rule',
        'SELECT ON credit.public_record, credit.public_subject, credit.public_list_entry'];
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
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'INSERT (record_id, entry_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'UPDATE (enabled, severity) ON credit.collection_rule'];
    WHEN '部门' THEN own := ARRAY[
        'SELECT ON credit.subject, credit.subject_old_code, credit.record, credit.list_entry, '
            'credit.authorisation, credit.access_log, credit.commitment, credit.sgs_timeliness',
        'INSERT ON credit.subject_old_code, credit.record, credit.record_load, credit.list_entry, '
            'credit.access_log',
        'UPDATE (state, state_reason) ON credit.record',
        'UPDATE (state) ON credit.list_entry',
        'UPDATE (performance, broken_at, broken_reason) ON credit.commitment',
        'SELECT, INSERT ON credit.workflow_event',
        'SELECT ON credit.objection, credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair',
        'SELECT, UPDATE (acknowledged_at, acknowledged_by) ON credit.sync_event',
        'SELECT ON credit.workflow_overdue, credit.workflow_overdue_by_department',
        'SELECT ON credit.collection_batch, credit.collection_staging, credit.collection_error, credit.collection_quality',
        'INSERT (item_code, file_name, header_lines) ON credit.collection_batch',
        'UPDATE (state) ON credit.collection_batch',
        'INSERT ON credit.collection_load, credit.collection_staging, credit.collection_error',
        'DELETE ON credit.collection_staging'];
    WHEN '信用网站' THEN own := masked || ARRAY[
        'SELECT ON credit.list_entry, credit.access_log, credit.commitment',
        'SELECT, INSERT ON credit.authorisation',
        'UPDATE (revoked_at, revoked_reason) ON credit.authorisation',
        'EXECUTE ON FUNCTION credit.subject_exists(bigint)',
        pg_catalog.format('SELECT (%s) ON credit.workflow_event', credit.masked_columns('credit.workflow_event')),
        'INSERT ON credit.workflow_event',
        pg_catalog.format('SELECT (%s) ON credit.objection', credit.masked_columns('credit.objection')),
        'SELECT ON credit.repair',
        'INSERT (record_id, entry_id, grounds, claim, materials) ON credit.objection',
        'INSERT (record_id, entry_id, obligations_performed, materials, commitment) ON credit.repair',
        'UPDATE (state) ON credit.objection, credit.repair'];
    WHEN '授权机构' THEN own := masked || ARRAY[
        'SELECT ON credit.subject_old_code, credit.list_entry, credit.authorisation, credit.access_log',
        'INSERT ON credit.access_log'];
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
-- The install script, part 95: what pg_dump keeps of credit, and how
-- pg_restore puts it back (docs/operations.md, "Backup and restore").
--
-- Every table of the extension is a configuration table
-- (pg_extension_config_dump), so pg_dump dumps its rows, as COPY of whole
-- rows, after CREATE EXTENSION credit; the insert triggers let a
-- superuser's restore through unchanged (credit.restoring(), 05_triggers.sql).
-- scripts/test_restore.sh fails for a table that is not marked.
--   - rows only clients and the DBA write: the whole table, marked where
--     the table is created;
--   - the working-day calendar: shipped rows never change (calendar_guard),
--     so only the DBA's rows are dumped ('WHERE NOT shipped', 21_calendar.sql);
--   - the rule sets, the machines and the collection rules below: shipped rows the DBA may change
--     (a deadline, a reason rule) and rows the DBA adds.  The whole table
--     is dumped; on restore a dumped row with the key of a shipped row
--     updates it (credit.restore_shipped_row()), so the DBA's version wins.
--     A shipped row the DBA deleted comes back with CREATE EXTENSION.

DO $shipped$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rule_set', 'rule_set_period', 'machine', 'machine_state',
                             'machine_transition', 'machine_deadline', 'collection_rule'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I FOR EACH ROW'
                                  ' WHEN (credit.restoring(%L)) EXECUTE FUNCTION credit.restore_shipped_row()',
                                  t || '_restore_shipped', t, 'credit.' || t);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON credit.%I IS %L', t || '_restore_shipped', t,
                                  '恢复内置行 (on restore, a dumped row with the key of a shipped row updates it)');
    END LOOP;
END
$shipped$;
SELECT pg_catalog.pg_extension_config_dump('credit.machine', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_state', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_transition', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_deadline', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_rule', '');

-- The key sequences: pg_dump dumps a sequence's position only when it is
-- marked, so after a restore the next id would collide with a restored
-- row.  Every sequence of the extension's tables (the identity columns).
DO $sequences$
DECLARE
    s regclass;
BEGIN
    FOR s IN SELECT d.objid::pg_catalog.regclass
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
               JOIN pg_catalog.pg_depend e ON e.objid OPERATOR(pg_catalog.=) d.refobjid
                                          AND e.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                          AND e.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                                          AND e.deptype OPERATOR(pg_catalog.=) 'e'
              WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                AND d.deptype OPERATOR(pg_catalog.=) 'i' AND c.relkind OPERATOR(pg_catalog.=) 'S'
                AND e.refobjid OPERATOR(pg_catalog.=) (SELECT x.oid FROM pg_catalog.pg_extension x
                                                        WHERE x.extname OPERATOR(pg_catalog.=) 'credit')
              ORDER BY 1 LOOP
        PERFORM pg_catalog.pg_extension_config_dump(s, '');
    END LOOP;
END
$sequences$;
