-- Layer 5, the workflow engine: the machine rows as an attack path (issue
-- 11, class 7).  Every row of credit.machine, machine_transition and
-- machine_deadline the guard acts on is checked when written (a trigger,
-- credit.machine_rows_check) and again when the guard loads it (machines.c):
-- a bad row is an error naming it, never a corrupt row or a crash.  The C
-- trigger functions refuse to run on any table but their own, with 39P01,
-- whatever role attaches them, with whatever arguments.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(46);

-- ------------------------------------------------------------------
-- Written by the centre: deadlines and transitions
-- ------------------------------------------------------------------
SET ROLE regress_centre;
SELECT is(public.regress_error($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                                 VALUES ('objection', '已受理', 'outcome', 3, 'x')$$),
          '23514: invalid row of credit.machine_deadline (objection, 已受理, outcome): column "outcome" of credit.objection is of type text, not date | The workflow guard writes into the columns a machine row names. | See "Machines are data" in docs/workflows.md for what each column must be.',
          'a deadline in a text column is refused (it crashed the server on the next filing)');
SELECT is(public.regress_error($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                                 VALUES ('objection', '已受理', 'objection_id', 3, 'x')$$),
          '23514: invalid row of credit.machine_deadline (objection, 已受理, objection_id): column "objection_id" of credit.objection is of type bigint, not date | The workflow guard writes into the columns a machine row names. | See "Machines are data" in docs/workflows.md for what each column must be.',
          'a deadline in the key column is refused (it overwrote the key)');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                   VALUES ('objection', '已受理', 'filed_at', 3, 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (objection, 已受理, filed_at): column "filed_at" of credit.objection is of type timestamp with time zone, not date',
                 'a deadline in a timestamp column is refused');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                   VALUES ('objection', '已受理', 'nosuch', 3, 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (objection, 已受理, nosuch): table credit.objection has no column "nosuch"',
                 'a deadline in a missing column is refused');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                   VALUES ('objection', '已受理', 'ctid', 3, 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (objection, 已受理, ctid): table credit.objection has no column "ctid"',
                 'a deadline in a system column is refused');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                   VALUES ('record_publicity', '公示中', 'decision_date', 3, 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (record_publicity, 公示中, decision_date): the deadline column is not one of the machine''s owned_columns',
                 'a deadline in a date column the machine does not own is refused (what the record says)');
SELECT throws_ok($$UPDATE credit.machine_deadline SET deadline_column = 'outcome' WHERE machine = 'objection' AND state = '已受理'$$,
                 '23514', NULL, 'an update is checked as an insert');
SELECT lives_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                  VALUES ('repair', '已受理', 'feedback_deadline', 5, 'x')$$,
                'a deadline in a date column the machine owns is accepted');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from_column, source)
                   VALUES ('list_entry', '应移出', 'deletion_due', 3, 'reasons', 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (list_entry, 应移出, deletion_due): column "reasons" of credit.list_entry is of type text, not date',
                 'a deadline counted from a column that is not a date is refused');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, counted_from_column, source)
                   VALUES ('list_entry', '应移出', 'deletion_due', 3, '列入中', 'expires_on', 'x')$$, '23514', NULL,
                 'a deadline counted both from a state and from a column is refused');
SELECT throws_ok($$INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds)
                   VALUES ('objection', '已受理', '已提交', 'x', '{NULL}')$$, '23514',
                 'invalid row of credit.machine_transition (objection, 已受理 to 已提交): party_kinds holds a null',
                 'party_kinds without NULL');
SELECT throws_ok($$INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds)
                   VALUES ('objection', '已受理', '已提交', 'x', '{{信用中心},{部门}}')$$, '23514',
                 'invalid row of credit.machine_transition (objection, 已受理 to 已提交): party_kinds is not a one-dimensional array',
                 'party_kinds one-dimensional');
