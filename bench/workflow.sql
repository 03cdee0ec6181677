-- bench/workflow.sql: setup of the workflow engine benchmark, run by
-- bench/workflow.sh as the superuser in its throwaway cluster, in two
-- sections (psql variable section):
--
--   section=prepare   (psql variables ndept, nsubj, part1)
--     the extension, :ndept departments with a registered role each
--     (bench_dept is D01), one 行政处罚 catalogue item per department, one
--     list kind, :nsubj subjects, and the :part1 list entries of part 1
--     (department D01, all 列入中, none due) with their two trigger-free
--     copies (bench_plain, bench_audited) and a copy of the event table
--     (bench_event); bench_transitions(), the timed loop of part 1.
--
--   section=bulk      (psql variables ndept, nsubj, nrec, nent, first_entry)
--     :nrec records and :nent list entries for the sweep, 1 % due (every
--     100th row), loaded set-based under session_replication_role = replica
--     (no trigger fires, so every column the triggers would set is filled
--     here), indexes other than the primary keys dropped before and rebuilt
--     from their own definitions after, VACUUM ANALYZE, and a check of what
--     the triggers would have set; bench_sweep(), the timed sweep.
--
-- Load phase times go to bench_load.  See bench/README.md.

\set ON_ERROR_STOP on
SELECT :'section' = 'prepare' AS section_prepare, :'section' = 'bulk' AS section_bulk \gset

SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET jit = off;

\if :section_prepare
CREATE EXTENSION IF NOT EXISTS credit;
CREATE TABLE bench_load (phase text PRIMARY KEY, ms double precision NOT NULL, n bigint);

-- ------------------------------------------------------------------
-- Reference data and roles
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset

-- bench_ms(), bench_base31_9()
\ir common.sql

CREATE ROLE bench_dept;     -- department D01: part 1's department transitions
SELECT format('CREATE ROLE bench_d%s', lpad(d::text, 2, '0')) FROM generate_series(2, :ndept) d \gexec

INSERT INTO credit.department (code, name, uscc)
SELECT 'D' || lpad(d::text, 2, '0'),
       '金华市' || (ARRAY['市场监督管理局', '税务局', '生态环境局', '人力资源和社会保障局', '住房和城乡建设局',
                       '交通运输局', '卫生健康委员会', '应急管理局', '自然资源和规划局', '文化广电旅游局'])[(d - 1) % 10 + 1]
           || CASE WHEN d > 10 THEN (d / 10)::text ELSE '' END,
       credit.uscc_complete('11330700MB' || lpad(d::text, 7, '0'))
  FROM generate_series(1, :ndept) d;

-- one 行政处罚 item per department (失信, 公开); its periods are the
-- defaults of the rule set in force on the decision date
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id,
                                   repairable, retention_years, legal_basis)
SELECT d.code || '.XZCF', d.name || '行政处罚', '行政处罚', '失信', '公开', d.department_id, true, 5,
       '《中华人民共和国行政处罚法》'
  FROM credit.department d;

INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, legal_basis, early_removal_months)
VALUES ('YZSX', '严重失信主体名单', '黑', 36, '公开', '失信行为纠正后的信用信息修复管理办法', 12);

SELECT credit.register_department_role('bench_dept', 'D01');
SELECT credit.register_department_role(format('bench_d%s', lpad(d::text, 2, '0'))::regrole, 'D' || lpad(d::text, 2, '0'))
  FROM generate_series(2, :ndept) d;

