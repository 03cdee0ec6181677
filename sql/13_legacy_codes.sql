-- Legacy codes: 组织机构代码 (GB 11714) and 15-digit 工商注册号 (GS15-2006),
-- and the organisation code inside a uscc.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

-- Organisation codes, with and without the hyphen.
SELECT code, org_code_is_valid(code)
  FROM (VALUES ('M000100Y-4'), ('M000100Y4'), ('m000100y-4'), ('Ｍ０００１００Ｙ－４'),
               ('60003734-1'), ('60003734-2'), ('D2143569-X'), ('PDY00001-6'), ('PDY00001-X'), ('PDY00000-1'),
               ('z1234567-6'), ('Z1234567-6'),
               ('M000100Y'), ('M000100Y-44'), ('M00#100Y-4'), ('M000100Y-A'), ('')) AS t(code);
SELECT org_code('m000100y4') AS canonical, org_code(' 60003734 - 1 ') AS spaced;
SELECT org_code('M000100Y-5');
SELECT org_code('M000100Y');
SELECT org_code('M00#100Y-4');
SELECT org_code('M000100Y-A');
SELECT org_code('PDY00001-6');
SELECT org_code('PDY00001-X');
-- every check character, including X and 0, is computed right
SELECT body || '-' || ck AS code, org_code_is_valid(body || ck)
  FROM (VALUES ('D2143569', 'X'), ('00000000', '0'), ('12345678', '8'), ('ABCDEFGH', NULL)) AS t(body, ck)
 WHERE ck IS NOT NULL;

-- The organisation code inside a uscc is the derivation of the old code.
SELECT uscc_org_code('91350100M000100Y43'), org_code_is_valid(uscc_org_code('91350100M000100Y43'));
SELECT count(*) AS corpus_codes,
       count(*) FILTER (WHERE org_code_is_valid(uscc_org_code(code)) = uscc_org_code_is_valid(code)) AS agree
  FROM (VALUES ('91350100M000100Y43'::uscc), ('911101005JLR20JR60'::uscc),
               ('121200004013590816'::uscc), ('91310115MA1K3BTP2B'::uscc)) AS t(code);

-- 15-digit registration numbers.
SELECT code, registration_no_is_valid(code)
  FROM (VALUES ('110108000000016'), ('110108000000017'), ('310115600985535'), ('320483000067847'),
               ('1101080000000166'), ('11010800000001'), ('11010800000001A'), ('１１０１０８０００００００１６')) AS t(code);
SELECT registration_no(' 110108 000000016 ') AS canonical;
SELECT registration_no('110108000000017');
SELECT registration_no('11010800000001');
SELECT registration_no('11010800000001A');
-- the check digit of every 14-digit prefix is exactly one digit
SELECT count(*) AS prefixes, count(*) FILTER (WHERE n = 1) AS one_check_digit
  FROM (SELECT p, count(*) FILTER (WHERE registration_no_is_valid(p || d)) AS n
          FROM (SELECT lpad((i * 7777777)::text, 14, '0') AS p FROM generate_series(1, 200) AS i) s,
               generate_series(0, 9) AS d
         GROUP BY p) x;
