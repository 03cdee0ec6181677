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
-- What a statement's error says, all of it: 'SQLSTATE: message | detail |
-- hint' (NULL when it succeeds), so a test can tell which rule refused.
CREATE OR REPLACE FUNCTION public.regress_error(statement text) RETURNS text
    LANGUAGE plpgsql AS $regress_error$
DECLARE
    state text; message text; detail text; hint text;
BEGIN
    EXECUTE statement;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN state || ': ' || message || ' | ' || detail || ' | ' || hint;
END
$regress_error$;
\ir fixtures.sql
RESET client_min_messages;
SET search_path = public, credit;
