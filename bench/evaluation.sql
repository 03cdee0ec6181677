-- bench/evaluation.sql: the setup of bench/evaluation.sh.  Variables:
--   nsubj   organisations (subjects)
--   nrec    credit records (nrec / nsubj per subject): 90 % 失信 of one
--           item, 10 % 守信 of another; 2 % of them repaired, 3 % past
--           their period
--   nlist   serious black list entries (one subject each)
-- One department (bench_dept, BENCH) and one centre (bench_centre); the
-- subjects, records and entries are loaded set-based with the triggers off
-- (every column they would set is given here), then VACUUM ANALYZE.  The
-- shipped scheme 公共信用综合评价 and its four sample indicators grade them.

\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS credit;
\ir common.sql

INSERT INTO credit.department (code, name) VALUES ('BENCH', '基准测试局');
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_dept') THEN CREATE ROLE bench_dept; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_centre') THEN CREATE ROLE bench_centre; END IF;
END $$;
SELECT credit.register_department_role('bench_dept', 'BENCH');
SELECT credit.register_centre_role('bench_centre');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id)
SELECT v.item, v.name, v.category::credit.catalogue_category, v.polarity::credit.polarity, '公开', d.department_id
  FROM credit.department d, (VALUES ('B.XZCF', '行政处罚(基准)', '行政处罚', '失信'), ('B.BZ', '表彰(基准)', '其他', '守信')) AS v(item, name, category, polarity)
 WHERE d.code = 'BENCH';
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious)
SELECT 'B_YZSX', '严重失信主体名单(基准)', '黑', 36, '公开', department_id, true FROM credit.department WHERE code = 'BENCH';

CREATE FUNCTION public.bench_uscc(i bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    RETURN credit.uscc_complete('91330702' || bench_base31_9(i * 2654435761 % 26439622160671))::text;

SET session_replication_role = replica;
INSERT INTO credit.subject (subject_id, kind, uscc, name, name_key)
SELECT i, '企业法人', bench_uscc(i)::credit.uscc, '基准' || i || '有限公司', '基准' || i || '有限公司'
  FROM generate_series(1, :nsubj) AS i;
INSERT INTO credit.record (record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name,
                           subject_uscc, disclosure, severity, decision_no, decision_date, violation_type, violation_facts,
                           penalty_basis, penalty_category, penalty_content, authority_name, publicity_state,
                           publicity_start, publicity_end, rule_set, publicity_min_end, publicity_max_end, submitted_by)
OVERRIDING SYSTEM VALUE
SELECT r, r, CASE WHEN r % 10 = 0 THEN 'B.BZ' ELSE 'B.XZCF' END,
       CASE WHEN r % 10 = 0 THEN '其他' ELSE '行政处罚' END::credit.catalogue_category,
       d.department_id, s, '企业法人', '基准' || s || '有限公司', bench_uscc(s)::credit.uscc,
       '公开', CASE WHEN r % 10 = 0 THEN NULL ELSE '一般' END::credit.severity, '旧罚〔' || r || '〕号', DATE '2026-01-01' + (r % 200)::integer,
       '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '基准测试局',
       CASE WHEN r % 50 = 1 THEN '已修复' ELSE '公示中' END,
       DATE '2026-01-01' + (r % 200)::integer,
       CASE WHEN r % 33 = 2 THEN DATE '2026-03-01' ELSE DATE '2027-01-01' + (r % 200)::integer END,
       '令第36号', DATE '2026-04-01' + (r % 200)::integer, DATE '2027-01-01' + (r % 200)::integer, 'bench_dept'::regrole
  FROM generate_series(1, :nrec) AS r, (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS d,
       LATERAL (SELECT (r::bigint * 7919) % :nsubj + 1 AS s) AS x;
SELECT setval(pg_get_serial_sequence('credit.record', 'record_id'), :nrec);
INSERT INTO credit.list_entry (entry_id, list_kind, subject_id, department_id, disclosure, reasons, listed_on, expires_on, submitted_by)
OVERRIDING SYSTEM VALUE
SELECT i, 'B_YZSX', (i::bigint * 104729) % :nsubj + 1, d.department_id, '公开', '严重失信(基准)', DATE '2026-01-01', DATE '2029-01-01', 'bench_dept'::regrole
  FROM generate_series(1, :nlist) AS i, (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS d;
SELECT setval(pg_get_serial_sequence('credit.list_entry', 'entry_id'), greatest(:nlist, 1));
RESET session_replication_role;
VACUUM ANALYZE credit.subject;
VACUUM ANALYZE credit.record;
VACUUM ANALYZE credit.list_entry;

-- the baseline: the bare counting the run does, stored in a plain table
-- (one row per subject: records counted by polarity, list entries)
CREATE FUNCTION public.bench_plain(as_of date) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    DROP TABLE IF EXISTS public.bench_counts;
    CREATE TABLE public.bench_counts AS
    SELECT s.subject_id, coalesce(r.bad, 0) AS bad, coalesce(r.good, 0) AS good, coalesce(l.n, 0) AS listed
      FROM credit.subject s
      LEFT JOIN (SELECT subject_id, count(*) FILTER (WHERE item_code = 'B.XZCF') AS bad,
                        count(*) FILTER (WHERE item_code = 'B.BZ') AS good
                   FROM credit.record
                  WHERE state = '有效' AND publicity_state <> '已修复' AND publicity_start <= as_of
                    AND (publicity_end IS NULL OR publicity_end > as_of)
                  GROUP BY subject_id) r USING (subject_id)
      LEFT JOIN (SELECT subject_id, count(*) AS n FROM credit.list_entry
                  WHERE state = '列入中' AND listed_on <= as_of GROUP BY subject_id) l USING (subject_id);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
