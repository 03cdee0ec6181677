-- Credit commitments (信用承诺), their whole life: the code, making one and
-- what is refused, the machine (every transition allowed and refused, by
-- whom), its deadlines and what is overdue, the 告知承诺 route
-- (commitment_eligible), a broken commitment as a trigger of credit.check,
-- the licence a broken 审批替代型 commitment flags, the repair's breach,
-- and what each role sees (public_commitment by the disclosure).  pgTAP.
-- Today is Tuesday 2026-09-29, the day before 国庆 (2026-10-01..07; the
-- Saturday 2026-10-10 is a working day).
\i sql/include/tap_setup.sql

SET credit.legal_date = '2026-09-29';
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('C.XZXK', '行政许可', '行政许可', '守信', '公开', 1);
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious) VALUES
    ('C_YZSX', '严重失信主体名单(测试)', '黑', 36, '公开', 1, true),
    ('C_JYYC', '经营异常名录(测试)', '黑', 36, '公开', 1, false);
INSERT INTO credit.matter VALUES
    ('C-SPJY', '食品经营许可', '行政许可', 1, true, '2026-01-01', NULL, '测试'),
    ('C-OLD', '已废止事项', '行政许可', 1, false, '2020-01-01', '2025-12-31', '测试');
INSERT INTO credit.measure_rule VALUES
    ('C-WN-XK', '违诺', NULL, '行政许可', NULL, 'SD-28-1', '2026-01-01', NULL, '测试');
-- subjects 1..6 (organisations) and a natural person
INSERT INTO credit.subject (kind, uscc, name)
SELECT '企业法人', credit.uscc_complete('91330702MA2C0' || lpad(n::text, 3, '0') || '1'), '承诺测试' || n || '有限公司'
  FROM generate_series(1, 6) AS n;
CREATE FUNCTION public.s(n integer) RETURNS bigint LANGUAGE sql
    RETURN (SELECT subject_id FROM credit.subject WHERE uscc = credit.uscc_complete('91330702MA2C0' || lpad(n::text, 3, '0') || '1'));
INSERT INTO credit.subject (kind, resident_id, name) VALUES ('自然人', '11010519491231002X', '王五');
SELECT subject_id AS person FROM credit.subject WHERE resident_id = '11010519491231002X' \gset
-- the code of a commitment, by its content (each test's content is its own)
CREATE FUNCTION public.cm(what text) RETURNS text LANGUAGE sql
    RETURN (SELECT code FROM credit.commitment WHERE content = what);
CREATE FUNCTION public.cid(what text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT commitment_id FROM credit.commitment WHERE content = what);
GRANT EXECUTE ON FUNCTION public.cm(text), public.cid(text), public.s(integer) TO PUBLIC;
-- subject 2 on the serious list, subject 3 on a list that is not serious
SET ROLE regress_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on) VALUES
    ('C_YZSX', public.s(2), '严重失信', credit.legal_date() - 30),
    ('C_JYYC', public.s(3), '经营异常', credit.legal_date() - 30);
-- the licence SCJG granted subject 1 on its 审批替代型 commitment, and one of subject 4
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, licence_name, valid_from, authority_name)
SELECT 'C.XZXK', '企业法人', '承诺测试' || n || '有限公司', credit.uscc_complete('91330702MA2C0' || lpad(n::text, 3, '0') || '1'),
       '金市监许〔C〕' || n || '号', credit.legal_date(), '准予许可决定书', '普通', 'JY' || n, '食品经营许可证', credit.legal_date(),
       '金华市市场监督管理局'
  FROM unnest(ARRAY[1, 4]) AS n;
RESET ROLE;
SELECT record_id AS licence1 FROM credit.record WHERE decision_no = '金市监许〔C〕1号' \gset
SELECT record_id AS licence4 FROM credit.record WHERE decision_no = '金市监许〔C〕4号' \gset

SELECT plan(138);

-- ------------------------------------------------------------------
-- Making a commitment: the code is division + date + serial
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(credit.make_commitment(public.s(1), '审批替代型', 'C-SPJY', '承诺一: 符合食品经营许可条件', '虚假承诺的, 撤销许可并依法处罚',
                                 '2027-09-28', '可向社会公开', '食品经营许可申请', check_due => '2026-10-30'),
          '33070020260929000001',
          'SCJG (统一社会信用代码 11330700…: division 330700) makes the first commitment of the day: 330700 20260929 000001');
SELECT is(credit.make_commitment(public.s(1), '证明事项型', 'C-SPJY', '承诺二: 无犯罪记录', '虚假承诺的, 终止办理并依法处理',
                                 NULL, '特定范围内公开', check_exempt => true),
          '33070020260929000002', 'the second of the day and division: serial 000002');
SELECT is(credit.make_commitment(public.s(4), '容缺受理型', 'C-SPJY', '承诺三: 十个工作日内补齐材料', '逾期未补齐的, 终止办理',
                                 '2026-12-31', '不可公开', check_due => '2026-10-15'),
          '33070020260929000003', 'a 不可公开 one is numbered in the same series');
SELECT results_eq($$SELECT kind, matter_code, department_id, made_on, valid_until, check_due, check_exempt, state, performance,
                           reason, disclosure
                      FROM credit.commitment WHERE code = '33070020260929000001'$$,
                  $$VALUES ('审批替代型'::text, 'C-SPJY'::text, 1, date '2026-09-29', date '2027-09-28', date '2026-10-30', false,
                            '已作出'::text, NULL::text, '食品经营许可申请'::text, '可向社会公开'::text)$$,
                  'it is stored as made: accepted by SCJG today, 已作出, not assessed');
RESET ROLE;
SET ROLE regress_fy;
SELECT is(credit.make_commitment(public.s(5), '行业自律型', NULL, '承诺四: 遵守行业自律公约', '违反的, 接受行业惩戒', NULL,
                                 '特定范围内公开', check_exempt => true),
          '00000020260929000001', 'a department without a registered 统一社会信用代码 numbers in division 000000');
