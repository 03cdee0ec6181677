-- Demo data: a small synthetic city, 金华市.
--
-- Read by scripts/demo.sql (\ir demo_data.sql) as superuser, in a database
-- where CREATE EXTENSION credit was done, in the throwaway cluster of
-- scripts/demo.sh.  Everything here is invented: the names, the codes (valid
-- by their check characters, registered to nobody), the decisions.
--
--   roles         demo_centre, one role per department (demo_scjg, demo_swj,
--                 demo_fy, demo_sthj, demo_rsj), demo_portal, demo_bank
--   departments   five 金华市 departments, each with its own code
--   catalogue     what each department supplies, with its default disclosure
--                 and the publicity periods of 国家发展改革委令第36号
--                 《信用修复管理办法》 (in force from 2026-04-01)
--   subjects      3000 企业法人, 300 个体工商户 and 500 自然人, created by the
--                 extension from the records the departments submit
--   records       about 8000 over the last two years, of every disclosure
--                 level; some penalties past their maximum publicity period;
--                 a few withdrawn, one corrected
--   lists         严重违法失信名单, 失信被执行人名单 and a red list
--   authorisations two, granted through the portal acting for the subject
--
-- Two subjects are the ones the tour looks at:
--   :demo_firm    金华市金鼎五金制品有限公司 (records at all three levels)
--   :demo_person  陈丽华, a natural person (never 公开)
-- Roles are cluster-wide; the demo cluster is thrown away afterwards.

\set demo_saved_echo :ECHO
\set ECHO none
\set QUIET on
\set demo_saved_stop :ON_ERROR_STOP
\set ON_ERROR_STOP on
SELECT clock_timestamp() AS demo_load_started \gset

