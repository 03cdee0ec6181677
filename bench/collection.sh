#!/usr/bin/env bash
# The collection (归集) benchmark, against its own throwaway cluster:
#   bench/collection.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS)
#     N rows per file (default 1 000 000);
#     BENCH_SUBJECTS   the subject counts compared, one database each
#                      (default "N 10N": e.g. 100k and 1M subjects for N = 100k)
#     BENCH_RECORDS    records already in the database per subject (default 1;
#                      the target database has 10)
#     BENCH_SINGLE     rows of the record_load file (default N / 50)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55485; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 1GB), and for each subject count
# loads the database (bench/collection.sql) and measures, R rounds, in
# rotating order, as the department's role, the file read by the server:
#   plain   COPY of the clean file into a plain table of record_load's columns
#   indexed COPY of the same rows, as complete records, into a plain table
#           with credit.record's columns, CHECK constraints and indexes and
#           its records (no trigger, no row security): the floor of any load
#           that keeps credit.record's indexes
#   clean   the staged path: credit.open_batch, COPY credit.collection_load,
#           credit.collect(), of a clean file (COPY and collect timed apart)
#   bad     the same with a file where 1 % of the rows are bad (four kinds):
#           every bad row must be reported and every good one stored
# then COPY credit.record_load of BENCH_SINGLE rows (rows/s: the single-row
# path), and one more clean batch with track_functions = all, to show where
# collect's time goes (self time of the functions it calls, per row).
# Prints medians and ratios to plain COPY.  See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 1000000 3 "$@"
[ "$scale" -ge 1000 ] || { echo "bench: --scale must be an integer >= 1000" >&2; exit 2; }
subjects="${BENCH_SUBJECTS:-$scale $((scale * 10))}"
per_subject="${BENCH_RECORDS:-1}"
single="${BENCH_SINGLE:-$((scale / 50))}"

bench_cluster 55485 1GB
psql_q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
results="$work/results"
: >"$results"
cols="item_code,subject_uscc,subject_name,subject_kind,severity,decision_no,decision_date,violation_type,violation_facts,penalty_basis,penalty_category,penalty_content,fine_amount,authority_name"
bad_rows=$((scale / 100))

for nsubj in $subjects; do
    db="bench_$nsubj"
    nrec=$((nsubj * per_subject))
    psql_q -c "CREATE DATABASE $db" >/dev/null
    echo "bench: $db: loading $nsubj subjects, $nrec records, $((rounds * 2 + 1)) files of $scale rows" >&2
    t0=$(date +%s)
    mkdir -p "$work/$db"; [ "$(id -u)" -eq 0 ] && chown postgres "$work/$db"
    psql_q -d "$db" -v nsubj="$nsubj" -v nrec="$nrec" -v scale="$scale" -v rounds="$((rounds + 1))" \
        -v single="$single" -v work="$work/$db" -f bench/collection.sql >"$work/$db.log" 2>&1 \
        || { cat "$work/$db.log" >&2; echo "bench: setup failed" >&2; exit 1; }
    psql_q -d "$db" -c "GRANT pg_read_server_files TO bench_dept" >/dev/null
    echo "bench: $db loaded in $(( $(date +%s) - t0 ))s" >&2

    for ((r = 1; r <= rounds; r++)); do
        for v in $(rotated "$r" plain indexed clean bad); do
            case "$v" in
            plain)
                psql_q -d "$db" -c "TRUNCATE public.bench_plain" >/dev/null
                psql_q -d "$db" -At -F'|' <<SQL >>"$results"
SET credit.legal_date = '2026-09-29';
SET ROLE bench_dept;
SELECT '$nsubj', 'plain', $r, bench_ms(\$\$COPY public.bench_plain ($cols) FROM '$work/$db/clean_$r.csv' WITH (FORMAT csv, HEADER true)\$\$), 0, 0;
SQL
                ;;
            indexed)
                psql_q -d "$db" -At -F'|' <<SQL >>"$results"
SET credit.legal_date = '2026-09-29';
SET ROLE bench_dept;
SELECT '$nsubj', 'indexed', $r, bench_ms(\$\$COPY public.bench_indexed (record_id, lineage_id, item_code, category, department_id, subject_id, subject_kind, subject_name, subject_uscc, disclosure, severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount, authority_name, publicity_start, publicity_end, rule_set, publicity_min_end, publicity_max_end, submitted_by) FROM '$work/$db/records_$r.csv' WITH (FORMAT csv, HEADER true)\$\$), 0, 0;
SQL
                ;;
            clean|bad)
                psql_q -d "$db" -At -F'|' <<SQL >>"$results"