DELETE FROM credit.machine_deadline WHERE source = 'x';
RESET ROLE;

-- ------------------------------------------------------------------
-- Written by the DBA: machines
-- ------------------------------------------------------------------
CREATE TABLE public.w_thing (id bigint PRIMARY KEY, st text, why text, since timestamptz, due date, note jsonb,
                             n integer, g date GENERATED ALWAYS AS (due + 1) STORED);
CREATE FUNCTION public.w_machine(key name, state name, owned name[], tab regclass DEFAULT 'public.w_thing') RETURNS text
    LANGUAGE sql RETURN public.regress_error(format(
        $f$INSERT INTO credit.machine VALUES ('w_thing', '测试', %L, %L, %L, 'why', 'since', %L)$f$, tab, key, state, owned));
SELECT is(public.w_machine('note', 'st', '{st,why,since}'),
          '23514: invalid row of credit.machine (w_thing): column "note" of public.w_thing is of type jsonb, not bigint | The workflow guard writes into the columns a machine row names. | See "Machines are data" in docs/workflows.md for what each column must be.',
          'the key is a bigint column');
SELECT matches(public.w_machine('id', 'n', '{n,why,since}'), '^23514: .*column "n" of public.w_thing is of type integer, not text',
               'the state is a text column');
SELECT matches(public.w_machine('objection_id', 'state', '{state,why,since}', 'credit.objection'),
               '^23514: .*owned_columns overlap those of another machine of table credit.objection',
               'two machines of one table (as record and record_publicity) own no column in common');
SELECT matches(public.w_machine('id', 'st', '{st,why,since}', 'credit.public_record'),
               '^23514: .*credit.public_record is not a table', 'a machine moves a table, not a view');
SELECT matches(public.w_machine('id', 'st', '{st,why,since,NULL}'), '^23514: .*owned_columns holds a null', 'owned columns without NULL');
SELECT matches(public.w_machine('id', 'st', '{st,why,since,id}'), '^23514: .*owned_columns holds the key column',
               'the key is not owned');
SELECT matches(public.w_machine('id', 'st', '{why,since}'), '^23514: .*owned_columns must hold the state, reason and since columns',
               'the state is owned');
SELECT matches(public.w_machine('id', 'st', '{st,why,since,nosuch}'), '^23514: .*table public.w_thing has no column "nosuch"',
               'owned columns exist');
SELECT matches(public.w_machine('id', 'st', '{st,why,since,due,g}'), '^23514: .*column "g" of public.w_thing is generated',
               'owned columns are not generated (the guard compares them before they are computed)');
SELECT is(public.w_machine('id', 'st', '{st,why,since,due}'), NULL, 'a good machine is accepted');
INSERT INTO credit.machine_state (machine, state, initial, meaning) VALUES ('w_thing', '新', true, 'new'), ('w_thing', '旧', false, 'old');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds) VALUES ('w_thing', '新', '旧', '变旧', '{信用中心}');
SELECT throws_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                   VALUES ('w_thing', '旧', 'g', 3, 'x')$$, '23514',
                 'invalid row of credit.machine_deadline (w_thing, 旧, g): column "g" of public.w_thing is generated',
                 'a deadline in a generated column is refused');
SELECT lives_ok($$INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
                  VALUES ('w_thing', '旧', 'due', 3, 'x')$$, 'a deadline in an owned date column is accepted');
SELECT throws_ok($$UPDATE credit.machine SET owned_columns = '{st,why,since}' WHERE machine = 'w_thing'$$, '23514',
                 'invalid row of credit.machine_deadline (w_thing, 旧, due): the deadline column is not one of the machine''s owned_columns',
                 'a machine cannot disown a column its deadline writes');
CREATE TRIGGER w_thing_machine BEFORE INSERT OR UPDATE ON public.w_thing
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('w_thing');
INSERT INTO public.w_thing (id) VALUES (1);
SELECT is((SELECT st FROM public.w_thing), '新', 'the good machine works');

