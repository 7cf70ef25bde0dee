-- The operator classes of the snapshot's schemas (lens_core::model::OperatorClass), with the
-- operators and support functions CREATE OPERATOR CLASS gave them (the family members that
-- depend on the class, as pg_dump reads them). $1: schema oids; $2: the classes re-read, or
-- NULL for all. An extension's own are the extension's.
SELECT c.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', c.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.opcname) || ' USING ' || pg_catalog.quote_ident(am.amname),
           'schema', n.nspname::text,
           'name', c.opcname::text,
           'method', am.amname::text,
           'type', pg_catalog.format_type(c.opcintype, NULL),
           'default', c.opcdefault,
           'family', CASE WHEN f.opfname <> c.opcname OR f.opfnamespace <> c.opcnamespace
                          THEN pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname) END,
           'storage', CASE WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype THEN pg_catalog.format_type(c.opckeytype, NULL) END,
           'members', pg_catalog.to_jsonb(ARRAY(
               SELECT m.text FROM (
                   SELECT 1 AS kind, ao.amopstrategy AS n,
                          'OPERATOR ' || ao.amopstrategy || ' ' || ao.amopopr::pg_catalog.regoperator::text
                          || CASE WHEN ao.amoppurpose = 'o' THEN ' FOR ORDER BY ' ||
                                  (SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(sf.opfname)
                                   FROM pg_catalog.pg_opfamily sf JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace
                                   WHERE sf.oid = ao.amopsortfamily) ELSE '' END AS text
                   FROM pg_catalog.pg_amop ao
                   JOIN pg_catalog.pg_depend dp ON dp.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND dp.objid = ao.oid
                    AND dp.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND dp.refobjid = c.oid
                   UNION ALL
                   SELECT 2, ap.amprocnum, 'FUNCTION ' || ap.amprocnum || ' ' || ap.amproc::pg_catalog.regprocedure::text
                   FROM pg_catalog.pg_amproc ap
                   JOIN pg_catalog.pg_depend dp ON dp.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND dp.objid = ap.oid
                    AND dp.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND dp.refobjid = c.oid
               ) m ORDER BY m.kind, m.n, m.text)),
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(c.opcowner)::text
       )) AS entry
FROM pg_catalog.pg_opclass c
JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.opcnamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND x.objid = c.oid AND x.deptype = 'e')