RESET ROLE;
SET ROLE regress_centre;
SELECT is(credit.make_commitment(public.s(5), '主动型', NULL, '承诺五: 主动公开经营承诺', '违反的, 记入信用记录', NULL,
                                 '可向社会公开', check_exempt => true),
          '00000020260929000002', 'the centre accepts as itself (no department): division 000000, the next serial');
SELECT is((SELECT department_id FROM credit.commitment WHERE code = '00000020260929000002'), NULL::integer,
          'a commitment the centre accepts has no department');
RESET ROLE;
SET credit.legal_date = '2026-09-30';
SET ROLE regress_scjg;
SELECT is(credit.make_commitment(public.s(6), '其他', NULL, '承诺六: 次日承诺', '违反的, 依法处理', NULL, '特定范围内公开',
                                 check_due => '2026-10-09'),
          '33070020260930000001', 'a new day starts a new serial');
RESET ROLE;
SET credit.legal_date = '2026-09-29';

-- ------------------------------------------------------------------
-- Bad input: a clear error, nothing stored
-- ------------------------------------------------------------------
SELECT count(*) AS made FROM credit.commitment \gset
SET ROLE regress_scjg;
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '保证型', NULL, '坏', '责任', NULL, '不可公开', check_exempt => true)$$),
          '22023: unknown commitment kind "保证型" |  | The kind is one of 审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他.',
          'an unknown kind is refused, naming the kinds');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', NULL, '坏', '责任', NULL, '公开', check_exempt => true)$$),
          '22023: unknown disclosure "公开" of a commitment |  | The disclosure is 可向社会公开, 特定范围内公开 or 不可公开.',
          'an unknown disclosure is refused, naming the three');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', NULL, '  ', '责任', NULL, '不可公开', check_exempt => true)$$),
          '23502: a commitment needs its content |  | ', 'a blank content is refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '审批替代型', 'C-SPJY', '坏', NULL, NULL, '不可公开', check_exempt => true)$$),
          '23502: a 审批替代型 commitment needs the liability for a breach |  | Give the 违诺责任 the subject accepts.',
          'a commitment without the liability for a breach is refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', NULL, '坏', '责任', NULL, '不可公开')$$),
          '23502: a 其他 commitment needs a check plan |  | Give check_due (the date the check starts by) or check_exempt => true.',
          'a commitment without a check plan is refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', NULL, '坏', '责任', NULL, '不可公开', NULL, '2026-10-30', true)$$),
          '23514: a commitment has a check date or is exempt from checks, not both |  | ',
          'a check date and an exemption together are refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', NULL, '坏', '责任', '2026-09-28', '不可公开', check_exempt => true)$$),
          '23514: a commitment made on 2026-09-29 cannot end or be checked before it | valid_until 2026-09-28, check_due none. | ',
          'a validity ending before today is refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', 'C-NONE', '坏', '责任', NULL, '不可公开', check_exempt => true)$$),
          '23503: unknown matter "C-NONE" |  | Name a matter of credit.matter in force today.', 'an unknown matter is refused');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '其他', 'C-OLD', '坏', '责任', NULL, '不可公开', check_exempt => true)$$),
          '23503: unknown matter "C-OLD" |  | Name a matter of credit.matter in force today.', 'so is a matter no longer in force');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '审批替代型', NULL, '坏', '责任', NULL, '不可公开', check_exempt => true)$$),
          '23502: a 审批替代型 commitment is made for a matter |  | Name the matter of credit.matter it stands for.',
          'a 告知承诺 kind without its matter is refused');
SELECT is(public.regress_error(format($$SELECT credit.make_commitment(%s, '主动型', NULL, '坏', '责任', NULL, '可向社会公开', check_exempt => true)$$, :person)),
          '23514: a natural person''s commitment is not published (可向社会公开) | A natural person''s information is never public without a recorded legal basis. | Make it 特定范围内公开 or 不可公开.',
          'a natural person''s commitment is never 可向社会公开');
SELECT is(public.regress_error($$INSERT INTO credit.commitment (subject_id, kind, content, liability, disclosure, check_exempt, department_id)
                                 VALUES (public.s(1), '其他', '坏', '责任', '不可公开', true, 2)$$),
          '42501: a department accepts commitments as itself |  | Leave department_id out: it is yours.',
          'a department cannot make a commitment in another''s name');
SELECT is(public.regress_error($$SELECT credit.new_commitment_code(1, 1, '不可公开')$$),
          '42501: credit.new_commitment_code() is called only by the insert trigger of credit.commitment |  | Make a commitment with credit.make_commitment().',
          'the code generator is not called directly (it would read every commitment)');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(1), '主动型', NULL, '坏', '责任', NULL, '不可公开', check_exempt => true)$$),
          '42501: the portal makes commitments only for the subject it acts for |  | Call credit.act_for_subject(subject_id) in the transaction first.',
          'the portal makes no commitment for a subject it does not act for');
RESET ROLE;
SET ROLE regress_bank;
SELECT is(left(public.regress_error($$SELECT count(*) FROM credit.commitment$$), 5), '42501', 'an authorised party does not read the table');
RESET ROLE;
SELECT is((SELECT count(*) FROM credit.commitment), :made::bigint, 'nothing refused was stored');
SELECT is(public.regress_error($$UPDATE credit.commitment SET content = '改写' WHERE code = '33070020260929000001'$$),
          '2F003: commitments are not changed in place | Column "content" cannot change. | '
          'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
          'the content never changes, not even for the owner');
