-- Layer 5, the workflows: the engine (every allowed and refused transition
-- of every machine, from the data), objection, repair, list entries, record
-- publicity and the sweep.  pgTAP.
\set VERBOSITY terse
\pset pager off
\pset format unaligned
\pset tuples_only on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
CREATE EXTENSION IF NOT EXISTS pgtap;
RESET client_min_messages;
SET search_path = public, credit;

CREATE ROLE regress_w_centre;
CREATE ROLE regress_w_scjg;
CREATE ROLE regress_w_swj;
CREATE ROLE regress_w_portal_probe;   -- the portal role is registered once per database
INSERT INTO credit.department (code, name) VALUES ('W_SCJG', '市场监管局(流程测试)'), ('W_SWJ', '税务局(流程测试)');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id, repairable,
                                   repair_repeat_months) VALUES
    ('W.XZCF', '行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'W_SCJG'), true, 12),
    ('W.BKXF', '不可修复的处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'W_SCJG'), false, NULL),
    ('W.QS', '欠税', '其他', '失信', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'W_SWJ'), true, NULL);
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, early_removal_months) VALUES
    ('W_YZSX', '严重失信主体名单(流程测试)', '黑', 36, '公开', (SELECT department_id FROM credit.department WHERE code = 'W_SCJG'), 12);
SELECT credit.register_centre_role('regress_w_centre');
SELECT credit.register_department_role('regress_w_scjg', 'W_SCJG');
SELECT credit.register_department_role('regress_w_swj', 'W_SWJ');
-- the portal of this database (registered by an earlier test file, or here)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM credit.party WHERE kind = '信用网站') THEN
        PERFORM credit.register_portal_role('regress_w_portal_probe');
    END IF;
END
$$;
CREATE FUNCTION public.w_portal() RETURNS text LANGUAGE sql
    RETURN (SELECT role::text FROM credit.party WHERE kind = '信用网站');

-- Records to work on, as the departments would submit them (decided two
-- years ago, so the minimum periods have passed), and one decided today.
SET ROLE regress_w_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
SELECT 'W.XZCF', '企业法人', '流程测试' || n || '有限公司', credit.uscc_complete('91330702MA2W0' || lpad(n::text, 3, '0') || '1'),
       '严重', '金市监罚〔W〕' || n || '号', current_date - 700, '虚假宣传', '事实' || n, '《广告法》', '罚款', '罚款一万元', '市场监管局'
  FROM generate_series(1, 12) AS n;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '一般', '金市监罚〔W〕新1号',
        current_date, '虚假宣传', '新案', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('W.BKXF', '企业法人', '流程测试2有限公司', credit.uscc_complete('91330702MA2W00021'), '严重', '金市监罚〔W〕不可修复1号',
        current_date - 700, '虚假宣传', '不可修复', '《广告法》', '罚款', '罚款', '市场监管局');
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
SELECT 'W_YZSX', subject_id, record_id, '严重违法失信', current_date - 400
  FROM credit.record WHERE decision_no IN ('金市监罚〔W〕3号', '金市监罚〔W〕4号', '金市监罚〔W〕5号', '金市监罚〔W〕6号');
