-- case: create trigger
SET check_function_bodies = false;
  -- hazards: none
CREATE TRIGGER touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION fns.touch();

  -- hazards: untracked_dependencies
-- case: disable trigger
SET check_function_bodies = false;
  -- hazards: none
ALTER TABLE public.t DISABLE TRIGGER touch;
  -- hazards: none
-- case: rename trigger
SET check_function_bodies = false;
  -- hazards: none
ALTER TRIGGER touch ON public.t RENAME TO "Touch It";
  -- hazards: none
-- case: trigger with when
SET check_function_bodies = false;
  -- hazards: none
CREATE TRIGGER w AFTER UPDATE ON public.t FOR EACH ROW WHEN ((old.a IS DISTINCT FROM new.a)) EXECUTE FUNCTION fns.other();

  -- hazards: untracked_dependencies
-- case: drop trigger
SET check_function_bodies = false;
  -- hazards: none
DROP TRIGGER touch ON public.t;
  -- hazards: untracked_dependencies
-- case: create policy
SET check_function_bodies = false;
  -- hazards: none
CREATE POLICY mine ON public.t AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner = CURRENT_USER));

  -- hazards: authz_update
-- case: alter policy
SET check_function_bodies = false;
  -- hazards: none
DROP POLICY mine ON public.t;
  -- hazards: authz_update
CREATE POLICY mine ON public.t AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner = SESSION_USER));

  -- hazards: authz_update
-- case: restrictive policy with check
SET check_function_bodies = false;
  -- hazards: none
CREATE POLICY r ON public.t AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK ((a > 0));

  -- hazards: authz_update
-- case: drop policy
SET check_function_bodies = false;
  -- hazards: none
DROP POLICY p ON public.t;
  -- hazards: authz_update
