-- Enum types and their labels in sort order. $1: schema oids; $3: extension members;
-- $4: type oids or NULL (capture re-reads some types).
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       d.description AS comment,
       t.oid::int8 AS oid,
       pg_catalog.pg_get_userbyid(t.typowner)::text AS owner
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typnamespace = ANY($1::oid[]) AND t.typtype = 'e'
  AND NOT (t.oid = ANY($3::oid[]))  -- extension members (extension_members.sql)
  AND ($4::oid[] IS NULL OR t.oid = ANY($4::oid[]))
