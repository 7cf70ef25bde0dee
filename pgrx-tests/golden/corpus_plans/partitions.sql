-- case: attach partition
ALTER TABLE public.m ATTACH PARTITION public.m26 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  -- hazards: validation_scan
-- case: detach partition
ALTER TABLE public.m DETACH PARTITION public.m26;
  -- hazards: none
-- case: create partition
CREATE TABLE public.m26 PARTITION OF public.m
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  -- hazards: none
ALTER TABLE public.m26 OWNER TO postgres;
  -- hazards: authz_update
-- case: index on a partitioned table
CREATE INDEX m_v ON public.m USING btree (v);
  -- hazards: index_build
-- case: list partitions with a default
CREATE TABLE public.l_ab PARTITION OF public.l
    FOR VALUES IN ('a', 'b');
  -- hazards: none
ALTER TABLE public.l_ab OWNER TO postgres;
  -- hazards: authz_update
CREATE TABLE public.l_rest PARTITION OF public.l
    DEFAULT;
  -- hazards: none
ALTER TABLE public.l_rest OWNER TO postgres;
  -- hazards: authz_update
-- case: foreign key from a partitioned table
ALTER TABLE public.m ADD CONSTRAINT m_p_id_fkey FOREIGN KEY (p_id) REFERENCES public.p(id);
  -- hazards: validation_scan
-- case: hash partitions in another schema
CREATE TABLE "Parts".h0 PARTITION OF public.h
    FOR VALUES WITH (modulus 2, remainder 0);
  -- hazards: none
ALTER TABLE "Parts".h0 OWNER TO postgres;
  -- hazards: authz_update
