-- Row-level security policies. $1: schema oids; $2: relation oids or NULL.
SELECT p.polrelid::int8 AS relid,
       p.polname::text AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       CASE WHEN p.polroles = '{0}' THEN ARRAY['public']
            ELSE ARRAY(SELECT a.rolname::text FROM pg_catalog.pg_roles a
                       WHERE a.oid = ANY (p.polroles) ORDER BY a.rolname) END AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       d.description AS comment,
       p.oid::int8 AS oid
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objsubid = 0
-- capture replaces these two lines by `WHERE c.oid = ANY($2::oid[])` (by_relation in
-- src/catalog/reader.rs): keep them as they are.
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
