#!/usr/bin/env bash
# The disclosure (row security) benchmark, against its own throwaway cluster:
#   bench/disclosure.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS;
#                                                  BENCH_LOOKUPS, default 2000;
#                                                  BENCH_CLOCK=cpu: report the
#                                                  backend's CPU time, not the
#                                                  wall clock)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55481; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 8GB), loads N records (N/10 subjects,
# 20 departments) with bench/disclosure.sql, then measures, interleaved and
# repeated R times, the same queries with row security (a department role,
# the portal role) and without (the superuser):
#   1. a subject's records:      SELECT * FROM credit.record WHERE subject_id = $1
#      (the department also with the record read policies as the SQL
#      conditions they were before the record predicates, variant rls_sql,
#      and as the three C predicates a department was under before
#      credit.record_department_sees, variant rls_three; without the
#      restrictive policy record_shared_read, rls_noshared; with every
#      catalogue item logging its shared reads, rls_logged: changed for
#      that measurement only, in a transaction rolled back)
#   2. the same, public view:    SELECT * FROM credit.public_record WHERE subject_id = $1
#                                (superuser: the same view definition without row
#                                security, public.bench_public_record, public
#                                predicate written out; the portal also with
#                                the policies in SQL, rls_sql)
#   3. a public listing page:    SELECT * FROM credit.public_record WHERE <public predicate>
#                                ORDER BY publicity_start DESC, record_id DESC LIMIT 20 OFFSET k
#                                (the portal also with only disclosure = '公开' AND
#                                state = '有效' written, and once without any predicate)
#   4. search by name (issue 13): the portal's credit.find_subject($1) and
#      find_subject($1, true) against the superuser on the name_key indexes
#      (subject_name_key, subject_name_key_public); a partial name: the
#      portal's find_subject($1, partial => true) against the superuser's
#      LIKE '%part%' on name_key_public, with pg_trgm's GIN index when
#      pg_trgm exists, and the portal's LIKE on public_subject (a scan: fewer
#      searches) (organisations' names drawn at random; BENCH_LOOKUPS
#      searches a measurement)
# and prints medians, ratios, plans, load times and sizes.
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
lookups="${BENCH_LOOKUPS:-2000}"
clock="${BENCH_CLOCK:-wall}"
[ "$clock" = wall ] || [ "$clock" = cpu ] || { echo "bench: BENCH_CLOCK must be wall or cpu" >&2; exit 2; }
bench_args 10000000 5 "$@"
[ "$scale" -ge 1000 ] || { echo "bench: --scale must be an integer >= 1000" >&2; exit 2; }
[[ "$lookups" =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_LOOKUPS must be a positive integer" >&2; exit 2; }
nsubj=$((scale / 10))
ndept=20
pages=(0 20 200)
page_max=200        # a listing measurement runs a page up to 200 times ...
page_budget_ms=500  # ... or until 500 ms have passed (at least once)

bench_cluster 55481 8GB
results="$work/results"
: >"$results"


# No autovacuum in the middle of a measurement: the load ends with VACUUM
# ANALYZE, and nothing is written afterwards.
psql_q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null

echo "bench: loading N=$scale records, $nsubj subjects, $ndept departments" >&2
setup_start=$(date +%s)
if ! psql_q -v scale="$scale" -v nsubj="$nsubj" -v ndept="$ndept" -f bench/disclosure.sql >"$work/setup.log" 2>&1; then
    cat "$work/setup.log" >&2
    echo "bench: setup failed" >&2
    exit 1
fi
setup_s=$(( $(date +%s) - setup_start ))
echo "bench: loaded in ${setup_s}s" >&2

session_settings() {
    cat <<'SQL'
SET work_mem = '64MB';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SQL
}

# --------------------------------------------------------------- prewarm
# The record table, its indexes and the subjects into shared buffers, when
# they fit (otherwise the indexes only, and the report says so).
read -r rel_bytes sb_bytes < <(psql_q -At -F' ' <<'SQL'
SELECT (SELECT sum(pg_relation_size(c.oid)) FROM pg_class c
         WHERE c.oid IN ('credit.record'::regclass, 'credit.subject'::regclass)
            OR c.oid IN (SELECT indexrelid FROM pg_index
                          WHERE indrelid IN ('credit.record'::regclass, 'credit.subject'::regclass)))::bigint,
       (SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers');
SQL
)
if [ "$rel_bytes" -lt $((sb_bytes * 85 / 100)) ]; then
    prewarmed="tables and indexes prewarmed into shared_buffers"
    prewarm_where="true"
else
    prewarmed="tables larger than shared_buffers: indexes only prewarmed"
    prewarm_where="c.relkind = 'i'"
fi
echo "bench: prewarm ($prewarmed)" >&2
psql_q -At >/dev/null <<SQL
SELECT pg_prewarm(c.oid) FROM pg_class c
 WHERE ($prewarm_where)
   AND (c.oid IN ('credit.record'::regclass, 'credit.subject'::regclass)
        OR c.oid IN (SELECT indexrelid FROM pg_index
                      WHERE indrelid IN ('credit.record'::regclass, 'credit.subject'::regclass)));
CHECKPOINT;
SQL

# -------------------------------------------------------------- variants
# A variant: "fn role [sql|three]" -- the bench_run variant and the role it
# runs as (- for the superuser); "sql": with the record read policies as SQL
# conditions (bench_policies_in_sql()), "three": as the three C predicates
# before record_department_sees (bench_policies_three()), in a transaction
# rolled back.
declare -A variant
variant[lookup.su]="lookup_su -"
variant[lookup.rls]="lookup_rls bench_dept"
variant[lookup.rls_sql]="lookup_rls bench_dept sql"
variant[lookup.rls_three]="lookup_rls bench_dept three"
variant[lookup.rls_noshared]="lookup_rls bench_dept noshared"
variant[lookup.rls_logged]="lookup_rls bench_dept logged"
variant[public.su]="public_su -"
variant[public.rls]="public_rls bench_portal"
variant[public.rls_sql]="public_rls bench_portal sql"
for k in "${pages[@]}"; do
    variant[page.su_$k]="page${k}_su -"
    variant[page.pred_$k]="page${k}_rlspred bench_portal"
    variant[page.pred2_$k]="page${k}_rlspred2 bench_portal"
    variant[page.rls_$k]="page${k}_rls bench_portal"
done
for k in eq prefix contains; do
    variant[name.su_$k]="name_${k}_su -"
    variant[name.rls_$k]="name_${k}_rls bench_portal"
done
variant[name.rls_part]="name_part_rls bench_portal"

# SQL that runs section.name once in round r (seed 0.00r: every variant of a
# round looks up the same subjects) and prints "section|name|r|queries|rows|ms".
policies_begin() {
    case "${1:-}" in
        sql)   echo "BEGIN; SELECT public.bench_policies_in_sql();" ;;
        three) echo "BEGIN; SELECT public.bench_policies_three();" ;;
        noshared) echo "BEGIN; SELECT public.bench_policies_noshared();" ;;
        logged) echo "BEGIN; SELECT public.bench_policies_logged();" ;;
    esac
}
policies_end()   { [ -z "${1:-}" ] || echo "ROLLBACK;"; }

