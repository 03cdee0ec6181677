#!/usr/bin/env bash
# The working-day calendar benchmark, against its own throwaway cluster:
#   bench/calendar.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55482), and times N
# calls (default 100 000) of each working-day function, interleaved and
# repeated R times (default 5), before (the Monday-Friday functions of
# commit c428831, set up by bench/calendar.sql) and now (the calendar of
# credit.calendar_day), as the superuser and as a registered department role
# (row security applies).  Prints the median of each in ms and per call in µs.
# Dates: 2025-01-01 plus i mod 730 (the shipped years 2025 and 2026).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 100000 5 "$@"
bench_cluster 55482 128MB

psql_q -f bench/calendar.sql >/dev/null

d="date '2025-01-01' + (i % 730)"
declare -A stmt
stmt[add7.before]="SELECT count(bench_before.add_working_days($d, 7)) FROM generate_series(1, $scale) i"
stmt[add7.now]="SELECT count(credit.add_working_days($d, 7)) FROM generate_series(1, $scale) i"
stmt[add7_plpgsql.before]="DO \$b\$ DECLARE x date; BEGIN FOR i IN 1..$scale LOOP x := bench_before.add_working_days($d, 7); END LOOP; END \$b\$"
stmt[add7_plpgsql.now]="DO \$b\$ DECLARE x date; BEGIN FOR i IN 1..$scale LOOP x := credit.add_working_days($d, 7); END LOOP; END \$b\$"
stmt[add_minus7.before]="SELECT count(bench_before.add_working_days($d, -7)) FROM generate_series(1, $scale) i"
stmt[add_minus7.now]="SELECT count(credit.add_working_days($d, -7)) FROM generate_series(1, $scale) i"
stmt[between20.before]="SELECT sum(bench_before.working_days_between($d, $d + 20)) FROM generate_series(1, $scale) i"
stmt[between20.now]="SELECT sum(credit.working_days_between($d, $d + 20)) FROM generate_series(1, $scale) i"
stmt[is_working.before]="SELECT count(*) FILTER (WHERE extract(isodow FROM $d) < 6) FROM generate_series(1, $scale) i"
stmt[is_working.now]="SELECT count(*) FILTER (WHERE credit.is_working_day($d)) FROM generate_series(1, $scale) i"
names=(add7 add7_plpgsql add_minus7 between20 is_working)

results="$work/results"
: >"$results"
for r in $(seq 1 "$rounds"); do
    echo "bench: round $r of $rounds" >&2
    for name in "${names[@]}"; do
        for variant in before now; do
            for role in superuser department; do
                set_role=""
                [ "$role" = department ] && set_role="SET ROLE bench_cal_dept;"
                ms=$(psql_q -At -c "$set_role SELECT round(bench_ms(\$s\$${stmt[$name.$variant]}\$s\$)::numeric, 1)")
                echo "$name|$variant|$role|$ms" >>"$results"
            done
        done
    done
done

echo "working-day functions, $scale calls, median of $rounds rounds (ms; µs per call)"
psql_q -At -F' | ' <<SQL
CREATE TEMP TABLE r (name text, variant text, role text, ms numeric);
\copy r FROM '$results' WITH (DELIMITER '|')
SELECT rpad(name, 13) || ' | ' || rpad(role, 10)
       || ' | before ' || lpad(b::text, 7) || ' (' || round(b * 1000 / $scale, 2) || ')'
       || ' | now ' || lpad(n::text, 7) || ' (' || round(n * 1000 / $scale, 2) || ')'
       || ' | now/before ' || round(n / nullif(b, 0), 1)
  FROM (SELECT name, role,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE variant = 'before') AS b,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE variant = 'now') AS n
          FROM r GROUP BY name, role) s
 ORDER BY array_position(ARRAY['add7', 'add7_plpgsql', 'add_minus7', 'between20', 'is_working'], name), role DESC;
SQL