-- What the triggers would compute, per day: add_working_days(day, 3) (the
-- list entry's deletion_due) for every day a term can end on.
CREATE TABLE bench_day AS
SELECT d::date AS day, credit.add_working_days(d::date, 3) AS plus3
  FROM generate_series(credit.legal_date() - 1500, credit.legal_date() + 1500, interval '1 day') AS d;
ALTER TABLE bench_day ADD PRIMARY KEY (day);

INSERT INTO bench_load SELECT 'reference data, roles', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- Subjects: 70 % 企业法人, 30 % 个体工商户 (the list entries and records
-- are public: no natural persons).  Triggers off: name_key is filled here.
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
SET session_replication_role = replica;
INSERT INTO credit.subject (subject_id, kind, uscc, name, name_key, legal_rep_name, created_at)
OVERRIDING SYSTEM VALUE
SELECT i, kind,
       credit.uscc_complete(CASE kind WHEN '企业法人' THEN '91' ELSE '92' END
                            || '330702' || bench_base31_9(i * 2654435761 % 26439622160671)),
       name, credit.normalize_name(name), person, now() - interval '5 years'
  FROM (SELECT i, kind, person,
               CASE kind WHEN '企业法人'
                    THEN '金华市' || (ARRAY['兴业', '宏达', '恒通', '华盛', '金信', '永康', '婺城', '八咏', '双龙', '明辉'])[i % 10 + 1]
                         || (ARRAY['商贸', '建设', '食品', '科技', '物流', '药业', '五金', '纺织'])[i % 8 + 1] || i || '有限公司'
                    ELSE '金华市婺城区' || person || i || (ARRAY['小吃店', '五金店', '便利店', '理发店'])[i % 4 + 1] END AS name
          FROM (SELECT i,
                       CASE WHEN i % 10 < 7 THEN '企业法人' ELSE '个体工商户' END::credit.subject_kind AS kind,
                       (ARRAY['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴'])[i % 10 + 1]
                       || (ARRAY['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军'])[i / 10 % 10 + 1] AS person
                  FROM generate_series(1, :nsubj) AS i) AS a) AS b;
RESET session_replication_role;
SELECT setval(pg_get_serial_sequence('credit.subject', 'subject_id'), :nsubj);
INSERT INTO bench_load SELECT 'subjects', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), :nsubj;

-- ------------------------------------------------------------------
-- List entries, set-based, with triggers off (call it under
-- session_replication_role = replica): entry ids first .. first + n - 1,
-- listed in id order (entries arrive in time order): the first ndue 36
-- months and 59 to 0 days ago, so their term (list kind YZSX, 36 months)
-- has ended (expires_on <= today): due; the others over the last 360 days,
-- not due.  Department only_dept, or
-- spread over ndept; subjects at random.  Every column the triggers
-- (list_entry_before_insert, the list entry machine's guard) would set is
-- set: disclosure and expiry from the list kind, deletion_due = 3 working
-- days after expiry (credit.add_working_days, through bench_day),
-- early_removal_from, state 列入中, state_since, no removal.
-- ------------------------------------------------------------------
CREATE FUNCTION bench_insert_entries(first bigint, n bigint, ndue bigint, only_dept integer,
                                     ndept integer, nsubj bigint) RETURNS void
LANGUAGE sql AS $$
INSERT INTO credit.list_entry (entry_id, list_kind, subject_id, basis_record_id, department_id, disclosure, reasons,
                               listed_on, expires_on, removed_on, removal_reason, submitted_by,
                               state, state_reason, state_since, deletion_due, early_removal_from)
OVERRIDING SYSTEM VALUE
SELECT x.id, k.list_kind, x.sid, NULL, x.dept, k.disclosure,
       '拒不履行行政处罚决定, 情节严重 (' || x.id || ')',
       x.listed, e.expires, NULL, NULL, pa.role,
       '列入中', NULL, least(x.listed + interval '10 hours', now()),
       dd.plus3, (x.listed + make_interval(months => k.early_removal_months))::date
  FROM (SELECT g AS id,
               1 + floor(random() * nsubj)::bigint AS sid,
               coalesce(only_dept, 1 + floor(random() * ndept)::int) AS dept,
               CASE WHEN g - first < ndue
                    THEN (credit.legal_date() - interval '36 months')::date - 59 + (60 * (g - first) / ndue)::int
                    ELSE credit.legal_date() - 359 + (360 * (g - first - ndue) / (n - ndue))::int END AS listed
          FROM generate_series(first, first + n - 1) AS g) AS x
  JOIN credit.list_kind k ON k.list_kind = 'YZSX'
 CROSS JOIN LATERAL (SELECT (x.listed + make_interval(months => k.term_months))::date AS expires) AS e
  JOIN credit.party pa ON pa.kind = '部门' AND pa.department_id = x.dept
  JOIN bench_day dd ON dd.day = e.expires;
$$;

-- ------------------------------------------------------------------
-- Part 1: :part1 list entries of D01, none due, and their copies
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
SELECT setseed(0.5);
SET session_replication_role = replica;
SELECT bench_insert_entries(1, :part1, 0, 1, :ndept, :nsubj);
RESET session_replication_role;

-- the same columns, indexes (the partial list_entry_due among them, so an
-- UPDATE of state is not HOT here either), defaults and CHECKs; no
-- triggers, no foreign keys, no row security
CREATE TABLE bench_plain (LIKE credit.list_entry INCLUDING ALL) WITH (autovacuum_enabled = off);
CREATE TABLE bench_audited (LIKE credit.list_entry INCLUDING ALL) WITH (autovacuum_enabled = off);
INSERT INTO bench_plain OVERRIDING SYSTEM VALUE SELECT * FROM credit.list_entry ORDER BY entry_id;
INSERT INTO bench_audited OVERRIDING SYSTEM VALUE SELECT * FROM credit.list_entry ORDER BY entry_id;
-- the event table as it is (identity, defaults, primary key, the
-- (machine, object_id, event_id) index, the foreign key to credit.machine),
-- without its append-only triggers (they fire on UPDATE and DELETE only)
CREATE TABLE bench_event (LIKE credit.workflow_event INCLUDING ALL) WITH (autovacuum_enabled = off);
ALTER TABLE bench_event ADD FOREIGN KEY (machine) REFERENCES credit.machine ON UPDATE CASCADE;

VACUUM ANALYZE credit.list_entry;
VACUUM ANALYZE bench_plain;
VACUUM ANALYZE bench_audited;
VACUUM ANALYZE bench_event;
VACUUM ANALYZE credit.workflow_event;
ANALYZE credit.subject, credit.department, credit.party, credit.machine, credit.machine_state,
        credit.machine_transition, credit.machine_deadline, credit.list_kind;
INSERT INTO bench_load SELECT 'part 1 entries and copies', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), :part1;

