-- Indexes of some relations ($1) that are attached to an index of their partitioned parent:
-- the parent's CREATE INDEX makes them. Keys as the snapshot writes them.
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.relname) || '.'
         || pg_catalog.quote_ident(i.relname) AS key
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
WHERE x.indrelid = ANY($1::oid[])
  AND EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = x.indexrelid)
