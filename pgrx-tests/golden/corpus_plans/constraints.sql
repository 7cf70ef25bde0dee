-- case: add primary key
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
  -- hazards: index_build
-- case: drop primary key
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t DROP CONSTRAINT t_pkey;
  -- hazards: index_dropped
-- case: unique
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT t_a_key UNIQUE (a);
  -- hazards: index_build
-- case: unique nulls not distinct
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (a);
  -- hazards: index_build
-- case: check
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((a > 0));
  -- hazards: validation_scan
-- case: check not valid, then validated
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t VALIDATE CONSTRAINT c;
  -- hazards: validation_scan
-- case: rename constraint
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t RENAME CONSTRAINT c TO d;
  -- hazards: none
-- case: exclusion
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT x EXCLUDE USING btree (a WITH =);
  -- hazards: index_build
-- case: deferrable unique
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t DROP CONSTRAINT u;
  -- hazards: index_dropped
ALTER TABLE public.t ADD CONSTRAINT u UNIQUE (a) DEFERRABLE INITIALLY DEFERRED;
  -- hazards: index_build
-- case: foreign key
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES public.p(id);
  -- hazards: validation_scan
-- case: composite deferrable foreign key
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.c ADD CONSTRAINT c_ab FOREIGN KEY (a, b) REFERENCES public.p(a, b) DEFERRABLE INITIALLY DEFERRED;
  -- hazards: validation_scan
-- case: on delete cascade
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.c DROP CONSTRAINT fk;
  -- hazards: none
ALTER TABLE public.c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES public.p(id) ON DELETE CASCADE;
  -- hazards: validation_scan
-- case: self reference
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.e ADD CONSTRAINT e_boss_fkey FOREIGN KEY (boss) REFERENCES public.e(id);
  -- hazards: validation_scan
-- case: foreign key across schemas
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES a.p(id);
  -- hazards: validation_scan
-- case: drop foreign key
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.c DROP CONSTRAINT fk;
  -- hazards: none
