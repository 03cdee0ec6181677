-- A canonical text description of what CREATE EXTENSION credit installs, for
-- scripts/compare_catalogue.sh: every member object of the extension
-- (pg_describe_object of each pg_depend row with deptype 'e') with its
-- definition, markings, owner, privileges and comment; the policies with
-- their expressions; and what the register functions grant to one role of
-- each kind of party.  No OIDs, one fact per line, sorted: two snapshots
-- differ exactly where the installed objects differ.  In a database with
-- data (scripts/test_update.sh) the acl lines show the registered roles'
-- privileges too.
--
--   psql -X -A -t -q -d DB -f scripts/catalogue_snapshot.sql > snapshot.txt
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = pg_catalog;

CREATE TEMP TABLE snap (line text);

-- the members
CREATE TEMP TABLE member AS
SELECT d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, 0) AS what
  FROM pg_depend d JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
 WHERE e.extname = 'credit' AND d.deptype = 'e';

INSERT INTO snap SELECT 'member: ' || what FROM member;

-- functions: signature, markings, body
INSERT INTO snap
SELECT m.what || ': ' || x.k || ' = ' || coalesce(x.v, '<null>')
  FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
  CROSS JOIN LATERAL (VALUES
      ('result', pg_get_function_result(p.oid)),
      ('arguments', pg_get_function_arguments(p.oid)),
      ('language', (SELECT lanname FROM pg_language l WHERE l.oid = p.prolang)),
      ('markings', format('volatile=%s strict=%s parallel=%s leakproof=%s secdef=%s kind=%s',
                          p.provolatile, p.proisstrict, p.proparallel, p.proleakproof, p.prosecdef, p.prokind)),
      ('config', array_to_string(p.proconfig, ' ')),
      ('owner', pg_get_userbyid(p.proowner)),
      ('acl', array_to_string(ARRAY(SELECT x FROM unnest(p.proacl) x ORDER BY x::text), ' ')),
      ('c symbol', CASE WHEN p.prolang = 13 THEN p.prosrc END),
      ('body md5', CASE WHEN p.prolang <> 13 THEN md5(coalesce(pg_get_function_sqlbody(p.oid), p.prosrc)) END)
  ) AS x(k, v);

-- relations: kind, options, owner, privileges, row security, columns,
-- constraints, indexes, triggers, view definitions
INSERT INTO snap
SELECT m.what || ': ' || x.k || ' = ' || coalesce(x.v, '<null>')
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  CROSS JOIN LATERAL (VALUES
      ('relkind', c.relkind::text),
      ('options', array_to_string(c.reloptions, ' ')),
      ('owner', pg_get_userbyid(c.relowner)),
      ('acl', array_to_string(ARRAY(SELECT x FROM unnest(c.relacl) x ORDER BY x::text), ' ')),
      ('row security', format('enabled=%s forced=%s', c.relrowsecurity, c.relforcerowsecurity)),
      ('view', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END)
  ) AS x(k, v);

INSERT INTO snap
SELECT m.what || ': column ' || a.attname || ' = '
       || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
       || CASE WHEN a.attgenerated <> '' THEN ' generated ' ELSE '' END
       || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
       || coalesce(' acl ' || array_to_string(ARRAY(SELECT x FROM unnest(a.attacl) x ORDER BY x::text), ' '), '')
       || coalesce(' comment ' || col_description(c.oid, a.attnum), ' no comment')
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum;

-- column order, separately, so that a reordering shows as such
INSERT INTO snap
SELECT m.what || ': column order = '
       || string_agg(a.attname, ', ' ORDER BY a.attnum)
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 GROUP BY m.what;

INSERT INTO snap
SELECT m.what || ': constraint ' || k.conname || ' = ' || pg_get_constraintdef(k.oid)
       || coalesce(' comment ' || obj_description(k.oid, 'pg_constraint'), '')
  FROM member m JOIN pg_constraint k ON m.classid = 'pg_class'::regclass AND k.conrelid = m.objid;

