-- credit--0.1.sql, part 00: install guard.
-- The Makefile concatenates extension/[0-9]*.sql in order into credit--0.1.sql.

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
