/**
 * The primitives every wire format of the protocol is built from: the hash, the address and the
 * timestamp as zod schemas. The hash patterns and the zero hash are in ../hex.ts, the address
 * pattern here; everything else imports them.
 *
 * PROTOCOL.md writes a hash as `0x` and 64 lowercase hex digits. The ledger only ever sends that
 * canonical form; readers of files and answers also accept upper-case digits and lowercase them
 * (`hashReadSchema`), so that a hash pasted from another tool is not refused for its case.
 */
import { z } from "zod";
import { HASH_ANY_CASE_PATTERN, HASH_PATTERN, type Hash } from "../hex";

/** An Ethereum address: `0x` and 40 hex digits of either case (checksummed or not). */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

/** A 32-byte hash as the ledger sends it (canonical form); the OpenAPI component `Hash`. */
export const hashSchema = (z.string().regex(HASH_PATTERN) as unknown as z.ZodType<Hash, string>).meta({
  id: "Hash",
  description: "A 32-byte hash as lowercase 0x-prefixed hex (keccak-256 for entries and roots).",
  examples: ["0x5b3c8e0e0b5c5f2c4f6d1b7a9f7e1c2d3b4a5968778695a4b3c2d1e0f9a8b7c6"],
});

/**
 * A hash as a reader accepts it: either case, lowercased on reading. Its output side is
 * `hashSchema`, so a document derived from the output names the canonical form.
 */
export const hashReadSchema = z
  .string()
  .regex(HASH_ANY_CASE_PATTERN, { error: "must be 0x and 64 hex digits" })
  .transform((h) => h.toLowerCase())
  .pipe(hashSchema);

/** An Ethereum address; the OpenAPI component `Address`. */
export const addressSchema = z.string().regex(ADDRESS_PATTERN).meta({ id: "Address", description: "An Ethereum address." });

/**
 * A timestamp as the ledger sends it. Readers take it as text: the verifier shows it and never
 * computes with it, so a reader does not refuse a bundle for the form of its time.
 */
export const instantSchema = z.string().meta({ format: "date-time", description: "An RFC 3339 timestamp (UTC)." });

/**
 * A value read with the rule `reading` and sent (and documented) as `served`. Zod's input side is
 * `reading`, its output side `served`: the OpenAPI document, derived from the output, says what
 * the ledger sends, while readers keep the rule they have always applied.
 */
export function readAs<Served extends z.ZodType, Reading extends z.ZodType<unknown, unknown>>(reading: Reading, served: Served) {
  return reading.pipe(served as unknown as z.ZodType<z.output<Served>, z.output<Reading>>);
}
