-- bench/disclosure.sql: setup of the disclosure (row security) benchmark,
-- run by bench/disclosure.sh as the superuser in its throwaway cluster.
--
-- psql variables: scale (records), nsubj (subjects), ndept (departments).
--
-- Creates the roles, the reference data, :nsubj subjects and :scale records
-- with set-based INSERT ... SELECT under session_replication_role = replica
-- (the triggers -- record_before_insert, subject_name_key -- and the foreign
-- key triggers do not fire, so every column the triggers would set is filled
-- here, and the result is checked afterwards), rebuilds the record indexes
-- from their extension definitions, VACUUM ANALYZE, and defines
-- bench_assert_extension() (the extension is the one this benchmark
-- expects), bench_run(), the timed loop, and bench_result(), for checking
-- that compared variants return the same rows.
-- Load phase times go to bench_load.  See bench/README.md.

\set ON_ERROR_STOP on

CREATE EXTENSION IF NOT EXISTS credit;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET jit = off;

CREATE TABLE bench_load (phase text PRIMARY KEY, ms double precision NOT NULL);

-- ------------------------------------------------------------------
-- Helpers for generating valid identifiers
-- ------------------------------------------------------------------
-- bench_ms(), bench_base31_9()
\ir common.sql

-- A valid 18-character 公民身份号码 for i (distinct for i < 20 000 000):
-- region 330702 (金华市婺城区), a birth date 1950-01-01 + (i mod 20000) days,
-- sequence number i / 20000, and the GB 11643 MOD 11-2 check character.
CREATE FUNCTION bench_resident_id(i bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
BEGIN ATOMIC
    SELECT b.b || substr('10X98765432',
                         (SELECT sum(substr(b.b, k::int, 1)::int * w)
                            FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t(w, k))::int % 11 + 1, 1)
      FROM (SELECT '330702' || to_char(date '1950-01-01' + (i % 20000)::int, 'YYYYMMDD')
                   || lpad(((i / 20000) % 1000)::text, 3, '0') AS b) AS b;
END;

DO $$
BEGIN
    IF EXISTS (SELECT FROM generate_series(0, 19999999, 99991) AS i
                WHERE NOT credit.resident_id_is_valid(bench_resident_id(i))) THEN
        RAISE EXCEPTION 'bench: bench_resident_id makes invalid numbers';
    END IF;
END
$$;

-- ------------------------------------------------------------------
-- Roles, departments, catalogue
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset

CREATE ROLE bench_dept;     -- the measured department role (D01)
CREATE ROLE bench_portal;   -- the public portal
CREATE ROLE bench_centre;
CREATE ROLE bench_bank;
SELECT format('CREATE ROLE bench_d%s', lpad(d::text, 2, '0')) FROM generate_series(2, :ndept) d \gexec

-- :ndept departments (names cycle through 20 real ones).
INSERT INTO credit.department (department_id, code, name, uscc)
OVERRIDING SYSTEM VALUE
SELECT d, 'D' || lpad(d::text, 2, '0'),
       '金华市' || (ARRAY['市场监督管理局', '税务局', '生态环境局', '人力资源和社会保障局', '住房和城乡建设局',
                       '交通运输局', '卫生健康委员会', '应急管理局', '自然资源和规划局', '文化广电旅游局',
                       '商务局', '农业农村局', '水利局', '教育局', '公安局', '民政局', '司法局',
                       '医疗保障局', '中级人民法院', '消防救援支队'])[(d - 1) % 20 + 1]
           || CASE WHEN d > 20 THEN (d / 20)::text ELSE '' END,
       credit.uscc_complete('11330700MB' || lpad(d::text, 7, '0'))
  FROM generate_series(1, :ndept) d;

-- Six items per department: 公开 (a negative penalty, a positive licence),
-- 授权查询 (a negative and a neutral one), 部门共享 (a negative and a positive one).
CREATE TEMP TABLE bench_item_kind (suffix, item_name, category, polarity, default_disclosure, publicity_months) AS
VALUES ('XZCF', '行政处罚',         '行政处罚'::credit.catalogue_category, '失信'::credit.polarity, '公开'::credit.disclosure_level, NULL::int),
       ('XZXK', '行政许可',         '行政许可', '守信', '公开', 36),
       ('QS',   '欠缴信息',         '其他',     '失信', '授权查询', NULL),
       ('XYPJ', '信用评价',         '信用评价', '中性', '授权查询', 12),
       ('JYYC', '经营异常名录',     '经营异常名录', '失信', '部门共享', NULL),
       ('HMD',  '守信激励对象名单', '红名单',   '守信', '部门共享', NULL);

INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id,
                                   repairable, publicity_months, retention_years, legal_basis)
