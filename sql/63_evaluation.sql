-- 信用评价: schemes and indicators as data, the set-based run (every
-- subject graded, the explanation, idempotence, repaired and expired records
-- not counted, no natural person unless the scheme is enabled for them),
-- the grade machine (告知 → 公布, refused moves), an objection to a grade,
-- the import of a foreign scheme, each role's view of grades, a grade as a
-- trigger of the credit check, and the refusals.  pgTAP.
-- Today is Monday 2026-06-01 (no holiday until 2026-06-19).
\i sql/include/tap_setup.sql

SET credit.legal_date = '2026-06-01';
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('T.WF', '违法失信行为', '其他', '失信', '公开', 1),
    ('T.BZ', '表彰奖励', '其他', '守信', '公开', 1),
    ('T.QS', '欠税信息', '其他', '失信', '部门共享', 1);
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious) VALUES
    ('T_YZSX', '严重失信主体名单(测试)', '黑', 36, '公开', 1, true);

-- organisations 1..8 and one person; records submitted by SCJG
CREATE FUNCTION public.k(n integer) RETURNS bigint LANGUAGE sql
    RETURN (SELECT subject_id FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2E0' || lpad(n::text, 3, '0') || '1'));
INSERT INTO credit.subject (kind, uscc, name)
SELECT '企业法人', credit.uscc_complete('91330702MA2E0' || lpad(n::text, 3, '0') || '1'), '评价测试' || n || '有限公司'
  FROM generate_series(1, 8) AS n;
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
SELECT v.item, '企业法人', '评价测试' || v.n || '有限公司', credit.uscc_complete('91330702MA2E0' || lpad(v.n::text, 3, '0') || '1'),
       v.severity::credit.severity, '金市监〔E〕' || v.n || '-' || v.i || '号', date '2026-05-20'
  FROM (VALUES (2, 1, 'T.WF', '一般'), (2, 2, 'T.WF', '一般'),
               (3, 1, 'T.BZ', NULL), (3, 2, 'T.BZ', NULL),
               (5, 1, 'T.WF', '一般'),
               (6, 1, 'T.WF', '一般'), (6, 2, 'T.WF', '一般'),
               (7, 1, 'T.WF', '一般'),
               (8, 1, 'T.WF', '一般'), (8, 2, 'T.WF', '一般')) AS v(n, i, item, severity);
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, severity, decision_no, decision_date)
VALUES ('T.QS', '自然人', '王五', '11010519491231002X', '一般', '金市监〔E〕9-1号', date '2026-05-20');
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('T_YZSX', public.k(4), '严重失信', date '2026-05-01');
RESET ROLE;
SELECT subject_id AS wangwu FROM credit.subject WHERE resident_id = '11010519491231002X' \gset
-- subject 6: one record repaired; subject 7: its record past its period
-- (put in place with the triggers off)
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复' WHERE decision_no = '金市监〔E〕6-2号';
UPDATE credit.record SET publicity_end = date '2026-05-25' WHERE decision_no = '金市监〔E〕7-1号';
SET session_replication_role = origin;
CREATE FUNCTION public.res(n integer, s text DEFAULT '公共信用综合评价', d date DEFAULT '2026-06-01') RETURNS bigint LANGUAGE sql SECURITY DEFINER
    RETURN (SELECT result_id FROM credit.eval_result WHERE subject_id = public.k(n) AND scheme = s AND as_of = d);

SELECT plan(88);

-- ------------------------------------------------------------------
-- The shipped schemes
-- ------------------------------------------------------------------
SELECT is((SELECT array_agg(g.grade ORDER BY g.rank) FROM credit.eval_grades('公共信用综合评价') g), '{A,B,C,D}',
          'the shipped scheme grades A, B, C, D, best first (国办发〔2026〕8号)');
SELECT is((SELECT array_agg(g.grade ORDER BY g.rank) FROM credit.eval_grades('公共信用综合评价') g WHERE g.negative), '{C,D}',
          'C and D are the negative grades, notified before publication');