-- ------------------------------------------------------------------
-- Roles
-- ------------------------------------------------------------------
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['demo_centre', 'demo_scjg', 'demo_swj', 'demo_fy', 'demo_sthj', 'demo_rsj',
                             'demo_portal', 'demo_bank'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;
SELECT credit.register_centre_role('demo_centre', '金华市公共信用信息中心') \gset demo_ignore_

-- ------------------------------------------------------------------
-- Reference data, maintained by the credit centre
-- ------------------------------------------------------------------
SET ROLE demo_centre;

INSERT INTO credit.department (code, name, uscc) VALUES
    ('SCJG', '金华市市场监督管理局',       credit.uscc_complete('11330700MB1950101')),
    ('SWJ',  '国家税务总局金华市税务局',   credit.uscc_complete('11330700MB1950102')),
    ('FY',   '金华市中级人民法院',         credit.uscc_complete('11330700MB1950103')),
    ('STHJ', '金华市生态环境局',           credit.uscc_complete('11330700MB1950104')),
    ('RSJ',  '金华市人力资源和社会保障局', credit.uscc_complete('11330700MB1950105'));

INSERT INTO credit.catalogue_item
        (item_code, name, category, polarity, default_disclosure, department_id, repairable,
         publicity_months, retention_years, legal_basis)
SELECT i.item_code, i.name, i.category::credit.catalogue_category, i.polarity::credit.polarity,
       i.disclosure::credit.disclosure_level, d.department_id, i.repairable, i.publicity_months, 5, i.legal_basis
  FROM (VALUES
    ('SCJG.XZCF', '市场监管行政处罚', '行政处罚', '失信', '公开', 'SCJG', true, NULL::integer,
     '《中华人民共和国行政处罚法》第四十八条; 双公示: 作出决定之日起7个工作日内公开'),
    ('SCJG.XZXK', '食品经营许可', '行政许可', '中性', '公开', 'SCJG', true, 36,
     '《中华人民共和国食品安全法》第三十五条; 双公示: 作出决定之日起7个工作日内公开'),
    ('SCJG.JYYC', '经营异常名录', '经营异常名录', '失信', '部门共享', 'SCJG', true, NULL,
     '《企业信息公示暂行条例》第十七条'),
    ('SWJ.XZCF', '税务行政处罚', '行政处罚', '失信', '公开', 'SWJ', true, NULL,
     '《中华人民共和国税收征收管理法》; 双公示: 作出决定之日起7个工作日内公开'),
    ('SWJ.QS', '欠税信息', '其他', '失信', '授权查询', 'SWJ', true, NULL,
     '《中华人民共和国税收征收管理法》第四十五条'),
    ('SWJ.NSXY', '纳税信用等级', '信用评价', '中性', '授权查询', 'SWJ', false, 12,
     '《纳税信用管理办法》'),
    ('FY.SXBZX', '失信被执行人', '失信被执行人', '失信', '公开', 'FY', true, NULL,
     '《最高人民法院关于公布失信被执行人名单信息的若干规定》(2017年修正)'),
    ('STHJ.XZCF', '生态环境行政处罚', '行政处罚', '失信', '公开', 'STHJ', true, NULL,
     '《中华人民共和国行政处罚法》第四十八条; 双公示: 作出决定之日起7个工作日内公开'),
    ('STHJ.PWXK', '排污许可', '行政许可', '中性', '公开', 'STHJ', true, 36,
     '《排污许可管理条例》; 双公示: 作出决定之日起7个工作日内公开'),
    ('RSJ.SBQF', '欠缴社会保险费', '其他', '失信', '部门共享', 'RSJ', true, NULL,
     '《中华人民共和国社会保险法》第八十六条')
  ) AS i(item_code, name, category, polarity, disclosure, department, repairable, publicity_months, legal_basis)
  JOIN credit.department d ON d.code = i.department;

-- 令第36号: 一般 at least 3 months, at most 1 year; 严重 at least 1 year, at
-- most 3 years; publicity stops by itself at the maximum.  The court list
-- follows the 2017 rules: 2 years, deleted early once the debt is paid.
INSERT INTO credit.catalogue_period (item_code, severity, min_months, max_months, rule_set) VALUES
    ('SCJG.XZCF', '一般', 3, 12, '令第36号'), ('SCJG.XZCF', '严重', 12, 36, '令第36号'),
    ('SCJG.JYYC', '一般', 3, 12, '令第36号'),
    ('SWJ.XZCF',  '一般', 3, 12, '令第36号'), ('SWJ.XZCF',  '严重', 12, 36, '令第36号'),
    ('SWJ.QS',    '一般', 3, 12, '令第36号'), ('SWJ.QS',    '严重', 12, 36, '令第36号'),
    ('FY.SXBZX',  '严重', 0, 24, '失信被执行人若干规定(2017修正)'),
    ('STHJ.XZCF', '一般', 3, 12, '令第36号'), ('STHJ.XZCF', '严重', 12, 36, '令第36号'),
    ('RSJ.SBQF',  '一般', 3, 12, '令第36号');

INSERT INTO credit.list_kind (list_kind, name, colour, serious, term_months, disclosure, department_id, legal_basis)
SELECT k.list_kind, k.name, k.colour, k.serious, k.term_months, k.disclosure::credit.disclosure_level, d.department_id, k.legal_basis
  FROM (VALUES
    ('YZSX',  '严重违法失信名单',   '黑', true,  36, '公开',     'SCJG', '《市场监督管理严重违法失信名单管理办法》(市场监管总局令第44号)'),
    ('SXBZX', '失信被执行人名单',   '黑', true,  24, '公开',     'FY',   '《最高人民法院关于公布失信被执行人名单信息的若干规定》(2017年修正)'),
    ('NSXYA', '纳税信用A级纳税人', '红', false, 12, '部门共享', 'SWJ',  '《纳税信用管理办法》')
  ) AS k(list_kind, name, colour, serious, term_months, disclosure, department, legal_basis)
  JOIN credit.department d ON d.code = k.department;
RESET ROLE;

-- The other parties (registering is the DBA's job).
SELECT credit.register_department_role('demo_scjg', 'SCJG'),
       credit.register_department_role('demo_swj', 'SWJ'),
       credit.register_department_role('demo_fy', 'FY'),
       credit.register_department_role('demo_sthj', 'STHJ'),
       credit.register_department_role('demo_rsj', 'RSJ'),
       credit.register_portal_role('demo_portal', '信用金华'),
       credit.register_agency_role('demo_bank', '金华示例银行股份有限公司',
                                   credit.uscc_complete('91330700MA2E0B001')) \gset demo_ignore_

-- ------------------------------------------------------------------
-- The population, in a scratch table the departments read from
--   n 1..3000     企业法人     91 + division + MA + 7 symbols
--   n 3001..3300  个体工商户   92 + division + MA + 7 symbols
--   n 3301..3800  自然人       33xxxx + birth date + sequence + MOD 11-2
-- n = 1 and n = 3301 are the tour's subjects and get hand-written records.
-- ------------------------------------------------------------------
-- 7 of the 31 code symbols (no I, O, Z, S, V) for x, most significant first
CREATE FUNCTION pg_temp.demo_b31(x bigint) RETURNS text LANGUAGE sql IMMUTABLE
RETURN (SELECT string_agg(substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                                 1 + ((x / (ARRAY[1, 31, 961, 29791, 923521, 28629151, 887503681]::bigint[])[j + 1]) % 31)::integer, 1),
                          '' ORDER BY j DESC)
          FROM generate_series(0, 6) AS j);

-- a 公民身份号码 for m (distinct m < 15000 give distinct numbers): a 金华
-- county, born 1962-2003, a sequence, and the GB 11643 MOD 11-2 check
CREATE FUNCTION pg_temp.demo_resident_id(m integer) RETURNS text LANGUAGE sql IMMUTABLE
RETURN (SELECT b || substr('10X98765432',
                           1 + (SELECT sum(substr(b, k, 1)::integer
                                           * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[k])
                                  FROM generate_series(1, 17) AS k)::integer % 11, 1)
          FROM (SELECT (ARRAY['330702', '330703', '330781', '330782', '330783', '330784', '330723', '330726', '330727'])[1 + m % 9]
                       || to_char(date '1962-01-01' + (m * 7919) % 15000, 'YYYYMMDD')
                       || lpad(((m * 37) % 1000)::text, 3, '0') AS b) AS s);

-- a name that goes with the sex digit of the number
CREATE FUNCTION pg_temp.demo_person_name(m integer, male boolean) RETURNS text LANGUAGE sql IMMUTABLE
RETURN (ARRAY['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '朱', '胡', '郭',
              '何', '金', '林', '楼', '郑', '蒋', '应', '傅', '施', '叶', '方', '吕', '俞', '童', '邵'])[1 + m % 30]
    || CASE WHEN male
            THEN (ARRAY['建国', '伟', '军', '强', '磊', '涛', '斌', '志明', '海峰', '国平', '立新', '晓东',
                        '俊杰', '宏伟', '建华', '永强', '文斌', '浩', '鹏', '超'])[1 + (m / 30) % 20]
            ELSE (ARRAY['丽萍', '秀英', '芳', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '雪梅',
                        '晓燕', '美玲', '红梅', '慧', '倩', '佳怡', '雅琴'])[1 + (m / 30) % 20] END;

CREATE TEMP TABLE demo_pool AS
WITH base AS (
    SELECT n,
           CASE WHEN n <= 3000 THEN '企业法人' WHEN n <= 3300 THEN '个体工商户' ELSE '自然人' END::credit.subject_kind AS kind,
           (n - 1) % 9 AS d,
           -- (9002 for 陈丽华: an even sequence digit, as for a woman)
           pg_temp.demo_resident_id(CASE WHEN n = 3301 THEN 9002 WHEN n > 3300 THEN n ELSE n + 5000 END) AS rid
      FROM generate_series(1, 3800) AS n
)
SELECT b.n, b.kind,
       CASE WHEN b.kind <> '自然人' THEN
           credit.uscc_complete(CASE b.kind WHEN '企业法人' THEN '91' ELSE '92' END
                                || (ARRAY['330702', '330703', '330781', '330782', '330783', '330784', '330723', '330726', '330727'])[1 + b.d]
                                || 'MA' || pg_temp.demo_b31((b.n::bigint * 1000003 + 424242) % 27512614111)) END AS uscc,
       CASE WHEN b.kind = '自然人' THEN b.rid::credit.resident_id END AS resident_id,
       CASE WHEN b.n = 1 THEN '金华市金鼎五金制品有限公司'
            WHEN b.n = 3301 THEN '陈丽华'
            WHEN b.kind = '企业法人' THEN
                (ARRAY['金华市', '金华市金东区', '兰溪市', '义乌市', '东阳市', '永康市', '武义县', '浦江县', '磐安县'])[1 + b.d]
                || (ARRAY['宏达', '兴业', '恒信', '金帆', '华立', '永盛', '新源', '博远', '瑞丰', '天成',
                          '鸿运', '聚丰', '德润', '中顺', '嘉禾', '长兴', '盛世', '万通', '佳和', '同创',
                          '信达', '荣昌', '富春', '明辉', '海川', '凯翔', '汇通', '锦程', '星河', '泰和',
                          '广源', '百川', '康宁', '安泰', '君悦', '立诚', '弘毅', '金越', '东升', '卓远'])[1 + ((b.n - 1) / 9) % 40]
                || (ARRAY['五金制品', '电子商务', '贸易', '食品', '建材', '物流', '纺织', '科技', '餐饮管理',
                          '家居用品', '工艺品', '汽车配件'])[1 + ((b.n - 1) / 360) % 12]
                || '有限公司'
            WHEN b.kind = '个体工商户' THEN
                (ARRAY['金华市婺城区', '金华市金东区', '兰溪市', '义乌市', '东阳市', '永康市', '武义县', '浦江县', '磐安县'])[1 + b.d]
                || pg_temp.demo_person_name(b.n + 5000, substr(b.rid, 17, 1)::integer % 2 = 1)
                || (ARRAY['便利店', '小吃店', '五金店', '理发店', '水果店', '副食品商店', '电器维修部'])[1 + b.n % 7]
            ELSE pg_temp.demo_person_name(b.n, substr(b.rid, 17, 1)::integer % 2 = 1) END AS name,
       CASE WHEN b.kind <> '自然人' THEN pg_temp.demo_person_name(b.n + 5000, substr(b.rid, 17, 1)::integer % 2 = 1) END AS legal_rep_name,
       CASE WHEN b.kind <> '自然人' THEN b.rid::credit.resident_id END AS legal_rep_id
  FROM base b;
CREATE UNIQUE INDEX ON demo_pool (n);
GRANT SELECT ON demo_pool TO demo_scjg, demo_swj, demo_fy, demo_sthj, demo_rsj;

-- What the penalties were for, by item.
CREATE TEMP TABLE demo_violation (item_code text, k integer, violation_type text, violation_facts text,
                                  penalty_basis text, penalty_category text, penalty_content text);
INSERT INTO demo_violation VALUES
    ('SCJG.XZCF', 0, '虚假宣传', '在经营场所及网店发布夸大产品功效的宣传内容', '《中华人民共和国广告法》第五十五条', '罚款', '责令停止发布违法广告，处以罚款'),
    ('SCJG.XZCF', 1, '销售不符合食品安全标准的食品', '监督抽检发现所销售食品菌落总数不符合食品安全国家标准', '《中华人民共和国食品安全法》第一百二十四条', '没收违法所得;罚款', '没收违法所得，处以罚款'),
    ('SCJG.XZCF', 2, '未按规定明码标价', '经营场所内商品未按规定标明价格', '《中华人民共和国价格法》第四十二条', '罚款', '责令改正，处以罚款'),
    ('SCJG.XZCF', 3, '销售侵犯注册商标专用权的商品', '销售侵犯他人注册商标专用权的箱包', '《中华人民共和国商标法》第六十条', '没收;罚款', '没收、销毁侵权商品，处以罚款'),
    ('SCJG.XZCF', 4, '未取得食品经营许可从事食品经营', '未取得食品经营许可销售预包装食品', '《中华人民共和国食品安全法》第一百二十二条', '没收违法所得;罚款', '没收违法所得和违法经营的食品，处以罚款'),
    ('SWJ.XZCF', 0, '未按照规定期限办理纳税申报', '未按期办理增值税纳税申报', '《中华人民共和国税收征收管理法》第六十二条', '罚款', '责令限期改正，处以罚款'),
    ('SWJ.XZCF', 1, '偷税', '通过隐匿销售收入少缴增值税', '《中华人民共和国税收征收管理法》第六十三条', '罚款', '追缴税款、滞纳金，并处少缴税款百分之五十的罚款'),
    ('SWJ.XZCF', 2, '未按照规定设置、保管账簿', '未按照规定保管记账凭证', '《中华人民共和国税收征收管理法》第六十条', '罚款', '责令限期改正，处以罚款'),
    ('STHJ.XZCF', 0, '超标排放水污染物', '在线监测数据显示化学需氧量超过排放标准', '《中华人民共和国水污染防治法》第八十三条', '罚款', '责令改正，处以罚款'),
    ('STHJ.XZCF', 1, '无证排污', '未取得排污许可证排放污染物', '《排污许可管理条例》第三十三条', '罚款', '责令改正，处以罚款'),
    ('STHJ.XZCF', 2, '未批先建', '建设项目环境影响报告表未经批准擅自开工建设', '《中华人民共和国环境影响评价法》第三十一条', '罚款', '责令停止建设，处以罚款');
GRANT SELECT ON demo_violation TO demo_scjg, demo_swj, demo_sthj;

-- ------------------------------------------------------------------
-- Records, submitted by each department as itself; the extension creates
-- the subjects from the codes.  Decision dates spread over two years.
-- ------------------------------------------------------------------
SET ROLE demo_scjg;
-- 食品经营许可 (公开; a natural person's 食品摊贩登记 is 部门共享)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
        legal_rep_name, legal_rep_id, disclosure, decision_no, decision_date, licence_doc_name,
        licence_category, licence_name, licence_no, valid_from, valid_until, licence_content,
        authority_name, authority_uscc)
SELECT 'SCJG.XZXK', p.kind, p.name, p.uscc, p.resident_id, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.kind = '自然人' THEN '部门共享' END::credit.disclosure_level,
       '金市监许〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       CASE WHEN p.kind = '自然人' THEN '食品摊贩登记决定书' ELSE '食品经营许可决定书' END, '普通',
       CASE WHEN p.kind = '自然人' THEN '食品摊贩登记证' ELSE '食品经营许可证' END,
       'JY1' || substr(coalesce(p.uscc::text, p.resident_id::text), CASE WHEN p.kind = '自然人' THEN 1 ELSE 3 END, 6)
             || lpad(p.n::text, 7, '0'),
       t.day, t.day + interval '5 years' - interval '1 day',
       (ARRAY['预包装食品销售(含冷藏冷冻食品)', '热食类食品制售', '散装食品销售', '自制饮品制售'])[1 + p.n % 4],
       d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 373 + 11) % 730 AS day) t
  JOIN credit.department d ON d.code = 'SCJG'
 WHERE p.n NOT IN (1, 3301)
   AND (p.kind = '个体工商户' OR (p.kind = '企业法人' AND p.n % 10 < 8) OR (p.kind = '自然人' AND p.n % 3 = 0))
 ORDER BY p.n;

