#!/usr/bin/env bash
# Replication lag of the exchange (docs/exchange.md): three throwaway
# clusters, county -> city -> province (scripts/exchange_nodes.sh, as
# scripts/test_exchange.sh sets them up), the county's department inserts N
# 公开 penalty records in one transaction; reported per round: the insert,
# the time from the county's commit until the last record is at the city,
# and until it is at the province (polled every 0.1 s by its key, through
# the index record_decision), and the same N rows into a plain table of the
# county (what the insert alone costs without the extension), side by side.
#
#   bench/exchange.sh [--scale N] [--rounds R]        defaults: N = 100 000, R = 3
#   EXCHANGE_PORT (default 55490; the city and province take the next two)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
bench_args 100000 3 "$@"

scripts/bootstrap.sh >/dev/null
make -s >/dev/null
make -s install >/dev/null
# shellcheck source=scripts/exchange_nodes.sh
source scripts/exchange_nodes.sh
EXCHANGE_WAIT=${EXCHANGE_WAIT:-1800}
exchange_nodes_start "${EXCHANGE_PORT:-55490}" county city province

sql county >/dev/null <<'SQL'
SELECT credit.set_platform('county', '县', '某县公共信用信息平台', 11);
INSERT INTO credit.department (code, name, uscc) VALUES
    ('X_SCJG', '某县市场监督管理局', credit.uscc_complete('11330723MB1950461'));
CREATE ROLE x_scjg;
SELECT credit.register_department_role('x_scjg', 'X_SCJG');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('X.XZCF', '县行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'X_SCJG'));
SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '发送', '{公开,授权查询}');
SELECT credit.create_publication('city');
CREATE TABLE public.plain_copy AS SELECT * FROM credit.record WITH NO DATA;
SQL
sql county -c "SELECT credit.create_exchange_slot('city')" >/dev/null
sql city >/dev/null <<'SQL'
SELECT credit.set_platform('city', '市', '某市公共信用信息平台', 21);
SELECT credit.set_peer('county', '某县公共信用信息平台', '县', 11, '接收');
SELECT credit.set_peer('province', '某省公共信用信息平台', '省', 31, '发送', '{公开,部门共享}');
SQL
sql city -c "SELECT credit.subscribe('county', '$(conninfo county)')" >/dev/null
sql city -c "SELECT credit.create_publication('province')" >/dev/null
sql city -c "SELECT credit.create_exchange_slot('province')" >/dev/null
sql province >/dev/null <<'SQL'
SELECT credit.set_platform('province', '省', '某省公共信用信息平台', 31);
SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '接收');
SELECT credit.set_peer('county', '某县公共信用信息平台', '县', 11, '接收');
SQL
sql province -c "SELECT credit.subscribe('city', '$(conninfo city)')" >/dev/null
wait_for province "SELECT EXISTS (SELECT FROM credit.catalogue_item WHERE item_code = 'X.XZCF')
                   AND NOT EXISTS (SELECT FROM pg_subscription_rel WHERE srsubstate <> 'r')"

now() { date +%s.%N; }
insert_sql() {   # insert_sql ROUND TABLE
    cat <<SQL
INSERT INTO $2 (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
SELECT 'X.XZCF', '企业法人', '县测试' || n || '有限公司',
       credit.uscc_complete('91330723MA' || lpad(($1 * 1000000 + n)::text, 7, '0')),
       '一般', '县市监罚〔$1〕' || n || '号', date '2026-09-01', '虚假宣传', '事实', '《广告法》', '罚款', '罚款一万元', '某县市场监督管理局'
  FROM generate_series(1, $scale) AS n;
SQL
}
printf '%-6s %12s %12s %14s %18s\n' round "plain (s)" "insert (s)" "→ city (s)" "→ province (s)" >"$EXCHANGE_DIR/report"
for r in $(seq 1 "$rounds"); do
    t0=$(now)
    sql county -c "$(insert_sql "$r" public.plain_copy)" >/dev/null
    t1=$(now)
    sql county -c "SET ROLE x_scjg" -c "$(insert_sql "$r" credit.record)" >/dev/null
    t2=$(now)
    last="SELECT EXISTS (SELECT FROM credit.record WHERE department_id = 1100000 AND item_code = 'X.XZCF'
                          AND decision_no = '县市监罚〔$r〕${scale}号' AND state = '有效')"
    # polled alternately, so neither arrival is seen late by the other's wait
    at_city="" at_province=""
    for i in $(seq 1 $((EXCHANGE_WAIT * 10))); do
        [ -z "$at_city" ] && [ "$(val city "$last")" = t ] && at_city=$(now)
        [ -z "$at_province" ] && [ "$(val province "$last")" = t ] && at_province=$(now)
        [ -n "$at_city" ] && [ -n "$at_province" ] && break
        sleep 0.1
    done
    [ -n "$at_city" ] && [ -n "$at_province" ] || { echo "bench/exchange.sh: round $r did not arrive" >&2; exit 1; }
    printf '%-6s %12.2f %12.2f %14.2f %18.2f\n' "$r" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" \
        "$(echo "$at_city - $t2" | bc)" "$(echo "$at_province - $t2" | bc)" >>"$EXCHANGE_DIR/report"
    echo "round $r done" >&2
done
echo "exchange lag: $scale 公开 records per round, county -> city -> province, one transaction each"
echo "load before: $load_start; after: $(cut -d' ' -f1-3 /proc/loadavg); $(($(date +%s) - started)) s"
cat "$EXCHANGE_DIR/report"