emit() { # section name round n budget [label, default section]
    local fn role how
    read -r fn role how <<<"${variant[$1.$2]}"
    policies_begin "$how"
    [ "$role" = - ] || echo "SET ROLE $role;"
    printf "SELECT '%s', '%s', %d, bench_run('%s', %s, %d, %d, %s);\n" "${6:-$1}" "$2" "$3" "$fn" "$(printf '0.%03d' "$3")" "$nsubj" "$4" "$5"
    [ "$role" = - ] || echo "RESET ROLE;"
    policies_end "$how"
}

run_measure() { psql_q -At -F'|' -f - | grep -E '^(lookup|public|page|name)\|' >>"$results"; }

# Each round first runs its first variant once untimed (a "warmup" line,
# dropped by run_measure): a round looks up new subjects, and the first
# query to touch a page of shared_buffers in this backend pays for mapping
# it (at 10M records about 100 us a lookup), which would otherwise fall on
# whichever variant comes first in the round.
measure() { # section n budget variant...
    local s="$1" n="$2" b="$3"; shift 3
    {
        session_settings
        for ((r = 1; r <= rounds; r++)); do
            emit "$s" "$(rotated "$r" "$@" | head -1)" "$r" "$n" "$b" warmup
            for v in $(rotated "$r" "$@"); do emit "$s" "$v" "$r" "$n" "$b"; done
        done
    } | run_measure
}

