-- case: create view
CREATE VIEW public.v AS
 SELECT t.a
   FROM public.t;
  -- hazards: none
ALTER VIEW public.v OWNER TO postgres;
  -- hazards: authz_update
-- case: replace view body
DROP VIEW public.v;
  -- hazards: none
CREATE VIEW public.v AS
 SELECT t.a
   FROM public.t
  WHERE (t.a > 1);
  -- hazards: none
ALTER VIEW public.v OWNER TO postgres;
  -- hazards: authz_update
-- case: view on a view
CREATE VIEW public.v0 AS
 SELECT v1.a
   FROM public.v1;
  -- hazards: none
ALTER VIEW public.v0 OWNER TO postgres;
  -- hazards: authz_update
-- case: materialized view
CREATE MATERIALIZED VIEW public.mv AS
 SELECT t.a
   FROM public.t
  WITH NO DATA;
  -- hazards: none
ALTER MATERIALIZED VIEW public.mv OWNER TO postgres;
  -- hazards: authz_update
-- case: materialized view on a view
CREATE MATERIALIZED VIEW public.amv AS
 SELECT v.id
   FROM public.v
  WITH NO DATA;
  -- hazards: none
ALTER MATERIALIZED VIEW public.amv OWNER TO postgres;
  -- hazards: authz_update
-- case: rename a column a view reads
DROP VIEW public.v;
  -- hazards: none
ALTER TABLE public.t RENAME COLUMN a TO b;
  -- hazards: none
CREATE VIEW public.v AS
 SELECT t.b AS shown
   FROM public.t;
  -- hazards: none
ALTER VIEW public.v OWNER TO postgres;
  -- hazards: authz_update
-- case: drop view
DROP VIEW public.v;
  -- hazards: none
-- case: instead of trigger
CREATE TRIGGER v_ins INSTEAD OF INSERT ON public.v FOR EACH ROW EXECUTE FUNCTION fns.touch();

  -- hazards: untracked_dependencies
-- case: comment on view
DROP VIEW public.v;
  -- hazards: none
CREATE VIEW public.v AS
 SELECT 1 AS one;
  -- hazards: none
COMMENT ON VIEW public.v IS 'one';
  -- hazards: none
ALTER VIEW public.v OWNER TO postgres;
  -- hazards: authz_update
-- case: a name that would end a comment
CREATE VIEW public."v */ x
DROP SCHEMA fns CASCADE; --" AS
 SELECT 1 AS one;
  -- hazards: none
ALTER VIEW public."v */ x
DROP SCHEMA fns CASCADE; --" OWNER TO postgres;
  -- hazards: authz_update
