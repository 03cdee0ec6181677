-- The install script, part 11: layer 1, identifiers: the uscc type
-- 统一社会信用代码 (GB 32100-2015).  C code: extension/uscc.c, rules in
-- extension/identifiers.c.

CREATE TYPE credit.uscc;

-- Input depends on credit.uscc_lenient, so it is STABLE, not IMMUTABLE.
CREATE FUNCTION credit.uscc_in(cstring) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_in'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_out(credit.uscc) RETURNS cstring
    AS 'MODULE_PATHNAME', 'uscc_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_recv(internal) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_recv'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_send(credit.uscc) RETURNS bytea
    AS 'MODULE_PATHNAME', 'uscc_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE credit.uscc (
    INPUT = credit.uscc_in,
    OUTPUT = credit.uscc_out,
    RECEIVE = credit.uscc_recv,
    SEND = credit.uscc_send,
    INTERNALLENGTH = 12,
    ALIGNMENT = char,
    STORAGE = plain,
    -- string category: its value is a string (code || 'x' resolves to
    -- anynonarray || text); there is no implicit cast to text, see below
    CATEGORY = 'S'
);

COMMENT ON TYPE credit.uscc IS '统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters checked on input (alphabet, registration authority and category, division code, check character); stored in 12 bytes; a trailing "!" marks a nonconforming code accepted in lenient mode';
COMMENT ON FUNCTION credit.uscc_in(cstring) IS '统一社会信用代码输入 (uscc input): folds full-width forms, drops spaces and hyphens, upper-cases; STABLE because credit.uscc_lenient decides what is accepted';
COMMENT ON FUNCTION credit.uscc_out(credit.uscc) IS '统一社会信用代码输出 (uscc output): the canonical 18 characters, plus "!" for a flagged value';
COMMENT ON FUNCTION credit.uscc_recv(internal) IS '统一社会信用代码二进制输入 (uscc binary input): the text form, validated again exactly as text input';
COMMENT ON FUNCTION credit.uscc_send(credit.uscc) IS '统一社会信用代码二进制输出 (uscc binary output): the canonical text form';

-- Comparison: memcmp of the packed form.  These never raise and reveal
-- nothing but their result, so they are LEAKPROOF and usable under RLS.
CREATE FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_le(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'uscc_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_hash(credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'uscc_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) IS '统一社会信用代码相等 (uscc equality)';
COMMENT ON FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) IS '统一社会信用代码不等 (uscc inequality)';
COMMENT ON FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) IS '统一社会信用代码小于 (uscc less than, canonical text order)';
COMMENT ON FUNCTION credit.uscc_le(credit.uscc, credit.uscc) IS '统一社会信用代码小于等于 (uscc less or equal)';
COMMENT ON FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) IS '统一社会信用代码大于 (uscc greater than)';
COMMENT ON FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) IS '统一社会信用代码大于等于 (uscc greater or equal)';
COMMENT ON FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) IS '统一社会信用代码比较 (uscc btree comparison: -1, 0 or 1 in canonical text order)';
COMMENT ON FUNCTION credit.uscc_sortsupport(internal) IS '统一社会信用代码排序支持 (uscc btree sort support with abbreviated keys)';
COMMENT ON FUNCTION credit.uscc_hash(credit.uscc) IS '统一社会信用代码哈希 (uscc hash)';
COMMENT ON FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) IS '统一社会信用代码扩展哈希 (uscc 64-bit seeded hash, for hash partitioning)';

