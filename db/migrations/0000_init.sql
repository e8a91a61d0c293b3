CREATE TABLE "anchors" (
	"height" integer PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"chain_id" integer NOT NULL,
	"registry" text NOT NULL,
	"tx_hash" text,
	"chain_block_number" bigint,
	"gas_used" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "block_tree_tiles" (
	"height" integer NOT NULL,
	"tile" integer NOT NULL,
	"nodes" "bytea" NOT NULL,
	CONSTRAINT "block_tree_tiles_height_tile_pk" PRIMARY KEY("height","tile")
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"height" integer PRIMARY KEY NOT NULL,
	"root" "bytea" NOT NULL,
	"prev_root" "bytea" NOT NULL,
	"entry_count" integer NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "blocks_root_unique" UNIQUE("root")
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_hash" "bytea" NOT NULL,
	"record_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"kind" text NOT NULL,
	"prev_root" "bytea" NOT NULL,
	"jws" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"block_height" integer,
	"leaf_index" integer,
	CONSTRAINT "entries_entry_hash_unique" UNIQUE("entry_hash"),
	CONSTRAINT "entries_record_id_unique" UNIQUE("record_id")
);
--> statement-breakpoint
CREATE TABLE "ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"genesis_root" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signers" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"label" text NOT NULL,
	"organization" text,
	"valid_from" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_kid_signers_kid_fk" FOREIGN KEY ("kid") REFERENCES "public"."signers"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_block_leaf_idx" ON "entries" USING btree ("block_height","leaf_index");--> statement-breakpoint
CREATE INDEX "entries_pending_idx" ON "entries" USING btree ("prev_root","seq") WHERE "entries"."block_height" is null;