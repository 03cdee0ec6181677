-- The install script, part 51: layer 5, record publicity and list entries as
-- machines, and the sweep.  Visibility is exact at read time (the policies
-- compare publicity_end and expires_on with the date); the sweep only
-- catches the states up, in bulk, with events.

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column,
                            owned_columns) VALUES
    ('record', '信用记录', 'credit.record', 'record_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,withdrawal_due}'),
    ('record_publicity', '记录公示', 'credit.record', 'record_id', 'publicity_state', 'publicity_reason',
     'publicity_since', '{publicity_state,publicity_reason,publicity_since,publicity_end}'),
    ('list_entry', '名单条目', 'credit.list_entry', 'entry_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,expires_on,deletion_due,removal_due,removed_on,removal_reason,notice_ends_on}');

INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('record', '有效', true, false, 'in force (withdrawal_due set: the decision is revoked, the record is due for withdrawal)'),
    ('record', '已撤回', false, true, 'withdrawn (删除, or the underlying decision revoked), with a reason'),
    ('record', '已更正', false, true, 'replaced by a correction: a new version of the same lineage'),
    ('record_publicity', '公示中', true, false, 'inside its publicity period (public if 公开)'),
    ('record_publicity', '不公示', true, false, 'not published at all (e.g. 轻微 under 令第36号)'),
    ('record_publicity', '已到期', false, true, 'the maximum period has passed'),
    ('record_publicity', '停止公示', false, true, 'publicity stopped (objection outcome, or by the centre)'),
    ('record_publicity', '已修复', false, false, 'repaired: publicity ended, sharing and use stopped'),
    ('list_entry', '拟列入', true, false, 'proposed: in its notice period (公示 of a red list, 告知 to the subject of another) or waiting for the decision; not a listing: not public as one, not shared, no measure'),
    ('list_entry', '不予列入', false, true, 'not listed: the decision on the proposal (e.g. after an objection); final, a new proposal is a new entry'),
    ('list_entry', '列入中', true, false, 'on the list'),
    ('list_entry', '应移出', false, false, 'still on the list, due for removal by its deciding department within 3 working days: the basis record withdrawn, the obligation performed, or the listing found wrong'),
    ('list_entry', '已到期', false, true, 'the term has ended; off the list'),
    ('list_entry', '已移出', false, true, 'removed before the term (obligation performed, objection, repair, early removal)');

INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('record', '有效', '有效', '认定依据撤销', '{部门,信用中心}', false, true),
    ('record', '有效', '已撤回', '撤回', '{部门,信用中心}', true, true),
    ('record', '有效', '已更正', '更正', '{部门,信用中心}', true, true),
    ('record_publicity', '公示中', '已到期', '公示期满', '{}', true, true),
    ('record_publicity', '公示中', '停止公示', '停止公开', '{信用中心}', true, true),
    ('record_publicity', '公示中', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '不公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已到期', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '停止公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已修复', '公示中', '违反修复承诺, 恢复公示', '{}', true, true),
    ('record_publicity', '公示中', '公示中', '名单在列, 调整公示截止', '{}', true, true),
    ('list_entry', '拟列入', '列入中', '决定列入', '{部门,信用中心}', false, false),
    ('list_entry', '拟列入', '不予列入', '不予列入', '{部门,信用中心}', false, true),
    ('list_entry', '列入中', '列入中', '延期', '{部门,信用中心}', false, true),
    ('list_entry', '列入中', '已到期', '期满移出', '{}', true, true),
    ('list_entry', '列入中', '已移出', '移出', '{部门,信用中心}', true, true),
    ('list_entry', '列入中', '应移出', '应予移出', '{部门,信用中心}', true, true),
    ('list_entry', '应移出', '已移出', '移出', '{部门,信用中心}', true, true),
    ('list_entry', '应移出', '已到期', '期满移出', '{}', true, true);