RESET ROLE;
CREATE FUNCTION public.w_rec(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号' AND state = '有效');
CREATE FUNCTION public.w_subject(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT subject_id FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号' ORDER BY record_id LIMIT 1);
CREATE FUNCTION public.w_entry(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT entry_id FROM credit.list_entry
             WHERE basis_record_id = (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号'));

SELECT no_plan();

-- ------------------------------------------------------------------
-- The machines are data
-- ------------------------------------------------------------------
SELECT set_eq($$SELECT machine FROM credit.machine$$, ARRAY['record_publicity', 'list_entry', 'objection', 'repair'],
              'four machines');
SELECT is((SELECT count(*)::integer FROM credit.machine_transition), 24, 'their transitions');
SELECT is((SELECT string_agg(format('%s %s %s %s', machine, state, working_days, coalesce(counted_from, '-')), '; ' ORDER BY machine, state)
             FROM credit.machine_deadline),
          'objection 已受理 3 -; objection 部门核查 7 已受理; repair 已受理 3 -; repair 已申请 10 -',
          'the deadline profile: 3 / 7 working days for objections, 3 / 10 for repairs');
SELECT matches(credit.machine_dot('objection'), '^digraph objection \{.*"已提交" -> "已受理" \[label="受理\\n信用中心"\];.*\}\n$',
               'a machine renders as a Graphviz digraph from its data');
SELECT matches(credit.machine_dot('record_publicity'), '"公示中" -> "已到期" \[label="公示期满\\n系统\\n须说明原因", style=dashed\]',
               'engine-only transitions are dashed');
SELECT is(credit.machine_dot('nothing'), NULL, 'an unknown machine renders as nothing');

-- ------------------------------------------------------------------
-- Every pair of states of every machine, tried by every kind of party:
-- allowed exactly where credit.machine_transition says, for exactly the
-- kinds it names (and the engine where by_engine).  Each try runs in a
-- subtransaction that is rolled back, on an object put into the from-state
-- with the triggers off (session_replication_role = replica, superuser).
-- ------------------------------------------------------------------
CREATE FUNCTION public.w_object(machine text) RETURNS bigint LANGUAGE sql
    RETURN CASE machine WHEN 'record_publicity' THEN public.w_rec('1')
                        WHEN 'list_entry' THEN public.w_entry('3')
                        WHEN 'objection' THEN (SELECT objection_id FROM credit.objection WHERE record_id = public.w_rec('2'))
                        WHEN 'repair' THEN (SELECT repair_id FROM credit.repair WHERE record_id = public.w_rec('2')) END;
-- one objection and one repair to move around (made with the triggers off)
SET session_replication_role = replica;
INSERT INTO credit.objection (record_id, subject_id, department_id, grounds, claim)
SELECT record_id, subject_id, department_id, '信息错误', '矩阵测试' FROM credit.record WHERE record_id = public.w_rec('2');
INSERT INTO credit.repair (record_id, subject_id, department_id, item_code, obligations_performed, materials, commitment)
SELECT record_id, subject_id, department_id, item_code, true, '{信用修复承诺书,履行义务证明}', '矩阵测试承诺'
  FROM credit.record WHERE record_id = public.w_rec('2');
SET session_replication_role = origin;

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
        PERFORM credit.transition(m, obj, to_state, '测试原因',
                                  jsonb_build_object('outcome', '维持', 'missing', jsonb_build_array('身份证明'),
                                                     'expires_on', current_date + 2000));
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
    FOR p IN SELECT a.machine, a.state AS from_state, b.state AS to_state, t.party_kinds, t.by_engine
               FROM credit.machine_state a
               JOIN credit.machine_state b USING (machine)
               LEFT JOIN credit.machine_transition t
                      ON t.machine = a.machine AND t.from_state = a.state AND t.to_state = b.state
              ORDER BY 1, 2, 3 LOOP
        FOREACH who IN ARRAY ARRAY['regress_w_centre', 'regress_w_scjg', 'portal', 'engine'] LOOP
            kind := CASE who WHEN 'regress_w_centre' THEN '信用中心' WHEN 'regress_w_scjg' THEN '部门'
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
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已到期', 'x')$$, '55000',
                 '名单条目 ' || public.w_entry('3') || ': cannot move from 列入中 to 已到期',
                 'a refused transition names the machine, the object and both states');
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已移出')$$, '23502',
                 '名单条目 ' || public.w_entry('3') || ': 移出 (列入中 to 已移出) needs a reason', 'a removal needs a reason');
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('3'), '已移出', '   ')$$, '23502', NULL,
                 'a blank reason is no reason');
SELECT throws_ok($$UPDATE credit.list_entry SET state = '已移出' WHERE entry_id = public.w_entry('3')$$, '2F003', NULL,
                 'a department cannot move an entry with a plain UPDATE');
SELECT throws_ok($$SELECT credit.transition('nothing', 1, 'x')$$, '42704', 'unknown workflow machine "nothing"',
                 'an unknown machine is an error');
SELECT throws_ok($$SELECT credit.transition('list_entry', 999999999, '已移出', 'x')$$, 'P0002', NULL,
                 'a missing object is an error');
SELECT throws_ok($$SELECT credit.transition('list_entry', ARRAY[public.w_entry('4'), 999999999, public.w_entry('4')], '已移出', 'x')$$,
                 'P0002', 'list_entry: 1 of the 2 objects to move to 已移出 do not exist or are not yours to move',
                 'an error counts distinct ids, and nothing moves');
SELECT throws_ok($$SELECT credit.transition('list_entry', ARRAY[[1, 2], [3, 4]]::bigint[], '已移出', 'x')$$,
                 '2202E', NULL, 'the ids are a one-dimensional array');