-- ------------------------------------------------------------------
-- The timed loop of part 1
-- ------------------------------------------------------------------
-- bench_transitions(variant, first, n, batch) moves entries first ..
-- first + n - 1 out of 列入中, one statement per entry (or per batch of
-- `batch` entries for the _set variants), with clock_timestamp() around
-- the loop; returns ms.  Static SQL: plans are cached as for a prepared
-- statement.
--   plain       UPDATE bench_plain SET state = '已到期' WHERE entry_id = $1
--   audited     UPDATE bench_audited SET state, state_reason, state_since (what the guard
--               sets) WHERE entry_id = $1, and INSERT of the event into bench_event
--   guard       credit.transition('list_entry', $1, '已到期', '名单期满')  (superuser: the engine)
--   guard_dept  credit.transition('list_entry', $1, '已移出', reason)  (as bench_dept: row security)
--   guard_generic, guard_dept_generic
--               the same, run with plan_cache_mode = force_generic_plan (a session
--               setting, not a change of the extension)
--   guard_dept_sql
--               guard_dept with the list entry read policies as the SQL conditions
--               they were before the list entry predicates (bench_list_entry_policies_in_sql,
--               inside a transaction rolled back: bench/workflow.sh)
--   plain_set   UPDATE bench_plain SET state = '已到期' WHERE entry_id = ANY ($1)
--   guard_set   credit.transition('list_entry', $1::bigint[], '已到期', '名单期满')
CREATE FUNCTION bench_transitions(variant text, first bigint, n integer, batch integer DEFAULT 1000)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    su boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
    last bigint := first + n - 1;
    id bigint;
    s bigint;
    ids bigint[];
    t0 timestamptz;
