-- The install script, part 70: layer 7, exchange between platforms (数据交换,
-- county -> city -> province) over PostgreSQL logical replication.
-- docs/exchange.md.  Row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.
--
-- Identities that travel:
--   * each platform has a code and a range number of its own (credit.platform,
--     set once by the DBA with credit.set_platform); every identity sequence
--     of the extension draws from that platform's range, so a row's id is
--     unique across platforms and names its origin (credit.origin_of): a
--     replicated row and a row the receiving platform enters itself never
--     share an id, and a department registered on one platform never gets
--     the id of another platform's department;
--   * subjects keep their random 60-bit ids; departments are also known by
--     their own 统一社会信用代码 (credit.department.uscc, unique);
--   * the role columns (submitted_by, filed_by, party ...: regrole, an OID
--     of the sending cluster) never travel: the publications leave them out,
--     and the receiving platform fills them with its own applying role.
-- What travels where is data: credit.exchange_peer, one row per peer, with
-- the disclosure levels and catalogue items it may receive.
-- credit.create_publication(peer) builds the peer's publication: row filters
-- on the plain column exchange_scope ('<disclosure>:<item>', kept by the
-- trigger credit.exchange_scope() and copied into the events by the guard),
-- because PostgreSQL 15 refuses user-defined types in a row filter.

-- ------------------------------------------------------------------
-- The platform and its peers
-- ------------------------------------------------------------------
CREATE TABLE credit.platform (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    level       text NOT NULL CHECK (level IN ('县', '市', '省', '国家', '部门', '信用服务机构')),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    range_no    integer NOT NULL CHECK (range_no BETWEEN 1 AND 21473),
    set_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.platform IS '本平台 (this platform: its code, level and id range; one row, written by credit.set_platform)';
COMMENT ON COLUMN credit.platform.one IS '唯一行 (always true: the table has one row)';
COMMENT ON COLUMN credit.platform.code IS '平台代码 (the platform''s code, unique in the exchange network; lower-case letters, digits and _, as it names publications and slots)';
COMMENT ON COLUMN credit.platform.level IS '平台层级 (level: 县, 市, 省, 国家, 部门, 信用服务机构)';
COMMENT ON COLUMN credit.platform.name IS '平台名称 (name)';
COMMENT ON COLUMN credit.platform.range_no IS '编号段 (the platform''s id range, unique in the network: ids from range_no × 10^14, department ids from range_no × 10^5)';
COMMENT ON COLUMN credit.platform.set_at IS '设置时间 (set at)';
SELECT pg_catalog.pg_extension_config_dump('credit.platform', '');

CREATE TABLE credit.exchange_peer (
    peer         text PRIMARY KEY CHECK (peer ~ '^[a-z0-9_]{1,40}$'),
    name         text NOT NULL CHECK (btrim(name) <> ''),
    level        text NOT NULL CHECK (level IN ('县', '市', '省', '国家', '部门', '信用服务机构')),
    range_no     integer NOT NULL UNIQUE CHECK (range_no BETWEEN 1 AND 21473),
    direction    text NOT NULL CHECK (direction IN ('发送', '接收', '双向')),
    disclosures  text[] NOT NULL DEFAULT '{公开}'
                 CHECK (cardinality(disclosures) > 0 AND disclosures <@ '{公开,授权查询,部门共享}'),
    items        text[] CHECK (cardinality(items) > 0),
    added_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.exchange_peer IS '交换对象 (exchange peers: the platforms this one sends to or receives from, and what each may receive)';
COMMENT ON COLUMN credit.exchange_peer.peer IS '对象平台代码 (the peer''s platform code)';
COMMENT ON COLUMN credit.exchange_peer.name IS '名称 (name)';
COMMENT ON COLUMN credit.exchange_peer.level IS '层级 (level: 县, 市, 省, 国家, 部门, 信用服务机构)';
COMMENT ON COLUMN credit.exchange_peer.range_no IS '编号段 (the peer''s id range: credit.origin_of names it)';
COMMENT ON COLUMN credit.exchange_peer.direction IS '方向 (发送: this platform sends to it; 接收: receives from it; 双向: both)';
COMMENT ON COLUMN credit.exchange_peer.disclosures IS '可接收公开属性 (the disclosure levels the peer may receive, when this platform sends to it)';
COMMENT ON COLUMN credit.exchange_peer.items IS '可接收目录项 (the catalogue items whose records the peer may receive; NULL: every item)';
COMMENT ON COLUMN credit.exchange_peer.added_at IS '登记时间 (added at)';
SELECT pg_catalog.pg_extension_config_dump('credit.exchange_peer', '');

-- The tables that travel, in the order a publication lists them: their key
-- column, whether they carry exchange_scope, and the role columns (regrole)
-- that never travel.
CREATE FUNCTION credit.exchange_tables(OUT table_name regclass, OUT key_column name, OUT scoped boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.table_name::regclass, t.key_column, t.scoped
      FROM (VALUES ('credit.department', 'department_id'::name, false, 1),
                   ('credit.catalogue_item', NULL, false, 2),
                   ('credit.subject', 'subject_id', true, 3),
                   ('credit.record', 'record_id', true, 4),
                   ('credit.list_entry', 'entry_id', true, 5),
                   ('credit.objection', 'objection_id', true, 6),
                   ('credit.repair', 'repair_id', true, 7),
                   ('credit.commitment', 'commitment_id', false, 8),
                   ('credit.workflow_event', 'event_id', true, 9)) AS t(table_name, key_column, scoped, n)
     ORDER BY t.n;
END;
COMMENT ON FUNCTION credit.exchange_tables() IS '交换表清单 (the tables a publication sends, in order: the key column whose id names the origin, and whether the table carries exchange_scope)';

-- The column list a table travels with: every column but the generated ones
-- (the receiver computes them) and the role columns.
CREATE FUNCTION credit.exchange_columns(tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid OPERATOR(pg_catalog.=) exchange_columns.tab AND a.attnum OPERATOR(pg_catalog.>) 0
               AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) ''
               AND a.atttypid OPERATOR(pg_catalog.<>) 'pg_catalog.regrole'::pg_catalog.regtype);
COMMENT ON FUNCTION credit.exchange_columns(regclass) IS '交换列 (the columns of a table that travel, quoted, in table order: every column but generated ones and role columns (regrole), which are OIDs of the sending cluster)';

-- ------------------------------------------------------------------
-- Identities
-- ------------------------------------------------------------------
CREATE FUNCTION credit.platform_code() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT p.code FROM credit.platform p);
COMMENT ON FUNCTION credit.platform_code() IS '本平台代码 (this platform''s code; NULL before credit.set_platform)';

-- The platform whose range holds an id: this one, a peer, or NULL (an id
-- drawn before the platform was set, or of an unknown range).
CREATE FUNCTION credit.origin_of(id bigint) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce((SELECT p.code FROM credit.platform p
                              WHERE p.range_no OPERATOR(pg_catalog.=) (origin_of.id OPERATOR(pg_catalog./) 100000000000000)),
                            (SELECT e.peer FROM credit.exchange_peer e
                              WHERE e.range_no OPERATOR(pg_catalog.=) (origin_of.id OPERATOR(pg_catalog./) 100000000000000))));
