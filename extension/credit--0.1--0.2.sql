-- credit--0.1--0.2.sql: ALTER EXTENSION credit UPDATE from 0.1 (released,
-- extension/released/credit--0.1.sql) to 0.2 (the parts extension/[0-9]*.sql).
--
-- Every change made to the parts since 0.1 comes here too, in the same
-- commit, as the statements that take an installed 0.1 to what a fresh
-- CREATE EXTENSION credit installs: CREATE OR REPLACE FUNCTION for a changed
-- function (DROP FUNCTION first when its signature or result changes), ALTER
-- TABLE for a new column or constraint, COMMENT ON for a changed comment,
-- the policies and grants of a new object (to the credit_*_parties groups,
-- and what credit.grant_party gives the roles registered already), its
-- pg_catalog.pg_extension_config_dump for a new table, and the rows a shipped
-- reference table gains or changes (INSERT or UPDATE of the shipped rows
-- only: the rows a DBA added or changed stay theirs).  Qualify every name, as
-- the parts do.
--
-- scripts/test_update.sh installs 0.1, loads data, runs ALTER EXTENSION
-- credit UPDATE and compares the catalogue and the shipped rows with a fresh
-- install of 0.2: a change made to a part only fails there, naming what
-- differs.  A C function the frozen 0.1 script names stays in the library.

\echo Use "ALTER EXTENSION credit UPDATE TO '0.2'" to load this file. \quit

-- Changes since 0.1, in the order they were made: none yet.
