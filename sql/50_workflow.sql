-- Layer 5, the workflow engine: the machines as data, every allowed and
-- refused transition of every machine (from the data), and the guard:
-- messages, reasons, owned columns, events.  The machines themselves:
-- 51_publicity, 52_objection, 53_repair; deadlines: 65_overdue.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(531);

-- ------------------------------------------------------------------
-- The machines are data
-- ------------------------------------------------------------------
SELECT set_eq($$SELECT machine FROM credit.machine$$, ARRAY['record', 'record_publicity', 'list_entry', 'objection', 'repair', 'commitment', 'eval_result', 'interview'],
              'eight machines (the commitment machine: 64_commitments; the grade machine: 63_evaluation; the interview machine: 61_listing)');
-- their states, initial and terminal, as docs/workflows.md lists them (not
-- a count: the rows themselves)
SELECT set_eq($$SELECT machine, state, initial, terminal FROM credit.machine_state$$,
              $$VALUES ('record', '有效', true, false), ('record', '已撤回', false, true), ('record', '已更正', false, true),
                       ('record_publicity', '公示中', true, false), ('record_publicity', '不公示', true, false),
                       ('record_publicity', '已到期', false, true), ('record_publicity', '停止公示', false, true),
                       ('record_publicity', '已修复', false, false),
                       ('list_entry', '拟列入', true, false), ('list_entry', '不予列入', false, true),
                       ('list_entry', '列入中', true, false), ('list_entry', '应移出', false, false),
                       ('list_entry', '已到期', false, true), ('list_entry', '已移出', false, true),
                       ('objection', '已提交', true, false), ('objection', '已受理', false, false),
                       ('objection', '部门核查', false, false), ('objection', '已办结', false, true),
                       ('objection', '不予受理', false, true), ('objection', '已撤回', false, true),
                       ('repair', '已申请', true, false), ('repair', '已受理', false, false),
                       ('repair', '已修复', false, true), ('repair', '不予受理', false, true),
                       ('repair', '不予修复', false, true), ('repair', '已撤回', false, true),
                       ('commitment', '已作出', true, false), ('commitment', '核查中', false, false),
                       ('commitment', '已履行', false, true), ('commitment', '部分履行', false, false),
                       ('commitment', '未履行', false, false), ('commitment', '违诺处理', false, false),
                       ('commitment', '已修复', false, true), ('commitment', '已撤回', false, true),
                       ('commitment', '已期满', false, true),
                       ('eval_result', '待告知', true, false), ('eval_result', '已告知', false, false),
                       ('eval_result', '已公布', true, false), ('eval_result', '已撤销', false, true),
                       ('interview', '已安排', true, false), ('interview', '已约谈', false, true),
                       ('interview', '已取消', false, true)$$,
              'their states, initial and terminal (docs/workflows.md)');
-- which transitions need a reason (docs/workflows.md, the "reason" column)
SELECT set_eq($$SELECT machine, from_state, to_state FROM credit.machine_transition WHERE reason_required$$,
              $$VALUES ('record', '有效', '已撤回'), ('record', '有效', '已更正'), ('record', '有效', '有效'),
                       ('record_publicity', '公示中', '已到期'), ('record_publicity', '公示中', '停止公示'),
                       ('record_publicity', '公示中', '已修复'), ('record_publicity', '不公示', '已修复'),
                       ('record_publicity', '已到期', '已修复'), ('record_publicity', '停止公示', '已修复'),
                       ('record_publicity', '已修复', '公示中'), ('record_publicity', '公示中', '公示中'),
                       ('list_entry', '拟列入', '不予列入'),
                       ('list_entry', '列入中', '列入中'), ('list_entry', '列入中', '已到期'), ('list_entry', '列入中', '已移出'),
                       ('list_entry', '列入中', '应移出'), ('list_entry', '应移出', '已移出'), ('list_entry', '应移出', '已到期'),
                       ('objection', '已提交', '不予受理'), ('objection', '已受理', '已办结'), ('objection', '部门核查', '已办结'),
                       ('repair', '已申请', '不予受理'), ('repair', '已受理', '不予修复'),
                       ('commitment', '已作出', '部分履行'), ('commitment', '已作出', '未履行'),
                       ('commitment', '核查中', '部分履行'), ('commitment', '核查中', '未履行'),
                       ('commitment', '部分履行', '违诺处理'), ('commitment', '未履行', '违诺处理'),
                       ('commitment', '违诺处理', '已修复'), ('commitment', '已作出', '已撤回'),
                       ('eval_result', '待告知', '已撤销'), ('eval_result', '已告知', '已撤销'), ('eval_result', '已公布', '已撤销'),
                       ('eval_result', '待告知', '待告知'), ('eval_result', '已告知', '已告知'), ('eval_result', '已公布', '已公布'),
                       ('interview', '已安排', '已取消')$$,
              'the transitions that need a reason (docs/workflows.md)');
