#!/usr/bin/env bash
# The uscc benchmark, against its own throwaway cluster:
#   bench/uscc.sh [--scale N] [--rounds R]      (or BENCH_SCALE, BENCH_ROUNDS)
# Builds and installs the extension like scripts/test.sh, starts a cluster
# (scripts/cluster.sh; port CLUSTER_PORT, default here 55480; shared_buffers
# CLUSTER_SHARED_BUFFERS, default here 1GB), writes N valid codes to a file
# once, then measures, interleaved and repeated R times:
#   COPY of the file into uscc / text / text + CHECK (C) / text + CHECK (PL/pgSQL)
#   ORDER BY on uscc (with and without sortsupport), text "C", text, uuid
#   CREATE INDEX on the same
# and prints medians, ratios and the table and index sizes.  See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 1000000 5 "$@"
bench_cluster 55480 1GB
datafile="$work/codes.txt"


echo "bench: setting up, N=$scale rows, $rounds rounds" >&2
if ! psql_q -v scale="$scale" -v datafile="$datafile" -f bench/uscc.sql >"$work/setup.log" 2>&1; then
    cat "$work/setup.log" >&2
    echo "bench: setup failed" >&2
    exit 1
fi
sed -n 's/^.*NOTICE:  bench: /bench: /p' "$work/setup.log" >&2

# ---------------------------------------------------------------- variants
# Every timed statement runs in the server under bench_ms() (clock_timestamp
# around EXECUTE) and prints "section|variant|round|ms".

copy_variants=(text uscc check_c check_plpgsql)
declare -A copy_table=([text]=t_text [uscc]=t_uscc [check_c]=t_check_c [check_plpgsql]=t_check_plpgsql)

sort_variants=(uscc uscc_nosortsupport text_c text_default uuid)

# OFFSET N without LIMIT: a full (unbounded) sort, every row skipped, none sent.
sort_query() {
    case "$1" in
        uscc|uscc_nosortsupport) echo "SELECT code FROM t_uscc ORDER BY code OFFSET $scale" ;;
        text_c)                  echo "SELECT code FROM t_text ORDER BY code COLLATE \"C\" OFFSET $scale" ;;
        text_default)            echo "SELECT code FROM t_text ORDER BY code OFFSET $scale" ;;
        uuid)                    echo "SELECT id FROM t_uuid ORDER BY id OFFSET $scale" ;;
    esac
}

index_stmt() {
    local name="${2:-bench_tmp}"
    case "$1" in
        uscc|uscc_nosortsupport) echo "CREATE INDEX $name ON t_uscc (code)" ;;
        text_c)                  echo "CREATE INDEX $name ON t_text (code COLLATE \"C\")" ;;
        text_default)            echo "CREATE INDEX $name ON t_text (code)" ;;
        uuid)                    echo "CREATE INDEX $name ON t_uuid (id)" ;;
    esac
}

# One transaction, rolled back: for *_nosortsupport, FUNCTION 2 is dropped
# from the btree family first (transactional DDL) and its absence checked.
in_txn() {
    echo "BEGIN;"
    if [[ "$1" == *_nosortsupport ]]; then
        echo "ALTER OPERATOR FAMILY credit.uscc_ops USING btree DROP FUNCTION 2 (credit.uscc, credit.uscc);"
        echo "CALL bench_assert_sortsupport(false);"
    fi
    echo "$2"
    echo "ROLLBACK;"
}

timed() { # section variant round statement
    printf "SELECT '%s', '%s', %d, round(bench_ms(\$stmt\$%s\$stmt\$)::numeric, 3);\n" "$1" "$2" "$3" "$4"
}

session_settings() {
    cat <<'SQL'
SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET jit = off;
SQL
}

results="$work/results"
: >"$results"
run_measure() { psql_q -At -F'|' -f - | grep -E '^(copy|sort|index)\|' >>"$results"; }

# ------------------------------------------------------------------- COPY
echo "bench: COPY ($rounds rounds x ${#copy_variants[@]} variants)" >&2
{
    session_settings
    for ((r = 1; r <= rounds; r++)); do
        for v in $(rotated "$r" "${copy_variants[@]}"); do
            t="${copy_table[$v]}"
            echo "TRUNCATE $t;"
            echo "CHECKPOINT;"
            timed copy "$v" "$r" "COPY $t FROM '$datafile'"
        done
    done
} | run_measure

