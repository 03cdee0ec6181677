-- Collection (归集): a department's file (sql/data/collection_batch.csv,
-- 18 rows: 4 good, 14 bad, one for each rule) loaded with one COPY into
-- staging and collected by credit.collect(); every bad row reported with
-- its line, column and rule, personal values masked, nothing lost; the
-- good rows stored through the record's own rules; batches, staging and
-- errors are the department's alone; the quality view; the rules are data.
-- Today is fixed: 2026-09-29 (credit.legal_date).  pgTAP.
\i sql/include/tap_setup.sql
SET credit.legal_date = '2026-09-29';

SELECT plan(50);

INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('C.XZCF', '行政处罚(归集测试)', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG')),
    ('C.QS', '欠税(归集测试)', '其他', '失信', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'SWJ'));
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id, publicity_months) VALUES
    ('C.QT', '其他守信(归集测试)', '其他', '守信', '公开', (SELECT department_id FROM credit.department WHERE code = 'SCJG'), 24);
-- a record in force that line 15 of the file repeats
SET ROLE regress_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('C.XZCF', '企业法人', '归集旧有限公司', '91330702MA2C000040', '一般', '金市监罚〔C〕旧1号', '2026-06-01',
        '虚假宣传', '旧', '《广告法》', '罚款', '罚款', '市场监管局');

-- ------------------------------------------------------------------
-- One COPY takes every line, as text
-- ------------------------------------------------------------------
SELECT credit.open_batch('C.XZCF', 'collection_batch.csv') AS batch \gset
\copy credit.collection_load (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id, disclosure, severity, decision_no, decision_date, conduct_end_date, violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount, authority_name) FROM 'sql/data/collection_batch.csv' WITH (FORMAT csv, HEADER true)
SELECT is((SELECT count(*)::integer FROM credit.collection_staging WHERE batch_id = :batch), 18,
          'the COPY takes all 18 lines of the file, bad ones too');
SELECT is((SELECT state FROM credit.collection_batch WHERE batch_id = :batch), '待归集', 'the batch waits to be collected');

-- the others see none of it, and cannot add to it
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.collection_staging), 0, 'another department sees no staged line of it');
SELECT is((SELECT count(*)::integer FROM credit.collection_batch), 0, 'nor the batch');
SELECT is(public.regress_error(format($$INSERT INTO credit.collection_load (batch_id, subject_kind, decision_no) VALUES (%s, '企业法人', 'x')$$, :batch)),
          '42501: new row violates row-level security policy for table "collection_staging" |  | ',
          'nor load lines into it');
SELECT is(public.regress_error(format('SELECT credit.collect(%s)', :batch)),
          format('55000: batch %s is not an open batch of yours |  | Open a batch with credit.open_batch(item_code, file_name), load it with COPY credit.collection_load, collect it once, as the role that opened it.', :batch),
          'nor collect it');
SELECT is(public.regress_error($$SELECT credit.open_batch('C.XZCF', 'x.csv')$$),
          '42501: catalogue item "C.XZCF" is not an item of your department |  | A department collects records of its own items of credit.catalogue_item.',
          'nor open a batch of an item that is not its own');
RESET ROLE;

-- ------------------------------------------------------------------
-- Collect: one call, every bad row reported
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT results_eq(format('SELECT state, received, accepted, rejected, warned, late FROM credit.collect(%s)', :batch),
                  $$VALUES ('已归集'::text, 18, 4, 14, 0, 1)$$,
                  'collected: 18 received, 4 accepted, 14 rejected, 1 published late (decided 2026-09-01, due 2026-09-10)');
SELECT results_eq(format('SELECT line_no, column_name::text COLLATE "default", rule, severity FROM credit.collection_error WHERE batch_id = %s ORDER BY line_no, error_id', :batch),
                  $$VALUES (5, 'subject_uscc', 'identifier', '拒收'), (6, 'subject_resident_id', 'identifier', '拒收'),
                           (7, 'decision_date', 'type', '拒收'), (8, 'fine_amount', 'type', '拒收'),
                           (9, 'penalty_basis', 'required', '拒收'), (10, 'subject_resident_id', 'subject_key', '拒收'),
                           (11, 'disclosure', 'disclosure', '拒收'), (12, 'severity', 'severity', '拒收'),
                           (13, 'conduct_end_date', 'date_order', '拒收'), (14, 'decision_no', 'duplicate_decision', '拒收'),
                           (15, 'decision_no', 'duplicate_decision', '拒收'), (16, 'decision_date', 'future_decision', '拒收'),
                           (17, 'item_code', 'catalogue_item', '拒收'), (18, NULL, 'insert', '拒收')$$,
                  'every bad row is reported in one pass, with its line in the file, its column and its rule');
