-- Foreign servers (lens_core::model::ForeignServer), their privileges from privileges.sql.
-- An option whose name says it holds a secret (password, secret, token) keeps its name, its
-- value reads (redacted): a snapshot goes to git. User mappings, where credentials belong,
-- are not read at all. $2: the servers re-read, or NULL for all ($1 is not a filter).
SELECT s.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', s.oid::int8,
           'key', pg_catalog.quote_ident(s.srvname),
           'name', s.srvname::text,
           'wrapper', w.fdwname::text,
           'type', s.srvtype,
           'version', s.srvversion,
           'options', pg_catalog.to_jsonb(ARRAY(
               SELECT CASE WHEN pg_catalog.split_part(o, '=', 1) ~* '(password|passwd|secret|token)'
                           THEN pg_catalog.split_part(o, '=', 1) || '=(redacted)' ELSE o END
               FROM pg_catalog.unnest(s.srvoptions) WITH ORDINALITY u(o, i) ORDER BY i)),
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(s.srvowner)::text
       )) AS entry
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND d.objsubid = 0
WHERE ($2::oid[] IS NULL OR s.oid = ANY($2::oid[])) AND $1::oid[] IS NOT NULL
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND x.objid = s.oid AND x.deptype = 'e')