once() { # section name -- one query, round 0
    { session_settings; emit "$1" "$2" 0 1 0; } | run_measure
}

# What a variant returns (bench_result), as its role.
result_of() { # section name seed [n, default BENCH_LOOKUPS]
    local fn role how
    read -r fn role how <<<"${variant[$1.$2]}"
    {
        session_settings
        policies_begin "$how"
        [ "$role" = - ] || echo "SET ROLE $role;"
        printf "SELECT bench_result('%s', %s, %d, %d);\n" "$fn" "$3" "$nsubj" "${4:-$lookups}"
        [ "$role" = - ] || echo "RESET ROLE;"
        policies_end "$how"
    } | psql_q -At -f - | grep -v '^$'
}

same_result() { # what section name-a name-b seed [n]
    local a b
    a=$(result_of "$2" "$3" "$5" "${6:-}")
    b=$(result_of "$2" "$4" "$5" "${6:-}")
    if [ "$a" != "$b" ] || [ -z "$a" ]; then
        echo "bench: $1: $3 and $4 do not return the same rows (seed $5):" >&2
        echo "  $3: ${a:0:200}" >&2
        echo "  $4: ${b:0:200}" >&2
        exit 1
    fi
}

# EXPLAIN (ANALYZE) of a variant's query, as its role: to stderr, and the plan's main path (InitPlans and SubPlans left out) as
# one line for the report.
declare -A plan
explain() { # section name query
    local fn role how text
    read -r fn role how <<<"${variant[$1.$2]}"
    text=$({
        session_settings
        policies_begin "$how"
        [ "$role" = - ] || echo "SET ROLE $role;"
        echo "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) $3;"
        [ "$role" = - ] || echo "RESET ROLE;"
        policies_end "$how"
    } | psql_q -At -f - | grep -v '^$')
    {
        echo "bench: plan of $1.$2 (as ${role/-/postgres}): $3"
        sed 's/^/    /' <<<"$text"
    } >&2
    plan[$1.$2]=$(awk -v skip=-1 '
        { ind = match($0, /[^ ]/) - 1 }
        skip >= 0 && ind > skip { next }
        { skip = -1 }
        /^ *(InitPlan|SubPlan) / { skip = ind; next }
        NR == 1 || /^ *->/ {
            s = $0; sub(/^ *(-> +)?/, "", s); sub(/ \(.*$/, "", s); sub(/ on [a-z_.]+( [a-z_]+)?$/, "", s)
            out = out (out == "" ? "" : " > ") s
        }
        END { print out }' <<<"$text")
}

pred="disclosure = '公开' AND state = '有效' AND publicity_start <= credit.legal_date() AND (publicity_end IS NULL OR publicity_end > credit.legal_date())"
pred2="disclosure = '公开' AND state = '有效'"
order="ORDER BY publicity_start DESC, record_id DESC"
page_query() { # name k
    case "$1" in
        rls)       echo "SELECT * FROM credit.public_record $order LIMIT 20 OFFSET $2" ;;
        pred2)     echo "SELECT * FROM credit.public_record WHERE $pred2 $order LIMIT 20 OFFSET $2" ;;
        pred)      echo "SELECT * FROM credit.public_record WHERE $pred $order LIMIT 20 OFFSET $2" ;;
        su)        echo "SELECT * FROM public.bench_public_record WHERE $pred $order LIMIT 20 OFFSET $2" ;;
    esac
}

# ---------------------------------------------------------------- checks
# The portal under row security sees exactly what the superuser sees with
# the public predicate written out, whether the portal writes the whole
# predicate, only disclosure = '公开' AND state = '有效', or nothing (these
# runs also warm the caches).
echo "bench: checking that row security and the written-out predicate return the same rows" >&2
for seed in 0.1 0.2 0.3; do
    same_result "subject lookup" public rls su "$seed"
    same_result "subject lookup, policies in SQL" public rls rls_sql "$seed"
    same_result "department lookup, policies in SQL" lookup rls rls_sql "$seed"
    same_result "department lookup, three record predicates" lookup rls rls_three "$seed"
    same_result "department lookup, without record_shared_read" lookup rls rls_noshared "$seed"
