-- Keeps account_counts (accounts not deprovisioned, per organization, in 64 slots) in step with accounts.
-- A constraint trigger deferred to commit: the counter row is locked only while the transaction commits.
CREATE OR REPLACE FUNCTION roster_account_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.organization_id = NEW.organization_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'deprovisioned' THEN
    INSERT INTO account_counts AS c (organization_id, slot, visible)
    VALUES (OLD.organization_id, hashtext(OLD.id::text) & 63, -1)
    ON CONFLICT (organization_id, slot) DO UPDATE SET visible = c.visible - 1;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'deprovisioned' THEN
    INSERT INTO account_counts AS c (organization_id, slot, visible)
    VALUES (NEW.organization_id, hashtext(NEW.id::text) & 63, 1)
    ON CONFLICT (organization_id, slot) DO UPDATE SET visible = c.visible + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER accounts_count_visible
  AFTER INSERT OR UPDATE OF status, organization_id OR DELETE ON accounts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION roster_account_counts();
--> statement-breakpoint
LOCK TABLE accounts IN SHARE MODE;
--> statement-breakpoint
INSERT INTO account_counts (organization_id, slot, visible)
SELECT organization_id, hashtext(id::text) & 63, count(*)
FROM accounts
WHERE status <> 'deprovisioned'
GROUP BY 1, 2
ON CONFLICT (organization_id, slot) DO UPDATE SET visible = EXCLUDED.visible;
