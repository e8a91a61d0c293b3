ALTER TABLE "entry_leaves" DROP CONSTRAINT "entry_leaves_entry_hash_entries_entry_hash_fk";
