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

COMMENT ON SCHEMA credit IS '公共信用信息数据层 (credit extension): identifier types, credit data model, disclosure row security and workflows';
