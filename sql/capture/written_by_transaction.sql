-- The relations whose catalog rows the current transaction wrote ($1: its xid): what a
-- step of a statement that commits in steps (CREATE INDEX CONCURRENTLY, DETACH PARTITION
-- CONCURRENTLY) is committing. Scans pg_class, pg_index and pg_inherits: such statements
-- are rare and slow anyway. Temporary relations are left out.
WITH written(oid) AS (
    SELECT c.oid FROM pg_catalog.pg_class c WHERE c.xmin = $1::text::xid
    UNION
    SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.xmin = $1::text::xid
    UNION
    SELECT h.inhrelid FROM pg_catalog.pg_inherits h WHERE h.xmin = $1::text::xid
    UNION
    SELECT h.inhparent FROM pg_catalog.pg_inherits h WHERE h.xmin = $1::text::xid
)
SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid::int8, w.oid::int8, c.oid::pg_catalog.regclass::text
FROM written w JOIN pg_catalog.pg_class c ON c.oid = w.oid
WHERE c.relpersistence <> 't' AND c.relnamespace <> 'pg_catalog'::pg_catalog.regnamespace
