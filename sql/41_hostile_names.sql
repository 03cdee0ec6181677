-- Name shadowing (issue 11, class 1): a role's temporary types, tables,
-- functions and operators, under every name the extension uses, and a
-- search path that puts pg_temp before pg_catalog, change nothing in what
-- the public API does for it.  Each role (a department, the portal, a bank,
-- and the superuser for the sweep and the register functions) runs the same
-- steps twice, each run rolled back: without the shadows, then with them;
-- the answers must be the same, and the backend must live.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(6);

-- a 授权查询 record of a subject and its authorisation for the bank
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, disclosure,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试7有限公司', credit.uscc_complete('91330702MA2W00071'), '一般', '金市监罚〔W〕授权1号',
        credit.legal_date() - 10, '授权查询', '虚假宣传', '授权', '《广告法》', '罚款', '罚款', '市场监管局');
RESET ROLE;
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (public.w_subject('7'), 'regress_bank', '贷款审查', '授权书 1 号', now() + interval '1 year');

-- The steps, every name in them qualified, the ids written in.
CREATE TABLE public.h_step (who text, n integer, sql text, PRIMARY KEY (who, n));
INSERT INTO public.h_step
SELECT * FROM (VALUES
    ('regress_scjg', 1, 'SELECT pg_catalog.concat_ws(''/'', credit.current_party_kind(), credit.current_department_id())'),
    ('regress_scjg', 2, 'SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.record'),
    ('regress_scjg', 3, pg_catalog.format($s$INSERT INTO credit.record_load (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no,
                            decision_date, violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
                        VALUES ('W.XZCF', '企业法人', '影子测试有限公司', %L, '一般', '影子〔1〕号',
                                credit.legal_date() OPERATOR(pg_catalog.-) 5, '虚假宣传', '影子', '《广告法》', '罚款', '罚款', '市场监管局')
                        $s$, credit.uscc_complete('91330702MA2W00101'))),
    ('regress_scjg', 9, $s$SELECT pg_catalog.concat_ws('/', r.department_id, r.subject_id IS NOT NULL, r.publicity_state)
                          FROM credit.record r WHERE r.decision_no OPERATOR(pg_catalog.=) '影子〔1〕号'$s$),
    ('regress_scjg', 4, pg_catalog.format('SELECT credit.withdraw_record(%s, ''错误'')::pg_catalog.text', public.w_rec('8'))),
    ('regress_scjg', 5, pg_catalog.format($s$SELECT (credit.correct_record(%s, '更正', '{"violation_facts": "新事实"}') IS NOT NULL)::pg_catalog.text$s$,
                                          public.w_rec('9'))),
    ('regress_scjg', 6, pg_catalog.format($s$SELECT credit.transition('repair', %s::pg_catalog.int8, '已受理')::pg_catalog.text$s$, public.w_repair('2'))),
    ('regress_scjg', 7, pg_catalog.format('SELECT pg_catalog.concat_ws(''/'', r.state, r.deadline OPERATOR(pg_catalog.=) credit.add_working_days(credit.legal_date(), 3)) FROM credit.repair r WHERE r.repair_id OPERATOR(pg_catalog.=) %s', public.w_repair('2'))),
    ('regress_scjg', 8, pg_catalog.format('SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.workflow_event e WHERE e.object_id OPERATOR(pg_catalog.=) %s', public.w_repair('2'))),
    ('regress_portal', 1, 'SELECT pg_catalog.concat_ws(''/'', credit.current_party_kind(), credit.current_department_id())'),
    ('regress_portal', 2, pg_catalog.format('SELECT credit.act_for_subject(%s)::pg_catalog.text', public.w_subject('2'))),
    ('regress_portal', 3, 'SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.record'),
    ('regress_portal', 4, pg_catalog.format($s$SELECT credit.transition('objection', %s::pg_catalog.int8, '已撤回')::pg_catalog.text$s$,
                                            (SELECT objection_id FROM credit.objection WHERE record_id = public.w_rec('2')))),
    ('regress_portal', 5, pg_catalog.format($s$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (%s, '信息错误', '影子') RETURNING state$s$,
                                            public.w_rec('3'))),
    ('regress_bank', 1, 'SELECT pg_catalog.concat_ws(''/'', credit.current_party_kind(), credit.current_department_id())'),
    ('regress_bank', 2, 'SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.record'),
    ('regress_bank', 3, pg_catalog.format('SELECT (credit.open_authorisation(%s) OPERATOR(pg_catalog.=) %s)::pg_catalog.text',
                                          (SELECT authorisation_id FROM credit.authorisation), public.w_subject('7'))),
    ('regress_bank', 4, 'SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.record'),
    ('regress_bank', 5, 'SELECT pg_catalog.count(*)::pg_catalog.text FROM credit.access_log'),
    ('postgres', 1, 'SELECT pg_catalog.string_agg(s.machine OPERATOR(pg_catalog.||) s.moved, '','') FROM credit.sweep() s'),
    ('postgres', 2, $s$SELECT credit.register_department_role('regress_nobody', 'FY')::pg_catalog.text$s$),
    ('postgres', 3, $s$SELECT pg_catalog.concat_ws('/', p.kind, p.department_id) FROM credit.party p WHERE p.role OPERATOR(pg_catalog.=) 'regress_nobody'::pg_catalog.regrole$s$),
    ('postgres', 4, $s$SELECT pg_catalog.count(*)::pg_catalog.text FROM information_schema.role_table_grants g WHERE g.grantee OPERATOR(pg_catalog.=) 'regress_nobody'$s$)
) AS s(who, n, sql);

CREATE TABLE public.h_result (who text, shadowed boolean, answers text[]);

-- Runs the steps of a role and rolls them back; every name it uses itself is
-- qualified, so it can run under the hostile search path.
CREATE FUNCTION public.h_drive(who pg_catalog.text, shadowed pg_catalog.bool) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    answers pg_catalog.text[] := '{}';
    answer pg_catalog.text;
    steps pg_catalog.text[] := ARRAY(SELECT s.sql FROM public.h_step s WHERE s.who OPERATOR(pg_catalog.=) h_drive.who ORDER BY s.n);
    step pg_catalog.text;
BEGIN
    -- both caches refill under the search path of this run
    UPDATE credit.party SET kind = kind WHERE false;
    UPDATE credit.machine_state SET meaning = meaning WHERE false;
    BEGIN
        IF who OPERATOR(pg_catalog.<>) 'postgres' THEN
            EXECUTE pg_catalog.format('SET LOCAL ROLE %I', who);
        END IF;
        FOREACH step IN ARRAY steps LOOP
            BEGIN
                IF pg_catalog.starts_with(step, 'INSERT INTO credit.record_load') THEN
                    EXECUTE step;       -- (an INSERT into the load view returns nothing)
                    answer := 'loaded';
                ELSE
                    EXECUTE step INTO answer;
                END IF;
            EXCEPTION WHEN OTHERS THEN
                answer := SQLSTATE OPERATOR(pg_catalog.||) ': ' OPERATOR(pg_catalog.||) SQLERRM;
            END;
            answers := answers OPERATOR(pg_catalog.||) coalesce(answer, 'NULL');
        END LOOP;
        RAISE EXCEPTION 'h_rollback';
    EXCEPTION WHEN raise_exception THEN
        IF SQLERRM OPERATOR(pg_catalog.<>) 'h_rollback' THEN
            RAISE;
        END IF;
    END;
    INSERT INTO public.h_result VALUES (who, shadowed, answers);
END
$$;

SELECT public.h_drive(r, false) FROM unnest(ARRAY['regress_scjg', 'regress_portal', 'regress_bank', 'postgres']) AS r;

-- The shadows, made by a department in its temporary schema: types, tables,
-- functions and operators under the names the extension's queries use.
SET ROLE regress_scjg;
CREATE DOMAIN pg_temp.text AS pg_catalog.int4;
CREATE DOMAIN pg_temp.regrole AS pg_catalog.int4;
CREATE DOMAIN pg_temp.int8 AS pg_catalog.numeric;
CREATE DOMAIN pg_temp.oid AS pg_catalog.int4;
CREATE DOMAIN pg_temp.date AS pg_catalog.int4;
CREATE DOMAIN pg_temp.bool AS pg_catalog.int4;
CREATE DOMAIN pg_temp.jsonb AS pg_catalog.int4;
CREATE DOMAIN pg_temp.timestamptz AS pg_catalog.int4;
CREATE TYPE pg_temp.party_kind AS ENUM ('信用中心', '部门', '信用网站', '授权机构');
CREATE TYPE pg_temp.catalogue_category AS ENUM ('x');
CREATE TABLE pg_temp.party (role pg_catalog.oid, kind pg_catalog.text, department_id pg_catalog.int4);
INSERT INTO pg_temp.party SELECT r.oid, '信用中心', 2 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.~) '^regress_';
CREATE TABLE pg_temp.machine (LIKE credit.machine);
CREATE TABLE pg_temp.machine_state (LIKE credit.machine_state);
CREATE TABLE pg_temp.machine_transition (LIKE credit.machine_transition);
CREATE TABLE pg_temp.machine_deadline (LIKE credit.machine_deadline);
CREATE TABLE pg_temp.workflow_event (LIKE credit.workflow_event);
CREATE TABLE pg_temp.authorisation (authorisation_id pg_catalog.int8, subject_id pg_catalog.int8, grantee pg_catalog.oid,
                                    scope pg_catalog.text, purpose pg_catalog.text, revoked_at pg_catalog.timestamptz,
                                    valid_from pg_catalog.timestamptz, valid_until pg_catalog.timestamptz);