BEGIN
    IF su IS DISTINCT FROM (variant NOT LIKE 'guard_dept%') THEN
        RAISE EXCEPTION 'bench: variant % run as %', variant, current_user;
    END IF;
    IF (variant LIKE '%\_generic') IS DISTINCT FROM (current_setting('plan_cache_mode') = 'force_generic_plan') THEN
        RAISE EXCEPTION 'bench: variant % run with plan_cache_mode %', variant, current_setting('plan_cache_mode');
    END IF;
    t0 := clock_timestamp();
    CASE regexp_replace(variant, '_(generic|sql)$', '')
    WHEN 'plain' THEN
        FOR id IN first .. last LOOP
            UPDATE bench_plain SET state = '已到期' WHERE entry_id = id;
        END LOOP;
    WHEN 'audited' THEN
        FOR id IN first .. last LOOP
            UPDATE bench_audited SET state = '已到期', state_reason = '名单期满', state_since = now()
             WHERE entry_id = id;
            INSERT INTO bench_event (machine, object_id, from_state, to_state, party_kind, reason, details)
            VALUES ('list_entry', id, '列入中', '已到期', NULL, '名单期满', NULL);
        END LOOP;
    WHEN 'guard' THEN
        FOR id IN first .. last LOOP
            PERFORM credit.transition('list_entry', id, '已到期', '名单期满');
        END LOOP;
    WHEN 'guard_dept' THEN
        FOR id IN first .. last LOOP
            PERFORM credit.transition('list_entry', id, '已移出', '已履行行政处罚决定, 申请提前移出');
        END LOOP;
    WHEN 'plain_set' THEN
        s := first;
        WHILE s <= last LOOP
            ids := ARRAY(SELECT generate_series(s, least(s + batch - 1, last)));
            UPDATE bench_plain SET state = '已到期' WHERE entry_id = ANY (ids);
            s := s + batch;
        END LOOP;
    WHEN 'guard_set' THEN
        s := first;
        WHILE s <= last LOOP
            ids := ARRAY(SELECT generate_series(s, least(s + batch - 1, last)));
            PERFORM credit.transition('list_entry', ids, '已到期', '名单期满');
            s := s + batch;
        END LOOP;
    END CASE;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END
$$;
GRANT EXECUTE ON FUNCTION bench_transitions(text, bigint, integer, integer) TO bench_dept;

-- The list entry read policies as SQL conditions, as they were before the
-- list entry predicates (0.1; 2026-12-02): bench/workflow.sh runs the
-- variant guard_dept_sql inside BEGIN; SELECT
-- bench_list_entry_policies_in_sql(); ... ROLLBACK;, so the policies change
-- only for that measurement, side by side with the installed ones.
CREATE FUNCTION bench_list_entry_policies_in_sql() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    ALTER POLICY list_entry_public ON credit.list_entry
        USING (disclosure = '公开' AND removed_on IS NULL AND listed_on <= credit.legal_date()
               AND (expires_on IS NULL OR expires_on > credit.legal_date()));
    ALTER POLICY list_entry_department ON credit.list_entry
        USING (credit.in_department_scope(
                   CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
                        AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0 ELSE department_id END));
    ALTER POLICY list_entry_acting ON credit.list_entry
        USING (disclosure = '授权查询' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date())
               AND credit.acting_for(subject_id));
    ALTER POLICY list_entry_authorised ON credit.list_entry
        USING (disclosure = '授权查询' AND removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date())
               AND credit.opened_for(subject_id)
               AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN '红' THEN '红名单' ELSE '黑名单' END::credit.catalogue_category
                                                        FROM credit.list_kind k WHERE k.list_kind = list_entry.list_kind)));
END
$f$;
\endif

\if :section_bulk
-- ------------------------------------------------------------------
-- Part 2: records and list entries for the sweep
-- ------------------------------------------------------------------
-- The period of a 失信 record as record_before_insert takes it
-- (credit.publicity_period: the rule set in force on the decision date),
-- for every item, severity and day a decision can fall on.
SELECT clock_timestamp() AS t0 \gset
CREATE TABLE bench_period AS
SELECT i.item_code, s.severity, d::date AS day, p.rule_set, p.min_months, p.max_months, p.published
  FROM credit.catalogue_item i
 CROSS JOIN (VALUES ('一般'::credit.severity), ('严重')) AS s(severity)
 CROSS JOIN generate_series(credit.legal_date() - 1200, credit.legal_date(), interval '1 day') AS d
 CROSS JOIN LATERAL credit.publicity_period(i.item_code, s.severity, d::date) AS p;
