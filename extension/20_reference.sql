-- The install script, part 20: layer 2, reference data.
-- The labels users see are the official Chinese terms; every object has a
-- COMMENT in Chinese with an English gloss.  Row security for these tables is
-- in 90_row_security.sql, their privileges in 91_privileges.sql.

CREATE TYPE credit.disclosure_level AS ENUM ('公开', '授权查询', '部门共享');
COMMENT ON TYPE credit.disclosure_level IS '公开属性 (disclosure level): 公开 public within the publicity period, 授权查询 with the subject''s authorisation, 部门共享 shared between state organs';

CREATE TYPE credit.subject_kind AS ENUM ('企业法人', '非企业法人', '个体工商户', '自然人', '其他组织');
COMMENT ON TYPE credit.subject_kind IS '主体类别 (subject kind, 行政相对人类别): organisations are keyed by 统一社会信用代码, natural persons by 公民身份号码';

CREATE TYPE credit.polarity AS ENUM ('守信', '中性', '失信');
COMMENT ON TYPE credit.polarity IS '信息性质 (polarity of a catalogue item): 守信 positive, 中性 neutral, 失信 negative';

CREATE TYPE credit.severity AS ENUM ('轻微', '一般', '严重');
COMMENT ON TYPE credit.severity IS '失信程度 (severity of a negative record), which sets its publicity period';

CREATE TYPE credit.party_kind AS ENUM ('信用中心', '部门', '信用网站', '授权机构');
COMMENT ON TYPE credit.party_kind IS '参与方类别 (kind of party a database role acts as): 信用中心 credit centre, 部门 department, 信用网站 public portal, 授权机构 authorised party (bank, credit service agency, ...)';

CREATE TYPE credit.catalogue_category AS ENUM (
    '基础信息', '行政许可', '行政处罚', '司法', '失信被执行人', '红名单',
    '黑名单', '经营异常名录', '信用承诺', '信用评价', '其他');
COMMENT ON TYPE credit.catalogue_category IS '信息类别 (category of a catalogue item)';

CREATE TABLE credit.department (
    department_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_]{1,32}$'),
    name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    uscc            credit.uscc UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- 0 is never a department: the department policies use it for
    -- department-shared rows (credit.department_scope())
    CONSTRAINT department_id_positive CHECK (department_id >= 1)
);
COMMENT ON TABLE credit.department IS '部门 (departments that provide credit information: 市场监管局, 税务局, 法院 ...)';
COMMENT ON COLUMN credit.department.department_id IS '部门编号 (internal id)';
COMMENT ON COLUMN credit.department.code IS '部门代码 (short code used in scripts, e.g. SCJG)';
COMMENT ON COLUMN credit.department.name IS '部门名称 (name)';
COMMENT ON COLUMN credit.department.uscc IS '部门统一社会信用代码 (the department''s own code)';
COMMENT ON COLUMN credit.department.created_at IS '创建时间 (created at)';
COMMENT ON CONSTRAINT department_id_positive ON credit.department IS '部门编号从 1 起 (department ids are >= 1: the department policies use 0 for department-shared rows)';

CREATE TABLE credit.party (
    role            regrole PRIMARY KEY,
    kind            credit.party_kind NOT NULL,
    department_id   integer REFERENCES credit.department,
    display_name    text NOT NULL CHECK (btrim(display_name) <> ''),
    agency_uscc     credit.uscc,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = '部门') = (department_id IS NOT NULL))
);
CREATE UNIQUE INDEX party_one_portal ON credit.party ((true)) WHERE kind = '信用网站';
COMMENT ON TABLE credit.party IS '参与方 (which database role is which party: the centre, a department, the portal, an authorised party); rows are written by the register_*_role functions';
COMMENT ON COLUMN credit.party.role IS '数据库角色 (the database role)';
COMMENT ON COLUMN credit.party.kind IS '参与方类别 (kind of party)';
COMMENT ON COLUMN credit.party.department_id IS '所属部门 (the department, for department roles)';
COMMENT ON COLUMN credit.party.display_name IS '名称 (display name)';
COMMENT ON COLUMN credit.party.agency_uscc IS '机构统一社会信用代码 (code of an authorised party)';
COMMENT ON COLUMN credit.party.registered_at IS '登记时间 (registered at)';

