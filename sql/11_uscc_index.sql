-- credit.uscc in indexes, sorting, hashing, partitions and binary COPY.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

CREATE TABLE regress_subjects (id int, code uscc NOT NULL, code_text text COLLATE "C");
INSERT INTO regress_subjects
SELECT i, c, c::text
  FROM (SELECT i, uscc_complete((ARRAY['91', '92', '12', '51', '93'])[1 + i % 5]
                                || lpad(((i * 7919) % 1000000)::text, 6, '0')
                                || 'MA' || lpad(i::text, 6, '0') || '7') AS c
          FROM generate_series(1, 5000) AS i) s;
-- a few flagged values sort among the others
SET credit.uscc_lenient = on;
INSERT INTO regress_subjects VALUES (-1, '91350100M000100Y44', '91350100M000100Y44!'),
                                    (-2, 'B7320621MA1MRHG20G', 'B7320621MA1MRHG20G!');
RESET credit.uscc_lenient;
ANALYZE regress_subjects;

-- Sorting by uscc gives exactly the order of the canonical text in "C".
SELECT count(*) AS rows,
       bool_and(a.code_text = b.code_text) AS same_order
  FROM (SELECT code_text, row_number() OVER (ORDER BY code) AS n FROM regress_subjects) a
  JOIN (SELECT code_text, row_number() OVER (ORDER BY code_text) AS n FROM regress_subjects) b USING (n);
-- also through a big sort that uses abbreviated keys and through comparison operators
SET work_mem = '64kB';
SELECT bool_and(prev < code) AS strictly_ascending
  FROM (SELECT code, lag(code) OVER (ORDER BY code) AS prev FROM regress_subjects) s
 WHERE prev IS NOT NULL;
RESET work_mem;
SELECT '91350100M000100Y43'::uscc < '91350100M000100Y44!'::uscc AS lt,
       '91350100M000100Y43'::uscc <= '91350100M000100Y43'::uscc AS le,
       uscc_complete('92350100M000100Y4') > '91350100M000100Y44!'::uscc AS gt,
       '91350100M000100Y43'::uscc >= '91350100M000100Y43'::uscc AS ge,
       '91350100M000100Y43'::uscc <> '911522010783762860'::uscc AS ne,
       uscc_cmp('91350100M000100Y43', '911522010783762860') AS cmp;

-- A btree index is used for equality and ranges; it deduplicates.
CREATE INDEX regress_subjects_code ON regress_subjects (code);
SELECT indexrelid::regclass, (SELECT amname FROM pg_am WHERE oid = c.relam)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE indrelid = 'regress_subjects'::regclass;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM regress_subjects WHERE code = '91350100M000100Y44!';
SELECT id FROM regress_subjects WHERE code = '91350100M000100Y44!';
-- range bounds are codes too: uscc_complete builds the smallest code of a prefix
EXPLAIN (COSTS OFF) SELECT count(*) FROM regress_subjects
 WHERE code >= uscc_complete('91000000000000000') AND code < uscc_complete('92000000000000000');
EXPLAIN (COSTS OFF) SELECT code FROM regress_subjects ORDER BY code LIMIT 3;
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT count(*) FROM regress_subjects
 WHERE code >= uscc_complete('91000000000000000') AND code < uscc_complete('92000000000000000');
SELECT count(*) FROM regress_subjects WHERE code_text >= '91' AND code_text < '92';
-- deduplication is allowed (btequalimage)
CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public;
SELECT allequalimage FROM bt_metap('regress_subjects_code');

-- Unique constraint.
CREATE UNIQUE INDEX regress_subjects_code_uq ON regress_subjects (code);
INSERT INTO regress_subjects VALUES (0, '91350100m000100y43', NULL);
INSERT INTO regress_subjects VALUES (0, '９１３５０１００Ｍ０００１００Ｙ４３', NULL);
DROP INDEX regress_subjects_code_uq;

-- Hash index, hash join, hash aggregate.
CREATE INDEX regress_subjects_code_hash ON regress_subjects USING hash (code);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
DROP INDEX regress_subjects_code;
EXPLAIN (COSTS OFF) SELECT id FROM regress_subjects WHERE code = '91350100M000100Y44!';
SELECT id FROM regress_subjects WHERE code = '91350100M000100Y44!';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM regress_subjects a JOIN regress_subjects b USING (code);
SELECT count(*) FROM regress_subjects a JOIN regress_subjects b USING (code);
RESET enable_mergejoin;
RESET enable_nestloop;
SET enable_sort = off;
SELECT count(*) FROM (SELECT code FROM regress_subjects GROUP BY code) g;
RESET enable_sort;
-- The hash values are pinned: hash indexes and hash partitions store them,
-- so a change of the hash is a change of the on-disk format.  A flagged
-- (nonconforming) value hashes apart from the conforming code it differs
-- from by its check character only, and the seed changes the extended hash.
SELECT code, uscc_hash(code::uscc) AS hash, uscc_hash_extended(code::uscc, 0) AS ext0,
       uscc_hash_extended(code::uscc, 1) AS ext1
  FROM (VALUES ('91350100M000100Y43'), ('91350100M000100Y44!'), ('911101005JLR20JR60')) AS t(code);
SELECT uscc_hash('91350100M000100Y44!') <> uscc_hash('91350100M000100Y43') AS flagged_apart,
       uscc_hash_extended('91350100M000100Y43', 0) <> uscc_hash_extended('91350100M000100Y43', 1) AS seeded;

