-- The record publicity and list entry machines: a list entry's term,
-- extension and deletion date; publicity periods by rule set, the 5-year
-- cap and 轻微; the sweep and exact visibility; the limit extended while a
-- serious list entry is in force, and a list kind's extension bounds.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(42);

-- ------------------------------------------------------------------
-- List entries: term, extension, deletion due, early removal
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT expires_on, deletion_due, early_removal_from FROM credit.list_entry WHERE entry_id = public.w_entry('4')$$,
                  $$VALUES (date '2028-08-25', date '2028-08-30', date '2026-08-25')$$,
                  'listed 2025-08-25: term 36 months, deletion due 3 working days after it (Friday -> Wednesday), early removal after 12 months');
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '列入中', '延期', '{"expires_on": "2020-01-01"}')$$,
                 '22023', NULL, 'an extension moves the end of the term forward only');
SELECT lives_ok($$SELECT credit.transition('list_entry', public.w_entry('4'), '列入中', '拒不履行, 延长一年',
                                           jsonb_build_object('expires_on', date '2029-08-25'))$$,
                'the deciding department extends the term, with a reason');
SELECT results_eq($$SELECT state, expires_on, deletion_due FROM credit.list_entry WHERE entry_id = public.w_entry('4')$$,
                  $$VALUES ('列入中'::text, date '2029-08-25', date '2029-08-29')$$,
                  'new term, new deletion date (a Saturday -> Wednesday), still listed');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.w_entry('4'), '列入中', '再延期',
                                                          '{"expires_on": "2029-08-25"}')$$),
          '22023: extending list entry ' || public.w_entry('4') || ' needs a new end of term after ' || date '2029-08-25' || ' |  | '
          'Pass details => jsonb_build_object(''expires_on'', <date>) to credit.transition().',
          'an extension to the same end of term is no extension');
SELECT results_eq($$SELECT from_state, to_state, reason, details ->> 'expires_on' FROM credit.workflow_event
                     WHERE machine = 'list_entry' AND object_id = public.w_entry('4')$$,
                  $$VALUES ('列入中'::text, '列入中'::text, '拒不履行, 延长一年'::text, '2029-08-25'::text)$$,
                  'the extension, a transition that keeps the state, writes its event');
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.list_entry SET expires_on = credit.legal_date() WHERE entry_id = public.w_entry('6');
SET session_replication_role = origin;
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.transition('list_entry', public.w_entry('6'), '列入中', '延期',
                                            jsonb_build_object('expires_on', credit.legal_date() + 100))$$,
                 '55000', 'cannot extend list entry ' || public.w_entry('6') || ': its term ended on ' || date '2026-09-29',
                 'a term that has ended is not extended, swept or not');
RESET ROLE;
SET session_replication_role = replica;
UPDATE credit.list_entry SET expires_on = (listed_on + interval '36 months')::date WHERE entry_id = public.w_entry('6');
SET session_replication_role = origin;
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
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, conduct_end_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金市监罚〔W〕老行为',
        credit.legal_date() - 30, credit.legal_date() - 30 - interval '1900 days', '虚假宣传', '老行为', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '轻微', '金市监罚〔W〕轻微',
        credit.legal_date(), NULL, '虚假宣传', '轻微', '《广告法》', '罚款', '罚款', '市场监管局');
RESET ROLE;
SELECT is((SELECT publicity_max_end FROM credit.record WHERE decision_no = '金市监罚〔W〕老行为'),
          date '2026-06-17', 'capped at 5 years from the end of the conduct (2021-06-17)');
SELECT is((SELECT publicity_state FROM credit.record WHERE decision_no = '金市监罚〔W〕老行为'), '已到期',
          'past its 5 years already on arrival: stored 已到期, never public');
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE decision_no = '金市监罚〔W〕轻微'$$,
                  $$VALUES ('不公示'::text, date '2026-09-29')$$, '轻微 under 令第36号 starts 不公示');
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔W〕轻微'), 0, 'and the public never sees it');
RESET ROLE;

-- ------------------------------------------------------------------
-- The sweep and exact visibility
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.record SET publicity_end = credit.legal_date() WHERE record_id = public.w_rec('11');
UPDATE credit.list_entry SET expires_on = credit.legal_date() - 1 WHERE entry_id = public.w_entry('5');
UPDATE credit.list_entry SET expires_on = date '2026-09-29' WHERE entry_id = public.w_entry('6');
UPDATE credit.list_entry SET listed_on = date '2026-09-30' WHERE entry_id = public.w_entry('3');
SET session_replication_role = origin;
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE record_id = public.w_rec('11')), 0,
          'a record past its maximum is not shown before any sweep');
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE entry_id = public.w_entry('5')), 0,
          'nor a list entry past its term');
SELECT is((SELECT array_agg(entry_id ORDER BY entry_id) FROM credit.public_list_entry), ARRAY[public.w_entry('4')],
          'the public sees the entries inside their term only: not one whose term ends today (6), nor one listed tomorrow (3)');
