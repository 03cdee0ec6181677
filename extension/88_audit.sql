-- The install script, part 88: tamper evidence (docs/audit.md).
--
-- credit.change_log is an append-only, hash-chained log of every change to
-- the chained tables (credit.chain_table): the C row trigger
-- credit.chain_log_change() (chain.c) keeps each change's key and the
-- SHA-256 of the row's canonical form, and appends them at commit, under a
-- transaction-level advisory lock, each entry's hash covering the previous
-- hash.  credit.verify_chain() compares the log with itself and with the
-- tables and names every row changed, deleted or inserted behind the log's
-- back, and every log row altered or deleted; credit.chain_head() gives the
-- head for anchoring outside the database; credit.chain_reanchor() is the
-- DBA's recovery.  Installed after every part whose rows it chains, so that
-- the shipped rows are in the first snapshot.

CREATE TABLE credit.change_log (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    logged_at     timestamptz,
    xact          xid8,
    actor         text NOT NULL,
    session_actor text NOT NULL,
    table_name    text NOT NULL,
    op            text NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'snapshot', 'reanchor')),
    row_key       text[],
    row_digest    bytea CHECK (octet_length(row_digest) = 32),
    note          text,
    prev_hash     bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash          bytea NOT NULL CHECK (octet_length(hash) = 32),
    CHECK ((op = 'reanchor') = (row_key IS NULL)),
    CHECK ((op IN ('insert', 'update', 'snapshot')) = (row_digest IS NOT NULL)),
    CHECK ((logged_at IS NULL) = (xact IS NULL))
);
CREATE INDEX change_log_row ON credit.change_log (table_name, row_key, seq);
COMMENT ON TABLE credit.change_log IS '变更日志 (hash-chained change log: one entry per change to a chained table, appended at commit; append-only; read by the centre)';
COMMENT ON COLUMN credit.change_log.seq IS '序号 (position in the chain, 1, 2, ... without gaps)';
COMMENT ON COLUMN credit.change_log.logged_at IS '记入时间 (when the change was committed; null for entries of the extension''s own install or update script)';
COMMENT ON COLUMN credit.change_log.xact IS '事务号 (the committing transaction; null with logged_at)';
COMMENT ON COLUMN credit.change_log.actor IS '操作角色 (current_user at the change; empty for the install or update script)';
COMMENT ON COLUMN credit.change_log.session_actor IS '会话角色 (session_user at the change; empty for the install or update script)';
COMMENT ON COLUMN credit.change_log.table_name IS '表 (the chained table of schema credit)';
COMMENT ON COLUMN credit.change_log.op IS '操作 (insert, update, delete; snapshot: the row as found when its table was chained or re-anchored; reanchor: the DBA''s recovery)';
COMMENT ON COLUMN credit.change_log.row_key IS '行键 (the row''s primary key columns as text)';
COMMENT ON COLUMN credit.change_log.row_digest IS '行摘要 (SHA-256 of the row''s canonical form after the change; null for delete)';
COMMENT ON COLUMN credit.change_log.note IS '说明 (why: the reason of a re-anchoring, a key change)';
COMMENT ON COLUMN credit.change_log.prev_hash IS '前一哈希 (the previous entry''s hash; 32 zero bytes for the first)';
COMMENT ON COLUMN credit.change_log.hash IS '哈希 (SHA-256 of prev_hash and the entry''s canonical form)';

