-- credit.resident_id: input, errors (never showing the number), accessors,
-- masking, indexes and binary I/O.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;
SET datestyle = ISO, YMD;

-- The GB 11643-1999 examples, and other ways of writing a number.
SELECT '11010519491231002X'::resident_id AS annex_a1,
       '440524188001010014'::resident_id AS annex_a2,
       '11010519491231002x'::resident_id AS lower_x,
       '110105 19491231 002X'::resident_id AS spaced,
       '110105-19491231-002X'::resident_id AS hyphens,
       '１１０１０５１９４９１２３１００２Ｘ'::resident_id AS full_width;
-- 15-digit numbers get "19" and a check character.
SELECT '150102880730303'::resident_id AS from_15,
       '110105491231002'::resident_id AS from_15_b;
-- residence permits of Hong Kong, Macao and Taiwan residents (81/82/83)
SELECT resident_id_is_valid('810000199408230021') AS hk, resident_id_is_valid('830000199201300022') AS tw;

-- Errors: the message never contains the number.
SELECT '11010519491231002'::resident_id;
SELECT '1101051949123100211'::resident_id;
SELECT '11010519491231002Y'::resident_id;
SELECT '1101051949123X002X'::resident_id;
SELECT '11010519491231002X0'::resident_id;
SELECT '11010549123100X'::resident_id;
SELECT '990426199112010074'::resident_id;
SELECT '360426199113010079'::resident_id;
SELECT '110105179912310023'::resident_id;
-- a date of birth in the future is not real (2098 is inside 1800-2099)
SELECT '110105209801010011'::resident_id;
SELECT '110105210001010028'::resident_id;
SELECT '110105190002290028'::resident_id;
SELECT '360198910283844'::resident_id;
SELECT '11010519491231001X'::resident_id;
SELECT ''::resident_id;
-- a leap day is a date
SELECT '110105200002290021'::resident_id AS leap_day;

SELECT code, resident_id_is_valid(code)
  FROM (VALUES ('11010519491231002X'), ('11010519491231002x'), ('11010519491231001X'),
               ('150102880730303'), ('990426199112010074'), ('x'), ('')) AS t(code);

-- Accessors.
SELECT r, resident_id_birth_date(r), resident_id_sex(r), resident_id_region(r), resident_id_mask(r)
  FROM (VALUES ('11010519491231002X'::resident_id), ('440524188001010014'::resident_id),
               ('150102880730303'::resident_id)) AS t(r);

-- Sorting, comparison, indexes, hashing, partitions.
CREATE TABLE regress_people (id int, rid resident_id NOT NULL, rid_text text COLLATE "C");
INSERT INTO regress_people
SELECT i, r, r::text
  FROM (SELECT i, (d17 || substr('10X98765432',
                     (SELECT sum(substr(d17, k::int, 1)::int * w) % 11
                        FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS x(w, k))::int + 1, 1))::resident_id AS r
          FROM (SELECT i, (ARRAY['110105', '440524', '330102', '810000'])[1 + i % 4]
                          || to_char(date '1950-01-01' + (i * 37) % 20000, 'YYYYMMDD')
                          || lpad((i % 1000)::text, 3, '0') AS d17
                  FROM generate_series(1, 3000) AS i) s) s2;
SELECT count(*) AS rows, bool_and(a.rid_text = b.rid_text) AS same_order
  FROM (SELECT rid_text, row_number() OVER (ORDER BY rid) AS n FROM regress_people) a
  JOIN (SELECT rid_text, row_number() OVER (ORDER BY rid_text) AS n FROM regress_people) b USING (n);
CREATE INDEX regress_people_rid ON regress_people (rid);
ANALYZE regress_people;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM regress_people WHERE rid = '11010519491231002X';
-- a code compared with a text value: an error, not a text comparison
SELECT count(*) FROM regress_people WHERE rid = rid_text;
-- without credit on the search path: an error, not a text comparison;
-- OPERATOR(credit.=) uses the index
SET search_path = pg_catalog, pg_temp;
SELECT id FROM credit.regress_people WHERE rid = '11010519491231002X';
EXPLAIN (COSTS OFF) SELECT id FROM credit.regress_people WHERE rid OPERATOR(credit.=) '11010519491231002X';
SET search_path = credit, public;
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT count(*) AS in_range,
       count(*) FILTER (WHERE rid_text BETWEEN '11010519491231002X' AND '440524188001010014') AS text_in_range
  FROM regress_people WHERE rid BETWEEN '11010519491231002X' AND '440524188001010014';
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) FROM regress_people a JOIN regress_people b USING (rid);
RESET enable_mergejoin;
RESET enable_nestloop;
CREATE TABLE regress_people_parted (rid resident_id PRIMARY KEY) PARTITION BY HASH (rid);
CREATE TABLE regress_people_parted_0 PARTITION OF regress_people_parted FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE regress_people_parted_1 PARTITION OF regress_people_parted FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO regress_people_parted SELECT DISTINCT rid FROM regress_people;
SELECT count(DISTINCT tableoid) AS partitions_used, count(*) = (SELECT count(DISTINCT rid) FROM regress_people) AS all_rows
  FROM regress_people_parted;
DROP TABLE regress_people_parted;

-- Binary and text COPY round trips.
CREATE TEMP TABLE regress_rid_bin (rid resident_id);
\copy (SELECT rid FROM regress_people) TO 'results/rid.bin' WITH (FORMAT binary)
\copy regress_rid_bin FROM 'results/rid.bin' WITH (FORMAT binary)
SELECT count(*) AS copied,
       (SELECT count(*) FROM (SELECT rid FROM regress_people EXCEPT ALL SELECT rid FROM regress_rid_bin) d) AS lost
  FROM regress_rid_bin;
SELECT resident_id_send('11010519491231002X') AS sent;
CREATE TEMP TABLE regress_rid_bad (t text);
INSERT INTO regress_rid_bad VALUES ('11010519491231001X');
\copy regress_rid_bad TO 'results/rid_bad.bin' WITH (FORMAT binary)
\copy regress_rid_bin FROM 'results/rid_bad.bin' WITH (FORMAT binary)
SELECT '15010288073030'::text::resident_id;
DROP TABLE regress_people;

-- Province 46 (海南) is one of the 41-46 range; 1900 was not a leap year.
SELECT resident_id_is_valid('460100199001011230') AS hainan,
       resident_id_is_valid('110105190002290025') AS feb_29_1900;
-- The date of birth may be today (in UTC+14, the easternmost zone) but not
-- tomorrow: numbers built for those days, with their MOD 11-2 check.
CREATE FUNCTION pg_temp.rid_born(d date) RETURNS text LANGUAGE sql
    RETURN (SELECT body || substr('10X98765432', (sum(substr(body, i, 1)::integer
                                    * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i]) % 11)::integer + 1, 1)
              FROM (SELECT '110105' || to_char(d, 'YYYYMMDD') || '002' AS body) b, generate_series(1, 17) AS i
             GROUP BY body);
SELECT resident_id_is_valid(pg_temp.rid_born((now() AT TIME ZONE INTERVAL '+14:00')::date)) AS born_today_utc14,
       resident_id_is_valid(pg_temp.rid_born((now() AT TIME ZONE INTERVAL '+14:00')::date + 1)) AS born_tomorrow_utc14;
