-- The install script, part 53: layer 5, credit repair (信用修复) under 令第36号,
-- docs/sources.md §6 and §8.  Filed by the subject (the portal acting for
-- it) or the centre against a negative record or a list entry; refused at
-- filing when it cannot succeed; decided by the determining department
-- (3 working days after acceptance; the applicant hears back within 10
-- working days of applying).  已修复 ends publicity, stops sharing, removes
-- the list entry and queues one sync event per registered target.

-- ------------------------------------------------------------------
-- Repair applications
-- ------------------------------------------------------------------
CREATE TABLE credit.repair (
    repair_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint REFERENCES credit.record,
    lineage_id     bigint,
    entry_id       bigint REFERENCES credit.list_entry,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    department_id  integer NOT NULL REFERENCES credit.department,
    item_code      text REFERENCES credit.catalogue_item,
    obligations_performed boolean NOT NULL,
    materials      text[] NOT NULL DEFAULT '{}',
    commitment     text NOT NULL CHECK (btrim(commitment) <> ''),
    commitment_id  bigint REFERENCES credit.commitment,
    filed_by       regrole NOT NULL DEFAULT current_user::regrole,
    filed_at       timestamptz NOT NULL DEFAULT now(),
    -- the machine's columns
    state          text NOT NULL DEFAULT '已申请',
    state_reason   text,
    state_since    timestamptz NOT NULL DEFAULT now(),
    deadline       date,
    feedback_deadline date,
    CHECK (num_nonnulls(record_id, entry_id) = 1)
);
CREATE UNIQUE INDEX repair_one_open_record ON credit.repair (lineage_id) WHERE state IN ('已申请', '已受理');
CREATE UNIQUE INDEX repair_one_open_entry ON credit.repair (entry_id) WHERE state IN ('已申请', '已受理');
CREATE INDEX repair_subject ON credit.repair (subject_id, item_code);
COMMENT ON TABLE credit.repair IS '信用修复申请 (credit repair applications against a negative record or a list entry)';
COMMENT ON COLUMN credit.repair.repair_id IS '申请编号 (internal id)';
COMMENT ON COLUMN credit.repair.record_id IS '修复记录 (the negative record to repair; or entry_id)';
COMMENT ON COLUMN credit.repair.lineage_id IS '记录谱系 (the lineage of the record: the repair follows the record across corrections and repairs its newest version)';
COMMENT ON COLUMN credit.repair.entry_id IS '修复名单条目 (the list entry to repair; or record_id)';
COMMENT ON COLUMN credit.repair.subject_id IS '主体 (subject)';
COMMENT ON COLUMN credit.repair.department_id IS '认定部门 (the determining department, which decides)';
COMMENT ON COLUMN credit.repair.item_code IS '目录项 (catalogue item of the record)';
COMMENT ON COLUMN credit.repair.obligations_performed IS '已履行法定义务 (the obligations are fully performed)';
COMMENT ON COLUMN credit.repair.materials IS '申请材料 (materials handed in: 信用修复承诺书, 履行义务证明, others per catalogue item)';
COMMENT ON COLUMN credit.repair.commitment IS '信用修复承诺 (the text of the 信用修复型 commitment)';
COMMENT ON COLUMN credit.repair.commitment_id IS '承诺编号 (the commitment recorded with the application)';
COMMENT ON COLUMN credit.repair.filed_by IS '申请角色 (the portal for the subject, or the centre)';
COMMENT ON COLUMN credit.repair.filed_at IS '申请时间 (filed at)';
COMMENT ON COLUMN credit.repair.state IS '状态 (已申请, 已受理, 已修复, 不予受理, 不予修复, 已撤回; changes only through credit.transition)';
COMMENT ON COLUMN credit.repair.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.repair.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.repair.deadline IS '决定时限 (decide by: 3 working days after acceptance)';
COMMENT ON COLUMN credit.repair.feedback_deadline IS '反馈时限 (the applicant hears back by: 10 working days after applying)';

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column, owned_columns) VALUES
    ('repair', '信用修复', 'credit.repair', 'repair_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,deadline,feedback_deadline,record_id,lineage_id,entry_id,subject_id,department_id,item_code,commitment_id,filed_at,filed_by}');
INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('repair', '已申请', true, false, 'applied for'),
    ('repair', '已受理', false, false, 'accepted; the determining department decides'),
    ('repair', '已修复', false, true, 'repaired: publicity ended, sharing stopped, delisted'),
    ('repair', '不予受理', false, true, 'not accepted'),
    ('repair', '不予修复', false, true, 'refused'),
    ('repair', '已撤回', false, true, 'withdrawn by the applicant');
INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('repair', '已申请', '已受理', '受理', '{信用中心,部门}', false, false),
    ('repair', '已申请', '不予受理', '不予受理', '{信用中心,部门}', false, true),
    ('repair', '已申请', '已撤回', '撤回', '{信用网站,信用中心}', false, false),
    ('repair', '已受理', '已修复', '决定修复', '{部门,信用中心}', false, false),
    ('repair', '已受理', '不予修复', '决定不予修复', '{部门,信用中心}', false, true),
    ('repair', '已受理', '已撤回', '撤回', '{信用网站,信用中心}', false, false);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, source) VALUES
    ('repair', '已申请', 'feedback_deadline', 10, NULL, '信用修复管理办法(国家发展改革委令第36号): 申请之日起 10 个工作日内反馈'),
    ('repair', '已受理', 'deadline', 3, NULL, '信用修复管理办法(国家发展改革委令第36号): 受理后 3 个工作日内作出决定');

