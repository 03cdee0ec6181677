-- bench/collection.sql: the setup of bench/collection.sh.  Variables:
--   nsubj   subjects already in the database (organisations)
--   nrec    records already in the database (nrec / nsubj per subject)
--   scale   rows of each file
--   rounds  rounds (a clean and a 1 %-bad file for each)
--   work    the folder the files are written to (the server writes them)
-- One department (bench_dept, BENCH) with one 行政处罚 item; the subjects
-- and records are loaded set-based with the triggers off (every column
-- they would set is given here), then VACUUM ANALYZE.  The files name the
-- existing subjects (90 %) and new ones (10 %); each round's files have
-- their own decision numbers; records_R.csv holds round R's clean rows as
-- complete records (bench_indexed's baseline).  A 1 %-bad file has every 100th row broken,
-- in turn: a bad code, a bad date, a missing required field, a future date.

\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS credit;
\ir common.sql

INSERT INTO credit.department (code, name) VALUES ('BENCH', '基准测试局');
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_dept') THEN CREATE ROLE bench_dept; END IF;
END $$;
SELECT credit.register_department_role('bench_dept', 'BENCH');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id)
SELECT 'B.XZCF', '行政处罚(基准)', '行政处罚', '失信', '公开', department_id FROM credit.department WHERE code = 'BENCH';

