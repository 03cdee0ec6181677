-- credit.normalize_name: the matching key of a name (ICU: NFKC, white space
-- and invisible characters removed, Latin upper-cased, brackets folded to (),
-- Traditional -> Simplified).  Keys are mostly compared with = so that the
-- expected output does not depend on details of the ICU data version.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;

-- Declared IMMUTABLE (like an ICU collation: the key depends on the ICU
-- data, which changes only with an ICU upgrade), STRICT, PARALLEL SAFE, not
-- LEAKPROOF; so it can be indexed in a user's table.
SELECT provolatile, proisstrict, proparallel, proleakproof,
       prorettype::regtype, proargtypes::regtype[]
  FROM pg_proc
 WHERE oid = 'credit.normalize_name(text)'::regprocedure;
SELECT obj_description('credit.normalize_name(text)'::regprocedure, 'pg_proc') LIKE '名称规范化键%IMMUTABLE%ICU%REINDEX%' AS documented;
CREATE TEMP TABLE regress_names (name text);
INSERT INTO regress_names VALUES ('金華市宏達貿易有限公司'), ('金华市兴业商贸有限公司');
CREATE INDEX regress_names_key ON regress_names (credit.normalize_name(name));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT name FROM regress_names WHERE credit.normalize_name(name) = credit.normalize_name('金华市 宏达贸易有限公司');
SELECT name FROM regress_names WHERE credit.normalize_name(name) = credit.normalize_name('金华市 宏达贸易有限公司');
RESET enable_seqscan;
-- the ICU it computes with, for the DBA to compare after an upgrade
SELECT credit.normalize_name_version() ~ '^ICU [0-9]+(\.[0-9]+)+, Unicode [0-9]+(\.[0-9]+)+$' AS version_named,
       (SELECT provolatile FROM pg_proc WHERE oid = 'credit.normalize_name_version()'::regprocedure) AS version_volatility;

-- Traditional and Simplified spellings of one city give one key.
SELECT credit.normalize_name('金華市') AS traditional,
       credit.normalize_name('金华市') AS simplified,
       credit.normalize_name('金華市') = credit.normalize_name('金华市') AS same_key;

-- Some single foldings.
SELECT input, credit.normalize_name(input) AS key
  FROM (VALUES ('貿易'), ('東方'), ('廣東發展'),
               ('（北京）'), ('【上海】'), ('〔2023〕'), ('［a］｛b｝'),
               ('ＡＢＣ'), ('abc'), ('Ｘｙｚ 123'),
               ('a b　c'), ('ß'), ('㈱'),
               ('！，：；？'), ('《读者》'), ('A-B&C')) AS t(input);

-- Variants of one organisation's name fold to one key: full-width and
-- half-width brackets, 【】 instead of （）, spaces, ideographic spaces,
-- tabs and non-breaking spaces inside, Traditional characters, full-width and
-- lower- or mixed-case Latin.
CREATE TEMP TABLE name_variants (variant text);
INSERT INTO name_variants VALUES
    ('金华市东方贸易有限公司'),
    ('金華市東方貿易有限公司'),
    ('金华市 东方贸易 有限公司'),
    ('金华市　东方贸易　有限公司'),
    (E'金華市\t東方貿易\n有限公司'),
    (E' 金华市东方贸易有限公司\u00a0'),
    (E'金华市东方\u200b贸易有限公司');
SELECT count(*) AS variants,
       count(DISTINCT credit.normalize_name(variant)) AS keys,
       min(credit.normalize_name(variant)) AS key
  FROM name_variants;

CREATE TEMP TABLE bracket_variants (variant text);
INSERT INTO bracket_variants VALUES
    ('ABC科技（金华）有限公司'),
    ('ABC科技(金华)有限公司'),
    ('ＡＢＣ科技（金華）有限公司'),
    ('abc科技【金华】有限公司'),
    ('Abc 科技 (金華) 有限公司'),
    ('aBc科技〔金华〕有限公司'),
    ('ａｂｃ科技[金华]有限公司'),
    ('ABC科技﹙金华﹚有限公司');
SELECT count(*) AS variants,
       count(DISTINCT credit.normalize_name(variant)) AS keys,
       min(credit.normalize_name(variant)) AS key
  FROM bracket_variants;
SELECT variant
  FROM bracket_variants
 WHERE credit.normalize_name(variant) <> credit.normalize_name('ABC科技(金华)有限公司');

-- Different organisations keep different keys.
SELECT credit.normalize_name('金华市东方贸易有限公司') = credit.normalize_name('金华市西方贸易有限公司') AS east_is_west,
       credit.normalize_name('ABC科技有限公司') = credit.normalize_name('ABD科技有限公司') AS abc_is_abd,
       credit.normalize_name('《读者》杂志社') = credit.normalize_name('(读者)杂志社') AS title_marks_are_brackets;

-- The key is a fixpoint: normalising it again changes nothing.
SELECT bool_and(credit.normalize_name(credit.normalize_name(variant)) = credit.normalize_name(variant)) AS idempotent
  FROM (SELECT variant FROM name_variants
        UNION ALL SELECT variant FROM bracket_variants
        UNION ALL VALUES ('苧麻'), ('苎麻'), ('Straße'), ('ﬁ ①㈱')) AS t(variant);

-- NULL in, NULL out; empty in, empty out; only white space gives empty.
SELECT credit.normalize_name(NULL) IS NULL AS null_is_null,
       credit.normalize_name('') = '' AS empty_is_empty,
       credit.normalize_name(E' \t\n\u3000\u00a0') = '' AS blank_is_empty;

