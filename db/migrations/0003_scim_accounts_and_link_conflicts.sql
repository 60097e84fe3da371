CREATE TYPE "public"."link_conflict_status" AS ENUM('open', 'resolved', 'dismissed');--> statement-breakpoint
CREATE TABLE "link_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"match_key" text NOT NULL,
	"incoming" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"candidate_account_ids" uuid[] NOT NULL,
	"status" "link_conflict_status" DEFAULT 'open' NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "scim_managed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "scim_owned_fields" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "scim_attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "scim_active" boolean;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "security_hold_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "security_hold_reason" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "security_hold_by" text;--> statement-breakpoint
ALTER TABLE "link_conflicts" ADD CONSTRAINT "link_conflicts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "link_conflicts_open_unique" ON "link_conflicts" USING btree ("organization_id","source","match_key") WHERE "link_conflicts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "link_conflicts_org_status_idx" ON "link_conflicts" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "accounts_org_external_id_idx" ON "accounts" USING btree ("organization_id","external_id") WHERE "accounts"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "accounts_org_updated_idx" ON "accounts" USING btree ("organization_id","updated_at");