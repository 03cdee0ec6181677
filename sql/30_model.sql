-- The credit data model (extension parts 30_subject to 34_commitment):
-- record rules and the 双公示 timeliness view, subjects and old codes, list
-- entries, authorisations, and the per-session party cache.  pgTAP.
\i sql/include/tap_setup.sql
-- Today, for every rule, is Tuesday 2026-09-29 (a superuser-only setting):
-- the dates below are fixed, whatever day the suite runs.
SET credit.legal_date = '2026-09-29';

-- the shared departments (sql/include/fixtures.sql) with this file's catalogue
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('M.XZCF', '行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG')),
    ('M.XZXK', '行政许可', '行政许可', '守信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG')),
    ('M.SX', '失信被执行人', '失信被执行人', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'FY'));
INSERT INTO credit.catalogue_period VALUES ('M.XZCF', '一般', 3, 12, '令第36号'), ('M.SX', '严重', 12, 36, '令第36号');
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id) VALUES
    ('M_SXBZX', '失信被执行人名单', '黑', 24, '公开', (SELECT department_id FROM credit.department WHERE code = 'FY')),
    ('M_HONG', '守信激励名单', '红', NULL, '部门共享', NULL);

SELECT plan(73);

-- ------------------------------------------------------------------
-- Records: the rules a department's rows must follow
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
                  VALUES ('M.XZCF', '企业法人', '某公司', '91340600MA2PBM9HXD', '一般', '缺字段', credit.legal_date())$$,
                 '23514', NULL, 'a penalty without the 双公示 fields is refused');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date, authority_name)
                  VALUES ('M.XZXK', '企业法人', '某公司', '91340600MA2PBM9HXD', '缺许可字段', credit.legal_date(), '某局')$$,
                 '23514', NULL, 'a licence without the licence fields is refused');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                     violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
                  VALUES ('M.XZCF', '企业法人', '某公司', '91340600MA2PBM9HXD', '无程度', credit.legal_date(), 'a', 'b', 'c', 'd', 'e', 'f')$$,
                 '23502', 'negative record 无程度 needs a severity', 'a negative record needs a severity');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                     licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('M.XZXK', '企业法人', '某公司', '91340600MA2PBM9HXD', '一般', '有程度', credit.legal_date(), 'a', 'b', 'c', credit.legal_date(), 'd')$$,
                 '23514', NULL, 'a positive record cannot have a severity');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date)
                  VALUES ('M.NONE', '企业法人', '某公司', '91340600MA2PBM9HXD', '无目录', credit.legal_date())$$,
                 '23503', 'unknown catalogue item "M.NONE"', 'an unknown catalogue item is refused');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, decision_no, decision_date,
                     licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('M.XZXK', '自然人', '孙八', '11010519491231002X', '个人公开', credit.legal_date(), 'a', 'b', 'c', credit.legal_date(), 'd')$$,
                 '23514', 'a natural person''s record cannot be 公开', 'a natural person''s record is never 公开 by default');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, decision_no, decision_date,
                     licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('M.XZXK', '企业法人', '某公司', '11010519491231002X', '键不符', credit.legal_date(), 'a', 'b', 'c', credit.legal_date(), 'd')$$,
                 '23514', NULL, 'an organisation must be keyed by its uscc');
SELECT throws_ok($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                     licence_doc_name, licence_category, licence_no, valid_from, authority_name)
                  VALUES ('M.XZXK', '企业法人', '某公司', '91340600MA2PBM9HXE', '坏代码', credit.legal_date(), 'a', 'b', 'c', credit.legal_date(), 'd')$$,
                 '22P02', NULL, 'a bad code is refused by the type');
-- a late licence: decided 20 days ago, published today
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, decision_no, decision_date,
                           licence_doc_name, licence_category, licence_no, valid_from, authority_name)