INSERT INTO credit.machine_deadline (machine, state, deadline_column, working_days, counted_from, counted_from_column,
                                     from_state, source) VALUES
    -- UNCERTAIN: counted from the day the revocation is noted here, not
    -- from the revocation itself (the texts say "after the revocation")
    ('record', '有效', 'withdrawal_due', 3, NULL, NULL, '有效',
     '山东省社会信用条例(2020) 第四十条: 认定依据被撤销或者变更的, 信息提供单位 3 个工作日内撤销或者变更; 市场监督管理行政处罚信息公示规定(市场监管总局令第45号) 第十一条: 行政处罚决定被撤销的, 3 个工作日内撤下'),
    ('list_entry', '列入中', 'deletion_due', 3, NULL, 'expires_on', NULL,
     '最高人民法院关于公布失信被执行人名单信息的若干规定(2017) 第十条: 纳入期限届满后 3 个工作日内删除失信信息'),
    -- UNCERTAIN: the length.  The texts read require the notice (Henan
    -- §28: 红名单 公示 before listing, 黑名单 事前告知 with the right to
    -- object) but give no number of days here; 5 working days is a common
    -- local figure, to be set by the DBA from the list's own rules
    ('list_entry', '拟列入', 'notice_ends_on', 5, NULL, NULL, NULL,
     '河南省社会信用条例(2019) 第二十八条: 列入红名单前公示, 列入黑名单前书面告知 (事前告知); 期限 5 个工作日 UNCERTAIN (未读到条文规定的天数)'),
    ('list_entry', '应移出', 'removal_due', 3, NULL, NULL, NULL,
     '最高人民法院关于公布失信被执行人名单信息的若干规定(2017) 第十条: 履行完毕或不应纳入的, 3 个工作日内删除/撤销; 山东省社会信用条例(2020) 第四十条: 认定依据撤销后 3 个工作日内撤下');

-- The record's lifecycle: credit.withdraw_record and credit.correct_record
-- (31_record.sql) move it; the guard writes the events.
CREATE TRIGGER record_machine BEFORE INSERT OR UPDATE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('record');

-- The revocation of the decision is noted once (认定依据撤销, 有效 -> 有效:
-- the guard sets withdrawal_due, 3 working days); the record then leaves
-- 有效 by its withdrawal or correction, and its deadline with it.
CREATE FUNCTION credit.record_revocation_once() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (credit.transition_request()).machine = 'record' THEN
        RAISE EXCEPTION 'the revocation of the decision of record % is already noted: it is due for withdrawal by %',
                        OLD.record_id, pg_catalog.to_char(OLD.withdrawal_due, 'YYYY-MM-DD')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Withdraw it with credit.withdraw_record(record_id, reason), or correct it with credit.correct_record().';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_revocation_once() IS '触发器: 认定依据撤销只记一次 (trigger: a record already due for withdrawal (withdrawal_due set) is not noted again, so its deadline never moves)';
-- (named to fire after record_machine and the publicity triggers)
CREATE TRIGGER record_revocation_once BEFORE UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (OLD.withdrawal_due IS NOT NULL AND OLD.state = '有效' AND NEW.state = '有效')
    EXECUTE FUNCTION credit.record_revocation_once();
CREATE INDEX record_withdrawal_due ON credit.record (withdrawal_due) WHERE withdrawal_due IS NOT NULL AND state = '有效';