SELECT is(public.regress_error($$UPDATE credit.commitment SET state = '已履行' WHERE code = '33070020260929000001'$$),
          '2F003: column "state" of 信用承诺 ' || public.cid('承诺一: 符合食品经营许可条件') || ' belongs to the commitment machine | 信用承诺 '
          || public.cid('承诺一: 符合食品经营许可条件') || ' is in state "已作出". | Move it with credit.transition(''commitment'', '
          || public.cid('承诺一: 符合食品经营许可条件') || ', <state>, <reason>); from "已作出": "已履行" (认定全部履行: 部门/信用中心), '
          '"已撤回" (撤回承诺: 信用网站/部门/信用中心, 须说明原因), "已期满" (期满: 系统), '
          '"未履行" (认定全部未履行: 部门/信用中心, 须说明原因), "核查中" (开始核查: 部门/信用中心), "部分履行" (认定部分履行: 部门/信用中心, 须说明原因).',
          'the state moves only through the machine, whose transitions the message lists');
SELECT is(left(public.regress_error($$DELETE FROM credit.commitment WHERE code = '33070020260929000001'$$), 5), '2F003',
          'a commitment is never deleted');

-- ------------------------------------------------------------------
-- The 告知承诺 route: lost on a serious list, or with a broken commitment
-- not repaired
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(credit.commitment_eligible(public.s(1), 'C-SPJY'), true, 'a subject with nothing against it is eligible');
SELECT is(credit.commitment_eligible(public.s(2), 'C-SPJY'), false, 'a subject on a serious black list is not');
SELECT is(credit.commitment_eligible(public.s(3), 'C-SPJY'), true, 'a list that is not serious does not take the route away');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(2), '审批替代型', 'C-SPJY', '承诺: 名单上', '责任', NULL, '不可公开', check_exempt => true)$$),
          '55000: subject ' || public.s(2) || ' cannot use the 告知承诺 route | It is on a serious black list, or has a broken commitment not repaired. | Handle the matter with the full materials.',
          'so its 审批替代型 commitment is refused');
SELECT isnt(credit.make_commitment(public.s(2), '主动型', NULL, '承诺七: 名单上的主动承诺', '违反的, 依法处理', NULL, '特定范围内公开',
                                   check_exempt => true), NULL,
            'a 主动型 commitment is not the 告知承诺 route: made');
SELECT is(public.regress_error($$SELECT credit.commitment_eligible(public.s(1), 'C-NONE')$$),
          '23503: unknown matter "C-NONE" |  | Name a matter of credit.matter in force today.', 'eligibility for an unknown matter is an error');
SELECT is(public.regress_error($$SELECT credit.commitment_eligible(NULL, 'C-SPJY')$$),
          '22004: commitment_eligible needs a subject |  | ', 'and for no subject');
RESET ROLE;

-- ------------------------------------------------------------------
-- The machine: check, assess, pursue liability, repair
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(credit.transition('commitment', public.cid('承诺一: 符合食品经营许可条件'), '核查中'), 1::bigint, 'the accepting department starts the check');
SELECT is((SELECT check_deadline FROM credit.commitment WHERE content = '承诺一: 符合食品经营许可条件'), date '2026-11-02',
          'the check ends in 20 working days (09-30, 10-08, 10-09, the 调休 Saturday 10-10, then to 11-02)');
SELECT is(public.regress_error(format($$SELECT credit.transition('commitment', %s, '已作出')$$, public.cid('承诺一: 符合食品经营许可条件'))),
          format('55000: cannot move 信用承诺 %s from "核查中" to "已作出" | Allowed from "核查中": "已履行" (认定全部履行: 部门/信用中心), '
                 '"未履行" (认定全部未履行: 部门/信用中心, 须说明原因), "部分履行" (认定部分履行: 部门/信用中心, 须说明原因). | ',
                 public.cid('承诺一: 符合食品经营许可条件')),
          'a check does not go back to 已作出');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260929000001', '部分履行')$$),
          '23502: a commitment 部分履行 needs what was not performed |  | Give details => ''{"unfulfilled": "..."}''.',
          'a breach needs what was not performed');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260929000001', '已履行')$$),
          '22023: unknown performance "已履行" |  | The performance is 全部履行, 部分履行 or 全部未履行.',
          'the performance is one of the three national terms');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260929000001', '全部履行', '["x"]')$$),
          '22023: assessment details must be a json object |  | ', 'details are an object');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('99999920260929000001', '全部履行')$$),
          'P0002: no commitment with code 99999920260929000001 that you can see |  | ', 'an unknown code is refused');
SELECT lives_ok($$SELECT credit.link_commitment_licence('33070020260929000001', $$ || :licence1 || $$)$$,
                'SCJG names the licence the 审批替代型 commitment enabled');
SELECT is(public.regress_error($$SELECT credit.link_commitment_licence('33070020260929000001', $$ || :licence1 || $$)$$),
          '55000: commitment 33070020260929000001 is not one of yours without a licence |  | The accepting department names the licence once.',
          'once');
SELECT is(public.regress_error($$SELECT credit.link_commitment_licence('33070020260929000002', $$ || :licence1 || $$)$$),
          '22023: only a 审批替代型 commitment enables a licence | Commitment 33070020260929000002 is 证明事项型. | ',
          'only a 审批替代型 commitment enables a licence');
SELECT is(public.regress_error($$SELECT credit.link_commitment_licence('33070020260929000003', $$ || :licence4 || $$)$$),
          '22023: only a 审批替代型 commitment enables a licence | Commitment 33070020260929000003 is 容缺受理型. | ',
          'a 容缺受理型 one does not either');
SELECT lives_ok($$SELECT credit.assess_commitment('33070020260929000001', '部分履行', '{"unfulfilled": "未按承诺配备冷藏设施", "basis": "现场核查"}')$$,
                'the department finds it partly fulfilled');
SELECT results_eq($$SELECT state, performance, assessed_on, assessed_department_id, unfulfilled, broken_reason, broken_at IS NOT NULL,
                           liability_deadline, licence_flagged_on
                      FROM credit.commitment WHERE code = '33070020260929000001'$$,
                  $$VALUES ('部分履行'::text, '部分履行'::text, date '2026-09-29', 1, '未按承诺配备冷藏设施'::text,
                            '未按承诺配备冷藏设施'::text, true, date '2026-11-02', date '2026-09-29')$$,
                  '部分履行: a breach found today by SCJG, liability to pursue within 20 working days, the licence flagged');
