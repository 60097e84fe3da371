-- SCIM creates read the birthright policy with the token on every request (no remembered principal),
-- so nothing compares policy versions any more: the triggers of 0010 and their counter go.
DROP TRIGGER IF EXISTS attribute_rules_policy_version ON attribute_rules;--> statement-breakpoint
DROP TRIGGER IF EXISTS roles_policy_version ON roles;--> statement-breakpoint
DROP TRIGGER IF EXISTS connections_policy_version ON connections;--> statement-breakpoint
DROP FUNCTION IF EXISTS roster_bump_policy_version();--> statement-breakpoint
ALTER TABLE "accounts" DROP COLUMN "scim_owned_fields";--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "policy_version";
