#!/usr/bin/env bash
# The workflow engine benchmark, against its own throwaway cluster:
#   bench/workflow.sh [--scale N] [--rounds R]   (or BENCH_SCALE, BENCH_ROUNDS;
#                                                BENCH_RECORDS, default N;
#                                                BENCH_TRANSITIONS, default 10000)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55483; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 4GB, less when the machine has less
# than 12 GB available), then
#   1. transitions one at a time, interleaved and repeated R times, each on
#      fresh list entries: a plain UPDATE of a trigger-free copy of
#      credit.list_entry, the same UPDATE plus an event INSERT (what any
#      audited transition costs), credit.transition() through the guard as
#      the superuser (the engine: 列入中 -> 已到期) and as a registered
#      department role (列入中 -> 已移出, row security), and the plain UPDATE
#      and credit.transition() set-based (1000 ids a statement); then one
#      run of each guarded variant with track_functions = all, to show where
#      the guard's time goes;
#   2. the sweep at scale: N list entries and BENCH_RECORDS records, 1 % due,
#      loaded set-based with triggers off (bench/workflow.sql); EXPLAIN
#      (ANALYZE, BUFFERS) of the sweep's two selection queries, taken from
#      credit.sweep's source (the run fails on a Seq Scan of the big tables
#      or without the partial indexes record_publicity_due / list_entry_due);
#      one SELECT * FROM credit.sweep(credit.legal_date()), timed, with the time per
#      function; then the sweep again (0 rows), twice;
# and prints one report on stdout (progress and the full plans on stderr).
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 10000000 5 "$@"
nrec="${BENCH_RECORDS:-$scale}"
ntrans="${BENCH_TRANSITIONS:-10000}"
[ "$scale" -ge 1000 ] || { echo "bench: --scale must be an integer >= 1000" >&2; exit 2; }
[[ "$nrec" =~ ^[1-9][0-9]*$ ]] && [ "$nrec" -ge 1000 ] || { echo "bench: BENCH_RECORDS must be an integer >= 1000" >&2; exit 2; }
[[ "$ntrans" =~ ^[1-9][0-9]*$ ]] && [ "$ntrans" -ge 1000 ] || { echo "bench: BENCH_TRANSITIONS must be an integer >= 1000" >&2; exit 2; }
batch=1000          # ids a statement in the set-based variants (the sweep's default is 10000)
sweep_batch=10000   # credit.sweep's default batch_size
ndept=10
nsubj=$(( (scale > nrec ? scale : nrec) / 10 ))
[ "$nsubj" -ge 1000 ] || nsubj=1000

