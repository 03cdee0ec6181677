-- A tour of credit: the identifier types and what they catch.
-- Run by scripts/demo.sh in a throwaway cluster; errors are part of the tour.
\pset pager off
\set ECHO queries
\set VERBOSITY default
SET client_min_messages = warning;

CREATE EXTENSION credit;
SET search_path = credit, public;

\echo
\echo '== 1. 统一社会信用代码: a column of type uscc =='
CREATE TABLE demo_org (code uscc PRIMARY KEY, name text NOT NULL);
-- sample data: 2000 synthetic organisations with valid codes
INSERT INTO demo_org
SELECT uscc_complete((ARRAY['91', '92', '93', '12', '51', '52'])[1 + i % 6]
                     || (ARRAY['330700', '330702', '330703', '330781', '330782'])[1 + i % 5]
                     || 'MA' || lpad(upper(to_hex((i * 2654435761) % 16777216)), 6, '0')
                     || (i % 10)::text),
       -- the same few names written in traditional or simplified characters,
       -- with full-width or ASCII brackets and stray spaces
       (ARRAY['金华市宏达贸易有限公司', '金華市宏達貿易有限公司', '义乌市兴业商贸有限公司',
              '義烏市興業商貿有限公司', '东阳市恒信木雕厂', '東陽市 恒信木雕廠'])[1 + i % 6]
       || CASE WHEN i % 4 < 2 THEN '（' || (i % 7) || '号店）' ELSE '(' || (i % 7) || '号店)' END
  FROM generate_series(1, 2000) AS i
ON CONFLICT DO NOTHING;
SELECT count(*) AS organisations FROM demo_org;

-- Input is forgiving about form: lower case, full width, spaces, hyphens.
SELECT '91350100m000100y43'::uscc AS lower_case,
       '９１３５０１００Ｍ０００１００Ｙ４３'::uscc AS full_width,
       '9135-0100-M000-100Y43'::uscc AS hyphens;

-- ... and strict about content: each error names the position and the fix.
SELECT '91350100M000100Y44'::uscc;
SELECT '91350100M0001O0Y43'::uscc;
SELECT '94350100M000100Y43'::uscc;

-- For data cleaning: explain a code part by part.
SELECT part, positions, value, meaning, ok, problem FROM uscc_explain('91350100M000100Y44');

-- Accessors.
SELECT code, uscc_authority_name(code), uscc_category_name(code), uscc_division(code), uscc_org_code(code)
  FROM demo_org ORDER BY code LIMIT 5;

-- Lenient mode accepts registered-but-nonconforming codes, flagged with "!".
SET credit.uscc_lenient = on;
SELECT '91350100M000100Y44'::uscc AS flagged, uscc_is_valid('91350100M000100Y44'::uscc) AS valid;
RESET credit.uscc_lenient;

-- The btree index is used; a uscc index is the size of a uuid index.
SELECT code AS some_code FROM demo_org ORDER BY code LIMIT 1 \gset
EXPLAIN (COSTS OFF) SELECT name FROM demo_org WHERE code = :'some_code';
SELECT pg_size_pretty(pg_relation_size('demo_org_pkey')) AS uscc_pkey_size;

\echo
\echo '== 2. 公民身份号码: a column of type resident_id =='
SELECT '11010519491231002x'::resident_id AS canonical,
       '150102880730303'::resident_id AS from_15_digits;
SELECT r AS number, resident_id_birth_date(r) AS born, resident_id_sex(r) AS sex,
       resident_id_region(r) AS region, resident_id_mask(r) AS shown_to_the_public
  FROM (VALUES ('11010519491231002X'::resident_id), ('440524188001010014'::resident_id)) AS t(r);
-- errors never repeat the number
SELECT '11010519491231001X'::resident_id;

\echo
\echo '== 3. Legacy codes =='
SELECT org_code('m000100y4') AS org_code, org_code_is_valid('M000100Y-5') AS wrong_check_valid,
       registration_no_is_valid('110108000000016') AS regno_valid,
       uscc_org_code('91350100M000100Y43') AS embedded_org_code;

\echo
\echo '== 4. Names: one key for the variants of a name =='
SELECT name, normalize_name(name) AS key
  FROM (VALUES ('金華市宏達貿易有限公司（1號店）'), ('金华市宏达贸易有限公司(1号店)'),
               ('金华市 宏达贸易有限公司【1号店】'), ('ＡＢＣ科技有限公司'), ('abc 科技有限公司')) AS t(name);
SELECT normalize_name(name) AS key, count(*) AS variants
  FROM demo_org GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
