-- Compact store, the entries (issue 14): the same rows, narrower indexes. Measured on PostgreSQL
-- after 100,000 sealed entries (`npm run bench storage`), the indexes of entries and entry_leaves
-- took 315 bytes an entry, more than half the JWS itself.
--
-- entries.entry_hash: a hash index (about 42 bytes an entry) instead of the unique B-tree (79).
-- Nothing needs the uniqueness from the index: the entry hash is the Keccak-256 of the JWS, the
-- JWS names its record id, and record_id keeps its unique index (a replay is refused by it); the
-- audit names any repeated entry hash or record id. Lookups by entry hash are equality only.
ALTER TABLE "entries" DROP CONSTRAINT "entries_entry_hash_unique";--> statement-breakpoint
CREATE INDEX "entries_entry_hash_idx" ON "entries" USING hash ("entry_hash");--> statement-breakpoint
-- entries.prev_root: the (prev_root, seq) B-tree held the 33-byte root in every tuple (69 bytes an
-- entry). It now holds 8 bytes of it as a bigint (32 bytes an entry), with the same ordered scans
-- by seq; queries name a root's entries with both the key and the full column (db/root-key.ts).
CREATE FUNCTION sealbook_root_key(root bytea) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ('x' || encode(substring(root FROM 1 FOR 8), 'hex'))::bit(64)::bigint
$$;--> statement-breakpoint
DROP INDEX "entries_prev_root_idx";--> statement-breakpoint
CREATE INDEX "entries_prev_root_idx" ON "entries" USING btree (sealbook_root_key(prev_root),"seq");--> statement-breakpoint
-- entry_leaves: one B-tree instead of two. A block's (height, leaf index) becomes the key, reusing
-- its unique index as it is; the entry hash gets a hash index (42 bytes an entry instead of 78).
-- The repair guard still names leaf rows by entry hash (sealbook_ledger_row_key, migration 0006).
ALTER TABLE "entry_leaves" DROP CONSTRAINT "entry_leaves_pkey";--> statement-breakpoint
ALTER TABLE "entry_leaves" ADD CONSTRAINT "entry_leaves_pkey" PRIMARY KEY USING INDEX "entry_leaves_block_leaf_idx";--> statement-breakpoint
CREATE INDEX "entry_leaves_entry_hash_idx" ON "entry_leaves" USING hash ("entry_hash");--> statement-breakpoint
-- Statistics for the new expression index (the root key), and so that the first queries after the
-- upgrade are planned on the new indexes at once: without them, a lookup by entry hash, no longer
-- known to be unique, is estimated at thousands of rows, and a proof was planned with hash joins
-- and JIT compilation (3 s instead of 0.7 ms on a million entries).
ANALYZE "entries";--> statement-breakpoint
ANALYZE "entry_leaves";
