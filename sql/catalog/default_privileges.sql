-- ALTER DEFAULT PRIVILEGES of any role, for all schemas or one of the snapshot's
-- (lens_core::model::DefaultPrivileges; the privileges come from privileges.sql).
-- $1: schema oids; $2: the entries capture re-reads, or NULL for all.
SELECT d.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', d.oid::int8,
           'key', pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)::text)
                  || COALESCE(' IN SCHEMA ' || pg_catalog.quote_ident(n.nspname), '') || ' ON ' || pg_catalog.upper(o.objects),
           'role', pg_catalog.pg_get_userbyid(d.defaclrole)::text,
           'schema', n.nspname::text,
           'objects', o.objects
       )) AS entry
FROM pg_catalog.pg_default_acl d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL (SELECT CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                                WHEN 'T' THEN 'types' ELSE 'schemas' END AS objects) o
WHERE (d.defaclnamespace = 0 OR d.defaclnamespace = ANY($1::oid[]))
  AND ($2::oid[] IS NULL OR d.oid = ANY($2::oid[]))
