-- Installation: the extension, its catalogue objects and its refusals.
\set VERBOSITY default
\set regress_db :DBNAME

-- A non-UTF8 database is refused, with nothing left behind.
CREATE DATABASE regress_credit_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c regress_credit_ascii
CREATE EXTENSION credit;
SELECT count(*) AS credit_extensions FROM pg_extension WHERE extname = 'credit';
SELECT count(*) AS credit_schemas FROM pg_namespace WHERE nspname = 'credit';
\c :regress_db
DROP DATABASE regress_credit_ascii;

-- A schema "credit" that holds objects, or that others may create in, is
-- refused and left as it was; an empty one of a superuser is used.
CREATE DATABASE regress_credit_schema ENCODING 'UTF8' TEMPLATE template0;
\c regress_credit_schema
CREATE SCHEMA credit;
CREATE FUNCTION credit.planted() RETURNS int LANGUAGE sql RETURN 1;
CREATE EXTENSION credit;
SELECT count(*) AS credit_extensions FROM pg_extension WHERE extname = 'credit';
SELECT count(*) AS objects_left_in_credit FROM pg_proc WHERE pronamespace = 'credit'::regnamespace;
DROP FUNCTION credit.planted();
GRANT CREATE ON SCHEMA credit TO PUBLIC;
CREATE EXTENSION credit;
REVOKE CREATE ON SCHEMA credit FROM PUBLIC;
CREATE ROLE regress_schema_owner NOLOGIN;
ALTER SCHEMA credit OWNER TO regress_schema_owner;
CREATE EXTENSION credit;
ALTER SCHEMA credit OWNER TO CURRENT_USER;
CREATE EXTENSION credit;
SELECT extname, extversion FROM pg_extension WHERE extname = 'credit';
-- Once it holds data, DROP EXTENSION and DROP SCHEMA ... CASCADE are
-- refused, until a superuser sets credit.allow_drop; without data, it drops.
INSERT INTO credit.subject (kind, uscc, name) VALUES ('企业法人', '91350100M000100Y43', '示例公司');
DROP EXTENSION credit;
DROP SCHEMA credit CASCADE;
DROP EXTENSION IF EXISTS credit_archive;   -- another extension: not guarded
SELECT count(*) AS subjects_kept FROM credit.subject;
SET credit.allow_drop = on;
DROP EXTENSION credit;
RESET credit.allow_drop;
SELECT count(*) AS credit_extensions FROM pg_extension WHERE extname = 'credit';
CREATE EXTENSION credit;
DROP EXTENSION credit;
SELECT count(*) AS credit_extensions FROM pg_extension WHERE extname = 'credit';
-- a department cannot lift the guard
SET ROLE regress_schema_owner;
SET credit.allow_drop = on;
RESET ROLE;
\c :regress_db
DROP DATABASE regress_credit_schema;
DROP ROLE regress_schema_owner;

CREATE EXTENSION credit;
SELECT extname, extversion, extnamespace::regnamespace AS schema, extrelocatable
  FROM pg_extension WHERE extname = 'credit';
-- the installed and the library version agree (the Makefile takes both from credit.control)
SELECT * FROM credit.version();
-- and a library that does not match the installed version says so
BEGIN;
UPDATE pg_extension SET extversion = '0.0' WHERE extname = 'credit';
SELECT * FROM credit.version();
ROLLBACK;

-- Every operator class of the extension passes the access method's checks.
SELECT opc.opcname, am.amname, amvalidate(opc.oid) AS valid
  FROM pg_opclass opc
  JOIN pg_am am ON am.oid = opc.opcmethod
 WHERE opc.opcnamespace = 'credit'::regnamespace
 ORDER BY 1, 2;

-- Each type's default btree and hash classes are the extension's.
SELECT t.typname, am.amname, opc.opcname, opc.opcdefault
  FROM pg_opclass opc
  JOIN pg_am am ON am.oid = opc.opcmethod
  JOIN pg_type t ON t.oid = opc.opcintype
 WHERE t.typnamespace = 'credit'::regnamespace
 ORDER BY 1, 2;