SELECT d.code || '.' || k.suffix, d.name || k.item_name, k.category, k.polarity, k.default_disclosure,
       d.department_id, k.polarity = '失信',
       -- licences of even departments stay public without an end
       CASE WHEN k.suffix = 'XZXK' AND d.department_id % 2 = 0 THEN NULL ELSE k.publicity_months END,
       5, '《公共信用信息目录》'
  FROM credit.department d CROSS JOIN bench_item_kind k;

INSERT INTO credit.catalogue_period (item_code, severity, min_months, max_months, rule_set)
SELECT i.item_code, p.severity, p.min_months, p.max_months, '令第36号'
  FROM credit.catalogue_item i
 CROSS JOIN (VALUES ('一般'::credit.severity, 3, 12), ('严重', 12, 36)) AS p(severity, min_months, max_months)
 WHERE i.polarity = '失信';

SELECT credit.register_centre_role('bench_centre');
SELECT credit.register_department_role('bench_dept', 'D01');
SELECT credit.register_department_role(format('bench_d%s', lpad(d::text, 2, '0'))::regrole, 'D' || lpad(d::text, 2, '0'))
  FROM generate_series(2, :ndept) d;
SELECT credit.register_portal_role('bench_portal');
SELECT credit.register_agency_role('bench_bank', '示例银行');

INSERT INTO bench_load SELECT 'reference data and roles', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- Subjects: 20 % natural persons, 50 % 企业法人, 20 % 个体工商户, 5 % 非企业法人,
-- 5 % 其他组织.  Triggers off: name_key is filled here.
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
SET session_replication_role = replica;

INSERT INTO credit.subject (subject_id, kind, uscc, resident_id, name, name_key, legal_rep_name, legal_rep_id, created_at)
OVERRIDING SYSTEM VALUE
SELECT i, kind,
       CASE WHEN kind <> '自然人' THEN
           credit.uscc_complete(CASE kind WHEN '企业法人' THEN '91' WHEN '个体工商户' THEN '92'
                                          WHEN '非企业法人' THEN '12' ELSE '52' END
                                || '330702' || bench_base31_9(i * 2654435761 % 26439622160671)) END,
       CASE WHEN kind = '自然人' THEN bench_resident_id(i)::credit.resident_id END,
       name, credit.normalize_name(name),
       CASE WHEN kind IN ('企业法人', '个体工商户') THEN person END,
       CASE WHEN kind = '企业法人' THEN bench_resident_id(i)::credit.resident_id END,
       now() - interval '5 years'
  FROM (SELECT i, kind,
               CASE kind WHEN '自然人' THEN person
                         WHEN '企业法人' THEN '金华市' || (ARRAY['兴业', '宏达', '恒通', '华盛', '金信', '永康', '婺城', '八咏', '双龙', '明辉'])[i % 10 + 1]
                                              || (ARRAY['商贸', '建设', '食品', '科技', '物流', '药业', '五金', '纺织'])[i % 8 + 1] || i || '有限公司'
                         WHEN '个体工商户' THEN '金华市婺城区' || person || i || (ARRAY['小吃店', '五金店', '便利店', '理发店'])[i % 4 + 1]
                         WHEN '非企业法人' THEN '金华市第' || i || '中学'
                         ELSE '金华市' || i || '号社会服务中心' END AS name,
               person
          FROM (SELECT i,
                       CASE WHEN i % 10 < 2 THEN '自然人' WHEN i % 10 < 7 THEN '企业法人' WHEN i % 10 < 9 THEN '个体工商户'
                            WHEN i % 20 = 9 THEN '非企业法人' ELSE '其他组织' END::credit.subject_kind AS kind,
                       (ARRAY['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴', '徐', '孙', '朱', '马', '胡', '郭', '林', '何', '高', '罗'])[i % 20 + 1]
                       || (ARRAY['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超'])[i / 20 % 18 + 1] AS person
                  FROM generate_series(1, :nsubj) AS i) AS a) AS b;

RESET session_replication_role;
INSERT INTO bench_load SELECT 'subjects', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- Records.  The record indexes other than the primary key are dropped and
-- rebuilt afterwards from their own definitions (pg_get_indexdef), as a
-- bulk load would; the set of index definitions is checked to be the same.
-- ------------------------------------------------------------------
CREATE TEMP TABLE bench_record_index AS
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'credit.record'::regclass AND NOT i.indisprimary;
SELECT format('DROP INDEX credit.%I', name) FROM bench_record_index \gexec

SELECT clock_timestamp() AS t0 \gset
SET session_replication_role = replica;

