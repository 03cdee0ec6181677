#!/usr/bin/env bash
# The evaluation (信用评价) benchmark, against its own throwaway cluster:
#   bench/evaluation.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
#     N subjects (default 100 000), BENCH_RECORDS records per subject
#     (default 10), N / 100 serious list entries
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55487; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 1GB), loads the data
# (bench/evaluation.sql) and measures, R rounds, in rotating order:
#   plain   the bare counting of the run (records by polarity and list
#           entries per subject, the same predicates) into a plain table
#   run     credit.eval_run('公共信用综合评价', <a new date each round>) as
#           the centre: every subject graded, explained and stored
# Prints medians, rows/s and the ratio run / plain, then the plan of the
# run's INSERT ... SELECT (auto_explain, EXPLAIN ANALYZE of the nested
# statement) on one more date.  See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 100000 3 "$@"
per_subject="${BENCH_RECORDS:-10}"
nrec=$((scale * per_subject))
nlist=$((scale / 100))

bench_cluster 55487 1GB
psql_q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
results="$work/results"
: >"$results"
db=bench_eval
psql_q -c "CREATE DATABASE $db" >/dev/null
echo "bench: loading $scale subjects, $nrec records, $nlist list entries" >&2
t0=$(date +%s)
psql_q -d "$db" -v nsubj="$scale" -v nrec="$nrec" -v nlist="$nlist" -f bench/evaluation.sql >"$work/setup.log" 2>&1 \
    || { cat "$work/setup.log" >&2; echo "bench: setup failed" >&2; exit 1; }
echo "bench: loaded in $(( $(date +%s) - t0 ))s" >&2

for ((r = 1; r <= rounds; r++)); do
    day=$(printf '2026-06-%02d' "$r")
    for v in $(rotated "$r" plain run); do
        case "$v" in
        plain)
            psql_q -d "$db" -At -F'|' >>"$results" <<SQL
SELECT bench_ms('SELECT public.bench_plain(''$day'')') AS ms \gset
SELECT 'plain', $r, :ms, (SELECT count(*) FROM public.bench_counts);
SQL
            ;;
        run)
            psql_q -d "$db" -At -F'|' >>"$results" <<SQL
SET credit.legal_date = '2026-06-30';
SET ROLE bench_centre;
SELECT bench_ms('SELECT credit.eval_run(''公共信用综合评价'', ''$day'')') AS ms \gset
SELECT 'run', $r, :ms, (SELECT results FROM credit.eval_batch WHERE as_of = '$day');
SQL
            ;;
        esac
    done
done

echo "variant|median ms|rows|rows/s|ratio to plain"
psql_q -d "$db" -c "CREATE TABLE public.bench_r (variant text, round integer, ms double precision, n bigint)" \
    -c "\\copy public.bench_r FROM '$results' WITH (FORMAT text, DELIMITER '|')" >/dev/null
psql_q -d "$db" -At -F'|' <<'SQL'
WITH m AS (SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, max(n) AS n FROM public.bench_r GROUP BY variant)
SELECT variant, round(ms::numeric, 1), n, round((n / (ms / 1000))::numeric), round((ms / (SELECT ms FROM m WHERE variant = 'plain'))::numeric, 2)
  FROM m ORDER BY variant;
SQL
echo "grades of the last run:"
psql_q -d "$db" -At -F'|' -c "SELECT grade, state, count(*) FROM credit.eval_result WHERE as_of = (SELECT max(as_of) FROM credit.eval_batch) GROUP BY 1, 2 ORDER BY 1"

echo "the plan of the run (auto_explain, nested statements, on 2026-06-28):"
psql_q -d "$db" 2>&1 <<'SQL' | sed -n '/^Insert on eval_result/,/^NOTICE:  duration/p' | grep -v '^NOTICE' || true
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
SET credit.legal_date = '2026-06-30';
SET ROLE bench_centre;
SELECT credit.eval_run('公共信用综合评价', '2026-06-28');
SQL
echo "bench: ${scale} subjects, ${nrec} records, ${rounds} rounds; $(( $(date +%s) - started ))s; load $load_start -> $(cut -d' ' -f1-3 /proc/loadavg)"
