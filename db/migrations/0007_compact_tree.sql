-- Compact store (issue 14): the seal writes a block's derived data (entry_leaves, block_tree_tiles)
-- after committing its header, and marks it complete with a block_derived row, written last.
CREATE TABLE "block_derived" (
	"height" integer PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER block_derived_append_only BEFORE UPDATE OR DELETE ON block_derived FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER block_derived_no_truncate BEFORE TRUNCATE ON block_derived FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
-- The block that holds an entry is the one naming the entry's prevRoot.
CREATE UNIQUE INDEX "blocks_prev_root_idx" ON "blocks" USING btree ("prev_root");--> statement-breakpoint
-- Tree tiles move to the dense, bottom-aligned layout of lib/protocol/tiles.ts (about 1.03x the
-- tree's node bytes instead of 10x). The old heap-layout tiles go; no block has a block_derived row
-- yet, so the next start or seal rebuilds every block's tiles from its entries (and checks each
-- against its header's root) before anything else. Leaf positions are kept as they are.
DROP TABLE "block_tree_tiles";--> statement-breakpoint
CREATE TABLE "block_tree_tiles" (
	"height" integer NOT NULL,
	"tile" integer NOT NULL,
	"nodes" "bytea" NOT NULL,
	CONSTRAINT "block_tree_tiles_height_tile_pk" PRIMARY KEY("height","tile")
);
--> statement-breakpoint
-- Tiles of random hashes do not compress; keep them inline, so that a proof reads only the tile rows.
ALTER TABLE "block_tree_tiles" ALTER COLUMN "nodes" SET STORAGE MAIN;--> statement-breakpoint
CREATE TRIGGER tiles_append_only BEFORE UPDATE OR DELETE ON block_tree_tiles FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
CREATE TRIGGER tiles_no_truncate BEFORE TRUNCATE ON block_tree_tiles FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