SELECT results_eq($$SELECT code, licence_record_id, licence_no, licence_department_id, licence_flagged_on FROM credit.commitment_licence_flag$$,
                  $$VALUES ('33070020260929000001'::text, $$ || :licence1 || $$::bigint, 'JY1'::text, 1, date '2026-09-29')$$,
                  'SCJG sees the licence the broken 审批替代型 commitment enabled flagged (the revocation is its own new record)');
SELECT is(public.regress_error(format($$SELECT credit.transition('commitment', %s, '违诺处理')$$, public.cid('承诺一: 符合食品经营许可条件'))),
          format('23502: moving 信用承诺 %s from "部分履行" to "违诺处理" needs a reason | The transition "追究违诺责任" needs a reason. | '
                 'Give the reason as the fourth argument of credit.transition().', public.cid('承诺一: 符合食品经营许可条件')),
          'pursuing liability needs a reason');
SELECT is(public.regress_error(format($$SELECT credit.transition('commitment', %s, '已修复', '已整改')$$, public.cid('承诺一: 符合食品经营许可条件'))),
          format('55000: cannot move 信用承诺 %s from "部分履行" to "已修复" | Allowed from "部分履行": "违诺处理" (追究违诺责任: 部门/信用中心, 须说明原因). | ',
                 public.cid('承诺一: 符合食品经营许可条件')),
          'a breach is repaired only after its liability is pursued');
RESET ROLE;
SET ROLE regress_swj;
SELECT is(public.regress_error(format($$SELECT credit.transition('commitment', %s, '违诺处理', '越权')$$, public.cid('承诺一: 符合食品经营许可条件'))),
          'P0002: 1 of the 1 objects of machine "commitment" to move to "违诺处理" do not exist or are not yours to move | Not found: 1; nothing moved. | Check the ids; row security hides what your role may not see.',
          'another department reads the commitment (可向社会公开) but cannot move it');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260929000003', '全部履行')$$),
          'P0002: no commitment with code 33070020260929000003 that you can see |  | ',
          'and does not even see SCJG''s 不可公开 commitment');
SELECT is_empty($$SELECT * FROM credit.commitment_licence_flag$$, 'the licence flag is for the licence''s department: SWJ sees none');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(left(public.regress_error(format($$SELECT credit.transition('commitment', %s, '违诺处理', '代理')$$, public.cid('承诺一: 符合食品经营许可条件'))), 5),
          'P0002', 'the portal, acting for nobody, does not move commitments (it moves none it does not act for)');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(credit.transition('commitment', public.cid('承诺一: 符合食品经营许可条件'), '违诺处理', '责令限期整改',
                            '{"liability_pursued": "责令限期整改, 暂停许可"}'), 1::bigint, 'SCJG pursues the liability');
SELECT results_eq($$SELECT state, liability_pursued, state_reason FROM credit.commitment WHERE code = '33070020260929000001'$$,
                  $$VALUES ('违诺处理'::text, '责令限期整改, 暂停许可'::text, '责令限期整改'::text)$$,
                  'how the liability was pursued is kept');
RESET ROLE;

-- the same breach as a trigger of the joint measures, for any department
-- that reads the commitment (可向社会公开), until it is repaired
SET ROLE regress_swj;
SELECT results_eq($$SELECT hit_kind, hit_id, measure FROM credit.check(public.s(1), 'ZJ-XZXK', '许可申请')$$,
                  $$SELECT '信用承诺'::text, public.cid('承诺一: 符合食品经营许可条件'), 'SD-28-1'::text$$,
                  '违诺 of a 审批替代型 commitment → the measure for a 行政许可, for SWJ too');
SELECT is(credit.commitment_eligible(public.s(1), 'C-SPJY'), false, 'the broken commitment takes the 告知承诺 route away');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is(credit.transition('commitment', public.cid('承诺一: 符合食品经营许可条件'), '已修复', '整改完成, 信用修复'), 1::bigint,
          'the breach is repaired');
SELECT is(public.regress_error(format($$SELECT credit.transition('commitment', %s, '违诺处理', '再次')$$, public.cid('承诺一: 符合食品经营许可条件'))),
          format('55000: cannot move 信用承诺 %s from "已修复" to "违诺处理" | Allowed from "已修复": (nothing: terminal state). | ',
                 public.cid('承诺一: 符合食品经营许可条件')),
          '已修复 is terminal');
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT hit FROM credit.check(public.s(1), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'a repaired breach calls for no measure');
SELECT is(credit.commitment_eligible(public.s(1), 'C-SPJY'), true, 'and the route is open again');
RESET ROLE;

-- 全部未履行 of a 不可公开 commitment: a trigger only where it is read
SET ROLE regress_scjg;
SELECT lives_ok($$SELECT credit.assess_commitment('33070020260929000003', '全部未履行', '{"unfulfilled": "逾期未补齐材料"}')$$,
                'SCJG finds its 容缺受理型 commitment not fulfilled');
SELECT results_eq($$SELECT state, performance FROM credit.commitment WHERE code = '33070020260929000003'$$,
                  $$VALUES ('未履行'::text, '全部未履行'::text)$$, '全部未履行 → 未履行');
SELECT results_eq($$SELECT hit_kind, hit_id FROM credit.check(public.s(4), 'ZJ-XZXK')$$,
                  $$SELECT '信用承诺'::text, public.cid('承诺三: 十个工作日内补齐材料')$$, 'SCJG''s check sees its breach');
SELECT is(credit.commitment_eligible(public.s(4), 'C-SPJY'), false, 'and SCJG finds the route lost');
SELECT is_empty($$SELECT * FROM credit.commitment_licence_flag WHERE code = '33070020260929000003'$$,
                'a breach of a commitment that is not 审批替代型 flags no licence');
