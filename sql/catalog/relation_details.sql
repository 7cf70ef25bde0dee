-- What only the server prints about the relations read: the parent and bound of a partition
-- (a bound holds only constants, so it is printed without opening the table), the key of a
-- partitioned table, the body of a view, a foreign table's server and options. $1: oids of
-- the relations that have any of them.
SELECT c.oid::int8 AS oid,
       pn.nspname::text AS parent_schema,
       pc.relname::text AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS view_definition,
       (SELECT fs.srvname::text FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
        WHERE ft.ftrelid = c.oid) AS server,
       (SELECT ft.ftoptions FROM pg_catalog.pg_foreign_table ft WHERE ft.ftrelid = c.oid) AS foreign_options
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.oid = ANY($1::oid[])
