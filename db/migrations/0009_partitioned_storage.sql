-- Partitioned storage (issue 17): the tables that grow with the ledger become range-partitioned, so
-- that vacuum, backup and archiving work on one partition at a time, and old partitions can be
-- detached once their blocks are published as files and anchored (`sealbook archive`).
--
--   entries           by seq, the order of acceptance. Sealing never moves an entry (a block holds
--                     the entries naming its predecessor's root, and nothing is updated), and sealed
--                     blocks cover growing seq ranges, so an old seq partition holds old blocks only.
--   entry_leaves      by block_height: written once at the seal, keyed (block_height, leaf_index).
--   block_tree_tiles  by height: written once at the seal, keyed (height, tile).
--
-- The tables as they are become the first partition of each (attached, not copied: nothing is
-- rewritten, PostgreSQL only scans them once to check they fit), covering the keys they hold.
-- Partitions after it are created ahead of need by sealbook_ensure_partitions (the seal, ingest,
-- restore and start call it), each as wide as ledger_partitioning says. No default partition: a row
-- past the last partition is refused loudly and the writer creates the partition and tries again,
-- so no row ever needs moving out of a default partition.

-- How wide each table's next partitions are: 10 million entries (about five hours at 50 million
-- records a day), 1,000 blocks (eight hours at a seal every 30 s). Partitions already made keep
-- their width; sealbook_set_partition_width re-cuts the empty ones ahead of the data.
CREATE TABLE "ledger_partitioning" (
	"table_name" text PRIMARY KEY NOT NULL,
	"width" bigint NOT NULL,
	CONSTRAINT "ledger_partitioning_width_positive" CHECK ("width" > 0)
);
--> statement-breakpoint
INSERT INTO "ledger_partitioning" ("table_name", "width") VALUES ('entries', 10000000), ('entry_leaves', 1000), ('block_tree_tiles', 1000);--> statement-breakpoint
-- A replay is refused by the record id. A unique index on a partitioned table must hold the
-- partition key, which record_id alone would not: each record id is claimed in this narrow,
-- unpartitioned table instead (a row and its key, more than the unique index alone), by a trigger
-- on every insert into entries. A claim is never removed; a repair that puts an entry back under its
-- own seq keeps it.
CREATE TABLE "entry_record_ids" (
	"record_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "entry_record_ids" ("record_id", "seq") SELECT "record_id", "seq" FROM "entries";--> statement-breakpoint
CREATE TRIGGER entry_record_ids_append_only BEFORE UPDATE OR DELETE ON entry_record_ids FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER entry_record_ids_no_truncate BEFORE TRUNCATE ON entry_record_ids FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
-- Claims a new entry's record id. A replay raises unique_violation, unless the inserting transaction
-- set sealbook.skip_replays (the ingest does, to answer each replay as duplicate_record without
-- failing the batch): then the row is skipped, as ON CONFLICT DO NOTHING skipped it before.
CREATE FUNCTION sealbook_claim_record_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO entry_record_ids (record_id, seq) VALUES (NEW.record_id, NEW.seq) ON CONFLICT (record_id) DO NOTHING;
  IF FOUND OR EXISTS (SELECT 1 FROM entry_record_ids WHERE record_id = NEW.record_id AND seq = NEW.seq) THEN
    RETURN NEW;
  END IF;
  IF coalesce(current_setting('sealbook.skip_replays', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'sealbook: a record with id % is already in the ledger; a replay is refused', NEW.record_id
    USING ERRCODE = 'unique_violation', CONSTRAINT = 'entry_record_ids_pkey';
END;
$$;
--> statement-breakpoint
-- Row triggers of a partitioned table are cloned onto each partition, where TG_TABLE_NAME is the
-- partition's name: the repair guard names rows by the ledger table they belong to.
CREATE FUNCTION sealbook_ledger_table(relid oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT relname::text FROM pg_class WHERE oid = coalesce(pg_partition_root(relid)::oid, relid)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sealbook_reject_change_unless_repair() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ledger_table text := sealbook_ledger_table(TG_RELID);
BEGIN
  IF sealbook_repair_allows(ledger_table, sealbook_ledger_row_key(ledger_table, OLD))
     AND (TG_OP = 'DELETE' OR sealbook_repair_allows(ledger_table, sealbook_ledger_row_key(ledger_table, NEW))) THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: % on % (%) is refused: the ledger is append-only', TG_OP, ledger_table, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
-- The partitions of a ledger table with their bounds (null for MINVALUE, or for a default partition).
CREATE FUNCTION sealbook_partition_bounds(parent text) RETURNS TABLE (partition_name text, lower_bound bigint, upper_bound bigint) LANGUAGE sql STABLE AS $$
  SELECT c.relname::text,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''?(-?[0-9]+)''?\)'))[1]::bigint,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?[0-9]+)''?\)'))[1]::bigint
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = parent::regclass
$$;
--> statement-breakpoint
-- Makes sure the partitions of `parent` reach past key + width: the one that will hold `key` and at
-- least one whole partition after it. Cheap when they do (one catalog read); otherwise creates the
-- missing ones under a transaction-level advisory lock, so concurrent callers create each once.
-- A partition is created empty and then attached, which locks the parent only against other DDL
-- (SHARE UPDATE EXCLUSIVE), never against reads and writes. Statement-level TRUNCATE triggers are
-- not cloned onto partitions: each partition gets its own here, including partitions someone else
-- made (pg_partman, or by hand) that lack one. Returns how many partitions it created.
CREATE FUNCTION sealbook_ensure_partitions(parent text, "key" bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  w bigint;
  top bigint;
  made integer := 0;
  part text;
  bare record;
BEGIN
  SELECT width INTO w FROM ledger_partitioning WHERE table_name = parent;
  IF w IS NULL THEN
    RAISE EXCEPTION 'sealbook: % is not a partitioned ledger table', parent;
  END IF;
  FOR bare IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgtype & 32 <> 0)
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change()', 'no_truncate', bare.relname);
  END LOOP;
  SELECT max(upper_bound) INTO top FROM sealbook_partition_bounds(parent);
  IF top IS NOT NULL AND top > "key" + w THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('sealbook.partitions.' || parent));
  SELECT max(upper_bound) INTO top FROM sealbook_partition_bounds(parent);
  top := coalesce(top, 1);
  WHILE top <= "key" + w LOOP
    part := parent || '_' || top;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING STORAGE)', part, parent);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change()', 'no_truncate', part);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent, part, top, top + w);
    top := top + w;
    made := made + 1;
  END LOOP;
  RETURN made;
