-- The fixture every pgTAP file starts from (included by tap_setup.sql).
--
-- Each file starts from a freshly installed extension, whatever ran before
-- it in this database: most assertions count what a role sees, so data left
-- by another file would change them.  Then, only where missing (a file that
-- stopped half way may have left them), the cluster-wide roles, the
-- departments and the registrations several files use:
--
--   regress_centre   信用中心                 registered as the centre
--   regress_scjg     市场监管局 (SCJG, id 1)  registered as a department
--   regress_swj      税务局 (SWJ, id 2)        registered as a department
--   regress_fy       中级人民法院 (FY, id 3)   registered as a department
--   regress_portal   信用网站                 the one portal of the database (party_one_portal)
--   regress_bank     示例银行                 registered as an authorised party
--   regress_bank2    另一银行                 registered as an authorised party
--   regress_nobody   not registered
--
-- Catalogue items, list kinds and records are each file's own.  Running
-- this file twice gives the same state.  tap_teardown.sql drops the roles.
SET credit.allow_drop = on;     -- this file starts from a fresh install, data or not
DROP EXTENSION IF EXISTS credit CASCADE;
RESET credit.allow_drop;
CREATE EXTENSION credit;

SET regress.fixture_roles = 'regress_centre regress_scjg regress_swj regress_fy regress_portal regress_bank regress_bank2 regress_nobody';
DO $$
DECLARE
    r text;
    stray text;
BEGIN
    FOREACH r IN ARRAY string_to_array(current_setting('regress.fixture_roles'), ' ') LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I', r);
        END IF;
        -- a membership in a credit_* group left by a file that stopped half way
        FOR stray IN SELECT format('REVOKE %I FROM %I', g.rolname, r)
                       FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                      WHERE m.member = r::regrole AND g.rolname LIKE 'credit\_%' LOOP
            EXECUTE stray;
        END LOOP;
    END LOOP;
END
$$;

INSERT INTO credit.department (code, name, uscc)
SELECT d.code, d.name, d.uscc
  FROM (VALUES (1, 'SCJG', '金华市市场监督管理局', credit.uscc_complete('11330700MB1950466')),
               (2, 'SWJ', '国家税务总局金华市税务局', credit.uscc_complete('11330700MB1950433')),
               (3, 'FY', '金华市中级人民法院', NULL)) AS d(n, code, name, uscc)
 WHERE NOT EXISTS (SELECT FROM credit.department x WHERE x.code = d.code)
 ORDER BY d.n;

DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT * FROM (VALUES ('regress_centre', '信用中心', NULL), ('regress_scjg', '部门', 'SCJG'),
                                   ('regress_swj', '部门', 'SWJ'), ('regress_fy', '部门', 'FY'),
                                   ('regress_portal', '信用网站', NULL), ('regress_bank', '授权机构', '示例银行'),
                                   ('regress_bank2', '授权机构', '另一银行')) AS v(role, kind, arg) LOOP
        CONTINUE WHEN EXISTS (SELECT FROM credit.party WHERE role = p.role::regrole)
                   OR (p.kind = '信用网站' AND EXISTS (SELECT FROM credit.party WHERE kind = '信用网站'));
        CASE p.kind
            WHEN '信用中心' THEN PERFORM credit.register_centre_role(p.role::regrole);
            WHEN '部门' THEN PERFORM credit.register_department_role(p.role::regrole, p.arg);
            WHEN '信用网站' THEN PERFORM credit.register_portal_role(p.role::regrole);
            ELSE PERFORM credit.register_agency_role(p.role::regrole, p.arg);
        END CASE;
    END LOOP;
END
$$;