-- A record arriving past its maximum period is stored 已到期; a new
-- version (a correction) is moved to the publicity state of the version it
-- replaces when that is 已修复, 停止公示 or 已到期.  As the engine, with an
-- event each.
CREATE FUNCTION credit.record_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    prev credit.record;
BEGIN
    IF NEW.corrects IS NOT NULL THEN
        SELECT * INTO prev FROM credit.record r WHERE r.record_id = NEW.corrects;
        IF prev.publicity_state IN ('已修复', '停止公示', '已到期') THEN
            PERFORM credit.transition('record_publicity', NEW.record_id, prev.publicity_state,
                                      pg_catalog.format('更正沿用 (记录 %s): %s', prev.record_id,
                                                        coalesce(prev.publicity_reason, prev.publicity_state)),
                                      pg_catalog.jsonb_build_object('corrects', prev.record_id));
            RETURN NULL;
        END IF;
    END IF;
    IF NEW.corrects IS NOT NULL THEN
        -- a correction that moved the ends: serious entries still extend them
        PERFORM credit.extend_for_lists(NEW.lineage_id);
    END IF;
    IF NEW.publicity_state = '公示中'
       AND (SELECT r.publicity_end FROM credit.record r WHERE r.record_id = NEW.record_id) <= credit.legal_date() THEN
        PERFORM credit.transition('record_publicity', NEW.record_id, '已到期', '公示期满 (报送时已过最长公示期)',
                                  pg_catalog.jsonb_build_object('as_of', credit.legal_date()));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.record_after_insert() IS '触发器: 记录入库后的公示状态 (trigger: a record arriving past its maximum publicity period is stored 已到期; a correction keeps the 已修复, 停止公示 or 已到期 state of the version it replaces; as the engine, with an event)';
CREATE TRIGGER record_after_insert AFTER INSERT ON credit.record
    FOR EACH ROW WHEN ((NEW.corrects IS NOT NULL OR NEW.publicity_end <= credit.legal_date())
                      AND NOT credit.restoring('credit.record'))
    EXECUTE FUNCTION credit.record_after_insert();

-- A withdrawn record (删除, or its decision revoked) is no basis for a
-- listing any more: the entries based on any version of it still on the
-- list are removed when the record's department decided them, and become
-- 应移出 otherwise (another department's listing is its own decision: it
-- removes the entry within 3 working days, or it shows as overdue); by the
-- engine, with an event each.
CREATE FUNCTION credit.record_withdrawal_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    own bigint[];
    others bigint[];
    reason text := pg_catalog.format('认定依据已撤回 (记录 %s): %s', NEW.record_id, NEW.state_reason);
BEGIN
    PERFORM FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
      WHERE r.lineage_id = NEW.lineage_id AND e.state IN ('列入中', '应移出') FOR UPDATE OF e;
    SELECT coalesce(array_agg(e.entry_id ORDER BY e.entry_id)
                        FILTER (WHERE e.department_id = NEW.department_id), '{}'),
           coalesce(array_agg(e.entry_id ORDER BY e.entry_id)
                        FILTER (WHERE e.department_id <> NEW.department_id AND e.state = '列入中'), '{}')
      INTO own, others
      FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
     WHERE r.lineage_id = NEW.lineage_id AND e.state IN ('列入中', '应移出');
    PERFORM credit.transition('list_entry', own, '已移出', reason,
                              pg_catalog.jsonb_build_object('record_id', NEW.record_id));
    PERFORM credit.transition('list_entry', others, '应移出', reason,
                              pg_catalog.jsonb_build_object('record_id', NEW.record_id));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.record_withdrawal_effects() IS '触发器: 记录撤回的效果 (trigger: when a record is withdrawn, the list entries based on any version of it still on the list are removed when its department decided them, and become 应移出 (3 working days for their own department) otherwise; by the engine, with the reason)';
CREATE TRIGGER record_withdrawal_effects AFTER UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (NEW.state = '已撤回' AND OLD.state <> '已撤回')
    EXECUTE FUNCTION credit.record_withdrawal_effects();

