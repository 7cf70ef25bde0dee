-- Qualified, quoted collation names. $1: collation oids.
SELECT co.oid::int8 AS oid,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(co.collname) AS name
FROM pg_catalog.pg_collation co
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE co.oid = ANY($1::oid[])
