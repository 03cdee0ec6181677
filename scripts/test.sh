#!/usr/bin/env bash
# Runs every test of credit against its own throwaway cluster:
#   scripts/test.sh
# Installs missing Debian packages, builds, installs the extension, starts a
# cluster in a temporary folder (unix socket only), runs the pg_regress suite
# (plain SQL and pgTAP files in sql/), stops the cluster, and ends with the
# line "N passed, M failed".  Exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
make -s >/dev/null
make -s install >/dev/null

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_start

log="$(mktemp /tmp/credit-test.XXXXXX)"
rm -f regression.diffs
set +e
make -s installcheck 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

passed=$(grep -cE '\.\.\. ok( |$)' "$log" || true)
failed=$(grep -cE '\.\.\. (FAILED|failed)' "$log" || true)
rm -f "$log"

if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
    if [ -f regression.diffs ]; then
        echo "---- regression.diffs (first 200 lines) ----"
        head -n 200 regression.diffs
    fi
    [ "$failed" -gt 0 ] || failed=1    # make failed before any test ran
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    failed=1                            # no test ran: that is a failure
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
