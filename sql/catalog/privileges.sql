-- Explicit privileges of the objects asked for ($1 catalog ids, $2 object ids): relations
-- and their columns (pg_class), functions (pg_proc), types (pg_type), schemas
-- (pg_namespace), foreign servers (pg_foreign_server) and default privileges (pg_default_acl). Per object (and column, subid),
-- grantee to its privileges, sorted bytewise; the grantor is left out.
-- An ACL that holds the same items as the server's built-in default (acldefault), in any
-- order, grants what none does, and is left out; an ACL emptied by REVOKE comes back as an
-- empty map.
WITH asked(classid, objid) AS (
    SELECT * FROM unnest($1::oid[], $2::oid[])
), acls(classid, objid, subid, acl) AS (
    SELECT a.classid, c.oid, 0, c.relacl
    FROM asked a JOIN pg_catalog.pg_class c ON c.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.relacl IS NOT NULL
      AND NOT (c.relacl OPERATOR(pg_catalog.@>) pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AND c.relacl OPERATOR(pg_catalog.<@) pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
    UNION ALL
    SELECT a.classid, att.attrelid, att.attnum, att.attacl
    FROM asked a JOIN pg_catalog.pg_attribute att ON att.attrelid = a.objid
    WHERE a.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND att.attnum > 0 AND NOT att.attisdropped
      AND att.attacl IS NOT NULL AND pg_catalog.cardinality(att.attacl) > 0
    UNION ALL
    SELECT a.classid, p.oid, 0, p.proacl
    FROM asked a JOIN pg_catalog.pg_proc p ON p.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.proacl IS NOT NULL
      AND NOT (p.proacl OPERATOR(pg_catalog.@>) pg_catalog.acldefault('f', p.proowner) AND p.proacl OPERATOR(pg_catalog.<@) pg_catalog.acldefault('f', p.proowner))
    UNION ALL
    SELECT a.classid, t.oid, 0, t.typacl
    FROM asked a JOIN pg_catalog.pg_type t ON t.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.typacl IS NOT NULL
      AND NOT (t.typacl OPERATOR(pg_catalog.@>) pg_catalog.acldefault('T', t.typowner) AND t.typacl OPERATOR(pg_catalog.<@) pg_catalog.acldefault('T', t.typowner))
    UNION ALL
    SELECT a.classid, n.oid, 0, n.nspacl
    FROM asked a JOIN pg_catalog.pg_namespace n ON n.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.nspacl IS NOT NULL
      AND NOT (n.nspacl OPERATOR(pg_catalog.@>) pg_catalog.acldefault('n', n.nspowner) AND n.nspacl OPERATOR(pg_catalog.<@) pg_catalog.acldefault('n', n.nspowner))
    UNION ALL
    SELECT a.classid, fs.oid, 0, fs.srvacl
    FROM asked a JOIN pg_catalog.pg_foreign_server fs ON fs.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND fs.srvacl IS NOT NULL
      AND NOT (fs.srvacl OPERATOR(pg_catalog.@>) pg_catalog.acldefault('S', fs.srvowner) AND fs.srvacl OPERATOR(pg_catalog.<@) pg_catalog.acldefault('S', fs.srvowner))
    UNION ALL
    SELECT a.classid, d.oid, 0, d.defaclacl
    FROM asked a JOIN pg_catalog.pg_default_acl d ON d.oid = a.objid
    WHERE a.classid = 'pg_catalog.pg_default_acl'::pg_catalog.regclass
)
SELECT acls.classid::int8 AS classid, acls.objid::int8 AS objid, acls.subid::int4 AS subid,
       COALESCE((SELECT pg_catalog.jsonb_object_agg(g.grantee, g.privileges)
                 FROM (SELECT CASE WHEN x.grantee = 0 THEN 'public'
                                   ELSE COALESCE(pg_catalog.pg_get_userbyid(x.grantee)::text, x.grantee::text) END AS grantee,
                              pg_catalog.jsonb_agg(DISTINCT (x.privilege_type
                                  || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) COLLATE "C") AS privileges
                       FROM pg_catalog.aclexplode(acls.acl) x
                       GROUP BY 1) g), '{}'::jsonb) AS privileges
FROM acls
