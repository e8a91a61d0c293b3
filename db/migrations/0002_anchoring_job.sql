CREATE TABLE "chain_alarms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chain_alarms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"chain_id" integer NOT NULL,
	"registry" text NOT NULL,
	"kind" text NOT NULL,
	"height" integer,
	"ledger_root" text,
	"chain_root" text,
	"message" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "anchors" ADD COLUMN "batch_size" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "chain_alarms_active_idx" ON "chain_alarms" USING btree ("chain_id","registry") WHERE "chain_alarms"."cleared_at" is null;