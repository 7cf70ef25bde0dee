-- Casts users made (lens_core::model::Cast): not the built-in ones (oids below 16384, the
-- first a user object gets), not an extension's, not those a type made for itself (a
-- range's cast to its multirange). $2: the casts re-read, or NULL for all
-- ($1 is not a filter: a cast belongs to no schema).
SELECT c.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', c.oid::int8,
           'key', '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL) || ')',
           'source', pg_catalog.format_type(c.castsource, NULL),
           'target', pg_catalog.format_type(c.casttarget, NULL),
           'function', CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::text END,
           'method', CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'i' THEN 'inout' ELSE 'binary' END,
           'context', CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' ELSE 'implicit' END,
           'comment', d.description
       )) AS entry
FROM pg_catalog.pg_cast c
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.oid >= 16384
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[])) AND $1::oid[] IS NOT NULL
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND x.objid = c.oid AND x.deptype IN ('e', 'i'))
