-- Exchange between platforms (70_exchange.sql, docs/exchange.md): the
-- platform and its id range, peers, the exchange scope of each row, the
-- publication a peer gets (its row filters applied to rows of each level,
-- no role column), and the refusals of set_platform, set_peer,
-- create_publication, create_exchange_slot and subscribe; the
-- acknowledgements (credit.exchange_ack, credit.exchange_pending) as the
-- apply worker writes them (replica mode).  The replication itself runs on
-- three clusters in scripts/test_exchange.sh.  pgTAP.
\i sql/include/tap_setup.sql

SELECT plan(64);

-- ------------------------------------------------------------------
-- Before the platform is set
-- ------------------------------------------------------------------
SELECT is(credit.platform_code(), NULL, 'no platform code before credit.set_platform');
SELECT throws_ok($$SELECT credit.create_publication('city')$$, '55000', 'this platform has no code yet',
                 'create_publication is refused before the platform is set');
SELECT throws_ok($$SELECT credit.subscribe('county', 'dbname=x')$$, '55000', 'this platform has no code yet',
                 'subscribe is refused before the platform is set');
SELECT throws_ok($$SELECT credit.set_platform('County!', '县', '测试县平台', 11)$$, '23514', NULL,
                 'a platform code is lower-case letters, digits and _ (it names publications and slots)');
SELECT throws_ok($$SELECT credit.set_platform('county', '乡', '测试县平台', 11)$$, '23514', NULL,
                 'a level is one of 县, 市, 省, 国家, 部门, 信用服务机构');
SELECT throws_ok($$SELECT credit.set_platform('county', '县', '测试县平台', 0)$$, '23514', NULL,
                 'range 0 is the ids of no platform');

-- a department cannot set the platform, add a peer, publish or read the peers
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT credit.set_platform('county', '县', '测试县平台', 11)$$, '42501', NULL,
                 'a department cannot set the platform');
SELECT throws_ok($$SELECT credit.set_peer('city', '市平台', '市', 21, '发送')$$, '42501', NULL,
                 'nor add a peer');
SELECT throws_ok($$SELECT credit.create_publication('city')$$, '42501', NULL, 'nor build a publication');
SELECT throws_ok($$SELECT credit.subscribe('city', 'dbname=x')$$, '42501', NULL, 'nor subscribe');
SELECT throws_ok($$SELECT count(*) FROM credit.exchange_peer$$, '42501', NULL, 'nor read the peers');
RESET ROLE;

-- ------------------------------------------------------------------
-- The platform and its range
-- ------------------------------------------------------------------
SELECT lives_ok($$SELECT credit.set_platform('county', '县', '测试县平台', 11)$$, 'the DBA sets the platform');
SELECT results_eq($$SELECT sequencename::text COLLATE "default", min_value, max_value FROM pg_sequences
                     WHERE schemaname = 'credit' AND sequencename IN ('record_record_id_seq', 'department_department_id_seq')
                     ORDER BY 1$$,
                  $$VALUES ('department_department_id_seq', 1100000::bigint, 1199999::bigint),
                           ('record_record_id_seq', 1100000000000000, 1199999999999999)$$,
                  'range 11: department ids from 11 × 10^5, other ids from 11 × 10^14');
SELECT is((SELECT count(*)::integer FROM pg_sequences s
            WHERE s.schemaname = 'credit'
              AND s.min_value NOT IN (1100000, 1100000000000000)), 0,
          'every identity sequence of the extension draws from the range');
SELECT throws_ok($$SELECT credit.set_platform('county', '县', '测试县平台', 12)$$, '55000',
                 'this platform is already "county" with range 11', 'the range is set once');
SELECT throws_ok($$SELECT credit.set_platform('county2', '县', '测试县平台', 11)$$, '55000',
                 'this platform is already "county" with range 11', 'and the code');
SELECT lives_ok($$SELECT credit.set_platform('county', '县', '某县公共信用信息平台', 11)$$,
                'the same code and range again: the name changes');
SELECT results_eq($$SELECT code, level, name, range_no FROM credit.platform$$,
                  $$VALUES ('county'::text, '县'::text, '某县公共信用信息平台'::text, 11)$$, 'one platform row');