# The last round loaded every table from the same file; freeze them, add the
# uuid table, and check the row counts.
psql_q <<SQL
VACUUM (FREEZE, ANALYZE) t_text, t_uscc, t_check_c, t_check_plpgsql;
INSERT INTO t_uuid SELECT gen_random_uuid() FROM generate_series(1, $scale);
VACUUM (FREEZE, ANALYZE) t_uuid;
DO \$\$
BEGIN
    IF (SELECT count(*) FROM t_text) <> $scale OR (SELECT count(*) FROM t_uscc) <> $scale
       OR (SELECT count(*) FROM t_check_c) <> $scale OR (SELECT count(*) FROM t_check_plpgsql) <> $scale
       OR (SELECT count(*) FROM t_uuid) <> $scale
       OR EXISTS (SELECT FROM t_text t FULL JOIN t_uscc u ON u.code::text = t.code WHERE t.code IS NULL OR u.code IS NULL)
    THEN
        RAISE EXCEPTION 'bench: tables not loaded as expected';
    END IF;
END
\$\$;
SQL

# --------------------------------------------------------- sort check
# EXPLAIN ANALYZE each sort once (also a warm-up): it must be a full,
# in-memory quicksort of all N rows.
declare -A sort_method
for v in "${sort_variants[@]}"; do
    plan=$({ session_settings; in_txn "$v" "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $(sort_query "$v");"; } | psql_q -At -f -)
    method=$(sed -n 's/^ *Sort Method: //p' <<<"$plan")
    sorted=$(grep -E '^ *-> +Sort ' <<<"$plan" | grep -oE 'rows=[0-9]+' | head -1 || true)
    if [[ "$method" != quicksort* ]] || [ "$sorted" != "rows=$scale" ]; then
        echo "bench: the $v sort is not a full in-memory quicksort of $scale rows:" >&2
        echo "$plan" >&2
        exit 1
    fi
    sort_method[$v]=$(sed -E 's/ +Memory: /, /' <<<"$method")
done

# ------------------------------------------------------ ORDER BY, CREATE INDEX
# Both sections run every sort variant R times in rotating order, each in
# its own transaction (in_txn), and check afterwards that sortsupport is back.
measure_sorts() { # section label statement-function
    echo "bench: $2 ($rounds rounds x ${#sort_variants[@]} variants)" >&2
    {
        session_settings
        for ((r = 1; r <= rounds; r++)); do
            for v in $(rotated "$r" "${sort_variants[@]}"); do
                in_txn "$v" "$(timed "$1" "$v" "$r" "$("$3" "$v")")"
            done
        done
        echo "CALL bench_assert_sortsupport(true);"
    } | run_measure
}
measure_sorts sort "ORDER BY" sort_query
measure_sorts index "CREATE INDEX" index_stmt

# ------------------------------------------------------------------ sizes
{
    session_settings
    for v in uscc text_default text_c uuid; do
        echo "$(index_stmt "$v" "i_$v");"
    done
} | psql_q

sizes=$(psql_q -At -F'|' <<'SQL'
SELECT 'table', 'uscc',         pg_relation_size('t_uscc')
UNION ALL SELECT 'table', 'text', pg_relation_size('t_text')
UNION ALL SELECT 'table', 'uuid', pg_relation_size('t_uuid')
UNION ALL SELECT 'index', 'uscc',         pg_relation_size('i_uscc')
UNION ALL SELECT 'index', 'text_default', pg_relation_size('i_text_default')
UNION ALL SELECT 'index', 'text_c',       pg_relation_size('i_text_c')
UNION ALL SELECT 'index', 'uuid',         pg_relation_size('i_uuid');
SQL
)
declare -A size
while IFS='|' read -r kind v bytes; do size[$kind.$v]=$bytes; done <<<"$sizes"

pg_version=$(psql_q -At -c "SHOW server_version")
pg_collation=$(psql_q -At -c "SELECT datcollate FROM pg_database WHERE datname = current_database()")

# ----------------------------------------------------------------- report
# Medians (and min, max) per section|variant; mawk has no asort, so sort first.
declare -A med lo hi
while read -r key m mn mx; do
    med[$key]=$m; lo[$key]=$mn; hi[$key]=$mx
