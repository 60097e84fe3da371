CREATE TABLE "audit_daily_counts" (
	"organization_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "audit_daily_counts_organization_id_metric_day_pk" PRIMARY KEY("organization_id","metric","day")
);
--> statement-breakpoint
ALTER TABLE "audit_daily_counts" ADD CONSTRAINT "audit_daily_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;