SELECT is((SELECT string_agg(format('%s %s %s %s', machine, state, working_days,
                                    coalesce(counted_from, counted_from_column, '-') || coalesce(' from ' || from_state, '')),
                             '; ' ORDER BY machine, state)
             FROM credit.machine_deadline),
          'commitment 未履行 20 -; commitment 核查中 20 -; commitment 部分履行 20 -; '
          'eval_result 已告知 5 - from 待告知; list_entry 列入中 3 expires_on; list_entry 应移出 3 -; list_entry 拟列入 5 -; objection 已受理 3 -; objection 已提交 3 -; objection 部门核查 7 已受理; '
          'record 有效 3 - from 有效; repair 已受理 3 -; repair 已申请 10 -',
          'the deadline profile: 3 working days after the end of term to delete an entry, 3 to remove an entry due for removal, 5 of notice before a listing is decided (UNCERTAIN), '
          '3 to accept and 3 / 7 to decide an objection, 3 to withdraw a record once its decision is revoked, 3 / 10 for repairs, '
          '20 to check a commitment and 20 to pursue the liability of a breach (UNCERTAIN defaults), 5 of notice before a negative grade is published');
SELECT matches(credit.machine_dot('objection'), '^digraph objection \{.*"已提交" -> "已受理" \[label="受理\\n信用中心"\];.*\}\n$',
               'a machine renders as a Graphviz digraph from its data');
SELECT matches(credit.machine_dot('record_publicity'), '"公示中" -> "已到期" \[label="公示期满\\n系统\\n须说明原因", style=dashed\]',
               'engine-only transitions are dashed');
SELECT is(credit.machine_dot('nothing'), NULL, 'an unknown machine renders as nothing');

