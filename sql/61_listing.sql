-- Before and around a listing: a proposal (拟列入) with its notice period
-- (公示 of a red list, 告知 of a black one) in working days, the decision
-- (决定列入 -> 列入中) and the refusal (不予列入), what a listing states
-- (legal basis, reasons, removal conditions, remedies), who sees a
-- proposal, and the check, which a proposal never triggers; responsible
-- persons, named by a check where its rule says so; 重点关注 lists;
-- warning interviews (约谈) and their machine; the feedback deadline of a
-- matter and the checks past it.  pgTAP.
-- Today is Tuesday 2026-09-29, the day before 国庆 (2026-10-01..07, with
-- Saturday 10-10 a working day): 5 working days of notice end on Monday
-- 2026-10-12 (09-30, 10-08, 10-09, 10-10, 10-12).
\i sql/include/tap_setup.sql

SET credit.legal_date = '2026-09-29';
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious, legal_basis,
                              removal_conditions, remedies, notice_required) VALUES
    ('L_RED', '守信激励名单(列入测试)', '红', 12, '公开', 1, false, '测试红名单办法 第五条', '有效期届满', '可申请复核', true),
    ('L_BLACK', '严重失信主体名单(列入测试)', '黑', 36, '公开', 1, true, '测试黑名单办法 第十条', NULL, NULL, false),
    ('L_SHARED', '部门共享名单(列入测试)', '黑', 24, '部门共享', 1, false, NULL, '履行完毕', '可申请行政复议', false);
INSERT INTO credit.subject (kind, uscc, name)
SELECT '企业法人', credit.uscc_complete('91330702MA2L0' || lpad(n::text, 3, '0') || '1'), '列入测试' || n || '有限公司'
  FROM generate_series(1, 8) AS n;
SET DateStyle = 'ISO, YMD';
-- (as the superuser who made them, for every role)
CREATE FUNCTION public.l(n integer) RETURNS bigint LANGUAGE sql SECURITY DEFINER
    RETURN (SELECT subject_id FROM credit.subject WHERE name = '列入测试' || n || '有限公司');
CREATE FUNCTION public.le(n integer) RETURNS bigint LANGUAGE sql SECURITY DEFINER
    RETURN (SELECT max(entry_id) FROM credit.list_entry WHERE subject_id = public.l(n));
-- what an entry's machine columns say, for comparisons
CREATE FUNCTION public.le_row(n integer) RETURNS text LANGUAGE sql SECURITY DEFINER
    RETURN (SELECT concat_ws(' ', state, listed_on, expires_on, early_removal_from, deletion_due, notice_kind, notice_ends_on,
                             removed_on, removal_reason)
              FROM credit.list_entry WHERE entry_id = public.le(n));

SELECT plan(103);

-- ------------------------------------------------------------------
-- Proposals: 拟列入, with the notice period
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT alike(public.regress_error($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on)
                                  VALUES ('L_RED', public.l(1), '守信', credit.legal_date())$$),
            '55000: an entry of list "L_RED" is proposed before it is listed | A red list is noticed publicly (公示) before the decision. | Insert the entry with state ''拟列入''%',
            'a list kind that requires notice refuses an entry listed at once');
SELECT is(public.regress_error($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons)
                                VALUES ('L_BLACK', public.l(2), '严重失信')$$),
          '23502: a list entry needs the date it is listed on |  | Give listed_on, or propose the entry with state ''拟列入''.',
          'an entry listed at once needs its listing date');
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, state, listed_on) VALUES
    ('L_RED', public.l(1), '连续三年守信', '拟列入', '2026-09-01'),
    ('L_BLACK', public.l(2), '严重违法失信', '拟列入', NULL),
    ('L_SHARED', public.l(3), '拒不履行', '拟列入', NULL);
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, state, legal_basis) VALUES
    ('L_SHARED', public.l(4), '未按期履行', '拟列入', '测试共享名单规定 第三条'),
    ('L_BLACK', public.l(5), '虚假申报', '拟列入', NULL);
RESET ROLE;
SELECT results_eq($$SELECT public.le_row(n) FROM generate_series(1, 3) AS n$$,
                  $$VALUES ('拟列入 公示 2026-10-12'), ('拟列入 告知 2026-10-12'), ('拟列入 告知 2026-10-12')$$,
                  'a proposal has no listing date, term or deletion date (a date given is dropped), a red list''s notice is 公示, a black one''s 告知, ending 5 working days on, past 国庆: 2026-10-12');
