CREATE TYPE "public"."reconcile_category" AS ENUM('matched', 'drift', 'orphan', 'stale', 'missing', 'conflict');--> statement-breakpoint
CREATE TYPE "public"."reconcile_outcome" AS ENUM('running', 'completed', 'halted', 'failed');--> statement-breakpoint
CREATE TYPE "public"."reconcile_source_kind" AS ENUM('csv', 'scim');--> statement-breakpoint
CREATE TABLE "reconcile_findings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"category" "reconcile_category" NOT NULL,
	"account_id" uuid,
	"source_key" text,
	"line" integer,
	"finding_key" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"action" text DEFAULT 'report' NOT NULL,
	"action_outcome" text,
	"is_new" boolean DEFAULT true NOT NULL,
	"review_state" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
CREATE TABLE "reconcile_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"job_run_id" uuid,
	"dry_run" boolean DEFAULT false NOT NULL,
	"trigger" text NOT NULL,
	"started_by" text,
	"as_of" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" "reconcile_outcome" DEFAULT 'running' NOT NULL,
	"halt_reason" text,
	"confirmable" boolean DEFAULT false NOT NULL,
	"failure_reason" text,
	"row_count" integer DEFAULT 0 NOT NULL,
	"bad_row_count" integer DEFAULT 0 NOT NULL,
	"bad_rows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"new_count" integer DEFAULT 0 NOT NULL,
	"resolved_count" integer DEFAULT 0 NOT NULL,
	"previous_run_id" uuid,
	"file_path" text,
	"file_checksum" text,
	"confirms_run_id" uuid,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconcile_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "reconcile_source_kind" NOT NULL,
	"mapping" jsonb DEFAULT '{"columns":{},"statuses":{}}'::jsonb NOT NULL,
	"remediation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"file_path" text,
	"schedule_enabled" boolean DEFAULT false NOT NULL,
	"max_row_drop_percent" integer DEFAULT 20 NOT NULL,
	"max_share_percent" integer,
	"max_count" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconcile_sources_id_org_unique" UNIQUE("id","organization_id")
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "reconcile_staged_records" (
	"run_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"employee_number" text,
	"external_id" text,
	"email" text,
	"account_id" uuid,
	"active" boolean,
	"start_date" date,
	"end_date" date,
	"user_name" text,
	"display_name" text,
	"given_name" text,
	"family_name" text,
	"department" text,
	"title" text,
	"manager" text,
	"extra_attributes" jsonb
);
--> statement-breakpoint
ALTER TABLE "reconcile_findings" ADD CONSTRAINT "reconcile_findings_run_id_reconcile_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconcile_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_runs" ADD CONSTRAINT "reconcile_runs_job_run_id_job_runs_id_fk" FOREIGN KEY ("job_run_id") REFERENCES "public"."job_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_runs" ADD CONSTRAINT "reconcile_runs_confirms_run_id_reconcile_runs_id_fk" FOREIGN KEY ("confirms_run_id") REFERENCES "public"."reconcile_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_runs" ADD CONSTRAINT "reconcile_runs_source_fk" FOREIGN KEY ("source_id","organization_id") REFERENCES "public"."reconcile_sources"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_sources" ADD CONSTRAINT "reconcile_sources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconcile_findings_run_category_idx" ON "reconcile_findings" USING btree ("run_id","category","id");--> statement-breakpoint
CREATE INDEX "reconcile_findings_run_key_idx" ON "reconcile_findings" USING btree ("run_id","finding_key");--> statement-breakpoint
CREATE INDEX "reconcile_findings_account_idx" ON "reconcile_findings" USING btree ("organization_id","account_id") WHERE "reconcile_findings"."account_id" is not null;--> statement-breakpoint
CREATE INDEX "reconcile_findings_open_review_idx" ON "reconcile_findings" USING btree ("organization_id") WHERE "reconcile_findings"."review_state" = 'open';--> statement-breakpoint
CREATE INDEX "reconcile_runs_source_started_idx" ON "reconcile_runs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE INDEX "reconcile_runs_org_started_idx" ON "reconcile_runs" USING btree ("organization_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reconcile_sources_org_name_unique" ON "reconcile_sources" USING btree ("organization_id",lower("name"));--> statement-breakpoint
CREATE INDEX "reconcile_staged_records_run_idx" ON "reconcile_staged_records" USING brin ("run_id");--> statement-breakpoint
CREATE INDEX "accounts_org_employee_number_idx" ON "accounts" USING btree ("organization_id","employee_number") WHERE "accounts"."employee_number" is not null;