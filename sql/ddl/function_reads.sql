-- The relations each function of the schemas $1 needs to exist before it is created: those
-- whose row type is among its argument or result types, and those a BEGIN ATOMIC body reads
-- (both recorded in pg_depend). Keys as the snapshot writes them.
SELECT pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(p.proname)
       || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')' AS function_key,
       pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(r.relname) AS reads_key
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
JOIN pg_catalog.pg_depend d
  ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'n'
LEFT JOIN pg_catalog.pg_type t
  ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = d.refobjid AND t.typrelid <> 0
JOIN pg_catalog.pg_class r
  ON r.oid = CASE WHEN d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass THEN d.refobjid ELSE t.typrelid END
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE p.pronamespace = ANY($1::oid[]) AND r.relkind IN ('r', 'p', 'v', 'm', 'f')
GROUP BY 1, 2
ORDER BY 1, 2
