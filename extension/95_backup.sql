-- The install script, part 95: what pg_dump keeps of credit, and how
-- pg_restore puts it back (docs/operations.md, "Backup and restore").
--
-- Every table of the extension is a configuration table
-- (pg_extension_config_dump), so pg_dump dumps its rows, as COPY of whole
-- rows, after CREATE EXTENSION credit; the insert triggers let a
-- superuser's restore through unchanged (credit.restoring(), 05_triggers.sql).
-- scripts/test_restore.sh fails for a table that is not marked.
--   - rows only clients and the DBA write: the whole table, marked where
--     the table is created;
--   - the working-day calendar: shipped rows never change (calendar_guard),
--     so only the DBA's rows are dumped ('WHERE NOT shipped', 21_calendar.sql);
--   - the rule sets, the machines, the collection rules, the measures,
--     matters and measure rules and the evaluation schemes and indicators below: shipped rows the DBA may change
--     (a deadline, a reason rule) and rows the DBA adds.  The whole table
--     is dumped; on restore a dumped row with the key of a shipped row
--     updates it (credit.restore_shipped_row()), so the DBA's version wins.
--     A shipped row the DBA deleted comes back with CREATE EXTENSION.

DO $shipped$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rule_set', 'rule_set_period', 'machine', 'machine_state',
                             'machine_transition', 'machine_deadline', 'collection_rule',
                             'measure', 'matter', 'measure_rule', 'eval_scheme', 'eval_indicator'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON credit.%I FOR EACH ROW'
                                  ' WHEN (credit.restoring(%L)) EXECUTE FUNCTION credit.restore_shipped_row()',
                                  t || '_restore_shipped', t, 'credit.' || t);
        EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON credit.%I IS %L', t || '_restore_shipped', t,
                                  '恢复内置行 (on restore, a dumped row with the key of a shipped row updates it)');
    END LOOP;
END
$shipped$;
SELECT pg_catalog.pg_extension_config_dump('credit.machine', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_state', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_transition', '');
SELECT pg_catalog.pg_extension_config_dump('credit.machine_deadline', '');
SELECT pg_catalog.pg_extension_config_dump('credit.collection_rule', '');

-- The key sequences: pg_dump dumps a sequence's position only when it is
-- marked, so after a restore the next id would collide with a restored
-- row.  Every sequence of the extension's tables (the identity columns).
DO $sequences$
DECLARE
    s regclass;
BEGIN
    FOR s IN SELECT d.objid::pg_catalog.regclass
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
               JOIN pg_catalog.pg_depend e ON e.objid OPERATOR(pg_catalog.=) d.refobjid
                                          AND e.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                          AND e.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                                          AND e.deptype OPERATOR(pg_catalog.=) 'e'
              WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                AND d.deptype OPERATOR(pg_catalog.=) 'i' AND c.relkind OPERATOR(pg_catalog.=) 'S'
                AND e.refobjid OPERATOR(pg_catalog.=) (SELECT x.oid FROM pg_catalog.pg_extension x
                                                        WHERE x.extname OPERATOR(pg_catalog.=) 'credit')
              ORDER BY 1 LOOP
        PERFORM pg_catalog.pg_extension_config_dump(s, '');
    END LOOP;
END
$sequences$;