done
for k in "${pages[@]}"; do
    same_result "listing page k=$k" page "pred_$k" "su_$k" 0
    same_result "listing page k=$k, disclosure and state only" page "pred2_$k" "su_$k" 0
done
same_result "listing page k=0 without the predicate" page rls_0 su_0 0
# a partial name: fewer searches (the portal's is a scan of the subjects)
partial=$(( lookups / 20 > 0 ? lookups / 20 : 1 ))
for k in eq prefix contains; do
    same_result "name search ($k)" name "rls_$k" "su_$k" 0.4 "$([ $k = contains ] && echo "$partial")"
done
same_result "name search (part)" name rls_part su_contains 0.4

# -------------------------------------------------------------- plans
explain lookup rls   "SELECT * FROM credit.record WHERE subject_id = 42"
explain lookup su    "SELECT * FROM credit.record WHERE subject_id = 42"
explain lookup rls_sql "SELECT * FROM credit.record WHERE subject_id = 42"
explain lookup rls_three "SELECT * FROM credit.record WHERE subject_id = 42"
explain lookup rls_noshared "SELECT * FROM credit.record WHERE subject_id = 42"
explain public rls   "SELECT * FROM credit.public_record WHERE subject_id = 42"
explain public su    "SELECT * FROM public.bench_public_record WHERE subject_id = 42 AND $pred"
for v in su pred pred2; do explain page "${v}_200" "$(page_query "$v" 200)"; done
explain page rls_0 "$(page_query rls 0)"
probe=$(psql_q -At -c "SELECT name || '|' || prefix || '|' || part FROM public.bench_name WHERE n = 42")
IFS='|' read -r probe_name probe_prefix probe_part <<<"$probe"
explain name su_eq      "SELECT * FROM credit.subject WHERE name_key = credit.normalize_name('$probe_name')"
explain name rls_eq     "SELECT * FROM credit.find_subject('$probe_name')"
explain name su_prefix  "SELECT * FROM credit.subject WHERE name_key_public >= credit.normalize_name('$probe_prefix') AND name_key_public <= credit.normalize_name('$probe_prefix') || chr(1114111)"
explain name rls_prefix "SELECT * FROM credit.find_subject('$probe_prefix', true)"
explain name su_contains  "SELECT * FROM credit.subject WHERE name_key_public LIKE '%' || credit.normalize_name('$probe_part') || '%'"
explain name rls_contains "SELECT * FROM credit.public_subject WHERE name_key LIKE '%' || credit.normalize_name('$probe_part') || '%'"
explain name rls_part   "SELECT * FROM credit.find_subject('$probe_part', partial => true)"
have_trgm=$(psql_q -At -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")

# The lookups run as cached plans: after five custom plans PostgreSQL uses
# the generic one only if its estimated cost is below the custom plans'
# average (planning charge included).  Both plans' estimates, to stderr.
generic_vs_custom() { # role query-with-$1
    {
        session_settings
        [ "$1" = - ] || echo "SET ROLE $1;"
        echo "PREPARE q(bigint) AS $2;"
        echo "SET plan_cache_mode = force_custom_plan;"
        echo "EXPLAIN EXECUTE q(42);"
        echo "SET plan_cache_mode = force_generic_plan;"
        echo "EXPLAIN EXECUTE q(42);"
    } | psql_q -At -f - | sed "s/^/    [${1/-/postgres}] /" >&2
}
echo "bench: custom (first) and generic (second) plans of the lookups, estimated" >&2
generic_vs_custom bench_dept "SELECT * FROM credit.record WHERE subject_id = \$1"
generic_vs_custom - "SELECT * FROM credit.record WHERE subject_id = \$1"
generic_vs_custom bench_portal "SELECT * FROM credit.public_record WHERE subject_id = \$1"

# --------------------------------------------------------- 1, 2: lookups
echo "bench: subject lookups ($rounds rounds x 9 variants x $lookups lookups)" >&2
measure lookup "$lookups" 0 su rls rls_sql rls_three rls_noshared rls_logged
measure public "$lookups" 0 su rls rls_sql

# ------------------------------------------------------- 3: listing pages
echo "bench: listing pages ($rounds rounds x $((3 * ${#pages[@]})) variants)" >&2
page_variants=()
for k in "${pages[@]}"; do page_variants+=("su_$k" "pred_$k" "pred2_$k"); done
measure page "$page_max" "$page_budget_ms" "${page_variants[@]}"
once page rls_0

# --------------------------------------------------------- 4: name search
echo "bench: name search ($rounds rounds x 4 variants x $lookups searches)" >&2
measure name "$lookups" 0 su_eq rls_eq su_prefix rls_prefix
echo "bench: partial name search ($rounds rounds x 2 variants x $lookups searches)" >&2
measure name "$lookups" 0 su_contains rls_part
echo "bench: partial name search with LIKE under row security ($rounds rounds x $partial searches)" >&2
measure name "$partial" 0 rls_contains

# ------------------------------------------------------------------ facts
pg_version=$(psql_q -At -c "SHOW server_version")
sb_setting=$(psql_q -At -c "SHOW shared_buffers")
declare -A load
while IFS='|' read -r phase ms; do load[$phase]=$ms; done < <(psql_q -At -F'|' -c "SELECT phase, ms FROM bench_load")

mix=$(psql_q -At <<'SQL'
SELECT format('disclosure 公开 %s %%, 授权查询 %s %%, 部门共享 %s %%; state 有效 %s %%; visible to the portal (公开, 有效, in its publicity period) %s %%; natural persons %s %% of subjects, %s of their records 公开',
    round(100.0 * count(*) FILTER (WHERE disclosure = '公开') / count(*), 1),
    round(100.0 * count(*) FILTER (WHERE disclosure = '授权查询') / count(*), 1),
    round(100.0 * count(*) FILTER (WHERE disclosure = '部门共享') / count(*), 1),
    round(100.0 * count(*) FILTER (WHERE state = '有效') / count(*), 1),
    round(100.0 * count(*) FILTER (WHERE disclosure = '公开' AND state = '有效' AND publicity_start <= credit.legal_date()
                                   AND (publicity_end IS NULL OR publicity_end > credit.legal_date())) / count(*), 1),
    (SELECT round(100.0 * count(*) FILTER (WHERE kind = '自然人') / count(*), 1) FROM credit.subject),
    count(*) FILTER (WHERE subject_kind = '自然人' AND disclosure = '公开'))
  FROM credit.record;
SQL
)

sizes=$(psql_q -At -F'|' <<'SQL'
SELECT c.relname, pg_relation_size(c.oid)
  FROM pg_class c
 WHERE c.oid IN ('credit.record'::regclass, 'credit.subject'::regclass)
    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('credit.record'::regclass, 'credit.subject'::regclass))
UNION ALL
SELECT 'record TOAST', pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'credit.record'::regclass
 ORDER BY 1;
SQL
)
declare -A size
while IFS='|' read -r rel bytes; do size[$rel]=$bytes; done <<<"$sizes"