SELECT is((SELECT message FROM credit.collection_error WHERE batch_id = :batch AND line_no = 6),
          '''1*****************'' is not a valid 公民身份号码', 'a personal value is masked in the message');
SELECT is((SELECT count(*)::integer FROM credit.collection_error WHERE message LIKE '%110105194912310021%' OR message LIKE '%李四%'), 0,
          'no message shows the identity number or the name of the person');
SELECT is((SELECT message FROM credit.collection_error WHERE batch_id = :batch AND line_no = 5),
          '''91330702MA2C00003X'' is not a valid 统一社会信用代码', 'an organisation''s code is shown as it was sent');
SELECT is((SELECT message FROM credit.collection_error WHERE batch_id = :batch AND line_no = 14),
          'decision number ''金市监罚〔C〕1号'' is also on line 2', 'a repeated decision number names the line it repeats');
SELECT is((SELECT message FROM credit.collection_error WHERE batch_id = :batch AND line_no = 16),
          'the decision date 2026-10-08 is after today (2026-09-29)', 'a future decision date is reported against today');
SELECT is((SELECT message FROM credit.collection_error WHERE batch_id = :batch AND line_no = 18),
          'catalogue item "C.XZCF" has no publicity period for severity 轻微 on 06-01-2025',
          'a row the checks let through and the record''s trigger refuses is reported with the trigger''s message (its date in the session''s DateStyle)');

-- the good rows went in through the record's own rules
SELECT results_eq($$SELECT decision_no, category::text, disclosure::text, publicity_end, rule_set FROM credit.record
                     WHERE item_code = 'C.XZCF' AND decision_no <> '金市监罚〔C〕旧1号' ORDER BY decision_date, decision_no$$,
                  $$VALUES ('金市监罚〔C〕2号', '行政处罚', '公开', '2029-09-01'::date, '令第36号'),
                           ('金市监罚〔C〕1号', '行政处罚', '公开', '2027-09-28'::date, '令第36号'),
                           ('金市监罚〔C〕3号', '行政处罚', '部门共享', '2027-09-28'::date, '令第36号'),
                           ('金市监罚〔C〕18号', '行政处罚', '公开', '2027-09-29'::date, '令第36号')$$,
                  'the 4 good rows are records: the category from the item, the default disclosure, the 令第36号 period (严重 36 months, 一般 12)');
SELECT is((SELECT fine_amount FROM credit.record WHERE decision_no = '金市监罚〔C〕2号'), 2.5, 'typed from the text');
SELECT is((SELECT count(*)::integer FROM credit.record r JOIN credit.subject s USING (subject_id)
            WHERE r.decision_no = '金市监罚〔C〕18号' AND s.uscc = '91330702MA2C000040' AND s.name = '归集旧有限公司'), 1,
          'a row names an existing subject by its code: the subject is found, not created again');
SELECT is((SELECT subject_name_public FROM credit.record WHERE decision_no = '金市监罚〔C〕3号'), '张*', 'a natural person''s record is masked for the public');
SELECT is((SELECT submitted_by::text FROM credit.record WHERE decision_no = '金市监罚〔C〕1号'), 'regress_scjg', 'stored as the department''s role');

-- nothing lost: the rejected rows wait, with their line
SELECT results_eq(format('SELECT line_no, decision_no FROM credit.collection_staging WHERE batch_id = %s ORDER BY line_no', :batch),
                  $$SELECT n + 4, '金市监罚〔C〕' || CASE n WHEN 10 THEN '1' WHEN 11 THEN '旧1' ELSE (n + 3)::text END || '号'
                      FROM generate_series(1, 14) AS n$$,
                  'the 14 rejected rows stay in staging, each with its line; the stored ones left');
SELECT is(public.regress_error(format('SELECT credit.collect(%s)', :batch)),
          format('55000: batch %s is not an open batch of yours |  | Open a batch with credit.open_batch(item_code, file_name), load it with COPY credit.collection_load, collect it once, as the role that opened it.', :batch),
          'a batch is collected once');
SELECT is(public.regress_error(format('UPDATE credit.collection_batch SET accepted = 18 WHERE batch_id = %s', :batch)),
          '42501: permission denied for table collection_batch |  | ', 'a department cannot write its own figures');

-- ------------------------------------------------------------------
-- Quality, per department and month
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT department_id, month, batches, collected, received, accepted, rejected, warned, acceptance_rate, late, open_errors
                      FROM credit.collection_quality$$,
                  $$VALUES (1, '2026-09-01'::date, 1::bigint, 1::bigint, 18::bigint, 4::bigint, 14::bigint, 0::bigint, 0.2222, 1::bigint, 14::numeric)$$,
                  'the department''s quality: 4 of 18 accepted (0.2222), 1 late, 14 errors open');
