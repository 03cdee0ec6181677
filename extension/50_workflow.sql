-- The install script, part 50: layer 5, the workflow engine.
-- Each machine (record publicity, list entry, objection, repair) is data:
-- its states, its transitions (who may make each, whether a reason is
-- required) and its deadlines.  One generic guard trigger enforces every
-- machine; every accepted transition leaves an event row; a state changes
-- only through credit.transition(), whose request is kept in backend memory
-- by C (extension/workflow.c), so a plain UPDATE of a state column, a
-- timestamp or a deadline is refused for every role, the owner included.
-- The machines themselves: 51_publicity.sql, 52_objection.sql, 53_repair.sql.

CREATE TABLE credit.machine (
    machine        text PRIMARY KEY CHECK (machine ~ '^[a-z_]{1,32}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    table_name     regclass NOT NULL,
    key_column     name NOT NULL,
    state_column   name NOT NULL,
    reason_column  name NOT NULL,
    since_column   name NOT NULL,
    owned_columns  name[] NOT NULL
);
COMMENT ON TABLE credit.machine IS '流程状态机 (workflow machines: the table each one moves, its state column and the columns that belong to it)';
COMMENT ON COLUMN credit.machine.machine IS '状态机代码 (machine code, e.g. objection)';
COMMENT ON COLUMN credit.machine.name IS '状态机名称 (name, e.g. 异议)';
COMMENT ON COLUMN credit.machine.table_name IS '对象表 (the table of its objects)';
COMMENT ON COLUMN credit.machine.key_column IS '主键列 (the key column of that table)';
COMMENT ON COLUMN credit.machine.state_column IS '状态列 (the state column)';
COMMENT ON COLUMN credit.machine.reason_column IS '原因列 (column keeping the reason of the last transition)';
COMMENT ON COLUMN credit.machine.since_column IS '状态时间列 (column keeping when the state was entered)';
COMMENT ON COLUMN credit.machine.owned_columns IS '状态机专属列 (columns that change only with a transition: state, timestamps, deadlines)';

CREATE TABLE credit.machine_state (
    machine   text NOT NULL REFERENCES credit.machine ON UPDATE CASCADE,
    state     text NOT NULL CHECK (btrim(state) <> ''),
    initial   boolean NOT NULL DEFAULT false,
    terminal  boolean NOT NULL DEFAULT false,
    meaning   text NOT NULL,
    PRIMARY KEY (machine, state),
    CHECK (NOT (initial AND terminal))
);
COMMENT ON TABLE credit.machine_state IS '状态 (the states of each machine)';
COMMENT ON COLUMN credit.machine_state.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_state.state IS '状态 (state, the official term)';
COMMENT ON COLUMN credit.machine_state.initial IS '初始状态 (an object may start here)';
COMMENT ON COLUMN credit.machine_state.terminal IS '终止状态 (nothing is pending once here)';
COMMENT ON COLUMN credit.machine_state.meaning IS '含义 (meaning, in English)';

CREATE TABLE credit.machine_transition (
    machine          text NOT NULL,
    from_state       text NOT NULL,
    to_state         text NOT NULL,
    action           text NOT NULL CHECK (btrim(action) <> ''),
    party_kinds      credit.party_kind[] NOT NULL DEFAULT '{}',
    by_engine        boolean NOT NULL DEFAULT false,
    reason_required  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (machine, from_state, to_state),
    FOREIGN KEY (machine, from_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, to_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    CHECK (cardinality(party_kinds) > 0 OR by_engine)
);
COMMENT ON TABLE credit.machine_transition IS '允许的状态转换 (the allowed transitions of each machine: who may make them and whether a reason is required)';
COMMENT ON COLUMN credit.machine_transition.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_transition.from_state IS '原状态 (from)';
COMMENT ON COLUMN credit.machine_transition.to_state IS '新状态 (to; the same as from for a step that keeps the state, e.g. 延期)';
COMMENT ON COLUMN credit.machine_transition.action IS '操作 (the action, e.g. 受理)';
COMMENT ON COLUMN credit.machine_transition.party_kinds IS '可操作的参与方类别 (kinds of party that may make it)';
COMMENT ON COLUMN credit.machine_transition.by_engine IS '由系统执行 (made by the engine: the sweep or a side effect of another machine)';
COMMENT ON COLUMN credit.machine_transition.reason_required IS '须说明原因 (a reason is required)';

CREATE TABLE credit.machine_deadline (
    machine        text NOT NULL,
    state          text NOT NULL,
    deadline_column name NOT NULL,
    working_days   integer NOT NULL CHECK (working_days > 0),
    counted_from   text,
    counted_from_column name,
    from_state     text,
    source         text NOT NULL CHECK (btrim(source) <> ''),
    PRIMARY KEY (machine, state, deadline_column),
    FOREIGN KEY (machine, state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, counted_from) REFERENCES credit.machine_state ON UPDATE CASCADE,
    FOREIGN KEY (machine, from_state) REFERENCES credit.machine_state ON UPDATE CASCADE,
    CHECK (counted_from IS NULL OR counted_from_column IS NULL)
);
COMMENT ON TABLE credit.machine_deadline IS '办理时限 (deadline profile: when an object enters a state, a deadline column is set to a number of working days after that day, or after the day it entered another state)';
COMMENT ON COLUMN credit.machine_deadline.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.machine_deadline.state IS '进入状态 (set when the object enters this state)';
COMMENT ON COLUMN credit.machine_deadline.deadline_column IS '时限列 (the deadline column it sets)';
COMMENT ON COLUMN credit.machine_deadline.working_days IS '工作日数 (working days)';
COMMENT ON COLUMN credit.machine_deadline.counted_from IS '起算状态 (counted from the day the object entered this state; NULL: from the day of the transition)';
COMMENT ON COLUMN credit.machine_deadline.counted_from_column IS '起算日期列 (counted from the date in this column of the object, e.g. a list entry''s end of term; NULL in it: no deadline; NULL: from the day of the transition or of counted_from)';
COMMENT ON COLUMN credit.machine_deadline.from_state IS '来源状态 (set only when the object enters state from this one, e.g. a step that keeps the state; NULL: however it enters it, its creation included)';
COMMENT ON COLUMN credit.machine_deadline.source IS '依据 (source of the figure)';

-- A deadline of a machine counted from a date, for an effect that moves
-- the date the guard counted from (a list entry's 延期 moves its end of
-- term): NULL when the machine has no such deadline or the date is NULL.
CREATE FUNCTION credit.deadline_after(machine text, state text, deadline_column name, base date) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT credit.add_working_days(deadline_after.base, d.working_days)
              FROM credit.machine_deadline d
             WHERE d.machine OPERATOR(pg_catalog.=) deadline_after.machine
               AND d.state OPERATOR(pg_catalog.=) deadline_after.state
               AND d.deadline_column OPERATOR(pg_catalog.=) deadline_after.deadline_column);
COMMENT ON FUNCTION credit.deadline_after(text, text, name, date) IS '时限日期 (the deadline a row of credit.machine_deadline gives counted from a date: its working days after it; NULL without the row or the date)';

-- ------------------------------------------------------------------
-- The machine rows are checked when they are written: the guard (C) writes
-- into the columns they name, so a row naming a column of the wrong type,
-- the key or another machine's column would make it corrupt rows.  The
-- same checks run again when the guard loads the rows (machines.c), for a
-- row that an ALTER TABLE made wrong since.  credit.machine_state needs no
-- more than its constraints: the guard reads only its initial states.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.machine_column_problem(tab regclass, col name, typ regtype) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT CASE WHEN col IS NULL THEN 'a column name is null'
                        WHEN a.attnum IS NULL THEN pg_catalog.format('table %s has no column "%s"', tab, col)
                        WHEN a.attgenerated OPERATOR(pg_catalog.<>) '' THEN pg_catalog.format('column "%s" of %s is generated', col, tab)
                        WHEN typ IS NOT NULL AND a.atttypid OPERATOR(pg_catalog.<>) typ
                        THEN pg_catalog.format('column "%s" of %s is of type %s, not %s', col, tab,
                                               a.atttypid::pg_catalog.regtype, typ)
                   END
              FROM (SELECT) AS one
              LEFT JOIN pg_catalog.pg_attribute a
                ON a.attrelid OPERATOR(pg_catalog.=) tab AND a.attname OPERATOR(pg_catalog.=) col
               AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped);