-- decision dates run over the last four years, growing with record_id
-- (records arrive in time order), each up to a week early; disclosure drawn
-- 50 % 公开, 25 % 授权查询, 25 % 部门共享, and the item of that default
-- disclosure in a random department; a natural person's 公开 draw becomes
-- 授权查询; states 97 % 有效, 2 % 已撤回, 1 % 已更正.
INSERT INTO credit.record (
        record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name,
        subject_uscc, subject_resident_id, legal_rep_name, legal_rep_id, disclosure, severity,
        decision_no, decision_date,
        violation_type, violation_facts, penalty_basis, penalty_category, penalty_content,
        fine_amount, confiscated_amount, licence_suspended, penalty_valid_until,
        licence_doc_name, licence_category, licence_name, licence_no, valid_from, valid_until, licence_content,
        authority_name, authority_uscc, source_name, source_uscc, remarks,
        publicity_start, publicity_end, state, state_reason, corrects, submitted_by, submitted_at)
OVERRIDING SYSTEM VALUE
SELECT x.rid, x.rid, i.item_code, i.category, i.department_id, s.subject_id, s.kind, s.name,
       s.uscc, s.resident_id, s.legal_rep_name, s.legal_rep_id,
       CASE WHEN s.kind = '自然人' AND x.level = '公开' THEN '授权查询' ELSE x.level END,
       x.sev,
       format('金%s〔%s〕%s号', CASE i.category WHEN '行政处罚' THEN '罚' WHEN '行政许可' THEN '许' ELSE '信' END,
              extract(year FROM x.ddate), x.rid),
       x.ddate,
       -- 行政处罚
       CASE WHEN pen THEN (ARRAY['虚假宣传', '无证经营', '超标排放', '偷逃税款', '违规施工'])[x.rid % 5 + 1] END,
       CASE WHEN pen THEN '经查, 当事人于' || to_char(x.ddate - 30, 'YYYY年MM月DD日') || '实施了违法行为, 事实清楚, 证据确凿。' END,
       CASE WHEN pen THEN '《中华人民共和国行政处罚法》第二十八条' END,
       CASE WHEN pen THEN (ARRAY['警告', '罚款', '没收违法所得、没收非法财物'])[x.rid % 3 + 1] END,
       CASE WHEN pen THEN '罚款' || x.fine || '万元' END,
       CASE WHEN pen THEN x.fine END,
       CASE WHEN pen THEN 0 END,
       NULL,
       CASE WHEN pen THEN x.ddate + 180 END,
       -- 行政许可
       CASE WHEN lic THEN '行政许可决定书' END,
       CASE WHEN lic THEN '普通' END,
       CASE WHEN lic THEN (ARRAY['食品经营许可证', '排污许可证', '建筑工程施工许可证', '道路运输经营许可证'])[x.rid % 4 + 1] END,
       CASE WHEN lic THEN 'XK' || i.department_id || '-' || x.rid END,
       CASE WHEN lic THEN x.ddate END,
       CASE WHEN lic THEN x.ddate + 5 * 365 END,
       CASE WHEN lic THEN '准予行政许可' END,
       d.name, d.uscc, d.name, d.uscc, NULL,
       -- what record_before_insert would set
       x.ddate,
       CASE WHEN i.polarity = '失信' THEN (x.ddate + make_interval(months => p.max_months))::date
            WHEN i.publicity_months IS NOT NULL THEN (x.ddate + make_interval(months => i.publicity_months))::date END,
       x.state,
       CASE x.state WHEN '已撤回' THEN '数据报送错误' WHEN '已更正' THEN '更正决定日期' END,
       NULL,
       pa.role,
       least(x.ddate + x.delay + interval '9 hours', now())
  FROM (SELECT u.*,
               CASE WHEN u.u_level < 0.5 THEN '公开' WHEN u.u_level < 0.75 THEN '授权查询' ELSE '部门共享' END::credit.disclosure_level AS level,
               'D' || lpad(u.dept::text, 2, '0') || '.'
                   || CASE WHEN u.u_level < 0.5 THEN CASE WHEN u.u_item < 0.5 THEN 'XZCF' ELSE 'XZXK' END
                           WHEN u.u_level < 0.75 THEN CASE WHEN u.u_item < 0.5 THEN 'QS' ELSE 'XYPJ' END
                           ELSE CASE WHEN u.u_item < 0.5 THEN 'JYYC' ELSE 'HMD' END END AS item_code,
               CASE WHEN u.u_item < 0.5 THEN CASE WHEN u.u_sev < 0.7 THEN '一般' ELSE '严重' END END::credit.severity AS sev,
               CASE WHEN u.u_state < 0.97 THEN '有效' WHEN u.u_state < 0.99 THEN '已撤回' ELSE '已更正' END::credit.record_state AS state
          FROM (SELECT g AS rid,
                       1 + floor(random() * :nsubj)::bigint AS sid,
                       1 + floor(random() * :ndept)::int AS dept,
                       random() AS u_level, random() AS u_item, random() AS u_sev, random() AS u_state,
                       round((random() * 50)::numeric, 4) AS fine,
                       credit.legal_date() - 1460 + floor(1460.0 * g / :scale)::int - floor(random() * 8)::int AS ddate,
                       floor(random() * 10)::int AS delay
                  FROM generate_series(1, :scale) AS g) AS u) AS x
  JOIN credit.subject s ON s.subject_id = x.sid
  JOIN credit.catalogue_item i ON i.item_code = x.item_code
  JOIN credit.department d ON d.department_id = i.department_id
  JOIN credit.party pa ON pa.kind = '部门' AND pa.department_id = i.department_id
  LEFT JOIN credit.catalogue_period p ON p.item_code = i.item_code AND p.severity = x.sev
 CROSS JOIN LATERAL (SELECT i.category = '行政处罚' AS pen, i.category = '行政许可' AS lic) AS c;