-- ------------------------------------------------------------------
-- Every pair of states of every machine, tried by every kind of party:
-- allowed exactly where docs/workflows.md (the law's matrix) says, for
-- exactly the kinds it names, and the engine where it says "engine".  The
-- expectations are literals here, not read from credit.machine_transition
-- (the table the guard reads: wrong data there must fail).  Each try runs in a
-- subtransaction that is rolled back, on an object put into the from-state
-- with the triggers off (session_replication_role = replica, superuser).
-- ------------------------------------------------------------------
CREATE FUNCTION public.w_object(machine text) RETURNS bigint LANGUAGE sql
    RETURN CASE machine WHEN 'record_publicity' THEN public.w_rec('1')
                        WHEN 'record' THEN public.w_rec('1')
                        WHEN 'list_entry' THEN public.w_entry('3')
                        WHEN 'objection' THEN (SELECT objection_id FROM credit.objection WHERE record_id = public.w_rec('2'))
                        WHEN 'repair' THEN (SELECT repair_id FROM credit.repair WHERE record_id = public.w_rec('2')) END;

CREATE FUNCTION public.w_try(m text, from_state text, to_state text, who text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    obj bigint := public.w_object(m);
    tab regclass := (SELECT table_name FROM credit.machine WHERE machine = m);
    scol name := (SELECT state_column FROM credit.machine WHERE machine = m);
    kcol name := (SELECT key_column FROM credit.machine WHERE machine = m);
    state text;
    subj bigint := CASE m WHEN 'list_entry' THEN public.w_subject('3') ELSE public.w_subject('2') END;
BEGIN
    BEGIN
        SET LOCAL session_replication_role = replica;
        IF m = 'objection' THEN
            -- with what the constraints ask of an objection in that state
            UPDATE credit.objection o SET state = from_state,
                                          outcome = CASE WHEN from_state = '已办结' THEN '维持' END,
                                          missing_items = CASE WHEN from_state = '不予受理' THEN '{身份证明}'::text[] END
             WHERE o.objection_id = obj;
        ELSIF m = 'record' THEN
            -- a record not in force has a reason
            UPDATE credit.record r SET state = from_state::credit.record_state,
                                       state_reason = CASE WHEN from_state <> '有效' THEN '测试' END
             WHERE r.record_id = obj;
        ELSE
            EXECUTE format('UPDATE %s SET %I = $1 WHERE %I = $2', tab, scol, kcol) USING from_state, obj;
        END IF;
        SET LOCAL session_replication_role = origin;
        IF who = 'portal' THEN
            EXECUTE format('SET LOCAL ROLE %I', public.w_portal());
            PERFORM credit.act_for_subject(subj);
        ELSIF who <> 'engine' THEN
            EXECUTE format('SET LOCAL ROLE %I', who);
        END IF;
        -- the details each transition takes (an outcome's are checked, key by key)
        PERFORM credit.transition(m, obj, to_state, '测试原因',
                                  CASE WHEN m = 'objection' AND to_state = '不予受理'
                                       THEN jsonb_build_object('missing', jsonb_build_array('身份证明'))
                                       WHEN m = 'objection' THEN jsonb_build_object('outcome', '维持')
                                       WHEN m = 'list_entry' THEN jsonb_build_object('expires_on', credit.legal_date() + 2000) END);
        EXECUTE format('SELECT %I FROM %s WHERE %I = $1', scol, tab, kcol) INTO state USING obj;
        RAISE EXCEPTION USING ERRCODE = 'WT001', MESSAGE = coalesce(state, '?');
    EXCEPTION
        WHEN SQLSTATE 'WT001' THEN
            RETURN CASE WHEN SQLERRM = to_state THEN 'moved' ELSE 'moved to ' || SQLERRM END;
        WHEN object_not_in_prerequisite_state THEN
            RETURN 'refused';
        WHEN insufficient_privilege OR no_data_found THEN
            -- refused before the guard: no privilege, or row security hides it
            RETURN 'refused';
        WHEN OTHERS THEN
            RETURN 'error ' || SQLSTATE || ': ' || SQLERRM;
    END;
END
$$;

CREATE FUNCTION public.w_matrix() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    p record;
    who text;
    kind credit.party_kind;
    expect text;
    got text;
BEGIN
    FOR p IN WITH states (machine, state) AS (VALUES
                   ('record', '有效'), ('record', '已撤回'), ('record', '已更正'),
                   ('record_publicity', '公示中'), ('record_publicity', '不公示'), ('record_publicity', '已到期'),
                   ('record_publicity', '停止公示'), ('record_publicity', '已修复'),
                   ('list_entry', '列入中'), ('list_entry', '应移出'), ('list_entry', '已到期'), ('list_entry', '已移出'),
                   ('objection', '已提交'), ('objection', '已受理'), ('objection', '部门核查'),
                   ('objection', '已办结'), ('objection', '不予受理'), ('objection', '已撤回'),
                   ('repair', '已申请'), ('repair', '已受理'), ('repair', '已修复'),
                   ('repair', '不予受理'), ('repair', '不予修复'), ('repair', '已撤回')),
             -- docs/workflows.md: from -> to, who (party kinds), and whether the engine makes it
             allowed (machine, from_state, to_state, party_kinds, by_engine) AS (VALUES
                   ('record', '有效', '已撤回', '{部门,信用中心}'::credit.party_kind[], true),
                   ('record', '有效', '已更正', '{部门,信用中心}', true),
                   ('record', '有效', '有效', '{部门,信用中心}', false),
                   ('record_publicity', '公示中', '已到期', '{}', true),
                   ('record_publicity', '公示中', '停止公示', '{信用中心}', true),
                   ('record_publicity', '公示中', '已修复', '{}', true),
                   ('record_publicity', '不公示', '已修复', '{}', true),
                   ('record_publicity', '已到期', '已修复', '{}', true),
                   ('record_publicity', '停止公示', '已修复', '{}', true),
                   ('record_publicity', '已修复', '公示中', '{}', true),
                   ('record_publicity', '公示中', '公示中', '{}', true),
                   ('list_entry', '列入中', '列入中', '{部门,信用中心}', false),
                   ('list_entry', '列入中', '已到期', '{}', true),
                   ('list_entry', '列入中', '已移出', '{部门,信用中心}', true),
                   ('list_entry', '列入中', '应移出', '{部门,信用中心}', true),
                   ('list_entry', '应移出', '已移出', '{部门,信用中心}', true),
                   ('list_entry', '应移出', '已到期', '{}', true),
                   ('objection', '已提交', '已受理', '{信用中心}', false),
                   ('objection', '已提交', '不予受理', '{信用中心}', false),
                   ('objection', '已提交', '已撤回', '{信用网站,信用中心}', false),
                   ('objection', '已受理', '部门核查', '{信用中心}', false),
                   ('objection', '已受理', '已办结', '{信用中心}', false),
                   ('objection', '已受理', '已撤回', '{信用网站,信用中心}', false),
                   ('objection', '部门核查', '已办结', '{部门,信用中心}', false),
                   ('objection', '部门核查', '已撤回', '{信用网站,信用中心}', false),
                   ('repair', '已申请', '已受理', '{信用中心,部门}', false),
                   ('repair', '已申请', '不予受理', '{信用中心,部门}', false),
                   ('repair', '已申请', '已撤回', '{信用网站,信用中心}', false),
                   ('repair', '已受理', '已修复', '{部门,信用中心}', false),
                   ('repair', '已受理', '不予修复', '{部门,信用中心}', false),
                   ('repair', '已受理', '已撤回', '{信用网站,信用中心}', false))
             SELECT a.machine, a.state AS from_state, b.state AS to_state, t.party_kinds, t.by_engine
               FROM states a
               JOIN states b USING (machine)
               LEFT JOIN allowed t ON t.machine = a.machine AND t.from_state = a.state AND t.to_state = b.state
              ORDER BY 1, 2, 3 LOOP
        FOREACH who IN ARRAY ARRAY['regress_centre', 'regress_scjg', 'portal', 'engine'] LOOP
            kind := CASE who WHEN 'regress_centre' THEN '信用中心' WHEN 'regress_scjg' THEN '部门'
                             WHEN 'portal' THEN '信用网站' END;
            expect := CASE WHEN p.party_kinds IS NULL THEN 'refused'
                           WHEN who = 'engine' AND p.by_engine THEN 'moved'
                           WHEN who <> 'engine' AND kind = ANY (p.party_kinds) THEN 'moved'
                           ELSE 'refused' END;
            got := public.w_try(p.machine, p.from_state, p.to_state, who);
            RETURN NEXT is(got, expect, format('%s: %s -> %s by %s', p.machine, p.from_state, p.to_state,
                                               coalesce(kind::text, 'the engine')));
        END LOOP;
    END LOOP;
END
$$;
SELECT * FROM public.w_matrix();

-- ------------------------------------------------------------------
-- The guard: messages, reasons, owned columns, events
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已到期', 'x')$$, '55000',
                 'cannot move 名单条目 ' || public.w_entry('3') || ' from "列入中" to "已到期"',
                 'a refused transition names the machine, the object and both states');
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已移出')$$, '23502',
                 'moving 名单条目 ' || public.w_entry('3') || ' from "列入中" to "已移出" needs a reason', 'a removal needs a reason');
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已移出', '   ')$$, '23502', NULL,
                 'a blank reason is no reason');
