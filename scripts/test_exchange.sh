#!/usr/bin/env bash
# The exchange of docs/exchange.md on three real clusters: a county, a city
# and a province, each started here (initdb into a temporary folder,
# wal_level = logical, unix sockets only), county -> city -> province over
# PostgreSQL logical replication, set up with credit.set_platform,
# credit.set_peer, credit.create_publication, credit.create_exchange_slot and
# credit.subscribe.  The county sends 公开 and 授权查询 to the city; the city
# sends 公开 and 部门共享 to the province.  Checks: each disclosure level
# arrives only where the peers' rules allow; ids, origins, states and events
# travel, role columns do not; the city's own departments see nothing of the
# county's 授权查询 data and the city enters its own records; a repair at the
# county reaches the province and the province's and the city's
# acknowledgements come back down to the county (credit.exchange_ack, sent
# against the data), where the sync events are acknowledged, and nothing
# bounces; an objection's mark shows upstream; a city stopped and started
# again catches up; credit.verify_chain() holds on every platform (rows that
# arrive are chained on arrival) and finds a replicated row tampered with.
#   EXCHANGE_PORT   the county's port (default CLUSTER_PORT + 1, i.e. 55433);
#                   the city and the province take the next two
# Uses the PostgreSQL of pg_config, with this tree built and installed
# (scripts/test.sh does both).  Prints one line per check and ends with
# "exchange: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=exchange
# shellcheck source=scripts/checks.sh
source scripts/checks.sh

# shellcheck source=scripts/exchange_nodes.sh
source scripts/exchange_nodes.sh
refused() {      # refused NODE MESSAGE SQL: SQL fails on NODE, with MESSAGE
    local out
    if out="$(sql "$1" -c "$3" 2>&1)"; then return 1; fi
    grep -qF "$2" <<<"$out" || { echo "$out" >&2; return 1; }
}
exchange_nodes_start "${EXCHANGE_PORT:-$((${CLUSTER_PORT:-55432} + 1))}" county city province


# ---- the county: its platform, departments, roles, catalogue, peer --------
sql county >/dev/null <<'SQL'
SELECT credit.set_platform('county', '县', '某县公共信用信息平台', 11);
INSERT INTO credit.department (code, name, uscc) VALUES
    ('X_SCJG', '某县市场监督管理局', credit.uscc_complete('11330723MB1950461')),
    ('X_SWJ', '国家税务总局某县税务局', credit.uscc_complete('11330723MB1950471'));
CREATE ROLE x_centre; CREATE ROLE x_scjg; CREATE ROLE x_swj; CREATE ROLE x_portal;
SELECT credit.register_centre_role('x_centre');
SELECT credit.register_department_role('x_scjg', 'X_SCJG');
SELECT credit.register_department_role('x_swj', 'X_SWJ');
SELECT credit.register_portal_role('x_portal');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('X.XZCF', '县行政处罚', '行政处罚', '失信', '公开', (SELECT department_id FROM credit.department WHERE code = 'X_SCJG')),
    ('X.NSXX', '县纳税信息', '其他', '中性', '授权查询', (SELECT department_id FROM credit.department WHERE code = 'X_SWJ')),
    ('X.QSXX', '县欠税信息', '其他', '中性', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'X_SWJ'));
SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '发送', '{公开,授权查询}');
-- the upper platforms told of every repair: acknowledged through the exchange
INSERT INTO credit.sync_target (target, name, kind) VALUES
    ('city', '某市公共信用信息平台', '上级平台'), ('province', '某省公共信用信息平台', '上级平台');
SET ROLE x_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
SELECT 'X.XZCF', '企业法人', '县测试' || n || '有限公司', credit.uscc_complete('91330723MA2X0' || lpad(n::text, 3, '0') || '1'),
       '一般', '县市监罚〔2026〕' || n || '号', date '2026-03-01', '虚假宣传', '事实' || n, '《广告法》', '罚款', '罚款一万元', '某县市场监督管理局'
  FROM generate_series(1, 3) AS n;
SET ROLE x_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date)
VALUES ('X.NSXX', '企业法人', '县测试1有限公司', credit.uscc_complete('91330723MA2X00011'), '县税纳〔2026〕1号', date '2026-09-01'),
       ('X.QSXX', '企业法人', '县测试1有限公司', credit.uscc_complete('91330723MA2X00011'), '县税欠〔2026〕1号', date '2026-09-01');