RESET ROLE;
SET ROLE regress_swj;
SELECT results_eq($$SELECT hit FROM credit.check(public.s(4), 'ZJ-XZXK')$$, $$VALUES (false)$$,
                  'SWJ, which may not read the 不可公开 commitment, gets no hit');
SELECT is(credit.commitment_eligible(public.s(4), 'C-SPJY'), true, 'nor learns of it from the eligibility');
RESET ROLE;

-- 全部履行 straight from 已作出, by the centre; and the terminal state
SET ROLE regress_centre;
SELECT lives_ok($$SELECT credit.assess_commitment('33070020260930000001', '全部履行')$$, 'the centre finds a commitment fulfilled');
SELECT results_eq($$SELECT state, performance, assessed_department_id, broken_at FROM credit.commitment WHERE code = '33070020260930000001'$$,
                  $$VALUES ('已履行'::text, '全部履行'::text, NULL::integer, NULL::timestamptz)$$,
                  '已履行: 全部履行, found by the centre, no breach');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260930000001', '全部未履行', '{"unfulfilled": "事后发现"}')$$),
          format('55000: cannot move 信用承诺 %s from "已履行" to "未履行" | Allowed from "已履行": (nothing: terminal state). | ',
                 public.cid('承诺六: 次日承诺')),
          '已履行 is terminal');
RESET ROLE;

-- every transition of the machine, who may make it (the rows, as
-- docs/commitments.md lists them)
SELECT set_eq($$SELECT from_state, to_state, action, party_kinds::text[], by_engine, reason_required
                  FROM credit.machine_transition WHERE machine = 'commitment'$$,
              $$VALUES ('已作出', '核查中', '开始核查', '{部门,信用中心}'::text[], false, false),
                       ('已作出', '已履行', '认定全部履行', '{部门,信用中心}', false, false),
                       ('已作出', '部分履行', '认定部分履行', '{部门,信用中心}', false, true),
                       ('已作出', '未履行', '认定全部未履行', '{部门,信用中心}', false, true),
                       ('核查中', '已履行', '认定全部履行', '{部门,信用中心}', false, false),
                       ('核查中', '部分履行', '认定部分履行', '{部门,信用中心}', false, true),
                       ('核查中', '未履行', '认定全部未履行', '{部门,信用中心}', false, true),
                       ('部分履行', '违诺处理', '追究违诺责任', '{部门,信用中心}', false, true),
                       ('未履行', '违诺处理', '追究违诺责任', '{部门,信用中心}', false, true),
                       ('违诺处理', '已修复', '违诺信息修复', '{部门,信用中心}', false, true),
                       ('已作出', '已撤回', '撤回承诺', '{信用网站,部门,信用中心}', false, true),
                       ('已作出', '已期满', '期满', '{}', true, false)$$,
              'the commitment machine''s transitions: made, checked, assessed, liability pursued, repaired; withdrawn; ended by the engine');
SELECT results_eq($$SELECT from_state, to_state, party_kind::text, reason FROM credit.workflow_event
                     WHERE machine = 'commitment' AND object_id = public.cid('承诺一: 符合食品经营许可条件') ORDER BY event_id$$,
                  $$VALUES ('已作出'::text, '核查中'::text, '部门'::text, NULL::text),
                           ('核查中', '部分履行', '部门', '未按承诺配备冷藏设施'),
                           ('部分履行', '违诺处理', '部门', '责令限期整改'),
                           ('违诺处理', '已修复', '部门', '整改完成, 信用修复')$$,
                  'every transition left an event');

-- ------------------------------------------------------------------
-- A repair's breach is the machine's 未履行 path
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT isnt(credit.make_commitment(public.s(6), '信用修复型', NULL, '承诺八: 信用修复承诺', NULL, NULL, '特定范围内公开'), NULL,
            'a 信用修复型 commitment needs no check plan, and takes the template''s liability');
SELECT is((SELECT liability FROM credit.commitment WHERE content = '承诺八: 信用修复承诺'),
          '违反承诺的, 相关失信信息按最长公示期向社会公示, 并依法依规承担相应责任', 'the repair template''s liability');
SELECT lives_ok($$SELECT credit.record_commitment_breach(public.cid('承诺八: 信用修复承诺'), '再次违法')$$, 'a breach is recorded');
SELECT results_eq($$SELECT state, performance, broken_reason, unfulfilled FROM credit.commitment WHERE content = '承诺八: 信用修复承诺'$$,
                  $$VALUES ('未履行'::text, '全部未履行'::text, '再次违法'::text, '再次违法'::text)$$,
                  'record_commitment_breach moves it to 未履行 (全部未履行)');
SELECT is(public.regress_error($$SELECT credit.record_commitment_breach(public.cid('承诺八: 信用修复承诺'), '第二次')$$),
          '55000: commitment ' || public.cid('承诺八: 信用修复承诺') || ' is not an unbroken commitment you can see |  | ',
          'a breach is recorded once');
SELECT is(public.regress_error($$SELECT credit.record_commitment_breach(public.cid('承诺八: 信用修复承诺'), ' ')$$),
          '23502: a breach needs a description |  | ', 'with a description');
RESET ROLE;

-- ------------------------------------------------------------------
-- Deadlines: what is overdue
-- ------------------------------------------------------------------
SET credit.legal_date = '2026-11-20';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT object_id, state, deadline_kind, deadline, working_days_late FROM credit.workflow_overdue
                     WHERE machine = 'commitment' ORDER BY object_id, deadline_kind$$,
                  $$VALUES (public.cid('承诺三: 十个工作日内补齐材料'), '未履行'::text, 'liability_deadline'::text, date '2026-11-02', 14),
                           (public.cid('承诺八: 信用修复承诺'), '未履行', 'liability_deadline', date '2026-11-02', 14)$$,
                  'on 11-20 SCJG''s breaches are 14 working days past their liability deadline (11-02); its exempt and concluded ones are not late');
