-- The user's foreign-data wrappers (lens_core::model::ForeignDataWrapper); an extension's
-- own (postgres_fdw's) are the extension's. $2: those re-read, or NULL for all ($1 is not
-- a filter: a wrapper is the database's).
SELECT w.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', w.oid::int8,
           'key', pg_catalog.quote_ident(w.fdwname),
           'name', w.fdwname::text,
           'handler', CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::text END,
           'validator', CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::text END,
           'options', pg_catalog.to_jsonb(w.fdwoptions),
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(w.fdwowner)::text
       )) AS entry
FROM pg_catalog.pg_foreign_data_wrapper w
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = w.oid AND d.classoid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND d.objsubid = 0
WHERE ($2::oid[] IS NULL OR w.oid = ANY($2::oid[])) AND $1::oid[] IS NOT NULL
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND x.objid = w.oid AND x.deptype = 'e')
