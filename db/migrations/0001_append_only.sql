-- Append-only history, enforced by the database itself (issue "Ledger core", PROTOCOL §3).
-- Sealed blocks, their tree tiles and the ledger row never change; entries are never deleted,
-- and the only change an entry may undergo is the single pending -> sealed transition.
-- An attacker with superuser rights can still disable these triggers: `sealbook audit` and the
-- on-chain roots are what catch that.

CREATE FUNCTION sealbook_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sealbook: % on % is refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE FUNCTION sealbook_entry_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.block_height IS NULL AND NEW.block_height IS NOT NULL AND NEW.leaf_index IS NOT NULL
     AND NEW.seq = OLD.seq AND NEW.entry_hash = OLD.entry_hash AND NEW.record_id = OLD.record_id
     AND NEW.kid = OLD.kid AND NEW.kind = OLD.kind AND NEW.prev_root = OLD.prev_root
     AND NEW.jws = OLD.jws AND NEW.accepted_at = OLD.accepted_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: entry % may only go once from pending to sealed', OLD.seq
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE FUNCTION sealbook_block_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_height integer;
  head_root bytea;
BEGIN
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
CREATE FUNCTION sealbook_signer_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kid = OLD.kid AND NEW.alg = OLD.alg AND NEW.public_jwk = OLD.public_jwk
     AND NEW.valid_from = OLD.valid_from AND NEW.created_at = OLD.created_at
     AND (OLD.revoked_at IS NULL OR (NEW.revoked_at = OLD.revoked_at
          AND NEW.revocation_reason IS NOT DISTINCT FROM OLD.revocation_reason)) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: signer % may change only its label, organization, or be revoked once', OLD.kid
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER blocks_append_only BEFORE UPDATE OR DELETE ON blocks FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER blocks_no_truncate BEFORE TRUNCATE ON blocks FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER blocks_link_to_head BEFORE INSERT ON blocks FOR EACH ROW EXECUTE FUNCTION sealbook_block_links();
--> statement-breakpoint
CREATE TRIGGER tiles_append_only BEFORE UPDATE OR DELETE ON block_tree_tiles FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER tiles_no_truncate BEFORE TRUNCATE ON block_tree_tiles FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER entries_seal_only BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION sealbook_entry_seal_only();
--> statement-breakpoint
CREATE TRIGGER signers_no_delete BEFORE DELETE ON signers FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER signers_no_truncate BEFORE TRUNCATE ON signers FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();
--> statement-breakpoint
CREATE TRIGGER signers_guarded_update BEFORE UPDATE ON signers FOR EACH ROW EXECUTE FUNCTION sealbook_signer_update();
