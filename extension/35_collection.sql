-- The install script, part 35: layer 3, collection (归集): a department's
-- batch of records, loaded with one COPY into a staging table that takes
-- every line as text, then checked and moved into credit.record by one call,
-- credit.collect(batch_id).  Every bad row is kept, with its line, column,
-- rule and a message (personal values masked); the good rows go in through
-- the same INSERT and triggers as a single record (credit.record_before_insert
-- computes the category, the publicity period and the subject).  The batch
-- is a row; credit.collection_quality gives each department its acceptance
-- rate, lateness (双公示: 7 working days) and open errors, by month.
-- Row security: 90_row_security.sql; privileges: 91_privileges.sql;
-- docs/model.md, "Collection".

-- ------------------------------------------------------------------
-- The rules a batch is checked against (data: the centre enables,
-- disables and grades the quality rules; the rules that keep a row from
-- being stored at all are fixed)
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_rule (
    rule        text PRIMARY KEY CHECK (rule ~ '^[a-z_]{1,64}$'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text NOT NULL CHECK (btrim(description) <> ''),
    severity    text NOT NULL CHECK (severity IN ('拒收', '警告')),
    enabled     boolean NOT NULL DEFAULT true,
    fixed       boolean NOT NULL DEFAULT false,
    CONSTRAINT collection_rule_fixed CHECK (NOT fixed OR (enabled AND severity = '拒收'))
);
COMMENT ON TABLE credit.collection_rule IS '归集校验规则 (the rules a batch is checked against: 拒收 rejects the row, 警告 loads it and reports; fixed rules keep a row the record table would refuse and cannot be disabled)';
COMMENT ON COLUMN credit.collection_rule.rule IS '规则代码 (rule code)';
COMMENT ON COLUMN credit.collection_rule.name IS '规则名称 (name)';
COMMENT ON COLUMN credit.collection_rule.description IS '规则说明 (what the rule checks)';
COMMENT ON COLUMN credit.collection_rule.severity IS '处理方式 (拒收: the row is rejected; 警告: loaded, and reported)';
COMMENT ON COLUMN credit.collection_rule.enabled IS '启用 (enabled)';
COMMENT ON COLUMN credit.collection_rule.fixed IS '固定规则 (the record table would refuse the row anyway: always enabled, always 拒收)';

INSERT INTO credit.collection_rule (rule, name, description, severity, fixed) VALUES
    ('type', '数据类型', 'the value is not of the column''s type (a date as YYYY-MM-DD, an amount with at most 6 decimals, a value of the list)', '拒收', true),
    ('identifier', '代码校验', 'a 统一社会信用代码 or 公民身份号码 that does not pass its check', '拒收', true),
    ('required', '必填项', 'a required field is empty: for every record, and those of the 双公示 standard for 行政许可 and 行政处罚', '拒收', true),
    ('subject_key', '主体代码', 'a natural person is named by 公民身份号码 only, any other subject by 统一社会信用代码 only', '拒收', true),
    ('catalogue_item', '目录项', 'the row names another catalogue item than its batch', '拒收', true),
    ('disclosure', '公开属性', 'a natural person''s record cannot be 公开', '拒收', true),
    ('severity', '失信程度', 'a negative (失信) item''s record needs a severity, any other record has none', '拒收', true),
    ('date_order', '日期顺序', 'the conduct ends after the decision, or a licence ends before it starts', '拒收', true),
    ('insert', '入库', 'the record was refused on insert by a rule of credit.record (the message says which)', '拒收', true),
    ('duplicate_decision', '文书号重复', 'the decision number is already in force for this item in the department, or earlier in the batch', '拒收', false),
    ('future_decision', '决定日期在未来', 'the decision date is after today (the legal date)', '拒收', false);

-- ------------------------------------------------------------------
-- Batches
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_batch (
    batch_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_id integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    item_code     text NOT NULL REFERENCES credit.catalogue_item,
    file_name     text NOT NULL CHECK (btrim(file_name) <> ''),
    header_lines  integer NOT NULL DEFAULT 1 CHECK (header_lines >= 0),
    state         text NOT NULL DEFAULT '待归集' CHECK (state IN ('待归集', '已归集')),
    received      integer,
    accepted      integer,
    rejected      integer,
    warned        integer,
    late          integer,
    opened_by     regrole NOT NULL DEFAULT current_user::regrole,
    opened_at     timestamptz NOT NULL DEFAULT now(),
    received_on   date NOT NULL DEFAULT credit.legal_date(),
    collected_at  timestamptz,
    CONSTRAINT collection_batch_counts CHECK (
        CASE state WHEN '待归集' THEN num_nulls(received, accepted, rejected, warned, late, collected_at) = 6
                   ELSE num_nonnulls(received, accepted, rejected, warned, late, collected_at) = 6
                        AND received = accepted + rejected END)
);
CREATE INDEX collection_batch_department ON credit.collection_batch (department_id, opened_at);
COMMENT ON TABLE credit.collection_batch IS '归集批次 (a department''s batch: one file of one catalogue item, received, accepted, rejected; opened with credit.open_batch, collected with credit.collect)';
COMMENT ON COLUMN credit.collection_batch.batch_id IS '批次编号 (batch id)';
COMMENT ON COLUMN credit.collection_batch.department_id IS '报送部门 (submitting department)';
COMMENT ON COLUMN credit.collection_batch.item_code IS '目录项 (catalogue item of every row)';
COMMENT ON COLUMN credit.collection_batch.file_name IS '文件名 (file name, as the department gives it)';
COMMENT ON COLUMN credit.collection_batch.header_lines IS '表头行数 (lines before the first row: line numbers count from the file''s first line)';
COMMENT ON COLUMN credit.collection_batch.state IS '批次状态 (待归集 open for loading, 已归集 collected)';
COMMENT ON COLUMN credit.collection_batch.received IS '接收行数 (rows received)';
COMMENT ON COLUMN credit.collection_batch.accepted IS '入库行数 (rows stored as records)';
COMMENT ON COLUMN credit.collection_batch.rejected IS '拒收行数 (rows rejected, kept with their errors)';
COMMENT ON COLUMN credit.collection_batch.warned IS '警告行数 (rows stored with a warning)';
COMMENT ON COLUMN credit.collection_batch.late IS '逾期公示行数 (双公示 decisions stored more than 7 working days after the decision date: credit.add_working_days(decision_date, 7) before the legal date of collection)';
COMMENT ON COLUMN credit.collection_batch.opened_by IS '报送角色 (role that opened the batch; the only one that loads and collects it)';
COMMENT ON COLUMN credit.collection_batch.opened_at IS '接收时间 (received at)';
COMMENT ON COLUMN credit.collection_batch.received_on IS '接收日期 (the legal date the batch was received: its month in credit.collection_quality)';
COMMENT ON COLUMN credit.collection_batch.collected_at IS '归集时间 (collected at)';

-- ------------------------------------------------------------------
-- Staging: every loaded column of credit.record (credit.record_columns()),
-- as text, and the line.  Rows of a collected batch that are still here
-- were rejected: they wait to be corrected and sent again (or deleted).
-- ------------------------------------------------------------------
DO $staging$
BEGIN
    EXECUTE pg_catalog.format(
        'CREATE TABLE credit.collection_staging ('
        ' staging_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,'
        ' batch_id bigint NOT NULL,'
        ' department_id integer NOT NULL DEFAULT credit.current_department_id(),'
        ' line_no integer, %s)',
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name) || ' text', ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded));
END
$staging$;
CREATE INDEX collection_staging_batch ON credit.collection_staging (batch_id, staging_id);
COMMENT ON TABLE credit.collection_staging IS '归集暂存 (staging: each line of a batch as text, in the columns of credit.record_load; the rejected rows stay after credit.collect)';
COMMENT ON COLUMN credit.collection_staging.staging_id IS '暂存编号 (order of arrival)';
COMMENT ON COLUMN credit.collection_staging.batch_id IS '批次 (batch; no foreign key, checked per line once already: the policy collection_staging_load admits a line only into an open batch the loading role opened)';
COMMENT ON COLUMN credit.collection_staging.department_id IS '报送部门 (department, the loading role''s)';
COMMENT ON COLUMN credit.collection_staging.line_no IS '行号 (line in the file, set by credit.collect for a reported row)';

