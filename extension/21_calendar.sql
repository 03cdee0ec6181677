-- The install script, part 21: layer 2, the working-day calendar.
-- Working days (工作日) follow the State Council's holiday notice of each
-- year (国务院办公厅关于XXXX年部分节假日安排的通知): its holidays (放假) and its
-- 调休 working weekends (上班).  credit.calendar_year holds the years loaded
-- and their source, credit.calendar_day the days that deviate from Monday to
-- Friday; a year not loaded is Monday to Friday.  2025 and 2026 are shipped
-- here; the DBA loads later years with credit.load_calendar_year().
-- Row security for these tables is in 90_row_security.sql, their
-- privileges in 91_privileges.sql.

CREATE TYPE credit.day_kind AS ENUM ('放假', '上班');
COMMENT ON TYPE credit.day_kind IS '日类别 (kind of calendar day that deviates from Monday-Friday): 放假 holiday, not a working day; 上班 调休 working weekend day';

CREATE TABLE credit.calendar_year (
    year        integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 9999),
    title       text NOT NULL CHECK (btrim(title) <> ''),
    doc_no      text CHECK (btrim(doc_no) <> ''),
    issued_on   date NOT NULL,
    url         text CHECK (url ~ '^https?://\S+$'),
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE credit.calendar_year IS '工作日历年度 (calendar years loaded, with the State Council notice each comes from); a year not listed is Monday-Friday';
COMMENT ON COLUMN credit.calendar_year.year IS '年度 (calendar year)';
COMMENT ON COLUMN credit.calendar_year.title IS '通知标题 (title of the notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知)';
COMMENT ON COLUMN credit.calendar_year.doc_no IS '文号 (document number, e.g. 国办发明电〔2024〕12号; NULL: not known)';
COMMENT ON COLUMN credit.calendar_year.issued_on IS '发布日期 (date of the notice)';
COMMENT ON COLUMN credit.calendar_year.url IS '来源网址 (where the text was read)';
COMMENT ON COLUMN credit.calendar_year.note IS '备注 (note on the source)';
COMMENT ON COLUMN credit.calendar_year.shipped IS '随扩展提供 (shipped with the extension: restored by CREATE EXTENSION, not dumped by pg_dump, not changed here)';
COMMENT ON COLUMN credit.calendar_year.loaded_at IS '载入时间 (loaded at)';

CREATE TABLE credit.calendar_day (
    day      date PRIMARY KEY,
    year     integer NOT NULL REFERENCES credit.calendar_year ON DELETE CASCADE,
    kind     credit.day_kind NOT NULL,
    name     text NOT NULL CHECK (btrim(name) <> ''),
    shipped  boolean NOT NULL DEFAULT false,
    CONSTRAINT calendar_day_in_year CHECK (extract(year FROM day) = year),
    CONSTRAINT calendar_day_working_weekend CHECK (kind = '放假' OR extract(isodow FROM day) >= 6)
);
CREATE INDEX calendar_day_year ON credit.calendar_day (year);
COMMENT ON TABLE credit.calendar_day IS '节假日与调休日 (days that deviate from Monday-Friday: every day of a holiday period, and every 调休 working weekend day)';
COMMENT ON COLUMN credit.calendar_day.day IS '日期 (the day)';
COMMENT ON COLUMN credit.calendar_day.year IS '年度 (the calendar year whose notice lists it; the day lies in that year)';
COMMENT ON COLUMN credit.calendar_day.kind IS '类别 (放假: not a working day; 上班: a 调休 working Saturday or Sunday)';
COMMENT ON COLUMN credit.calendar_day.name IS '节日 (the holiday it belongs to: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 ...)';
COMMENT ON COLUMN credit.calendar_day.shipped IS '随扩展提供 (shipped with the extension: restored by CREATE EXTENSION, not dumped by pg_dump, not changed here)';

-- Rows shipped with the extension are not changed or deleted, and nobody
-- else ships rows: CREATE EXTENSION restores them, pg_dump leaves them out
-- (the filters below), so a change would be lost, or collide, on restore.
-- Days are checked here too, so a direct INSERT gets the same clear errors
-- as credit.load_calendar_year().
CREATE FUNCTION credit.calendar_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'calendar rows shipped with the extension are not changed (year %)', OLD.year
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  DETAIL = 'CREATE EXTENSION restores shipped rows and pg_dump leaves them out, so a change would be lost on restore.',
                  HINT = 'Add a day the notice adds as a new row of this year; a correction of a shipped day comes with an extension update.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        RAISE EXCEPTION 'only the extension ships calendar rows (year %)', NEW.year
            USING ERRCODE = 'prohibited_sql_statement_attempted',
                  HINT = 'Leave shipped at its default, false; rows loaded by the DBA are dumped by pg_dump.';
    END IF;
    IF TG_TABLE_NAME = 'calendar_day' THEN
        IF extract(year FROM NEW.day) <> NEW.year THEN
            RAISE EXCEPTION 'day % is outside calendar year %', to_char(NEW.day, 'YYYY-MM-DD'), NEW.year
                USING ERRCODE = 'check_violation',
                      HINT = pg_catalog.format('Give the day under year %s, or correct the date.', extract(year FROM NEW.day));
        END IF;
        IF NEW.kind = '上班' AND extract(isodow FROM NEW.day) < 6 THEN
            RAISE EXCEPTION '调休 working day % is not a Saturday or Sunday', to_char(NEW.day, 'YYYY-MM-DD')
                USING ERRCODE = 'check_violation',
                      HINT = 'Monday to Friday are working days unless they are holidays; list only working weekends as 上班.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.calendar_guard() IS '触发器: 工作日历校验 (trigger: checks calendar days, and keeps the rows shipped with the extension unchanged)';

