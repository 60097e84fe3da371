-- AuthnRequests still outstanding from before this migration are bound to no browser, so the ACS
-- would refuse their answers anyway; they go, which lets the new column be NOT NULL (at most a
-- 15-minute window of sign-ins in progress during the upgrade has to start again).
DELETE FROM "saml_requests";--> statement-breakpoint
ALTER TABLE "saml_requests" ADD COLUMN "browser_binding_hash" text NOT NULL;--> statement-breakpoint
CREATE INDEX "saml_requests_connection_created_idx" ON "saml_requests" USING btree ("connection_id","created_at");