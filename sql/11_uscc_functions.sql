-- credit.uscc functions: completion, accessors, explain, the category table.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

-- uscc_complete appends the right check character.
SELECT uscc_complete('91350100M000100Y4') AS completed,
       uscc_complete('9135 0100 m000 100y4') AS normalised,
       uscc_complete('91110000600037341') AS stdnum_example;
SELECT uscc_complete('91350100M000100Y43');
SELECT uscc_complete('91350100M000100');
SELECT uscc_complete('91350100M000100O4');
SELECT uscc_complete('94350100M000100Y4');
SET credit.uscc_lenient = on;
SELECT uscc_complete('94350100M000100Y4') AS lenient_completed;
RESET credit.uscc_lenient;
-- every check character value is reachable and round-trips through input
SELECT count(DISTINCT right(c::text, 1)) AS distinct_check_chars,
       bool_and(uscc_is_valid(c::text)) AS all_valid
  FROM (SELECT uscc_complete('91350100M0001' || lpad(i::text, 4, '0')) AS c
          FROM generate_series(0, 999) AS i) s;

-- Accessors.
SELECT uscc_authority(c), uscc_authority_name(c), uscc_category(c), uscc_category_name(c),
       uscc_division(c), uscc_org_code(c), uscc_org_code_is_valid(c)
  FROM (VALUES ('91350100M000100Y43'::uscc), ('121200004013590816'::uscc),
               ('515304277380580309'::uscc), ('52500231784224028J'::uscc),
               ('81532901683659057H'::uscc), ('92340602MA2PBQAH7E'::uscc),
               ('A1320621MA1MRHG217'::uscc), ('911101005JLR20JR60'::uscc),
               ('99140000MA0H3NJ88E'::uscc)) AS t(c);
-- accessors of a flagged value: names are NULL where the table has none
SELECT uscc_authority(c), uscc_authority_name(c), uscc_category(c), uscc_category_name(c)
  FROM (VALUES ('B7320621MA1MRHG20G!'::uscc), ('94350100M000100Y43!'::uscc)) AS t(c);

-- The embedded organisation-code check works in a CHECK constraint.
CREATE TABLE regress_org_checked (code uscc CHECK (uscc_org_code_is_valid(code)));
INSERT INTO regress_org_checked VALUES ('91350100M000100Y43');
INSERT INTO regress_org_checked VALUES ('911101005JLR20JR60');
SELECT count(*) FROM regress_org_checked;
DROP TABLE regress_org_checked;

-- A CHECK on uscc_is_valid keeps flagged values out even in lenient mode.
CREATE TABLE regress_strict (code uscc CHECK (uscc_is_valid(code)));
SET credit.uscc_lenient = on;
INSERT INTO regress_strict VALUES ('91350100M000100Y44');
RESET credit.uscc_lenient;
SELECT count(*) FROM regress_strict;
DROP TABLE regress_strict;

-- uscc_explain: one row per part; never raises.
SELECT * FROM uscc_explain('91350100M000100Y43');
SELECT * FROM uscc_explain('911101005JLR20JR60');
SELECT * FROM uscc_explain('B7320621MA1MRHG20G');
SELECT * FROM uscc_explain('94A50100M000100Y44');
SELECT * FROM uscc_explain('91350100M000100Y4');
SELECT * FROM uscc_explain('9111000060003IOZSV');
SELECT part, ok FROM uscc_explain('９１３５０１００Ｍ０００１００Ｙ４３');

-- The authority/category table, as data.
SELECT * FROM uscc_categories() ORDER BY authority, category;
-- every listed pair is accepted; others are not
SELECT count(*) AS pairs,
       bool_and(uscc_is_valid(uscc_complete(authority || category || '350100M000100Y4')::text)) AS all_accepted
  FROM uscc_categories();
-- Over the whole 31 x 31 grid, the parser accepts exactly the pairs of GB
-- 32100-2015 表 1 (docs/identifiers.md, docs/sources.md §1.1), written here
-- as literals, not read from uscc_categories() (the table the parser uses):
-- each code gets its right check character (uscc_complete, lenient so that
-- unlisted pairs get one too), then uscc_is_valid judges it, strictly.
CREATE FUNCTION pg_temp.uscc_error(code text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM code::credit.uscc;
    RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN SQLERRM;
END $$;
SET credit.uscc_lenient = on;
CREATE TEMP TABLE grid AS
SELECT a, c, rtrim(uscc_complete(a || c || '350100M000100Y4')::text, '!') AS code
  FROM unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) AS a,
       unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) AS c;
RESET credit.uscc_lenient;
-- the pairs where the parser and the standard disagree: none
SELECT a || c AS pair, uscc_is_valid(code) AS accepted
  FROM grid
 WHERE uscc_is_valid(code) <> (a || c = ANY ('{11,12,13,19,21,29,31,32,33,34,35,39,41,49,51,52,53,59,61,62,69,
                                             71,72,79,81,89,91,92,93,99,A1,A9,N1,N2,N3,N9,Y1}'::text[]))
 ORDER BY 1;
-- and how they are refused: an unknown authority, or a category its authority does not use
SELECT count(*) FILTER (WHERE NOT uscc_is_valid(code)) AS refused,
       count(*) FILTER (WHERE pg_temp.uscc_error(code) LIKE
                              'unknown registration authority in uscc:%') AS unknown_authority,
       count(*) FILTER (WHERE pg_temp.uscc_error(code) LIKE
                              'organisation category not allowed for its registration authority in uscc:%') AS category_not_used
  FROM grid;
