-- bench/common.sql: SQL helpers every benchmark setup shares.  Include it
-- from a setup script with  \ir common.sql  (after CREATE EXTENSION credit).
--
--   bench_ms(stmt)       milliseconds one statement takes in the server
--   bench_base31_9(v)    v as 9 symbols of the uscc alphabet
--
-- Both live in schema public, so every role of a benchmark (department,
-- portal) can call them; CREATE OR REPLACE, so a setup may include this file
-- again.

-- Milliseconds one statement takes in the server: clock_timestamp() around
-- EXECUTE, so neither the client nor the network is in the figure.  Not
-- rounded: a caller that prints it rounds it (round(bench_ms(...)::numeric, 3)).
CREATE OR REPLACE FUNCTION public.bench_ms(stmt text) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE stmt;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0)::double precision;
END
$$;
GRANT EXECUTE ON FUNCTION public.bench_ms(text) TO PUBLIC;

-- v (0 <= v < 31^9) as 9 symbols of the uscc alphabet: the organisation code
-- part of a uscc, distinct for distinct v.  Written out, one symbol a line:
-- a single expression, which the planner inlines into the INSERT ... SELECT
-- that loads millions of subjects.
CREATE OR REPLACE FUNCTION public.bench_base31_9(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 852891037441 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 27512614111 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 887503681 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 28629151 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 923521 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 29791 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 961 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v / 31 % 31)::int + 1, 1)
    || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (v % 31)::int + 1, 1);

-- bench_cpu_ms(): the CPU time this backend has run, in ms (Linux:
-- /proc/self/schedstat, nanoseconds on the CPU), NULL where it cannot be
-- read.  On a shared machine the wall clock also counts the time the
-- backend waited for a CPU; the benchmarks report both.
CREATE OR REPLACE FUNCTION public.bench_cpu_ms() RETURNS double precision
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN pg_catalog.split_part(pg_catalog.pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint / 1e6;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;