-- The batch a session loads into: credit.open_batch sets it.
-- (Here and below, a small SQL function without a SET clause and with
-- every name qualified: the planner inlines it; with the clause it would be
-- planned again for every row.)
CREATE FUNCTION credit.current_batch() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(pg_catalog.current_setting('credit_collection.batch_id', true), '')::bigint;
COMMENT ON FUNCTION credit.current_batch() IS '当前批次 (the batch this session opened last with credit.open_batch: the one COPY credit.collection_load fills when no batch_id is given)';

CREATE FUNCTION credit.open_batch(item_code text, file_name text, header_lines integer DEFAULT 1) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM credit.catalogue_item i
                    WHERE i.item_code OPERATOR(pg_catalog.=) open_batch.item_code
                      AND i.department_id OPERATOR(pg_catalog.=) credit.current_department_id()) THEN
        RAISE EXCEPTION 'catalogue item "%" is not an item of your department', item_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A department collects records of its own items of credit.catalogue_item.';
    END IF;
    INSERT INTO credit.collection_batch (item_code, file_name, header_lines)
    VALUES (open_batch.item_code, open_batch.file_name, open_batch.header_lines)
    RETURNING batch_id INTO id;
    PERFORM pg_catalog.set_config('credit_collection.batch_id', id::text, false);
    RETURN id;
END
$$;
COMMENT ON FUNCTION credit.open_batch(text, text, integer) IS '开启批次 (open a batch of one of the department''s catalogue items for a file; returns its id, which COPY credit.collection_load then fills in this session)';

-- PostgreSQL refuses COPY FROM into a table with row security: lines go
-- through this view.  Its INSTEAD OF row trigger (C, collection.c) only
-- keeps each line in backend memory; its statement trigger stores them all
-- in collection_staging with one INSERT as the calling role, so the
-- policies check every line (a batch the role opened, still open).
DO $load$
DECLARE
    loaded text := (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
                      FROM credit.record_columns() c WHERE c.loaded);
BEGIN
    EXECUTE pg_catalog.format('CREATE VIEW credit.collection_load AS SELECT %s, batch_id FROM credit.collection_staging WHERE false',
                              loaded);
    EXECUTE pg_catalog.format($f$
CREATE FUNCTION credit.collection_load_store() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
    INSERT INTO credit.collection_staging (batch_id, %1$s)
    SELECT coalesce(l.batch_id, credit.current_batch()), %2$s FROM credit.collection_load_lines() AS l;
    RETURN NULL;
END
$body$$f$, loaded,
        (SELECT pg_catalog.string_agg('l.' || pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded));
END
$load$;
CREATE FUNCTION credit.collection_load_keep() RETURNS trigger
    AS 'MODULE_PATHNAME', 'collection_load_keep' LANGUAGE C;
CREATE FUNCTION credit.collection_load_lines() RETURNS SETOF credit.collection_load
    AS 'MODULE_PATHNAME', 'collection_load_lines' LANGUAGE C VOLATILE PARALLEL RESTRICTED ROWS 1000;
DO $load_comments$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT l.column_name, pg_catalog.col_description('credit.record'::pg_catalog.regclass, a.attnum) AS description
               FROM credit.record_columns() l
               JOIN pg_catalog.pg_attribute a ON a.attrelid = 'credit.record'::pg_catalog.regclass AND a.attname = l.column_name
              WHERE l.loaded
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.collection_staging.%I IS %L', c.column_name,
                                  '原文 (as loaded, text): ' || c.description);
        EXECUTE pg_catalog.format('COMMENT ON COLUMN credit.collection_load.%I IS %L', c.column_name,
                                  '原文 (as loaded, text): ' || c.description);
    END LOOP;
END
$load_comments$;
COMMENT ON COLUMN credit.collection_load.batch_id IS '批次 (batch; credit.current_batch() when not given)';
COMMENT ON VIEW credit.collection_load IS '归集报送 (load view of a batch: COPY credit.collection_load FROM ... after credit.open_batch; every line is taken as text, checked by credit.collect)';
COMMENT ON FUNCTION credit.collection_load_keep() IS '触发器: 归集报送暂留 (INSTEAD OF row trigger of collection_load, C: keeps the line in backend memory for the statement trigger)';
COMMENT ON FUNCTION credit.collection_load_lines() IS '本语句报送行 (the lines the running INSERT or COPY into collection_load kept, in their order; once; none outside that statement)';
COMMENT ON FUNCTION credit.collection_load_store() IS '触发器: 归集报送写入 (statement trigger of collection_load: stores the statement''s lines in collection_staging with one INSERT as the calling role, in its open batch)';
CREATE TRIGGER collection_load_insert INSTEAD OF INSERT ON credit.collection_load
    FOR EACH ROW EXECUTE FUNCTION credit.collection_load_keep();
CREATE TRIGGER collection_load_store AFTER INSERT ON credit.collection_load
    FOR EACH STATEMENT EXECUTE FUNCTION credit.collection_load_store();