ALTER TABLE bench_period ADD PRIMARY KEY (item_code, severity, day);
INSERT INTO bench_load SELECT 'publicity periods (credit.publicity_period per item, severity, day)',
                              1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz),
                              (SELECT count(*) FROM bench_period);

-- indexes other than the primary keys: dropped now, rebuilt after the load
CREATE TABLE bench_index AS
SELECT c.relname AS name, i.indrelid::regclass AS tab, pg_get_indexdef(i.indexrelid) AS def
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid IN ('credit.record'::regclass, 'credit.list_entry'::regclass) AND NOT i.indisprimary;
SELECT format('DROP INDEX credit.%I', name) FROM bench_index \gexec

-- Records: 行政处罚 of the :ndept departments' items, about random
-- subjects, 公开, severity 一般 70 % / 严重 30 %, decided in record_id order
-- (records arrive in time order): the first 1 % 36 months and 59 to 0 days
-- ago, so their maximum period (at most 36 months) has ended,
-- publicity_end <= today: due; the others over the last 360 days, inside
-- their period (at least 12 months): not due.  What record_before_insert
-- and the defaults would set: category, publicity_start, publicity_end =
-- publicity_max_end, publicity_min_end, rule_set (bench_period),
-- publicity_state 公示中, state 有效, submitted_at.
SELECT clock_timestamp() AS t0 \gset
SELECT setseed(0.25);
SET session_replication_role = replica;
-- hash joins only, the generated rows probing: the rows go into the table
-- in record_id order (a merge join would sort them by decision date)
SET enable_mergejoin = off;
SET enable_nestloop = off;
INSERT INTO credit.record (
        record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name,
        subject_uscc, subject_resident_id, legal_rep_name, legal_rep_id, disclosure, severity,
        decision_no, decision_date, conduct_end_date,
        violation_type, violation_facts, penalty_basis, penalty_category, penalty_content,
        fine_amount, confiscated_amount, licence_suspended, penalty_valid_until,
        authority_name, authority_uscc, source_name, source_uscc, remarks,
        publicity_start, publicity_end, rule_set, publicity_min_end, publicity_max_end,
        publicity_state, publicity_reason, publicity_since, dispute_mark,
        state, state_reason, corrects, submitted_by, submitted_at)
OVERRIDING SYSTEM VALUE
SELECT x.rid, x.rid, i.item_code, i.category, i.department_id, s.subject_id, s.kind, s.name,
       s.uscc, NULL, s.legal_rep_name, NULL, '公开', x.sev,
       format('金罚〔%s〕%s号', extract(year FROM x.ddate), x.rid), x.ddate, NULL,
       (ARRAY['虚假宣传', '无证经营', '超标排放', '偷逃税款', '违规施工'])[x.rid % 5 + 1],
       '经查, 当事人于' || to_char(x.ddate - 30, 'YYYY年MM月DD日') || '实施了违法行为, 事实清楚, 证据确凿。',
       '《中华人民共和国行政处罚法》第二十八条',
       (ARRAY['警告', '罚款', '没收违法所得、没收非法财物'])[x.rid % 3 + 1],
       '罚款' || x.fine || '万元', x.fine, 0, NULL, x.ddate + 180,
       d.name, d.uscc, d.name, d.uscc, NULL,
       x.ddate,
       least(x.ddate + make_interval(months => p.max_months), x.ddate + interval '5 years')::date,
       p.rule_set,
       least(x.ddate + make_interval(months => p.min_months),
             least(x.ddate + make_interval(months => p.max_months), x.ddate + interval '5 years'))::date,
       least(x.ddate + make_interval(months => p.max_months), x.ddate + interval '5 years')::date,
       '公示中', NULL, least(x.ddate + interval '10 hours', now()), NULL,
       '有效', NULL, NULL, pa.role, least(x.ddate + interval '10 hours', now())
  FROM (SELECT g AS rid,
               1 + floor(random() * :nsubj)::bigint AS sid,
               1 + floor(random() * :ndept)::int AS dept,
               CASE WHEN random() < 0.7 THEN '一般' ELSE '严重' END::credit.severity AS sev,
               round((random() * 50)::numeric, 4) AS fine,
               CASE WHEN g <= :nrec / 100
                    THEN (credit.legal_date() - interval '36 months')::date - 59 + (60 * (g - 1) / (:nrec / 100))::int
                    ELSE credit.legal_date() - 359 + (360 * (g - 1 - :nrec / 100) / (:nrec - :nrec / 100))::int END AS ddate
          FROM generate_series(1::bigint, :nrec) AS g) AS x
  JOIN credit.subject s ON s.subject_id = x.sid
  JOIN credit.department d ON d.department_id = x.dept
  JOIN credit.catalogue_item i ON i.department_id = d.department_id
  JOIN credit.party pa ON pa.kind = '部门' AND pa.department_id = d.department_id
  JOIN bench_period p ON p.item_code = i.item_code AND p.severity = x.sev AND p.day = x.ddate;