RESET ROLE;
-- the machines are read from a per-session cache: a change applies at once
BEGIN;
UPDATE credit.machine_transition SET party_kinds = '{部门}' WHERE machine = 'list_entry' AND to_state = '已到期';
SET LOCAL ROLE regress_w_scjg;
SELECT lives_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已到期', '期满')$$,
                'a transition changed in credit.machine_transition applies at once (here: 部门 may now expire an entry)');
ROLLBACK;
-- the owner: a plain UPDATE of a machine's column is refused, whatever it is
SELECT throws_ok($$UPDATE credit.list_entry SET state = '已移出' WHERE entry_id = public.w_entry('3')$$, '2F003',
                 'column "state" of 名单条目 ' || public.w_entry('3') || ' belongs to the list_entry machine',
                 'the owner cannot set a state directly');
SELECT throws_ok($$UPDATE credit.list_entry SET deletion_due = current_date + 1000 WHERE entry_id = public.w_entry('3')$$, '2F003', NULL,
                 'nor a deadline');
SELECT throws_ok($$UPDATE credit.record SET publicity_end = current_date + 1000 WHERE record_id = public.w_rec('1')$$, '2F003', NULL,
                 'nor the end of a record''s publicity');
SELECT throws_ok($$UPDATE credit.record SET dispute_mark = '异议处理中' WHERE record_id = public.w_rec('1')$$, '2F003', NULL,
                 'nor the objection mark');
SELECT throws_ok($$UPDATE credit.objection SET deadline = current_date + 100$$, '2F003', NULL, 'nor an objection''s deadline');
SELECT throws_ok($$UPDATE credit.repair SET state_since = now() - interval '1 year'$$, '2F003', NULL, 'nor a repair''s timestamps');
SELECT throws_ok($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, state)
                   VALUES ('W_YZSX', public.w_subject('7'), 'x', current_date, '已移出')$$, '22023',
                 NULL, 'an object starts in an initial state');

-- the department removes an entry of its own: the event says who, when, why
SET ROLE regress_w_scjg;
SELECT is(credit.transition('list_entry', public.w_entry('3'), '已移出', '已履行义务'), 1::bigint, 'the deciding department removes its entry');
SELECT results_eq($$SELECT state, removed_on, removal_reason, state_reason FROM credit.list_entry WHERE entry_id = public.w_entry('3')$$,
                  $$VALUES ('已移出'::text, current_date, '已履行义务'::text, '已履行义务'::text)$$, 'removed today, with the reason');
SELECT results_eq($$SELECT from_state, to_state, party::text, party_kind::text, reason, at BETWEEN now() - interval '1 minute' AND now()
                      FROM credit.workflow_event WHERE machine = 'list_entry' AND object_id = public.w_entry('3')$$,
                  $$VALUES ('列入中'::text, '已移出'::text, 'regress_w_scjg'::text, '部门'::text, '已履行义务'::text, true)$$,
                  'one event: from, to, party, its kind, reason, time');
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
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已移出', '已履行义务')$$, '42501',
                 'new row violates row-level security policy for table "workflow_event"',
                 'during a list_entry transition, a forged objection event is refused');
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('4')), '列入中',
          'and the transition with it: the entry is as it was');
RESET ROLE;
DROP TRIGGER w_forge_event ON credit.list_entry;
DROP FUNCTION public.w_forge_event();
-- another department cannot move it; nothing changed
SET ROLE regress_w_swj;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '已移出', '越权')$$, 'P0002', NULL,
                 'another department cannot remove an entry');
RESET ROLE;
SELECT is((SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('4')), '列入中', 'and the entry is as it was');

-- ------------------------------------------------------------------
-- List entries: term, extension, deletion due, early removal
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT expires_on, deletion_due, early_removal_from FROM credit.list_entry WHERE entry_id = public.w_entry('4')$$,
                  $$SELECT (current_date - 400 + interval '36 months')::date,
                           credit.add_working_days((current_date - 400 + interval '36 months')::date, 3),
                           (current_date - 400 + interval '12 months')::date$$,
                  'term from the list kind, deletion due 3 working days after it, early removal after 12 months');
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '列入中', '延期', '{"expires_on": "2020-01-01"}')$$,
                 '22023', NULL, 'an extension moves the end of the term forward only');
SELECT lives_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '列入中', '拒不履行, 延长一年',
                                           jsonb_build_object('expires_on', (current_date - 400 + interval '48 months')::date))$$,
                'the deciding department extends the term, with a reason');