SELECT results_eq($$SELECT enabled_for_persons, foreign_scheme, cycle_months, source LIKE '%UNCERTAIN%' FROM credit.eval_scheme
                     WHERE scheme IN ('公共信用综合评价', '纳税信用') ORDER BY foreign_scheme$$,
                  $$VALUES (false, false, 12, true), (false, true, 12, true)$$,
                  'no shipped scheme grades persons; 纳税信用 is foreign; yearly; the uncertain marked');
SELECT is((SELECT count(*)::integer FROM credit.eval_indicator WHERE scheme = '公共信用综合评价' AND source LIKE '%UNCERTAIN%'), 4,
          'the four sample indicators say they are an example');
SELECT is(public.regress_error($$INSERT INTO credit.eval_scheme (scheme, issuer, subject_kinds, basis, version, valid_from, source)
                                  VALUES ('T个人', '某市', '{自然人}', '测试', '1', '2026-01-01', '测试')$$),
          '23514: invalid evaluation scheme "T个人": natural persons are graded only by a scheme enabled for them (enabled_for_persons) |  | grades is [{"grade": "A", "meaning": "...", "min_score": 90, "negative": false}, ...], best first; see docs/evaluation.md.',
          'a scheme grading natural persons without being enabled for them is refused');
SELECT is(public.regress_error($$INSERT INTO credit.eval_scheme (scheme, issuer, grades, basis, version, valid_from, source)
                                  VALUES ('T坏', '某市', '[{"grade": "A", "negative": false, "min_score": 50}, {"grade": "a", "meaning": "差", "min_score": 60}]',
                                          '测试', '1', '2026-01-01', '测试')$$),
          '23514: invalid evaluation scheme "T坏": the min_score of the grades must fall from the best grade to the worst; grade 1: "meaning" is missing; grade 2: "grade" is missing or not 1 to 4 capital letters, digits, + or -; grade 2: "negative" is missing or not true/false |  | grades is [{"grade": "A", "meaning": "...", "min_score": 90, "negative": false}, ...], best first; see docs/evaluation.md.',
          'a bad grade set is refused, every problem named');
SELECT is(public.regress_error($$INSERT INTO credit.eval_indicator (scheme, indicator, name, rule_kind, items, points, source)
                                  VALUES ('纳税信用', 'X', '某指标', '失信记录', '{T.BZ,NOPE}', -5, '测试')$$),
          '23514: invalid indicator "X" of scheme "纳税信用": scheme "纳税信用" is foreign: its results are imported, it has no indicators; no 失信 catalogue item "NOPE", "T.BZ" |  | A record rule names catalogue items of its polarity, a 名单 rule list kinds of credit.list_kind, grade_cap a grade of the scheme.',
          'an indicator of a foreign scheme, or counting unknown or wrong-polarity items, is refused');

-- ------------------------------------------------------------------
-- Refusals of a run
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.eval_run('公共信用综合评价', '2026-06-01')$$),
          '42501: only the credit centre runs an evaluation |  | Call it as a role registered with credit.register_centre_role.',
          'a department cannot run an evaluation');
SELECT is(left(public.regress_error($$SELECT credit.eval_store_run('公共信用综合评价', '2026-06-01', 'regress_scjg')$$), 45),
          '42501: permission denied for function eval_st',
          'nor call the owner''s part of it');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(public.regress_error($$SELECT credit.eval_run('不存在', '2026-06-01')$$),
          '23503: unknown evaluation scheme "不存在" |  | Name a scheme of credit.eval_scheme, e.g. 公共信用综合评价.',
          'an unknown scheme is refused');
SELECT is(public.regress_error($$SELECT credit.eval_run('纳税信用', '2026-06-01')$$),
          '42809: scheme "纳税信用" is foreign: its results are imported, never computed |  | Import its results with credit.eval_import(scheme, as_of, results, document).',
          'a foreign scheme is never computed');
SELECT is(public.regress_error($$SELECT credit.eval_run('公共信用综合评价', '2026-06-02')$$),
          '22023: cannot grade 2026-06-02, a date after today (2026-06-01) |  | A run counts the records as they stand: grade today or an earlier date.',
          'a date after today is refused');
SELECT is(public.regress_error($$SELECT credit.eval_run('公共信用综合评价', '2025-12-31')$$),
          '22023: scheme "公共信用综合评价" is not in force on 2025-12-31 | It is in force from 2026-01-01. | ',
          'a date before the scheme is in force is refused');
