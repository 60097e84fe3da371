CREATE TYPE "public"."job_run_status" AS ENUM('running', 'succeeded', 'failed', 'halted');--> statement-breakpoint
CREATE TABLE "dormancy_policies" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"dormant_after_days" integer NOT NULL,
	"suspend_after_days" integer,
	"deprovision_after_days" integer,
	"never_signed_in_after_days" integer,
	"warn_before_days" integer,
	"exempt_role_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_share_percent" integer DEFAULT 10 NOT NULL,
	"max_count" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job" text NOT NULL,
	"organization_id" uuid,
	"status" "job_run_status" DEFAULT 'running' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"started_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"halt_reason" text,
	"error" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"queue_job_id" text,
	"confirms_run_id" uuid,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "dormancy_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "dormancy_suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "dormancy_exempt" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dormancy_policies" ADD CONSTRAINT "dormancy_policies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_confirms_run_id_job_runs_id_fk" FOREIGN KEY ("confirms_run_id") REFERENCES "public"."job_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_runs_org_job_started_idx" ON "job_runs" USING btree ("organization_id","job","started_at");--> statement-breakpoint
CREATE INDEX "job_runs_started_idx" ON "job_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "job_runs_halted_idx" ON "job_runs" USING btree ("organization_id") WHERE "job_runs"."status" = 'halted';--> statement-breakpoint
CREATE INDEX "accounts_ends_at_idx" ON "accounts" USING btree ("ends_at") WHERE "accounts"."ends_at" is not null and "accounts"."status" = 'active';--> statement-breakpoint
-- Until now the last sign-in was the only activity Roster kept.
UPDATE "accounts" SET "last_activity_at" = "last_login_at" WHERE "last_login_at" IS NOT NULL;