CREATE TABLE credit.catalogue_item (
    item_code          text PRIMARY KEY CHECK (item_code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name               text NOT NULL CHECK (btrim(name) <> ''),
    category           credit.catalogue_category NOT NULL,
    polarity           credit.polarity NOT NULL,
    default_disclosure credit.disclosure_level NOT NULL,
    department_id      integer NOT NULL REFERENCES credit.department,
    repairable         boolean NOT NULL DEFAULT true,
    publicity_months   integer CHECK (publicity_months > 0),
    retention_years    integer NOT NULL DEFAULT 5 CHECK (retention_years > 0),
    legal_basis        text,
    repair_materials   text[] NOT NULL DEFAULT '{信用修复承诺书,履行义务证明}',
    repair_repeat_months integer CHECK (repair_repeat_months > 0),
    log_shared_reads   boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.catalogue_item IS '信用信息目录 (information catalogue): what each department supplies, its default disclosure and periods';
COMMENT ON COLUMN credit.catalogue_item.item_code IS '目录项代码 (item code)';
COMMENT ON COLUMN credit.catalogue_item.name IS '目录项名称 (item name)';
COMMENT ON COLUMN credit.catalogue_item.category IS '信息类别 (category); 行政许可 and 行政处罚 records carry the 双公示 fields';
COMMENT ON COLUMN credit.catalogue_item.polarity IS '信息性质 (守信/中性/失信)';
COMMENT ON COLUMN credit.catalogue_item.default_disclosure IS '默认公开属性 (default disclosure level of its records)';
COMMENT ON COLUMN credit.catalogue_item.department_id IS '提供部门 (providing department)';
COMMENT ON COLUMN credit.catalogue_item.repairable IS '是否可修复 (can records of this item be repaired?)';
COMMENT ON COLUMN credit.catalogue_item.publicity_months IS '公示期限(月) (publicity period of non-negative records in months; NULL: no end)';
COMMENT ON COLUMN credit.catalogue_item.log_shared_reads IS '共享查询留痕 (set by the centre: another department reads this item''s 部门共享 records only for the subjects it opened with a logged purpose, CALL credit.open_shared_read(subject_id, purpose); the reads are in credit.access_log, kind 部门共享)';
COMMENT ON COLUMN credit.catalogue_item.retention_years IS '保存期限(年) (retention in years)';
COMMENT ON COLUMN credit.catalogue_item.legal_basis IS '依据 (legal basis)';
COMMENT ON COLUMN credit.catalogue_item.repair_materials IS '修复申请材料 (materials a repair application must carry)';
COMMENT ON COLUMN credit.catalogue_item.repair_repeat_months IS '重复修复限制(月) (no new repair of the same item for the same subject within this many months of the last granted one; NULL: no limit)';

-- Rule sets of publicity periods, by the dates they are in force
-- (docs/sources.md §4).  A record keeps the rule set in force on its
-- decision date.
CREATE TABLE credit.rule_set (
    rule_set        text PRIMARY KEY CHECK (btrim(rule_set) <> ''),
    in_force_from   date NOT NULL,
    in_force_until  date,
    source          text NOT NULL CHECK (btrim(source) <> ''),
    CHECK (in_force_until IS NULL OR in_force_until >= in_force_from)
);
COMMENT ON TABLE credit.rule_set IS '公示期规则 (national rule sets of publicity periods and when each is in force)';
COMMENT ON COLUMN credit.rule_set.rule_set IS '规则 (name, e.g. 令第36号)';
COMMENT ON COLUMN credit.rule_set.in_force_from IS '施行日期 (in force from)';
COMMENT ON COLUMN credit.rule_set.in_force_until IS '废止日期 (in force until, inclusive; NULL: still in force)';
COMMENT ON COLUMN credit.rule_set.source IS '出处 (full title of the source)';

CREATE TABLE credit.rule_set_period (
    rule_set    text NOT NULL REFERENCES credit.rule_set ON UPDATE CASCADE,
    severity    credit.severity NOT NULL,
    min_months  integer NOT NULL CHECK (min_months >= 0),
    max_months  integer NOT NULL CHECK (max_months >= 0 AND max_months <= 60),
    published   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (rule_set, severity),
    CHECK (min_months <= max_months AND (max_months > 0 OR NOT published))
);
COMMENT ON TABLE credit.rule_set_period IS '规则默认公示期 (the default publicity period of each rule set by severity, for catalogue items without their own)';
COMMENT ON COLUMN credit.rule_set_period.rule_set IS '规则 (rule set)';
COMMENT ON COLUMN credit.rule_set_period.severity IS '失信程度 (severity)';
COMMENT ON COLUMN credit.rule_set_period.min_months IS '最短公示期(月) (minimum, months)';
COMMENT ON COLUMN credit.rule_set_period.max_months IS '最长公示期(月) (maximum, months)';
COMMENT ON COLUMN credit.rule_set_period.published IS '是否公示 (published at all? 轻微 under 令第36号: no)';

INSERT INTO credit.rule_set VALUES
    ('发改办财金〔2019〕527号', '2019-07-01', '2023-04-30', '国家发展改革委办公厅关于进一步完善"信用中国"网站及地方信用门户网站行政处罚信息信用修复机制的通知'),
    ('令第58号', '2023-05-01', '2026-03-31', '失信行为纠正后的信用信息修复管理办法(试行) 国家发展改革委令第58号'),
    ('令第36号', '2026-04-01', NULL, '信用修复管理办法 国家发展改革委令第36号');
INSERT INTO credit.rule_set_period VALUES
    ('发改办财金〔2019〕527号', '轻微', 0, 0, false),
    ('发改办财金〔2019〕527号', '一般', 3, 12, true),
    ('发改办财金〔2019〕527号', '严重', 6, 36, true),
    ('令第58号', '一般', 3, 36, true),
    ('令第58号', '严重', 3, 36, true),
    ('令第36号', '轻微', 0, 0, false),
    ('令第36号', '一般', 3, 12, true),
    ('令第36号', '严重', 12, 36, true);

CREATE TABLE credit.catalogue_period (
    item_code   text NOT NULL REFERENCES credit.catalogue_item ON UPDATE CASCADE,
    severity    credit.severity NOT NULL,
    min_months  integer NOT NULL CHECK (min_months >= 0),
    max_months  integer NOT NULL CHECK (max_months >= 0 AND max_months <= 60),
    rule_set    text NOT NULL,
    published   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (item_code, severity, rule_set),
    CHECK (min_months <= max_months AND (max_months > 0 OR NOT published))
);
COMMENT ON TABLE credit.catalogue_period IS '公示期限 (an item''s own publicity periods by severity and rule set; a row of a rule set in credit.rule_set applies while it is in force, a row of another rule (e.g. court rules) always; without one the rule set''s default applies; at most 5 years)';
COMMENT ON COLUMN credit.catalogue_period.item_code IS '目录项代码 (item code)';
COMMENT ON COLUMN credit.catalogue_period.severity IS '失信程度 (severity)';
COMMENT ON COLUMN credit.catalogue_period.min_months IS '最短公示期(月) (minimum publicity period, months)';
COMMENT ON COLUMN credit.catalogue_period.max_months IS '最长公示期(月) (maximum publicity period, months; publicity ends there)';
COMMENT ON COLUMN credit.catalogue_period.rule_set IS '依据 (rule set, e.g. 令第36号)';
COMMENT ON COLUMN credit.catalogue_period.published IS '是否公示 (published at all?)';

-- The period a negative record gets: the item's own row for the rule set in
-- force on the decision date, else the item's row of a rule not in
-- credit.rule_set, else the default of the rule set in force.
CREATE FUNCTION credit.publicity_period(item_code text, severity credit.severity, decision_date date,
                                        OUT rule_set text, OUT min_months integer, OUT max_months integer,
                                        OUT published boolean)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- PL/pgSQL, not SQL: the record insert trigger calls it for every
    -- negative record, and PostgreSQL 15 plans a non-inlined SQL
    -- function's query on every call (bench/collection.sh)
    SELECT x.rule_set, x.min_months, x.max_months, x.published
      INTO publicity_period.rule_set, publicity_period.min_months, publicity_period.max_months, publicity_period.published
      FROM (SELECT p.rule_set, p.min_months, p.max_months, p.published, 1 AS rank,
                   coalesce(r.in_force_from, '-infinity'::date) AS since
              FROM credit.catalogue_period p
              LEFT JOIN credit.rule_set r ON r.rule_set = p.rule_set
             WHERE p.item_code = publicity_period.item_code AND p.severity = publicity_period.severity
               AND (r.rule_set IS NULL
                    OR (publicity_period.decision_date >= r.in_force_from
                        AND (r.in_force_until IS NULL OR publicity_period.decision_date <= r.in_force_until)))
            UNION ALL
            SELECT d.rule_set, d.min_months, d.max_months, d.published, 2, r.in_force_from
              FROM credit.rule_set_period d
              JOIN credit.rule_set r ON r.rule_set = d.rule_set
             WHERE d.severity = publicity_period.severity
               AND publicity_period.decision_date >= r.in_force_from
               AND (r.in_force_until IS NULL OR publicity_period.decision_date <= r.in_force_until)) AS x
     ORDER BY x.rank, x.since DESC
     LIMIT 1;
END
$$;
COMMENT ON FUNCTION credit.publicity_period(text, credit.severity, date) IS '适用公示期 (the publicity period of a negative record of an item, a severity and a decision date: the item''s row for the rule set then in force, else its row of a rule outside credit.rule_set, else the rule set''s default)';

CREATE TABLE credit.list_kind (
    list_kind      text PRIMARY KEY CHECK (list_kind ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    colour         text NOT NULL CHECK (colour IN ('红', '黑', '重点关注')),
    term_months    integer CHECK (term_months > 0),
    disclosure     credit.disclosure_level NOT NULL DEFAULT '公开',
    department_id  integer REFERENCES credit.department,
    legal_basis    text,
    early_removal_months integer NOT NULL DEFAULT 0 CHECK (early_removal_months >= 0),
    repairable     boolean NOT NULL DEFAULT true,
    serious        boolean NOT NULL DEFAULT false,
    extension_min_months integer CHECK (extension_min_months > 0),
    extension_max_months integer CHECK (extension_max_months > 0),
    removal_conditions text CHECK (btrim(removal_conditions) <> ''),
    remedies       text CHECK (btrim(remedies) <> ''),
    notice_required boolean NOT NULL DEFAULT false,
    CHECK (extension_min_months <= extension_max_months),
    CONSTRAINT list_kind_focus_not_public CHECK (colour <> '重点关注' OR disclosure <> '公开')
);
COMMENT ON TABLE credit.list_kind IS '名单类别 (kinds of red and black lists, with their term)';
COMMENT ON COLUMN credit.list_kind.list_kind IS '名单代码 (list code)';
COMMENT ON COLUMN credit.list_kind.name IS '名单名称 (name, e.g. 失信被执行人名单)';
COMMENT ON COLUMN credit.list_kind.colour IS '红/黑/重点关注 (red list, black list, or 重点关注 list of subjects under closer supervision: never 公开, never a serious or red list for the check, in an authorisation''s scope as 黑名单)';
COMMENT ON COLUMN credit.list_kind.term_months IS '期限(月) (term in months; NULL: until removed)';
COMMENT ON COLUMN credit.list_kind.disclosure IS '公开属性 (disclosure level of entries)';
COMMENT ON COLUMN credit.list_kind.department_id IS '认定部门 (deciding department, if one)';
COMMENT ON COLUMN credit.list_kind.legal_basis IS '依据 (legal basis)';
COMMENT ON COLUMN credit.list_kind.early_removal_months IS '提前移出申请期(月) (early removal may be requested this many months after listing, e.g. 12 for 严重违法失信名单 under 令第44号; 0: at once)';
COMMENT ON COLUMN credit.list_kind.repairable IS '是否可修复 (can a subject apply for credit repair of an entry?)';
COMMENT ON COLUMN credit.list_kind.serious IS '严重失信名单 (while an entry is in force, the record it is based on stays disclosed past its limit, at every disclosure level, until the entry ends: docs/sources.md §3)';
COMMENT ON COLUMN credit.list_kind.extension_min_months IS '延期下限(月) (an extension (延期) moves the end of term by at least this many months, e.g. 12 for 失信被执行人; NULL: no lower bound)';
COMMENT ON COLUMN credit.list_kind.extension_max_months IS '延期上限(月) (an extension moves the end of term by at most this many months, e.g. 36 for 失信被执行人; NULL: no upper bound)';
COMMENT ON COLUMN credit.list_kind.removal_conditions IS '移出条件 (removal conditions every listing of this kind states: docs/sources.md §7)';
COMMENT ON COLUMN credit.list_kind.remedies IS '救济途径 (remedies open to the listed subject: objection, review, litigation)';
COMMENT ON COLUMN credit.list_kind.notice_required IS '须先公示或告知 (an entry of this kind starts 拟列入: a red list is publicly noticed (公示), a black one told to the subject (告知) before the decision 决定列入; false: an entry may also be listed at once)';

-- The list kinds' colours are a table cache of the list entry policies'
-- predicate credit.list_entry_authorised_reads (disclosure.c): a change
-- of credit.list_kind drops it in every session.
CREATE FUNCTION credit.list_kind_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.list_kind_changed() IS '触发器: 名单类别变更 (trigger: tells every session to drop its cached colours of the list kinds)';
CREATE TRIGGER list_kind_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.list_kind
    FOR EACH STATEMENT EXECUTE FUNCTION credit.list_kind_changed();

-- The items whose shared reads are logged are a table cache of the record
-- policy record_shared_read's predicate credit.record_shared_read_logged
-- (disclosure.c): a change of credit.catalogue_item drops it in every
-- session.
CREATE FUNCTION credit.catalogue_item_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.catalogue_item_changed() IS '触发器: 目录项变更 (trigger: tells every session to drop its cached list of the catalogue items whose shared reads are logged)';
CREATE TRIGGER catalogue_item_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.catalogue_item
    FOR EACH STATEMENT EXECUTE FUNCTION credit.catalogue_item_changed();

-- ------------------------------------------------------------------
-- Who is calling: the party of the calling role, from credit.party
-- ------------------------------------------------------------------
CREATE FUNCTION credit.current_party_kind() RETURNS credit.party_kind
    AS 'MODULE_PATHNAME', 'credit_current_party_kind' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_party_kind() IS '当前参与方类别 (kind of party of the calling role; NULL if not registered; cached for the session per role, dropped when credit.party changes)';

-- The calling role's department (NULL for other roles); the default of
-- record.department_id, so a department's COPY need not name itself.
-- In C (extension/disclosure.c): cached for the session per role, dropped
-- when credit.party changes; the policies call it in every query.
CREATE FUNCTION credit.current_department_id() RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_current_department_id' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION credit.current_department_id() IS '当前部门 (department of the calling role, NULL if it is not a department role)';

CREATE FUNCTION credit.party_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_table_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.party_changed() IS '触发器: 参与方变更 (trigger: tells every session to drop its cached party of a role)';
CREATE TRIGGER party_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.party
    FOR EACH STATEMENT EXECUTE FUNCTION credit.party_changed();

SELECT pg_catalog.pg_extension_config_dump('credit.department', '');
SELECT pg_catalog.pg_extension_config_dump('credit.party', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_item', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_period', '');
SELECT pg_catalog.pg_extension_config_dump('credit.rule_set', '');
SELECT pg_catalog.pg_extension_config_dump('credit.rule_set_period', '');
SELECT pg_catalog.pg_extension_config_dump('credit.list_kind', '');