RESET session_replication_role;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT setval(pg_get_serial_sequence('credit.record', 'record_id'), :nrec);
INSERT INTO bench_load SELECT 'records (INSERT ... SELECT, triggers off)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), :nrec;

-- List entries :first_entry .. :first_entry + :nent - 1, the first 1 % due.
SELECT clock_timestamp() AS t0 \gset
SELECT setseed(0.75);
SET session_replication_role = replica;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT bench_insert_entries(:first_entry, :nent, :nent / 100, NULL, :ndept, :nsubj);
RESET session_replication_role;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT setval(pg_get_serial_sequence('credit.list_entry', 'entry_id'), :first_entry + :nent - 1);
INSERT INTO bench_load SELECT 'list entries (INSERT ... SELECT, triggers off)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), :nent;

SELECT clock_timestamp() AS t0 \gset
SELECT def FROM bench_index WHERE tab = 'credit.record'::regclass \gexec
INSERT INTO bench_load SELECT 'record indexes (rebuilt)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz),
                              (SELECT count(*) FROM bench_index WHERE tab = 'credit.record'::regclass);
SELECT clock_timestamp() AS t0 \gset
SELECT def FROM bench_index WHERE tab = 'credit.list_entry'::regclass \gexec
INSERT INTO bench_load SELECT 'list entry indexes (rebuilt)', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz),
                              (SELECT count(*) FROM bench_index WHERE tab = 'credit.list_entry'::regclass);
DO $$
BEGIN
    IF EXISTS (SELECT def FROM bench_index
               EXCEPT SELECT pg_get_indexdef(indexrelid) FROM pg_index
                       WHERE indrelid IN ('credit.record'::regclass, 'credit.list_entry'::regclass))
       OR (SELECT count(*) FROM pg_index
            WHERE indrelid IN ('credit.record'::regclass, 'credit.list_entry'::regclass) AND NOT indisprimary)
          <> (SELECT count(*) FROM bench_index)
       OR to_regclass('credit.record_publicity_due') IS NULL OR to_regclass('credit.list_entry_due') IS NULL THEN
        RAISE EXCEPTION 'bench: the indexes were not rebuilt as defined';
    END IF;
END
$$;

SELECT clock_timestamp() AS t0 \gset
VACUUM ANALYZE credit.record;
VACUUM ANALYZE credit.list_entry;
VACUUM ANALYZE credit.subject;
VACUUM ANALYZE credit.workflow_event;
INSERT INTO bench_load SELECT 'VACUUM ANALYZE', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- ------------------------------------------------------------------
-- The data is what the triggers and foreign keys would have allowed
-- ------------------------------------------------------------------
SELECT clock_timestamp() AS t0 \gset
SELECT set_config('bench.first_entry', :'first_entry', false) \gset
DO $$
DECLARE
    bad text;