SELECT throws_ok($$UPDATE credit.list_entry SET state = '已移出' WHERE entry_id = public.w_entry('3')$$, '2F003', NULL,
                 'a department cannot move an entry with a plain UPDATE');
SELECT throws_ok($$SELECT credit.transition('nothing', 1, 'x')$$, '42704', 'unknown workflow machine "nothing"',
                 'an unknown machine is an error');
SELECT throws_ok($$SELECT credit.transition('list_entry', 999999999, '已移出', 'x')$$, 'P0002', NULL,
                 'a missing object is an error');
SELECT throws_ok($$SELECT credit.transition('list_entry', ARRAY[public.w_entry('4'), 999999999, public.w_entry('4')], '已移出', 'x')$$,
                 'P0002', '1 of the 2 objects of machine "list_entry" to move to "已移出" do not exist or are not yours to move',
                 'an error counts distinct ids, and nothing moves');
SELECT throws_ok($$SELECT credit.transition('list_entry', ARRAY[[1, 2], [3, 4]]::bigint[], '已移出', 'x')$$,
                 '2202E', NULL, 'the ids are a one-dimensional array');
-- what a refusal says in full: the allowed transitions, who may make one,
-- the transition that needs the reason, the arguments that are missing
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('3'), '已到期', 'x')$$),
          '55000: cannot move 名单条目 ' || public.w_entry('3') || ' from "列入中" to "已到期" | '
          '"列入中" to "已到期" is for the engine, not for 部门. | ',
          'a transition for the engine only is refused to a department, saying whose it is');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('3'), '不存在', 'x')$$),
          '55000: cannot move 名单条目 ' || public.w_entry('3') || ' from "列入中" to "不存在" | '
          'Allowed from "列入中": "列入中" (延期: 部门/信用中心, 须说明原因), "已到期" (期满移出: 系统, 须说明原因), '
          '"已移出" (移出: 部门/信用中心, 须说明原因), "应移出" (应予移出: 部门/信用中心, 须说明原因). | ',
          'a transition that does not exist lists what is allowed from the state');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('3'), '已移出')$$),
          '23502: moving 名单条目 ' || public.w_entry('3') || ' from "列入中" to "已移出" needs a reason | '
          'The transition "移出" needs a reason. | Give the reason as the fourth argument of credit.transition().',
          'a missing reason names the transition');
