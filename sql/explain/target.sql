-- What lens_explain must know of its table before it explains a delete from it: its kind,
-- schema, whether an extension owns it, and whether a DELETE on it can run (a view's
-- pg_relation_is_updatable bit for DELETE, INSTEAD OF triggers and rules counted). $1: oid.
SELECT c.relkind::text AS kind,
       n.nspname::text AS schema,
       EXISTS (SELECT FROM pg_catalog.pg_depend d
               WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                 AND d.deptype = 'e') AS in_extension,
       (pg_catalog.pg_relation_is_updatable(c.oid, true) & 16) <> 0 AS deletable
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = $1