VALUES ('M.XZXK', '企业法人', '金华市模型测试有限公司', '91340600MA2PBM9HXD', '周九', '迟报许可', credit.legal_date() - 20,
        '许可决定书', '普通', 'X1', credit.legal_date() - 20, '市场监管局'),
       ('M.XZXK', '企业法人', '金華市模型測試有限公司', '91340600MA2PBM9HXD', '周九', '按时许可', credit.legal_date() - 1,
        '许可决定书', '普通', 'X2', credit.legal_date() - 1, '市场监管局');
RESET ROLE;
-- both published on 2026-09-29 at 10:00 Beijing time (the engine writes the
-- clock's time: set here), decided on 09-09 and 09-28
SET session_replication_role = replica;
UPDATE credit.record SET submitted_at = '2026-09-29 10:00+08' WHERE decision_no IN ('迟报许可', '按时许可');
SET session_replication_role = origin;
SELECT is((SELECT late::integer FROM credit.sgs_timeliness WHERE department = '金华市市场监督管理局'), 1,
          'the licence published 20 days after its decision is late');
SELECT is((SELECT on_time::integer FROM credit.sgs_timeliness WHERE department = '金华市市场监督管理局'), 1,
          'the one published the next day is on time');
-- due 7 working days after 09-09: 09-18; published 09-29: late by 09-20
-- (the 调休 Sunday), 21-24, 28 and 29 (09-25 is 中秋, off): 7 working days
-- (国务院办公厅 2026 holiday notice)
SELECT is((SELECT worst_days_late FROM credit.sgs_timeliness WHERE department = '金华市市场监督管理局'), 7,
          'how late, in working days (the 09-20 调休 Sunday counts, 中秋 09-25 does not)');

-- A department's batch carries the end of the conduct (失信行为终止日期):
-- publicity then ends at most 5 years after it (docs/sources.md §4), here
-- before the item's 12 months from the decision.
SET ROLE regress_scjg;
\copy credit.record_load (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, conduct_end_date, violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name) FROM stdin
M.XZCF	企业法人	金华市模型测试有限公司	91340600MA2PBM9HXD	一般	金市监罚〔2026〕终止	2026-05-10	2022-01-01	违规	事实	依据	罚款	罚款一万元	市场监管局
\.
RESET ROLE;
SELECT results_eq($$SELECT conduct_end_date, publicity_max_end FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止'$$,
                  $$VALUES ('2022-01-01'::date, '2027-01-01'::date)$$,
                  'COPY into record_load carries conduct_end_date: publicity ends 5 years after the conduct');
SELECT has_column('credit', 'public_record', 'conduct_end_date', 'the public view shows the end of the conduct');
-- publicity is judged on the legal date: public on its last day, not on the
-- day its publicity ends (2027-01-01, exclusive), for a session in any zone
SET TimeZone = 'UTC';
SET credit.legal_date = '2026-12-31';
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔2026〕终止'), 1,
          'public on the last day of its publicity');
SET credit.legal_date = '2027-01-01';
SELECT is((SELECT count(*)::integer FROM credit.public_record WHERE decision_no = '金市监罚〔2026〕终止'), 0,
          'and no longer on the day publicity ends');
RESET credit.legal_date;
RESET TimeZone;
SELECT ok(has_column_privilege('regress_portal', 'credit.record', 'conduct_end_date', 'SELECT')
          AND has_column_privilege('regress_portal', 'credit.record', 'subject_name_public', 'SELECT')
          AND NOT has_column_privilege('regress_portal', 'credit.record', 'subject_name', 'SELECT')
          AND NOT has_column_privilege('regress_portal', 'credit.record', 'legal_rep_id', 'SELECT'),
          'the portal reads the public view''s columns of credit.record, personal data only masked');
-- a correction moves the end of the conduct, and the period with it
SET ROLE regress_scjg;
CREATE TEMP TABLE regress_corrected AS
SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止'),
                             '终止日期有误', '{"conduct_end_date": "2023-01-01"}') AS record_id;
