-- The install script, part 67: layer 6, the query of the credit check's
-- hits (60_measures.sql, docs/measures.md).  A part of its own, after
-- 63_evaluation.sql: its SQL-standard body is bound when it is created, to
-- credit.current_grades among others.
--
-- What calls for a measure for this matter today, as the caller sees it.
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
-- makes the rows into the snapshot (credit.check_hits); the rows come in
-- the snapshot's order.  The matter's rules and the subject's triggers are
-- each read once (MATERIALIZED: as a UNION ALL on the inner side of a
-- nested loop over the rules, every table was read once per rule).
-- UNCERTAIN: how long a breach calls for measures; here, until the breach
-- is repaired (已修复).
CREATE FUNCTION credit.check_hit_rows(subject_id bigint, matter_code text)
    RETURNS TABLE (hit_kind text, hit_id bigint, trigger text, rule text, measure text, polarity text,
                   content text, basis text, mandatory boolean, names_persons boolean)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
    WITH today AS (SELECT credit.legal_date() AS d),
    m AS (SELECT x.matter_code, x.kind FROM credit.matter x, today
           WHERE x.matter_code OPERATOR(pg_catalog.=) check_hit_rows.matter_code
             AND x.valid_from OPERATOR(pg_catalog.<=) today.d
             AND (x.valid_until IS NULL OR x.valid_until OPERATOR(pg_catalog.>=) today.d)),
    rules AS MATERIALIZED (SELECT r.rule_code, r.trigger_kind, r.trigger_value, r.names_persons, s.measure_code,
                                  s.polarity, s.content, s.basis, s.mandatory
                FROM credit.measure_rule r
                JOIN credit.measure s ON s.measure_code OPERATOR(pg_catalog.=) r.measure_code
                JOIN m ON r.matter_code OPERATOR(pg_catalog.=) m.matter_code OR r.matter_kind OPERATOR(pg_catalog.=) m.kind
                CROSS JOIN today
               WHERE r.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (r.valid_until IS NULL OR r.valid_until OPERATOR(pg_catalog.>=) today.d)
                 AND s.valid_from OPERATOR(pg_catalog.<=) today.d
                 AND (s.valid_until IS NULL OR s.valid_until OPERATOR(pg_catalog.>=) today.d)),
    triggers AS MATERIALIZED (
        SELECT CASE i.polarity WHEN '失信' THEN '失信记录' ELSE '守信记录' END AS kind,
               rec.record_id AS id, rec.item_code AS value, NULL::boolean AS serious, NULL::text AS colour
          FROM credit.record rec
          JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) rec.item_code
          CROSS JOIN today
         WHERE rec.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id
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
         WHERE e.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id
           AND e.state OPERATOR(pg_catalog.=) '列入中' AND e.removed_on IS NULL
           AND e.listed_on OPERATOR(pg_catalog.<=) today.d
           AND (e.expires_on IS NULL OR e.expires_on OPERATOR(pg_catalog.>) today.d)
        UNION ALL
        SELECT '违诺', cm.commitment_id, cm.kind, NULL, NULL
          FROM credit.commitment cm
         WHERE cm.subject_id OPERATOR(pg_catalog.=) check_hit_rows.subject_id AND cm.broken_at IS NOT NULL
           AND cm.state OPERATOR(pg_catalog.<>) '已修复'
        UNION ALL
        SELECT '评价等级', g.result_id, g.grade, NULL, NULL
          FROM credit.current_grades(check_hit_rows.subject_id) g
         WHERE g.valid)
    SELECT CASE t.kind WHEN '名单' THEN '名单条目' WHEN '违诺' THEN '信用承诺'
                       WHEN '评价等级' THEN '评价结果' ELSE '信用记录' END,
           t.id, r.trigger_kind, r.rule_code, r.measure_code, r.polarity, r.content, r.basis, r.mandatory, r.names_persons
      FROM triggers t
      JOIN rules r ON (r.trigger_value IS NULL OR r.trigger_value OPERATOR(pg_catalog.=) t.value)
                  AND CASE r.trigger_kind
                          WHEN '严重失信名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.serious AND t.colour OPERATOR(pg_catalog.=) '黑'
                          WHEN '红名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '红'
                          WHEN '重点关注名单' THEN t.kind OPERATOR(pg_catalog.=) '名单' AND t.colour OPERATOR(pg_catalog.=) '重点关注'
                          ELSE t.kind OPERATOR(pg_catalog.=) r.trigger_kind END
     ORDER BY r.measure_code, t.kind, t.id, r.rule_code;
END;
COMMENT ON FUNCTION credit.check_hit_rows(bigint, text) IS '核查命中行 (the hits of a check as rows, in the snapshot''s order: hit_kind 信用记录/名单条目/信用承诺/评价结果, hit_id, trigger, rule, measure, polarity, content, basis, mandatory, names_persons (the rule names the responsible persons); read with the caller''s row security, only records in force, not repaired, inside their period, entries 列入中 inside their term, broken commitments not repaired and current valid published grades; credit.check_hits makes them the snapshot)';