-- ------------------------------------------------------------------
-- A bad row already there (the trigger bypassed, or the table altered
-- since): the guard's load names it; nothing crashes
-- ------------------------------------------------------------------
SET session_replication_role = replica;
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, source)
VALUES ('objection', '已受理', 'outcome', 3, 'bad');
SET session_replication_role = origin;
-- (a statement that changes nothing still drops every session's cache)
UPDATE credit.machine_state SET meaning = meaning WHERE false;
SET ROLE regress_centre;
SELECT is(public.regress_error($$SELECT credit.transition('objection', (SELECT min(objection_id) FROM credit.objection), '已受理')$$),
          '42P17: invalid row of credit.machine_deadline (objection, 已受理, outcome): column "outcome" of credit.objection is of type text, not date | The workflow machines are not loaded while a row of their tables is invalid. | Correct or delete the row; credit.machine_deadline is validated when written, so the row or its table changed since.',
          'a bad deadline row already there: the load names it');
SELECT is((SELECT state FROM credit.objection ORDER BY objection_id LIMIT 1), '已提交', 'and nothing moved');
RESET ROLE;
DELETE FROM credit.machine_deadline WHERE source = 'bad';
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.transition('objection', (SELECT min(objection_id) FROM credit.objection), '已受理')$$,
                'once the row is gone the machines load again');
RESET ROLE;
-- the machine's table altered after the cache was filled: the guard checks the columns on every row
ALTER TABLE public.w_thing ALTER COLUMN why TYPE integer USING NULL;
SELECT is(public.regress_error($$SELECT credit.transition('w_thing', 1, '旧')$$),
          '42P17: the table of machine "w_thing" no longer has the columns its definition names | A column credit.machine or credit.machine_deadline names was dropped or changed its type. | Correct the rows of machine "w_thing".',
          'a column type changed under a loaded machine: refused, no crash');
UPDATE credit.machine_state SET meaning = meaning WHERE false;
SELECT matches(public.regress_error($$SELECT credit.transition('w_thing', 1, '旧')$$),
               '^42P17: invalid row of credit.machine \(w_thing\): column "why" of public.w_thing is of type integer, not text',
               'and on the next load the machine row is named');
DROP TRIGGER w_thing_machine ON public.w_thing;
DELETE FROM credit.machine_deadline WHERE machine = 'w_thing';
DELETE FROM credit.machine_transition WHERE machine = 'w_thing';
DELETE FROM credit.machine_state WHERE machine = 'w_thing';
DELETE FROM credit.machine WHERE machine = 'w_thing';
DROP FUNCTION public.w_machine(name, name, name[], regclass);
DROP TABLE public.w_thing;