SELECT results_eq($$SELECT r.conduct_end_date, r.publicity_max_end, r.state::text FROM credit.record r JOIN regress_corrected USING (record_id)$$,
                  $$VALUES ('2023-01-01'::date, '2027-05-10'::date, '有效')$$,
                  'a corrected conduct end gives the new version its own period (12 months from the decision)');
SELECT is(public.regress_error($$SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止' AND state = '有效'),
                                                              '改公示名', '{"subject_name_public": "某某"}')$$),
          '22023: a correction cannot change "subject_name_public" |  | '
          'The subject, department, item and disclosure level of a record never change; withdraw it and submit a new one.',
          'a correction cannot name a generated column');
SELECT is(public.regress_error($$SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止' AND state = '有效'),
                                                              '改主体', '{"subject_uscc": "91350100M000100Y43"}')$$),
          '22023: a correction cannot change "subject_uscc" |  | '
          'The subject, department, item and disclosure level of a record never change; withdraw it and submit a new one.',
          'nor the subject');
SELECT is(public.regress_error($$SELECT credit.correct_record((SELECT record_id FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止' AND state = '有效'),
                                                              '名称笔误', '{"subject_name": "更正名称有限公司"}')$$),
          NULL, 'but the subject''s name as the decision wrote it may be corrected (record_columns: corrected)');
SELECT is((SELECT subject_name FROM credit.record WHERE decision_no = '金市监罚〔2026〕终止' AND state = '有效'), '更正名称有限公司',
          'and the new version carries it');
RESET ROLE;

-- ------------------------------------------------------------------
-- Subjects and old codes
-- ------------------------------------------------------------------
SELECT is((SELECT count(*)::integer FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'), 1,
          'both records went to one subject');
SELECT is((SELECT name_key FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'),
          credit.normalize_name('金华市模型测试有限公司'), 'the subject''s name key is maintained');
SELECT is(credit.normalize_name('金華市模型測試有限公司'), credit.normalize_name('金华市模型测试有限公司'),
          'so the traditional spelling finds it');
-- after an ICU upgrade the DBA recomputes the keys (docs/identifiers.md);
-- the public key follows
UPDATE credit.subject SET name_key = 'stale' WHERE uscc = '91340600MA2PBM9HXD';
UPDATE credit.subject SET name_key = credit.normalize_name(name)
 WHERE name_key IS DISTINCT FROM credit.normalize_name(name);
SELECT results_eq($$SELECT name_key, name_key_public COLLATE "default" FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'$$,
                  $$VALUES ('金华市模型测试有限公司'::text, '金华市模型测试有限公司'::text)$$,
                  'the DBA''s recomputation of the keys restores name_key and name_key_public');
SET ROLE regress_scjg;
SELECT lives_ok($$INSERT INTO credit.subject_old_code
                  SELECT subject_id, '组织机构代码', credit.uscc_org_code(uscc) FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'$$,
                'a department maps the old organisation code to the subject');
SELECT lives_ok($$INSERT INTO credit.subject_old_code
                  SELECT subject_id, '注册号', '110108000000016' FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'$$,
                'and the old registration number');
SELECT throws_ok($$INSERT INTO credit.subject_old_code
                   SELECT subject_id, '注册号', '110108000000017' FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'$$,
                 '23514', NULL, 'a bad old registration number is refused');
SELECT throws_ok($$INSERT INTO credit.subject_old_code
                   SELECT subject_id, '组织机构代码', 'M000100Y4' FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD'$$,
                 '23514', NULL, 'old codes are stored in canonical form (XXXXXXXX-X)');
SELECT is((SELECT s.uscc::text FROM credit.subject_old_code o JOIN credit.subject s USING (subject_id)
            WHERE o.code = 'MA2PBM9H-X'), '91340600MA2PBM9HXD', 'the old code finds the subject');
SELECT throws_ok($$UPDATE credit.subject SET name = 'x'$$, '42501', NULL, 'a department does not rename subjects');
RESET ROLE;

-- ------------------------------------------------------------------
-- List entries
-- ------------------------------------------------------------------
SET ROLE regress_fy;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('M.SX', '企业法人', '金华市模型测试有限公司', '91340600MA2PBM9HXD', '严重', '(2026)浙07执1号', credit.legal_date() - 30);
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
SELECT 'M_SXBZX', subject_id, record_id, '有履行能力而拒不履行', credit.legal_date() - 30
  FROM credit.record WHERE decision_no = '(2026)浙07执1号';
SELECT is((SELECT expires_on FROM credit.list_entry WHERE reasons = '有履行能力而拒不履行'),
          (credit.legal_date() - 30 + interval '24 months')::date, 'the term comes from the list kind');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE list_kind = 'M_SXBZX'), 1,
          'the public sees the entry inside its term');
RESET ROLE;
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE list_kind = 'M_SXBZX'), 1, 'so do departments');
SELECT throws_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE list_kind = 'M_SXBZX'),
                                             '已移出', '越权')$$,
                 'P0002', NULL, 'another department cannot remove it');