SET credit.legal_date = '2026-09-29';
SET ROLE bench_dept;
SELECT credit.open_batch('B.XZCF', '${v}_$r.csv') AS b \gset
SELECT bench_ms(\$\$COPY credit.collection_load ($cols) FROM '$work/$db/${v}_$r.csv' WITH (FORMAT csv, HEADER true)\$\$) AS copy_ms \gset
SELECT bench_ms('SELECT credit.collect(' || :b || ')') AS collect_ms \gset
SELECT '$nsubj', '${v}_copy', $r, :copy_ms, accepted, rejected FROM credit.collection_batch WHERE batch_id = :b;
SELECT '$nsubj', '${v}_collect', $r, :collect_ms, accepted, rejected FROM credit.collection_batch WHERE batch_id = :b;
SELECT '$nsubj', '$v', $r, :copy_ms + :collect_ms, accepted, rejected FROM credit.collection_batch WHERE batch_id = :b;
SELECT '$nsubj', '${v}_errors', $r, 0, count(*), count(DISTINCT line_no) FROM credit.collection_error WHERE batch_id = :b;
SQL
                ;;
            esac
        done
    done

    # the single-row path
    psql_q -d "$db" -At -F'|' <<SQL >>"$results"
SET credit.legal_date = '2026-09-29';
SET ROLE bench_dept;
SELECT '$nsubj', 'record_load', 0, bench_ms(\$\$COPY credit.record_load ($cols) FROM '$work/$db/single.csv' WITH (FORMAT csv, HEADER true)\$\$), $single, 0;
SQL

    # where collect's time goes: one more clean batch, functions tracked
    psql_q -d "$db" -c "ALTER SYSTEM SET track_functions = 'all'" -c "SELECT pg_reload_conf()" -c "SELECT pg_stat_reset()" >/dev/null
    psql_q -d "$db" -At -F'|' <<SQL >"$work/$db.profile"
SET credit.legal_date = '2026-09-29';
SET ROLE bench_dept;
SELECT credit.open_batch('B.XZCF', 'profile.csv') AS b \gset
COPY credit.collection_load ($cols) FROM '$work/$db/clean_$((rounds + 1)).csv' WITH (FORMAT csv, HEADER true);
SELECT bench_ms('SELECT credit.collect(' || :b || ')') AS collect_ms \gset
RESET ROLE;
SELECT pg_stat_force_next_flush();
SELECT 'collect (total)', round(:collect_ms::numeric, 0), round(1000 * :collect_ms::numeric / $scale, 2);
SELECT funcname, round(self_time::numeric, 0), round(1000 * self_time::numeric / $scale, 2)
  FROM pg_stat_user_functions WHERE schemaname = 'credit' ORDER BY self_time DESC LIMIT 8;
SQL
    psql_q -d "$db" -c "ALTER SYSTEM RESET track_functions" -c "SELECT pg_reload_conf()" >/dev/null
done

# ---------------------------------------------------------------- report
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
med() { awk -F'|' -v s="$1" -v n="$2" '$1==s && $2==n {print $4}' "$results" | median; }
echo "# bench/collection.sh --scale $scale --rounds $rounds  (BENCH_SUBJECTS=\"$subjects\" BENCH_RECORDS=$per_subject BENCH_SINGLE=$single)"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average at start $load_start, $(nproc) cores"
echo
printf '| %-40s |' "median ms of $rounds (ratio to plain COPY)"
for s in $subjects; do printf ' %s subjects |' "$s"; done; echo
printf '|%s|' "$(printf -- '-%.0s' {1..42})"; for s in $subjects; do printf -- '---|'; done; echo
for n in plain indexed clean clean_copy clean_collect bad bad_copy bad_collect; do
    printf '| %-40s |' "$n"
    for s in $subjects; do
        m=$(med "$s" "$n"); p=$(med "$s" plain)
        printf ' %.0f (%.1f×) |' "$m" "$(echo "$m / $p" | bc -l)"
    done; echo
done
printf '| %-40s |' "clean ÷ indexed (the load's own cost)"
for s in $subjects; do printf ' %.1f× |' "$(echo "$(med "$s" clean) / $(med "$s" indexed)" | bc -l)"; done; echo
printf '| %-40s |' "record_load, rows/s"
for s in $subjects; do
    m=$(med "$s" record_load); printf ' %.0f |' "$(echo "$single * 1000 / $m" | bc -l)"
done; echo
echo
echo "Checks (every round): accepted / rejected / errors / lines with errors"
for s in $subjects; do
    awk -F'|' -v s="$s" '$1==s && ($2=="clean" || $2=="bad" || $2 ~ /_errors$/) {printf "  %s %s r%s: %s / %s\n", s, $2, $3, $5, $6}' "$results"
done
ok=1
for s in $subjects; do
    if awk -F'|' -v s="$s" -v n="$scale" -v b="$bad_rows" '
        $1==s && $2=="clean" && !($5==n && $6==0) {bad=1}
        $1==s && $2=="bad" && !($5==n-b && $6==b) {bad=1}
        $1==s && $2=="bad_errors" && !($6==b) {bad=1}
        END {exit !bad}' "$results"; then ok=0; fi
done
[ "$ok" -eq 1 ] && echo "  all files: every good row stored, all $bad_rows bad rows of each bad file reported in one pass" \
                || echo "  CHECK FAILED: a file lost or misreported rows"
echo
echo "Where collect's time goes (one more clean batch, track_functions = all): function, self ms, µs per row"
for s in $subjects; do echo "  $s subjects:"; sed 's/^/    /' "$work/bench_$s.profile"; done
echo "elapsed $(( $(date +%s) - started ))s"