SELECT results_eq($$SELECT legal_basis, removal_conditions, remedies FROM credit.list_entry WHERE entry_id IN (public.le(1), public.le(2), public.le(4)) ORDER BY entry_id$$,
                  $$VALUES ('测试红名单办法 第五条'::text, '有效期届满'::text, '可申请复核'::text),
                           ('测试黑名单办法 第十条', NULL, NULL),
                           ('测试共享名单规定 第三条', '履行完毕', '可申请行政复议')$$,
                  'what a listing states comes from its kind unless the entry gives it');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'list_entry' AND object_id = public.le(1)), 0,
          'a proposal is no transition: no event');
SELECT is((SELECT source FROM credit.machine_deadline WHERE machine = 'list_entry' AND state = '拟列入'),
          '河南省社会信用条例(2019) 第二十八条: 列入红名单前公示, 列入黑名单前书面告知 (事前告知); 期限 5 个工作日 UNCERTAIN (未读到条文规定的天数)',
          'the notice period is data with its source, UNCERTAIN marked');

-- ------------------------------------------------------------------
-- Who sees a proposal
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE state = '拟列入'), 5, 'its department sees its proposals');
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT entry_id FROM credit.list_entry WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n)$$,
                  $$VALUES (public.le(1))$$,
                  'another department sees only the red proposal in its public notice: not a black one, not a 部门共享 one');
SELECT results_eq($$SELECT subject_id, state, notice_kind, notice_ends_on FROM credit.public_list_notice$$,
                  $$VALUES (public.l(1), '拟列入'::text, '公示'::text, date '2026-10-12')$$,
                  'through the public notice, everyone sees the red list''s proposal (公示), not a black list''s (告知)');
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n)), 0,
          'a proposal is no public listing');
RESET ROLE;
SET ROLE regress_bank;
SELECT results_eq($$SELECT entry_id, state FROM credit.list_entry WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n)$$,
                  $$VALUES (public.le(1), '拟列入'::text)$$, 'a bank reads the red proposal in its notice period only');
RESET ROLE;
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.l(2));
SELECT results_eq($$SELECT subject_id, notice_kind, reasons, legal_basis FROM credit.public_list_notice ORDER BY entry_id$$,
                  $$VALUES (public.l(1), '公示'::text, '连续三年守信'::text, '测试红名单办法 第五条'::text),
                           (public.l(2), '告知', '严重违法失信', '测试黑名单办法 第十条')$$,
                  'the subject, through the portal, reads its own proposal (告知) besides the public notice');
COMMIT;
BEGIN;
SELECT credit.act_for_subject(public.l(3));
SELECT results_eq($$SELECT subject_id FROM credit.list_entry WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n) ORDER BY entry_id$$,
                  $$VALUES (public.l(1)), (public.l(3))$$, 'acting for the subject of a 部门共享 proposal: that one and the public notice');
COMMIT;
RESET ROLE;

-- the notice ends: the public notice with it
SET credit.legal_date = '2026-10-13';
SET ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.public_list_notice), 0, 'after its notice period the red proposal is no longer public');
RESET ROLE;

-- ------------------------------------------------------------------
-- The check: a proposal is no hit
-- ------------------------------------------------------------------
SET credit.legal_date = '2026-09-29';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit FROM credit.check(public.l(2), 'ZJ-ZFCG', '列入测试')$$, $$VALUES (false)$$,
                  'a proposal for a serious black list calls for no measure, even for its own department');
RESET ROLE;

-- ------------------------------------------------------------------
-- 决定列入: only after the notice period, with what a listing states
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(1), '列入中')$$),
          '55000: list entry ' || public.le(1) || ' is in its 公示 period until 2026-10-12 | The subject and the public may object during the notice period; the listing is decided after it. | Decide it from 2026-10-13 on.',
          'no decision during the notice period');
RESET ROLE;
SET credit.legal_date = '2026-10-12';
SET ROLE regress_scjg;
SELECT alike(public.regress_error($$SELECT credit.transition('list_entry', public.le(2), '列入中')$$),
            '55000: list entry % is in its 告知 period until 2026-10-12 |%', 'nor on its last day');