SELECT results_eq($$SELECT state, expires_on, deletion_due FROM credit.list_entry WHERE entry_id = public.w_entry('4')$$,
                  $$SELECT '列入中'::text, (current_date - 400 + interval '48 months')::date,
                           credit.add_working_days((current_date - 400 + interval '48 months')::date, 3)$$,
                  'new term, new deletion date, still listed');
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.list_entry SET expires_on = current_date WHERE entry_id = public.w_entry('6');
SET session_replication_role = origin;
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('6'), '列入中', '延期',
                                            jsonb_build_object('expires_on', current_date + 100))$$,
                 '55000', 'list entry ' || public.w_entry('6') || ': its term ended on ' || current_date || '; a new listing is a new entry',
                 'a term that has ended is not extended, swept or not');
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.list_entry SET expires_on = (listed_on + interval '36 months')::date WHERE entry_id = public.w_entry('6');
SET session_replication_role = origin;

-- ------------------------------------------------------------------
-- Objection
-- ------------------------------------------------------------------
-- the subject files through the portal; the centre accepts
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('5'));
SELECT lives_ok($$INSERT INTO credit.objection (record_id, grounds, claim, materials)
                  VALUES (public.w_rec('5'), '信息错误', '处罚金额有误', '{身份证明,处罚决定书}')$$,
                'the subject files an objection through the portal');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('5'), '信息错误', '再来一次')$$,
                 '23505', NULL, 'at most one open objection per record');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('6'), '信息错误', '替别人')$$,
                 '42501', 'record ' || public.w_rec('6') || ' is not a record of the subject you act for',
                 'the portal cannot object for another subject');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (999999999, '信息错误', '不存在')$$,
                 '42501', 'record 999999999 is not a record of the subject you act for',
                 'nor learn whether a record exists');
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('不可修复1'), true, '{}', '探测')$$,
                 '42501', 'record ' || public.w_rec('不可修复1') || ' is not a record of the subject you act for',
                 'a repair application for another subject''s record learns nothing about it');
RESET ROLE;
COMMIT;
SELECT set_config('role', public.w_portal(), false);
SELECT throws_ok($$INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('6'), '信息错误', '不代理')$$,
                 '42501', 'the portal files for a subject only while it acts for it', 'the portal files only while acting');
RESET ROLE;
CREATE FUNCTION public.w_obj(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT max(objection_id) FROM credit.objection WHERE record_id = public.w_rec(n));
SELECT results_eq($$SELECT state, subject_id, filed_by::text, deadline FROM credit.objection WHERE objection_id = public.w_obj('5')$$,
                  $$SELECT '已提交'::text, public.w_subject('5'), public.w_portal(), NULL::date$$,
                  'filed: subject from the record, filed by the portal, no deadline yet');
SET ROLE regress_w_centre;
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已受理')$$, 'the centre accepts it');
RESET ROLE;
SELECT results_eq($$SELECT state, deadline FROM credit.objection WHERE objection_id = public.w_obj('5')$$,
                  $$SELECT '已受理'::text, credit.add_working_days(current_date, 3)$$, 'deadline: 3 working days');
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('5')), '异议处理中', 'the record is marked');
SET ROLE regress_w_swj;
SELECT is((SELECT dispute_mark FROM credit.public_record WHERE record_id = public.w_rec('5')), '异议处理中',
          'every view shows the mark: another department''s');
RESET ROLE;
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT dispute_mark FROM credit.public_record WHERE record_id = public.w_rec('5')), '异议处理中',
          'and the public''s');
RESET ROLE;
SET ROLE regress_w_centre;
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '部门核查')$$, 'the centre passes it to the department');
RESET ROLE;
SELECT is((SELECT deadline FROM credit.objection WHERE objection_id = public.w_obj('5')), credit.add_working_days(current_date, 7),
          'deadline: 7 working days from acceptance');
SET ROLE regress_w_swj;
SELECT is((SELECT count(*)::integer FROM credit.objection WHERE objection_id = public.w_obj('5')), 0,
          'another department does not see the objection');
RESET ROLE;
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '核实有误', '{"outcome": "重来"}')$$,
                 '22023', NULL, 'an outcome must be one of the six');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '核实有误', '{"outcome": "更正"}')$$,
                 '22023', NULL, '更正 needs the corrected fields');
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('5'), '已办结', '罚款金额录入错误',
                                           '{"outcome": "更正", "changes": {"penalty_content": "罚款五千元"}}')$$,
                'the providing department decides: 更正');
