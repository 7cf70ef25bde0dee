-- Extended statistics on the relations read (lens_core::model::Statistics). $1: schema oids
-- of the relations; $2: relation oids, or NULL for all of the schemas'. $3: extension
-- members (left out).
SELECT s.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', s.oid::int8,
           'key', pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.stxname),
           'tableKey', pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.relname),
           'schema', sn.nspname::text,
           'name', s.stxname::text,
           'definition', pg_catalog.pg_get_statisticsobjdef(s.oid),
           'statisticsTarget', CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget END,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(s.stxowner)::text
       )) AS entry
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
JOIN pg_catalog.pg_namespace sn ON sn.oid = s.stxnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND NOT (c.oid = ANY($3::oid[]))