INSERT INTO credit.department (code, name, uscc)
VALUES ('X_SCJG', '某县市场监督管理局', credit.uscc_complete('11330723MB1950461'));
SELECT results_eq($$SELECT department_id, credit.department_origin(department_id) FROM credit.department WHERE code = 'X_SCJG'$$,
                  $$VALUES (1100000, 'county'::text)$$, 'a new department takes the first id of the range, which names the platform');
SELECT is(credit.department_origin(1), NULL, 'a department id of no range has no origin');

-- ------------------------------------------------------------------
-- Peers
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT credit.set_peer('city', '某市平台', '市', 11, '发送')$$, '23505',
                 'peer "city" has this platform''s code or range', 'a peer cannot have this platform''s range');
SELECT throws_ok($$SELECT credit.set_peer('county', '某市平台', '市', 21, '发送')$$, '23505',
                 'peer "county" has this platform''s code or range', 'nor its code');
SELECT throws_ok($$SELECT credit.set_peer('city', '某市平台', '市', 21, '发送', '{公开,秘密}')$$, '23514', NULL,
                 'disclosure levels are 公开, 授权查询, 部门共享');
SELECT throws_ok($$SELECT credit.set_peer('city', '某市平台', '市', 21, '发送', '{公开}', '{X.NONE,X.ALSO}')$$, '23503',
                 'unknown catalogue items for peer "city": X.ALSO, X.NONE', 'unknown items are refused, every one named');
SELECT lives_ok($$SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '发送', '{公开,授权查询}')$$,
                'the city: this platform sends it 公开 and 授权查询');
SELECT lives_ok($$SELECT credit.set_peer('province', '某省公共信用信息平台', '省', 31, '接收')$$,
                'the province: this platform receives from it');
SELECT throws_ok($$SELECT credit.set_peer('nation', '国家平台', '国家', 21, '接收')$$, '23505', NULL,
                 'two peers never share a range');
SELECT results_eq($$SELECT credit.origin_of(1100000000000005), credit.origin_of(2100000000000001),
                           credit.origin_of(3199999999999999), credit.origin_of(5)$$,
                  $$VALUES ('county'::text, 'city'::text, 'province'::text, NULL::text)$$,
                  'an id names its platform: this one, a peer, or none');

-- a department the city sent: no role of this platform acts as it
INSERT INTO credit.department (department_id, code, name, uscc) OVERRIDING SYSTEM VALUE
VALUES (2100005, 'C_SWJ', '国家税务总局某市税务局', credit.uscc_complete('11330700MB1950481'));
SELECT throws_ok($$SELECT credit.register_department_role('regress_nobody', 'C_SWJ')$$, '42501',
                 'department "C_SWJ" belongs to platform "city"', 'a role is never registered for another platform''s department');
SELECT lives_ok($$SELECT credit.register_department_role('regress_nobody', 'X_SCJG')$$, 'but for this platform''s own');

-- ------------------------------------------------------------------
-- Exchange scope: the plain column the row filters read
-- ------------------------------------------------------------------
INSERT INTO credit.catalogue_item (item_code, name, category, polarity, default_disclosure, department_id) VALUES
    ('X.GK', '县公开信息', '其他', '中性', '公开', 1100000),
    ('X.SQ', '县授权查询信息', '其他', '中性', '授权查询', 1100000),
    ('X.BM', '县部门共享信息', '其他', '中性', '部门共享', 1100000),
    ('X.GK2', '县公开信息二', '其他', '中性', '公开', 1100000);
INSERT INTO credit.record (item_code, department_id, subject_kind, subject_name, subject_uscc, subject_resident_id,
                           decision_no, decision_date)
VALUES ('X.GK', 1100000, '企业法人', '交换测试一公司', credit.uscc_complete('91330723MA2X00011'), NULL, '交换1号', date '2026-09-01'),
       ('X.SQ', 1100000, '企业法人', '交换测试一公司', credit.uscc_complete('91330723MA2X00011'), NULL, '交换2号', date '2026-09-01'),
       ('X.BM', 1100000, '企业法人', '交换测试一公司', credit.uscc_complete('91330723MA2X00011'), NULL, '交换3号', date '2026-09-01'),
       ('X.SQ', 1100000, '自然人', '张三', NULL, '110101199003074477', '交换4号', date '2026-09-01'),
       ('X.GK2', 1100000, '企业法人', '交换测试一公司', credit.uscc_complete('91330723MA2X00011'), NULL, '交换5号', date '2026-09-01');
