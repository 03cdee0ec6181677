-- The install script, part 12: layer 1, identifiers: the resident_id type
-- 公民身份号码 (GB 11643-1999).  C code: extension/resident_id.c.
--
-- Stored as the first 17 digits in an int8 (passed by value); numeric order
-- is canonical text order, so comparison, hashing and sort support are the
-- core int8 functions.

CREATE TYPE credit.resident_id;

-- Input refuses a date of birth after today, so it is STABLE, not IMMUTABLE.
CREATE FUNCTION credit.resident_id_in(cstring) RETURNS credit.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_out(credit.resident_id) RETURNS cstring
    AS 'MODULE_PATHNAME', 'resident_id_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_recv(internal) RETURNS credit.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_send(credit.resident_id) RETURNS bytea
    AS 'MODULE_PATHNAME', 'resident_id_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE credit.resident_id (
    INPUT = credit.resident_id_in,
    OUTPUT = credit.resident_id_out,
    RECEIVE = credit.resident_id_recv,
    SEND = credit.resident_id_send,
    INTERNALLENGTH = 8,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain,
    CATEGORY = 'S'
);

COMMENT ON TYPE credit.resident_id IS '公民身份号码 (resident identity number, GB 11643-1999): 18 characters with the MOD 11-2 check, province-level prefix (81/82/83 residence permits included) and a real date of birth (1800-2099, not in the future); 15-digit numbers are converted to 18; personal data, error messages never show it';
COMMENT ON FUNCTION credit.resident_id_in(cstring) IS '公民身份号码输入 (resident_id input): drops spaces and hyphens, accepts "x", converts 15-digit numbers';
COMMENT ON FUNCTION credit.resident_id_out(credit.resident_id) IS '公民身份号码输出 (resident_id output): the canonical 18 characters';
COMMENT ON FUNCTION credit.resident_id_recv(internal) IS '公民身份号码二进制输入 (resident_id binary input): the text form, validated again';
COMMENT ON FUNCTION credit.resident_id_send(credit.resident_id) IS '公民身份号码二进制输出 (resident_id binary output): the canonical text form';