RESET ROLE;
SELECT credit.create_publication('city');
SQL
sql county -c "SELECT credit.create_exchange_slot('city')" >/dev/null

# ---- the city: receives from the county, sends to the province -------------
sql city >/dev/null <<'SQL'
SELECT credit.set_platform('city', '市', '某市公共信用信息平台', 21);
SELECT credit.set_peer('county', '某县公共信用信息平台', '县', 11, '接收');
SELECT credit.set_peer('province', '某省公共信用信息平台', '省', 31, '发送', '{公开,部门共享}');
-- the city's own departments, registered before anything arrives: the
-- first department id of the city is the first of its own range
INSERT INTO credit.department (code, name, uscc) VALUES
    ('C_SWJ', '国家税务总局某市税务局', credit.uscc_complete('11330700MB1950481')),
    ('C_SCJG', '某市市场监督管理局', credit.uscc_complete('11330700MB1950491'));
CREATE ROLE c_centre; CREATE ROLE c_swj; CREATE ROLE c_portal;
SELECT credit.register_centre_role('c_centre');
SELECT credit.register_department_role('c_swj', 'C_SWJ');
SELECT credit.register_portal_role('c_portal');
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('C.QSXX', '市欠税信息', '其他', '中性', '部门共享', (SELECT department_id FROM credit.department WHERE code = 'C_SWJ'));
SQL
# the acknowledgements back to the county, which subscribes to them (the
# slots are made before the subscriptions start their initial copies)
sql city -c "SELECT credit.create_publication('county')" >/dev/null
sql city -c "SELECT credit.create_exchange_slot('county')" >/dev/null
sql county -c "SELECT credit.subscribe('city', '$(conninfo city)')" >/dev/null
sql city -c "SELECT credit.create_publication('province')" >/dev/null
sql city -c "SELECT credit.create_exchange_slot('province')" >/dev/null
sql city -c "SELECT credit.subscribe('county', '$(conninfo county)')" >/dev/null

# ---- the province: receives from the city ---------------------------------
sql province >/dev/null <<'SQL'
SELECT credit.set_platform('province', '省', '某省公共信用信息平台', 31);
SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '接收');
-- known, not connected: its rows come through the city
SELECT credit.set_peer('county', '某县公共信用信息平台', '县', 11, '接收');
SQL
# the acknowledgements back to the city
sql province -c "SELECT credit.create_publication('city')" >/dev/null
sql province -c "SELECT credit.create_exchange_slot('city')" >/dev/null
sql province -c "SELECT credit.subscribe('city', '$(conninfo city)')" >/dev/null
sql city -c "SELECT credit.subscribe('province', '$(conninfo province)')" >/dev/null

rec() { echo "(SELECT record_id FROM credit.record WHERE decision_no = '$1')"; }
has_rec() { echo "SELECT EXISTS (SELECT FROM credit.record WHERE decision_no = '$1')"; }

# ---- the initial copy ------------------------------------------------------
wait_for city "$(has_rec '县市监罚〔2026〕3号')"
wait_for city "SELECT NOT EXISTS (SELECT FROM pg_subscription_rel WHERE srsubstate <> 'r')"
check "city: the county's 公开 record arrived" \
    test "$(val city "$(has_rec '县市监罚〔2026〕1号')")" = t
check "city: the county's 授权查询 record arrived (the city receives 授权查询)" \
    test "$(val city "$(has_rec '县税纳〔2026〕1号')")" = t
check "city: the county's 部门共享 record did not (the city does not receive 部门共享)" \
    test "$(val city "$(has_rec '县税欠〔2026〕1号')")" = f
check "city: a county record keeps its id, which names the county" \
    test "$(val city "SELECT record_id || ' ' || credit.origin_of(record_id) FROM credit.record WHERE decision_no = '县市监罚〔2026〕1号'")" \
       = "$(val county "SELECT record_id || ' county' FROM credit.record WHERE decision_no = '县市监罚〔2026〕1号'")"
check "city: the county's departments arrived with their ids and 统一社会信用代码, named as the county's" \
    test "$(val city "SELECT string_agg(department_id || ' ' || uscc || ' ' || credit.department_origin(department_id), ',' ORDER BY department_id) FROM credit.department WHERE code LIKE 'X\_%'")" \
       = "$(val county "SELECT string_agg(department_id || ' ' || uscc || ' county', ',' ORDER BY department_id) FROM credit.department")"
