-- case: create trigger
CREATE TRIGGER touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION fns.touch();

  -- hazards: untracked_dependencies
-- case: disable trigger
ALTER TABLE public.t DISABLE TRIGGER touch;
  -- hazards: none
-- case: rename trigger
ALTER TRIGGER touch ON public.t RENAME TO "Touch It";
  -- hazards: none
-- case: trigger with when
CREATE TRIGGER w AFTER UPDATE ON public.t FOR EACH ROW WHEN ((old.a IS DISTINCT FROM new.a)) EXECUTE FUNCTION fns.other();

  -- hazards: untracked_dependencies
-- case: drop trigger
DROP TRIGGER touch ON public.t;
  -- hazards: untracked_dependencies
-- case: create policy
CREATE POLICY mine ON public.t AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner = CURRENT_USER));

  -- hazards: authz_update
-- case: alter policy
DROP POLICY mine ON public.t;
  -- hazards: authz_update
CREATE POLICY mine ON public.t AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner = SESSION_USER));

  -- hazards: authz_update
-- case: restrictive policy with check
CREATE POLICY r ON public.t AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK ((a > 0));

  -- hazards: authz_update
-- case: drop policy
DROP POLICY p ON public.t;
  -- hazards: authz_update
