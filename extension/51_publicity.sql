-- credit--0.1.sql, part 51: layer 5, record publicity and list entries as
-- machines, and the sweep.  Visibility is exact at read time (the policies
-- compare publicity_end and expires_on with the date); the sweep only
-- catches the states up, in bulk, with events.

INSERT INTO credit.machine (machine, name, table_name, key_column, state_column, reason_column, since_column,
                            owned_columns) VALUES
    ('record', '信用记录', 'credit.record', 'record_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since}'),
    ('record_publicity', '记录公示', 'credit.record', 'record_id', 'publicity_state', 'publicity_reason',
     'publicity_since', '{publicity_state,publicity_reason,publicity_since,publicity_end}'),
    ('list_entry', '名单条目', 'credit.list_entry', 'entry_id', 'state', 'state_reason', 'state_since',
     '{state,state_reason,state_since,expires_on,deletion_due,removed_on,removal_reason}');

INSERT INTO credit.machine_state (machine, state, initial, terminal, meaning) VALUES
    ('record', '有效', true, false, 'in force'),
    ('record', '已撤回', false, true, 'withdrawn (删除, or the underlying decision revoked), with a reason'),
    ('record', '已更正', false, true, 'replaced by a correction: a new version of the same lineage'),
    ('record_publicity', '公示中', true, false, 'inside its publicity period (public if 公开)'),
    ('record_publicity', '不公示', true, false, 'not published at all (e.g. 轻微 under 令第36号)'),
    ('record_publicity', '已到期', false, true, 'the maximum period has passed'),
    ('record_publicity', '停止公示', false, true, 'publicity stopped (objection outcome, or by the centre)'),
    ('record_publicity', '已修复', false, false, 'repaired: publicity ended, sharing and use stopped'),
    ('list_entry', '列入中', true, false, 'on the list'),
    ('list_entry', '已到期', false, true, 'the term has ended; off the list'),
    ('list_entry', '已移出', false, true, 'removed before the term (obligation performed, objection, repair, early removal)');

INSERT INTO credit.machine_transition (machine, from_state, to_state, action, party_kinds, by_engine, reason_required) VALUES
    ('record', '有效', '已撤回', '撤回', '{部门,信用中心}', true, true),
    ('record', '有效', '已更正', '更正', '{部门,信用中心}', true, true),
    ('record_publicity', '公示中', '已到期', '公示期满', '{}', true, true),
    ('record_publicity', '公示中', '停止公示', '停止公开', '{信用中心}', true, true),
    ('record_publicity', '公示中', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '不公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已到期', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '停止公示', '已修复', '信用修复', '{}', true, true),
    ('record_publicity', '已修复', '公示中', '违反修复承诺, 恢复公示', '{}', true, true),
    ('list_entry', '列入中', '列入中', '延期', '{部门,信用中心}', false, true),
    ('list_entry', '列入中', '已到期', '期满移出', '{}', true, true),
    ('list_entry', '列入中', '已移出', '移出', '{部门,信用中心}', true, true);

-- The record's lifecycle: credit.withdraw_record and credit.correct_record
-- (31_record.sql) move it; the guard writes the events.
CREATE TRIGGER record_machine BEFORE INSERT OR UPDATE ON credit.record
    FOR EACH ROW WHEN (NOT credit.restoring('credit.record')) EXECUTE FUNCTION credit.workflow_guard('record');

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
    IF NEW.publicity_state = '公示中' AND NEW.publicity_end <= credit.legal_date() THEN
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
-- listing any more: the entries based on any version of it still 列入中
-- are removed, by the engine, with an event each.
CREATE FUNCTION credit.record_withdrawal_effects() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    entries bigint[];
BEGIN
    entries := ARRAY(SELECT e.entry_id FROM credit.list_entry e JOIN credit.record r ON r.record_id = e.basis_record_id
                      WHERE r.lineage_id = NEW.lineage_id AND e.state = '列入中'
                      ORDER BY e.entry_id FOR UPDATE OF e);
    PERFORM credit.transition('list_entry', entries, '已移出',
                              pg_catalog.format('认定依据已撤回 (记录 %s): %s', NEW.record_id, NEW.state_reason),
                              pg_catalog.jsonb_build_object('record_id', NEW.record_id));
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION credit.record_withdrawal_effects() IS '触发器: 记录撤回的效果 (trigger: when a record is withdrawn, the list entries based on any version of it that are still 列入中 are removed by the engine, with the reason)';
CREATE TRIGGER record_withdrawal_effects AFTER UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (NEW.state = '已撤回' AND OLD.state <> '已撤回')
    EXECUTE FUNCTION credit.record_withdrawal_effects();

