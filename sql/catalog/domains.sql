-- Domains with their base type, default, collation and CHECK constraints. $1: schema oids;
-- $3: extension members; $4: type oids or NULL (capture re-reads some types).
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS data_type,
       t.typnotnull AS not_null,
       t.typdefault AS default_expr,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
         (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
          FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
          WHERE co.oid = t.typcollation) END AS collation,
       ARRAY(SELECT c.conname::text FROM pg_catalog.pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names,
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_defs,
       d.description AS comment,
       t.oid::int8 AS oid,
       pg_catalog.pg_get_userbyid(t.typowner)::text AS owner
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typnamespace = ANY($1::oid[]) AND t.typtype = 'd'
  AND NOT (t.oid = ANY($3::oid[]))  -- extension members (extension_members.sql)
  AND ($4::oid[] IS NULL OR t.oid = ANY($4::oid[]))
