-- The relations a snapshot will deparse, in oid order, to be share-locked before it reads
-- (as pg_dump does), so that no concurrent DDL changes or drops them mid-read.
-- $1: schema oids; $2: relation oids or NULL.
SELECT c.oid::int8 AS oid
FROM pg_catalog.pg_class c
WHERE c.relnamespace = ANY($1::oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
ORDER BY c.oid