COMMENT ON FUNCTION credit.origin_of(bigint) IS '来源平台 (the platform a row comes from, by the range of its id (record, list entry, objection, repair, event ...): this platform''s code, a peer''s, or NULL for an id of no known range)';

CREATE FUNCTION credit.department_origin(department_id integer) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce((SELECT p.code FROM credit.platform p
                              WHERE p.range_no OPERATOR(pg_catalog.=) (department_origin.department_id OPERATOR(pg_catalog./) 100000)),
                            (SELECT e.peer FROM credit.exchange_peer e
                              WHERE e.range_no OPERATOR(pg_catalog.=) (department_origin.department_id OPERATOR(pg_catalog./) 100000))));
COMMENT ON FUNCTION credit.department_origin(integer) IS '部门来源平台 (the platform a department belongs to, by the range of its id: this platform''s code, a peer''s, or NULL)';

-- Sets this platform, once: its code, level, name and range.  Every identity
-- sequence of the extension then draws from the range (ids below it were
-- drawn before and are refused by credit.create_publication).  Run again with
-- the same code and range it changes the name and level only, and sets the
-- sequences' bounds again (after a restore, which does not keep them).
CREATE FUNCTION credit.set_platform(code text, level text, name text, range_no integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur credit.platform;
    s record;
    lo bigint;
    hi bigint;
    last bigint;
    seqmin bigint;
    seqmax bigint;
BEGIN
    SELECT * INTO cur FROM credit.platform;
    IF FOUND AND (cur.code IS DISTINCT FROM set_platform.code OR cur.range_no IS DISTINCT FROM set_platform.range_no) THEN
        RAISE EXCEPTION 'this platform is already "%" with range %', cur.code, cur.range_no
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Ids were drawn from that range and travel with that code.',
                  HINT = 'A platform''s code and range are set once; call credit.set_platform with them to change the name or level.';
    END IF;
    IF EXISTS (SELECT FROM credit.exchange_peer e WHERE e.range_no OPERATOR(pg_catalog.=) set_platform.range_no) THEN
        RAISE EXCEPTION 'range % is the range of a peer', range_no
            USING ERRCODE = 'unique_violation', HINT = 'Each platform of the network has a range of its own.';
    END IF;
    INSERT INTO credit.platform AS p (code, level, name, range_no)
    VALUES (set_platform.code, set_platform.level, set_platform.name, set_platform.range_no)
    ON CONFLICT (one) DO UPDATE SET level = EXCLUDED.level, name = EXCLUDED.name;
    FOR s IN SELECT pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass AS seq,
                    a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.int4'::pg_catalog.regtype AS small
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid
              WHERE c.relnamespace OPERATOR(pg_catalog.=) 'credit'::pg_catalog.regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'r'
                AND a.attidentity OPERATOR(pg_catalog.<>) '' AND NOT a.attisdropped
              ORDER BY 1
    LOOP
        IF s.small THEN
            lo := set_platform.range_no::bigint OPERATOR(pg_catalog.*) 100000;
            hi := lo OPERATOR(pg_catalog.+) 99999;
        ELSE
            lo := set_platform.range_no::bigint OPERATOR(pg_catalog.*) 100000000000000;
            hi := lo OPERATOR(pg_catalog.+) 99999999999999;
        END IF;
        SELECT q.seqmin, q.seqmax INTO seqmin, seqmax FROM pg_catalog.pg_sequence q WHERE q.seqrelid OPERATOR(pg_catalog.=) s.seq;
        last := pg_catalog.pg_sequence_last_value(s.seq);
        IF last IS NULL OR last OPERATOR(pg_catalog.<) lo THEN
            EXECUTE pg_catalog.format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START WITH %s RESTART WITH %s', s.seq, lo, hi, lo, lo);
        ELSIF seqmin OPERATOR(pg_catalog.<>) lo OR seqmax OPERATOR(pg_catalog.<>) hi THEN
            EXECUTE pg_catalog.format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START WITH %s', s.seq, lo, hi, lo);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.set_platform(text, text, text, integer) IS '设置本平台 (the DBA sets this platform''s code, level, name and id range, once: every identity sequence of the extension then draws from the range; again with the same code and range: the name and level, and the sequences'' bounds after a restore)';

-- Adds or changes a peer.  A change of what it may receive applies to its
-- publication when credit.create_publication(peer) is called again.
CREATE FUNCTION credit.set_peer(peer text, name text, level text, range_no integer, direction text,
                                disclosures text[] DEFAULT '{公开}', items text[] DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unknown text[];
BEGIN
    IF set_peer.peer OPERATOR(pg_catalog.=) credit.platform_code()
       OR set_peer.range_no OPERATOR(pg_catalog.=) (SELECT p.range_no FROM credit.platform p) THEN
        RAISE EXCEPTION 'peer "%" has this platform''s code or range', set_peer.peer
            USING ERRCODE = 'unique_violation', HINT = 'Each platform of the network has a code and a range of its own.';
    END IF;
    SELECT pg_catalog.array_agg(i ORDER BY i) INTO unknown
      FROM pg_catalog.unnest(set_peer.items) AS i
     WHERE NOT EXISTS (SELECT FROM credit.catalogue_item c WHERE c.item_code OPERATOR(pg_catalog.=) i);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown catalogue items for peer "%": %', set_peer.peer, pg_catalog.array_to_string(unknown, ', ')
            USING ERRCODE = 'foreign_key_violation', HINT = 'Name items of credit.catalogue_item, or NULL for every item.';
    END IF;
    INSERT INTO credit.exchange_peer AS e (peer, name, level, range_no, direction, disclosures, items)
    VALUES (set_peer.peer, set_peer.name, set_peer.level, set_peer.range_no, set_peer.direction,
            set_peer.disclosures, set_peer.items)
    ON CONFLICT ON CONSTRAINT exchange_peer_pkey DO UPDATE
       SET name = EXCLUDED.name, level = EXCLUDED.level, range_no = EXCLUDED.range_no,
           direction = EXCLUDED.direction, disclosures = EXCLUDED.disclosures, items = EXCLUDED.items;
END
$$;
COMMENT ON FUNCTION credit.set_peer(text, text, text, integer, text, text[], text[]) IS '设置交换对象 (the DBA adds or changes a peer: code, name, level, id range, direction, the disclosure levels and catalogue items (NULL: all) it may receive)';

-- ------------------------------------------------------------------
-- The plain column the publications filter on
-- ------------------------------------------------------------------
-- exchange_scope is '<disclosure>:<item>' for a record and what belongs to
-- it (its objections and repairs), '<disclosure>:' for a list entry and its
-- objections, '组织:' or '个人:' for a subject, '本地' (never sent) for what
-- does not travel (e.g. an objection to a grade).  Set once, on insert: the
-- disclosure of a record or entry never changes in place.
CREATE FUNCTION credit.exchange_scope() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'record' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) NEW.item_code;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'list_entry' THEN
        NEW.exchange_scope := NEW.disclosure::text OPERATOR(pg_catalog.||) ':';
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'subject' THEN
        NEW.exchange_scope := CASE WHEN NEW.kind::text OPERATOR(pg_catalog.=) '自然人' THEN '个人:' ELSE '组织:' END;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'workflow_event' THEN
        -- an event of a commitment: its commitment's own disclosure (the
        -- guard copies no scope, a commitment has none)
        NEW.exchange_scope := coalesce((SELECT '承诺:' OPERATOR(pg_catalog.||) c.disclosure FROM credit.commitment c
                                         WHERE c.commitment_id OPERATOR(pg_catalog.=) NEW.object_id), '本地');
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT r.exchange_scope FROM credit.record r
                                         WHERE r.record_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'record_id')::bigint), '本地');
    ELSIF pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id' IS NOT NULL THEN
        NEW.exchange_scope := coalesce((SELECT e.exchange_scope FROM credit.list_entry e
                                         WHERE e.entry_id OPERATOR(pg_catalog.=)
                                               (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'entry_id')::bigint), '本地');
    ELSE
        NEW.exchange_scope := '本地';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.exchange_scope() IS '触发器: 交换范围 (trigger: sets exchange_scope on insert, the plain column the publications filter on: <disclosure>:<item> for a record and its objections and repairs, <disclosure>: for a list entry, 组织: or 个人: for a subject, 承诺:<disclosure> for an event of a commitment, 本地 for what never travels)';