SELECT is(public.le_row(2), '拟列入 告知 2026-10-12', 'and the proposal is as it was');
RESET ROLE;
SET credit.legal_date = '2026-10-13';
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(2), '列入中')$$),
          '23502: list entry ' || public.le(2) || ' cannot be listed without removal_conditions (移出条件), remedies (救济途径) | A listing states its legal basis, reasons, removal conditions and remedies; neither the entry nor its list kind gives these. | Pass them in the details, e.g. details => jsonb_build_object(''legal_basis'', ''...''), or give them to the list kind (credit.list_kind).',
          'a decision without removal conditions and remedies is refused, naming what is missing');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(3), '列入中')$$),
          '23502: list entry ' || public.le(3) || ' cannot be listed without legal_basis (列入依据) | A listing states its legal basis, reasons, removal conditions and remedies; neither the entry nor its list kind gives these. | Pass them in the details, e.g. details => jsonb_build_object(''legal_basis'', ''...''), or give them to the list kind (credit.list_kind).',
          'a decision without a legal basis is refused');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(3), '列入中', NULL, '{"legal_basis": "  "}')$$),
          '23502: list entry ' || public.le(3) || ' cannot be listed without legal_basis (列入依据) | A listing states its legal basis, reasons, removal conditions and remedies; neither the entry nor its list kind gives these. | Pass them in the details, e.g. details => jsonb_build_object(''legal_basis'', ''...''), or give them to the list kind (credit.list_kind).',
          'a blank legal basis is none');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(3), '列入中', NULL, '["legal_basis"]')$$),
          '22023: the details of 决定列入 must be a json object |  | ', 'details that are no object are refused');
SELECT is(public.le_row(3), '拟列入 告知 2026-10-12', 'and the refused entries are as they were');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'list_entry' AND object_id IN (public.le(2), public.le(3))), 0,
          'with no event');
RESET ROLE;
SET ROLE regress_swj;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(1), '列入中')$$),
          'P0002: 1 of the 1 objects of machine "list_entry" to move to "列入中" do not exist or are not yours to move | Not found: ' || public.le(1) || '; nothing moved. | Check the ids; row security hides what your role may not see.',
          'another department cannot decide (not its entry)');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(1), '列入中')$$),
          '42501: permission denied for table list_entry |  | ', 'nor the portal');
RESET ROLE;
SELECT is(public.le_row(1), '拟列入 公示 2026-10-12', 'the red proposal is as it was');
SET ROLE regress_scjg;
SELECT is(credit.transition('list_entry', public.le(1), '列入中'), 1::bigint, 'its department decides the red proposal after the period');
SELECT is(public.le_row(1), '列入中 2026-10-13 2027-10-13 2026-10-13 2027-10-18 公示 2026-10-12',
          'listed on the day of the decision, for the kind''s 12 months, deleted 3 working days after the term (2027: Monday-Friday), early removal at once');
SELECT is(credit.transition('list_entry', public.le(2), '列入中', '经告知无异议',
                            '{"removal_conditions": "信用修复或期满", "remedies": "可申请行政复议或提起行政诉讼"}'), 1::bigint,
          'a decision may state the removal conditions and remedies');
SELECT results_eq($$SELECT listed_on, expires_on, legal_basis, removal_conditions, remedies FROM credit.list_entry WHERE entry_id = public.le(2)$$,
                  $$VALUES (date '2026-10-13', date '2029-10-13', '测试黑名单办法 第十条'::text, '信用修复或期满'::text, '可申请行政复议或提起行政诉讼'::text)$$,
                  'and the listing keeps them, with the kind''s basis and a 36-month term');
SELECT is(credit.transition('list_entry', public.le(3), '列入中', NULL, '{"legal_basis": "测试共享名单规定 第四条"}'), 1::bigint,
          'a decision may give the legal basis');
SELECT is((SELECT legal_basis FROM credit.list_entry WHERE entry_id = public.le(3)), '测试共享名单规定 第四条', 'which the listing keeps');
RESET ROLE;
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, reason FROM credit.workflow_event
                     WHERE machine = 'list_entry' AND object_id IN (public.le(1), public.le(2)) ORDER BY event_id$$,
                  $$VALUES ('拟列入'::text, '列入中'::text, '部门'::text, NULL::text), ('拟列入', '列入中', '部门', '经告知无异议')$$,
                  'each decision leaves its event');

-- the listings are listings now
SET ROLE regress_swj;
SELECT results_eq($$SELECT subject_id FROM credit.list_entry WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n) ORDER BY entry_id$$,
                  $$VALUES (public.l(1)), (public.l(2)), (public.l(3))$$,
                  'another department reads the listings, public and shared');