RESET session_replication_role;
INSERT INTO bench_load SELECT 'records (INSERT ... SELECT, triggers off)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

SELECT clock_timestamp() AS t0 \gset
SELECT def FROM bench_record_index \gexec
INSERT INTO bench_load SELECT 'record indexes (rebuilt)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

DO $$
BEGIN
    IF EXISTS (SELECT def FROM bench_record_index
               EXCEPT SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'credit.record'::regclass)
       OR (SELECT count(*) FROM pg_index WHERE indrelid = 'credit.record'::regclass AND NOT indisprimary)
          <> (SELECT count(*) FROM bench_record_index) THEN
        RAISE EXCEPTION 'bench: the record indexes were not rebuilt as defined';
    END IF;
END
$$;

SELECT setval(pg_get_serial_sequence('credit.department', 'department_id'), (SELECT max(department_id) FROM credit.department));
SELECT setval(pg_get_serial_sequence('credit.subject', 'subject_id'), (SELECT max(subject_id) FROM credit.subject));
SELECT setval(pg_get_serial_sequence('credit.record', 'record_id'), (SELECT max(record_id) FROM credit.record));

SELECT clock_timestamp() AS t0 \gset
VACUUM ANALYZE credit.subject;
VACUUM ANALYZE credit.record;
ANALYZE credit.department, credit.party, credit.catalogue_item, credit.catalogue_period;
INSERT INTO bench_load SELECT 'VACUUM ANALYZE', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- The data is what the triggers and foreign keys would have allowed
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
DO $$
DECLARE
    bad text;
BEGIN
    SELECT CASE
             WHEN count(*) FILTER (WHERE s.subject_id IS NULL) > 0 THEN 'record without its subject'
             WHEN count(*) FILTER (WHERE s.kind <> r.subject_kind OR s.name <> r.subject_name
                                      OR s.uscc::text IS DISTINCT FROM r.subject_uscc::text
                                      OR s.resident_id::text IS DISTINCT FROM r.subject_resident_id::text) > 0 THEN 'record not matching its subject'
             WHEN count(*) FILTER (WHERE i.item_code IS NULL OR i.category <> r.category
                                      OR i.department_id <> r.department_id) > 0 THEN 'record not matching its item'
             WHEN count(*) FILTER (WHERE r.subject_kind = '自然人' AND r.disclosure = '公开') > 0 THEN 'a natural person''s record is 公开'
             WHEN count(*) FILTER (WHERE (i.polarity = '失信') <> (r.severity IS NOT NULL)) > 0 THEN 'severity not matching the polarity'
             WHEN count(*) FILTER (WHERE r.publicity_start <> r.decision_date
                                      OR r.publicity_end IS DISTINCT FROM
                                         CASE WHEN i.polarity = '失信' THEN (r.decision_date + make_interval(months => p.max_months))::date
                                              WHEN i.publicity_months IS NOT NULL THEN (r.decision_date + make_interval(months => i.publicity_months))::date END)
                                  > 0 THEN 'publicity period not as the catalogue says'
             WHEN count(*) FILTER (WHERE pa.department_id IS DISTINCT FROM r.department_id) > 0 THEN 'submitted_by is not a role of the department'
             WHEN count(*) FILTER (WHERE r.decision_date > credit.legal_date() OR r.submitted_at > now()) > 0 THEN 'dates in the future'
           END
      INTO bad
      FROM credit.record r
      LEFT JOIN credit.subject s ON s.subject_id = r.subject_id
      LEFT JOIN credit.catalogue_item i ON i.item_code = r.item_code
      LEFT JOIN credit.catalogue_period p ON p.item_code = r.item_code AND p.severity = r.severity
      LEFT JOIN credit.party pa ON pa.role = r.submitted_by;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'bench: generated data is wrong: %', bad;
    END IF;
END
$$;
INSERT INTO bench_load SELECT 'check of the generated data', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- The extension as this benchmark expects it
-- ------------------------------------------------------------------
-- The party helpers and the row predicates in C, policies TO the
-- party-kind group roles, the read policies of a department and of the
-- portal on record and list_entry asking the row predicates
-- (record_department_sees, record_authorised_reads, list_entry_department_reads,
-- acting_for) with no sub-SELECT (no InitPlan), credit.public_record owned by credit_public_views and neither
-- security_invoker nor security_barrier, and record_public the listing
-- index (publicity_start DESC, record_id DESC).  Checked once here: the
-- setup fails on an older extension.
CREATE PROCEDURE bench_assert_extension()
LANGUAGE plpgsql AS $$
DECLARE
    q text;
    bad text[] := '{}';