COMMENT ON FUNCTION credit.machine_column_problem(regclass, name, regtype) IS '状态机列检查 (what is wrong with a column a machine row names: missing, a system or generated column, or not of the given type (NULL: any); NULL when nothing is)';

CREATE FUNCTION credit.machine_deadline_problem(machine text, deadline_column name, counted_from_column name) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT CASE WHEN m.machine IS NULL THEN pg_catalog.format('there is no machine "%s"', machine_deadline_problem.machine)
                        WHEN credit.machine_column_problem(m.table_name, machine_deadline_problem.deadline_column, 'pg_catalog.date'::pg_catalog.regtype) IS NOT NULL
                        THEN credit.machine_column_problem(m.table_name, machine_deadline_problem.deadline_column, 'pg_catalog.date'::pg_catalog.regtype)
                        WHEN machine_deadline_problem.deadline_column OPERATOR(pg_catalog.=) ANY
                             (ARRAY[m.key_column, m.state_column, m.reason_column, m.since_column])
                        THEN 'the deadline column is the key, state, reason or since column'
                        WHEN NOT machine_deadline_problem.deadline_column OPERATOR(pg_catalog.=) ANY (m.owned_columns)
                        THEN 'the deadline column is not one of the machine''s owned_columns'
                        WHEN machine_deadline_problem.counted_from_column IS NOT NULL
                        THEN credit.machine_column_problem(m.table_name, machine_deadline_problem.counted_from_column,
                                                           'pg_catalog.date'::pg_catalog.regtype)
                   END
              FROM (SELECT) AS one
              LEFT JOIN credit.machine m ON m.machine OPERATOR(pg_catalog.=) machine_deadline_problem.machine);