SELECT results_eq($$SELECT subject_id, legal_basis, removal_conditions FROM credit.public_list_entry
                     WHERE subject_id IN (SELECT public.l(n) FROM generate_series(1, 6) n) ORDER BY entry_id$$,
                  $$VALUES (public.l(1), '测试红名单办法 第五条'::text, '有效期届满'::text), (public.l(2), '测试黑名单办法 第十条', '信用修复或期满')$$,
                  'the public listings state the entry''s basis and conditions');
SELECT results_eq($$SELECT hit_kind, hit_id, measure FROM credit.check(public.l(2), 'ZJ-ZFCG', '列入测试') ORDER BY measure$$,
                  $$VALUES ('名单条目'::text, public.le(2), 'CN-ZFCG-22'::text), ('名单条目', public.le(2), 'SD-30-1')$$,
                  'once listed, the serious listing calls for its measures');
RESET ROLE;

-- ------------------------------------------------------------------
-- 不予列入: final, with its reason
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(4), '不予列入')$$),
          '23502: moving 名单条目 ' || public.le(4) || ' from "拟列入" to "不予列入" needs a reason | The transition "不予列入" needs a reason. | Give the reason as the fourth argument of credit.transition().',
          'a refusal needs its reason');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(4), '已移出', '撤回')$$),
          '55000: cannot move 名单条目 ' || public.le(4) || ' from "拟列入" to "已移出" | Allowed from "拟列入": "不予列入" (不予列入: 部门/信用中心, 须说明原因), "列入中" (决定列入: 部门/信用中心). | ',
          'a proposal is not removed: it is decided or refused');
SELECT is(credit.transition('list_entry', public.le(4), '不予列入', '异议成立, 不予列入'), 1::bigint, 'its department refuses a proposal');
SELECT is(public.le_row(4), '不予列入 告知 2026-10-12 2026-10-13 异议成立, 不予列入',
          'the date and reason of the refusal are kept like a removal''s, no listing date');
SELECT is(public.regress_error($$SELECT credit.transition('list_entry', public.le(4), '列入中')$$),
          '55000: cannot move 名单条目 ' || public.le(4) || ' from "不予列入" to "列入中" | Allowed from "不予列入": (nothing: terminal state). | ',
          '不予列入 is final: never listed afterwards');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(credit.transition('list_entry', public.le(5), '不予列入', '证据不足'), 1::bigint, 'the centre refuses one too');
RESET ROLE;
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.l(4));
SELECT results_eq($$SELECT state, state_reason FROM credit.public_list_notice$$, $$VALUES ('不予列入'::text, '异议成立, 不予列入'::text)$$,
                  'the subject reads the decision not to list it, with its reason');
COMMIT;
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE entry_id IN (public.le(4), public.le(5))), 0,
          'another department never sees a refused proposal');
RESET ROLE;
SET ROLE regress_bank;
SELECT is((SELECT count(*)::integer FROM credit.public_list_notice), 0, 'nor does the public');
RESET ROLE;

-- ------------------------------------------------------------------
-- The machine's data, and the sweep
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT from_state, to_state, action, party_kinds::text[], by_engine, reason_required FROM credit.machine_transition
                     WHERE machine = 'list_entry' AND (from_state = '拟列入' OR to_state = '不予列入') ORDER BY to_state$$,
                  $$VALUES ('拟列入'::text, '不予列入'::text, '不予列入'::text, '{部门,信用中心}'::text[], false, true),
                           ('拟列入', '列入中', '决定列入', '{部门,信用中心}', false, false)$$,
                  'a department or the centre decides or refuses, a refusal with its reason');
SELECT results_eq($$SELECT state, initial, terminal FROM credit.machine_state WHERE machine = 'list_entry' AND state IN ('拟列入', '不予列入') ORDER BY state$$,
                  $$VALUES ('不予列入'::text, false, true), ('拟列入', true, false)$$, 'a proposal is a start, a refusal an end');
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, state) VALUES ('L_RED', public.l(6), '守信', '拟列入');
RESET ROLE;
SET credit.legal_date = '2027-01-04';
SELECT results_eq($$SELECT moved FROM credit.sweep() WHERE machine = 'list_entry'$$, $$VALUES (0::bigint)$$,
                  'the sweep leaves a proposal past its notice alone');