-- Same-row effects of the two machines' transitions (after the guard).
CREATE FUNCTION credit.record_publicity_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.publicity_state IS NOT DISTINCT FROM OLD.publicity_state THEN
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
COMMENT ON FUNCTION credit.record_publicity_rules() IS '触发器: 公示状态的效果 (trigger: 停止公示 and 已修复 end publicity today; back to 公示中 after a broken repair commitment restores the maximum period)';
-- names order the BEFORE UPDATE triggers of credit.record: record_content
-- and record_guard (31_record.sql), record_machine (the record's
-- lifecycle, below), record_publicity_machine, record_publicity_rules
CREATE TRIGGER record_publicity_machine BEFORE UPDATE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.workflow_guard('record_publicity');
CREATE TRIGGER record_publicity_rules BEFORE UPDATE OF publicity_state ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.record_publicity_rules();

CREATE FUNCTION credit.list_entry_rules() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record := credit.transition_request();
    new_expiry date;
BEGIN
    IF req.machine IS DISTINCT FROM 'list_entry' THEN
        RETURN NEW;
    END IF;
    IF NEW.state = '已移出' THEN
        NEW.removed_on := credit.legal_date();
        NEW.removal_reason := req.reason;
    ELSIF NEW.state = '列入中' THEN
        -- 延期: the new end of the term comes with the transition
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
        NEW.expires_on := new_expiry;
        NEW.deletion_due := credit.add_working_days(new_expiry, 3);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION credit.list_entry_rules() IS '触发器: 名单状态的效果 (trigger: 已移出 records the date and reason of removal; 延期 takes the new end of term from the transition''s details and moves the deletion due date)';
CREATE TRIGGER list_entry_machine BEFORE INSERT OR UPDATE ON credit.list_entry
    FOR EACH ROW WHEN (NOT credit.restoring('credit.list_entry')) EXECUTE FUNCTION credit.workflow_guard('list_entry');
CREATE TRIGGER list_entry_rules BEFORE UPDATE ON credit.list_entry
    FOR EACH ROW EXECUTE FUNCTION credit.list_entry_rules();

-- What the sweep finds due, by index.
CREATE INDEX record_publicity_due ON credit.record (publicity_end) WHERE publicity_state = '公示中';
CREATE INDEX list_entry_due ON credit.list_entry (expires_on) WHERE state = '列入中';

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
                      WHERE e.state = '列入中' AND e.expires_on <= as_of
                      ORDER BY e.expires_on, e.entry_id
                      LIMIT batch_size FOR UPDATE SKIP LOCKED);
        EXIT WHEN cardinality(ids) = 0;
        n_entries := n_entries + credit.transition('list_entry', ids, '已到期', '期满移出',
                                                   jsonb_build_object('as_of', as_of));
    END LOOP;
    RETURN QUERY VALUES ('record_publicity'::text, '已到期'::text, n_records),
                        ('list_entry', '已到期', n_entries);
END
$$;
COMMENT ON FUNCTION credit.sweep(date, integer) IS '到期处理 (moves records past their maximum publicity and list entries past their term to 已到期, in batches, with events; idempotent; skips rows another sweep holds; reports how many moved; schedule it with pg_cron)';
