-- The FKs that reference a table ($1), each with its child table (key and oid), its columns
-- and the referenced ones (quoted, in FK order), the referenced ones as the catalog spells
-- them, and its ON DELETE action. FKs a partition inherits from its parent are left out.
SELECT con.conname::text AS name,
       child.oid::int8 AS child_oid,
       pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(child.relname) AS child_key,
       ARRAY(SELECT pg_catalog.quote_ident(a.attname) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS child_cols,
       ARRAY(SELECT pg_catalog.quote_ident(a.attname) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS parent_cols,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS parent_names,
       CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                            WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS on_delete,
       pg_catalog.has_table_privilege(child.oid, 'SELECT') AS readable
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class child ON child.oid = con.conrelid
JOIN pg_catalog.pg_namespace cn ON cn.oid = child.relnamespace
WHERE con.contype = 'f' AND con.confrelid = $1 AND con.conparentid = 0
ORDER BY 3, 1