SELECT results_eq($$SELECT decision_no, exchange_scope, credit.origin_of(record_id) FROM credit.record ORDER BY decision_no$$,
                  $$VALUES ('交换1号'::text, '公开:X.GK'::text, 'county'::text), ('交换2号', '授权查询:X.SQ', 'county'),
                           ('交换3号', '部门共享:X.BM', 'county'), ('交换4号', '授权查询:X.SQ', 'county'),
                           ('交换5号', '公开:X.GK2', 'county')$$,
                  'a record''s scope is its disclosure and item; its id is of the range');
SELECT results_eq($$SELECT kind::text, exchange_scope FROM credit.subject ORDER BY 1$$,
                  $$VALUES ('企业法人'::text, '组织:'::text), ('自然人', '个人:')$$,
                  'a subject''s scope: 组织 or 个人');
SELECT lives_ok($$SELECT credit.withdraw_record((SELECT record_id FROM credit.record WHERE decision_no = '交换2号'), '决定撤销')$$,
                'a record is withdrawn (an event)');
SELECT is((SELECT exchange_scope FROM credit.workflow_event
            WHERE object_id = (SELECT record_id FROM credit.record WHERE decision_no = '交换2号') AND to_state = '已撤回'),
          '授权查询:X.SQ', 'the event carries its object''s scope (the guard copies it)');

-- ------------------------------------------------------------------
-- Publications
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT credit.create_publication('nowhere')$$, '23503', 'unknown exchange peer "nowhere"',
                 'an unknown peer is refused');
-- to a peer this platform receives from: the acknowledgements, back the
-- other way (even while rows have ids of no range: no data travels there)
SET client_min_messages = error;
SELECT is(credit.create_publication('province'), 'credit_to_province'::name,
          'a peer this platform receives from gets a publication too');
RESET client_min_messages;
SELECT results_eq($$SELECT tablename::text COLLATE "default", rowfilter::text COLLATE "default"
                     FROM pg_publication_tables WHERE pubname = 'credit_to_province'$$,
                  $$VALUES ('exchange_ack'::text, '(platform <> ''province''::text)'::text)$$,
                  'the acknowledgements only, never the peer''s own (they would bounce back to it: PostgreSQL 15 has no origin = none)');
SELECT throws_ok($$SELECT credit.create_publication('city')$$, '55000',
                 'rows of credit.department have ids drawn before this platform was set',
                 'refused while rows have ids of no range (the fixture''s departments, made before the platform)');
-- the fixture's departments go (their roles stay registered as nothing)
DELETE FROM credit.party WHERE department_id < 100000;
DELETE FROM credit.department WHERE department_id < 100000;
SET client_min_messages = error;   -- the WARNING of a server without wal_level = logical
SELECT is(credit.create_publication('city'), 'credit_to_city'::name, 'the city''s publication is built');
RESET client_min_messages;
SELECT results_eq($$SELECT tablename::text COLLATE "default" FROM pg_publication_tables WHERE pubname = 'credit_to_city' ORDER BY 1$$,
                  $$VALUES ('catalogue_item'::text), ('commitment'), ('department'), ('list_entry'), ('objection'),
                           ('record'), ('repair'), ('subject'), ('workflow_event')$$,
                  'it sends departments, the catalogue, subjects, records, list entries, objections, repairs, commitments and events');
SELECT is((SELECT count(*)::integer FROM pg_publication_tables t
             JOIN pg_attribute a ON a.attrelid = format('%I.%I', t.schemaname, t.tablename)::regclass AND a.attname = ANY (t.attnames)
            WHERE t.pubname = 'credit_to_city' AND a.atttypid = 'regrole'::regtype), 0,
          'no role column (an OID of this cluster) travels');