# Part 1's list entries: a fresh slice of ntrans ids for every variant in
# every round, a warm-up slice of 200 for each variant, and one slice for
# each guarded variant's run with track_functions.
variants=(plain audited guard guard_dept guard_dept_sql guard_generic guard_dept_generic plain_set guard_set)
diag_variants=(guard guard_dept guard_set)
nvar=${#variants[@]}
warm=200
ndiag=${#diag_variants[@]}
part1=$(( rounds * nvar * ntrans + nvar * warm + ndiag * (ntrans + warm) ))
first_entry=$((part1 + 1))
slice_first() { echo $(( (($1 - 1) * nvar + $2) * ntrans + 1 )); }    # round variant-index
warm_first()  { echo $(( rounds * nvar * ntrans + $1 * warm + 1 )); }  # variant-index
diag_first()  { echo $(( rounds * nvar * ntrans + nvar * warm + $1 * (ntrans + warm) + 1 )); }   # diag-index
diag_warm_first() { echo $(( $(diag_first "$1") + ntrans )); }

# Another 10M benchmark may share the machine: 4GB of shared buffers only
# when there is room for it.
avail_gb=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
if [ -n "${CLUSTER_SHARED_BUFFERS:-}" ]; then sb="$CLUSTER_SHARED_BUFFERS"
elif [ "$avail_gb" -ge 12 ]; then sb=4GB
elif [ "$avail_gb" -ge 6 ]; then sb=2GB
else sb=1GB
fi
echo "bench: ${avail_gb} GB available; shared_buffers $sb" >&2

bench_cluster 55483 "$sb"
results="$work/results"

# Other trees `make install` the extension into the same directories, at
# any time.  The cluster preloads credit.so (every backend keeps the
# postmaster's copy: a later install does not change the library under the
# run), and the extension is created from the install script at once; the
# library is checked to be this tree's right after the restart, the script
# right after CREATE EXTENSION; otherwise install again and retry.
psql_q -c "ALTER SYSTEM SET shared_preload_libraries = 'credit'" >/dev/null
ours=false
script="credit--$(scripts/version.sh).sql"
for attempt in 1 2 3 4 5; do
    [ "$attempt" -gt 1 ] && { echo "bench: another tree's make install came in between; installing again" >&2; make -s install >/dev/null; }
    _as_server_user "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/log" -w restart >/dev/null
    cmp -s credit.so "$(pg_config --pkglibdir)/credit.so" || continue
    psql_q -c "CREATE EXTENSION credit" >/dev/null
    if cmp -s "$script" "$(pg_config --sharedir)/extension/$script"; then ours=true; break; fi
    psql_q -c "SET credit.allow_drop = on" -c "DROP EXTENSION credit CASCADE" >/dev/null
done
$ours || { echo "bench: could not start with this tree's extension (other trees keep installing theirs); re-run" >&2; exit 1; }
: >"$results"

# No autovacuum in the middle of a measurement.
psql_q -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null

session_settings() {
    cat <<'SQL'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SQL
}

# ------------------------------------------------------------- prepare
echo "bench: reference data, $nsubj subjects, $part1 list entries for part 1 and their copies" >&2
if ! psql_q -v section=prepare -v ndept="$ndept" -v nsubj="$nsubj" -v part1="$part1" \
        -f bench/workflow.sql >"$work/prepare.log" 2>&1; then
    cat "$work/prepare.log" >&2
    echo "bench: setup failed" >&2
    exit 1
fi
psql_q -c "CHECKPOINT" >/dev/null

# ------------------------------------------- 1: transitions one at a time
index_of() { local i; for i in "${!variants[@]}"; do [ "${variants[$i]}" = "$1" ] && { echo "$i"; return; }; done; exit 1; }

emit() { # variant first n round
    # guard_dept_sql: the list entry policies as the SQL they were, in a
    # transaction rolled back (its transitions with it)
    case "$1" in *_sql) echo "BEGIN; SELECT bench_list_entry_policies_in_sql();" ;; esac
    case "$1" in *_generic) echo "SET plan_cache_mode = force_generic_plan;" ;; esac
    case "$1" in guard_dept*) echo "SET ROLE bench_dept;" ;; esac
    printf "SELECT 'part1', '%s', %d, bench_transitions('%s', %d, %d, %d);\n" "$1" "$4" "$1" "$2" "$3" "$batch"
    case "$1" in guard_dept*) echo "RESET ROLE;" ;; esac
    case "$1" in *_generic) echo "RESET plan_cache_mode;" ;; esac
    case "$1" in *_sql) echo "ROLLBACK;" ;; esac
    return 0
}

echo "bench: part 1, $rounds rounds x $nvar variants x $ntrans transitions" >&2
{
    session_settings
    # warm-up (round 0, not in the statistics): plans and caches
    for v in "${variants[@]}"; do emit "$v" "$(warm_first "$(index_of "$v")")" "$warm" 0; done
    for ((r = 1; r <= rounds; r++)); do
        for ((i = 0; i < nvar; i++)); do
            v="${variants[$(( (i + r - 1) % nvar ))]}"
            emit "$v" "$(slice_first "$r" "$(index_of "$v")")" "$ntrans" "$r"
        done
    done
} | psql_q -At -F'|' -f - | grep '^part1|' >>"$results"

