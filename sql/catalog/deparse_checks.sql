-- Prints CHECK expressions. $1: constraint oids (one per distinct expression).
SELECT con.oid::int8 AS oid, pg_catalog.pg_get_expr(con.conbin, con.conrelid) AS expr
FROM pg_catalog.pg_constraint con
WHERE con.oid = ANY($1::oid[])
