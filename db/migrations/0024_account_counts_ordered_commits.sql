-- Hand-written (drizzle-kit writes no functions or triggers). The counter trigger of 0015/0023 no
-- longer deadlocks two transactions that each change several accounts.
-- The counter rows are changed at commit (deferred), in the order the accounts were written, so two
-- transactions writing accounts of the same slots in different orders could each hold a counter row
-- the other waits for: PostgreSQL aborted one with "deadlock detected" (a dormancy sweep, a bulk
-- chunk and a reconciliation batch each move hundreds of accounts in one transaction).
-- * An immediate row trigger notes, in a transaction-local setting, whether the transaction has
--   written one counted event or more ('one', then 'many'; after that its WHEN clause skips it, so a
--   large batch pays for two calls).
-- * At commit, a transaction with 'many' takes one advisory lock before its first counter row: such
--   commits change counters one after the other. A transaction with a single event holds at most one
--   counter row and waits for nothing while holding it, so it can close no cycle and takes no lock.
-- * Known limit: under SET CONSTRAINTS ALL IMMEDIATE (tests only, never the app) the counters are
--   changed statement by statement, before the transaction knows it is 'many'.
-- Counts are unchanged in every case.
CREATE OR REPLACE FUNCTION roster_account_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A transaction that changes several accounts takes the commit-time order lock before its first
  -- counter row (see above); one that changes a single account goes straight to its row.
  IF current_setting('roster.count_events', true) = 'many' AND current_setting('roster.count_ordered', true) IS DISTINCT FROM 'y' THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('roster:account_counts', 0));
    PERFORM set_config('roster.count_ordered', 'y', true);
  END IF;
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
CREATE OR REPLACE FUNCTION roster_account_count_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('roster.count_events', CASE WHEN current_setting('roster.count_events', true) = 'one' THEN 'many' ELSE 'one' END, true);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_count_note_written
  AFTER INSERT OR DELETE ON accounts
  FOR EACH ROW
  WHEN (current_setting('roster.count_events', true) IS DISTINCT FROM 'many')
  EXECUTE FUNCTION roster_account_count_note();
--> statement-breakpoint
CREATE TRIGGER accounts_count_note_moved
  AFTER UPDATE OF status, source, organization_id ON accounts
  FOR EACH ROW
  WHEN ((OLD.status IS DISTINCT FROM NEW.status OR OLD.source IS DISTINCT FROM NEW.source OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    AND current_setting('roster.count_events', true) IS DISTINCT FROM 'many')
  EXECUTE FUNCTION roster_account_count_note();
