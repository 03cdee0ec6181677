-- bench/measures.sql: the setup of bench/measures.sh (the credit check,
-- 联合奖惩).  Variables:
--   nrec    credit records, over nsubj organisations (about 10 each)
--   nsubj   organisations (nrec / 10)
--   nlist   list entries (nrec / 10)
--   ncom    commitments (nrec / 100)
--   ngrade  published grades (nrec / 30)
-- Two departments: BENCH (bench_dept, the one that checks) and OTHER; one
-- centre.  Everything is loaded set-based as the superuser with the
-- triggers off (session_replication_role = replica; every column a trigger
-- would set is given here), then VACUUM ANALYZE.  The data mixes what the
-- department sees and what it does not, so that row security has work:
--   records  公开 / 部门共享 / 授权查询 (the OTHER department's 授权查询 are
--            hidden from BENCH), half of each department; 1 in 10 守信;
--            2 % repaired, 3 % past their period (neither triggers)
--   entries  严重失信 (黑, serious, OTHER's: 公开, 部门共享 or hidden
--            授权查询) and 红名单 (BENCH's, 部门共享); 5 % past their term
--   commitments broken half of the time, 1 in 3 不可公开 of OTHER (hidden)
--   grades   A/B/C/D of 公共信用综合评价 (部门共享), published
-- The matter checked is ZJ-ZFCG (政府采购); besides the shipped rules
-- (严重失信名单 → SD-30-1, CN-ZFCG-22) the setup adds rules for 政府采购
-- on every other trigger kind, so each kind of hit occurs.

\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS credit;
\ir common.sql

INSERT INTO credit.department (code, name) VALUES ('BENCH', '基准测试局'), ('OTHER', '其他测试局');
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_dept') THEN CREATE ROLE bench_dept; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_other') THEN CREATE ROLE bench_other; END IF;
END $$;
SELECT credit.register_department_role('bench_dept', 'BENCH');
SELECT credit.register_department_role('bench_other', 'OTHER');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id)
SELECT v.item, v.name, v.category::credit.catalogue_category, v.polarity::credit.polarity, '公开', d.department_id
  FROM credit.department d
  JOIN (VALUES ('BENCH', 'B.XZCF', '行政处罚(基准)', '行政处罚', '失信'),
               ('BENCH', 'B.BZ', '表彰(基准)', '其他', '守信'),
               ('OTHER', 'O.XZCF', '行政处罚(其他)', '行政处罚', '失信')) AS v(dept, item, name, category, polarity)
    ON v.dept = d.code;
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious)
SELECT 'B_YZSX', '严重失信主体名单(基准)', '黑', 36, '公开', department_id, true FROM credit.department WHERE code = 'OTHER';
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id, serious)
SELECT 'B_HONG', '红名单(基准)', '红', 36, '部门共享', department_id, false FROM credit.department WHERE code = 'BENCH';
INSERT INTO credit.measure_rule VALUES
    ('B-SX-CG', '失信记录', NULL, '政府采购', NULL, 'SD-28-1', '2020-10-01', NULL, '基准测试规则'),
    ('B-SHX-CG', '守信记录', NULL, '政府采购', NULL, 'SD-26-1', '2020-10-01', NULL, '基准测试规则'),
    ('B-HONG-CG', '红名单', NULL, '政府采购', NULL, 'SD-26-1', '2020-10-01', NULL, '基准测试规则'),
    ('B-WN-CG', '违诺', NULL, '政府采购', NULL, 'SD-28-2', '2020-10-01', NULL, '基准测试规则'),
    ('B-PJ-CG', '评价等级', 'D', '政府采购', NULL, 'SD-28-3', '2020-10-01', NULL, '基准测试规则'),
    ('B-PJC-CG', '评价等级', 'C', NULL, 'ZJ-ZFCG', 'SD-28-3', '2020-10-01', NULL, '基准测试规则');

