-- The credit repair machine: what an application needs, acceptance and
-- repair, the sync events to the targets, a repaired 部门共享 record, the
-- repeat limit, and a broken commitment.  pgTAP.
\i sql/include/tap_setup.sql
\i sql/include/workflow_fixture.sql

SELECT plan(41);

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
SELECT results_eq($$SELECT p.state, p.feedback_deadline, c.kind, c.content FROM credit.repair p
                     JOIN credit.commitment c USING (commitment_id) WHERE p.repair_id = public.w_repair('12')$$,
                  $$VALUES ('已申请'::text, date '2026-10-19', '信用修复型'::text, '本企业承诺依法经营'::text)$$,
                  'filed on 2026-09-29: feedback due in 10 working days (over 国庆, with the 调休 Saturday 10-10), the 信用修复型 commitment recorded');
INSERT INTO credit.sync_target (target, name, kind, department_id) VALUES
    ('W_SCJG', '市场监管局', '部门', (SELECT department_id FROM credit.department WHERE code = 'SCJG')),
    ('PROVINCE', '省公共信用信息平台', '上级平台', NULL);
SET ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.transition('repair', public.w_repair('12'), '已受理')$$, 'the determining department accepts');
SELECT is((SELECT deadline FROM credit.repair WHERE repair_id = public.w_repair('12')), date '2026-10-09',
          'decision due in 3 working days (09-30, 10-08, 10-09)');
SELECT lives_ok($$SELECT credit.transition('repair', public.w_repair('12'), '已修复')$$, 'and repairs');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end FROM credit.record WHERE record_id = public.w_rec('12')$$,
                  $$VALUES ('已修复'::text, date '2026-09-29')$$, '已修复: publicity ends today');
SELECT is((SELECT string_agg(target, ',' ORDER BY target) FROM credit.sync_event WHERE repair_id = public.w_repair('12')),
          'PROVINCE,W_SCJG', 'one sync event per registered target');
SET ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'W_SCJG'))$$,
                'the department acknowledges its own');
SELECT is((SELECT count(*)::integer FROM credit.sync_event WHERE target = 'PROVINCE'), 0, 'and sees no other');
RESET ROLE;
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'PROVINCE'))$$,
                'the centre acknowledges for the upper platform');
SELECT throws_ok($$SELECT credit.acknowledge_sync((SELECT sync_id FROM credit.sync_event WHERE target = 'PROVINCE'))$$,
                 '55000', NULL, 'once');
RESET ROLE;
-- a repaired 部门共享 record is no longer shared
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('W.QS', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '一般', '金税欠〔W〕1号', credit.legal_date() - 700);
RESET ROLE;
SET ROLE regress_scjg;
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
SET ROLE regress_swj;
SELECT lives_ok($$SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已受理')$$, '税务局 accepts');
SELECT lives_ok($$SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已修复')$$, 'and repairs');
SELECT is((SELECT publicity_state FROM credit.record WHERE decision_no = '金税欠〔W〕1号'), '已修复', 'its own department still sees it, 已修复');
RESET ROLE;
SET ROLE regress_scjg;
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
-- the limit counts 12 months from the legal date of the last repair
-- (today is 2026-09-29), whatever the session's TimeZone.
-- public.w_repeat_after(t): with the last repair's time set to t (the
-- triggers off), what the portal's new application says ('accepted', and
-- undone, when it is accepted)
CREATE FUNCTION public.w_repeat_after(last_repair timestamptz) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    said text;
BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
    UPDATE credit.repair SET state_since = last_repair WHERE repair_id = public.w_repair('12');
    PERFORM set_config('session_replication_role', 'origin', true);
    BEGIN
        PERFORM set_config('role', public.w_portal(), true);
        PERFORM credit.act_for_subject(public.w_subject('12'));
        said := public.regress_error($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                                       VALUES (public.w_rec('12'), true, '{信用修复承诺书,履行义务证明}', '又一次')$$);
        RAISE EXCEPTION 'undone' USING ERRCODE = 'P0001';   -- undoes the application and the role
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    RETURN coalesce(regexp_replace(said, 'subject \d+', 'subject N'), 'accepted');
END
$f$;
-- repaired 2025-10-14: still refused; 2025-09-28: accepted
SELECT is(public.w_repeat_after('2025-10-14 10:00:00+08'),
          '55000: subject N was repaired for item "W.XZCF" on 2025-10-14: no new repair within 12 months'
          || ' | A new application is possible from 2026-10-14. | ',
          'refused 11 and a half months after the last repair');
SELECT is(public.w_repeat_after('2025-09-28 10:00:00+08'), 'accepted', 'accepted 12 months and a day after it');
-- a repair at 01:00 in Beijing on 2025-09-30 (17:00 UTC the day before)
-- counts from 2025-09-30, so a UTC session is refused on 2026-09-29 and
-- told the Beijing dates; one at 01:00 on 2025-09-29 lets it apply
SET TimeZone = 'UTC';
SELECT is(public.w_repeat_after('2025-09-29 17:00:00+00'),
          '55000: subject N was repaired for item "W.XZCF" on 2025-09-30: no new repair within 12 months'
          || ' | A new application is possible from 2026-09-30. | ',
          'a UTC session: refused, counted from the Beijing date of the last repair');
SELECT is(public.w_repeat_after('2025-09-28 17:00:00+00'), 'accepted',
          'a UTC session: accepted on the day 12 months after the Beijing date of the last repair');