# Where the guard's time goes: each guarded variant once more, on its own
# slice, with track_functions = all; the functions' calls and times of that
# transaction (pg_stat_xact_user_functions), per transition.
echo "bench: part 1, one run of each guarded variant with track_functions = all" >&2
{
    session_settings
    # warm-up of this session, not tracked
    for j in "${!diag_variants[@]}"; do emit "${diag_variants[$j]}" "$(diag_warm_first "$j")" "$warm" 0; done
    for j in "${!diag_variants[@]}"; do
        v="${diag_variants[$j]}"
        # (the backend keeps function counts of earlier transactions until it
        # reports them: the difference over the run is taken)
        echo "BEGIN;"
        echo "SET LOCAL track_functions = 'all';"
        echo "CREATE TEMP TABLE f0 ON COMMIT DROP AS SELECT funcid, calls, self_time, total_time FROM pg_stat_xact_user_functions;"
        [ "$v" = guard_dept ] && echo "SET ROLE bench_dept;"
        printf "SELECT 'diagtotal', '%s', bench_transitions('%s', %d, %d, %d);\n" "$v" "$v" "$(diag_first "$j")" "$ntrans" "$batch"
        [ "$v" = guard_dept ] && echo "RESET ROLE;"
        cat <<SQL
SELECT 'diag', '$v',
       CASE WHEN f.funcname = 'transition' THEN f.funcid::regprocedure::text ELSE f.schemaname || '.' || f.funcname END,
       f.calls - coalesce(f0.calls, 0), f.self_time - coalesce(f0.self_time, 0), f.total_time - coalesce(f0.total_time, 0)
  FROM pg_stat_xact_user_functions f LEFT JOIN f0 USING (funcid)
 WHERE f.funcname <> 'bench_transitions' AND f.calls > coalesce(f0.calls, 0);
COMMIT;
SQL
    done
} | psql_q -At -F'|' -f - | grep -E '^diag(total)?\|' >>"$results"

# Every measured transition happened, and left its event (the guard's) or
# its copy's event (audited); nothing else moved.
moved_of() { # variant...
    local n=0 v j
    for v in "$@"; do
        n=$((n + rounds * ntrans + warm))
        for j in "${!diag_variants[@]}"; do [ "${diag_variants[$j]}" = "$v" ] && n=$((n + ntrans + warm)); done
    done
    echo "$n"
}
expect="$(moved_of guard guard_generic guard_set)|$(moved_of guard_dept guard_dept_generic)|$(moved_of guard guard_generic guard_set guard_dept guard_dept_generic)|$(moved_of plain plain_set)|$(moved_of audited)|$(moved_of audited)"
got=$(psql_q -At -F'|' <<'SQL'
SELECT (SELECT count(*) FROM credit.list_entry WHERE state = '已到期' AND state_reason = '名单期满'),
       (SELECT count(*) FROM credit.list_entry WHERE state = '已移出' AND removed_on = credit.legal_date()
                                                 AND removal_reason = state_reason),
       (SELECT count(*) FROM credit.workflow_event e JOIN credit.list_entry l ON l.entry_id = e.object_id
         WHERE e.machine = 'list_entry' AND e.from_state = '列入中' AND e.to_state = l.state
           AND e.party_kind IS NOT DISTINCT FROM CASE l.state WHEN '已移出' THEN '部门'::credit.party_kind END),
       (SELECT count(*) FROM bench_plain WHERE state = '已到期'),
       (SELECT count(*) FROM bench_audited WHERE state = '已到期' AND state_reason = '名单期满'),
       (SELECT count(*) FROM bench_event);
SQL
)
if [ "$got" != "$expect" ]; then
    echo "bench: part 1 moved other rows than expected: got $got, expected $expect" >&2
    exit 1
fi

# ---------------------------------------------------------- 2: the sweep
echo "bench: loading $nrec records and $scale list entries (1 % due)" >&2
load_t0=$(date +%s)
if ! psql_q -v section=bulk -v ndept="$ndept" -v nsubj="$nsubj" -v nrec="$nrec" -v nent="$scale" \
        -v first_entry="$first_entry" -f bench/workflow.sql >"$work/bulk.log" 2>&1; then
    cat "$work/bulk.log" >&2
    echo "bench: load failed" >&2
    exit 1
