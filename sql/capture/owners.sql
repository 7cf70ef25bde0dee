-- The groups a DDL statement touched (see lens_core::capture): for each object it created,
-- altered or renamed ($1 catalog ids, $2 object ids), the relation, unowned sequence or type
-- whose entries it is part of; the same for the objects that depend on it (a view on a
-- renamed table, the FK of another table that points at it, a column of a renamed type);
-- and, recursively, the partitions and inheritance children of every relation found, which
-- an ALTER on their parent changes too. Objects of extensions are left out. (A schema comes
-- in as the objects in it: schema_objects.sql.)
-- $3: whether dependents can have changed (false for CREATE statements: nothing depends on
-- a new object yet but its own parts).
-- Returns the owner's oid and kind: a pg_class relkind, 't' for a type, 'o' for an object
-- that stands alone in another catalog (a function, a schema, an extension, default
-- privileges).
WITH RECURSIVE touched(classid, objid) AS (
    SELECT * FROM unnest($1::oid[], $2::oid[])
), objects(classid, objid) AS (
    SELECT classid, objid FROM touched
    UNION
    SELECT d.classid, d.objid
    FROM pg_catalog.pg_depend d
    JOIN touched t ON d.refclassid = t.classid AND d.refobjid = t.objid
    WHERE $3 AND d.deptype NOT IN ('e', 'x', 'p')
), owner_of(owner, kind) AS (
    -- one index probe per object, whatever plan the query keeps (joins against the small
    -- catalogs made generic plans scan pg_type and pg_rewrite for every statement)
    SELECT CASE o.classid
        WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_extension'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_default_acl'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_collation'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_publication'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_publication_rel'::pg_catalog.regclass THEN (
            SELECT pr.prpubid FROM pg_catalog.pg_publication_rel pr WHERE pr.oid = o.objid)
        WHEN 'pg_catalog.pg_publication_namespace'::pg_catalog.regclass THEN ( -- pg15+
            SELECT pn.pnpubid FROM pg_catalog.pg_publication_namespace pn WHERE pn.oid = o.objid) -- pg15+
        WHEN 'pg_catalog.pg_event_trigger'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_cast'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_foreign_server'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_operator'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_opclass'::pg_catalog.regclass THEN o.objid
        WHEN 'pg_catalog.pg_opfamily'::pg_catalog.regclass THEN (
            SELECT min(oc.oid) FROM pg_catalog.pg_opclass oc WHERE oc.opcfamily = o.objid)
        WHEN 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass THEN (
            SELECT st.stxrelid FROM pg_catalog.pg_statistic_ext st WHERE st.oid = o.objid)
        WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (
            -- (a composite type's relation stands for its type: ALTER TYPE ... ADD ATTRIBUTE)
            SELECT COALESCE(i.indrelid, seq_owner.refobjid, CASE WHEN c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') THEN c.oid
                                                                 WHEN c.relkind = 'c' THEN c.reltype END)
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_index i ON c.relkind IN ('i', 'I') AND i.indexrelid = c.oid
            LEFT JOIN pg_catalog.pg_depend seq_owner
                   ON c.relkind = 'S' AND seq_owner.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND seq_owner.objid = c.oid AND seq_owner.objsubid = 0
                  AND seq_owner.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND seq_owner.deptype IN ('a', 'i')
            WHERE c.oid = o.objid)
        WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (
            SELECT COALESCE(NULLIF(con.conrelid, 0), NULLIF(con.contypid, 0)) FROM pg_catalog.pg_constraint con WHERE con.oid = o.objid)
        WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (
            SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE tg.oid = o.objid)
        WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN (
            SELECT pol.polrelid FROM pg_catalog.pg_policy pol WHERE pol.oid = o.objid)
        WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (
            SELECT rw.ev_class FROM pg_catalog.pg_rewrite rw WHERE rw.oid = o.objid)
        WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (
            SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = o.objid)
        WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (
            -- enums, domains, ranges (a multirange stands for its range), composite types
            -- that are not a table's row type
            SELECT CASE WHEN ty.typtype IN ('e', 'd', 'r') THEN ty.oid
                        WHEN ty.typtype = 'm' THEN (SELECT rg.rngtypid FROM pg_catalog.pg_range rg WHERE rg.rngmultitypid = ty.oid)
                        WHEN ty.typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = ty.typrelid) = 'c' THEN ty.oid END
            FROM pg_catalog.pg_type ty WHERE ty.oid = o.objid)
    END,
    CASE WHEN o.classid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_namespace'::pg_catalog.regclass,
                            'pg_catalog.pg_extension'::pg_catalog.regclass, 'pg_catalog.pg_default_acl'::pg_catalog.regclass,
                            'pg_catalog.pg_collation'::pg_catalog.regclass, 'pg_catalog.pg_publication'::pg_catalog.regclass,
                            'pg_catalog.pg_publication_rel'::pg_catalog.regclass,
                            'pg_catalog.pg_publication_namespace'::pg_catalog.regclass, -- pg15+
                            'pg_catalog.pg_event_trigger'::pg_catalog.regclass, 'pg_catalog.pg_cast'::pg_catalog.regclass,
                            'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass, 'pg_catalog.pg_foreign_server'::pg_catalog.regclass,
                            'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
                            'pg_catalog.pg_opfamily'::pg_catalog.regclass)
         THEN 'o'
         WHEN o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND (SELECT cc.relkind FROM pg_catalog.pg_class cc WHERE cc.oid = o.objid) = 'c' THEN 't' END
    FROM objects o
), with_children(owner, kind) AS (
    SELECT owner, kind FROM owner_of WHERE owner IS NOT NULL
    UNION
    SELECT inh.inhrelid, NULL FROM with_children w JOIN pg_catalog.pg_inherits inh ON inh.inhparent = w.owner
    WHERE w.kind IS NULL
)
SELECT w.owner::int8 AS owner, COALESCE(w.kind, c.relkind::text, 't') AS kind
FROM with_children w
LEFT JOIN pg_catalog.pg_class c ON w.kind IS NULL AND c.oid = w.owner
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                  WHERE e.objid = w.owner AND e.deptype = 'e'
                    AND e.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
                                      'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_collation'::pg_catalog.regclass))