CREATE FUNCTION public.bench_uscc(i bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    RETURN credit.uscc_complete('91330702' || bench_base31_9(i * 2654435761 % 26439622160671))::text;

SET session_replication_role = replica;
\echo bench: subjects
INSERT INTO credit.subject (subject_id, kind, uscc, name, name_key)
OVERRIDING SYSTEM VALUE
SELECT i, '企业法人', bench_uscc(i)::credit.uscc, '基准' || i || '有限公司', '基准' || i || '有限公司'
  FROM generate_series(1, :nsubj) AS i;
SELECT setval(pg_get_serial_sequence('credit.subject', 'subject_id'), :nsubj);

-- records: odd r the OTHER department's, even r BENCH's; r % 10 = 0 守信
-- (BENCH's 表彰); r % 10 in 1..5 公开, 6..8 部门共享, 9 授权查询
\echo bench: records
INSERT INTO credit.record (record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name,
                           subject_uscc, disclosure, severity, decision_no, decision_date, violation_type, violation_facts,
                           penalty_basis, penalty_category, penalty_content, authority_name, publicity_state,
                           publicity_start, publicity_end, rule_set, publicity_min_end, publicity_max_end, submitted_by)
OVERRIDING SYSTEM VALUE
SELECT r, r, CASE WHEN r % 10 = 0 THEN 'B.BZ' WHEN r % 2 = 0 THEN 'B.XZCF' ELSE 'O.XZCF' END,
       CASE WHEN r % 10 = 0 THEN '其他' ELSE '行政处罚' END::credit.catalogue_category,
       CASE WHEN r % 2 = 0 THEN b.department_id ELSE o.department_id END,
       s, '企业法人', '基准' || s || '有限公司', bench_uscc(s)::credit.uscc,
       CASE WHEN r % 10 BETWEEN 6 AND 8 THEN '部门共享' WHEN r % 10 = 9 THEN '授权查询' ELSE '公开' END::credit.disclosure_level,
       CASE WHEN r % 10 = 0 THEN NULL ELSE '一般' END::credit.severity, '罚〔' || r || '〕号', DATE '2026-01-01' + (r % 150)::integer,
       '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '基准测试局',
       CASE WHEN r % 50 = 1 THEN '已修复' ELSE '公示中' END,
       DATE '2026-01-01' + (r % 150)::integer,
       CASE WHEN r % 33 = 2 THEN DATE '2026-03-01' ELSE DATE '2027-01-01' + (r % 150)::integer END,
       '令第36号', DATE '2026-04-01' + (r % 150)::integer, DATE '2027-01-01' + (r % 150)::integer,
       CASE WHEN r % 2 = 0 THEN 'bench_dept' ELSE 'bench_other' END::regrole
  FROM generate_series(1, :nrec) AS r,
       (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS b,
       (SELECT department_id FROM credit.department WHERE code = 'OTHER') AS o,
       LATERAL (SELECT (r::bigint * 7919) % :nsubj + 1 AS s) AS x;
SELECT setval(pg_get_serial_sequence('credit.record', 'record_id'), :nrec);

-- list entries: i % 4 = 0 BENCH's 红名单 (部门共享), else OTHER's 严重失信
-- (公开, 部门共享, or 授权查询 when i % 10 = 7); i % 20 = 1 past its term
\echo bench: list entries
INSERT INTO credit.list_entry (entry_id, list_kind, subject_id, department_id, disclosure, reasons, listed_on, expires_on, submitted_by)
OVERRIDING SYSTEM VALUE
SELECT i, CASE WHEN i % 4 = 0 THEN 'B_HONG' ELSE 'B_YZSX' END, (i::bigint * 104729) % :nsubj + 1,
       CASE WHEN i % 4 = 0 THEN b.department_id ELSE o.department_id END,
       CASE WHEN i % 4 = 0 THEN '部门共享' WHEN i % 10 = 7 THEN '授权查询' WHEN i % 2 = 0 THEN '部门共享' ELSE '公开' END::credit.disclosure_level,
       '基准认定', DATE '2025-01-01' + (i % 300)::integer,
       CASE WHEN i % 20 = 1 THEN DATE '2026-03-01' ELSE DATE '2028-01-01' + (i % 300)::integer END,
       CASE WHEN i % 4 = 0 THEN 'bench_dept' ELSE 'bench_other' END::regrole
  FROM generate_series(1, :nlist) AS i,
       (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS b,
       (SELECT department_id FROM credit.department WHERE code = 'OTHER') AS o;
SELECT setval(pg_get_serial_sequence('credit.list_entry', 'entry_id'), greatest(:nlist, 1));

-- commitments: even i broken (违诺处理), i % 6 = 4 of those repaired
-- (已修复); i % 3 = 1 不可公开 of OTHER (hidden), else BENCH's
\echo bench: commitments
INSERT INTO credit.commitment (commitment_id, subject_id, kind, content, disclosure, made_at, broken_at, broken_reason, code,
                               department_id, made_on, valid_until, state, state_since, performance, assessed_on)
OVERRIDING SYSTEM VALUE
SELECT i, (i::bigint * 15485863) % :nsubj + 1, '审批替代型', '按期补齐材料',
       CASE WHEN i % 3 = 1 THEN '不可公开' ELSE '特定范围内公开' END,
       TIMESTAMPTZ '2026-01-05 10:00+08', CASE WHEN i % 2 = 0 THEN TIMESTAMPTZ '2026-03-05 10:00+08' END,
       CASE WHEN i % 2 = 0 THEN '未按期补齐' END, lpad(i::text, 20, '0'),
       CASE WHEN i % 3 = 1 THEN o.department_id ELSE b.department_id END, DATE '2026-01-05', DATE '2027-01-05',
       CASE WHEN i % 6 = 4 THEN '已修复' WHEN i % 2 = 0 THEN '违诺处理' ELSE '已作出' END, TIMESTAMPTZ '2026-03-05 10:00+08',
       CASE WHEN i % 2 = 0 THEN '全部未履行' END, CASE WHEN i % 2 = 0 THEN DATE '2026-03-05' END
  FROM generate_series(1, :ncom) AS i,
       (SELECT department_id FROM credit.department WHERE code = 'BENCH') AS b,
       (SELECT department_id FROM credit.department WHERE code = 'OTHER') AS o;
SELECT setval(pg_get_serial_sequence('credit.commitment', 'commitment_id'), greatest(:ncom, 1));

-- grades: one imported batch of 公共信用综合评价, published
\echo bench: grades
INSERT INTO credit.eval_batch (batch_id, scheme, as_of, origin, document, run_by, finished_at, results)
OVERRIDING SYSTEM VALUE VALUES (1, '公共信用综合评价', '2026-01-31', '导入', '基准导入', 'postgres'::regrole, now(), :ngrade);
SELECT setval(pg_get_serial_sequence('credit.eval_batch', 'batch_id'), 1);
INSERT INTO credit.eval_result (result_id, batch_id, scheme, subject_id, subject_kind, as_of, valid_until, grade, negative,
                                origin, disclosure, explanation, state, notified_on, objection_until, published_on)
OVERRIDING SYSTEM VALUE
SELECT i, 1, '公共信用综合评价', (i::bigint * 3) % :nsubj + 1, '企业法人', DATE '2026-01-31', DATE '2027-01-30',
       substr('ABCD', (i % 4)::integer + 1, 1), i % 4 >= 2, '导入', '部门共享', '{}', '已公布',
       DATE '2026-02-01', DATE '2026-02-15', DATE '2026-02-20'
  FROM generate_series(1, :ngrade) AS i;
SELECT setval(pg_get_serial_sequence('credit.eval_result', 'result_id'), greatest(:ngrade, 1));
RESET session_replication_role;
\echo bench: vacuum analyze
VACUUM ANALYZE credit.subject;
VACUUM ANALYZE credit.record;
VACUUM ANALYZE credit.list_entry;
VACUUM ANALYZE credit.commitment;
VACUUM ANALYZE credit.eval_result;
VACUUM ANALYZE credit.measure_rule;

-- The same lookups written by hand, as the superuser: the hits of one
-- subject for one matter, with what the department may see written out
-- (its row security: 公开 or 部门共享 rows in force, and its own) and what
-- the law asks (in force, not repaired, inside the period; an entry 列入中
-- inside its term; a breach not repaired; the current valid published
-- grade), joined to the rules of the matter; the rows credit.check returns
-- (without the check id and the hit flag).  A LANGUAGE sql function the
-- planner inlines where bench_run calls it: the query is planned as if
-- written there, static SQL in PL/pgSQL, a cached plan as a prepared
-- statement.
CREATE FUNCTION public.bench_hand(subject bigint, matter text, dept integer, today date)
    RETURNS TABLE (hit_kind text, hit_id bigint, measure text, polarity text, content text, basis text, mandatory boolean)
    LANGUAGE sql STABLE AS $$
    WITH rules AS MATERIALIZED (
        SELECT r.rule_code, r.trigger_kind, r.trigger_value, s.measure_code, s.polarity, s.content, s.basis, s.mandatory
          FROM credit.matter m
          JOIN credit.measure_rule r ON r.matter_code = m.matter_code OR r.matter_kind = m.kind
          JOIN credit.measure s ON s.measure_code = r.measure_code
         WHERE m.matter_code = matter AND m.valid_from <= today AND (m.valid_until IS NULL OR m.valid_until >= today)
           AND r.valid_from <= today AND (r.valid_until IS NULL OR r.valid_until >= today)
           AND s.valid_from <= today AND (s.valid_until IS NULL OR s.valid_until >= today)),
    t AS MATERIALIZED (
        SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind, '信用记录' AS hk,
               rec.record_id AS id, rec.item_code AS value, false AS serious, NULL::text AS colour
          FROM credit.record rec JOIN credit.catalogue_item i ON i.item_code = rec.item_code
         WHERE rec.subject_id = subject AND i.polarity <> '中性'
           AND rec.state = '有效' AND rec.publicity_state <> '已修复'
           AND rec.publicity_start <= today AND (rec.publicity_end IS NULL OR rec.publicity_end > today)
           AND (rec.disclosure IN ('公开', '部门共享') OR rec.department_id = dept)
        UNION ALL
        SELECT '名单', '名单条目', e.entry_id, e.list_kind, k.serious, k.colour
          FROM credit.list_entry e JOIN credit.list_kind k ON k.list_kind = e.list_kind
         WHERE e.subject_id = subject AND e.state = '列入中' AND e.removed_on IS NULL
           AND e.listed_on <= today AND (e.expires_on IS NULL OR e.expires_on > today)
           AND (e.disclosure IN ('公开', '部门共享') OR e.department_id = dept)
        UNION ALL
        SELECT '违诺', '信用承诺', c.commitment_id, c.kind, false, NULL
          FROM credit.commitment c
         WHERE c.subject_id = subject AND c.broken_at IS NOT NULL AND c.state <> '已修复'
           AND (c.disclosure <> '不可公开' OR c.department_id = dept)
        UNION ALL
        (SELECT '评价等级', '评价结果', g.result_id, g.grade, false, NULL
           FROM credit.eval_result g
          WHERE g.subject_id = subject AND g.state = '已公布' AND g.disclosure <> '授权查询'
            AND g.as_of <= today AND g.valid_until >= today
          ORDER BY g.as_of DESC LIMIT 1))
    SELECT t.hk, t.id, r.measure_code, r.polarity, r.content, r.basis, r.mandatory
      FROM t JOIN rules r
        ON (r.trigger_value IS NULL OR r.trigger_value = t.value)
       AND CASE r.trigger_kind WHEN '严重失信名单' THEN t.kind = '名单' AND t.serious AND t.colour = '黑'
                               WHEN '红名单' THEN t.kind = '名单' AND t.colour = '红'
                               ELSE t.kind = r.trigger_kind END
     ORDER BY r.measure_code, t.kind, t.id, r.rule_code
$$;

-- A statement trigger that does nothing: while it is on credit.credit_check
-- the table is not as the extension made it, and credit.check writes its
-- row by an INSERT (variant check_insert, bench/measures.sh).
CREATE FUNCTION public.bench_noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;

-- One variant over the subjects ids[], each call timed on its own
-- (clock_timestamp() around it), into bench_t; returns the rows found.
CREATE TABLE public.bench_t (variant text, round integer, us double precision, n integer);
GRANT INSERT, SELECT ON public.bench_t TO PUBLIC;
CREATE FUNCTION public.bench_run(variant text, rnd integer, ids bigint[]) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
    n integer;
    total bigint := 0;
    t0 timestamptz;
    us double precision[] := '{}';
    ns integer[] := '{}';
    dept integer := (SELECT department_id FROM credit.department WHERE code = 'BENCH');
    today date := credit.legal_date();
BEGIN
    FOREACH s IN ARRAY ids LOOP
        t0 := clock_timestamp();
        IF variant IN ('check', 'check_insert') THEN
            SELECT count(*) INTO n FROM credit.check(s, 'ZJ-ZFCG', 'bench') c WHERE c.hit;
        ELSIF variant = 'hand' THEN
            SELECT count(*) INTO n FROM public.bench_hand(s, 'ZJ-ZFCG', dept, today);
        ELSIF variant = 'check_hits' THEN
            SELECT jsonb_array_length(credit.check_hits(s, 'ZJ-ZFCG')) INTO n;
        ELSE
            RAISE EXCEPTION 'unknown variant %', variant;
        END IF;
        us := us || 1e6 * extract(epoch FROM clock_timestamp() - t0)::double precision;
        ns := ns || n;
        total := total + n;
    END LOOP;
    IF rnd > 0 THEN
        INSERT INTO public.bench_t SELECT variant, rnd, u, k FROM unnest(us, ns) AS x(u, k);
    END IF;
    RETURN total;
END
$$;
GRANT EXECUTE ON FUNCTION public.bench_run(text, integer, bigint[]) TO PUBLIC;
GRANT EXECUTE ON FUNCTION public.bench_hand(bigint, text, integer, date) TO PUBLIC;

-- The check's rows and the hand-written rows must be the same, subject by
-- subject (as bench_dept; the checks are rolled back).
CREATE FUNCTION public.bench_same(ids bigint[]) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
    bad bigint := 0;
    dept integer := (SELECT department_id FROM credit.department WHERE code = 'BENCH');
BEGIN
    FOREACH s IN ARRAY ids LOOP
        IF EXISTS ((SELECT hit_kind, hit_id, measure, polarity, content, basis, mandatory FROM credit.check(s, 'ZJ-ZFCG') WHERE hit
                    EXCEPT ALL SELECT * FROM public.bench_hand(s, 'ZJ-ZFCG', dept, credit.legal_date()))
                   UNION ALL
                   (SELECT * FROM public.bench_hand(s, 'ZJ-ZFCG', dept, credit.legal_date())
                    EXCEPT ALL SELECT hit_kind, hit_id, measure, polarity, content, basis, mandatory FROM credit.check(s, 'ZJ-ZFCG') WHERE hit)) THEN
            bad := bad + 1;
            RAISE WARNING 'subject %: check and hand-written lookups differ', s;
        END IF;
    END LOOP;
    RETURN bad;
END
$$;
GRANT EXECUTE ON FUNCTION public.bench_same(bigint[]) TO PUBLIC;
