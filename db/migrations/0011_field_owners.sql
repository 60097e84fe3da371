ALTER TABLE "accounts" ADD COLUMN "field_owners" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "login_groups" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Who owns each field (lib/model/account.ts): what SCIM sent is SCIM's, as scim_owned_fields said,
-- and an account's groups are SCIM's once SCIM has sent its memberships (only SCIM writes groups).
UPDATE "accounts" a SET "field_owners" = coalesce((SELECT jsonb_object_agg(f, 'scim') FROM unnest(a."scim_owned_fields") f), '{}'::jsonb)
  || CASE WHEN EXISTS (SELECT 1 FROM "group_memberships" gm WHERE gm."account_id" = a."id") THEN '{"groups":"scim"}'::jsonb ELSE '{}'::jsonb END
WHERE cardinality(a."scim_owned_fields") > 0 OR EXISTS (SELECT 1 FROM "group_memberships" gm WHERE gm."account_id" = a."id");
