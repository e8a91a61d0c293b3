-- Lookups by entry hash that do not depend on the number of partitions (issue 17). A lookup by hash
-- named no partition key, so PostgreSQL planned and probed the hash index of every live partition of
-- `entries` (and of `entry_leaves`): with 102 partitions, 12 ms to plan a proof's lookup.
--
-- The record ids' claims (0009) become `entry_keys`, one narrow unpartitioned row an entry with two
-- more keys, written by the same trigger:
-- * hash_key: the first 8 bytes of the entry hash (sealbook_root_key, 0008), B-tree indexed. It
--   replaces the partitioned hash index of entries (38–48 bytes an entry) for about as many bytes,
--   and its seq names the one partition of `entries` that holds the row. Two hashes can share a
--   key; readers compare the full hash.
-- * height: the block the entry belongs to by the protocol (block h holds the entries naming
--   root(h-1)), so that its leaf row and tree tiles are read from one partition each, and an
--   archived entry's block is found without its row.
--
-- Claims of entries archived before this migration get their keys from the detached partitions kept
-- in the schema sealbook_archive; where such a partition was dropped, hash_key stays null, and those
-- entries are found through the leaf positions of archived blocks as before (db/entry-keys.ts).

-- The block that holds an entry naming `named_root`: the one after the block whose root it is, or
-- block 1 for the genesis root (block 1's prevRoot, or any root while no block is sealed: the ingest
-- takes only the head root). Null for a root no block names, which the audit reports. PL/pgSQL, not
-- SQL: its plans are kept for the session, where a SQL function called from the trigger was planned
-- again for each row (78 µs a row against 3, measured in psql on 100,000 inserts).
CREATE FUNCTION sealbook_entry_height(named_root bytea) RETURNS integer LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
  found_height integer;
BEGIN
  SELECT b.height + 1 INTO found_height FROM blocks b WHERE b.root = named_root;
  IF FOUND THEN
    RETURN found_height;
  END IF;
  IF EXISTS (SELECT 1 FROM blocks b WHERE b.height = 1 AND b.prev_root = named_root) OR NOT EXISTS (SELECT 1 FROM blocks) THEN
    RETURN 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TABLE "entry_keys" (
	"record_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash_key" bigint,
	"height" integer
);
--> statement-breakpoint
INSERT INTO "entry_keys" ("record_id", "seq", "hash_key", "height")
  SELECT r.record_id, r.seq, sealbook_root_key(e.entry_hash), sealbook_entry_height(e.prev_root)
  FROM entry_record_ids r LEFT JOIN entries e ON e.seq = r.seq;
--> statement-breakpoint
DO $$
DECLARE
  archived text;
BEGIN
  FOR archived IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'sealbook_archive' AND c.relkind = 'r' AND c.relname LIKE 'entries\_%'
  LOOP
    EXECUTE format(
      'UPDATE entry_keys k SET hash_key = sealbook_root_key(a.entry_hash), height = sealbook_entry_height(a.prev_root)
       FROM sealbook_archive.%I a WHERE a.seq = k.seq AND k.hash_key IS NULL', archived);
  END LOOP;
END;
$$;
--> statement-breakpoint
CREATE INDEX "entry_keys_hash_key_idx" ON "entry_keys" USING btree ("hash_key");--> statement-breakpoint
CREATE INDEX "entry_keys_unkeyed_idx" ON "entry_keys" USING btree ("seq") WHERE "entry_keys"."hash_key" is null;--> statement-breakpoint
DROP TABLE "entry_record_ids";--> statement-breakpoint
CREATE TRIGGER entry_keys_append_only BEFORE UPDATE OR DELETE ON entry_keys FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER entry_keys_no_truncate BEFORE TRUNCATE ON entry_keys FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
-- As in 0009, with the two new keys. A replay raises unique_violation, unless the inserting
-- transaction set sealbook.skip_replays (the ingest does): then the row is skipped.
CREATE OR REPLACE FUNCTION sealbook_claim_record_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO entry_keys (record_id, seq, hash_key, height)
    VALUES (NEW.record_id, NEW.seq, sealbook_root_key(NEW.entry_hash), sealbook_entry_height(NEW.prev_root))
    ON CONFLICT (record_id) DO NOTHING;
  IF FOUND OR EXISTS (SELECT 1 FROM entry_keys WHERE record_id = NEW.record_id AND seq = NEW.seq) THEN
    RETURN NEW;
  END IF;
  IF coalesce(current_setting('sealbook.skip_replays', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'sealbook: a record with id % is already in the ledger; a replay is refused', NEW.record_id
    USING ERRCODE = 'unique_violation', CONSTRAINT = 'entry_keys_pkey';
END;
$$;
--> statement-breakpoint
DROP INDEX "entries_entry_hash_idx";
--> statement-breakpoint
-- Statistics for the new table, so that the first lookups after the upgrade are planned on its index.
ANALYZE "entry_keys";
