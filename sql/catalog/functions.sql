-- Functions, procedures and aggregates of the snapshot's schemas, each printed whole as its
-- entry (lens_core::model::Function; privileges come from privileges.sql), keyed by name
-- and argument types (the types that tell overloads apart; names do not). $1: schema oids;
-- $2: function oids, or NULL for all of them (capture re-reads some). Members of
-- extensions, and what a type made for itself (a range's constructors), are left out. pg_get_functiondef() refuses aggregates: their CREATE
-- AGGREGATE is printed here from pg_aggregate, with the options pg_dump prints.
SELECT p.oid::int8 AS oid,
       pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'oid', p.oid::int8,
           'key', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
                  || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
           'schema', n.nspname::text,
           'name', p.proname::text,
           'kind', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' ELSE 'function' END,
           'language', l.lanname::text,
           'arguments', pg_catalog.pg_get_function_arguments(p.oid),
           'identityArguments', pg_catalog.pg_get_function_identity_arguments(p.oid),
           'returns', CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END,
           'volatility', CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
           'strict', p.proisstrict,
           'securityDefiner', p.prosecdef,
           'leakproof', p.proleakproof,
           'parallel', CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END,
           'cost', p.procost::numeric,
           'rows', p.prorows::numeric,
           'config', p.proconfig,
           'definition', CASE WHEN p.prokind = 'a' THEN agg.definition ELSE pg_catalog.pg_get_functiondef(p.oid) END,
           'comment', d.description,
           'owner', pg_catalog.pg_get_userbyid(p.proowner)::text
       )) AS entry
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
    SELECT 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
           || '(' || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_arguments(p.oid) END || ') ('
           || pg_catalog.concat_ws(', ',
                'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text,
                'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
                CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
                CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text END,
                CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
                CASE WHEN a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                     THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text END,
                CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc::text END,
                CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc::text END,
                CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || pg_catalog.quote_literal(a.agginitval) END,
                CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::pg_catalog.regproc::text END,
                CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::pg_catalog.regproc::text END,
                CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
                CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
                CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::pg_catalog.regproc::text END,
                CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
                CASE WHEN a.aggmtransfn <> 0 AND a.aggmfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                     THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) END,
                CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = OPERATOR(' || a.aggsortop::pg_catalog.regoper::text || ')' END,
                CASE WHEN p.proparallel <> 'u' THEN 'PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' ELSE 'RESTRICTED' END END,
                CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)
           || ');' AS definition
    FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid
) agg ON p.prokind = 'a'
WHERE p.pronamespace = ANY($1::oid[])
  AND ($2::oid[] IS NULL OR p.oid = ANY($2::oid[]))
  -- an extension's, or made with a type (a range's constructors): not the user's own
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
