CREATE TABLE "account_counts" (
	"organization_id" uuid NOT NULL,
	"slot" integer NOT NULL,
	"visible" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "account_counts_organization_id_slot_pk" PRIMARY KEY("organization_id","slot")
);
