-- The constraints of some relations ($1) as pg_dump prints them: key (schema.table:name,
-- quoted as quote_ident() does), pg_get_constraintdef(), and whether the relation inherits it
-- from a parent (a partition's copy of its parent's primary key, say).
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) || ':'
         || pg_catalog.quote_ident(con.conname) AS key,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       NOT con.conislocal AS inherited
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'c', 'x', 'f')
