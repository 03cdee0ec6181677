-- 联合奖惩: measures, matters and rules as data; the credit check a
-- department makes before a decision (each trigger kind → measure → matter,
-- a clean check, after repair, after list expiry, what row security hides);
-- feedback, refused for every other role; who sees which checks.  pgTAP.
-- Today is Tuesday 2026-09-29, the day before 国庆 (2026-10-01..07).
\i sql/include/tap_setup.sql

SET credit.legal_date = '2026-09-29';
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('T.WF', '违法失信行为', '其他', '失信', '公开', 1),
    ('T.BZ', '表彰奖励', '其他', '守信', '公开', 1),
    ('T.QS', '欠税信息', '其他', '失信', '部门共享', 2),
    ('T.SQ', '授权查询的失信信息', '其他', '失信', '授权查询', 2);
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious) VALUES
    ('T_YZSX', '严重失信主体名单(测试)', '黑', 36, '公开', 1, true),
    ('T_HONG', '守信激励名单(测试)', '红', 24, '公开', 1, false),
    ('T_JYYC', '经营异常名录(测试)', '黑', 36, '公开', 1, false);
-- a measure and a matter of the test's own, with rules by list kind and
-- catalogue item, one of them for a single matter
INSERT INTO credit.measure VALUES
    ('T-JY', '市级', '金华市补充清单(测试)', '惩戒', '管理措施', '列为重点监管对象', '经营异常名录主体', '测试依据一', 'SCJG', true,
     '2026-01-01', NULL, '测试'),
    ('T-JL', '市级', '金华市补充清单(测试)', '激励', '激励措施', '同等条件下优先', '受表彰主体', '测试依据二', '各有关部门', false,
     '2026-01-01', NULL, '测试'),
    ('T-OLD', '市级', '金华市补充清单(测试)', '惩戒', '管理措施', '已废止的措施', '失信主体', '测试依据三', '各有关部门', false,
     '2020-01-01', '2025-12-31', '测试');
INSERT INTO credit.matter VALUES
    ('T-XK1', '食品经营许可', '行政许可', 1, true, '2026-01-01', NULL, '测试');
INSERT INTO credit.measure_rule VALUES
    ('T-JY-XK1', '名单', 'T_JYYC', NULL, 'T-XK1', 'T-JY', '2026-01-01', NULL, '测试'),
    ('T-JL-BZ', '守信记录', 'T.BZ', '评优表彰', NULL, 'T-JL', '2026-01-01', NULL, '测试'),
    ('T-OLD-XK', '失信记录', NULL, '行政许可', NULL, 'T-OLD', '2020-01-01', NULL, '测试'),
    ('T-LATER-XK', '失信记录', NULL, '行政许可', NULL, 'T-JY', '2027-01-01', NULL, '测试'),
    ('T-WN-ZJ', '违诺', '信用修复型', '财政资金', NULL, 'SD-28-2', '2026-01-01', NULL, '测试');

-- subjects 1..9, as the departments submit their records about them
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
SELECT v.item, '企业法人', '核查测试' || v.n || '有限公司', credit.uscc_complete('91330702MA2K0' || lpad(v.n::text, 3, '0') || '1'),
       v.severity::credit.severity, '金市监〔K〕' || v.n || '号', credit.legal_date() - 10
  FROM (VALUES (1, 'T.WF', '一般'), (5, 'T.BZ', NULL), (7, 'T.WF', '一般')) AS v(n, item, severity);
RESET ROLE;
SET ROLE regress_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
SELECT v.item, '企业法人', '核查测试' || v.n || '有限公司', credit.uscc_complete('91330702MA2K0' || lpad(v.n::text, 3, '0') || '1'),
       '一般', '金税〔K〕' || v.n || '号', credit.legal_date() - 10
  FROM (VALUES (9, 'T.QS'), (10, 'T.SQ')) AS v(n, item);
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, severity, decision_no, decision_date)
VALUES ('T.QS', '自然人', '王五', '11010519491231002X', '一般', '金税〔K〕11号', credit.legal_date() - 10),
       ('T.SQ', '自然人', '张三', '440524188001010014', '一般', '金税〔K〕12号', credit.legal_date() - 10);
RESET ROLE;
INSERT INTO credit.subject (kind, uscc, name)
SELECT '企业法人', credit.uscc_complete('91330702MA2K0' || lpad(n::text, 3, '0') || '1'), '核查测试' || n || '有限公司'
  FROM unnest(ARRAY[2, 3, 4, 6, 8]) AS n;