DO $scope$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['subject', 'record', 'list_entry', 'objection', 'repair', 'workflow_event'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I ADD COLUMN exchange_scope text NOT NULL DEFAULT ''本地''', t);
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.%I.exchange_scope IS %L', t,
            '交换范围 (exchange scope, the plain column the publications of credit.create_publication filter on: '
            '<disclosure>:<item>, <disclosure>:, 组织:/个人: or 本地; set on insert'
            || CASE WHEN t = 'workflow_event' THEN ', copied from the object moved' ELSE '' END || ')');
        -- the replica identity holds the filtered column (PostgreSQL refuses
        -- an UPDATE published with a row filter on other columns); events
        -- are append-only, never updated.  exchange_scope leads, so that
        -- a lookup by the key keeps using the primary key.
        CONTINUE WHEN t = 'workflow_event';
        EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON credit.%I (exchange_scope, %I)',
                                  t || '_exchange_identity', t,
                                  CASE t WHEN 'subject' THEN 'subject_id' WHEN 'record' THEN 'record_id'
                                         WHEN 'list_entry' THEN 'entry_id' WHEN 'objection' THEN 'objection_id'
                                         ELSE 'repair_id' END);
        EXECUTE pg_catalog.format('ALTER TABLE credit.%I REPLICA IDENTITY USING INDEX %I', t, t || '_exchange_identity');
        EXECUTE pg_catalog.format('COMMENT ON INDEX credit.%I IS %L', t || '_exchange_identity',
                                  '交换复制标识 (replica identity: the key and exchange_scope, which the row filters read)');
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION credit.exchange_scope()', t || '_exchange_scope', t);
    END LOOP;
END
$scope$;

-- A commitment's events travel with it: the scope 承诺:<disclosure> (the
-- guard copies the scope of scoped objects only).
CREATE TRIGGER workflow_event_exchange_scope BEFORE INSERT ON credit.workflow_event
    FOR EACH ROW WHEN (NEW.machine = 'commitment' AND NOT credit.restoring('credit.workflow_event'))
    EXECUTE FUNCTION credit.exchange_scope();

-- A commitment travels by its own disclosure (plain text), which the
-- replica identity holds for the same reason.
CREATE UNIQUE INDEX commitment_exchange_identity ON credit.commitment (disclosure, commitment_id);
ALTER TABLE credit.commitment REPLICA IDENTITY USING INDEX commitment_exchange_identity;
COMMENT ON INDEX credit.commitment_exchange_identity IS '交换复制标识 (replica identity: the key and the disclosure, which the row filters read)';

-- ------------------------------------------------------------------
-- Publications and subscriptions
-- ------------------------------------------------------------------
CREATE FUNCTION credit.exchange_name(peer text) RETURNS name
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN ('credit_to_' OPERATOR(pg_catalog.||) peer)::name;
COMMENT ON FUNCTION credit.exchange_name(text) IS '交换名称 (the name of the publication and of the replication slot that send to a peer: credit_to_<peer>)';

-- The commitment disclosures a peer may receive (a commitment's own
-- disclosure, plain text): 可向社会公开 to a peer of 公开, 特定范围内公开 to a
-- peer of 授权查询 or 部门共享; 不可公开 never.
CREATE FUNCTION credit.exchange_commitment_disclosures(p credit.exchange_peer) RETURNS text[]
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN ARRAY(SELECT d FROM (SELECT '可向社会公开' AS d WHERE '公开' OPERATOR(pg_catalog.=) ANY (p.disclosures)
                                UNION ALL
                                SELECT '特定范围内公开' WHERE p.disclosures OPERATOR(pg_catalog.&&) '{授权查询,部门共享}'::text[]) x
                  ORDER BY d);
COMMENT ON FUNCTION credit.exchange_commitment_disclosures(credit.exchange_peer) IS '可接收承诺公开类别 (the commitment disclosures a peer may receive: 可向社会公开 to a peer of 公开, 特定范围内公开 to a peer of 授权查询 or 部门共享, 不可公开 never)';

-- The row filter by exchange_scope: the peer's disclosure levels (and items).
CREATE FUNCTION credit.exchange_level_filter(p credit.exchange_peer) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN CASE
        WHEN p.items IS NULL THEN
            pg_catalog.format('(split_part(exchange_scope, '':'', 1) = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(p.disclosures) d))
        ELSE
            -- the allowed items of each allowed level, and list entries (no item)
            pg_catalog.format('(exchange_scope = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(k), ', ' ORDER BY k)
                                 FROM (SELECT d OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) coalesce(i, '') AS k
                                         FROM pg_catalog.unnest(p.disclosures) d
                                        CROSS JOIN (SELECT pg_catalog.unnest(p.items) AS i UNION ALL SELECT NULL) x) keys))
    END;
COMMENT ON FUNCTION credit.exchange_level_filter(credit.exchange_peer) IS '交换范围过滤 (the row filter on exchange_scope for a peer: its disclosure levels, and its items when it has a list)';

-- The row filter of a table in a peer's publication.
CREATE FUNCTION credit.exchange_filter(p credit.exchange_peer, tab regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
    RETURN CASE
        WHEN tab OPERATOR(pg_catalog.=) 'credit.subject'::pg_catalog.regclass THEN
            CASE WHEN p.disclosures OPERATOR(pg_catalog.<@) '{公开}'::text[] THEN '(exchange_scope = ''组织:'')'
                 ELSE '(exchange_scope = ANY (ARRAY[''组织:'', ''个人:'']))' END
        WHEN tab OPERATOR(pg_catalog.=) 'credit.commitment'::pg_catalog.regclass THEN
            pg_catalog.format('(disclosure = ANY (ARRAY[%s]::text[]))',
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(credit.exchange_commitment_disclosures(p)) d))
        WHEN tab OPERATOR(pg_catalog.=) 'credit.catalogue_item'::pg_catalog.regclass THEN
            CASE WHEN p.items IS NULL THEN NULL
                 ELSE pg_catalog.format('(item_code = ANY (ARRAY[%s]::text[]))',
                                        (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(i), ', ' ORDER BY i)
                                           FROM pg_catalog.unnest(p.items) i)) END
        WHEN tab OPERATOR(pg_catalog.=) 'credit.workflow_event'::pg_catalog.regclass THEN
            -- and the events of the commitments the peer receives (scope
            -- 承诺:<disclosure>)
            pg_catalog.format('(%s OR (exchange_scope = ANY (ARRAY[%s]::text[])))', credit.exchange_level_filter(p),
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal('承诺:' OPERATOR(pg_catalog.||) d), ', ' ORDER BY d)
                                 FROM pg_catalog.unnest(credit.exchange_commitment_disclosures(p)) d))
        ELSE credit.exchange_level_filter(p)
    END;
COMMENT ON FUNCTION credit.exchange_filter(credit.exchange_peer, regclass) IS '交换行过滤 (the row filter of a table in a peer''s publication: by exchange_scope, the peer''s disclosure levels and items; natural persons only to a peer that receives more than 公开; commitments and their events by the commitment''s disclosure; NULL: every row)';

-- Builds (or rebuilds, after credit.set_peer) the publication that sends to
-- a peer.  The replication slot is made apart, by
-- credit.create_exchange_slot(peer), in a transaction of its own.
CREATE FUNCTION credit.create_publication(peer text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    t record;
    pub name := credit.exchange_name(create_publication.peer);
    parts text[] := '{}';
    f text;
    early text[] := '{}';
    below boolean;
BEGIN
    IF credit.platform_code() IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) create_publication.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', create_publication.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    -- ids drawn before the platform was set have no origin: they could be
    -- another platform's ids too (only data travels with such ids)
    FOR t IN SELECT * FROM credit.exchange_tables() x WHERE x.key_column IS NOT NULL
                AND x.table_name OPERATOR(pg_catalog.<>) 'credit.subject'::pg_catalog.regclass
                AND p.direction OPERATOR(pg_catalog.<>) '接收' LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s WHERE %I OPERATOR(pg_catalog.<) %s)', t.table_name, t.key_column,
                                  CASE WHEN t.key_column OPERATOR(pg_catalog.=) 'department_id' THEN '100000' ELSE '100000000000000' END)
            INTO below;
        IF below THEN
            early := early OPERATOR(pg_catalog.||) t.table_name::text;
        END IF;
    END LOOP;
    IF early OPERATOR(pg_catalog.<>) '{}' THEN
        RAISE EXCEPTION 'rows of % have ids drawn before this platform was set', pg_catalog.array_to_string(early, ', ')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Such ids carry no origin and may be another platform''s ids too.',
                  HINT = 'Set the platform with credit.set_platform before entering data on a platform that exchanges.';
    END IF;
    -- to a peer this platform sends to: the data it may receive
    FOR t IN SELECT * FROM credit.exchange_tables() WHERE p.direction OPERATOR(pg_catalog.<>) '接收' LOOP
        f := CASE WHEN t.table_name OPERATOR(pg_catalog.<>) 'credit.department'::pg_catalog.regclass
                  THEN credit.exchange_filter(p, t.table_name) END;
        parts := parts OPERATOR(pg_catalog.||) pg_catalog.format('TABLE %s (%s)%s', t.table_name,
                     credit.exchange_columns(t.table_name), coalesce(' WHERE ' OPERATOR(pg_catalog.||) f, ''));
    END LOOP;
    -- to a peer this platform receives from: the acknowledgements, back the
    -- other way, never the peer's own (which would bounce back to it)
    IF p.direction OPERATOR(pg_catalog.<>) '发送' THEN
        parts := parts OPERATOR(pg_catalog.||) pg_catalog.format('TABLE credit.exchange_ack WHERE (platform <> %L)', p.peer);
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_publication b WHERE b.pubname OPERATOR(pg_catalog.=) pub) THEN
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I SET %s', pub, pg_catalog.array_to_string(parts, ', '));
    ELSE
        EXECUTE pg_catalog.format('CREATE PUBLICATION %I FOR %s', pub, pg_catalog.array_to_string(parts, ', '));
    END IF;
    RETURN pub;
END
$$;
COMMENT ON FUNCTION credit.create_publication(text) IS '建立交换发布 (the DBA builds, or rebuilds after credit.set_peer, the publication credit_to_<peer>: to a peer this platform sends to, the departments, catalogue items, subjects, records, list entries, objections, repairs, commitments and events it may receive, filtered by exchange_scope, without role columns; to a peer this platform receives from, the acknowledgements (credit.exchange_ack) but the peer''s own; refused before credit.set_platform, and while data would travel with ids drawn before the platform was set)';

CREATE FUNCTION credit.create_exchange_slot(peer text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pub name := credit.exchange_name(create_exchange_slot.peer);
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication b WHERE b.pubname OPERATOR(pg_catalog.=) pub) THEN
        RAISE EXCEPTION 'there is no publication for peer "%"', create_exchange_slot.peer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Build it first with credit.create_publication(peer), and commit.';
    END IF;
    IF pg_catalog.current_setting('wal_level') OPERATOR(pg_catalog.<>) 'logical' THEN
        RAISE EXCEPTION 'wal_level is %, not logical', pg_catalog.current_setting('wal_level')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set wal_level = logical in postgresql.conf and restart the server.';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name OPERATOR(pg_catalog.=) pub) THEN
        PERFORM pg_catalog.pg_create_logical_replication_slot(pub, 'pgoutput');
    END IF;
    RETURN pub;
END
$$;
COMMENT ON FUNCTION credit.create_exchange_slot(text) IS '建立交换复制槽 (the DBA makes the logical replication slot credit_to_<peer> the peer''s subscription reads, after credit.create_publication, in a transaction of its own; kept if it exists)';

-- On the receiving platform: the subscription that receives from a peer.
CREATE FUNCTION credit.subscribe(peer text, conninfo text) RETURNS name
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p credit.exchange_peer;
    own text := credit.platform_code();
    sub name;
BEGIN
    IF own IS NULL THEN
        RAISE EXCEPTION 'this platform has no code yet'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Set it first with credit.set_platform(code, level, name, range_no).';
    END IF;
    SELECT * INTO p FROM credit.exchange_peer e WHERE e.peer OPERATOR(pg_catalog.=) subscribe.peer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown exchange peer "%"', subscribe.peer
            USING ERRCODE = 'foreign_key_violation', HINT = 'Add it with credit.set_peer first.';
    END IF;
    sub := ('credit_from_' OPERATOR(pg_catalog.||) p.peer)::name;
    -- binary off: the identifier types travel as text, checked again by
    -- their input functions here; the slot is the publisher's
    -- (credit.create_exchange_slot), so this runs inside a transaction
    EXECUTE pg_catalog.format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I '
                              'WITH (create_slot = false, slot_name = %L, binary = false, copy_data = true)',
                              sub, subscribe.conninfo, credit.exchange_name(own), credit.exchange_name(own));
    RETURN sub;
END
$$;
COMMENT ON FUNCTION credit.subscribe(text, text) IS '订阅交换 (the DBA subscribes to what a peer sends this platform: subscription credit_from_<peer> of the publication and slot credit_to_<this platform>, binary off, with the initial copy: from a peer this platform receives from, its data, whose applied rows keep their ids, states and events (only the chain and the acknowledgement triggers fire on them); from a peer this platform sends to, its acknowledgements)';

-- ------------------------------------------------------------------
-- Acknowledgements (交换回执), back the other way
-- ------------------------------------------------------------------
-- A platform that receives a repair result (a repair of another platform,
-- 已修复) acknowledges it with a row of credit.exchange_ack, keyed by its
-- own code.  The table travels against the data: only in the publications
-- to the peers this platform receives from, never the receiving peer's own
-- rows (PostgreSQL 15 has no origin = none), so an acknowledgement goes
-- down hop by hop (province -> city -> county) and never comes back up.  On
-- arrival at the repair's platform the sync event of 0.1 for that upper
-- platform (credit.sync_event, a target of kind 上级平台 whose code is the
-- acknowledging platform's) is acknowledged.  Both triggers are ENABLE
-- ALWAYS: they fire in the apply worker, on the rows that arrive.
CREATE TABLE credit.exchange_ack (
    platform         text NOT NULL CHECK (platform ~ '^[a-z0-9_]{1,40}$'),
    repair_id        bigint NOT NULL REFERENCES credit.repair,
    acknowledged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, repair_id)
);
COMMENT ON TABLE credit.exchange_ack IS '交换回执 (acknowledgements: one row per platform that received a repair result of another platform; append-only; travels back towards the repair''s platform, where it acknowledges the sync event)';
COMMENT ON COLUMN credit.exchange_ack.platform IS '确认平台 (the code of the platform that received and acknowledges; the row''s origin)';
COMMENT ON COLUMN credit.exchange_ack.repair_id IS '修复申请 (the repair received, 已修复; its id names its platform)';
COMMENT ON COLUMN credit.exchange_ack.acknowledged_at IS '确认时间 (when the acknowledging platform received the result)';

CREATE TRIGGER exchange_ack_append_only BEFORE UPDATE OR DELETE ON credit.exchange_ack
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER exchange_ack_no_truncate BEFORE TRUNCATE ON credit.exchange_ack
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

-- On the receiving platform: a repair of another platform arrives 已修复.
CREATE FUNCTION credit.repair_acknowledge() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own text := credit.platform_code();
BEGIN
    IF NEW.state OPERATOR(pg_catalog.=) '已修复'
       AND credit.origin_of(NEW.repair_id) OPERATOR(pg_catalog.<>) own THEN
        INSERT INTO credit.exchange_ack AS a (platform, repair_id) VALUES (own, NEW.repair_id)
        ON CONFLICT ON CONSTRAINT exchange_ack_pkey DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.repair_acknowledge() IS '触发器: 确认收到修复结果 (trigger, enabled always: a repair of another platform (by the range of its id) that arrives or becomes 已修复 is acknowledged by this platform in credit.exchange_ack; nothing for this platform''s own repairs or ids of no known range)';
CREATE TRIGGER repair_acknowledge AFTER INSERT OR UPDATE ON credit.repair
    FOR EACH ROW WHEN (NEW.state = '已修复') EXECUTE FUNCTION credit.repair_acknowledge();
ALTER TABLE credit.repair ENABLE ALWAYS TRIGGER repair_acknowledge;

-- On the repair's platform: an acknowledgement arrives.
CREATE FUNCTION credit.exchange_ack_arrived() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.sync_event s
       SET acknowledged_at = NEW.acknowledged_at, acknowledged_by = session_user::pg_catalog.regrole
      FROM credit.sync_target t
     WHERE s.repair_id OPERATOR(pg_catalog.=) NEW.repair_id AND s.target OPERATOR(pg_catalog.=) NEW.platform
       AND t.target OPERATOR(pg_catalog.=) s.target AND t.kind OPERATOR(pg_catalog.=) '上级平台'
       AND s.acknowledged_at IS NULL;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.exchange_ack_arrived() IS '触发器: 回执到达 (trigger, enabled always: an acknowledgement acknowledges the pending sync event of its repair for the upper platform (sync target of kind 上级平台) of the acknowledging platform''s code, at the time it was received there, by the applying role)';
CREATE TRIGGER exchange_ack_arrived AFTER INSERT ON credit.exchange_ack
    FOR EACH ROW EXECUTE FUNCTION credit.exchange_ack_arrived();
ALTER TABLE credit.exchange_ack ENABLE ALWAYS TRIGGER exchange_ack_arrived;

-- What was sent to upper platforms and not yet acknowledged.
CREATE VIEW credit.exchange_pending WITH (security_invoker = true) AS
SELECT s.target AS peer, 'repair'::text AS object, s.repair_id AS object_id, s.sync_id,
       s.queued_at AS sent_at, pg_catalog.now() OPERATOR(pg_catalog.-) s.queued_at AS age
  FROM credit.sync_event s
  JOIN credit.sync_target t ON t.target OPERATOR(pg_catalog.=) s.target
 WHERE t.kind OPERATOR(pg_catalog.=) '上级平台' AND s.acknowledged_at IS NULL;
COMMENT ON VIEW credit.exchange_pending IS '待确认交换 (what was sent to each upper platform and not yet acknowledged through the exchange: the repair results of credit.sync_event, with their age; security_invoker: the centre reads them)';
COMMENT ON COLUMN credit.exchange_pending.peer IS '对象平台 (the upper platform: the sync target''s code, a platform code)';
COMMENT ON COLUMN credit.exchange_pending.object IS '对象类别 (what was sent: repair)';
COMMENT ON COLUMN credit.exchange_pending.object_id IS '对象编号 (the repair''s id)';
COMMENT ON COLUMN credit.exchange_pending.sync_id IS '同步事件 (the sync event waiting)';
COMMENT ON COLUMN credit.exchange_pending.sent_at IS '发送时间 (queued at, when the repair became 已修复)';
COMMENT ON COLUMN credit.exchange_pending.age IS '等待时长 (how long it has waited)';

SELECT pg_catalog.pg_extension_config_dump('credit.exchange_ack', '');