BEGIN
    IF EXISTS (SELECT FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                WHERE p.oid IN ('credit.current_party_kind()'::regprocedure,
                                'credit.current_department_id()'::regprocedure)
                  AND l.lanname <> 'c')
       OR (SELECT count(*) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.oid IN (to_regprocedure('credit.in_department_scope(integer)'),
                            to_regprocedure('credit.acting_for(bigint)'),
                            to_regprocedure('credit.authorised_for(bigint, credit.catalogue_category)'))
              AND l.lanname = 'c') <> 3 THEN
        bad := bad || 'party helpers or row predicates not in C'::text;
    END IF;
    FOR q IN SELECT x FROM (VALUES
            ('record', 'record_department', 'record_department_sees', '{credit_department_parties}', false),
            ('list_entry', 'list_entry_department', 'list_entry_department_reads', '{credit_department_parties}', false),
            ('record', 'record_authorised', 'record_authorised_reads', '{credit_agency_parties}', false),
            ('record', 'record_centre', 'current_party_kind', '{credit_centre_parties}', true),
            ('record', 'record_acting', 'acting_for', '{credit_portal_parties}', false)) AS v(tab, pol, fn, roles, initplan),
            LATERAL (SELECT format('%s on %s', v.pol, v.tab) AS x
                      WHERE NOT EXISTS (SELECT FROM pg_policies p
                                         WHERE p.schemaname = 'credit' AND p.tablename = v.tab AND p.policyname = v.pol
                                           AND p.qual LIKE '%' || v.fn || '%' AND p.qual NOT LIKE '%EXISTS%'
                                           AND (p.qual LIKE '%SELECT%') = v.initplan
                                           AND p.roles::text[] = v.roles::text[])) AS m
    LOOP
        bad := bad || ('policy ' || q || ' not as expected');
    END LOOP;
    IF coalesce(pg_get_indexdef(to_regclass('credit.record_public')), '') NOT LIKE '%(publicity_start DESC, record_id DESC)%' THEN
        bad := bad || 'record_public is not the listing index'::text;
    END IF;
    IF (SELECT coalesce('security_barrier=true' = ANY (reloptions), false)
               OR coalesce('security_invoker=true' = ANY (reloptions), false)
               OR relowner <> to_regrole('credit_public_views')
          FROM pg_class WHERE oid = 'credit.public_record'::regclass) THEN
        bad := bad || 'credit.public_record is not a view of credit_public_views without security_invoker and security_barrier'::text;
    END IF;
    IF cardinality(bad) > 0 THEN
        RAISE EXCEPTION 'bench: the extension is not as this benchmark expects: %', array_to_string(bad, '; ');
    END IF;
END
$$;
CALL bench_assert_extension();

-- What the superuser reads instead of credit.public_record: the same
-- definition (pg_get_viewdef), as a security_invoker view of the superuser,
-- so no row security applies (credit.public_record reads with its owner's).
SELECT format('CREATE VIEW public.bench_public_record WITH (security_invoker = true) AS %s',
              pg_get_viewdef('credit.public_record'::regclass)) \gexec

-- ------------------------------------------------------------------
-- The timed loop
-- ------------------------------------------------------------------
-- The record read policies as three C predicates, a department under all
-- three, as they were before record_department_sees (2026-12-02, main at
-- 0376ea0): the "_three" variants run inside BEGIN; SELECT
-- bench_policies_three(); ... ROLLBACK; (as the "_sql" ones below).
CREATE FUNCTION public.bench_policies_three() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ALTER POLICY record_public ON credit.record TO PUBLIC;
    ALTER POLICY record_department ON credit.record
        USING (credit.record_department_reads(department_id, disclosure, state, publicity_state, publicity_end));
    ALTER POLICY record_authorised ON credit.record TO credit_agency_parties, credit_department_parties;
END
$$;

-- Without the restrictive policy record_shared_read (issue 17, logged
-- shared reads): the "_noshared" variants run inside BEGIN; SELECT
-- bench_policies_noshared(); ... ROLLBACK;, the same rows as the installed
-- policies while no item logs its shared reads.  The "_logged" variants
-- set log_shared_reads on every catalogue item, so that every 部门共享
-- record of another department asks the logged items' cache (and is
-- hidden: fewer rows).
CREATE FUNCTION public.bench_policies_noshared() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP POLICY record_shared_read ON credit.record;
END
$$;
CREATE FUNCTION public.bench_policies_logged() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE credit.catalogue_item SET log_shared_reads = true;
END
$$;

