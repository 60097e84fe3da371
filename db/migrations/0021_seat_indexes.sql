-- The dormancy activity index carries the columns the definition of dormant reads (db/queries/dormancy.ts
-- dormantWhere), so counting dormant accounts is an index-only scan: an expression index alone cannot serve one
-- (PostgreSQL wants the raw columns). drizzle's schema cannot say INCLUDE: db/schema.ts names the index, this sets it.
DROP INDEX IF EXISTS "accounts_org_dormancy_activity_idx";--> statement-breakpoint
CREATE INDEX "accounts_org_dormancy_activity_idx" ON "accounts" USING btree ("organization_id",coalesce("last_activity_at", "created_at")) INCLUDE ("last_activity_at", "created_at", "dormancy_warned_at") WHERE "accounts"."status" = 'active';--> statement-breakpoint
CREATE INDEX "accounts_org_never_active_idx" ON "accounts" USING btree ("organization_id","created_at") WHERE "accounts"."status" = 'active' and "accounts"."last_activity_at" is null;