-- 行政处罚 (公开; natural persons 部门共享); one in seven 严重
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
        legal_rep_name, legal_rep_id, disclosure, severity, decision_no, decision_date, violation_type,
        violation_facts, penalty_basis, penalty_category, penalty_content, fine_amount,
        authority_name, authority_uscc)
SELECT 'SCJG.XZCF', p.kind, p.name, p.uscc, p.resident_id, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.kind = '自然人' THEN '部门共享' END::credit.disclosure_level,
       CASE WHEN p.n % 7 = 0 THEN '严重' ELSE '一般' END::credit.severity,
       '金市监罚〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       v.violation_type, v.violation_facts, v.penalty_basis, v.penalty_category, v.penalty_content,
       (ARRAY[0.2, 0.5, 1, 2, 3, 5, 10])[1 + p.n % 7] * CASE WHEN p.n % 7 = 0 THEN 5 ELSE 1 END,
       d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 211 + 97) % 730 AS day) t
  JOIN demo_violation v ON v.item_code = 'SCJG.XZCF' AND v.k = p.n % 5
  JOIN credit.department d ON d.code = 'SCJG'
 WHERE p.n NOT IN (1, 3301)
   AND ((p.kind = '企业法人' AND p.n % 4 = 1) OR (p.kind = '个体工商户' AND p.n % 3 = 0)
        OR (p.kind = '自然人' AND p.n % 10 = 3))
 ORDER BY p.n;

