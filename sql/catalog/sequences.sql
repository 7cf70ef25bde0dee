-- Sequences, with the column that owns them (serial: deptype 'a'; identity: deptype 'i').
-- The owner is looked up per sequence through pg_depend's index on the depender (a join
-- would scan all of pg_depend). $1: schema oids; $2: relation oids or NULL (then only
-- sequences owned by those relations); $3: extension members.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min, s.seqmax AS max,
       s.seqcache AS cache, s.seqcycle AS cycle,
       owner.refobjid::int8 AS owner_relid,
       owner.refobjsubid::int4 AS owner_attnum,
       coalesce(owner.deptype = 'i', false) AS identity,
       d.description AS comment
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT dep.refobjid, dep.refobjsubid, dep.deptype
    FROM pg_catalog.pg_depend dep
    WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid AND dep.objsubid = 0
      AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype IN ('a', 'i')
    LIMIT 1) owner ON true
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR owner.refobjid = ANY($2::oid[]))
  AND NOT (c.oid = ANY($3::oid[]))  -- extension members (extension_members.sql)
