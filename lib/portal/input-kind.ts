/**
 * Names what a reader pasted into the verifier, without checking it, for the hint under the text
 * box. Its one import is the hash pattern (lib/protocol/hex.ts, which imports nothing), so the
 * verifier's page can show the hint before loading the protocol code.
 */
import { HASH_ANY_CASE_PATTERN } from "../protocol/hex";

export type InputKind = "bundle" | "record" | "entry_hash";

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The kind of verifier input `text` looks like, or null when it looks like none. */
export function guessInputKind(text: string): InputKind | null {
  const value = text.trim();
  if (value.startsWith("{")) return "bundle";
  if (HASH_ANY_CASE_PATTERN.test(value)) return "entry_hash";
  if (COMPACT_JWS.test(value)) return "record";
  return null;
}