-- 经营异常名录 (部门共享 by default)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        severity, decision_no, decision_date, violation_type, remarks, authority_name, authority_uscc)
SELECT 'SCJG.JYYC', p.kind, p.name, p.uscc, p.legal_rep_name, p.legal_rep_id, '一般',
       '金市监异〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       '未按规定期限公示年度报告', '列入经营异常名录', d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 157 + 41) % 730 AS day) t
  JOIN credit.department d ON d.code = 'SCJG'
 WHERE p.n <> 1 AND p.kind = '企业法人' AND p.n % 10 = 7
 ORDER BY p.n;
RESET ROLE;

SET ROLE demo_swj;
-- 税务行政处罚 (公开)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis,
        penalty_category, penalty_content, fine_amount, authority_name, authority_uscc)
SELECT 'SWJ.XZCF', p.kind, p.name, p.uscc, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.n % 3 = 1 AND p.n % 9 = 4 THEN '严重' ELSE '一般' END::credit.severity,
       '金税罚〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       v.violation_type, v.violation_facts, v.penalty_basis, v.penalty_category, v.penalty_content,
       (ARRAY[0.05, 0.1, 0.2, 1, 3, 8])[1 + p.n % 6], d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 293 + 5) % 730 AS day) t
  JOIN demo_violation v ON v.item_code = 'SWJ.XZCF' AND v.k = p.n % 3
  JOIN credit.department d ON d.code = 'SWJ'
 WHERE p.n <> 1 AND p.kind = '企业法人' AND p.n % 12 = 5
 ORDER BY p.n;

