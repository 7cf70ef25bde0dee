-- The database's publications (lens_core::model::Publication): what each publishes, of
-- which tables (columns and row filters included) and schemas. $2: the publications capture
-- re-reads, or NULL for all ($1, the schemas, is not a filter: a publication is the
-- database's, and may name tables of any schema).
SELECT p.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', p.oid::int8,
           'key', pg_catalog.quote_ident(p.pubname),
           'name', p.pubname::text,
           'allTables', p.puballtables,
           'operations', pg_catalog.to_jsonb(ARRAY(SELECT o FROM (VALUES (1, 'insert', p.pubinsert), (2, 'update', p.pubupdate),
                                                                       (3, 'delete', p.pubdelete), (4, 'truncate', p.pubtruncate)) v(n, o, on_)
                                                   WHERE on_ ORDER BY n)),
           'viaRoot', p.pubviaroot,
           'tables', (SELECT pg_catalog.jsonb_object_agg(
                          pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
                          pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object( -- pg15+
                              'columns', CASE WHEN r.prattrs IS NOT NULL THEN -- pg15+
                                  (SELECT pg_catalog.jsonb_agg(a.attname::text ORDER BY k.i) -- pg15+
                                   FROM pg_catalog.unnest(r.prattrs::int2[]) WITH ORDINALITY k(attnum, i) -- pg15+
                                   JOIN pg_catalog.pg_attribute a ON a.attrelid = r.prrelid AND a.attnum = k.attnum) END, -- pg15+
                              'rowFilter', pg_catalog.pg_get_expr(r.prqual, r.prrelid)))) -- pg15+
                          '{}'::pg_catalog.jsonb) -- pg14
                      FROM pg_catalog.pg_publication_rel r
                      JOIN pg_catalog.pg_class c ON c.oid = r.prrelid
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                      WHERE r.prpubid = p.oid),
           'schemas', (SELECT pg_catalog.jsonb_agg(n.nspname::text ORDER BY n.nspname COLLATE "C") -- pg15+
                       FROM pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid -- pg15+
                       WHERE pn.pnpubid = p.oid), -- pg15+
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(p.pubowner)::text
       )) AS entry
FROM pg_catalog.pg_publication p
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND d.objsubid = 0
WHERE ($2::oid[] IS NULL OR p.oid = ANY($2::oid[])) AND $1::oid[] IS NOT NULL