COMMENT ON FUNCTION credit.machine_deadline_problem(text, name, name) IS '时限列检查 (what is wrong with a deadline column: it must be a date column of the machine''s own table that the machine owns, not its key, state, reason or since column; the column it counts from, if any, a date column of that table; NULL when nothing is)';

CREATE FUNCTION credit.machine_rows_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    problem pg_catalog.text;
    row_name pg_catalog.text;
BEGIN
    IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine' THEN
        row_name := NEW.machine;
        SELECT CASE WHEN c.relkind IS NULL OR c.relkind OPERATOR(pg_catalog.<>) ALL (ARRAY['r', 'p']::pg_catalog."char"[])
                    THEN pg_catalog.format('%s is not a table', NEW.table_name)
                    -- two machines may share a table (record and record_publicity),
                    -- never a column
                    WHEN EXISTS (SELECT FROM credit.machine o WHERE o.table_name OPERATOR(pg_catalog.=) NEW.table_name
                                                               AND o.machine OPERATOR(pg_catalog.<>) NEW.machine
                                                               AND o.owned_columns OPERATOR(pg_catalog.&&) NEW.owned_columns)
                    THEN pg_catalog.format('owned_columns overlap those of another machine of table %s', NEW.table_name)
               END INTO problem
          FROM (SELECT) AS one
          LEFT JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) NEW.table_name;
        problem := coalesce(problem,
                            credit.machine_column_problem(NEW.table_name, NEW.key_column, 'pg_catalog.int8'::pg_catalog.regtype),
                            credit.machine_column_problem(NEW.table_name, NEW.state_column, NULL),
                            -- the state is text, or an enum (credit.record.state)
                            (SELECT pg_catalog.format('state column "%s" of %s is of type %s, not text or an enum',
                                                      NEW.state_column, NEW.table_name, a.atttypid::pg_catalog.regtype)
                               FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
                              WHERE a.attrelid OPERATOR(pg_catalog.=) NEW.table_name AND a.attname OPERATOR(pg_catalog.=) NEW.state_column
                                AND a.atttypid OPERATOR(pg_catalog.<>) 'pg_catalog.text'::pg_catalog.regtype
                                AND t.typtype OPERATOR(pg_catalog.<>) 'e'),
                            credit.machine_column_problem(NEW.table_name, NEW.reason_column, 'pg_catalog.text'::pg_catalog.regtype),
                            credit.machine_column_problem(NEW.table_name, NEW.since_column, 'pg_catalog.timestamptz'::pg_catalog.regtype),
                            CASE WHEN pg_catalog.array_position(NEW.owned_columns, NULL) IS NOT NULL
                                 THEN 'owned_columns holds a null'
                                 WHEN NEW.key_column OPERATOR(pg_catalog.=) ANY (NEW.owned_columns)
                                 THEN 'owned_columns holds the key column'
                                 WHEN NOT ARRAY[NEW.state_column, NEW.reason_column, NEW.since_column]
                                          OPERATOR(pg_catalog.<@) NEW.owned_columns
                                 THEN 'owned_columns must hold the state, reason and since columns'
                            END,
                            (SELECT pg_catalog.min(credit.machine_column_problem(NEW.table_name, o, NULL))
                               FROM pg_catalog.unnest(NEW.owned_columns) AS o));
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine_transition' THEN
        row_name := pg_catalog.format('%s, %s to %s', NEW.machine, NEW.from_state, NEW.to_state);
        IF pg_catalog.array_ndims(NEW.party_kinds) OPERATOR(pg_catalog.>) 1 THEN
            problem := 'party_kinds is not a one-dimensional array';
        ELSIF pg_catalog.array_position(NEW.party_kinds, NULL) IS NOT NULL THEN
            problem := 'party_kinds holds a null';
        END IF;
    ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'machine_deadline' THEN
        row_name := pg_catalog.format('%s, %s, %s', NEW.machine, NEW.state, NEW.deadline_column);
        problem := credit.machine_deadline_problem(NEW.machine, NEW.deadline_column, NEW.counted_from_column);
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'invalid row of credit.% (%): %', TG_TABLE_NAME, row_name, problem
            USING ERRCODE = 'check_violation',
                  DETAIL = 'The workflow guard writes into the columns a machine row names.',
                  HINT = 'See "Machines are data" in docs/workflows.md for what each column must be.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.machine_rows_check() IS '触发器: 状态机定义检查 (trigger: a row of credit.machine, machine_transition or machine_deadline names columns of its own table of the types the guard writes, a deadline column is a date column the machine owns, party_kinds holds no null)';

