-- Columns of the relations read. $1: schema oids; $2: relation oids or NULL.
-- Types are printed once per distinct (type, typmod) by types.sql, not here per column.
SELECT a.attrelid::int8 AS relid,
       a.attnum::int4 AS attnum,
       a.attname::text AS name,
       a.atttypid::int8 AS type_oid,
       a.atttypmod AS typmod,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       a.attcollation::int8 AS collation,
       -- printed once per distinct expression by deparse_defaults.sql (see expr_groups.rs)
       coalesce(ad.oid, 0)::int8 AS attrdef_oid,
       ad.adbin::text AS default_node,
       d.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum
WHERE c.relnamespace = ANY($1::oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND a.attnum > 0
  AND NOT a.attisdropped
