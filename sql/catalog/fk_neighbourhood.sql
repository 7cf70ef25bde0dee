-- The tables within $2 foreign-key hops of $1, either way (what a focused ER diagram
-- shows): keys as the snapshot writes them, user tables only (no system, temporary or
-- extension relation).
WITH RECURSIVE near(oid, hops) AS (
    SELECT $1::oid, 0
    UNION
    SELECT CASE WHEN con.conrelid = n.oid THEN con.confrelid ELSE con.conrelid END, n.hops + 1
    FROM near n
    JOIN pg_catalog.pg_constraint con ON con.contype = 'f' AND (con.conrelid = n.oid OR con.confrelid = n.oid)
    WHERE n.hops < $2
)
SELECT DISTINCT pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS key
FROM near r
JOIN pg_catalog.pg_class c ON c.oid = r.oid
JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
WHERE ns.nspname NOT IN ('pg_catalog', 'information_schema') AND ns.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