SELECT is(public.regress_error($$SELECT credit.eval_run('公共信用综合评价', NULL)$$),
          '22004: an evaluation needs the date it grades |  | ', 'a run needs a date');
SELECT is((SELECT count(*)::integer FROM credit.eval_batch), 0, 'and nothing was stored by the refused runs');

-- ------------------------------------------------------------------
-- The run: every organisation graded, set-based, with its explanation
-- ------------------------------------------------------------------
SELECT credit.eval_run('公共信用综合评价', '2026-06-01') AS run1 \gset
SELECT results_eq($$SELECT subject_id, grade, score, state FROM credit.eval_result WHERE batch_id = $$ || :run1 || $$ ORDER BY subject_id$$,
                  $$SELECT public.k(n), g, s::numeric, st FROM (VALUES
                        (1, 'B', 80, '已公布'), (2, 'C', 60, '待告知'), (3, 'A', 90, '已公布'), (4, 'D', 50, '待告知'),
                        (5, 'B', 70, '已公布'), (6, 'B', 70, '已公布'), (7, 'B', 80, '已公布'), (8, 'C', 60, '待告知')) AS v(n, g, s, st)
                     ORDER BY 1$$,
                  'every organisation graded: base 80, -10 per 失信 record, +5 per 守信 record, a serious list caps at D; negative grades 待告知');
SELECT is((SELECT count(*)::integer FROM credit.eval_result WHERE subject_id = :wangwu), 0,
          'no grade for a natural person: the scheme is not enabled for persons');
SELECT is((SELECT explanation -> 'indicators' FROM credit.eval_result WHERE result_id = public.res(2)),
          jsonb_build_array(
              jsonb_build_object('indicator', 'JC', 'name', '基础分', 'rule_kind', '基础分', 'count', 1, 'contribution', 80),
              jsonb_build_object('indicator', 'SX', 'name', '失信记录', 'rule_kind', '失信记录', 'count', 2, 'contribution', -20,
                                 'grade_cap', NULL, 'record_ids',
                                 (SELECT jsonb_agg(record_id ORDER BY record_id) FROM credit.record WHERE subject_id = public.k(2)))),
          'the explanation names each indicator''s count, contribution and the records counted');
SELECT is((SELECT explanation -> 'indicators' -> 1 ->> 'grade_cap' FROM credit.eval_result WHERE result_id = public.res(4)), 'D',
          'and the grade cap of the serious list');
SELECT is((SELECT (explanation -> 'indicators' -> 1 ->> 'count')::integer FROM credit.eval_result WHERE result_id = public.res(6)), 1,
          'a repaired record is not counted');
SELECT is((SELECT jsonb_array_length(explanation -> 'indicators') FROM credit.eval_result WHERE result_id = public.res(7)), 1,
          'a record past its period is not counted');
SELECT results_eq($$SELECT as_of, valid_until, published_on, disclosure::text, origin FROM credit.eval_result WHERE result_id = public.res(1)$$,
                  $$VALUES (date '2026-06-01', date '2027-05-31', date '2026-06-01', '部门共享', '计算')$$,
                  'a grade is valid for the scheme''s cycle; a grade that is not negative is published at once');
SELECT results_eq($$SELECT scheme, as_of, origin, run_by::text, results FROM credit.eval_batch$$,
                  $$VALUES ('公共信用综合评价', date '2026-06-01', '计算', 'regress_centre', 8::bigint)$$,
                  'the run is recorded: scheme, date, who, how many');
-- idempotent
SELECT is(credit.eval_run('公共信用综合评价', '2026-06-01'), :run1::bigint, 'the same scheme and date again returns the same run');
SELECT results_eq($$SELECT count(*)::integer, count(DISTINCT batch_id)::integer FROM credit.eval_result$$, $$VALUES (8, 1)$$,
                  'and stores nothing more');

RESET ROLE;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT subject_id, grade FROM credit.eval_result ORDER BY subject_id$$,
                  $$SELECT public.k(n), g FROM (VALUES (1, 'B'), (3, 'A'), (5, 'B'), (6, 'B'), (7, 'B')) AS v(n, g) ORDER BY 1$$,
                  'a department reads the published grades only: not the negative ones waiting for notice');
