-- Repair (issue 15): `sealbook repair` puts back the damaged rows of a block from a backup that the
-- chain vouches for. The append-only guard is lifted for it only inside the repair's transaction and
-- only for the rows it names: the transaction sets `sealbook.repair` (SET LOCAL, e.g. 'block:42') and
-- lists each row it will change in a temporary table dropped at commit. Outside such a transaction,
-- or for any row not listed, the guard holds exactly as migrations 0001 and 0003 set it.
-- TRUNCATE stays refused, and so does every change to the ledger row, signers' keys and the admin log.

CREATE FUNCTION sealbook_repair_allows(table_name text, row_key text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  allowed boolean;
BEGIN
  IF row_key IS NULL OR coalesce(current_setting('sealbook.repair', true), '') = '' THEN
    RETURN false;
  END IF;
  IF to_regclass('pg_temp.sealbook_repair_rows') IS NULL THEN
    RETURN false;
  END IF;
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_temp.sealbook_repair_rows WHERE table_name = $1 AND row_key = $2)'
    INTO allowed USING table_name, row_key;
  RETURN allowed;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION sealbook_ledger_row_key(table_name text, r record) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF table_name = 'entries' OR table_name = 'entry_leaves' THEN
    RETURN '0x' || encode(r.entry_hash, 'hex');
  ELSIF table_name = 'blocks' THEN
    RETURN r.height::text;
  ELSIF table_name = 'block_tree_tiles' THEN
    RETURN r.height::text || ':' || r.tile::text;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION sealbook_reject_change_unless_repair() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF sealbook_repair_allows(TG_TABLE_NAME, sealbook_ledger_row_key(TG_TABLE_NAME, OLD))
     AND (TG_OP = 'DELETE' OR sealbook_repair_allows(TG_TABLE_NAME, sealbook_ledger_row_key(TG_TABLE_NAME, NEW))) THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: % on % is refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
-- A repair may put a removed block back at its own height, below the head.
CREATE OR REPLACE FUNCTION sealbook_block_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_height integer;
  head_root bytea;
BEGIN
  IF sealbook_repair_allows('blocks', NEW.height::text) THEN
    RETURN NEW;
  END IF;
  SELECT height, root INTO head_height, head_root FROM blocks ORDER BY height DESC LIMIT 1;
  IF head_height IS NULL THEN
    head_height := 0;
    SELECT genesis_root INTO head_root FROM ledger LIMIT 1;
  END IF;
  IF NEW.height <> head_height + 1 THEN
    RAISE EXCEPTION 'sealbook: block % is not next; the head is at %', NEW.height, head_height
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.prev_root IS DISTINCT FROM head_root THEN
    RAISE EXCEPTION 'sealbook: block % does not name the root of block %', NEW.height, head_height
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
DROP TRIGGER "blocks_append_only" ON "blocks";--> statement-breakpoint
CREATE TRIGGER blocks_append_only BEFORE UPDATE OR DELETE ON blocks FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
DROP TRIGGER "tiles_append_only" ON "block_tree_tiles";--> statement-breakpoint
CREATE TRIGGER tiles_append_only BEFORE UPDATE OR DELETE ON block_tree_tiles FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
DROP TRIGGER "entries_no_delete" ON "entries";--> statement-breakpoint
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
DROP TRIGGER "entries_no_update" ON "entries";--> statement-breakpoint
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();--> statement-breakpoint
DROP TRIGGER "entry_leaves_append_only" ON "entry_leaves";--> statement-breakpoint
CREATE TRIGGER entry_leaves_append_only BEFORE UPDATE OR DELETE ON entry_leaves FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change_unless_repair();
