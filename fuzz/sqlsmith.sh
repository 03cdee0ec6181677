#!/usr/bin/env bash
# SQLsmith (Debian's sqlsmith) against the demo data, as every kind of role
# a hostile client may hold, looking for a crashed backend:
#
#   fuzz/sqlsmith.sh [SECONDS]      # per role; default 600 (10 minutes)
#
# The roles: a department (demo_scjg), the portal (demo_portal), the portal
# acting for a natural person (credit.act_for_subject), a bank with no
# authorisation open (demo_bank), the same bank with the firm's
# authorisation opened (CALL credit.open_authorisation), and a role that is
# no party (what the public sees).  SQLsmith connects as the first, second,
# fourth and last itself; the two with session state need a first call
# SQLsmith cannot make, so for them SQLsmith generates its queries as that
# role (--dry-run, from what the role can see) and psql sends them in one
# session after that call (each statement in a savepoint, so an error does
# not end the acting transaction).  Every query has a statement timeout of
# 2 s.  After each role: the server must still answer, and its log must
# hold no backend "terminated by signal", PANIC or failed assertion.
#
# Throwaway cluster (scripts/cluster.sh) on CLUSTER_PORT (default 55490);
# builds and installs this tree first (the PostgreSQL of pg_config).  Prints
# one line per role and ends with "sqlsmith: N passed, M failed".  Not part
# of scripts/test.sh (it runs for an hour); docs/testing.md has the last
# results.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: fuzz/sqlsmith.sh [SECONDS per role]" >&2; exit 2; }

if ! command -v sqlsmith >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlsmith >/dev/null
    else
        echo "fuzz/sqlsmith.sh: sqlsmith is missing (apt-get install sqlsmith, as root)" >&2
        exit 2
    fi
fi

scripts/bootstrap.sh
make -s >/dev/null
make -s install >/dev/null

SUITE=sqlsmith
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT=${CLUSTER_PORT:-55490} cluster_start
work="$(mktemp -d /tmp/credit-sqlsmith.XXXXXX)"
chmod 755 "$work"
trap '[ -n "${KEEP_OUTPUT:-}" ] && cp -r "$work" "$KEEP_OUTPUT"; rm -rf "$work"; cluster_stop' EXIT

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

createdb credit_fuzz
q -d credit_fuzz -c 'CREATE EXTENSION credit' -f scripts/demo_data.sql >/dev/null 2>&1
q -d credit_fuzz >/dev/null <<'SQL'
CREATE ROLE fuzz_public LOGIN;
ALTER ROLE demo_scjg LOGIN;
ALTER ROLE demo_portal LOGIN;
ALTER ROLE demo_bank LOGIN;
ALTER DATABASE credit_fuzz SET statement_timeout = '2s';
-- credit's operators on the path, so that the queries reach them
ALTER DATABASE credit_fuzz SET search_path = "$user", public, credit;
SQL
person=$(q -d credit_fuzz -c "SELECT min(subject_id) FROM credit.subject WHERE kind = '自然人'")
firm_auth=$(q -d credit_fuzz -c "SELECT min(a.authorisation_id) FROM credit.authorisation a
                                  JOIN credit.subject s USING (subject_id) WHERE s.kind <> '自然人'")
[ -n "$person" ] && [ -n "$firm_auth" ] || { echo "fuzz/sqlsmith.sh: the demo data has no natural person or no firm authorisation" >&2; exit 1; }

log="$CLUSTER_DIR/log"
target() { echo "host=$PGHOST port=$PGPORT dbname=credit_fuzz user=$1"; }

# the server answers, and nothing crashed since the log had $1 lines
alive_since() {
    local from=$1
    if ! q -d credit_fuzz -c 'SELECT 1' >/dev/null 2>&1; then
        echo "the server does not answer" >&2; return 1
    fi
    if tail -n +"$((from + 1))" "$log" | grep -E 'terminated by signal|PANIC|TRAP:|server process .* was terminated' >&2; then
        return 1
    fi
}

# fuzz NAME ROLE [PRELUDE]: SQLsmith as ROLE for $seconds; with a prelude,
# the queries generated as ROLE go through psql after the prelude
fuzz() {
    local name=$1 role=$2 prelude=${3:-} from queries errors
    from=$(wc -l <"$log")
    if [ -z "$prelude" ]; then
        # a role that sees no credit table gets the catalogue's (and credit's
        # functions granted to PUBLIC): SQLsmith needs a table to start from
        local tables
        tables=$(q -d credit_fuzz -U "$role" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'credit'")
        timeout --signal=INT "$seconds" sqlsmith --target="$(target "$role")" $([ "$tables" -gt 0 ] && echo --exclude-catalog) \
            --seed=$RANDOM --verbose \
            >"$work/$name.out" 2>&1 || true
        # --verbose: a line "queries: N" now and then, and each error with its count
        queries=$(sed -n 's/^queries: //p' "$work/$name.out" | tail -1)
        errors=$(sed -n 's/^error rate: //p' "$work/$name.out" | tail -1)
        check "$name ($role): ${seconds}s, ${queries:-0}+ queries, error rate ${errors:-?}, no backend crashed" alive_since "$from"
        return
    else
        # generated in rounds of 2000 until the time is up
        local end=$((SECONDS + seconds))
        queries=0
        : >"$work/$name.out"
        while [ $SECONDS -lt $end ]; do
            sqlsmith --target="$(target "$role")" --exclude-catalog --seed=$RANDOM --dry-run --max-queries=2000 \
                >"$work/$name.sql" 2>/dev/null || true
            { printf '\\set ON_ERROR_ROLLBACK on\n%s\n' "$prelude"; cat "$work/$name.sql"; printf '\nCOMMIT;\n'; } |
                timeout --signal=INT $((end - SECONDS + 5)) psql -X -q -d credit_fuzz -U "$role" >>"$work/$name.out" 2>&1 || true
            queries=$((queries + $(grep -c ';$' "$work/$name.sql" || true)))
            if grep -q 'server closed the connection unexpectedly' "$work/$name.out"; then break; fi
        done
    fi
    errors=$(grep -c '^ERROR' "$work/$name.out" || true)
    check "$name ($role, after the prelude): ${seconds}s, $queries queries, $errors errors, no backend crashed" alive_since "$from"
}

fuzz department demo_scjg
fuzz portal demo_portal
fuzz portal_acting demo_portal "BEGIN; SELECT credit.act_for_subject($person);"
fuzz bank demo_bank
fuzz bank_opened demo_bank "CALL credit.open_authorisation($firm_auth);"
fuzz public fuzz_public

checks_end
