-- What the server prints for the indexes the extension does not print itself. $1: index oids.
SELECT x.oid::int8 AS oid,
       pg_catalog.pg_get_indexdef(x.oid) AS definition,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(x.oid, k, true)
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS columns
FROM unnest($1::oid[]) AS x(oid)
JOIN pg_catalog.pg_index i ON i.indexrelid = x.oid
