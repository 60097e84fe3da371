-- Hand-written (drizzle-kit writes no functions or triggers). account_counts slots become the id's
-- first byte (256 ranges of the id order, was its first six bits: 64), so an unfiltered SCIM page at
-- any startIndex walks at most one 256th of the organization's index entries before its first row
-- (db/queries/scim-accounts.ts): at a million accounts about 3,900 instead of 15,600, which kept the
-- page's time growing with the organization. The counters are recomputed under the same lock as
-- 0009 and 0015; the trigger functions call roster_account_slot and are unchanged.
CREATE OR REPLACE FUNCTION roster_account_slot(id uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT get_byte(uuid_send(id), 0)
$$;
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