END;
$$;
--> statement-breakpoint
-- Sets the width of `parent`'s partitions from now on, and re-cuts the partitions ahead of the data
-- at it: the empty partitions above `above` (the highest key in use) are dropped and made again.
-- For operators and benchmarks that want smaller or larger partitions than the default.
CREATE FUNCTION sealbook_set_partition_width(parent text, new_width bigint, above bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  ahead record;
  empty boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sealbook.partitions.' || parent));
  UPDATE ledger_partitioning SET width = new_width WHERE table_name = parent;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sealbook: % is not a partitioned ledger table', parent;
  END IF;
  FOR ahead IN SELECT * FROM sealbook_partition_bounds(parent) WHERE lower_bound > above ORDER BY lower_bound DESC LOOP
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', ahead.partition_name);
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', ahead.partition_name) INTO empty;
    IF NOT empty THEN
      RAISE EXCEPTION 'sealbook: partition % holds rows above %; it is not re-cut', ahead.partition_name, above;
    END IF;
    EXECUTE format('DROP TABLE %I', ahead.partition_name);
  END LOOP;
  RETURN sealbook_ensure_partitions(parent, above);
END;
$$;
--> statement-breakpoint
-- entries: the table as it is becomes the first partition. Its identity, record id constraint,
-- foreign key and triggers move to the parent (the parent's row triggers and foreign key are cloned
-- onto it when it is attached; its indexes are matched to the parent's, not rebuilt).
DROP TRIGGER "entries_no_delete" ON "entries";--> statement-breakpoint
DROP TRIGGER "entries_no_update" ON "entries";--> statement-breakpoint
DROP TRIGGER "entries_no_truncate" ON "entries";--> statement-breakpoint
ALTER TABLE "entries" DROP CONSTRAINT "entries_record_id_unique";--> statement-breakpoint
ALTER TABLE "entries" DROP CONSTRAINT "entries_kid_signers_kid_fk";--> statement-breakpoint
ALTER TABLE "entries" ALTER COLUMN "seq" DROP IDENTITY;--> statement-breakpoint
ALTER TABLE "entries" RENAME TO "entries_0";--> statement-breakpoint
ALTER TABLE "entries_0" RENAME CONSTRAINT "entries_pkey" TO "entries_0_pkey";--> statement-breakpoint
ALTER INDEX "entries_entry_hash_idx" RENAME TO "entries_0_entry_hash_idx";--> statement-breakpoint
ALTER INDEX "entries_prev_root_idx" RENAME TO "entries_0_prev_root_idx";--> statement-breakpoint
CREATE TABLE "entries" (
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_hash" "bytea" NOT NULL,
	"record_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"kind" text NOT NULL,
	"prev_root" "bytea" NOT NULL,
	"jws" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "entries_pkey" PRIMARY KEY ("seq")
) PARTITION BY RANGE ("seq");
--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_kid_signers_kid_fk" FOREIGN KEY ("kid") REFERENCES "public"."signers"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_entry_hash_idx" ON "entries" USING hash ("entry_hash");--> statement-breakpoint
CREATE INDEX "entries_prev_root_idx" ON "entries" USING btree (sealbook_root_key(prev_root),"seq");--> statement-breakpoint
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER entries_claim_record_id BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_claim_record_id();--> statement-breakpoint
-- entry_leaves and block_tree_tiles the same way.
DROP TRIGGER "entry_leaves_append_only" ON "entry_leaves";--> statement-breakpoint
DROP TRIGGER "entry_leaves_no_truncate" ON "entry_leaves";--> statement-breakpoint
ALTER TABLE "entry_leaves" RENAME TO "entry_leaves_0";--> statement-breakpoint
ALTER TABLE "entry_leaves_0" RENAME CONSTRAINT "entry_leaves_pkey" TO "entry_leaves_0_pkey";--> statement-breakpoint
ALTER INDEX "entry_leaves_entry_hash_idx" RENAME TO "entry_leaves_0_entry_hash_idx";--> statement-breakpoint
CREATE TABLE "entry_leaves" (
	"entry_hash" "bytea" NOT NULL,
	"block_height" integer NOT NULL,
	"leaf_index" integer NOT NULL,
	CONSTRAINT "entry_leaves_pkey" PRIMARY KEY ("block_height", "leaf_index")
) PARTITION BY RANGE ("block_height");
--> statement-breakpoint
CREATE INDEX "entry_leaves_entry_hash_idx" ON "entry_leaves" USING hash ("entry_hash");--> statement-breakpoint
CREATE TRIGGER entry_leaves_append_only BEFORE UPDATE OR DELETE ON entry_leaves FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
CREATE TRIGGER entry_leaves_no_truncate BEFORE TRUNCATE ON entry_leaves FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
DROP TRIGGER "tiles_append_only" ON "block_tree_tiles";--> statement-breakpoint
DROP TRIGGER "tiles_no_truncate" ON "block_tree_tiles";--> statement-breakpoint
ALTER TABLE "block_tree_tiles" RENAME TO "block_tree_tiles_0";--> statement-breakpoint
ALTER TABLE "block_tree_tiles_0" RENAME CONSTRAINT "block_tree_tiles_height_tile_pk" TO "block_tree_tiles_0_pkey";--> statement-breakpoint
CREATE TABLE "block_tree_tiles" (
	"height" integer NOT NULL,
	"tile" integer NOT NULL,
	"nodes" "bytea" NOT NULL,
	CONSTRAINT "block_tree_tiles_height_tile_pk" PRIMARY KEY ("height", "tile")
) PARTITION BY RANGE ("height");
--> statement-breakpoint
ALTER TABLE "block_tree_tiles" ALTER COLUMN "nodes" SET STORAGE MAIN;--> statement-breakpoint
CREATE TRIGGER tiles_append_only BEFORE UPDATE OR DELETE ON block_tree_tiles FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
CREATE TRIGGER tiles_no_truncate BEFORE TRUNCATE ON block_tree_tiles FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
-- Attach each old table as its first partition, up to the highest key it holds (an empty one keeps
-- no range worth having: it ends at 1), give it its TRUNCATE guard, and create the partitions ahead.
-- The identity goes on after the highest seq in use.
DO $$
DECLARE
  top_seq bigint := (SELECT coalesce(max(seq), 0) FROM entries_0);
  top_leaf bigint := (SELECT coalesce(max(block_height), 0) FROM entry_leaves_0);
  top_tile bigint := (SELECT coalesce(max(height), 0) FROM block_tree_tiles_0);
  head bigint := (SELECT coalesce(max(height), 0) FROM blocks);
BEGIN
  EXECUTE format('ALTER TABLE entries ATTACH PARTITION entries_0 FOR VALUES FROM (MINVALUE) TO (%s)', top_seq + 1);
  EXECUTE format('ALTER TABLE entry_leaves ATTACH PARTITION entry_leaves_0 FOR VALUES FROM (MINVALUE) TO (%s)', greatest(top_leaf, head) + 1);
  EXECUTE format('ALTER TABLE block_tree_tiles ATTACH PARTITION block_tree_tiles_0 FOR VALUES FROM (MINVALUE) TO (%s)', greatest(top_tile, head) + 1);
  IF top_seq > 0 THEN
    PERFORM setval(pg_get_serial_sequence('entries', 'seq'), top_seq, true);
  END IF;
  PERFORM sealbook_ensure_partitions('entries', top_seq);
  PERFORM sealbook_ensure_partitions('entry_leaves', head + 1);
  PERFORM sealbook_ensure_partitions('block_tree_tiles', head + 1);
END;
$$;
--> statement-breakpoint
-- Archived blocks (`sealbook archive --below H`): every block below H is served from its published,
-- anchored files; the partitions that held only such blocks were detached into the schema
-- sealbook_archive. Append-only; the highest `below` is what counts.
CREATE SCHEMA IF NOT EXISTS "sealbook_archive";--> statement-breakpoint
CREATE TABLE "ledger_archive" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_archive_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"below" integer NOT NULL,
	"partitions" text[] NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER ledger_archive_append_only BEFORE UPDATE OR DELETE ON ledger_archive FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER ledger_archive_no_truncate BEFORE TRUNCATE ON ledger_archive FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
ANALYZE "entries";--> statement-breakpoint
ANALYZE "entry_leaves";--> statement-breakpoint
ANALYZE "block_tree_tiles";
