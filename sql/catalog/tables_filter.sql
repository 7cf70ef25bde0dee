-- Resolves the table keys a caller limited a snapshot to. $1: keys such as public."Users".
-- to_regclass() parses them exactly as PostgreSQL parses a qualified name.
SELECT k.key, c.oid::int8 AS oid, c.relkind::text AS relkind, c.relnamespace::int8 AS nsp_oid
FROM unnest($1::text[]) AS k(key)
LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(k.key)