check "city: its own departments have ids of its own range, never a county department's" \
    test "$(val city "SELECT bool_and(department_id / 100000 = 21) AND NOT bool_or(department_id IN (1100000, 1100001)) FROM credit.department WHERE code LIKE 'C\_%'")" = t
check "city: submitted_by is the city's applying role, not the county's role OID" \
    test "$(val city "SELECT string_agg(DISTINCT submitted_by::text, ',') FROM credit.record")" = postgres
check "city: the subscription is not binary (identifier types travel as text)" \
    test "$(val city "SELECT subbinary FROM pg_subscription WHERE subname = 'credit_from_county'")" = f

# ---- the city's own departments and data ----------------------------------
check "city: no role of the city can be registered as the county's tax office" \
    refused city 'department "X_SWJ" belongs to platform "county"' \
    "CREATE ROLE c_fake; SELECT credit.register_department_role('c_fake', 'X_SWJ')"
check "city: the city's tax office sees none of the county's 授权查询 records" \
    test "$(val city "SET ROLE c_swj; SELECT count(*) FROM credit.record WHERE exchange_scope LIKE '授权查询:%'")" = 0
check "city: nor the county tax office's records at all (not its department)" \
    test "$(val city "SET ROLE c_swj; SELECT count(*) FROM credit.record WHERE department_id = (SELECT department_id FROM credit.department WHERE code = 'X_SWJ')")" = 0
check "city: the county's 公开 records are public at the city (its row security, its roles)" \
    test "$(val city "SET ROLE c_portal; SELECT count(*) FROM credit.public_record WHERE decision_no LIKE '县市监罚%'")" = 3
check "city: the city's tax office enters its own record, with an id of the city's range" \
    test "$(val city "SET ROLE c_swj; INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date)
                       VALUES ('C.QSXX', '企业法人', '市测试1有限公司', credit.uscc_complete('91330700MA2C00011'), '市税欠〔2026〕1号', date '2026-09-02')
                       RETURNING credit.origin_of(record_id)")" = city
check "city: and one about a subject the county sent" \
    test "$(val city "SET ROLE c_swj; INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date)
                       VALUES ('C.QSXX', '企业法人', '县测试2有限公司', credit.uscc_complete('91330723MA2X00021'), '市税欠〔2026〕2号', date '2026-09-02')
                       RETURNING subject_id = (SELECT subject_id FROM credit.subject WHERE name = '县测试2有限公司')")" = t

# ---- the province ------------------------------------------------------------
wait_for province "$(has_rec '市税欠〔2026〕2号')"
check "province: the county's 公开 records arrived through the city" \
    test "$(val province "SELECT count(*) FROM credit.record WHERE decision_no LIKE '县市监罚%' AND credit.origin_of(record_id) = 'county'")" = 3
check "province: the county's 授权查询 record did not (the province does not receive 授权查询)" \
    test "$(val province "$(has_rec '县税纳〔2026〕1号')")" = f
check "province: the county's 部门共享 record did not (it never left the county)" \
    test "$(val province "$(has_rec '县税欠〔2026〕1号')")" = f
check "province: the city's own 部门共享 record arrived, named as the city's" \
    test "$(val province "SELECT credit.origin_of(record_id) FROM credit.record WHERE decision_no = '市税欠〔2026〕1号'")" = city

# ---- a repair and an objection at the county --------------------------------
sql county <<SQL >/dev/null
BEGIN;
SET LOCAL ROLE x_portal;
SELECT credit.act_for_subject((SELECT subject_id FROM credit.record WHERE decision_no = '县市监罚〔2026〕1号'));
INSERT INTO credit.repair (record_id, obligations_performed, materials, commitment)
VALUES ($(rec '县市监罚〔2026〕1号'), true, '{信用修复承诺书,履行义务证明}', '本企业承诺依法经营');
COMMIT;
BEGIN;
SET LOCAL ROLE x_portal;
SELECT credit.act_for_subject((SELECT subject_id FROM credit.record WHERE decision_no = '县市监罚〔2026〕2号'));
INSERT INTO credit.objection (record_id, grounds, claim, materials)
VALUES ($(rec '县市监罚〔2026〕2号'), '信息错误', '处罚金额有误', '{身份证明,处罚决定书}');
COMMIT;
SET ROLE x_scjg;
SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已受理');
SELECT credit.transition('repair', (SELECT max(repair_id) FROM credit.repair), '已修复');
SET ROLE x_centre;
SELECT credit.transition('objection', (SELECT max(objection_id) FROM credit.objection), '已受理');
SQL
wait_for province "SELECT EXISTS (SELECT FROM credit.objection WHERE state = '已受理')"
wait_for province "SELECT EXISTS (SELECT FROM credit.repair WHERE state = '已修复')"
check "province: the county's repair arrived, 已修复, with the county's id" \
    test "$(val province "SELECT state || ' ' || credit.origin_of(repair_id) FROM credit.repair")" = "已修复 county"