SELECT is(public.le_row(6), '拟列入 公示 2026-10-20', 'it waits for its decision');
SELECT is((SELECT count(*)::integer FROM credit.public_list_notice), 0, 'but is no longer in public notice');
RESET credit.legal_date;

-- ------------------------------------------------------------------
-- Responsible persons, named by a check where the rule says so
-- ------------------------------------------------------------------
SET credit.legal_date = '2026-10-13';
INSERT INTO credit.measure VALUES
    ('L-FR', '省级', '山东省社会信用条例(2020-07-24)', '惩戒', '减损权益或增加义务', '依法限制担任相关职务', '严重失信主体的法定代表人、主要负责人和实际控制人',
     '山东省社会信用条例 第三十一条', '各有关部门', false, '2020-10-01', NULL, '测试');
INSERT INTO credit.measure_rule (rule_code, trigger_kind, trigger_value, matter_kind, matter_code, measure_code, valid_from, source, names_persons) VALUES
    ('L-FR-CG', '严重失信名单', NULL, '政府采购', NULL, 'L-FR', '2020-10-01', '测试', true),
    ('L-FOCUS-XK', '重点关注名单', NULL, '行政许可', NULL, 'SD-28-1', '2020-10-01', '测试', false);
SELECT is((SELECT count(*)::integer FROM credit.measure_rule WHERE names_persons AND rule_code NOT LIKE 'L-%'), 0,
          'no shipped rule names persons (a rule says so)');
SET ROLE regress_scjg;
INSERT INTO credit.list_entry_person (entry_id, role, name, resident_id) VALUES
    (public.le(2), '法定代表人', '张三', '440524188001010014'),
    (public.le(2), '实际控制人', '李四', NULL);
SELECT is(public.regress_error($$INSERT INTO credit.list_entry_person (entry_id, role, name) VALUES (public.le(2), '董事', '王五')$$),
          '23514: new row for relation "list_entry_person" violates check constraint "list_entry_person_role_check" |  | ',
          'a role is 法定代表人, 主要负责人, 实际控制人 or 直接责任人');
SELECT alike(public.regress_error($$INSERT INTO credit.list_entry_person (entry_id, role, name) VALUES (public.le(2), '主要负责人', ' ')$$),
             '23514: new row for relation "list_entry_person" violates check constraint "list_entry_person_name_check"%', 'a person has a name');
SELECT is(public.regress_error($$INSERT INTO credit.list_entry_person (entry_id, role, name) VALUES (public.le(4), '法定代表人', '赵六')$$),
          '55000: list entry ' || public.le(4) || ' is 不予列入: no person is named for it any more |  | ',
          'no person for an entry that ended (a refused proposal)');
SELECT is(left(public.regress_error($$UPDATE credit.list_entry_person SET name = '张四' WHERE entry_id = public.le(2)$$), 5),
          '42501', 'a department changes no person');
RESET ROLE;
SELECT is(public.regress_error($$DELETE FROM credit.list_entry_person WHERE entry_id = public.le(2)$$),
          '2F003: table credit.list_entry_person is append-only |  | ', 'a person named stays named, even for the owner');
SET ROLE regress_swj;
SELECT is(public.regress_error($$INSERT INTO credit.list_entry_person (entry_id, role, name) VALUES (public.le(2), '主要负责人', '钱七')$$),
          '23503: list entry ' || public.le(2) || ' is not an entry of your department |  | The department that decides an entry names its responsible persons.',
          'another department names no person for an entry it did not decide');
SELECT results_eq($$SELECT role, name, resident_id::text FROM credit.list_entry_person ORDER BY person_id$$,
                  $$VALUES ('法定代表人'::text, '张三'::text, '440524188001010014'::text), ('实际控制人', '李四', NULL)$$,
                  'a department reading the public listing reads its persons');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(left(public.regress_error('SELECT count(*) FROM credit.list_entry_person'), 5), '42501', 'the portal reads no persons unmasked');
SELECT results_eq($$SELECT entry_id, role, name, resident_id FROM credit.public_list_entry_person ORDER BY person_id$$,
                  $$VALUES (public.le(2), '法定代表人'::text, '张*'::text, '440524********0014'::text), (public.le(2), '实际控制人', '李*', NULL)$$,
                  'the public reads the persons of a public listing masked');
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT c.measure, c.hit_id FROM credit.check(public.l(2), 'ZJ-ZFCG', '责任人测试') c ORDER BY c.measure$$,
                  $$VALUES ('CN-ZFCG-22'::text, public.le(2)), ('L-FR', public.le(2)), ('SD-30-1', public.le(2))$$,
                  'the check returns the measure that reaches the persons');
