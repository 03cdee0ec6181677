-- The install script, part 05: generic trigger functions used by every layer:
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

-- Backup and restore (docs/operations.md): pg_dump writes the rows of each
-- credit table as COPY credit.t (every stored column, the key included)
-- FROM stdin, which no ordinary load does.  When a superuser runs exactly
-- that statement, the rows are being restored: the insert triggers that
-- complete or refuse what a client sends (times, states, deadlines, events,
-- the caller's rights) are skipped by their WHEN (NOT credit.restoring(...)),
-- so rows come back as they were dumped.
CREATE FUNCTION credit.restoring(tab regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_restoring' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.restoring(regclass) IS '正在恢复 (is the running statement a superuser''s COPY of whole rows of this table as pg_dump writes them, i.e. pg_restore putting them back? The insert triggers let such rows through unchanged)';

-- A shipped reference table (rule sets, machines) is dumped whole, the rows
-- CREATE EXTENSION ships included, so a DBA's change to a shipped row is
-- kept.  On restore CREATE EXTENSION has put the shipped rows back already:
-- a restored row with the key of one updates it to the dumped values
-- instead of colliding with it; a row the DBA added is inserted.
CREATE FUNCTION credit.restore_shipped_row() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cols text;
    vals text;
    keys text;
    updated bigint;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum),
           pg_catalog.string_agg('($1).' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
      INTO cols, vals
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) TG_RELID AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
    SELECT pg_catalog.string_agg(pg_catalog.format('t.%1$I OPERATOR(pg_catalog.=) ($1).%1$I', a.attname), ' AND ')
      INTO keys
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid
                                    AND a.attnum OPERATOR(pg_catalog.=) ANY (i.indkey)
     WHERE i.indrelid OPERATOR(pg_catalog.=) TG_RELID AND i.indisprimary;
    EXECUTE pg_catalog.format('UPDATE %s AS t SET (%s) = ROW(%s) WHERE %s', TG_RELID::pg_catalog.regclass, cols, vals, keys)
        USING NEW;
    GET DIAGNOSTICS updated = ROW_COUNT;
    IF updated > 0 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.restore_shipped_row() IS '触发器: 恢复内置行 (trigger on shipped reference tables, during a restore only: a restored row with the key of a row CREATE EXTENSION shipped updates that row to the dumped values; other rows are inserted)';