-- Targets that get a sync event when a repair succeeds (departments,
-- upper platforms), and the events waiting for their acknowledgement.
CREATE TABLE credit.sync_target (
    target         text PRIMARY KEY CHECK (target ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    kind           text NOT NULL CHECK (kind IN ('部门', '上级平台')),
    department_id  integer REFERENCES credit.department,
    active         boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE credit.sync_target IS '同步对象 (departments and upper platforms told of every successful repair)';
COMMENT ON COLUMN credit.sync_target.target IS '对象代码 (code)';
COMMENT ON COLUMN credit.sync_target.name IS '名称 (name)';
COMMENT ON COLUMN credit.sync_target.kind IS '类别 (部门 or 上级平台)';
COMMENT ON COLUMN credit.sync_target.department_id IS '部门 (the department, for 部门 targets: its role acknowledges)';
COMMENT ON COLUMN credit.sync_target.active IS '启用 (gets events)';

CREATE TABLE credit.sync_event (
    sync_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repair_id        bigint NOT NULL REFERENCES credit.repair,
    target           text NOT NULL REFERENCES credit.sync_target ON UPDATE CASCADE,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  regrole,
    UNIQUE (repair_id, target),
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX sync_event_pending ON credit.sync_event (target) WHERE acknowledged_at IS NULL;
COMMENT ON TABLE credit.sync_event IS '修复同步事件 (one per registered target for each successful repair, waiting for its acknowledgement)';
COMMENT ON COLUMN credit.sync_event.sync_id IS '事件编号 (internal id)';
COMMENT ON COLUMN credit.sync_event.repair_id IS '修复申请 (the repair)';
COMMENT ON COLUMN credit.sync_event.target IS '同步对象 (target)';
COMMENT ON COLUMN credit.sync_event.queued_at IS '生成时间 (queued at)';
COMMENT ON COLUMN credit.sync_event.acknowledged_at IS '确认时间 (acknowledged at)';
COMMENT ON COLUMN credit.sync_event.acknowledged_by IS '确认角色 (acknowledged by)';

CREATE FUNCTION credit.acknowledge_sync(sync_id bigint) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE credit.sync_event s SET acknowledged_at = now(), acknowledged_by = current_user::regrole
     WHERE s.sync_id = acknowledge_sync.sync_id AND s.acknowledged_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sync event % is not a pending event you can acknowledge', sync_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.acknowledge_sync(bigint) IS '确认同步 (a target acknowledges a repair''s sync event: the centre for any, a department for its own)';

-- A sync event is never changed or deleted, only acknowledged, once.
CREATE TRIGGER sync_event_content BEFORE UPDATE OR DELETE ON credit.sync_event
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('sync events',
        'Acknowledge it with credit.acknowledge_sync(sync_id).',
        'A sync event is only acknowledged, once, with credit.acknowledge_sync(sync_id).',
        'once:acknowledged_at', 'once:acknowledged_by');

-- ------------------------------------------------------------------
-- Filing: refused, with the reason, when it cannot succeed
-- ------------------------------------------------------------------
CREATE FUNCTION credit.repair_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rec credit.record;
    ent credit.list_entry;
    item credit.catalogue_item;
    missing text[];
    last_repair date;
BEGIN
    IF num_nonnulls(NEW.record_id, NEW.entry_id) <> 1 THEN
        RAISE EXCEPTION 'a repair application names one record or one list entry'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT NEW.obligations_performed THEN
        RAISE EXCEPTION 'credit repair needs the obligations to be fully performed'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Apply once the obligations of the decision are performed, with the proof.';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        -- what the filing may name (credit.filing_reference), before any lock
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        -- locked: a withdrawal or correction waits for the filing, or the
        -- filing for them (and then sees the record withdrawn)
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id FOR SHARE;
        PERFORM credit.filing_reference('record', NEW.record_id, rec.subject_id, rec.state = '有效');
        SELECT * INTO item FROM credit.catalogue_item i WHERE i.item_code = rec.item_code;
        IF item.polarity <> '失信' OR rec.state <> '有效' OR rec.publicity_state = '已修复' THEN
            RAISE EXCEPTION 'record % is not a negative record in force that can be repaired', NEW.record_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('Item %s is %s; the record is %s, publicity %s.', item.item_code, item.polarity,
                                      rec.state, rec.publicity_state);
        END IF;
        IF NOT item.repairable THEN
            RAISE EXCEPTION 'records of item "%" cannot be repaired', item.item_code
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = coalesce('Basis: ' || item.legal_basis || '.', 'The catalogue marks the item not repairable.');
        END IF;
        IF rec.severity <> '轻微' AND credit.legal_date() < rec.publicity_min_end THEN
            RAISE EXCEPTION 'record % can be repaired from %, when its minimum publicity period ends', NEW.record_id, rec.publicity_min_end
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('%s record under %s: at least until %s.', rec.severity, rec.rule_set, rec.publicity_min_end);
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(item.repair_materials) AS m WHERE m <> ALL (NEW.materials);
        IF item.repair_repeat_months IS NOT NULL THEN
            -- counted in legal dates (Beijing's, whatever the session's
            -- TimeZone): repaired on day D, a new application from D + N months
            SELECT credit.legal_date(max(p.state_since)) INTO last_repair FROM credit.repair p
             WHERE p.subject_id = rec.subject_id AND p.item_code = item.item_code AND p.state = '已修复';
            IF credit.legal_date() < (last_repair + make_interval(months => item.repair_repeat_months))::date THEN
                RAISE EXCEPTION 'subject % was repaired for item "%" on %: no new repair within % months',
                                rec.subject_id, item.item_code, pg_catalog.to_char(last_repair, 'YYYY-MM-DD'),
                                item.repair_repeat_months
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          DETAIL = format('A new application is possible from %s.',
                                          pg_catalog.to_char(last_repair + make_interval(months => item.repair_repeat_months), 'YYYY-MM-DD'));
            END IF;
        END IF;
        NEW.lineage_id := rec.lineage_id;
        NEW.subject_id := rec.subject_id;
        NEW.department_id := rec.department_id;
        NEW.item_code := rec.item_code;
    ELSE
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        SELECT * INTO ent FROM credit.list_entry e WHERE e.entry_id = NEW.entry_id FOR SHARE;
        PERFORM credit.filing_reference('list entry', NEW.entry_id, ent.subject_id, ent.state = '列入中');
        IF ent.state <> '列入中' THEN
            RAISE EXCEPTION 'list entry % is % and cannot be repaired', NEW.entry_id, ent.state
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF NOT (SELECT k.repairable FROM credit.list_kind k WHERE k.list_kind = ent.list_kind) THEN
            RAISE EXCEPTION 'entries of list "%" cannot be repaired', ent.list_kind
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        IF credit.legal_date() < ent.early_removal_from THEN
            RAISE EXCEPTION 'list entry % can be repaired from %', NEW.entry_id, ent.early_removal_from
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Early removal may be requested only after the period of its list kind.';
        END IF;
        SELECT array_agg(m) INTO missing FROM unnest(ARRAY['信用修复承诺书', '履行义务证明']) AS m WHERE m <> ALL (NEW.materials);
        NEW.lineage_id := NULL;
        NEW.subject_id := ent.subject_id;
        NEW.department_id := ent.department_id;
        NEW.item_code := NULL;
    END IF;
    IF cardinality(missing) > 0 THEN
        RAISE EXCEPTION 'the application lacks: %', array_to_string(missing, ', ')
            USING ERRCODE = 'not_null_violation', HINT = 'Hand in every material and list it in materials.';
    END IF;
    IF EXISTS (SELECT FROM credit.repair p
                WHERE p.state IN ('已申请', '已受理')
                  AND (p.lineage_id = NEW.lineage_id OR p.entry_id = NEW.entry_id)) THEN
        RAISE EXCEPTION 'an open repair application for this % exists', CASE WHEN NEW.record_id IS NULL THEN 'list entry' ELSE 'record' END
            USING ERRCODE = 'unique_violation', HINT = 'Wait for its decision or withdraw it.';
    END IF;
    INSERT INTO credit.commitment (subject_id, kind, content, department_id)
    VALUES (NEW.subject_id, '信用修复型', NEW.commitment, NEW.department_id)
    RETURNING commitment_id INTO NEW.commitment_id;
    NEW.filed_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.repair_before_insert() IS '触发器: 修复申请 (trigger: refuses an application that cannot succeed, with the reason: obligations not performed, not a negative record in force, item not repairable, minimum period not passed, repeat limit, materials missing, an open application; records the 信用修复型 commitment, accepted by the determining department)';

-- 已修复: publicity ends and sharing stops, the entries go, sync events
-- queue.  On the newest version of the record (a correction made meanwhile
-- is followed) and the entries based on any version of it.  The commitment
-- is locked first: a breach recorded meanwhile waits for the decision (and
-- then republishes the record), or the decision waits for the breach (and
-- is refused); the entries are locked, and those the sweep moved meanwhile
-- are left as they are.
CREATE FUNCTION credit.repair_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    why text := pg_catalog.format('信用修复 %s', NEW.repair_id);
    cur bigint;
    entries bigint[];
    broken timestamptz;
BEGIN
    IF NEW.state <> '已修复' OR OLD.state = '已修复' THEN
        RETURN NULL;
    END IF;
    SELECT c.broken_at INTO broken FROM credit.commitment c WHERE c.commitment_id = NEW.commitment_id FOR UPDATE;
    IF broken IS NOT NULL THEN
        RAISE EXCEPTION 'repair % cannot be granted: its commitment % was broken', NEW.repair_id, NEW.commitment_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('The commitment was broken on %s.', credit.legal_date(broken)),
                  HINT = 'Decide 不予修复 with the breach as the reason.';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        SELECT r.record_id INTO cur FROM credit.record r
         WHERE r.lineage_id = NEW.lineage_id AND r.state = '有效' FOR UPDATE;
        IF cur IS NULL THEN
            RAISE EXCEPTION 'repair % cannot be granted: record % is no longer in force', NEW.repair_id, NEW.record_id
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'The record was withdrawn; decide 不予修复 or let the applicant withdraw.';
        END IF;
        PERFORM credit.transition('record_publicity', cur, '已修复', why,
                                  pg_catalog.jsonb_build_object('repair_id', NEW.repair_id));
    END IF;
    entries := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                      WHERE e.state IN ('列入中', '应移出')
                        AND (e.entry_id = NEW.entry_id
                             OR e.basis_record_id IN (SELECT r.record_id FROM credit.record r WHERE r.lineage_id = NEW.lineage_id))
                      ORDER BY e.entry_id FOR UPDATE);
    PERFORM credit.transition('list_entry', entries, '已移出', why, pg_catalog.jsonb_build_object('repair_id', NEW.repair_id));
    INSERT INTO credit.sync_event (repair_id, target)
    SELECT NEW.repair_id, t.target FROM credit.sync_target t WHERE t.active;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.repair_effects() IS '触发器: 修复的效果 (trigger: on 已修复 the newest version of the record leaves publicity and sharing, the entries based on any version of it are removed, and one sync event per active target is queued; refused when the commitment was broken or the record withdrawn meanwhile)';

CREATE TRIGGER repair_access BEFORE INSERT ON credit.repair
    FOR EACH ROW WHEN (NOT credit.restoring('credit.repair')) EXECUTE FUNCTION credit.filing_access();
CREATE TRIGGER repair_before_insert BEFORE INSERT ON credit.repair
    FOR EACH ROW WHEN (NOT credit.restoring('credit.repair')) EXECUTE FUNCTION credit.repair_before_insert();
CREATE TRIGGER repair_machine BEFORE INSERT OR UPDATE ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('repair');
CREATE TRIGGER repair_effects AFTER UPDATE OF state ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.repair_effects();
CREATE TRIGGER repair_no_delete BEFORE DELETE ON credit.repair
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('repair applications', 'Withdraw it with credit.transition(''repair'', repair_id, ''已撤回'').', '');
CREATE TRIGGER repair_no_truncate BEFORE TRUNCATE ON credit.repair
    FOR EACH STATEMENT EXECUTE FUNCTION credit.no_truncate();

CREATE FUNCTION credit.commitment_breach_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    records bigint[];
BEGIN
    IF OLD.broken_at IS NOT NULL OR NEW.broken_at IS NULL OR NEW.kind <> '信用修复型' THEN
        RETURN NULL;
    END IF;
    records := ARRAY(SELECT r.record_id FROM credit.repair p JOIN credit.record r ON r.lineage_id = p.lineage_id
                      WHERE p.commitment_id = NEW.commitment_id AND p.state = '已修复'
                        AND r.state = '有效' AND r.publicity_state = '已修复'
                      ORDER BY r.record_id FOR UPDATE OF r);
    PERFORM credit.transition('record_publicity', records, '公示中',
                              format('违反信用修复承诺 (承诺 %s): %s', NEW.commitment_id, NEW.broken_reason),
                              jsonb_build_object('commitment_id', NEW.commitment_id));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.commitment_breach_effects() IS '触发器: 违反修复承诺 (trigger: a breach of a 信用修复型 commitment puts the repaired record back into publicity until its full maximum period)';
-- (the machine's transition updates the state; commitment_rules sets
-- broken_at with it)
CREATE TRIGGER commitment_breach_effects AFTER UPDATE OF state ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.commitment_breach_effects();

SELECT pg_catalog.pg_extension_config_dump('credit.repair', '');
SELECT pg_catalog.pg_extension_config_dump('credit.sync_target', '');
SELECT pg_catalog.pg_extension_config_dump('credit.sync_event', '');
