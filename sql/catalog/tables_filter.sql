-- Resolves the table keys a caller limited a snapshot to. $1: keys such as public."Users",
-- each already checked to have two parts. to_regclass() parses them exactly as PostgreSQL
-- parses a qualified name. The extension that owns a relation, if one does: its objects are
-- never in a snapshot.
SELECT k.key, c.oid::int8 AS oid, c.relkind::text AS relkind, c.relnamespace::int8 AS nsp_oid,
       (SELECT e.extname::text FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
        LIMIT 1) AS extension
FROM unnest($1::text[]) AS k(key)
LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(k.key)
