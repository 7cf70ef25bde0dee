-- The default operator class of each (access method, column type) pair, as GetDefaultOpClass()
-- in src/backend/commands/indexcmds.c chooses it: an exact default for the type, else the one
-- binary-coercible default that is of the type's preferred kind, else the only coercible one.
-- Only plain base types are answered; for domains, arrays, enums, ranges and composites, or
-- when an access method has a default class on a polymorphic type that could match, no row
-- comes back and the index definition is left to pg_get_indexdef().
-- $1: access method oids; $2: type oids (same length).
WITH req AS (
  SELECT DISTINCT u.am, u.typ, t.typcategory
  FROM unnest($1::oid[], $2::oid[]) AS u(am, typ)
  JOIN pg_catalog.pg_type t ON t.oid = u.typ
  WHERE t.typtype = 'b' AND t.typcategory <> 'A'
    AND t.typsubscript <> 'pg_catalog.array_subscript_handler'::pg_catalog.regproc
),
cand AS (
  SELECT r.am, r.typ, o.oid AS opc,
         o.opcintype = r.typ AS exact,
         EXISTS (SELECT 1 FROM pg_catalog.pg_cast ca
                 WHERE ca.castsource = r.typ AND ca.casttarget = o.opcintype
                   AND ca.castmethod = 'b' AND ca.castcontext = 'i') AS coercible,
         ot.typispreferred AND ot.typcategory = r.typcategory AS preferred,
         ot.typtype = 'p' AND ot.typname NOT IN ('anyarray', 'anyenum', 'anyrange', 'anymultirange',
           'record', 'anycompatiblearray', 'anycompatiblerange', 'anycompatiblemultirange') AS unsure
  FROM req r
  JOIN pg_catalog.pg_opclass o ON o.opcmethod = r.am AND o.opcdefault
  JOIN pg_catalog.pg_type ot ON ot.oid = o.opcintype
  -- a btree class that takes options (support function 5) could print them: leave it to
  -- the server (indexes.sql checks attoptions only for the other methods)
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_am a JOIN pg_catalog.pg_amproc ap ON ap.amprocfamily = o.opcfamily
                    WHERE a.oid = r.am AND a.amname = 'btree' AND ap.amprocnum = 5)
),
verdict AS (
  SELECT am, typ,
         bool_or(unsure) AS unsure,
         count(*) FILTER (WHERE exact) AS n_exact,
         min(opc) FILTER (WHERE exact) AS exact_opc,
         count(*) FILTER (WHERE NOT exact AND coercible AND preferred) AS n_preferred,
         min(opc) FILTER (WHERE NOT exact AND coercible AND preferred) AS preferred_opc,
         count(*) FILTER (WHERE NOT exact AND coercible) AS n_coercible,
         min(opc) FILTER (WHERE NOT exact AND coercible) AS coercible_opc
  FROM cand GROUP BY am, typ
)
SELECT am::int8 AS am, typ::int8 AS typ,
       (CASE WHEN n_exact = 1 THEN exact_opc
             WHEN n_exact = 0 AND n_preferred = 1 THEN preferred_opc
             WHEN n_exact = 0 AND n_preferred = 0 AND n_coercible = 1 THEN coercible_opc
        END)::int8 AS opclass
FROM verdict
WHERE NOT unsure