SELECT is((SELECT jsonb_agg(h->'persons' ORDER BY h->>'measure') FROM credit.credit_check c, jsonb_array_elements(c.hits) h
            WHERE c.check_id = (SELECT max(check_id) FROM credit.credit_check)),
          '[null, [{"name": "张三", "role": "法定代表人", "resident_id": "440524********0014"}, {"name": "李四", "role": "实际控制人", "resident_id": null}], null]'::jsonb,
          'and its snapshot names the persons, the identity number masked, only for the rule that says so');
RESET ROLE;

-- ------------------------------------------------------------------
-- 重点关注 lists: never 公开, their own trigger
-- ------------------------------------------------------------------
SELECT is(public.regress_error($$INSERT INTO credit.list_kind (list_kind, name, colour, disclosure) VALUES ('L_FOCUS_PUB', '公开的重点关注', '重点关注', '公开')$$),
          '23514: new row for relation "list_kind" violates check constraint "list_kind_focus_not_public" | Failing row contains (L_FOCUS_PUB, 公开的重点关注, 重点关注, null, 公开, null, null, 0, t, f, null, null, null, null, f). | ',
          'a 重点关注 list is not 公开');
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious, legal_basis)
VALUES ('L_FOCUS', '重点关注名单(列入测试)', '重点关注', 12, '部门共享', 1, true, '测试重点关注办法');
SET ROLE regress_scjg;
SELECT is(public.regress_error($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, disclosure)
                                VALUES ('L_FOCUS', public.l(7), '多次被投诉', credit.legal_date(), '公开')$$),
          '23514: an entry of the 重点关注 list "L_FOCUS" cannot be 公开 | A 重点关注 list marks subjects for closer supervision; it is no published black list. | Give it disclosure 部门共享 or 授权查询.',
          'nor is an entry of one');
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES ('L_FOCUS', public.l(7), '多次被投诉', credit.legal_date());
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT c.measure, c.hit_kind FROM credit.check(public.l(7), 'ZJ-XZXK', '重点关注测试') c$$,
                  $$VALUES ('SD-28-1'::text, '名单条目'::text)$$, 'a 重点关注 entry calls for the measures of its own trigger');
SELECT results_eq($$SELECT c.hit FROM credit.check(public.l(7), 'ZJ-ZFCG', '重点关注测试') c$$, $$VALUES (false)$$,
                  'and is no serious black list, even of a kind marked serious');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE subject_id = public.l(7)), 0, 'the public never sees it');
RESET ROLE;
RESET credit.legal_date;

-- ------------------------------------------------------------------
-- Warning interviews (约谈): scheduled, held or cancelled
-- ------------------------------------------------------------------
SET credit.legal_date = '2026-10-13';
SET ROLE regress_portal;
SELECT is(left(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at)
                                      VALUES (public.l(2), '提示约谈', public.le(2), '列入严重失信主体名单', '2026-10-20 10:00+08')$$), 5),
          '42501', 'the portal schedules no interview');
RESET ROLE;
SET ROLE regress_swj;
SELECT is(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at)
                                VALUES (public.l(2), '提示约谈', public.le(2), '列入严重失信主体名单', '2026-10-20 10:00+08')$$),
          '23503: an interview is about a record, entry or grade of your department |  | Give one of basis_record_id (a record you provided), basis_entry_id (an entry you decided) or basis_result_id (a grade you read).',
          'a department holds no interview about another department''s listing');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, reason, scheduled_at)
                                VALUES (public.l(2), '提示约谈', '无依据', '2026-10-20 10:00+08')$$),
          '23503: an interview is about a record, entry or grade of your department |  | Give one of basis_record_id (a record you provided), basis_entry_id (an entry you decided) or basis_result_id (a grade you read).',
          'nor one without a basis');
SELECT is(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at)
                                VALUES (public.l(3), '提示约谈', public.le(2), '列入严重失信主体名单', '2026-10-20 10:00+08')$$),
          '22023: the interview''s subject is not the subject of its basis |  | ', 'the subject is the basis''s');
