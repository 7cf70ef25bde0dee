-- Extensions installed into the snapshot's schemas (pg_lens itself aside): an extension's
-- own objects are never entries, the extension is (lens_core::model::Extension).
-- $1: schema oids; $2: the extensions capture re-reads, or NULL for all.
SELECT e.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', e.oid::int8,
           'key', e.extname::text,
           'name', e.extname::text,
           'version', e.extversion,
           'schema', n.nspname::text,
           'relocatable', e.extrelocatable,
           'owner', pg_catalog.pg_get_userbyid(e.extowner)::text
       )) AS entry
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extnamespace = ANY($1::oid[]) AND e.extname <> 'pg_lens'
  AND ($2::oid[] IS NULL OR e.oid = ANY($2::oid[]))