INSERT INTO snap
SELECT m.what || ': index ' || i.indexrelid::regclass::text || ' = ' || pg_get_indexdef(i.indexrelid)
       || coalesce(' comment ' || obj_description(i.indexrelid, 'pg_class'), '')
  FROM member m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid;

INSERT INTO snap
SELECT m.what || ': trigger ' || t.tgname || ' = ' || pg_get_triggerdef(t.oid)
       || coalesce(' comment ' || obj_description(t.oid, 'pg_trigger'), '')
  FROM member m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
 WHERE NOT t.tgisinternal;

-- policies, with their expressions and comments
INSERT INTO snap
SELECT format('policy %s on %s.%s: %s for %s to %s using (%s) with check (%s)%s',
              p.policyname, p.schemaname, p.tablename, p.permissive, p.cmd,
              array_to_string(p.roles, ','), coalesce(p.qual, '-'), coalesce(p.with_check, '-'),
              coalesce(' comment ' || obj_description(pp.oid, 'pg_policy'), ' no comment'))
  FROM pg_policies p
  JOIN pg_policy pp ON pp.polname = p.policyname
                   AND pp.polrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
 WHERE p.schemaname = 'credit';

-- types: enum labels, storage
INSERT INTO snap
SELECT m.what || ': ' || x.k || ' = ' || coalesce(x.v, '<null>')
  FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  CROSS JOIN LATERAL (VALUES
      ('type', format('typtype=%s len=%s byval=%s align=%s storage=%s category=%s preferred=%s',
                      t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory, t.typispreferred)),
      ('io', format('%s %s %s %s %s', t.typinput, t.typoutput, t.typreceive, t.typsend, t.typanalyze)),
      ('labels', (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)),
      ('owner', pg_get_userbyid(t.typowner)),
      ('acl', array_to_string(t.typacl, ' '))
  ) AS x(k, v);

-- operators, casts, operator classes and families
INSERT INTO snap
SELECT m.what || ': ' || format('code=%s commutator=%s negator=%s restrict=%s join=%s hashes=%s merges=%s',
                                o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
                                o.oprrest, o.oprjoin, o.oprcanhash, o.oprcanmerge)
  FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid;

INSERT INTO snap
SELECT m.what || ': ' || format('function=%s context=%s method=%s',
                                k.castfunc::regprocedure, k.castcontext, k.castmethod)
  FROM member m JOIN pg_cast k ON m.classid = 'pg_cast'::regclass AND k.oid = m.objid;

INSERT INTO snap
SELECT m.what || ': ' || pg_describe_object('pg_amop'::regclass, a.oid, 0)
  FROM member m JOIN pg_amop a ON m.classid = 'pg_opfamily'::regclass AND a.amopfamily = m.objid;
INSERT INTO snap
SELECT m.what || ': ' || pg_describe_object('pg_amproc'::regclass, a.oid, 0)
  FROM member m JOIN pg_amproc a ON m.classid = 'pg_opfamily'::regclass AND a.amprocfamily = m.objid;

-- comments of every member
INSERT INTO snap
SELECT m.what || ': comment = ' || coalesce(obj_description(m.objid, c.relname), '<none>')
  FROM member m JOIN pg_class c ON c.oid = m.classid;

-- the schema, the tables pg_dump keeps, the cluster-wide roles
INSERT INTO snap
SELECT 'schema credit: ' || format('owner=%s acl=%s comment=%s', pg_get_userbyid(n.nspowner),
                                   array_to_string(n.nspacl, ' '), obj_description(n.oid, 'pg_namespace'))
  FROM pg_namespace n WHERE n.nspname = 'credit';
INSERT INTO snap
SELECT 'config dump: ' || x.rel::regclass::text || coalesce(' ' || nullif(x.cond, ''), '')
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) x(rel, cond) WHERE e.extname = 'credit';
INSERT INTO snap
SELECT format('extension credit: schema=%s relocatable=%s requires=%s', e.extnamespace::regnamespace,
              e.extrelocatable, (SELECT string_agg(r.extname, ',' ORDER BY r.extname)
                                   FROM pg_depend d JOIN pg_extension r ON r.oid = d.refobjid
                                  WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid
                                    AND d.refclassid = 'pg_extension'::regclass))
  FROM pg_extension e WHERE e.extname = 'credit';
