-- The end of every pgTAP file, after finish(): the fixture's roles are
-- cluster-wide, so they go (unregistered, their privileges dropped); the
-- database keeps the extension.
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
RESET ROLE;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY string_to_array(current_setting('regress.fixture_roles'), ' ') LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r);
        IF EXISTS (SELECT FROM credit.party WHERE role = r::regrole) THEN
            PERFORM credit.unregister_role(r::regrole);
        END IF;
        EXECUTE format('DROP OWNED BY %I', r);
        EXECUTE format('DROP ROLE %I', r);
    END LOOP;
END
$$;
RESET client_min_messages;