RESET ROLE;
SET ROLE regress_fy;
SELECT throws_ok($$UPDATE credit.list_entry SET reasons = '改理由'$$, '42501', NULL, 'the reasons are never changed');
SELECT throws_ok($$UPDATE credit.list_entry SET removed_on = credit.legal_date(), removal_reason = '已履行' WHERE list_kind = 'M_SXBZX'$$,
                 '42501', NULL, 'removal is not an UPDATE of removed_on');
SELECT lives_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE list_kind = 'M_SXBZX'),
                                           '已移出', '已履行')$$,
                'the deciding court removes it');
SELECT throws_ok($$SELECT credit.transition('list_entry', (SELECT entry_id FROM credit.list_entry WHERE list_kind = 'M_SXBZX'),
                                            '已移出', '再次')$$,
                 '55000', NULL, 'a removed entry never reopens or changes');
SELECT throws_ok('DELETE FROM credit.list_entry', '42501', NULL, 'list entries are not deleted');
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE list_kind = 'M_SXBZX' AND removed_on IS NOT NULL), 1,
          'the court still sees the entry it removed');
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE list_kind = 'M_SXBZX'), 0,
          'but not in public_list_entry');
RESET ROLE;
SELECT throws_ok('DELETE FROM credit.list_entry', '2F003', 'list entries are never deleted', 'not even by the owner');
SELECT throws_ok($$UPDATE credit.list_entry SET removed_on = NULL, removal_reason = NULL WHERE list_kind = 'M_SXBZX'$$,
                 '2F003', NULL, 'nor reopened by the owner');
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE list_kind = 'M_SXBZX'), 0,
          'a removed entry is no longer public');
RESET ROLE;
-- a natural person's entry is never 公开; 部门共享 entries are for departments only
-- (a department knows the person through its own record, not credit.subject)
SET ROLE regress_fy;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure, severity, decision_no, decision_date)
VALUES ('M.SX', '自然人', '吴十', '360426199101010071', '部门共享', '严重', '(2026)浙07执2号', credit.legal_date() - 3);
SELECT throws_ok($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on)
                   SELECT 'M_SXBZX', subject_id, '拒不履行', credit.legal_date() FROM credit.record WHERE subject_resident_id = '360426199101010071'$$,
                 '23514', 'a natural person''s list entry cannot be 公开', 'a natural person''s list entry is never 公开');
SELECT lives_ok($$INSERT INTO credit.list_entry (list_kind, subject_id, reasons, listed_on, disclosure)
                  SELECT 'M_SXBZX', subject_id, '拒不履行', credit.legal_date(), '部门共享' FROM credit.record WHERE subject_resident_id = '360426199101010071'$$,
                'it can be 部门共享');