check "province: the repaired record is 已修复 there too" \
    test "$(val province "SELECT publicity_state FROM credit.record WHERE decision_no = '县市监罚〔2026〕1号'")" = 已修复
check "province: the repair's events arrived (已申请 -> 已受理 -> 已修复)" \
    test "$(val province "SELECT string_agg(from_state || '>' || to_state, ',' ORDER BY event_id) FROM credit.workflow_event WHERE machine = 'repair'")" = "已申请>已受理,已受理>已修复"
check "province: the repair's commitment arrived (信用修复型, 特定范围内公开: the peers receive more than 公开)" \
    test "$(val province "SELECT c.kind || ' ' || c.disclosure || ' ' || credit.origin_of(c.commitment_id) FROM credit.repair p JOIN credit.commitment c USING (commitment_id)")" = "信用修复型 特定范围内公开 county"
check "province: the objection's mark 异议处理中 shows on the county's record" \
    test "$(val province "SELECT dispute_mark FROM credit.record WHERE decision_no = '县市监罚〔2026〕2号'")" = 异议处理中
check "city: the objection is 已受理 there, with the county's deadline" \
    test "$(val city "SELECT state || ' ' || deadline FROM credit.objection")" = "$(val county "SELECT state || ' ' || deadline FROM credit.objection")"
check "province: the portal shows the mark (the receiving side's public view)" \
    test "$(val province "SELECT dispute_mark FROM credit.public_record WHERE decision_no = '县市监罚〔2026〕2号'")" = 异议处理中

# ---- a commitment's events travel -------------------------------------------
sql county -c "SET ROLE x_scjg" -c "SELECT credit.transition('commitment', (SELECT commitment_id FROM credit.repair), '核查中')" >/dev/null
wait_for province "SELECT EXISTS (SELECT FROM credit.workflow_event WHERE machine = 'commitment')"
check "province: the event of the county's commitment arrived (已作出 -> 核查中), scoped by the commitment's disclosure" \
    test "$(val province "SELECT string_agg(from_state || '>' || to_state || ' ' || exchange_scope || ' ' || credit.origin_of(event_id), ',') FROM credit.workflow_event WHERE machine = 'commitment'")" \
       = "已作出>核查中 承诺:特定范围内公开 county"
check "province: and the commitment is 核查中 there" \
    test "$(val province "SELECT c.state FROM credit.repair p JOIN credit.commitment c USING (commitment_id)")" = 核查中

# ---- the repair's acknowledgements come back down ---------------------------
check "county: the repair queued one sync event per upper platform (the city, the province)" \
    test "$(val county "SELECT count(*) FROM credit.sync_event WHERE target IN ('city', 'province')")" = 2
check "county: the province's acknowledgement comes back (province -> city -> county) and the county's sync event for the province is acknowledged" \
    wait_for county "SELECT acknowledged_at IS NOT NULL FROM credit.sync_event WHERE target = 'province'"
check "county: and the city's" \
    wait_for county "SELECT acknowledged_at IS NOT NULL FROM credit.sync_event WHERE target = 'city'"
check "county: at the time each platform received the result" \
    test "$(val county "SELECT string_agg(s.target || ' ' || (s.acknowledged_at = a.acknowledged_at), ',' ORDER BY s.target)
                         FROM credit.sync_event s JOIN credit.exchange_ack a ON a.platform = s.target AND a.repair_id = s.repair_id")" \
       = "city true,province true"
check "county: nothing is pending any more" \
    test "$(val county "SELECT count(*) FROM credit.exchange_pending")" = 0
