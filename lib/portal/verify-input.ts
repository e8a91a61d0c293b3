import { parseProofBundle, type ProofBundle } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import { decodeRecord } from "../protocol/record";
import { entryHashFromScan } from "./entry-links";
import { guessInputKind } from "./input-kind";

/** What a reader gave the verifier: a proof bundle, a signed record, or an entry hash. */
export type VerifyInput =
  | { kind: "bundle"; bundle: ProofBundle }
  | { kind: "record"; jws: string; entryHash: Hash; kid: string }
  | { kind: "entry_hash"; entryHash: Hash };

/** Thrown when the verifier's input is none of the three; the message says what was expected. */
export class VerifyInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "VerifyInputError";
  }
}

/**
 * Reads the verifier's input: JSON is a proof bundle (PROTOCOL §5), `0x` and 64 hex digits (or an
 * entry page's address) an entry hash, three base64url parts joined by dots a signed record (compact JWS, PROTOCOL §1), whose entry
 * hash is computed here, in the browser.
 * Throws VerifyInputError with a plain-language reason when the input is none of these or is malformed.
 */
export function readVerifyInput(text: string): VerifyInput {
  const value = text.trim();
  if (value === "") throw new VerifyInputError("Paste a proof bundle, a signed record or an entry hash, or choose a file.");
  const kind = guessInputKind(value);
  if (kind === "bundle") {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch (cause) {
      throw new VerifyInputError(`This looks like a proof bundle, but it is not valid JSON (${(cause as Error).message}).`, { cause });
    }
    try {
      return { kind: "bundle", bundle: parseProofBundle(json) };
    } catch (cause) {
      throw new VerifyInputError((cause as Error).message, { cause });
    }
  }
  if (kind === "entry_hash") {
    // A bare hash, or the address of an entry's page (printed under its QR code).
    const entryHash = entryHashFromScan(value);
    if (!entryHash) throw new VerifyInputError("An entry hash is 0x followed by 64 hexadecimal digits.");
    return { kind: "entry_hash", entryHash };
  }
  if (kind === "record") {
    try {
      const record = decodeRecord(value);
      return { kind: "record", jws: value, entryHash: record.entryHash, kid: record.header.kid };
    } catch (cause) {
      throw new VerifyInputError(`This looks like a signed record, but it cannot be read: ${(cause as Error).message}`, { cause });
    }
  }
  throw new VerifyInputError(
    "This is not something the verifier can check. Paste a proof bundle (JSON starting with “{”), a signed record (three parts joined by dots), or an entry hash (0x and 64 hexadecimal digits).",
  );
}
