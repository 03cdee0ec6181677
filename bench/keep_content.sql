\set QUIET on
-- Scratch tables for bench/keep_content.sh: the same 1M rows with no trigger,
-- with credit.keep_content() and with a PL/pgSQL to_jsonb guard.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
DROP TABLE IF EXISTS kb_none, kb_c, kb_plpgsql;
CREATE TABLE kb_none (id bigint PRIMARY KEY, subject_id bigint NOT NULL, list_kind text NOT NULL,
    reason text NOT NULL, decided_on date NOT NULL, state text NOT NULL, state_reason text,
    state_since timestamptz, expires_on date, deletion_due date, removed_on date, removal_reason text, note text);
INSERT INTO kb_none SELECT g, g % 1000, 'kind', 'reason ' || g, date '2024-01-01' + (g % 300), 'listed', NULL,
    now(), NULL, NULL, NULL, NULL, 'n' FROM generate_series(1, 1000000) g;
CREATE TABLE kb_c (LIKE kb_none INCLUDING ALL);
INSERT INTO kb_c SELECT * FROM kb_none;
CREATE TABLE kb_plpgsql (LIKE kb_none INCLUDING ALL);
INSERT INTO kb_plpgsql SELECT * FROM kb_none;
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON kb_c FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('list entries', 'no', 'no',
        'state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removed_on', 'removal_reason');
CREATE OR REPLACE FUNCTION kb_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'list entries are never deleted' USING ERRCODE = 'prohibited_sql_statement_attempted';
    END IF;
    IF (to_jsonb(NEW) - ARRAY['state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removed_on', 'removal_reason'])
       IS DISTINCT FROM
       (to_jsonb(OLD) - ARRAY['state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removed_on', 'removal_reason']) THEN
        RAISE EXCEPTION 'list entries are not changed in place' USING ERRCODE = 'prohibited_sql_statement_attempted';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON kb_plpgsql FOR EACH ROW EXECUTE FUNCTION kb_guard();
VACUUM ANALYZE kb_none; VACUUM ANALYZE kb_c; VACUUM ANALYZE kb_plpgsql;
\set QUIET off
\timing on
