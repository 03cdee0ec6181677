-- credit.uscc input: normalisation, every error with its message, lenient
-- mode and the "!" marker.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

-- The GB 32100-2015 worked example, and the same code written other ways.
SELECT '91350100M000100Y43'::uscc;
SELECT '91350100m000100y43'::uscc AS lower_case,
       '９１３５０１００Ｍ０００１００Ｙ４３'::uscc AS full_width,
       ' 9135-0100-M000-100Y43 '::uscc AS separators,
       '9 1 110000 600037341L'::uscc AS spaces,
       E'91350100M000100Y43\r\n'::uscc AS line_ending,
       '91350100M000100Y43　'::uscc AS ideographic_space,
       '９１３５－０１００－Ｍ０００－１００Ｙ４３'::uscc AS full_width_hyphens;
SELECT '91350100m000100y43'::uscc = '91350100M000100Y43'::uscc AS folded_equal;

-- Length.
SELECT '91350100M000100Y4'::uscc;
SELECT '91350100M000100Y433'::uscc;
SELECT ''::uscc;
-- Symbols outside the alphabet; I, O, Z, S, V get a hint.
SELECT '91350100M000100YO3'::uscc;
SELECT '9135010OM000100Y43'::uscc;
SELECT '91350100M0001I0Y43'::uscc;
SELECT '91350100M000Z00Y43'::uscc;
-- ... also when written in lower case (folded first)
SELECT '91350100M000z00Y43'::uscc;
SELECT '91350100MS00100Y43'::uscc;
SELECT '91350100M000V00Y43'::uscc;
SELECT '91350100M000100Y4#'::uscc;
SELECT '913501金00M000100Y43'::uscc;
SELECT E'91350100M000100Y4\t\x01'::uscc;
-- Division code.
SELECT '91A50100M000100Y43'::uscc;
-- Unknown registration authority; category not allowed for the authority.
SELECT 'B7320621MA1MRHG20G'::uscc;
SELECT '94350100M000100Y43'::uscc;
SELECT '23350100M000100Y43'::uscc;
-- Wrong final check character: the detail names the expected one.
SELECT '91350100M000100Y44'::uscc;
SELECT '91110000600037341N'::uscc;

-- The embedded organisation-code check is never required.
SELECT '911101005JLR20JR60'::uscc AS accepted, uscc_org_code_is_valid('911101005JLR20JR60') AS org_check;

-- uscc_is_valid(text) never raises and ignores the lenient setting.
SELECT code, uscc_is_valid(code)
  FROM (VALUES ('91350100M000100Y43'), ('91350100m000100y43'), ('91350100M000100Y44'),
               ('91350100M000100Y44!'), ('B7320621MA1MRHG20G'), ('9111000060003IOZSV'),
               ('12345'), (''), ('91350100M000100Y43!')) AS t(code);
SELECT uscc_is_valid(NULL::text) IS NULL AS strict;

-- Lenient mode: a wrong check character or an unlisted authority/category
-- pair is accepted, flagged, shown with "!", and not valid.
SET credit.uscc_lenient = on;
SELECT '91350100M000100Y44'::uscc AS wrong_check,
       'B7320621MA1MRHG20G'::uscc AS unknown_authority,
       '94350100M000100Y43'::uscc AS unlisted_category,
       '91350100M000100Y43'::uscc AS conforming;
SELECT uscc_is_valid('91350100M000100Y44'::uscc) AS flagged_valid,
       uscc_is_valid('91350100M000100Y43'::uscc) AS conforming_valid;
-- Lenient mode does not accept what is broken in every mode.
SELECT '91350100M000100YO3'::uscc;
SELECT '91A50100M000100Y44'::uscc;
SELECT '91350100M000100Y4'::uscc;
RESET credit.uscc_lenient;

-- The "!" marker is accepted in strict mode too, so dump and restore of
-- flagged values works whatever the restoring session's setting.
SELECT '91350100M000100Y44!'::uscc AS marked, uscc_is_valid('91350100M000100Y44!'::uscc);
SELECT '91350100M000100Y43!'::uscc AS marked_but_conforming;
SELECT '91350100M000100Y44 ! '::uscc AS marker_with_spaces;
SELECT '91350100M000100Y4!4'::uscc;
SELECT '91350100M000100YO3!'::uscc;
-- Flagged and conforming values never collide.
SELECT '91350100M000100Y44!'::uscc = '91350100M000100Y43'::uscc AS same;

-- A rejected row leaves the table as it was.
CREATE TABLE regress_uscc_rows (code uscc PRIMARY KEY);
INSERT INTO regress_uscc_rows VALUES ('91350100M000100Y43');
INSERT INTO regress_uscc_rows VALUES ('911522010783762860'), ('91350100M000100Y44');
SELECT code FROM regress_uscc_rows ORDER BY code;
DROP TABLE regress_uscc_rows;

-- Every position of the division code (3-8) must be a digit, the last too.
SELECT '9135010AM000100Y43'::uscc;