-- 欠税 (授权查询 by default; natural persons too)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
        legal_rep_name, legal_rep_id, severity, decision_no, decision_date, remarks, authority_name, authority_uscc)
SELECT 'SWJ.QS', p.kind, p.name, p.uscc, p.resident_id, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.n % 10 = 3 THEN '严重' ELSE '一般' END::credit.severity,
       '金税欠〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       (ARRAY['增值税', '企业所得税', '个人所得税', '房产税', '城镇土地使用税'])[1 + p.n % 5] || '欠税 '
           || ((p.n * 37) % 500 + 1) * CASE WHEN p.n % 10 = 3 THEN 100 ELSE 1 END || ' 万元',
       d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 419 + 23) % 730 AS day) t
  JOIN credit.department d ON d.code = 'SWJ'
 WHERE p.n NOT IN (1, 3301)
   AND ((p.kind = '企业法人' AND p.n % 8 = 3) OR (p.kind = '自然人' AND p.n % 3 = 1))
 ORDER BY p.n;

-- 纳税信用等级 (授权查询 by default): the yearly evaluation, published in April
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        decision_no, decision_date, remarks, authority_name, authority_uscc)
SELECT 'SWJ.NSXY', p.kind, p.name, p.uscc, p.legal_rep_name, p.legal_rep_id,
       '金税评〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       to_char(t.day, 'YYYY')::integer - 1 || '年度纳税信用级别: '
           || (ARRAY['A', 'B', 'B', 'B', 'M', 'B', 'A', 'C', 'B', 'M', 'D', 'B'])[1 + p.n % 12] || '级',
       d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (
      SELECT make_date(extract(year FROM current_date)::integer
                       - CASE WHEN current_date < make_date(extract(year FROM current_date)::integer, 4, 20) THEN 1 ELSE 0 END
                       - CASE WHEN p.n % 5 = 0 THEN 1 ELSE 0 END, 4, 20) AS day) t
  JOIN credit.department d ON d.code = 'SWJ'
 WHERE p.n <> 1 AND p.kind = '企业法人' AND (p.n % 2 = 0 OR p.n % 10 = 9)
 ORDER BY p.n;
RESET ROLE;

SET ROLE demo_fy;
-- 失信被执行人 (公开 for organisations; a natural person's is 授权查询 here)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
        legal_rep_name, legal_rep_id, disclosure, severity, decision_no, decision_date, violation_type,
        violation_facts, remarks, authority_name, authority_uscc)
SELECT 'FY.SXBZX', p.kind, p.name, p.uscc, p.resident_id, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.kind = '自然人' THEN '授权查询' END::credit.disclosure_level, '严重',
       '(' || to_char(t.day, 'YYYY') || ')浙07执' || lpad(p.n::text, 4, '0') || '号', t.day,
       '有履行能力而拒不履行生效法律文书确定义务',
       '生效法律文书确定的给付义务未履行, 未履行金额 ' || ((p.n * 53) % 300 + 5) || ' 万元',
       '执行依据: (' || (to_char(t.day, 'YYYY')::integer - 1) || ')浙07民初' || lpad(p.n::text, 4, '0') || '号',
       d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 331 + 61) % 700 AS day) t
  JOIN credit.department d ON d.code = 'FY'
 WHERE p.n NOT IN (1, 3301)
   AND ((p.kind = '企业法人' AND p.n % 50 = 11) OR (p.kind = '自然人' AND p.n % 3 = 2 AND p.n % 2 = 0))
 ORDER BY p.n;
RESET ROLE;

SET ROLE demo_sthj;
-- 生态环境行政处罚 (公开)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis,
        penalty_category, penalty_content, fine_amount, authority_name, authority_uscc)