SELECT is(public.regress_error($$UPDATE credit.list_entry SET state = '已移出' WHERE entry_id = public.w_entry('3')$$),
          '2F003: column "state" of 名单条目 ' || public.w_entry('3') || ' belongs to the list_entry machine | '
          '名单条目 ' || public.w_entry('3') || ' is in state "列入中". | '
          'Move it with credit.transition(''list_entry'', ' || public.w_entry('3') || ', <state>, <reason>); from "列入中": '
          '"列入中" (延期: 部门/信用中心, 须说明原因), "已到期" (期满移出: 系统, 须说明原因), "已移出" (移出: 部门/信用中心, 须说明原因), "应移出" (应予移出: 部门/信用中心, 须说明原因).',
          'a machine''s column set by hand is refused, with how to move the object');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', NULL::bigint[], '已移出', 'x')$$),
          '22004: machine, object_ids and to_state must not be null |  | ',
          'null arguments are named');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', NULL::bigint, '已移出', 'x')$$),
          '22004: the objects of machine "list_entry" to move to "已移出" include a null id | Element 1 of the 1 ids is null; nothing moved. | Remove the null from the array of ids.',
          'the one-id form names a null id as the array form does');
RESET ROLE;
-- the machines are read from a per-session cache: a change applies at once
BEGIN;
UPDATE credit.machine_transition SET party_kinds = '{部门}' WHERE machine = 'list_entry' AND to_state = '已到期';
SET LOCAL ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已到期', '期满')$$,
                'a transition changed in credit.machine_transition applies at once (here: 部门 may now expire an entry)');
ROLLBACK;
-- the owner: a plain UPDATE of a machine's column is refused, whatever it is
SELECT throws_ok($$UPDATE credit.list_entry SET state = '已移出' WHERE entry_id = public.w_entry('3')$$, '2F003',
                 'column "state" of 名单条目 ' || public.w_entry('3') || ' belongs to the list_entry machine',
                 'the owner cannot set a state directly');
SELECT throws_ok($$UPDATE credit.list_entry SET deletion_due = credit.legal_date() + 1000 WHERE entry_id = public.w_entry('3')$$, '2F003', NULL,
                 'nor a deadline');
SELECT throws_ok($$UPDATE credit.record SET publicity_end = credit.legal_date() + 1000 WHERE record_id = public.w_rec('1')$$, '2F003', NULL,
                 'nor the end of a record''s publicity');
SELECT throws_ok($$UPDATE credit.record SET dispute_mark = '异议处理中' WHERE record_id = public.w_rec('1')$$, '2F003', NULL,
                 'nor the objection mark');
SELECT throws_ok($$UPDATE credit.objection SET deadline = credit.legal_date() + 100$$, '2F003', NULL, 'nor an objection''s deadline');
SELECT throws_ok($$UPDATE credit.repair SET state_since = now() - interval '1 year'$$, '2F003', NULL, 'nor a repair''s timestamps');
SELECT throws_ok($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, state)
                   VALUES ('W_YZSX', public.w_subject('7'), 'x', credit.legal_date(), '已移出')$$, '22023',
                 NULL, 'an object starts in an initial state');

