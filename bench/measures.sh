#!/usr/bin/env bash
# The credit check (联合奖惩) benchmark, against its own throwaway cluster:
#   bench/measures.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
#     N records (default 1 000 000), N / 10 list entries, N / 10
#     organisations, N / 100 commitments, N / 30 published grades
#   BENCH_CHECKS=C   subjects checked a variant a round (default 1000)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55488; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 2GB), loads the data
# (bench/measures.sql) and measures, R rounds, each in one session, every
# variant once in rotating order over the same C subjects (new ones each
# round), after an untimed warm-up over them:
#   check       credit.check(subject, 'ZJ-ZFCG', 'bench') as bench_dept (a
#               registered department, through row security): the check row
#               written, the hits returned as rows
#   hand        the same lookups written by hand as the superuser
#               (public.bench_hand: records, list entries, commitments and
#               the grade of the subject, what the department may see
#               written out, joined to the matter's rules; the same rows)
#   check_hits  credit.check_hits(subject, 'ZJ-ZFCG') as bench_dept
#   check_insert  credit.check as for check, with a statement trigger that
#               does nothing on credit.credit_check, so that the check row
#               is written by an INSERT, not by credit.check itself
#               (docs/measures.md, "Speed"): what writing the row itself saves
# Each call is timed on its own in the server; the report gives per
# variant the median, 10th and 90th percentile and mean in µs, and the
# ratios of medians to hand.  Targets: check ≤ 1.3 × hand, check's median
# < 150 µs.  Before timing, the check's rows and the hand-written rows must
# be the same for 200 subjects; after, the plans of one check's nested
# statements (auto_explain) go to stderr.  See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 1000000 5 "$@"
checks="${BENCH_CHECKS:-1000}"
[[ "$checks" =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_CHECKS must be a positive integer" >&2; exit 2; }
nrec="$scale"
nsubj=$(( scale / 10 > 0 ? scale / 10 : 1 ))
nlist=$(( scale / 10 ))
ncom=$(( scale / 100 ))
ngrade=$(( scale / 30 ))

bench_cluster 55488 2GB
psql_q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
db=bench_measures
psql_q -c "CREATE DATABASE $db" >/dev/null
echo "bench: loading $nrec records, $nlist list entries, $nsubj subjects, $ncom commitments, $ngrade grades" >&2
t0=$(date +%s)
psql_q -d "$db" -v nrec="$nrec" -v nsubj="$nsubj" -v nlist="$nlist" -v ncom="$ncom" -v ngrade="$ngrade" \
    -f bench/measures.sql >"$work/setup.log" 2>&1 \
    || { cat "$work/setup.log" >&2; echo "bench: setup failed" >&2; exit 1; }
load_s=$(( $(date +%s) - t0 ))
echo "bench: loaded in ${load_s}s" >&2
psql_q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" >/dev/null 2>&1 && \
    psql_q -d "$db" -At -c "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'credit' AND c.relkind IN ('r', 'i')" >/dev/null 2>&1 || true

# The subjects of round r: C distinct-enough ids spread over the subjects.
ids() { echo "(SELECT array_agg(1 + (($1::bigint * 2654435761 + i * 40503) % $nsubj)) FROM generate_series(1, $checks) AS i)"; }

bad=$(psql_q -d "$db" -At <<SQL
SET credit.legal_date = '2026-06-30';
BEGIN;
SET LOCAL ROLE bench_dept;
SELECT public.bench_same($(ids 0 | sed "s/$checks)/200)/"));
ROLLBACK;
SQL
)
[ "$bad" = "0" ] || { echo "bench: the check and the hand-written lookups differ for $bad subjects" >&2; exit 1; }
echo "bench: check and hand-written lookups agree on 200 subjects" >&2

for ((r = 1; r <= rounds; r++)); do
    {
        echo "SET credit.legal_date = '2026-06-30';"
        echo "SELECT $(ids "$r") AS ids \\gset"
        echo "SELECT public.bench_run('hand', 0, :'ids');"
        echo "SET ROLE bench_dept; SELECT public.bench_run('check_hits', 0, :'ids'); RESET ROLE;"
        for v in $(rotated "$r" check hand check_hits check_insert); do
            case "$v" in
            hand) echo "SELECT public.bench_run('hand', $r, :'ids');" ;;
            check_insert)
                echo "CREATE TRIGGER bench_noop AFTER INSERT ON credit.credit_check FOR EACH STATEMENT EXECUTE FUNCTION public.bench_noop();"
                echo "SET ROLE bench_dept; SELECT public.bench_run('check_insert', $r, :'ids'); RESET ROLE;"
                echo "DROP TRIGGER bench_noop ON credit.credit_check;" ;;
            *)    echo "SET ROLE bench_dept; SELECT public.bench_run('$v', $r, :'ids'); RESET ROLE;" ;;
            esac
        done
    } | psql_q -d "$db" -At >/dev/null
    echo "bench: round $r done" >&2
done

echo "# credit.check at $nrec records, $nlist list entries, $nsubj subjects; $checks checks a variant a round, $rounds rounds"
echo "variant|median µs|p10|p90|mean|rows/call|ratio to hand (medians)"
psql_q -d "$db" -At -F'|' <<'SQL'
WITH m AS (SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY us) AS med,
                  percentile_cont(0.1) WITHIN GROUP (ORDER BY us) AS p10,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY us) AS p90,
                  avg(us) AS mean, avg(n) AS rows
             FROM public.bench_t GROUP BY variant)
SELECT variant, round(med::numeric, 1), round(p10::numeric, 1), round(p90::numeric, 1), round(mean::numeric, 1),
       round(rows::numeric, 2), round((med / (SELECT med FROM m WHERE variant = 'hand'))::numeric, 2)
  FROM m ORDER BY array_position('{check,hand,check_hits,check_insert}', variant);
SQL
echo "per round (median µs: check / hand / check_hits / check_insert):"
psql_q -d "$db" -At -F'|' <<'SQL'
SELECT round, string_agg(round(med::numeric, 1)::text, ' / ' ORDER BY array_position('{check,hand,check_hits,check_insert}', variant))
  FROM (SELECT round, variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY us) AS med FROM public.bench_t GROUP BY 1, 2) x
 GROUP BY round ORDER BY round;
SQL
echo "check rows written: $(psql_q -d "$db" -At -c 'SELECT count(*) FROM credit.credit_check')"

echo "the plans of one check's nested statements (auto_explain): stderr" >&2
psql_q -d "$db" 2>&1 <<'SQL' | grep -v '^\(SET\|LOAD\)' >&2 || true
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
SET credit.legal_date = '2026-06-30';
SET ROLE bench_dept;
BEGIN;
SELECT count(*) FROM credit.check(7, 'ZJ-ZFCG', 'bench');
ROLLBACK;
SQL
echo "bench: ${nrec} records, ${rounds} rounds; load ${load_s}s; $(( $(date +%s) - started ))s; load $load_start -> $(cut -d' ' -f1-3 /proc/loadavg)"