SELECT alike(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at)
                                   VALUES (public.l(2), '提示约谈', public.le(2), '列入严重失信主体名单', '2026-10-12 23:00+08')$$),
             '22023: an interview is scheduled for a day to come, not 2026-10-12 |%', 'not for a day past (the legal date)');
SELECT alike(public.regress_error($$INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at)
                                   VALUES (public.l(2), '约谈', public.le(2), '列入严重失信主体名单', '2026-10-20 10:00+08')$$),
             '23514: %interview_kind_check%', 'a kind is 提示约谈 or 警示约谈');
INSERT INTO credit.interview (subject_id, kind, basis_entry_id, reason, scheduled_at, place) VALUES
    (public.l(2), '警示约谈', public.le(2), '列入严重失信主体名单', '2026-10-14 09:00+08', '市场监管局三楼'),
    (public.l(2), '提示约谈', public.le(2), '失信信息公示期内', '2026-10-20 10:00+08', NULL);
CREATE TEMP VIEW iv AS SELECT interview_id, concat_ws(' ', state, department_id, held_on, attended, outcome, state_reason) AS s
  FROM credit.interview ORDER BY interview_id;
GRANT SELECT ON iv TO PUBLIC;
SELECT results_eq($$SELECT s FROM iv$$, $$VALUES ('已安排 1'), ('已安排 1')$$, 'its department schedules interviews about its listing');
SELECT alike(public.regress_error($$SELECT credit.transition('interview', (SELECT min(interview_id) FROM credit.interview), '已约谈', NULL,
                                                               '{"attended": true, "outcome": "已告知"}')$$),
             '55000: interview % is scheduled for 2026-10-14: it is not held before |  | Cancel it (已取消) and schedule another to hold it earlier.',
             'an interview is not held before its day');
RESET ROLE;
SET credit.legal_date = '2026-10-14';
SET ROLE regress_scjg;
SELECT alike(public.regress_error($$SELECT credit.transition('interview', (SELECT min(interview_id) FROM credit.interview), '已约谈')$$),
             '22023: interview % is held with whether the subject attended and the outcome |%', 'held needs attendance and outcome');
SELECT alike(public.regress_error($$SELECT credit.transition('interview', (SELECT min(interview_id) FROM credit.interview), '已约谈', NULL,
                                                               '{"attended": "yes", "outcome": "已告知"}')$$),
             '22023: interview % is held with whether the subject attended and the outcome |%', 'attendance is true or false');
SELECT results_eq($$SELECT s FROM iv$$, $$VALUES ('已安排 1'), ('已安排 1')$$, 'the refused moves changed nothing');
SELECT is(credit.transition('interview', (SELECT min(interview_id) FROM credit.interview), '已约谈', NULL,
                            '{"attended": false, "outcome": "经通知拒不到场"}'), 1::bigint, 'a refusal to attend is recorded as held');
SELECT alike(public.regress_error($$SELECT credit.transition('interview', (SELECT max(interview_id) FROM credit.interview), '已取消')$$),
             '23502: moving 信用约谈 % from "已安排" to "已取消" needs a reason |%', 'a cancellation needs its reason');
SELECT is(credit.transition('interview', (SELECT max(interview_id) FROM credit.interview), '已取消', '主体已完成信用修复'), 1::bigint,
          'its department cancels an interview');
SELECT results_eq($$SELECT s FROM iv$$, $$VALUES ('已约谈 1 2026-10-14 f 经通知拒不到场'), ('已取消 1 主体已完成信用修复')$$,
                  'held on the legal date, not attended, with the outcome; cancelled with its reason');
SELECT alike(public.regress_error($$SELECT credit.transition('interview', (SELECT min(interview_id) FROM credit.interview), '已取消', '重复')$$),
             '55000: cannot move 信用约谈 % from "已约谈" to "已取消" | Allowed from "已约谈": (nothing: terminal state). | ',
             'a held interview is final');
SELECT is(left(public.regress_error($$UPDATE credit.interview SET reason = '改了'$$), 5), '42501', 'a department changes nothing by hand');
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, reason FROM credit.workflow_event WHERE machine = 'interview' ORDER BY event_id$$,
                  $$VALUES ('已安排'::text, '已约谈'::text, '部门'::text, NULL::text), ('已安排', '已取消', '部门', '主体已完成信用修复')$$,
                  'each move leaves its event, which the department reads');