-- the department removes an entry of its own: the event says who, when, why
-- (state_since set long ago first, to see the transition move it)
SET session_replication_role = replica;
UPDATE credit.list_entry SET state_since = timestamptz '2020-01-01 00:00+08' WHERE entry_id = public.w_entry('3');
SET session_replication_role = origin;
SET ROLE regress_scjg;
SELECT is(credit.transition('list_entry', public.w_entry('3'), '已移出', '已履行义务'), 1::bigint, 'the deciding department removes its entry');
SELECT results_eq($$SELECT state, removed_on, removal_reason, state_reason FROM credit.list_entry WHERE entry_id = public.w_entry('3')$$,
                  $$VALUES ('已移出'::text, date '2026-09-29', '已履行义务'::text, '已履行义务'::text)$$, 'removed today, with the reason');
SELECT results_eq($$SELECT from_state, to_state, party::text, party_kind::text, reason, at BETWEEN now() - interval '1 minute' AND now()
                      FROM credit.workflow_event WHERE machine = 'list_entry' AND object_id = public.w_entry('3')$$,
                  $$VALUES ('列入中'::text, '已移出'::text, 'regress_scjg'::text, '部门'::text, '已履行义务'::text, true)$$,
                  'one event: from, to, party, its kind, reason, time');
SELECT is((SELECT state_since > now() - interval '1 hour' FROM credit.list_entry WHERE entry_id = public.w_entry('3')), true,
          'the transition sets the time the state was entered (state_since)');
SELECT throws_ok($$UPDATE credit.workflow_event SET reason = 'x'$$, '42501', NULL, 'events are not changed');
SELECT throws_ok($$INSERT INTO credit.workflow_event (machine, object_id, to_state) VALUES ('list_entry', 1, '已移出')$$, '42501', NULL,
                 'nor forged outside a transition');
RESET ROLE;
SELECT throws_ok($$DELETE FROM credit.workflow_event$$, '2F003', NULL, 'nor deleted, even by the owner');
-- During a transition, the insert policy (credit.in_transition) lets through
-- an event of that machine and target state only: a trigger that slips in
-- another machine's event makes the whole transition fail.
CREATE FUNCTION public.w_forge_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credit.workflow_event (machine, object_id, from_state, to_state) VALUES ('objection', 1, '已受理', '已办结');
    RETURN NEW;
END $$;
CREATE TRIGGER w_forge_event AFTER UPDATE ON credit.list_entry FOR EACH ROW EXECUTE FUNCTION public.w_forge_event();
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已移出', '已履行义务')$$, '42501',
                 'new row violates row-level security policy for table "workflow_event"',
                 'during a list_entry transition, a forged objection event is refused');
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('4')), '列入中',
          'and the transition with it: the entry is as it was');
RESET ROLE;
DROP TRIGGER w_forge_event ON credit.list_entry;
DROP FUNCTION public.w_forge_event();
-- A trigger that changes another column the machine owns during a
-- transition makes the transition fail: the transition's UPDATE changes
-- the state only.
CREATE FUNCTION public.w_sneak() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.deletion_due := NEW.deletion_due + 1000;
    RETURN NEW;
END $$;
CREATE TRIGGER a_w_sneak BEFORE UPDATE ON credit.list_entry FOR EACH ROW EXECUTE FUNCTION public.w_sneak();
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('4'), '已移出', '已履行义务')$$),
          '2F003: column "deletion_due" of 名单条目 ' || public.w_entry('4') || ' belongs to the list_entry machine |  | ',
          'during a transition, a change of another owned column is refused');
RESET ROLE;
DROP TRIGGER a_w_sneak ON credit.list_entry;
DROP FUNCTION public.w_sneak();
-- A transition undone with its subtransaction leaves no request behind: a
-- plain UPDATE of the state after it is still the owner's refusal (2F003),
-- not a transition's.
BEGIN;
SET LOCAL ROLE regress_scjg;
SELECT matches(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('4'), '已到期', 'x')$$),
               '^55000: cannot move', 'a refused transition, rolled back with its subtransaction');
SELECT matches(public.regress_error($$UPDATE credit.list_entry SET state = '已到期' WHERE entry_id = public.w_entry('4')$$),
               '^2F003: column "state" of 名单条目 \d+ belongs to the list_entry machine',
               'leaves no transition in progress');
ROLLBACK;
-- another department cannot move it; nothing changed
SET ROLE regress_swj;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已移出', '越权')$$, 'P0002', NULL,
                 'another department cannot remove an entry');
RESET ROLE;
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('4')), '列入中', 'and the entry is as it was');

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