# ----------------------------------------------------------------- report
echo "bench: every measurement (section|variant|round|queries|rows|ms|cpu_ms):" >&2
sed 's/^/    /' "$results" >&2
declare -A med lo hi nq nr
while read -r key m mn mx q rw; do
    med[$key]=$m; lo[$key]=$mn; hi[$key]=$mx; nq[$key]=$q; nr[$key]=$rw
done < <(awk -F'|' -v col="$([ "$clock" = cpu ] && echo 7 || echo 6)" '{ printf "%s|%s|%s|%.6f|%s|%s\n", $1, $2, $3, $col / $4, $4, $5 }' "$results" \
         | sort -t'|' -k1,1 -k2,2 -k4,4g | awk -F'|' '
    function flush() {
        if (n == 0) return
        m = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
        printf "%s %.6f %.6f %.6f %d %d\n", key, m, x[1], x[n], q, rw
    }
    { k = $1 "|" $2; if (k != key) { flush(); key = k; n = 0; q = 0; rw = 0 } x[++n] = $4; q += $5; rw += $6 }
    END { flush() }')

for key in "${!variant[@]}"; do
    k="${key/./|}"
    [ -n "${med[$k]:-}" ] || continue
    n=$(grep -c "^$k|[1-9]" "$results" || true)
    [ "$n" -eq "$rounds" ] || [ "$(grep -c "^$k|0|" "$results")" -eq 1 ] \
        || { echo "bench: $k has $n results, expected $rounds" >&2; exit 1; }
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ok()    { awk -v x="$1" -v t="$2" 'BEGIN { print (x <= t) ? "ok" : "MISSED" }'; }
mb()    { awk -v b="${1:-0}" 'BEGIN { printf "%.1f", b / 1048576 }'; }
s_of()  { awk -v ms="${1:-0}" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# row label key base unit(us|ms) [target]
row() {
    local k="$2" b="$3" f=1000 fmt="%10.1f"
    [ "$4" = ms ] && { f=1; fmt="%10.3f"; }
    local m l h r note=""
    m=$(awk -v x="${med[$k]}" -v f="$f" 'BEGIN { print x * f }')
    l=$(awk -v x="${lo[$k]}" -v f="$f" 'BEGIN { print x * f }')
    h=$(awk -v x="${hi[$k]}" -v f="$f" 'BEGIN { print x * f }')
    r=$(ratio "${med[$k]}" "${med[$b]}")
    [ -n "${5:-}" ] && note="(target <= $5: $(ok "$r" "$5"))"
    printf "  %-50s $fmt $fmt $fmt %7.1f %8s  %s\n" "$1" "$m" "$l" "$h" \
        "$(awk -v a="${nr[$k]}" -v b="${nq[$k]}" 'BEGIN { printf "%.1f", a / b }')" "$r" "$note"
}
once_row() { # label key base
    local k="$2"
    printf "  %-50s %10.3f %10s %10s %7.1f %8s  %s\n" "$1" "${med[$k]}" "(1 run)" "" \
        "$(awk -v a="${nr[$k]}" -v b="${nq[$k]}" 'BEGIN { printf "%.1f", a / b }')" "$(ratio "${med[$k]}" "${med[$3]}")" ""
}
header() { # title unit
    echo "$1"
    printf "%-52s %10s %10s %10s %7s %8s\n" "" "median $2" "min" "max" "rows/q" "x su"
}
planrow() { printf "  %-26s %s\n" "$1" "${plan[$2]}"; }

elapsed=$(( $(date +%s) - started ))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
load_total=$(awk -v a="${load[subjects]}" -v b="${load[records (INSERT ... SELECT, triggers off)]}" \
    -v c="${load[record indexes (rebuilt)]}" -v d="${load[VACUUM ANALYZE]}" -v e="${load[reference data and roles]}" \
    'BEGIN { printf "%.1f", (a + b + c + d + e) / 1000 }')

echo
echo "credit bench: disclosure (row security), N=$scale records, $nsubj subjects, $ndept departments, $rounds rounds, medians"
echo "machine: $(nproc) cores, ${cpu:-$(uname -m)}, PostgreSQL $pg_version, shared_buffers $sb_setting ($prewarmed)"
[ "$clock" = cpu ] && echo "timing: CPU time of the backend (/proc/self/schedstat, BENCH_CLOCK=cpu), not the wall clock"
echo "timing: in the server, clock_timestamp() around a PL/pgSQL loop of static queries (plans cached as for"
echo "prepared statements), per query; variants interleaved, rotating order; no parallel workers, no JIT"
echo
printf "%-52s %10s\n" "load (once)" "s"
printf "  %-50s %10s\n" "reference data, $((ndept + 3)) roles" "$(s_of "${load[reference data and roles]}")"
printf "  %-50s %10s\n" "subjects ($nsubj)" "$(s_of "${load[subjects]}")"
printf "  %-50s %10s\n" "records (INSERT ... SELECT, triggers off)" "$(s_of "${load[records (INSERT ... SELECT, triggers off)]}")"
printf "  %-50s %10s\n" "record indexes (4, rebuilt from their definitions)" "$(s_of "${load[record indexes (rebuilt)]}")"
printf "  %-50s %10s\n" "VACUUM ANALYZE" "$(s_of "${load[VACUUM ANALYZE]}")"
printf "  %-50s %10s\n" "total" "$load_total"
printf "  %-50s %10s\n" "(check of the generated data, not in the total)" "$(s_of "${load[check of the generated data]}")"
echo "  data: $mix"
echo
header "1. SELECT * FROM credit.record WHERE subject_id = \$1   ($lookups random subjects a measurement; per query)" "us"
row "superuser (no row security)"                     "lookup|su"     "lookup|su" us
row "bench_dept (department D01, row security)"       "lookup|rls"    "lookup|su" us 1.2
row "bench_dept, record policies as SQL conditions"   "lookup|rls_sql" "lookup|su" us
row "bench_dept, three record predicates (before)"   "lookup|rls_three" "lookup|su" us
row "bench_dept, without record_shared_read"         "lookup|rls_noshared" "lookup|su" us
row "bench_dept, every item logs shared reads"       "lookup|rls_logged" "lookup|su" us
echo
header "2. SELECT * FROM credit.public_record WHERE subject_id = \$1   (the same subjects; per query)" "us"
row "superuser, public predicate written out"         "public|su"     "public|su" us
row "bench_portal (portal, row security)"             "public|rls"    "public|su" us 1.2
row "bench_portal, record policies as SQL conditions" "public|rls_sql" "public|su" us
echo
header "3. SELECT * FROM credit.public_record WHERE <public predicate> $order LIMIT 20 OFFSET k   (each page up to $page_max times or $page_budget_ms ms a measurement; per query)" "ms"
for k in "${pages[@]}"; do
    row "k=$k  superuser, predicate written out"      "page|su_$k"    "page|su_$k" ms
    row "k=$k  bench_portal, predicate written out"   "page|pred_$k"  "page|su_$k" ms 1.2
    row "k=$k  bench_portal, disclosure and state only" "page|pred2_$k" "page|su_$k" ms 1.2
done
once_row "k=0  bench_portal WITHOUT the predicate"    "page|rls_0" "page|su_0"
echo "  plans (main path, InitPlans and SubPlans left out):"
planrow "superuser"   page.su_200
planrow "portal+pred" page.pred_200
planrow "portal, disc.+state only" page.pred2_200
planrow "portal k=0, no predicate" page.rls_0
for v in su pred pred2; do
    case "${plan[page.${v}_200]}" in
        *"Index Scan using record_public"*) ;;
        *) echo "  NOTE: page.${v}_200 does not use Index Scan using record_public" ;;
    esac