-- After a change of a machine: its deadlines still fit it.
CREATE FUNCTION credit.machine_deadlines_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d pg_catalog.record;
BEGIN
    SELECT x.machine, x.state, x.deadline_column,
           credit.machine_deadline_problem(x.machine, x.deadline_column, x.counted_from_column) AS problem
      INTO d
      FROM credit.machine_deadline x
     WHERE x.machine OPERATOR(pg_catalog.=) NEW.machine
       AND credit.machine_deadline_problem(x.machine, x.deadline_column, x.counted_from_column) IS NOT NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid row of credit.machine_deadline (%, %, %): %', d.machine, d.state, d.deadline_column, d.problem
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('The change of machine %s leaves a deadline that does not fit it.', NEW.machine),
                  HINT = 'Change or delete the deadline first.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.machine_deadlines_check() IS '触发器: 状态机变更后的时限检查 (trigger, after a machine row changes: every deadline of the machine still names a date column it owns)';

CREATE TRIGGER machine_rows_check BEFORE INSERT OR UPDATE ON credit.machine
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();
CREATE TRIGGER machine_deadlines_check AFTER UPDATE ON credit.machine
    FOR EACH ROW EXECUTE FUNCTION credit.machine_deadlines_check();
CREATE TRIGGER machine_transition_rows_check BEFORE INSERT OR UPDATE ON credit.machine_transition
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();
CREATE TRIGGER machine_deadline_rows_check BEFORE INSERT OR UPDATE ON credit.machine_deadline
    FOR EACH ROW EXECUTE FUNCTION credit.machine_rows_check();

