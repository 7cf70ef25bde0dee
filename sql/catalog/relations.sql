-- Tables, partitioned tables, views, materialized views and foreign tables.
-- $1: schema oids; $2: relation oids to limit to, or NULL; $3: extension members. (Exact sizes: relation_files.sql.)
-- Objects that belong to an extension (pg_lens's own tables among them) are left out.
SELECT c.oid::int8 AS oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relkind::text AS relkind,
       c.reltuples::float8 AS reltuples,
       c.relpages::int8 AS relpages,
       coalesce(t.relpages, 0)::int8 AS toast_pages,
       c.relpersistence::text AS persistence,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       pn.nspname::text AS parent_schema,
       pc.relname::text AS parent_name,
       -- a bound holds only constants: printed without opening the table
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS view_definition,
       d.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND NOT (c.oid = ANY($3::oid[]))  -- extension members (extension_members.sql)
