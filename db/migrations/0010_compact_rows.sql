-- Compact store, the entry rows (issue 14). After 0007 and 0008 the tree and the indexes were
-- small, and an entry row still took 768 bytes for 577 bytes of JWS. This migration makes the row
-- smaller without losing a byte of what was signed:
--
-- * jws: bytea, each base64url symbol packed into 6 bits with the three segment lengths in front
--   (db/packed-jws.ts, the same layout; a test checks both agree). The symbols are packed, not
--   base64-decoded, so any string of base64url symbols and two dots comes back exactly, trailing
--   bits included; anything else is stored as a 0 byte and its UTF-8. 581 bytes (577 and the value's
--   header) become 440.
-- * kid (a 43-character thumbprint, 44 bytes) becomes signer_id, the signer's number (4 bytes),
--   referencing the new signers.id. Readers join signers for the kid; backups still name it.
-- * kind (about 14 bytes) is dropped: it is in the signed payload, and nothing queried it.
--
-- Written as ALTER TABLE statements only (and one index, dropped and built again), so that it applies
-- the same to a partitioned `entries`: PostgreSQL passes each to the partitions. No column is added:
-- the old columns' slots are reused (below), and the table is rewritten once.
--
-- sealbook_pack_jws / sealbook_unpack_jws / sealbook_signer_id stay, so that rows can be read and
-- written in SQL by hand, e.g.
--   select seq, sealbook_unpack_jws(jws) from entries;
--   insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
--     values (…, sealbook_signer_id('<kid>'), …, sealbook_pack_jws('<compact JWS>'), now());
CREATE FUNCTION sealbook_jws_varint(n bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  out bytea := ''::bytea;
BEGIN
  WHILE n >= 128 LOOP
    out := out || set_byte('\x00'::bytea, 0, ((n & 127) | 128)::integer);
    n := n >> 7;
  END LOOP;
  RETURN out || set_byte('\x00'::bytea, 0, n::integer);
END;
$$;--> statement-breakpoint
CREATE FUNCTION sealbook_pack_jws(jws text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  parts text[];
  symbols text;
  n integer;
BEGIN
  IF jws !~ '^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$' THEN
    RETURN '\x00'::bytea || convert_to(jws, 'UTF8');
  END IF;
  parts := string_to_array(jws, '.');
  symbols := parts[1] || parts[2] || parts[3];
  n := length(symbols);
  -- Base64 decoding of whole 4-symbol groups is exactly the 6-bit packing; pad with 'A' (zero bits).
  RETURN sealbook_jws_varint(length(parts[1]) + 1) || sealbook_jws_varint(length(parts[2])) || sealbook_jws_varint(length(parts[3]))
    || substring(decode(translate(symbols || repeat('A', (4 - n % 4) % 4), '-_', '+/'), 'base64') FROM 1 FOR (n * 6 + 7) / 8);
END;
$$;--> statement-breakpoint
-- The text that `stored` holds. Bytes that sealbook_pack_jws would not have written (a changed
-- padding bit, an overlong length, a stray byte, invalid UTF-8) read as a text that is no JWS, so
-- that the audit, hashing it, names the row.
CREATE FUNCTION sealbook_unpack_jws(stored bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  unreadable text := 'unreadable stored JWS 0x' || encode(stored, 'hex');
  lengths bigint[] := '{}';
  at integer := 0;
  value bigint;
  shift integer;
  b integer;
  total bigint;
  bits bytea;
  symbols text;
  result text;
BEGIN
  FOR k IN 1..3 LOOP
    value := 0;
    shift := 0;
    LOOP
      IF at >= length(stored) OR shift >= 28 THEN
        RETURN unreadable;
      END IF;
      b := get_byte(stored, at);
      at := at + 1;
      value := value + ((b & 127)::bigint << shift);
      shift := shift + 7;
      EXIT WHEN b < 128;
    END LOOP;
    IF k = 1 AND value = 0 THEN
      BEGIN
        result := convert_from(substring(stored FROM 2), 'UTF8');
      EXCEPTION WHEN OTHERS THEN
        RETURN unreadable;
      END;
      IF sealbook_pack_jws(result) = stored THEN
        RETURN result;
      END IF;
      RETURN unreadable;
    END IF;
    lengths := lengths || value;
  END LOOP;
  lengths[1] := lengths[1] - 1;
  total := lengths[1] + lengths[2] + lengths[3];
  bits := substring(stored FROM at + 1);
  IF length(bits) <> (total * 6 + 7) / 8 THEN
    RETURN unreadable;
  END IF;
  bits := bits || decode(repeat('00', (3 - length(bits) % 3) % 3), 'hex');
  symbols := translate(encode(bits, 'base64'), E'+/\n', '-_');
  result := substr(symbols, 1, lengths[1]::integer) || '.' || substr(symbols, lengths[1]::integer + 1, lengths[2]::integer)
    || '.' || substr(symbols, (lengths[1] + lengths[2])::integer + 1, lengths[3]::integer);
  IF sealbook_pack_jws(result) = stored THEN
    RETURN result;
  END IF;
  RETURN unreadable;
END;
$$;--> statement-breakpoint
ALTER TABLE "signers" ADD COLUMN "id" integer NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "signers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "signers" ADD CONSTRAINT "signers_id_unique" UNIQUE("id");--> statement-breakpoint
-- A signer's number never changes either (entries name it), as migrations 0001 and 0005 keep its key.
CREATE OR REPLACE FUNCTION sealbook_signer_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kid = OLD.kid AND NEW.id = OLD.id AND NEW.alg = OLD.alg AND NEW.public_jwk = OLD.public_jwk
     AND NEW.valid_from = OLD.valid_from AND NEW.created_at = OLD.created_at
     AND (OLD.revoked_at IS NULL
          OR (NEW.revoked_at = OLD.revoked_at AND NEW.revocation_reason IS NOT DISTINCT FROM OLD.revocation_reason)
          OR (OLD.revoked_at > now() AND NEW.revoked_at < OLD.revoked_at)) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: signer % may change only its label, organization, or be revoked once (a revocation still ahead may only be brought forward)', OLD.kid
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE FUNCTION sealbook_signer_id(signer_kid text) RETURNS integer LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT id FROM signers WHERE kid = signer_kid
$$;--> statement-breakpoint
-- The foreign key on kid goes first, whatever its name (a partitioned `entries` may have its own).
DO $$
DECLARE
  fk record;
BEGIN
  FOR fk IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'entries'::regclass AND contype = 'f' AND confrelid = 'signers'::regclass AND conparentid = 0 LOOP
    EXECUTE format('ALTER TABLE entries DROP CONSTRAINT %I', fk.conname);
  END LOOP;
END;
$$;--> statement-breakpoint
-- One rewrite of the table. The row keeps its slots (ALTER TABLE cannot reorder columns), but which
-- slot holds what is chosen so that the row carries the least alignment padding: kid's slot takes
-- prev_root, kind's slot the signer's number (4-byte aligned right after it), prev_root's slot the
-- packed JWS (4-byte aligned right after that), and jws's old slot is dropped. The row keeps the
-- null bitmap it has had since 0003 dropped two columns (its header is 32 bytes). Measured on 100,000
-- entries of 577 characters: 14 rows to an 8 KB page, against 13 with each value in its own slot
-- (the same bytes, 3 to 7 more of padding in each row) and 10 before this migration.
-- USING reads the old row's values, jws's too: dropping it in the same statement leaves no copy
-- of the text in the rewritten rows (a DROP COLUMN after the rewrite would). The prev_root index
-- is built again on prev_root's new slot. Checked on a partitioned table as well.
DROP INDEX "entries_prev_root_idx";--> statement-breakpoint
ALTER TABLE "entries"
  ALTER COLUMN "kid" SET DATA TYPE bytea USING "prev_root",
  ALTER COLUMN "kind" SET DATA TYPE integer USING sealbook_signer_id("kid"),
  ALTER COLUMN "prev_root" SET DATA TYPE bytea USING sealbook_pack_jws("jws"),
  DROP COLUMN "jws";--> statement-breakpoint
ALTER TABLE "entries" RENAME COLUMN "prev_root" TO "jws";--> statement-breakpoint
ALTER TABLE "entries" RENAME COLUMN "kid" TO "prev_root";--> statement-breakpoint
ALTER TABLE "entries" RENAME COLUMN "kind" TO "signer_id";--> statement-breakpoint
CREATE INDEX "entries_prev_root_idx" ON "entries" USING btree (sealbook_root_key(prev_root),"seq");--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_signer_id_signers_id_fk" FOREIGN KEY ("signer_id") REFERENCES "public"."signers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ANALYZE "entries";--> statement-breakpoint
ANALYZE "signers";