-- ------------------------------------------------------------------
-- The legal date: deadlines, publicity periods and list terms are counted
-- in days of credit.timezone (default Asia/Shanghai, set by the DBA),
-- whatever the session's TimeZone.  credit.legal_date, for superusers only,
-- fixes today (tests, re-running a day).  In C (extension/legal_date.c).
-- ------------------------------------------------------------------
CREATE FUNCTION credit.legal_date() RETURNS date
    AS 'MODULE_PATHNAME', 'credit_legal_date' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.legal_date() IS '法定日期 (today''s date for the law: the transaction''s start in credit.timezone, Asia/Shanghai by default, whatever the session''s TimeZone; credit.legal_date fixes it)';
CREATE FUNCTION credit.legal_date(t timestamptz) RETURNS date
    AS 'MODULE_PATHNAME', 'credit_legal_date_at' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.legal_date(timestamptz) IS '时刻的法定日期 (the date of an instant in credit.timezone)';

-- ------------------------------------------------------------------
-- Working-day arithmetic.  Monday to Friday by closed formulas over a
-- weekday number; the deviating days are read from calendar_day by primary
-- key range, one small index scan per call in the usual case.  PL/pgSQL
-- rather than SQL functions: PostgreSQL 15 plans a non-inlined SQL
-- function's query on every call, PL/pgSQL keeps the plan for the session.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.weekday_number(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN 5 * (((d - date '2001-01-01') - (((d - date '2001-01-01') % 7) + 7) % 7) / 7)
           + least((((d - date '2001-01-01') % 7) + 7) % 7 + 1, 5);
COMMENT ON FUNCTION credit.weekday_number(date) IS '周一至周五序号 (number of Monday-Friday days from 2001-01-01, a Monday, up to and including d; weekday_number(b) - weekday_number(a) is the number of Monday-Friday days after a up to b)';

