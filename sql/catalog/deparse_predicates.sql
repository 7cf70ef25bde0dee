-- Prints partial-index predicates. $1: index oids (one per distinct predicate).
SELECT i.indexrelid::int8 AS oid, pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS expr
FROM pg_catalog.pg_index i
WHERE i.indexrelid = ANY($1::oid[])