CREATE FUNCTION public.k(n integer) RETURNS bigint LANGUAGE sql
    RETURN (SELECT subject_id FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2K0' || lpad(n::text, 3, '0') || '1'));
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES
    ('T_YZSX', public.k(2), '严重失信', credit.legal_date() - 30),
    ('T_HONG', public.k(3), '守信激励', credit.legal_date() - 30),
    ('T_JYYC', public.k(4), '经营异常', credit.legal_date() - 30),
    ('T_YZSX', public.k(8), '严重失信(已到期)', credit.legal_date() - 1200);
RESET ROLE;
-- subject 7's record repaired (put in place with the triggers off)
SET session_replication_role = replica;
UPDATE credit.record SET publicity_state = '已修复' WHERE decision_no = '金市监〔K〕7号';
-- and the commitment of that repair, decided by SCJG, 不可公开 (only SCJG
-- and the centre read it), broken since
INSERT INTO credit.commitment (subject_id, kind, content, broken_at, broken_reason, performance, code, department_id,
                               disclosure, state)
SELECT public.k(7), '信用修复型', '本单位承诺依法经营', now(), '再次违法', '全部未履行', '33070020260929000001', 1, '不可公开', '未履行';
INSERT INTO credit.repair (record_id, lineage_id, subject_id, department_id, item_code, obligations_performed, materials,
                           commitment, commitment_id, state)
SELECT r.record_id, r.lineage_id, r.subject_id, r.department_id, r.item_code, true, '{信用修复承诺书,履行义务证明}',
       '本单位承诺依法经营', (SELECT max(commitment_id) FROM credit.commitment), '已修复'
  FROM credit.record r WHERE r.decision_no = '金市监〔K〕7号';
SET session_replication_role = origin;
SELECT subject_id AS wangwu FROM credit.subject WHERE resident_id = '11010519491231002X' \gset
SELECT subject_id AS zhangsan FROM credit.subject WHERE resident_id = '440524188001010014' \gset

SELECT plan(80);

-- ------------------------------------------------------------------
-- The shipped sample: sourced, dated, the uncertain marked
-- ------------------------------------------------------------------
SELECT is((SELECT count(*)::integer FROM credit.measure WHERE measure_code NOT LIKE 'T-%' AND source LIKE '%UNCERTAIN%'),
          (SELECT count(*)::integer FROM credit.measure WHERE measure_code NOT LIKE 'T-%'),
          'every shipped sample measure says what in it is UNCERTAIN');
SELECT is((SELECT count(*)::integer FROM credit.matter WHERE matter_code LIKE 'ZJ-%' AND check_mandatory
                                                         AND source LIKE '浙江省公共信用信息管理条例 第二十一条%'), 6,
          'the sample matters are the compulsory checks of Zhejiang §21');

-- ------------------------------------------------------------------
-- Each trigger kind → measure → matter
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit, hit_kind, hit_id, measure, polarity, mandatory FROM credit.check(public.k(1), 'ZJ-XZXK', '许可申请1')$$,
                  $$SELECT true, '信用记录'::text, record_id, 'SD-28-1'::text, '惩戒'::text, false
                      FROM credit.record WHERE decision_no = '金市监〔K〕1号'$$,
                  '失信记录 → the general measure for a 行政许可, naming the record; a rule not yet in force and a measure ended apply not');
SELECT results_eq($$SELECT hit, measure, basis FROM credit.check(public.k(1), 'ZJ-BZJL')$$,
                  $$VALUES (true, 'SD-28-3'::text, '山东省社会信用条例 第二十八条'::text)$$,
                  '失信记录 → the award restriction for 评优表彰');
SELECT results_eq($$SELECT hit, hit_kind, measure FROM credit.check(public.k(1), 'ZJ-LY')$$,
                  $$VALUES (false, NULL::text, NULL::text)$$,
                  'no rule of the record''s trigger for 录用: one row, no hit');
SELECT results_eq($$SELECT hit_kind, hit_id, measure, mandatory FROM credit.check(public.k(2), 'ZJ-ZFCG')$$,
                  $$SELECT '名单条目'::text, entry_id, m, true FROM credit.list_entry, unnest(ARRAY['CN-ZFCG-22', 'SD-30-1']) m
                     WHERE subject_id = public.k(2) ORDER BY m$$,
                  '严重失信名单 → both procurement measures, naming the entry');
