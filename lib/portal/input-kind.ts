/**
 * Names what a reader pasted into the verifier, without checking it, for the hint under the text
 * box. Free of runtime imports, so the verifier's page can show the hint before loading the
 * protocol code.
 */
export type InputKind = "bundle" | "record" | "entry_hash";

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The kind of verifier input `text` looks like, or null when it looks like none. */
export function guessInputKind(text: string): InputKind | null {
  const value = text.trim();
  if (value.startsWith("{")) return "bundle";
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return "entry_hash";
  if (COMPACT_JWS.test(value)) return "record";
  return null;
}