RESET ROLE;
SET ROLE regress_centre;
-- a result is never written by hand
SELECT is(split_part(public.regress_error($$INSERT INTO credit.eval_result (batch_id, scheme, subject_id, subject_kind, as_of, valid_until, grade,
                                      negative, origin, disclosure, explanation)
                                      VALUES (1, '公共信用综合评价', public.k(1), '企业法人', '2026-05-01', '2027-04-30', 'A', false, '计算', '公开', '{}')$$), ' |', 1),
          '42501: permission denied for table eval_result',
          'the centre cannot insert a result');
SELECT is(split_part(public.regress_error($$UPDATE credit.eval_result SET grade = 'A' WHERE result_id = public.res(2)$$), ' |', 1),
          '42501: permission denied for table eval_result',
          'nor change a grade');

-- ------------------------------------------------------------------
-- The grade machine: 待告知 → 已告知 → 已公布
-- ------------------------------------------------------------------
SELECT is(public.regress_error($$SELECT credit.transition('eval_result', public.res(2), '已公布')$$),
          '55000: cannot move 评价结果 ' || public.res(2) || ' from "待告知" to "已公布" | Allowed from "待告知": "已告知" (告知: 信用中心), "已撤销" (撤销: 信用中心, 须说明原因), "待告知" (更正: 系统, 须说明原因). | ',
          'a negative grade is not published before the subject is told');
SELECT is(credit.transition('eval_result', ARRAY[public.res(2), public.res(4), public.res(8)], '已告知', '书面告知'), 3::bigint,
          'the centre tells the subjects of their negative grades');
SELECT results_eq($$SELECT notified_on, objection_until, state FROM credit.eval_result WHERE result_id = public.res(2)$$,
                  $$VALUES (date '2026-06-01', date '2026-06-08', '已告知')$$,
                  'the notice is dated, and the notice period runs 5 working days');
RESET ROLE;
SET credit.legal_date = '2026-06-08';
SET ROLE regress_centre;
SELECT is(public.regress_error($$SELECT credit.transition('eval_result', public.res(4), '已公布')$$),
          '55000: grade ' || public.res(4) || ' cannot be published before 2026-06-09 | The subject was told on 2026-06-01; the notice period runs until 2026-06-08. | Publish it after the notice period.',
          'and is not published inside the notice period');
SELECT is_empty($$SELECT * FROM credit.workflow_overdue WHERE machine = 'eval_result'$$,
                'on the last day of the notice period no grade is overdue for publication');
RESET ROLE;
SET credit.legal_date = '2026-06-09';
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('eval_result', public.res(4), '已公布')$$),
          '42501: permission denied for table eval_result |  | ',
          'a department cannot publish a grade');
SELECT is_empty($$SELECT * FROM credit.workflow_overdue WHERE machine = 'eval_result'$$,
                'a department sees no unpublished grade in the overdue view');
RESET ROLE;
SET ROLE regress_centre;
SELECT set_eq($$SELECT object_id, department_id, state, deadline_kind, deadline, working_days_late
                  FROM credit.workflow_overdue WHERE machine = 'eval_result'$$,
              $$SELECT r, NULL::integer, '已告知'::text AS state, 'objection_until'::text AS kind, date '2026-06-08', 1
                  FROM unnest(ARRAY[public.res(2), public.res(4), public.res(8)]) AS r$$,
              'the day after (Tuesday 2026-06-09), the three told grades wait for publication: 1 working day past their notice period, the centre''s');
RESET ROLE;
-- the subject objects (the portal acting for it), once told
SET credit.legal_date = '2026-06-03';
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.k(2));
SELECT results_eq($$SELECT result_id, grade, state, notified_on FROM credit.eval_result$$,
                  $$SELECT public.res(2), 'C'::text, '已告知'::text, date '2026-06-01'$$,
                  'the portal acting for the subject reads its grade once told of it, and nothing else');
