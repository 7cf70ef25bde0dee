-- Primary keys, uniques, checks, exclusions and FKs on the relations read, and, when the
-- snapshot is limited to some tables ($2), the FKs from other tables that point at them.
-- $1: schema oids; $2: relation oids or NULL.
SELECT con.oid::int8 AS oid,
       con.conrelid::int8 AS relid,
       con.conname::text AS name,
       con.contype::text AS contype,
       con.conkey::int2[] AS conkey,
       con.conindid::int8 AS index_oid,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       (con.contype = 'f' AND con.conparentid <> 0) AS inherited_from_parent,
       CASE WHEN $2::oid[] IS NOT NULL AND NOT (con.conrelid = ANY($2::oid[])) THEN cn.nspname::text END AS child_schema,
       CASE WHEN $2::oid[] IS NOT NULL AND NOT (con.conrelid = ANY($2::oid[])) THEN c.relname::text END AS child_table,
       CASE WHEN $2::oid[] IS NOT NULL AND NOT (con.conrelid = ANY($2::oid[])) THEN
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
               ORDER BY k.i) END AS child_cols,
       fn.nspname::text AS parent_schema,
       fc.relname::text AS parent_table,
       con.confrelid::int8 AS parent_relid,
       con.confkey::int2[] AS parent_attnums,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.confdelsetcols::int2[] AS on_delete_set_cols,
       -- printed once per distinct expression by deparse_checks.sql (see expr_groups.rs)
       CASE WHEN con.contype = 'c' THEN con.conbin::text END AS check_node,
       CASE WHEN con.contype = 'x' THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition,
       d.description AS comment
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = con.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND ((c.relnamespace = ANY($1::oid[]) AND ($2::oid[] IS NULL OR con.conrelid = ANY($2::oid[])))
       OR (con.contype = 'f' AND $2::oid[] IS NOT NULL AND con.confrelid = ANY($2::oid[])))
