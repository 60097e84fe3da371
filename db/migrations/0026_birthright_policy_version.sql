ALTER TABLE "organizations" ADD COLUMN "policy_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written (drizzle-kit writes no functions or triggers). A SCIM write planned with a principal
-- remembered from an earlier request (lib/scim/authenticate.ts) must not be served by a birthright
-- policy that has changed since: it compared an md5 of the policy's JSON, recomputed from
-- attribute_rules and roles in every such write (about a tenth of PostgreSQL's time per POST). Now
-- any change to what the policy is read from moves the organization's policy_version, and the write
-- compares that one number (db/queries/scim-tokens.ts). An UPDATE that changes nothing does not move it.
CREATE OR REPLACE FUNCTION roster_bump_policy_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE organizations SET policy_version = policy_version + 1 WHERE id = OLD.organization_id;
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.organization_id IS DISTINCT FROM OLD.organization_id) THEN
    UPDATE organizations SET policy_version = policy_version + 1 WHERE id = NEW.organization_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER attribute_rules_policy_version AFTER INSERT OR DELETE ON attribute_rules
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER attribute_rules_policy_version_update AFTER UPDATE ON attribute_rules
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER roles_policy_version AFTER INSERT OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER roles_policy_version_update AFTER UPDATE ON roles
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER connections_policy_version AFTER INSERT OR DELETE ON connections
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER connections_policy_version_update AFTER UPDATE OF default_roles, organization_id ON connections
  FOR EACH ROW WHEN (OLD.default_roles IS DISTINCT FROM NEW.default_roles OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION roster_bump_policy_version();