SELECT is((SELECT explanation ->> 'score' FROM credit.eval_result), '60', 'with the explanation');
INSERT INTO credit.objection (result_id, grounds, claim) VALUES (public.res(2), '信息错误', '其中一条记录已更正') RETURNING state AS obj_state, objection_id AS obj1 \gset
SELECT is(:'obj_state'::text, '已提交', 'the subject files an objection to its grade');
SELECT is(public.regress_error($$INSERT INTO credit.objection (result_id, grounds, claim) VALUES (public.res(2), '信息错误', '再来一次')$$),
          '23505: grade ' || public.res(2) || ' already has an open objection ' || :obj1 || ' | A grade has at most one open objection at a time. | Wait for its outcome, or withdraw it first.',
          'one open objection per grade');
SELECT is(public.regress_error($$INSERT INTO credit.objection (result_id, grounds, claim) VALUES (public.res(1), '信息错误', '别人的')$$),
          '42501: grade ' || public.res(1) || ' is not a grade of the subject you act for |  | ',
          'not another subject''s grade');
COMMIT;
BEGIN;
SELECT credit.act_for_subject(public.k(8));
SELECT is(public.regress_error($$INSERT INTO credit.objection (result_id, grounds, claim) VALUES (public.res(8, '公共信用综合评价', '2026-06-01'), '信息错误', '未告知')$$),
          NULL, 'subject 8, told, may object too');
ROLLBACK;
RESET ROLE;
SET ROLE regress_centre;
SELECT is((SELECT department_id FROM credit.objection WHERE objection_id = :obj1), NULL::integer,
          'an objection to the centre''s own grade has no providing department');
RESET ROLE;
SET credit.legal_date = '2026-06-09';
SET ROLE regress_centre;
SELECT is(public.regress_error($$SELECT credit.transition('eval_result', public.res(2), '已公布')$$),
          '55000: grade ' || public.res(2) || ' cannot be published while objection ' || :obj1 || ' to it is open |  | Decide the objection first.',
          'a grade under objection is not published');
SELECT is(credit.transition('objection', :obj1, '已受理'), 1::bigint, 'the centre accepts the objection');
SELECT is(public.regress_error(format($$SELECT credit.transition('objection', %s, '已办结', '核实', jsonb_build_object('outcome', '移出名单'))$$, :obj1)),
          '22023: outcome 移出名单 does not apply to objection ' || :obj1 || ', about grade ' || public.res(2) || ' | An objection to a grade is decided 更正 (the grade corrected), 删除 (the grade revoked) or 维持. | Nothing was changed; pass details => jsonb_build_object(''outcome'', ''更正'', ''changes'', jsonb_build_object(''grade'', ''B'')).',
          'an outcome that does not fit a grade is refused');
SELECT is(public.regress_error(format($$SELECT credit.transition('objection', %s, '已办结', '核实', jsonb_build_object('outcome', '更正', 'changes', jsonb_build_object('grade', 'E')))$$, :obj1)),
          '22023: "E" is not a grade of scheme "公共信用综合评价" | The grades of the scheme: A, B, C, D. | Nothing was changed; name a grade of the scheme in "changes".',
          'a correction to a grade the scheme has not is refused');
SELECT is(credit.transition('objection', :obj1, '已办结', '记录已更正, 等级更正', jsonb_build_object('outcome', '更正', 'changes', jsonb_build_object('grade', 'B'))),
          1::bigint, 'the centre decides: the grade is corrected to B');
SELECT results_eq($$SELECT grade, negative, state, explanation -> 'corrections' -> 0 ->> 'from', explanation -> 'corrections' -> 0 ->> 'objection_id'
                      FROM credit.eval_result WHERE result_id = public.res(2)$$,
                  $$VALUES ('B'::text, false, '已告知'::text, 'C'::text, $$ || :obj1 || $$::text)$$,
                  'the grade is B, the correction kept in the explanation with its objection');
SELECT is(credit.transition('eval_result', ARRAY[public.res(2), public.res(4), public.res(8)], '已公布'), 3::bigint,
          'after the notice period the centre publishes');
SELECT results_eq($$SELECT published_on, state FROM credit.eval_result WHERE result_id = public.res(4)$$,
                  $$VALUES (date '2026-06-09', '已公布'::text)$$, 'the publication is dated');
SELECT is(public.regress_error($$SELECT credit.transition('eval_result', public.res(5), '已撤销')$$),
          '23502: moving 评价结果 ' || public.res(5) || ' from "已公布" to "已撤销" needs a reason | The transition "撤销" needs a reason. | Give the reason as the fourth argument of credit.transition().',
          'revoking a grade needs a reason');
