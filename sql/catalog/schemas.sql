-- The schemas a snapshot reads. $1: schema names, or NULL for every user schema.
-- Returns them in name order; unknown names come back with a NULL oid so the caller can say which.
SELECT n.oid::int8 AS oid, coalesce(n.nspname::text, req.name) AS name
FROM (SELECT DISTINCT unnest($1::text[]) AS name) req
LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = req.name
WHERE $1::text[] IS NOT NULL
UNION ALL
SELECT n.oid::int8, n.nspname::text
FROM pg_catalog.pg_namespace n
WHERE $1::text[] IS NULL
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  -- a schema that an extension created belongs to the extension, not to the user
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                    AND d.objid = n.oid AND d.deptype = 'e')
ORDER BY 2
