-- The database's event triggers (lens_core::model::EventTrigger), an extension's own (pg_lens's
-- capture among them) aside. $2: the triggers re-read, or NULL for all ($1 is not a filter:
-- an event trigger is the database's).
SELECT e.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', e.oid::int8,
           'key', pg_catalog.quote_ident(e.evtname),
           'name', e.evtname::text,
           'event', e.evtevent::text,
           'tags', pg_catalog.to_jsonb(e.evttags),
           'function', e.evtfoid::pg_catalog.regproc::text,
           'enabled', CASE e.evtenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' ELSE 'origin' END,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(e.evtowner)::text
       )) AS entry
FROM pg_catalog.pg_event_trigger e
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = e.oid AND d.classoid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND d.objsubid = 0
WHERE ($2::oid[] IS NULL OR e.oid = ANY($2::oid[])) AND $1::oid[] IS NOT NULL
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND x.objid = e.oid AND x.deptype = 'e')
