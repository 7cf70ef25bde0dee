-- The relations each view or materialized view of $1 reads, from its rewrite rule's
-- dependencies: a script creates it after them. Keys as the snapshot writes them.
SELECT pg_catalog.quote_ident(vn.nspname) || '.' || pg_catalog.quote_ident(v.relname) AS view_key,
       pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(r.relname) AS reads_key
FROM pg_catalog.pg_rewrite w
JOIN pg_catalog.pg_class v ON v.oid = w.ev_class
JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_catalog.pg_depend d
  ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = w.oid
 AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'n'
JOIN pg_catalog.pg_class r ON r.oid = d.refobjid AND r.oid <> v.oid
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE w.ev_class = ANY($1::oid[])
GROUP BY 1, 2
ORDER BY 1, 2
