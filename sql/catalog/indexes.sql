-- Indexes of the relations read. $1: schema oids; $2: relation oids or NULL.
-- The definition is printed by the extension where that is exact (see lens-core's
-- index_def.rs); needs_server_def marks the ones only pg_get_indexdef() may print.
SELECT i.indexrelid::int8 AS oid,
       i.indrelid::int8 AS relid,
       ic.relname::text AS name,
       ic.relkind::text AS relkind,
       am.amname::text AS method,
       am.oid::int8 AS method_oid,
       ic.relpages::int8 AS relpages,
       i.indnkeyatts::int4 AS nkeyatts,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisexclusion AS is_exclusion,
       i.indisvalid AS is_valid,
       i.indnullsnotdistinct AS nulls_not_distinct,
       i.indkey::int2[] AS indkey,
       i.indoption::int2[] AS indoption,
       i.indclass::oid[] AS indclass,
       i.indcollation::oid[] AS indcollation,
       -- opclass options live in the index's attoptions; btree's built-in classes take none,
       -- so only other methods pay for the look-up (a scalar subquery, run per row, not hashed)
       (i.indexprs IS NOT NULL OR ic.reloptions IS NOT NULL
        OR (am.amname <> 'btree'
            AND (SELECT count(*) FROM pg_catalog.pg_attribute ia
                 WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL) > 0)) AS needs_server_def,
       -- printed once per distinct predicate by deparse_predicates.sql (see expr_groups.rs)
       i.indpred::text AS predicate_node,
       d.description AS comment
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
