import { entryHashFromScan } from "./entry-links";

/**
 * Names what a reader pasted into the verifier, without checking it, for the hint under the text
 * box. Of the protocol it imports only the hash pattern (through ./entry-links), so the verifier's page
 * can show the hint before loading the protocol code.
 */
export type InputKind = "bundle" | "record" | "entry_hash";

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The kind of verifier input `text` looks like, or null when it looks like none. */
export function guessInputKind(text: string): InputKind | null {
  const value = text.trim();
  if (value.startsWith("{")) return "bundle";
  if (entryHashFromScan(value)) return "entry_hash";
  if (COMPACT_JWS.test(value)) return "record";
  return null;
}
