-- Capture's variant of triggers.sql: the triggers of some relations, found by the index on
-- tgrelid (a plan kept for every DDL statement must not scan). $2: relation oids.
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
WHERE t.tgrelid = ANY($2::oid[])
  AND NOT t.tgisinternal
  AND t.tgparentid = 0