-- The record read policies as SQL conditions, as they were before the
-- record predicates (2026-12-02): bench/disclosure.sh runs its "_sql"
-- variants inside BEGIN; SELECT bench_policies_in_sql(); ... ROLLBACK;, so
-- the policies change only for that measurement, side by side with the
-- installed ones.  The same rows (checked by bench/disclosure.sh).
-- ------------------------------------------------------------------
CREATE FUNCTION public.bench_policies_in_sql() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public.bench_policies_three();
    ALTER POLICY record_public ON credit.record
        USING (disclosure = '公开' AND state = '有效'
               AND publicity_start <= credit.legal_date()
               AND (publicity_end IS NULL OR publicity_end > credit.legal_date()));
    ALTER POLICY record_department ON credit.record
        USING (credit.in_department_scope(
                   CASE WHEN disclosure = '部门共享' AND state = '有效' AND publicity_state <> '已修复'
                             AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0
                        ELSE department_id END));
    ALTER POLICY record_authorised ON credit.record
        USING (disclosure = '授权查询' AND state = '有效' AND publicity_state <> '已修复'
               AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
               AND credit.authorised_for(subject_id, category));
END
$$;

-- ------------------------------------------------------------------
-- The listing page queries, one a kind (the same as page_query() in
-- bench/disclosure.sh), each followed by
--   ORDER BY publicity_start DESC, record_id DESC LIMIT 20 OFFSET k.
-- bench_run() and bench_result() get their page branches from this list,
-- generated with format() (bench_run: one a kind and page, k = 0, 20, 200);
-- every generated query is still static SQL in the function.
CREATE TEMP TABLE bench_page_query (kind, query, ord) AS
VALUES ('rls',      'SELECT * FROM credit.public_record', 1),
       ('rlspred2', 'SELECT * FROM credit.public_record WHERE disclosure = ''公开'' AND state = ''有效''', 2),
       ('rlspred',  'SELECT * FROM credit.public_record WHERE disclosure = ''公开'' AND state = ''有效'''
                    || ' AND publicity_start <= credit.legal_date() AND (publicity_end IS NULL OR publicity_end > credit.legal_date())', 3),
       ('su',       'SELECT * FROM public.bench_public_record WHERE disclosure = ''公开'' AND state = ''有效'''
                    || ' AND publicity_start <= credit.legal_date() AND (publicity_end IS NULL OR publicity_end > credit.legal_date())', 4);

