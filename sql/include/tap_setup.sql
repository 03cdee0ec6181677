\set ECHO none
-- The preamble of every pgTAP file: \i sql/include/tap_setup.sql first,
-- then SELECT plan(N); at the end SELECT * FROM finish(); and
-- \i sql/include/tap_teardown.sql.
--
-- From here on psql echoes nothing (pgTAP's own test/setup.sql does the
-- same): the expected output of a pgTAP file is its TAP stream, plus what
-- the statements between the assertions print.  scripts/test.sh counts the
-- "ok" and "not ok" lines of it.
\set ECHO none
\set VERBOSITY terse
\pset pager off
\pset format unaligned
\pset tuples_only on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
\ir fixtures.sql
RESET client_min_messages;
SET search_path = public, credit;
