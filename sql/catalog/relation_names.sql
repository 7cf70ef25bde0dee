-- Schema and name of relations a snapshot refers to but did not read (FK parents in other
-- schemas, FK children pointing into a limited snapshot). $1: relation oids.
SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY($1::oid[])
