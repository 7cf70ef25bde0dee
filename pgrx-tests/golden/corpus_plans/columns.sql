-- case: add column
ALTER TABLE public.t ADD COLUMN v text;
  -- hazards: none
-- case: drop column shifts nothing
ALTER TABLE public.t DROP COLUMN b;
  -- hazards: deletes_data
-- case: rename column
ALTER TABLE public.t RENAME COLUMN a TO z;
  -- hazards: none
-- case: reserved word and capitals
ALTER TABLE public.t RENAME COLUMN a TO "Order";
  -- hazards: none
-- case: change type
ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint;
  -- hazards: table_rewrite
-- case: typmod
ALTER TABLE public.t ALTER COLUMN a TYPE character varying(20) USING a::character varying(20);
  -- hazards: table_rewrite
-- case: set not null
ALTER TABLE public.t ALTER COLUMN a SET NOT NULL;
  -- hazards: validation_scan
-- case: default
ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 42;
  -- hazards: none
-- case: default calling a function
ALTER TABLE public.t ALTER COLUMN a SET DEFAULT fns.two();
  -- hazards: none
-- case: drop default
ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;
  -- hazards: none
-- case: identity
ALTER TABLE public.t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_a_seq START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE);
  -- hazards: none
-- case: generated column
ALTER TABLE public.t ADD COLUMN b integer GENERATED ALWAYS AS ((a * 2)) STORED;
  -- hazards: table_rewrite
-- case: collation
ALTER TABLE public.t ALTER COLUMN a TYPE text COLLATE pg_catalog."C" USING a::text;
  -- hazards: table_rewrite
-- case: comment on column with a newline
COMMENT ON COLUMN public.t.a IS 'line one
-- line two */';
  -- hazards: none
-- case: serial
CREATE SEQUENCE public.t_n_seq AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE;
  -- hazards: none
ALTER TABLE public.t ADD COLUMN n integer DEFAULT nextval('public.t_n_seq'::regclass) NOT NULL;
  -- hazards: table_rewrite
ALTER SEQUENCE public.t_n_seq OWNED BY public.t.n;
  -- hazards: none
-- case: array and enum column
ALTER TABLE public.t ADD COLUMN m public.mood[];
  -- hazards: none
-- case: drop and re-add at the end
ALTER TABLE public.t DROP COLUMN b;
  -- hazards: deletes_data
ALTER TABLE public.t ADD COLUMN b integer;
  -- hazards: none
