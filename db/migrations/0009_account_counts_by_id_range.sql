-- account_counts slots become ranges of the id order: slot = the id's first six bits (0..63), so
-- the sum of the slots before a slot is the number of visible accounts with a smaller id, and a SCIM
-- page at any startIndex starts inside one known slot. Same trigger otherwise (see 0006).
CREATE OR REPLACE FUNCTION roster_account_slot(id uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT get_byte(uuid_send(id), 0) >> 2
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION roster_account_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.organization_id = NEW.organization_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'deprovisioned' THEN
    INSERT INTO account_counts AS c (organization_id, slot, visible)
    VALUES (OLD.organization_id, roster_account_slot(OLD.id), -1)
    ON CONFLICT (organization_id, slot) DO UPDATE SET visible = c.visible - 1;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'deprovisioned' THEN
    INSERT INTO account_counts AS c (organization_id, slot, visible)
    VALUES (NEW.organization_id, roster_account_slot(NEW.id), 1)
    ON CONFLICT (organization_id, slot) DO UPDATE SET visible = c.visible + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
LOCK TABLE accounts IN SHARE MODE;
--> statement-breakpoint
DELETE FROM account_counts;
--> statement-breakpoint
INSERT INTO account_counts (organization_id, slot, visible)
SELECT organization_id, roster_account_slot(id), count(*)
FROM accounts
WHERE status <> 'deprovisioned'
GROUP BY 1, 2;