SELECT results_eq($$SELECT measure FROM credit.check(public.k(2), 'ZJ-ZTB')$$, $$VALUES ('SD-30-1'::text)$$,
                  '严重失信名单 → the bidding restriction for 招投标');
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(2), 'ZJ-XZXK')$$, $$VALUES (false, NULL::text)$$,
                  'a serious list has no measure for a 行政许可 in the sample: no hit');
SELECT results_eq($$SELECT hit_kind, measure, polarity FROM credit.check(public.k(3), 'ZJ-XZXK')$$,
                  $$VALUES ('名单条目'::text, 'SD-26-1'::text, '激励'::text)$$,
                  '红名单 → the incentive for a 行政许可');
SELECT results_eq($$SELECT measure, content FROM credit.check(public.k(4), 'T-XK1')$$,
                  $$VALUES ('T-JY'::text, '列为重点监管对象'::text)$$,
                  '名单 of a list kind → its measure for the one matter of the rule');
SELECT results_eq($$SELECT hit FROM credit.check(public.k(4), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'and not for another matter of the same kind');
SELECT results_eq($$SELECT hit_kind, measure, polarity FROM credit.check(public.k(5), 'ZJ-BZJL')$$,
                  $$VALUES ('信用记录'::text, 'T-JL'::text, '激励'::text)$$,
                  '守信记录 of a catalogue item → its incentive for 评优表彰');
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(6), 'ZJ-XZXK', '清白主体')$$, $$VALUES (false, NULL::text)$$,
                  'a clean subject: one row, no hit');
SELECT results_eq($$SELECT hits FROM credit.credit_check WHERE subject_id = public.k(6)$$, $$VALUES ('[]'::jsonb)$$,
                  'and the clean check is recorded, with an empty snapshot');
SELECT results_eq($$SELECT checked_by::text, department_id, matter_code, purpose, checked_on FROM credit.credit_check WHERE subject_id = public.k(6)$$,
                  $$VALUES ('regress_scjg'::text, 1, 'ZJ-XZXK'::text, '清白主体'::text, date '2026-09-29')$$,
                  'the check row says who, the department, the matter, the purpose and the legal date');

-- after repair, after expiry: the department still reads its own rows,
-- but they trigger nothing
SELECT is((SELECT count(*)::integer FROM credit.record WHERE subject_id = public.k(7)), 1,
          'the department reads its own repaired record');
SELECT results_eq($$SELECT hit FROM credit.check(public.k(7), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'a repaired record triggers no measure');
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE subject_id = public.k(8)), 1,
          'the department reads its own expired entry');
SELECT results_eq($$SELECT hit FROM credit.check(public.k(8), 'ZJ-ZFCG')$$, $$VALUES (false)$$,
                  'an entry past its term triggers no measure');
-- what row security shows: another department's shared record, not its
-- 授权查询 one
SELECT results_eq($$SELECT hit_kind, measure FROM credit.check(public.k(9), 'ZJ-XZXK')$$,
                  $$VALUES ('信用记录'::text, 'SD-28-1'::text)$$,
                  'another department''s 部门共享 record triggers');
SELECT results_eq($$SELECT hit FROM credit.check(public.k(10), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'another department''s 授权查询 record, which the department cannot read, triggers nothing');
-- by code
SELECT results_eq($$SELECT measure FROM credit.check(credit.uscc_complete('91330702MA2K00011'), 'ZJ-XZXK')$$,
                  $$VALUES ('SD-28-1'::text)$$, 'by 统一社会信用代码');
SELECT results_eq($$SELECT measure FROM credit.check('11010519491231002X'::credit.resident_id, 'ZJ-XZXK')$$,
                  $$VALUES ('SD-28-1'::text)$$, 'by 公民身份号码, a person known through a shared record');
SELECT results_eq($$SELECT hit FROM credit.check('11010519491231002X'::credit.resident_id, 'ZJ-ZFCG')$$,
                  $$VALUES (false)$$, 'by 公民身份号码, a person known through a shared record that triggers nothing for the matter: a clean check');
RESET ROLE;

-- the snapshot is the check's, not the writer's
SET ROLE regress_scjg;
INSERT INTO credit.credit_check (subject_id, matter_code, purpose) VALUES (public.k(2), 'ZJ-ZTB', '直接写入');
SELECT is(left(public.regress_error($$INSERT INTO credit.credit_check (subject_id, matter_code, hits)
                                       VALUES (public.k(2), 'ZJ-ZTB', '[]')$$), 5), '42501',
          'a department cannot write the hits of a check');
RESET ROLE;
SELECT is((SELECT hits -> 0 ->> 'measure' FROM credit.credit_check WHERE purpose = '直接写入'), 'SD-30-1',
          'a check row written directly gets the hits computed for it');
SELECT is(public.regress_error($$INSERT INTO credit.credit_check (subject_id, matter_code, hits)
                                  VALUES (public.k(6), 'ZJ-ZFCG', '[{"measure": "SD-30-1"}]')$$),
          '42501: only a department checks credit |  | Check as a role registered with credit.register_department_role.',
          'a superuser, being no department, writes no check');

-- ------------------------------------------------------------------
-- Bad input
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT * FROM credit.check(public.k(1), 'NOPE')$$),
          '23503: unknown matter "NOPE" |  | Check for a matter of credit.matter in force today.', 'an unknown matter');