CREATE TABLE credit.workflow_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- (no foreign key: only the guard writes events, for its own machine,
    -- and a key check would lock the machine's row for every event)
    machine     text NOT NULL,
    object_id   bigint NOT NULL,
    from_state  text NOT NULL,
    to_state    text NOT NULL,
    party       regrole NOT NULL DEFAULT current_user::regrole,
    party_kind  credit.party_kind,
    at          timestamptz NOT NULL DEFAULT now(),
    reason      text,
    details     jsonb,
    details_public jsonb GENERATED ALWAYS AS (credit.mask_details(details)) STORED
);
CREATE INDEX workflow_event_object ON credit.workflow_event (machine, object_id, event_id);
COMMENT ON TABLE credit.workflow_event IS '流程事件 (one row per accepted transition, written in the same transaction: machine, object, from, to, party, time, reason; append-only)';
COMMENT ON COLUMN credit.workflow_event.event_id IS '事件编号 (internal id)';
COMMENT ON COLUMN credit.workflow_event.machine IS '状态机 (machine)';
COMMENT ON COLUMN credit.workflow_event.object_id IS '对象编号 (the object moved: objection_id, repair_id, entry_id, record_id)';
COMMENT ON COLUMN credit.workflow_event.from_state IS '原状态 (from)';
COMMENT ON COLUMN credit.workflow_event.to_state IS '新状态 (to)';
COMMENT ON COLUMN credit.workflow_event.party IS '操作角色 (the role that made it; the extension owner for the engine)';
COMMENT ON COLUMN credit.workflow_event.party_kind IS '参与方类别 (its kind of party; NULL: the engine)';
COMMENT ON COLUMN credit.workflow_event.at IS '时间 (when: the transaction''s time)';
COMMENT ON COLUMN credit.workflow_event.reason IS '原因 (reason given)';
COMMENT ON COLUMN credit.workflow_event.details IS '附加信息 (details given with the transition, e.g. the outcome of an objection)';
COMMENT ON COLUMN credit.workflow_event.details_public IS '脱敏附加信息 (the details with personal data masked, credit.mask_details: what the portal reads)';
CREATE TRIGGER workflow_event_append_only BEFORE UPDATE OR DELETE ON credit.workflow_event
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER workflow_event_no_truncate BEFORE TRUNCATE ON credit.workflow_event
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();

SELECT pg_catalog.pg_extension_config_dump('credit.workflow_event', '');