RESET ROLE;

-- ------------------------------------------------------------------
-- The current grade, by role
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT results_eq($$SELECT * FROM credit.grade(public.k(4))$$,
                  $$VALUES ('公共信用综合评价'::text, 'D'::text, date '2026-06-01', date '2027-05-31', true)$$,
                  'a department reads the current grade, its date and validity');
SELECT is((SELECT count(*)::integer FROM credit.eval_result), 8, 'a department reads every published grade of a 部门共享 scheme');
SELECT is(public.regress_error($$SELECT * FROM credit.grade(public.k(4), '没有')$$),
          '23503: unknown evaluation scheme "没有" |  | Name a scheme of credit.eval_scheme, or NULL for every scheme.',
          'an unknown scheme is refused');
RESET ROLE;
SET ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.eval_result), 0, 'an agency reads no grade of a 部门共享 scheme');
SELECT is((SELECT count(*)::integer FROM credit.grade(public.k(4))), 0, 'so credit.grade returns nothing to it');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.public_eval_result), 0, 'nor does the public view show one');
RESET ROLE;

-- ------------------------------------------------------------------
-- A grade moves after a repair, at the next run
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is((SELECT grade FROM credit.grade(public.k(8))), 'C', 'subject 8 is C');
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复' WHERE decision_no = '金市监〔E〕8-1号';
SET session_replication_role = origin;
SET credit.legal_date = '2026-07-01';
SET ROLE regress_centre;
SELECT credit.eval_run('公共信用综合评价', '2026-07-01') AS run2 \gset
SELECT isnt(:run2::bigint, :run1::bigint, 'a run on a new date is a new run');
RESET ROLE;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT grade, as_of FROM credit.grade(public.k(8))$$, $$VALUES ('B'::text, date '2026-07-01')$$,
                  'after one of its records is repaired, the next run grades it B, published at once');
SELECT results_eq($$SELECT as_of, grade FROM credit.eval_result WHERE subject_id = public.k(8) ORDER BY as_of$$,
                  $$VALUES (date '2026-06-01', 'C'::text), (date '2026-07-01', 'B'::text)$$,
                  'and the earlier grade stays as it was');
RESET ROLE;

-- ------------------------------------------------------------------
-- A grade as a trigger of the credit check
-- ------------------------------------------------------------------
INSERT INTO credit.measure_rule VALUES
    ('T-PJ-D', '评价等级', 'D', '行政许可', NULL, 'SD-28-1', '2026-01-01', NULL, '测试'),
    ('T-PJ-A', '评价等级', 'A', '行政许可', NULL, 'SD-26-1', '2026-01-01', NULL, '测试');
SELECT is(split_part(public.regress_error($$INSERT INTO credit.measure_rule VALUES ('T-PJ-X', '评价等级', NULL, '行政许可', NULL, 'SD-28-1', '2026-01-01', NULL, '测试')$$), ' |', 1),
          '23514: new row for relation "measure_rule" violates check constraint "measure_rule_check1"',
          'a grade trigger names its grade');
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit_kind, hit_id, measure, polarity FROM credit.check(public.k(4), 'ZJ-XZXK')$$,
                  $$SELECT '评价结果'::text, public.res(4), 'SD-28-1'::text, '惩戒'::text$$,
                  'a published D grade calls for its measure, naming the result');
SELECT results_eq($$SELECT hit_kind, measure, polarity FROM credit.check(public.k(3), 'ZJ-XZXK')$$,
                  $$VALUES ('评价结果'::text, 'SD-26-1'::text, '激励'::text)$$,
                  'an A grade calls for its incentive');
SELECT results_eq($$SELECT hit FROM credit.check(public.k(1), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'a B grade calls for nothing');
RESET ROLE;
-- a D not yet published triggers nothing: subject 4 on 2026-07-01 is 待告知
SET ROLE regress_centre;
SELECT is((SELECT state FROM credit.eval_result WHERE result_id = public.res(4, '公共信用综合评价', '2026-07-01')), '待告知',
          'subject 4''s new D waits for notice');
SELECT results_eq($$SELECT as_of, grade FROM credit.grade(public.k(4))$$, $$VALUES (date '2026-06-01', 'D'::text)$$,
                  'the centre too reads the published grade before it as the current one');
RESET ROLE;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT as_of, grade FROM credit.grade(public.k(4))$$, $$VALUES (date '2026-06-01', 'D'::text)$$,
                  'until then its published grade is the earlier one');