-- The limit of a record (its maximum period, at most 5 years from the
-- end of the conduct) is extended while a serious list entry (list_kind
-- .serious) based on any version of it is on the list: the record in
-- force stays 公示中, and so public, shared and usable at its disclosure
-- level, until the entry's term ends (no end: until it is removed).  When
-- the entry leaves the list, the end goes back to the maximum, or to today
-- when that has passed.  Only a record still inside its period is
-- extended (a stopped, repaired or expired one stays so).  By the engine
-- (公示中 -> 公示中, details publicity_end), with an event.
CREATE FUNCTION credit.extend_for_lists(lineage_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur credit.record;
    open_ended boolean;
    until date;
    entries bigint[];
    want date;
BEGIN
    -- the version in force, locked (a correction committed meanwhile made
    -- a newer one: look again)
    LOOP
        SELECT * INTO cur FROM credit.record r
         WHERE r.lineage_id = extend_for_lists.lineage_id AND r.state = '有效';
        EXIT WHEN NOT FOUND;
        SELECT * INTO cur FROM credit.record r
         WHERE r.record_id = cur.record_id AND r.state = '有效' FOR NO KEY UPDATE;
        EXIT WHEN FOUND;
    END LOOP;
    IF cur.record_id IS NULL OR cur.publicity_state <> '公示中' OR cur.publicity_max_end IS NULL
       OR (cur.publicity_end IS NOT NULL AND cur.publicity_end <= credit.legal_date()) THEN
        RETURN;
    END IF;
    SELECT bool_or(e.expires_on IS NULL), max(e.expires_on), array_agg(e.entry_id ORDER BY e.entry_id)
      INTO open_ended, until, entries
      FROM credit.list_entry e
      JOIN credit.list_kind k ON k.list_kind = e.list_kind
      JOIN credit.record b ON b.record_id = e.basis_record_id
     WHERE b.lineage_id = extend_for_lists.lineage_id AND k.serious AND e.state IN ('列入中', '应移出');
    want := CASE WHEN open_ended THEN NULL ELSE greatest(cur.publicity_max_end, until) END;
    IF want IS NOT NULL AND (cur.publicity_end IS NULL OR want < cur.publicity_end) THEN
        -- shorter again: never before today (what was disclosed stays so)
        want := greatest(want, credit.legal_date());
    END IF;
    IF want IS NOT DISTINCT FROM cur.publicity_end THEN
        RETURN;
    END IF;
    PERFORM credit.transition('record_publicity', cur.record_id, '公示中',
                              CASE WHEN entries IS NULL
                                   THEN pg_catalog.format('严重失信名单已不在列: 公示至 %s', pg_catalog.to_char(want, 'YYYY-MM-DD'))
                                   ELSE pg_catalog.format('严重失信名单在列 (条目 %s): 公示至 %s',
                                                          pg_catalog.array_to_string(entries, ', '),
                                                          coalesce(pg_catalog.to_char(want, 'YYYY-MM-DD'), '移出名单')) END,
                              pg_catalog.jsonb_build_object('publicity_end', want, 'entries', coalesce(entries, '{}')));
END
$$;
COMMENT ON FUNCTION credit.extend_for_lists(bigint) IS '名单在列延长公示 (the record in force of a lineage stays disclosed past its limit while a serious list entry based on it is on the list, until the entry ends; back to the maximum, or today, when none is; by the engine, with an event)';

CREATE FUNCTION credit.list_entry_extends_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (SELECT k.serious FROM credit.list_kind k WHERE k.list_kind = NEW.list_kind) THEN
        PERFORM credit.extend_for_lists((SELECT r.lineage_id FROM credit.record r WHERE r.record_id = NEW.basis_record_id));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.list_entry_extends_record() IS '触发器: 严重失信名单延长记录公示 (trigger: a serious list entry listed, extended or ending moves the end of the record it is based on: credit.extend_for_lists)';
-- (an expiry moves nothing: see credit.list_entry_lock_basis; the sweep
-- pays no trigger call for it)
CREATE TRIGGER list_entry_extends_record AFTER INSERT OR UPDATE OF state, expires_on ON credit.list_entry
    FOR EACH ROW WHEN (NEW.basis_record_id IS NOT NULL AND NEW.state <> '已到期')
    EXECUTE FUNCTION credit.list_entry_extends_record();

-- Locks in one order, record before entry: a transition of serious entries
-- locks the records in force they are based on before its UPDATE locks the
-- entries, as a repair, a withdrawal or a serious listing of the record
-- does; so a department removing an entry while the record is being
-- repaired or withdrawn waits, instead of deadlocking.  In C, with kept
-- generic plans (extension/lock_basis.c; docs/decisions.md).
CREATE FUNCTION credit.lock_basis(entry_ids bigint[]) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_lock_basis' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION credit.lock_basis(bigint[]) IS '锁定条目依据记录 (locks, in record_id order, the records in force that serious list entries are based on: every path that moves a serious entry locks the record first, as repairs, withdrawals and serious listings do)';

-- (An expiry, 已到期, never moves a record's end: the entry's end has
-- passed, so the record's is past or set by a longer entry; the sweep
-- locks nothing more.)  The trigger locks as the owner of its function,
-- as a SECURITY DEFINER function would: the basis records of a
-- department's entries are often another department's.
CREATE FUNCTION credit.list_entry_lock_basis() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_list_entry_lock_basis' LANGUAGE C;
COMMENT ON FUNCTION credit.list_entry_lock_basis() IS '触发器: 先锁记录再锁条目 (statement trigger: a transition of serious list entries, other than their expiry, first locks the records in force they are based on (credit.lock_basis), as the function''s owner, so every path locks record before entry)';
CREATE TRIGGER list_entry_lock_basis BEFORE UPDATE ON credit.list_entry
    FOR EACH STATEMENT EXECUTE FUNCTION credit.list_entry_lock_basis();

-- Same-row effects of the two machines' transitions (after the guard).
CREATE FUNCTION credit.record_publicity_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
BEGIN
    IF NEW.publicity_state IS NOT DISTINCT FROM OLD.publicity_state THEN
        -- 公示中 -> 公示中 (the engine only): the end a serious list entry
        -- extends to, or back to, comes with the transition
        IF req.machine = 'record_publicity' AND req.details ? 'publicity_end' THEN
            NEW.publicity_end := (req.details ->> 'publicity_end')::date;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.publicity_state IN ('停止公示', '已修复') THEN
        -- publicity ends today (exact at read time: publicity_end is exclusive)
        NEW.publicity_end := least(coalesce(NEW.publicity_end, credit.legal_date()), credit.legal_date());
    ELSIF NEW.publicity_state = '公示中' AND OLD.publicity_state = '已修复' THEN
        -- a broken repair commitment: back to the full maximum period
        NEW.publicity_end := NEW.publicity_max_end;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.record_publicity_rules() IS '触发器: 公示状态的效果 (trigger: 停止公示 and 已修复 end publicity today; back to 公示中 after a broken repair commitment restores the maximum period; the engine''s 公示中 -> 公示中 sets the end a serious list entry extends to)';
-- names order the BEFORE UPDATE triggers of credit.record: record_content
-- and record_guard (31_record.sql), record_machine (the record's
-- lifecycle, below), record_publicity_machine, record_publicity_rules
CREATE TRIGGER record_publicity_machine BEFORE UPDATE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('record_publicity');
CREATE TRIGGER record_publicity_rules BEFORE UPDATE OF publicity_state ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.record_publicity_rules();

-- 列入中 from 拟列入 (决定列入): after the notice period, with what a
-- listing states, the dates of the listing from today.  列入中 again
-- (延期): the new end of term from the transition's details,
-- within the list kind's bounds, and the deletion due date counted from
-- it.  A trigger function that no trigger names: credit.list_entry_rules()
-- (C) calls it with its own trigger data for a transition to 列入中 only.
CREATE FUNCTION credit.list_entry_listing_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    new_expiry date;
    kind credit.list_kind;
    missing text[];
BEGIN
    IF OLD.state = '拟列入' THEN
        -- 决定列入: after the notice period, stating its legal basis, reasons,
        -- removal conditions and remedies (the proposal's, or the decision's
        -- in the details); listed today, the term from today
        IF OLD.notice_ends_on >= credit.legal_date() THEN
            RAISE EXCEPTION 'list entry % is in its % period until %', OLD.entry_id, OLD.notice_kind,
                            pg_catalog.to_char(OLD.notice_ends_on, 'YYYY-MM-DD')
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'The subject and the public may object during the notice period; the listing is decided after it.',
                      HINT = pg_catalog.format('Decide it from %s on.', pg_catalog.to_char(OLD.notice_ends_on + 1, 'YYYY-MM-DD'));
        END IF;
        IF req.details IS NOT NULL AND pg_catalog.jsonb_typeof(req.details) <> 'object' THEN
            RAISE EXCEPTION 'the details of 决定列入 must be a json object' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        NEW.legal_basis := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'legal_basis'), ''), OLD.legal_basis);
        NEW.removal_conditions := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'removal_conditions'), ''), OLD.removal_conditions);
        NEW.remedies := coalesce(NULLIF(pg_catalog.btrim(req.details ->> 'remedies'), ''), OLD.remedies);
        missing := array_remove(ARRAY[CASE WHEN NEW.legal_basis IS NULL THEN 'legal_basis (列入依据)' END,
                                      CASE WHEN NULLIF(pg_catalog.btrim(NEW.reasons), '') IS NULL THEN 'reasons (列入理由)' END,
                                      CASE WHEN NEW.removal_conditions IS NULL THEN 'removal_conditions (移出条件)' END,
                                      CASE WHEN NEW.remedies IS NULL THEN 'remedies (救济途径)' END], NULL);
        IF cardinality(missing) > 0 THEN
            RAISE EXCEPTION 'list entry % cannot be listed without %', OLD.entry_id, pg_catalog.array_to_string(missing, ', ')
                USING ERRCODE = 'not_null_violation',
                      DETAIL = 'A listing states its legal basis, reasons, removal conditions and remedies; neither the entry nor its list kind gives these.',
                      HINT = 'Pass them in the details, e.g. details => jsonb_build_object(''legal_basis'', ''...''), or give them to the list kind (credit.list_kind).';
        END IF;
        NEW.listed_on := credit.legal_date();
        SELECT d.expires_on, d.early_removal_from INTO NEW.expires_on, NEW.early_removal_from
          FROM credit.listing_dates(OLD.list_kind, NEW.listed_on, NULL) d;
        -- (the guard counted deletion_due from the proposal's end of term: none)
        NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', NEW.expires_on);
        RETURN NEW;
    END IF;
    IF OLD.expires_on <= credit.legal_date() THEN
        RAISE EXCEPTION 'cannot extend list entry %: its term ended on %', OLD.entry_id, OLD.expires_on
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A new listing is a new entry.';
    END IF;
    new_expiry := (req.details ->> 'expires_on')::date;
    IF new_expiry IS NULL OR new_expiry <= coalesce(OLD.expires_on, '-infinity') THEN
        RAISE EXCEPTION 'extending list entry % needs a new end of term after %', OLD.entry_id,
                        coalesce(OLD.expires_on::text, 'the listing')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass details => jsonb_build_object(''expires_on'', <date>) to credit.transition().';
    END IF;
    -- the list kind's bounds (失信被执行人: 1 to 3 years)
    SELECT * INTO kind FROM credit.list_kind k WHERE k.list_kind = OLD.list_kind;
    IF OLD.expires_on IS NOT NULL
       AND (new_expiry < OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0))
            OR new_expiry > OLD.expires_on + make_interval(months => kind.extension_max_months)) THEN
        RAISE EXCEPTION 'extending list entry % to % is outside the bounds of list "%"', OLD.entry_id,
                        pg_catalog.to_char(new_expiry, 'YYYY-MM-DD'), kind.list_kind
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('An extension of this list moves the end of term (%s) by %s to %s months: from %s to %s.',
                                             pg_catalog.to_char(OLD.expires_on, 'YYYY-MM-DD'), coalesce(kind.extension_min_months, 0),
                                             coalesce(kind.extension_max_months::text, 'any number of'),
                                             pg_catalog.to_char(OLD.expires_on + make_interval(months => coalesce(kind.extension_min_months, 0)), 'YYYY-MM-DD'),
                                             coalesce(pg_catalog.to_char(OLD.expires_on + make_interval(months => kind.extension_max_months), 'YYYY-MM-DD'), 'any date')),
                  HINT = 'Give an end of term inside the bounds of credit.list_kind.extension_min_months and extension_max_months.';
    END IF;
    NEW.expires_on := new_expiry;
    -- (the guard counted deletion_due from the old end of term)
    NEW.deletion_due := credit.deadline_after('list_entry', '列入中', 'deletion_due', new_expiry);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_listing_rules() IS '触发器: 列入与延期的效果 (trigger function, called by credit.list_entry_rules() for a transition to 列入中: 决定列入 of a proposal only after its notice period, with its legal basis, reasons, removal conditions and remedies (the proposal''s or the details''), listed today with the term and deletion due date from today; 延期 takes the new end of term from the transition''s details, within the list kind''s extension bounds, and moves the deletion due date)';

