-- The install script, part 32: layer 3, red and black list entries (名单条目).
-- The list entry machine (its states, term and removal) is in
-- 51_publicity.sql; row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

-- ------------------------------------------------------------------
-- Red and black list entries
-- ------------------------------------------------------------------
CREATE TABLE credit.list_entry (
    entry_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_kind       text NOT NULL REFERENCES credit.list_kind,
    subject_id      bigint NOT NULL REFERENCES credit.subject,
    basis_record_id bigint REFERENCES credit.record,
    department_id   integer NOT NULL DEFAULT credit.current_department_id() REFERENCES credit.department,
    disclosure      credit.disclosure_level NOT NULL,
    reasons         text NOT NULL CHECK (btrim(reasons) <> ''),
    listed_on       date,
    expires_on      date,
    removed_on      date,
    removal_reason  text,
    submitted_by    regrole NOT NULL DEFAULT current_user::regrole,
    -- the list entry machine (51_publicity.sql)
    state           text NOT NULL DEFAULT '列入中',
    state_reason    text,
    state_since     timestamptz NOT NULL DEFAULT now(),
    deletion_due    date,
    removal_due     date,
    early_removal_from date,
    dispute_mark    text CHECK (dispute_mark = '异议处理中'),
    -- what each listing states (its kind's when not given), and the notice
    -- before a listing (51_publicity.sql: 拟列入)
    legal_basis     text CHECK (btrim(legal_basis) <> ''),
    removal_conditions text CHECK (btrim(removal_conditions) <> ''),
    remedies        text CHECK (btrim(remedies) <> ''),
    notice_kind     text CHECK (notice_kind IN ('公示', '告知')),
    notice_ends_on  date,
    CHECK (expires_on IS NULL OR expires_on > listed_on),
    CHECK ((removed_on IS NULL) = (removal_reason IS NULL)),
    CONSTRAINT list_entry_listed_on_when_listed CHECK (listed_on IS NOT NULL OR state IN ('拟列入', '不予列入'))
);
CREATE INDEX list_entry_subject ON credit.list_entry (subject_id);
COMMENT ON TABLE credit.list_entry IS '名单条目 (red and black list entries); a new listing is a new entry, a removed entry never reopens';
COMMENT ON COLUMN credit.list_entry.entry_id IS '条目编号 (internal id)';
COMMENT ON COLUMN credit.list_entry.list_kind IS '名单类别 (list kind)';
COMMENT ON COLUMN credit.list_entry.subject_id IS '主体编号 (subject)';
COMMENT ON COLUMN credit.list_entry.basis_record_id IS '认定依据记录 (the record the listing is based on)';
COMMENT ON COLUMN credit.list_entry.department_id IS '认定部门 (deciding department)';
COMMENT ON COLUMN credit.list_entry.disclosure IS '公开属性 (disclosure level; the list kind''s when not given)';
COMMENT ON COLUMN credit.list_entry.reasons IS '列入理由 (reasons)';
COMMENT ON COLUMN credit.list_entry.listed_on IS '列入日期 (listed on; for an entry proposed first, the day of the decision 决定列入; NULL while 拟列入 and for 不予列入)';
COMMENT ON COLUMN credit.list_entry.expires_on IS '到期日期 (term ends; from the list kind when not given)';
COMMENT ON COLUMN credit.list_entry.removed_on IS '移出日期 (removed on; for 不予列入, the day of the decision not to list)';
COMMENT ON COLUMN credit.list_entry.removal_reason IS '移出原因 (reason of removal, or of the decision not to list)';
COMMENT ON COLUMN credit.list_entry.submitted_by IS '提交角色 (submitting role)';
COMMENT ON COLUMN credit.list_entry.state IS '名单状态 (state of the list entry machine: 拟列入, 不予列入, 列入中, 应移出, 已到期, 已移出; changes only through credit.transition)';
COMMENT ON COLUMN credit.list_entry.state_reason IS '状态原因 (reason of the last transition: removal, extension, expiry)';
COMMENT ON COLUMN credit.list_entry.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.list_entry.deletion_due IS '应删除日期 (the entry must be off the list by then: 3 working days after the end of term; a machine deadline counted from expires_on)';
COMMENT ON COLUMN credit.list_entry.removal_due IS '应移出期限 (set when the entry becomes 应移出: its deciding department removes it within 3 working days; a machine deadline)';
COMMENT ON COLUMN credit.list_entry.dispute_mark IS '异议标注 (异议处理中 from the acceptance of an objection to the entry until its outcome, shown in credit.public_list_entry)';
COMMENT ON COLUMN credit.list_entry.early_removal_from IS '可申请提前移出日期 (early removal may be requested from this date, from the list kind)';
COMMENT ON COLUMN credit.list_entry.legal_basis IS '列入依据 (legal basis of the listing: the list kind''s when not given; a 决定列入 may give it)';
COMMENT ON COLUMN credit.list_entry.removal_conditions IS '移出条件 (removal conditions the listing states: the list kind''s when not given; a 决定列入 may give them)';
COMMENT ON COLUMN credit.list_entry.remedies IS '救济途径 (remedies the listing states: the list kind''s when not given; a 决定列入 may give them)';
COMMENT ON COLUMN credit.list_entry.notice_kind IS '列入前程序 (for an entry proposed first (拟列入): 公示 public notice of a red list, 告知 prior written notice to the subject of a black or 重点关注 list; NULL: listed at once)';
COMMENT ON COLUMN credit.list_entry.notice_ends_on IS '公示/告知期截止 (last day of the notice period of a 拟列入 entry, in working days (credit.machine_deadline); 决定列入 only after it)';

-- The dates of a listing from its kind: the end of term (the one given, or
-- the kind's term from the listing day) and the day early removal may be
-- asked for.  For an entry listed at once (list_entry_before_insert) and
-- for the decision on a proposal (list_entry_listing_rules, 51_publicity.sql).
CREATE FUNCTION credit.listing_dates(kind text, listed_on date, given_expiry date,
                                     OUT expires_on date, OUT early_removal_from date)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce(listing_dates.given_expiry, listing_dates.listed_on + make_interval(months => k.term_months))::date,
           (listing_dates.listed_on + make_interval(months => k.early_removal_months))::date
      FROM credit.list_kind k WHERE k.list_kind = listing_dates.kind;
END;
COMMENT ON FUNCTION credit.listing_dates(text, date, date) IS '列入期限 (the dates of a listing of a kind on a day: the end of term given, or the kind''s term from that day (NULL: no term), and the day early removal may be asked for)';
CREATE FUNCTION credit.list_entry_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind credit.list_kind;
    basis record;
BEGIN
    SELECT * INTO kind FROM credit.list_kind WHERE list_kind = NEW.list_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown list kind "%"', NEW.list_kind USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.disclosure := coalesce(NEW.disclosure, kind.disclosure);
    -- the basis is locked: a repair decided meanwhile waits for this
    -- listing (and removes it), or the listing waits for the repair and is
    -- refused.  A serious listing will move the record's end (trigger
    -- list_entry_extends_record): it takes the lock that needs at once, so
    -- two serious listings of one record wait for each other instead of
    -- deadlocking.
    IF NEW.basis_record_id IS NOT NULL AND kind.serious THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR NO KEY UPDATE;
    ELSIF NEW.basis_record_id IS NOT NULL THEN
        SELECT r.state, r.publicity_state, r.lineage_id INTO basis
          FROM credit.record r WHERE r.record_id = NEW.basis_record_id FOR SHARE;
    END IF;
    IF NEW.basis_record_id IS NOT NULL THEN
        IF basis.state IS DISTINCT FROM '有效' OR basis.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'list entry cannot be based on record %: it is %', NEW.basis_record_id,
                            CASE WHEN basis.state IS NULL THEN 'unknown'
                                 WHEN basis.state <> '有效' THEN basis.state::text ELSE '已修复 (repaired)' END
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Base a listing on a record in force that is not repaired.';
        END IF;
    END IF;
    -- what a listing states: the kind's unless given
    NEW.legal_basis := coalesce(NEW.legal_basis, kind.legal_basis);
    NEW.removal_conditions := coalesce(NEW.removal_conditions, kind.removal_conditions);
    NEW.remedies := coalesce(NEW.remedies, kind.remedies);
    IF NEW.state = '拟列入' THEN
        -- a proposal: the dates of the listing come with its decision
        -- (credit.list_entry_listing_rules); the notice period is the guard's
        NEW.listed_on := NULL;
        NEW.expires_on := NULL;
        NEW.early_removal_from := NULL;
        NEW.notice_kind := CASE kind.colour WHEN '红' THEN '公示' ELSE '告知' END;
    ELSE
        IF kind.notice_required THEN
            RAISE EXCEPTION 'an entry of list "%" is proposed before it is listed', kind.list_kind
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = CASE kind.colour WHEN '红' THEN 'A red list is noticed publicly (公示) before the decision.'
                                    ELSE 'The subject is told (告知) of the basis, the reasons and its right to object before the decision.' END,
                      HINT = 'Insert the entry with state ''拟列入'', then decide it with credit.transition(''list_entry'', entry_id, ''列入中'').';
        END IF;
        IF NEW.listed_on IS NULL THEN
            RAISE EXCEPTION 'a list entry needs the date it is listed on'
                USING ERRCODE = 'not_null_violation',
                      HINT = 'Give listed_on, or propose the entry with state ''拟列入''.';
        END IF;
        NEW.notice_kind := NULL;
        SELECT d.expires_on, d.early_removal_from INTO NEW.expires_on, NEW.early_removal_from
          FROM credit.listing_dates(kind.list_kind, NEW.listed_on, NEW.expires_on) d;
    END IF;
    -- (deletion_due and notice_ends_on: the guard)
    IF NEW.disclosure = '公开' AND kind.colour = '重点关注' THEN
        RAISE EXCEPTION 'an entry of the 重点关注 list "%" cannot be 公开', kind.list_kind
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A 重点关注 list marks subjects for closer supervision; it is no published black list.',
                  HINT = 'Give it disclosure 部门共享 or 授权查询.';
    END IF;
    IF NEW.disclosure = '公开'
       AND (SELECT s.kind FROM credit.subject s WHERE s.subject_id = NEW.subject_id) = '自然人' THEN
        RAISE EXCEPTION 'a natural person''s list entry cannot be 公开'
            USING ERRCODE = 'check_violation',
                  HINT = 'Give it disclosure 授权查询 or 部门共享.';
    END IF;
    NEW.removed_on := NULL;
    NEW.removal_reason := NULL;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_before_insert() IS '触发器: 名单条目入库 (trigger: disclosure, legal basis, removal conditions, remedies, expiry and early-removal date from the list kind; a proposal (拟列入) gets its notice kind and no dates, a list kind that requires notice refuses an entry listed at once; the deletion due date and the end of notice are the guard''s)';
-- Checked with the caller's rights before the SECURITY DEFINER trigger
-- and the foreign keys: the subject is one the inserter sees, or sees a
-- record about; the basis is a record it sees.  A hidden subject or record
-- is refused as a missing one, so a listing says nothing about it (not
-- whether an id exists, is a natural person, or is withdrawn).
CREATE FUNCTION credit.list_entry_access() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) NEW.subject_id)
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.subject_id OPERATOR(pg_catalog.=) NEW.subject_id) THEN
        RAISE EXCEPTION 'subject % is not a subject you can list', NEW.subject_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'List a subject you hold a record about.';
    END IF;
    IF NEW.basis_record_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM credit.record r WHERE r.record_id OPERATOR(pg_catalog.=) NEW.basis_record_id) THEN
        RAISE EXCEPTION 'list entry cannot be based on record %: it is unknown', NEW.basis_record_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Base a listing on a record in force that is not repaired.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_access() IS '触发器: 名单条目指向检查 (trigger, caller''s rights, fires first: the subject is one the inserter sees or sees a record about, the basis a record it sees; a hidden one is refused as a missing one)';
