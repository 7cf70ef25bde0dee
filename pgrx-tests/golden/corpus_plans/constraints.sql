-- case: add primary key
ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
  -- hazards: index_build
-- case: drop primary key
ALTER TABLE public.t DROP CONSTRAINT t_pkey;
  -- hazards: index_dropped
-- case: unique
ALTER TABLE public.t ADD CONSTRAINT t_a_key UNIQUE (a);
  -- hazards: index_build
-- case: unique nulls not distinct
ALTER TABLE public.t ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (a);
  -- hazards: index_build
-- case: check
ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((a > 0));
  -- hazards: validation_scan
-- case: check not valid, then validated
ALTER TABLE public.t VALIDATE CONSTRAINT c;
  -- hazards: validation_scan
-- case: rename constraint
ALTER TABLE public.t RENAME CONSTRAINT c TO d;
  -- hazards: none
-- case: exclusion
ALTER TABLE public.t ADD CONSTRAINT x EXCLUDE USING btree (a WITH =);
  -- hazards: index_build
-- case: deferrable unique
ALTER TABLE public.t DROP CONSTRAINT u;
  -- hazards: index_dropped
ALTER TABLE public.t ADD CONSTRAINT u UNIQUE (a) DEFERRABLE INITIALLY DEFERRED;
  -- hazards: index_build
-- case: foreign key
ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES public.p(id);
  -- hazards: validation_scan
-- case: composite deferrable foreign key
ALTER TABLE public.c ADD CONSTRAINT c_ab FOREIGN KEY (a, b) REFERENCES public.p(a, b) DEFERRABLE INITIALLY DEFERRED;
  -- hazards: validation_scan
-- case: on delete cascade
ALTER TABLE public.c DROP CONSTRAINT fk;
  -- hazards: none
ALTER TABLE public.c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES public.p(id) ON DELETE CASCADE;
  -- hazards: validation_scan
-- case: self reference
ALTER TABLE public.e ADD CONSTRAINT e_boss_fkey FOREIGN KEY (boss) REFERENCES public.e(id);
  -- hazards: validation_scan
-- case: foreign key across schemas
ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES a.p(id);
  -- hazards: validation_scan
-- case: drop foreign key
ALTER TABLE public.c DROP CONSTRAINT fk;
  -- hazards: none
