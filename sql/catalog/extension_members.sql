-- Relations and types that belong to an extension (pg_lens's own among them), which a
-- snapshot leaves out. Found through pg_depend's index on the referenced object, so this
-- costs a few index probes, not a scan of pg_depend for every relation.
SELECT d.objid::int8 AS oid
FROM pg_catalog.pg_depend d
WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
  AND d.deptype = 'e'
  AND d.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass)