fi
load_s=$(( $(date +%s) - load_t0 ))
echo "bench: loaded in ${load_s}s" >&2
psql_q -c "CHECKPOINT" >/dev/null

read -r corr_rec corr_ent < <(psql_q -At -F' ' <<'SQL'
SELECT (SELECT round(correlation::numeric, 3) FROM pg_stats WHERE schemaname = 'credit' AND tablename = 'record' AND attname = 'record_id'),
       (SELECT round(correlation::numeric, 3) FROM pg_stats WHERE schemaname = 'credit' AND tablename = 'list_entry' AND attname = 'entry_id');
SQL
)
read -r due_records due_entries < <(psql_q -At -F' ' <<'SQL'
SELECT (SELECT count(*) FROM credit.record WHERE publicity_state = '公示中' AND publicity_end <= credit.legal_date()),
       (SELECT count(*) FROM credit.list_entry WHERE state = '列入中' AND expires_on <= credit.legal_date());
SQL
)
[ "$due_records" -eq $((nrec / 100)) ] && [ "$due_entries" -eq $((scale / 100)) ] \
    || { echo "bench: $due_records records and $due_entries entries due, expected $((nrec / 100)) and $((scale / 100))" >&2; exit 1; }

# The sweep's two selection queries, as credit.sweep has them now (as_of and
# batch_size become $1 and $2, as PL/pgSQL passes them).
sweep_query() { # pattern
    psql_q -At -v pat="$1" <<'SQL'
SELECT regexp_replace(regexp_replace(regexp_replace(m[1], '\s+', ' ', 'g'), '\mas_of\M', '$1', 'g'), '\mbatch_size\M', '$2', 'g')
  FROM (SELECT regexp_match(prosrc, :'pat') AS m FROM pg_proc WHERE oid = 'credit.sweep(date, integer)'::regprocedure) AS s;
SQL
}
q_records=$(sweep_query '(SELECT r\.record_id FROM credit\.record r.*?SKIP LOCKED)')
q_entries=$(sweep_query '(SELECT e\.entry_id FROM credit\.list_entry e.*?SKIP LOCKED)')
[ -n "$q_records" ] && [ -n "$q_entries" ] \
    || { echo "bench: the selection queries are not in credit.sweep's source as expected" >&2; exit 1; }

declare -A plan_custom plan_generic
explain_sweep() { # name query table index
    local custom generic
    custom=$({
        session_settings
        echo "PREPARE q(date, integer) AS $2;"
        echo "SET plan_cache_mode = force_custom_plan;"
        echo "BEGIN;"
        echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE q(credit.legal_date(), $sweep_batch);"
        echo "ROLLBACK;"
    } | psql_q -At -f -)
    generic=$({
        session_settings
        echo "PREPARE q(date, integer) AS $2;"
        echo "SET plan_cache_mode = force_generic_plan;"
        echo "EXPLAIN EXECUTE q(credit.legal_date(), $sweep_batch);"
    } | psql_q -At -f -)
    {
        echo "bench: $1: $2"
        echo "  custom plan (as in the sweep's first batches), EXPLAIN (ANALYZE, BUFFERS), rolled back:"
        sed 's/^/    /' <<<"$custom"
        echo "  generic plan (the plan cache may switch to it after five executions), EXPLAIN:"
        sed 's/^/    /' <<<"$generic"
    } >&2
    plan_custom[$1]="$custom"
    plan_generic[$1]="$generic"
    local p
    for p in "$custom" "$generic"; do
        if grep -Eq "Seq Scan on $3( |$)" <<<"$p"; then
            echo "bench: $1: the sweep's selection plan has a Seq Scan on $3" >&2; exit 1
        fi
        if ! grep -Eq "(Index (Only )?Scan using $4 on $3|Bitmap Index Scan on $4)( |$)" <<<"$p"; then
            echo "bench: $1: the sweep's selection plan does not scan the partial index $4" >&2; exit 1
        fi
    done
}
echo "bench: plans of the sweep's selection queries" >&2
explain_sweep records "$q_records" record record_publicity_due
explain_sweep entries "$q_entries" list_entry list_entry_due