RESET ROLE;
SET ROLE regress_swj;
SELECT is_empty($$SELECT * FROM credit.workflow_overdue WHERE machine = 'commitment'$$,
                'SWJ sees no other department''s overdue commitments');
RESET ROLE;
SET ROLE regress_centre;
SELECT results_eq($$SELECT department_id, deadline_kind, overdue FROM credit.workflow_overdue_by_department
                     WHERE machine = 'commitment' ORDER BY 1, 2$$,
                  $$VALUES (1, 'liability_deadline'::text, 2::bigint)$$,
                  'the centre sees them all, by department');
RESET ROLE;
SET credit.legal_date = '2026-10-16';
SET ROLE regress_scjg;
SELECT is(credit.make_commitment(public.s(3), '证明事项型', 'C-SPJY', '承诺九: 已缴清社保', '虚假的, 撤销', NULL, '不可公开',
                                 check_due => '2026-10-19'), '33070020261016000001', 'a commitment to be checked by 10-19');
RESET ROLE;
SET credit.legal_date = '2026-10-22';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT state, deadline_kind, deadline, working_days_late FROM credit.workflow_overdue
                     WHERE object_id = public.cid('承诺九: 已缴清社保') AND machine = 'commitment'$$,
                  $$VALUES ('已作出'::text, 'check_due'::text, date '2026-10-19', 3)$$,
                  'its check not started on 10-22: check_due 3 working days late');
SELECT lives_ok($$SELECT credit.transition('commitment', public.cid('承诺九: 已缴清社保'), '核查中')$$, 'the check starts');
SELECT is_empty($$SELECT * FROM credit.workflow_overdue WHERE object_id = public.cid('承诺九: 已缴清社保') AND machine = 'commitment'$$,
                'and nothing of it is late (check deadline 20 working days on)');
RESET ROLE;
SET credit.legal_date = '2026-12-31';
SET ROLE regress_scjg;
SELECT results_eq($$SELECT deadline_kind, deadline FROM credit.workflow_overdue WHERE object_id = public.cid('承诺九: 已缴清社保') AND machine = 'commitment'$$,
                  $$VALUES ('check_deadline'::text, date '2026-11-19')$$,
                  'by 12-31 the check is past its deadline (10-22 + 20 working days: 11-19)');
RESET ROLE;
SET credit.legal_date = '2026-09-29';

-- ------------------------------------------------------------------
-- What each role sees, by the disclosure
-- ------------------------------------------------------------------
-- 可向社会公开: 承诺一 (a breach, repaired; valid to 2027-09-28), 承诺五
-- 特定范围内公开: 承诺二, 承诺四 (FY's), 承诺六, 承诺七, 承诺八
-- 不可公开: 承诺三 and 承诺九 (SCJG's)
SET ROLE regress_bank;
SELECT set_eq($$SELECT code FROM credit.public_commitment$$, ARRAY['33070020260929000001', '00000020260929000002'],
              'the public (an authorised party) sees the 可向社会公开 commitments in public_commitment');
RESET ROLE;
SET ROLE regress_portal;
SELECT set_eq($$SELECT code FROM credit.public_commitment$$, ARRAY['33070020260929000001', '00000020260929000002'],
              'so does the portal');
SELECT set_eq($$SELECT code FROM credit.commitment$$, ARRAY['33070020260929000001', '00000020260929000002'],
              'and in the table too: nothing else');
BEGIN;
SELECT credit.act_for_subject(public.s(4));
SELECT set_eq($$SELECT code FROM credit.public_commitment$$,
              ARRAY['33070020260929000001', '00000020260929000002', '33070020260929000003'],
              'acting for subject 4, the portal sees its 不可公开 commitment too');
COMMIT;
RESET ROLE;
SET ROLE regress_swj;
SELECT set_eq($$SELECT content FROM credit.commitment$$,
              ARRAY['承诺一: 符合食品经营许可条件', '承诺二: 无犯罪记录', '承诺四: 遵守行业自律公约', '承诺五: 主动公开经营承诺',
                    '承诺六: 次日承诺', '承诺七: 名单上的主动承诺', '承诺八: 信用修复承诺'],
              'a department (SWJ) reads the 可向社会公开 and 特定范围内公开 commitments, not SCJG''s 不可公开 ones');
SELECT set_eq($$SELECT code FROM credit.public_commitment$$, ARRAY['33070020260929000001', '00000020260929000002'],
              'and in public_commitment what the public sees');
RESET ROLE;
SET ROLE regress_scjg;
SELECT set_eq($$SELECT content FROM credit.commitment WHERE disclosure = '不可公开'$$,
              ARRAY['承诺三: 十个工作日内补齐材料', '承诺九: 已缴清社保'], 'SCJG reads its own 不可公开 ones');
SELECT cmp_ok((SELECT count(*) FROM credit.workflow_event WHERE machine = 'commitment'), '>=', 8::bigint,
              'and the events of the commitments it accepted');
RESET ROLE;
SET ROLE regress_fy;
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'commitment'), 0,
          'FY reads no event of commitments it did not accept');
RESET ROLE;
SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM credit.commitment), 9, 'the centre reads every commitment');
RESET ROLE;
-- the public's period: a valid one until its end; a breach 5 years from
-- the day it was found
SET credit.legal_date = '2027-09-29';
SET ROLE regress_bank;
SELECT set_eq($$SELECT code FROM credit.public_commitment$$, ARRAY['00000020260929000002'],
              'past its validity (2027-09-28) a commitment leaves public view; one without an end stays');
RESET ROLE;
SET credit.legal_date = '2026-09-29';
SET ROLE regress_centre;
SELECT is(credit.make_commitment(public.s(5), '主动型', NULL, '承诺十: 公开后违诺', '违反的, 依法处理', '2026-10-31', '可向社会公开',
                                 check_exempt => true), '00000020260929000003', 'a public commitment valid for a month');
