#!/usr/bin/env bash
# Runs every test of credit against its own throwaway cluster:
#   scripts/test.sh
# Installs missing Debian packages, builds, installs the extension, starts a
# cluster in a temporary folder (unix socket only), runs the suite, stops the
# cluster, and ends with the line "N passed, M failed".  Exits non-zero when
# anything failed, after printing the first lines of the diffs.
#
# The suite:
#   1. sql/schedule in order (make installcheck: pg_regress --schedule), then
#      specs/*.spec (pg_isolation_regress).  Every sql/*.sql must be listed
#      in sql/schedule, and every listed test must have its sql/ and
#      expected/ files: otherwise the script stops before running anything.
#   2. each test of sql/schedule again, alone, in a fresh database (the
#      files do not depend on each other).
#   3. backup and restore (scripts/test_restore.sh: pg_dump, pg_restore
#      into a new database, every table and each kind of role compared),
#      and the update from each released version (scripts/test_update.sh:
#      its frozen script installed with data, ALTER EXTENSION credit UPDATE,
#      the data kept and the catalogue compared with a fresh install), and
#      the exchange on three clusters of their own, county -> city ->
#      province (scripts/test_exchange.sh).
#   4. as root: the Debian package (scripts/test_package.sh: built from
#      debian/, installed, the extension created from it) and the sweep
#      scheduled with pg_cron (scripts/test_cron.sh); TEST_EXTRA=no leaves
#      them out.
#
# What "N passed, M failed" counts, from the results, not from pg_regress's
# verdict per file:
#   - a pgTAP file (its expected output has a plan line "1..N"): each "ok"
#     line of results/<name>.out passes, each "not ok" fails, and each
#     planned assertion that did not run (the file stopped, crashed, or its
#     results are missing) fails.  When pg_regress finds a difference outside
#     the assertions (an error between them, a changed plan), one more fails.
#   - a plain pg_regress file and the isolation spec: each statement that
#     prints something is one assertion (a result ending in "(N rows)", or an
#     ERROR with its DETAIL/HINT/CONTEXT lines; for the spec, each
#     permutation).  Both outputs are cut into these pieces and aligned with
#     diff: a piece of the expected output that is not in the results, the
#     same, fails; the others pass.  A difference pg_regress sees that moves
#     no piece (an extra output) counts as one failure.
#   - a test that fails when run alone counts one more failure.
#   - each check of the restore, the update, the package and pg_cron is one
#     assertion.
set -euo pipefail
cd "$(dirname "$0")/.."

schedule=sql/schedule