INSERT INTO snap
SELECT format('role %s: login=%s comment=%s member of %s', r.rolname, r.rolcanlogin,
              shobj_description(r.oid, 'pg_authid'),
              coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname)
                          FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
                         WHERE am.member = r.oid), '-'))
  FROM pg_roles r WHERE r.rolname LIKE 'credit\_%';

-- what the register functions grant: one role of each kind
DO $register$
BEGIN
    PERFORM set_config('search_path', 'pg_catalog', true);
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'snap_centre') THEN
        CREATE ROLE snap_centre; CREATE ROLE snap_department;
        CREATE ROLE snap_portal; CREATE ROLE snap_agency;
    END IF;
    INSERT INTO credit.department (code, name) VALUES ('SNAP', '快照部门');
    PERFORM credit.register_centre_role('snap_centre');
    PERFORM credit.register_department_role('snap_department', 'SNAP');
    -- one portal per database: a database with data has its own (the acl
    -- lines above show its privileges)
    IF NOT EXISTS (SELECT FROM credit.party WHERE kind = '信用网站') THEN
        PERFORM credit.register_portal_role('snap_portal');
    END IF;
    PERFORM credit.register_agency_role('snap_agency', '快照机构');
END
$register$;

CREATE TEMP TABLE grantee_privilege AS
SELECT r.rolname AS grantee, x.what, x.privilege
  FROM pg_roles r
  CROSS JOIN LATERAL (
      SELECT c.oid::regclass::text AS what, p.privilege_type AS privilege
        FROM pg_class c, aclexplode(c.relacl) p
       WHERE c.relnamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT c.oid::regclass::text || '.' || a.attname, p.privilege_type
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0, aclexplode(a.attacl) p
       WHERE c.relnamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT f.oid::regprocedure::text, p.privilege_type
        FROM pg_proc f, aclexplode(f.proacl) p
       WHERE f.pronamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT 'schema credit', p.privilege_type
        FROM pg_namespace n, aclexplode(n.nspacl) p
       WHERE n.nspname = 'credit' AND p.grantee = r.oid
      UNION ALL
      SELECT 'member of ' || g.rolname, 'MEMBER'
        FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
       WHERE am.member = r.oid) AS x
 WHERE r.rolname LIKE 'snap\_%';

INSERT INTO snap SELECT format('registered %s: %s %s', grantee, privilege, what) FROM grantee_privilege;

-- and what is left after unregistering each of them
DO $unregister$
BEGIN
    PERFORM set_config('search_path', 'pg_catalog', true);
    PERFORM credit.unregister_role(p.role) FROM credit.party p
      JOIN pg_roles r ON r.oid = p.role WHERE r.rolname LIKE 'snap\_%';
END
$unregister$;
INSERT INTO snap
SELECT format('unregistered %s keeps: %s', r.rolname, x.what)
  FROM pg_roles r
  CROSS JOIN LATERAL (
      SELECT c.oid::regclass::text || ' ' || p.privilege_type AS what
        FROM pg_class c, aclexplode(c.relacl) p
       WHERE c.relnamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT c.oid::regclass::text || '.' || a.attname || ' ' || p.privilege_type
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0, aclexplode(a.attacl) p
       WHERE c.relnamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT f.oid::regprocedure::text || ' ' || p.privilege_type
        FROM pg_proc f, aclexplode(f.proacl) p
       WHERE f.pronamespace = 'credit'::regnamespace AND p.grantee = r.oid
      UNION ALL
      SELECT 'member of ' || g.rolname
        FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
       WHERE am.member = r.oid) AS x
 WHERE r.rolname LIKE 'snap\_%';

SELECT l FROM (SELECT regexp_replace(line, E'\\s*\n\\s*', ' ', 'g') AS l FROM snap) AS s ORDER BY l COLLATE "C";
