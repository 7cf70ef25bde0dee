-- The files behind the tables read, for exact sizes: the table, its TOAST table and TOAST
-- index, and its indexes. pg_relation_filepath() reads only the catalog (no relation is
-- opened); NULL for relations without storage. $1: table oids.
SELECT t.oid::int8 AS table_oid, 'heap' AS part, pg_catalog.pg_relation_filepath(t.oid) AS path
FROM pg_catalog.pg_class t WHERE t.oid = ANY($1::oid[])
UNION ALL
SELECT t.oid::int8, 'toast', pg_catalog.pg_relation_filepath(t.reltoastrelid)
FROM pg_catalog.pg_class t WHERE t.oid = ANY($1::oid[]) AND t.reltoastrelid <> 0
UNION ALL
SELECT t.oid::int8, 'toast', pg_catalog.pg_relation_filepath(ti.indexrelid)
FROM pg_catalog.pg_class t JOIN pg_catalog.pg_index ti ON ti.indrelid = t.reltoastrelid
WHERE t.oid = ANY($1::oid[]) AND t.reltoastrelid <> 0
UNION ALL
SELECT i.indrelid::int8, 'index', pg_catalog.pg_relation_filepath(i.indexrelid)
FROM pg_catalog.pg_index i WHERE i.indrelid = ANY($1::oid[])
