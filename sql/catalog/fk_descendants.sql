-- The tables a delete from $1 can reach through foreign keys: $1 and every table that
-- references it, and those that reference them, at any depth (what lens_risk walks).
-- Keys as the snapshot writes them; a user table's only (no system, temporary or extension
-- relation).
WITH RECURSIVE reach(oid) AS (
    SELECT $1::oid
    UNION
    SELECT con.conrelid FROM pg_catalog.pg_constraint con JOIN reach r ON con.confrelid = r.oid
    WHERE con.contype = 'f'
)
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS key
FROM reach r
JOIN pg_catalog.pg_class c ON c.oid = r.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