SELECT lives_ok($$SELECT credit.assess_commitment('00000020260929000003', '全部未履行', '{"unfulfilled": "未履行承诺"}')$$, 'broken today');
RESET ROLE;
SET credit.legal_date = '2031-09-28';
SET ROLE regress_bank;
SELECT ok('00000020260929000003' = ANY (ARRAY(SELECT code FROM credit.public_commitment)),
          'a broken public commitment stays public until 5 years from the breach (2031-09-28 still)');
RESET ROLE;
SET credit.legal_date = '2031-09-29';
SET ROLE regress_bank;
SELECT ok(NOT '00000020260929000003' = ANY (ARRAY(SELECT code FROM credit.public_commitment)),
          'and leaves it on 2031-09-29');
RESET ROLE;
SET credit.legal_date = '2026-09-29';

-- ------------------------------------------------------------------
-- A subject's own 主动型 commitment through the portal, and withdrawal
-- (深圳 §61: before the matter is concluded)
-- ------------------------------------------------------------------
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.s(6));
SELECT is(credit.make_commitment(public.s(6), '主动型', NULL, '承诺十一: 网站主动承诺', '违反的, 记入信用记录', '2027-09-28',
                                 '可向社会公开', '主动公开'),
          '00000020260929000004', 'acting for subject 6, the portal makes its 主动型 commitment: accepted by the centre, division 000000');
SELECT results_eq($$SELECT kind, department_id, check_due, check_exempt, state FROM credit.commitment WHERE content = '承诺十一: 网站主动承诺'$$,
                  $$VALUES ('主动型'::text, NULL::integer, NULL::date, true, '已作出'::text)$$,
                  'it has no accepting department and no planned check (exempt)');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(6), '审批替代型', 'C-SPJY', '坏', '责任', NULL, '不可公开')$$),
          '42501: a subject makes only a 主动型 commitment through the portal | A 审批替代型 commitment is accepted by the department handling its matter. | Make it 主动型, or make it at the accepting department.',
          'any other kind is refused through the portal');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(5), '主动型', NULL, '坏', '责任', NULL, '不可公开')$$),
          '42501: the portal makes commitments only for the subject it acts for |  | Call credit.act_for_subject(subject_id) in the transaction first.',
          'nor for another subject than the one it acts for');
SELECT is(public.regress_error($$SELECT credit.make_commitment(public.s(6), '主动型', NULL, '坏', '责任', NULL, '不可公开', check_due => '2026-10-30')$$),
          '42501: a commitment made through the portal names no department and no check date |  | Leave department_id and check_due out: the centre accepts it, without a planned check.',
          'nor with a check date of its own choosing');
SELECT is(left(public.regress_error($$INSERT INTO credit.commitment (subject_id, kind, content, liability, disclosure, department_id)
                                      VALUES (public.s(6), '主动型', '坏', '责任', '不可公开', 1)$$), 5),
          '42501', 'nor in a department''s name');
SELECT is((SELECT count(*)::integer FROM credit.commitment WHERE subject_id = public.s(6) AND content = '坏'), 0, 'nothing refused was stored');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment('00000020260929000004', ' ')$$),
          '23502: a withdrawal needs its reason |  | Say why the subject withdraws the commitment.', 'a withdrawal needs its reason');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment('33070020260929000003', '不再申请')$$),
          'P0002: no commitment with code 33070020260929000003 that you can see |  | ',
          'the portal does not withdraw another subject''s commitment (it does not see it)');
SELECT lives_ok($$SELECT credit.withdraw_commitment('00000020260929000004', '经营计划调整')$$,
                'the subject withdraws its own commitment through the portal');
SELECT results_eq($$SELECT state, state_reason FROM credit.commitment WHERE code = '00000020260929000004'$$,
                  $$VALUES ('已撤回'::text, '经营计划调整'::text)$$, 'it is 已撤回, with the reason');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'commitment' AND object_id = public.cid('承诺十一: 网站主动承诺')
              AND from_state = '已作出' AND to_state = '已撤回'), 1, 'with its event');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment('00000020260929000004', '再撤一次')$$),
          '55000: cannot move 信用承诺 ' || public.cid('承诺十一: 网站主动承诺') || ' from "已撤回" to "已撤回" | Allowed from "已撤回": (nothing: terminal state). | ',
          'a withdrawn commitment is final');
COMMIT;
SELECT ok(NOT '00000020260929000004' = ANY (ARRAY(SELECT code FROM credit.public_commitment)),
          'a withdrawn 可向社会公开 commitment leaves public view');
RESET ROLE;
-- subject 7, with nothing against it, and the licence SCJG grants it
INSERT INTO credit.subject (kind, uscc, name) VALUES ('企业法人', credit.uscc_complete('91330702MA2C0' || '007' || '1'), '承诺测试7有限公司');
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, licence_name, valid_from, authority_name)
VALUES ('C.XZXK', '企业法人', '承诺测试7有限公司', credit.uscc_complete('91330702MA2C0' || '007' || '1'), '金市监许〔C〕7号',
        credit.legal_date(), '准予许可决定书', '普通', 'JY7', '食品经营许可证', credit.legal_date(), '金华市市场监督管理局');
SELECT record_id AS licence7 FROM credit.record WHERE decision_no = '金市监许〔C〕7号' \gset
SELECT is(credit.make_commitment(public.s(7), '审批替代型', 'C-SPJY', '承诺十二: 许可已作出', '虚假承诺的, 撤销许可',
                                 '2027-09-28', '不可公开', check_due => '2026-10-30'),
          '33070020260929000006', 'SCJG accepts a 审批替代型 commitment of subject 7');