RESET ROLE;
SELECT results_eq($$SELECT state, dispute_mark FROM credit.record WHERE record_id = (SELECT record_id FROM credit.objection WHERE claim = '处罚金额有误')$$,
                  $$VALUES ('已更正'::credit.record_state, NULL::text)$$, '更正: the old version is 已更正, unmarked');
SELECT results_eq($$SELECT penalty_content, state FROM credit.record WHERE decision_no = '金市监罚〔W〕5号' AND corrects IS NOT NULL$$,
                  $$VALUES ('罚款五千元'::text, '有效'::credit.record_state)$$, 'and a new version carries the correction');
SELECT is((SELECT outcome FROM credit.objection WHERE objection_id = (SELECT max(objection_id) FROM credit.objection WHERE claim = '处罚金额有误')),
          '更正', 'the objection keeps its outcome');

-- each other outcome, filed and decided by the centre
CREATE FUNCTION public.w_decide(n text, outcome jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    EXECUTE 'SET LOCAL ROLE regress_w_centre';
    INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec(n), '其他', '结果测试 ' || n)
    RETURNING objection_id INTO id;
    PERFORM credit.transition('objection', id, '已受理');
    PERFORM credit.transition('objection', id, '已办结', '核实', outcome);
    RESET ROLE;
    RETURN id;
END
$$;
SELECT lives_ok($$SELECT public.w_decide('7', '{"outcome": "补充", "changes": {"remarks": "补充: 已整改"}}')$$, '补充 decided');
SELECT is((SELECT remarks FROM credit.record WHERE decision_no = '金市监罚〔W〕7号' AND state = '有效'), '补充: 已整改',
          '补充: a new version with the supplement');
SELECT lives_ok($$SELECT public.w_decide('8', '{"outcome": "删除"}')$$, '删除 decided');
SELECT is((SELECT state::text FROM credit.record WHERE decision_no = '金市监罚〔W〕8号'), '已撤回', '删除: the record is withdrawn');
SELECT lives_ok($$SELECT public.w_decide('9', '{"outcome": "停止公开"}')$$, '停止公开 decided');
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('9')$$,
                  $$VALUES ('停止公示'::text, current_date)$$, '停止公开: publicity ends today');
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕9号'), 0, 'the public no longer sees it');
RESET ROLE;
SET ROLE regress_w_swj;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金市监罚〔W〕9号'), 0, 'nor does another department (it was 公开 only)');
RESET ROLE;
SELECT lives_ok($$SELECT public.w_decide('6', '{"outcome": "移出名单"}')$$, '移出名单 decided');
SELECT results_eq($$SELECT state, removal_reason FROM credit.list_entry WHERE basis_record_id = public.w_rec('6')$$,
                  $$SELECT '已移出'::text, format('异议 %s: 核实', (SELECT max(objection_id) FROM credit.objection WHERE record_id = public.w_rec('6')))$$,
                  '移出名单: the entry based on the record is removed');
SELECT throws_ok($$SELECT public.w_decide('10', '{"outcome": "移出名单"}')$$, '55000', NULL,
                 '移出名单 without an entry is refused');
SELECT is((SELECT count(*)::integer FROM credit.objection WHERE claim = '结果测试 10'), 0, 'and leaves nothing behind');
SELECT is((SELECT dispute_mark FROM credit.record WHERE record_id = public.w_rec('10')), NULL, 'not even the mark');
SELECT lives_ok($$SELECT public.w_decide('10', '{"outcome": "维持"}')$$, '维持 decided');
SELECT results_eq($$SELECT state::text, dispute_mark, publicity_state FROM credit.record WHERE record_id = public.w_rec('10')$$,
                  $$VALUES ('有效'::text, NULL::text, '公示中'::text)$$, '维持: only the mark goes');