CREATE OPERATOR credit.= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR credit.< (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR credit.> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR credit.= (credit.uscc, credit.uscc) IS '统一社会信用代码相等 (uscc equals)';
COMMENT ON OPERATOR credit.<> (credit.uscc, credit.uscc) IS '统一社会信用代码不等 (uscc not equal)';
COMMENT ON OPERATOR credit.< (credit.uscc, credit.uscc) IS '统一社会信用代码小于 (uscc less than)';
COMMENT ON OPERATOR credit.<= (credit.uscc, credit.uscc) IS '统一社会信用代码小于等于 (uscc less or equal)';
COMMENT ON OPERATOR credit.> (credit.uscc, credit.uscc) IS '统一社会信用代码大于 (uscc greater than)';
COMMENT ON OPERATOR credit.>= (credit.uscc, credit.uscc) IS '统一社会信用代码大于等于 (uscc greater or equal)';

-- btequalimage: equal values are bitwise equal, so btree deduplication is safe.
CREATE OPERATOR CLASS credit.uscc_ops DEFAULT FOR TYPE credit.uscc USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.uscc_cmp(credit.uscc, credit.uscc),
    FUNCTION 2 credit.uscc_sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS credit.uscc_hash_ops DEFAULT FOR TYPE credit.uscc USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.uscc_hash(credit.uscc),
    FUNCTION 2 credit.uscc_hash_extended(credit.uscc, bigint);

COMMENT ON OPERATOR CLASS credit.uscc_ops USING btree IS '统一社会信用代码B树操作符类 (default btree operator class for uscc: canonical text order, deduplication)';
COMMENT ON OPERATOR CLASS credit.uscc_hash_ops USING hash IS '统一社会信用代码哈希操作符类 (default hash operator class for uscc: hash joins, hash indexes, PARTITION BY HASH)';

-- Text in is an assignment cast (INSERT/COPY of text values just work);
-- uscc out to text is an assignment cast too, never implicit: an implicit
-- one lets "code = '...'" resolve to text = text wherever credit's
-- operators are not on the search path (a full scan that looks right).
-- Without it that comparison is an error; text functions take code::text.
CREATE CAST (text AS credit.uscc) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS credit.uscc) WITH INOUT AS ASSIGNMENT;
CREATE CAST (credit.uscc AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS credit.uscc) IS '文本转统一社会信用代码 (text to uscc, validated like input)';
COMMENT ON CAST (varchar AS credit.uscc) IS '文本转统一社会信用代码 (varchar to uscc, validated like input)';
COMMENT ON CAST (credit.uscc AS text) IS '统一社会信用代码转文本 (uscc to its canonical text)';

-- Validity, completion, accessors.
CREATE FUNCTION credit.uscc_is_valid(credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.uscc_is_valid(credit.uscc) IS '是否为合规代码 (is the code conforming?): false for a value accepted and flagged in lenient mode';

CREATE FUNCTION credit.uscc_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_text_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.uscc_is_valid(text) IS '文本是否为合规统一社会信用代码 (is this text a conforming uscc?): the strict rules whatever credit.uscc_lenient says; never raises';

CREATE FUNCTION credit.uscc_complete(text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_complete' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_complete(text) IS '补全校验码 (complete a code): the first 17 characters in, the code with its check character appended out';

CREATE FUNCTION credit.uscc_authority(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_authority' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_authority(credit.uscc) IS '登记管理部门码 (registration authority code, position 1)';

CREATE FUNCTION credit.uscc_authority_name(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_authority_name_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_authority_name(credit.uscc) IS '登记管理部门名称 (registration authority name, e.g. 工商); NULL when not in the table';

CREATE FUNCTION credit.uscc_category(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_category(credit.uscc) IS '机构类别码 (organisation category code, position 2)';

CREATE FUNCTION credit.uscc_category_name(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_category_name_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_category_name(credit.uscc) IS '机构类别名称 (organisation category name, e.g. 企业); NULL when the pair is not in the table';

CREATE FUNCTION credit.uscc_division(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_division' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_division(credit.uscc) IS '登记管理机关行政区划码 (division code of the registering office, positions 3-8; 100000 = national)';

CREATE FUNCTION credit.uscc_org_code(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_org_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_org_code(credit.uscc) IS '主体标识码/组织机构代码 (embedded GB 11714 organisation code, positions 9-17, as XXXXXXXX-X)';

CREATE FUNCTION credit.uscc_org_code_is_valid(credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_org_code_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_org_code_is_valid(credit.uscc) IS '内嵌组织机构代码校验 (does the embedded organisation code pass GB 11714?): reported, never required; usable in a CHECK constraint';

CREATE FUNCTION credit.uscc_explain(code text,
        OUT part text, OUT part_name text, OUT positions text, OUT value text,
        OUT meaning text, OUT ok boolean, OUT problem text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'uscc_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION credit.uscc_explain(text) IS '代码解析 (explain a code): one row per part with positions, value, meaning, ok and what is wrong; never raises, for cleaning imported data';

CREATE FUNCTION credit.uscc_categories(
        OUT authority text, OUT authority_name text, OUT category text, OUT category_name text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'uscc_categories' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 37;
COMMENT ON FUNCTION credit.uscc_categories() IS '登记管理部门码与机构类别码对照表 (registration authorities and their allowed categories, GB 32100-2015 表1 plus 9/9)';

COMMENT ON OPERATOR FAMILY credit.uscc_ops USING btree IS '统一社会信用代码B树操作符族 (btree operator family of uscc)';
COMMENT ON OPERATOR FAMILY credit.uscc_hash_ops USING hash IS '统一社会信用代码哈希操作符族 (hash operator family of uscc)';
