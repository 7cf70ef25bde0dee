-- The collations of the snapshot's schemas as objects (lens_core::model::Collation).
-- $1: schema oids; $2: the collations capture re-reads, or NULL for all. Members of
-- extensions are left out. (collations.sql names the collations columns use.)
SELECT c.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', c.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.collname),
           'schema', n.nspname::text,
           'name', c.collname::text,
           'provider', CASE c.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'default' END,
           'lcCollate', c.collcollate,
           'lcCtype', c.collctype,
           'locale', c.colliculocale, -- pg15-16
           'locale', c.colllocale, -- pg17+
           'icuRules', c.collicurules, -- pg16+
           'deterministic', c.collisdeterministic,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(c.collowner)::text
       )) AS entry
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.collnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e')
