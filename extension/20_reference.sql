-- credit--0.1.sql, part 20: layer 2, reference data.
-- The labels users see are the official Chinese terms; every object has a
-- COMMENT in Chinese with an English gloss.  Row security for these tables is
-- in 40_disclosure.sql.

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
    legal_basis        text
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
COMMENT ON COLUMN credit.catalogue_item.retention_years IS '保存期限(年) (retention in years)';
COMMENT ON COLUMN credit.catalogue_item.legal_basis IS '依据 (legal basis)';

CREATE TABLE credit.catalogue_period (
    item_code   text NOT NULL REFERENCES credit.catalogue_item ON UPDATE CASCADE,
    severity    credit.severity NOT NULL,
    min_months  integer NOT NULL CHECK (min_months >= 0),
    max_months  integer NOT NULL CHECK (max_months > 0 AND max_months <= 60),
    rule_set    text NOT NULL,
    PRIMARY KEY (item_code, severity),
    CHECK (min_months <= max_months)
);
COMMENT ON TABLE credit.catalogue_period IS '公示期限 (publicity periods of a negative item by severity, from its rule set; at most 5 years)';
COMMENT ON COLUMN credit.catalogue_period.item_code IS '目录项代码 (item code)';
COMMENT ON COLUMN credit.catalogue_period.severity IS '失信程度 (severity)';
COMMENT ON COLUMN credit.catalogue_period.min_months IS '最短公示期(月) (minimum publicity period, months)';
COMMENT ON COLUMN credit.catalogue_period.max_months IS '最长公示期(月) (maximum publicity period, months; publicity ends there)';
COMMENT ON COLUMN credit.catalogue_period.rule_set IS '依据 (rule set, e.g. 令第36号)';

CREATE TABLE credit.list_kind (
    list_kind      text PRIMARY KEY CHECK (list_kind ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    colour         text NOT NULL CHECK (colour IN ('红', '黑')),
    term_months    integer CHECK (term_months > 0),
    disclosure     credit.disclosure_level NOT NULL DEFAULT '公开',
    department_id  integer REFERENCES credit.department,
    legal_basis    text
);
COMMENT ON TABLE credit.list_kind IS '名单类别 (kinds of red and black lists, with their term)';
COMMENT ON COLUMN credit.list_kind.list_kind IS '名单代码 (list code)';
COMMENT ON COLUMN credit.list_kind.name IS '名单名称 (name, e.g. 失信被执行人名单)';
COMMENT ON COLUMN credit.list_kind.colour IS '红/黑 (red list or black list)';
COMMENT ON COLUMN credit.list_kind.term_months IS '期限(月) (term in months; NULL: until removed)';
COMMENT ON COLUMN credit.list_kind.disclosure IS '公开属性 (disclosure level of entries)';
COMMENT ON COLUMN credit.list_kind.department_id IS '认定部门 (deciding department, if one)';
COMMENT ON COLUMN credit.list_kind.legal_basis IS '依据 (legal basis)';

SELECT pg_catalog.pg_extension_config_dump('credit.department', '');
SELECT pg_catalog.pg_extension_config_dump('credit.party', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_item', '');
SELECT pg_catalog.pg_extension_config_dump('credit.catalogue_period', '');
SELECT pg_catalog.pg_extension_config_dump('credit.list_kind', '');

-- A simple working-day calendar: Monday to Friday.  (The official holiday
-- calendar with 调休 working weekends comes with the workflows.)
CREATE FUNCTION credit.add_working_days(d date, n integer) RETURNS date
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    step integer := sign(n)::integer;
    remaining integer := abs(n);
    result date := d;
BEGIN
    WHILE remaining > 0 LOOP
        result := result + step;
        IF extract(isodow FROM result) < 6 THEN
            remaining := remaining - 1;
        END IF;
    END LOOP;
    RETURN result;
END
$$;
COMMENT ON FUNCTION credit.add_working_days(date, integer) IS '加工作日 (the date n working days after d, Monday-Friday; n = 0 gives d)';

CREATE FUNCTION credit.working_days_between(d1 date, d2 date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT count(*)::integer * CASE WHEN d2 >= d1 THEN 1 ELSE -1 END
      FROM generate_series(least(d1, d2) + 1, greatest(d1, d2), interval '1 day') AS g(day)
     WHERE extract(isodow FROM g.day) < 6;
END;
COMMENT ON FUNCTION credit.working_days_between(date, date) IS '工作日数 (working days, Monday-Friday, after d1 up to and including d2; negative when d2 < d1)';