echo "bench: the sweep ($due_records records and $due_entries list entries due)" >&2
sweep1=$(psql_q -At -F'|' <<'SQL' | grep -E '^(sweep|sweepfn)\|'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
BEGIN;
SET LOCAL track_functions = 'all';
CREATE TEMP TABLE f0 ON COMMIT DROP AS SELECT funcid, calls, self_time, total_time FROM pg_stat_xact_user_functions;
SELECT 'sweep', records, entries, ms FROM bench_sweep();
SELECT 'sweepfn', CASE WHEN f.funcname = 'transition' THEN f.funcid::regprocedure::text ELSE f.schemaname || '.' || f.funcname END,
       f.calls - coalesce(f0.calls, 0), f.self_time - coalesce(f0.self_time, 0), f.total_time - coalesce(f0.total_time, 0)
  FROM pg_stat_xact_user_functions f LEFT JOIN f0 USING (funcid)
 WHERE f.funcname <> 'bench_sweep' AND f.calls > coalesce(f0.calls, 0);
COMMIT;
SQL
)
IFS='|' read -r _ moved_records moved_entries sweep1_ms < <(grep '^sweep|' <<<"$sweep1")
[ "$moved_records" -eq "$due_records" ] && [ "$moved_entries" -eq "$due_entries" ] \
    || { echo "bench: the sweep moved $moved_records records and $moved_entries entries, expected $due_records and $due_entries" >&2; exit 1; }
left=$(psql_q -At -F'|' <<'SQL'
SELECT (SELECT count(*) FROM credit.record WHERE publicity_state = '公示中' AND publicity_end <= credit.legal_date()),
       (SELECT count(*) FROM credit.list_entry WHERE state = '列入中' AND expires_on <= credit.legal_date()),
       (SELECT count(*) FROM credit.workflow_event WHERE machine = 'record_publicity' AND to_state = '已到期'
                                                    AND party_kind IS NULL AND details ? 'as_of'),
       (SELECT count(*) FROM credit.workflow_event WHERE machine = 'list_entry' AND to_state = '已到期'
                                                    AND party_kind IS NULL AND details ? 'as_of');
SQL
)
[ "$left" = "0|0|$due_records|$due_entries" ] \
    || { echo "bench: after the sweep (due records, due entries, record events, entry events): $left" >&2; exit 1; }

sweep_again() {
    psql_q -At -F'|' -c "SET max_parallel_workers_per_gather = 0" -c "SET jit = off" \
        -c "SELECT records, entries, ms FROM bench_sweep()"
}
IFS='|' read -r s2_records s2_entries sweep2_ms < <(sweep_again)
IFS='|' read -r s3_records s3_entries sweep3_ms < <(sweep_again)
[ "$s2_records|$s2_entries|$s3_records|$s3_entries" = "0|0|0|0" ] \
    || { echo "bench: the second and third sweeps moved $s2_records|$s2_entries and $s3_records|$s3_entries" >&2; exit 1; }

# ------------------------------------------------------------------ facts
pg_version=$(psql_q -At -c "SHOW server_version")
sb_setting=$(psql_q -At -c "SHOW shared_buffers")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
sizes=$(psql_q -At -F'|' <<'SQL'
SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)), pg_relation_size(c.oid)
  FROM pg_class c
 WHERE c.oid IN ('credit.record'::regclass, 'credit.list_entry'::regclass, 'credit.workflow_event'::regclass)
    OR c.oid IN (SELECT indexrelid FROM pg_index
                  WHERE indrelid IN ('credit.record'::regclass, 'credit.list_entry'::regclass))
 ORDER BY c.relname = 'record' DESC, c.relname LIKE 'record%' DESC, c.relname = 'list_entry' DESC,
          c.relname LIKE 'list_entry%' DESC, c.relname;
SQL
)

