-- Hand-written (drizzle-kit writes no functions or triggers). The counter trigger of 0015, cheaper
-- on the hot path of a SCIM PATCH (active -> suspended):
-- * An account whose status or source changes stays in its counter row (same organization, same id,
--   so the same slot): the row is changed by one UPDATE carrying both deltas (minus one where the
--   account was counted, plus one where it is now), not two upserts of the same row, which took its
--   lock twice and, for a move that leaves `visible` alone, subtracted and added it back.
-- * An update that changes nothing counted queues nothing: the update trigger fires only WHEN the
--   status, source or organization changed (before, every UPDATE naming status ran the function at
--   commit to find there was nothing to do).
-- Inserts and deletes, a move between organizations, and a missing counter row (never expected)
-- take the upserts of 0015 as before; the counts are the same in every case.
CREATE OR REPLACE FUNCTION roster_account_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.organization_id = NEW.organization_id AND OLD.id = NEW.id THEN
    IF OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.source IS NOT DISTINCT FROM NEW.source THEN
      RETURN NULL;
    END IF;
    UPDATE account_counts AS c SET
      visible = c.visible + (NEW.status <> 'deprovisioned')::int - (OLD.status <> 'deprovisioned')::int,
      active_jit = c.active_jit + (NEW.status = 'active' AND NEW.source = 'jit')::int - (OLD.status = 'active' AND OLD.source = 'jit')::int,
      active_scim = c.active_scim + (NEW.status = 'active' AND NEW.source = 'scim')::int - (OLD.status = 'active' AND OLD.source = 'scim')::int,
      active_manual = c.active_manual + (NEW.status = 'active' AND NEW.source = 'manual')::int - (OLD.status = 'active' AND OLD.source = 'manual')::int,
      suspended_jit = c.suspended_jit + (NEW.status = 'suspended' AND NEW.source = 'jit')::int - (OLD.status = 'suspended' AND OLD.source = 'jit')::int,
      suspended_scim = c.suspended_scim + (NEW.status = 'suspended' AND NEW.source = 'scim')::int - (OLD.status = 'suspended' AND OLD.source = 'scim')::int,
      suspended_manual = c.suspended_manual + (NEW.status = 'suspended' AND NEW.source = 'manual')::int - (OLD.status = 'suspended' AND OLD.source = 'manual')::int,
      deprovisioned_jit = c.deprovisioned_jit + (NEW.status = 'deprovisioned' AND NEW.source = 'jit')::int - (OLD.status = 'deprovisioned' AND OLD.source = 'jit')::int,
      deprovisioned_scim = c.deprovisioned_scim + (NEW.status = 'deprovisioned' AND NEW.source = 'scim')::int - (OLD.status = 'deprovisioned' AND OLD.source = 'scim')::int,
      deprovisioned_manual = c.deprovisioned_manual + (NEW.status = 'deprovisioned' AND NEW.source = 'manual')::int - (OLD.status = 'deprovisioned' AND OLD.source = 'manual')::int,
      pending_approval_jit = c.pending_approval_jit + (NEW.status = 'pending_approval' AND NEW.source = 'jit')::int - (OLD.status = 'pending_approval' AND OLD.source = 'jit')::int,
      pending_approval_scim = c.pending_approval_scim + (NEW.status = 'pending_approval' AND NEW.source = 'scim')::int - (OLD.status = 'pending_approval' AND OLD.source = 'scim')::int,
      pending_approval_manual = c.pending_approval_manual + (NEW.status = 'pending_approval' AND NEW.source = 'manual')::int - (OLD.status = 'pending_approval' AND OLD.source = 'manual')::int
    WHERE c.organization_id = NEW.organization_id AND c.slot = roster_account_slot(NEW.id);
    IF FOUND THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM roster_account_count_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM roster_account_count_add(NEW, 1);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER accounts_count_visible ON accounts;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER accounts_count_visible
  AFTER INSERT OR DELETE ON accounts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION roster_account_counts();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER accounts_count_moved
  AFTER UPDATE OF status, source, organization_id ON accounts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.source IS DISTINCT FROM NEW.source OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION roster_account_counts();
