-- credit--0.1.sql, part 15: layer 1, names: credit.normalize_name
-- 名称规范化键: the key under which spellings of one name match.  C code and
-- the exact ICU rules: extension/normalize_name.c.

-- The result depends on the ICU library's data (NFKC tables, the
-- Traditional-Simplified table), which can change when ICU is upgraded, so
-- the function is STABLE, not IMMUTABLE: store the key in a column written by
-- a trigger (recomputed after an ICU upgrade), not in an expression index.
-- Not LEAKPROOF: it can raise an error (ICU failure, size limits).
CREATE FUNCTION credit.normalize_name(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION credit.normalize_name(text) IS '名称规范化键 (normalised name key): NFKC (全角→半角), 删除空白及不可见字符 (all White_Space and default-ignorable characters removed), 拉丁字母大写 (Latin letters upper-cased), 括号统一为 () (brackets 【】〔〕〖〗〘〙〚〛⦅⦆⸨⸩ [] {} and their full-width, small and vertical forms such as （）［］｛｝ become ASCII parentheses; 书名号《》〈〉 and quotation marks are kept, except that ICU turns 「」 into “”), 繁体→简体 (ICU Traditional-Simplified); idempotent; STABLE: depends on the ICU data version, so store it in a trigger-maintained column, not an expression index';

-- The same key, always computed through ICU: normalize_name() takes a
-- shortcut for the usual name (ASCII, full-width forms, and ideographs the
-- folding keeps), and this is what the shortcut is checked against.
CREATE FUNCTION credit.normalize_name_icu(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_normalize_name_icu'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.normalize_name_icu(text) IS '名称规范化键(全程 ICU) (the key of normalize_name, always through ICU, without its fast path for the usual name; for checking that both agree)';