-- In C (extension/list_entry_rules.c), fired for every UPDATE without a
-- WHEN clause: a WHEN clause is parsed and planned again by every
-- statement, which costs a department's one-id transition more than the
-- rules do; the sweep's 已到期 returns at once.
CREATE FUNCTION credit.list_entry_rules() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_list_entry_rules' LANGUAGE C;
COMMENT ON FUNCTION credit.list_entry_rules() IS '触发器: 名单状态的效果 (trigger: 已移出 and 不予列入 record the date and reason of removal or refusal; a transition to 列入中 goes on to credit.list_entry_listing_rules())';
CREATE TRIGGER list_entry_machine BEFORE INSERT OR UPDATE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('list_entry');
CREATE TRIGGER list_entry_rules BEFORE UPDATE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_rules();

-- What the sweep finds due, by index.
CREATE INDEX record_publicity_due ON credit.record (publicity_end) WHERE publicity_state = '公示中';
CREATE INDEX list_entry_due ON credit.list_entry (expires_on) WHERE state IN ('列入中', '应移出');

-- ------------------------------------------------------------------
-- The sweep: moves what is due to its terminal state, in batches, with
-- events.  Idempotent (a second run finds nothing); rows another sweep holds
-- are skipped (FOR UPDATE SKIP LOCKED), so two can run at once.
-- ------------------------------------------------------------------
CREATE FUNCTION credit.sweep(as_of date DEFAULT credit.legal_date(), batch_size integer DEFAULT 10000)
    RETURNS TABLE (machine text, to_state text, moved bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
    n_records bigint := 0;
    n_entries bigint := 0;
    n_commitments bigint := 0;
BEGIN
    IF as_of IS NULL OR as_of > credit.legal_date() THEN
        RAISE EXCEPTION 'the sweep cannot run as of %: nothing is moved before it is due', as_of
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use today''s date or an earlier one.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        ids := ARRAY(SELECT r.record_id FROM credit.record r
                      WHERE r.publicity_state = '公示中' AND r.publicity_end <= as_of
                      ORDER BY r.publicity_end, r.record_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_records := n_records + credit.transition('record_publicity', ids, '已到期', '公示期满',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    LOOP
        ids := ARRAY(SELECT e.entry_id FROM credit.list_entry e
                      WHERE e.state IN ('列入中', '应移出') AND e.expires_on <= as_of
                      ORDER BY e.expires_on, e.entry_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_entries := n_entries + credit.transition('list_entry', ids, '已到期', '期满移出',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    -- commitments exempt from checks (64_commitments.sql), past their
    -- validity with no breach found
    LOOP
        ids := ARRAY(SELECT c.commitment_id FROM credit.commitment c
                      WHERE c.state = '已作出' AND c.check_exempt AND c.valid_until < as_of
                      ORDER BY c.valid_until, c.commitment_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_commitments := n_commitments + credit.transition('commitment', ids, '已期满', '免于核查, 有效期满未发现违诺',
                                                           jsonb_build_object('as_of', as_of));
    END LOOP;
    RETURN QUERY VALUES ('record_publicity'::text, '已到期'::text, n_records),
                        ('list_entry', '已到期', n_entries),
                        ('commitment', '已期满', n_commitments);
END
$$;
COMMENT ON FUNCTION credit.sweep(date, integer) IS '到期处理 (moves records past their maximum publicity and list entries past their term to 已到期, and commitments exempt from checks past their validity to 已期满, in batches, with events; idempotent; skips rows another sweep holds; reports how many moved; schedule it with pg_cron)';