CREATE TABLE credit.chain_table (
    table_name name PRIMARY KEY,
    shipped    boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.chain_table IS '链式表 (the tables of schema credit whose changes are chained in credit.change_log; a DBA adds one with a row)';
COMMENT ON COLUMN credit.chain_table.table_name IS '表名 (a table of schema credit with a primary key)';
COMMENT ON COLUMN credit.chain_table.shipped IS '内置 (shipped with the extension)';

-- ------------------------------------------------------------------
-- The C parts (chain.c)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.chain_log_change() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_chain_log_change' LANGUAGE C;
COMMENT ON FUNCTION credit.chain_log_change() IS '触发器: 记入变更日志 (trigger on each chained table, enabled always: the change''s key and row digest, appended to credit.change_log at commit; in session_replication_role replica only the logical replication workers'' changes, noted replicated)';

CREATE FUNCTION credit.chain_row_digest(anyelement) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_chain_row_digest' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_row_digest(anyelement) IS '行摘要 (SHA-256 of a table row''s canonical form, as the change log records it; the same whatever the session''s settings)';

CREATE FUNCTION credit.chain_row_key(anyelement) RETURNS text[]
    AS 'MODULE_PATHNAME', 'credit_chain_row_key' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_row_key(anyelement) IS '行键 (a table row''s primary key columns as text, as the change log records them)';

CREATE FUNCTION credit.chain_entry_hash(prev bytea, seq bigint, logged_at timestamptz, xact xid8, actor text,
                                        session_actor text, table_name text, op text, row_key text[],
                                        row_digest bytea, note text) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_chain_entry_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.chain_entry_hash(bytea, bigint, timestamptz, xid8, text, text, text, text, text[], bytea, text) IS '条目哈希 (the hash of a change log entry from its previous hash and its fields, as the append computes it)';

CREATE FUNCTION credit.chain_note(table_name text, op text, row_key text[], row_digest bytea, note text) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_chain_note' LANGUAGE C;
COMMENT ON FUNCTION credit.chain_note(text, text, text[], bytea, text) IS '记入条目 (an entry of this transaction''s, appended at commit: snapshot, reanchor or delete; for the audit functions only)';

-- ------------------------------------------------------------------
-- The log is append-only; pg_restore puts it back as it was dumped
-- ------------------------------------------------------------------
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON credit.change_log
    FOR EACH ROW WHEN (NOT credit.restoring('credit.change_log')) EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON credit.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- On restore CREATE EXTENSION has written the install's snapshot entries
-- already: a dumped entry of the same seq replaces it.
CREATE FUNCTION credit.change_log_restore() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM credit.change_log l WHERE l.seq = NEW.seq;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.change_log_restore() IS '触发器: 恢复变更日志 (trigger, during a restore only: a dumped entry replaces the entry of the same seq that CREATE EXTENSION wrote)';
CREATE TRIGGER change_log_restore BEFORE INSERT ON credit.change_log
    FOR EACH ROW WHEN (credit.restoring('credit.change_log')) EXECUTE FUNCTION credit.change_log_restore();

-- ------------------------------------------------------------------
-- Chaining a table: its trigger, and a snapshot of the rows it has
-- ------------------------------------------------------------------
-- the rows of a chained table as they are now, as snapshot entries
CREATE FUNCTION credit.chain_snapshot(tab name, note text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(credit.chain_note(%L, ''snapshot'', s.k, s.d, %L))
                                 FROM (SELECT credit.chain_row_key(x) AS k, credit.chain_row_digest(x) AS d
                                         FROM credit.%I x ORDER BY 1) s', tab, note, tab) INTO n;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.chain_snapshot(name, text) IS '快照 (the rows of a chained table as they are, each a snapshot entry of the change log; for the audit functions only)';

CREATE FUNCTION credit.chain_table_changed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS chain_log ON credit.%I', OLD.table_name);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF pg_catalog.to_regclass(pg_catalog.format('credit.%I', NEW.table_name)) IS NULL THEN
            RAISE EXCEPTION 'table credit.% does not exist', NEW.table_name
                USING ERRCODE = 'undefined_table',
                      HINT = 'credit.chain_table names tables of schema credit.';
        END IF;
        EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER chain_log AFTER INSERT OR UPDATE OR DELETE ON credit.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION credit.chain_log_change()', NEW.table_name);
        -- enabled always: it fires in the logical replication workers too,
        -- and chains the rows another platform sends (chain.c)
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ENABLE ALWAYS TRIGGER chain_log', NEW.table_name);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER chain_log ON credit.%I IS %L', NEW.table_name,
                                  '记入变更日志 (each change is chained in credit.change_log)');
        -- a restored table comes back with its entries
        IF NOT credit.restoring('credit.chain_table') THEN
            PERFORM credit.chain_snapshot(NEW.table_name, 'chained');
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION credit.chain_table_changed() IS '触发器: 链式表变更 (trigger: a table added to credit.chain_table gets the change log trigger, enabled always so that rows applied by logical replication are chained on arrival, and a snapshot of its rows; a table removed loses the trigger)';
CREATE TRIGGER chain_table_changed AFTER INSERT OR UPDATE OR DELETE ON credit.chain_table
    FOR EACH ROW EXECUTE FUNCTION credit.chain_table_changed();

-- ------------------------------------------------------------------
-- Verification, the head, re-anchoring
-- ------------------------------------------------------------------
CREATE FUNCTION credit.verify_chain(since bigint DEFAULT NULL)
    RETURNS TABLE (seq bigint, table_name text, row_key text[], problem text, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    start bigint;
    t name;
BEGIN
    -- the log with itself: from the last re-anchoring, or from since
    start := COALESCE(since, (SELECT pg_catalog.max(l.seq) FROM credit.change_log l
                               WHERE l.op = 'reanchor'), 1);
    RETURN QUERY
    WITH l AS (
        SELECT c.*, pg_catalog.lag(c.seq) OVER w AS before_seq, pg_catalog.lag(c.hash) OVER w AS before_hash
          FROM credit.change_log c
         WHERE c.seq >= start - 1
        WINDOW w AS (ORDER BY c.seq)
    ), checked AS (
        SELECT l.*,
               COALESCE(l.before_seq, 0) AS expected_seq,
               CASE WHEN l.before_seq IS NULL AND l.seq = 1
                    THEN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                    ELSE l.before_hash END AS expected_prev,
               credit.chain_entry_hash(l.prev_hash, l.seq, l.logged_at, l.xact, l.actor, l.session_actor,
                                       l.table_name, l.op, l.row_key, l.row_digest, l.note) AS computed
          FROM l
         WHERE l.seq >= start
    )
    SELECT x.seq, x.table_name, x.row_key, x.problem, x.detail FROM (
        SELECT c.seq, c.table_name, c.row_key, 'log row deleted'::text AS problem,
               CASE WHEN c.seq - c.expected_seq = 2
                    THEN pg_catalog.format('entry %s is missing', c.expected_seq + 1)
                    ELSE pg_catalog.format('entries %s to %s are missing', c.expected_seq + 1,
                                           c.seq - 1) END AS detail
          FROM checked c
         WHERE (c.before_seq IS NOT NULL OR c.seq = 1 OR start = 1)
           AND c.seq <> c.expected_seq + 1
        UNION ALL
        SELECT c.seq, c.table_name, c.row_key, 'log row altered',
               pg_catalog.format('its prev_hash is not the hash of entry %s', c.before_seq)
          FROM checked c
         WHERE c.expected_prev IS NOT NULL AND c.prev_hash <> c.expected_prev
           AND c.seq = c.expected_seq + 1
        UNION ALL
        SELECT c.seq, c.table_name, c.row_key, 'log row altered', 'its hash does not match its content'
          FROM checked c
         WHERE c.computed IS DISTINCT FROM c.hash) x
    ORDER BY x.seq, x.problem;

    -- the tables with the log: each row as its last entry says
    FOR t IN SELECT ct.table_name FROM credit.chain_table ct ORDER BY 1 LOOP
        RETURN QUERY EXECUTE pg_catalog.format($q$
            WITH cur AS (
                SELECT credit.chain_row_key(x) AS k, credit.chain_row_digest(x) AS d FROM credit.%1$I x
            ), last AS (
                SELECT DISTINCT ON (l.row_key) l.row_key AS k, l.op, l.row_digest AS d, l.seq
                  FROM credit.change_log l
                 WHERE l.table_name = %2$L AND l.row_key IS NOT NULL
                 ORDER BY l.row_key, l.seq DESC
            )
            SELECT last.seq, %2$L::text, COALESCE(cur.k, last.k),
                   CASE WHEN cur.k IS NULL THEN 'deleted'
                        WHEN last.k IS NULL OR last.op = 'delete' THEN 'inserted'
                        ELSE 'changed' END,
                   CASE WHEN cur.k IS NULL THEN pg_catalog.format('the row of entry %%s is not in the table', last.seq)
                        WHEN last.k IS NULL THEN 'the row has no entry in the log'
                        WHEN last.op = 'delete'
                             THEN pg_catalog.format('the row was logged as deleted (entry %%s)', last.seq)
                        ELSE pg_catalog.format('the row differs from its version of entry %%s', last.seq) END
              FROM cur FULL JOIN last ON last.k = cur.k
             WHERE (cur.k IS NULL AND last.op <> 'delete')
                OR (cur.k IS NOT NULL AND (last.k IS NULL OR last.op = 'delete'
                                           OR last.d IS DISTINCT FROM cur.d))
             ORDER BY 3$q$, t, t);
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.verify_chain(bigint) IS '校验变更日志 (verify the change log: each entry''s hash and link from the last re-anchoring (or from seq since), and each chained table''s rows against their last entries; one row per problem, naming the table, the key and what is wrong; none: the chain holds)';

CREATE FUNCTION credit.chain_head(OUT seq bigint, OUT hash text, OUT logged_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT (l.seq, pg_catalog.encode(l.hash, 'hex'), l.logged_at)
              FROM credit.change_log l ORDER BY l.seq DESC LIMIT 1);
COMMENT ON FUNCTION credit.chain_head() IS '链头 (the last entry of the change log: its seq and hash (hex), to be kept outside the database, e.g. signed or time-stamped, for anchoring)';

CREATE FUNCTION credit.chain_reanchor(reason text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found jsonb;
    p record;
    n bigint := 0;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RAISE EXCEPTION 'only a superuser can re-anchor the change log'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Re-anchoring accepts every problem credit.verify_chain() reports: the DBA does it, after an investigation.';
    END IF;
    IF COALESCE(pg_catalog.btrim(reason), '') = '' THEN
        RAISE EXCEPTION 'a re-anchoring needs a reason'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what happened and who decided, e.g. the incident number.';
    END IF;
    -- no chained commit in between: the same key as the append (chain.c)
    PERFORM pg_catalog.pg_advisory_xact_lock(1668441444, 1667785065);
    SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(v)) INTO found FROM credit.verify_chain() v;
    PERFORM credit.chain_note('change_log', 'reanchor', NULL, NULL,
                              pg_catalog.format('%s; accepted: %s', reason, COALESCE(found, '[]'::jsonb)));
    FOR p IN SELECT * FROM credit.verify_chain() v
              WHERE v.problem = ANY (ARRAY['changed', 'inserted', 'deleted']) LOOP
        IF p.problem = 'deleted' THEN
            PERFORM credit.chain_note(p.table_name, 'delete', p.row_key, NULL, 'reanchor');
        ELSE
            EXECUTE pg_catalog.format('SELECT credit.chain_note(%L, ''snapshot'', %L, credit.chain_row_digest(x), ''reanchor'')
                                         FROM credit.%I x WHERE credit.chain_row_key(x) = %L',
                                      p.table_name, p.row_key, p.table_name, p.row_key);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN COALESCE(pg_catalog.jsonb_array_length(found), 0);
END
$$;
COMMENT ON FUNCTION credit.chain_reanchor(text) IS '重新锚定 (the DBA''s recovery, superuser only: a reanchor entry records the reason and every problem verify_chain reports; the rows as they are become snapshot entries; verification of the log starts again there; returns how many problems were accepted)';

-- ------------------------------------------------------------------
-- Retention of the access log: a setting, never below 5 years; the purge
-- ------------------------------------------------------------------
CREATE FUNCTION credit.purge_access_log() RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    years integer := pg_catalog.current_setting('credit.access_log_retention')::integer;
    cutoff date := (credit.legal_date() - pg_catalog.make_interval(years => years))::date;
    n bigint;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RAISE EXCEPTION 'only a superuser can purge the access log'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Schedule SELECT credit.purge_access_log() as the DBA (pg_cron or any scheduler).';
    END IF;
    -- the log is append-only: the guard steps aside for this statement only
    ALTER TABLE credit.access_log DISABLE TRIGGER access_log_append_only;
    DELETE FROM credit.access_log l WHERE credit.legal_date(l.accessed_at) < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    ALTER TABLE credit.access_log ENABLE TRIGGER access_log_append_only;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.purge_access_log() IS '清理查询日志 (superuser only: deletes the access-log rows older than credit.access_log_retention years (at least 5, default 5) before today''s legal date; returns how many)';

-- ------------------------------------------------------------------
-- The chained tables
-- ------------------------------------------------------------------
INSERT INTO credit.chain_table (table_name, shipped)
SELECT t, true FROM pg_catalog.unnest(ARRAY[
    -- credit data and its use
    'record', 'list_entry', 'commitment', 'credit_check', 'check_feedback', 'report_issue', 'eval_result',
    -- reference data
    'catalogue_item', 'catalogue_period', 'rule_set', 'rule_set_period', 'list_kind', 'report_item',
    'measure', 'matter', 'measure_rule', 'machine', 'machine_state', 'machine_transition', 'machine_deadline',
    'calendar_day', 'eval_scheme', 'eval_indicator']::name[]) AS t ORDER BY t;

SELECT pg_catalog.pg_extension_config_dump('credit.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('credit.chain_table', 'WHERE NOT shipped');
