-- credit--0.1.sql, part 05: generic trigger functions used by every layer.
-- Rows the law keeps are never truncated, and append-only tables (the logs)
-- are never updated or deleted.

CREATE FUNCTION credit.no_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is never truncated', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.no_truncate() IS '触发器: 禁止清空 (trigger: refuses TRUNCATE of record, list entry and log tables)';

CREATE FUNCTION credit.append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'table credit.% is append-only', TG_TABLE_NAME
        USING ERRCODE = 'prohibited_sql_statement_attempted';
END
$$;
COMMENT ON FUNCTION credit.append_only() IS '触发器: 只可追加 (trigger: refuses UPDATE, DELETE and TRUNCATE of an append-only table)';
