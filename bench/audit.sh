#!/usr/bin/env bash
# The change log's cost (docs/audit.md): a department's record insert and
# its transition (有效 -> 已撤回), each in a transaction of its own, with
# credit.record chained (the row trigger and the append at commit) and not
# chained (its row of credit.chain_table deleted), side by side in one run,
# the variants in rotating order.  Reports the median µs per operation and
# the ratio chained / not chained (target <= 1.3), in elapsed time and in
# the CPU time of the backend that ran the operations (bench_cpu_ms(),
# bench/common.sql: on a shared machine the wall clock also counts the
# time the backend waited for a CPU).
#
#   bench/audit.sh [--scale N] [--rounds R]    N operations per measurement (default 2000), R rounds (5)
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh
bench_args 2000 5 "$@"
bench_cluster 55491 256MB

psql_q -f bench/audit.sql >/dev/null
variants=(chained unchained)
for ((r = 1; r <= rounds; r++)); do
    for v in $(rotated "$r" "${variants[@]}"); do
        if [ "$v" = chained ]; then
            psql_q -c "INSERT INTO credit.chain_table (table_name) VALUES ('record') ON CONFLICT DO NOTHING" >/dev/null
        else
            psql_q -c "DELETE FROM credit.chain_table WHERE table_name = 'record'" >/dev/null
        fi
        tag="r$r$v"
        # the backend's CPU time before and after, in the session that runs the operations
        mapfile -t ins < <(psql_q -At -c "SELECT public.bench_cpu_ms()" -c "SET ROLE bench_dept" \
                               -c "CALL public.bench_insert($scale, '$tag')" -c "RESET ROLE" -c "SELECT public.bench_cpu_ms()")
        mapfile -t tr < <(psql_q -At -c "SELECT public.bench_cpu_ms()" -c "SET ROLE bench_dept" \
                              -c "CALL public.bench_transition('$tag')" -c "RESET ROLE" -c "SELECT public.bench_cpu_ms()")
        psql_q -c "INSERT INTO public.bench_result VALUES
                   ($r, '$v', 'insert', $scale, ${ins[1]}, (${ins[2]} - ${ins[0]}) / 1e3),
                   ($r, '$v', 'transition', $scale, ${tr[1]}, (${tr[2]} - ${tr[0]}) / 1e3)"
        echo "round $r $v: insert ${ins[1]}s, transition ${tr[1]}s" >&2
    done
done
psql_q -c "INSERT INTO credit.chain_table (table_name) VALUES ('record') ON CONFLICT DO NOTHING" >/dev/null
problems=$(psql_q -At -c "SELECT count(*) FROM credit.verify_chain() WHERE table_name <> 'record'")

echo "# bench/audit.sh --scale $scale --rounds $rounds ($(date -u +%F), load $load_start)"
psql_q -P footer=off <<'SQL'
SELECT op AS operation,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds / n) FILTER (WHERE variant = 'chained') * 1e6)::numeric, 1) AS "chained µs",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds / n) FILTER (WHERE variant = 'unchained') * 1e6)::numeric, 1) AS "not chained µs",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds / n) FILTER (WHERE variant = 'chained')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds / n) FILTER (WHERE variant = 'unchained'))::numeric, 2) AS ratio,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_seconds / n) FILTER (WHERE variant = 'chained') * 1e6)::numeric, 1) AS "chained CPU µs",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_seconds / n) FILTER (WHERE variant = 'unchained') * 1e6)::numeric, 1) AS "not chained CPU µs",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_seconds / n) FILTER (WHERE variant = 'chained')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_seconds / n) FILTER (WHERE variant = 'unchained'))::numeric, 2) AS "CPU ratio"
  FROM public.bench_result GROUP BY op ORDER BY op;
SQL
echo "log entries: $(psql_q -At -c 'SELECT count(*) FROM credit.change_log'); verify_chain problems outside credit.record (whose unchained rounds are behind the log by design): $problems"
echo "took $(( $(date +%s) - started )) s; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
