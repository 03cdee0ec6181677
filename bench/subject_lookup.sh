#!/usr/bin/env bash
# Finding a subject by its uscc, and the record insert path that does it for
# every row, side by side in one run:
#   bench/subject_lookup.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
# N subjects (default 100 000, every one with a uscc), one department.
# Times, interleaved and repeated R times (default 5):
#   lookup.default      SELECT ... FROM credit.subject WHERE uscc = '...' with
#                       search_path "$user", public (credit not on the path)
#   lookup.qualified    the same path, WHERE uscc OPERATOR(credit.=) '...'
#   lookup.credit_path  search_path "$user", public, credit; WHERE uscc = '...'
#   load.record_load    single-row INSERTs into credit.record_load as the
#                       department, each a record for a known subject
# BENCH_LOOKUPS (default 200) lookups and BENCH_RECORDS (default 200) rows a
# measurement.  A variant that is an error (lookup.default, since issue 13)
# is reported with its message instead of a time.  Port CLUSTER_PORT,
# default here 55485.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 100000 5 "$@"
lookups="${BENCH_LOOKUPS:-200}"
records="${BENCH_RECORDS:-200}"
[[ "$lookups" =~ ^[1-9][0-9]*$ && "$records" =~ ^[1-9][0-9]*$ ]] \
    || { echo "bench: BENCH_LOOKUPS and BENCH_RECORDS must be positive integers" >&2; exit 2; }
bench_cluster 55485 256MB

echo "bench: setting up, $scale subjects" >&2
psql_q -v nsubj="$scale" -f bench/subject_lookup.sql >/dev/null

declare -A stmt path once
stmt[lookup.default]="SELECT bench_lookups(\$q\$SELECT subject_id FROM credit.subject WHERE uscc = %L\$q\$, $lookups)"
path[lookup.default]='"$user", public'
stmt[lookup.qualified]="SELECT bench_lookups(\$q\$SELECT subject_id FROM credit.subject WHERE uscc OPERATOR(credit.=) %L\$q\$, $lookups)"
path[lookup.qualified]='"$user", public'
stmt[lookup.credit_path]="SELECT bench_lookups(\$q\$SELECT subject_id FROM credit.subject WHERE uscc = %L\$q\$, $lookups)"
path[lookup.credit_path]='"$user", public, credit'
stmt[load.record_load]="SELECT bench_record_load($records)"
path[load.record_load]='"$user", public'
for v in "${!stmt[@]}"; do once[$v]=$(sed -E 's/[0-9]+\)$/1)/' <<<"${stmt[$v]}"); done

# A variant that fails once, untimed, is reported with its error.
declare -A failed
variants=()
for v in lookup.default lookup.qualified lookup.credit_path load.record_load; do
    role=$([ "$v" = load.record_load ] && echo "SET ROLE bench_dept;" || true)
    if err=$(psql_q -At -c "SET search_path = ${path[$v]}" -c "$role" -c "${once[$v]}" 2>&1 >/dev/null); then
        variants+=("$v")
    else
        failed[$v]=$(sed -n 's/^.*ERROR: *//p' <<<"$err" | head -1)
    fi
done

results="$work/results"
: >"$results"
for r in $(seq 1 "$rounds"); do
    echo "bench: round $r of $rounds" >&2
    for v in $(rotated "$r" "${variants[@]}"); do
        role=$([ "$v" = load.record_load ] && echo "SET ROLE bench_dept;" || true)
        ms=$(psql_q -At -c "SET search_path = ${path[$v]}" -c "$role" \
                    -c "SELECT round(public.bench_ms(\$s\$${stmt[$v]}\$s\$)::numeric, 3)")
        echo "$v|$ms" >>"$results"
    done
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
echo "subject_lookup: $scale subjects, $lookups lookups and $records single-row inserts a measurement, median of $rounds rounds (tree $commit)"
for v in "${!failed[@]}"; do echo "$(printf '%-20s' "$v") error: ${failed[$v]}"; done
psql_q -At -F' | ' <<SQL
CREATE TEMP TABLE r (variant text, ms numeric);
\copy r FROM '$results' WITH (DELIMITER '|')
WITH m AS (SELECT variant, percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM r GROUP BY variant)
SELECT rpad(variant, 20)
       || CASE WHEN variant LIKE 'lookup.%'
               THEN lpad(round(1000 * ms / $lookups, 1)::text, 10) || ' us a lookup'
                    || coalesce(lpad(round(ms / (SELECT c.ms FROM m c WHERE c.variant = 'lookup.credit_path'), 1)::text, 10)
                                || ' x credit_path', '')
               ELSE lpad(round(1000 * $records / ms)::text, 10) || ' rows/s' END
  FROM m ORDER BY array_position(ARRAY['lookup.default', 'lookup.qualified', 'lookup.credit_path', 'load.record_load'], variant);
SQL
echo "load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); elapsed $(( $(date +%s) - started ))s"
