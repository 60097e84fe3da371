ALTER TABLE "account_counts" ADD COLUMN "active_jit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "active_scim" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "active_manual" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "suspended_jit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "suspended_scim" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "suspended_manual" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "deprovisioned_jit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "deprovisioned_scim" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "deprovisioned_manual" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "pending_approval_jit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "pending_approval_scim" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_counts" ADD COLUMN "pending_approval_manual" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Hand-written (drizzle-kit writes no functions or triggers): the counter trigger of 0006 and 0009
-- also keeps the accounts of each status and source per slot (deprovisioned ones included), so the
-- console's totals for any statuses and sources are sums of 64 rows; it fires on a change of source too.
CREATE OR REPLACE FUNCTION roster_account_count_add(r accounts, d integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO account_counts AS c (organization_id, slot, visible, active_jit, active_scim, active_manual, suspended_jit, suspended_scim, suspended_manual, deprovisioned_jit, deprovisioned_scim, deprovisioned_manual, pending_approval_jit, pending_approval_scim, pending_approval_manual)
  VALUES (r.organization_id, roster_account_slot(r.id), CASE WHEN r.status <> 'deprovisioned' THEN d ELSE 0 END,
    CASE WHEN r.status = 'active' AND r.source = 'jit' THEN d ELSE 0 END,
    CASE WHEN r.status = 'active' AND r.source = 'scim' THEN d ELSE 0 END,
    CASE WHEN r.status = 'active' AND r.source = 'manual' THEN d ELSE 0 END,
    CASE WHEN r.status = 'suspended' AND r.source = 'jit' THEN d ELSE 0 END,
    CASE WHEN r.status = 'suspended' AND r.source = 'scim' THEN d ELSE 0 END,
    CASE WHEN r.status = 'suspended' AND r.source = 'manual' THEN d ELSE 0 END,
    CASE WHEN r.status = 'deprovisioned' AND r.source = 'jit' THEN d ELSE 0 END,
    CASE WHEN r.status = 'deprovisioned' AND r.source = 'scim' THEN d ELSE 0 END,
    CASE WHEN r.status = 'deprovisioned' AND r.source = 'manual' THEN d ELSE 0 END,
    CASE WHEN r.status = 'pending_approval' AND r.source = 'jit' THEN d ELSE 0 END,
    CASE WHEN r.status = 'pending_approval' AND r.source = 'scim' THEN d ELSE 0 END,
    CASE WHEN r.status = 'pending_approval' AND r.source = 'manual' THEN d ELSE 0 END)
  ON CONFLICT (organization_id, slot) DO UPDATE SET
    visible = c.visible + EXCLUDED.visible,
    active_jit = c.active_jit + EXCLUDED.active_jit,
    active_scim = c.active_scim + EXCLUDED.active_scim,
    active_manual = c.active_manual + EXCLUDED.active_manual,
    suspended_jit = c.suspended_jit + EXCLUDED.suspended_jit,
    suspended_scim = c.suspended_scim + EXCLUDED.suspended_scim,
    suspended_manual = c.suspended_manual + EXCLUDED.suspended_manual,
    deprovisioned_jit = c.deprovisioned_jit + EXCLUDED.deprovisioned_jit,
    deprovisioned_scim = c.deprovisioned_scim + EXCLUDED.deprovisioned_scim,
    deprovisioned_manual = c.deprovisioned_manual + EXCLUDED.deprovisioned_manual,
    pending_approval_jit = c.pending_approval_jit + EXCLUDED.pending_approval_jit,
    pending_approval_scim = c.pending_approval_scim + EXCLUDED.pending_approval_scim,
    pending_approval_manual = c.pending_approval_manual + EXCLUDED.pending_approval_manual
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION roster_account_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.source IS NOT DISTINCT FROM NEW.source
     AND OLD.organization_id = NEW.organization_id THEN
    RETURN NULL;
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
  AFTER INSERT OR UPDATE OF status, source, organization_id OR DELETE ON accounts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION roster_account_counts();
--> statement-breakpoint
LOCK TABLE accounts IN SHARE MODE;
--> statement-breakpoint
DELETE FROM account_counts;
--> statement-breakpoint
INSERT INTO account_counts (organization_id, slot, visible, active_jit, active_scim, active_manual, suspended_jit, suspended_scim, suspended_manual, deprovisioned_jit, deprovisioned_scim, deprovisioned_manual, pending_approval_jit, pending_approval_scim, pending_approval_manual)
SELECT organization_id, roster_account_slot(id), count(*) FILTER (WHERE status <> 'deprovisioned'),
  count(*) FILTER (WHERE status = 'active' AND source = 'jit'),
  count(*) FILTER (WHERE status = 'active' AND source = 'scim'),
  count(*) FILTER (WHERE status = 'active' AND source = 'manual'),
  count(*) FILTER (WHERE status = 'suspended' AND source = 'jit'),
  count(*) FILTER (WHERE status = 'suspended' AND source = 'scim'),
  count(*) FILTER (WHERE status = 'suspended' AND source = 'manual'),
  count(*) FILTER (WHERE status = 'deprovisioned' AND source = 'jit'),
  count(*) FILTER (WHERE status = 'deprovisioned' AND source = 'scim'),
  count(*) FILTER (WHERE status = 'deprovisioned' AND source = 'manual'),
  count(*) FILTER (WHERE status = 'pending_approval' AND source = 'jit'),
  count(*) FILTER (WHERE status = 'pending_approval' AND source = 'scim'),
  count(*) FILTER (WHERE status = 'pending_approval' AND source = 'manual')
FROM accounts
GROUP BY 1, 2;
