-- format_type(), the default collation and the storage for each distinct (type, typmod) pair.
-- $1: type oids; $2: typmods (same length).
SELECT u.type_oid::int8 AS type_oid,
       u.typmod AS typmod,
       pg_catalog.format_type(u.type_oid, u.typmod) AS formatted,
       coalesce(t.typcollation, 0)::int8 AS collation,
       coalesce(t.typstorage, 'p')::text AS storage
FROM unnest($1::oid[], $2::int4[]) AS u(type_oid, typmod)
LEFT JOIN pg_catalog.pg_type t ON t.oid = u.type_oid