-- PARTITION BY HASH (code): rows go to partitions by the extended hash.
CREATE TABLE regress_parted (code uscc PRIMARY KEY, name text) PARTITION BY HASH (code);
CREATE TABLE regress_parted_0 PARTITION OF regress_parted FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE regress_parted_1 PARTITION OF regress_parted FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE regress_parted_2 PARTITION OF regress_parted FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE regress_parted_3 PARTITION OF regress_parted FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO regress_parted SELECT code, id::text FROM regress_subjects;
SELECT count(*) AS rows, count(DISTINCT tableoid) AS partitions_used,
       min(n) > 0 AS all_nonempty
  FROM regress_parted,
       LATERAL (SELECT count(*) AS n FROM regress_parted p2 WHERE p2.tableoid = regress_parted.tableoid) x;
-- partition pruning on equality
EXPLAIN (COSTS OFF) SELECT name FROM regress_parted WHERE code = '91350100M000100Y44!';
SELECT name FROM regress_parted WHERE code = '91350100M000100Y44!';
-- the same value always lands in the same partition
SELECT satisfies_hash_partition('regress_parted'::regclass, 4,
           (SELECT remainder FROM (VALUES (0), (1), (2), (3)) r(remainder)
             WHERE EXISTS (SELECT 1 FROM regress_parted WHERE code = '91350100M000100Y44!'
                             AND tableoid = ('regress_parted_' || remainder)::regclass)),
           '91350100M000100Y44!'::uscc) AS same_partition;
DROP TABLE regress_parted;

-- Binary COPY round trip (send/receive), flagged values included.
CREATE TEMP TABLE regress_bin (code uscc);
\copy (SELECT code FROM regress_subjects ORDER BY id) TO 'results/uscc.bin' WITH (FORMAT binary)
\copy regress_bin FROM 'results/uscc.bin' WITH (FORMAT binary)
SELECT count(*) AS copied,
       (SELECT count(*) FROM (SELECT code FROM regress_subjects EXCEPT ALL SELECT code FROM regress_bin) d) AS lost,
       (SELECT count(*) FROM regress_bin WHERE NOT uscc_is_valid(code)) AS flagged
  FROM regress_bin;
-- the binary form is the canonical text
SELECT uscc_send('91350100M000100Y43') AS sent, uscc_send('91350100M000100Y44!') AS sent_flagged;
-- receive validates again: a text column of bad codes copied in binary into uscc fails
CREATE TEMP TABLE regress_bad_text (code text);
INSERT INTO regress_bad_text VALUES ('91350100M000100Y44');
\copy regress_bad_text TO 'results/bad_uscc.bin' WITH (FORMAT binary)
\copy regress_bin FROM 'results/bad_uscc.bin' WITH (FORMAT binary)
SELECT count(*) AS still FROM regress_bin;
-- text COPY round trip
\copy regress_bin TO 'results/uscc.txt'
TRUNCATE regress_bin;
\copy regress_bin FROM 'results/uscc.txt'
SELECT count(*) AS copied_text, count(*) FILTER (WHERE NOT uscc_is_valid(code)) AS flagged FROM regress_bin;

-- Casts: text and varchar in, text out, all as assignment: never implicit.
CREATE TEMP TABLE regress_cast (code uscc);
INSERT INTO regress_cast SELECT '91350100m000100y43'::text;
INSERT INTO regress_cast SELECT '911522010783762860'::varchar;
SELECT code, code::text || '/x' AS concatenated, code::text LIKE '9135%' AS like_works,
       length(code::text), substr(code::text, 3, 6) AS division
  FROM regress_cast ORDER BY code;
SELECT 'not a code'::text::uscc;
-- a text column takes a code by assignment
CREATE TEMP TABLE regress_cast_text (t text);
INSERT INTO regress_cast_text SELECT code FROM regress_cast;
SELECT t FROM regress_cast_text ORDER BY t;
-- text operators and functions do not apply to a code without a cast
SELECT code FROM regress_cast WHERE code LIKE '9135%';
SELECT substr(code, 3, 6) FROM regress_cast;
SELECT code FROM regress_cast WHERE code = '91350100M000100Y43'::text;
-- the casts of the identifier types, from the catalogue: none is implicit
-- (an implicit cast to text lets "code = '...'" compare as text, with a
-- full scan, wherever credit's operators are not on the search path)
SELECT c.castsource::regtype AS source, c.casttarget::regtype AS target,
       CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'assignment' ELSE 'explicit' END AS context
  FROM pg_cast c
 WHERE c.castsource IN ('credit.uscc'::regtype, 'credit.resident_id'::regtype)
    OR c.casttarget IN ('credit.uscc'::regtype, 'credit.resident_id'::regtype)
 ORDER BY 1::text, 2::text;
-- Without credit on the search path, comparing a code with a literal is an
-- error, not a text comparison; OPERATOR(credit.=) uses the index.
SET search_path = pg_catalog, pg_temp;
SELECT id FROM credit.regress_subjects WHERE code = '91350100M000100Y43';
SELECT id FROM credit.regress_subjects WHERE code IN ('91350100M000100Y43', '911522010783762860');
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM credit.regress_subjects WHERE code OPERATOR(credit.=) '91350100M000100Y44!';
SELECT id FROM credit.regress_subjects WHERE code OPERATOR(credit.=) '91350100M000100Y44!';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET search_path = credit, public;

DROP TABLE regress_subjects;
