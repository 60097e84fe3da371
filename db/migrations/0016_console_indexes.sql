DROP INDEX "accounts_org_status_idx";--> statement-breakpoint
DROP INDEX "role_assignments_org_role_idx";--> statement-breakpoint
CREATE INDEX "accounts_org_status_id_idx" ON "accounts" USING btree ("organization_id","status","id");--> statement-breakpoint
CREATE INDEX "accounts_org_display_key_idx" ON "accounts" USING btree ("organization_id",lower(coalesce("display_name", "user_name")),"id");--> statement-breakpoint
CREATE INDEX "accounts_org_last_login_key_idx" ON "accounts" USING btree ("organization_id",coalesce("last_login_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "accounts_org_never_signed_in_idx" ON "accounts" USING btree ("organization_id","status") WHERE coalesce("accounts"."last_login_at", '-infinity'::timestamptz) = '-infinity'::timestamptz;--> statement-breakpoint
CREATE INDEX "accounts_org_search_trgm_idx" ON "accounts" USING gin ("organization_id",lower("user_name" || chr(1) || coalesce("email", '') || chr(1) || coalesce("display_name", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_org_action_created_idx" ON "audit_events" USING btree ("organization_id","action","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_type_created_idx" ON "audit_events" USING btree ("organization_id","actor_type","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_created_idx" ON "audit_events" USING btree ("organization_id","actor_id","created_at") WHERE "audit_events"."actor_id" is not null;--> statement-breakpoint
CREATE INDEX "external_identities_org_connection_account_idx" ON "external_identities" USING btree ("organization_id","connection_id","account_id");--> statement-breakpoint
CREATE INDEX "role_assignments_org_role_account_idx" ON "role_assignments" USING btree ("organization_id","role_id","account_id","expires_at");