CREATE FUNCTION credit.weekday_of_number(k integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN date '2001-01-01' + 7 * ((k - 1 - (((k - 1) % 5) + 5) % 5) / 5) + (((k - 1) % 5) + 5) % 5;
COMMENT ON FUNCTION credit.weekday_of_number(integer) IS '序号对应的周一至周五日期 (the Monday-Friday day whose weekday_number is k)';

CREATE FUNCTION credit.is_working_day(d date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k credit.day_kind;
BEGIN
    SELECT c.kind INTO k FROM credit.calendar_day c WHERE c.day = d;
    IF FOUND THEN
        RETURN k = '上班';
    END IF;
    RETURN extract(isodow FROM d) < 6;
END
$$;
COMMENT ON FUNCTION credit.is_working_day(date) IS '是否工作日 (is d a working day? a holiday or 调休 working day of credit.calendar_day, otherwise Monday-Friday)';

-- The n-th working day after d: walk from deviating day to deviating day
-- (the next one after x, by the primary key), counting Monday-Friday in
-- between, until the next deviating day lies beyond the day Monday-Friday
-- would then give.  A weekday holiday puts the answer one day further, a
-- working weekend one day nearer.  Backwards alike.  One index probe when
-- no deviating day is crossed, one more per deviating day crossed.
CREATE FUNCTION credit.add_working_days(d date, n integer) RETURNS date
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    x date := d;                    -- deviating days up to x are counted
    remaining integer := abs(n);    -- working days still to go from x
    wx integer;                     -- weekday_number(x); of x - 1 going back
    wc integer;
    answer date;
    next_day date;
    next_kind credit.day_kind;
BEGIN
    IF n = 0 THEN
        RETURN d;
    ELSIF n > 0 THEN
        wx := credit.weekday_number(x);
    ELSE
        wx := credit.weekday_number(x - 1);
    END IF;
    LOOP
        IF n > 0 THEN
            answer := credit.weekday_of_number(wx + remaining);
            SELECT c.day, c.kind INTO next_day, next_kind
              FROM credit.calendar_day c WHERE c.day > x ORDER BY c.day LIMIT 1;
            IF NOT FOUND OR next_day > answer THEN
                RETURN answer;
            END IF;
            wc := credit.weekday_number(next_day);
            remaining := remaining - (wc - wx);
        ELSE
            answer := credit.weekday_of_number(wx - remaining + 1);
            SELECT c.day, c.kind INTO next_day, next_kind
              FROM credit.calendar_day c WHERE c.day < x ORDER BY c.day DESC LIMIT 1;
            IF NOT FOUND OR next_day < answer THEN
                RETURN answer;
            END IF;
            wc := credit.weekday_number(next_day - 1);
            remaining := remaining - (wx - wc);
        END IF;
        wx := wc;
        -- next_day was counted as Monday-Friday counts it
        IF next_kind = '放假' AND extract(isodow FROM next_day) < 6 THEN
            remaining := remaining + 1;
        ELSIF next_kind = '上班' AND extract(isodow FROM next_day) >= 6 THEN
            remaining := remaining - 1;
        END IF;
        x := next_day;
        IF remaining = 0 THEN
            RETURN x;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION credit.add_working_days(date, integer) IS '加工作日 (the n-th working day after d, or before d when n < 0, by credit.calendar_day, Monday-Friday in years not loaded; n = 0 gives d)';

-- Monday-Friday from the weekday numbers, corrected by the deviating days
-- in the range: skipped (one index probe) when there are none.
CREATE FUNCTION credit.working_days_between(d1 date, d2 date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lo date := least(d1, d2);
    hi date := greatest(d1, d2);
    next_day date;
    adjust integer := 0;
BEGIN
    SELECT c.day INTO next_day FROM credit.calendar_day c WHERE c.day > lo ORDER BY c.day LIMIT 1;
    IF next_day <= hi THEN
        -- a weekday holiday is one working day fewer, a working weekend one more
        SELECT sum(CASE WHEN c.kind = '上班' THEN 1 ELSE 0 END
                   - CASE WHEN extract(isodow FROM c.day) < 6 THEN 1 ELSE 0 END)
          INTO adjust
          FROM credit.calendar_day c WHERE c.day > lo AND c.day <= hi;
    END IF;
    RETURN CASE WHEN d2 >= d1 THEN 1 ELSE -1 END
           * (credit.weekday_number(hi) - credit.weekday_number(lo) + adjust);
END
$$;
COMMENT ON FUNCTION credit.working_days_between(date, date) IS '工作日数 (working days after d1 up to and including d2, by credit.calendar_day, Monday-Friday in years not loaded; negative when d2 < d1)';

-- ------------------------------------------------------------------
-- Loading a year (the DBA or the credit centre)
-- ------------------------------------------------------------------
CREATE FUNCTION credit.load_calendar_year(year integer, title text, doc_no text, issued_on date,
                                          url text, holidays jsonb, note text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    h jsonb;
    bad boolean;
    hname text;
    day_from date;
    day_to date;
    day date;
    kind text;
    seen jsonb := '{}';
    n integer := 0;
BEGIN
    IF year IS NULL OR title IS NULL OR issued_on IS NULL OR holidays IS NULL THEN
        RAISE EXCEPTION 'year, title, issued_on and holidays must be given'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'doc_no, url and note may be NULL when they are not known.';
    END IF;
    IF EXISTS (SELECT 1 FROM credit.calendar_year y WHERE y.year = load_calendar_year.year) THEN
        RAISE EXCEPTION 'calendar year % is already loaded', year
            USING ERRCODE = 'unique_violation',
                  HINT = pg_catalog.format('To load it again, first DELETE FROM credit.calendar_year WHERE year = %s (its days go with it).', year);
    END IF;
    IF jsonb_typeof(holidays) <> 'array' OR jsonb_array_length(holidays) = 0 THEN
        RAISE EXCEPTION 'holidays must be a non-empty JSON array'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give one object per holiday of the notice: {"name": "春节", "from": "2027-02-06", "to": "2027-02-14", "working": ["2027-02-15"]}.';
    END IF;
    INSERT INTO credit.calendar_year (year, title, doc_no, issued_on, url, note)
    VALUES (year, title, doc_no, issued_on, url, note);

    FOR h IN SELECT e FROM jsonb_array_elements(holidays) AS e LOOP
        IF jsonb_typeof(h) IS DISTINCT FROM 'object' THEN
            bad := true;
        ELSE
            bad := NOT (h ? 'name' AND h ? 'from')
                   OR EXISTS (SELECT 1 FROM jsonb_object_keys(h) k WHERE k NOT IN ('name', 'from', 'to', 'working'));
        END IF;
        IF bad THEN
            RAISE EXCEPTION 'invalid holiday %', h
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Each holiday is an object with "name", "from", optionally "to" (the last day off; default "from") and "working" (an array of 调休 working days).';
        END IF;
        hname := h->>'name';
        day_from := (h->>'from')::date;
        day_to := coalesce((h->>'to')::date, day_from);
        IF day_to < day_from THEN
            RAISE EXCEPTION 'holiday % ends (%) before it starts (%)', hname, to_char(day_to, 'YYYY-MM-DD'), to_char(day_from, 'YYYY-MM-DD')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF h ? 'working' AND jsonb_typeof(h->'working') <> 'array' THEN
            RAISE EXCEPTION 'working days of holiday % must be a JSON array of dates', hname
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- every day off, then every 调休 working day
        FOR day, kind IN
            SELECT g::date, '放假' FROM generate_series(day_from, day_to, interval '1 day') AS g
            UNION ALL
            SELECT (e #>> '{}')::date, '上班' FROM jsonb_array_elements(coalesce(h->'working', '[]')) AS e
        LOOP
            IF seen ? to_char(day, 'YYYY-MM-DD') THEN
                RAISE EXCEPTION 'day % is listed twice for calendar year %', to_char(day, 'YYYY-MM-DD'), year
                    USING ERRCODE = 'unique_violation',
                          DETAIL = pg_catalog.format('It is listed under %s and under %s.', seen->>to_char(day, 'YYYY-MM-DD'), hname),
                          HINT = 'Give each day once: a day off in one holiday''s period, or a working day of one holiday.';
            END IF;
            seen := seen || jsonb_build_object(to_char(day, 'YYYY-MM-DD'), hname);
            INSERT INTO credit.calendar_day (day, year, kind, name)
            VALUES (day, year, kind::credit.day_kind, hname);
            n := n + 1;
        END LOOP;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION credit.load_calendar_year(integer, text, text, date, text, jsonb, text) IS '载入年度工作日历 (load a year from its State Council notice: the source, and per holiday its days off and its 调休 working days as JSON; returns the number of days stored)';

-- ------------------------------------------------------------------
-- Shipped years.  Loaded as the DBA would, then marked shipped: they come
-- with CREATE EXTENSION and pg_dump leaves them out.
-- ------------------------------------------------------------------
SELECT credit.load_calendar_year(2025, '国务院办公厅关于2025年部分节假日安排的通知', '国办发明电〔2024〕12号',
    '2024-11-12', 'https://m.gmw.cn/2024-11/12/content_1303894933.htm', $json$[
    {"name": "元旦",           "from": "2025-01-01"},
    {"name": "春节",           "from": "2025-01-28", "to": "2025-02-04", "working": ["2025-01-26", "2025-02-08"]},
    {"name": "清明节",         "from": "2025-04-04", "to": "2025-04-06"},
    {"name": "劳动节",         "from": "2025-05-01", "to": "2025-05-05", "working": ["2025-04-27"]},
    {"name": "端午节",         "from": "2025-05-31", "to": "2025-06-02"},
    {"name": "国庆节、中秋节", "from": "2025-10-01", "to": "2025-10-08", "working": ["2025-09-28", "2025-10-11"]}
    ]$json$, '新华社转载 (text from the Xinhua republication)');
SELECT credit.load_calendar_year(2026, '国务院办公厅关于2026年部分节假日安排的通知', NULL,
    '2025-11-04', 'https://politics.gmw.cn/2025-11/04/content_38391083.htm', $json$[
    {"name": "元旦",   "from": "2026-01-01", "to": "2026-01-03", "working": ["2026-01-04"]},
    {"name": "春节",   "from": "2026-02-15", "to": "2026-02-23", "working": ["2026-02-14", "2026-02-28"]},
    {"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"},
    {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05", "working": ["2026-05-09"]},
    {"name": "端午节", "from": "2026-06-19", "to": "2026-06-21"},
    {"name": "中秋节", "from": "2026-09-25", "to": "2026-09-27"},
    {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07", "working": ["2026-09-20", "2026-10-10"]}
    ]$json$, '新华社转载, 未载明文号 (text from the Xinhua republication, which does not state the document number)');
UPDATE credit.calendar_year SET shipped = true;
UPDATE credit.calendar_day SET shipped = true;

CREATE TRIGGER calendar_year_guard BEFORE INSERT OR UPDATE OR DELETE ON credit.calendar_year
    FOR EACH ROW EXECUTE FUNCTION credit.calendar_guard();
CREATE TRIGGER calendar_day_guard BEFORE INSERT OR UPDATE OR DELETE ON credit.calendar_day
    FOR EACH ROW EXECUTE FUNCTION credit.calendar_guard();

-- pg_dump keeps the years the DBA loaded, and days added to shipped years.
SELECT pg_catalog.pg_extension_config_dump('credit.calendar_year', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('credit.calendar_day', 'WHERE NOT shipped');
