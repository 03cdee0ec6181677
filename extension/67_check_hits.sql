-- The install script, part 67: layer 6, the query of the credit check's
-- triggers (60_measures.sql, docs/measures.md).  A part of its own, after
-- 63_evaluation.sql: its SQL-standard body is bound when it is created, to
-- credit.current_grades among others.
--
-- What of a subject may call for a measure today, as the caller sees it.
-- Caller's rights: it reads credit.record, credit.list_entry,
-- credit.commitment and credit.eval_result through the caller's own
-- policies, and asks of what it sees what the law asks (a record in force,
-- not repaired, inside its publicity period; a list entry 列入中 inside its
-- term; a commitment of any kind whose breach is recorded and not
-- repaired; the subject's current published grade of its scheme, valid
-- today): a department reads its own records in every state, and they must
-- not trigger either.
-- No SET clause, a SQL-standard body: the planner inlines it (and
-- current_grades in it) into the one kept plan of credit_check.c, which
-- matches its rows to the matter's rules in force today (check_rules.c, a
-- session cache of credit.matter, credit.measure_rule and credit.measure)
-- and makes the hits into the snapshot (credit.check_hits).
-- kind: 失信记录 / 守信记录 (a record, by its item's polarity), 名单 (an
-- entry: value its list kind, with the kind's serious and colour), 违诺 (a
-- broken commitment: value its kind), 评价等级 (a grade: value the grade).
-- UNCERTAIN: how long a breach calls for measures; here, until the breach
-- is repaired (已修复).
CREATE FUNCTION credit.check_triggers(subject_id bigint)
    RETURNS TABLE (kind text, id bigint, value text, serious boolean, colour text)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
    WITH today AS (SELECT credit.legal_date() AS d)
    SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
           rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
      FROM credit.record rec
      JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
      CROSS JOIN today
     WHERE rec.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id
       AND i.polarity OPERATOR(pg_catalog.<>) '中性'
       AND rec.state OPERATOR(pg_catalog.=) '有效'
       AND rec.publicity_state OPERATOR(pg_catalog.<>) '已修复'
       AND rec.publicity_start OPERATOR(pg_catalog.<=) today.d
       AND (rec.publicity_end IS NULL OR rec.publicity_end OPERATOR(pg_catalog.>) today.d)
    UNION ALL
    SELECT '名单', e.entry_id, e.list_kind, k.serious, k.colour
      FROM credit.list_entry e
      JOIN credit.list_kind k ON k.list_kind OPERATOR(pg_catalog.=) e.list_kind
      CROSS JOIN today
     WHERE e.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id
       AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
       AND e.listed_on OPERATOR(pg_catalog.<=) today.d
       AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
    UNION ALL
    SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
      FROM credit.commitment cm
     WHERE cm.subject_id OPERATOR(pg_catalog.=) check_triggers.subject_id AND cm.broken_at IS NOT NULL
       AND cm.state OPERATOR(pg_catalog.<>) '已修复'
    UNION ALL
    SELECT '评价等级', g.result_id, g.grade, NULL, NULL
      FROM credit.current_grades(check_triggers.subject_id) g
     WHERE g.valid;
END;
COMMENT ON FUNCTION credit.check_triggers(bigint) IS '核查触发项 (what of a subject may call for a measure today, as the caller''s row security shows it: kind 失信记录/守信记录 (a record in force, not repaired, inside its period), 名单 (an entry 列入中 inside its term, with its kind''s serious and colour), 违诺 (a broken commitment not repaired), 评价等级 (the current valid published grade); id, value (item, list kind, commitment kind or grade); credit.check_hits matches them to the matter''s rules)';