SELECT is(public.regress_error($$SELECT * FROM credit.check(NULL::bigint, 'ZJ-XZXK')$$),
          '22004: a credit check needs a subject and a matter |  | ', 'a NULL subject');
SELECT is(public.regress_error($$SELECT * FROM credit.check(public.k(1), NULL)$$),
          '22004: a credit check needs a subject and a matter |  | ', 'a NULL matter');
SELECT is(public.regress_error(format($$SELECT * FROM credit.check(%s, 'ZJ-XZXK')$$, :zhangsan + 1000)),
          format('23503: subject %s is not a subject you can check |  | Check by the subject''s code (credit.uscc or credit.resident_id).', :zhangsan + 1000),
          'an unknown subject id');
RESET ROLE;
SET ROLE regress_fy;
SELECT is(public.regress_error(format($$SELECT * FROM credit.check(%s, 'ZJ-XZXK')$$, :zhangsan)),
          format('23503: subject %s is not a subject you can check |  | Check by the subject''s code (credit.uscc or credit.resident_id).', :zhangsan),
          'a person the department reads nothing about (a 授权查询 record) is refused as an unknown one');
SELECT is(public.regress_error($$SELECT * FROM credit.check('440524188001010014'::credit.resident_id, 'ZJ-XZXK')$$),
          '23503: no subject with this resident id that you can check |  | A person is known to a department through the records it sees.',
          'by resident id too');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(left(public.regress_error($$SELECT * FROM credit.check(public.k(1), 'ZJ-XZXK')$$), 5), '42501', 'the centre does not check');
RESET ROLE;

-- ------------------------------------------------------------------
-- Feedback
-- ------------------------------------------------------------------
SELECT check_id AS proc_check FROM credit.credit_check WHERE subject_id = public.k(2) AND matter_code = 'ZJ-ZFCG' \gset
SELECT check_id AS clean_check FROM credit.credit_check WHERE subject_id = public.k(6) AND purpose = '清白主体' \gset
SET ROLE regress_swj;
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '已实施')$$, :proc_check)),
          format('23503: check %s is not a check of your department |  | Only the department that made a check gives feedback on it.', :proc_check),
          'another department''s feedback is refused');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '已实施')$$, :proc_check + 100000)),
          format('23503: check %s is not a check of your department |  | Only the department that made a check gives feedback on it.', :proc_check + 100000),
          'the same as for a check that does not exist');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(left(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '已实施')$$, :proc_check)), 5), '42501',
          'the centre gives no feedback');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-28-1', '已实施')$$, :proc_check)),
          format('22023: check %s did not return measure "SD-28-1" |  | Give feedback on the measures the check returned.', :proc_check),
          'a measure the check did not return');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '未实施')$$, :proc_check)),
          '23502: a measure not applied (未实施) needs a reason |  | Give details => ''{"reason": "..."}''.',
          '未实施 without a reason');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '已处理')$$, :proc_check)),
          '22023: unknown feedback action "已处理" |  | The action is 已实施, 未实施 or 不适用.', 'an unknown action');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, NULL, '已实施')$$, :proc_check)),
          '22004: feedback needs a check, a measure and an action |  | ', 'a NULL measure');
