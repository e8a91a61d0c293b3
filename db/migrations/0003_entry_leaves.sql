CREATE TABLE "entry_leaves" (
	"entry_hash" "bytea" PRIMARY KEY NOT NULL,
	"block_height" integer NOT NULL,
	"leaf_index" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "entries_block_leaf_idx";--> statement-breakpoint
DROP INDEX "entries_pending_idx";--> statement-breakpoint
ALTER TABLE "entry_leaves" ADD CONSTRAINT "entry_leaves_entry_hash_entries_entry_hash_fk" FOREIGN KEY ("entry_hash") REFERENCES "public"."entries"("entry_hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "entry_leaves_block_leaf_idx" ON "entry_leaves" USING btree ("block_height","leaf_index");--> statement-breakpoint
CREATE INDEX "entries_prev_root_idx" ON "entries" USING btree ("prev_root","seq");--> statement-breakpoint
-- Keep where every sealed entry sits before the columns that said it go away.
INSERT INTO "entry_leaves" ("entry_hash", "block_height", "leaf_index")
  SELECT "entry_hash", "block_height", "leaf_index" FROM "entries" WHERE "block_height" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "entries" DROP COLUMN "block_height";--> statement-breakpoint
ALTER TABLE "entries" DROP COLUMN "leaf_index";--> statement-breakpoint
-- Entries are now immutable outright: sealing writes entry_leaves instead of updating them.
DROP TRIGGER "entries_seal_only" ON "entries";--> statement-breakpoint
DROP FUNCTION sealbook_entry_seal_only();--> statement-breakpoint
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER entry_leaves_append_only BEFORE UPDATE OR DELETE ON entry_leaves FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER entry_leaves_no_truncate BEFORE TRUNCATE ON entry_leaves FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
