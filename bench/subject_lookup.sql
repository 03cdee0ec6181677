-- bench/subject_lookup.sql: setup of bench/subject_lookup.sh, run as the
-- superuser in its throwaway cluster.  psql variable: nsubj (subjects).
--
-- One department (D01, role bench_dept) with a 行政处罚 item; :nsubj
-- subjects with a uscc, set-based with the triggers off (name_key filled
-- here); bench_probe, 1000 of their codes in random order; and the timed
-- loops bench_lookups() and bench_record_load().

\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS credit;
\ir common.sql

CREATE ROLE bench_dept;
INSERT INTO credit.department (code, name, uscc)
VALUES ('D01', '金华市市场监督管理局', credit.uscc_complete('11330700MB0000001'));
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id,
                                   repairable, retention_years, legal_basis)
SELECT 'D01.XZCF', '金华市市场监督管理局行政处罚', '行政处罚', '失信', '公开', department_id, true, 5,
       '《中华人民共和国行政处罚法》'
  FROM credit.department WHERE code = 'D01';
SELECT credit.register_department_role('bench_dept', 'D01');

SET session_replication_role = replica;
INSERT INTO credit.subject (subject_id, kind, uscc, name, name_key, legal_rep_name, created_at)
OVERRIDING SYSTEM VALUE
SELECT i, '企业法人', credit.uscc_complete('91330702' || bench_base31_9(i * 2654435761 % 26439622160671)),
       name, credit.normalize_name(name), '张伟', now() - interval '5 years'
  FROM (SELECT i, '金华市' || (ARRAY['兴业', '宏达', '恒通', '华盛', '金信'])[i % 5 + 1] || i || '有限公司' AS name
          FROM generate_series(1, :nsubj) AS i) s;
RESET session_replication_role;
SELECT setval(pg_get_serial_sequence('credit.subject', 'subject_id'), :nsubj);
VACUUM ANALYZE credit.subject;

CREATE TABLE public.bench_probe AS
SELECT row_number() OVER (ORDER BY random()) AS i, uscc::text AS code, name
  FROM (SELECT uscc, name FROM credit.subject ORDER BY random() LIMIT 1000) s;
GRANT SELECT ON public.bench_probe TO bench_dept;
CREATE SEQUENCE public.bench_decision_no;
GRANT USAGE ON SEQUENCE public.bench_decision_no TO bench_dept;

-- k lookups of probed codes with query (a format() string with one %L),
-- each parsed and planned on its own, under the caller's search_path.
CREATE FUNCTION public.bench_lookups(query text, k integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    c text;
    id bigint;
    found_n bigint := 0;
BEGIN
    FOR c IN SELECT p.code FROM public.bench_probe p ORDER BY p.i LIMIT k LOOP
        EXECUTE format(query, c) INTO id;
        IF id IS NOT NULL THEN found_n := found_n + 1; END IF;
    END LOOP;
    IF found_n <> least(k, 1000) THEN
        RAISE EXCEPTION 'bench: % of % probed codes found', found_n, least(k, 1000);
    END IF;
    RETURN found_n;
END
$$;

-- n single-row INSERTs into credit.record_load, each a record for a known
-- subject (probed codes, cycled), as the calling role.
CREATE FUNCTION public.bench_record_load(n integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    p record;
    no bigint;
BEGIN
    FOR j IN 1 .. n LOOP
        no := nextval('public.bench_decision_no');
        SELECT * INTO p FROM public.bench_probe WHERE i = 1 + no % 1000;
        INSERT INTO credit.record_load (item_code, subject_kind, subject_name, subject_uscc, severity,
                                        decision_no, decision_date, violation_type, violation_facts,
                                        penalty_basis, penalty_category, penalty_content, authority_name)
        VALUES ('D01.XZCF', '企业法人', p.name, p.code, '一般', '金市监罚〔B〕' || no || '号',
                credit.legal_date() - 10, '未按规定公示年度报告', '逾期未报送年度报告',
                '《企业信息公示暂行条例》第八条', '警告', '警告', '金华市市场监督管理局');
    END LOOP;
END
$$;