SELECT isnt(credit.feedback(:proc_check, 'SD-30-1', '已实施', '{"decision": "不予采购", "document_no": "金采〔2026〕1号"}'), NULL,
            'the checking department records 已实施');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-30-1', '不适用')$$, :proc_check)),
          format('23505: feedback on measure "SD-30-1" of check %s is given already |  | ', :proc_check), 'once per measure');
SELECT is(public.regress_error(format($$SELECT credit.feedback(%s, 'SD-28-1', '不适用')$$, :clean_check)),
          format('22023: check %s did not return measure "SD-28-1" |  | Give feedback on the measures the check returned.', :clean_check),
          'a clean check takes no feedback');
SELECT results_eq(format($$SELECT measure_code, working_days_waiting FROM credit.check_pending_feedback WHERE check_id = %s$$, :proc_check),
                  $$VALUES ('CN-ZFCG-22'::text, 0)$$, 'the measure without feedback waits, since today');
RESET ROLE;
SET credit.legal_date = '2026-10-09';
SET ROLE regress_scjg;
SELECT results_eq(format($$SELECT working_days_waiting FROM credit.check_pending_feedback WHERE check_id = %s$$, :proc_check),
                  $$VALUES (3)$$, 'on 10-09, three working days (09-30, 10-08, 10-09: 国庆 not counted)');
SELECT isnt(credit.feedback(:proc_check, 'CN-ZFCG-22', '未实施', '{"reason": "采购已终止"}'), NULL, '未实施 with its reason');
SELECT results_eq(format($$SELECT action, reason, recorded_by::text FROM credit.check_feedback WHERE check_id = %s ORDER BY feedback_id$$, :proc_check),
                  $$VALUES ('已实施'::text, NULL::text, 'regress_scjg'::text), ('未实施', '采购已终止', 'regress_scjg')$$,
                  'the feedback rows, as the department that gave them');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
SELECT is(left(public.regress_error('UPDATE credit.check_feedback SET action = ''不适用'''), 5), '2F003', 'feedback is append-only');
SELECT is(left(public.regress_error('DELETE FROM credit.credit_check'), 5), '2F003', 'and so are checks');

-- ------------------------------------------------------------------
-- Who sees which checks
-- ------------------------------------------------------------------
SELECT is((SELECT count(*)::integer FROM credit.credit_check), 19, 'checks made: 19, the clean ones included');
SET ROLE regress_centre;
SELECT results_eq($$SELECT (SELECT count(*)::integer FROM credit.credit_check), (SELECT count(*)::integer FROM credit.check_feedback),
                           (SELECT count(*)::integer FROM credit.check_pending_feedback)$$,
                  $$VALUES (19, 2, 10)$$, 'the centre sees every check, its feedback and what waits');
SELECT set_eq($$SELECT matter_kind, month, checks::integer, checks_with_hits::integer, measures_returned::integer,
                           applied::integer, not_applied::integer, not_applicable::integer
                      FROM credit.check_stats$$,
                  $$VALUES ('招投标'::text, date '2026-09-01', 2, 2, 2, 0, 0, 0),
                           ('政府采购', date '2026-09-01', 3, 1, 2, 1, 1, 0),
                           ('行政许可', date '2026-09-01', 11, 6, 6, 0, 0, 0),
                           ('评优表彰', date '2026-09-01', 2, 2, 2, 0, 0, 0),
                           ('录用', date '2026-09-01', 1, 0, 0, 0, 0, 0)$$,
                  'the monthly figures per kind of matter: checks, with hits, measures returned, feedback by action');
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT (SELECT count(*)::integer FROM credit.credit_check), (SELECT count(*)::integer FROM credit.check_feedback),
                           (SELECT count(*)::integer FROM credit.check_pending_feedback), (SELECT count(*)::integer FROM credit.check_stats)$$,
                  $$VALUES (0, 0, 0, 0)$$, 'another department sees none of them');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.credit_check), 0, 'the portal acting for nobody sees no check');
BEGIN;
SELECT credit.act_for_subject(public.k(1));
SELECT results_eq($$SELECT matter_code FROM credit.credit_check ORDER BY check_id$$,
                  $$VALUES ('ZJ-XZXK'::text), ('ZJ-BZJL'), ('ZJ-LY'), ('ZJ-XZXK')$$,
                  'the portal acting for a subject sees the checks made about it, the clean one too');
