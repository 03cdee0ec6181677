-- Setup of bench/calendar.sh: the Monday-Friday functions as they were
-- before the working-day calendar (commit c428831, extension/20_reference.sql),
-- in schema bench_before; a registered department role; and the helpers of
-- bench/common.sql (bench_ms(), which times a statement in the server).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
DROP SCHEMA IF EXISTS bench_before CASCADE;
CREATE SCHEMA bench_before;

CREATE FUNCTION bench_before.add_working_days(d date, n integer) RETURNS date
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    step integer := sign(n)::integer;
    remaining integer := abs(n);
    result date := d;
BEGIN
    WHILE remaining > 0 LOOP
        result := result + step;
        IF extract(isodow FROM result) < 6 THEN
            remaining := remaining - 1;
        END IF;
    END LOOP;
    RETURN result;
END
$$;

CREATE FUNCTION bench_before.working_days_between(d1 date, d2 date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT count(*)::integer * CASE WHEN d2 >= d1 THEN 1 ELSE -1 END
      FROM generate_series(least(d1, d2) + 1, greatest(d1, d2), interval '1 day') AS g(day)
     WHERE extract(isodow FROM g.day) < 6;
END;

GRANT USAGE ON SCHEMA bench_before TO PUBLIC;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_cal_dept') THEN
        CREATE ROLE bench_cal_dept;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM credit.department WHERE code = 'BENCH_CAL') THEN
        INSERT INTO credit.department (code, name) VALUES ('BENCH_CAL', '基准测试部门');
        PERFORM credit.register_department_role('bench_cal_dept', 'BENCH_CAL');
    END IF;
END
$$;

-- bench_ms(), bench_base31_9()
\ir common.sql