done < <(sort -t'|' -k1,1 -k2,2 -k4,4g "$results" | awk -F'|' '
    function flush() {
        if (n == 0) return
        m = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
        printf "%s %.3f %.3f %.3f\n", key, m, x[1], x[n]
    }
    { k = $1 "|" $2; if (k != key) { flush(); key = k; n = 0 } x[++n] = $4 }
    END { flush() }')

for s in copy sort index; do
    for v in text uscc check_c check_plpgsql "${sort_variants[@]}"; do
        k="$s|$v"
        [ -n "${med[$k]:-}" ] || continue
        n=$(grep -c "^$k|" "$results")
        [ "$n" -eq "$rounds" ] || { echo "bench: $k has $n results, expected $rounds" >&2; exit 1; }
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ok()    { awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN { r = (op == "<=") ? (x <= t) : (x >= t); print r ? "ok" : "MISSED" }'; }
mb()    { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
row() { # label key base [note]
    printf "  %-48s %10.1f %10.1f %10.1f %8s  %s\n" "$1" "${med[$2]}" "${lo[$2]}" "${hi[$2]}" \
        "$(ratio "${med[$2]}" "${med[$3]}")" "${4:-}"
}
header() { printf "%-50s %10s %10s %10s %8s\n" "$1" "median ms" "min ms" "max ms" "$2"; }

r_copy=$(ratio "${med[copy|uscc]}" "${med[copy|text]}")
r_plpgsql=$(ratio "${med[copy|check_plpgsql]}" "${med[copy|uscc]}")
r_ss=$(ratio "${med[sort|uscc_nosortsupport]}" "${med[sort|uscc]}")
r_ssi=$(ratio "${med[index|uscc_nosortsupport]}" "${med[index|uscc]}")
r_idx_uuid=$(ratio "${size[index.uscc]}" "${size[index.uuid]}")
r_idx_text=$(ratio "${size[index.uscc]}" "${size[index.text_default]}")
elapsed=$(( $(date +%s) - started ))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

echo
echo "credit bench: uscc, N=$scale rows, $rounds rounds, medians (machine: $(nproc) cores, ${cpu:-$(uname -m)}, PostgreSQL $pg_version)"
echo "timing: in the server, clock_timestamp() around each statement; variants interleaved, rotating order"
echo
header "COPY FROM file (server side, logged table)" "x text"
row "text"                               "copy|text"          "copy|text"
row "uscc"                               "copy|uscc"          "copy|text" "(target <= 1.15 x text: $(ok "$r_copy" '<=' 1.15))"
row "text + CHECK credit.uscc_is_valid (C)" "copy|check_c"    "copy|text"
row "text + CHECK PL/pgSQL validator"    "copy|check_plpgsql" "copy|text" \
    "(uscc is $r_plpgsql x faster; target >= 5: $(ok "$r_plpgsql" '>=' 5))"
echo
header "ORDER BY, full in-memory sort, no rows sent" "x uscc"
row "uscc (sortsupport, abbreviated keys)"  "sort|uscc"               "sort|uscc"
row "uscc without sortsupport (FUNCTION 2 dropped)" "sort|uscc_nosortsupport" "sort|uscc" "(sortsupport pays ${r_ss} x)"
row "text COLLATE \"C\""                    "sort|text_c"             "sort|uscc"
row "text, default collation ($pg_collation)" "sort|text_default"     "sort|uscc"
row "uuid"                                  "sort|uuid"               "sort|uscc"
echo
header "CREATE INDEX (btree, no parallel workers)" "x uscc"
row "uscc (sortsupport, abbreviated keys)"  "index|uscc"               "index|uscc"
row "uscc without sortsupport (FUNCTION 2 dropped)" "index|uscc_nosortsupport" "index|uscc" "(sortsupport pays ${r_ssi} x)"
row "text COLLATE \"C\""                    "index|text_c"             "index|uscc"
row "text, default collation ($pg_collation)" "index|text_default"     "index|uscc"
row "uuid"                                  "index|uuid"               "index|uscc"
echo
printf "%-50s %10s %10s %10s %10s\n" "size (MB, main fork)" "table" "index" "idx/uuid" "idx/text"
size_row() { # label table-key index-key
    printf "  %-48s %10s %10s %10s %10s\n" "$1" "$(mb "${size[table.$2]}")" "$(mb "${size[index.$3]}")" \
        "$(ratio "${size[index.$3]}" "${size[index.uuid]}")" "$(ratio "${size[index.$3]}" "${size[index.text_default]}")"
}
size_row "uscc"                   uscc uscc
size_row "text ($pg_collation)"   text text_default
size_row "text COLLATE \"C\""     text text_c
size_row "uuid"                   uuid uuid
echo "  uscc index: $r_idx_uuid x uuid (target about 1), $r_idx_text x text (target <= 0.8: $(ok "$r_idx_text" '<=' 0.8))"
echo
echo "sort method (EXPLAIN ANALYZE): uscc ${sort_method[uscc]}; text \"C\" ${sort_method[text_c]}; text ${sort_method[text_default]}; uuid ${sort_method[uuid]}"
echo "load average (1, 5, 15 min): $load_start at start, $load_end at end; elapsed ${elapsed}s"