BEGIN
    SELECT CASE
             WHEN count(*) FILTER (WHERE s.subject_id IS NULL) > 0 THEN 'record without its subject'
             WHEN count(*) FILTER (WHERE s.kind <> r.subject_kind OR s.name <> r.subject_name
                                      OR s.uscc::text IS DISTINCT FROM r.subject_uscc::text) > 0 THEN 'record not matching its subject'
             WHEN count(*) FILTER (WHERE i.item_code IS NULL OR i.category <> r.category
                                      OR i.department_id <> r.department_id) > 0 THEN 'record not matching its item'
             WHEN count(*) FILTER (WHERE p.rule_set IS DISTINCT FROM r.rule_set
                                      OR r.publicity_max_end IS DISTINCT FROM
                                         least(r.decision_date + make_interval(months => p.max_months),
                                               r.decision_date + interval '5 years')::date
                                      OR r.publicity_min_end IS DISTINCT FROM
                                         least(r.decision_date + make_interval(months => p.min_months),
                                               r.publicity_max_end)::date
                                      OR r.publicity_end IS DISTINCT FROM r.publicity_max_end
                                      OR NOT p.published
                                      OR r.publicity_start <> r.decision_date) > 0
                  THEN 'publicity period not as record_before_insert sets it'
             WHEN count(*) FILTER (WHERE pa.department_id IS DISTINCT FROM r.department_id) > 0 THEN 'submitted_by is not a role of the department'
             WHEN count(*) FILTER (WHERE r.publicity_state <> '公示中' OR r.state <> '有效') > 0 THEN 'not 公示中 and 有效'
           END
      INTO bad
      FROM credit.record r
      LEFT JOIN credit.subject s ON s.subject_id = r.subject_id
      LEFT JOIN credit.catalogue_item i ON i.item_code = r.item_code
      LEFT JOIN credit.party pa ON pa.role = r.submitted_by
      LEFT JOIN bench_period p ON p.item_code = r.item_code AND p.severity = r.severity AND p.day = r.decision_date;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'bench: generated records are wrong: %', bad;
    END IF;
    SELECT CASE
             WHEN count(*) FILTER (WHERE s.subject_id IS NULL) > 0 THEN 'entry without its subject'
             WHEN count(*) FILTER (WHERE e.expires_on IS DISTINCT FROM (e.listed_on + make_interval(months => k.term_months))::date
                                      OR e.disclosure <> k.disclosure
                                      OR e.early_removal_from <> (e.listed_on + make_interval(months => k.early_removal_months))::date) > 0
                  THEN 'expiry, disclosure or early removal not from the list kind'
             WHEN count(*) FILTER (WHERE e.deletion_due IS DISTINCT FROM dd.plus3) > 0 THEN 'deletion_due is not 3 working days after expiry'
             WHEN count(*) FILTER (WHERE pa.department_id IS DISTINCT FROM e.department_id) > 0 THEN 'submitted_by is not a role of the department'
             WHEN count(*) FILTER (WHERE e.state <> '列入中' AND e.entry_id >= current_setting('bench.first_entry')::bigint) > 0 THEN 'not 列入中'
           END
      INTO bad
      FROM credit.list_entry e
      LEFT JOIN credit.subject s ON s.subject_id = e.subject_id
      LEFT JOIN credit.list_kind k ON k.list_kind = e.list_kind
      LEFT JOIN credit.party pa ON pa.role = e.submitted_by
      LEFT JOIN bench_day dd ON dd.day = e.expires_on;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'bench: generated list entries are wrong: %', bad;
    END IF;
END
$$;
INSERT INTO bench_load SELECT 'check of the generated data', 1000 * extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);

-- The timed sweep: rows moved per machine, ms (clock_timestamp() around
-- the one call).
CREATE FUNCTION bench_sweep(OUT records bigint, OUT entries bigint, OUT ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    SELECT coalesce(sum(s.moved) FILTER (WHERE s.machine = 'record_publicity'), 0),
           coalesce(sum(s.moved) FILTER (WHERE s.machine = 'list_entry'), 0)
      INTO records, entries
      FROM credit.sweep(credit.legal_date()) AS s;
    ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
END
$$;
\endif