CREATE TRIGGER list_entry_access BEFORE INSERT ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_access();
CREATE TRIGGER list_entry_before_insert BEFORE INSERT ON credit.list_entry
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry')) EXECUTE FUNCTION credit.list_entry_before_insert();

-- What an entry says never changes; its state, term and removal belong to
-- the list entry machine (51_publicity.sql).
CREATE TRIGGER list_entry_content BEFORE UPDATE OR DELETE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('list entries',
        'Remove the entry with credit.transition(''list_entry'', entry_id, ''已移出'', reason).',
        'A new listing is a new entry.',
        'state', 'state_reason', 'state_since', 'expires_on', 'deletion_due', 'removal_due', 'removed_on', 'removal_reason',
        'dispute_mark');
CREATE TRIGGER list_entry_dispute_guard BEFORE UPDATE OF dispute_mark ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.dispute_mark_guard('list entry', 'entry_id');
CREATE TRIGGER list_entry_no_truncate BEFORE TRUNCATE ON credit.list_entry
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

SELECT pg_catalog.pg_extension_config_dump('credit.list_entry', '');

-- ------------------------------------------------------------------
-- Responsible persons of a listed organisation (法定代表人, 主要负责人,
-- 实际控制人, 直接责任人: Shandong §31, Henan §35, Shenzhen §68), named by
-- the entry's department; a credit check names them where a rule says so
-- (credit.measure_rule.names_persons, 60_measures.sql).  Append-only: a
-- person named wrongly goes with the entry (a new listing is a new entry).
-- ------------------------------------------------------------------
CREATE TABLE credit.list_entry_person (
    person_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id       bigint NOT NULL REFERENCES credit.list_entry,
    role           text NOT NULL CHECK (role IN ('法定代表人', '主要负责人', '实际控制人', '直接责任人')),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    resident_id    credit.resident_id,
    name_public    text GENERATED ALWAYS AS (credit.mask_personal('name', name)) STORED,
    resident_id_public text GENERATED ALWAYS AS (credit.mask_personal('resident_id', resident_id::text)) STORED,
    added_by       regrole NOT NULL DEFAULT current_user::regrole,
    added_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (entry_id, role, name)
);
COMMENT ON TABLE credit.list_entry_person IS '名单条目责任人 (the responsible persons of a listed organisation, with their role; named by the entry''s department; append-only)';
COMMENT ON COLUMN credit.list_entry_person.person_id IS '责任人编号 (internal id)';
COMMENT ON COLUMN credit.list_entry_person.entry_id IS '名单条目 (the list entry)';
COMMENT ON COLUMN credit.list_entry_person.role IS '身份 (role: 法定代表人, 主要负责人, 实际控制人 or 直接责任人)';
COMMENT ON COLUMN credit.list_entry_person.name IS '姓名 (name; personal data)';
COMMENT ON COLUMN credit.list_entry_person.resident_id IS '公民身份号码 (resident identity number, if known; personal data)';
COMMENT ON COLUMN credit.list_entry_person.name_public IS '脱敏姓名 (the name masked, credit.mask_personal: what the portal and grantees read)';
COMMENT ON COLUMN credit.list_entry_person.resident_id_public IS '脱敏身份号码 (the identity number masked: what the portal, grantees and a check''s snapshot show)';
COMMENT ON COLUMN credit.list_entry_person.added_by IS '登记角色 (the role that named the person)';
COMMENT ON COLUMN credit.list_entry_person.added_at IS '登记时间 (when)';