-- the filters, applied to this platform's rows
CREATE FUNCTION pg_temp.passing(tab text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE f text;
BEGIN
    SELECT coalesce(rowfilter, 'true') INTO f FROM pg_publication_tables WHERE pubname = 'credit_to_city' AND tablename = tab;
    RETURN QUERY EXECUTE format('SELECT %s::text FROM credit.%I WHERE %s ORDER BY 1',
                                CASE tab WHEN 'record' THEN 'decision_no' ELSE 'name' END, tab, f);
END $$;
SELECT results_eq($$SELECT * FROM pg_temp.passing('record')$$,
                  $$VALUES ('交换1号'::text), ('交换2号'), ('交换4号'), ('交换5号')$$,
                  'the city gets the 公开 and 授权查询 records, not the 部门共享 one');
SELECT results_eq($$SELECT * FROM pg_temp.passing('subject')$$,
                  $$VALUES ('交换测试一公司'::text), ('张三')$$,
                  'and natural persons (it receives more than 公开)');
CREATE FUNCTION pg_temp.event_scopes_passing() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE f text;
BEGIN
    SELECT rowfilter INTO f FROM pg_publication_tables WHERE pubname = 'credit_to_city' AND tablename = 'workflow_event';
    RETURN QUERY EXECUTE format('SELECT exchange_scope FROM (VALUES (''公开:X.GK''), (''部门共享:X.BM''), (''承诺:可向社会公开''),
                                 (''承诺:特定范围内公开''), (''承诺:不可公开''), (''本地'')) v(exchange_scope) WHERE %s ORDER BY 1', f);
END $$;
SELECT results_eq($$SELECT * FROM pg_temp.event_scopes_passing()$$,
                  $$VALUES ('公开:X.GK'::text), ('承诺:可向社会公开'), ('承诺:特定范围内公开')$$,
                  'events: of what the city receives, and of commitments 可向社会公开 and 特定范围内公开 (it receives 授权查询), never 不可公开');
SELECT lives_ok($$SELECT credit.set_peer('city', '某市公共信用信息平台', '市', 21, '发送', '{公开}', '{X.GK,X.SQ}')$$,
                'the city''s rules change: 公开 only, two items');
SET client_min_messages = error;
SELECT is(credit.create_publication('city'), 'credit_to_city'::name, 'its publication is rebuilt');
RESET client_min_messages;
SELECT results_eq($$SELECT * FROM pg_temp.passing('record')$$, $$VALUES ('交换1号'::text)$$,
                  'now only the 公开 record of an allowed item (not the 公开 one of X.GK2)');
SELECT results_eq($$SELECT * FROM pg_temp.passing('subject')$$, $$VALUES ('交换测试一公司'::text)$$,
                  'and no natural person');
SELECT results_eq($$SELECT * FROM pg_temp.passing('catalogue_item')$$, $$VALUES ('县公开信息'::text), ('县授权查询信息')$$,
                  'and only the allowed items of the catalogue');
SELECT results_eq($$SELECT * FROM pg_temp.event_scopes_passing()$$,
                  $$VALUES ('公开:X.GK'::text), ('承诺:可向社会公开')$$,
                  'and of commitments only the events of those 可向社会公开');

-- ------------------------------------------------------------------
-- Slot and subscription refusals
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT credit.create_exchange_slot('nowhere')$$, '55000', 'there is no publication for peer "nowhere"',
                 'no slot without the publication');
SELECT throws_ok($$SELECT credit.subscribe('city', 'host=/nonexistent dbname=x')$$, '08006', NULL,
                 'a subscription from a peer this platform sends to (its acknowledgements) is not refused: here it finds no server');
SELECT throws_ok($$SELECT credit.subscribe('nowhere', 'dbname=x')$$, '23503', 'unknown exchange peer "nowhere"',
                 'nor from an unknown peer');

-- ------------------------------------------------------------------
-- Acknowledgements (交换回执)
-- ------------------------------------------------------------------
-- Rows as the apply worker writes them: session_replication_role = replica,
-- where the ordinary triggers do not fire and only those enabled always do.
-- A repair of the city (an id of its range), then of this platform, then of
-- no range; no foreign key is checked in replica mode.
CREATE PROCEDURE pg_temp.arrives(id bigint, state text) LANGUAGE sql AS $$
    INSERT INTO credit.repair (repair_id, record_id, subject_id, department_id, obligations_performed, commitment, state)
    OVERRIDING SYSTEM VALUE
    SELECT id, r.record_id, r.subject_id, 2100005, true, '承诺', '已申请' FROM credit.record r WHERE r.decision_no = '交换1号';
    UPDATE credit.repair SET state = arrives.state WHERE repair_id = id;
