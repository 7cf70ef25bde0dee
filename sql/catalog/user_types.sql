-- Composite types (CREATE TYPE ... AS (...); not the row types of tables) and range types
-- of the snapshot's schemas (lens_core::model::UserType). $1: schema oids; $2: the types
-- capture re-reads, or NULL for all; $3: the relations of the composite types (a snapshot's
-- pg_class scan found them: a table's row type is composite too, and checking each of
-- those costs more than the rest of the query), or NULL to check. Members of extensions are left out. Types print with
-- format_type() under search_path pg_catalog: user types schema-qualified.
SELECT t.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', t.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname),
           'schema', n.nspname::text,
           'name', t.typname::text,
           'kind', CASE t.typtype WHEN 'c' THEN 'composite' ELSE 'range' END,
           'attributes', CASE WHEN t.typtype = 'c' THEN
               (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                          'name', a.attname::text,
                          'dataType', pg_catalog.format_type(a.atttypid, a.atttypmod),
                          'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN
                              (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                               FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                               WHERE co.oid = a.attcollation) END)) ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
           'subtype', pg_catalog.format_type(r.rngsubtype, NULL),
           'subtypeOpclass', (SELECT pg_catalog.quote_ident(on_.nspname) || '.' || pg_catalog.quote_ident(oc.opcname)
                              FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace on_ ON on_.oid = oc.opcnamespace
                              WHERE oc.oid = r.rngsubopc),
           'collation', (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                         WHERE co.oid = r.rngcollation AND r.rngcollation <> (SELECT typcollation FROM pg_catalog.pg_type WHERE oid = r.rngsubtype)),
           'canonical', CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END,
           'subtypeDiff', CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END,
           'multirange', pg_catalog.format_type(r.rngmultitypid, NULL),
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(t.typowner)::text
       )) AS entry
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE t.typnamespace = ANY($1::oid[])
  AND (t.typtype = 'r'
       OR (t.typtype = 'c' AND CASE WHEN $3::oid[] IS NULL
                                    THEN (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'
                                    ELSE t.typrelid = ANY($3::oid[]) END))
  AND ($2::oid[] IS NULL OR t.oid = ANY($2::oid[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND e.deptype = 'e')
