-- The operators of the snapshot's schemas (lens_core::model::Operator); an extension's own
-- are the extension's. $1: schema oids; $2: the operators re-read, or NULL for all.
SELECT o.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', o.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || o.oprname || '('
                  || COALESCE(pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') || ', '
                  || pg_catalog.format_type(o.oprright, NULL) || ')',
           'schema', n.nspname::text,
           'name', o.oprname::text,
           'left', pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL),
           'right', pg_catalog.format_type(o.oprright, NULL),
           'function', o.oprcode::pg_catalog.regproc::text,
           'commutator', CASE WHEN o.oprcom <> 0 THEN o.oprcom::pg_catalog.regoper::text END,
           'negator', CASE WHEN o.oprnegate <> 0 THEN o.oprnegate::pg_catalog.regoper::text END,
           'restrict', CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text END,
           'join', CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text END,
           'hashes', o.oprcanhash,
           'merges', o.oprcanmerge,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(o.oprowner)::text
       )) AS entry
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = o.oid AND d.classoid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objsubid = 0
WHERE o.oprnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR o.oid = ANY($2::oid[]))
  AND o.oprcode <> 0  -- a shell operator (named by another's COMMUTATOR before it exists)
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND x.objid = o.oid AND x.deptype = 'e')
