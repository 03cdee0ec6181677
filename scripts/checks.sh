# shellcheck shell=bash
# One assertion per line for the suites with clusters of their own
# (scripts/test_restore.sh, test_package.sh, test_cron.sh), counted by
# scripts/test.sh.  Source it after setting SUITE to the suite's name:
#
#   SUITE=restore
#   source scripts/checks.sh
#   check "what it shows" test "$a" = "$b"     # "restore: what it shows ... ok" (or FAILED)
#   checks_end                                  # "restore: N passed, M failed"; fails if M > 0

passed=0
failed=0
check() {   # check NAME COMMAND...
    local name="$1"
    shift
    if "$@"; then
        echo "$SUITE: $name ... ok"
        passed=$((passed + 1))
    else
        echo "$SUITE: $name ... FAILED"
        failed=$((failed + 1))
    fi
}
checks_end() {
    echo "$SUITE: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