# ---- the schedule is complete -------------------------------------------
scheduled=$(sed -n 's/^test:[[:space:]]*//p' "$schedule" | tr -s ' \t' '\n' | sed '/^$/d')
missing=0
for f in sql/*.sql; do
    name=$(basename "$f" .sql)
    if ! grep -qx "$name" <<<"$scheduled"; then
        echo "test.sh: $f is not in $schedule: add a line \"test: $name\" there" >&2
        missing=1
    fi
done
for name in $scheduled; do
    for f in "sql/$name.sql" "expected/$name.out"; do
        [ -f "$f" ] || { echo "test.sh: $schedule lists $name, but $f does not exist" >&2; missing=1; }
    done
done
if [ "$missing" -ne 0 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi

scripts/bootstrap.sh
make -s >/dev/null
make -s install >/dev/null

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_start

log="$(mktemp /tmp/credit-test.XXXXXX)"
work="$(mktemp -d /tmp/credit-count.XXXXXX)"
trap 'rm -rf "$log" "$work"; cluster_stop' EXIT
rm -rf regression.diffs regression.out results output_iso
set +e
make -s installcheck 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if [ ! -d output_iso/results ]; then
    # make stops after a failing pg_regress run: the spec runs anyway
    make -s installcheck REGRESS= 2>&1 | tee -a "$log"
fi
set -e
diffs_in_order=""
[ -f regression.diffs ] && diffs_in_order="$(cat regression.diffs)"
[ -f output_iso/regression.diffs ] && diffs_in_order="$diffs_in_order$(cat output_iso/regression.diffs)"

# ---- each test alone, in a fresh database --------------------------------
alone_failed=()
PG_REGRESS="$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress"
echo "---- each test alone in a fresh database ----"
for name in $scheduled; do
    out="$work/alone/$name"
    mkdir -p "$out"
    if "$PG_REGRESS" --inputdir=. --outputdir="$out" --bindir="$(pg_config --bindir)" --encoding=UTF8 \
            --load-extension=plpgsql --dbname="credit_alone_$name" "$name" >"$out/log" 2>&1; then
        echo "alone $name ... ok"
    else
        echo "alone $name ... FAILED (diffs: see below)"
        alone_failed+=("$name")
    fi
done

# ---- counting -------------------------------------------------------------
# pieces FILE: one line per piece of output (see the header), its md5.
pieces() {
    local file="$1" mode="$2"
    [ -f "$file" ] || return 0
    awk -v mode="$mode" -v dir="$work/p" '
        function flush() { if (buf != "") { print buf > (dir "/" n); close(dir "/" n); n++; buf = "" } }
        BEGIN { n = 0; buf = ""; err = 0 }
        mode == "spec" {
            if ($0 ~ /^starting permutation:/) { flush(); keep = 1 }
            if (keep) buf = buf $0 "\n"
            next
        }
        {
            if (err && $0 !~ /^(DETAIL|HINT|CONTEXT|LINE [0-9]+|QUERY|WHERE):|^[[:space:]]+/) { flush(); err = 0 }
            buf = buf $0 "\n"
            if ($0 ~ /^ERROR:/) err = 1
            else if (!err && $0 ~ /^\([0-9]+ rows?\)$/) flush()
        }
        END { if (mode == "spec") flush(); else if (err) flush() }
    ' "$file"
    local i=0
    while [ -f "$work/p/$i" ]; do md5sum <"$work/p/$i" | cut -c1-32; i=$((i + 1)); done
    rm -f "$work"/p/*
}
mkdir -p "$work/p"

passed=0
failed=0
count_file() {   # name expected result pg_regress-verdict(ok|FAILED) mode
    local name="$1" exp="$2" res="$3" verdict="$4" mode="$5"
    local p=0 f=0
    local plan
    plan=$(grep -m1 -oE '^1\.\.[0-9]+$' "$exp" | cut -c4- || true)
    # a new pgTAP file whose expected output is not written yet
    [ -z "$plan" ] && [ -f "$res" ] && [ "$mode" = plain ] && plan=$(grep -m1 -oE '^1\.\.[0-9]+$' "$res" | cut -c4- || true)
    if [ -n "$plan" ] && [ "$mode" = plain ]; then
        local ok=0 notok=0
        if [ -f "$res" ]; then
            ok=$(grep -cE '^ok [0-9]+' "$res" || true)
            notok=$(grep -cE '^not ok [0-9]+' "$res" || true)
        fi
        p=$ok
        f=$notok
        [ $((ok + notok)) -lt "$plan" ] && f=$((f + plan - ok - notok))
        [ "$verdict" != ok ] && [ "$f" -eq 0 ] && f=1
    else
        pieces "$exp" "$mode" >"$work/e"
        pieces "$res" "$mode" >"$work/r"
        local lost total
        total=$(wc -l <"$work/e")
        lost=$(diff "$work/e" "$work/r" | grep -c '^<' || true)
        p=$((total - lost))
        f=$lost
        [ "$verdict" != ok ] && [ "$f" -eq 0 ] && f=1
    fi
    [ "$f" -gt 0 ] && echo "count: $name: $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
}
verdict_of() {   # the status pg_regress printed for a test
    if grep -qE "^(test | +)$1 +\.\.\. ok( |\$)" "$log"; then
        echo ok
    else
        echo FAILED
    fi
}
for name in $scheduled; do
    count_file "$name" "expected/$name.out" "results/$name.out" "$(verdict_of "$name")" plain
done
for spec in specs/*.spec; do
    [ -f "$spec" ] || continue
    name=$(basename "$spec" .spec)
    count_file "$name" "expected/$name.out" "output_iso/results/$name.out" "$(verdict_of "$name")" spec
done
# Suites with clusters of their own: backup and restore
# (scripts/test_restore.sh), the update from each released version
# (scripts/test_update.sh), the exchange between three clusters
# (scripts/test_exchange.sh), and, as root (TEST_EXTRA=no leaves them out),
# the Debian package, built, installed and used (scripts/test_package.sh),
# and the sweep scheduled with pg_cron (scripts/test_cron.sh).  Each ends
# with "<name>: N passed, M failed".
# Backup and restore, the update and the exchange run always: they need no root.
extras="restore update exchange"
[ "${TEST_EXTRA:-yes}" != no ] && extras="restore update exchange package cron"
for extra in $extras; do
    extra_out=$(CLUSTER_PORT="${CLUSTER_PORT:-55432}" "scripts/test_$extra.sh" 2>&1) || true
    grep -E "^$extra: " <<<"$extra_out" | grep -vE "^$extra: [0-9]+ passed" || true
    extra_line=$(grep -E "^$extra: [0-9]+ passed, [0-9]+ failed\$" <<<"$extra_out" | tail -n 1 || true)
    if [ -n "$extra_line" ]; then
        extra_nums=$(sed -E "s/^$extra: ([0-9]+) passed, ([0-9]+) failed\$/\\1 \\2/" <<<"$extra_line")
        passed=$((passed + ${extra_nums% *}))
        failed=$((failed + ${extra_nums#* }))
    else
        tail -n 20 <<<"$extra_out"
        failed=$((failed + 1))
    fi
done
failed=$((failed + ${#alone_failed[@]}))

if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
    if [ -n "$diffs_in_order" ]; then
        echo "---- regression.diffs (first 200 lines) ----"
        head -n 200 <<<"$diffs_in_order"
    fi
    for name in "${alone_failed[@]}"; do
        echo "---- $name alone: regression.diffs (first 100 lines) ----"
        head -n 100 "$work/alone/$name/regression.diffs" 2>/dev/null || tail -n 20 "$work/alone/$name/log"
    done
    [ "$failed" -gt 0 ] || failed=1    # make failed without a failing test
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    failed=1                            # no test ran: that is a failure
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
