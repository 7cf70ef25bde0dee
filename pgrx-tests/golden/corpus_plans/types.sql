-- case: create enum
CREATE TYPE public.mood AS ENUM ('sad', 'ok');
  -- hazards: none
ALTER TYPE public.mood OWNER TO postgres;
  -- hazards: authz_update
-- case: add enum value
ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'ok';
  -- hazards: none
-- case: add enum value before
ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'ok';
  -- hazards: none
-- case: rename enum value
DO $lens$ BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = 'pg_lens cannot plan this change: enum values are removed: ''ok'' (public.mood)', HINT = 'Map the rows that hold them to other values, then make a new type and change the columns to it (ALTER COLUMN ... TYPE new USING col::text::new).' ; END $lens$;
  -- hazards: needs_manual_step
-- case: rename enum
ALTER TYPE public.mood RENAME TO feeling;
  -- hazards: none
-- case: create domain
CREATE DOMAIN public.pos AS integer CONSTRAINT pos_check CHECK ((VALUE > 0));
  -- hazards: none
ALTER DOMAIN public.pos OWNER TO postgres;
  -- hazards: authz_update
-- case: domain constraint
ALTER DOMAIN public.pos ADD CONSTRAINT p CHECK ((VALUE > 0));
  -- hazards: validation_scan
-- case: domain default and not null
ALTER DOMAIN public.pos SET DEFAULT 1;
  -- hazards: none
ALTER DOMAIN public.pos SET NOT NULL;
  -- hazards: validation_scan
-- case: column of a domain
ALTER TABLE public.t ADD COLUMN p public.pos;
  -- hazards: none
-- case: standalone sequence
CREATE SEQUENCE public.s AS bigint START WITH 10 INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE;
  -- hazards: none
ALTER SEQUENCE public.s OWNER TO postgres;
  -- hazards: authz_update
-- case: alter sequence
ALTER SEQUENCE public.s AS bigint START WITH 1 INCREMENT BY 2 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 CYCLE;
  -- hazards: none
-- case: drop sequence
DROP SEQUENCE public.s;
  -- hazards: deletes_data
-- case: sequence values are data