done
for v in pred pred2; do
    if [ "${plan[page.su_200]}" = "${plan[page.${v}_200]}" ]; then
        echo "  the portal's plan ($v) is the same as the superuser's"
    else
        echo "  the portal's plan ($v) DIFFERS from the superuser's"
    fi
done
echo
header "4. search by name, normalised (credit.normalize_name), organisations' names drawn at random; per search" "us"
row "exact: superuser, name_key = key (subject_name_key)"  "name|su_eq"     "name|su_eq" us
row "exact: bench_portal, credit.find_subject(name)"      "name|rls_eq"    "name|su_eq" us 2
row "prefix: superuser, range on name_key_public"         "name|su_prefix"  "name|su_prefix" us
row "prefix: bench_portal, find_subject(start, true)"     "name|rls_prefix" "name|su_prefix" us 2
row "partial: superuser, name_key_public LIKE '%part%'"   "name|su_contains"  "name|su_contains" us
row "partial: bench_portal, find_subject(part, partial => true)" "name|rls_part" "name|su_contains" us 2
row "partial: bench_portal, public_subject LIKE '%part%'" "name|rls_contains" "name|su_contains" us
echo "  pg_trgm: $([ "$have_trgm" = 1 ] && echo "GIN trigram index subject_name_key_trgm on name_key_public" || echo "not available: no trigram index")"
echo "  plans (main path):"
for k in su_eq rls_eq su_prefix rls_prefix su_contains rls_part rls_contains; do planrow "$k" "name.$k"; done
echo
printf "%-52s %10s\n" "size (MB, main fork)" "MB"
for rel in record "record TOAST" record_pkey record_subject record_department record_public record_decision \
           subject subject_pkey subject_uscc_key subject_resident_id_key subject_name_key \
           subject_name_key_public subject_name_key_trgm; do
    [ -n "${size[$rel]:-}" ] && printf "  %-50s %10s\n" "$rel" "$(mb "${size[$rel]}")"
done
echo
echo "load average (1, 5, 15 min): $load_start at start, $load_end at end; elapsed ${elapsed}s (load ${setup_s}s)"