RESET ROLE;
SELECT throws_ok($$SELECT * FROM credit.sweep(credit.legal_date() + 1)$$, '22023', NULL, 'the sweep never runs ahead of time');
CREATE TEMP TABLE w_due AS
SELECT 'list_entry'::text AS machine, count(*) AS due FROM credit.list_entry WHERE state = '列入中' AND expires_on <= credit.legal_date()
UNION ALL
SELECT 'record_publicity', count(*) FROM credit.record WHERE publicity_state = '公示中' AND publicity_end <= credit.legal_date();
SELECT results_eq($$SELECT machine, due FROM w_due ORDER BY 1$$,
                  $$VALUES ('list_entry'::text, 2::bigint), ('record_publicity', 1)$$,
                  'due today: entries 5 (term ended yesterday) and 6 (ends today); record 11 (publicity ends today); '
                  'not the decision capped at 5 years from its conduct, stored 已到期');
SELECT results_eq($$SELECT machine, moved FROM credit.sweep() ORDER BY 1$$,
                  $$VALUES ('commitment'::text, 0::bigint), ('list_entry', 2), ('record_publicity', 1)$$,
                  'the sweep moves what is due and says so (no exempt commitment is due)');
SELECT results_eq($$SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('6')$$, $$VALUES ('已到期'::text)$$,
                  'an entry whose term ends today is swept today');
SELECT results_eq($$SELECT (SELECT state FROM credit.list_entry WHERE entry_id = public.w_entry('5')),
                           (SELECT publicity_state FROM credit.record WHERE record_id = public.w_rec('11'))$$,
                  $$VALUES ('已到期'::text, '已到期'::text)$$, 'both are 已到期 now');
SELECT results_eq($$SELECT machine, moved FROM credit.sweep() ORDER BY 1$$,
                  $$VALUES ('commitment'::text, 0::bigint), ('list_entry', 0), ('record_publicity', 0)$$, 'run twice, the second does nothing');
SELECT results_eq($$SELECT from_state, to_state, party_kind, reason FROM credit.workflow_event WHERE machine = 'record_publicity' AND object_id = public.w_rec('11')$$,
                  $$VALUES ('公示中'::text, '已到期'::text, NULL::credit.party_kind, '公示期满'::text)$$, 'with an event by the engine');
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT * FROM credit.sweep()$$, '42501', NULL, 'the sweep is for the DBA''s scheduler');
RESET ROLE;

-- ------------------------------------------------------------------
-- A serious list extends the limit of the record it is based on, at
-- every disclosure level, until the entry ends; list kinds bound 延期
-- ------------------------------------------------------------------
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious,
                              extension_min_months, extension_max_months, legal_basis, removal_conditions, remedies)
SELECT k, n, '黑', 36, '公开'::credit.disclosure_level, department_id, true, 12, 36, '《市场监督管理严重违法失信名单管理办法》',
       '列入满一年且已履行义务的, 可申请提前移出', '可申请异议、行政复议或提起行政诉讼'
  FROM credit.department, (VALUES ('W_YZ_SCJG', '严重失信名单(延长测试)')) AS v(k, n) WHERE code = 'SCJG'
UNION ALL
SELECT 'W_YZ_SWJ', '严重失信名单(税务, 延长测试)', '黑', 36, '部门共享', department_id, true, NULL, NULL, NULL, NULL, NULL
  FROM credit.department WHERE code = 'SWJ';
-- records 10 and 12, decided 2024-10-29 (令第58号, 严重: 36 months): the
-- limit is 2027-10-29
SELECT results_eq($$SELECT publicity_max_end, publicity_end FROM credit.record WHERE record_id IN (public.w_rec('10'), public.w_rec('12'))$$,
                  $$VALUES (date '2027-10-29', date '2027-10-29'), (date '2027-10-29', date '2027-10-29')$$,
                  'records 10 and 12: their limit is 2027-10-29');
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
VALUES ('W_YZ_SCJG', public.w_subject('10'), public.w_rec('10'), '严重违法失信', '2026-09-29'),
       ('W_YZ_SCJG', public.w_subject('12'), public.w_rec('12'), '严重违法失信', '2026-09-29'),
       ('W_YZSX', public.w_subject('9'), public.w_rec('9'), '严重违法失信', '2026-09-29');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end, publicity_max_end FROM credit.record WHERE record_id = public.w_rec('10')$$,
                  $$VALUES ('公示中'::text, date '2029-09-29', date '2027-10-29')$$,
                  'a serious entry listed 2026-09-29 for 36 months extends the record''s end to 2029-09-29; its maximum stays');
SELECT results_eq($$SELECT from_state, to_state, party_kind, reason, details ->> 'publicity_end' FROM credit.workflow_event
                     WHERE machine = 'record_publicity' AND object_id = public.w_rec('10')$$,
                  $$VALUES ('公示中'::text, '公示中'::text, NULL::credit.party_kind,
                            '严重失信名单在列 (条目 ' || (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('10') AND list_kind = 'W_YZ_SCJG') || '): 公示至 2029-09-29',
                            '2029-09-29')$$,
                  'by the engine, with an event naming the entry');
