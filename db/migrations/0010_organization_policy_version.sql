ALTER TABLE "organizations" ADD COLUMN "policy_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A birthright policy is read from attribute_rules, roles and connections.default_roles; any change
-- to those bumps the organization's policy_version, so "same version" means "same policy" and a write
-- planned with a policy read earlier can check it in one index lookup (db/queries/scim-tokens.ts).
CREATE OR REPLACE FUNCTION roster_bump_policy_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organizations SET policy_version = policy_version + 1
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER attribute_rules_policy_version AFTER INSERT OR UPDATE OR DELETE ON attribute_rules
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER roles_policy_version AFTER INSERT OR UPDATE OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
--> statement-breakpoint
CREATE TRIGGER connections_policy_version AFTER INSERT OR DELETE OR UPDATE OF default_roles, organization_id ON connections
  FOR EACH ROW EXECUTE FUNCTION roster_bump_policy_version();