COMMIT;
RESET ROLE;
SET ROLE regress_bank;
SELECT is(left(public.regress_error('SELECT count(*) FROM credit.credit_check'), 5), '42501', 'an authorised party reads no check');
RESET ROLE;
SET ROLE regress_nobody;
SELECT is(left(public.regress_error('SELECT count(*) FROM credit.credit_check'), 5), '42501', 'nor does an unregistered role');
RESET ROLE;

-- a broken commitment, as the department that decided the repair reads it
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit_kind, hit_id, measure FROM credit.check(public.k(7), 'ZJ-ZJFC')$$,
                  $$SELECT '信用承诺'::text, max(commitment_id), 'SD-28-2'::text FROM credit.commitment$$,
                  '违诺 of a commitment kind → its measure for 财政资金, naming the commitment (the repaired record itself triggers nothing)');
RESET ROLE;
SET ROLE regress_fy;
SELECT results_eq($$SELECT hit FROM credit.check(public.k(7), 'ZJ-ZJFC')$$, $$VALUES (false)$$,
                  'another department, which does not read that commitment, gets no hit');
RESET ROLE;
-- how credit.check writes its row (extension/credit_check.c): itself while
-- the table is as the extension made it, by an INSERT when a DBA has added
-- a trigger to it; the same row either way, and the same refusals
SET ROLE regress_scjg;
SELECT is(split_part(public.regress_error($$SELECT * FROM credit.check(public.k(6), 'ZJ-XZXK', '  ')$$), ' | ', 1),
          '23514: new row for relation "credit_check" violates check constraint "credit_check_purpose_check"',
          'a blank purpose is refused by the table''s CHECK constraint');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM credit.credit_check WHERE btrim(purpose) = ''), 0,
          'and no check row is written');
CREATE TABLE public.dba_seen (subject_id bigint, purpose text);
GRANT INSERT ON public.dba_seen TO PUBLIC;
CREATE FUNCTION public.dba_check_seen() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN INSERT INTO public.dba_seen VALUES (NEW.subject_id, NEW.purpose); RETURN NULL; END$$;
CREATE TRIGGER dba_seen AFTER INSERT ON credit.credit_check FOR EACH ROW EXECUTE FUNCTION public.dba_check_seen();
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(1), 'ZJ-BZJL', '经DBA触发器')$$,
                  $$VALUES (true, 'SD-28-3'::text)$$, 'with a DBA''s trigger on the check table, a check answers as before');
RESET ROLE;
SELECT results_eq($$SELECT subject_id, purpose FROM public.dba_seen$$, $$VALUES (public.k(1), '经DBA触发器'::text)$$,
                  'and its row goes through the DBA''s trigger');
DROP TRIGGER dba_seen ON credit.credit_check;
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(1), 'ZJ-BZJL', '无DBA触发器')$$,
                  $$VALUES (true, 'SD-28-3'::text)$$, 'the trigger dropped, a check answers the same');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM public.dba_seen), 1, 'and its row no longer goes through it');
SELECT results_eq($$SELECT checked_by::text, department_id, matter_code, subject_id, checked_on, hits
                      FROM credit.credit_check WHERE purpose = '无DBA触发器'$$,
                  $$SELECT checked_by::text, department_id, matter_code, subject_id, checked_on, hits
                      FROM credit.credit_check WHERE purpose = '经DBA触发器'$$,
                  'the row the check writes itself is the row its INSERT writes');
SELECT results_eq($$SELECT l.row_digest FROM credit.change_log l
                     WHERE l.table_name = 'credit_check' AND l.op = 'insert'
                       AND l.row_key = ARRAY[(SELECT check_id::text FROM credit.credit_check WHERE purpose = '无DBA触发器')]$$,
                  $$SELECT credit.chain_row_digest(c) FROM credit.credit_check c WHERE purpose = '无DBA触发器'$$,
                  'and it is in the change log with its digest, as the chain trigger logs a row');
SET ROLE regress_scjg;
SELECT is(left(public.regress_error($$UPDATE credit.credit_check SET purpose = 'x' WHERE purpose = '无DBA触发器'$$), 5), '42501',
          'the row the check writes itself is as append-only as any');
RESET ROLE;
-- a department without the INSERT privilege on the check table writes no
-- check row, not even through credit.check
REVOKE INSERT (subject_id, matter_code, purpose) ON credit.credit_check FROM regress_scjg;
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT * FROM credit.check(public.k(1), 'ZJ-BZJL', '无权写入')$$),
          '42501: permission denied for table credit_check |  | ',
          'a department that may not insert check rows is refused by the INSERT''s privilege check');
