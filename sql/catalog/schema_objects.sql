-- The snapshot's schemas as objects (lens_core::model::Schema; privileges come from
-- privileges.sql). $1: schema oids; $2: the schemas capture re-reads, or NULL for all.
SELECT n.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', n.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname),
           'name', n.nspname::text,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(n.nspowner)::text
       )) AS entry
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.oid = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR n.oid = ANY($2::oid[]))