-- bench_cpu_ms(): the CPU time this backend has run, in ms (Linux:
-- /proc/self/schedstat, nanoseconds on the CPU), NULL where it cannot be
-- read.  On a shared machine the wall clock also counts the time the
-- backend waited for a CPU; bench_run reports both.
CREATE FUNCTION public.bench_cpu_ms() RETURNS double precision
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN pg_catalog.split_part(pg_catalog.pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint / 1e6;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

-- bench_run(variant, seed, nsubj, n, budget_ms) runs, in the server, the
-- variant's query n times (lookups: n random subject ids drawn after
-- setseed(seed), the same for every variant of a round) or, for listing
-- pages, the same page up to n times or until budget_ms has passed; returns
-- "queries|rows|ms|cpu_ms" (clock_timestamp() and bench_cpu_ms() around
-- the loop; for a name search the CPU time includes drawing the names).  Variants ending in
-- _su must run as the superuser (no row security), the others as a role.
-- Every query is static SQL: PL/pgSQL keeps its plan, as a prepared
-- statement would; a plan made for one role is not reused by another.
-- The superuser reads public.bench_public_record, the same view definition
-- without row security, with the public predicate written out:
--   lookup_su, lookup_rls      SELECT * FROM credit.record WHERE subject_id = $1
--   public_rls                 SELECT * FROM credit.public_record WHERE subject_id = $1
--   public_su                  the same from bench_public_record, public predicate written out
--   pageK_rls                  SELECT * FROM credit.public_record ORDER BY publicity_start DESC, record_id DESC LIMIT 20 OFFSET K
--   pageK_rlspred              the same with the public predicate written out
--   pageK_su                   that from bench_public_record
--   pageK_rlspred2             the same with only disclosure = '公开' AND state = '有效' written
--                              (what the portal application needs: row security adds the dates)
SELECT format($fn$
CREATE FUNCTION bench_run(variant text, seed double precision, nsubj bigint, n integer, budget_ms double precision)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    su boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
    ids bigint[];
    sid bigint;
    q integer := 0;
    nrows bigint := 0;
    c bigint;
    t0 timestamptz;
    c0 double precision;
BEGIN
    IF su IS DISTINCT FROM (variant LIKE '%%\_su') THEN
        RAISE EXCEPTION 'bench: variant %% run as %%', variant, current_user;
    END IF;
    IF variant LIKE 'name\_%%' THEN
        c0 := public.bench_cpu_ms();
        RETURN public.bench_name_run(variant, seed, n) || '|' || coalesce(round((public.bench_cpu_ms() - c0)::numeric, 3)::text, '');
    END IF;
    PERFORM setseed(seed);
    ids := ARRAY(SELECT 1 + floor(random() * nsubj)::bigint FROM generate_series(1, n));
    c0 := public.bench_cpu_ms();
    t0 := clock_timestamp();
    CASE
    WHEN variant IN ('lookup_rls', 'lookup_su') THEN
        FOREACH sid IN ARRAY ids LOOP
            PERFORM * FROM credit.record WHERE subject_id = sid;
            GET DIAGNOSTICS c = ROW_COUNT;
            nrows := nrows + c;
        END LOOP;
        q := n;
    WHEN variant = 'public_rls' THEN
        FOREACH sid IN ARRAY ids LOOP
            PERFORM * FROM credit.public_record WHERE subject_id = sid;
            GET DIAGNOSTICS c = ROW_COUNT;
            nrows := nrows + c;
        END LOOP;
        q := n;
    WHEN variant = 'public_su' THEN
        FOREACH sid IN ARRAY ids LOOP
            PERFORM * FROM public.bench_public_record
             WHERE subject_id = sid
               AND disclosure = '公开' AND state = '有效' AND publicity_start <= credit.legal_date()
               AND (publicity_end IS NULL OR publicity_end > credit.legal_date());
            GET DIAGNOSTICS c = ROW_COUNT;
            nrows := nrows + c;
        END LOOP;
        q := n;
    WHEN variant ~ '^page[0-9]+_[a-z0-9]+$' THEN
        LOOP
            CASE
%s
            END CASE;
            GET DIAGNOSTICS c = ROW_COUNT;
            nrows := nrows + c;
            q := q + 1;
            EXIT WHEN q >= n OR clock_timestamp() - t0 >= budget_ms * interval '1 millisecond';
        END LOOP;
    END CASE;
    RETURN format('%%s|%%s|%%s|%%s', q, nrows, round(1000 * extract(epoch FROM clock_timestamp() - t0), 3),
                  round((public.bench_cpu_ms() - c0)::numeric, 3));
END
$$;
$fn$,
    string_agg(format($b$            WHEN variant = 'page%s_%s' THEN
                PERFORM %s ORDER BY publicity_start DESC, record_id DESC LIMIT 20 OFFSET %s;$b$,
                      k, kind, substr(query, length('SELECT ') + 1), k), E'\n' ORDER BY ord, k))
  FROM bench_page_query, (VALUES (0), (20), (200)) AS page(k) \gexec

