CREATE TABLE "scim_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"token_id" uuid,
	"connection_id" uuid,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"scim_type" text,
	"detail" text,
	"resource_id" text,
	"user_name" text,
	"duration_ms" integer NOT NULL,
	"request_id" text,
	"ip" "inet",
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scim_requests" ADD CONSTRAINT "scim_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scim_requests_org_at_idx" ON "scim_requests" USING btree ("organization_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "scim_requests_org_refused_at_idx" ON "scim_requests" USING btree ("organization_id","at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "scim_requests"."status" >= 400;--> statement-breakpoint
CREATE INDEX "scim_requests_at_brin_idx" ON "scim_requests" USING brin ("at");