-- ------------------------------------------------------------------
-- The C trigger functions on a table of an unprivileged role: every shape
-- is a clear error (39P01), never an internal error or a crash
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
CREATE TEMP TABLE w_mine (objection_id bigint, state text, state_reason text, state_since timestamptz, deadline date, j jsonb);
INSERT INTO w_mine (objection_id) VALUES (1);
CREATE FUNCTION pg_temp.w_attach(trigger_sql text, fire text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE 'CREATE TRIGGER w_probe ' || trigger_sql;
    result := public.regress_error(fire);
    EXECUTE 'DROP TRIGGER w_probe ON w_mine';
    RETURN result;
END $$;
SELECT is(pg_temp.w_attach($$BEFORE INSERT OR UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('objection')$$,
                           $$UPDATE w_mine SET state = 'x'$$),
          '39P01: trigger "w_probe" on table w_mine: table w_mine is not the table of machine "objection" |  | credit.workflow_guard() guards only the table credit.machine names for its machine.',
          'the guard on a table that is not its machine''s');
SELECT matches(pg_temp.w_attach($$BEFORE INSERT ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('nosuch')$$,
                                'INSERT INTO w_mine DEFAULT VALUES'),
               '^39P01: trigger "w_probe" on table w_mine: there is no workflow machine "nosuch"', 'the guard of an unknown machine');
SELECT matches(pg_temp.w_attach($$BEFORE INSERT ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard()$$,
                                'INSERT INTO w_mine DEFAULT VALUES'),
               '^39P01: .*must fire BEFORE INSERT OR UPDATE FOR EACH ROW with the machine as its one argument', 'the guard without its argument');
SELECT matches(pg_temp.w_attach($$BEFORE INSERT ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('objection', 'repair')$$,
                                'INSERT INTO w_mine DEFAULT VALUES'),
               '^39P01: ', 'the guard with two arguments');
SELECT matches(pg_temp.w_attach($$AFTER UPDATE ON w_mine FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_guard('objection')$$,
                                'UPDATE w_mine SET j = NULL'),
               '^39P01: ', 'the guard as a statement trigger');
SELECT matches(pg_temp.w_attach($$BEFORE DELETE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('objection')$$,
                                'DELETE FROM w_mine'),
               '^39P01: ', 'the guard on DELETE');
SELECT matches(pg_temp.w_attach($$BEFORE TRUNCATE ON w_mine FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_guard('objection')$$,
                                'TRUNCATE w_mine'),
               '^39P01: ', 'the guard on TRUNCATE');
SELECT is(pg_temp.w_attach($$AFTER UPDATE ON w_mine FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed()$$,
                           'UPDATE w_mine SET j = NULL'),
          '39P01: trigger "w_probe" on table w_mine: no cache of the extension is built from this table | The cache triggers run only on credit.party, credit.authorisation, credit.list_kind, credit.machine, credit.machine_state, credit.machine_transition, credit.machine_deadline, credit.catalogue_item, credit.matter, credit.measure_rule and credit.measure. | ',
          'a cache trigger on a table no cache is built from');
SELECT matches(pg_temp.w_attach($$BEFORE UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.party_changed('x')$$,
                                'UPDATE w_mine SET j = NULL'),
               '^39P01: .*a cache trigger must fire AFTER \.\.\. FOR EACH STATEMENT', 'a cache trigger as a row trigger');
SELECT is(pg_temp.w_attach($$AFTER UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.party_changed('x')$$,
                           'UPDATE w_mine SET j = NULL'),
          '39P01: trigger "w_probe" on table w_mine: a cache trigger must fire AFTER ... FOR EACH STATEMENT |  | ',
          'a cache trigger as an AFTER row trigger');
SELECT matches(pg_temp.w_attach($$BEFORE UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.keep_content('x')$$,
                                'UPDATE w_mine SET j = NULL'),
               '^39P01: .*needs at least 3 arguments', 'the content guard without its arguments');
SELECT matches(pg_temp.w_attach($$BEFORE UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.keep_content('x', '', '', 'once:nosuch')$$,
                                'UPDATE w_mine SET j = NULL'),
               '^42703: ', 'the content guard naming a missing column');
SELECT matches(pg_temp.w_attach($$AFTER INSERT ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.keep_content('x', '', '')$$,
                                'INSERT INTO w_mine DEFAULT VALUES'),
               '^39P01: ', 'the content guard on INSERT');
SELECT matches(pg_temp.w_attach($$AFTER UPDATE ON w_mine FOR EACH ROW EXECUTE FUNCTION credit.keep_content('x', '', '')$$,
                                'UPDATE w_mine SET j = NULL'),
               '^39P01: trigger "w_probe" on table pg_temp_\d+\.w_mine: credit\.keep_content\(\) must fire BEFORE UPDATE OR DELETE FOR EACH ROW \|  \| $',
          'the content guard AFTER UPDATE (when it could no longer refuse)');
SELECT is((SELECT count(*)::integer FROM w_mine), 1, 'the backend is alive and nothing changed');
RESET ROLE;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