CREATE FUNCTION public.bench_uscc(i bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    RETURN credit.uscc_complete('91330702' || bench_base31_9(i * 2654435761 % 26439622160671))::text;

SET session_replication_role = replica;
INSERT INTO credit.subject (subject_id, kind, uscc, name, name_key)
OVERRIDING SYSTEM VALUE
SELECT i, '企业法人', bench_uscc(i)::credit.uscc, '基准' || i || '有限公司', '基准' || i || '有限公司'
  FROM generate_series(1, :nsubj) AS i;
SELECT setval(pg_get_serial_sequence('credit.subject', 'subject_id'), :nsubj);
INSERT INTO credit.record (record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name,
                           subject_uscc, disclosure, severity, decision_no, decision_date, violation_type, violation_facts,
                           penalty_basis, penalty_category, penalty_content, authority_name, publicity_start, publicity_end,
                           rule_set, publicity_min_end, publicity_max_end, submitted_by)
OVERRIDING SYSTEM VALUE
SELECT r, r, 'B.XZCF', '行政处罚', d.department_id, s, '企业法人', '基准' || s || '有限公司', bench_uscc(s)::credit.uscc,
       '公开', '一般', '旧罚〔' || r || '〕号', DATE '2026-01-01' + (r % 200)::integer, '虚假宣传', '事实', '《广告法》', '罚款', '罚款',
       '基准测试局', DATE '2026-01-01' + (r % 200)::integer, DATE '2027-01-01' + (r % 200)::integer,
       '令第36号', DATE '2026-04-01' + (r % 200)::integer, DATE '2027-01-01' + (r % 200)::integer, 'bench_dept'::regrole
  FROM generate_series(1, :nrec) AS r, (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS d,
       LATERAL (SELECT (r - 1) % :nsubj + 1 AS s) AS x;
SELECT setval(pg_get_serial_sequence('credit.record', 'record_id'), :nrec);
RESET session_replication_role;
VACUUM ANALYZE credit.subject;
VACUUM ANALYZE credit.record;

-- the plain table of the baseline: the columns of credit.record_load, typed
CREATE TABLE public.bench_plain AS SELECT * FROM credit.record_load WHERE false;
GRANT INSERT, SELECT ON public.bench_plain TO bench_dept;

-- the table of the second baseline: credit.record's columns, defaults,
-- CHECK constraints and indexes (no trigger, no row security, no foreign
-- key), holding the same records as credit.record: what any load into a
-- table indexed like credit.record costs, before a rule is checked
CREATE TABLE public.bench_indexed (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
INSERT INTO public.bench_indexed SELECT * FROM credit.record;
VACUUM ANALYZE public.bench_indexed;
GRANT INSERT, SELECT, DELETE ON public.bench_indexed TO bench_dept;

-- the files
CREATE FUNCTION public.bench_file(round integer, bad boolean, n bigint, nsubj bigint, path text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$COPY (
        SELECT 'B.XZCF' AS item_code,
               CASE WHEN %2$L AND g %% 400 = 50 THEN 'X' || substr(code, 2) ELSE code END AS subject_uscc,
               '基准' || s || '有限公司' AS subject_name,
               '企业法人' AS subject_kind, '一般' AS severity,
               'R%1$s' || CASE WHEN %2$L THEN 'B' ELSE 'C' END || '罚〔' || g || '〕号' AS decision_no,
               CASE WHEN %2$L AND g %% 400 = 150 THEN '2026-02-30'
                    WHEN %2$L AND g %% 400 = 350 THEN '2026-12-01'
                    ELSE to_char(DATE '2026-09-01' + (g %% 28)::integer, 'YYYY-MM-DD') END AS decision_date,
               '虚假宣传' AS violation_type, '事实' || g AS violation_facts,
               CASE WHEN %2$L AND g %% 400 = 250 THEN NULL ELSE '《广告法》' END AS penalty_basis,
               '罚款' AS penalty_category, '罚款一万元' AS penalty_content, (g %% 50)::text AS fine_amount,
               '基准测试局' AS authority_name
          FROM generate_series(1, %3$s) AS g,
               LATERAL (SELECT CASE WHEN g %% 10 = 0 THEN %4$s + %1$s * %3$s + g ELSE (g * 7919) %% %4$s + 1 END AS s) AS x,
               LATERAL (SELECT bench_uscc(s) AS code) AS c)
        TO %5$L WITH (FORMAT csv, HEADER true)$q$, round, bad, n, nsubj, path);
END
$$;
SELECT bench_file(r, b, :scale, :nsubj, format('%s/%s_%s.csv', :'work', CASE WHEN b THEN 'bad' ELSE 'clean' END, r))
  FROM generate_series(1, :rounds) AS r, (VALUES (false), (true)) AS v(b);
SELECT bench_file(0, false, :single, :nsubj, format('%s/single.csv', :'work'));

-- the complete records of each round's clean file (what credit.collect
-- would store: every column credit.record needs), for bench_indexed
CREATE FUNCTION public.bench_records_file(round integer, n bigint, nsubj bigint, nrec bigint, path text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$COPY (
        SELECT %4$s + %1$s * %2$s + g AS record_id, %4$s + %1$s * %2$s + g AS lineage_id, 'B.XZCF' AS item_code,
               '行政处罚' AS category, d.department_id, s AS subject_id, '企业法人' AS subject_kind,
               '基准' || s || '有限公司' AS subject_name, bench_uscc(s) AS subject_uscc, '公开' AS disclosure, '一般' AS severity,
               'R%1$sI罚〔' || g || '〕号' AS decision_no, DATE '2026-09-01' + (g %% 28)::integer AS decision_date,
               '虚假宣传' AS violation_type, '事实' || g AS violation_facts, '《广告法》' AS penalty_basis,
               '罚款' AS penalty_category, '罚款一万元' AS penalty_content, (g %% 50) AS fine_amount,
               '基准测试局' AS authority_name, DATE '2026-09-01' + (g %% 28)::integer AS publicity_start,
               DATE '2027-09-01' + (g %% 28)::integer AS publicity_end, '令第36号' AS rule_set,
               DATE '2026-12-01' + (g %% 28)::integer AS publicity_min_end,
               DATE '2027-09-01' + (g %% 28)::integer AS publicity_max_end, 'bench_dept' AS submitted_by
          FROM generate_series(1, %2$s) AS g, (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS d,
               LATERAL (SELECT CASE WHEN g %% 10 = 0 THEN %3$s + %1$s * %2$s + g ELSE (g * 7919) %% %3$s + 1 END AS s) AS x)
        TO %5$L WITH (FORMAT csv, HEADER true)$q$, round, n, nsubj, nrec, path);
END
$$;
SELECT bench_records_file(r, :scale, :nsubj, :nrec, format('%s/records_%s.csv', :'work', r))
  FROM generate_series(1, :rounds) AS r;