RESET ROLE;
-- The insert path finds an existing subject through the unique index of
-- its identifier, with the identifier's own operator: never a scan of
-- credit.subject comparing codes as text.  Scans counted in this
-- transaction, with sequential scans priced out and the cached plans
-- discarded, so the plan is made now.
BEGIN;
SET LOCAL enable_seqscan = off;
DISCARD PLANS;
CREATE TEMP TABLE regress_scans ON COMMIT DROP AS
SELECT pg_stat_get_xact_numscans('credit.subject'::regclass) AS seq,
       pg_stat_get_xact_numscans('credit.subject_uscc_key'::regclass) AS by_uscc,
       pg_stat_get_xact_numscans('credit.subject_resident_id_key'::regclass) AS by_resident_id;
SET ROLE regress_fy;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date)
VALUES ('M.SX', '企业法人', '金华市模型测试有限公司', '91340600MA2PBM9HXD', '严重', '(2026)浙07执3号', credit.legal_date() - 2);
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure, severity, decision_no, decision_date)
VALUES ('M.SX', '自然人', '吴十', '360426199101010071', '部门共享', '严重', '(2026)浙07执4号', credit.legal_date() - 2);
RESET ROLE;
SELECT is((SELECT pg_stat_get_xact_numscans('credit.subject'::regclass) - seq FROM regress_scans), 0::bigint,
          'a record for a known subject scans no credit.subject sequentially');
SELECT cmp_ok((SELECT pg_stat_get_xact_numscans('credit.subject_uscc_key'::regclass) - by_uscc FROM regress_scans), '>=', 1::bigint,
              'an organisation is found through the index on subject.uscc');
SELECT cmp_ok((SELECT pg_stat_get_xact_numscans('credit.subject_resident_id_key'::regclass) - by_resident_id FROM regress_scans), '>=', 1::bigint,
              'a person through the index on subject.resident_id');
COMMIT;
SET ROLE regress_scjg;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE disclosure = '部门共享'), 1, 'departments see the shared entry');
SELECT is((SELECT count(*)::integer FROM credit.public_list_entry WHERE disclosure = '部门共享'), 0,
          'but public_list_entry shows them the public''s view: no shared entry');
SELECT is((SELECT count(*)::integer FROM credit.subject WHERE kind = '自然人'), 0,
          'but not the person, about whom they hold no record');
RESET ROLE;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE disclosure = '部门共享'), 0, 'the portal does not');
RESET ROLE;
-- A group membership granted by hand gains nothing: no 部门共享 entry, and
-- not the court's removed entry (a department's own).
GRANT credit_department_parties TO regress_portal;
SET ROLE regress_portal;
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE disclosure = '部门共享'), 0,
          'the portal made a member of the department group sees no 部门共享 entry');
SELECT is((SELECT count(*)::integer FROM credit.list_entry WHERE removed_on IS NOT NULL), 0,
          'nor another department''s removed entry');
RESET ROLE;
REVOKE credit_department_parties FROM regress_portal;

-- ------------------------------------------------------------------
-- Authorisations are only ever revoked
-- ------------------------------------------------------------------
SET ROLE regress_centre;
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
SELECT subject_id, 'regress_scjg', '招标审查', '授权书 M-1', now() + interval '10 days'
  FROM credit.subject WHERE uscc = '91340600MA2PBM9HXD';
SELECT throws_ok($$UPDATE credit.authorisation SET revoked_at = now(), revoked_reason = 'x', purpose = '改用途'$$,
                 '42501', NULL, 'the purpose of an authorisation is not changed');
RESET ROLE;
SELECT throws_ok($$UPDATE credit.authorisation SET valid_until = valid_until + interval '1 year'$$,
                 '2F003', NULL, 'not even by the owner: only revocation');
SELECT throws_ok($$DELETE FROM credit.authorisation$$, '2F003', NULL, 'and never deleted');

