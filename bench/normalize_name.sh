#!/usr/bin/env bash
# credit.normalize_name against lower(), side by side in one run:
#   bench/normalize_name.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
# N names (default 1 000 000) in a table, in the shapes of the disclosure
# bench (bench/disclosure.sql): companies, individual businesses with a
# person's name, schools; and N/4 more in traditional characters with
# full-width brackets, which take ICU's slow path.  Times, interleaved and
# repeated R times (default 5): lower(name), credit.normalize_name(name)
# (with its fast path) and credit.normalize_name_icu(name) (always ICU) on
# each set, and prints the medians and the ratios to lower() of the same set.  Port CLUSTER_PORT, default
# here 55484.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 1000000 5 "$@"
bench_cluster 55484 256MB

psql_q <<SQL >/dev/null
\ir bench/common.sql
CREATE EXTENSION credit;
CREATE TABLE bench_names AS
SELECT false AS hant,
       CASE i % 4
         WHEN 0 THEN '金华市婺城区' || (ARRAY['张伟', '王芳', '李娜', '刘洋'])[i % 4 + 1] || i
                      || (ARRAY['小吃店', '五金店', '便利店', '理发店'])[i % 4 + 1]
         WHEN 1 THEN '金华市第' || i || '中学'
         WHEN 2 THEN '金华市' || i || '号社会服务中心'
         ELSE '金华市' || (ARRAY['兴业', '宏达', '恒通', '华盛', '金信', '永康', '婺城', '八咏', '双龙', '明辉'])[i % 10 + 1]
              || (ARRAY['商贸', '建设', '食品', '科技', '物流', '药业', '五金', '纺织'])[i % 8 + 1] || i || '有限公司'
       END AS name
  FROM generate_series(1, $scale) i
UNION ALL
SELECT true, CASE i % 2 WHEN 0 THEN '金華市' || i || '號貿易有限公司（分公司）' ELSE '金華市' || i || '號科技有限公司' END
  FROM generate_series(1, $scale / 4) i;
VACUUM ANALYZE bench_names;
SQL

declare -A stmt
for set in simplified traditional; do
    where="WHERE $([ $set = traditional ] || echo NOT) hant"
    stmt[$set.lower]="SELECT count(lower(name)) FROM bench_names $where"
    stmt[$set.normalize_name]="SELECT count(credit.normalize_name(name)) FROM bench_names $where"
    stmt[$set.normalize_name_icu]="SELECT count(credit.normalize_name_icu(name)) FROM bench_names $where"
done
variants=(simplified.lower simplified.normalize_name simplified.normalize_name_icu
          traditional.lower traditional.normalize_name traditional.normalize_name_icu)

results="$work/results"
: >"$results"
for r in $(seq 1 "$rounds"); do
    echo "bench: round $r of $rounds" >&2
    for v in $(rotated "$r" "${variants[@]}"); do
        ms=$(psql_q -At -c "SELECT round(bench_ms(\$s\$${stmt[$v]}\$s\$)::numeric, 1)")
        echo "$v|$ms" >>"$results"
    done
done

echo "normalize_name: $scale simplified names and $((scale / 4)) traditional ones, median of $rounds rounds"
psql_q -At -F' | ' <<SQL
CREATE TEMP TABLE r (variant text, ms numeric);
\copy r FROM '$results' WITH (DELIMITER '|')
WITH m AS (SELECT split_part(variant, '.', 1) AS set, split_part(variant, '.', 2) AS fn,
                  percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM r GROUP BY variant)
SELECT rpad(set, 12) || rpad(fn, 20) || lpad(ms::text, 10) || ' ms'
       || lpad(round(ms / (SELECT l.ms FROM m l WHERE l.set = m.set AND l.fn = 'lower'), 1)::text, 8) || ' x lower()'
  FROM m ORDER BY set, array_position(ARRAY['lower', 'normalize_name', 'normalize_name_icu'], fn);
SELECT 'keys that differ between the fast path and ICU: '
       || count(*) FILTER (WHERE credit.normalize_name(name) IS DISTINCT FROM credit.normalize_name_icu(name))
  FROM bench_names;
SQL
echo "load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); elapsed $(( $(date +%s) - started ))s"
