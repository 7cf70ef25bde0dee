-- case: create table
CREATE TABLE public.t (
    id integer NOT NULL
);
  -- hazards: none
ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
  -- hazards: none
ALTER TABLE public.t OWNER TO postgres;
  -- hazards: authz_update
-- case: drop table
DROP TABLE public.t;
  -- hazards: deletes_data
-- case: rename table
ALTER TABLE public.t RENAME TO u;
  -- hazards: none
-- case: move table to another schema
ALTER TABLE public.t SET SCHEMA s;
  -- hazards: none
-- case: awkward table name
CREATE TABLE public."Order Items.""x""
é" (
    "select" integer
);
  -- hazards: none
ALTER TABLE public."Order Items.""x""
é" OWNER TO postgres;
  -- hazards: authz_update
-- case: comment on table
COMMENT ON TABLE public.t IS 'the table';
  -- hazards: none
-- case: unlogged
ALTER TABLE public.t SET UNLOGGED;
  -- hazards: table_rewrite
-- case: row level security
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
  -- hazards: authz_update
ALTER TABLE public.t FORCE ROW LEVEL SECURITY;
  -- hazards: authz_update
-- case: data changes nothing

-- case: inherit
ALTER TABLE public.c INHERIT public.p;
  -- hazards: none
-- case: create an inheriting table
CREATE TABLE public.c (
    id integer,
    extra text
) INHERITS (public.p);
  -- hazards: none
ALTER TABLE public.c OWNER TO postgres;
  -- hazards: authz_update
-- case: no inherit
ALTER TABLE public.c NO INHERIT public.p;
  -- hazards: none