-- Any length: 10000 characters in, 10000 out, every 華 become 华.
SELECT length(k) AS length, k = repeat('金华', 5000) AS folded
  FROM (SELECT credit.normalize_name(repeat('金華', 5000)) AS k) AS t;
-- Text that grows: ㈱ becomes (株), ß becomes SS.
SELECT credit.normalize_name(repeat('㈱ß', 3000)) = repeat('(株)SS', 3000) AS grown;
-- Long text goes to ICU in pieces, cut before ASCII or full-width
-- characters, which gives the same key as one piece: 乾坤 stays whole
-- (Traditional-Simplified keeps 乾 in 乾坤 but makes a lone 乾 into 干).
SELECT length(k) AS length, k = repeat('乾坤A(金华)干', 20000) AS same
  FROM (SELECT credit.normalize_name(repeat('乾坤a （金華） 乾', 20000)) AS k) AS t;
SELECT length(credit.normalize_name(repeat('ａ ', 100000))) AS length,
       length(credit.normalize_name(repeat(' ', 100000))) AS blank_length;

-- Several calls in one statement.
SELECT string_agg(credit.normalize_name(v), '|' ORDER BY v) AS keys
  FROM (VALUES ('華'), ('华'), ('a'), ('A')) AS t(v);

-- The fast path for the usual name gives the same key as ICU
-- (normalize_name_icu): every ideograph alone, doubled, across a space and
-- next to another, next to a traditional one (華) and to characters of
-- phrases the transform converts as a whole (計畫 → 计划, but 畫 alone → 画);
-- ASCII and full-width forms; and the phrases of kept ideographs that the
-- Traditional-Simplified transform changes (沈沈 → 沉沉, also when white
-- space stood between them).
SELECT count(*) AS fast_path_disagrees
  FROM generate_series(x'4E00'::int, x'9FFF'::int) c,
       LATERAL (VALUES (chr(c)), (chr(c) || chr(c)), (chr(c) || ' ' || chr(c)), ('中' || chr(c)),
                       (chr(c) || '有限公司（分公司）'), ('a' || chr(c) || '【b】 '),
                       ('華' || chr(c)), (chr(c) || '華'), (chr(c) || '畫'), ('計' || chr(c))) AS v(t)
 WHERE credit.normalize_name(t) IS DISTINCT FROM credit.normalize_name_icu(t);
SELECT count(*) AS fast_path_disagrees_ascii
  FROM generate_series(1, 127) c, LATERAL (VALUES (chr(c) || 'x' || chr(c)), ('中' || chr(c) || '文')) AS v(t)
 WHERE credit.normalize_name(t) IS DISTINCT FROM credit.normalize_name_icu(t);
SELECT count(*) AS fast_path_disagrees_fullwidth
  FROM generate_series(x'FF01'::int, x'FF5E'::int) c, LATERAL (VALUES (chr(c) || '中'), ('ａ' || chr(c))) AS v(t)
 WHERE credit.normalize_name(t) IS DISTINCT FROM credit.normalize_name_icu(t);
SELECT t, credit.normalize_name(t) AS key
  FROM (VALUES ('沈沈'), ('沈 沈'), ('石沈大海'), ('沈阳市'), ('金华市兴业商贸1有限公司'), ('ｊｉｎｈｕａ　[中国]')) AS v(t);
-- ASCII control white space (tab, newline) and invisible characters (zero
-- width space U+200B, zero width joiner U+200D) are not part of the key.
SELECT credit.normalize_name(E'中国\t银行\n') = credit.normalize_name('中国银行') AS ascii_white_space,
       credit.normalize_name(E'中国\u200B银行\u200D') = credit.normalize_name('中国银行') AS invisible;

-- Traditional names take the fast path too (each traditional ideograph's
-- key cached from ICU's single-character mapping), and their keys are those
-- of the simplified spelling; phrases that the transform converts as a
-- whole (計畫 → 计划, 乾坤 stays while 乾 alone → 干) still go through ICU.
SELECT t, credit.normalize_name(t) = credit.normalize_name(s) AS same_key,
       credit.normalize_name(t) = credit.normalize_name_icu(t) AS same_as_icu
  FROM (VALUES ('金華市宏達貿易有限公司', '金华市宏达贸易有限公司'),
               ('廣東發展銀行股份有限公司', '广东发展银行股份有限公司'),
               ('東莞市長安鎮電器廠', '东莞市长安镇电器厂'),
               ('金華市123號貿易有限公司（分公司）', '金华市123号贸易有限公司(分公司)'),
               ('臺灣積體電路製造股份有限公司', '台湾积体电路制造股份有限公司'),
               ('義烏市國際商貿城經營戶', '义乌市国际商贸城经营户'),
               ('北京市計畫委員會', '北京市计划委员会'),
               ('計 畫', '计划'),
               ('乾坤貿易有限公司', '乾坤贸易有限公司')) AS v(t, s);
SELECT count(*) AS fast_path_disagrees_phrases
  FROM (VALUES ('計畫'), ('計 畫'), ('規畫局'), ('金華計畫'), ('畫分'), ('畫家'), ('沈沈'), ('石沈大海'),
               ('甚麼'), ('幹甚麼'), ('乾坤'), ('乾燥'), ('內裡'), ('宮商角徵羽'), ('宫商角徵羽'), ('苧麻'), ('苎麻')) AS v(t)
 WHERE credit.normalize_name(t) IS DISTINCT FROM credit.normalize_name_icu(t);
