-- pg_get_constraintdef() for the constraints the snapshot shows as printed (exclusions).
-- $1: constraint oids.
SELECT con.oid::int8 AS oid, pg_catalog.pg_get_constraintdef(con.oid) AS definition
FROM pg_catalog.pg_constraint con
WHERE con.oid = ANY($1::oid[])
