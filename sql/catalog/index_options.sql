-- Indexes with operator class options (stored as the index columns' attoptions), which only
-- pg_get_indexdef() prints. $1: index oids.
SELECT DISTINCT a.attrelid::int8 AS oid
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = ANY($1::oid[]) AND a.attoptions IS NOT NULL