-- the deadline arithmetic across a holiday and a 调休 working Saturday: an
-- objection accepted on 2026-09-29 and passed to the department has 7
-- working days: 09-30, (国庆 10-01..07 off) 10-08, 10-09, 10-10 (调休 Saturday),
-- 10-12, 10-13, 10-14
SET ROLE regress_w_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('4'), '其他', '时限测试');
SELECT credit.transition('objection', public.w_obj('4'), '已受理') \gset w_ignore_
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.workflow_event SET at = '2026-09-29 10:00'  -- (in the session's time zone, as the engine reads it)
 WHERE machine = 'objection' AND object_id = public.w_obj('4') AND to_state = '已受理';
SET session_replication_role = origin;
SET ROLE regress_w_centre;
SELECT credit.transition('objection', public.w_obj('4'), '部门核查') \gset w_ignore_
SELECT is((SELECT deadline FROM credit.objection WHERE objection_id = public.w_obj('4')), '2026-10-14'::date,
          'a 7-working-day deadline counted from the acceptance on 2026-09-29 skips 国庆 and counts the 10-10 调休 Saturday');
SELECT credit.transition('objection', public.w_obj('4'), '已撤回') \gset w_ignore_
RESET ROLE;
-- refusal lists the missing items; withdrawal by the subject
SET ROLE regress_w_centre;
INSERT INTO credit.objection (record_id, grounds, claim) VALUES (public.w_rec('11'), '其他', '不予受理测试');
SELECT throws_ok($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', '材料不全')$$, '23502', NULL,
                 '不予受理 must list the missing items');
SELECT lives_ok($$SELECT credit.transition('objection', public.w_obj('11'), '不予受理', '材料不全',
                                           '{"missing": ["身份证明", "证据材料"]}')$$, '不予受理 with the list');
SELECT is((SELECT missing_items FROM credit.objection WHERE objection_id = public.w_obj('11')), '{身份证明,证据材料}', 'kept on the objection');
RESET ROLE;

-- ------------------------------------------------------------------
-- Credit repair
-- ------------------------------------------------------------------
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('12'));
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('12'), false, '{信用修复承诺书,履行义务证明}', '承诺')$$, '55000',
                 'credit repair needs the obligations to be fully performed', 'refused: obligations not performed');
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('12'), true, '{信用修复承诺书}', '承诺')$$, '23502',
                 'the application lacks: 履行义务证明', 'refused: a material is missing, named');
RESET ROLE;
COMMIT;
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('新1'));
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('新1'), true, '{信用修复承诺书,履行义务证明}', '承诺')$$, '55000',
                 NULL, 'refused: the minimum publicity period has not passed');
RESET ROLE;
COMMIT;
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('不可修复1'));
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('不可修复1'), true, '{信用修复承诺书,履行义务证明}', '承诺')$$, '55000',
                 'records of item "W.BKXF" cannot be repaired', 'refused: the item is not repairable');
RESET ROLE;
COMMIT;
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('12'));
SELECT lives_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                  VALUES (public.w_rec('12'), true, '{信用修复承诺书,履行义务证明}', '本企业承诺依法经营')$$,
                'a complete application is filed');
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('12'), true, '{信用修复承诺书,履行义务证明}', '再次')$$, '23505', NULL,
                 'refused: an open application exists');
RESET ROLE;
COMMIT;
CREATE FUNCTION public.w_repair(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT max(repair_id) FROM credit.repair WHERE record_id = public.w_rec(n));
SELECT results_eq($$SELECT p.state, p.feedback_deadline, c.kind, c.content FROM credit.repair p
                     JOIN credit.commitment c USING (commitment_id) WHERE p.repair_id = public.w_repair('12')$$,
                  $$SELECT '已申请'::text, credit.add_working_days(current_date, 10), '信用修复型'::text, '本企业承诺依法经营'::text$$,
                  'filed: feedback due in 10 working days, the 信用修复型 commitment recorded');
INSERT INTO credit.sync_target (target, name, kind, department_id) VALUES
    ('W_SCJG', '市场监管局', '部门', (SELECT department_id FROM credit.department WHERE code = 'W_SCJG')),
    ('PROVINCE', '省公共信用信息平台', '上级平台', NULL);
SET ROLE regress_w_scjg;
SELECT lives_ok($$SELECT credit.transition('repair', public.w_repair('12'), '已受理')$$, 'the determining department accepts');
SELECT is((SELECT deadline FROM credit.repair WHERE repair_id = public.w_repair('12')), credit.add_working_days(current_date, 3),
          'decision due in 3 working days');
SELECT lives_ok($$SELECT credit.transition('repair', public.w_repair('12'), '已修复')$$, 'and repairs');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('12')$$,
                  $$VALUES ('已修复'::text, current_date)$$, '已修复: publicity ends');
SELECT is((SELECT string_agg(target, ',' ORDER BY target) FROM credit.sync_event WHERE repair_id = public.w_repair('12')),
          'PROVINCE,W_SCJG', 'one sync event per registered target');
SET ROLE regress_w_scjg;
SELECT lives_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'W_SCJG'))$$,
                'the department acknowledges its own');