DELETE FROM credit.collection_staging WHERE line_no IN (5, 6);
SELECT is((SELECT open_errors FROM credit.collection_quality), 12::numeric, 'a rejected row discarded (or sent again corrected) closes its errors');
RESET ROLE;
SET ROLE regress_centre;
SELECT results_eq($$SELECT department_id, received, accepted FROM credit.collection_quality$$,
                  $$VALUES (1, 18::bigint, 4::bigint)$$, 'the centre sees every department''s quality');
RESET ROLE;
SET ROLE regress_swj;
SELECT is((SELECT count(*)::integer FROM credit.collection_quality), 0, 'another department sees no figures of it');
SELECT is((SELECT count(*)::integer FROM credit.collection_error), 0, 'nor its errors');
RESET ROLE;
SET ROLE regress_portal;
SELECT is(public.regress_error('SELECT count(*) FROM credit.collection_error'), '42501: permission denied for table collection_error |  | ',
          'the portal reads no errors');
SELECT is(public.regress_error('SELECT count(*) FROM credit.collection_staging'), '42501: permission denied for table collection_staging |  | ',
          'nor staged lines');
RESET ROLE;

-- ------------------------------------------------------------------
-- Rules are data
-- ------------------------------------------------------------------
SET ROLE regress_centre;
UPDATE credit.collection_rule SET enabled = false WHERE rule = 'future_decision';
SELECT is(public.regress_error($$UPDATE credit.collection_rule SET enabled = false WHERE rule = 'identifier'$$),
          '23514: new row for relation "collection_rule" violates check constraint "collection_rule_fixed" |  | ',
          'a rule that keeps out what the record table refuses cannot be disabled');