-- Caller's rights: the entry is one of the caller's department (or the
-- caller is the centre) and has not ended; a hidden entry is refused as a
-- missing one.
CREATE FUNCTION credit.list_entry_person_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e record;
BEGIN
    SELECT x.department_id, x.state INTO e
      FROM credit.list_entry x
     WHERE x.entry_id OPERATOR(pg_catalog.=) NEW.entry_id;
    IF NOT FOUND OR NOT (credit.in_own_department(e.department_id)
                         OR credit.current_party_kind() OPERATOR(pg_catalog.=) '信用中心') THEN
        RAISE EXCEPTION 'list entry % is not an entry of your department', NEW.entry_id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'The department that decides an entry names its responsible persons.';
    END IF;
    IF e.state OPERATOR(pg_catalog.<>) ALL ('{拟列入,列入中,应移出}'::text[]) THEN
        RAISE EXCEPTION 'list entry % is %: no person is named for it any more', NEW.entry_id, e.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    NEW.added_by := current_user::pg_catalog.regrole;
    NEW.added_at := pg_catalog.now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_person_before_insert() IS '触发器: 责任人登记 (trigger, caller''s rights: persons are named by the entry''s department or the centre, for an entry that has not ended; who and when are the writer''s)';
CREATE TRIGGER list_entry_person_before_insert BEFORE INSERT ON credit.list_entry_person
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry_person')) EXECUTE FUNCTION credit.list_entry_person_before_insert();
CREATE TRIGGER list_entry_person_append_only BEFORE UPDATE OR DELETE ON credit.list_entry_person
    FOR EACH ROW EXECUTE FUNCTION credit.append_only();
CREATE TRIGGER list_entry_person_no_truncate BEFORE TRUNCATE ON credit.list_entry_person
    FOR EACH STATEMENT EXECUTE FUNCTION credit.append_only();
CREATE INDEX list_entry_person_entry ON credit.list_entry_person (entry_id);

SELECT pg_catalog.pg_extension_config_dump('credit.list_entry_person', '');