-- ------------------------------------------------------------------
-- Errors
-- ------------------------------------------------------------------
CREATE TABLE credit.collection_error (
    error_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      bigint NOT NULL REFERENCES credit.collection_batch,
    department_id integer NOT NULL REFERENCES credit.department,
    staging_id    bigint NOT NULL,
    line_no       integer NOT NULL,
    column_name   name,
    rule          text NOT NULL REFERENCES credit.collection_rule,
    severity      text NOT NULL CHECK (severity IN ('拒收', '警告')),
    message       text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_error_batch ON credit.collection_error (batch_id, line_no);
CREATE INDEX collection_error_staging ON credit.collection_error (staging_id);
COMMENT ON TABLE credit.collection_error IS '归集错误 (what credit.collect found in a batch: line, column, rule, message with personal values masked; open while its rejected row waits in collection_staging)';
COMMENT ON COLUMN credit.collection_error.error_id IS '错误编号 (error id)';
COMMENT ON COLUMN credit.collection_error.batch_id IS '批次 (batch)';
COMMENT ON COLUMN credit.collection_error.department_id IS '报送部门 (department)';
COMMENT ON COLUMN credit.collection_error.staging_id IS '暂存行 (the row in collection_staging)';
COMMENT ON COLUMN credit.collection_error.line_no IS '行号 (line of the file)';
COMMENT ON COLUMN credit.collection_error.column_name IS '列 (column; NULL for the whole row)';
COMMENT ON COLUMN credit.collection_error.rule IS '规则 (rule of credit.collection_rule)';
COMMENT ON COLUMN credit.collection_error.severity IS '处理方式 (拒收 or 警告, the rule''s when found)';
COMMENT ON COLUMN credit.collection_error.message IS '说明 (message; personal values masked)';
COMMENT ON COLUMN credit.collection_error.recorded_at IS '发现时间 (found at)';

-- A value as an error message may show it: a personal one masked like a
-- natural person's name (first character, then *).
CREATE FUNCTION credit.collection_shown(value text, personal boolean) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.quote_literal(CASE WHEN personal THEN credit.mask_person_name(value) ELSE value END);
COMMENT ON FUNCTION credit.collection_shown(text, boolean) IS '错误中的取值 (a value as an error message shows it, quoted: personal data masked, 张三 -> ''张*'')';

-- Is this text a date as YYYY-MM-DD (so the cast cannot fail)?  C
-- (collection.c): it runs for each date column of every staged row.
CREATE FUNCTION credit.collection_is_date(value text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'collection_is_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.collection_is_date(text) IS '是否为日期 (is the text a calendar date written YYYY-MM-DD? never raises)';

-- The checks of one staging row's typed columns, generated from the
-- record's column types: (bad, column, rule, message).  And the values as
-- credit.record takes them.  Both from credit.record_columns().
CREATE FUNCTION credit.collection_typed_columns(OUT column_name name, OUT type_sql text, OUT check_sql text,
                                                OUT rule text, OUT expected text, OUT personal boolean,
                                                OUT column_order smallint)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT c.column_name,
           CASE WHEN t.typnamespace OPERATOR(pg_catalog.=) 'credit'::pg_catalog.regnamespace
                THEN 'credit.' || pg_catalog.quote_ident(t.typname)
                ELSE pg_catalog.format_type(a.atttypid, a.atttypmod) END,
           -- an enum's labels written out (enum_range() would be called per row)
           CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'e'
                    THEN '%s OPERATOR(pg_catalog.=) ANY (' || pg_catalog.replace(pg_catalog.quote_literal(
                             (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                                FROM pg_catalog.pg_enum e WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid)::text), '%', '%%')
                         || '::text[])'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.date'::pg_catalog.regtype
                    THEN 'credit.collection_is_date(%s)'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.numeric'::pg_catalog.regtype
                    THEN '%s OPERATOR(pg_catalog.~) ''^[0-9]{1,12}(\.[0-9]{1,6})?$'''
                WHEN t.typname OPERATOR(pg_catalog.=) 'uscc' THEN 'credit.uscc_is_valid(%s)'
                WHEN t.typname OPERATOR(pg_catalog.=) 'resident_id' THEN 'credit.resident_id_is_valid(%s)'
           END,
           CASE WHEN t.typname IN ('uscc', 'resident_id') THEN 'identifier' ELSE 'type' END,
           CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'e'
                    THEN 'one of ' || (SELECT pg_catalog.string_agg(e.enumlabel::text, ', ' ORDER BY e.enumsortorder)
                                         FROM pg_catalog.pg_enum e WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid)
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.date'::pg_catalog.regtype THEN 'a date YYYY-MM-DD'
                WHEN a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.numeric'::pg_catalog.regtype
                    THEN 'an amount in 万元, at most 12 digits and 6 decimals'
                WHEN t.typname OPERATOR(pg_catalog.=) 'uscc' THEN 'a valid 统一社会信用代码'
                WHEN t.typname OPERATOR(pg_catalog.=) 'resident_id' THEN 'a valid 公民身份号码'
           END,
           c.column_name IN ('subject_name', 'subject_resident_id', 'legal_rep_name', 'legal_rep_id'),
           c.column_order
      FROM credit.record_columns() c
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid OPERATOR(pg_catalog.=) 'credit.record'::pg_catalog.regclass AND a.attname OPERATOR(pg_catalog.=) c.column_name
      JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
     WHERE c.loaded
     ORDER BY c.column_order;
END;
COMMENT ON FUNCTION credit.collection_typed_columns() IS '归集列类型 (the loaded columns of credit.record with the SQL of their type, the check a staged text must pass to be cast (NULL for text), the rule and what is expected, and whether the value is personal data)';

-- The fields a record of a category must have (besides those of every
-- record): the record's CHECK constraints record_penalty_fields and
-- record_licence_fields, column by column, so a batch reports each.
CREATE FUNCTION credit.collection_required(category credit.catalogue_category) RETURNS name[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN CASE category::text
        WHEN '行政处罚' THEN '{violation_type,violation_facts,penalty_basis,penalty_category,penalty_content,authority_name}'::name[]
        WHEN '行政许可' THEN '{licence_doc_name,licence_category,licence_no,valid_from,authority_name}'::name[]
        ELSE '{}'::name[] END;
COMMENT ON FUNCTION credit.collection_required(credit.catalogue_category) IS '类别必填项 (the fields a record of the category needs besides those of every record: the 双公示 fields of record_penalty_fields and record_licence_fields)';

CREATE TYPE credit.collection_finding AS (column_name name, rule text, message text);
COMMENT ON TYPE credit.collection_finding IS '校验发现 (one finding of credit.collect in a row: column, rule, message)';

-- The SQL of the findings in one staging row s of a batch of the given
-- item, an array of credit.collection_finding (NULL elements where a check
-- passes).  Every check reads only text, so no row can make it fail.
CREATE FUNCTION credit.collection_checks(item credit.catalogue_item) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT 'ARRAY[' || pg_catalog.array_to_string(ARRAY(
        -- types and identifiers
        SELECT pg_catalog.format(
                   'CASE WHEN s.%1$I <> '''' AND NOT (%2$s) THEN (%1$L, %3$L, pg_catalog.format(''%%s is not %%s'', '
                   'credit.collection_shown(s.%1$I, %4$L), %5$L))::credit.collection_finding END',
                   t.column_name, pg_catalog.format(t.check_sql, 's.' || pg_catalog.quote_ident(t.column_name)),
                   t.rule, t.personal, t.expected)
          FROM credit.collection_typed_columns() t WHERE t.check_sql IS NOT NULL
        UNION ALL
        -- required fields: of every record, and of the item's category
        SELECT pg_catalog.format(
                   'CASE WHEN pg_catalog.btrim(coalesce(s.%1$I, '''')) = '''' THEN (%1$L, ''required'', %2$L)::credit.collection_finding END',
                   r.column_name, r.column_name || ' is required' || CASE WHEN r.category THEN ' for ' || item.category::text ELSE '' END)
          FROM (SELECT c, false FROM pg_catalog.unnest('{subject_kind,subject_name,decision_no,decision_date}'::name[]) AS c
                UNION ALL
                SELECT c, true FROM pg_catalog.unnest(credit.collection_required(item.category)) AS c) AS r(column_name, category)
        UNION ALL
        SELECT x FROM pg_catalog.unnest(ARRAY[
            -- the item of the batch
            pg_catalog.format('CASE WHEN s.item_code <> %1$L THEN (''item_code'', ''catalogue_item'', '
                              'pg_catalog.format(''item %%s is not the batch''''s item %%s'', credit.collection_shown(s.item_code, false), %1$L))'
                              '::credit.collection_finding END', item.item_code),
            -- the subject's code, by kind
            $c$CASE WHEN s.subject_kind = '自然人' AND (coalesce(s.subject_resident_id, '') = '' OR coalesce(s.subject_uscc, '') <> '')
                    THEN ('subject_resident_id', 'subject_key', 'a natural person is named by subject_resident_id alone')::credit.collection_finding
                    WHEN s.subject_kind <> '自然人' AND (coalesce(s.subject_uscc, '') = '' OR coalesce(s.subject_resident_id, '') <> '')
                    THEN ('subject_uscc', 'subject_key', pg_catalog.format('a subject of kind %s is named by subject_uscc alone', s.subject_kind))::credit.collection_finding END$c$,
            -- a natural person is never 公开 (the default counts too)
            pg_catalog.format($c$CASE WHEN s.subject_kind = '自然人' AND coalesce(NULLIF(s.disclosure, ''), %L) = '公开'
                    THEN ('disclosure', 'disclosure', 'a natural person''s record cannot be 公开: give 授权查询 or 部门共享')::credit.collection_finding END$c$,
                              item.default_disclosure),
            -- severity by the item's polarity
            CASE WHEN item.polarity = '失信'
                 THEN $c$CASE WHEN coalesce(s.severity, '') = '' THEN ('severity', 'severity', 'a negative record needs a severity: 轻微, 一般 or 严重')::credit.collection_finding END$c$
                 ELSE pg_catalog.format($c$CASE WHEN coalesce(s.severity, '') <> '' THEN ('severity', 'severity', %L)::credit.collection_finding END$c$,
                                        'a record of a ' || item.polarity::text || ' item has no severity') END,
            -- dates in order (both valid dates)
            $c$CASE WHEN credit.collection_is_date(s.conduct_end_date) AND credit.collection_is_date(s.decision_date)
                         AND s.conduct_end_date::date > s.decision_date::date
                    THEN ('conduct_end_date', 'date_order', pg_catalog.format('the conduct ends (%s) after the decision (%s)', s.conduct_end_date, s.decision_date))::credit.collection_finding END$c$,
            $c$CASE WHEN credit.collection_is_date(s.valid_from) AND credit.collection_is_date(s.valid_until)
                         AND s.valid_until::date < s.valid_from::date
                    THEN ('valid_until', 'date_order', pg_catalog.format('the licence ends (%s) before it starts (%s)', s.valid_until, s.valid_from))::credit.collection_finding END$c$,
            -- quality rules
            -- (today once for the batch, not per row: a sub-SELECT)
            $c$CASE WHEN credit.collection_is_date(s.decision_date) AND s.decision_date::date > (SELECT credit.legal_date())
                    THEN ('decision_date', 'future_decision', pg_catalog.format('the decision date %s is after today (%s)', s.decision_date, pg_catalog.to_char((SELECT credit.legal_date()), 'YYYY-MM-DD')))::credit.collection_finding END$c$,
            $c$CASE WHEN s.first_line IS NOT NULL
                    THEN ('decision_no', 'duplicate_decision', pg_catalog.format('decision number %s is also on line %s', credit.collection_shown(s.decision_no, false), s.first_line))::credit.collection_finding
                    WHEN s.in_force IS NOT NULL
                    THEN ('decision_no', 'duplicate_decision', pg_catalog.format('decision number %s is already in force as record %s', credit.collection_shown(s.decision_no, false), s.in_force))::credit.collection_finding END$c$
            ]) AS x), ', ') || ']';
END;
COMMENT ON FUNCTION credit.collection_checks(credit.catalogue_item) IS '批次校验表达式 (the SQL of the checks of one staging row of a batch of the item: types and identifiers (from the record''s column types), required fields (every record''s, and the category''s), the subject''s code, disclosure, severity, date order, and the quality rules; an array of credit.collection_finding)';

-- The rows of a batch with their line in the file and what the duplicate
-- rule needs: the first line of the same decision number in the batch,
-- and the record in force of the department with it.
CREATE FUNCTION credit.collection_rows_sql() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN $q$
        SELECT n.*,
               CASE WHEN n.decision_no <> '' AND n.first_of_no < n.line THEN n.first_of_no END AS first_line,
               (SELECT r.record_id FROM credit.record r
                 WHERE r.department_id OPERATOR(pg_catalog.=) $2 AND r.item_code OPERATOR(pg_catalog.=) $3
                   AND r.decision_no OPERATOR(pg_catalog.=) n.decision_no AND r.state OPERATOR(pg_catalog.=) '有效') AS in_force
          FROM (SELECT l.*, pg_catalog.min(l.line) OVER (PARTITION BY l.decision_no) AS first_of_no
                  FROM (SELECT s.*, $4 + pg_catalog.row_number() OVER (ORDER BY s.staging_id) AS line
                          FROM credit.collection_staging s
                         WHERE s.batch_id OPERATOR(pg_catalog.=) $1) AS l) AS n$q$;
COMMENT ON FUNCTION credit.collection_rows_sql() IS '批次行查询 (the SQL of a batch''s staged rows ($1 batch, $2 department, $3 item, $4 header lines) with their line, the first line of the same decision number, and the record in force with it)';

-- The values of a staging row s as credit.record takes them, in the order
-- of credit.record_columns().
CREATE FUNCTION credit.collection_values_sql(named boolean DEFAULT false) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.string_agg(
                       CASE WHEN t.column_name OPERATOR(pg_catalog.=) 'item_code'
                            THEN 'coalesce(NULLIF(s.item_code, ''''), $2)'
                            ELSE pg_catalog.format('NULLIF(s.%I, '''')::%s', t.column_name, t.type_sql) END
                       || CASE WHEN named THEN ' AS ' || pg_catalog.quote_ident(t.column_name) ELSE '' END,
                       ', ' ORDER BY t.column_order)
              FROM credit.collection_typed_columns() t);