$$;
SET session_replication_role = replica;
CALL pg_temp.arrives(2100000000000007, '已受理');
SELECT is((SELECT count(*)::integer FROM credit.exchange_ack), 0, 'a repair of the city arrives 已受理: nothing to acknowledge yet');
UPDATE credit.repair SET state = '已修复' WHERE repair_id = 2100000000000007;
CALL pg_temp.arrives(1100000000000009, '已修复');
CALL pg_temp.arrives(9, '已修复');
INSERT INTO credit.repair (repair_id, record_id, subject_id, department_id, obligations_performed, commitment, state)
OVERRIDING SYSTEM VALUE
SELECT 2100000000000008, r.record_id, r.subject_id, 2100005, true, '承诺', '已修复' FROM credit.record r WHERE r.decision_no = '交换1号';
RESET session_replication_role;
SELECT results_eq($$SELECT platform, repair_id FROM credit.exchange_ack ORDER BY repair_id$$,
                  $$VALUES ('county'::text, 2100000000000007::bigint), ('county', 2100000000000008)$$,
                  'the city''s repairs, once 已修复 (by an update or arriving so), are acknowledged by this platform; its own repair and one of no range are not');
SELECT throws_ok($$UPDATE credit.exchange_ack SET acknowledged_at = now()$$, '2F003', 'table credit.exchange_ack is append-only',
                 'an acknowledgement is never changed');
SELECT throws_ok($$DELETE FROM credit.exchange_ack$$, '2F003', 'table credit.exchange_ack is append-only', 'nor deleted');

-- on the repair's platform: this platform's repair 1100000000000009 was
-- sent to the city (an upper platform) and to a department whose code is
-- the same as a platform's
INSERT INTO credit.sync_target (target, name, kind, department_id) VALUES
    ('city', '某市公共信用信息平台', '上级平台', NULL),
    ('province', '某县某部门', '部门', 1100000);
INSERT INTO credit.sync_event (repair_id, target, queued_at) VALUES
    (1100000000000009, 'city', timestamptz '2026-09-30 09:00+08'),
    (1100000000000009, 'province', timestamptz '2026-09-30 09:00+08');
SELECT results_eq($$SELECT peer, object, object_id, sent_at, age > interval '1 day' FROM credit.exchange_pending$$,
                  $$VALUES ('city'::text, 'repair'::text, 1100000000000009::bigint, timestamptz '2026-09-30 09:00+08', true)$$,
                  'pending: the repair result sent to the upper platform, with its age (a department target is not of the exchange)');
SET session_replication_role = replica;
INSERT INTO credit.exchange_ack (platform, repair_id, acknowledged_at) VALUES
    ('city', 1100000000000009, timestamptz '2026-10-08 10:00+08'),
    ('province', 1100000000000009, timestamptz '2026-10-08 10:00+08');
RESET session_replication_role;
SELECT results_eq($$SELECT target, acknowledged_at, acknowledged_by::text COLLATE "default" FROM credit.sync_event ORDER BY target$$,
                  $$VALUES ('city'::text, timestamptz '2026-10-08 10:00+08', session_user::text COLLATE "default"),
                           ('province', NULL, NULL)$$,
                  'the city''s acknowledgement arrives: the sync event for the city is acknowledged, at the city''s time, by the applying role; the department''s is not');
SELECT is_empty($$SELECT * FROM credit.exchange_pending$$, 'nothing is pending any more');

SET ROLE regress_centre;
SELECT is((SELECT count(*)::integer FROM credit.exchange_ack), 4, 'the centre reads the acknowledgements');
SELECT is_empty($$SELECT * FROM credit.exchange_pending$$, 'and what is pending');
RESET ROLE;
SET ROLE regress_scjg;
SELECT throws_ok($$SELECT count(*) FROM credit.exchange_ack$$, '42501', NULL, 'a department does not read the acknowledgements');
SELECT throws_ok($$SELECT count(*) FROM credit.exchange_pending$$, '42501', NULL, 'nor what is pending');
RESET ROLE;

DROP PUBLICATION credit_to_city;
DROP PUBLICATION credit_to_province;
SELECT * FROM finish();

\i sql/include/tap_teardown.sql
