-- credit--0.1.sql, part 05: generic trigger functions used by every layer:
-- the content guard (C code: extension/content.c); rows the law keeps are
-- never truncated, and append-only tables (the logs) are never updated or
-- deleted.

-- What a row may change: BEFORE UPDATE OR DELETE ... FOR EACH ROW EXECUTE
-- FUNCTION credit.keep_content(what, delete_hint, change_hint, column, ...).
-- what: the rows, plural, for messages ('credit records'); the hints: ''
-- for none; the columns: those that may change, 'once:column' for one that
-- may change only while it is NULL.  A DELETE is refused ("<what> are never
-- deleted"), and so is an UPDATE that changes any other column ("<what> are
-- not changed in place", naming the columns).  Generated and dropped
-- columns are never compared; a value set to itself is no change.
CREATE FUNCTION credit.keep_content() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_keep_content' LANGUAGE C;
COMMENT ON FUNCTION credit.keep_content() IS '触发器: 内容不可篡改 (trigger: rows are never deleted and only the columns named in its arguments change, those written once:column only while NULL; arguments: what the rows are, the hint for a refused DELETE, the hint for a refused change, then the columns)';

CREATE FUNCTION credit.no_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is never truncated', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.no_truncate() IS '触发器: 禁止清空 (trigger: refuses TRUNCATE of record, list entry and log tables)';

CREATE FUNCTION credit.append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is append-only', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.append_only() IS '触发器: 只可追加 (trigger: refuses UPDATE, DELETE and TRUNCATE of an append-only table)';