# ----------------------------------------------------------------- report
elapsed=$(( $(date +%s) - started ))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
us_per() { awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.1f", 1000 * ms / n }'; }

echo
echo "credit bench: workflow engine; part 1: $ntrans transitions a measurement, $rounds rounds; part 2: $scale list entries, $nrec records, 1 % due"
echo "machine: $(nproc) cores, ${cpu:-$(uname -m)}, PostgreSQL $pg_version, shared_buffers $sb_setting (${avail_gb} GB available at start)"
echo "timing: in the server, clock_timestamp() around a PL/pgSQL loop of static SQL (plans cached as for"
echo "prepared statements); all of a measurement's transitions in one transaction; variants interleaved,"
echo "rotating order, each measurement on fresh rows; no parallel workers, no JIT, autovacuum off"
echo
echo "load (once)                                                               s        rows"
psql_q -At -F'|' -c "SELECT phase, ms, coalesce(n::text, '') FROM bench_load ORDER BY ctid" \
    | awk -F'|' '{ printf "  %-66s %8.1f %11s\n", $1, $2 / 1000, $3 }'
echo
grep '^part1|' "$results" >"$work/part1.csv"
grep '^diag|' "$results" >"$work/diag.csv"
grep '^diagtotal|' "$results" >"$work/diagtotal.csv"
grep '^sweepfn|' <<<"$sweep1" >"$work/sweepfn.csv" || true

echo "1. list entries moved out of 列入中, one statement each ($ntrans a measurement; us per transition)"
psql_q -At -v ntrans="$ntrans" -v f="$work/part1.csv" <<'SQL'
CREATE TEMP TABLE r (tag text, variant text, round int, ms double precision);
COPY r FROM :'f' WITH (DELIMITER '|', FORMAT csv);
CREATE TEMP VIEW s AS
SELECT variant,
       1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) / :ntrans AS med,
       1000 * min(ms) / :ntrans AS lo, 1000 * max(ms) / :ntrans AS hi, count(*) AS n
  FROM r WHERE round > 0 GROUP BY variant;
CREATE TEMP VIEW v(variant, label, base, target, ord) AS VALUES
    ('plain', '(a) plain UPDATE of a trigger-free copy: SET state', 'plain', NULL::numeric, 1),
    ('audited', '(c) (a) + state_reason, state_since + INSERT of the event', 'plain', NULL, 2),
    ('guard', '(b) credit.transition(), superuser (engine): -> 已到期', 'plain', 3, 3),
    ('guard_dept', '(b'') credit.transition(), bench_dept (RLS): -> 已移出', 'plain', 3, 4),
    ('guard_dept_sql', '(b'') with the list entry policies in SQL (as in 0.1)', 'plain', NULL, 4.5),
    ('guard_generic', '(b) with plan_cache_mode = force_generic_plan', 'plain', NULL, 5),
    ('guard_dept_generic', '(b'') with plan_cache_mode = force_generic_plan', 'plain', NULL, 6),
    ('plain_set', '(e) plain UPDATE, set-based: entry_id = ANY (1000 ids)', 'plain_set', NULL, 7),
    ('guard_set', '(d) credit.transition(1000 ids), engine: -> 已到期', 'plain_set', 3, 8);
SELECT format('%-60s %9s %8s %8s %7s', '', 'median', 'min', 'max', 'x base');
SELECT format('  %-58s %9s %8s %8s %7s  %s', v.label, round(s.med::numeric, 1), round(s.lo::numeric, 1), round(s.hi::numeric, 1),
              round((s.med / b.med)::numeric, 2),
              CASE WHEN v.variant = v.base THEN '' ELSE 'base ' || (SELECT substr(label, 1, 3) FROM v x WHERE x.variant = v.base) END
              || CASE WHEN v.target IS NULL THEN ''
                      ELSE format(', target <= %s: %s', v.target, CASE WHEN s.med / b.med <= v.target THEN 'ok' ELSE 'MISSED' END) END)
  FROM v JOIN s USING (variant) JOIN s b ON b.variant = v.base
 ORDER BY v.ord;
