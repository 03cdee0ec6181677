#!/usr/bin/env bash
# The mutation harness: does the suite notice when the code is broken on
# purpose?
#
#   PATH=<your PostgreSQL 15>/bin:$PATH scripts/mutate.sh                # every mutant of sql/mutants/
#   PATH=... scripts/mutate.sh sql/mutants/uscc_check_char.patch ...       # only these
#
# Each mutant is one file of sql/mutants/ (*.patch or *.diff): a unified
# diff against the tree (patch -p1), after a header of '#' lines that names
# the behaviour it breaks.  Header keywords (one per line, optional):
#   # kills: 11_uscc_input 40_disclosure    the tests that should kill it
#   # equivalent: <reason>                  no observable difference: it is
#                                           expected to survive, and is
#                                           counted apart from the score
#   # also: restore                         after the schedule, run these
#                                           suites of their own too
#                                           (scripts/test_<name>.sh); a
#                                           failing one counts as a killer
#
# For each mutant, the script copies the tree (built once, unmutated) into a
# temporary folder, applies the mutant to the COPY (the working tree is
# never edited), builds, installs into the pg_config found on PATH, and runs
# the regression schedule (sql/schedule) and the isolation specs against one
# throwaway cluster (scripts/cluster.sh; CLUSTER_PORT chooses its port).
# scripts/test.sh's "each test alone" pass is skipped: it finds nothing the
# schedule does not.  It records which test files failed.  At the end,
# always (normal end, failure, Ctrl-C), it installs the unmutated build
# again.
#
# Output: one line per mutant (killed by which tests, survived, equivalent,
# or does not apply / does not build), then the last line
#   mutation score: K of N killed
# where N counts the mutants not marked equivalent.  Exit status 0 when every
# non-equivalent mutant was killed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
tree="$(pwd)"

if [ $# -gt 0 ]; then
    mutants=("$@")
else
    mutants=()
    for m in sql/mutants/*.patch sql/mutants/*.diff; do
        [ -f "$m" ] && mutants+=("$m")
    done
fi
[ ${#mutants[@]} -gt 0 ] || { echo "mutate.sh: no mutant in sql/mutants/" >&2; exit 2; }
for m in "${mutants[@]}"; do
    [ -f "$m" ] || { echo "mutate.sh: $m: no such file" >&2; exit 2; }
done
command -v pg_config >/dev/null || { echo "mutate.sh: no pg_config on PATH" >&2; exit 2; }

scripts/bootstrap.sh >/dev/null

work="$(mktemp -d /tmp/credit-mutate.XXXXXX)"
base="$work/base"
restored=0
restore() {
    # the unmutated build, installed again whatever happened
    if [ "$restored" -eq 0 ] && [ -f "$base/credit.so" ]; then
        restored=1
        (cd "$base" && make -s install >/dev/null 2>&1) \
            && echo "mutate.sh: the unmutated build is installed again" >&2 \
            || echo "mutate.sh: could not install the unmutated build again: run make install" >&2
    fi
}
cleanup() {
    restore
    cluster_stop 2>/dev/null || true
    rm -rf "$work"
}

# The unmutated tree, as it is in the working tree (tracked and untracked
# files, without build products and test results), built once; each mutant
# starts from a copy of it, so only what the mutant touches is rebuilt.
mkdir -p "$base"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] || continue
    mkdir -p "$base/$(dirname "$f")"
    cp -p "$f" "$base/$f"
done
(cd "$base" && make -s >/dev/null 2>&1) || { echo "mutate.sh: the unmutated tree does not build" >&2; rm -rf "$work"; exit 2; }

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_start
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# run_suite DIR LOG: the schedule, then the specs; prints the failed test names
run_suite() {
    local dir="$1" log="$2"
    (cd "$dir" && rm -rf results output_iso regression.diffs regression.out \
        && { make -s installcheck ISOLATION= >"$log" 2>&1 || true; } \
        && { make -s installcheck REGRESS= >>"$log" 2>&1 || true; })
    # pg_regress: "test NAME ... ok", "     NAME ... FAILED", "... failed (ignored)"
    sed -nE 's/^(test +| +)?([A-Za-z0-9_]+) +\.\.\. +(FAILED|failed).*/\2/p' "$log" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# the unmutated suite must pass, or no mutant means anything
(cd "$base" && make -s install >/dev/null 2>&1)
base_failed="$(run_suite "$base" "$work/base.log")"
if [ -n "$base_failed" ] || ! grep -qE '\.\.\. +ok' "$work/base.log"; then
    echo "mutate.sh: the unmutated suite fails ($base_failed): fix that first" >&2
    tail -n 20 "$work/base.log" >&2
    exit 2
fi

killed=0; total=0; eq_alive=0; eq_killed=0; broken=0
survivors=()
printf '%-40s %s\n' "mutant" "result"
for m in "${mutants[@]}"; do
    name="$(basename "$m")"; name="${name%.*}"
    equivalent="$(sed -nE 's/^# *equivalent: *(.*)/\1/p' "$m" | head -n1)"
    expect="$(sed -nE 's/^# *kills: *(.*)/\1/p' "$m" | head -n1)"
    dir="$work/m"
    rm -rf "$dir"
    cp -a "$base" "$dir"
    if ! (cd "$dir" && patch -p1 --batch --silent --no-backup-if-mismatch <"$tree/$m" >"$work/patch.log" 2>&1); then
        printf '%-40s %s\n' "$name" "DOES NOT APPLY: $(head -n1 "$work/patch.log")"
        broken=$((broken + 1)); continue
    fi
    if ! (cd "$dir" && make -s >"$work/build.log" 2>&1 && make -s install >>"$work/build.log" 2>&1); then
        printf '%-40s %s\n' "$name" "DOES NOT BUILD: $(grep -m1 -i error "$work/build.log" || true)"
        broken=$((broken + 1)); continue
    fi
    failed="$(run_suite "$dir" "$work/$name.log")"
    for suite in $(sed -nE 's/^# *also: *(.*)/\1/p' "$m" | head -n1); do
        (cd "$dir" && "scripts/test_$suite.sh" >>"$work/$name.log" 2>&1) || failed="${failed:+$failed }$suite"
    done
    if [ -n "$equivalent" ]; then
        if [ -n "$failed" ]; then
            eq_killed=$((eq_killed + 1))
            printf '%-40s %s\n' "$name" "marked equivalent, but KILLED by: $failed"
        else
            eq_alive=$((eq_alive + 1))
            printf '%-40s %s\n' "$name" "equivalent (alive): $equivalent"
        fi
        continue
    fi
    total=$((total + 1))
    if [ -n "$failed" ]; then
        killed=$((killed + 1))
        note=""
        if [ -n "$expect" ]; then
            for t in $expect; do
                grep -qw "$t" <<<"$failed" || note="$note $t"
            done
            [ -n "$note" ] && note=" (not killed by:$note)"
        fi
        printf '%-40s %s\n' "$name" "killed by: $failed$note"
    else
        survivors+=("$name")
        printf '%-40s %s\n' "$name" "SURVIVED"
    fi
done
rm -rf "$work/m"
restore

echo
[ ${#survivors[@]} -gt 0 ] && echo "survivors: ${survivors[*]}"
echo "equivalent mutants (not in the score): $((eq_alive + eq_killed)), of which $eq_killed killed"
[ "$broken" -gt 0 ] && echo "mutants that do not apply or do not build (not in the score): $broken"
echo "mutation score: $killed of $total killed"
[ "$killed" -eq "$total" ] && [ "$broken" -eq 0 ]