check "province: its own acknowledgement only (the city's never goes up)" \
    test "$(val province "SELECT string_agg(platform || ' ' || credit.origin_of(repair_id), ',' ORDER BY platform) FROM credit.exchange_ack")" = "province county"
check "city: its own and the province's (on the way down)" \
    test "$(val city "SELECT string_agg(platform, ',' ORDER BY platform) FROM credit.exchange_ack")" = "city,province"
sleep 2
check "nothing bounces: after a while the county has the two acknowledgements, once each, and the province still its own" \
    test "$(val county "SELECT string_agg(platform, ',' ORDER BY platform) FROM credit.exchange_ack")/$(val province "SELECT count(*) FROM credit.exchange_ack")" = "city,province/1"
check "the county does not send acknowledgements (no publication of exchange_ack there) and the province sends them to the city only" \
    test "$(val county "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'exchange_ack'")/$(val province "SELECT string_agg(pubname, ',') FROM pg_publication_tables WHERE tablename = 'exchange_ack'")" = "0/credit_to_city"

check "no row was refused by an apply or copy worker on the county, the city or the province (pg_stat_subscription_stats, before the city is stopped)" \
    test "$(val county "SELECT sum(apply_error_count + sync_error_count) FROM pg_stat_subscription_stats")/$(val city "SELECT sum(apply_error_count + sync_error_count) FROM pg_stat_subscription_stats")/$(val province "SELECT sum(apply_error_count + sync_error_count) FROM pg_stat_subscription_stats")" = 0/0/0

# ---- failure and catch-up: the city stops, the county goes on ---------------
node_stop city
sql county -c "SET ROLE x_scjg" -c "INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date,
                           violation_type, violation_facts, penalty_basis, penalty_category, penalty_content, authority_name)
VALUES ('X.XZCF', '企业法人', '县测试9有限公司', credit.uscc_complete('91330723MA2X00091'), '一般', '县市监罚〔2026〕9号', date '2026-09-20',
        '虚假宣传', '事实9', '《广告法》', '罚款', '罚款一万元', '某县市场监督管理局')" >/dev/null
check "county: while the city is down, its slot is kept, inactive, holding what the city has not confirmed" \
    wait_for county "SELECT NOT active AND confirmed_flush_lsn < pg_current_wal_lsn() FROM pg_replication_slots WHERE slot_name = 'credit_to_city'"
node_start city
wait_for province "$(has_rec '县市监罚〔2026〕9号')"
check "province: after the city starts again, the record entered meanwhile arrives" \
    test "$(val province "SELECT credit.origin_of(record_id) FROM credit.record WHERE decision_no = '县市监罚〔2026〕9号'")" = county

# ---- the chain on each platform ----------------------------------------------
wait_for province "SELECT NOT EXISTS (SELECT FROM pg_subscription_rel WHERE srsubstate <> 'r')"
for n in county city province; do
    check "$n: credit.verify_chain() holds after the exchange (the rows that arrived were chained on arrival)" \
        test "$(val "$n" "SELECT count(*) FROM credit.verify_chain(1)")" = 0
done
check "province: the county's record came in with entries noted replicated (insert, then the 已修复 update)" \
    test "$(val province "SELECT string_agg(DISTINCT op || ' ' || note, ',' ORDER BY op || ' ' || note) FROM credit.change_log
                           WHERE table_name = 'record' AND row_key = ARRAY[$(rec '县市监罚〔2026〕1号')::text]")" = "insert replicated,update replicated"
sql province -c "SET session_replication_role = replica" \
    -c "UPDATE credit.record SET penalty_content = '罚款十万元' WHERE decision_no = '县市监罚〔2026〕3号'" >/dev/null
check "province: a replicated row changed behind the triggers is found and named" \
    test "$(val province "SELECT string_agg(table_name || ' ' || row_key::text || ' ' || problem, ',') FROM credit.verify_chain()")" \
       = "record {$(val province "SELECT record_id FROM credit.record WHERE decision_no = '县市监罚〔2026〕3号'")} changed"

if [ "$failed" -gt 0 ]; then
    for n in county city province; do
        echo "---- $n: errors in the server log ----"
        grep -h -A2 'ERROR' "$(node_log "$n")" | head -n 20 || true
    done
fi
checks_end