SELECT format('  (c) - (a): the event INSERT (and two more columns) %s us; (b) - (c): the guard beyond an audited UPDATE %s us',
              round((c.med - a.med)::numeric, 1), round((b.med - c.med)::numeric, 1))
  FROM s a, s b, s c WHERE a.variant = 'plain' AND b.variant = 'guard' AND c.variant = 'audited';
SELECT format('  (b'') in SQL - (b''): the list entry read policies as one C predicate each save %s us a department''s transition',
              round((q.med - b.med)::numeric, 1))
  FROM s b, s q WHERE b.variant = 'guard_dept' AND q.variant = 'guard_dept_sql';
SELECT format('  (b) - (d): a credit.transition() call of one id costs %s us more than its row''s share of a call of 1000;',
              round((b.med - d.med)::numeric, 1))
  FROM s b, s d WHERE b.variant = 'guard' AND d.variant = 'guard_set';
SELECT format('  of that, re-planning its UPDATE on every call (the plan cache keeps choosing custom plans): (b) - generic %s us, (b'') - generic %s us',
              round((b.med - bg.med)::numeric, 1), round((bd.med - bdg.med)::numeric, 1))
  FROM s b, s bg, s bd, s bdg
 WHERE b.variant = 'guard' AND bg.variant = 'guard_generic' AND bd.variant = 'guard_dept' AND bdg.variant = 'guard_dept_generic';
SQL
echo
echo "   Where a guarded transition's time goes: one more run of each, $ntrans transitions, with"
echo "   track_functions = all (pg_stat_xact_user_functions; us per transition; self: in the function"
echo "   itself, without the tracked functions it calls.  credit.transition's self time is SPI, the"
echo "   planning and the executor of its UPDATE, heap and index writes; a trigger function's is its"
echo "   PL/pgSQL, its queries and built-ins (to_jsonb, ...), for the guard the event INSERT with its"
echo "   RI check)"
psql_q -At -v ntrans="$ntrans" -v f="$work/diag.csv" -v ft="$work/diagtotal.csv" <<'SQL'
CREATE TEMP TABLE d (tag text, variant text, fn text, calls bigint, self_ms double precision, total_ms double precision);
COPY d FROM :'f' WITH (DELIMITER '|', FORMAT csv);
CREATE TEMP TABLE t (tag text, variant text, ms double precision);
COPY t FROM :'ft' WITH (DELIMITER '|', FORMAT csv);
SELECT line FROM (
    SELECT v.ord, 0 AS k, 0::double precision AS o,
           format('  %s: %s us per transition with tracking (in the timed rounds: see above)', v.label, round((1000 * t.ms / :ntrans)::numeric, 1)) AS line
      FROM t JOIN (VALUES ('guard', '(b) superuser, one id a call', 1), ('guard_dept', '(b'') bench_dept, one id a call', 2),
                          ('guard_set', '(d) superuser, 1000 ids a call', 3)) AS v(variant, label, ord) USING (variant)
    UNION ALL
    SELECT v.ord, 1, 0, format('    %-52s %10s %10s %10s', 'function', 'calls/tr', 'self us', 'total us')
      FROM (VALUES ('guard', 1), ('guard_dept', 2), ('guard_set', 3)) AS v(variant, ord)
    UNION ALL
    SELECT v.ord, 2, -d.self_ms,
           format('    %-52s %10s %10s %10s', d.fn, round(d.calls::numeric / :ntrans, 3),
                  round((1000 * d.self_ms / :ntrans)::numeric, 1), round((1000 * d.total_ms / :ntrans)::numeric, 1))
      FROM d JOIN (VALUES ('guard', 1), ('guard_dept', 2), ('guard_set', 3)) AS v(variant, ord) USING (variant)
     WHERE 1000 * d.self_ms / :ntrans >= 0.05
    UNION ALL
    SELECT v.ord, 3, 0,
           format('    %-52s %10s %10s', 'the loop itself (bench_transitions)', '', round((1000 * (t.ms - coalesce(sum(d.self_ms), 0)) / :ntrans)::numeric, 1))
      FROM t JOIN (VALUES ('guard', 1), ('guard_dept', 2), ('guard_set', 3)) AS v(variant, ord) USING (variant)
      LEFT JOIN d USING (variant)
     GROUP BY v.ord, t.ms
) AS x ORDER BY ord, k, o;
SQL