SELECT 'STHJ.XZCF', p.kind, p.name, p.uscc, p.legal_rep_name, p.legal_rep_id,
       CASE WHEN p.n % 4 = 0 THEN '严重' ELSE '一般' END::credit.severity,
       '金环罚〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       v.violation_type, v.violation_facts, v.penalty_basis, v.penalty_category, v.penalty_content,
       (ARRAY[2, 5, 10, 20, 30, 50])[1 + p.n % 6], d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 389 + 3) % 730 AS day) t
  JOIN demo_violation v ON v.item_code = 'STHJ.XZCF' AND v.k = p.n % 3
  JOIN credit.department d ON d.code = 'STHJ'
 WHERE p.n <> 1 AND p.kind = '企业法人' AND p.n % 15 = 4
 ORDER BY p.n;

-- 排污许可 (公开); the number is the code and a sequence, as on the real ones
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        decision_no, decision_date, licence_doc_name, licence_category, licence_name, licence_no,
        valid_from, valid_until, licence_content, authority_name, authority_uscc)
SELECT 'STHJ.PWXK', p.kind, p.name, p.uscc, p.legal_rep_name, p.legal_rep_id,
       '金环许〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       '排污许可决定书', '普通', '排污许可证', p.uscc::text || '001P',
       t.day, t.day + interval '5 years' - interval '1 day',
       CASE WHEN p.n % 3 = 0 THEN '重点管理' ELSE '简化管理' END, d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 443 + 17) % 730 AS day) t
  JOIN credit.department d ON d.code = 'STHJ'
 WHERE p.n <> 1 AND p.kind = '企业法人' AND p.n % 10 = 2
 ORDER BY p.n;
RESET ROLE;

SET ROLE demo_rsj;
-- 欠缴社会保险费 (部门共享 by default)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, subject_resident_id,
        legal_rep_name, legal_rep_id, severity, decision_no, decision_date, remarks, authority_name, authority_uscc)
SELECT 'RSJ.SBQF', p.kind, p.name, p.uscc, p.resident_id, p.legal_rep_name, p.legal_rep_id, '一般',
       '金人社欠〔' || to_char(t.day, 'YYYY') || '〕' || lpad(p.n::text, 4, '0') || '号', t.day,
       '欠缴社会保险费 ' || (p.n % 11 + 2) || ' 个月', d.name, d.uscc
  FROM demo_pool p
  CROSS JOIN LATERAL (SELECT current_date - (p.n * 127 + 29) % 730 AS day) t
  JOIN credit.department d ON d.code = 'RSJ'
 WHERE p.n NOT IN (1, 3301)
   AND ((p.kind = '企业法人' AND p.n % 11 = 6) OR (p.kind = '自然人' AND p.n % 3 = 2 AND p.n % 2 = 1))
 ORDER BY p.n;
RESET ROLE;

-- ------------------------------------------------------------------
-- The tour's two subjects, by hand
-- ------------------------------------------------------------------
SELECT uscc AS demo_firm_uscc, name AS demo_firm_name, legal_rep_name AS demo_firm_rep, legal_rep_id AS demo_firm_rep_id
  FROM demo_pool WHERE n = 1 \gset
SELECT resident_id AS demo_person_id FROM demo_pool WHERE n = 3301 \gset

SET ROLE demo_scjg;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        decision_no, decision_date, licence_doc_name, licence_category, licence_name, licence_no,
        valid_from, valid_until, licence_content, authority_name, authority_uscc)
SELECT 'SCJG.XZXK', '企业法人', :'demo_firm_name', :'demo_firm_uscc', :'demo_firm_rep', :'demo_firm_rep_id',
       '金市监许〔' || to_char(current_date - 410, 'YYYY') || '〕9001号', current_date - 410,
       '食品经营许可决定书', '普通', '食品经营许可证', 'JY13307020000001', current_date - 410,
       current_date - 410 + interval '5 years' - interval '1 day', '预包装食品销售(含冷藏冷冻食品)', d.name, d.uscc
  FROM credit.department d WHERE d.code = 'SCJG';
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, legal_rep_name, legal_rep_id,
        severity, decision_no, decision_date, violation_type, violation_facts, penalty_basis,
        penalty_category, penalty_content, fine_amount, authority_name, authority_uscc)
SELECT 'SCJG.XZCF', '企业法人', :'demo_firm_name', :'demo_firm_uscc', :'demo_firm_rep', :'demo_firm_rep_id',
       '一般', x.decision_no, x.day, x.violation_type, x.violation_facts, x.penalty_basis, '罚款', x.penalty_content,
       x.fine, d.name, d.uscc
  FROM (VALUES
    -- past its 12-month maximum: no longer public
    ('金市监罚〔' || to_char(current_date - 520, 'YYYY') || '〕9001号', current_date - 520, '未按规定明码标价',
     '经营场所内五金商品未按规定标明价格', '《中华人民共和国价格法》第四十二条', '责令改正，处以罚款', 0.5),
    -- in its publicity period; corrected below
    ('金市监罚〔' || to_char(current_date - 60, 'YYYY') || '〕9002号', current_date - 60, '虚假宣传',
     '在网店页面宣称产品"永不生锈"', '《中华人民共和国广告法》第五十五条', '责令停止发布违法广告，处以罚款1万元', 1),
    -- withdrawn below
    ('金市监罚〔' || to_char(current_date - 200, 'YYYY') || '〕9003号', current_date - 200, '销售侵犯注册商标专用权的商品',
     '销售侵犯他人注册商标专用权的工具', '《中华人民共和国商标法》第六十条', '没收侵权商品，处以罚款', 2)
  ) AS x(decision_no, day, violation_type, violation_facts, penalty_basis, penalty_content, fine)
  JOIN credit.department d ON d.code = 'SCJG';
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no,
        decision_date, violation_type, remarks)