-- What a variant returns, to check that the portal under row security
-- (whole predicate, disclosure and state only, or none) and the superuser
-- with the predicate written out see the same rows:
-- lookups: count and sum of record_id over the n subjects of seed;
-- pages: the record_ids of the page in order.  The same queries as bench_run.
SELECT format($fn$
CREATE FUNCTION bench_result(variant text, seed double precision, nsubj bigint, n integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    k integer := substring(variant FROM '^page([0-9]+)_')::integer;
    result text;
BEGIN
    IF variant LIKE 'name\_%%' THEN
        RETURN public.bench_name_result(variant, seed, n);
    END IF;
    PERFORM setseed(seed);
    ids := ARRAY(SELECT 1 + floor(random() * nsubj)::bigint FROM generate_series(1, n));
    CASE
    WHEN variant IN ('lookup_rls', 'lookup_su') THEN
        SELECT count(*) || ':' || coalesce(sum(record_id), 0) INTO result
          FROM credit.record WHERE subject_id = ANY (ids);
    WHEN variant = 'public_rls' THEN
        SELECT count(*) || ':' || coalesce(sum(record_id), 0) INTO result
          FROM credit.public_record WHERE subject_id = ANY (ids);
    WHEN variant = 'public_su' THEN
        SELECT count(*) || ':' || coalesce(sum(record_id), 0) INTO result
          FROM public.bench_public_record
         WHERE subject_id = ANY (ids)
           AND disclosure = '公开' AND state = '有效' AND publicity_start <= credit.legal_date()
           AND (publicity_end IS NULL OR publicity_end > credit.legal_date());
%s
    END CASE;
    RETURN coalesce(result, '');
END
$$;
$fn$,
    string_agg(format($b$    WHEN variant ~ '^page[0-9]+_%s$' THEN
        SELECT string_agg(record_id::text, ',') INTO result
          FROM (%s ORDER BY publicity_start DESC, record_id DESC LIMIT 20 OFFSET k) AS p;$b$,
                      kind, query), E'\n' ORDER BY ord))
  FROM bench_page_query \gexec

-- ------------------------------------------------------------------
-- Search by name (issue 13).  public.bench_name: every organisation's name
-- (what a user types; the portal cannot read credit.subject.name), the
-- start a user types for a prefix search (the name without its last four
-- characters) and a part for a partial search (without the first three
-- and the last two).  With pg_trgm available, a GIN trigram index on
-- name_key_public, as docs/disclosure.md describes.
-- bench_name_run(variant, seed, n): n searches for names drawn after
-- setseed(seed), as bench_run; bench_name_result: count and sum of the
-- subject ids found; both through bench_name_search().
--   name_eq_su          credit.subject WHERE name_key = normalize_name($1) (index subject_name_key)
--   name_eq_rls         credit.find_subject($1)
--   name_prefix_su      credit.subject WHERE name_key_public in [key, key || U+10FFFF]
--   name_prefix_rls     credit.find_subject($1, true)
--   name_contains_su    credit.subject WHERE name_key_public LIKE '%' || key || '%'
--   name_part_rls       credit.find_subject($1, partial => true)
--   name_contains_rls   credit.public_subject WHERE name_key LIKE '%' || key || '%'
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
CREATE TABLE public.bench_name AS
SELECT row_number() OVER (ORDER BY subject_id)::integer AS n, name,
       left(name, length(name) - 4) AS prefix, substr(name, 4, length(name) - 5) AS part
  FROM credit.subject WHERE kind <> '自然人';
ALTER TABLE public.bench_name ADD PRIMARY KEY (n);
GRANT SELECT ON public.bench_name TO PUBLIC;
ANALYZE public.bench_name;
SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_trgm') AS have_trgm \gset
\if :have_trgm
CREATE EXTENSION pg_trgm;
CREATE INDEX subject_name_key_trgm ON credit.subject USING gin (name_key_public gin_trgm_ops)
 WHERE name_key_public IS NOT NULL;
\endif
INSERT INTO bench_load SELECT 'name search (bench_name, trigram index)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

CREATE FUNCTION public.bench_name_draw(seed double precision, n integer, OUT names text[], OUT prefixes text[], OUT parts text[])
LANGUAGE plpgsql AS $$
DECLARE
    nb integer := (SELECT max(b.n) FROM public.bench_name b);
BEGIN
    PERFORM setseed(seed);
    SELECT array_agg(b.name ORDER BY d.o), array_agg(b.prefix ORDER BY d.o), array_agg(b.part ORDER BY d.o)
      INTO names, prefixes, parts
      FROM (SELECT o, 1 + floor(random() * nb)::integer AS i FROM generate_series(1, n) AS o) d
      JOIN public.bench_name b ON b.n = d.i;
END
$$;

-- One function for both: every search is counted (count and sum of the
-- subject ids found), as the other sections' loops count rows.
CREATE FUNCTION public.bench_name_search(variant text, seed double precision, n integer,
                                         OUT nrows bigint, OUT ids bigint, OUT ms numeric)
LANGUAGE plpgsql AS $$
DECLARE
    d record := public.bench_name_draw(seed, n);
    x text;
    c bigint;
    s bigint;
    t0 timestamptz := clock_timestamp();
BEGIN
    nrows := 0;
    ids := 0;
    FOREACH x IN ARRAY CASE WHEN variant LIKE 'name\_eq\_%' THEN d.names
                            WHEN variant LIKE 'name\_prefix\_%' THEN d.prefixes ELSE d.parts END LOOP
        CASE variant
        WHEN 'name_eq_su' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.subject WHERE name_key = credit.normalize_name(x);
        WHEN 'name_eq_rls' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.find_subject(x);
        WHEN 'name_prefix_su' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.subject
             WHERE name_key_public >= credit.normalize_name(x) AND name_key_public <= credit.normalize_name(x) || chr(1114111);
        WHEN 'name_prefix_rls' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.find_subject(x, true);
        WHEN 'name_contains_su' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.subject
             WHERE name_key_public LIKE '%' || credit.normalize_name(x) || '%';
        WHEN 'name_part_rls' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.find_subject(x, partial => true);
        WHEN 'name_contains_rls' THEN
            SELECT count(*), sum(subject_id) INTO c, s FROM credit.public_subject
             WHERE name_key LIKE '%' || credit.normalize_name(x) || '%';
        END CASE;
        nrows := nrows + c;
        ids := ids + coalesce(s, 0);
    END LOOP;
    ms := round(1000 * extract(epoch FROM clock_timestamp() - t0), 3);
END
$$;
CREATE FUNCTION public.bench_name_run(variant text, seed double precision, n integer) RETURNS text
LANGUAGE sql RETURN (SELECT format('%s|%s|%s', n, r.nrows, r.ms) FROM public.bench_name_search(variant, seed, n) r);
CREATE FUNCTION public.bench_name_result(variant text, seed double precision, n integer) RETURNS text
LANGUAGE sql RETURN (SELECT r.nrows || ':' || r.ids FROM public.bench_name_search(variant, seed, n) r);