RESET TimeZone;
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复', publicity_end = credit.legal_date() WHERE record_id = public.w_rec('12');
SET session_replication_role = origin;
-- a broken commitment restores the full maximum period
SET ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.record_commitment_breach((SELECT commitment_id FROM credit.repair WHERE repair_id = public.w_repair('12')),
                                                          '再次虚假宣传')$$, 'the department records a breach of the commitment');
RESET ROLE;
SELECT results_eq($$SELECT publicity_state, publicity_end = publicity_max_end, publicity_end > date '2026-09-29' FROM credit.record WHERE record_id = public.w_rec('12')$$,
                  $$VALUES ('公示中'::text, true, true)$$, 'the record is published again until its maximum');

-- The minimum publicity period: the 一般 record decided today (2026-09-29)
-- can be repaired from the day its minimum period ends, not the day before.
BEGIN;
SELECT set_config('credit.legal_date', to_char((SELECT publicity_min_end - 1 FROM credit.record WHERE record_id = public.w_rec('新1')), 'YYYY-MM-DD'), true);
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('新1'));
SELECT matches(public.regress_error($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                                     VALUES (public.w_rec('新1'), true, '{信用修复承诺书,履行义务证明}', '承诺')$$),
               '^55000: record \d+ can be repaired from .*, when its minimum publicity period ends',
               'refused the day before the minimum period ends');
RESET ROLE;
ROLLBACK;
BEGIN;
SELECT set_config('credit.legal_date', to_char((SELECT publicity_min_end FROM credit.record WHERE record_id = public.w_rec('新1')), 'YYYY-MM-DD'), true);
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('新1'));
SELECT lives_ok($$INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
                  VALUES (public.w_rec('新1'), true, '{信用修复承诺书,履行义务证明}', '承诺')$$,
                'accepted on the day it ends');
RESET ROLE;
ROLLBACK;
-- A list entry can be repaired from its early removal date (listed
-- 2025-08-25, 12 months: 2026-08-25), not the day before.
BEGIN;
SET LOCAL credit.legal_date = '2026-08-24';
SELECT set_config('role', public.w_portal(), false);
SELECT credit.act_for_subject(public.w_subject('5'));
SELECT is(public.regress_error($$INSERT INTO credit.repair (entry_id, obligations_performed, materials, commitment)
                                 VALUES (public.w_entry('5'), true, '{信用修复承诺书,履行义务证明}', '承诺')$$),
          '55000: list entry ' || public.w_entry('5') || ' can be repaired from ' || date '2026-08-25'
          || ' | Early removal may be requested only after the period of its list kind. | ',
          'a list entry is not repaired before its early removal date');
RESET ROLE;
ROLLBACK;
-- Repairing a record removes the list entries based on it, and queues sync
-- events for the active targets only.
INSERT INTO credit.sync_target (target, name, kind, department_id, active) VALUES ('RETIRED', '旧平台', '上级平台', NULL, false);
SET ROLE regress_centre;
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
VALUES (public.w_rec('3'), true, '{信用修复承诺书,履行义务证明}', '依法经营');
SELECT credit.transition('repair', public.w_repair('3'), '已受理') \gset w_ignore_
SELECT credit.transition('repair', public.w_repair('3'), '已修复') \gset w_ignore_
RESET ROLE;
SELECT results_eq($$SELECT state, removal_reason FROM credit.list_entry WHERE entry_id = public.w_entry('3')$$,
                  $$VALUES ('已移出'::text, '信用修复 ' || public.w_repair('3'))$$,
                  'a repaired record takes the list entry based on it off the list');
SELECT is((SELECT string_agg(target, ',' ORDER BY target) FROM credit.sync_event WHERE repair_id = public.w_repair('3')),
          'PROVINCE,W_SCJG', 'sync events for the active targets only');

-- what a commitment, a sync event and a repair keep (credit.keep_content)
SELECT is(public.regress_error($$SELECT credit.record_commitment_breach((SELECT commitment_id FROM credit.repair WHERE repair_id = public.w_repair('12')), '第三次')$$),
          '55000: commitment ' || (SELECT commitment_id FROM credit.repair WHERE repair_id = public.w_repair('12'))
          || ' is not an unbroken commitment you can see |  | ',
          'a breach is recorded once');
SELECT is(public.regress_error($$UPDATE credit.commitment SET broken_reason = '改写' WHERE broken_at IS NOT NULL$$),
          '2F003: commitments are not changed in place | Column "broken_reason" is set only once. | '
          'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
          'not even by the owner');
SELECT is(public.regress_error($$UPDATE credit.commitment SET content = '改写'$$),
          '2F003: commitments are not changed in place | Column "content" cannot change. | '
          'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
          'what was committed to never changes');
SELECT is(public.regress_error($$UPDATE credit.sync_event SET acknowledged_at = now() WHERE acknowledged_at IS NOT NULL$$),
          '2F003: sync events are not changed in place | Column "acknowledged_at" is set only once. | '
          'A sync event is only acknowledged, once, with credit.acknowledge_sync(sync_id).',
          'a sync event is acknowledged once, even by the owner');
SELECT is(public.regress_error($$DELETE FROM credit.sync_event$$),
          '2F003: sync events are never deleted |  | Acknowledge it with credit.acknowledge_sync(sync_id).',
          'and never deleted');
SELECT is(public.regress_error($$DELETE FROM credit.repair$$),
          '2F003: repair applications are never deleted |  | Withdraw it with credit.transition(''repair'', repair_id, ''已撤回'').',
          'a repair application is never deleted');
SELECT is(public.regress_error($$DELETE FROM credit.objection$$),
          '2F003: objections are never deleted |  | Withdraw it with credit.transition(''objection'', objection_id, ''已撤回'').',
          'nor an objection');

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
