-- Rules on the relations read (lens_core::model::Rule), but a view's `_RETURN` rule (its
-- definition). $1: schema oids of the relations; $2: relation oids, or NULL for all of the
-- schemas'; $3: extension members (left out).
SELECT w.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', w.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) || ':' || pg_catalog.quote_ident(w.rulename),
           'tableKey', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
           'name', w.rulename::text,
           'definition', pg_catalog.pg_get_ruledef(w.oid),
           'enabled', CASE w.ev_enabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' ELSE 'origin' END,
           'comment', d.description
       )) AS entry
FROM pg_catalog.pg_rewrite w
JOIN pg_catalog.pg_class c ON c.oid = w.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = w.oid AND d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND w.rulename <> '_RETURN'
  AND NOT (c.oid = ANY($3::oid[]))