-- ------------------------------------------------------------------
-- What each table keeps (credit.keep_content, and the record's own rules):
-- the owner is refused too, with the column named
-- ------------------------------------------------------------------
SELECT is(public.regress_error($$UPDATE credit.record SET decision_no = decision_no || '改'$$),
          '2F003: credit records are not changed in place | Column "decision_no" cannot change. | '
          'Correct it with credit.correct_record(record_id, reason, changes), which adds a new version.',
          'a record''s decision number is not changed in place, the column named');
SELECT is(public.regress_error($$UPDATE credit.record SET fine_amount = 0, remarks = '改'$$),
          '2F003: credit records are not changed in place | Columns "fine_amount", "remarks" cannot change. | '
          'Correct it with credit.correct_record(record_id, reason, changes), which adds a new version.',
          'every changed column is named');
SELECT is(public.regress_error($$DELETE FROM credit.record$$),
          '2F003: credit records are never deleted |  | Withdraw it with credit.withdraw_record(record_id, reason).',
          'a record is never deleted, with the way to withdraw it');
SELECT is(public.regress_error($$UPDATE credit.record SET subject_name = subject_name, remarks = remarks$$), NULL,
          'a column set to its own value is no change');
SELECT is(public.regress_error($$UPDATE credit.record SET state_reason = '无故' WHERE record_id = (SELECT min(record_id) FROM credit.record WHERE state = '有效')$$),
          '2F003: column "state_reason" of 信用记录 ' || (SELECT min(record_id) FROM credit.record WHERE state = '有效') || ' belongs to the record machine | 信用记录 ' || (SELECT min(record_id) FROM credit.record WHERE state = '有效') || ' is in state "有效". | Move it with credit.transition(''record'', ' || (SELECT min(record_id) FROM credit.record WHERE state = '有效') || ', <state>, <reason>); from "有效": "已撤回" (撤回: 部门/信用中心, 须说明原因), "已更正" (更正: 部门/信用中心, 须说明原因), '
          '"有效" (认定依据撤销: 部门/信用中心, 须说明原因).',
          'the record''s lifecycle is a machine: a reason only with a withdrawal, correction or revocation notice, by credit.transition');
SELECT is(public.regress_error($$UPDATE credit.record SET dispute_mark = '异议处理中'$$),
          '2F003: column "dispute_mark" of record ' || (SELECT min(record_id) FROM credit.record)
          || ' is set by the objection machine only |  | File an objection; the mark shows from its acceptance until its outcome.',
          'the objection mark is set by the objection machine only');
SELECT is(public.regress_error($$UPDATE credit.list_entry SET reasons = '改写'$$),
          '2F003: list entries are not changed in place | Column "reasons" cannot change. | A new listing is a new entry.',
          'an entry''s reasons are not changed in place');
SELECT lives_ok($$UPDATE credit.authorisation SET revoked_at = now(), revoked_reason = '主体撤回授权'$$,
                'an authorisation is revoked (as the owner, directly)');
SELECT is(public.regress_error($$UPDATE credit.authorisation SET revoked_reason = '再次撤回'$$),
          '2F003: authorisations are not changed in place | Column "revoked_reason" is set only once. | '
          'An authorisation is only revoked, once, with credit.revoke_authorisation(authorisation_id, reason).',
          'and only once');

-- ------------------------------------------------------------------
-- The party of a role is cached per session and dropped when party changes
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(credit.current_department_id(), (SELECT department_id FROM credit.department WHERE code = 'SCJG'),
          'the department of the calling role');
SELECT is(credit.current_party_kind(), '部门'::credit.party_kind, 'and its kind of party');
RESET ROLE;
UPDATE credit.party SET department_id = (SELECT department_id FROM credit.department WHERE code = 'FY')
 WHERE role = 'regress_scjg'::regrole;
SET ROLE regress_scjg;
SELECT is(credit.current_department_id(), (SELECT department_id FROM credit.department WHERE code = 'FY'),
          'a change of credit.party is seen at once: the cache was dropped');
RESET ROLE;
UPDATE credit.party SET department_id = (SELECT department_id FROM credit.department WHERE code = 'SCJG')
 WHERE role = 'regress_scjg'::regrole;
SET ROLE regress_portal;
SELECT is(credit.current_department_id(), NULL, 'another role, another answer');
RESET ROLE;
SELECT is(credit.current_party_kind(), NULL, 'the DBA is no party');

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