RESET ROLE;
GRANT INSERT (subject_id, matter_code, purpose) ON credit.credit_check TO regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.credit_check WHERE purpose = '无权写入'), 0, 'and no check row is written');

-- a black list that is not serious: no 严重失信名单 measure
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(4), 'ZJ-ZFCG')$$, $$VALUES (false, NULL::text)$$,
                  'a black list that is not serious (经营异常名录) calls for no measure of the 严重失信名单 rules');
RESET ROLE;
-- the matters' rules, kept per session (extension/check_rules.c): a rule
-- comes into force on its day, whichever day the rules were first read
SET credit.legal_date = '2027-01-04';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT measure FROM credit.check(public.k(1), 'ZJ-XZXK', '次年') WHERE measure = 'T-JY'$$,
                  $$VALUES ('T-JY'::text)$$,
                  'the rule in force from 2027-01-01 calls for its measure on 2027-01-04, the rules read on 2026-09-29');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
-- rules added, a measure ended, a matter ended: the next check follows
INSERT INTO credit.measure_rule VALUES
    ('T-LY-B', '失信记录', NULL, '录用', NULL, 'T-JY', '2026-01-01', NULL, '测试'),
    ('T-LY-A', '失信记录', NULL, '录用', NULL, 'SD-28-1', '2026-01-01', NULL, '测试');
SET ROLE regress_scjg;
SELECT results_eq($$SELECT hit_kind, hit_id, measure FROM credit.check(public.k(1), 'ZJ-LY', '新增规则')$$,
                  $$SELECT '信用记录'::text, record_id, m FROM credit.record, unnest(ARRAY['SD-28-1', 'T-JY']) m
                     WHERE decision_no = '金市监〔K〕1号' ORDER BY m$$,
                  'two rules added for 录用 (which had none): the next check calls for both measures, in the order of their codes');
RESET ROLE;
UPDATE credit.measure SET valid_until = '2026-09-28' WHERE measure_code = 'T-JY';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT measure FROM credit.check(public.k(1), 'ZJ-LY', '措施废止')$$, $$VALUES ('SD-28-1'::text)$$,
                  'a measure ended yesterday: the next check no longer calls for it');
RESET ROLE;
UPDATE credit.measure SET valid_until = NULL WHERE measure_code = 'T-JY';
UPDATE credit.matter SET valid_until = '2026-09-28' WHERE matter_code = 'T-XK1';
SET ROLE regress_scjg;
SELECT is(split_part(public.regress_error($$SELECT * FROM credit.check(public.k(4), 'T-XK1', '事项废止')$$), ' | ', 1),
          '23503: unknown matter "T-XK1"',
          'a matter ended yesterday: the next check of it is refused, though its rule would hit');
RESET ROLE;
UPDATE credit.matter SET valid_until = NULL WHERE matter_code = 'T-XK1';
-- the rules are read once for the session, the privilege to read them is
-- asked at every check: the REVOKE drops the session's rules, another
-- department's check reads them again, then this one checks
REVOKE SELECT ON credit.measure_rule FROM regress_scjg;
SET ROLE regress_swj;
SELECT results_eq($$SELECT hit, measure FROM credit.check(public.k(1), 'ZJ-BZJL', '他部门核查')$$,
                  $$VALUES (true, 'SD-28-3'::text)$$,
                  'another department, which may read the rules, checks as before');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT * FROM credit.check(public.k(1), 'ZJ-BZJL', '无权读规则')$$),
          '42501: permission denied for table measure_rule |  | ',
          'a department that may not read the rules is refused, though the session has them already');
RESET ROLE;
GRANT SELECT ON credit.measure_rule TO regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.credit_check WHERE purpose IN ('无权读规则', '事项废止')), 0,
          'and neither refused check writes a row');

-- the snapshot is compressed with lz4 where the server has it
SELECT is((SELECT attcompression::text FROM pg_attribute
            WHERE attrelid = 'credit.credit_check'::regclass AND attname = 'hits'),
          CASE WHEN public.regress_error($$CREATE TEMP TABLE lz4_probe (j jsonb COMPRESSION lz4)$$) IS NULL THEN 'l' ELSE '' END,
          'the check''s snapshot is compressed with lz4 (the server has it)');

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