CREATE TABLE pg_temp.access_log (LIKE credit.access_log);
CREATE TABLE pg_temp.subject (subject_id pg_catalog.int8);
CREATE TABLE pg_temp.record (record_id pg_catalog.int8);   -- and a type "record"
CREATE TABLE pg_temp.objection (objection_id pg_catalog.int8);
CREATE TABLE pg_temp.repair (repair_id pg_catalog.int8);
CREATE TABLE pg_temp.department (department_id pg_catalog.int4);
CREATE TABLE pg_temp.list_entry (entry_id pg_catalog.int8);
CREATE FUNCTION pg_temp.h_true(pg_catalog.int8, pg_catalog.int8) RETURNS pg_catalog.bool LANGUAGE sql RETURN true;
CREATE FUNCTION pg_temp.h_true(pg_catalog.oid, pg_catalog.oid) RETURNS pg_catalog.bool LANGUAGE sql RETURN true;
CREATE FUNCTION pg_temp.h_true(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql RETURN true;
CREATE OPERATOR pg_temp.= (LEFTARG = pg_catalog.int8, RIGHTARG = pg_catalog.int8, FUNCTION = pg_temp.h_true);
CREATE OPERATOR pg_temp.= (LEFTARG = pg_catalog.oid, RIGHTARG = pg_catalog.oid, FUNCTION = pg_temp.h_true);
CREATE OPERATOR pg_temp.= (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = pg_temp.h_true);
CREATE OPERATOR pg_temp.< (LEFTARG = pg_catalog.int8, RIGHTARG = pg_catalog.int8, FUNCTION = pg_temp.h_true);
CREATE OPERATOR pg_temp.|| (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = pg_temp.h_true);
CREATE FUNCTION pg_temp.now() RETURNS pg_catalog.timestamptz LANGUAGE sql RETURN '2000-01-01'::pg_catalog.timestamptz;
CREATE FUNCTION pg_temp.subject_exists(pg_catalog.int8) RETURNS pg_catalog.bool LANGUAGE sql RETURN true;
CREATE FUNCTION pg_temp.allowed_transitions(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql RETURN 'shadow';
CREATE FUNCTION pg_temp.add_working_days(pg_catalog.date, pg_catalog.int4) RETURNS pg_catalog.date LANGUAGE sql RETURN '2000-01-01'::pg_catalog.date;
CREATE FUNCTION pg_temp.array_to_string(pg_catalog.anyarray, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql
    AS $$SELECT 'shadow'::pg_catalog.text$$;
RESET ROLE;
GRANT SELECT ON pg_temp.party TO PUBLIC;

-- The same steps under the shadows, pg_temp searched before pg_catalog
SET search_path = pg_temp, pg_catalog, credit, public;
SELECT public.h_drive(r, true) FROM pg_catalog.unnest(ARRAY['regress_scjg', 'regress_portal', 'regress_bank', 'postgres']::pg_catalog.text[]) AS r;
RESET search_path;
-- the shadows go before pgTAP runs again (its own state is in temporary tables too)
DROP OPERATOR pg_temp.= (pg_catalog.int8, pg_catalog.int8), pg_temp.= (pg_catalog.oid, pg_catalog.oid),
              pg_temp.= (pg_catalog.text, pg_catalog.text), pg_temp.< (pg_catalog.int8, pg_catalog.int8),
              pg_temp.|| (pg_catalog.text, pg_catalog.text);
DROP FUNCTION pg_temp.h_true(pg_catalog.int8, pg_catalog.int8), pg_temp.h_true(pg_catalog.oid, pg_catalog.oid),
              pg_temp.h_true(pg_catalog.text, pg_catalog.text), pg_temp.now(), pg_temp.subject_exists(pg_catalog.int8),
              pg_temp.allowed_transitions(pg_catalog.text, pg_catalog.text),
              pg_temp.add_working_days(pg_catalog.date, pg_catalog.int4),
              pg_temp.array_to_string(pg_catalog.anyarray, pg_catalog.text);
DROP TABLE pg_temp.party, pg_temp.machine, pg_temp.machine_state, pg_temp.machine_transition, pg_temp.machine_deadline,
           pg_temp.workflow_event, pg_temp.authorisation, pg_temp.access_log, pg_temp.subject, pg_temp.record,
           pg_temp.objection, pg_temp.repair, pg_temp.department, pg_temp.list_entry;
DROP TYPE pg_temp.party_kind, pg_temp.catalogue_category;
DROP DOMAIN pg_temp.text, pg_temp.regrole, pg_temp.int8, pg_temp.oid, pg_temp.date, pg_temp.bool, pg_temp.jsonb,
            pg_temp.timestamptz;
SET search_path = public, credit;

SELECT is((SELECT answers FROM public.h_result WHERE who = 'regress_scjg' AND shadowed),
          (SELECT answers FROM public.h_result WHERE who = 'regress_scjg' AND NOT shadowed),
          'a department: the same answers under the shadows (party, record_load, withdraw, correct, transition, events)');
SELECT is((SELECT answers FROM public.h_result WHERE who = 'regress_portal' AND shadowed),
          (SELECT answers FROM public.h_result WHERE who = 'regress_portal' AND NOT shadowed),
          'the portal: the same answers (act_for_subject, reads, withdrawal, filing)');
SELECT is((SELECT answers FROM public.h_result WHERE who = 'regress_bank' AND shadowed),
          (SELECT answers FROM public.h_result WHERE who = 'regress_bank' AND NOT shadowed),
          'a bank: the same answers (open_authorisation, reads, access log)');
SELECT is((SELECT answers FROM public.h_result WHERE who = 'postgres' AND shadowed),
          (SELECT answers FROM public.h_result WHERE who = 'postgres' AND NOT shadowed),
          'the superuser: the same answers (sweep, register_department_role)');
-- the control: the steps did something (a department sees records, moved the repair)
SELECT is((SELECT answers[1] FROM public.h_result WHERE who = 'regress_scjg' AND NOT shadowed), '部门/1',
          'control: the department is itself');
SELECT is((SELECT answers[3] || ' ' || answers[6] || ' ' || answers[9] FROM public.h_result WHERE who = 'regress_scjg' AND NOT shadowed), 'loaded 1 1/t/公示中',
          'control: the department moved the repair and loaded a record');

DROP TABLE public.h_step, public.h_result;
DROP FUNCTION public.h_drive(text, boolean);
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