SELECT is((SELECT count(*)::integer FROM credit.check(public.k(4), 'ZJ-XZXK') WHERE hit_id = public.res(4, '公共信用综合评价', '2026-07-01')), 0,
          'and the new D, not published, is not what the check names');
RESET ROLE;
SET credit.legal_date = '2027-07-01';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT grade, valid FROM credit.grade(public.k(1))$$, $$VALUES ('B'::text, false)$$,
                  'a grade past its validity is returned as not valid');
SELECT is((SELECT hit FROM credit.check(public.k(3), 'ZJ-XZXK')), false, 'and calls for no measure');
RESET ROLE;
SET credit.legal_date = '2026-07-01';

-- ------------------------------------------------------------------
-- A 公开 scheme, and one enabled for persons: who sees what
-- ------------------------------------------------------------------
INSERT INTO credit.eval_scheme (scheme, issuer, subject_kinds, enabled_for_persons, disclosure, basis, version, valid_from, source) VALUES
    ('T公开', '某市', DEFAULT, false, '公开', '测试', '1', '2026-01-01', '测试'),
    ('T个人', '某市', '{自然人}', true, '公开', '测试', '1', '2026-01-01', '测试');
INSERT INTO credit.eval_indicator (scheme, indicator, name, rule_kind, points, source) VALUES
    ('T公开', 'JC', '基础分', '基础分', 95, '测试'),
    ('T个人', 'JC', '基础分', '基础分', 95, '测试');
INSERT INTO credit.eval_indicator (scheme, indicator, name, rule_kind, points, source) VALUES
    ('T个人', 'SX', '失信', '失信记录', -50, '测试');
SET ROLE regress_centre;
SELECT credit.eval_run('T公开', '2026-07-01') AS run_public, credit.eval_run('T个人', '2026-07-01') AS run_person \gset
SELECT is((SELECT results FROM credit.eval_batch WHERE batch_id = :run_public), 8::bigint,
          'a 公开 scheme grades the 8 organisations');
SELECT results_eq('SELECT subject_id, grade, score FROM credit.eval_result WHERE batch_id = ' || :run_person,
                  format($$VALUES (%s::bigint, 'D'::text, 45::numeric)$$, :wangwu),
                  'a scheme enabled for persons grades the person, from a record of 部门共享');
RESET ROLE;
SET ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.eval_result), 8, 'an agency reads the published grades of organisations under a 公开 scheme');
RESET ROLE;
SET ROLE regress_portal;
SELECT results_eq($$SELECT DISTINCT scheme, grade FROM credit.public_eval_result$$, $$VALUES ('T公开'::text, 'A'::text)$$,
                  'the public view shows them, and never a person''s grade');
BEGIN;
SELECT credit.act_for_subject(:wangwu);
SELECT is((SELECT count(*)::integer FROM credit.eval_result WHERE subject_id = :wangwu), 0, 'the person''s grade, 待告知, is not shown to the person before the notice');
ROLLBACK;
RESET ROLE;

-- ------------------------------------------------------------------
-- Importing a foreign scheme's results
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.eval_import('纳税信用', '2026-04-01', '[]', '税务局公告')$$),
          '42501: only the credit centre imports evaluation results |  | Call it as a role registered with credit.register_centre_role.',
          'a department cannot import');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(public.regress_error($$SELECT credit.eval_import('公共信用综合评价', '2026-04-01', '[]', '公告')$$),
          '42809: scheme "公共信用综合评价" is computed here: its results are not imported |  | Run it with credit.eval_run(scheme, as_of).',
          'a computed scheme is not imported');