RESET ROLE;
SELECT is(public.regress_error($$UPDATE credit.interview SET reason = '改了'$$),
          '2F003: interviews are not changed in place | Column "reason" cannot change. | A new date is a new interview.',
          'not even the owner changes what an interview says');
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.interview), 0, 'another department reads none');
SELECT alike(public.regress_error($$SELECT credit.transition('interview', 1::bigint, '已取消', '越权')$$), 'P0002: %', 'nor moves one');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.interview), 0, 'the portal acting for nobody reads none');
BEGIN;
SELECT credit.act_for_subject(public.l(2));
SELECT results_eq($$SELECT kind, state, place FROM credit.interview ORDER BY interview_id$$,
                  $$VALUES ('警示约谈'::text, '已约谈'::text, '市场监管局三楼'::text), ('提示约谈', '已取消', NULL)$$,
                  'the subject, through the portal, reads its interviews');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'interview'), 2, 'and their events');
COMMIT;
BEGIN;
SELECT credit.act_for_subject(public.l(3));
SELECT is((SELECT count(*)::integer FROM credit.interview), 0, 'another subject reads none of them');
COMMIT;
RESET ROLE;
SELECT results_eq($$SELECT from_state, to_state, action, party_kinds::text[], reason_required FROM credit.machine_transition
                     WHERE machine = 'interview' ORDER BY to_state$$,
                  $$VALUES ('已安排'::text, '已取消'::text, '取消约谈'::text, '{部门,信用中心}'::text[], true),
                           ('已安排', '已约谈', '约谈', '{部门,信用中心}', false)$$,
                  'the department or the centre holds or cancels an interview, a cancellation with its reason');

-- ------------------------------------------------------------------
-- The feedback deadline of a matter, and checks past it
-- ------------------------------------------------------------------
UPDATE credit.matter SET feedback_working_days = 5 WHERE matter_code = 'ZJ-ZFCG';
SELECT is((SELECT count(*)::integer FROM credit.matter WHERE feedback_working_days IS NOT NULL AND matter_code LIKE 'ZJ-%' AND matter_code <> 'ZJ-ZFCG'), 0,
          'the shipped matters have no feedback deadline (none found in national rules: UNCERTAIN)');
CREATE TEMP VIEW ovd AS SELECT object_id, department_id, state, deadline, working_days_late FROM credit.workflow_overdue
                         WHERE machine = 'credit_check' ORDER BY object_id;
GRANT SELECT ON ovd TO PUBLIC;
SET credit.legal_date = '2026-10-20';
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM ovd), 0, 'on its last day (5 working days after 2026-10-13) no check is late');
RESET ROLE;
SET credit.legal_date = '2026-10-22';
SET ROLE regress_swj;
SELECT results_eq($$SELECT * FROM ovd$$,
                  $$SELECT c.check_id, 2, '待反馈'::text, date '2026-10-20', 2 FROM credit.credit_check c
                     WHERE c.matter_code = 'ZJ-ZFCG' AND jsonb_array_length(c.hits) > 0 ORDER BY c.check_id$$,
                  'two days later, the department''s checks of that matter with hits and no feedback are 2 working days late; not the clean one, nor those of a matter without a deadline');
SELECT is((SELECT count(*)::integer FROM credit.credit_check WHERE matter_code = 'ZJ-ZFCG' AND jsonb_array_length(hits) > 0), 2,
          '(two such checks)');
SELECT lives_ok($$SELECT credit.feedback(c.check_id, h->>'measure', '已实施')
                    FROM credit.credit_check c, jsonb_array_elements(c.hits) h
                   WHERE c.check_id = (SELECT min(check_id) FROM credit.credit_check WHERE matter_code = 'ZJ-ZFCG' AND jsonb_array_length(hits) > 0)$$,
                'feedback on every measure of the first');
SELECT is(credit.feedback((SELECT max(check_id) FROM credit.credit_check WHERE matter_code = 'ZJ-ZFCG' AND jsonb_array_length(hits) > 0),
                          'SD-30-1', '不适用') > 0, true,
          'and on one measure of the second');
SELECT results_eq($$SELECT object_id FROM ovd$$, $$SELECT max(check_id) FROM credit.credit_check WHERE matter_code = 'ZJ-ZFCG' AND jsonb_array_length(hits) > 0$$,
                  'a check is late until every measure has its feedback');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM ovd), 0, 'another department sees none of them');
RESET ROLE;
SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM ovd), 1, 'the centre sees it');
RESET ROLE;
RESET credit.legal_date;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