-- Storage: uscc is 12 bytes by reference, resident_id 8 bytes by value.
SELECT typname, typlen, typbyval, typalign, typstorage
  FROM pg_type WHERE typnamespace = 'credit'::regnamespace AND typtype = 'b' AND typcategory <> 'A'
 ORDER BY 1;

-- Every function, type, operator, operator class and cast of the extension
-- carries a comment (reporting tools show them).
SELECT pg_describe_object(d.classid, d.objid, 0) AS uncommented
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'credit')
   AND d.deptype = 'e'
   AND obj_description(d.objid, d.classid::regclass::text) IS NULL
   AND NOT (d.classid = 'pg_type'::regclass
            AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objid AND t.typcategory = 'A'))
   -- identity sequences belong to their column
   AND NOT (d.classid = 'pg_class'::regclass
            AND EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass
                           AND i.objid = d.objid AND i.deptype = 'i'))
 ORDER BY 1;
-- ... and so does every column of its tables and views.
SELECT a.attrelid::regclass AS relation, a.attname AS uncommented_column
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind IN ('r', 'v')
   AND a.attnum > 0 AND NOT a.attisdropped
   AND col_description(a.attrelid, a.attnum) IS NULL
 ORDER BY 1, 2;

-- Every column of credit.record is declared in credit.record_columns()
-- (the source of the load view, the corrections, the public view and the
-- portal's column privileges), or is the masked column it shows: a column
-- named here would be in none of them.
SELECT a.attname AS undeclared_record_column
  FROM pg_attribute a
 WHERE a.attrelid = 'credit.record'::regclass AND a.attnum > 0 AND NOT a.attisdropped
   AND a.attname NOT IN (SELECT column_name FROM credit.record_columns())
   AND a.attname NOT IN (SELECT public_source FROM credit.record_columns() WHERE public_source IS NOT NULL)
 ORDER BY 1;
-- A personal column is shown to the public only masked (a generated column).
SELECT c.column_name AS unmasked_personal_column
  FROM credit.record_columns() c
 WHERE c.column_name IN ('subject_name', 'subject_resident_id', 'legal_rep_id')
   AND c.public_source IS NOT DISTINCT FROM c.column_name;
-- The portal reads credit.record through the public view's columns only:
-- no personal column is granted to it.
SELECT pg_catalog.unnest(pg_catalog.string_to_array(credit.view_columns('credit.public_record', 'credit.record'), ', '))
       AS portal_record_column;
SELECT pg_catalog.unnest(pg_catalog.string_to_array(credit.view_columns('credit.public_subject', 'credit.subject'), ', '))
       AS portal_subject_column;

-- Every function that runs with the owner's rights pins a search path that
-- ends in pg_temp (temporary objects of the caller shadow nothing), and so
-- does every function that sets one.
SELECT p.oid::regprocedure AS unsafe_search_path, p.prosecdef AS definer, p.proconfig
  FROM pg_proc p
 WHERE p.pronamespace = 'credit'::regnamespace
   AND (p.prosecdef OR EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'))
   AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*pg_temp$')
 ORDER BY 1;
-- The functions in SQL or PL/pgSQL that pin no search path, by name: a
-- function that drops its SET search_path shows up here (a change must be
-- deliberate; a SET clause also keeps an SQL function from being inlined).
SELECT p.oid::regprocedure AS unpinned_search_path, l.lanname AS language
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'credit'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
   AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
 ORDER BY 1::text;

-- Markings of every function: volatility, strictness, parallel safety,
-- leakproofness.  A change here must be deliberate.
SELECT p.oid::regprocedure AS function, p.provolatile AS vol, p.proisstrict AS strict,
       p.proparallel AS par, p.proleakproof AS leakproof
  FROM pg_proc p
 WHERE p.pronamespace = 'credit'::regnamespace
 ORDER BY p.oid::regprocedure::text;

-- Settings live under a reserved prefix.
SHOW credit.uscc_lenient;
SET credit.uscc_lenent = on;
SET credit.uscc_lenient = on;
SHOW credit.uscc_lenient;
RESET credit.uscc_lenient;