-- ------------------------------------------------------------------
-- Moving objects
-- ------------------------------------------------------------------
CREATE FUNCTION credit.transition(machine text, object_ids bigint[], to_state text,
                                  reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'workflow_transition' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.transition(text, bigint[], text, text, jsonb) IS '状态转换 (move objects of a machine to a state, as the calling role: the guard checks the transition, the party and the reason and writes the events; returns how many moved; a null id, or ids that do not exist or are hidden, are an error naming them, and nothing moves)';

CREATE FUNCTION credit.transition(machine text, object_id bigint, to_state text,
                                  reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'workflow_transition_one' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.transition(text, bigint, text, text, jsonb) IS '状态转换 (move one object; see transition(text, bigint[], ...))';

-- The same, returning the ids moved (sorted), for a caller that moves a
-- batch and wants to know which objects it moved.
CREATE FUNCTION credit.transition_ids(machine text, object_ids bigint[], to_state text,
                                      reason text DEFAULT NULL, details jsonb DEFAULT NULL) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'workflow_transition_ids' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.transition_ids(text, bigint[], text, text, jsonb) IS '状态转换并返回编号 (move objects like credit.transition(), returning the ids moved, sorted)';

CREATE FUNCTION credit.transition_request(OUT machine text, OUT to_state text, OUT reason text,
                                          OUT details jsonb, OUT engine boolean, OUT object_ids bigint[])
    AS 'MODULE_PATHNAME', 'workflow_transition_request' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.transition_request() IS '当前转换请求 (the transition credit.transition() is making, for the guard; NULL outside one; engine: made by the extension''s own functions; object_ids: the ids asked to move)';

CREATE FUNCTION credit.in_transition(machine text, to_state text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'workflow_in_transition' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.in_transition(text, text) IS '转换中 (row predicate: is credit.transition() making a transition of this machine to this state now? for the insert policy of credit.workflow_event)';

-- What may happen from a state, for messages and for applications.
CREATE FUNCTION credit.allowed_transitions(machine text, from_state text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce(string_agg(format('"%s" (%s%s%s)', t.to_state, t.action,
                                              CASE WHEN cardinality(t.party_kinds) > 0
                                                   THEN ': ' || array_to_string(t.party_kinds, '/') ELSE ': 系统' END,
                                              CASE WHEN t.reason_required THEN ', 须说明原因' ELSE '' END),
                                       ', ' ORDER BY t.to_state), '(nothing: terminal state)')
              FROM credit.machine_transition t
             WHERE t.machine = allowed_transitions.machine AND t.from_state = allowed_transitions.from_state);
COMMENT ON FUNCTION credit.allowed_transitions(text, text) IS '可进行的转换 (what is allowed from a state: target, action, who, whether a reason is required)';

-- ------------------------------------------------------------------
-- The generic guard: BEFORE INSERT OR UPDATE FOR EACH ROW, argument the
-- machine.  On INSERT: the object starts in an initial state, its owned
-- columns are set here.  On UPDATE: without a transition request of this
-- machine no owned column may change; with one, the transition must be
-- allowed from the current state for the caller (its party kind, or the
-- engine), with a reason where required; the reason, the time and the
-- deadlines of the new state are set, and the event is written.  In C
-- (extension/guard.c; why C, and what it costs: docs/decisions.md).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.workflow_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'workflow_guard' LANGUAGE C;
COMMENT ON FUNCTION credit.workflow_guard() IS '触发器: 通用状态机守卫 (generic guard of every machine, in C, argument the machine: refuses transitions that are not allowed, owned columns set by hand and missing reasons, with a message naming the machine, the states and what is allowed; sets times and deadlines; writes the event)';

-- The guard caches the machines per session; a change of their tables
-- drops every session's cache.
CREATE FUNCTION credit.workflow_machines_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.workflow_machines_changed() IS '触发器: 状态机定义变更 (trigger: tells every session to drop its cached machine definitions)';
CREATE TRIGGER machine_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_state_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_state
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_transition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_transition
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();
CREATE TRIGGER machine_deadline_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.machine_deadline
    FOR EACH STATEMENT EXECUTE FUNCTION credit.workflow_machines_changed();

-- ------------------------------------------------------------------
-- Diagrams: each machine rendered as Graphviz from the data
-- ------------------------------------------------------------------
CREATE FUNCTION credit.machine_dot(machine text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN (
        SELECT format(E'digraph %s {\n  label="%s (%s)"; labelloc=t; rankdir=LR;\n  node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];\n  edge [fontname="Noto Sans CJK SC", fontsize=10];\n%s\n%s\n}\n',
                      m.machine, m.name, m.machine,
                      (SELECT string_agg(format('  "%s" [%s];', s.state,
                                                concat_ws(', ',
                                                          CASE WHEN s.initial THEN 'penwidth=2' END,
                                                          CASE WHEN s.terminal THEN 'peripheries=2' END,
                                                          format('tooltip="%s"', s.meaning))),
                                         E'\n' ORDER BY s.initial DESC, s.terminal, s.state)
                         FROM credit.machine_state s WHERE s.machine = m.machine),
                      (SELECT string_agg(format('  "%s" -> "%s" [label="%s\n%s%s"%s];', t.from_state, t.to_state, t.action,
                                                CASE WHEN cardinality(t.party_kinds) > 0
                                                     THEN array_to_string(t.party_kinds, '/') ELSE '' END
                                                || CASE WHEN t.by_engine
                                                        THEN CASE WHEN cardinality(t.party_kinds) > 0 THEN '/' ELSE '' END || '系统'
                                                        ELSE '' END,
                                                CASE WHEN t.reason_required THEN '\n须说明原因' ELSE '' END,
                                                CASE WHEN t.by_engine AND cardinality(t.party_kinds) = 0 THEN ', style=dashed' ELSE '' END),
                                         E'\n' ORDER BY t.from_state, t.to_state)
                         FROM credit.machine_transition t WHERE t.machine = m.machine))
          FROM credit.machine m WHERE m.machine = machine_dot.machine);
COMMENT ON FUNCTION credit.machine_dot(text) IS '状态机图 (the machine as a Graphviz digraph, from credit.machine_state and credit.machine_transition: bold initial states, double-bordered terminal ones, dashed edges made only by the engine)';