echo
echo "2. the sweep at scale: SELECT * FROM credit.sweep(credit.legal_date())   (batch_size $sweep_batch)"
echo "   due: $due_records of $nrec records (publicity_end <= today), $due_entries of $scale list entries (expires_on <= today);"
echo "   the first 1 % by id (the oldest: rows arrive in time order); no prewarm (the EXPLAIN ANALYZE below ran first)"
printf "  %-56s %11s %10s %10s\n" "" "rows moved" "s" "rows/s"
printf "  %-56s %11s %10.2f %10s\n" "first run (track_functions = all)" "$((moved_records + moved_entries))" \
    "$(awk -v ms="$sweep1_ms" 'BEGIN { print ms / 1000 }')" \
    "$(awk -v n="$((moved_records + moved_entries))" -v ms="$sweep1_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
printf "  %-56s %11s\n" "  records -> 已到期 (record_publicity)" "$moved_records"
printf "  %-56s %11s\n" "  list entries -> 已到期 (list_entry)" "$moved_entries"
printf "  %-56s %11s %10.3f\n" "second run" "$((s2_records + s2_entries))" "$(awk -v ms="$sweep2_ms" 'BEGIN { print ms / 1000 }')"
printf "  %-56s %11s %10.3f\n" "third run" "$((s3_records + s3_entries))" "$(awk -v ms="$sweep3_ms" 'BEGIN { print ms / 1000 }')"
echo
echo "   the first run's time by function (s; self: without the functions it calls; us per row moved)"
psql_q -At -v f="$work/sweepfn.csv" -v moved="$((moved_records + moved_entries))" -v ms="$sweep1_ms" <<'SQL'
CREATE TEMP TABLE f (tag text, fn text, calls bigint, self_ms double precision, total_ms double precision);
COPY f FROM :'f' WITH (DELIMITER '|', FORMAT csv);
SELECT format('    %-52s %10s %9s %9s %9s', 'function', 'calls', 'self s', 'total s', 'self us/row');
SELECT format('    %-52s %10s %9s %9s %9s', fn, calls, round((self_ms / 1000)::numeric, 2), round((total_ms / 1000)::numeric, 2),
              round((1000 * self_ms / :moved)::numeric, 1))
  FROM f WHERE self_ms >= 1 ORDER BY self_ms DESC;
SQL
echo "    (credit.sweep's self time: its selection queries; credit.transition's: the UPDATEs' executor work --"
echo "    heap and index writes, SPI, planning --; each trigger function's: its PL/pgSQL, its queries, the"
echo "    event INSERT for the guard)"
echo
echo "   the sweep's selection queries (from credit.sweep's source; \$1 = credit.legal_date(), \$2 = $sweep_batch):"
for k in records entries; do
    q=$q_records; [ "$k" = entries ] && q=$q_entries
    echo "   $q"
    echo "     custom plan, EXPLAIN (ANALYZE, BUFFERS) of the first batch (in a transaction rolled back):"
    sed 's/^/       /' <<<"${plan_custom[$k]}"
    echo "     generic plan (EXPLAIN):"
    sed 's/^/       /' <<<"${plan_generic[$k]}"
done
echo "   no Seq Scan on record or list_entry; both scan their partial index (checked)"
echo
echo "physical order (pg_stats.correlation after the load): record_id $corr_rec, entry_id $corr_ent"
awk -v a="$corr_rec" -v b="$corr_ent" 'BEGIN { exit !(a < 0.9 || b < 0.9) }' \
    && echo "  NOTE: the rows are not in id (time) order: the due rows are spread over the table"
echo
echo "sizes after the sweep"
while IFS='|' read -r rel pretty _; do printf "  %-56s %12s\n" "$rel" "$pretty"; done <<<"$sizes"
echo
echo "load average (1, 5, 15 min): $load_start at start, $load_end at end; elapsed ${elapsed}s (bulk load ${load_s}s)"
