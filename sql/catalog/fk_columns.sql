-- Names of an FK's referencing and referenced columns, for FKs whose child or parent table the
-- snapshot did not read (another schema, an extension's table, a child pointing into a
-- snapshot limited to some tables). $1: constraint oids.
SELECT con.oid::int8 AS oid,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.i) AS child_cols,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.i) AS parent_cols
FROM pg_catalog.pg_constraint con
WHERE con.oid = ANY($1::oid[])
