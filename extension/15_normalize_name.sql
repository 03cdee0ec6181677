-- The install script, part 15: layer 1, names: credit.normalize_name
-- 名称规范化键: the key under which spellings of one name match.  C code and
-- the exact ICU rules: extension/normalize_name.c.

-- IMMUTABLE as PostgreSQL's ICU collations are: the result depends on
-- nothing but its argument and the ICU library's data (NFKC tables, the
-- Traditional-Simplified table; root locale, no setting), which changes
-- only when ICU is upgraded.  Then the keys must be recomputed and the
-- indexes built on them rebuilt, as after a collation version change:
-- credit.normalize_name_version() says which ICU computed them, and
-- docs/identifiers.md what a DBA does.  Not LEAKPROOF: it can raise an error
-- (ICU failure, size limits).
CREATE FUNCTION credit.normalize_name(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION credit.normalize_name(text) IS '名称规范化键 (normalised name key): NFKC (全角→半角), 删除空白及不可见字符 (all White_Space and default-ignorable characters removed), 拉丁字母大写 (Latin letters upper-cased), 括号统一为 () (brackets 【】〔〕〖〗〘〙〚〛⦅⦆⸨⸩ [] {} and their full-width, small and vertical forms such as （）［］｛｝ become ASCII parentheses; 书名号《》〈〉 and quotation marks are kept, except that ICU turns 「」 into “”), 繁体→简体 (ICU Traditional-Simplified); idempotent; IMMUTABLE like an ICU collation: after an ICU upgrade recompute the keys and REINDEX (see credit.normalize_name_version())';

-- The same key, always computed through ICU: normalize_name() takes a
-- shortcut for the usual name (ASCII, full-width forms, and ideographs the
-- folding keeps), and this is what the shortcut is checked against.
CREATE FUNCTION credit.normalize_name_icu(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name_icu'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.normalize_name_icu(text) IS '名称规范化键(全程 ICU) (the key of normalize_name, always through ICU, without its fast path for the usual name; for checking that both agree)';

-- The ICU the keys are computed with: STABLE, it is the library loaded now.
CREATE FUNCTION credit.normalize_name_version() RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name_version'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.normalize_name_version() IS '名称规范化键的 ICU 版本 (the ICU and Unicode versions normalize_name computes its keys with, e.g. "ICU 72.1, Unicode 15.0"; when it changes, recompute the keys and REINDEX, as after a collation version change)';