RESET ROLE;
SET ROLE regress_scjg;
SELECT credit.open_batch('C.XZCF', 'second.csv', 0) AS batch2 \gset
INSERT INTO credit.collection_load (subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, violation_type,
                                    violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('企业法人', '归集甲有限公司', '91330702MA2C00001N', '一般', '金市监罚〔C〕20号', '2026-10-08', '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('企业法人', '归集甲有限公司', '91330702MA2C00001N', '一般', '金市监罚〔C〕20号', '2026-09-28', '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局');
SELECT results_eq(format('SELECT received, accepted, rejected FROM credit.collect(%s)', :batch2),
                  $$VALUES (2, 1, 1)$$, 'with future_decision disabled, a future decision date is accepted');
SELECT results_eq(format('SELECT line_no, rule FROM credit.collection_error WHERE batch_id = %s', :batch2),
                  $$VALUES (2, 'duplicate_decision')$$, 'the other rules still apply (no header: the first row is line 1)');
RESET ROLE;

-- ------------------------------------------------------------------
-- A batch's good rows get their derived columns computed for the whole
-- batch (the period once per severity and decision date, the subject
-- created once), the same as record_before_insert gives a single row
-- ------------------------------------------------------------------
SET track_functions = 'all';
SET ROLE regress_scjg;
SELECT credit.open_batch('C.XZCF', 'third.csv', 0) AS batch3 \gset
INSERT INTO credit.collection_load (subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, conduct_end_date,
                                    violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('企业法人', '归集丁有限公司', '91330702MA2C000053', '严重', '金市监罚〔C〕30号', '2026-09-01', '2023-01-01',
        '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局'),
       ('企业法人', '归集丁有限公司(第二行)', '91330702MA2C000053', '轻微', '金市监罚〔C〕31号', '2026-09-01', '',
        '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局');
SELECT credit.open_batch('C.QT', 'fourth.csv', 0) AS batch4 \gset
INSERT INTO credit.collection_load (subject_kind, subject_name, subject_uscc, decision_no, decision_date)
VALUES ('企业法人', '归集戊有限公司', '91330702MA2C000066', '金其〔C〕1号', '2026-09-01');
BEGIN;
SELECT results_eq(format('SELECT received, accepted FROM credit.collect(%s) UNION ALL SELECT received, accepted FROM credit.collect(%s)', :batch3, :batch4),
                  $$VALUES (2, 2), (1, 1)$$, 'two clean batches collected');
SELECT results_eq($$SELECT pg_stat_get_xact_function_calls('credit.record_before_insert()'::regprocedure),
                           pg_stat_get_xact_function_calls('credit.publicity_period(text, credit.severity, date)'::regprocedure)$$,
                  $$VALUES (NULL::bigint, 2::bigint)$$,
                  'their rows skip record_before_insert: the period is looked up once per severity and decision date, for the batch');
COMMIT;
SELECT results_eq($$SELECT decision_no, category::text, disclosure::text, publicity_start, publicity_end, rule_set, publicity_min_end,
                           publicity_max_end, publicity_state, publicity_reason, state::text, lineage_id = record_id
                      FROM credit.record WHERE decision_no IN ('金市监罚〔C〕30号', '金市监罚〔C〕31号', '金其〔C〕1号') ORDER BY decision_no$$,
                  $$VALUES ('金其〔C〕1号', '其他', '公开', '2026-09-01'::date, '2028-09-01'::date, NULL::text, NULL::date, '2028-09-01'::date,
                            '公示中', NULL::text, '有效', true),
                           ('金市监罚〔C〕30号', '行政处罚', '公开', '2026-09-01', '2028-01-01', '令第36号', '2027-09-01', '2028-01-01',
                            '公示中', NULL, '有效', true),
                           ('金市监罚〔C〕31号', '行政处罚', '公开', '2026-09-01', '2026-09-01', '令第36号', '2026-09-01', '2026-09-01',
                            '不公示', '令第36号: 不予公示', '有效', true)$$,
                  'computed for the batch as for one record: 严重 36 months cut to 5 years from the end of the conduct (2023-01-01), 轻微 not published under 令第36号, a positive item''s 24 months');
SELECT results_eq($$SELECT s.name, count(*) FROM credit.record r JOIN credit.subject s USING (subject_id)
                     WHERE s.uscc = '91330702MA2C000053' GROUP BY s.name$$,
                  $$VALUES ('归集丁有限公司', 2::bigint)$$,
                  'a new subject named twice in a batch is created once, as its first line names it');

-- the computed path is collect's alone: a department's own INSERT, with
-- any setting, has its columns computed by record_before_insert
SET credit_collection.batch_id = :batch3;
SELECT results_eq($$INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                                              violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name,
                                              subject_id, publicity_end, rule_set, publicity_state, lineage_id, category)
                    VALUES ('C.XZCF', '企业法人', '归集甲有限公司', '91330702MA2C00001N', '一般', '金市监罚〔C〕40号', '2026-09-28',
                            '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局',
                            (SELECT subject_id FROM credit.subject WHERE uscc = '91330702MA2C000066'), '2099-01-01', '伪造', '不公示', 1, '其他')
                    RETURNING category::text, publicity_end, rule_set, publicity_state, lineage_id = record_id,
                              subject_id = (SELECT subject_id FROM credit.subject WHERE uscc = '91330702MA2C00001N')$$,
                  $$VALUES ('行政处罚', '2027-09-28'::date, '令第36号', '公示中', true, true)$$,
                  'a plain INSERT that gives the derived columns, with any setting, gets them computed by the record''s trigger');
SELECT credit.open_batch('C.XZCF', 'fifth.csv', 0) AS batch5 \gset
SELECT is(public.regress_error(format('SELECT credit.collection_run(%s)', :batch5)),
          format('2F003: batch %s: credit.collection_run runs only inside credit.collect |  | Collect a batch with credit.collect(batch_id).', :batch5),
          'collect''s body cannot be called outside credit.collect');
SELECT is(public.regress_error(format('SELECT * FROM credit.collection_subjects(%s)', :batch5)),
          format('2F003: batch %s: credit.collection_subjects runs only inside credit.collect |  | Collect a batch with credit.collect(batch_id).', :batch5),
          'nor the subjects of a batch be created outside it');
SELECT is(public.regress_error(format('SELECT credit.collection_store(%s)', :batch5)),
          format('2F003: batch %s: credit.collection_store runs only inside credit.collect |  | Collect a batch with credit.collect(batch_id).', :batch5),
          'nor the batch''s INSERT, whose foreign keys are checked once for the batch, be run outside it');
SELECT is(credit.collection_stored(:batch5), NULL, 'outside credit.collect no batch has a stored count for its close to take');
-- lines are kept for their statement only
BEGIN;
SELECT is(public.regress_error(format('INSERT INTO credit.collection_load (batch_id, decision_no) SELECT %s, (1 / (2 - g))::text FROM generate_series(1, 3) AS g', :batch5)),
          '22012: division by zero |  | ', 'a load that fails midway stores none of its lines');
INSERT INTO credit.collection_load (batch_id, decision_no) VALUES (:batch5, '金市监罚〔C〕50号');
SELECT results_eq(format('SELECT decision_no FROM credit.collection_staging WHERE batch_id = %s', :batch5),
                  $$VALUES ('金市监罚〔C〕50号')$$, 'and leaves none for the next load of the transaction: it stores its own lines only');
COMMIT;
INSERT INTO credit.collection_load (batch_id, decision_no)
SELECT :batch5, left(public.regress_error('SELECT 1 / 0'), 5) || ' ' || g FROM generate_series(1, 3) AS g;
SELECT results_eq(format('SELECT decision_no FROM credit.collection_staging WHERE batch_id = %s AND decision_no LIKE %L ORDER BY staging_id', :batch5, '22012%'),
                  $$VALUES ('22012 1'), ('22012 2'), ('22012 3')$$,
                  'a load whose lines are computed with a rolled back subtransaction stores all of them, in order');
SELECT is(public.regress_error(
                 replace(replace(replace(replace(replace(replace(credit.collection_store_sql(), '$1', :'batch5'),
                         '$2', quote_literal('C.XZCF')), '$3', quote_literal('行政处罚')), '$4', quote_literal('公开')),
                         '$5', quote_literal('失信')), '$6', '12')),
          format('2F003: batch %s: credit.collection_subjects runs only inside credit.collect |  | Collect a batch with credit.collect(batch_id).', :batch5),
          'the batch''s INSERT run by a department as it stands is refused: no INSERT skips the per-row key checks but collect''s');
SELECT is((SELECT count(*)::integer FROM pg_trigger
             WHERE tgrelid = 'credit.record'::regclass AND tgfoid = 'pg_catalog."RI_FKey_check_ins"'::regproc AND tgenabled = 'O'), 4,
          'after collecting, the four foreign-key triggers of credit.record are as they were: enabled for every other INSERT');
SELECT results_eq($$SELECT v, credit.collection_is_date(v) FROM (VALUES ('2024-02-29'), ('2023-02-29'), ('1900-02-29'), ('2000-02-29'),
                                                                      ('2026-04-31'), ('2026-12-31'), ('2026-13-01'), ('0000-01-01'),
                                                                      ('2026-1-01'), ('2026-01-01 '), ('２026-01-01'), (''), (NULL)) AS t(v)$$,
                  $$VALUES ('2024-02-29', true), ('2023-02-29', false), ('1900-02-29', false), ('2000-02-29', true),
                           ('2026-04-31', false), ('2026-12-31', true), ('2026-13-01', false), ('0000-01-01', false),
                           ('2026-1-01', false), ('2026-01-01 ', false), ('２026-01-01', false), ('', false), (NULL, NULL::boolean)$$,
                  'a date is YYYY-MM-DD of the Gregorian calendar: leap years, the month''s days, nothing around it');
SELECT is(public.regress_error('SELECT credit.record_accepted()'),
          '42501: permission denied for function record_accepted |  | ', 'nor the trusting trigger be called');
RESET ROLE;

-- the single-row paths keep their row-precise errors
SET ROLE regress_scjg;
SELECT is(public.regress_error($$INSERT INTO credit.record_load (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date,
                                     violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
                                 VALUES ('C.XZCF', '企业法人', '单条有限公司', '91330702MA2C00002R', '单〔C〕1号', '2026-09-28',
                                         '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '市场监管局')$$),
          '23502: negative record 单〔C〕1号 needs a severity |  | Set severity to 轻微, 一般 or 严重.',
          'record_load still refuses a bad row with the rule''s own error');
RESET ROLE;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