SELECT lives_ok($$SELECT credit.link_commitment_licence('33070020260929000006', $$ || :licence7 || $$)$$, 'and decides its licence');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment('33070020260929000006', '不再需要')$$),
          format('55000: commitment 33070020260929000006 cannot be withdrawn: the matter it stood for is decided | It enabled licence record %s. | A commitment is withdrawn before the matter is concluded; the licence is revoked by a new record of its department.', :licence7),
          'once the licence it enabled is named, the matter is decided: no withdrawal');
SELECT isnt(credit.make_commitment(public.s(7), '信用修复型', NULL, '承诺十六: 修复承诺', NULL, NULL, '特定范围内公开'), NULL,
            'a 信用修复型 commitment of subject 7');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment(public.cm('承诺十六: 修复承诺'), '不修复了')$$),
          format('55000: commitment %s cannot be withdrawn: it belongs to a repair application |  | A 信用修复型 commitment stands or falls with its repair application.', public.cm('承诺十六: 修复承诺')),
          'a repair commitment is not withdrawn on its own');
SELECT is(credit.make_commitment(public.s(7), '容缺受理型', 'C-SPJY', '承诺十三: 申请撤回', '逾期未补齐的, 终止办理',
                                 NULL, '不可公开', check_due => '2026-10-30'),
          '33070020260929000008', 'another commitment, its matter not decided');
SELECT lives_ok($$SELECT credit.withdraw_commitment('33070020260929000008', '申请人撤回申请')$$,
                'the accepting department records its withdrawal');
SELECT is((SELECT state FROM credit.commitment WHERE code = '33070020260929000008'), '已撤回', 'it is 已撤回');
SELECT is(public.regress_error($$SELECT credit.transition('commitment', public.cid('承诺十三: 申请撤回'), '核查中')$$),
          '55000: cannot move 信用承诺 ' || public.cid('承诺十三: 申请撤回') || ' from "已撤回" to "核查中" | Allowed from "已撤回": (nothing: terminal state). | ',
          'nothing leaves 已撤回');
RESET ROLE;
SET ROLE regress_portal;
BEGIN;
SELECT credit.act_for_subject(public.s(7));
SELECT is(public.regress_error($$SELECT credit.assess_commitment('33070020260929000006', '全部履行')$$),
          '55000: cannot move 信用承诺 ' || public.cid('承诺十二: 许可已作出') || ' from "已作出" to "已履行" | "已作出" to "已履行" is for 部门/信用中心, not for 信用网站. | ',
          'acting for subject 7, the portal only withdraws: it does not assess its commitment');
SELECT is(public.regress_error($$SELECT credit.withdraw_commitment('33070020260929000006', '网站撤回')$$),
          format('55000: commitment 33070020260929000006 cannot be withdrawn: the matter it stood for is decided | It enabled licence record %s. | A commitment is withdrawn before the matter is concluded; the licence is revoked by a new record of its department.', :licence7),
          'nor withdraws one whose licence is decided');
ROLLBACK;
RESET ROLE;

-- ------------------------------------------------------------------
-- The sweep ends exempt commitments past their validity (已期满)
-- ------------------------------------------------------------------
SET ROLE regress_fy;
SELECT is(credit.make_commitment(public.s(3), '行业自律型', NULL, '承诺十四: 免核查至国庆后', '违反的, 接受行业惩戒', '2026-10-09',
                                 '特定范围内公开', check_exempt => true),
          '00000020260929000005', 'FY accepts an exempt commitment valid until 2026-10-09');
SELECT is(credit.make_commitment(public.s(3), '其他', NULL, '承诺十五: 计划核查', '违反的, 依法处理', '2026-10-09',
                                 '特定范围内公开', check_due => '2026-10-09'),
          '00000020260929000006', 'and one with a planned check, valid as long');
SELECT is(public.regress_error($$SELECT credit.transition('commitment', public.cid('承诺十四: 免核查至国庆后'), '已期满')$$),
          '55000: cannot move 信用承诺 ' || public.cid('承诺十四: 免核查至国庆后') || ' from "已作出" to "已期满" | "已作出" to "已期满" is for the engine, not for 部门. | ',
          'a department does not end a commitment as expired: only the sweep does');
RESET ROLE;
SET credit.legal_date = '2026-10-09';
SELECT is((SELECT s.moved FROM credit.sweep('2026-10-09') s WHERE s.machine = 'commitment'), 0::bigint,
          'on its last valid day (2026-10-09) the sweep leaves it');
SET credit.legal_date = '2026-10-12';
SELECT is((SELECT s.moved FROM credit.sweep('2026-10-12') s WHERE s.machine = 'commitment'), 1::bigint,
          'after it, the sweep moves one commitment');
SELECT results_eq($$SELECT content, state, state_reason FROM credit.commitment WHERE state = '已期满'$$,
                  $$VALUES ('承诺十四: 免核查至国庆后'::text, '已期满'::text, '免于核查, 有效期满未发现违诺'::text)$$,
                  'the exempt one is 已期满; the planned one waits for its check, those without an end stay');
SELECT is((SELECT count(*)::integer FROM credit.workflow_event WHERE machine = 'commitment' AND to_state = '已期满'
              AND object_id = public.cid('承诺十四: 免核查至国庆后')), 1, 'with its event');
SELECT is((SELECT s.moved FROM credit.sweep('2026-10-12') s WHERE s.machine = 'commitment'), 0::bigint,
          'a second sweep moves nothing (idempotent)');
SELECT is((SELECT state FROM credit.commitment WHERE content = '承诺十五: 计划核查'), '已作出',
          'the commitment with a planned check is not ended by the sweep');
SELECT is(public.regress_error($$SELECT credit.assess_commitment('00000020260929000005', '全部未履行', '{"unfulfilled": "迟到的违诺"}')$$),
          '55000: cannot move 信用承诺 ' || public.cid('承诺十四: 免核查至国庆后') || ' from "已期满" to "未履行" | Allowed from "已期满": (nothing: terminal state). | ',
          'an ended commitment is final');
SET credit.legal_date = '2026-09-29';
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