SELECT is((SELECT count(*)::integer FROM credit.sync_event WHERE target = 'PROVINCE'), 0, 'and sees no other');
RESET ROLE;
SET ROLE regress_w_centre;
SELECT lives_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'PROVINCE'))$$,
                'the centre acknowledges for the upper platform');
SELECT throws_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'PROVINCE'))$$,
                 '55000', NULL, 'once');
RESET ROLE;
-- a repaired 部门共享 record is no longer shared
SET ROLE regress_w_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '一般', '金税欠〔W〕1号', current_date - 700);
RESET ROLE;
SET ROLE regress_w_scjg;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔W〕1号'), 1, 'another department sees the shared record');
RESET ROLE;
-- (the subject knows its record's id from the decision; the portal does not show 部门共享 records)
SELECT record_id AS qs_id FROM credit.record WHERE decision_no = '金税欠〔W〕1号' \gset
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('1'));
SELECT lives_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                  VALUES ($$ || :qs_id || $$, true, '{信用修复承诺书,履行义务证明}', '已缴清')$$,
                'the subject applies to repair its 部门共享 record');
RESET ROLE;
COMMIT;
SET ROLE regress_w_swj;
SELECT lives_ok($$SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已受理')$$, '税务局 accepts');
SELECT lives_ok($$SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已修复')$$, 'and repairs');
SELECT is((SELECT publicity_state FROM credit.record WHERE decision_no = '金税欠〔W〕1号'), '已修复', 'its own department still sees it, 已修复');
RESET ROLE;
SET ROLE regress_w_scjg;
SELECT is((SELECT count(*)::integer FROM credit.record WHERE decision_no = '金税欠〔W〕1号'), 0, 'sharing has stopped: another department no longer sees it');
RESET ROLE;
-- the repeat limit of the item (12 months)
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '公示中', publicity_end = publicity_max_end WHERE record_id = public.w_rec('12');
SET session_replication_role = origin;
BEGIN;
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('12'));
SELECT throws_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                   VALUES (public.w_rec('12'), true, '{信用修复承诺书,履行义务证明}', '又一次')$$, '55000', NULL,
                 'refused: repaired for the same item within the repeat limit');
RESET ROLE;
COMMIT;
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复', publicity_end = current_date WHERE record_id = public.w_rec('12');
SET session_replication_role = origin;
-- a broken commitment restores the full maximum period
SET ROLE regress_w_scjg;
SELECT lives_ok($$SELECT credit.record_commitment_breach((SELECT commitment_id FROM credit.repair WHERE repair_id = public.w_repair('12')),
                                                          '再次虚假宣传')$$, 'the department records a breach of the commitment');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end = publicity_max_end, publicity_end > current_date FROM credit.record WHERE record_id = public.w_rec('12')$$,
                  $$VALUES ('公示中'::text, true, true)$$, 'the record is published again until its maximum');

-- ------------------------------------------------------------------
-- Publicity periods: rule set by decision date, 5-year cap, 轻微
-- ------------------------------------------------------------------
SELECT is((SELECT row(p.rule_set, p.min_months, p.max_months, p.published)::text FROM credit.publicity_period('W.XZCF', '一般', '2024-06-01') p),
          '(令第58号,3,36,t)', 'a 2024 decision: 令第58号, 3 months to 3 years');
SELECT is((SELECT row(p.rule_set, p.min_months, p.max_months, p.published)::text FROM credit.publicity_period('W.XZCF', '严重', '2026-05-01') p),
          '(令第36号,12,36,t)', 'a 2026-05 decision: 令第36号, 1 to 3 years');
SELECT is((SELECT row(p.rule_set, p.published)::text FROM credit.publicity_period('W.XZCF', '轻微', '2026-05-01') p),
          '(令第36号,f)', '轻微 under 令第36号: not published');
SELECT is((SELECT row(p.rule_set, p.max_months)::text FROM credit.publicity_period('W.XZCF', '严重', '2020-01-01') p),
          '(发改办财金〔2019〕527号,36)', 'a 2020 decision: 527号');
SET ROLE regress_w_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, conduct_end_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金市监罚〔W〕老行为',
        current_date - 30, current_date - 30 - interval '1900 days', '虚假宣传', '老行为', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '轻微', '金市监罚〔W〕轻微',
        current_date, NULL, '虚假宣传', '轻微', '《广告法》', '罚款', '罚款', '市场监管局');
