-- case: create function
CREATE OR REPLACE FUNCTION public.f(a integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a$function$;
  -- hazards: none
ALTER FUNCTION public.f(integer) OWNER TO postgres;
  -- hazards: authz_update
-- case: replace a function's body
CREATE OR REPLACE FUNCTION public.f(a integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + 1$function$;

  -- hazards: untracked_dependencies
-- case: overloads are two entries
CREATE OR REPLACE FUNCTION public.f(a text)
 RETURNS text
 LANGUAGE sql
AS $function$SELECT a$function$;
  -- hazards: none
ALTER FUNCTION public.f(text) OWNER TO postgres;
  -- hazards: authz_update
-- case: awkward function name
CREATE OR REPLACE FUNCTION public."Fn.""x""
é"("select" integer DEFAULT 1)
 RETURNS SETOF integer
 LANGUAGE sql
 ROWS 10
AS $function$SELECT 1$function$;
  -- hazards: none
ALTER FUNCTION public."Fn.""x""
é"(integer) OWNER TO postgres;
  -- hazards: authz_update
-- case: rename function
ALTER FUNCTION public.f() RENAME TO g;
  -- hazards: none
-- case: drop function
DROP FUNCTION public.f();
  -- hazards: untracked_dependencies
-- case: function settings
CREATE OR REPLACE FUNCTION public.f()
 RETURNS integer
 LANGUAGE sql
 STABLE PARALLEL SAFE STRICT SECURITY DEFINER LEAKPROOF COST 5
 SET search_path TO 'pg_catalog', 'public'
AS $function$SELECT 1$function$;

  -- hazards: untracked_dependencies
-- case: function comment
COMMENT ON FUNCTION public.f() IS 'one';
  -- hazards: none
-- case: procedure
CREATE OR REPLACE PROCEDURE public.p(INOUT n integer)
 LANGUAGE plpgsql
AS $procedure$ BEGIN n := n + 1; END $procedure$;
  -- hazards: none
ALTER PROCEDURE public.p(integer) OWNER TO postgres;
  -- hazards: authz_update
-- case: aggregate
CREATE AGGREGATE public.total(integer) (SFUNC = public.add, STYPE = integer, INITCOND = '0', PARALLEL = SAFE);
  -- hazards: none
ALTER AGGREGATE public.total(integer) OWNER TO postgres;
  -- hazards: authz_update
-- case: function returning a table's rows
CREATE OR REPLACE FUNCTION public.rows_of_t()
 RETURNS SETOF public.t
 LANGUAGE sql
 STABLE
AS $function$SELECT * FROM t$function$;
  -- hazards: none
ALTER FUNCTION public.rows_of_t() OWNER TO postgres;
  -- hazards: authz_update
-- case: sql-standard body
CREATE OR REPLACE FUNCTION public.count_t()
 RETURNS bigint
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT count(*) AS count
    FROM public.t;
END;
  -- hazards: none
ALTER FUNCTION public.count_t() OWNER TO postgres;
  -- hazards: authz_update
-- case: grant on a table
REVOKE ALL ON TABLE public.t FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.t FROM PUBLIC;
  -- hazards: authz_update
GRANT INSERT, SELECT ON TABLE public.t TO lens_corpus_reader;
  -- hazards: authz_update
GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE ON TABLE public.t TO postgres;
  -- hazards: authz_update
-- case: grant with grant option
REVOKE ALL ON TABLE public.t FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.t FROM PUBLIC;
  -- hazards: authz_update
GRANT UPDATE ON TABLE public.t TO "Lens Corpus éditeur" WITH GRANT OPTION;
  -- hazards: authz_update
GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE ON TABLE public.t TO postgres;
  -- hazards: authz_update
-- case: revoke
REVOKE ALL ON TABLE public.t FROM lens_corpus_reader;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.t FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.t FROM PUBLIC;
  -- hazards: authz_update
GRANT ALL ON TABLE public.t TO postgres;
  -- hazards: authz_update
-- case: grant and revoke back to the defaults

-- case: column privileges
GRANT SELECT (a) ON TABLE public.t TO lens_corpus_reader;
  -- hazards: authz_update
GRANT UPDATE ("select") ON TABLE public.t TO lens_corpus_reader;
  -- hazards: authz_update
-- case: grant on all tables in a schema
REVOKE ALL ON TABLE public.t FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.t FROM PUBLIC;
  -- hazards: authz_update
GRANT SELECT ON TABLE public.t TO lens_corpus_reader;
  -- hazards: authz_update
GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE ON TABLE public.t TO postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.u FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TABLE public.u FROM PUBLIC;
  -- hazards: authz_update
GRANT SELECT ON TABLE public.u TO lens_corpus_reader;
  -- hazards: authz_update
GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE ON TABLE public.u TO postgres;
  -- hazards: authz_update
-- case: grant on a sequence
REVOKE ALL ON SEQUENCE public.s FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON SEQUENCE public.s FROM PUBLIC;
  -- hazards: authz_update
GRANT USAGE ON SEQUENCE public.s TO lens_corpus_reader;
  -- hazards: authz_update
GRANT SELECT, UPDATE, USAGE ON SEQUENCE public.s TO postgres;
  -- hazards: authz_update
-- case: grant on a function
REVOKE ALL ON ROUTINE public.f() FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON ROUTINE public.f() FROM PUBLIC;
  -- hazards: authz_update
GRANT EXECUTE ON ROUTINE public.f() TO lens_corpus_reader;
  -- hazards: authz_update
GRANT EXECUTE ON ROUTINE public.f() TO postgres;
  -- hazards: authz_update
-- case: grant on a type
REVOKE ALL ON TYPE public.mood FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON TYPE public.mood FROM PUBLIC;
  -- hazards: authz_update
GRANT USAGE ON TYPE public.mood TO postgres;
  -- hazards: authz_update
-- case: grant on a schema
REVOKE ALL ON SCHEMA "Sales Dept" FROM postgres;
  -- hazards: authz_update
REVOKE ALL ON SCHEMA "Sales Dept" FROM PUBLIC;
  -- hazards: authz_update
GRANT USAGE ON SCHEMA "Sales Dept" TO lens_corpus_reader;
  -- hazards: authz_update
GRANT CREATE, USAGE ON SCHEMA "Sales Dept" TO postgres;
  -- hazards: authz_update
-- case: table owner
ALTER TABLE public.t OWNER TO lens_corpus_reader;
  -- hazards: authz_update
-- case: function owner
ALTER FUNCTION public.f() OWNER TO "Lens Corpus éditeur";
  -- hazards: authz_update
-- case: schema owner and comment
COMMENT ON SCHEMA s IS 'the s';
  -- hazards: none
ALTER SCHEMA s OWNER TO lens_corpus_reader;
  -- hazards: authz_update
-- case: create schema
CREATE SCHEMA IF NOT EXISTS "New.Schema";
  -- hazards: none
ALTER SCHEMA "New.Schema" OWNER TO postgres;
  -- hazards: authz_update
-- case: default privileges in a schema
ALTER DEFAULT PRIVILEGES FOR ROLE lens_corpus_reader IN SCHEMA public GRANT SELECT ON TABLES TO "Lens Corpus éditeur";
  -- hazards: authz_update
-- case: default privileges revoked
ALTER DEFAULT PRIVILEGES FOR ROLE lens_corpus_reader IN SCHEMA public REVOKE ALL ON TABLES FROM "Lens Corpus éditeur";
  -- hazards: authz_update
-- case: create extension
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public VERSION '1.6';
  -- hazards: untracked_dependencies
-- case: update extension
ALTER EXTENSION citext UPDATE TO '1.6';
  -- hazards: extension_version_upgrade
-- case: drop extension
DROP EXTENSION citext;
  -- hazards: untracked_dependencies, deletes_data
-- case: table options
ALTER TABLE public.t SET ("fillfactor" = '70', "autovacuum_enabled" = 'false');
  -- hazards: none
-- case: view options
ALTER VIEW public.v SET ("security_barrier" = 'true', "check_option" = 'local');
  -- hazards: none
-- case: replica identity
ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_a;
  -- hazards: replication
-- case: column storage, compression and statistics
ALTER TABLE public.t ALTER COLUMN a SET STATISTICS 500;
  -- hazards: none
ALTER TABLE public.t ALTER COLUMN b SET STORAGE EXTERNAL;
  -- hazards: none
ALTER TABLE public.t ALTER COLUMN b SET COMPRESSION pglz;
  -- hazards: none
-- case: column options
ALTER TABLE public.t ALTER COLUMN a SET ("n_distinct" = '100');
  -- hazards: none
-- case: create collation
CREATE COLLATION public."Case Blind" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  -- hazards: none
ALTER COLLATION public."Case Blind" OWNER TO postgres;
  -- hazards: authz_update
-- case: collation comment and owner
COMMENT ON COLLATION public.c1 IS 'bytewise';
  -- hazards: none
ALTER COLLATION public.c1 OWNER TO lens_corpus_reader;
  -- hazards: authz_update
-- case: drop collation
DROP COLLATION public.c1;
  -- hazards: none
-- case: composite type
CREATE TYPE public.pair AS (a integer, "B b" text COLLATE pg_catalog."C");
  -- hazards: none
ALTER TYPE public.pair OWNER TO postgres;
  -- hazards: authz_update
-- case: composite type attribute added
ALTER TYPE public.pair ADD ATTRIBUTE b text;
  -- hazards: none
-- case: composite type attribute renamed
ALTER TYPE public.pair DROP ATTRIBUTE a;
  -- hazards: deletes_data
ALTER TYPE public.pair ADD ATTRIBUTE z integer;
  -- hazards: none
-- case: range type
CREATE TYPE public.numr AS RANGE (SUBTYPE = numeric, SUBTYPE_OPCLASS = pg_catalog.numeric_ops, MULTIRANGE_TYPE_NAME = public.numr_multirange);
  -- hazards: none
ALTER TYPE public.numr OWNER TO postgres;
  -- hazards: authz_update
-- case: rename composite type
ALTER TYPE public.pair RENAME TO couple;
  -- hazards: none
-- case: create statistics
CREATE STATISTICS public.s1 (ndistinct) ON a, b FROM public.t;
  -- hazards: none
ALTER STATISTICS public.s1 OWNER TO postgres;
  -- hazards: authz_update
-- case: statistics target
ALTER STATISTICS public.s1 SET STATISTICS 500;
  -- hazards: none
-- case: drop statistics
DROP STATISTICS public.s1;
  -- hazards: none
-- case: create rule
CREATE RULE keep AS
    ON DELETE TO public.t DO  INSERT INTO public.log (a)
  VALUES (old.a);
  -- hazards: none
-- case: disable rule
ALTER TABLE public.t DISABLE RULE nothing_more;
  -- hazards: none
-- case: drop rule
DROP RULE nothing_more ON public.t;
  -- hazards: none
-- case: create publication
CREATE PUBLICATION "Pub One" FOR TABLE public.t (a, b) WHERE ((a > 0)) WITH (publish = 'insert, update');
  -- hazards: replication
ALTER PUBLICATION "Pub One" OWNER TO postgres;
  -- hazards: replication
-- case: publication gains a table
DROP PUBLICATION p;
  -- hazards: replication
CREATE PUBLICATION p FOR TABLE public.t, public.u WITH (publish = 'insert, update, delete, truncate');
  -- hazards: replication
ALTER PUBLICATION p OWNER TO postgres;
  -- hazards: replication
-- case: a published table dropped
DROP PUBLICATION p;
  -- hazards: replication
DROP TABLE public.u;
  -- hazards: deletes_data
CREATE PUBLICATION p FOR TABLE public.t WITH (publish = 'insert, update, delete, truncate');
  -- hazards: replication
ALTER PUBLICATION p OWNER TO postgres;
  -- hazards: replication
-- case: a published table renamed
ALTER TABLE public.t RENAME TO t2;
  -- hazards: none
-- case: publication of a schema
CREATE PUBLICATION ps FOR TABLES IN SCHEMA s WITH (publish = 'insert, update, delete, truncate', publish_via_partition_root = true);
  -- hazards: replication
ALTER PUBLICATION ps OWNER TO postgres;
  -- hazards: replication
-- case: create cast
CREATE CAST (public.mood AS text) WITH INOUT AS ASSIGNMENT;
  -- hazards: none
-- case: drop cast
DROP CAST (public.mood AS text);
  -- hazards: untracked_dependencies
-- case: foreign data wrapper
CREATE FOREIGN DATA WRAPPER "plain fdw" NO HANDLER NO VALIDATOR OPTIONS (debug 'true');
  -- hazards: none
ALTER FOREIGN DATA WRAPPER "plain fdw" OWNER TO postgres;
  -- hazards: authz_update
-- case: foreign server with a secret
CREATE SERVER "Remote.1" TYPE 'rest' FOREIGN DATA WRAPPER plain OPTIONS (host 'api.example', api_token '(redacted)');
  -- hazards: none
ALTER SERVER "Remote.1" OWNER TO postgres;
  -- hazards: authz_update
-- case: server options and usage
DROP SERVER s;
  -- hazards: none
CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'b', dbname 'app');
  -- hazards: none
ALTER SERVER s OWNER TO postgres;
  -- hazards: authz_update
REVOKE ALL ON FOREIGN SERVER s FROM PUBLIC;
  -- hazards: authz_update
REVOKE ALL ON FOREIGN SERVER s FROM postgres;
  -- hazards: authz_update
GRANT USAGE ON FOREIGN SERVER s TO lens_corpus_reader;
  -- hazards: authz_update
GRANT USAGE ON FOREIGN SERVER s TO postgres;
  -- hazards: authz_update
-- case: foreign table
CREATE FOREIGN TABLE public.ft (
    a integer,
    c text NOT NULL
)
    SERVER s OPTIONS (schema_name 'remote', table_name 't');
  -- hazards: none
ALTER FOREIGN TABLE public.ft ALTER COLUMN a OPTIONS (column_name 'b');
  -- hazards: none
ALTER FOREIGN TABLE public.ft OWNER TO postgres;
  -- hazards: authz_update
-- case: foreign table options
DROP FOREIGN TABLE public.ft;
  -- hazards: deletes_data
CREATE FOREIGN TABLE public.ft (
    a integer
)
    SERVER s OPTIONS (table_name 'u');
  -- hazards: none
ALTER FOREIGN TABLE public.ft ALTER COLUMN a OPTIONS (column_name 'z');
  -- hazards: none
ALTER FOREIGN TABLE public.ft OWNER TO postgres;
  -- hazards: authz_update
-- case: create operator
CREATE OPERATOR public.=== (FUNCTION = public.int_eq, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(public.===), RESTRICT = eqsel);
  -- hazards: none
ALTER OPERATOR public.=== (integer, integer) OWNER TO postgres;
  -- hazards: authz_update
-- case: operator comment
COMMENT ON OPERATOR public.~~~ (NONE, integer) IS 'negates';
  -- hazards: none
-- case: create operator class
CREATE OPERATOR CLASS public."int desc ops" FOR TYPE integer USING btree AS OPERATOR 1 >(integer,integer), OPERATOR 2 >=(integer,integer), OPERATOR 3 =(integer,integer), OPERATOR 4 <=(integer,integer), OPERATOR 5 <(integer,integer), FUNCTION 1 btint4cmp(integer,integer);
  -- hazards: none
ALTER OPERATOR CLASS public."int desc ops" USING btree OWNER TO postgres;
  -- hazards: authz_update
