-- The data the workflow files (50_workflow, 51_publicity, 52_objection,
-- 53_repair, 65_overdue) work on, after tap_setup.sql: the catalogue items
-- and the list kind of the machines, twelve penalties decided two years ago
-- (so the minimum periods have passed), one decided today, one that is not
-- repairable, four list entries, one objection and one repair put in place
-- with the triggers off, and the helpers that find them by number.
-- Today, for every rule, is Tuesday 2026-09-29 (credit.legal_date, set as
-- superuser; it stays after SET ROLE): the day before 国庆 (2026-10-01..07),
-- with 10-10 a 调休 working Saturday, so a deadline counted in calendar days
-- differs from one counted in working days.
SET credit.legal_date = '2026-09-29';
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id, repairable,
                                   repair_repeat_months) VALUES
    ('W.XZCF', '行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'), true, 12),
    ('W.BKXF', '不可修复的处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'), false, NULL),
    ('W.QS', '欠税', '其他', '失信', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'SWJ'), true, NULL);
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, early_removal_months) VALUES
    ('W_YZSX', '严重失信主体名单(流程测试)', '黑', 36, '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'), 12);
CREATE FUNCTION public.w_portal() RETURNS text LANGUAGE sql
    RETURN (SELECT role::text FROM credit.party WHERE kind = '信用网站');

-- Records to work on, as the departments would submit them (decided two
-- years ago, so the minimum periods have passed), and one decided today.
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
SELECT 'W.XZCF', '企业法人', '流程测试' || n || '有限公司', credit.uscc_complete('91330702MA2W0' || lpad(n::text, 3, '0') || '1'),
       '严重', '金市监罚〔W〕' || n || '号', credit.legal_date() - 700, '虚假宣传', '事实' || n, '《广告法》', '罚款', '罚款一万元', '市场监管局'
  FROM generate_series(1, 12) AS n;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('W.XZCF', '企业法人', '流程测试1有限公司', credit.uscc_complete('91330702MA2W00011'), '一般', '金市监罚〔W〕新1号',
        credit.legal_date(), '虚假宣传', '新案', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('W.BKXF', '企业法人', '流程测试2有限公司', credit.uscc_complete('91330702MA2W00021'), '严重', '金市监罚〔W〕不可修复1号',
        credit.legal_date() - 700, '虚假宣传', '不可修复', '《广告法》', '罚款', '罚款', '市场监管局');
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
SELECT 'W_YZSX', subject_id, record_id, '严重违法失信', credit.legal_date() - 400
  FROM credit.record WHERE decision_no IN ('金市监罚〔W〕3号', '金市监罚〔W〕4号', '金市监罚〔W〕5号', '金市监罚〔W〕6号');
RESET ROLE;
CREATE FUNCTION public.w_rec(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号' AND state = '有效');
CREATE FUNCTION public.w_subject(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT subject_id FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号' ORDER BY record_id LIMIT 1);
CREATE FUNCTION public.w_entry(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT entry_id FROM credit.list_entry
             WHERE basis_record_id = (SELECT min(record_id) FROM credit.record WHERE decision_no = '金市监罚〔W〕' || n || '号'));
CREATE FUNCTION public.w_repair(n text) RETURNS bigint LANGUAGE sql
    RETURN (SELECT max(repair_id) FROM credit.repair WHERE record_id = public.w_rec(n));

-- one objection and one repair to move around (made with the triggers off)
SET session_replication_role = replica;
INSERT INTO credit.objection (record_id, lineage_id, subject_id, department_id, grounds, claim)
SELECT record_id, lineage_id, subject_id, department_id, '信息错误', '矩阵测试' FROM credit.record WHERE record_id = public.w_rec('2');
INSERT INTO credit.repair (record_id, lineage_id, subject_id, department_id, item_code, obligations_performed, materials, commitment)
SELECT record_id, lineage_id, subject_id, department_id, item_code, true, '{信用修复承诺书,履行义务证明}', '矩阵测试承诺'
  FROM credit.record WHERE record_id = public.w_rec('2');
SET session_replication_role = origin;
