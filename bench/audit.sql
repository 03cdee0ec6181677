-- bench/audit.sh: the cost of the change log (docs/audit.md) per record
-- insert and per transition, as a department, each in a transaction of its
-- own (the append happens at commit), with the record table chained and
-- not chained.  Variables: n (rows per measurement).
\set ON_ERROR_STOP on
CREATE EXTENSION credit;
\ir common.sql
CREATE ROLE bench_dept;
INSERT INTO credit.department (code, name) VALUES ('D01', '基准测试局');
SELECT credit.register_department_role('bench_dept', 'D01');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id)
VALUES ('B.XZCF', '行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department));

-- n records inserted one transaction each; the seconds taken
CREATE PROCEDURE public.bench_insert(n integer, tag text, INOUT seconds double precision DEFAULT NULL)
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 1 .. n LOOP
        INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                                   violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
        VALUES ('B.XZCF', '企业法人', '基准测试' || (i % 1000) || '有限公司',
                credit.uscc_complete('91330702MA2B' || lpad((i % 1000)::text, 4, '0') || '1'),
                '一般', tag || '-' || i, '2026-09-01', '虚假宣传', '事实', '《广告法》', '罚款', '罚款', '基准测试局');
        COMMIT;
    END LOOP;
    seconds := extract(epoch FROM clock_timestamp() - t0);
END
$$;
-- the records of tag withdrawn, one transaction each
CREATE PROCEDURE public.bench_transition(tag text, INOUT seconds double precision DEFAULT NULL)
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    r bigint;
BEGIN
    FOR r IN SELECT record_id FROM credit.record WHERE decision_no LIKE tag || '-%' ORDER BY record_id LOOP
        PERFORM credit.transition('record', r, '已撤回', '决定已撤销');
        COMMIT;
    END LOOP;
    seconds := extract(epoch FROM clock_timestamp() - t0);
END
$$;
GRANT EXECUTE ON PROCEDURE public.bench_insert(integer, text, double precision),
                           public.bench_transition(text, double precision) TO bench_dept;
CREATE TABLE public.bench_result (round integer, variant text, op text, n integer, seconds double precision,
                                  cpu_seconds double precision);