VALUES ('SCJG.JYYC', '企业法人', :'demo_firm_name', :'demo_firm_uscc', '一般',
        '金市监异〔' || to_char(current_date - 100, 'YYYY') || '〕9001号', current_date - 100,
        '通过登记的住所无法联系', '列入经营异常名录');
-- the person's 食品摊贩登记 (部门共享)
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure,
        decision_no, decision_date, licence_doc_name, licence_category, licence_name, licence_no,
        valid_from, valid_until, licence_content, authority_name)
VALUES ('SCJG.XZXK', '自然人', '陈丽华', :'demo_person_id', '部门共享',
        '金市监许〔' || to_char(current_date - 300, 'YYYY') || '〕9101号', current_date - 300,
        '食品摊贩登记决定书', '普通', '食品摊贩登记证', 'JY13307023301001', current_date - 300,
        current_date - 300 + interval '3 years', '热食类食品制售', '金华市市场监督管理局');
RESET ROLE;

SET ROLE demo_swj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, remarks)
VALUES ('SWJ.QS', '企业法人', :'demo_firm_name', :'demo_firm_uscc', '一般',
        '金税欠〔' || to_char(current_date - 30, 'YYYY') || '〕9001号', current_date - 30, '增值税欠税 12 万元');
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, decision_no, decision_date, remarks)
VALUES ('SWJ.NSXY', '企业法人', :'demo_firm_name', :'demo_firm_uscc',
        '金税评〔' || to_char(current_date - 200, 'YYYY') || '〕9001号', current_date - 200, '上年度纳税信用级别: B级');
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, severity, decision_no, decision_date, remarks)
VALUES ('SWJ.QS', '自然人', '陈丽华', :'demo_person_id', '一般',
        '金税欠〔' || to_char(current_date - 45, 'YYYY') || '〕9101号', current_date - 45, '个人所得税欠税 3 万元');
RESET ROLE;

SET ROLE demo_fy;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_resident_id, disclosure, severity,
        decision_no, decision_date, violation_type, violation_facts, remarks, authority_name)
VALUES ('FY.SXBZX', '自然人', '陈丽华', :'demo_person_id', '授权查询', '严重',
        '(' || to_char(current_date - 90, 'YYYY') || ')浙07执9101号', current_date - 90,
        '违反财产报告制度', '未按执行通知履行给付义务且未如实报告财产, 未履行金额 28 万元',
        '执行依据: 民事判决书', '金华市中级人民法院');
RESET ROLE;

SET ROLE demo_rsj;
INSERT INTO credit.record (item_code, subject_kind, subject_name, subject_uscc, severity, decision_no, decision_date, remarks)
VALUES ('RSJ.SBQF', '企业法人', :'demo_firm_name', :'demo_firm_uscc', '一般',
        '金人社欠〔' || to_char(current_date - 20, 'YYYY') || '〕9001号', current_date - 20, '欠缴社会保险费 4 个月');
RESET ROLE;

-- ------------------------------------------------------------------
-- Simulated history: the insert trigger stamps submitted_at with now(), as
-- it must.  To make the 双公示 timeliness view worth looking at, the demo
-- (superuser, triggers off for this one statement) dates each publication a
-- few working days after its decision, a few percent late, more so in some
-- departments.  No registered role can do this.
-- ------------------------------------------------------------------
SET session_replication_role = replica;
UPDATE credit.record r
   SET submitted_at = least(now(), credit.add_working_days(r.decision_date, w.days::integer) + time '10:00' + (r.record_id % 480) * interval '1 minute')
  FROM (SELECT record_id,
               CASE WHEN (record_id * 37) % 100 < 2 + 3 * department_id
                    THEN 8 + (record_id * 13) % (5 + 10 * department_id)
                    ELSE 1 + (record_id * 7) % 6 END AS days
          FROM credit.record) AS w
 WHERE w.record_id = r.record_id;
RESET session_replication_role;
-- The change log (0.2, docs/audit.md) sees those rows changed behind its
-- back, as it should: the DBA accepts them, with the reason, as after an
-- investigated incident.
DO $$
BEGIN
    IF pg_catalog.to_regprocedure('credit.chain_reanchor(text)') IS NOT NULL THEN
        EXECUTE $q$SELECT credit.chain_reanchor('演示数据: 模拟的历史公示时间 (demo data: simulated publication times)')$q$;
    END IF;
END
$$;

-- ------------------------------------------------------------------
-- Withdrawals and a correction, as the deciding department
-- ------------------------------------------------------------------
SET ROLE demo_scjg;
DO $withdraw$
DECLARE
    r record;
