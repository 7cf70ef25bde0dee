-- User triggers (not the internal ones behind FKs, not the clones a partition inherits).
-- $1: schema oids; $2: relation oids or NULL.
SELECT t.tgrelid::int8 AS relid,
       t.tgname::text AS name,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled,
       d.description AS comment,
       t.oid::int8 AS oid
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objsubid = 0
-- capture replaces these two lines by `WHERE c.oid = ANY($2::oid[])` (by_relation in
-- src/catalog/reader.rs): keep them as they are.
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND NOT t.tgisinternal
  AND t.tgparentid = 0