COMMENT ON FUNCTION credit.collection_values_sql(boolean) IS '暂存行取值 (the SQL of a staging row''s values cast to the record''s column types, in record_load''s order, named after the columns if asked; an empty text is NULL, no item the batch''s)';

-- The parts of credit.collect run only inside it, for the batch it
-- collects (credit.collecting(): backend memory only credit.collect sets).
CREATE FUNCTION credit.collection_inside(batch_id bigint, what text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF credit.collecting() IS DISTINCT FROM collection_inside.batch_id THEN
        RAISE EXCEPTION 'batch %: % runs only inside credit.collect', batch_id, what
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Collect a batch with credit.collect(batch_id).';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.collection_inside(bigint, text) IS '仅限归集内 (refuses unless credit.collect is collecting this batch now; what: the function refused, for the message)';

-- The staged rows of a batch with a finding of the given severity (拒收:
-- the rejected rows), as the caller may see the findings.  Used as
-- "staging_id [NOT] IN (SELECT ...)": one hashed lookup per row, whatever
-- the planner estimates for the batch (a correlated NOT EXISTS became a
-- scan of the findings per row).  A plain SQL function: inlined.
CREATE FUNCTION credit.collection_found(batch_id bigint, severity text) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.staging_id FROM credit.collection_error e
     WHERE e.batch_id OPERATOR(pg_catalog.=) $1 AND e.severity OPERATOR(pg_catalog.=) $2
$$;
COMMENT ON FUNCTION credit.collection_found(bigint, text) IS '有发现的暂存行 (the staged rows of a batch with a finding of the severity, 拒收 or 警告, as the caller sees the findings)';

-- The subjects of a batch's good rows (no 拒收 finding), for the batch
-- credit.collect is collecting only: those not yet known created at once
-- (two departments creating the same subject at once: the second waits and
-- skips it, as record_before_insert does), and each good row with its
-- subject.  SECURITY DEFINER like record_before_insert: the subject table
-- is the centre's.
CREATE FUNCTION credit.collection_subjects(batch_id bigint) RETURNS TABLE (staging_id bigint, subject_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM credit.collection_inside(collection_subjects.batch_id, 'credit.collection_subjects');
    RETURN QUERY
    WITH r AS MATERIALIZED (
        SELECT s.staging_id, NULLIF(s.subject_kind, '')::credit.subject_kind AS kind,
               NULLIF(s.subject_uscc, '')::credit.uscc AS uscc,
               NULLIF(s.subject_resident_id, '')::credit.resident_id AS resident_id,
               s.subject_name AS name, NULLIF(s.legal_rep_name, '') AS legal_rep_name,
               NULLIF(s.legal_rep_id, '')::credit.resident_id AS legal_rep_id
          FROM credit.collection_staging s
         WHERE s.batch_id OPERATOR(pg_catalog.=) collection_subjects.batch_id
           AND s.staging_id NOT IN (SELECT f FROM credit.collection_found(collection_subjects.batch_id, '拒收') AS f)),
    k AS MATERIALIZED (
        SELECT r.*,
               CASE WHEN r.kind OPERATOR(pg_catalog.=) '自然人'
                    THEN (SELECT x.subject_id FROM credit.subject x WHERE x.resident_id OPERATOR(credit.=) r.resident_id)
                    ELSE (SELECT x.subject_id FROM credit.subject x WHERE x.uscc OPERATOR(credit.=) r.uscc) END AS known
          FROM r),
    -- the first row of each new code names the subject, as one INSERT per
    -- row would; one created meanwhile by another transaction is skipped
    -- (its rows get no subject here: record_before_insert finds it)
    ins AS (
        INSERT INTO credit.subject (kind, uscc, resident_id, name, legal_rep_name, legal_rep_id)
        SELECT DISTINCT ON (k.uscc, k.resident_id) k.kind,
               CASE WHEN k.kind OPERATOR(pg_catalog.<>) '自然人' THEN k.uscc END,
               CASE WHEN k.kind OPERATOR(pg_catalog.=) '自然人' THEN k.resident_id END,
               k.name, k.legal_rep_name, k.legal_rep_id
          FROM k
         WHERE k.known IS NULL
         ORDER BY k.uscc, k.resident_id, k.staging_id
        ON CONFLICT DO NOTHING
        RETURNING credit.subject.subject_id, credit.subject.uscc, credit.subject.resident_id)
    SELECT k.staging_id, coalesce(k.known, iu.subject_id, ir.subject_id)
      FROM k
      LEFT JOIN ins iu ON k.known IS NULL AND k.kind OPERATOR(pg_catalog.<>) '自然人' AND iu.uscc OPERATOR(credit.=) k.uscc
      LEFT JOIN ins ir ON k.known IS NULL AND k.kind OPERATOR(pg_catalog.=) '自然人' AND ir.resident_id OPERATOR(credit.=) k.resident_id;
END
$$;
COMMENT ON FUNCTION credit.collection_subjects(bigint) IS '批次主体 (the subject of each good row of the batch credit.collect is collecting: found by its code, or created once for the batch; only inside credit.collect)';

-- The statement credit.collection_store runs: the good rows of a batch
-- (no 拒收 finding) into credit.record in one INSERT, with the derived
-- columns once for the batch (what record_before_insert
-- computes per row, which a row with its subject here skips): the
-- category and default disclosure of the item, the publicity
-- period of each severity and decision date, the subject.  A row
-- that trigger would refuse (a natural person's record 公开, a
-- severity against the item's polarity, no name, no period) gets no
-- subject here, so the trigger sees it and says why.
-- Parameters: $1 batch, $2 its item, $3 category, $4 default disclosure,
-- $5 polarity, $6 publicity months of the item.  Returns the number of
-- records stored and the distinct keys of their foreign keys.
CREATE FUNCTION credit.collection_store_sql() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN pg_catalog.format($q$
        WITH t AS MATERIALIZED (
            SELECT s.staging_id, %3$s FROM credit.collection_staging s
             WHERE s.batch_id OPERATOR(pg_catalog.=) $1
               AND s.staging_id NOT IN (SELECT f FROM credit.collection_found($1, '拒收') AS f)),
        -- the period of each severity and decision date of the batch, once
        p AS MATERIALIZED (
            SELECT d.severity, d.decision_date, pp.rule_set, pp.min_months, pp.max_months, pp.published
              FROM (SELECT DISTINCT t.severity, t.decision_date FROM t
                     WHERE t.severity IS NOT NULL AND t.decision_date IS NOT NULL) AS d
             CROSS JOIN LATERAL credit.publicity_period($2, d.severity, d.decision_date) AS pp
             WHERE $5 OPERATOR(pg_catalog.=) '失信' AND pp.rule_set IS NOT NULL),
        ins AS (
        INSERT INTO credit.record (%1$s, category, subject_id, publicity_start, publicity_end, rule_set,
                                   publicity_min_end, publicity_max_end, publicity_state, publicity_reason)
        SELECT %2$s, $3,
               CASE WHEN t.subject_name IS NOT NULL AND pg_catalog.btrim(t.subject_name) OPERATOR(pg_catalog.<>) ''
                     AND NOT (t.subject_kind OPERATOR(pg_catalog.=) '自然人'
                              AND coalesce(t.disclosure, $4) OPERATOR(pg_catalog.=) '公开')
                     AND (t.severity IS NOT NULL) OPERATOR(pg_catalog.=) ($5 OPERATOR(pg_catalog.=) '失信')
                     AND ($5 OPERATOR(pg_catalog.<>) '失信' OR p.rule_set IS NOT NULL)
                    THEN j.subject_id END,
               t.decision_date,
               CASE WHEN $5 OPERATOR(pg_catalog.<>) '失信' THEN m.months_end
                    WHEN p.published THEN m.max_end ELSE t.decision_date END,
               p.rule_set,
               CASE WHEN p.rule_set IS NOT NULL
                    THEN LEAST((t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => p.min_months))::date, m.max_end) END,
               CASE WHEN $5 OPERATOR(pg_catalog.<>) '失信' THEN m.months_end ELSE m.max_end END,
               CASE WHEN p.published OPERATOR(pg_catalog.=) false THEN '不公示' ELSE '公示中' END,
               CASE WHEN p.published OPERATOR(pg_catalog.=) false THEN p.rule_set OPERATOR(pg_catalog.||) ': 不予公示' END
          FROM t
          LEFT JOIN credit.collection_subjects($1) AS j ON j.staging_id OPERATOR(pg_catalog.=) t.staging_id
          LEFT JOIN p ON p.severity OPERATOR(pg_catalog.=) t.severity AND p.decision_date OPERATOR(pg_catalog.=) t.decision_date
          -- at most 5 years from the end of the conduct
          CROSS JOIN LATERAL (
              SELECT LEAST((t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => p.max_months))::date,
                                      (coalesce(t.conduct_end_date, t.decision_date) OPERATOR(pg_catalog.+) '5 years'::interval)::date) AS max_end,
                     (t.decision_date OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => $6))::date AS months_end) AS m
         ORDER BY t.staging_id
        RETURNING credit.record.item_code, credit.record.department_id, credit.record.subject_id, credit.record.corrects)
        -- the rows stored, and each distinct key of their foreign keys
        -- (checked by credit.collection_store, in this order)
        SELECT pg_catalog.count(*),
               ARRAY(SELECT DISTINCT ins.item_code FROM ins) AS item_code,
               ARRAY(SELECT DISTINCT ins.department_id FROM ins) AS department_id,
               ARRAY(SELECT DISTINCT ins.subject_id FROM ins) AS subject_id,
               ARRAY(SELECT DISTINCT ins.corrects FROM ins WHERE ins.corrects IS NOT NULL) AS corrects
          FROM ins$q$,
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        (SELECT pg_catalog.string_agg(CASE WHEN c.column_name OPERATOR(pg_catalog.=) 'disclosure'
                                           THEN 'coalesce(t.disclosure, $4)'
                                           ELSE 't.' || pg_catalog.quote_ident(c.column_name) END,
                                      ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        credit.collection_values_sql(true));
COMMENT ON FUNCTION credit.collection_store_sql() IS '批次入库语句 (the SQL of the INSERT of a batch''s good rows into credit.record, the derived columns computed once for the batch; returns the number stored and the distinct keys of their foreign keys; run by credit.collection_store only)';

-- The batch's INSERT (C, collection.c), only inside credit.collect for the
-- batch it collects: credit.collection_store_sql() as the calling role, the
-- per-row checks of credit.record's foreign keys replaced by one check of
-- each distinct key for the batch (the same rows found and locked FOR KEY
-- SHARE, as the referenced table's owner; docs/decisions.md).  Returns the
-- number of records stored, which the batch close then takes
-- (credit.collection_stored).
CREATE FUNCTION credit.collection_store(batch_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_store' LANGUAGE C STRICT;
COMMENT ON FUNCTION credit.collection_store(bigint) IS '批次入库 (C: the good rows of the batch credit.collect is collecting into credit.record in one INSERT, their foreign keys checked and locked once per distinct key; only inside credit.collect, once; returns the number stored)';
CREATE FUNCTION credit.collection_stored(batch_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'collection_stored' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.collection_stored(bigint) IS '批次已入库数 (inside credit.collect: the number of records credit.collection_store stored for the batch; NULL otherwise)';

-- Collect a batch: check every staged row set-based, keep what is wrong,
-- store the good rows in one INSERT as the calling role (the record's own
-- triggers and policies apply, as to a single INSERT), and close the
-- batch (credit.collection_batch_close counts it).  If the INSERT refuses
-- a row the checks let through, the good rows go in one by one and each
-- refused one is reported under the rule insert: no good row is lost.
CREATE FUNCTION credit.collection_run(batch_id bigint) RETURNS credit.collection_batch
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    b credit.collection_batch;
    item credit.catalogue_item;
    insert_sql text;
    one_sql text;
    row record;
    msg text;
    state text;
BEGIN
    PERFORM credit.collection_inside(collection_run.batch_id, 'credit.collection_run');
    SELECT * INTO b FROM credit.collection_batch x
     WHERE x.batch_id OPERATOR(pg_catalog.=) collection_run.batch_id AND x.state OPERATOR(pg_catalog.=) '待归集'
       AND x.opened_by OPERATOR(pg_catalog.=) current_user::regrole
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'batch % is not an open batch of yours', batch_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Open a batch with credit.open_batch(item_code, file_name), load it with COPY credit.collection_load, collect it once, as the role that opened it.';
    END IF;
    SELECT * INTO item FROM credit.catalogue_item i WHERE i.item_code OPERATOR(pg_catalog.=) b.item_code;

    -- every finding of every row, in one pass
    EXECUTE pg_catalog.format($q$
        INSERT INTO credit.collection_error (batch_id, department_id, staging_id, line_no, column_name, rule, severity, message)
        SELECT $1, $2, f.staging_id, f.line, (f.x).column_name, (f.x).rule, ru.severity, (f.x).message
          FROM (SELECT s.staging_id, s.line, pg_catalog.unnest(s.findings) AS x
                  FROM (SELECT s.staging_id, s.line, pg_catalog.array_remove(%s, NULL) AS findings
                          FROM (%s) AS s) AS s
                 WHERE pg_catalog.cardinality(s.findings) OPERATOR(pg_catalog.>) 0) AS f
          JOIN credit.collection_rule ru ON ru.rule OPERATOR(pg_catalog.=) (f.x).rule AND ru.enabled
         ORDER BY f.line$q$, credit.collection_checks(item), credit.collection_rows_sql())
        USING b.batch_id, b.department_id, b.item_code, b.header_lines;

    -- the good rows, in one statement
    insert_sql := pg_catalog.format(
        'INSERT INTO credit.record (%s) SELECT %s FROM credit.collection_staging s '
        'WHERE s.batch_id OPERATOR(pg_catalog.=) $1 AND %%s NOT EXISTS (SELECT FROM credit.collection_error e '
        'WHERE e.staging_id OPERATOR(pg_catalog.=) s.staging_id AND e.severity OPERATOR(pg_catalog.=) ''拒收'') '
        'ORDER BY s.staging_id',
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.column_name), ', ' ORDER BY c.column_order)
           FROM credit.record_columns() c WHERE c.loaded),
        credit.collection_values_sql());
    BEGIN
        PERFORM credit.collection_store(b.batch_id);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
        -- not about a row: the whole call fails, nothing is lost
        IF pg_catalog.left(state, 2) IN ('40', '53', '54', '57', '58', 'XX') THEN
            RAISE;
        END IF;
        one_sql := pg_catalog.format(insert_sql, 's.staging_id OPERATOR(pg_catalog.=) $3 AND');
        FOR row IN EXECUTE pg_catalog.format('SELECT s.staging_id, s.line FROM (%s) AS s ORDER BY s.staging_id',
                                             credit.collection_rows_sql())
                   USING b.batch_id, b.department_id, b.item_code, b.header_lines
        LOOP
            CONTINUE WHEN EXISTS (SELECT FROM credit.collection_error e
                                   WHERE e.staging_id OPERATOR(pg_catalog.=) row.staging_id
                                     AND e.severity OPERATOR(pg_catalog.=) '拒收');
            BEGIN
                EXECUTE one_sql USING b.batch_id, b.item_code, row.staging_id;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
                IF pg_catalog.left(state, 2) IN ('40', '53', '54', '57', '58', 'XX') THEN
                    RAISE;
                END IF;
                INSERT INTO credit.collection_error (batch_id, department_id, staging_id, line_no, column_name, rule, severity, message)
                VALUES (b.batch_id, b.department_id, row.staging_id, row.line, NULL, 'insert', '拒收', msg);
            END;
        END LOOP;
    END;

    UPDATE credit.collection_batch x SET state = '已归集'
     WHERE x.batch_id OPERATOR(pg_catalog.=) b.batch_id
    RETURNING * INTO b;
    RETURN b;
END
$$;
COMMENT ON FUNCTION credit.collection_run(bigint) IS '归集批次执行 (the body of credit.collect, as the calling role: only inside credit.collect, for the batch it collects)';

-- credit.collect in C (collection.c): it notes the batch it collects in
-- backend memory (credit.collecting()) while credit.collection_run runs;
-- nothing else can.
-- jit = off: JIT compilation of its few large statements cost 1.5-2.5 s a
-- batch, whatever its size (bench/results.md, 2026-12-02); their work is
-- index lookups and inserts, which compiled expressions do not speed up.
CREATE FUNCTION credit.collect(batch_id bigint) RETURNS credit.collection_batch
    AS 'MODULE_PATHNAME', 'collection_collect' LANGUAGE C
    SET jit = off;
COMMENT ON FUNCTION credit.collect(bigint) IS '归集批次 (collect a batch: every staged row checked in one pass against credit.collection_rule, each finding kept in collection_error with its line, column, rule and a masked message; the rows without a 拒收 finding stored in credit.record in one INSERT as the calling role; the batch closed with its counts; returns the batch)';

-- Closing a batch: the counts come from the tables, not from the caller.
-- The rows without a 拒收 finding must be records in force of the batch's
-- department and role (they were stored): they leave staging; the rejected
-- rows stay, with their line.
CREATE FUNCTION credit.collection_batch_close() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    noted bigint;
    stored integer;
    good integer;
    bad integer;
    warn integer;
    late_rows integer;
    category credit.catalogue_category;
BEGIN
    IF OLD.state OPERATOR(pg_catalog.<>) '待归集' OR NEW.state OPERATOR(pg_catalog.<>) '已归集' THEN
        RAISE EXCEPTION 'batch % is %: a batch is collected once', OLD.batch_id, OLD.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Open a new batch with credit.open_batch(item_code, file_name).';
    END IF;
    SELECT i.category INTO category FROM credit.catalogue_item i WHERE i.item_code OPERATOR(pg_catalog.=) NEW.item_code;
    UPDATE credit.collection_staging s SET line_no = e.line_no
      FROM (SELECT DISTINCT e.staging_id, e.line_no FROM credit.collection_error e
             WHERE e.batch_id OPERATOR(pg_catalog.=) NEW.batch_id) AS e
     WHERE s.staging_id OPERATOR(pg_catalog.=) e.staging_id;
    -- inside credit.collect, the records its INSERT stored (each good row
    -- once, as the role, in force: it returned their number); otherwise
    -- each good row's record in force, of the department and role, stored
    -- since the batch was opened, is looked up
    noted := credit.collection_stored(NEW.batch_id);
    WITH x AS (
        SELECT s.staging_id,
               s.staging_id IN (SELECT f FROM credit.collection_found(NEW.batch_id, '拒收') AS f) AS rejected,
               s.staging_id IN (SELECT f FROM credit.collection_found(NEW.batch_id, '警告') AS f) AS warned,
               (noted IS NOT NULL OR r.record_id IS NOT NULL) AS stored,
               CASE WHEN noted IS NULL THEN r.decision_date
                    WHEN credit.collection_is_date(s.decision_date) THEN s.decision_date::date END AS decision_date
          FROM credit.collection_staging s
          LEFT JOIN credit.record r
            ON noted IS NULL
           AND r.department_id OPERATOR(pg_catalog.=) NEW.department_id AND r.item_code OPERATOR(pg_catalog.=) NEW.item_code
           AND r.decision_no OPERATOR(pg_catalog.=) s.decision_no AND r.state OPERATOR(pg_catalog.=) '有效'
           AND r.submitted_by OPERATOR(pg_catalog.=) NEW.opened_by AND r.submitted_at OPERATOR(pg_catalog.>=) NEW.opened_at
         WHERE s.batch_id OPERATOR(pg_catalog.=) NEW.batch_id AND s.department_id OPERATOR(pg_catalog.=) NEW.department_id),
    -- by decision date, so that the due date is counted once per date
    g AS (
        SELECT x.decision_date,
               pg_catalog.count(*) FILTER (WHERE x.rejected) AS bad,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected) AS good,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected AND x.warned) AS warn,
               pg_catalog.count(*) FILTER (WHERE NOT x.rejected AND x.stored) AS stored
          FROM x GROUP BY x.decision_date)
    -- 双公示: published within 7 working days of the decision
    SELECT coalesce(pg_catalog.sum(g.bad), 0), coalesce(pg_catalog.sum(g.good), 0), coalesce(pg_catalog.sum(g.warn), 0),
           coalesce(pg_catalog.sum(g.stored), 0),
           coalesce(pg_catalog.sum(g.stored) FILTER (WHERE category IN ('行政许可', '行政处罚') AND g.decision_date IS NOT NULL
                                                   AND credit.legal_date() OPERATOR(pg_catalog.>) credit.add_working_days(g.decision_date, 7)), 0)
      INTO bad, good, warn, stored, late_rows
      FROM g;
    IF noted IS NOT NULL THEN
        stored := noted;
    END IF;
    IF stored OPERATOR(pg_catalog.<>) good THEN
        RAISE EXCEPTION 'batch %: % of its % good rows were not stored', NEW.batch_id, good - stored, good
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Collect a batch with credit.collect(batch_id).';
    END IF;
    DELETE FROM credit.collection_staging s
     WHERE s.batch_id OPERATOR(pg_catalog.=) NEW.batch_id
       AND s.staging_id NOT IN (SELECT f FROM credit.collection_found(NEW.batch_id, '拒收') AS f);
    NEW.received := good + bad;
    NEW.accepted := good;
    NEW.rejected := bad;
    NEW.warned := warn;
    NEW.late := late_rows;
    NEW.collected_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.collection_batch_close() IS '触发器: 批次归集完成 (trigger: a batch goes from 待归集 to 已归集 once; its counts are taken from the staged rows, their findings and the records stored; the stored rows leave staging, the rejected ones stay with their line)';
