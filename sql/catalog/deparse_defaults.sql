-- Prints defaults and generation expressions. $1: pg_attrdef oids (one per distinct expression).
-- A default never reads a column, so it is printed without its table (no relation open);
-- a generated column's expression does, and needs it.
SELECT ad.oid::int8 AS oid,
       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS expr
FROM pg_catalog.pg_attrdef ad
JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
WHERE ad.oid = ANY($1::oid[])