SELECT is((SELECT publicity_end FROM credit.record WHERE record_id = public.w_rec('9')), date '2027-10-29',
          'an entry of a list that is not serious extends nothing');
-- 部门共享: the tax department's record, decided 2024-01-01 (limit
-- 2027-01-01), on its serious list until 2028-06-01
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金税〔W〕延长共享号', '2024-01-01'),
       ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '严重', '金税〔W〕不延长号', '2024-01-01');
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on, expires_on)
SELECT 'W_YZ_SWJ', subject_id, record_id, '严重欠税', '2026-06-01', '2028-06-01' FROM credit.record WHERE decision_no = '金税〔W〕延长共享号';
RESET ROLE;
SET credit.legal_date = '2027-06-01';
SET ROLE regress_scjg;
SELECT is((SELECT string_agg(decision_no, ', ') FROM credit.record WHERE decision_no IN ('金税〔W〕延长共享号', '金税〔W〕不延长号')),
          '金税〔W〕延长共享号', 'on 2027-06-01, past the limit, a 部门共享 record on a serious list is still shared; the other is not');
RESET ROLE;
SET credit.legal_date = '2028-01-01';
SELECT set_config('role', public.w_portal(), false);
SELECT is((SELECT string_agg(decision_no, ', ' ORDER BY decision_no) FROM credit.public_record
            WHERE decision_no IN ('金市监罚〔W〕9号', '金市监罚〔W〕10号', '金市监罚〔W〕12号')),
          '金市监罚〔W〕10号, 金市监罚〔W〕12号', 'on 2028-01-01 the public still sees records 10 and 12 (on a serious list), not 9');
SELECT is((SELECT legal_basis || ' / ' || removal_conditions || ' / ' || remedies FROM credit.public_list_entry
            WHERE entry_id = (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('10') AND list_kind = 'W_YZ_SCJG')),
          '《市场监督管理严重违法失信名单管理办法》 / 列入满一年且已履行义务的, 可申请提前移出 / 可申请异议、行政复议或提起行政诉讼',
          'a public entry states its legal basis, removal conditions and remedies');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
-- 延期 within the list kind's bounds (12 to 36 months here): the record follows
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('12') AND list_kind = 'W_YZ_SCJG'),
                                                          '列入中', '延期半年', '{"expires_on": "2030-03-29"}')$$),
          '22023: extending list entry ' || (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('12') AND list_kind = 'W_YZ_SCJG')
          || ' to 2030-03-29 is outside the bounds of list "W_YZ_SCJG" | An extension of this list moves the end of term (2029-09-29) by 12 to 36 months: from 2030-09-29 to 2032-09-29. | '
          'Give an end of term inside the bounds of credit.list_kind.extension_min_months and extension_max_months.',
          'an extension shorter than the list kind''s minimum is refused, with the bounds');
SELECT throws_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('12') AND list_kind = 'W_YZ_SCJG'),
                                            '列入中', '延期四年', '{"expires_on": "2033-09-30"}')$$,
                 '22023', NULL, 'and one longer than its maximum');
SELECT lives_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('12') AND list_kind = 'W_YZ_SCJG'),
                                           '列入中', '延期三年', '{"expires_on": "2032-09-29"}')$$,
                'three years is inside the bounds');
SELECT is((SELECT publicity_end FROM credit.record WHERE record_id = public.w_rec('12')), date '2032-09-29',
          'the record''s end follows the extended entry');
-- the entry removed: the end goes back to the maximum (2027-10-29)
SELECT lives_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE basis_record_id = public.w_rec('10') AND list_kind = 'W_YZ_SCJG'),
                                           '已移出', '已履行, 提前移出')$$, 'the department removes the serious entry of record 10');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('10')$$,
                  $$VALUES ('公示中'::text, date '2027-10-29')$$, 'and the record''s end is its maximum again');
SELECT is((SELECT reason FROM credit.workflow_event WHERE machine = 'record_publicity' AND object_id = public.w_rec('10') ORDER BY event_id DESC LIMIT 1),
          '严重失信名单已不在列: 公示至 2027-10-29', 'with an event');
-- past the maximum, removal ends publicity today: the tax record on 2027-06-01
SET credit.legal_date = '2027-06-01';
SET ROLE regress_swj;
SELECT lives_ok($$SELECT credit.transition('list_entry', (SELECT e.entry_id FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
                                                            WHERE r.decision_no = '金税〔W〕延长共享号'), '已移出', '欠税已缴清')$$,
                'the tax department removes its entry on 2027-06-01');
RESET ROLE;
SELECT is((SELECT publicity_end FROM credit.record WHERE decision_no = '金税〔W〕延长共享号'), date '2027-06-01',
          'past its maximum (2027-01-01), the record''s sharing ends that day');
SET credit.legal_date = '2026-09-29';

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
