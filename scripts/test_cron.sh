#!/usr/bin/env bash
# The sweep scheduled with pg_cron as docs/workflows.md says, on a server
# like the throwaway one: unix socket only, trust/peer authentication, so
# pg_cron runs its jobs in background workers (cron.use_background_workers).
# Installs Debian's postgresql-15-cron, schedules credit.sweep() every
# minute, waits for a run (up to 100 s) and checks that it succeeded and
# moved the due list entry.  Called by scripts/test.sh (as root); prints
# one line per check and ends with "cron: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=cron
# shellcheck source=scripts/checks.sh
source scripts/checks.sh

if [ "$(id -u)" -ne 0 ]; then
    echo "cron: skipped (installing postgresql-15-cron needs root)"
    echo "cron: 0 passed, 0 failed"
    exit 0
fi
scripts/bootstrap.sh postgresql-15-cron >/dev/null
# pg_cron is installed into Debian's PostgreSQL 15: use that server, with
# this tree's build installed into it
export PATH=/usr/lib/postgresql/15/bin:$PATH
make -s install PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config >/dev/null

CLUSTER_EXTRA_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = 'credit_db'
cron.use_background_workers = on
max_worker_processes = 16"
export CLUSTER_EXTRA_CONF
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT=$((${CLUSTER_PORT:-55432} + 2)) cluster_start

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d credit_db "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE credit_db ENCODING 'UTF8' TEMPLATE template0"
q >/dev/null <<'SQL'
CREATE EXTENSION credit;
CREATE EXTENSION pg_cron;
-- one list entry whose term ended long ago, left 列入中 for the sweep
INSERT INTO credit.department (code, name) VALUES ('CRON', '定时测试部门');
INSERT INTO credit.subject (kind, uscc, name) VALUES ('企业法人', '91350100M000100Y43', '示例公司');
INSERT INTO credit.list_kind (list_kind, name, colour, term_months, disclosure, department_id)
SELECT 'CRON_K', '测试名单', '黑', 1, '公开', department_id FROM credit.department WHERE code = 'CRON';
INSERT INTO credit.list_entry (list_kind, subject_id, department_id, reasons, listed_on)
SELECT 'CRON_K', s.subject_id, d.department_id, '测试', date '2025-01-01'
  FROM credit.subject s, credit.department d WHERE d.code = 'CRON';
SELECT cron.schedule('credit-sweep', '* * * * *', $$SELECT * FROM credit.sweep()$$);
SQL


ran() {
    local i
    for i in $(seq 1 100); do
        [ "$(q -c "SELECT count(*) FROM cron.job_run_details WHERE status IN ('succeeded', 'failed')")" -gt 0 ] && return 0
        sleep 1
    done
    return 1
}
check "pg_cron runs the scheduled sweep on a socket-only server" ran
check "the run succeeded" test "$(q -c "SELECT string_agg(status, ',') FROM cron.job_run_details")" = succeeded
check "and moved the due list entry to 已到期" test "$(q -c "SELECT state FROM credit.list_entry")" = 已到期
q -c "SELECT status, return_message FROM cron.job_run_details" >&2 || true
cluster_stop

checks_end
