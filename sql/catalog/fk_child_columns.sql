-- Names of the referencing columns of FKs whose child table the snapshot did not read (FKs
-- pointing into a snapshot limited to some tables). $1: constraint oids.
SELECT con.oid::int8 AS oid,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.i) AS child_cols
FROM pg_catalog.pg_constraint con
WHERE con.oid = ANY($1::oid[])
