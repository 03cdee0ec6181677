-- credit.keep_content(): the generic content guard (extension/05_triggers.sql,
-- extension/content.c), on scratch tables.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;

CREATE SCHEMA regress_keep;
SET search_path = regress_keep, public;

CREATE TABLE decision (
    decision_id  integer PRIMARY KEY,
    decision_no  text NOT NULL,
    subject      text NOT NULL,
    state        text NOT NULL DEFAULT 'open',
    note         text,
    revoked_at   date,
    doubled      integer GENERATED ALWAYS AS (decision_id * 2) STORED,
    body         text
);
ALTER TABLE decision ALTER COLUMN body SET STORAGE EXTERNAL;
INSERT INTO decision (decision_id, decision_no, subject, note, body)
VALUES (1, 'D-1', 'subject one', NULL, repeat('长文本', 100000)),
       (2, 'D-2', 'subject two', 'a note', NULL);
-- the large value is out of line
SELECT pg_relation_size(reltoastrelid) > 0 AS toasted FROM pg_class WHERE oid = 'decision'::regclass;

CREATE TRIGGER decision_keep BEFORE UPDATE OR DELETE ON decision FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('decisions', 'A decision is withdrawn, not deleted.',
                                         'Correct a decision with a new one.',
                                         'state', 'note', 'once:revoked_at');

-- DELETE is refused, with its hint.
DELETE FROM decision WHERE decision_id = 1;
-- a column not listed: refused, naming it, with the change hint
UPDATE decision SET decision_no = 'D-1a' WHERE decision_id = 1;
-- two columns not listed: named together
UPDATE decision SET decision_no = 'D-1a', subject = 'someone else' WHERE decision_id = 1;
-- listed columns change
UPDATE decision SET state = 'closed', note = 'checked' WHERE decision_id = 1;
-- a value set to itself is no change, also the toasted one
UPDATE decision SET decision_no = decision_no, subject = subject, body = body;
UPDATE decision SET subject = 'subject one' WHERE decision_id = 1;
UPDATE decision SET body = repeat('长文本', 100000) WHERE decision_id = 1;
-- ... but a different large value is a change
UPDATE decision SET body = repeat('长文本', 100000) || '!' WHERE decision_id = 1;
-- NULL to a value and a value to NULL are changes
UPDATE decision SET body = 'now set' WHERE decision_id = 2;
UPDATE decision SET body = NULL WHERE decision_id = 1;
-- once: set from NULL, then refused
UPDATE decision SET revoked_at = '2025-01-02' WHERE decision_id = 2;
UPDATE decision SET revoked_at = '2025-01-03' WHERE decision_id = 2;
UPDATE decision SET revoked_at = NULL WHERE decision_id = 2;
UPDATE decision SET revoked_at = '2025-01-02' WHERE decision_id = 2;
-- both kinds at once
UPDATE decision SET revoked_at = '2025-01-03', subject = 'x' WHERE decision_id = 2;
SELECT decision_id, decision_no, subject, state, note, revoked_at, doubled,
       length(body) AS body_length
  FROM decision ORDER BY decision_id;

-- A generated column is never compared (it follows decision_id, which is
-- not listed, so change a table where the key may change).
CREATE TABLE gen (id integer, twice integer GENERATED ALWAYS AS (id * 2) STORED, fixed text);
INSERT INTO gen (id, fixed) VALUES (1, 'kept');
CREATE TRIGGER gen_keep BEFORE UPDATE OR DELETE ON gen FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('gens', '', '', 'id');
UPDATE gen SET id = 5;
UPDATE gen SET fixed = 'changed';
-- empty hints: no HINT line
DELETE FROM gen;
SELECT * FROM gen;

-- A dropped column is skipped; the columns after it are still compared.
CREATE TABLE dropped (a integer, gone text, c text, d text);
INSERT INTO dropped VALUES (1, 'x', 'c', 'd');
ALTER TABLE dropped DROP COLUMN gone;
CREATE TRIGGER dropped_keep BEFORE UPDATE OR DELETE ON dropped FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('dropped rows', '', '', 'c');
UPDATE dropped SET c = 'c2';
UPDATE dropped SET d = 'd2';
SELECT * FROM dropped;
-- a dropped column cannot be named
CREATE TRIGGER dropped_bad BEFORE UPDATE ON dropped FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('dropped rows', '', '', 'gone');
UPDATE dropped SET c = 'c3';
DROP TRIGGER dropped_bad ON dropped;

-- Arguments naming no column, and too few arguments.
CREATE TABLE bad (a integer, b text);
INSERT INTO bad VALUES (1, 'b');
CREATE TRIGGER bad_keep BEFORE UPDATE OR DELETE ON bad FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'b', 'nosuch');
UPDATE bad SET b = 'c';
DELETE FROM bad;
DROP TRIGGER bad_keep ON bad;
CREATE TRIGGER bad_once BEFORE UPDATE ON bad FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'once:nosuch');
UPDATE bad SET b = 'c';
DROP TRIGGER bad_once ON bad;
CREATE TRIGGER bad_few BEFORE UPDATE ON bad FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('bad rows');
UPDATE bad SET b = 'c';
DROP TRIGGER bad_few ON bad;

-- Only as BEFORE UPDATE OR DELETE FOR EACH ROW.
CREATE TRIGGER bad_statement BEFORE UPDATE ON bad FOR EACH STATEMENT
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'b');
UPDATE bad SET b = 'c';
DROP TRIGGER bad_statement ON bad;
CREATE TRIGGER bad_after AFTER UPDATE ON bad FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'b');
UPDATE bad SET b = 'c';
DROP TRIGGER bad_after ON bad;
CREATE TRIGGER bad_insert BEFORE INSERT ON bad FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'b');
INSERT INTO bad VALUES (2, 'b');
DROP TRIGGER bad_insert ON bad;
CREATE TRIGGER bad_truncate BEFORE TRUNCATE ON bad FOR EACH STATEMENT
    EXECUTE FUNCTION credit.keep_content('bad rows', '', '', 'b');
TRUNCATE bad;
DROP TRIGGER bad_truncate ON bad;
-- and not called directly
SELECT credit.keep_content();
SELECT * FROM bad;

-- Two triggers of the same function on one table keep their own arguments.
CREATE TABLE two (a integer, b text, c text);
INSERT INTO two VALUES (1, 'b', 'c');
CREATE TRIGGER two_1 BEFORE UPDATE ON two FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('two rows (first)', '', '', 'b', 'c');
CREATE TRIGGER two_2 BEFORE UPDATE ON two FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('two rows (second)', '', '', 'b');
UPDATE two SET b = 'b2';
UPDATE two SET c = 'c2';
SELECT * FROM two;

-- The errcodes: prohibited_sql_statement_attempted for the refusals,
-- undefined_column and trigger_protocol_violated for a wrong trigger.
\set VERBOSITY sqlstate
DELETE FROM decision;
UPDATE decision SET subject = 'x';
UPDATE decision SET revoked_at = '2025-01-05';
UPDATE dropped SET d = 'd3';
CREATE TRIGGER two_bad BEFORE UPDATE ON two FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('two rows', '', '', 'nosuch');
UPDATE two SET b = 'b3';
DROP TRIGGER two_bad ON two;
CREATE TRIGGER two_after AFTER UPDATE ON two FOR EACH ROW
    EXECUTE FUNCTION credit.keep_content('two rows', '', '', 'b');
UPDATE two SET b = 'b3';
DROP TRIGGER two_after ON two;
\set VERBOSITY default

RESET search_path;
DROP SCHEMA regress_keep CASCADE;