CREATE TRIGGER collection_batch_close BEFORE UPDATE ON credit.collection_batch
    FOR EACH ROW EXECUTE FUNCTION credit.collection_batch_close();

-- ------------------------------------------------------------------
-- Quality, per department and month
-- ------------------------------------------------------------------
CREATE VIEW credit.collection_quality WITH (security_invoker = true) AS
SELECT b.department_id,
       d.name AS department,
       pg_catalog.date_trunc('month', b.received_on)::date AS month,
       pg_catalog.count(*) AS batches,
       pg_catalog.count(*) FILTER (WHERE b.state = '已归集') AS collected,
       pg_catalog.sum(b.received) AS received,
       pg_catalog.sum(b.accepted) AS accepted,
       pg_catalog.sum(b.rejected) AS rejected,
       pg_catalog.sum(b.warned) AS warned,
       pg_catalog.round(pg_catalog.sum(b.accepted)::numeric / NULLIF(pg_catalog.sum(b.received), 0), 4) AS acceptance_rate,
       pg_catalog.sum(b.late) AS late,
       pg_catalog.sum(o.open_errors) AS open_errors
  FROM credit.collection_batch b
  JOIN credit.department d ON d.department_id = b.department_id
  CROSS JOIN LATERAL (SELECT pg_catalog.count(*) AS open_errors FROM credit.collection_error e
                       WHERE e.batch_id = b.batch_id AND e.severity = '拒收'
                         AND EXISTS (SELECT FROM credit.collection_staging s WHERE s.staging_id = e.staging_id)) AS o
 GROUP BY b.department_id, d.name, pg_catalog.date_trunc('month', b.received_on)::date;