BEGIN
    -- 行政复议 annulled a few penalties
    FOR r IN SELECT record_id FROM credit.record
              WHERE item_code = 'SCJG.XZCF' AND state = '有效' AND subject_kind <> '自然人'
              ORDER BY record_id OFFSET 20 LIMIT 4 LOOP
        PERFORM credit.withdraw_record(r.record_id, '行政复议决定撤销原行政处罚决定');
    END LOOP;
    -- 经营异常名录: two entered in error
    FOR r IN SELECT record_id FROM credit.record
              WHERE item_code = 'SCJG.JYYC' AND state = '有效' ORDER BY record_id OFFSET 5 LIMIT 2 LOOP
        PERFORM credit.withdraw_record(r.record_id, '列入依据有误, 撤销列入决定');
    END LOOP;
    -- the tour's firm: one penalty withdrawn, one corrected
    PERFORM credit.withdraw_record(record_id, '行政诉讼判决撤销原行政处罚决定')
       FROM credit.record WHERE item_code = 'SCJG.XZCF' AND decision_no LIKE '金市监罚〔%〕9003号';
    PERFORM credit.correct_record(record_id, '罚款金额录入错误',
                                  '{"fine_amount": 1.5, "penalty_content": "责令停止发布违法广告，处以罚款1.5万元"}')
       FROM credit.record WHERE item_code = 'SCJG.XZCF' AND decision_no LIKE '金市监罚〔%〕9002号';
END
$withdraw$;
RESET ROLE;

SET ROLE demo_sthj;
DO $withdraw$
BEGIN
    PERFORM credit.withdraw_record(min(record_id), '处罚决定经复核变更, 原决定撤回')
       FROM credit.record WHERE item_code = 'STHJ.XZCF';
END
$withdraw$;
RESET ROLE;

-- ------------------------------------------------------------------
-- List entries, by the deciding department, each based on a record
-- ------------------------------------------------------------------
SET ROLE demo_scjg;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
SELECT 'YZSX', subject_id, record_id, '受到较重行政处罚且情节严重: ' || violation_type,
       least(current_date, decision_date + 30)
  FROM credit.record
 WHERE item_code = 'SCJG.XZCF' AND severity = '严重' AND state = '有效' AND subject_kind = '企业法人'
 ORDER BY record_id LIMIT 15;
RESET ROLE;

SET ROLE demo_fy;
-- 公开 from the list kind for organisations; a natural person's entry is 授权查询
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, disclosure, reasons, listed_on)
SELECT 'SXBZX', subject_id, record_id,
       CASE WHEN subject_kind = '自然人' THEN '授权查询' END::credit.disclosure_level,
       violation_type, decision_date
  FROM credit.record
 WHERE item_code = 'FY.SXBZX' AND state = '有效'
 ORDER BY record_id;
-- one debt paid: the court removes the entry (a transition of the list entry machine)
SELECT credit.transition('list_entry', (SELECT min(entry_id) FROM credit.list_entry WHERE list_kind = 'SXBZX'),
                         '已移出', '已全部履行生效法律文书确定的义务') \gset demo_ignore_
RESET ROLE;

SET ROLE demo_swj;
INSERT INTO credit.list_entry (list_kind, subject_id, basis_record_id, reasons, listed_on)
SELECT 'NSXYA', subject_id, record_id, '纳税信用级别为A级', decision_date
  FROM credit.record
 WHERE item_code = 'SWJ.NSXY' AND remarks LIKE '%A级' AND decision_date > current_date - 365
 ORDER BY record_id LIMIT 60;
RESET ROLE;

-- ------------------------------------------------------------------
-- Authorisations: the portal, acting for the subject it verified, records
-- what the subject grants
-- ------------------------------------------------------------------
SELECT subject_id AS demo_firm FROM credit.subject WHERE uscc OPERATOR(credit.=) :'demo_firm_uscc' \gset
SELECT subject_id AS demo_person FROM credit.subject WHERE resident_id OPERATOR(credit.=) :'demo_person_id' \gset

BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm) \gset demo_ignore_
INSERT INTO credit.authorisation (subject_id, grantee, purpose, proof, valid_until)
VALUES (:demo_firm, 'demo_bank', '流动资金贷款审批', '信用信息查询授权书 JDWJ-2026-001', now() + interval '90 days');
COMMIT;
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_person) \gset demo_ignore_
INSERT INTO credit.authorisation (subject_id, grantee, scope, purpose, proof, valid_until)
VALUES (:demo_person, 'demo_bank', '{失信被执行人}', '个人住房贷款审批', '个人信用信息查询授权书 CLH-2026-001',
        now() + interval '30 days');
COMMIT;
SELECT authorisation_id AS demo_firm_auth FROM credit.authorisation WHERE subject_id = :demo_firm \gset
SELECT authorisation_id AS demo_person_auth FROM credit.authorisation WHERE subject_id = :demo_person \gset

DROP TABLE demo_pool, demo_violation;
DROP FUNCTION pg_temp.demo_b31(bigint), pg_temp.demo_resident_id(integer), pg_temp.demo_person_name(integer, boolean);
ANALYZE credit.subject, credit.record, credit.list_entry, credit.authorisation;

SELECT (SELECT count(*) FROM credit.subject) AS demo_n_subjects,
       (SELECT count(*) FROM credit.record) AS demo_n_records,
       (SELECT count(*) FROM credit.list_entry) AS demo_n_entries,
       round(extract(epoch FROM clock_timestamp() - :'demo_load_started'::timestamptz)::numeric, 1) AS demo_load_seconds \gset
\echo 'demo data: ':demo_n_subjects' subjects, ':demo_n_records' records, ':demo_n_entries' list entries, loaded in ':demo_load_seconds' s'

\set demo_loaded 1
\set ON_ERROR_STOP :demo_saved_stop
\set ECHO :demo_saved_echo
