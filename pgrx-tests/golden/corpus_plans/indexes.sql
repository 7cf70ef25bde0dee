-- case: create index
CREATE INDEX t_a ON public.t USING btree (a);
  -- hazards: index_build
-- case: drop index
DROP INDEX public.t_a;
  -- hazards: index_dropped
-- case: rename index
ALTER INDEX public.t_a RENAME TO t_a2;
  -- hazards: none
-- case: expression index
CREATE INDEX t_lower ON public.t USING btree (lower(a));
  -- hazards: index_build
-- case: partial index
CREATE INDEX t_pos ON public.t USING btree (a) WHERE (a > 0);
  -- hazards: index_build
-- case: include and desc
CREATE UNIQUE INDEX t_ab ON public.t USING btree (a DESC NULLS LAST) INCLUDE (b);
  -- hazards: index_build
-- case: gin index
CREATE INDEX t_doc ON public.t USING gin (doc jsonb_path_ops);
  -- hazards: index_build
-- case: brin with options
CREATE INDEX t_at ON public.t USING brin (at) WITH (pages_per_range='16');
  -- hazards: index_build
-- case: comment on index
COMMENT ON INDEX public.t_a IS 'hot';
  -- hazards: none
-- case: index on a materialized view
CREATE UNIQUE INDEX mv_a ON public.mv USING btree (a);
  -- hazards: index_build
-- case: index with an awkward name
CREATE INDEX "t.a idx" ON public.t USING btree (a);
  -- hazards: index_build