-- The core int8 functions, applied to the int8 representation.
CREATE FUNCTION credit.resident_id_eq(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_ne(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_lt(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_le(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_gt(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_ge(credit.resident_id, credit.resident_id) RETURNS boolean
    AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_cmp(credit.resident_id, credit.resident_id) RETURNS integer
    AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_sortsupport(internal) RETURNS void
    AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.resident_id_hash(credit.resident_id) RETURNS integer
    AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.resident_id_hash_extended(credit.resident_id, bigint) RETURNS bigint
    AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION credit.resident_id_eq(credit.resident_id, credit.resident_id) IS '公民身份号码相等 (resident_id equality)';
COMMENT ON FUNCTION credit.resident_id_ne(credit.resident_id, credit.resident_id) IS '公民身份号码不等 (resident_id inequality)';
COMMENT ON FUNCTION credit.resident_id_lt(credit.resident_id, credit.resident_id) IS '公民身份号码小于 (resident_id less than)';
COMMENT ON FUNCTION credit.resident_id_le(credit.resident_id, credit.resident_id) IS '公民身份号码小于等于 (resident_id less or equal)';
COMMENT ON FUNCTION credit.resident_id_gt(credit.resident_id, credit.resident_id) IS '公民身份号码大于 (resident_id greater than)';
COMMENT ON FUNCTION credit.resident_id_ge(credit.resident_id, credit.resident_id) IS '公民身份号码大于等于 (resident_id greater or equal)';
COMMENT ON FUNCTION credit.resident_id_cmp(credit.resident_id, credit.resident_id) IS '公民身份号码比较 (resident_id btree comparison)';
COMMENT ON FUNCTION credit.resident_id_sortsupport(internal) IS '公民身份号码排序支持 (resident_id btree sort support)';
COMMENT ON FUNCTION credit.resident_id_hash(credit.resident_id) IS '公民身份号码哈希 (resident_id hash)';
COMMENT ON FUNCTION credit.resident_id_hash_extended(credit.resident_id, bigint) IS '公民身份号码扩展哈希 (resident_id 64-bit seeded hash, for hash partitioning)';

CREATE OPERATOR credit.= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR credit.< (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR credit.> (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.resident_id, RIGHTARG = credit.resident_id, FUNCTION = credit.resident_id_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR credit.= (credit.resident_id, credit.resident_id) IS '公民身份号码相等 (resident_id equals)';
COMMENT ON OPERATOR credit.<> (credit.resident_id, credit.resident_id) IS '公民身份号码不等 (resident_id not equal)';
COMMENT ON OPERATOR credit.< (credit.resident_id, credit.resident_id) IS '公民身份号码小于 (resident_id less than)';
COMMENT ON OPERATOR credit.<= (credit.resident_id, credit.resident_id) IS '公民身份号码小于等于 (resident_id less or equal)';
COMMENT ON OPERATOR credit.> (credit.resident_id, credit.resident_id) IS '公民身份号码大于 (resident_id greater than)';
COMMENT ON OPERATOR credit.>= (credit.resident_id, credit.resident_id) IS '公民身份号码大于等于 (resident_id greater or equal)';

CREATE OPERATOR CLASS credit.resident_id_ops DEFAULT FOR TYPE credit.resident_id USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.resident_id_cmp(credit.resident_id, credit.resident_id),
    FUNCTION 2 credit.resident_id_sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS credit.resident_id_hash_ops DEFAULT FOR TYPE credit.resident_id USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.resident_id_hash(credit.resident_id),
    FUNCTION 2 credit.resident_id_hash_extended(credit.resident_id, bigint);

COMMENT ON OPERATOR CLASS credit.resident_id_ops USING btree IS '公民身份号码B树操作符类 (default btree operator class for resident_id)';
COMMENT ON OPERATOR CLASS credit.resident_id_hash_ops USING hash IS '公民身份号码哈希操作符类 (default hash operator class for resident_id, PARTITION BY HASH)';

-- As for uscc: every cast as assignment, none implicit, so a comparison
-- without credit's operators on the search path is an error, not text = text.
CREATE CAST (text AS credit.resident_id) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS credit.resident_id) WITH INOUT AS ASSIGNMENT;
CREATE CAST (credit.resident_id AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS credit.resident_id) IS '文本转公民身份号码 (text to resident_id, validated like input)';
COMMENT ON CAST (varchar AS credit.resident_id) IS '文本转公民身份号码 (varchar to resident_id, validated like input)';
COMMENT ON CAST (credit.resident_id AS text) IS '公民身份号码转文本 (resident_id to its canonical 18 characters)';

CREATE FUNCTION credit.resident_id_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'resident_id_text_is_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.resident_id_is_valid(text) IS '文本是否为有效公民身份号码 (is this text a valid resident identity number?); never raises';

CREATE FUNCTION credit.resident_id_birth_date(credit.resident_id) RETURNS date
    AS 'MODULE_PATHNAME', 'resident_id_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_birth_date(credit.resident_id) IS '出生日期 (date of birth, positions 7-14)';

CREATE FUNCTION credit.resident_id_sex(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_sex(credit.resident_id) IS '性别 (sex: 男 when position 17 is odd, 女 when even)';

CREATE FUNCTION credit.resident_id_region(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_region' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_region(credit.resident_id) IS '地址码 (region code at issue, positions 1-6, GB/T 2260)';

CREATE FUNCTION credit.resident_id_mask(credit.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_mask' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.resident_id_mask(credit.resident_id) IS '脱敏显示 (masked for public display): positions 1-6 and 15-18 shown, the date of birth (7-14) replaced by *, e.g. 110105********002X';

COMMENT ON OPERATOR FAMILY credit.resident_id_ops USING btree IS '公民身份号码B树操作符族 (btree operator family of resident_id)';
COMMENT ON OPERATOR FAMILY credit.resident_id_hash_ops USING hash IS '公民身份号码哈希操作符族 (hash operator family of resident_id)';