RESET ROLE;
SELECT is((SELECT publicity_max_end FROM credit.record WHERE decision_no = '金市监罚〔W〕老行为'),
          (current_date - 30 - interval '1900 days' + interval '5 years')::date, 'capped at 5 years from the end of the conduct');
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE decision_no = '金市监罚〔W〕轻微'$$,
                  $$VALUES ('不公示'::text, current_date)$$, '轻微 under 令第36号 starts 不公示');
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕轻微'), 0, 'and the public never sees it');
RESET ROLE;

-- ------------------------------------------------------------------
-- The sweep and exact visibility
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.record SET publicity_end = current_date WHERE record_id = public.w_rec('11');
UPDATE credit.list_entry SET expires_on = current_date - 1 WHERE entry_id = public.w_entry('5');
SET session_replication_role = origin;
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE record_id = public.w_rec('11')), 0,
          'a record past its maximum is not shown before any sweep');
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE entry_id = public.w_entry('5')), 0,
          'nor a list entry past its term');
RESET ROLE;
SELECT throws_ok($$SELECT * FROM credit.sweep(current_date + 1)$$, '22023', NULL, 'the sweep never runs ahead of time');
CREATE TEMP TABLE w_due AS
SELECT 'list_entry'::text AS machine, count(*) AS due FROM credit.list_entry WHERE state = '列入中' AND expires_on <= current_date
UNION ALL
SELECT 'record_publicity', count(*) FROM credit.record WHERE publicity_state = '公示中' AND publicity_end <= current_date;
SELECT ok((SELECT bool_and(due >= 1) FROM w_due), 'something is due (this file''s entry and record among them)');
SELECT results_eq($$SELECT machine, moved FROM credit.sweep() ORDER BY 1$$,
                  $$SELECT machine, due FROM w_due ORDER BY 1$$, 'the sweep moves what is due and says so');
SELECT results_eq($$SELECT (SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('5')),
                           (SELECT publicity_state FROM credit.record WHERE record_id = public.w_rec('11'))$$,
                  $$VALUES ('已到期'::text, '已到期'::text)$$, 'both are 已到期 now');
SELECT results_eq($$SELECT machine, moved FROM credit.sweep() ORDER BY 1$$,
                  $$VALUES ('list_entry'::text, 0::bigint), ('record_publicity', 0)$$, 'run twice, the second does nothing');
SELECT results_eq($$SELECT from_state, to_state, party_kind, reason FROM credit.workflow_event WHERE machine = 'record_publicity' AND object_id = public.w_rec('11')$$,
                  $$VALUES ('公示中'::text, '已到期'::text, NULL::credit.party_kind, '公示期满'::text)$$, 'with an event by the engine');
SET ROLE regress_w_scjg;
SELECT throws_ok($$SELECT * FROM credit.sweep()$$, '42501', NULL, 'the sweep is for the DBA''s scheduler');
RESET ROLE;

-- ------------------------------------------------------------------
-- Overdue
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.repair SET state = '已受理', deadline = current_date - 7, feedback_deadline = current_date - 1
 WHERE repair_id = public.w_repair('2');
SET session_replication_role = origin;
SET ROLE regress_w_scjg;
SELECT results_eq($$SELECT deadline_kind, working_days_late FROM credit.workflow_overdue WHERE machine = 'repair' ORDER BY 1$$,
                  $$VALUES ('deadline'::text, credit.working_days_between(current_date - 7, current_date)),
                           ('feedback_deadline', credit.working_days_between(current_date - 1, current_date))$$,
                  'the overdue view shows the late repair and by how many working days');
SELECT is((SELECT overdue::integer FROM credit.workflow_overdue_by_department WHERE machine = 'repair' AND deadline_kind = 'deadline'),
          1, 'and per department');
RESET ROLE;
SET ROLE regress_w_swj;
SELECT is((SELECT count(*)::integer FROM credit.workflow_overdue WHERE machine = 'repair'), 0, 'another department does not see it');
RESET ROLE;

SELECT * FROM finish();

\set ON_ERROR_STOP 0
SELECT credit.unregister_role('regress_w_centre');
SELECT credit.unregister_role('regress_w_scjg');
SELECT credit.unregister_role('regress_w_swj');
SELECT credit.unregister_role('regress_w_portal_probe') WHERE EXISTS (SELECT FROM credit.party WHERE role::text = 'regress_w_portal_probe');
DROP OWNED BY regress_w_centre, regress_w_scjg, regress_w_swj, regress_w_portal_probe;
DROP ROLE regress_w_centre, regress_w_scjg, regress_w_swj, regress_w_portal_probe;