SELECT is(public.regress_error(format($$SELECT credit.eval_import('纳税信用', '2026-04-01', %L, '国家税务总局金华市税务局 2025 年度纳税信用评价结果')$$,
                                      jsonb_build_array(jsonb_build_object('uscc', credit.uscc_complete('91330702MA2E00011')::text, 'grade', 'A'),
                                                        jsonb_build_object('uscc', '123', 'grade', 'A'),
                                                        jsonb_build_object('subject_id', public.k(2), 'grade', 'E'),
                                                        '"x"',
                                                        jsonb_build_object('subject_id', :wangwu, 'grade', 'B'),
                                                        jsonb_build_object('uscc', credit.uscc_complete('91330702MA2E00011')::text, 'grade', 'B', 'valid_until', '明年')))),
          '22023: cannot import the results of scheme "纳税信用": row 1: the subject is given twice; row 2: no such subject; row 3: "E" is not a grade of the scheme; row 4: not a json object; row 5: a 自然人 is not graded by the scheme; row 6: "valid_until" is not a date YYYY-MM-DD | Nothing was imported. | Each row is {"uscc" or "subject_id", "grade", "valid_until" (optional), "score" (optional)}, one per subject.',
          'every bad row of an import is reported');
SELECT is((SELECT count(*)::integer FROM credit.eval_batch WHERE scheme = '纳税信用'), 0, 'and nothing was imported');
SELECT credit.eval_import('纳税信用', '2026-04-01',
                          jsonb_build_array(jsonb_build_object('uscc', credit.uscc_complete('91330702MA2E00011')::text, 'grade', 'A'),
                                            jsonb_build_object('subject_id', public.k(4), 'grade', 'D', 'valid_until', '2026-12-31')),
                          '国家税务总局金华市税务局 2025 年度纳税信用评价结果') AS imp \gset
SELECT results_eq($$SELECT subject_id, grade, score, origin, state, valid_until FROM credit.eval_result WHERE batch_id = $$ || :imp || $$ ORDER BY grade$$,
                  $$VALUES (public.k(1), 'A'::text, NULL::numeric, '导入'::text, '已公布'::text, date '2027-03-31'),
                           (public.k(4), 'D', NULL, '导入', '已公布', date '2026-12-31')$$,
                  'imported results are stored as published, never recomputed');
SELECT is(public.regress_error($$SELECT credit.eval_import('纳税信用', '2026-04-01', '[{"subject_id": 1, "grade": "A"}]', '再导一次')$$),
          '23505: the results of scheme "纳税信用" on 2026-04-01 are imported already |  | A result is corrected through an objection; a new evaluation has a new date.',
          'an import is not repeated');
RESET ROLE;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT scheme_name, grade FROM credit.grade(public.k(4), NULL)$$,
                  $$VALUES ('T公开'::text, 'A'::text), ('公共信用综合评价', 'D'), ('纳税信用', 'D')$$,
                  'credit.grade without a scheme returns the current grade under each');
SELECT results_eq($$SELECT measure, count(*)::integer FROM credit.check(public.k(4), 'ZJ-XZXK') GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('SD-26-1'::text, 1), ('SD-28-1', 2)$$,
                  'a grade of any scheme triggers its measure: the imported D too');
RESET ROLE;

-- an objection decided 删除 revokes the grade
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.k(7));
INSERT INTO credit.objection (result_id, grounds, claim) VALUES (public.res(7, '公共信用综合评价', '2026-07-01'), '其他', '评价有误') RETURNING objection_id AS obj2 \gset
COMMIT;
RESET ROLE;
SET ROLE regress_centre;
SELECT is(credit.transition('objection', :obj2, '已受理') + credit.transition('objection', :obj2, '已办结', '评价撤销', '{"outcome": "删除"}'),
          2::bigint, 'the centre accepts and decides 删除');
SELECT results_eq($$SELECT state, state_reason FROM credit.eval_result WHERE result_id = public.res(7, '公共信用综合评价', '2026-07-01')$$,
                  format($$VALUES ('已撤销'::text, '异议 %s: 评价撤销'::text)$$, :obj2),
                  'the grade is revoked, the objection named');
RESET ROLE;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT as_of, grade FROM credit.grade(public.k(7), '公共信用综合评价')$$, $$VALUES (date '2026-06-01', 'B'::text)$$,
                  'and the grade before it is current again');
RESET ROLE;

SELECT * FROM finish();
\i sql/include/tap_teardown.sql
