-- What ALTER SCHEMA touches ($1: schema oids): every relation, type, function and
-- default privileges entry in those schemas (a rename changes all their keys, and what
-- refers to them).
-- Returns catalog id and object id, as pg_event_trigger_ddl_commands() does.
SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::oid::int8, c.oid::int8
FROM pg_catalog.pg_class c
WHERE c.relnamespace = ANY($1::oid[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
UNION ALL
SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::oid::int8, t.oid::int8
FROM pg_catalog.pg_type t
WHERE t.typnamespace = ANY($1::oid[]) AND t.typtype IN ('e', 'd', 'c')
UNION ALL
SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::oid::int8, p.oid::int8
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = ANY($1::oid[])
UNION ALL
SELECT 'pg_catalog.pg_default_acl'::pg_catalog.regclass::oid::int8, d.oid::int8
FROM pg_catalog.pg_default_acl d
WHERE d.defaclnamespace = ANY($1::oid[])