COMMENT ON VIEW credit.collection_quality IS '归集质量 (per department and month of receipt: batches, rows received, accepted, rejected, warned, the acceptance rate, 双公示 decisions stored more than 7 working days late (credit.add_working_days), and the errors still open: their rejected row still waits in staging); shows what the caller may see';
COMMENT ON COLUMN credit.collection_quality.department_id IS '部门编号 (department id)';
COMMENT ON COLUMN credit.collection_quality.department IS '部门 (department)';
COMMENT ON COLUMN credit.collection_quality.month IS '月份 (month the batches were received, first day)';
COMMENT ON COLUMN credit.collection_quality.batches IS '批次数 (batches)';
COMMENT ON COLUMN credit.collection_quality.collected IS '已归集批次 (batches collected)';
COMMENT ON COLUMN credit.collection_quality.received IS '接收行数 (rows received)';
COMMENT ON COLUMN credit.collection_quality.accepted IS '入库行数 (rows stored)';
COMMENT ON COLUMN credit.collection_quality.rejected IS '拒收行数 (rows rejected)';
COMMENT ON COLUMN credit.collection_quality.warned IS '警告行数 (rows stored with a warning)';
COMMENT ON COLUMN credit.collection_quality.acceptance_rate IS '入库率 (accepted / received)';
COMMENT ON COLUMN credit.collection_quality.late IS '逾期公示 (双公示 decisions stored more than 7 working days after the decision)';
COMMENT ON COLUMN credit.collection_quality.open_errors IS '未处理错误 (拒收 findings whose row still waits in staging)';

SELECT pg_catalog.pg_extension_config_dump('credit.collection_batch', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_staging', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_error', '');
