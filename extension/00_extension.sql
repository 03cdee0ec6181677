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
